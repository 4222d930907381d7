"""Merged cells: a table of random spans reads to the same pipe text from a Word file and from
a ruled PDF as from an HTML ``<table>`` with the same ``rowspan``/``colspan`` (the HTML reader is
the reference: the Word and PDF readers must give its grid)."""

from __future__ import annotations

import io

import pytest
from fuzzing import fuzz_settings
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.engine.plugin_types import ReadOptions
from gongkai.plugins import html_reader

Cell = tuple[int, int, str, int, int]  # row, column, text, rowspan, colspan


@st.composite
def span_tables(draw) -> list[Cell]:
    """A rows x columns grid cut into rectangles; each cell a distinct short text."""
    rows, cols = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    taken: set[tuple[int, int]] = set()
    cells = []
    for r in range(rows):
        for c in range(cols):
            if (r, c) in taken:
                continue
            width = 1
            while width < cols - c and (r, c + width) not in taken and draw(
                    st.integers(0, 3)) == 0:
                width += 1
            height = 1
            while height < rows - r and all((r + height, c + k) not in taken
                                            for k in range(width)) and draw(
                    st.integers(0, 3)) == 0:
                height += 1
            taken.update((r + i, c + k) for i in range(height) for k in range(width))
            cells.append((r, c, f"格{len(cells)}", height, width))
    return cells


def every_line_drawn(cells: list[Cell]) -> bool:
    """Whether every row and column boundary of the grid is some cell's edge, and the table has
    two columns or more: a PDF shows only the lines drawn, so a span over a column no cell
    has alone cannot be seen (and a one-column box is a framed paragraph)."""
    rows = max(r + rs for r, _, _, rs, _ in cells)
    cols = max(c + cs for _, c, _, _, cs in cells)
    xs = {c for _, c, _, _, _ in cells} | {c + cs for _, c, _, _, cs in cells}
    ys = {r for r, _, _, _, _ in cells} | {r + rs for r, _, _, rs, _ in cells}
    return cols >= 2 and xs == set(range(cols + 1)) and ys == set(range(rows + 1))


def html_pipe_text(cells: list[Cell]) -> str:
    rows = max(r + rs for r, _, _, rs, _ in cells)
    trs = []
    for r in range(rows):
        tds = "".join(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>'
                      for row, _, text, rs, cs in sorted(cells, key=lambda x: (x[0], x[1]))
                      if row == r)
        trs.append(f"<tr>{tds}</tr>")
    page = f"<html><body><table>{''.join(trs)}</table></body></html>".encode()
    return html_reader.read(page, ReadOptions()).text


@fuzz_settings(40)
@given(span_tables())
def test_a_word_table_reads_as_its_html(cells):
    docx = pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    from gongkai.plugins import word_reader

    rows = max(r + rs for r, _, _, rs, _ in cells)
    cols = max(c + cs for _, c, _, _, cs in cells)
    document = docx.Document()
    table = document.add_table(rows=rows, cols=cols)
    for r, c, text, rs, cs in cells:
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    text = word_reader.read(out.getvalue(), ReadOptions(filename="t.docx")).text
    assert text == html_pipe_text(cells)


@fuzz_settings(15)
@given(span_tables())
def test_a_ruled_pdf_table_reads_as_its_html(cells):
    pytest.importorskip("pdfplumber", reason="the pdf extra (pdfplumber) is not installed")
    pytest.importorskip("reportlab", reason="the test extra (reportlab) is not installed")
    import pdf_documents

    from gongkai.plugins import pdf_reader

    assume(every_line_drawn(cells))
    pdf = pdf_documents.build([("table", cells)], number_pages=False, row_height=16)
    text = pdf_reader.read(pdf, ReadOptions(filename="t.pdf")).text
    assert text == html_pipe_text(cells)
