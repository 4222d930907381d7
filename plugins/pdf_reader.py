"""Reader for PDF files (the optional extra: ``pip install 'gongkai[pdf]'``).

A PDF whose tables are ruled is read from its pages' geometry with pdfplumber
(gongkai.plugins._pdf_layout): the ruling lines give every cell and its spans, the
characters' positions the cells' text, and the tables come out as the grid the HTML reader
gives. A cell's ``line`` is then its page and line: ``page × 1000 + line on the page``.

A PDF without ruling lines is read from its text layer, through pypdf: its layout mode writes
each line of a page as it stands, cells apart by runs of spaces — the PDF text the pdftext
reader already understands. The text of every page is extracted, pages joined, and read exactly
as a ``.pdf.txt`` file is; a cell's ``line`` is then a line of that extracted text.

Why pypdf for the text layer: pure Python, BSD-licensed, maintained, and its layout mode keeps
columns apart. A PDF without a text layer (a scan) is refused with a message saying so:
gongkai does no OCR.

Bounded work: the page count and every page's decompressed content are checked before any
page is laid out, and its objects before its tables are found (gongkai.plugins._pdf_layout,
``check_bounds`` and the limits there).
"""

from __future__ import annotations

import io
import logging
import re

from gongkai.plugin import (
    InputError,
    Reader,
    ReadOptions,
    Source,
    hookimpl,
    text_to_source,
)

EXTENSIONS = (".pdf",)
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def sniff(head: bytes, filename: str) -> float:
    if head.lstrip()[:5] == b"%PDF-":
        return 1.0
    return 0.3 if filename.lower().endswith(EXTENSIONS) else 0.0


_MISSING = ("reading PDF files needs the pdf extra: pip install 'gongkai[pdf]' (or convert "
            "the PDF to text and read that)")


def extract_text(data: bytes) -> str:
    try:
        import pypdf
    except ImportError:
        raise InputError(_MISSING) from None
    # pypdf logs what it repairs in a damaged file; gongkai reports errors itself.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pdf = pypdf.PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise InputError("the PDF is encrypted with a password")
        pages = [_page_text(page) for page in pdf.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise InputError(f"cannot read the PDF: {exc}") from None
    return "\n".join(pages)


def _page_text(page) -> str:
    try:
        # Layout mode keeps each printed line a line, cells apart by runs of spaces.
        text = page.extract_text(extraction_mode="layout")
    except Exception:
        text = page.extract_text()
    # Layout mode writes a blank line for every empty band of the page: one is enough.
    return _BLANK_RUN.sub("\n\n", text or "").strip("\n")


def read(data: bytes, options: ReadOptions) -> Source:
    from gongkai.plugins._pdf_layout import check_bounds

    check_bounds(data)
    source = read_ruled(data)
    if source is not None:
        return source
    text = extract_text(data)
    if not text.strip():
        raise InputError("the PDF has no text layer (a scan?); gongkai does no OCR")
    return text_to_source(text, "pdf")


def read_ruled(data: bytes) -> Source | None:
    """The PDF read from its geometry when it has ruled tables; None when it has none."""
    try:
        import pdfplumber
    except ImportError:
        raise InputError(_MISSING) from None
    from gongkai.plugins._pdf_layout import read_layout

    # pdfminer logs what it repairs in a damaged file; gongkai reports errors itself.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            built = read_layout(pdf)
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged or encrypted file
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError("the PDF is encrypted with a password") from None
        raise InputError(f"cannot read the PDF: {exc or name}") from None
    return None if built is None else built.source("pdf")


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="pdf",
        description="PDF files with a text layer: ruled tables read from the page's "
                    "geometry (needs the pdf extra: pip install 'gongkai[pdf]')",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
