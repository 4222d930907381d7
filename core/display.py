"""Text from file names and reports made safe to show and to write (issue 21).

A file name is any bytes: Python gives the ones that are not UTF-8 as lone surrogates
(``os.fsdecode``), which no UTF-8 output can hold, and a name may hold a line break, terminal
escape sequences or bidirectional overrides that make a name read as another. Two helpers:

* :func:`printable` — for messages on a terminal: one line, every control, bidi and
  undecodable character shown as an escape (``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff``), and
  at most MAX_SHOWN characters;
* :func:`unicode_text` — for outputs (a report id, a source path): valid Unicode, each
  undecodable byte as U+FFFD.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SHOWN", "printable", "unicode_text"]

#: A message longer than this is cut (with "…"): one error is one readable line.
MAX_SHOWN = 2000

#: C0 and C1 controls, DEL, the bidirectional controls, line and paragraph separators, and
#: lone surrogates (undecodable bytes of a file name).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    char = m.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` as one line a terminal shows as written, nothing interpreted."""
    shown = _UNSHOWABLE.sub(_escape, text)
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN] + "…"


def unicode_text(text: str) -> str:
    """``text`` as valid Unicode: undecodable bytes and lone surrogates become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text)
