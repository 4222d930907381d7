"""Tables whose flattening lost the cell separators, given their "|" back before parsing.

Text copied or crawled from a page may hold a table as bare cells, one per line (``规章`` /
``0`` / ``0`` / ``6``), with blank lines between them or a line of only ``|`` after every cell.
The grammar reads tables by their bars, so such a table would be prose (and a row label such
as ``一、本年新收政府信息公开申请数量`` a section heading). The rules for finding these tables are
written in ``grammars/report.lark`` ("Tables whose flattening lost the separators"); this module
applies them, with the grammar's own ``BARE_VALUE``, ``BARE_LABEL`` and ``HEADING`` terminals
and the layout vocabulary of the three tables:

* a region starts at a bare line the vocabulary knows (a row or column label, or a marker);
* it goes on over bare values and labels, blank lines and lines of bars only, and over a
  heading-shaped line only when the vocabulary knows it;
* it ends at prose, at an unknown heading, or at a line that already has cells;
* a region holding at least two values is a table: every bare cell gets its ``|``, and a line
  of bars only right after a bare cell is that cell's own bar (it is blanked, so that it is not
  read as an empty cell).

Only characters are added or blanked: line *n* stays line *n*, so every cell's raw text and
source line are found as before.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from gongkai.parse.grammar import line_terminals

#: A region needs this many values to be a table (a short list in prose is not one).
MIN_VALUES = 2

# Line kinds.
_BLANK, _BARS, _CELLS, _VALUE, _LABEL, _HEADING, _PROSE = range(7)


def tabulate(text: str, knows: Callable[[str], bool]) -> str:
    """``text`` with the bars of its bare-cell tables restored; ``knows(label)`` tells whether
    the layout vocabulary names the label (a row, a column or a marker of any table)."""
    if "\n" not in text:
        return text
    terminals = line_terminals()
    value, label, heading = (terminals[n].fullmatch for n in ("BARE_VALUE", "BARE_LABEL",
                                                             "HEADING"))
    lines = text.split("\n")
    bare = (1 for line in lines if "|" not in line and value(line.strip()))
    if next(islice(bare, MIN_VALUES - 1, None), 0) == 0:
        return text  # no table of values without their bars: the usual pipe text, as it is
    kinds = [_kind(line, value, label, heading) for line in lines]
    changed = False
    i, n = 0, len(lines)
    while i < n:
        if not (kinds[i] in (_LABEL, _HEADING) and knows(lines[i].strip())):
            i += 1
            continue
        j = i
        while j < n and (kinds[j] in (_BLANK, _BARS, _VALUE, _LABEL)
                         or (kinds[j] == _HEADING and knows(lines[j].strip()))):
            j += 1
        if sum(1 for k in kinds[i:j] if k == _VALUE) >= MIN_VALUES:
            _restore(lines, kinds, i, j)
            changed = True
        i = max(j, i + 1)
    return "\n".join(lines) if changed else text


def _kind(line: str, value, label, heading) -> int:
    core = line.strip()
    if not core:
        return _BLANK
    if "|" in core:
        return _BARS if not core.replace("|", "").strip() else _CELLS
    if value(core):
        return _VALUE
    if heading(core):
        return _HEADING
    return _LABEL if label(core) else _PROSE


def _restore(lines: list[str], kinds: list[int], start: int, end: int) -> None:
    after_cell = False
    for k in range(start, end):
        kind = kinds[k]
        if kind in (_VALUE, _LABEL, _HEADING):
            lines[k] = lines[k].rstrip() + " |"
            after_cell = True
        elif kind == _BARS:
            if after_cell and lines[k].strip() == "|":
                lines[k] = ""  # the bar of the cell before it
            after_cell = False
