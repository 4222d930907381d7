"""Normalizer folding full-width and compatibility forms: ０-９ → 0-9, （）→ (), ：→ :.

Unicode NFKC does this; it never touches "|" or line breaks once the reader has turned
full-width ``｜`` into ``|``.
"""

from __future__ import annotations

import unicodedata

from gongkai import hookimpl
from gongkai.plugin_types import NormalizeContext, Normalizer


def fold(text: str, context: NormalizeContext) -> str:
    # NFKC per line: a few compatibility characters (U+2028...) must not become line breaks.
    return "\n".join(unicodedata.normalize("NFKC", line) for line in text.split("\n"))


@hookimpl
def gongkai_add_normalizers(register):
    register(Normalizer(
        name="width-folding",
        description="fold full-width digits and punctuation to their ASCII forms (NFKC)",
        apply=fold,
        order=10,
    ))
