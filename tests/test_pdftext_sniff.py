"""The PDF-text reader's test for pipe text (four lines of cells closed by "|") says what
the line pattern it replaced said: ``^[ \\t]*[^|\\s][^\\n]*\\|[ \\t]*\\r?$`` (multiline), four
matches or more."""

from __future__ import annotations

import re
from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.plugins.pdftext_reader import _pipe_lines

PATTERN = re.compile(rb"^[ \t]*[^|\s][^\n]*\|[ \t]*\r?$", re.MULTILINE)


def reference(head: bytes, enough: int) -> bool:
    return next(islice(PATTERN.finditer(head), enough - 1, None), None) is not None


#: Lines made of the bytes that matter to the pattern, and others.
LINE = st.lists(st.sampled_from([b"|", b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"a", b"1",
                                 "中".encode(), b"||", b"| "]), max_size=8).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(LINE, max_size=12), st.integers(1, 5), st.booleans())
def test_pipe_lines_agree_with_the_line_pattern(lines, enough, final_newline):
    head = b"\n".join(lines) + (b"\n" if final_newline else b"")
    assert _pipe_lines(head, enough) == reference(head, enough)


def test_the_samples_shapes():
    pipe = "一、 | 本年 |\n规范性文件 | 1 | 2 |\n  a|\nb |\t\r\n".encode()
    assert _pipe_lines(pipe, 4) and reference(pipe, 4)
    markdown = b"| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n"
    assert not _pipe_lines(markdown, 4) and not reference(markdown, 4)
