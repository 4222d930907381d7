"""The report grammar run line by line, without building a parse tree: the same blocks, faster.

:func:`gongkai.parse.grammar.parse_with_grammar` gives the text to the Lark LALR parser of
``grammars/report.lark`` and turns the tree into blocks. For a corpus that is most of the conversion
time, spent on Python bookkeeping per token (tree nodes, positions) rather than on matching. The
grammar's structure is small — lines of prose, headings, and table rows of ``|``-closed cells — so
this module walks it directly, line by line, and builds the blocks as it goes: a line without a bar
is one token; a line with one is a table row, split at its bars, each cell one token.

It stays the grammar's reading by construction:

* every token is matched by Lark's own lexer for the parser state the grammar is in at that
  point (the terminals it accepts there, in Lark's priority order), taken from the built
  parser by feeding it sample token sequences — so a terminal edited in the grammar is
  followed automatically;
* the transitions between those states are the grammar's rules, which are fingerprinted: if
  the rules change, or the sample sequences of one state disagree, this module stands aside;
* anything it does not expect (a syntax error, a state it does not know) returns None, and
  the text goes to Lark, which gives the result or the located error;
* the lexers are kept in the on-disk cache, named by the grammar, Lark's version and this
  module's definitions, so a process that only walks never imports Lark;
* three shortcuts rest on what the terminals are, and are checked or bounded: after a bar
  only the ignored blanks token matches blanks (checked when the lexers are taken); a line
  without a bar is lexed without the terminals that need one (the bar, and the cells it
  closes: see _without_bar); and a row line is lexed on its own, so the cells of a row line
  already read are remembered (see _ROW_SHAPES).

tests/test_batch_fastparse.py checks that both give the same blocks on the seeds and on
generated report-shaped texts.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from gongkai.engine.cache import cached_json, digest
from gongkai.grammars import grammar_text
from gongkai.parse.blocks import (
    CellToken,
    Line,
    ParsedDocument,
    SectionBlock,
    TableBlock,
    split_heading,
)
from gongkai.parse.grammar import parser

if TYPE_CHECKING:
    import lark

class FastPathWarning(UserWarning):
    """The line walk is off for this grammar: conversions are right, and slower."""


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

#: Cells that start with blanks, as they follow a bar.
_BLANK_LED = (" 0 |", "\t规章 |", "  减3 |", " / |", " 4(其中2) |", " 5\n", " 其他\n", " (一)x |")

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
    """The compiled lexer of each known state, or None when the fast path cannot be used.

    They are taken from the built parser once and kept in the on-disk cache (gongkai.engine.cache),
    named by the grammar, Lark's version and this module's definitions: a new process — every
    worker of a batch, every ``gongkai convert`` — compiles them without importing Lark.
    """
    key = digest(grammar_text(), _lark_version(), RULES_FINGERPRINT, repr(_STATES),
                 repr(_BLANK_LED), repr(_BAR_TERMINALS), _CACHE_FORMAT)
    patterns = cached_json("fast-lexers", key, _lexer_patterns, _valid_patterns)
    if not patterns:
        # Correct, but every text goes to Lark: say so once, rather than be slow in silence.
        warnings.warn(
            "the report grammar's rules are not those gongkai.parse.fastparse walks: every "
            "text is parsed by Lark (more than twice as slow); after changing a rule in "
            "report.lark, check the walk and update _STATES and RULES_FINGERPRINT "
            "(tests/test_batch_fastparse.py says how)", FastPathWarning, stacklevel=2)
        return None
    return {state: re.compile(pattern, flags) for state, (pattern, flags) in patterns.items()}


#: Bumped when what _lexer_patterns returns changes meaning.
_CACHE_FORMAT = "1"


def _valid_patterns(value: object) -> bool:
    """Whether a cached value is what _lexer_patterns makes: state -> [pattern, flags]."""
    if not isinstance(value, dict):
        return False
    for state, entry in value.items():
        if not (isinstance(state, str) and isinstance(entry, list) and len(entry) == 2
                and isinstance(entry[0], str) and type(entry[1]) is int):
            return False
        re.compile(entry[0], entry[1])  # an error makes the entry invalid (rebuilt)
    return True


def _lark_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lark")
    except PackageNotFoundError:
        import lark

        return lark.__version__


def _lexer_patterns() -> dict[str, tuple[str, int]]:
    """Each known state's lexer as ``(pattern, flags)``, from the built parser ({} when the
    fast path cannot be used)."""
    import lark

    p = parser()
    if rules_fingerprint(p) != RULES_FINGERPRINT:
        return {}
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
                return {}
            lexer = contextual.lexers[interactive.parser_state.position]
            if lexer.scanner and lexer.callback:  # terminals Lark post-processes: not here
                return {}
            orders.add(tuple(t.name for t in lexer.terminals))
        if len(orders) != 1 or lexer is None:
            return {}
        if len(lexer.scanner._mres) != 1:  # Lark split a huge alternation: not expected
            return {}
        found[state] = lexer.scanner._mres[0]
        found[state + NO_BAR] = _without_bar(lexer.terminals, found[state])
    # After a bar, blanks are skipped without the lexer: only the ignored blanks token may
    # match there, whatever follows them.
    if any(found["cell"].match(s).lastgroup != "WS" for s in _BLANK_LED):
        return {}
    return {state: (pattern.pattern, pattern.flags) for state, pattern in found.items()}


#: Suffix of the key of a state's lexer for a line without a bar.
NO_BAR = ":no-bar"
#: Terminals that match only before a "|" on their line: the bar, and the cells it closes
#: (their pattern ends in the grammar's closed-cell lookahead, and their characters are no
#: line breaks).
_BAR_TERMINALS = ("PIPE", "LABEL", "VALUE")
_CLOSED_LOOKAHEAD = "(?=[ \t]*\\|)"


def _without_bar(terminals: list, full: re.Pattern[str]) -> re.Pattern[str]:
    """A state's lexer for a line without a bar: its alternation without the terminals that
    need one. None of those can match on such a line, so the first alternative that matches
    is the same, without trying them (a closed cell scans the whole line and back for its
    bar: on a paragraph, that was most of the lexing). The alternation is rebuilt as Lark
    builds it; when that does not give Lark's pattern, the full lexer is used."""
    def alternation(kept: list) -> str:
        return "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kept)

    if alternation(terminals) != full.pattern:
        return full
    kept = [t for t in terminals if not _needs_bar(t.name, t.pattern.to_regexp())]
    return re.compile(alternation(kept), full.flags) if kept else full


def _needs_bar(name: str, regexp: str) -> bool:
    return name in _BAR_TERMINALS and (regexp == "\\|" or regexp.endswith(_CLOSED_LOOKAHEAD))


class _Stop(Exception):
    """Something the walker does not expect: let Lark parse the text."""


def parse_lines(text: str) -> ParsedDocument | None:
    """The blocks :func:`gongkai.parse.grammar.parse_with_grammar` gives for ``text`` (ending in a
    newline), or None when the text should be left to Lark (a syntax error, or the fast path is
    unavailable)."""
    states = lexers()
    if states is None:
        return None
    try:
        return _walk(text, states)
    except _Stop:
        return None


# The walker's states at the start of a line: the document's first line, after prose, after
# a table row. Blank lines between lines are the newline token of the line before them.
_START, _PROSE_LINE, _TABLE_LINE = range(3)


#: The cells of row lines already read, by the parser state and the line's text. A corpus
#: repeats row lines (headers, labels, "0 |"), and a row line is lexed on its own: no cell
#: terminal looks past the end of its line (CAPTION, which looks at the next line, cannot
#: match on a line with a bar), so the same line in the same state gives the same cells.
#: Bounded in number and in line length, so memory stays flat over any corpus.
_ROW_SHAPES: dict[tuple[int, str], tuple[tuple[str, str, int], ...]] = {}
_SHAPES_KEPT = 1 << 15
_SHAPE_MAX_CHARS = 400


def _walk(text: str, states: dict[str, re.Pattern[str]]) -> ParsedDocument:
    # One loop with local names: this is the hot path of a corpus conversion.
    line_matchers = [states[name].match for name in ("start", "prose", "table")]
    prose_matchers = [states[name + NO_BAR].match for name in ("start", "prose", "table")]
    cell_match = states["cell"].match
    open_kinds, closed_kinds = _OPEN, _CLOSED
    state = _START
    sections: list[tuple[str, str, int, list]] = [("", "", 1, [])]
    blocks: list[Line | TableBlock] = sections[0][3]
    captions: list[CellToken] = []
    rows: list[tuple[CellToken, ...]] = []
    shapes = _ROW_SHAPES
    new = tuple.__new__
    lines = text.split("\n")
    lines.pop()  # the text ends with a newline: nothing follows it
    end = 0  # where the line after the current one starts
    for number, line in enumerate(lines, 1):
        pos, end = end, end + len(line) + 1
        if "|" in line:
            # A line with a "|" can only be a table row: every terminal of a line of its own
            # stops at "|". Each piece between two bars is blanks (an empty cell) or one LABEL
            # or VALUE token, which the lexer of the parser state must match from the piece's
            # first non-blank character up to the bar; the piece after the last bar is blanks
            # or an open cell.
            shape = shapes.get((state, line))
            if shape is not None:
                rows.append(tuple([new(CellToken, (kind, core, number, k))
                                   for kind, core, k in shape]))
                state = _TABLE_LINE
                continue
            key = (state, line)
            pieces = line.split("|")
            last = len(pieces) - 1
            cells = []
            match = line_matchers[state]
            for k, piece in enumerate(pieces):
                core = piece.strip(" \t")
                if core:
                    if k:  # after a bar only the blanks token matches blanks (checked once)
                        start = pos + len(piece) - len(piece.lstrip(" \t"))
                        m = match(text, start)
                    else:
                        m = _token(match, text, pos)
                    if m is None:
                        raise _Stop
                    kind = (open_kinds if k == last else closed_kinds).get(m.lastgroup)
                    if kind is None or not (pos + len(piece.rstrip(" \t")) <= m.end()
                                            <= pos + len(piece)):
                        raise _Stop  # the token must end between the piece's text and the bar
                    cells.append(CellToken(kind, core, number, k))
                elif k != last:
                    cells.append(CellToken("empty", "", number, k))
                pos += len(piece) + 1
                match = cell_match
            rows.append(tuple(cells))
            if len(line) <= _SHAPE_MAX_CHARS:
                if len(shapes) >= _SHAPES_KEPT:
                    shapes.clear()
                shapes[key] = tuple((c.kind, c.text, c.index) for c in cells)
            state = _TABLE_LINE
            continue
        value = line.strip(" \t")
        if not value and state != _START:
            continue  # part of the newline token before it
        # A line of one token: the lexer of the state must match it to the line's end.
        m = _token(prose_matchers[state], text, pos)
        if m is None:
            raise _Stop
        kind = m.lastgroup
        if kind == "_NL":  # blank lines the document starts with
            state = _PROSE_LINE
            continue
        if not pos + len(line.rstrip(" \t")) <= m.end() < end:
            raise _Stop
        value = m.group().strip()
        if rows and kind != "OPEN_VALUE":
            blocks.append(TableBlock(tuple(rows), tuple(captions)))
            rows, captions = [], []
        if kind == "OPEN_VALUE":  # a value alone on a line inside a table
            rows.append((CellToken("value", value, number, 0),))
            state = _TABLE_LINE
            continue
        if kind == "HEADING":
            number_, title = split_heading(value)
            blocks, captions = [], []
            sections.append((number_, title, number, blocks))
        elif kind in _PROSE:
            if kind == "CAPTION":
                captions.append(CellToken("label", value, number, 0))
            else:
                captions = []
            blocks.append(Line(_PROSE[kind], value, number))
        else:
            raise _Stop
        state = _PROSE_LINE
    if rows:
        blocks.append(TableBlock(tuple(rows), tuple(captions)))
    return ParsedDocument(
        preamble=SectionBlock("", "", 1, tuple(sections[0][3])),
        sections=tuple(SectionBlock(n, t, ln, tuple(b)) for n, t, ln, b in sections[1:]),
    )


def _token(match: Callable, text: str, pos: int) -> re.Match[str] | None:
    """The token at ``pos``, after the ignored blanks token if that comes first."""
    m = match(text, pos)
    if m is not None and m.lastgroup == "WS":
        m = match(text, m.end())
    return m
