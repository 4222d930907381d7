"""Shared by the readers of text laid out on a page (PDF text, Markdown converted from PDF).

Such text has no "|" between cells: a table row is a line of words, the numbers at its end;
labels too long for their cell are broken over several lines; page numbers (``- 5 -``,
``— 4 —``) stand between the rows of a table split over two pages. Each line is classified:

* ``page``: a page number line, dropped (it is not part of the report);
* ``heading``: ``三、…`` — a numbered part of the report, when its number follows the last
  one (or starts again at 一) and, in Markdown, it is no deeper than the part it would follow;
* ``row``: words ending in numbers or placeholders (``规章 1 0 11``, ``72 64 178 …``);
* ``prose``: a sentence (``。``) or a line as wide as the page;
* ``fragment``: any other short line — a broken label, a header word, a caption;
* ``cells``: a line whose cells the source already separated (a Markdown pipe row).

A run of rows, fragments and cells with at least one row or cells line is a table: its lines
become pipe text, a row as ``label | 1 | 0 | 11 |``, a fragment as one label cell. What a
broken label means is left to the interpreter, which knows the labels (gongkai.interpret.interpreter
joins and splits label cells against the layouts' vocabulary); the reader only keeps the words in
order and each line's source line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from gongkai.engine.plugin_types import Source
from gongkai.grammars import numeral_digits, pattern

PAGE = "page"
HEADING = "heading"
ROW = "row"
PROSE = "prose"
FRAGMENT = "fragment"
CELLS = "cells"
BLANK = "blank"

#: ``- 5 -``, ``— 4 —``, ``-5-``, ``第 3 页``, ``3 / 12``: a page number alone on its line.
_PAGE = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_NUMERALS = numeral_digits()
_HEADING = re.compile(rf"^\s*(?P<n>{pattern('_NUMERAL')})\s*、\s*\S")
#: A cell value a row ends with: a number (with its own note or unit glued on) or a placeholder.
_VALUE = re.compile(rf"^(?:{pattern('_AMOUNT')}%?|{pattern('_PLACEHOLDER')})$")
_SENTENCE = re.compile(r"[。！？]")
_SEPARATOR_CELL = re.compile(r" *:?-{3,}:? *")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Bounded, so a line of asterisks costs no more than a line of anything else.
_EMPHASIS = re.compile(r"(\*\*|__)([^*_\n]{1,200}?)\1")
#: A prose line fills the page: wider than any label fragment (in CJK character widths).
PROSE_WIDTH = 26
#: A row with one number is a row only when its label is short and has no comma: prose lines
#: end in a number far more often than labels hold commas.
_ONE_VALUE_LABEL = 20


@attrs.frozen
class TextLine:
    kind: str
    #: The line's text (for ``cells``: unused), without Markdown heading marks.
    text: str
    #: 1-based line of the input.
    line: int
    #: For ``row``: the label before the values (may be empty) and the values.
    label: str = ""
    values: tuple[str, ...] = ()
    #: For ``cells``: the cells as the source separated them.
    cells: tuple[str, ...] = ()
    #: Markdown heading depth (1 for ``#``), 0 when the line is no Markdown heading.
    depth: int = 0


def width(text: str) -> float:
    """Display width in CJK characters: ASCII counts half."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text if not c.isspace())


def protect(text: str) -> str:
    """Text inside a cell or paragraph must not hold the cell separator."""
    return text.replace("|", "¦").replace("｜", "¦")


def split_row(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``规章 1 0 11`` -> ``("规章", ("1", "0", "11"))``; None when the line ends in no value."""
    words = text.split()
    n = len(words)
    while n and _VALUE.match(words[n - 1]):
        n -= 1
    if n == len(words):
        return None
    values = tuple(words[n:])
    label = _label_before(text, n)
    if _SENTENCE.search(label):
        return None
    if len(values) == 1 and label and (
        width(label) > _ONE_VALUE_LABEL or "，" in label or "," in label
    ):
        return None
    return label, values


def _label_before(text: str, n_words: int) -> str:
    """The text of the first ``n_words`` words, with the spaces between them as written."""
    if n_words == 0:
        return ""
    matches = list(re.finditer(r"\S+", text))
    return text[: matches[n_words - 1].end()].strip()


def classify(text: str, line: int, depth: int = 0) -> TextLine:
    stripped = text.strip()
    if not stripped:
        return TextLine(BLANK, "", line, depth=depth)
    if _PAGE.match(stripped):
        return TextLine(PAGE, stripped, line, depth=depth)
    row = None if depth else split_row(stripped)
    if row is not None:
        return TextLine(ROW, stripped, line, label=row[0], values=row[1])
    if _HEADING.match(stripped) and width(stripped) <= 40 and not _SENTENCE.search(stripped):
        return TextLine(HEADING, stripped, line, depth=depth)
    if _SENTENCE.search(stripped) or width(stripped) >= PROSE_WIDTH:
        return TextLine(PROSE, stripped, line, depth=depth)
    return TextLine(FRAGMENT, stripped, line, depth=depth)


def is_separator(line: str) -> bool:
    """A Markdown table's separator row (``|---|:--:|``), or a horizontal rule (``---``)."""
    body = line.strip().replace("\t", " ")
    if not body or body.strip("|-: "):
        return False
    return all(_SEPARATOR_CELL.fullmatch(cell) for cell in body.strip("|").split("|"))


def inline(text: str) -> str:
    """Markdown inline markup a converter leaves in text: ``<br>``, ``&nbsp;``, ``**bold**``."""
    text = _BREAK.sub(" ", text).replace("&nbsp;", " ")
    return _EMPHASIS.sub(r"\2", text).strip()


def split_cells(line: str) -> tuple[str, ...]:
    """``| a | b\\|c |`` -> ``("a", "b/c")``: a pipe row's cells."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return tuple(inline(c.replace("\\|", "/")) for c in re.split(r"(?<!\\)\|", body))


def page_lines(text: str, *, markdown: bool) -> list[TextLine]:
    """The lines of a page's text, classified; pipe rows (a converter's tables) keep their
    cells and separator rows go. With ``markdown``, ``#`` headings are unmarked and their
    depth kept."""
    # A form feed (pdftotext's page break) starts a line; it is not a line of its own, so
    # removing it keeps every line's number.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "")
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        if is_separator(line) and ("|" in line or markdown):
            continue
        if line.lstrip().startswith("|"):
            out.append(TextLine(CELLS, line.strip(), n, cells=split_cells(line)))
            continue
        heading = _MD_HEADING.match(line) if markdown else None
        if heading:
            title = heading[2].rstrip().rstrip("#").rstrip()  # closing #s, as ATX allows
            out.append(classify(inline(title), n, depth=len(heading[1])))
        else:
            out.append(classify(inline(line) if markdown else line, n))
    return out



def heading_number(text: str) -> int:
    m = _HEADING.match(text)
    if not m:
        return 0
    digits = m["n"]
    if digits == "十":
        return 10
    if digits.startswith("十"):
        return 10 + _NUMERALS.index(digits[1]) + 1
    value = _NUMERALS.index(digits[0]) + 1
    if len(digits) > 1:
        value *= 10
        if len(digits) == 3:
            value += _NUMERALS.index(digits[2]) + 1
    return value


def accept_headings(lines: Sequence[TextLine]) -> list[TextLine]:
    """Keep as headings only those that continue the outline; others become fragments.

    A part's number follows the last one or starts again at 一 (reports that number their
    tables apart from the narrative). ``三、本法提供`` inside a broken table, after part 三,
    is a label fragment; so is a Markdown ``### 一、…`` under a ``## 三、…`` part.
    """
    out = []
    last, last_depth = 0, 0
    for ln in lines:
        if ln.kind == HEADING:
            number = heading_number(ln.text)
            deeper = bool(ln.depth and last_depth and ln.depth > last_depth)
            if (number > last or number == 1) and not deeper:
                last, last_depth = number, ln.depth
            else:
                ln = attrs.evolve(ln, kind=FRAGMENT)
        out.append(ln)
    return out


def table_regions(lines: Sequence[TextLine]) -> list[bool]:
    """For each line, whether it belongs to a table.

    A table is a maximal run of row, fragment and cells lines (blank and page lines do not
    break it) that holds at least one row or cells line.
    """
    inside = [False] * len(lines)
    start = 0
    while start < len(lines):
        if lines[start].kind not in (ROW, FRAGMENT, CELLS):
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].kind in (ROW, FRAGMENT, CELLS, BLANK, PAGE):
            end += 1
        last = max((i for i in range(start, end) if lines[i].kind in (ROW, CELLS)), default=-1)
        if last >= 0:
            # Fragments after a blank line that follows the table's last row are the text
            # after the table (a sub-heading, a short first line), not part of it.
            blank = next((i for i in range(last, end) if lines[i].kind == BLANK), end)
            for i in range(start, blank):
                inside[i] = True
        start = end
    return inside


class PipeTextBuilder:
    """Collects pipe-text lines with the input line each comes from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: list[int] = []

    def add(self, text: str, origin: int) -> None:
        self.lines.append(text)
        self.origins.append(origin)

    def add_cells(self, cells: Iterable[str], origin: int) -> None:
        self.add(" | ".join(protect(c).strip() for c in cells) + " |", origin)

    def source(self, encoding: str, positional: bool = True) -> Source:
        return Source(text="\n".join(self.lines), encoding=encoding,
                      line_map=tuple(self.origins), positional=positional)


def to_pipe_text(lines: Sequence[TextLine], encoding: str) -> Source:
    """Classified lines to pipe text: tables as cells, everything else as it was."""
    lines = accept_headings(lines)
    inside = table_regions(lines)
    out = PipeTextBuilder()
    for ln, in_table in zip(lines, inside, strict=True):
        if ln.kind == PAGE:
            continue  # page numbers are not part of the report
        if ln.kind == BLANK:
            out.add("", ln.line)
        elif not in_table:
            out.add(protect(ln.text), ln.line)
        elif ln.kind == ROW:
            out.add_cells([*([ln.label] if ln.label else []), *ln.values], ln.line)
        elif ln.kind == CELLS:
            out.add_cells(ln.cells, ln.line)
        else:
            out.add_cells([ln.text], ln.line)
    # Blank cells leave no trace in a page's text: cells are not positional.
    return out.source(encoding, positional=False)


def text_to_source(text: str, encoding: str) -> Source:
    """PDF text (already decoded) to pipe text. Pipe rows a
    converter left (PDF text with Markdown tables) keep their cells."""
    return to_pipe_text(page_lines(text, markdown=False), encoding)
