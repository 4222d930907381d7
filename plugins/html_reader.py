"""Reader for HTML pages, with lxml's HTML parser.

Why lxml: it is the most widely used HTML parser for Python, actively maintained, fast (libxml2),
tolerant of the broken markup government sites serve, and it reports the source line of every
element, which gives each cell of the report the line of the page it came from.

What the page becomes:

* paragraphs, headings, list items and ``<br>`` breaks: one line each;
* scripts, styles, forms and site chrome (``nav``, ``header``, ``footer``, ``aside``, elements
  whose class or id names a menu, breadcrumb, sidebar…): dropped;
* a data table (one holding no other table): one pipe-text line per ``<tr>``, its cells in grid
  order. ``rowspan``/``colspan`` are expanded into a cell grid: a spanned cell is written once,
  where it starts; a position covered from the row above *between* a row's cells is written as
  an empty cell, so the values after it keep their columns; each line is padded with bare
  ``|`` to the grid's width (the seeds' convention for spans). ``&nbsp;`` cells are empty.
* a layout table (one holding tables): read as blocks, not as cells.

Bounded work for any page: the tree is walked with a stack, not by recursion, and parsed with
libxml2's nesting limit raised to MAX_DEPTH (a page nested deeper is refused, not read as
empty); spans are followed in at most twice as many columns as the fullest row has cells, with
covered positions kept per column, and a table whose spans would pad its lines with more bars
than it has cells is padded to its widest row only: time and memory stay linear in the page
whatever its ``rowspan`` and ``colspan`` say.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

import attrs

from gongkai.plugin import (
    InputError,
    PipeTextBuilder,
    Reader,
    ReadOptions,
    Source,
    decode,
    hookimpl,
    looks_binary,
    protect,
)

if TYPE_CHECKING:
    import lxml.etree

EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")

_DROP = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "select", "input", "textarea", "nav", "header", "footer", "aside",
    "head", "map", "audio", "video",
})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "blockquote", "pre", "center", "address", "figure",
    "figcaption", "hr", "tr", "td", "th", "table", "caption", "body", "html", "fieldset",
})
#: Class or id words of site chrome (menus, breadcrumbs, share buttons, footers).
_CHROME = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|footer|share|toolbar|"
    r"copyright|skip)(?:$|[\s_\-])",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
#: Control characters a page may hold in its text and a browser does not show.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset[ \t]*=[ \t]*["']?[ \t]*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SNIFF = re.compile(rb"<(?:!doctype[ \t\r\n]+html|html)[\s>]", re.IGNORECASE)
_TAGS = re.compile(rb"<(?:p|div|table|tr|td|br|span|body)[\s/>]", re.IGNORECASE)
#: Declared legacy charsets read as their supersets (sites declare gb2312 and write GBK).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "big5": "big5hkscs"}


def sniff(head: bytes, filename: str) -> float:
    if looks_binary(head):
        return 0.0
    if filename.lower().endswith(EXTENSIONS):
        return 0.9
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    if _SNIFF.match(_skip_comments(body.lstrip())):
        return 0.9
    if b"<" in body and len(_TAGS.findall(body)) >= 5:
        return 0.7
    return 0.0


def _skip_comments(head: bytes) -> bytes:
    while head.startswith(b"<!--"):
        end = head.find(b"-->")
        if end < 0:
            return b""
        head = head[end + 3:].lstrip()
    return head


def decode_html(data: bytes, forced: str | None) -> tuple[str, str]:
    """Decode with the forced encoding, else a BOM, else the page's declared charset when the
    bytes agree with it, else gongkai's detection."""
    if forced or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, forced)
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        name = _SUPERSETS.get(declared, declared)
        try:
            codecs.lookup(name)
            return data.decode(name), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    return decode(data, None)


def read(data: bytes, options: ReadOptions) -> Source:
    text, encoding = decode_html(data, options.encoding)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise InputError("the page is empty")
    # Imported here, not at the top: every gongkai start loads this plugin, few read HTML.
    import lxml.etree
    import lxml.html

    parser = _parser()
    try:
        # huge_tree: libxml2 otherwise stops at 256 nested elements, and a page nested deeper
        # would have no text.
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse the page as HTML: {exc}") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise InputError(f"the page nests its elements more than {MAX_DEPTH} deep (the HTML "
                         "parser's limit): what is deeper would be lost")
    walker = _Walker()
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        walker.text(title.text_content(), title.sourceline or 0)
        walker.flush()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return attrs.evolve(walker.out.source(encoding), url=page_url(root))


#: Where a page states its own address, most explicit first.
_URL_PATHS = ('.//link[@rel="canonical"]/@href', './/meta[@property="og:url"]/@content',
              './/meta[@name="url"]/@content', './/meta[@name="og:url"]/@content')
_HTTP_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def page_url(root) -> str:
    """The page's address as the page gives it (``<link rel="canonical">``, ``og:url``)."""
    for path in _URL_PATHS:
        for value in root.xpath(path):
            if _HTTP_URL.match(str(value).strip()):
                return str(value).strip()
    return ""


def _parser():
    import lxml.html

    global _PARSER
    if _PARSER is None:
        _PARSER = lxml.html.HTMLParser(huge_tree=True)
    return _PARSER


_PARSER = None


class _Walker:
    """Walks the element tree, collecting lines of text and table rows."""

    def __init__(self) -> None:
        self.out = PipeTextBuilder()
        self.buffer: list[str] = []
        self.line = 0

    def text(self, text: str | None, line: int) -> None:
        if not text:
            return
        if not self.buffer and text.strip():
            self.line = line
        self.buffer.append(text)

    def flush(self) -> None:
        text = _SPACE.sub(" ", _CONTROL.sub("", "".join(self.buffer))).strip()
        self.buffer = []
        if text:
            self.out.add(protect(text), self.line)

    def walk(self, root: lxml.etree._Element) -> None:
        # Depth first with a stack of what is left to do (recursion would stop at Python's
        # limit on a deeply nested page): enter an element, add a child's tail after the
        # child, end a block.
        stack: list[tuple[int, lxml.etree._Element, int]] = [(_ENTER, root, 0)]
        while stack:
            step, el, line = stack.pop()
            if step == _TAIL:
                self.text(el.tail, line)
                continue
            if step == _END:
                self.flush()
                continue
            tag = el.tag if isinstance(el.tag, str) else ""
            if not tag or _dropped(el, tag):
                continue
            if tag == "table" and el.find(".//table") is None:
                self.flush()
                self.table(el)
                continue
            if tag == "br":
                self.flush()
                continue
            if tag in _BLOCK:
                self.flush()
                stack.append((_END, el, 0))
            self.text(el.text, el.sourceline or 0)
            for child in reversed(el):
                stack.append((_TAIL, child, child.sourceline or el.sourceline or 0))
                stack.append((_ENTER, child, 0))

    def table(self, table: lxml.etree._Element) -> None:
        caption = table.find("caption")
        if caption is not None:
            self.text(caption.text_content(), caption.sourceline or 0)
            self.flush()
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        grid = _grid(rows)
        width = max((positions for _, positions in grid), default=0)
        cells = sum(len(c) for c, _ in grid)
        padding = sum(max(0, width - len(c)) for c, _ in grid if c)
        if padding > PADDING_PER_CELL * cells + MAX_COLSPAN:
            width = max((len(c) for c, _ in grid), default=0)
        for tr, (cells, _) in zip(rows, grid, strict=True):
            if not cells:
                continue
            padding = "|" * max(0, width - len(cells))
            self.out.add(" | ".join(protect(c) for c in cells) + " |" + padding,
                         tr.sourceline or 0)


def _dropped(el: lxml.etree._Element, tag: str) -> bool:
    if tag in _DROP:
        return True
    if el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", ""):
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    # A class name is only a hint: an element that holds a table is the report, whatever
    # its class says (main-nav-content…).
    return bool(_CHROME.search(names)) and el.find(".//table") is None


def _owner(tr: lxml.etree._Element) -> lxml.etree._Element | None:
    for parent in tr.iterancestors():
        if parent.tag == "table":
            return parent
    return None


#: How deep libxml2 (with huge_tree) follows nested elements; a deeper page is refused.
MAX_DEPTH = 2048
#: A table's lines are padded to its grid's width unless that would add more bars than this
#: many per cell of the table, plus one full-width span (spans that say more than the table
#: holds): then to the width of its widest row.
PADDING_PER_CELL = 4
#: No report's table is wider than this; a larger colspan is taken as this many.
MAX_COLSPAN = 100
#: Spans are followed in this many first columns of a table (cells past it are still read,
#: in order; only what spans cover there is not tracked): the grid's work and the padding of
#: its lines stay bounded whatever the spans say.
MAX_GRID_WIDTH = 200


def _span(cell: lxml.etree._Element, name: str, limit: int) -> int:
    try:
        return max(1, min(int((cell.get(name) or "1").strip()), limit))
    except ValueError:
        return 1


_ENTER, _TAIL, _END = 0, 1, 2


def _cell_text(cell: lxml.etree._Element) -> str:
    parts: list[str] = []
    # Depth first with a stack (a cell may hold a thousand nested spans).
    stack: list[tuple[int, lxml.etree._Element]] = [(_ENTER, cell)]
    while stack:
        step, node = stack.pop()
        if step == _TAIL:
            parts.append(node.tail or "")
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style") or not tag:
            continue
        if tag == "br" or tag in _BLOCK:
            parts.append(" ")
        parts.append(node.text or "")
        for child in reversed(node):
            stack.append((_TAIL, child))
            stack.append((_ENTER, child))
    return _SPACE.sub(" ", _CONTROL.sub("", "".join(parts))).strip()


def _grid(rows: list[lxml.etree._Element]) -> list[tuple[list[str], int]]:
    """Each row's cells in grid order and the grid positions it spans (see the docstring)."""
    # For each column the spans are followed in, the first row a rowspan from above no longer
    # covers: a cell's spans cost its colspan, not rowspan x colspan. They are followed in
    # twice as many columns as the fullest row has cells (a real table's grid is about that
    # wide; spans that claim more are not real), at most MAX_GRID_WIDTH.
    fullest = max((sum(1 for c in tr if c.tag in ("td", "th")) for tr in rows), default=0)
    # ...or as wide as a row's own colspans say (a title cell across the table).
    spanned = max((sum(_span(c, "colspan", MAX_COLSPAN) for c in tr if c.tag in ("td", "th"))
                   for tr in rows), default=0)
    width = min(MAX_GRID_WIDTH, max(2 * fullest + 1, spanned))
    free_from = [0] * width
    out = []
    for r, tr in enumerate(rows):
        cells: list[str] = []
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while c < width and free_from[c] > r:
                if cells:
                    cells.append("")  # merged from above: keeps the later values' columns
                c += 1
            # A span past the table's last row or widest width covers nothing there.
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", MAX_COLSPAN)
            if rowspan > 1:
                for dc in range(c, min(c + colspan, width)):
                    free_from[dc] = max(free_from[dc], r + rowspan)
            cells.append(_cell_text(cell))
            c += colspan
        while c < width and free_from[c] > r:
            c += 1
        out.append((cells, min(c, max(width, len(cells)))))
    return out


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="html",
        description="HTML pages: tables with rowspan/colspan, paragraphs; scripts, styles and "
                    "site chrome dropped",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
