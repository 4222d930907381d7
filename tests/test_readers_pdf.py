"""The PDF reader, on PDFs this test builds itself (no PDF is checked in).

The PDF holds the city-2025 report as a PDF of it would: one line per paragraph and table row,
cells at their columns, long row labels wrapped onto the next line, page numbers at the foot
of every page. Its text is written with a CID font and a ToUnicode map, so any reader of PDFs
can extract it. Needs the pdf extra (pypdf); skipped without it.
"""

from __future__ import annotations

import sys
import zlib

import lxml.html
import pytest

import gongkai
from gongkai.errors import InputError

from conftest import FIXTURES

pypdf = pytest.importorskip("pypdf", reason="the pdf extra (pypdf) is not installed")

PAGE_LINES = 50
LABEL_WIDTH = 16  # characters of a row label on its first line; the rest wraps below
SIZE = 8  # points: a Chinese character is 8 wide, an ASCII one 4


def build_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF whose pages show ``(x, y, text)`` runs in one Type0 font (Identity-H)."""
    codes = sorted({ord(c) for page in pages for _, _, text in page for c in text})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    pairs = "\n".join(f"<{c:04X}> <{c:04X}>" for c in codes)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    to_unicode = add(stream(cmap))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 -200 1000"
                     b" 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo << "
              b"/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
              b"/DW 1000 /W [32 126 500] /CIDToGIDMap /Identity >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, to_unicode))
    contents = []
    for page in pages:
        ops = "\n".join(f"BT /F1 {SIZE} Tf {x} {y} Td <{''.join(f'{ord(c):04X}' for c in text)}>"
                        " Tj ET" for x, y, text in page)
        contents.append(add(stream(zlib.compress(ops.encode()), b"/Filter /FlateDecode ")))
    parent = len(objects) + len(pages) + 1
    kids = [add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 900 842] /Resources << /Font "
                b"<< /F1 %d 0 R >> >> /Contents %d 0 R >>" % (parent, font, c)) for c in contents]
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, xref))
    return bytes(out)


def report_lines(html: bytes) -> list[list[str]]:
    """The page as printed: paragraphs, and each table row's non-blank cells."""
    root = lxml.html.document_fromstring(html.decode("utf-8"))
    lines = [[root.findtext(".//title")]]  # the title heads the first page
    for el in root.iter("p", "tr"):
        if el.tag == "p":
            lines.append([el.text_content().strip()])
        else:
            lines.append([c for td in el if td.tag == "td" and (c := td.text_content().strip())])
    return lines


def width(text: str) -> float:
    return sum(SIZE / 2 if ord(c) < 128 else SIZE for c in text)


def lay_out(lines: list[list[str]]) -> list[list[tuple[float, float, str]]]:
    """Rows of cells placed on pages: a long first cell wraps under itself, as PDFs do."""
    printed: list[list[tuple[float, str]]] = []
    for cells in lines:
        if len(cells) == 1 and len(cells[0]) > 30:  # a paragraph: wrapped at 30 characters
            text = cells[0]
            printed += [[(40, text[i:i + 30])] for i in range(0, len(text), 30)]
            continue
        first, rest = cells[0], cells[1:]
        has_values = any(c[0].isdigit() for c in rest)
        head, tail = (first[:LABEL_WIDTH], first[LABEL_WIDTH:]) if has_values else (first, "")
        placed, end = [(40, head)], 40 + width(head)
        for i, cell in enumerate(rest):  # at its column, or after the cell before if wider
            x = max(220 + 40 * i, end + 12)
            placed.append((x, cell))
            end = x + width(cell)
        printed.append(placed)
        if tail:
            printed.append([(40, tail)])
    pages = []
    for start in range(0, len(printed), PAGE_LINES):
        page = [(x, 800 - 14 * n, text) for n, line in enumerate(printed[start:start + PAGE_LINES])
                for x, text in line]
        pages.append([*page, (440, 30, f"- {len(pages) + 1} -")])
    return pages


@pytest.fixture(scope="module")
def city_html() -> bytes:
    return (FIXTURES / "samples" / "city-2025.html").read_bytes()


def cells(report):
    return [(c.table, c.row, c.column, c.value, c.status) for c in report.cells()]


def test_a_pdf_gives_the_cells_of_its_html(city_html):
    pdf = build_pdf(lay_out(report_lines(city_html)))
    report = gongkai.convert_bytes(pdf, filename="city-2025.pdf")
    assert report.metadata.reader == "pdf" and report.metadata.encoding == "pdf"
    assert cells(report) == cells(gongkai.convert_bytes(city_html, filename="city-2025.html"))
    assert len(list(report.cells())) == 200
    # Chosen by content too, and every cell points to a line of the extracted text.
    assert gongkai.convert_bytes(pdf).metadata.reader == "pdf"
    assert all(c.line > 0 for c in report.cells())
    assert report.metadata.agency == "测试市" and report.metadata.year == 2025


def test_a_pdf_without_text_is_refused():
    pdf = build_pdf([[]])
    with pytest.raises(InputError, match="no text layer"):
        gongkai.convert_bytes(pdf, filename="scan.pdf")


def test_a_damaged_pdf_is_refused():
    with pytest.raises(InputError, match="cannot read the PDF"):
        gongkai.convert_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
                              filename="broken.pdf")


def test_without_the_extra_the_message_says_how_to_get_it(monkeypatch, city_html):
    pdf = build_pdf(lay_out(report_lines(city_html)))
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    with pytest.raises(InputError, match=r"pip install 'gongkai\[pdf\]'"):
        gongkai.convert_bytes(pdf, filename="city.pdf")
