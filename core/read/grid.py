"""A table of merged cells written as pipe text, for the readers of PDF and Word files.

Those readers know each cell's grid position and its spans (a PDF's ruling lines, a Word
table's ``gridSpan``/``vMerge``). They write the table the way the HTML reader writes a
``<table>`` with ``rowspan``/``colspan``, so the interpreter sees one shape whatever the file:
a spanned cell is written once, where it starts; a position covered from the row above
*between* a row's cells is an empty cell, so the values after it keep their columns; each line
is padded with bare ``|`` to the grid's width.
"""

from __future__ import annotations

import re

import attrs

from gongkai.read.pipetext import PipeTextBuilder, protect


@attrs.define
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    #: Where the cell is in the input (the reader's locator).
    origin: int = 0


def grid_lines(cells: list[GridCell]) -> list[tuple[str, int]]:
    """The table's pipe-text lines, one per grid row that has a cell starting in it, each
    with its origin (the smallest origin of its cells)."""
    if not cells:
        return []
    starts: dict[int, list[GridCell]] = {}
    covered: set[tuple[int, int]] = set()
    for cell in cells:
        starts.setdefault(cell.row, []).append(cell)
        for r in range(cell.row + 1, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                covered.add((r, c))
    rows = []
    for r in sorted(starts):
        row = sorted(starts[r], key=lambda cell: cell.col)
        texts: list[str] = []
        c = 0
        for cell in row:
            while c < cell.col:
                # Merged from above between cells, or a position no cell covers: an empty cell
                # keeps the later values' columns. Merged from above before the first: nothing.
                if texts or (r, c) not in covered:
                    texts.append("")
                c += 1
            texts.append(cell.text)
            c = cell.col + cell.colspan
        while (r, c) in covered:
            c += 1
        origin = min((cell.origin for cell in row if cell.origin), default=0)
        rows.append((texts, c, origin))
    width = max(positions for _, positions, _ in rows)
    return [(" | ".join(protect(t) for t in texts) + " |" + "|" * max(0, width - len(texts)),
             origin) for texts, _, origin in rows]


def add_table(out: PipeTextBuilder, cells: list[GridCell]) -> None:
    for text, origin in grid_lines(cells):
        out.add(text, origin)


_SPACE = re.compile(r"[\s\u00a0\u3000]+")


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80  # CJK, full-width forms and punctuation


def join_lines(lines: list[str]) -> str:
    """The lines of a cell or paragraph as one text: Chinese is joined without a space (a PDF
    breaks a word anywhere), Latin words and numbers with one."""
    out = ""
    for line in lines:
        line = _SPACE.sub(" ", line).strip()
        if not line:
            continue
        if out and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out
