"""Word files made for the tests with python-docx from an HTML report: its tables with the
same merged cells (python-docx writes gridSpan and vMerge), its paragraphs as paragraphs."""

from __future__ import annotations

import io

import docx
from html_grid import html_tables

__all__ = ["build_docx", "html_tables"]


def build_docx(parts: list, *, wrap_labels: bool = False) -> bytes:
    document = docx.Document()
    for kind, content in parts:
        if kind == "p":
            document.add_paragraph(content)
            continue
        rows = max(r + rs for r, _, _, rs, _ in content)
        cols = max(c + cs for _, c, _, _, cs in content)
        table = document.add_table(rows=rows, cols=cols)
        for r, c, text, rs, cs in content:
            cell = table.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))  # gridSpan / vMerge
            if wrap_labels and not text.isdigit() and len(text) > 6:
                # A label broken over two paragraphs of its cell, as an editor's Enter does.
                cell.text = text[:5]
                cell.add_paragraph(text[5:])
            else:
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
