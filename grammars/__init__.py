"""The Lark grammars of gongkai, shipped as package data (report.lark), and the patterns that
Python code takes from them.

The grammar is the one place the report's syntax is written. Where code outside the parser
must recognise the same things — a heading's numeral, a placeholder, an amount, a unit — it
takes the terminal's regular expression from here (:func:`pattern`) instead of restating it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

REPORT = "report.lark"


@cache
def grammar_text(name: str = REPORT) -> str:
    """The text of a grammar of this package."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@cache
def pattern(terminal: str, name: str = REPORT) -> str:
    """The regular expression of ``terminal``, a terminal written as ``/regex/`` pieces and
    names of such terminals, one after the other (as ``_NET_CHANGE`` is).

    >>> pattern("_PLACEHOLDER")
    '(?:[\\\\/\\\\-—–／－]+|无)'
    """
    found = re.search(rf"^{re.escape(terminal)}(?:\.\d+)?:[ \t]*(.*?)[ \t]*$", grammar_text(name),
                      flags=re.M)
    if found is None or not re.fullmatch(rf"(?:[ \t]*(?:{_PIECE.pattern}))+", found.group(1)):
        raise KeyError(f"{name} has no terminal {terminal} written as /regex/ pieces and names")
    return "".join(f"(?:{pattern(other, name)})" if other else regex[1:-1]
                   for regex, other in _PIECE.findall(found.group(1)))


@cache
def numeral_digits(name: str = REPORT) -> str:
    """The Chinese numerals of a heading's number, in the order of their values (一 is 1 ...),
    as the grammar's ``_NUMERAL`` character class lists them."""
    found = re.fullmatch(r"\[([^\]\\]+)\]\{1,\d\}", pattern("_NUMERAL", name))
    if found is None:
        raise KeyError(f"{name}: _NUMERAL is not one character class of numerals")
    return found.group(1)


#: A piece of a terminal's definition: a /regex/ (without flags), or a terminal's name.
_PIECE = re.compile(r"(/(?:\\.|[^/\\\n])+/)|([A-Z_][A-Z0-9_]*)")
