"""File formats gongkai knows it does not read, and what to do with each.

A reader's absence is not a user's mistake: a spreadsheet, a scanned image or an archive each
get one line saying what the file is and what would make it readable, instead of "a binary
file". The same reasons are listed by a batch for the files it passes over.
"""

from __future__ import annotations

import os

from gongkai.read.decode import looks_binary

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Extension -> what the file is and what to do, for formats no built-in reader takes.
_BY_EXTENSION = {
    ".xls": "an Excel workbook: gongkai does not read spreadsheets; save the report as .docx, "
            "PDF or HTML",
    ".xlsx": "an Excel workbook: gongkai does not read spreadsheets; save the report as "
             ".docx, PDF or HTML",
    ".et": "a WPS spreadsheet: gongkai does not read spreadsheets; save the report as .docx, "
           "PDF or HTML",
    ".ppt": "a PowerPoint file: gongkai does not read slides; save the report as PDF",
    ".pptx": "a PowerPoint file: gongkai does not read slides; save the report as PDF",
    ".ofd": "an OFD document: gongkai does not read OFD; export it as PDF",
    ".odt": "an OpenDocument text: save it as .docx",
    ".zip": "an archive: unpack it and convert the reports inside",
    ".rar": "an archive: unpack it and convert the reports inside",
    ".7z": "an archive: unpack it and convert the reports inside",
    ".gz": "an archive: unpack it and convert the reports inside",
}
_IMAGE = ("an image: gongkai does no OCR; run OCR first (to Markdown or text) and convert "
          "that")
_IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")
_MAGIC = (
    (b"\x89PNG", _IMAGE), (b"\xff\xd8\xff", _IMAGE), (b"GIF8", _IMAGE), (b"II*\x00", _IMAGE),
    (b"MM\x00*", _IMAGE), (b"Rar!", _BY_EXTENSION[".rar"]), (b"7z\xbc\xaf", _BY_EXTENSION[".7z"]),
    (b"\x1f\x8b", _BY_EXTENSION[".gz"]),
)


def unreadable(head: bytes, filename: str = "") -> str | None:
    """One line saying what the file is and what to do with it, when it is a format gongkai
    knows and does not read; None otherwise."""
    found = _known(head, filename)
    if found is None:
        return None
    what, todo = found.split(": ", 1)
    kind = "a binary file" if looks_binary(head) else "a file"
    return f"this is {what}, {kind} no reader takes: {todo}"


def _known(head: bytes, filename: str) -> str | None:
    ext = os.path.splitext(filename.lower())[1]
    if ext in _IMAGES:
        return _IMAGE
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            return reason
    if head.startswith(_OLE) and "Workbook".encode("utf-16-le") in head:
        return _BY_EXTENSION[".xls"]
    return None
