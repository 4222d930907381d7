"""Pipe text to blocks: walked line by line with the grammar's own lexers, or parsed by Lark.

The walk (:mod:`gongkai.parse.fastparse`) gives the same blocks as the Lark parser
(:mod:`gongkai.parse.grammar`) much faster, and leaves to Lark whatever it does not expect,
such as a syntax error to locate.
"""

from __future__ import annotations

from gongkai.parse.blocks import ParsedDocument
from gongkai.parse.fastparse import parse_lines
from gongkai.parse.grammar import parse_with_grammar


def parse(text: str) -> ParsedDocument:
    """Parse normalized pipe text; a syntax error is raised as a located ReportSyntaxError."""
    if not text.endswith("\n"):
        text += "\n"
    doc = parse_lines(text)
    return doc if doc is not None else parse_with_grammar(text)
