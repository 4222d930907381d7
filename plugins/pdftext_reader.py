"""Reader for text extracted from a PDF (``pdftotext``, a PDF viewer's copy, ``*.pdf.txt``).

The text has no cell separators: a table row is one line with its numbers at the end, header
words and long labels are broken over lines, and page numbers stand between rows. The lines
are classified and turned into pipe text by gongkai.read.pipetext; the interpreter
then reads the broken labels against the layouts' vocabulary.
"""

from __future__ import annotations

import re

from gongkai.plugin import (
    Reader,
    ReadOptions,
    Source,
    decode,
    hookimpl,
    looks_binary,
    text_to_source,
)

EXTENSIONS = (".pdf.txt",)
_PAGE_LINE = re.compile(rb"^[ \t]*(?:-|\xe2\x80\x94|\xe2\x80\x93)[ \t]*\d{1,4}[ \t]*"
                        rb"(?:-|\xe2\x80\x94|\xe2\x80\x93)[ \t]*\r?$", re.MULTILINE)
#: A line of pipe text is one of cells closed by "|" (its last "|" ends it, blanks aside),
#: not a Markdown row (which starts with one): the line's end found first, then its start.
_BAR_END = re.compile(rb"\|[ \t]*\r?$", re.MULTILINE)
_NUMBER = re.compile(rb"[+\-]?\d[\d,.]*")
#: What a page number's line holds, and what a line ending in a number ends with.
_DASHES = (b"-", "—".encode(), "–".encode())
_NUMBER_ENDS = frozenset(bytes([c]) for c in b"0123456789,.")


def sniff(head: bytes, filename: str) -> float:
    if looks_binary(head):
        return 0.0
    if filename.lower().endswith(EXTENSIONS):
        return 0.9
    if _pipe_lines(head, 4):
        return 0.0  # four lines of cells closed by "|": the pipe text of the text reader
    # Page numbers or rows of numbers without a "|": PDF text, also when it is named .txt
    # (the plain-text reader's 0.6).
    # (each test only where the bytes it needs are there: a scan in C is cheaper than the
    # pattern tried at every line start, or every line split into words)
    pages = any(dash in head for dash in _DASHES) and bool(_PAGE_LINE.search(head))
    rows = sum(1 for line in head.split(b"\n")
               if line.rstrip()[-1:] in _NUMBER_ENDS and _ends_in_numbers(line)) >= 3
    return 0.8 if pages and rows else 0.7 if pages or rows else 0.0


def _pipe_lines(head: bytes, enough: int) -> bool:
    """Whether ``head`` has ``enough`` lines of pipe text: a line whose first character
    after spaces and tabs is neither "|" nor blank, and whose last "|" has only spaces, tabs
    and a carriage return after it. (The bars are found by a scan for "|"; a pattern tried at
    every line start walked and backtracked over every line of prose.)"""
    found = 0
    for m in _BAR_END.finditer(head):
        start = head.rfind(b"\n", 0, m.start()) + 1
        first = head[start:m.start()].lstrip(b" \t")[:1]
        if first and first != b"|" and not first.isspace():
            found += 1
            if found >= enough:
                return True
    return False


def _ends_in_numbers(line: bytes) -> bool:
    """``一、本年新收… 3001 53 0 0 61 4 3119``: a label, then at least three numbers."""
    words = line.split()
    n = len(words)
    while n and _NUMBER.fullmatch(words[n - 1]):
        n -= 1
    # A label with digits run into it (``…数量1 0 00 001``) or a number with a leading zero is
    # a row written together (gongkai.parse.together), read by the text reader, not a page's row.
    if n and (words[n - 1][-1:].isdigit() or any(
            w[:1] == b"0" and w[1:2].isdigit() for w in words[n:])):
        return False
    return n > 0 and len(words) - n >= 3


def read(data: bytes, options: ReadOptions) -> Source:
    text, encoding = decode(data, options.encoding)
    return text_to_source(text, encoding)


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="pdftext",
        description="text extracted from a PDF: cells separated by spaces, labels broken "
                    "over lines, page numbers between rows",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
