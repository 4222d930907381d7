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


def test_a_table_split_inside_a_merged_label_is_joined(city_html):
    # Padding paragraphs push the requests table down so the page break falls inside the
    # rows of (四)无法提供: its merged cell is cut in two by the page break.
    parts = pdf_documents.html_tables(city_html)
    at = next(i for i, (kind, _) in enumerate(parts) if kind == "table")
    for lines in range(0, 40, 3):
        padded = parts[:at] + [("p", "说明。" * 30)] * lines + parts[at:]
        pdf = pdf_documents.build(padded)
        report = gongkai.convert_bytes(pdf, filename="city.pdf")
        html = gongkai.convert_bytes(city_html, filename="city.html")
        assert cells(report) == cells(html), lines


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
    monkeypatch.setattr(_pdf_layout, "MAX_CONTENT", 1000)
    with pytest.raises(InputError, match=r"page 1 of the PDF has \d+ bytes of drawing"):
        gongkai.convert_bytes(HUAIAN.read_bytes(), filename="huaian.pdf")
