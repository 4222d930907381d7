"""Data-quality rules: counts that are whole and not negative, tables and cells that are there.

The interpreter already reports, while reading, the tables it did not find (``table-missing``)
and the cells without a number (``cell-empty``, ``cell-unparsed``, ``cells-missing``,
``row-missing``). The completeness rules *cover* those codes: their ``[rules]`` setting grades or
silences them. They never repeat a fact a diagnostic already states (a cell it names, a table it
says is absent), and they report the same facts for reports that did not come through the
interpreter (built by a reader plugin or by hand).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.plugin import (
    Cell,
    Diagnostic,
    Report,
    Rule,
    Severity,
    Status,
    hookimpl,
    load_codes,
)

TABLE_CODES = ("table-missing", "layout-missing")
CELL_CODES = ("cell-empty", "cell-unparsed", "cells-missing", "row-missing")
#: What the interpreter says of a table it had to read where the text was unclear.
READING_CODES = ("label-fuzzy", "columns-reordered", "header-unsettled", "cells-ambiguous",
                 "values-extra", "value-stray", "row-unknown", "row-duplicate")
NO_NUMBER = (Status.EMPTY, Status.UNPARSED, Status.MISSING)


def _finding(severity: Severity, rule: str, message: str, cells: list[Cell]) -> Diagnostic:
    lines = sorted({c.line for c in cells if c.line})
    return Diagnostic(severity=severity, code=rule, message=message,
                      line=lines[0] if lines else 0, lines=tuple(lines[1:]),
                      cells=tuple(c.ref for c in cells))


# -- counts --------------------------------------------------------------------------------------


def counts_rule(table: str, description: str) -> Rule:
    """Counts in ``table`` are whole and not below 0; a change (``本年增/减``) is whole and may
    be negative; an amount of money may have decimals but is not below 0."""
    rule_id = f"{table}.counts"
    kinds = {c.code: c.kind for c in load_codes().table(table).columns}

    def check(report: Report) -> Iterator[Diagnostic]:
        t = report.get_table(table)
        for cell in t.cells if t is not None else ():
            value = cell.value
            # Most cells hold a whole number not below 0: nothing to check, nothing looked up.
            if value is None or (type(value) is int and value >= 0):
                continue
            if (kind := kinds.get(cell.column)) is None:
                continue
            whole = kind in ("count", "change") and cell.value != int(cell.value)
            negative = cell.value < 0 and kind != "change"
            if whole or negative:
                what = ("a count must be a whole number" if whole else
                        "a count cannot be negative" if kind == "count" else
                        "an amount cannot be negative")
                yield _finding(Severity.ERROR, rule_id,
                               f"{cell.ref} is {cell.raw.strip() or cell.value}: {what}", [cell])

    return Rule(id=rule_id, severity=Severity.ERROR, description=description, check=check)


# -- completeness --------------------------------------------------------------------------------


def _stated_tables(report: Report) -> set[str]:
    """Tables a conversion diagnostic already says are absent. Those name the table as
    ``'code'`` in their message and carry no cells, so the message is all there is to match."""
    named = set()
    for d in report.diagnostics:
        if d.code in TABLE_CODES:
            named.update(re.findall(r"'([a-z_]+)'", d.message))
    return named


def stated_by_the_interpreter(report: Report) -> Iterator[Diagnostic]:
    """Nothing of its own: what a table's reading leaves unclear only the interpreter, which
    read the text, can say (READING_CODES); the rule is what grades it."""
    return iter(())


def tables_missing(report: Report) -> Iterator[Diagnostic]:
    present = {t.code for t in report.tables}
    stated = _stated_tables(report)
    for table in load_codes().tables:
        if table.code not in present and table.code not in stated:
            yield Diagnostic(severity=Severity.WARNING, code="tables.missing",
                             message=f"table {table.code!r} ({table.zh}) is not in the report")


def cells_missing(report: Report) -> Iterator[Diagnostic]:
    # A cell a diagnostic already speaks about (cell-empty, cells-ambiguous...) is not repeated.
    stated = {ref for d in report.diagnostics for ref in d.cells}
    for table in report.tables:
        by_row: dict[str, list[Cell]] = {}
        for cell in table.cells:
            # (a cell with a value has a number: its status is not looked at)
            if cell.value is None and cell.status in NO_NUMBER and cell.ref not in stated:
                by_row.setdefault(cell.row, []).append(cell)
        for row, cells in by_row.items():
            of = sum(1 for c in table.cells if c.row == row)
            listed = ", ".join(f"{c.column} ({c.status.value}"
                               + (f": {c.raw.strip()!r})" if c.status is Status.UNPARSED else ")")
                               for c in cells)
            yield _finding(Severity.WARNING, "cells.missing",
                           f"{table.code}/{row}: {len(cells)} of {of} cells have no number: "
                           f"{listed}", cells)


RULES = (
    counts_rule("proactive", "table two: counts are whole and not negative, except the change "
                "column (本年增/减), which may be negative; amounts are not negative"),
    counts_rule("requests", "table three: counts are whole and not negative"),
    counts_rule("review_litigation", "table four: counts are whole and not negative"),
    Rule(id="tables.missing", severity=Severity.WARNING,
         description="each of the three statistical tables is in the report",
         check=tables_missing, covers=("table-missing",)),
    Rule(id="tables.reading", severity=Severity.WARNING,
         description="how a table was read where its text was unclear: a label read as the "
                     "one it nearly spells, columns in a header's own order, cells nobody can "
                     "tell apart, numbers left out (the interpreter states these; this rule "
                     "grades them)",
         check=stated_by_the_interpreter, covers=READING_CODES),
    Rule(id="cells.missing", severity=Severity.WARNING,
         description="every cell of a table's template has a number (empty, missing and "
                     "unparsed cells are reported, unless an identity restores them)",
         check=cells_missing, covers=CELL_CODES),
)


@hookimpl
def gongkai_add_rules(register):
    for rule in RULES:
        register(rule)
