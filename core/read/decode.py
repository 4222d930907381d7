"""Bytes to text: encoding detection, and refusing what is not text at all.

Detection: a BOM decides; else UTF-8 if the bytes are valid UTF-8 (other encodings almost
never are by accident); else GB18030 and Big5 are both tried. Each 2-byte encoding decodes
most of the other's text without error, so the choice is by *plausibility*: the share of
Chinese characters among the ~5,000 most frequent ones of either script (GB2312 level 1 and
Big5 level 1). Real text scores near 1, text read in the wrong encoding near 0.6. When neither
reading is plausible the input is refused: mojibake is never passed on as a report.

A few bad bytes in otherwise good text (a byte flipped in transit, a stray Latin-1 character)
do not cost the report: when at most MAX_BAD_SHARE of the bytes cannot be decoded, each is
shown as U+FFFD, and the conversion says so in a diagnostic (``undecodable-bytes``). More
than that is the wrong encoding, and refused as before.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from gongkai.errors import InputError

#: The share of an input's bytes that may be undecodable and replaced (U+FFFD) rather than
#: the input refused.
MAX_BAD_SHARE = 0.01

#: Encodings tried, in order, when none is forced. UTF-8 first: it almost never decodes
#: anything else by accident. GB18030 (a superset of GBK and GB2312) before Big5.
CANDIDATES = ("utf-8", "gb18030", "big5")


#: Control bytes that count against text (tab, line breaks, form feed and escape do not).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: an image, an archive..."""
    global _last_binary
    # Every reader's sniff asks this of the same head in turn: the last answer is kept.
    if _last_binary[0] is data:
        return _last_binary[1]
    answer = _looks_binary(data)
    _last_binary = (data, answer)
    return answer


_last_binary: tuple[bytes | None, bool] = (None, False)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    # Counted in C (every reader's sniff calls this): the bytes a deletion of them removes.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. Raises InputError if impossible."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        try:
            return _strip_bom(data.decode(encoding)), encoding
        except UnicodeDecodeError as exc:
            text = _replaced(data, encoding)
            if text is not None:
                return _strip_bom(text), encoding
            raise InputError(
                f"cannot decode as {encoding}: invalid bytes at offset {exc.start}"
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _decode_strict(data[3:], "utf-8"), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode_strict(data[2:], name), "utf-16"
    if looks_binary(data):
        raise InputError("this is a binary file, not a text report")
    readings: list[tuple[float, str, str]] = []
    for name in CANDIDATES:
        text = _try_decode(data, name)
        if text is None:
            continue
        if name == "utf-8":
            return text, name
        readings.append((plausibility(text), name, text))
    # The most plausible reading; GB18030 wins ties (max keeps the first of equals).
    score, name, text = max(readings, key=lambda r: r[0]) if readings else (0.0, "", "")
    if score < PLAUSIBLE:
        # UTF-8 with a few bad bytes (each shown as U+FFFD) before giving up.
        almost = _replaced(data, "utf-8")
        if almost is not None:
            return almost, "utf-8"
    if not readings:
        raise InputError(
            "cannot decode the text as UTF-8, GB18030 or Big5; name the encoding with --encoding"
        )
    if score < PLAUSIBLE:
        tried = ", ".join(f"{n} {s:.0%}" for s, n, _ in readings)
        raise InputError(
            "the text decodes only to implausible characters (common Chinese characters: "
            f"{tried}); name the encoding with --encoding"
        )
    return text, name


#: Below this share of common characters a reading is taken for mojibake.
PLAUSIBLE = 0.8
#: Readings with fewer Chinese characters than this are not judged (too little to tell).
_MIN_JUDGED = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")


def plausibility(text: str) -> float:
    """Share of the text's Chinese characters that are common in either script (0 to 1)."""
    chars = _CJK.findall(text, 0, 200_000)
    if len(chars) < _MIN_JUDGED:
        return 1.0
    return sum(1 for c in chars if _common(c)) / len(chars)


@cache
def _common(char: str) -> bool:
    # Level 1 of GB2312 (rows 16-55) and of Big5 (A440-C67E): each about the 4,000-5,000 most
    # frequent characters of its script, by the standards' own ordering.
    try:
        if 0xB0 <= char.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA4 <= char.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _replaced(data: bytes, encoding: str) -> str | None:
    """``data`` decoded with each undecodable byte sequence as U+FFFD, when those are few."""
    text = data.decode(encoding, "replace")
    try:  # U+FFFD the input itself holds is not a loss
        own = data.count("\ufffd".encode(encoding))
    except UnicodeEncodeError:
        own = 0
    bad = text.count("\ufffd") - own
    return text if bad <= MAX_BAD_SHARE * len(data) else None


def _try_decode(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        if _cut_short(exc, data):
            # A download cut off inside its last character: keep the text, mark the loss
            # (else UTF-8 would fail, or decode as GB18030 nonsense).
            return data[: exc.start].decode(name) + "\ufffd"
        return None


def _cut_short(exc: UnicodeDecodeError, data: bytes) -> bool:
    """The only error is an incomplete multi-byte character at the very end."""
    return exc.end == len(data) and exc.reason in _CUT_SHORT


#: What the codecs call a character cut off by the end of the data (utf-8, utf-16, CJK).
_CUT_SHORT = ("unexpected end of data", "truncated data", "incomplete multibyte sequence")


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if _cut_short(exc, data):
            return data[: exc.start].decode(encoding) + "\ufffd"
        raise InputError(f"invalid {encoding} at byte offset {exc.start}") from None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_encoding(data: bytes, encoding: str | None) -> str:
    """``utf-16`` or ``utf-32`` (or their -le/-be) when the input is in one, by its BOM or by
    ``--encoding``; else ""."""
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            return ""  # the reader says the encoding is unknown
        return name if name.startswith(("utf-16", "utf-32")) else ""
    return next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), "")


def transcode(data: bytes, encoding: str) -> bytes:
    """``data`` in ``encoding`` as UTF-8 bytes (its BOM dropped); InputError where it cannot
    be decoded."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode as {encoding}: invalid bytes at offset "
                         f"{exc.start}") from None
    return text.lstrip("\ufeff").encode("utf-8")
