"""An HTML report's paragraphs and tables with their spans, to make PDF and Word files of it
in the tests (pdf_documents, word_documents) and in bench/readers_bench.py."""

from __future__ import annotations

import lxml.html


def html_tables(html: bytes) -> list:
    """The page as ``("p", text)`` and ``("table", cells)``, cells as ``(row, col, text,
    rowspan, colspan)`` in grid positions."""
    root = lxml.html.document_fromstring(html)
    out = []
    for el in root.find("body").iter("p", "h1", "h2", "h3", "table"):
        if el.tag == "table":
            out.append(("table", _grid(el)))
        elif el.getparent().tag not in ("td", "th"):
            out.append(("p", " ".join(el.text_content().split())))
    return out


def _grid(table) -> list[tuple[int, int, str, int, int]]:
    covered: set[tuple[int, int]] = set()
    cells = []
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in covered:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    covered.add((r + dr, c + dc))
            cells.append((r, c, " ".join(td.text_content().split()), rs, cs))
            c += cs
    return cells
