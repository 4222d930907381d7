"""Matching the labels a report writes to canonical codes.

A label is compared by *keys* of decreasing strictness, and the first key that names exactly
one code wins:

1. the label normalized (width folded, spaces and quotes removed);
2. without its leading numbering (``一、``, ``(三)``, ``3.``);
3. without parenthesized annotations as well (``(单位:万元)``, ``(指2019年事项数)``).

So ``自然 人`` is ``自然人``, ``本年收费金额(单位:万元)`` is ``fee_amount``, and ``其他`` alone
is never mistaken for the row ``3.其他`` when the column ``其他`` exists: the first key that
decides is the one that counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

_DROP = re.compile(r"[\s\"'“”‘’「」『』〝〞]+")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d))"
)
_PARENS = re.compile(r"\([^()]*\)")


#: How many keys ``label_keys`` gives, strictest first.
LEVELS = 3


def label_key(text: str) -> str:
    """The strictest key: NFKC-folded, without white space and quotes."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def label_keys(text: str) -> tuple[str, str, str]:
    exact = label_key(text)
    bare = _NUMBERING.sub("", exact, count=1)
    plain = _PARENS.sub("", bare) or bare
    return exact, bare, plain


class LabelIndex:
    """Looks labels up among a set of codes, each with its aliases."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        self._levels: tuple[dict[str, set[str]], ...] = (
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
        )
        for code, aliases in entries:
            for alias in aliases:
                for level, key in zip(self._levels, label_keys(alias), strict=True):
                    level[key].add(code)

    def match_at(self, keys: tuple[str, str, str], level: int) -> str | None:
        """The one code whose alias has ``keys[level]`` at that level, or None."""
        codes = self._levels[level].get(keys[level])
        if codes and len(codes) == 1:
            return next(iter(codes))
        return None

    def match(self, text: str) -> str | None:
        """The code ``text`` names at the strictest level that decides, or None."""
        keys = label_keys(text)
        for level in range(LEVELS):
            codes = self._levels[level].get(keys[level])
            if codes:
                # Ambiguous at this level: a looser key would not be less ambiguous.
                return next(iter(codes)) if len(codes) == 1 else None
        return None


def contains_marker(text: str, markers: Iterable[str]) -> bool:
    key = label_key(text)
    return any(label_key(m) in key for m in markers)
