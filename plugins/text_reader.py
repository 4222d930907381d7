"""Reader for plain text: the seeds' flattening of HTML tables, and any pipe text.

Decodes the bytes (UTF-8, GB18030, Big5; or the encoding forced with ``--encoding``), folds line
endings to ``\\n`` and full-width ``｜`` to ``|``, the cell separator the grammar knows.
"""

from __future__ import annotations

from gongkai.plugin import (
    Reader,
    ReadOptions,
    Source,
    decode,
    hookimpl,
    looks_binary,
)

EXTENSIONS = (".txt", ".text")


def sniff(head: bytes, filename: str) -> float:
    if looks_binary(head):
        return 0.0
    if filename.lower().endswith(EXTENSIONS):
        return 0.6
    return 0.1  # any text at all: the fallback reader


def read(data: bytes, options: ReadOptions) -> Source:
    text, encoding = decode(data, options.encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("｜", "|")
    return Source(text=text, encoding=encoding)


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="text",
        description="plain text with table cells closed by '|' (text flattened from web pages)",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
