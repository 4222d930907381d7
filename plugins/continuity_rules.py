"""Year-to-year continuity: what an agency carries forward one year it carries over the next.

``requests.continuity`` groups the reports of a run by agency and year
(:func:`gongkai.validate.corpus.series`) and, for each two consecutive years of one agency, compares
table three's 四、结转下年度继续办理 (``carried_forward``) of the first with 二、上年结转
(``carried_over``) of the second, column by column. A placeholder counts as 0; a cell without a
value is not compared. One finding per pair of reports, at the later report's line, naming
both files and lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise

from gongkai.plugin import (
    Cell,
    CorpusFinding,
    CorpusRule,
    Number,
    Place,
    Report,
    Severity,
    Status,
    format_value,
    hookimpl,
    same_number,
    series,
    where,
)

RULE_ID = "requests.continuity"
TABLE = "requests"


def _value(cell: Cell | None) -> Number | None:
    if cell is None:
        return None
    if cell.value is not None:
        return cell.value
    return 0 if cell.status is Status.PLACEHOLDER else None


def continuity(reports: Sequence[Report]) -> Iterator[CorpusFinding]:
    for agency in series(reports).series:
        for year, next_year in pairwise(sorted(agency.years)):
            if next_year == year + 1:
                finding = compare(agency.agency, agency.years[year], agency.years[next_year])
                if finding is not None:
                    yield finding


def compare(agency: str, earlier: Report, later: Report) -> CorpusFinding | None:
    """The finding when ``later``'s carried_over differs from ``earlier``'s carried_forward."""
    before, after = earlier.table(TABLE), later.table(TABLE)
    if before is None or after is None:
        return None
    differ: list[tuple[Cell, Cell]] = []
    for over in (c for c in after.cells if c.row == "carried_over"):
        forward = before.cell("carried_forward", over.column)
        a, b = _value(forward), _value(over)
        if a is not None and b is not None and not same_number(a, b):
            differ.append((forward, over))
    if not differ:
        return None
    y0, y1 = earlier.metadata.year, later.metadata.year
    first_forward, first_over = differ[0]
    columns = "; ".join(f"{over.column}: {format_value(_value(over))} here, "
                        f"{format_value(_value(forward))} there" for forward, over in differ)
    message = (f"{agency}: {y1}'s carried_over is not {y0}'s carried_forward "
               f"({where(earlier)}:{first_forward.line}) in {len(differ)} column"
               f"{'s' * (len(differ) != 1)}: {columns}")
    return CorpusFinding(
        severity=Severity.WARNING, code=RULE_ID, message=message, agency=agency,
        places=(Place(where(later), first_over.line, tuple(o.ref for _, o in differ)),
                Place(where(earlier), first_forward.line, tuple(f.ref for f, _ in differ))))


RULES = (
    CorpusRule(
        id=RULE_ID, severity=Severity.WARNING,
        description="across reports: each year's table three carried_forward (结转下年度继续办理) "
        "is the next year's carried_over (上年结转) of the same agency, column by column",
        check=continuity),
)


@hookimpl
def gongkai_add_corpus_rules(register):
    for rule in RULES:
        register(rule)
