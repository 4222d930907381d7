"""The culprit cells: one finding at the cell whose change would repair every broken identity.

``requests.suspect-cell`` and ``review_litigation.suspect-cell`` run after the identity rules,
on the equations of those that are enabled (a third party's too), and only when one broke; the
search is :func:`gongkai.validate.suspects.find_suspects`. Outside the validate stage their
``check`` uses the identity rules gongkai has on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gongkai.plugin import (
    Cell,
    Diagnostic,
    Equation,
    Repair,
    Report,
    Rule,
    Severity,
    Suspicion,
    default_engine,
    enabled_equations,
    find_suspects,
    format_value,
    hookimpl,
)

#: Repairs named in one message at most (the rest are counted).
SHOWN = 6


def _describe(broken: Sequence[tuple[str, Equation]]) -> str:
    """``requests.row-sum (row new) and requests.column-identity (column natural_person)``."""
    parts = [f"{rule} ({eq.where})" for rule, eq in broken]
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _is(repair: Repair) -> str:
    pairs = zip(repair.cells, repair.current, strict=True)
    pairs = zip(repair.cells, repair.current, strict=True)
    return " and ".join(f"{ref} is {format_value(v)}" for ref, v in pairs)

def _would(repair: Repair) -> str:
    values = " and ".join(format_value(v) for v in repair.values)
    return f"{values} would" if len(repair.values) == 1 else f"{values} respectively would"


def suspect_finding(report: Report, suspicion: Suspicion) -> Diagnostic | None:
    """The finding for a table whose identities break: at the suspect cell, with the broken
    identities as evidence (their lines in ``lines``); None when no small repair exists."""
    if not suspicion.repairs:
        return None
    cells: dict = {c.ref: c for c in report.cells()}
    evidence = _describe(suspicion.broken)
    repairs = suspicion.repairs
    if len(repairs) == 1:
        repair = repairs[0]
        message = f"{_is(repair)}; {_would(repair)} satisfy {evidence}"
    else:
        shown = "; ".join(f"{_is(r)} → {' and '.join(map(format_value, r.values))}"
                          for r in repairs[:SHOWN])
        more = f"; and {len(repairs) - SHOWN} more" if len(repairs) > SHOWN else ""
        size = "one cell" if len(repairs[0].cells) == 1 else f"{len(repairs[0].cells)} cells"
        message = (f"{len(repairs)} different changes of {size} would each satisfy {evidence}, "
                   f"and the identities cannot tell which is right: {shown}{more}")
    refs = tuple(dict.fromkeys(ref for r in repairs for ref in r.cells))
    suspect_lines = [_line(cells.get(ref)) for ref in refs]
    evidence_lines = [_line(cells.get(eq.right[0])) for _, eq in suspicion.broken]
    line = next((n for n in suspect_lines if n), 0)
    lines = tuple(sorted({n for n in suspect_lines + evidence_lines if n} - {line}))
    return Diagnostic(severity=Severity.WARNING, code=f"{suspicion.table}.suspect-cell",
                      message=message, line=line, cells=refs, lines=lines)


def _line(cell: Cell | None) -> int:
    return cell.line if cell is not None else 0


def _checker(table: str):
    def check_identities(report: Report,
                         equations: Sequence[tuple[str, Equation]]) -> Iterator[Diagnostic]:
        mine = [(rule, eq) for rule, eq in equations if eq.table == table]
        for suspicion in find_suspects(report, mine):
            finding = suspect_finding(report, suspicion)
            if finding is not None:
                yield finding

    def check(report: Report) -> Iterator[Diagnostic]:
        # Alone (outside the validate stage): the identities of the rules gongkai has on.
        return check_identities(report, enabled_equations(report, engine=default_engine()))

    return check, check_identities


def _rule(table: str, description: str) -> Rule:
    check, check_identities = _checker(table)
    return Rule(id=f"{table}.suspect-cell", severity=Severity.WARNING, description=description,
                check=check, check_identities=check_identities)


RULES = (
    _rule("requests", "table three: the fewest cells (one, else two) whose change would satisfy "
          "every identity of the table, when some break; the value that would"),
    _rule("review_litigation", "table four: the fewest cells (one, else two) whose change would "
          "satisfy every identity of the table, when some break; the value that would"),
)


@hookimpl
def gongkai_add_rules(register):
    for rule in RULES:
        register(rule)
