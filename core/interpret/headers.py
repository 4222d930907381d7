"""The order a table's header gives its columns, checked against the table's identities.

A report may print a table's columns in another order than the template's (``现行有效件数``
before ``本年制发件数``; ``社会公益组织`` before ``科研机构``): read in the template's order, every
value would land in a wrong column and nothing would say so. The header says the order, but a
flattening garbles a header of two levels: a cell spanning both rows (``自然人``, ``总计``) may
land on either line, before or after the group heading (``法人或其他组织``) and its columns. So:

* a header of one level (no group heading) is read as written;
* under a group heading, the group's own columns (one row of cells, never spanned) stand in the
  header's order, and the others in the template's;
* the other orders the header could mean — as written, the group's columns moved to where its
  heading stood (a two-row header flattened row by row), the template's — are alternatives;
* once the rows are read, the identities decide (``choose``): the first reading stands unless
  they contradict it and exactly one alternative satisfies them; when several do, which value
  is whose cannot be told.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from gongkai.interpret.placement import Address, Number, equal

Order = tuple[str, ...]
Equations = Sequence[tuple[tuple[Address, ...], tuple[Address, ...]]]


def readings(headers: Order, group_at: Sequence[tuple[str, int]],
             members: Mapping[str, frozenset[str]],
             columns: Sequence[str]) -> tuple[Order, tuple[Order, ...]]:
    """(the reading to read the rows with, the alternatives the identities may prefer).

    ``headers``: the columns the header names, in the order written; ``group_at``: each group
    heading seen, with the number of headers before it; ``members``: each group's columns;
    ``columns``: the row's columns in the template's order.
    """
    named = set(headers)
    template = tuple(c for c in columns if c in named)
    if not group_at:
        return headers, (template,) if template != headers else ()
    grouped = frozenset().union(*(members[g] for g, _ in group_at))
    in_header = iter([h for h in headers if h in grouped])
    base = tuple(next(in_header) if c in grouped else c for c in template)
    moved = list(headers)
    for group, at in sorted(group_at, key=lambda g: -g[1]):
        inside = [h for h in moved if h in members[group]]
        before = sum(1 for h in moved[:at] if h not in members[group])
        moved = [h for h in moved if h not in members[group]]
        moved[before:before] = inside
    if base == template and template in (headers, tuple(moved)):
        return base, ()  # a reading of the header's shape is the template's order: settled
    alternatives: list[Order] = []
    for order in (headers, tuple(moved), template):
        if order != base and order not in alternatives:
            alternatives.append(order)
    return base, tuple(alternatives)


def violations(order: Order, base: Order, rows: Sequence[str],
               value: Callable[[Address], Number | None],
               equations: Equations) -> tuple[int, int]:
    """(identities checked, identities failed) were the values read under ``base`` in
    ``rows`` standing in the columns ``order`` gives instead; ``value`` gives a cell's number
    as read (None when unknown)."""
    moved = {} if order == base else {
        (row, new): (row, old) for row in rows for old, new in zip(base, order, strict=True)}
    checked = failed = 0
    for left, right in equations:
        sums = []
        for side in (left, right):
            total: Number = 0
            for address in side:
                v = value(moved.get(address, address))
                if v is None:
                    break
                total += v
            else:
                sums.append(total)
                continue
            break
        if len(sums) < 2:
            continue
        checked += 1
        if not equal(sums[0], sums[1]):
            failed += 1
    return checked, failed


def choose(base: Order, alternatives: Sequence[Order], rows: Sequence[str],
           value: Callable[[Address], Number | None], equations: Equations) -> Order | None:
    """The order the rows' values stand in: ``base`` unless the identities fail under it and
    hold under exactly one alternative; None when they hold under several."""
    if not alternatives:
        return base
    touched = set(rows)
    mine = [e for e in _across_columns(equations)
            if any(a[0] in touched for side in e for a in side)]
    if violations(base, base, rows, value, mine)[1] == 0:
        return base
    passing = []
    for order in alternatives:
        checked, failed = violations(order, base, rows, value, mine)
        if checked and not failed:
            passing.append(order)
    if len(passing) > 1:
        return None
    return passing[0] if passing else base


_ACROSS: dict[int, tuple[Equations, list]] = {}


def _across_columns(equations: Equations) -> list:
    """The identities that tell columns apart: those over more than one column (a row's
    applicants add up to its 总计). An identity down one column holds for every column alike,
    so it says nothing of their order. Kept per list of identities (one a layout)."""
    hit = _ACROSS.get(id(equations))
    if hit is not None and hit[0] is equations:
        return hit[1]
    found = [e for e in equations if len({a[1] for side in e for a in side}) > 1]
    if len(_ACROSS) >= 64:
        _ACROSS.clear()
    _ACROSS[id(equations)] = (equations, found)
    return found
