"""Readers stay linear on hostile shapes (issue 21): spans that claim more than the table holds,
elements nested thousands deep. Bounded sizes, no timings: what is built is counted, and a
subprocess runs under resource limits that only a superlinear reader reaches (real figures:
bench/hostile_shapes.py)."""

from __future__ import annotations

import importlib.util
import resource
import subprocess
import sys
import time

import pytest
from hostile_pdf import content_pdf, rectangles, text_runs

import gongkai
from gongkai.engine.manager import default_engine
from gongkai.errors import InputError
from gongkai.pipeline import read

TABLE = ("<table><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td>"
         "<td>对外公开总数量</td></tr><tr><td>{label}</td><td>1</td><td>2</td><td>3</td></tr>"
         "</table>")
SPAN_ROW = "<tr><td rowspan=99999 colspan=1000>规章</td><td>i</td></tr>"


def _span_page(rows: int) -> bytes:
    return ("<html><body><h2>二、主动公开政府信息情况</h2><table>" + SPAN_ROW * rows
            + "</table></body></html>").encode()


@pytest.mark.parametrize("rows", [50, 250, 1000])
def test_spans_build_text_in_proportion_to_the_page(rows):
    """250 such rows (16 KB) took 10.7 s and 975 MB: spans were expanded cell by cell."""
    page = _span_page(rows)
    source, _ = read(page, engine=default_engine(), filename="x.html")
    assert source.text.count("|") <= 6 * rows  # two cells a row, bounded padding
    assert len(source.text) <= 2 * len(page)


def test_a_real_span_table_keeps_its_grid():
    page = ("<html><body><h2>二、主动公开政府信息情况</h2><table>"
            "<tr><td rowspan=2>信息内容</td><td colspan=3>本年</td></tr>"
            "<tr><td>新制作</td><td>新公开</td><td>总数</td></tr>"
            "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table></body></html>")
    source, _ = read(page.encode(), engine=default_engine(), filename="x.html")
    lines = [line for line in source.text.split("\n") if "|" in line]
    assert lines == ["信息内容 | 本年 |||", "新制作 | 新公开 | 总数 ||", "规章 | 1 | 2 | 3 |"]


def test_a_64_kb_span_page_converts_within_generous_limits():
    """64 KB took 271 s (and gigabytes): now far inside a CPU and memory limit."""
    code = ("import sys, gongkai; gongkai.convert_bytes(sys.stdin.buffer.read(), "
            "filename='x.html')")

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    page = _span_page(64 * 1024 // len(SPAN_ROW))
    done = subprocess.run([sys.executable, "-c", code], input=page, capture_output=True,
                          preexec_fn=limits, timeout=600)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


@pytest.mark.parametrize("depth", [300, 2000])
def test_deeply_nested_elements_keep_the_report(depth):
    """255 nested <div> made a valid page 'have no text'."""
    page = ("<html><body>" + "<div>" * depth + "<p>二、主动公开政府信息情况</p>"
            + TABLE.format(label="规章") + "</div>" * depth + "</body></html>")
    report = gongkai.convert_bytes(page.encode(), filename="x.html")
    assert report.table("proactive").value("regulations", "new_made") == 1


def test_nesting_past_the_parser_limit_is_a_clear_error():
    page = "<html><body>" + "<div>" * 3000 + "<p>二、概述</p>" + "</div>" * 3000 + "</body></html>"
    with pytest.raises(InputError, match="more than 2048 deep"):
        gongkai.convert_bytes(page.encode(), filename="x.html")


def test_a_thousand_nested_spans_in_a_cell_keep_the_table():
    """1,000 nested <span> in one cell lost the table (recursion)."""
    label = "<span>" * 1000 + "规章" + "</span>" * 1000
    page = ("<html><body><p>二、主动公开政府信息情况</p>" + TABLE.format(label=label)
            + "</body></html>")
    report = gongkai.convert_bytes(page.encode(), filename="x.html")
    assert report.table("proactive").value("regulations", "new_made") == 1


def test_more_cells_than_the_limit_is_a_clear_error(monkeypatch):
    """60 MiB of '|' runs peaked at 4.5 GB: a documented cap on cells, checked before parsing."""
    from gongkai import pipeline

    monkeypatch.setattr(pipeline, "MAX_CELLS", 5_000)
    text = "一、总体情况\n二、主动公开政府信息情况\n" + ("|" * 100 + "\n") * 60
    with pytest.raises(InputError, match="6,000 table cells, more than the limit of 5,000"):
        gongkai.convert_text(text)
    assert gongkai.convert_text(text.replace("|" * 100, "|" * 80)) is not None


def test_bare_cells_count_towards_the_limit(monkeypatch):
    """Cells without bars get theirs back before parsing (gongkai.parse.tabulate): they count
    too."""
    from gongkai import pipeline

    monkeypatch.setattr(pipeline, "MAX_CELLS", 500)
    rows = "".join(f"行政许可\n{i}\n{i + 1}\n{i + 2}\n" for i in range(200))
    text = ("一、总体情况\n二、主动公开政府信息情况\n信息内容\n本年新制作数量\n本年新公开数量\n"
            "对外公开总数量\n" + rows)
    assert "|" not in text
    with pytest.raises(InputError, match="table cells, more than the limit of 500"):
        gongkai.convert_text(text)


# -- PDF: work bounded per page, whatever the compression ----------------------------------------

needs_pypdf = pytest.mark.skipif(importlib.util.find_spec("pypdf") is None,
                                 reason="the pdf extra (pypdf) is not installed")


@needs_pypdf
@pytest.mark.parametrize("content,pages,message", [
    # 51 KB on disk, 26 MB of content: took over two minutes and 2.8 GB.
    (rectangles(2_000_000), 1, r"page 1 of the PDF draws [\d,]+ bytes of content"),
    (text_runs(500_000), 1, r"page 1 of the PDF draws [\d,]+ bytes of content"),
    # Under the page limit, over what a file of its size may draw in all.
    (rectangles(19_000), 8, r"pages draw more than [\d,]+ bytes of content"),
    (b"BT /F1 12 Tf 72 720 Td (x) Tj ET", 1_500, r"has 1500 pages, more than"),
])
def test_a_pdf_that_would_take_unbounded_work_is_refused_quickly(content, pages, message):
    data = content_pdf(content, pages=pages)
    start = time.perf_counter()
    with pytest.raises(InputError, match=message):
        gongkai.convert_bytes(data, filename="x.pdf")
    assert time.perf_counter() - start < 30  # a hang guard: it takes well under a second


@needs_pypdf
def test_a_page_of_many_shapes_is_refused_before_its_tables_are_found():
    with pytest.raises(InputError, match=r"page 1 of the PDF has \d+ drawn lines and shapes"):
        gongkai.convert_bytes(content_pdf(rectangles(6_000)), filename="x.pdf")
