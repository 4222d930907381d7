"""Readers: chosen by extension and by content, named with --from; encodings; what the HTML,
Markdown and PDF-text readers make of their input; the same report as HTML and as PDF text
giving the same cells."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata

import lxml.html
import pytest

import gongkai
from gongkai import Status
from gongkai.engine.manager import default_engine
from gongkai.engine.plugin_types import ReadOptions
from gongkai.errors import InputError, UsageError
from gongkai.plugins import html_reader, markdown_reader, pdftext_reader
from gongkai.read.pipetext import FRAGMENT, HEADING, PAGE, PROSE, ROW, classify

from conftest import FIXTURES, seed_path

SAMPLES = FIXTURES / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def cells(report) -> list[tuple]:
    return [(c.table, c.row, c.column, c.value, c.status) for c in report.cells()]


def pipe_lines(reader, data: bytes) -> list[str]:
    return reader.read(data, ReadOptions()).text.split("\n")


# -- choice ------------------------------------------------------------------------------------


def test_the_readers_are_plugins():
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="gongkai")}
    for name in ("html_reader", "markdown_reader", "pdftext_reader", "pdf_reader"):
        assert eps[name] == f"gongkai.plugins.{name}"
    names = {c.name for c in default_engine().readers()}
    assert {"text", "html", "markdown", "pdftext", "pdf"} <= names


@pytest.mark.parametrize("name,by_name,by_content", [
    ("city-2025.html", "html", "html"),
    ("huaian-2024.pdf.txt", "pdftext", "pdftext"),
    ("hongze-2023.pdf.txt", "pdftext", "pdftext"),
    ("shuyang-2025.ocr.md", "markdown", "markdown"),
    ("suqian-2025-abridged.md", "markdown", "markdown"),
    # Markdown made from PDF whose first 4 KB are PDF text with page numbers and no table:
    # read as PDF text, which keeps pipe rows too, so the cells are the same.
    ("shanghai-office-2025.md", "markdown", "pdftext"),
    ("changtu-2021.excerpt.txt", "text", "text"),
    ("wuhan-eeb-2020.traditional.excerpt.txt", "text", "text"),
])
def test_reader_chosen_by_extension_and_by_content(name, by_name, by_content):
    named = gongkai.convert_bytes(sample(name), filename=name)
    unnamed = gongkai.convert_bytes(sample(name))
    assert (named.metadata.reader, unnamed.metadata.reader) == (by_name, by_content)
    assert cells(unnamed) == cells(named)


def test_seeds_are_read_as_pipe_text_without_a_name():
    for prefix in ("000", "001", "002", "003", "004"):
        data = seed_path(prefix).read_bytes()
        assert gongkai.convert_bytes(data).metadata.reader == "text"
        assert gongkai.convert_bytes(data, filename="seed.txt").metadata.reader == "text"


def test_pdf_text_named_txt_is_still_pdf_text():
    data = sample("huaian-2024.pdf.txt")
    assert gongkai.convert_bytes(data, filename="huaian.txt").metadata.reader == "pdftext"


def test_from_names_the_reader():
    path = SAMPLES / "suqian-2025-abridged.md"
    assert gongkai.convert_file(path, reader="markdown").metadata.reader == "markdown"
    as_text = gongkai.convert_file(path, reader="text")
    assert as_text.metadata.reader == "text"
    with pytest.raises(UsageError, match=r"unknown reader 'nosuch'.*html.*markdown.*pdftext"):
        gongkai.convert_file(path, reader="nosuch")


def test_cli_from(tmp_path):
    # A Markdown report named .txt: --from says how to read it.
    path = tmp_path / "report.txt"
    path.write_bytes(sample("suqian-2025-abridged.md"))
    run = subprocess.run([sys.executable, "-m", "gongkai", "convert", str(path), "--to", "csv",
                          "--from", "markdown"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "report,review_litigation,review,total,259,,259,ok,20" in run.stdout


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encoded_report_reads_like_utf8(encoding):
    text = sample("huaian-2024.pdf.txt").decode("utf-8")
    utf8 = gongkai.convert_bytes(text.encode("utf-8"), filename="h.pdf.txt")
    report = gongkai.convert_bytes(text.encode(encoding), filename="h.pdf.txt")
    assert report.metadata.encoding == "gb18030"
    assert cells(report) == cells(utf8)
    assert report.cell("requests", "total", "total").raw == "3050"


def test_big5_report_is_told_from_gb():
    text = sample("wuhan-eeb-2020.traditional.excerpt.txt").decode("utf-8")
    utf8 = gongkai.convert_bytes(text.encode("utf-8"))
    report = gongkai.convert_bytes(text.encode("big5"))
    assert report.metadata.encoding == "big5"
    assert report.metadata.script == "traditional"
    assert cells(report) == cells(utf8)


def test_utf8_with_bom_and_forced_encoding():
    data = sample("suqian-2025-abridged.md")
    assert gongkai.convert_bytes(b"\xef\xbb\xbf" + data).metadata.encoding == "utf-8-sig"
    gbk = data.decode("utf-8").encode("gbk")
    forced = gongkai.convert_bytes(gbk, encoding="gbk", filename="s.md")
    assert forced.metadata.encoding == "gbk"
    assert forced.table("requests").value("new", "total") == 3830
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        gongkai.convert_bytes(gbk, encoding="utf-8", filename="s.md")


def test_undecodable_input_is_an_error_not_mojibake():
    with pytest.raises(InputError, match="--encoding"):
        gongkai.convert_bytes(bytes(range(0x81, 0xFF)) * 40)
    with pytest.raises(InputError, match="cannot decode"):
        gongkai.convert_bytes("报告".encode() + b"\xff\x80" * 30)


def test_html_declared_charset_is_used_and_recorded():
    text = sample("city-2025.html").decode("utf-8").replace('charset="utf-8"', 'charset="gb2312"')
    report = gongkai.convert_bytes(text.encode("gbk"), filename="city.html")
    assert report.metadata.encoding == "gb2312"
    assert cells(report) == cells(gongkai.convert_bytes(sample("city-2025.html")))


# -- HTML --------------------------------------------------------------------------------------

GRID = """<html><body><p>二、主动公开政府信息情况</p><table>
<tr><td colspan="3">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>现行有效件数</td></tr>
<tr><td rowspan="2">A</td><td>1</td><td rowspan="2">9</td></tr>
<tr><td>2</td></tr>
<tr><td>L</td><td rowspan="2">5</td><td>6</td></tr>
<tr><td>M</td><td>7</td></tr>
<tr><td>x</td><td>&nbsp;</td><td>3</td></tr>
</table></body></html>"""


def test_html_spans_expand_into_a_grid():
    lines = pipe_lines(html_reader, GRID.encode())
    assert lines == [
        "二、主动公开政府信息情况",
        "第二十条第（一）项 |||",       # written once, padded to the grid's three columns
        "信息内容 | 本年制发件数 | 现行有效件数 |",
        "A | 1 | 9 |",
        "2 |||",                         # A and 9 merged from above: before and after it
        "L | 5 | 6 |",
        "M |  | 7 |",                    # 5 merged from above between M and 7: 7 keeps its column
        "x |  | 3 |",                    # &nbsp;: an empty cell
    ]


def test_html_source_lines():
    source = html_reader.read(GRID.encode(), ReadOptions())
    assert [source.source_line(n) for n in range(1, 9)] == [1, 2, 3, 4, 5, 6, 7, 8]
    report = gongkai.convert_bytes(sample("city-2025.html"))
    html = sample("city-2025.html").decode("utf-8").split("\n")
    for cell in report.cells():  # the line of the cell's <tr>: the cell is on it or below
        assert cell.raw and cell.raw in "".join(html[cell.line - 1:cell.line + 5]), cell
    assert report.cell("proactive", "regulations", "issued").line == 13


def test_html_nbsp_cell_is_empty_not_zero():
    text = sample("city-2025.html").decode("utf-8").replace(
        "<td>规章</td><td>3</td>", "<td>规章</td><td>&nbsp;</td>")
    report = gongkai.convert_bytes(text.encode(), filename="city.html")
    cell = report.cell("proactive", "regulations", "issued")
    assert (cell.value, cell.status, cell.raw) == (None, Status.EMPTY, "")
    assert report.cell("proactive", "regulations", "repealed").value == 5


def test_html_scripts_styles_and_chrome_are_dropped():
    text = sample("city-2025.html").decode("utf-8").replace(
        "<body>",
        "<body><nav>首页 一、总体情况 二、主动公开</nav><script>var s = '三、收到';</script>"
        "<style>p { color: red }</style><div class='breadcrumb'>当前位置：首页</div>"
        "<header>测试市人民政府门户网站</header>",
    ).replace("</body>", "<footer>版权所有 网站地图</footer><div id='share-bar'>分享到</div>"
                         "</body>")
    report = gongkai.convert_bytes(text.encode(), filename="city.html")
    everything = "\n".join(s.title + s.text for s in report.sections)
    for chrome in ("首页", "var s", "color", "当前位置", "门户网站", "版权所有", "分享到"):
        assert chrome not in everything
    assert cells(report) == cells(gongkai.convert_bytes(sample("city-2025.html")))
    assert [s.number for s in report.sections if s.number] == list("一二三四五六")


def test_html_content_under_a_misleading_class_is_kept():
    text = sample("city-2025.html").decode("utf-8").replace(
        'class="article-content"', 'class="main-nav-content"')
    report = gongkai.convert_bytes(text.encode(), filename="city.html")
    assert cells(report) == cells(gongkai.convert_bytes(sample("city-2025.html")))


def test_html_invisible_control_characters_are_dropped():
    text = sample("city-2025.html").decode("utf-8").replace(
        "<td>规章</td>", "<td>规\x08章</td>").replace("扎实推进", "扎实\x01推进")
    report = gongkai.convert_bytes(text.encode(), filename="city.html")
    assert cells(report) == cells(gongkai.convert_bytes(sample("city-2025.html")))


def test_html_layout_table_is_read_as_blocks():
    text = sample("city-2025.html").decode("utf-8")
    body = text[text.index("<body>") + 6:text.index("</body>")]
    wrapped = text.replace(body, f"<table><tr><td>左栏</td><td>{body}</td></tr></table>")
    report = gongkai.convert_bytes(wrapped.encode(), filename="city.html")
    assert cells(report) == cells(gongkai.convert_bytes(sample("city-2025.html")))


def test_html_that_is_no_report():
    page = "<html><body><nav>菜单</nav><p>今日新闻</p></body></html>"
    with pytest.raises(gongkai.errors.NotAReportError):
        gongkai.convert_bytes(page.encode(), filename="news.html")


# -- Markdown ----------------------------------------------------------------------------------

MARKDOWN = """# 某市 2024 年政府信息公开工作年度报告

## 二、主动公开政府信息情况

| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|:---|---:|---|---|
| 规章 | 1 | 0 | 2 |
| 行政规范性文件 \\| 注 | **3** | 0 |  |
— 4 —
"""


def test_markdown_pipes_headings_and_page_numbers():
    lines = pipe_lines(markdown_reader, MARKDOWN.encode())
    assert lines == [
        "某市 2024 年政府信息公开工作年度报告", "",
        "二、主动公开政府信息情况", "",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 1 | 0 | 2 |",
        "行政规范性文件 / 注 | 3 | 0 |  |",
        "",
    ]
    source = markdown_reader.read(MARKDOWN.encode(), ReadOptions())
    assert source.source_line(6) == 7  # the separator row is dropped; lines still map
    assert not source.positional


# -- PDF text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("line,kind", [
    ("- 5 -", PAGE), ("— 4 —", PAGE), ("-12-", PAGE),
    ("规章 1 0 11", ROW),
    ("72 64 178 37 351 13 4 8 1 26 12 1 1 6 20", ROW),
    ("行政强制 4 4 -", ROW),
    ("商 业 企", FRAGMENT), ("（三）不", FRAGMENT), ("第二十条 第（一）项", FRAGMENT),
    ("三、收到和处理政府信息公开申请情况", HEADING),
    ("2024 年，我市坚持以习近平新时代中国特色社会主义思想为", PROSE),
    ("完成了各项任务。", PROSE),
    # A sentence that ends in a number is prose, not a row.
    ("答复），均在法定期限内予以答复。政府信息公开行政复议 351", PROSE),
])
def test_pdf_text_lines_are_classified(line, kind):
    assert classify(line, 1).kind == kind


def test_pdf_text_rows_become_cells_and_page_numbers_go():
    source = pdftext_reader.read(sample("huaian-2024.pdf.txt"), ReadOptions())
    lines = source.text.split("\n")
    assert not any(re.fullmatch(r"- \d+ -", ln) for ln in lines)
    n = lines.index("法提供 2.没有现成信息需要另行制作 | 11 | 0 | 0 | 0 | 0 | 0 | 11 |") + 1
    assert source.source_line(n) == 117  # line 116 is "- 5 -"
    assert "规章 | 1 | 0 | 11 |" in lines and "72 | 64 | 178 | 37 | 351 | 13 | 4 | 8 | 1 | 26 | " \
        "12 | 1 | 1 | 6 | 20 |" in lines
    assert "一、总体情况" in lines  # headings and prose stay lines of text


def test_pdftotext_form_feeds_keep_line_numbers():
    text = sample("huaian-2024.pdf.txt").decode("utf-8").replace("- 5 -", "\f- 5 -")
    report = gongkai.convert_bytes(text.encode(), filename="h.pdf.txt")
    assert report.cell("requests", "unable.needs_creation", "total").line == 117


def test_a_heading_out_of_the_outline_is_a_label():
    text = ("一、总体情况\n好。\n二、主动公开\n规章 1 0 1\n三、收到和处理\n三、本法提供\n"
            "一、本年新收 1 1\n")
    lines = pipe_lines(pdftext_reader, text.encode())
    assert "三、本法提供 |" in lines and "三、收到和处理" in lines


# -- the same report in two shapes ---------------------------------------------------------------


def html_as_pdf_text(html: bytes) -> str:
    """What a PDF of the page gives as text: paragraphs, and each table row's cells with spaces
    (spanned cells once, blank cells gone)."""
    root = lxml.html.document_fromstring(html.decode("utf-8"))
    out = []
    for el in root.iter("p", "tr"):
        if el.tag == "p":
            out.append(el.text_content().strip())
        else:
            words = [td.text_content().strip() for td in el if td.tag == "td"]
            out.append(" ".join(w for w in words if w))
    return "\n".join(out) + "\n"


def test_html_and_its_pdf_text_give_the_same_cells():
    html = sample("city-2025.html")
    from_html = gongkai.convert_bytes(html, filename="city.html")
    text = html_as_pdf_text(html)
    from_text = gongkai.convert_bytes(text.encode(), filename="city.pdf.txt")
    assert from_text.metadata.reader == "pdftext"
    assert cells(from_text) == cells(from_html)
    assert from_text.metadata.templates == from_html.metadata.templates
    assert not [d for d in from_text.diagnostics if d.severity.value != "info"]


def test_pdf_text_and_its_html_give_the_same_cells():
    # huaian-2024 as the city page's HTML (the official 2021 structure) with huaian's numbers
    # in place of the city's, in the same order.
    from_text = gongkai.convert_bytes(sample("huaian-2024.pdf.txt"), filename="h.pdf.txt")
    numbers = iter(c.raw for c in from_text.cells())
    html, count = re.subn(r'(<td(?: colspan="3")?>)\d+(</td>)',
                          lambda m: m.group(1) + next(numbers) + m.group(2),
                          sample("city-2025.html").decode("utf-8"))
    assert count == 200
    from_html = gongkai.convert_bytes(html.encode(), filename="h.html")
    assert cells(from_html) == cells(from_text)


# -- placeholders and blanks -------------------------------------------------------------------

HEADER = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
FORMS = [["规章", "/", "-", "—"], ["行政规范性文件", "无", "", "0"]]
EXPECTED_FORMS = [("/", Status.PLACEHOLDER), ("-", Status.PLACEHOLDER),
                  ("—", Status.PLACEHOLDER), ("无", Status.PLACEHOLDER), ("", Status.EMPTY),
                  ("0", Status.OK)]


def as_pipe_text(rows):
    return "\n".join(" | ".join(r) + " |" for r in rows)


def as_markdown(rows):
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join([lines[0], "|---|---|---|---|", *lines[1:]])


def as_html(rows):
    trs = "".join("<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in r) + "</tr>"
                  for r in rows)
    return f"<html><body><p>二、主动公开政府信息情况</p><table>{trs}</table></body></html>"


@pytest.mark.parametrize("render,filename", [
    (as_pipe_text, "r.txt"), (as_markdown, "r.md"), (as_html, "r.html")])
def test_placeholders_blanks_and_zero_stay_apart(render, filename):
    body = render([HEADER, *FORMS])
    text = body if filename.endswith(".html") else f"二、主动公开政府信息情况\n{body}\n"
    report = gongkai.convert_bytes(text.encode(), filename=filename)
    got = [(c.raw, c.status) for c in report.table("proactive").cells[:6]]
    assert got == EXPECTED_FORMS
    assert all(c.value is None for c in report.table("proactive").cells[:5])
    assert report.cell("proactive", "normative_documents", "in_force").value == 0


def test_placeholders_in_pdf_text():
    # A blank cell leaves no trace in PDF text; the others are written and kept apart.
    text = ("二、主动公开政府信息情况\n" + " ".join(HEADER)
            + "\n规章 / - —\n行政规范性文件 无 0 0\n")
    report = gongkai.convert_bytes(text.encode(), filename="r.pdf.txt")
    got = [(c.raw, c.status) for c in report.table("proactive").cells[:6]]
    assert got == [*EXPECTED_FORMS[:4], ("0", Status.OK), ("0", Status.OK)]


def test_table_four_short_of_a_number_in_pdf_text_is_not_read():
    text = sample("huaian-2024.pdf.txt").decode("utf-8").replace(
        "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20", "72 64 178 37 351 13 4 8 1 26 12 1 1 6")
    report = gongkai.convert_bytes(text.encode(), filename="h.pdf.txt")
    table = report.table("review_litigation")
    assert all(c.status is Status.AMBIGUOUS and c.value is None for c in table.cells)
    (said,) = [d for d in report.diagnostics if d.code == "cells-ambiguous"]
    assert "14 values for its 15 cells" in said.message and said.line == 170


# -- sniffing: the cheap looks before each pattern change no answer ----------------------------

_HEAD_PIECES = [b"# t\n", b"## x\n", b"|---|---|\n", b" :---: |\n", b"- 5 -\n", "— 4 —\n".encode(),
                b"a 1 2 3\n", b"a | 1 |\n", b"<p>x</p>", b"<div>", b"<br/>", b"1,0.\n", b"\t\n",
                "规章 1 0 11\n".encode(), b"---\n", b"#\n", b"-\n", b"x 1 2\r\n"]


def _old_markdown_sniff(head: bytes) -> float:
    if markdown_reader._SEPARATOR_BYTES.search(head):
        return 0.8
    return 0.6 if len(markdown_reader._HEADING_BYTES.findall(head)) >= 2 else 0.0


#: The pattern the PDF-text sniff's pipe-text test replaced (tests/test_pdftext_sniff.py).
_OLD_PIPE_TEXT = re.compile(rb"^[ \t]*[^|\s][^\n]*\|[ \t]*\r?$", re.MULTILINE)


def _old_pdftext_sniff(head: bytes) -> float:
    if len(_OLD_PIPE_TEXT.findall(head)) > 3:
        return 0.0
    pages = bool(pdftext_reader._PAGE_LINE.search(head))
    rows = sum(1 for line in head.split(b"\n") if pdftext_reader._ends_in_numbers(line)) >= 3
    return 0.8 if pages and rows else 0.7 if pages or rows else 0.0


def _old_html_sniff(head: bytes) -> float:
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if html_reader._SNIFF.match(html_reader._skip_comments(body.lstrip())):
        return 0.9
    return 0.7 if len(html_reader._TAGS.findall(body)) >= 5 else 0.0


def test_sniffs_answer_as_their_patterns_alone_would():
    # Each sniff first looks for the bytes its pattern needs; that must never change a score.
    import random

    rng = random.Random(2019)
    scores = set()
    for _ in range(2000):
        head = b"".join(rng.choice(_HEAD_PIECES) for _ in range(rng.randint(0, 12)))
        found = (markdown_reader.sniff(head, "x"), pdftext_reader.sniff(head, "x"),
                 html_reader.sniff(head, "x"))
        assert found == (_old_markdown_sniff(head), _old_pdftext_sniff(head),
                         _old_html_sniff(head))
        scores.update(enumerate(found))
    # The heads reach every answer of each sniff.
    assert scores >= {(0, 0.0), (0, 0.6), (0, 0.8), (1, 0.0), (1, 0.7), (1, 0.8), (2, 0.0),
                      (2, 0.7)}
