"""The blocks parsing gives: sections of paragraphs, sub-headings and tables of cells.

Both readings of the grammar build these — the Lark parser (:mod:`gongkai.parse.grammar`) and
the line walk (:mod:`gongkai.parse.fastparse`) — and they are what the interpreter reads. A
section's heading is split into its number and title here, once for both.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import NamedTuple

import attrs

from gongkai.grammars import pattern

_HEADING = re.compile(rf"^(?P<number>{pattern('_NUMERAL')})\s*、\s*(?P<title>.*)$")


def split_heading(text: str) -> tuple[str, str]:
    """A section heading's numeral and title: ``三、收到和处理…`` -> ``("三", "收到和处理…")``."""
    m = _HEADING.match(text)
    return (m["number"], m["title"].strip()) if m else ("", text)


class CellToken(NamedTuple):
    """One cell as the grammar reads it (a named tuple: a report has hundreds, built fast)."""

    #: ``label``, ``value`` or ``empty``.
    kind: str
    text: str
    line: int
    #: Position of the cell on its line: the number of "|" before it.
    index: int


@attrs.frozen
class TableBlock:
    #: Physical lines of cells, in order.
    rows: tuple[tuple[CellToken, ...], ...]
    #: Caption lines just before the table (a title, or a header cell that lost its "|").
    captions: tuple[CellToken, ...] = ()

    @property
    def line_start(self) -> int:
        first = self.captions[0] if self.captions else self.rows[0][0]
        return first.line

    @property
    def line_end(self) -> int:
        return self.rows[-1][-1].line

    def cells(self) -> list[CellToken]:
        return [*self.captions, *chain.from_iterable(self.rows)]


@attrs.frozen
class Line:
    """A paragraph, sub-heading or caption line."""

    kind: str
    text: str
    line: int


@attrs.frozen
class SectionBlock:
    #: Empty for the preamble.
    number: str
    title: str
    line: int
    blocks: tuple[Line | TableBlock, ...]

    @property
    def line_end(self) -> int:
        if not self.blocks:
            return self.line
        last = self.blocks[-1]
        return last.line_end if isinstance(last, TableBlock) else last.line


@attrs.frozen
class ParsedDocument:
    preamble: SectionBlock
    sections: tuple[SectionBlock, ...]

    def all_sections(self) -> tuple[SectionBlock, ...]:
        return (self.preamble, *self.sections)
