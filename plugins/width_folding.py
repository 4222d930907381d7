"""Normalizer folding full-width and compatibility forms: ０-９ → 0-9, （）→ (), ：→ :.

Unicode NFKC does this; it never touches "|" or line breaks once the reader has turned
full-width ``｜`` into ``|``.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.plugin import (
    NormalizeContext,
    Normalizer,
    hookimpl,
)

#: Separators NFKC leaves alone that the grammar would not take for blank space around a cell
#: (a trailing U+2028 broke a whole table row): page and line breaks inside a line, as web
#: pages and PDF extraction leave them. Each becomes a space; lines and "|" are untouched.
_BLANKS = str.maketrans(dict.fromkeys("\x0b\x0c\x85\u1680\u2028\u2029", " "))
#: And the minus signs NFKC leaves alone (U+2212 MINUS SIGN, typeset reports' −7) become the
#: ASCII one the grammar's numbers take.
_BLANKS.update(str.maketrans("\u2212\u2796", "--"))
_ANY_BLANK = re.compile("[\x0b\x0c\x85\u1680\u2028\u2029\u2212\u2796]")


def fold(text: str, context: NormalizeContext) -> str:
    # The whole text at once: a line break is inert under NFKC (it never composes with, or
    # reorders around, its neighbours), so this equals folding line by line, five times faster.
    folded = unicodedata.normalize("NFKC", text)
    # Translating is the slow part and rarely needed: only when such a separator is there.
    if _ANY_BLANK.search(folded):
        folded = folded.translate(_BLANKS)
    return text if folded == text else folded  # the same object: nothing to check


@hookimpl
def gongkai_add_normalizers(register):
    register(Normalizer(
        name="width-folding",
        description="fold full-width digits and punctuation to their ASCII forms (NFKC)",
        apply=fold,
        order=10,
    ))
