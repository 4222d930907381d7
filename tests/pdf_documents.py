"""PDFs with ruled tables, made for the tests with reportlab from an HTML report.

Each ``<table>`` of the page becomes a reportlab table with the same spans (``SPAN``), ruled
(``GRID``); its label cells wrap within their column, a table taller than the rest of a page
goes on over the next page(s) with its header rows repeated, and a page number stands at the
foot of every page. Paragraphs wrap as a word processor would.
"""

from __future__ import annotations

import io

from html_grid import html_tables
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

__all__ = ["build", "html_tables"]

FONT = "STSong-Light"  # one of the CID fonts every PDF viewer has; reportlab knows its metrics
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, firstLineIndent=22,
                      wordWrap="CJK")
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")


def build(parts: list, *, label_width: float = 60, header_rows: int = 0,
          number_pages: bool = True, row_height: float | None = None) -> bytes:
    """A PDF of the parts (see html_grid.html_tables). ``row_height``: every table row this
    tall (else as tall as its content; a row whose cells all span further has none)."""
    story = []
    for kind, content in parts:
        if kind == "p":
            story.append(Paragraph(content, BODY))
        else:
            story.append(_table(content, label_width, header_rows, row_height))
    out = io.BytesIO()

    def foot(canvas, doc) -> None:
        if number_pages:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=foot, onLaterPages=foot)
    return out.getvalue()


def _table(cells, label_width: float, header_rows: int, row_height: float | None) -> Table:
    rows = max(r + rs for r, _, _, rs, _ in cells)
    cols = max(c + cs for _, c, _, _, cs in cells)
    data = [["" for _ in range(cols)] for _ in range(rows)]
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONT", (0, 0), (-1, -1), FONT, 8),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    numeric = {c for _, c, text, _, cs in cells if cs == 1 and text.isdigit()}
    for r, c, text, rs, cs in cells:
        data[r][c] = text if text.isdigit() else Paragraph(text, CELL)
        if rs > 1 or cs > 1:
            style.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    # Label columns narrow enough that long labels wrap; number columns as wide as they need.
    labels = [c for c in range(cols) if c not in numeric]
    width = (A4[0] - 160 - label_width * len(labels)) / max(1, cols - len(labels))
    widths = [label_width if c in labels else max(width, 24) for c in range(cols)]
    return Table(data, colWidths=widths, style=TableStyle(style), repeatRows=header_rows,
                 rowHeights=[row_height] * rows if row_height else None)
