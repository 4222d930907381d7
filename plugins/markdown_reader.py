"""Reader for Markdown: pipe tables, headings, and the PDF text that converters leave around.

Reports reach users as Markdown made from PDFs or scans: tables as pipe tables (often one table
per row, or a table split into several with made-up headers), separator rows ``|---|``,
``#`` headings, and between the tables lines of PDF text the converter did not recognise as
table (``行政许可 0``, broken labels, ``— 4 —`` page numbers). Pipe rows keep their cells;
every other line is classified as PDF text is (gongkai.read.pipetext).
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
    page_lines,
    to_pipe_text,
)

EXTENSIONS = (".md", ".markdown")
# Only [ \t] around the dashes: \s would cross lines and backtrack on a run of blank lines.
_SEPARATOR_BYTES = re.compile(rb"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*\|", re.MULTILINE)
_HEADING_BYTES = re.compile(rb"^#{1,6} \S", re.MULTILINE)


def sniff(head: bytes, filename: str) -> float:
    if looks_binary(head):
        return 0.0
    if filename.lower().endswith(EXTENSIONS):
        return 0.9
    # Each pattern needs its marker somewhere: looking for that first is a scan in C, where
    # the pattern (anchored at every line start) is tried at every position.
    if b"---" in head and _SEPARATOR_BYTES.search(head):
        return 0.8
    if b"#" in head and len(_HEADING_BYTES.findall(head)) >= 2:
        return 0.6
    return 0.0


def read(data: bytes, options: ReadOptions) -> Source:
    text, encoding = decode(data, options.encoding)
    return to_pipe_text(page_lines(text, markdown=True), encoding)


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
