"""Parse pipe text with the report grammar (``grammars/report.lark``) into blocks.

The grammar is built once per process, when a text needs it (0.1 s; most texts are walked by
:mod:`gongkai.parse.fastparse` without it); the parse tree is turned into a few plain records:
sections of paragraphs, sub-headings and table blocks whose cells know their kind, text, line
and position on the line.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from gongkai.errors import ReportSyntaxError
from gongkai.grammars import grammar_text
from gongkai.parse.blocks import (
    CellToken,
    Line,
    ParsedDocument,
    SectionBlock,
    TableBlock,
    split_heading,
)

if TYPE_CHECKING:
    import lark
# Lark itself is imported where a text is given to it: the usual path (gongkai.parse.fastparse)
# runs on lexers kept in the cache, and a process that never needs Lark starts without it.

GRAMMAR = "report.lark"


@cache
def parser() -> lark.Lark:
    """The LALR parser of the report grammar, built once per process.

    Not kept on disk: Lark's cache is a pickle, and loading a pickle can run code (a file
    planted in the cache directory would run on the next conversion).
    """
    import lark

    text = grammar_text()
    options = dict(
        parser="lalr",
        lexer="contextual",
        start="document",
        propagate_positions=True,
        maybe_placeholders=False,
    )
    return lark.Lark(text, **options)


#: Terminals of the grammar that gongkai.parse.tabulate matches lines with, before the text is
#: parsed.
LINE_TERMINALS = ("BARE_VALUE", "BARE_LABEL", "HEADING")


@cache
def line_terminals() -> dict[str, re.Pattern[str]]:
    """The grammar's terminals in LINE_TERMINALS, compiled; kept in the on-disk cache (as
    pattern text), so that a process that only walks the text never imports Lark."""
    from gongkai.engine.cache import cached_json, digest

    def build() -> dict[str, str]:
        import lark
        from lark.load_grammar import load_grammar

        grammar, _ = load_grammar(grammar_text(), GRAMMAR, [], False)
        terminals, _, _ = grammar.compile(["document"], set(LINE_TERMINALS))
        return {t.name: t.pattern.to_regexp() for t in terminals if t.name in LINE_TERMINALS} \
            | {"": lark.__version__}

    patterns = cached_json("line-terminals", digest(grammar_text(), *LINE_TERMINALS), build)
    return {name: re.compile(patterns[name]) for name in LINE_TERMINALS}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_with_grammar(text: str) -> ParsedDocument:
    """:func:`parse` by the Lark parser alone (``text`` ends with a newline)."""
    import lark

    try:
        tree = parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise ReportSyntaxError(_describe(exc, text), line=exc.line) from None
    lines = text.split("\n")
    preamble, *sections = tree.children
    return ParsedDocument(
        preamble=SectionBlock("", "", 1, _blocks(preamble.children, lines)),
        sections=tuple(_section(s, lines) for s in sections),
    )


def _describe(exc: lark.exceptions.UnexpectedInput, text: str) -> str:
    import lark

    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        # The lexer stops at the start of the token it cannot finish; the culprit is usually
        # a control character further on the line, so point at that one.
        pos, column = exc.pos_in_stream, exc.column
        end = text.find("\n", pos)
        m = _CONTROL.search(text, pos, len(text) if end < 0 else end)
        if m:
            pos, column = m.start(), column + m.start() - exc.pos_in_stream
        char = text[pos] if pos < len(text) else ""
        return f"column {column}: unexpected character {char!r} (U+{ord(char or chr(0)):04X})"
    if isinstance(exc, lark.exceptions.UnexpectedToken):
        expected = ", ".join(sorted(exc.expected)) or "end of input"
        return f"column {exc.column}: unexpected {exc.token.type} (expected {expected})"
    return str(exc)


def _section(tree: lark.Tree, lines: list[str]) -> SectionBlock:
    heading, *body = tree.children
    token = heading.children[0]
    number, title = split_heading(str(token).strip())
    return SectionBlock(number, title, token.line, _blocks(body, lines))


def _blocks(children: list, lines: list[str]) -> tuple[Line | TableBlock, ...]:
    blocks: list[Line | TableBlock] = []
    captions: list[CellToken] = []
    for child in children:
        if child.data == "table":
            blocks.append(TableBlock(tuple(_rows(child, lines)), tuple(captions)))
            captions = []
            continue
        token = child.children[0]
        if child.data == "caption":
            captions.append(CellToken("label", str(token).strip(), token.line, 0))
        else:
            captions = []
        blocks.append(Line(child.data, str(token).strip(), token.line))
    return tuple(blocks)


def _rows(table: lark.Tree, lines: list[str]):
    for row in table.children:
        if row.data == "value_line":
            yield (_cell("value", row.children[0], 0),)
        else:
            # A row starts its line and every cell before the k-th closed with one "|", so the
            # k-th cell has k "|" before it: counted, not searched for, to stay linear on a
            # line of thousands of cells.
            yield tuple(_cell(cell.data, cell.children[0], k)
                        for k, cell in enumerate(row.children))


def _cell(kind: str, token: lark.Token, index: int) -> CellToken:
    text = "" if kind == "empty" else str(token).strip()
    return CellToken(kind, text, token.line, index)
