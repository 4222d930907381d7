"""Reader for PDF files, through pypdf (the optional extra: ``pip install 'gongkai[pdf]'``).

Why pypdf: pure Python (installs everywhere, no system library), BSD-licensed, actively
maintained, and its layout mode writes each line of a page as it stands, cells apart by runs of
spaces — the PDF text the pdftext reader already understands. The text of every page is
extracted, pages joined, and read exactly as a ``.pdf.txt`` file is; a cell's ``line`` is
then a line of that extracted text. A PDF without a text layer (a scan) is refused with a
message saying so: gongkai does no OCR.
"""

from __future__ import annotations

import io
import logging
import re

from gongkai import hookimpl
from gongkai.errors import InputError
from gongkai.plugin_types import Reader, ReadOptions, Source
from gongkai.plugins.pdftext_reader import text_to_source

EXTENSIONS = (".pdf",)
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def sniff(head: bytes, filename: str) -> float:
    if head.lstrip()[:5] == b"%PDF-":
        return 1.0
    return 0.3 if filename.lower().endswith(EXTENSIONS) else 0.0


def extract_text(data: bytes) -> str:
    try:
        import pypdf
    except ImportError:
        raise InputError(
            "reading PDF files needs pypdf: pip install 'gongkai[pdf]' (or convert the PDF "
            "to text and read that)"
        ) from None
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
    text = extract_text(data)
    if not text.strip():
        raise InputError("the PDF has no text layer (a scan?); gongkai does no OCR")
    return text_to_source(text, "pdf")


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="pdf",
        description="PDF files with a text layer (needs the pdf extra: pip install "
                    "'gongkai[pdf]')",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
