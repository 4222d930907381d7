"""Parse pipe text with the report grammar (``grammars/report.lark``) into blocks.

The grammar is built once per process, when a text needs it (0.1 s; most texts are walked by
:mod:`gongkai.parse.fastparse` without it). Lark builds no tree: its rules are given, as it
reduces them, to the block builder both readings share (:mod:`gongkai.parse.blocks`).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import TYPE_CHECKING

from gongkai.errors import ConfigError, ReportSyntaxError
from gongkai.grammars import REPORT as GRAMMAR
from gongkai.grammars import grammar_text
from gongkai.parse.blocks import (
    COMPLETE_RULES,
    CONTAINER_RULES,
    TOKEN_RULES,
    BlockBuilder,
    ParsedDocument,
    unknown_rules,
)

if TYPE_CHECKING:
    import lark
# Lark itself is imported where a text is given to it: the usual path (gongkai.parse.fastparse)
# runs on lexers kept in the cache, and a process that never needs Lark starts without it.



@cache
def parser() -> lark.Lark:
    """The LALR parser of the report grammar, built once per process, with
    :class:`~gongkai.parse.blocks.BlockBuilder` as its inline transformer: its rules build the
    blocks as Lark reduces them, and no parse tree is made.

    Not kept on disk: Lark's cache is a pickle, and loading a pickle can run code (a file
    planted in the cache directory would run on the next conversion).
    """
    import lark

    text = grammar_text()
    grammar = lark.Lark(text, parser="lalr", lexer="contextual", start="document",
                        maybe_placeholders=False, transformer=_Callbacks())
    unknown = unknown_rules(str(r.alias or r.origin.name) for r in grammar.rules)
    if unknown:
        raise ConfigError(f"{GRAMMAR}: rules {', '.join(unknown)} build no block "
                          "(gongkai.parse.blocks.BlockBuilder names the rules it builds)")
    untokened = sorted({str(r.alias or r.origin.name) for r in grammar.rules
                        if str(r.alias or r.origin.name) in TOKEN_RULES
                        and not (r.expansion and r.expansion[0].is_term)})
    if untokened:
        raise ConfigError(f"{GRAMMAR}: rules {', '.join(untokened)} must start with a terminal "
                          "(their block is built from it)")
    return grammar


class _Callbacks:
    """Lark's inline transformer: each rule, as Lark reduces it, to the builder of this parse."""

    builder = BlockBuilder()

    def __getattr__(self, name: str):
        if name in TOKEN_RULES:
            event = TOKEN_RULES[name]
            return lambda children: event(self.builder, str(children[0]).strip(),
                                          children[0].line)
        if name in COMPLETE_RULES:
            event = COMPLETE_RULES[name]
            return lambda children: event(self.builder, "", 0)
        if name == "document":
            return lambda children: self.builder.document()
        if name in CONTAINER_RULES:
            return lambda children: None
        raise AttributeError(name)


_LOCK = threading.Lock()  # one builder per parse, and the parser is shared


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

    p = parser()
    callbacks = p.options.transformer
    with _LOCK:
        callbacks.builder = BlockBuilder()
        try:
            return p.parse(text)
        except lark.exceptions.UnexpectedInput as exc:
            raise ReportSyntaxError(_describe(exc, text), line=exc.line) from None


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
