"""Which column each value of a short row stands in, decided by the table's identities.

A flattening can lose a row's empty cells (a page's text, bare cells, a converter that drops
blanks) or move its span padding: the row then has fewer values than the template gives it
columns, and their order alone does not say whose they are. The template fixes every row's
width; the 勾稽 identities (the rules' equations, ``gongkai.validate.validator.Equation``) fix the
rest.

Every such *open* row has candidate placements: its values, in order, in some of its columns,
the other cells empty. The table's placements are searched jointly — rows constrain columns —
with the equations as constraints (an empty cell counts as 0 there, which is what a blank cell
of these tables means), pruned by interval bounds so a search stays small, and bounded in the
work it may do. A row is placed when every solution found places it the same way; otherwise it
is ambiguous, and the caller leaves its cells empty and lists the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from math import comb, isclose

import attrs

Address = tuple[str, str]  # (row, column)
Number = int | float

#: At most this many search steps per table: past it, every open row is ambiguous.
MAX_STEPS = 60_000
#: A row with more placements than this is not searched (ambiguous at once).
MAX_CANDIDATES = 7_000


@attrs.frozen
class OpenRow:
    code: str
    columns: tuple[str, ...]
    values: tuple[Number | None, ...]
    #: The placement the source's own order suggests (the cells it had, in its columns), or None.
    preferred: tuple[int, ...] | None = None
    #: How many cells the source's row had, blanks included: in the preferred placement the
    #: columns past them are missing (no value), not blank.
    slots: int = 0
    #: The source's order when it is no evidence: taken only when no placement satisfies the
    #: identities (the source breaks them itself, and validation says so).
    fallback: tuple[int, ...] | None = None
    #: A row whose numbers are written together (``gongkai.parse.together``): its candidates are
    #: these whole value vectors (one per split of its digits), not placements of ``values``.
    #: Its outcome's "placement" is ``(i,)``, the index of the first split giving the vector.
    vectors: tuple[tuple[Number, ...], ...] = ()


#: In a row's outcome: the column is blank (no value of the row stands there).
BLANK = -1


@attrs.frozen
class Outcome:
    #: Rows placed: row code -> the column index of each of its values.
    placed: dict[str, tuple[int, ...]]
    #: Rows not placed whole: row code -> the placements still possible (may be empty).
    ambiguous: dict[str, tuple[tuple[int, ...], ...]]
    #: Whether the identities chose (False: every open row took its preferred placement).
    by_identities: bool
    #: For rows not placed whole, what is settled cell by cell: row code -> per column, the
    #: index of the value that stands there, BLANK, or None where the solutions disagree
    #: (a row of 0, 33, 33 whose 33s are settled while its 0 could be in several columns).
    cells: dict[str, tuple[int | None, ...]] = attrs.field(factory=dict)
    #: For the same rows, the number every solution gives each column (a blank is 0), None
    #: where they differ: a cell whose number is settled though not which value stands there
    #: (a row of zeros, some of them blank, is 0 in every column).
    numbers: dict[str, tuple[Number | None, ...]] = attrs.field(factory=dict)


def placements(width: int, count: int) -> list[tuple[int, ...]]:
    """Every way to put ``count`` values, in order, into ``width`` columns."""
    if count > width or comb(width, count) > MAX_CANDIDATES:
        return []
    return list(combinations(range(width), count))


def place(rows: Sequence[OpenRow], known: Mapping[Address, Number | None],
          equations: Sequence[tuple[tuple[Address, ...], tuple[Address, ...]]]) -> Outcome:
    """Place the open rows; ``known`` holds the other cells (None: no value, 0 in equations
    when the cell exists but is blank is the caller's choice)."""
    if not rows:
        return Outcome({}, {}, False)
    # The source's own order first: when it satisfies every identity, nothing is moved.
    preferred = {r.code: r.preferred for r in rows}
    if all(p is not None for p in preferred.values()) and _consistent(rows, known, equations):
        return Outcome(dict(preferred), {}, False)  # type: ignore[arg-type]
    search = _Search(rows, known, equations)
    support = search.run()
    placed: dict[str, tuple[int, ...]] = {}
    ambiguous: dict[str, tuple[tuple[int, ...], ...]] = {}
    cells: dict[str, tuple[int | None, ...]] = {}
    numbers: dict[str, tuple[Number | None, ...]] = {}
    for row in rows:
        seen = tuple(sorted({p for v in support.get(row.code, ())
                             for p in search.vectors[row.code][v]}))
        distinct = len(support.get(row.code, ())) if row.vectors else len(seen)
        if search.exhausted and distinct == 1:
            placed[row.code] = seen[0]
        elif row.preferred is not None and (not seen or row.preferred in seen):
            # The source's order where it is evidence: one of the placements that hold, or
            # none holds (the source breaks the identities itself: validation reports it).
            placed[row.code] = row.preferred
        elif not seen and row.fallback is not None:
            placed[row.code] = row.fallback
        else:
            ambiguous[row.code] = seen
            if search.exhausted and seen:
                cells[row.code] = ((None,) * len(row.columns) if row.vectors
                                   else _settled(len(row.columns), seen))
                vectors = support[row.code]
                numbers[row.code] = tuple(
                    found.pop() if len(found := {v[k] for v in vectors}) == 1 else None
                    for k in range(len(row.columns)))
    return Outcome(placed, ambiguous, True, cells, numbers)


def _settled(width: int, options: Sequence[tuple[int, ...]]) -> tuple[int | None, ...]:
    """Per column, what every placement puts there (a value's index or BLANK), else None."""
    out: list[int | None] = []
    for column in range(width):
        found = {p.index(column) if column in p else BLANK for p in options}
        out.append(found.pop() if len(found) == 1 else None)
    return tuple(out)


def _values(row: OpenRow, placement: tuple[int, ...],
            slots: int | None = None) -> dict[Address, Number | None]:
    """The row's cells for a placement: blank cells are 0, cells past ``slots`` unknown."""
    width = len(row.columns) if slots is None else slots
    cells: dict[Address, Number | None] = {
        (row.code, c): 0 if k < width else None for k, c in enumerate(row.columns)}
    for value, at in zip(row.values, placement, strict=True):
        cells[(row.code, row.columns[at])] = value
    return cells


def _consistent(rows, known, equations) -> bool:
    """Whether every row's preferred placement satisfies every identity it can be checked by."""
    cells = dict(known)
    for row in rows:
        cells.update(_values(row, row.preferred, row.slots))
    for left, right in equations:
        a = [cells.get(x) for x in left]
        b = [cells.get(x) for x in right]
        if None in a or None in b:
            continue
        if not equal(sum(a), sum(b)):
            return False
    return True


def equal(a: Number, b: Number) -> bool:
    """Two sums of a table's numbers are the same (money has decimals)."""
    return a == b or isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


class _Search:
    """Backtracking over the open rows' distinct value vectors (placements that give the same
    numbers are one: a row of zeros is one candidate however its zeros are placed), after
    pruning each row's vectors by interval bounds until nothing changes."""

    def __init__(self, rows, known, equations):
        self.rows = list(rows)
        self.known = known
        self.vectors: dict[str, dict[tuple, list[tuple[int, ...]]]] = {}
        for r in self.rows:
            grouped: dict[tuple, list[tuple[int, ...]]] = {}
            if r.vectors:
                for i, vector in enumerate(r.vectors):
                    grouped.setdefault(tuple(vector), []).append((i,))
                self.vectors[r.code] = grouped
                continue
            for p in placements(len(r.columns), len(r.values)):
                cells = _values(r, p)
                grouped.setdefault(tuple(cells[(r.code, c)] for c in r.columns), []).append(p)
            self.vectors[r.code] = grouped
        open_codes = {r.code for r in self.rows}
        self.columns = {r.code: r.columns for r in self.rows}
        # Each equation with the open rows it touches; equations touching none are the
        # source's own business (validation reports them).
        self.equations = []
        for left, right in equations:
            touched = {row for row, _ in left + right if row in open_codes}
            if touched:
                self.equations.append((left, right, touched))
        #: The equations each open row takes part in (checked when it gets a vector), each side
        #: as the sum of its cells that are not open (None: one has no value, the equation says
        #: nothing) and the open cells, looked up as the search goes.
        sides = [(self._side(left, open_codes), self._side(right, open_codes))
                 for left, right, _ in self.equations]
        self.by_row = {code: [pair for pair, (_, _, touched) in zip(sides, self.equations,
                                                                    strict=True)
                              if code in touched and None not in (pair[0][0], pair[1][0])]
                       for code in open_codes}
        self.steps = 0
        self.exhausted = True

    def run(self) -> dict[str, set[tuple]]:
        """Each row's vectors that are part of some solution (its *support*)."""
        support: dict[str, set[tuple]] = {r.code: set() for r in self.rows}
        if any(not v for v in self.vectors.values()):
            self.exhausted = False
            return support
        self._bound()
        if not self._prune():
            return support  # no placement satisfies the identities
        self.rows.sort(key=lambda r: len(self.vectors[r.code]))
        # A vector is supported when one solution holds it: look for a solution with each
        # vector not yet seen in one (every solution found supports all of its vectors).
        for row in list(self.rows):
            for vector in list(self.vectors[row.code]):
                if vector in support[row.code]:
                    continue
                found = self._one({row.code: vector})
                if found is None:
                    return support  # out of steps: exhausted is False
                for code, v in found.items():
                    support[code].add(v)
        return support

    def _one(self, fixed: dict[str, tuple]) -> dict[str, tuple] | None:
        """A solution with the rows in ``fixed`` as given, {} when there is none, None when
        the steps ran out."""
        saved = {code: self.vectors[code] for code in fixed}
        for code, vector in fixed.items():
            self.vectors[code] = {vector: saved[code][vector]}
        try:
            self.found: dict[str, tuple] | None = None
            if not self._extend(0, {}, {}) and self.found is None:
                return None
            return self.found or {}
        finally:
            self.vectors.update(saved)

    def _bound(self) -> None:
        self.bounds: dict[Address, tuple[Number, Number]] = {}
        for r in self.rows:
            for k, c in enumerate(r.columns):
                values = [v[k] or 0 for v in self.vectors[r.code]]
                self.bounds[(r.code, c)] = (min(values), max(values))

    def _prune(self) -> bool:
        """Drop the vectors no assignment of the other rows can complete; False if a row is
        left with none."""
        for _ in range(len(self.rows) * 4 + 4):  # each round removes something, or stops
            changed = False
            for r in self.rows:
                keep = {}
                for vector, where in self.vectors[r.code].items():
                    self.steps += 1
                    cells = {(r.code, c): v for c, v in zip(r.columns, vector, strict=True)}
                    if self._feasible(r.code, cells):
                        keep[vector] = where
                if len(keep) != len(self.vectors[r.code]):
                    if not keep:
                        return False
                    self.vectors[r.code] = keep
                    changed = True
                    self._bound()
            if not changed or self.steps > MAX_STEPS:
                break
        return True

    def _extend(self, depth: int, chosen: dict, cells: dict) -> bool:
        """False when the search must stop (a solution found, or out of steps)."""
        if depth == len(self.rows):
            self.found = dict(chosen)
            return False
        row = self.rows[depth]
        for vector in self.vectors[row.code]:
            self.steps += 1
            if self.steps > MAX_STEPS:
                self.exhausted = False
                return False
            values = {(row.code, c): v for c, v in zip(row.columns, vector, strict=True)}
            cells.update(values)
            if self._feasible(row.code, cells) and self._ahead(depth, cells):
                chosen[row.code] = vector
                if not self._extend(depth + 1, chosen, cells):
                    return False
                del chosen[row.code]
            for address in values:
                del cells[address]
        return True

    def _ahead(self, depth: int, cells: dict) -> bool:
        """Forward check: every row still to place keeps a vector that fits what is placed."""
        for row in self.rows[depth + 1:]:
            for vector in self.vectors[row.code]:
                self.steps += 1
                values = {(row.code, c): v for c, v in zip(row.columns, vector, strict=True)}
                cells.update(values)
                fits = self._feasible(row.code, cells)
                for address in values:
                    del cells[address]
                if fits:
                    break
            else:
                return False
        return True

    def _side(self, side, open_codes) -> tuple[Number | None, tuple[Address, ...]]:
        fixed: Number = 0
        for address in side:
            if address[0] in open_codes:
                continue
            value = self.known.get(address)
            if value is None:
                return None, ()
            fixed += value
        return fixed, tuple(a for a in side if a[0] in open_codes)

    def _feasible(self, code: str, cells: dict) -> bool:
        for left, right in self.by_row[code]:
            lo_l, hi_l = self._range(left, cells)
            lo_r, hi_r = self._range(right, cells)
            if lo_l - hi_r > 1e-6 or lo_r - hi_l > 1e-6:
                return False
        return True

    def _range(self, side, cells):
        lo = hi = side[0]
        bounds = self.bounds
        for address in side[1]:
            v = cells.get(address)
            if v is not None:
                lo += v
                hi += v
            else:
                low, high = bounds[address]
                lo += low
                hi += high
        return lo, hi
