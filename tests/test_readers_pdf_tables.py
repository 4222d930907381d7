"""The PDF reader on ruled tables: read from the page's geometry (pdfplumber).

``fixtures/pdf/huaian-2024.pdf`` is the real PDF of 淮安市人民政府's 2024 report (copied from
shared/samples unchanged): ruled tables with merged cells, header words broken inside cells,
the ``requests`` table continued over a page break. The other PDFs are made here with
reportlab from the city-2025 HTML sample (tests/pdf_documents.py).
"""

from __future__ import annotations

import io
import sys

import pytest

import gongkai
from gongkai.errors import InputError
from gongkai.model import Severity, Status
from gongkai.read.grid import GridCell, grid_lines

from conftest import FIXTURES, GOLDEN

pytest.importorskip("pdfplumber", reason="the pdf extra (pdfplumber) is not installed")
pytest.importorskip("reportlab", reason="the test extra (reportlab) is not installed")

import pdf_documents

from gongkai.plugins import _pdf_layout

HUAIAN = FIXTURES / "pdf" / "huaian-2024.pdf"
CITY = FIXTURES / "samples" / "city-2025.html"


@pytest.fixture(scope="module")
def huaian():
    return gongkai.convert(HUAIAN)


@pytest.fixture(scope="module")
def city_html() -> bytes:
    return CITY.read_bytes()


def cells(report):
    return [(c.table, c.row, c.column, c.value, c.status) for c in report.cells()]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_huaian_matches_its_golden(huaian, fmt, assert_golden):
    # Converted by name: the golden must not hold where the checkout lives.
    report = gongkai.convert_bytes(HUAIAN.read_bytes(), filename=HUAIAN.name)
    assert_golden(gongkai.dumps(report, fmt), GOLDEN / "pdf" / f"huaian-2024.{fmt}")


def test_huaian_gives_all_200_cells_and_no_finding(huaian):
    assert huaian.metadata.reader == "pdf"
    assert len(list(huaian.cells())) == 200
    assert {c.status for c in huaian.cells()} == {Status.OK}
    assert [d for d in huaian.diagnostics if d.severity is not Severity.INFO] == []
    # The rows the text layer lost: labels wrapped over three lines inside their cells.
    assert huaian.cell("requests", "other.fee_unpaid", "total").value == 6
    assert huaian.cell("requests", "withheld.security_stability", "total").value == 5
    # The requests table goes on over page 5: rows there keep their columns.
    assert huaian.cell("requests", "unable.needs_creation", "total").value == 11
    assert huaian.metadata.agency == "淮安市人民政府" and huaian.metadata.year == 2024


def test_huaian_cells_are_located_by_page_and_line(huaian):
    pages = {}
    for cell in huaian.cells():
        page, line = _pdf_layout.split_locator(cell.line)
        assert line > 0, cell
        pages.setdefault(cell.table, set()).add(page)
    assert pages == {"proactive": {3, 4}, "requests": {4, 5}, "review_litigation": {5}}
    fee = huaian.cell("requests", "other.fee_unpaid", "total")
    assert _pdf_layout.split_locator(fee.line)[0] == 5


def test_huaian_prose_is_paragraphs_without_page_numbers(huaian):
    overview = huaian.sections[1]
    assert overview.title == "总体情况"
    paragraphs = overview.text.split("\n")
    # A paragraph broken over lines and over a page break (the page number between) is one.
    assert any(p.startswith("(一)主动公开情况") and p.endswith("回应舆论关切。")
               for p in paragraphs)
    assert len(paragraphs) == 6
    assert all("- 1 -" not in p and "- 2 -" not in p for p in paragraphs)


def test_a_ruled_pdf_gives_the_cells_of_its_html(city_html):
    html = gongkai.convert_bytes(city_html, filename="city-2025.html")
    pdf = pdf_documents.build(pdf_documents.html_tables(city_html))
    report = gongkai.convert_bytes(pdf, filename="city-2025.pdf")
    assert report.metadata.reader == "pdf"
    assert cells(report) == cells(html)
    # The requests table is too long for the rest of its page: it goes on over the next.
    pages = {_pdf_layout.split_locator(c.line)[0] for c in report.table("requests").cells}
    assert len(pages) >= 2


@pytest.mark.parametrize("label_width,header_rows", [(60, 0), (80, 0), (70, 3), (100, 3)])
def test_wrapped_labels_and_repeated_headers(city_html, label_width, header_rows):
    # Narrow label columns wrap long labels over several lines (narrower than 60 points, reportlab
    # cannot split the table); the header rows of a
    # table split over pages are repeated at the top of each page.
    parts = pdf_documents.html_tables(city_html)
    pdf = pdf_documents.build(parts, label_width=label_width, header_rows=header_rows)
    report = gongkai.convert_bytes(pdf, filename="city.pdf")
    html = gongkai.convert_bytes(city_html, filename="city.html")
    assert cells(report) == cells(html)
    assert not [d for d in report.diagnostics if d.severity is not Severity.INFO]


@pytest.mark.parametrize("padding", [14, 15, 21, 25, 29, 32])
def test_a_table_split_at_any_row_is_joined(city_html, padding):
    # Lines of padding before the tables move the page break through their rows: after a
    # header row, between label rows, between rows of numbers.
    parts = pdf_documents.html_tables(city_html)
    at = next(i for i, (kind, _) in enumerate(parts) if kind == "table")
    pdf = pdf_documents.build(parts[:at] + [("p", "说明。")] * padding + parts[at:])
    report = gongkai.convert_bytes(pdf, filename="city.pdf")
    html = gongkai.convert_bytes(city_html, filename="city.html")
    assert cells(report) == cells(html)


def part(page: int, xs: list[float], rows: int, *cells) -> _pdf_layout._Part:
    grid = [GridCell(r, c, text, rs, cs) for r, c, text, rs, cs in cells]
    return _pdf_layout._Part(page, 0.0, 100.0, xs, grid, rows)


def joined(first, then) -> list[str]:
    mapping = _pdf_layout._continues(first, then)
    assert mapping is not None
    _pdf_layout._join(first, then, mapping)
    return [text for text, _ in grid_lines(first.cells)]


def test_a_merged_label_cut_by_the_page_break_is_put_back_together():
    # (the real case is huaian-2024's （四）无 / 法提供; reportlab never cuts a merged cell)
    first = part(4, [0, 10, 20, 30], 2,
                 (0, 0, "三、本年度办理结果", 2, 1), (0, 1, "（三）不予公开", 1, 1),
                 (0, 2, "5", 1, 1), (1, 1, "（四）无", 1, 1), (1, 2, "7", 1, 1))
    then = part(5, [0, 10, 20, 30], 2,
                (0, 0, "", 2, 1), (0, 1, "法提供", 2, 1), (0, 2, "8", 1, 1), (1, 2, "9", 1, 1))
    assert joined(first, then) == [
        "三、本年度办理结果 | （三）不予公开 | 5 |", "（四）无法提供 | 7 ||", "8 |||", "9 |||"]


def test_rows_of_their_own_are_not_joined_and_a_repeated_header_is_dropped():
    first = part(3, [0, 10, 20], 2, (0, 0, "信息内容", 1, 1), (0, 1, "本年处理决定数量", 1, 1),
                 (1, 0, "行政许可", 1, 1), (1, 1, "447228", 1, 1))
    then = part(4, [0.5, 10.5, 20.5], 2, (0, 0, "信息内容", 1, 1), (0, 1, "本年处理决定数量", 1, 1),
                (1, 0, "行政处罚", 1, 1), (1, 1, "3985758", 1, 1))
    assert joined(first, then) == ["信息内容 | 本年处理决定数量 |", "行政许可 | 447228 |",
                                   "行政处罚 | 3985758 |"]


def test_a_table_with_other_columns_or_not_on_the_next_page_is_a_new_table():
    first = part(3, [0, 10, 20], 1, (0, 0, "a", 1, 1), (0, 1, "1", 1, 1))
    assert _pdf_layout._continues(first, part(4, [0, 15, 20], 1)) is None
    assert _pdf_layout._continues(first, part(5, [0, 10, 20], 1)) is None
    assert _pdf_layout._continues(first, part(4, [0, 20], 1)) == [0, 2]


def test_a_scanned_pdf_is_refused_with_its_reason():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(50, 50, 400, 600, fill=1)  # the picture of a page: no text at all
    page.save()
    with pytest.raises(InputError, match="no text layer"):
        gongkai.convert_bytes(out.getvalue(), filename="scan.pdf")


def test_too_many_pages_is_a_clear_error(monkeypatch, city_html):
    pdf = pdf_documents.build(pdf_documents.html_tables(city_html))
    monkeypatch.setattr(_pdf_layout, "MAX_PAGES", 1)
    with pytest.raises(InputError, match=r"pages, more than the 1 gongkai reads"):
        gongkai.convert_bytes(pdf, filename="city.pdf")


def test_a_crowded_page_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_pdf_layout, "MAX_OBJECTS", 100)
    with pytest.raises(InputError, match=r"page 1 of the PDF has \d+ characters"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")


def test_without_the_extra_the_message_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # import pdfplumber now fails
    with pytest.raises(InputError, match=r"pip install 'gongkai\[pdf\]'"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")


def test_locators_round_trip():
    assert _pdf_layout.split_locator(_pdf_layout.locator(4, 12)) == (4, 12)
    assert _pdf_layout.locator(2, 5000) == 2999  # a line past the range stays on its page


def test_a_page_of_too_many_drawing_instructions_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(_pdf_layout, "MAX_PAGE_CONTENT", 1000)
    with pytest.raises(InputError, match=r"page 1 of the PDF draws [\d,]+ bytes of content"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")


def test_a_pdf_of_more_content_than_its_size_allows_is_refused(monkeypatch):
    monkeypatch.setattr(_pdf_layout, "MAX_CONTENT", 0)
    monkeypatch.setattr(_pdf_layout, "CONTENT_PER_BYTE", 0)
    with pytest.raises(InputError, match=r"pages draw more than 0 bytes of content"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")


def test_a_page_of_too_many_lines_is_refused_before_its_tables_are_found(monkeypatch):
    monkeypatch.setattr(_pdf_layout, "MAX_EDGES", 10)
    with pytest.raises(InputError, match=r"page \d of the PDF has \d+ drawn lines and shapes"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")
