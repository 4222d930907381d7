"""Matching the labels a report writes to canonical codes.

A label is compared by *keys* of decreasing strictness, and the first key that names exactly
one code wins:

1. the label normalized (width folded, spaces and quotes removed);
2. without its leading numbering (``一、``, ``(三)``, ``3.``);
3. without parenthesized annotations as well (``(单位:万元)``, ``(指2019年事项数)``).

So ``自然 人`` is ``自然人``, ``本年收费金额(单位:万元)`` is ``fee_amount``, and ``其他`` alone
is never mistaken for the row ``3.其他`` when the column ``其他`` exists: the first key that
decides is the one that counts. Separating punctuation (``,``, ``、``, ``;``, ``:``) is not
part of any key either: OCR and converters trade ``、`` for ``,`` freely.

When no key matches, :meth:`LabelIndex.closest` offers a careful fuzzy fallback for labels a
report misspells (``2.其他法律行政止公开``): the one alias far closer than any other, with the
same numbering. The interpreter uses it only for a row label followed by values, and says so
in a diagnostic.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from gongkai.grammars import pattern

_DROP = re.compile(r"[\s\"'“”‘’「」『』〝〞]+")
_NUMERAL = pattern("_NUMERAL")
_NUMBERING = re.compile(rf"^(?:{_NUMERAL}、|\({_NUMERAL}\)|\d{{1,2}}[.、](?!\d))")
_PARENS = re.compile(r"\([^()]*\)")
_PUNCT = re.compile(r"[,;:、，；：]+")


#: How many keys ``label_keys`` gives, strictest first.
LEVELS = 3


# Keys are memoised: a corpus repeats the same few hundred labels in every report.
@lru_cache(maxsize=1 << 16)
def label_key(text: str) -> str:
    """The strictest key: NFKC-folded, without white space and quotes."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)
def label_keys(text: str) -> tuple[str, str, str]:
    exact = label_key(text)
    bare = _NUMBERING.sub("", exact, count=1)
    plain = _PARENS.sub("", bare) or bare
    return _PUNCT.sub("", exact), _PUNCT.sub("", bare), _PUNCT.sub("", plain)


def numbering(text: str) -> str:
    """The label's leading numbering, ``2、`` written as ``2.``; empty when it has none."""
    m = _NUMBERING.match(label_key(text))
    if not m:
        return ""
    found = m.group(0)
    return found.replace("、", ".") if found[0].isdigit() else found


def similarity(a: str, b: str) -> float:
    """0 to 1: twice the characters the two have in common, in order, over their lengths."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


#: A fuzzy match needs this similarity to its alias, and this lead over the next code's.
FUZZY_MIN = 0.8
FUZZY_LEAD = 0.08
#: Labels shorter than this (bare, in characters) are never matched fuzzily.
FUZZY_MIN_LENGTH = 6


class LabelIndex:
    """Looks labels up among a set of codes, each with its aliases."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        self._levels: tuple[dict[str, set[str]], ...] = (
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
        )
        self._aliases: list[tuple[str, str]] = []
        for code, aliases in entries:
            for alias in aliases:
                self._aliases.append((code, alias))
                for level, key in zip(self._levels, label_keys(alias), strict=True):
                    level[key].add(code)

    def closest(self, text: str) -> tuple[str, str] | None:
        """``(code, alias)`` of the one alias that ``text`` is a near miss of, else None.

        Compared without numbering or spaces; the numbering itself must agree when both have
        one; the best code must be at least FUZZY_MIN similar and FUZZY_LEAD ahead of any other.
        """
        key = label_keys(text)[1]
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        number = numbering(text)
        best: dict[str, tuple[float, str]] = {}
        for code, alias in self._aliases:
            alias_number = numbering(alias)
            if number and alias_number and number != alias_number:
                continue
            score = similarity(key, label_keys(alias)[1])
            if score > best.get(code, (0.0, ""))[0]:
                best[code] = (score, alias)
        ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)
        if not ranked or ranked[0][1][0] < FUZZY_MIN:
            return None
        if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < FUZZY_LEAD:
            return None
        code, (_, alias) = ranked[0]
        return code, alias

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
    return any(m in key for m in _marker_keys(tuple(markers)))


@lru_cache(maxsize=256)
def _marker_keys(markers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(label_key(m) for m in markers)
