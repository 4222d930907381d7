"""The blocks parsing gives: sections of paragraphs, sub-headings and tables of cells.

Both readings of the grammar build these — the Lark parser (:mod:`gongkai.parse.grammar`) and
the line walk (:mod:`gongkai.parse.fastparse`) — and they are what the interpreter reads. A
section's heading is split into its number and title here, once for both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any, NamedTuple

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


def _line_of(kind: str) -> Callable[[BlockBuilder, str, int], None]:
    def build(self: BlockBuilder, text: str, line: int) -> None:
        if kind == "caption":  # kept for the table that follows
            self._captions.append(CellToken("label", text, line, 0))
        else:
            self._captions = []
        self._blocks.append(Line(kind, text, line))

    build.__doc__ = f"A {kind} line."
    return build


class BlockBuilder:
    """The one builder of blocks, fed the grammar's rules as a parse meets them, in order.

    Both readings call it: the Lark parser as its inline transformer (:mod:`gongkai.parse.grammar`:
    each method is named by a rule of ``report.lark`` and called when Lark reduces it, so no tree
    is built), and the line walk (:mod:`gongkai.parse.fastparse`) through :data:`EVENTS`, at the
    points of the grammar's automaton where the same rules are decided. The grammar's rules
    are tied to blocks here and nowhere else.
    """

    def __init__(self) -> None:
        self._sections: list[tuple[str, str, int, list[Line | TableBlock]]] = [("", "", 1, [])]
        self._blocks = self._sections[0][3]
        self._captions: list[CellToken] = []
        self._rows: list[tuple[CellToken, ...]] = []
        self._row: list[CellToken] = []

    paragraph = _line_of("paragraph")
    subheading = _line_of("subheading")
    caption = _line_of("caption")

    def heading(self, text: str, line: int) -> None:
        number, title = split_heading(text)
        self._blocks, self._captions = [], []
        self._sections.append((number, title, line, self._blocks))

    def label(self, text: str, line: int) -> None:
        """The next cell of the row being read; its index is the number of cells before it."""
        self._row.append(CellToken("label", text, line, len(self._row)))

    def value(self, text: str, line: int) -> None:
        self._row.append(CellToken("value", text, line, len(self._row)))

    def empty(self, text: str, line: int) -> None:
        self._row.append(CellToken("empty", "", line, len(self._row)))

    def cells(self, cells: tuple[tuple[str, str], ...], line: int) -> None:
        """Several cells of one line at once, as ``(kind, text)``."""
        row, new = self._row, tuple.__new__
        row.extend([new(CellToken, (kind, text, line, i))
                    for i, (kind, text) in enumerate(cells, len(row))])

    def row(self, text: str = "", line: int = 0) -> None:
        self._rows.append(tuple(self._row))
        self._row = []

    def row_lines(self, lines: list[tuple[tuple[tuple[str, str, int], ...], int]]) -> None:
        """For each of ``lines``, ``(cells, line)``: :meth:`row`, then the cells of the next
        row as ``(kind, text, index)`` — row lines after a row, many in one call."""
        rows, row, new = self._rows, self._row, tuple.__new__
        for cells, line in lines:
            rows.append(tuple(row))
            row = [new(CellToken, (kind, text, line, i)) for kind, text, i in cells]
        self._row = row

    def value_line(self, text: str, line: int) -> None:
        """A value alone on its line inside a table: a row of one value cell."""
        self._rows.append((CellToken("value", text, line, 0),))

    def table(self, text: str = "", line: int = 0) -> None:
        self._blocks.append(TableBlock(tuple(self._rows), tuple(self._captions)))
        self._rows, self._captions = [], []

    def document(self) -> ParsedDocument:
        first, *rest = self._sections
        return ParsedDocument(
            preamble=SectionBlock("", "", 1, tuple(first[3])),
            sections=tuple(SectionBlock(n, t, ln, tuple(b)) for n, t, ln, b in rest),
        )


Event = Callable[[BlockBuilder, Any, int], None]

#: What each rule of the grammar builds, by its name (alias or rule name): the builder's
#: method of that name. A rule of the first kind is decided by its first token, which it is
#: given; ``row`` and ``table`` are decided when the rule is complete.
TOKEN_RULES: dict[str, Event] = {name: getattr(BlockBuilder, name) for name in (
    "paragraph", "subheading", "caption", "heading", "value_line", "label", "value", "empty")}
COMPLETE_RULES: dict[str, Event] = {name: getattr(BlockBuilder, name) for name in ("row", "table")}
#: Rules that hold others and build nothing themselves.
CONTAINER_RULES = frozenset({"document", "preamble", "section"})


def unknown_rules(names: Iterable[str]) -> list[str]:
    """The rule names among ``names`` the builder does not know (rules named with a leading
    ``_`` are inlined by Lark and build nothing)."""
    known = TOKEN_RULES.keys() | COMPLETE_RULES.keys() | CONTAINER_RULES
    return sorted({n for n in names if not n.startswith("_") and n not in known})
