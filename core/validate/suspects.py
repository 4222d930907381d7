"""The culprit of broken identities: the fewest cells whose change makes every identity hold.

When identities of a table break, the wrong number is usually one cell that every broken
identity shares; changing it back repairs them all. This module groups a table's broken
identities by the cells they share (two mistakes in unrelated rows are two groups) and finds,
for each group, the smallest sets of cells (one cell, else two) such that new values for just
those cells repair the group and keep **every** other identity of the table that has all its
values holding (a cell in an identity that holds cannot alone be wrong). The identities are the
equations of the identity rules (:class:`gongkai.validate.validator.Equation`); nothing is restated
here.

A set counts only when the values that repair it are determined (one solution), whole and not
negative (the identity tables count requests and cases). Cells the source did not write
(restored as ``inferred``) are never suspects. Nothing is changed: the findings say which cells
and which values (docs/rules.md, ``*.suspect-cell``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import combinations

import attrs

from gongkai.model import CellRef, Number, Report, Status, cell_ref
from gongkai.validate.validator import Address, Equation, _value_index, same_number

#: Sets of more cells than this are not looked for (the search grows fast, and a table with
#: three independent mistakes is better read by a person).
MAX_CELLS = 2
#: Pairs of cells tried at most per table.
MAX_PAIRS = 20_000
#: Statuses of cells that may be suspects: what the source wrote.
SUSPECT_STATUSES = (Status.OK, Status.PLACEHOLDER)


@attrs.frozen
class Repair:
    """Cells that, changed together to ``values``, make every identity of their table hold."""

    cells: tuple[CellRef, ...]
    #: What the report has in each cell (a placeholder counts as 0).
    current: tuple[Number, ...]
    #: The value each cell would need.
    values: tuple[Number, ...]


@attrs.frozen
class Suspicion:
    """Broken identities of a table that share cells, and their smallest repairs (all of the
    same size)."""

    table: str
    #: ``(rule id, equation)`` of each broken identity: the evidence.
    broken: tuple[tuple[str, Equation], ...]
    #: Every repair of the smallest size found; empty when none of MAX_CELLS cells or fewer.
    repairs: tuple[Repair, ...]


def find_suspects(report: Report, equations: Iterable[tuple[str, Equation]],
                  max_cells: int = MAX_CELLS) -> list[Suspicion]:
    """Each group of broken identities (``(rule id, equation)``) of ``report`` — broken
    identities of one table linked by shared cells — with the smallest sets of cells whose
    change would satisfy them all and keep the others holding."""
    values = _value_index(report)
    by_table: dict[str, list[tuple[str, Equation]]] = defaultdict(list)
    for rule, eq in equations:
        keys = eq._keys
        if all(values.get(a) is not None for side in keys for a in side):
            by_table[eq.table].append((rule, eq))
    statuses = {(c.table, c.row, c.column): c.status for c in report.cells()}
    found = []
    for table, checked in by_table.items():
        found.extend(_table_suspects(table, checked, values, statuses, max_cells))
    return found


def _residual(eq: Equation, values) -> Number:
    left, right = eq._keys
    return sum(values[a] for a in left) - sum(values[a] for a in right)


def _coefficients(eq: Equation) -> dict[Address, int]:
    """How much the equation's left side minus its right side grows per unit of each cell."""
    coefficient: dict[Address, int] = defaultdict(int)
    left, right = eq._keys
    for a in left:
        coefficient[a] += 1
    for a in right:
        coefficient[a] -= 1
    return coefficient


def _table_suspects(table: str, checked: list[tuple[str, Equation]], values, statuses,
                    max_cells: int) -> list[Suspicion]:
    """One Suspicion per group of broken identities that share cells: two mistakes in
    unrelated rows are two findings, each searched on its own."""
    rows = [(rule, eq, _coefficients(eq), _residual(eq, values)) for rule, eq in checked]
    broken = [r for r in rows if not same_number(r[3], 0)]
    return [_search(table, group, rows, values, statuses, max_cells)
            for group in _groups(broken)]


def _groups(broken: list) -> list[list]:
    """The broken equations in groups linked by a shared cell, in the order found."""
    group_of: dict[Address, int] = {}
    groups: list[list] = []
    for row in broken:
        cells = [a for a, c in row[2].items() if c]
        joined = sorted({group_of[a] for a in cells if a in group_of})
        if not joined:
            target = len(groups)
            groups.append([])
        else:
            target = joined[0]
            for other in joined[1:]:  # this equation links groups found apart
                groups[target].extend(groups[other])
                for r in groups[other]:
                    for a, c in r[2].items():
                        if c:
                            group_of[a] = target
                groups[other] = []
        groups[target].append(row)
        for a in cells:
            group_of[a] = target
    return [g for g in groups if g]


def _search(table: str, broken: list, rows: list, values, statuses,
            max_cells: int) -> Suspicion:
    candidates = list(dict.fromkeys(
        a for _, _, coefficient, _ in broken for a, c in coefficient.items()
        if c and statuses.get(a) in SUSPECT_STATUSES))
    member = {a: {i for i, (_, _, coefficient, _) in enumerate(broken) if coefficient.get(a)}
              for a in candidates}
    everyone = set(range(len(broken)))
    repairs: list[Repair] = []
    for size in range(1, max_cells + 1):
        if size == 1:
            sets: Iterable[tuple[Address, ...]] = (
                (a,) for a in candidates if member[a] == everyone)
        else:
            if len(candidates) * (len(candidates) - 1) // 2 > MAX_PAIRS:
                break
            sets = (s for s in combinations(candidates, size)
                    if set().union(*(member[a] for a in s)) == everyone)
        for cells in sets:
            repair = _solve(cells, rows, values)
            if repair is not None:
                repairs.append(repair)
        if repairs:
            break
    return Suspicion(table=table, broken=tuple((rule, eq) for rule, eq, _, _ in broken),
                     repairs=tuple(repairs))


def _solve(cells: Sequence[Address], rows, values) -> Repair | None:
    """The one change of ``cells`` making every equation hold, if it exists and is a count."""
    touching = [(coefficient, residual) for _, _, coefficient, residual in rows
                if any(coefficient.get(a) for a in cells)]
    # sum over cells of coefficient * change = -residual, for each equation touching them.
    system = [[Fraction(coefficient.get(a, 0)) for a in cells] + [-Fraction(residual)]
              for coefficient, residual in touching]
    change = _unique_solution(system, len(cells))
    if change is None or any(d == 0 for d in change):
        return None
    new = [values[a] + d for a, d in zip(cells, change, strict=True)]
    if any(v < 0 or v.denominator != 1 for v in map(Fraction, new)):
        return None
    return Repair(cells=tuple(cell_ref(*a) for a in cells),
                  current=tuple(values[a] for a in cells),
                  values=tuple(int(v) for v in new))


def _unique_solution(system: list[list[Fraction]], unknowns: int) -> list[Fraction] | None:
    """Gaussian elimination on the augmented rows: the solution if there is exactly one."""
    rows = [row[:] for row in system]
    pivots = []
    r = 0
    for col in range(unknowns):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            return None  # a free unknown: many solutions
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [x - factor * y for x, y in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(row[-1] != 0 for row in rows[r:]):
        return None  # inconsistent: these cells cannot repair every equation
    return [rows[i][-1] for i in range(unknowns)]
