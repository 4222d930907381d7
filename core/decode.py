"""Bytes to text: encoding detection, and refusing what is not text at all."""

from __future__ import annotations

import codecs

from .errors import InputError

#: Encodings tried, in order, when none is forced. UTF-8 first: it almost never decodes
#: anything else by accident. GB18030 (a superset of GBK and GB2312) before Big5.
CANDIDATES = ("utf-8", "gb18030", "big5")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: an image, an archive..."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
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
    for name in CANDIDATES:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            if _cut_short(exc, data):
                # A download cut off inside its last character: keep the text, mark the loss
                # (else UTF-8 would fail, or decode as GB18030 nonsense).
                return data[: exc.start].decode(name) + "\ufffd", name
            continue
    raise InputError(
        "cannot decode the text as UTF-8, GB18030 or Big5; name the encoding with --encoding"
    )


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
