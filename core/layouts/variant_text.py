"""A variant's text normalizer: its annotations removed from table cells, its section headings
rewritten to the standard wording.

Annotation patterns are matched by RE2 (google-re2), whose matching time is linear in the text
whatever the pattern: a pattern Python's backtracking ``re`` would take minutes on
(``(x+x+)+y``) is harmless, and one RE2 cannot promise that for (back-references,
look-arounds) is refused when the file is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gongkai.engine.plugin_types import NormalizeContext
from gongkai.grammars import pattern
from gongkai.layouts.codes import load_codes
from gongkai.layouts.labels import label_key

#: Variant normalizers run after the script and junk normalizers (10, 20, 30): they see
#: simplified, half-width text.
NORMALIZER_ORDER = 40
#: Memory RE2 may use for one compiled pattern (beyond it, the pattern is refused).
RE2_MAX_MEM = 8 * 1024 * 1024
_HEADING = re.compile(rf"^(\s*{pattern('_NUMERAL')}\s*、\s*)(\S.*?)(\s*)$")


class PatternError(ValueError):
    """A pattern RE2 cannot compile (not RE2 syntax, or too large)."""


def linear_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2: matching is linear in the text, whatever the pattern."""
    try:
        import re2
    except ImportError:  # pragma: no cover - a dependency; missing only in a broken install
        raise PatternError("annotation patterns need the google-re2 package "
                           "(pip install google-re2)") from None
    options = re2.Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


class VariantText:
    """Removes annotations from table lines and rewrites section headings to their canonical
    wording, keeping every line and ``|`` (the normalizer contract)."""

    def __init__(self, ignore: Iterable[str], patterns: Iterable[str],
                 sections: Iterable[tuple[str, tuple[str, ...]]]):
        parts = [re.escape(a) for a in sorted(ignore, key=len, reverse=True)]
        parts += [f"(?:{p})" for p in patterns]
        # RE2 (linear time) reads re.escape's output as the same literals.
        self.ignore = linear_pattern("|".join(parts)) if parts else None
        titles = {s.code: s.zh for s in load_codes().sections}
        self.headings = [
            (label_key(w), titles[code]) for code, wordings in sections for w in wordings
        ]

    def apply(self, text: str, context: NormalizeContext) -> str:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if "|" in line:
                if self.ignore is not None:
                    lines[i] = "|".join(self.ignore.sub("", cell) for cell in line.split("|"))
            elif self.headings and (m := _HEADING.match(line)):
                key = label_key(m.group(2))
                title = next((t for w, t in self.headings if w == key), None)
                if title is not None:
                    lines[i] = m.group(1) + title + m.group(3)
        return "\n".join(lines)
