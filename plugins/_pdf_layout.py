"""A PDF read from its pages' geometry, with pdfplumber: ruled tables as cell grids, and the
prose between them as paragraphs.

Why pdfplumber: it gives what the text layer loses — every character with its position and
every ruling line — and finds tables from the lines (cells, their bounding boxes, so spans);
it is pure Python over pdfminer.six, MIT-licensed and actively maintained.

What a document becomes:

* a ruled table of two or more columns: its cells, merged ones spanning the grid positions
  they cover, written as the HTML reader writes a ``<table>`` (gongkai.read.grid); a cell's
  lines joined (Chinese without a space); a table that goes on at the top of the next page
  (the same columns, or some of them) joined to its first part, header rows it repeats
  dropped, and a merged label cell the page break cut in two put back together;
* a one-column ruled box (a framed paragraph): prose;
* prose: lines joined into paragraphs — a line indented at the margin starts one, a line that
  stops short of the right margin ends one, also across a page break;
* page numbers (``- 5 -``, ``第 3 页``) in the top or bottom band of a page, and lines repeated
  in that band on several pages (running headers and footers): dropped.

The locator of every line is ``page × 1000 + line``: ``4012`` is page 4, line 12, lines
counted from the top of the page as the text's baselines fall (see docs/inputs.md).
"""

from __future__ import annotations

import bisect
import io
import logging
import re
from collections import Counter
from collections.abc import Sequence

import attrs

from gongkai.plugin import (
    GridCell,
    InputError,
    PipeTextBuilder,
    add_table,
    join_lines,
    numeral_digits,
    protect,
)

#: A report has a few dozen pages; a file with more is not one (or not one gongkai reads).
MAX_PAGES = 300
#: Decompressed content bytes one page may have (a report's page has 10–60 KB; laying out a
#: page costs up to 10 µs and some hundred bytes of memory per byte of its content, and a
#: stream may decompress to a thousand times its stored size).
MAX_PAGE_CONTENT = 256 * 1024
#: Decompressed content bytes of all pages: this much, plus CONTENT_PER_BYTE per byte of the
#: file, so the work stays linear in the input whatever its compression (a report's content
#: is smaller than its file, which holds its fonts).
MAX_CONTENT = 1024 * 1024
CONTENT_PER_BYTE = 4
#: Characters, lines and rectangles on one page. A page of text has a few thousand; past this
#: it is a drawing or a map, and table finding would take minutes.
MAX_OBJECTS = 40_000
#: Lines, rectangles and curves on one page: table finding compares them with each other. A
#: page of tables has some hundreds.
MAX_EDGES = 5_000
#: The share of the page height at the top and bottom where headers, footers and page numbers
#: stand.
BAND = 0.08
#: ``page × LOCATOR + line``.
LOCATOR = 1000
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]*\s*\d{1,4}\s*[-—–－]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
#: Numbering that starts a label of its own: ``（五）``, ``2.``, ``3、``, ``四、``.
_NUMBERED = re.compile(rf"^\s*(?:[（(][{numeral_digits()}\d]{{1,3}}[)）]|\d{{1,2}}\s*[.．、]|"
                       rf"[{numeral_digits()}]{{1,3}}\s*、)")
_NUMBER = re.compile(r"^[+\-]?[\d,]+(?:\.\d+)?$")
#: Two coordinates closer than this (points) are the same ruling line.
_SNAP = 2.0


def locator(page: int, line: int) -> int:
    return page * LOCATOR + min(line, LOCATOR - 1)


def split_locator(value: int) -> tuple[int, int]:
    """``4012`` -> ``(4, 12)``: page and line on the page."""
    return divmod(value, LOCATOR)


@attrs.define
class _Part:
    """One ruled table found on one page, in that page's grid."""

    page: int
    top: float
    bottom: float
    xs: list[float]
    cells: list[GridCell]
    rows: int


@attrs.define
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float
    origin: int


def _pages(pdf) -> Sequence:
    pages = pdf.pages
    if len(pages) > MAX_PAGES:
        raise InputError(f"the PDF has {len(pages)} pages, more than the {MAX_PAGES} gongkai "
                         "reads (a report has a few dozen)")
    return pages


def check_bounds(data: bytes) -> None:
    """Refuse a PDF whose pages would take unbounded work to lay out, before any is: too many
    pages, or more content than :data:`MAX_PAGE_CONTENT` on a page or the budget in all (pypdf
    caps each stream's decompression itself). A damaged file passes: its reader says what is
    wrong."""
    try:
        import pypdf
    except ImportError:
        return  # the reader says the extra is missing
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pdf = pypdf.PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            return
        _pages(pdf)
        budget = MAX_CONTENT + CONTENT_PER_BYTE * len(data)
        total = 0
        for number, page in enumerate(pdf.pages, 1):
            size = _content_size(page)
            if size > MAX_PAGE_CONTENT:
                raise InputError(f"page {number} of the PDF draws {size:,} bytes of content, "
                                 f"more than the {MAX_PAGE_CONTENT:,} gongkai reads on a page "
                                 "(a drawing or a map, not a report's page)")
            total += size
            if total > budget:
                raise InputError(f"the PDF's pages draw more than {budget:,} bytes of content, "
                                 f"the most gongkai reads from a file of {len(data):,} bytes")
    except InputError:
        raise
    except Exception:  # a damaged file: the readers say what is wrong
        return


def _content_size(page) -> int:
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return sum(len(s.get_object().get_data()) for s in streams)


def _check_page(page, number: int) -> None:
    """Refuse a page too large to read, by the number of its objects (its content was
    checked by :func:`check_bounds`)."""
    objects = page.objects
    count = sum(len(objects.get(kind, ())) for kind in ("char", "line", "rect", "curve"))
    if count > MAX_OBJECTS:
        raise InputError(f"page {number} of the PDF has {count} characters and drawn objects, "
                         f"more than the {MAX_OBJECTS} gongkai reads on a page (a drawing or a "
                         "map, not a report's page)")
    edges = sum(len(objects.get(kind, ())) for kind in ("line", "rect", "curve"))
    if edges > MAX_EDGES:
        raise InputError(f"page {number} of the PDF has {edges} drawn lines and shapes, more "
                         f"than the {MAX_EDGES} gongkai reads on a page (a drawing or a map, "
                         "not a report's page)")


def read_layout(pdf) -> PipeTextBuilder | None:
    """The whole document as pipe text (see the module docstring); None when no page holds
    a ruled table of two or more columns (the text layer is read instead)."""
    pages = _pages(pdf)
    found = []
    for number, page in enumerate(pages, 1):
        _check_page(page, number)
        found.append(_ruled_parts(page, number))
    if not any(found):
        return None
    items: list[tuple[int, float, object]] = []  # (page, top, a _Part or a _Line)
    band_lines: list[_Line] = []
    for number, (page, parts) in enumerate(zip(pages, found, strict=True), 1):
        boxes = [(p.xs[0], p.top, p.xs[-1], p.bottom) for p in parts]
        items.extend((number, part.top, part) for part in parts)
        for line in _text_lines(page, number, boxes, _line_index(page)):
            if line.top < page.height * BAND or line.top > page.height * (1 - BAND):
                band_lines.append(line)
            items.append((number, line.top, line))
    running = _running_lines(band_lines, len(pages))
    items = [item for item in items if id(item[2]) not in running]
    items.sort(key=lambda item: (item[0], item[1]))
    return _assemble([item[2] for item in items])


def _running_lines(band: list[_Line], pages: int) -> set[int]:
    """The ids of page numbers, and of lines the header or footer band repeats on several
    pages."""
    counts = Counter(line.text for line in band)
    return {id(line) for line in band
            if _PAGE_NUMBER.match(line.text) or (pages > 2 and counts[line.text] >= 2)}


# -- text lines ---------------------------------------------------------------------------------


def _line_index(page) -> list[float]:
    """The tops of the page's lines of text, top to bottom (a line's number is its index + 1)."""
    tops: list[float] = []
    for top in sorted(c["top"] for c in page.chars if c["text"].strip()):
        if not tops or top - tops[-1] > _SNAP:
            tops.append(top)
    return tops


def _origin(page_number: int, tops: list[float], top: float) -> int:
    return locator(page_number, bisect.bisect_right(tops, top + _SNAP) or 1)


def _inside(char: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _text_lines(page, number: int, boxes, tops: list[float]) -> list[_Line]:
    outside = page.filter(lambda obj: obj.get("object_type") != "char"
                          or not _inside(obj, boxes)) if boxes else page
    out = []
    for line in outside.extract_text_lines(return_chars=True):
        text = line["text"].strip()
        if not text:
            continue
        sizes = [c["size"] for c in line["chars"] if c["text"].strip()] or [10.0]
        out.append(_Line(number, text, line["x0"], line["x1"], line["top"], max(sizes),
                         _origin(number, tops, line["top"])))
    return out


# -- tables -------------------------------------------------------------------------------------


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(points: list[float], v: float) -> int:
    i = bisect.bisect_left(points, v - _SNAP)
    return min(i, len(points) - 1)


def _ruled_parts(page, number: int) -> list[_Part]:
    if not (page.objects.get("line") or page.objects.get("rect")):
        return []
    tops = _line_index(page)
    chars = sorted((c["top"], c["x0"]) for c in page.chars if c["text"].strip())
    parts = []
    for table in page.find_tables():
        boxes = table.cells
        xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 3:
            continue  # one column: a framed paragraph, read as prose
        texts = {}
        for row, row_texts in zip(table.rows, table.extract(), strict=True):
            for box, text in zip(row.cells, row_texts, strict=True):
                if box is not None:
                    texts[box] = text or ""
        cells = []
        for box in boxes:
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            text = join_lines((texts.get(box) or "").split("\n"))
            cells.append(GridCell(r0, c0, text, max(1, r1 - r0), max(1, c1 - c0),
                                  _cell_origin(chars, number, tops, box)))
        parts.append(_Part(number, table.bbox[1], table.bbox[3], xs, cells, len(ys) - 1))
    return parts


def _cell_origin(chars: list[tuple[float, float]], number: int, tops: list[float],
                 box) -> int:
    """The line of the cell's first text (``chars``: the page's ``(top, x0)``, sorted); a
    blank cell's: the line at its top."""
    x0, top, x1, bottom = box
    first = top
    for i in range(bisect.bisect_left(chars, (top, -1e9)), len(chars)):
        char_top, char_x = chars[i]
        if char_top >= bottom:
            break
        if x0 <= char_x < x1:
            first = char_top
            break
    return _origin(number, tops, first)


def _continues(first: _Part, then: _Part) -> list[int] | None:
    """How ``then`` (at the top of the next page) maps its columns onto ``first``'s, when it
    continues it: every ruling line of its columns is one of ``first``'s."""
    if then.page != first.page + 1:
        return None
    mapping = []
    for x in then.xs:
        i = _index(first.xs, x)
        if abs(first.xs[i] - x) > _SNAP * 2:
            return None
        mapping.append(i)
    return mapping


def _join(first: _Part, then: _Part, mapping: list[int]) -> None:
    """Append ``then``'s rows to ``first`` (both in ``first``'s grid)."""
    moved = []
    for cell in then.cells:
        c0, c1 = mapping[cell.col], mapping[cell.col + cell.colspan]
        moved.append(GridCell(cell.row, c0, cell.text, cell.rowspan, c1 - c0, cell.origin))
    moved = _drop_repeated_header(first.cells, moved)
    if not moved:
        return
    top_row = min(c.row for c in moved)
    last = first.rows - 1
    above = {c.col: c for c in first.cells if c.row <= last < c.row + c.rowspan}
    for cell in [c for c in moved if c.row == top_row]:
        upper = above.get(cell.col)
        if upper is not None and upper.colspan == cell.colspan and _cut_by_page(upper, cell):
            upper.text = join_lines([upper.text, cell.text])
            upper.rowspan += cell.rowspan
            moved.remove(cell)
    shift = first.rows - top_row
    for cell in moved:
        cell.row += shift
    first.cells.extend(moved)
    first.rows += then.rows - top_row
    first.bottom = then.bottom


def _cut_by_page(upper: GridCell, lower: GridCell) -> bool:
    """A merged label cell the page break cut: a label above, and below either nothing or
    words that do not start a label of their own; one of the two parts spans rows (a label of
    a group of rows, not the label of one row)."""
    if _NUMBER.match(upper.text) or _NUMBER.match(lower.text) or not upper.text:
        return False
    if upper.rowspan == 1 and lower.rowspan == 1:
        return False
    return not lower.text or not _NUMBERED.match(lower.text)


def _drop_repeated_header(first: list[GridCell], then: list[GridCell]) -> list[GridCell]:
    def rows(cells: list[GridCell]) -> dict[int, tuple]:
        out: dict[int, list] = {}
        for c in cells:
            out.setdefault(c.row, []).append((c.col, c.colspan, c.text))
        return {r: tuple(sorted(v)) for r, v in out.items()}

    mine, theirs = rows(first), rows(then)
    drop = set()
    for a, b in zip(sorted(mine), sorted(theirs), strict=False):
        if mine[a] != theirs[b] or any(_NUMBER.match(t) for _, _, t in theirs[b]):
            break
        drop.add(b)
    return [c for c in then if c.row not in drop]


# -- assembling ---------------------------------------------------------------------------------


def _assemble(items: list) -> PipeTextBuilder:
    """Tables and lines in reading order to pipe text: a table that follows a table with
    nothing between them (only a page break) and continues it is joined to it; lines are
    joined into paragraphs."""
    out: list[tuple[str, int] | _Part] = []  # paragraphs, and tables completed at the end
    body = [i for i in items if isinstance(i, _Line)]
    left = min((line.x0 for line in body), default=0.0)
    right = _right_margin(body)
    paragraph: list[_Line] = []
    tables: list[_Part] = []

    def flush() -> None:
        if paragraph:
            out.append((protect(join_lines([line.text for line in paragraph])),
                        paragraph[0].origin))
            paragraph.clear()

    previous = None
    for item in items:
        if isinstance(item, _Part):
            flush()
            mapping = (_continues(tables[-1], item)
                       if tables and previous is tables[-1] else None)
            if mapping is not None:
                _join(tables[-1], item, mapping)
            else:
                tables.append(item)
                out.append(item)
            previous = tables[-1]
            continue
        line = item
        if paragraph and _starts_paragraph(line, paragraph[-1], left):
            flush()
        paragraph.append(line)
        if line.x1 < right - 1.5 * line.size:
            flush()  # a short line ends its paragraph (a heading, a paragraph's last line)
        previous = line
    flush()
    done = PipeTextBuilder()
    for entry in out:
        if isinstance(entry, _Part):
            add_table(done, entry.cells)
        else:
            done.add(*entry)
    return done


def _starts_paragraph(line: _Line, before: _Line, left: float) -> bool:
    if line.x0 > left + 0.8 * line.size:
        return True  # indented: a new paragraph
    return abs(line.size - before.size) > 1.0  # another font size: a heading, a title


def _right_margin(lines: list[_Line]) -> float:
    """Where most lines end (a few run past it with a closing punctuation mark)."""
    if not lines:
        return 0.0
    ends = Counter(round(line.x1) for line in lines)
    common = max(ends.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return float(common)
