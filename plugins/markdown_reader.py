"""Reader for Markdown: pipe tables, headings, and the PDF text that converters leave around.

Reports reach users as Markdown made from PDFs or scans: tables as pipe tables (often one table
per row, or a table split into several with made-up headers), separator rows ``|---|``,
``#`` headings, and between the tables lines of PDF text the converter did not recognise as
table (``行政许可 0``, broken labels, ``— 4 —`` page numbers). Pipe rows keep their cells;
every other line is classified as PDF text is (gongkai.plugins._reader_text).
"""

from __future__ import annotations

import re

from gongkai import hookimpl
from gongkai.decode import decode, looks_binary
from gongkai.plugin_types import Reader, ReadOptions, Source
from gongkai.plugins._reader_text import CELLS, TextLine, classify, to_pipe_text

EXTENSIONS = (".md", ".markdown")
# No two adjacent parts of these may match the same blank: "\s*\|?\s*" on a run of blanks is
# tried every way it can be split, which took minutes on 4 KB of blank lines.
_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_SEPARATOR_BYTES = re.compile(rb"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*\|", re.MULTILINE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def sniff(head: bytes, filename: str) -> float:
    if looks_binary(head):
        return 0.0
    if filename.lower().endswith(EXTENSIONS):
        return 0.9
    if _SEPARATOR_BYTES.search(head):
        return 0.8
    return 0.0


def split_cells(line: str) -> tuple[str, ...]:
    """``| a | b\\|c |`` -> ``("a", "b/c")``: a Markdown pipe row's cells."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return tuple(_inline(c.replace("\\|", "/")) for c in cells)


def _inline(text: str) -> str:
    text = _BREAK.sub(" ", text).replace("&nbsp;", " ")
    return _EMPHASIS.sub(r"\2", text).strip()


def markdown_line(text: str, line: int) -> TextLine:
    if text.lstrip().startswith("|"):
        return TextLine(CELLS, text.strip(), line, cells=split_cells(text))
    m = _HEADING.match(text)
    if m:
        title = m[2].rstrip().rstrip("#").rstrip()  # without a closing "##"
        return classify(_inline(title), line, depth=len(m[1]))
    return classify(_inline(text), line)


def read(data: bytes, options: ReadOptions) -> Source:
    text, encoding = decode(data, options.encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [markdown_line(t, n) for n, t in enumerate(text.split("\n"), start=1)
             if not _SEPARATOR.match(t)]
    return to_pipe_text(lines, encoding)


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="markdown",
        description="Markdown: pipe tables, headings, and the PDF text converters leave "
                    "between them",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
