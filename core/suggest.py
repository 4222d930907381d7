""""Did you mean ...?": the nearest of some known names to a mistyped one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``word`` (case ignored), or None when none is close."""
    names = list(known)
    by_fold = {n.casefold(): n for n in names}
    if word.casefold() in by_fold:
        return by_fold[word.casefold()]
    found = difflib.get_close_matches(word.casefold(), list(by_fold), n=1, cutoff=0.6)
    return by_fold[found[0]] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or empty."""
    hint = nearest(word, known)
    return f" (did you mean {hint!r}?)" if hint and hint != word else ""
