"""The report grammar run line by line, without building a parse tree: the same blocks, faster.

:func:`gongkai.parse.parse` gives the text to the Lark LALR parser of ``grammars/report.lark``
and turns the tree into blocks. For a corpus that is most of the conversion time, spent on
Python bookkeeping per token (tree nodes, positions) rather than on matching. The grammar's
structure is small — lines of prose, headings, and table rows of ``|``-closed cells — so this
module walks it directly, token by token, and builds the blocks as it goes.

It stays the grammar's reading by construction:

* every token is matched by Lark's own lexer for the parser state the grammar is in at that
  point (the terminals it accepts there, in Lark's priority order), taken from the built
  parser by feeding it sample token sequences — so a terminal edited in the grammar is
  followed automatically;
* the transitions between those states are the grammar's rules, which are fingerprinted: if
  the rules change, or the sample sequences of one state disagree, this module stands aside;
* anything it does not expect (a syntax error, a state it does not know) returns None, and
  the text goes to Lark, which gives the result or the located error.

tests/test_batch_fastparse.py checks that both give the same blocks on the seeds and on
generated report-shaped texts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache

import lark

from .parse import _HEADING, CellToken, Line, ParsedDocument, SectionBlock, TableBlock, parser

#: sha256 (first 16 hex digits) of the grammar's rules this module walks. A change to the
#: rules (not to terminals) disables the fast path until it is checked again and updated.
RULES_FINGERPRINT = "ce60caccc81b7d2d"

#: The grammar's states this walker knows, each with token sequences that reach it. Every
#: sequence of a state must give the same lexer, or the fast path is not used.
_STATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "start": ((),),
    "prose": (
        ("TEXT", "_NL"), ("SUBHEADING", "_NL"), ("CAPTION", "_NL"), ("HEADING", "_NL"),
        ("_NL", "TEXT", "_NL"), ("PIPE", "_NL", "TEXT", "_NL"), ("HEADING", "_NL", "TEXT", "_NL"),
        ("HEADING", "_NL", "PIPE", "_NL", "CAPTION", "_NL"), ("_NL",),
    ),
    "table": (
        ("PIPE", "_NL"), ("LABEL", "PIPE", "_NL"), ("VALUE", "PIPE", "_NL"),
        ("PIPE", "OPEN_LABEL", "_NL"), ("PIPE", "OPEN_VALUE", "_NL"),
        ("PIPE", "_NL", "OPEN_VALUE", "_NL"), ("PIPE", "_NL", "PIPE", "_NL"),
        ("HEADING", "_NL", "PIPE", "_NL"), ("TEXT", "_NL", "LABEL", "PIPE", "_NL"),
        ("CAPTION", "_NL", "PIPE", "PIPE", "_NL"),
    ),
    "cell": (
        ("PIPE",), ("LABEL", "PIPE"), ("VALUE", "PIPE"), ("PIPE", "PIPE"),
        ("PIPE", "LABEL", "PIPE"), ("PIPE", "VALUE", "PIPE"), ("TEXT", "_NL", "PIPE"),
        ("PIPE", "_NL", "LABEL", "PIPE"), ("HEADING", "_NL", "VALUE", "PIPE", "PIPE"),
    ),
    "eol": (
        ("TEXT",), ("HEADING",), ("SUBHEADING",), ("CAPTION",), ("PIPE", "OPEN_LABEL"),
        ("PIPE", "OPEN_VALUE"), ("PIPE", "_NL", "OPEN_VALUE"), ("HEADING", "_NL", "TEXT"),
    ),
}

#: What the walker does with each terminal where a line starts.
_PROSE = {"TEXT": "paragraph", "SUBHEADING": "subheading", "CAPTION": "caption"}
_OPEN = {"OPEN_LABEL": "label", "OPEN_VALUE": "value"}
_CLOSED = {"LABEL": "label", "VALUE": "value"}


def rules_fingerprint(p: lark.Lark) -> str:
    rules = sorted(
        f"{r.origin.name}: {' '.join(s.name for s in r.expansion)} -> {r.alias or ''}"
        for r in p.rules
    )
    ignore = ",".join(sorted(p.lexer_conf.ignore))
    text = "\n".join([*rules, f"%ignore {ignore}"])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def lexers() -> dict[str, re.Pattern[str]] | None:
    """The compiled lexer of each known state, or None when the fast path cannot be used."""
    p = parser()
    if rules_fingerprint(p) != RULES_FINGERPRINT:
        return None
    contextual = p.parser.lexer
    found: dict[str, re.Pattern[str]] = {}
    for state, sequences in _STATES.items():
        orders = set()
        lexer = None
        for sequence in sequences:
            interactive = p.parse_interactive("")
            try:
                for name in sequence:
                    interactive.feed_token(lark.Token(name, "\n" if name == "_NL" else "x"))
            except lark.exceptions.UnexpectedInput:
                return None
            lexer = contextual.lexers[interactive.parser_state.position]
            if lexer.scanner and lexer.callback:  # terminals Lark post-processes: not here
                return None
            orders.add(tuple(t.name for t in lexer.terminals))
        if len(orders) != 1 or lexer is None:
            return None
        if len(lexer.scanner._mres) != 1:  # Lark split a huge alternation: not expected
            return None
        found[state] = lexer.scanner._mres[0]
    return found


class _Stop(Exception):
    """Something the walker does not expect: let Lark parse the text."""


def parse_lines(text: str) -> ParsedDocument | None:
    """The blocks :func:`gongkai.parse.parse` gives for ``text`` (ending in a newline), or None
    when the text should be left to Lark (a syntax error, or the fast path is unavailable)."""
    states = lexers()
    if states is None:
        return None
    try:
        return _walk(text, states)
    except _Stop:
        return None


# The walker's states: where a line starts (three kinds: the document's first line, after
# prose, after a table row), and after a line's last token (its newline must follow).
_START, _PROSE_LINE, _TABLE_LINE, _IN_ROW, _NEED_NL = range(5)


def _walk(text: str, states: dict[str, re.Pattern[str]]) -> ParsedDocument:
    # One loop with local names: this is the hot path of a corpus conversion.
    matchers = [states[name].match for name in ("start", "prose", "table", "cell", "eol")]
    count, find = text.count, text.find
    end = len(text)
    pos, line = 0, 1
    state, after = _START, _PROSE_LINE
    sections: list[tuple[str, str, int, list]] = [("", "", 1, [])]
    blocks: list[Line | TableBlock] = sections[0][3]
    captions: list[CellToken] = []
    rows: list[tuple[CellToken, ...]] = []
    while True:
        if state != _NEED_NL and pos < end:
            # A line with a "|" can only be a table row: every terminal of a line of its own
            # stops at "|". Its cells are read between the bars, each by the lexer.
            nl = find("\n", pos)
            if find("|", pos, nl) >= 0:
                pos, line = _rows(text, pos, line, rows, matchers[state],
                                  matchers[_TABLE_LINE], matchers[_IN_ROW], matchers[_NEED_NL])
                state = _TABLE_LINE
                continue
        if pos >= end:
            kind, start = "$END", pos
        else:
            m = matchers[state](text, pos)
            if m is None:
                raise _Stop
            kind = m.lastgroup
            start, pos = m.span()
            if kind == "WS":
                continue
            if kind == "_NL":
                line += count("\n", start, pos)
                if state == _NEED_NL:
                    state = after
                elif state == _START:
                    state = _PROSE_LINE
                else:
                    raise _Stop
                continue
        if state == _NEED_NL:
            raise _Stop
        if rows and kind != "OPEN_VALUE":
            blocks.append(TableBlock(tuple(rows), tuple(captions)))
            rows, captions = [], []
        if kind == "$END":
            break
        value = text[start:pos].strip()
        if kind == "OPEN_VALUE":  # a value alone on a line inside a table
            rows.append((CellToken("value", value, line, 0),))
            state, after = _NEED_NL, _TABLE_LINE
        elif kind == "HEADING":
            h = _HEADING.match(value)
            number, title = (h["number"], h["title"].strip()) if h else ("", value)
            blocks, captions = [], []
            sections.append((number, title, line, blocks))
            state, after = _NEED_NL, _PROSE_LINE
        elif kind in _PROSE:
            if kind == "CAPTION":
                captions.append(CellToken("label", value, line, 0))
            else:
                captions = []
            blocks.append(Line(_PROSE[kind], value, line))
            state, after = _NEED_NL, _PROSE_LINE
        else:
            raise _Stop
    return ParsedDocument(
        preamble=SectionBlock("", "", 1, tuple(sections[0][3])),
        sections=tuple(SectionBlock(n, t, ln, tuple(b)) for n, t, ln, b in sections[1:]),
    )


def _rows(text: str, pos: int, line: int, rows: list[tuple[CellToken, ...]], first: Callable,
          table: Callable, cell: Callable, eol: Callable) -> tuple[int, int]:
    """Read the row lines from ``pos`` on into ``rows``: where the next line starts, its number.

    Each piece between two bars is blanks (an empty cell) or one LABEL or VALUE token, which
    the lexer of the parser state must match from the piece's first non-blank character up to
    the bar: ``first`` at the first line's start, ``table`` at the start of the lines after
    a row, ``cell`` after a bar. The piece after the last bar is blanks or an open cell. The
    newline and blank lines after a row are the ``_NL`` token. Anything else is left to Lark.
    """
    find, count = text.find, text.count
    open_kinds, closed_kinds = _OPEN, _CLOSED
    match = first
    while True:
        nl = find("\n", pos)
        pieces = text[pos:nl].split("|")
        last = len(pieces) - 1
        cells = []
        at = pos  # where the piece starts in text
        for k, piece in enumerate(pieces):
            core = piece.strip(" \t")
            if core:
                start = at + len(piece) - len(piece.lstrip(" \t"))
                m = match(text, start)
                if m is None:
                    raise _Stop
                kind = (open_kinds if k == last else closed_kinds).get(m.lastgroup)
                if kind is None or not start + len(core) <= m.end() <= at + len(piece):
                    raise _Stop
                cells.append(CellToken(kind, core, line, k))
            elif k != last:
                cells.append(CellToken("empty", "", line, k))
            at += len(piece) + 1
            match = cell
        rows.append(tuple(cells))
        m = eol(text, nl)
        if m is None or m.lastgroup != "_NL":
            raise _Stop
        pos = m.end()
        line += count("\n", nl, pos)
        nl = find("\n", pos)
        if nl < 0 or find("|", pos, nl) < 0:
            return pos, line
        match = table
