"""The 勾稽关系: identities the numbers of tables three and four must satisfy.

Each rule states its identity as equations between cells (``gongkai.validate.validator.Equation``),
one per column or row it applies to; the validate stage checks them and uses them to restore cells
the source left empty when an identity determines them. An equation is made only when the
table has every cell it names, so the 2019 single (六) row and the 2021 three (六) rows are both
served by what the table actually has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from gongkai.plugin import (
    Equation,
    Report,
    Severity,
    cell_ref,
    hookimpl,
    identity_rule,
)

REQUESTS = "requests"
REVIEW = "review_litigation"
#: Outcome rows of table three, by code prefix; (六) is ``other`` or ``other.*``.
OUTCOME_PREFIXES = ("withheld.", "unable.", "not_handled.", "other.")
OUTCOME_ROWS = ("granted", "partly_granted", "other")


class _Grid:
    """A table's rows, columns and cells present, for making equations (looked up once)."""

    def __init__(self, code: str, addresses: tuple[tuple[str, str], ...]):
        self.code = code
        self.rows = list(dict.fromkeys(row for row, _ in addresses))
        self.columns = list(dict.fromkeys(column for _, column in addresses))
        self.present = set(addresses)
        #: Equations made for this shape, by rule (see ``_memo``).
        self.equations: dict[str, tuple[Equation, ...]] = {}


#: Grids by table code, layout and size, each with the rows and columns of the cells it was
#: made from: a report's table has the grid when its cells have the same rows and columns in
#: the same order (two lists compared in C, cheaper than building its addresses). Bounded.
_grids: dict[tuple[str, str, int], tuple[list[str], list[str], _Grid]] = {}
#: The last table of each code and its grid (a table is immutable: known by identity).
_last_grid: dict[str, tuple[object, _Grid]] = {}


def _grid(report: Report, code: str) -> _Grid | None:
    # A corpus repeats a few table shapes: one grid per shape, whose equations are made once.
    table = report.get_table(code)
    if table is None:
        return None
    last = _last_grid.get(code)
    if last is not None and last[0] is table:  # every rule asks for the same table in turn
        return last[1]
    # (comprehensions: half the instructions of map with an attrgetter on these cells)
    rows = [c.row for c in table.cells]
    columns = [c.column for c in table.cells]
    key = (code, table.layout, len(rows))
    found = _grids.get(key)
    if found is not None and found[0] == rows and found[1] == columns:
        grid = found[2]
    else:
        grid = _Grid(code, table.addresses())
        if len(_grids) >= 256:
            _grids.clear()
        _grids[key] = (rows, columns, grid)
    _last_grid[code] = (table, grid)
    return grid


def _memo(report: Report, code: str,
          make: Callable[[_Grid], Iterator[Equation]]) -> tuple[Equation, ...]:
    """The equations ``make`` gives for the report's table ``code``, made once per shape: they
    depend only on which cells the table has (equations are immutable, so shared)."""
    table = _grid(report, code)
    if table is None:
        return ()
    key = make.__qualname__
    if key not in table.equations:
        table.equations[key] = tuple(make(table))
    return table.equations[key]


def _equation(table: _Grid, left: list[tuple[str, str]], right: list[tuple[str, str]],
              where: str, formula: str = "") -> Equation | None:
    """The equation over (row, column) pairs, or None when the table lacks one of the cells."""
    if any(pair not in table.present for pair in left + right):
        return None
    refs = [cell_ref(table.code, r, c) for r, c in left + right]
    return Equation(table=table.code, left=tuple(refs[:len(left)]),
                    right=tuple(refs[len(left):]), where=where, formula=formula)


def column_identity(report: Report) -> tuple[Equation, ...]:
    """Every column: new + carried_over = total + carried_forward (printed in the header)."""
    return _memo(report, REQUESTS, _column_identity)


def _column_identity(table: _Grid) -> Iterator[Equation]:
    for column in table.columns:
        eq = _equation(table, [("new", column), ("carried_over", column)],
                       [("total", column), ("carried_forward", column)], f"column {column}")
        if eq is not None:
            yield eq


def outcome_rows(table: _Grid) -> list[str]:
    return [r for r in table.rows if r in OUTCOME_ROWS or r.startswith(OUTCOME_PREFIXES)]


def column_sum(report: Report) -> tuple[Equation, ...]:
    """Every column: the outcome rows (三、(一) to (六)) add up to (七)总计."""
    return _memo(report, REQUESTS, _column_sum)


def _column_sum(table: _Grid) -> Iterator[Equation]:
    rows = outcome_rows(table)
    if not rows:
        return
    other = "other" if "other" in rows else "other.*"
    formula = ("granted + partly_granted + withheld.* + unable.* + not_handled.* + "
               f"{other} = total")
    for column in table.columns:
        eq = _equation(table, [(r, column) for r in rows], [("total", column)],
                       f"column {column}", formula)
        if eq is not None:
            yield eq


def _row_sums(table: _Grid, parts_of: str) -> Iterator[Equation]:
    code = table.code
    parts = [c for c in table.columns if c != "total"]
    if code == REQUESTS:
        parts = [c for c in parts if c == "natural_person" or c.startswith("legal_person.")]
    for row in table.rows:
        eq = _equation(table, [(row, c) for c in parts], [(row, "total")], f"row {row}",
                       f"{parts_of} = total")
        if eq is not None:
            yield eq


def requests_row_sum(report: Report) -> tuple[Equation, ...]:
    """Every row: natural_person + the five legal_person.* columns = total."""
    return _memo(report, REQUESTS, _requests_row_sum)


def _requests_row_sum(table: _Grid) -> Iterator[Equation]:
    return _row_sums(table, "natural_person + legal_person.*")


def review_row_sum(report: Report) -> tuple[Equation, ...]:
    """Every row: upheld + corrected + other + pending = total."""
    return _memo(report, REVIEW, _review_row_sum)


def _review_row_sum(table: _Grid) -> Iterator[Equation]:
    return _row_sums(table, "upheld + corrected + other + pending")


RULES = (
    identity_rule(
        "requests.column-identity", Severity.ERROR,
        "table three, every column: new + carried_over = total + carried_forward",
        column_identity),
    identity_rule(
        "requests.column-sum", Severity.ERROR,
        "table three, every column: total = granted + partly_granted + withheld.* + unable.* "
        "+ not_handled.* + other (2019: one (六) row; 2021: the three other.* rows)",
        column_sum),
    identity_rule(
        "requests.row-sum", Severity.ERROR,
        "table three, every row: natural_person + the five legal_person.* columns = total",
        requests_row_sum),
    identity_rule(
        "review_litigation.row-sum", Severity.ERROR,
        "table four, every row: upheld + corrected + other + pending = total",
        review_row_sum),
)


@hookimpl
def gongkai_add_rules(register):
    for rule in RULES:
        register(rule)
