"""From parsed blocks to the model: sections, the three tables with every cell, diagnostics.

Tables are found by their own content. Each table block the grammar found is cut where its
labels start speaking of another table (a report may run tables together without headings);
the pieces of each kind are interpreted with the layout that fits their labels best. Inside a
table, the cells are read as runs of labels followed by the values they head, whatever the
flattening put on each line:

* a label naming a row of the layout takes as many following cells as the row has columns;
  a blank cell is an empty cell, a cell that is not a number is kept as ``unparsed``, and the
  row stops early — leaving ``missing`` cells, with a diagnostic — at the next label that
  names something, so a broken row never shifts into the next one;
* labels naming columns are header cells; they fix column order and units for the rows
  below them — in another order than the layout's too, checked against the identities
  (``gongkai.interpret.headers``);
* runs of bare ``|`` between rows are span padding and carry nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING

import attrs

from gongkai.interpret import headers as header_order
from gongkai.interpret.placement import BLANK, Address, Number, OpenRow, place
from gongkai.interpret.segment import segment
from gongkai.layouts.codes import Codes, TableCodes
from gongkai.layouts.labels import contains_marker, label_key
from gongkai.layouts.layout import Layout, RowLayout, Vocabulary
from gongkai.model import (
    Cell,
    CellRef,
    Diagnostic,
    Metadata,
    Report,
    Section,
    Severity,
    Status,
    Table,
    new_cell,
)
from gongkai.parse.blocks import CellToken, Line, ParsedDocument, SectionBlock, TableBlock
from gongkai.parse.together import MAX_SPLIT_STEPS, RUN_CELL, Budget, rule_split, splits

if TYPE_CHECKING:
    from gongkai.validate.validator import Equation
from gongkai.interpret.values import ParsedValue, header_unit, parse_value


# Cell texts repeat across a corpus (0, 1, /...) and ParsedValue is frozen: memoised, keyed by
# positional arguments (the cache's quickest key).
@lru_cache(maxsize=1 << 14)
def _parse_value(text: str, kind: str, unit_hint: str) -> ParsedValue:
    return parse_value(text, kind=kind, unit_hint=unit_hint)


# Statuses looked up once: an enum member is a slow class attribute, and these are checked
# for every cell.
_EMPTY, _UNPARSED, _AMBIGUOUS = Status.EMPTY, Status.UNPARSED, Status.AMBIGUOUS

_LINE = attrgetter("line")  # of a CellToken
#: The unit hint of a column under no header: none.
_NO_UNIT = {}.get
#: At most this many columns' identities are left out in turn when a table's runs written
#: together satisfy them all in no split (``_TableReader._relaxed``): each is one search.
MAX_RELAXED = 24
#: The code of table four's flat run of values as one open row, when it is placed whole.
_GRID = "\x00grid"

#: Markers after which a new set of column headers begins (a new 第二十条 item).
_HEADER_RESETS = ("第二十条第", "信息内容")


@attrs.frozen
class LayoutChoice:
    layout: Layout
    plugin: str


class RawText:
    """The decoded input before normalization, for each cell's raw text and source line."""

    def __init__(self, text: str, locate: Callable[[int], int] = lambda n: n,
                 positional: bool = True, together: frozenset[int] = frozenset()):
        self.lines = text.split("\n")
        self.locate = locate
        #: Lines holding a row whose numbers are written together (``gongkai.parse.together``).
        self.together = together
        #: Whether a row's cells stand in their columns (see Source.positional).
        self.positional = positional
        #: The last line with text (a row that reaches it was cut short by the text's end).
        self.last_line = next((n for n in range(len(self.lines), 0, -1)
                               if self.lines[n - 1].strip()), 0)
        # Each line split once: splitting it again for every cell is quadratic on a line of
        # thousands of cells.
        self._parts: dict[int, list[str]] = {}

    def cell(self, token: CellToken) -> str:
        return _raw_cell(self.parts(token.line), token)

    def parts(self, line: int) -> list[str] | None:
        """The line split at its bars (None for a line the input does not have)."""
        parts = self._parts.get(line)
        if parts is None and 0 < line <= len(self.lines):
            parts = self._parts[line] = self.lines[line - 1].split("|")
        return parts


def _raw_cell(parts: list[str] | None, token: CellToken) -> str:
    """A cell's text in its input line split at its bars (the token's text if it has none)."""
    return parts[token.index].strip() if parts is not None and token.index < len(parts) \
        else token.text


@attrs.frozen
class Interpretation:
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    diagnostics: tuple[Diagnostic, ...]


class Interpreter:
    """Interprets parsed documents with a fixed set of layouts (reusable across reports)."""

    def __init__(self, codes: Codes, layouts: Sequence[LayoutChoice],
                 identities: Sequence[Callable[[Report], Iterable[Equation]]] = ()):
        self.codes = codes
        #: The identity rules' equations (``Rule.equations``): they place short rows' values.
        self.identities = tuple(identities)
        self._equations: dict[int, tuple] = {}
        self.layouts: dict[str, list[LayoutChoice]] = defaultdict(list)
        for choice in layouts:
            self.layouts[choice.layout.table].append(choice)
        self.vocab = {
            t.code: Vocabulary(t, (c.layout for c in self.layouts[t.code])) for t in codes.tables
        }
        self._kinds_of: dict[tuple[str, bool], frozenset[str]] = {}
        #: Label -> the only table it belongs to ("" for none or several), columns counted
        #: (True) or not: looked up for every label of every table block.
        self._only: dict[bool, dict[str, str]] = {True: {}, False: {}}
        self._edges: tuple[frozenset[str], frozenset[str]] | None = None
        self._words: tuple[str, ...] = ()
        #: Per layout (kept alive by the layouts above): each row's identities within itself.
        self._row_sums: dict[int, dict] = {}
        self._section_aliases = [
            (s.code, tuple(label_key(a) for a in s.aliases)) for s in codes.sections
        ]

    # -- sections ------------------------------------------------------------------------------

    def section_key(self, title: str) -> str:
        key = label_key(title)
        for code, aliases in self._section_aliases:
            if any(a in key for a in aliases):
                return code
        return ""

    def sections(self, doc: ParsedDocument,
                 locate: Callable[[int], int] = lambda n: n) -> tuple[Section, ...]:
        """The report's parts; ``locate`` maps pipe-text lines to input lines."""
        return tuple(self._section(block, locate) for block in doc.all_sections())

    def _section(self, block: SectionBlock, locate: Callable[[int], int]) -> Section:
        intro: list[Line] = []
        subsections: list[tuple[Line, list[Line]]] = []
        for item in block.blocks:
            if not isinstance(item, Line) or item.kind == "caption":
                continue
            if item.kind == "subheading":
                subsections.append((item, []))
            elif subsections:
                subsections[-1][1].append(item)
            else:
                intro.append(item)
        subs = []
        for i, (heading, text) in enumerate(subsections):
            end = subsections[i + 1][0].line - 1 if i + 1 < len(subsections) else block.line_end
            number, title = _split_subheading(heading.text)
            subs.append(Section(number, "", title, "\n".join(ln.text for ln in text),
                                locate(heading.line), locate(end),
                                lines=tuple(locate(ln.line) for ln in text)))
        return Section(
            number=block.number,
            key=self.section_key(block.title) if block.number else "",
            title=block.title,
            text="\n".join(ln.text for ln in intro),
            line_start=locate(block.line),
            line_end=locate(block.line_end),
            subsections=tuple(subs),
            lines=tuple(locate(ln.line) for ln in intro),
        )

    # -- tables --------------------------------------------------------------------------------

    def tables(
        self, doc: ParsedDocument, raw: RawText
    ) -> tuple[tuple[Table, ...], tuple[Diagnostic, ...]]:
        pieces: dict[str, list[CellToken]] = defaultdict(list)
        diags: list[Diagnostic] = []
        for section in doc.all_sections():
            hint = self._table_for_section(section.title) if section.number else None
            for block in section.blocks:
                if isinstance(block, TableBlock):
                    for kind, tokens in self._split(block, hint):
                        if kind is None:
                            if any(t.kind == "value" for t in tokens):
                                diags.append(_diag(
                                    Severity.WARNING, "table-unrecognized",
                                    "a table whose labels match none of the three statistical "
                                    "tables was skipped", raw.locate(tokens[0].line)))
                            continue
                        pieces[kind].extend(tokens)
                        hint = kind
        # Labels broken over cells (PDF text, OCR) are put back together first: the layout
        # is chosen, and the rows read, by whole labels.
        found = {t.code: segment(pieces[t.code], self.vocab[t.code])
                 for t in self.codes.tables if pieces.get(t.code)}
        # A table whose labels fit two templates equally (an excerpt that stops before the
        # rows that differ) follows the template the report's other tables clearly have.
        fits = {code: self.choose(self.codes.table(code), tokens)
                for code, tokens in found.items() if self.layouts.get(code)}
        clear = [c.layout.template for c, decisive in fits.values() if decisive]
        prefer = max(set(clear), key=clear.count) if clear else ""
        tables = []
        for tcodes in self.codes.tables:
            tokens = found.get(tcodes.code)
            if not tokens:
                diags.append(_diag(Severity.WARNING, "table-missing",
                                   f"table {tcodes.code!r} ({tcodes.zh}) was not found", 0))
                continue
            fit = fits.get(tcodes.code)
            if fit is not None and prefer and not fit[1]:
                fit = None  # undecided: chosen again, now with the preferred template
            table, table_diags = self._table(tcodes, tokens, raw, prefer, fit)
            if table is not None:
                tables.append(table)
            diags.extend(table_diags)
        return tuple(tables), tuple(diags)

    def _table_for_section(self, title: str) -> str | None:
        key = self.section_key(title)
        for t in self.codes.tables:
            if t.section == key:
                return t.code
        return None

    def equations_for(self, layout: Layout) -> tuple[tuple[tuple[Address, ...],
                                                        tuple[Address, ...]], ...]:
        """The identities of a layout's table as (row, column) sums, made once per layout from
        a table holding every cell of the layout (equations depend only on which cells exist)."""
        found = self._equations.get(id(layout))
        if found is None:
            cells = tuple(Cell(layout.table, r.code, c, None, "", "", Status.MISSING, 0)
                          for r in layout.rows for c in r.columns)
            table = Table(code=layout.table, template=layout.template, layout=layout.name,
                          plugin="", line_start=0, line_end=0, cells=cells)
            report = Report(metadata=Metadata(report_id=""), sections=(), tables=(table,))
            out = []
            for equations in self.identities:
                try:
                    made = [e for e in equations(report) if e.table == layout.table]
                except Exception:  # a broken rule is reported when the report is validated
                    continue
                out.extend((tuple((r.row, r.column) for r in e.left),
                            tuple((r.row, r.column) for r in e.right)) for e in made)
            found = self._equations[id(layout)] = (layout, tuple(out))
        return found[1]

    def knows(self, text: str) -> bool:
        """Whether a label names a row, a column or a marker of any table."""
        return bool(self._kinds(text))

    def label_edges(self) -> tuple[frozenset[str], frozenset[str]]:
        """The characters the tables' labels begin and end with (numbering and annotations
        included): a cheap test before a piece of text is resolved (``gongkai.parse.together``)."""
        if self._edges is None:
            labels: list[str] = []
            for t in self.codes.tables:
                for item in (*t.rows, *t.columns):
                    labels += [item.zh, *item.aliases]
            for choices in self.layouts.values():
                for choice in choices:
                    for _, aliases in choice.layout.aliases:
                        labels += aliases
                    for extra in choice.layout.extra_rows:
                        labels += extra.aliases
            words = [w for label in labels for w in label.replace("/", " ").split() if w]
            self._words = tuple(sorted({w.rstrip(":") for w in words if len(w) > 1},
                                       key=lambda w: (-len(w), w)))
            # Numbering may open a label, an annotation close it, and quotes of either kind
            # stand around 三安全一稳定 (the form prints curly ones).
            quotes = "\"'“”‘’"
            first = frozenset(f"一二三四五六七八九十(（0123456789{quotes}")
            self._edges = (frozenset(w[0] for w in words) | first,
                           frozenset(w[-1] for w in words) | frozenset(f")）{quotes}"))
        return self._edges

    def label_words(self) -> tuple[str, ...]:
        """The labels of the tables' rows and columns as written (longest first), to find
        them in a run of header text (``gongkai.parse.together``)."""
        self.label_edges()
        return self._words

    def names(self, text: str) -> bool:
        """Whether a label names a row or a column of any table (a marker names neither)."""
        return any(v.names(text) for v in self.vocab.values())

    def _kinds(self, text: str, columns: bool = True) -> frozenset[str]:
        """The tables whose vocabulary the label belongs to (memoised: labels repeat)."""
        kinds = self._kinds_of.get((text, columns))
        if kinds is None:
            if len(self._kinds_of) >= 1 << 15:
                self._kinds_of.clear()
            roles = ("row", "marker", "column") if columns else ("row", "marker")
            kinds = self._kinds_of[(text, columns)] = frozenset(
                k for k, v in self.vocab.items() if v.resolve(text).role in roles)
        return kinds

    def _only_kind(self, text: str, columns: bool) -> str:
        """The one table whose vocabulary the label belongs to, or "" (memoised in _only)."""
        memo = self._only[columns]
        if len(memo) >= 1 << 15:
            memo.clear()
        kinds = self._kinds(text, columns)
        kind = memo[text] = next(iter(kinds)) if len(kinds) == 1 else ""
        return kind

    def _split(self, block: TableBlock, hint: str | None):
        """Cut a table block where its labels begin to speak of another table."""
        current, start = hint, 0
        tokens = block.cells()
        only = self._only_kind
        with_columns, without = self._only[True], self._only[False]
        for i, token in enumerate(tokens):
            if token.kind == "label":
                # Under a heading that names the table, a column label alone (其他, 总计: a
                # header word of another table too) does not start another table.
                text = token.text
                kind = (with_columns if current is None else without).get(text)
                if kind is None:
                    kind = only(text, current is None)
                if kind and kind != current:
                    # A single label of another table inside a row (an unparsed cell) does
                    # not start a table; a label that heads a row or a header does.
                    if i > start:
                        yield current, tokens[start:i]
                    current, start = kind, i
        if len(tokens) > start:
            yield current, tokens[start:]

    def choose_layout(self, tcodes: TableCodes, tokens: Iterable[CellToken],
                      prefer: str = "") -> LayoutChoice:
        """The layout whose rows and columns fit the table's labels best."""
        return self.choose(tcodes, tokens, prefer)[0]

    def choose(self, tcodes: TableCodes, tokens: Iterable[CellToken],
               prefer: str = "") -> tuple[LayoutChoice, bool]:
        """The best layout, and whether it fits better than every layout of another template.

        Ties are broken by ``prefer`` (a template), then by priority and name.
        """
        resolve = self.vocab[tcodes.code].resolve
        rows: set[str] = set()
        columns: set[str] = set()
        for t in tokens:
            if t.kind == "label":
                label = resolve(t.text)
                role = label.role
                if role == "row":
                    rows.add(label.code)
                elif role == "column":
                    columns.add(label.code)

        def fit(layout: Layout) -> int:
            score = len(rows & layout.row_code_set) - len(rows - layout.row_code_set)
            return score + len(columns & layout.column_codes) - len(columns - layout.column_codes)

        choices = self.layouts[tcodes.code]
        fits = {id(c): fit(c.layout) for c in choices}  # each layout's fit, computed once

        def score(choice: LayoutChoice) -> tuple[int, bool, int, str]:
            layout = choice.layout
            return fits[id(choice)], layout.template == prefer, layout.priority, layout.name

        best = max(choices, key=score)
        rivals = [fits[id(c)] for c in choices if c.layout.template != best.layout.template]
        # A table only one template describes (table four) says nothing about the others.
        return best, bool(rivals) and all(r < fits[id(best)] for r in rivals)

    def _table(self, tcodes: TableCodes, tokens: list[CellToken], raw: RawText,
               prefer: str = "", fit: tuple[LayoutChoice, bool] | None = None):
        if not self.layouts.get(tcodes.code):
            return None, [_diag(Severity.ERROR, "layout-missing",
                                f"no layout is registered for table {tcodes.code!r}", 0)]
        choice, decisive = fit or self.choose(tcodes, tokens, prefer)
        reader = _TableReader(tcodes, choice.layout, self.vocab[tcodes.code], raw,
                              self.equations_for(choice.layout),
                              self._row_sums.setdefault(id(choice.layout), {}))
        templates = {c.layout.template for c in self.layouts[tcodes.code]}
        if not decisive and len(templates) > 1:
            reader.diagnostics.append(_diag(
                Severity.INFO, "template-undecided",
                f"{tcodes.code}: its labels fit templates {', '.join(sorted(templates))} "
                f"equally well; read as {choice.layout.template}"
                + (" like the report's other tables" if prefer else ""),
                raw.locate(tokens[0].line)))
        if choice.layout.shape == "grid":
            reader.read_grid(tokens)
        else:
            reader.read_rows(tokens)
            reader.place_open_rows()
        cells = reader.cells()
        lines = list(map(raw.locate, set(map(_LINE, tokens))))
        table = Table(
            code=tcodes.code,
            template=choice.layout.template,
            layout=choice.layout.name,
            plugin=choice.plugin,
            line_start=min(lines),
            line_end=max(lines),
            cells=cells,
        )
        return table, reader.diagnostics


class _TableReader:
    """Reads the cells of one table with one layout; collects cells and diagnostics."""

    def __init__(self, tcodes: TableCodes, layout: Layout, vocab: Vocabulary, raw: RawText,
                 equations: Sequence[tuple[tuple[Address, ...], tuple[Address, ...]]] = (),
                 row_sums: dict | None = None):
        self.equations = equations
        self._tokens: list[CellToken] = []
        self._use: _HeaderUse | None = None  # the header over the row being read
        #: How many times the header over the row names each column (a converter's copies
        #: of a spanned header cell), where more than once.
        self._repeats: dict[str, int] = {}
        self._cells_on_line: Counter[int] | None = None  # counted when a short row needs it
        #: Rows short of values, placed with the table's identities once every row is read.
        self.open_rows: list[tuple[OpenRow, CellToken, list[tuple[CellToken, bool]],
                                   dict[str, str], list[tuple[CellToken, bool]]]] = []
        #: Rows written together with more than one split: (row, label, run, splits, units).
        self.run_rows: list[tuple[OpenRow, CellToken, CellToken, list[tuple[str, ...]],
                                  dict[str, str]]] = []
        #: Search steps the table's runs may take together (gongkai.parse.together).
        self.budget = Budget()
        self._sums: dict[tuple[str, tuple[str, ...]], tuple] = {} if row_sums is None \
            else row_sums
        self.tcodes = tcodes
        self.layout = layout
        self.vocab = vocab
        self.raw = raw
        self.found: dict[tuple[str, str], Cell] = {}
        self.kinds = {c.code: c.kind for c in tcodes.columns}
        self.row_lines: dict[str, int] = {}
        self.bare_labels: dict[str, CellToken] = {}
        self.diagnostics: list[Diagnostic] = []
        #: Column groups whose heading a header may carry (法人或其他组织): heading key, code.
        self._group_keys = tuple((label_key(tcodes.group(code).zh), code)
                                 for code, _ in tcodes.column_groups)
        #: Each header whose order is not simply the layout's, with the rows read under it.
        self._header_uses: list[_HeaderUse] = []

    # -- layouts of labelled rows --------------------------------------------------------------

    def read_rows(self, tokens: list[CellToken]) -> None:
        self._tokens = tokens
        headers: list[str] = []
        units: dict[str, str] = {}
        #: Each group heading of the header (法人或其他组织), with how many headers precede it.
        group_at: dict[str, int] = {}
        repeats: dict[str, int] = {}  # columns the header names more than once: how often
        header_at = -1  # the index of the header's first cell
        use: _HeaderUse | None = None
        after_row = True
        # Header cells are trusted to fix a row's columns only when no label that names
        # nothing stands among them (a garbled header, or OCR's made-up 数据1…数据6).
        garbled = pending = False
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.kind != "label":
                if token.kind == "value":
                    self._diag(Severity.WARNING, "value-stray",
                               f"value {self.raw.cell(token)!r} belongs to no row; ignored",
                               token)
                i += 1
                continue
            label = self.vocab.resolve(token.text)
            row = self.layout.row(label.code) if label.role == "row" else None
            if label.role == "unknown" and _followed_by_values(tokens, i + 1):
                row = self._near_miss(token)
                if row is None:
                    i = self._skip_unknown_row(token, tokens, i + 1)
                    pending = True
                    continue
            if row is not None:
                if garbled and not after_row and header_at >= 0:
                    # Header words broken over lines (PDF text: 法 律 服 / 务机构): the
                    # header's text joined and cut into the labels it holds, if it is all
                    # labels.
                    rejoined = self._rejoin_header(tokens[header_at:i])
                    if rejoined is not None:
                        headers, group_at = rejoined
                        garbled = False
                if not after_row or (use is not None and use.columns != row.columns):
                    use = self._header_use(tuple(headers), tuple(group_at.items()), row,
                                           tokens[header_at] if header_at >= 0 else None)
                self._use = None if garbled else use
                self._repeats = repeats
                order = [] if garbled else (use.base if use is not None else headers)
                i = self._read_row(row, token, tokens, i + 1, order, units)
                after_row, pending = True, False
            elif label.role == "column":
                if after_row:
                    headers, units, after_row, garbled = [], {}, False, pending
                    group_at, header_at, repeats = {}, i, {}
                if label.code not in headers:
                    headers.append(label.code)
                else:
                    repeats[label.code] = repeats.get(label.code, 1) + 1
                units[label.code] = header_unit(token.text) or units.get(label.code, "")
                i += 1
            else:
                group = self._column_group(token.text) if label.role == "marker" else ""
                if contains_marker(token.text, _HEADER_RESETS):
                    headers, units, after_row, garbled = [], {}, False, False
                    group_at, repeats = {}, {}
                elif group:
                    if after_row:
                        headers, units, after_row, garbled = [], {}, False, pending
                        group_at, header_at, repeats = {}, i, {}
                    group_at.setdefault(group, len(headers))
                elif label.role == "unknown":
                    pending = True
                    garbled = garbled or not after_row
                elif after_row:
                    # A marker (申请人情况) begins the header: text before it that names
                    # nothing (the 勾稽 note broken over lines) is not the header's.
                    pending = False
                i += 1

    def _rejoin_header(self, tokens: list[CellToken]
                       ) -> tuple[list[str], dict[str, int]] | None:
        """The columns (and group headings) of header cells whose words a flattening broke
        apart, read from their text joined: each piece the longest label that starts there,
        None unless every character is some column's label or a group's heading."""
        text = "".join(label_key(t.text) for t in tokens if t.kind == "label")
        if not text or len(text) > 240:
            return None
        match, groups = self.vocab.columns.match, dict(self._group_keys)
        headers: list[str] = []
        group_at: dict[str, int] = {}
        k = 0
        while k < len(text):
            for j in range(min(len(text), k + 16), k, -1):
                piece = text[k:j]
                if piece in groups:
                    group_at.setdefault(groups[piece], len(headers))
                    break
                code = match(piece)
                if code is not None:
                    if code not in headers:
                        headers.append(code)
                    break
            else:
                return None
            k = j
        return (headers, group_at) if len(headers) > 1 else None

    def _column_group(self, text: str) -> str:
        """The column group whose heading ``text`` is (法人或其他组织), else ""."""
        if not self._group_keys:
            return ""
        memo = _GROUP_OF.get(self.tcodes.code)
        if memo is None or len(memo) >= 1 << 12:  # bounded: a corpus's odd labels
            memo = _GROUP_OF[self.tcodes.code] = {}
        found = memo.get(text)
        if found is None:
            key = label_key(text)
            found = memo[text] = next(
                (code for heading, code in self._group_keys if heading in key), "")
        return found

    def _header_use(self, headers: tuple[str, ...], group_at: tuple[tuple[str, int], ...],
                    row: RowLayout, token: CellToken | None) -> _HeaderUse | None:
        """How the header's columns stand over ``row``'s values, or None when the header
        names columns ``row`` lacks or names the layout's in its order as written."""
        if not headers or not set(headers) <= set(row.columns) or len(headers) < 2 or (
                not group_at and _is_subsequence(headers, row.columns)):
            return None
        base, alternatives = _readings(headers, group_at, self.tcodes.column_groups,
                                       row.columns)
        use = _HeaderUse(row.columns, base, alternatives, token)
        if alternatives or not _is_subsequence(base, row.columns):
            self._header_uses.append(use)  # to settle once the rows are read
        return use

    def _settle_headers(self) -> None:
        """Each header's rows moved to the order the identities confirm (see
        ``gongkai.interpret.headers``), with a warning where it is not the layout's."""
        for use in self._header_uses:
            if not use.rows:
                continue
            chosen = use.base if use.partial else header_order.choose(
                use.base, use.alternatives, use.rows, self._known_value, self.equations)
            template = tuple(c for c in use.columns if c in use.base)
            if chosen == use.base == template:
                continue
            refs = [CellRef(self.tcodes.code, r, c) for r in use.rows for c in use.base]
            if chosen is None:
                for r in use.rows:  # each keeps its raw text and line, for a reader to see
                    for c in use.base:
                        if (r, c) in self.found:
                            self.found[(r, c)] = attrs.evolve(
                                self.found[(r, c)], value=None, unit="", status=_AMBIGUOUS)
                self._diag(Severity.WARNING, "header-unsettled",
                           "the header can be read in more than one order of its columns and "
                           "the identities hold in several, so which value is whose cannot be "
                           f"told; {len(refs)} cells were not read", use.token, cells=refs)
                continue
            if chosen != use.base:
                moved = {(r, new): attrs.evolve(self.found[(r, old)], column=new)
                         for r in use.rows for old, new in zip(use.base, chosen, strict=True)
                         if (r, old) in self.found}
                self.found.update(moved)
            if chosen != template:
                self._diag(Severity.WARNING, "columns-reordered",
                           f"the header puts the columns in the order {', '.join(chosen)}, "
                           f"not the template's ({', '.join(template)}); the "
                           f"{len(use.rows)} rows under it were read in the header's order",
                           use.token, cells=refs)

    def _unrepeat(self, columns: Sequence[str], taken: list[tuple[CellToken, bool]],
                  extra: list[CellToken]) -> tuple[list[tuple[CellToken, bool]], list[CellToken]]:
        """A row whose every cell a converter repeated across its span, as it repeated the
        header's (``| 本年处理决定数量 | 本年处理决定数量 | …`` over ``| 48,213 | 48,213 | …``):
        each column's one value, when the copies are the same text; else as it was."""
        counts = {self._repeats.get(c, 1) for c in columns}
        if len(counts) != 1 or (span := counts.pop()) < 2:
            return taken, extra
        values = [t for t, _ in taken] + extra
        if len(values) != span * len(columns) or any(t.kind != "value" for t in values):
            return taken, extra
        groups = [values[k:k + span] for k in range(0, len(values), span)]
        if any(len({self.raw.cell(t) for t in group}) != 1 for group in groups):
            return taken, extra
        return [(group[0], False) for group in groups], []

    def _known_value(self, address: Address) -> Number | None:
        """A cell's number as read so far; a blank or placeholder cell is 0 to the
        identities of these tables; None when unknown."""
        cell = self.found.get(address)
        if cell is None:
            return None
        if cell.value is not None:
            return cell.value
        return 0 if cell.status in (_EMPTY, Status.PLACEHOLDER) else None

    def _near_miss(self, token: CellToken) -> RowLayout | None:
        """The row a misspelt row label clearly means (with a diagnostic), else None."""
        found = self.vocab.closest_row(token.text)
        row = self.layout.row(found[0]) if found else None
        if found and row is not None and row.code not in self.row_lines:
            self._diag(Severity.WARNING, "label-fuzzy",
                       f"row label {self.raw.cell(token)!r} is not a label of the template; "
                       f"read as row {row.code!r} ({found[1]}), the one label it nearly spells",
                       token, cells=[CellRef(self.tcodes.code, row.code, c) for c in row.columns])
            return row
        return None

    def _read_row(self, row: RowLayout, label: CellToken, tokens: list[CellToken], i: int,
                  headers: list[str], units: dict[str, str]) -> int:
        columns: Sequence[str] = row.columns
        use = self._use
        if headers and (use is not None or _is_subsequence(headers, columns)):
            columns = headers
        if use is not None and len(columns) != len(row.columns) and (
                label.line in self.raw.together):
            # A run is cut with the row's identities, which need every column: the header's
            # order only where it names them all.
            use, columns = None, row.columns
        if row.code in self.row_lines:
            self._diag(Severity.WARNING, "row-duplicate",
                       f"row {row.code!r} appears again (first on line "
                       f"{self.row_lines[row.code]}); the repeat is ignored", label)
            return _skip_values(tokens, i)
        start = i
        if (label.line in self.raw.together and len(columns) > 1 and i < len(tokens)
                and tokens[i].line == label.line and RUN_CELL.fullmatch(tokens[i].text)):
            # The row's numbers written together (``规范性文件7777166``): split with the table.
            self.row_lines[row.code] = self.raw.locate(label.line)
            if use is not None:
                use.partial = True
            self._open_run(row.code, tuple(columns), label, tokens[i], units)
            return _skip_values(tokens, i + 1)
        # A row written on its label's line takes no text from the lines after it (a caption,
        # the next row's broken label); a label alone on its line (one cell per line) takes
        # the cells on the lines after it, text included.
        one_line = i < len(tokens) and tokens[i].line == label.line
        taken, i = self._take(label, tokens, i, len(columns), one_line)
        if taken and all(is_text for _, is_text in taken) and all(
                t.line != label.line for t, _ in taken):
            # Only text follows, on other lines: the label is a caption over a table of its
            # own (OCR's "### 一、本年新收…" over "类别 | 数据1 | …"), not this row.
            return start
        if not taken:
            # A label with no cells at all (a header word, a row left out): the row may still
            # come with its cells; if not, cells() reports it here.
            self.bare_labels.setdefault(row.code, label)
            return i
        self.row_lines[row.code] = self.raw.locate(label.line)
        extra = []
        run = len(taken)  # the row's cells and the blanks after them, up to the next label
        while i < len(tokens) and tokens[i].kind != "label":
            if tokens[i].kind == "value":
                extra.append(tokens[i])
            i += 1
            run += 1
        width = len(columns)
        if extra and self._repeats:
            taken, extra = self._unrepeat(columns, taken, extra)
        # A full row of values (the usual case) is read as it stands.
        full = not extra and len(taken) == width and all(t.kind != "empty" for t, _ in taken)
        filled = [] if full else [(t, is_text) for t, is_text in taken if t.kind != "empty"]
        filled += [(t, False) for t in extra]
        if extra and len(filled) == width:
            # As many values as columns, with span padding or blanks among them (next to the
            # label, in a Markdown row of a spanned label): the values are the row's cells.
            taken, extra = filled, []
        if (not extra and 0 < len(filled) < width and not any(x for _, x in filled)
                and (self.raw.positional or one_line)):
            # Fewer values than columns: whose they are is settled with the whole table.
            if use is not None:
                use.partial = True
            self._open(row.code, columns, label, taken, filled, units, run)
            return i
        doubt = "" if self.raw.positional else self._page_doubt(
            label, tokens, start, taken, extra, len(columns), one_line)
        if doubt:
            self._diag(Severity.WARNING, "cells-ambiguous",
                       f"row {row.code!r}: {doubt}; which cell is whose cannot be told, so "
                       "none was read", label,
                       cells=[CellRef(self.tcodes.code, row.code, c) for c in columns])
            for column in columns:  # there, but unread: ambiguous, not missing
                self._blank(row.code, column, label, _AMBIGUOUS)
            return i
        self._add_cells(row.code, columns, taken, units)
        if use is not None:
            use.rows.append(row.code)
            use.partial = use.partial or len(taken) < len(columns)
        if len(taken) < len(columns):
            missing = columns[len(taken):]
            self._diag(Severity.WARNING, "cells-missing",
                       f"row {row.code!r} has {len(taken)} of {len(columns)} cells; "
                       f"missing: {', '.join(missing)}", label,
                       cells=[CellRef(self.tcodes.code, row.code, c) for c in missing])
        if extra:
            self._diag(Severity.WARNING, "values-extra",
                       f"row {row.code!r} has more values than its {len(columns)} columns; "
                       f"ignored: {', '.join(self.raw.cell(t) for t in extra)}", label)
        return i

    def _take(self, label: CellToken, tokens: list[CellToken], i: int, width: int,
              one_line: bool) -> tuple[list[tuple[CellToken, bool]], int]:
        """Up to ``width`` cells after a row label, each with whether it is text."""
        taken: list[tuple[CellToken, bool]] = []
        resolve, end = self.vocab.resolve, min(len(tokens), i + width)
        while i < end:
            token = tokens[i]
            if token.kind == "label":
                if one_line and token.line != label.line:
                    break
                if resolve(token.text).role != "unknown":
                    break
                taken.append((token, True))  # text where a number belongs
            else:
                taken.append((token, False))
            i += 1
        return taken, i

    def _page_doubt(self, label: CellToken, tokens: list[CellToken], start: int,
                    taken: list[tuple[CellToken, bool]], extra: list[CellToken], width: int,
                    one_line: bool) -> str:
        """Why a row of a page's text (PDF text) cannot be read by position, or ""."""
        if one_line:
            # A blank cell leaves no trace on a page: in a row short of (or over) its columns,
            # which cell is missing (or extra) cannot be known.
            over = [t for t in extra if t.line == label.line]
            if len(taken) < width or over:
                found = [self.raw.cell(t) for t, _ in taken] + [self.raw.cell(t) for t in over]
                return f"{len(found)} cells for its {width} columns ({', '.join(found)})"
            return ""
        apart = self._apart_doubt(tokens, start - 1, taken, width)
        return f"its label stands on a line of its own and {apart}" if apart else ""

    def _apart_doubt(self, tokens: list[CellToken], at: int,
                     taken: list[tuple[CellToken, bool]], width: int) -> str:
        """Why values on the lines after a row label may not be that row's (page text only).

        In a page's text a label broken over lines ends up apart from its values; they are
        that label's only when it is the one label since the values before, and they are one
        line of exactly the row's width.
        """
        k = at - 1
        rivals = []
        while k >= 0 and tokens[k].kind != "value":
            t = tokens[k]
            if t.kind == "label":
                label = self.vocab.resolve(t.text)
                if label.role == "unknown" or (label.role == "row" and self.layout.row(label.code)):
                    rivals.append(t.text)
            k -= 1
        if rivals:
            return f"other labels stand before it ({', '.join(reversed(rivals))})"
        lines = {t.line for t, _ in taken}
        on_line = sum(1 for t in tokens if t.kind != "label" and t.line in lines)
        if len(lines) > 1 or on_line != width:
            return f"the values after it are not one line of {width}"
        return ""

    def _skip_unknown_row(self, label: CellToken, tokens: list[CellToken], i: int) -> int:
        j = _skip_values(tokens, i)
        values = [self.raw.cell(t) for t in tokens[i:j] if t.kind == "value"]
        self._diag(Severity.WARNING, "row-unknown",
                   f"row label {self.raw.cell(label)!r} is not part of layout "
                   f"{self.layout.name!r}; its values ({', '.join(values)}) were not read",
                   label)
        return j

    # -- rows short of values ------------------------------------------------------------------

    def _open(self, code: str, columns: Sequence[str], label: CellToken,
              taken: list[tuple[CellToken, bool]], filled: list[tuple[CellToken, bool]],
              units: dict[str, str], run: int) -> None:
        # The source's own order: the cells from the left, blanks where it has them. It is
        # evidence where the source keeps its blank cells in their columns — a blank between
        # two values, or a row of exactly its width up to the next label (blanks after the last
        # value may be a span's padding). Elsewhere it is only the fallback for a row the
        # identities cannot place at all (the source breaks them itself).
        order = tuple(k for k, (t, _) in enumerate(taken) if t.kind != "empty")
        kept = self.raw.positional or len(taken) == len(columns)
        interior = bool(order) and order[-1] - order[0] + 1 > len(order)
        # A blank written as a "|" alone on its line (one cell per line) is a cell; a run of
        # bars on one line is a span's padding.
        blanks = [t for t, _ in taken if t.kind == "empty"]
        if blanks and self._cells_on_line is None:
            self._cells_on_line = Counter(map(_LINE, self._tokens))
        lone = bool(blanks) and all(self._cells_on_line[t.line] == 1 for t in blanks)
        # A row the text stops in (an excerpt) keeps its cells from the left.
        cut = not blanks and filled[-1][0].line >= self.raw.last_line
        evidence = interior or lone or cut or run == len(columns)
        preferred = order if kept and evidence else None
        kinds = self.kinds
        values = tuple(_parse_value(t.text, kinds[c], "").value or 0
                       for (t, _), c in zip(filled, columns, strict=False))
        row = OpenRow(code, tuple(columns), values, preferred, len(taken), order)
        self.open_rows.append((row, label, taken, units, filled))

    def place_open_rows(self) -> None:
        if not self.open_rows and not self.run_rows:
            return
        known = {a: self._known_value(a) for a in self.found}
        for row, *_ in self.run_rows:
            for column in row.columns:
                known.pop((row.code, column), None)
        rows = [o[0] for o in self.open_rows] + [o[0] for o in self.run_rows]
        outcome = place(rows, known, self.equations)
        relaxed: dict[str, set[int]] | None = None
        if self.run_rows and all(r.code not in outcome.placed and not outcome.ambiguous.get(r.code)
                                 for r, *_ in self.run_rows):
            relaxed = self._relaxed(rows, known)
        for run_row in self.run_rows:
            self._settle_run(*run_row, outcome, relaxed)
        for row, label, taken, units, filled in self.open_rows:
            at = outcome.placed.get(row.code)
            if at is not None and at in (row.preferred, row.fallback):
                self._add_cells(row.code, row.columns, taken, units)
                if len(taken) < len(row.columns):
                    missing = row.columns[len(taken):]
                    self._diag(Severity.WARNING, "cells-missing",
                               f"row {row.code!r} has {len(taken)} of {len(row.columns)} cells; "
                               f"missing: {', '.join(missing)}", label,
                               cells=[CellRef(self.tcodes.code, row.code, c) for c in missing])
                continue
            if at is not None:
                self._add_cells(row.code, [row.columns[k] for k in at], filled, units)
                for k, column in enumerate(row.columns):
                    if k not in at:
                        self._blank(row.code, column, label, Status.EMPTY)
                where = ", ".join(row.columns[k] for k in at)
                self._diag(Severity.INFO, "cells-placed",
                           f"row {row.code!r} has {len(filled)} values for its "
                           f"{len(row.columns)} columns; the table's identities place them "
                           f"in {where}, the other cells are empty", label,
                           cells=[CellRef(self.tcodes.code, row.code, c) for c in row.columns])
                continue
            self._settle([(row.code, c) for c in row.columns], outcome.cells.get(row.code),
                         outcome.numbers.get(row.code), filled, label, units)
            options = outcome.ambiguous.get(row.code, ())
            shown = "; ".join(" + ".join(row.columns[k] for k in p) for p in options[:6])
            more = f" and {len(options) - 6} more" if len(options) > 6 else ""
            found = ", ".join(self.raw.cell(t) for t, _ in filled)
            self._diag(Severity.WARNING, "cells-ambiguous",
                       f"row {row.code!r} has {len(filled)} values ({found}) for its "
                       f"{len(row.columns)} columns and the identities do not settle whose "
                       "they are" + (f" (they allow: {shown}{more})" if options else "")
                       + "; the cells they do not settle are left empty", label,
                       cells=[CellRef(self.tcodes.code, row.code, c) for c in row.columns])

    # -- rows written together ----------------------------------------------------------------

    def _run_sums(self, code: str,
                  columns: Sequence[str]) -> tuple[tuple[tuple[int, ...], int], ...]:
        """The table's identities within one row, as (columns that add up, their total)."""
        key = (code, tuple(columns))
        found = self._sums.get(key)
        if found is None:
            found = self._sums[key] = tuple(self._row_sums(code, columns))
        return found

    def _row_sums(self, code: str, columns: Sequence[str]) -> list[tuple[tuple[int, ...], int]]:
        at = {c: k for k, c in enumerate(columns)}
        out = []
        for left, right in self.equations:
            if any(r != code or c not in at for r, c in (*left, *right)):
                continue
            if len(right) == 1:
                out.append((tuple(at[c] for _, c in left), at[right[0][1]]))
            elif len(left) == 1:
                out.append((tuple(at[c] for _, c in right), at[left[0][1]]))
        return out

    def _splits(self, code: str, columns: Sequence[str], run: str,
                units: dict[str, str]) -> list[tuple[str, ...]] | None:
        kinds = [self.kinds[c] for c in columns]
        hints = [units.get(c, "") if units else "" for c in columns]

        def parse(text: str, k: int) -> Number | None:
            parsed = _parse_value(text, kinds[k], hints[k])
            return parsed.value if parsed.status is Status.OK else None

        return _cached_splits(run, kinds, hints, parse, self._run_sums(code, columns),
                              self.budget)

    def _open_run(self, code: str, columns: tuple[str, ...], label: CellToken, run: CellToken,
                  units: dict[str, str]) -> None:
        found = self._splits(code, columns, run.text, units)
        if found and len(found) == 1:
            self._run_cells(code, columns, found[0], run, units, range(len(columns)))
            return
        if not found:
            for column in columns:
                self._blank(code, column, label, _AMBIGUOUS)
            why = ("has too many ways to be cut to search" if found is None else
                   "cannot be cut into them so that the row's identities hold")
            self._diag(Severity.WARNING, "cells-ambiguous",
                       f"row {code!r}: its numbers are written together ({self.raw.cell(run)!r}) "
                       f"and the run {why}; its {len(columns)} cells are left empty", label,
                       cells=[CellRef(self.tcodes.code, code, c) for c in columns])
            return
        vectors = tuple(tuple(_parse_value(t, self.kinds[c], units.get(c, "") if units else "")
                              .value for t, c in zip(split, columns, strict=True))
                        for split in found)
        self.run_rows.append((OpenRow(code, columns, (), vectors=vectors), label, run, found,
                              units))

    def _run_cells(self, code: str, columns: Sequence[str], texts: Sequence[str],
                   run: CellToken, units: dict[str, str], which: Iterable[int],
                   status: Status | None = None) -> None:
        """Cells of a run's split: each number's own digits are its raw text."""
        line = self.raw.locate(run.line)
        for k in which:
            column = columns[k]
            parsed = _parse_value(texts[k], self.kinds[column],
                                  units.get(column, "") if units else "")
            self.found[(code, column)] = Cell(self.tcodes.code, code, column, parsed.value,
                                              parsed.unit, texts[k], status or parsed.status,
                                              line, parsed.note)

    def _relaxed(self, rows: list[OpenRow], known: dict[Address, Number | None]
                 ) -> dict[str, set[int]]:
        """When no split of the table's runs satisfies every identity (the source breaks some
        itself), the splits each run may have if the source is wrong in one column: the
        identities tying rows together in that column and in the rows' 总计 column are left
        out (a wrong cell breaks both), the union over every column whose absence lets the
        rest hold. Empty when none does (the source is wrong in more than one column)."""
        def column(e) -> str | None:
            found = {c for _, c in (*e[0], *e[1])}
            rows = {r for r, _ in (*e[0], *e[1])}
            return found.pop() if len(found) == 1 and len(rows) > 1 else None

        totals = {self.layout.row(r.code).columns[t] for r, *_ in self.run_rows
                  for _, t in self._run_sums(r.code, r.columns)}
        columns = sorted({c for e in self.equations if (c := column(e)) is not None})
        kept: dict[str, set[int]] = {}
        for wrong in columns[:MAX_RELAXED]:
            others = [e for e in self.equations if column(e) not in {wrong, *totals}]
            outcome = place(rows, known, others)
            for row, *_ in self.run_rows:
                at = outcome.placed.get(row.code)
                found = [at] if at is not None else list(outcome.ambiguous.get(row.code, ()))
                kept.setdefault(row.code, set()).update(p[0] for p in found)
        return {code: splits for code, splits in kept.items() if splits}

    def _settle_run(self, row: OpenRow, label: CellToken, run: CellToken,
                    found: list[tuple[str, ...]], units: dict[str, str], outcome,
                    relaxed: dict[str, set[int]] | None = None) -> None:
        """A written-together row with several splits, as far as the table's identities (and
        then the documented rule, ``gongkai.parse.together.rule_split``) settle it."""
        code, columns = row.code, row.columns
        at = outcome.placed.get(code)
        if at is not None:
            self._run_cells(code, columns, found[at[0]], run, units, range(len(columns)))
            return
        options = outcome.ambiguous.get(code, ())
        if not options and relaxed and relaxed.get(code):
            # The source breaks identities itself (validation reports them): the splits the
            # identities it keeps allow, cells read as written where those agree.
            possible = [found[i] for i in sorted(relaxed[code])]
            if len(possible) == 1:
                self._run_cells(code, columns, possible[0], run, units, range(len(columns)))
                self._diag(Severity.INFO, "cells-placed",
                           f"row {code!r}: its numbers are written together "
                           f"({self.raw.cell(run)!r}); the table breaks identities of one "
                           f"column itself, and every identity it keeps allows one split: "
                           f"{' '.join(possible[0])}", label,
                           cells=[CellRef(self.tcodes.code, code, c) for c in columns])
                return
            options = tuple((i,) for i in sorted(relaxed[code]))
        possible = [found[p[0]] for p in options] or found
        chosen = rule_split(columns, run.text, possible)
        if chosen is not None:
            self._run_cells(code, columns, chosen, run, units, range(len(columns)), Status.RULE)
            self._diag(Severity.INFO, "cells-rule",
                       f"row {code!r}: its numbers are written together ({self.raw.cell(run)!r}) "
                       f"and the identities allow {len(possible)} splits; the rule of equal "
                       f"numbers chose {' '.join(chosen)}", label,
                       cells=[CellRef(self.tcodes.code, code, c) for c in columns])
            return
        left = []
        for k, column in enumerate(columns):
            # A cell every remaining split gives the same number is settled (by the table's
            # identities, or by the row's own when the table's fail: read as written).
            values = {_parse_value(split[k], self.kinds[column], "").value for split in possible}
            if len(values) == 1:
                self._run_cells(code, columns, possible[0], run, units, (k,))
            else:
                self._blank(code, column, label, _AMBIGUOUS)
                left.append(CellRef(self.tcodes.code, code, column))
        if not left:
            return  # the splits differ in their texts only (1,000 and 1000): every cell is read
        shown = "; ".join(" ".join(split) for split in possible[:6])
        more = f" and {len(possible) - 6} more" if len(possible) > 6 else ""
        why = ("the identities allow these splits" if options else
               "no split holds with the table's identities (the source breaks them, or the "
               "search ran out of steps), so these splits remain")
        self._diag(Severity.WARNING, "cells-ambiguous",
                   f"row {code!r}: its numbers are written together ({self.raw.cell(run)!r}) "
                   f"and {why}: {shown}{more}; the cells they do not settle are left empty",
                   label, cells=left)

    def _settle(self, addresses: Sequence[Address], settled: Sequence[int | None] | None,
                numbers: Sequence[Number | None] | None, filled: list[tuple[CellToken, bool]],
                label: CellToken, units: dict[str, str]) -> list[Address]:
        """The cells of an unplaced row as far as the identities settle them, each column
        by what every solution puts there (``gongkai.interpret.placement.Outcome.cells``); returns
        the addresses left ambiguous."""
        settled = settled or (None,) * len(addresses)
        numbers = numbers or (None,) * len(addresses)
        left = []
        for (row, column), at, number in zip(addresses, settled, numbers, strict=True):
            if at is None and number is not None:
                # Which value stands here is not settled, its number is (0 in every
                # solution, say): given as the identities give it, and said so.
                self.found[(row, column)] = Cell(self.tcodes.code, row, column, number, "", "",
                                                 Status.INFERRED, self.raw.locate(label.line))
            elif at is None:
                self._blank(row, column, label, _AMBIGUOUS)
                left.append((row, column))
            elif at == BLANK:
                self._blank(row, column, label, Status.EMPTY)
            else:  # every solution puts this value here
                self._add_cells(row, [column], [filled[at]], units)
        return left

    def _blank(self, row: str, column: str, label: CellToken, status: Status) -> None:
        self.found[(row, column)] = Cell(self.tcodes.code, row, column, None, "", "", status,
                                         self.raw.locate(label.line))

    # -- the flat grid of table four -----------------------------------------------------------

    def read_grid(self, tokens: list[CellToken]) -> None:
        slots = [(r.code, c) for r in self.layout.rows for c in r.columns]
        doubt = self._grid_order_doubt(tokens)
        if doubt:
            first = next((t for t in tokens if t.kind == "value"), tokens[0])
            for r, c in slots:
                self._blank(r, c, first, _AMBIGUOUS)
            self._diag(Severity.WARNING, "header-unsettled",
                       f"{doubt}, not the template's: read by position its numbers would stand "
                       "in other cells than the header says, so none was read", first,
                       cells=[CellRef(self.tcodes.code, r, c) for r, c in slots])
            return
        runs = [t for t in tokens if t.line in self.raw.together and t.kind != "empty"
                and RUN_CELL.fullmatch(t.text)]
        if len(runs) == 1 and not any(t.kind == "value" and t is not runs[0] for t in tokens):
            self._read_grid_run(runs[0], slots)
            return
        first = next((i for i, t in enumerate(tokens) if t.kind == "value"), None)
        if first is not None:
            # Blank cells on the line of the values are cells (` | 0 |  | 5 …`); bars on lines
            # of their own around them are the header's or the table's padding.
            while first and tokens[first - 1].kind == "empty" \
                    and tokens[first - 1].line == tokens[first].line:
                first -= 1
        values = [t for t in tokens[first:] if t.kind != "label"] if first is not None else []
        last = next((t.line for t in reversed(values) if t.kind == "value"), 0)
        while values and values[-1].kind == "empty" and (
                len(values) > len(slots) or values[-1].line != last):
            values.pop()
        # A blank cell leaves no trace on a page, nor where a flattening dropped the blanks:
        # 14 numbers for 15 cells fit no cell. Blanks kept among the values, or a text that
        # stops inside the table (an excerpt), keep the cells in their order.
        dropped = (len(values) < len(slots) and all(t.kind != "empty" for t in values)
                   and values and values[-1].line < self.raw.last_line)
        if len(values) == len(slots) + 1 and not self.raw.positional:
            values = self._without_stray(values, slots)
        if values and len(values) != len(slots) and (not self.raw.positional or dropped):
            if len(values) < len(slots) and self._place_grid(values, slots):
                return
            for r, c in slots:
                self._blank(r, c, values[0], _AMBIGUOUS)
            self._diag(Severity.WARNING, "cells-ambiguous",
                       f"table has {len(values)} values for its {len(slots)} cells "
                       f"({', '.join(self.raw.cell(t) for t in values)}); which cell is whose "
                       "cannot be told, so none was read", values[0],
                       cells=[CellRef(self.tcodes.code, r, c) for r, c in slots])
            return
        at = 0
        for row in self.layout.rows:
            width = len(row.columns)
            self._add_cells(row.code, row.columns,
                            [(t, False) for t in values[at:at + width]], {})
            at += width
        if len(values) > len(slots):
            extra = ", ".join(self.raw.cell(t) for t in values[len(slots):])
            self._diag(Severity.WARNING, "values-extra",
                       f"table has more than {len(slots)} values; ignored: {extra}",
                       values[len(slots)])
        elif len(values) < len(slots):
            where = values[-1] if values else tokens[0]
            missing = slots[len(values):]
            self._diag(Severity.WARNING, "cells-missing",
                       f"table has {len(values)} of {len(slots)} values", where,
                       cells=[CellRef(self.tcodes.code, r, c) for r, c in missing])

    def _read_grid_run(self, run: CellToken, slots: list[tuple[str, str]]) -> None:
        """Table four's fifteen numbers written together: split with its row identities."""
        kinds = [self.kinds[c] for _, c in slots]
        at = {slot: k for k, slot in enumerate(slots)}
        sums = []
        for left, right in self.equations:
            if all(a in at for a in (*left, *right)):
                if len(right) == 1:
                    sums.append((tuple(at[a] for a in left), at[right[0]]))
                elif len(left) == 1:
                    sums.append((tuple(at[a] for a in right), at[left[0]]))

        def parse(text: str, k: int) -> Number | None:
            parsed = _parse_value(text, kinds[k], "")
            return parsed.value if parsed.status is Status.OK else None

        found = _cached_splits(run.text, kinds, [""] * len(kinds), parse, tuple(sums),
                               self.budget)
        line = self.raw.locate(run.line)
        left = []
        for k, (r, c) in enumerate(slots):
            values = {parse(split[k], k) for split in found} if found else set()
            if len(values) == 1:
                parsed = _parse_value(found[0][k], kinds[k], "")  # type: ignore[index]
                self.found[(r, c)] = Cell(self.tcodes.code, r, c, parsed.value, parsed.unit,
                                          found[0][k], parsed.status, line)  # type: ignore
            else:
                self._blank(r, c, run, _AMBIGUOUS)
                left.append(CellRef(self.tcodes.code, r, c))
        if left:
            shown = "; ".join(" ".join(split) for split in (found or [])[:6])
            more = f" and {len(found) - 6} more" if found and len(found) > 6 else ""
            why = (f"the row identities allow these splits: {shown}{more}" if found else
                   "it cannot be cut into 15 numbers so that the row identities hold"
                   if found is not None else "it has too many ways to be cut to search")
            self._diag(Severity.WARNING, "cells-ambiguous",
                       f"table's numbers are written together ({self.raw.cell(run)!r}) and "
                       f"{why}; the cells they do not settle are left empty", run, cells=left)

    def _grid_order_doubt(self, tokens: list[CellToken]) -> str:
        """Table four's header or row labels in another order than the template's (行政诉讼
        before 行政复议, 结果纠正 before 结果维持), which its positional reading cannot follow:
        what is out of order, or "" when nothing is."""
        first = next((k for k, t in enumerate(tokens) if t.kind == "value"), len(tokens))
        resolve = self.vocab.resolve
        rows = [r.code for r in self.layout.rows]
        columns = list(self.layout.rows[0].columns) if self.layout.rows else []
        seen_rows: list[str] = []
        for t in tokens:
            if t.kind != "label":
                continue
            # (行政诉讼（复议后起诉）: the row is named in the parentheses)
            inner = _IN_PARENS.findall(label_key(t.text)) if "(" in t.text or "（" in t.text \
                else ()
            for text in (t.text, *inner):
                label = resolve(text)
                if label.role == "row" and label.code in rows:
                    if label.code not in seen_rows:
                        seen_rows.append(label.code)
                    break
        if not _is_subsequence(seen_rows, rows):
            return f"its rows are written in the order {', '.join(seen_rows)}"
        run: list[str] = []
        for t in tokens[:first]:
            if t.kind != "label":
                continue
            label = resolve(t.text)
            if label.role != "column" or label.code not in columns:
                continue
            if label.code in run:  # the next group's columns begin
                run = []
            run.append(label.code)
            if not _is_subsequence(run, columns):
                return f"its header puts the columns in the order {', '.join(run)}"
        return ""

    def _without_stray(self, values: list[CellToken],
                       slots: list[tuple[str, str]]) -> list[CellToken]:
        """Table four with one value too many, alone on its line at either end (a bare page
        number of PDF text): the values without it, when they and not the others satisfy the
        table's identities (with a warning); else all of them."""
        candidates = []
        for stray, kept in ((values[-1], values[:-1]), (values[0], values[1:])):
            alone = not any(t is not stray and t.line == stray.line for t in values)
            if alone and stray.kind == "value" and self._grid_holds(kept, slots):
                candidates.append((stray, kept))
        if len(candidates) != 1:
            return values
        stray, kept = candidates[0]
        self._diag(Severity.WARNING, "values-extra",
                   f"table has {len(values)} values for its {len(slots)} cells; "
                   f"{self.raw.cell(stray)!r}, alone on its line, is not one of them (a page "
                   "number?): the others satisfy the table's identities", stray)
        return kept

    def _grid_holds(self, values: list[CellToken], slots: list[tuple[str, str]]) -> bool:
        """Whether ``values``, in the slots' order, satisfy every identity of the table."""
        numbers = {}
        for t, slot in zip(values, slots, strict=True):
            parsed = _parse_value(t.text, self.kinds[slot[1]], "")
            if parsed.value is None:
                return False
            numbers[slot] = parsed.value
        checked, failed = header_order.violations((), (), (), numbers.get, self.equations)
        return checked > 0 and not failed

    def _place_grid(self, values: list[CellToken], slots: list[tuple[str, str]]) -> bool:
        """Table four short of values: the flat run placed with the table's identities, as one
        open row over all its cells. False when they settle nothing."""
        if any(t.kind != "value" for t in values):
            return False
        key = {slot: "/".join(slot) for slot in slots}
        kinds = self.kinds
        numbers = tuple(_parse_value(t.text, kinds[c], "").value or 0 for t, (_, c) in
                        zip(values, slots, strict=False))
        row = OpenRow(_GRID, tuple(key.values()), numbers)
        equations = [(tuple((_GRID, key[a]) for a in left), tuple((_GRID, key[a]) for a in right))
                     for left, right in self.equations]
        outcome = place([row], {}, equations)
        at = outcome.placed.get(_GRID)
        settled = (tuple(at.index(k) if k in at else BLANK for k in range(len(slots)))
                   if at is not None else outcome.cells.get(_GRID))
        if settled is None or all(x is None for x in settled):
            return False
        left = self._settle(slots, settled, outcome.numbers.get(_GRID),
                            [(t, False) for t in values], values[0], {})
        unsettled = [CellRef(self.tcodes.code, r, c) for r, c in left]
        self._diag(Severity.WARNING if unsettled else Severity.INFO,
                   "cells-ambiguous" if unsettled else "cells-placed",
                   f"table has {len(values)} values for its {len(slots)} cells; the identities "
                   "place " + ("them" if not unsettled else
                               f"all but {len(unsettled)}, left empty"), values[0],
                   cells=unsettled or [CellRef(self.tcodes.code, r, c) for r, c in slots])
        return True

    # -- cells ---------------------------------------------------------------------------------

    def _add_cells(self, row: str, columns: Sequence[str],
                   taken: Iterable[tuple[CellToken, bool]], units: dict[str, str]) -> None:
        """The cells of one row: each token with its column, and whether it is text."""
        # The hot path of interpretation (every cell of a report): local names, and the raw
        # line and source line looked up once per line rather than per cell.
        table, kinds, found = self.tcodes.code, self.kinds, self.found
        raw_parts, locate = self.raw.parts, self.raw.locate
        unit_of = units.get if units else _NO_UNIT
        at = line = -1
        parts: list[str] | None = None
        for column, (token, is_text) in zip(columns, taken, strict=False):
            if token.line != at:
                at = token.line
                line = locate(at)
                parts = raw_parts(at)
            raw = _raw_cell(parts, token)
            parsed = _parse_value(token.text, kinds[column], unit_of(column, ""))
            if is_text:
                status = _UNPARSED
                cell = new_cell(table, row, column, None, "", raw, status, line, parsed.note)
            else:
                status = parsed.status
                cell = new_cell(table, row, column, parsed.value, parsed.unit, raw, status,
                                line, parsed.note)
            found[(row, column)] = cell
            if status is _EMPTY or status is _UNPARSED:
                what = "is empty" if status is _EMPTY else f"is not a number: {raw!r}"
                self._diag(Severity.WARNING, f"cell-{status.value}",
                           f"cell {row}/{column} {what}", token,
                           cells=[CellRef(table, row, column)])

    def cells(self) -> tuple[Cell, ...]:
        """Every cell of the layout, in template order; cells the source lacks are missing."""
        if self._header_uses:
            self._settle_headers()
        out = []
        for row in self.layout.rows:
            line = self.row_lines.get(row.code, 0)
            bare = self.bare_labels.get(row.code)
            if not line and bare is not None:
                line = self.raw.locate(bare.line)
                self._diag(Severity.WARNING, "cells-missing",
                           f"row {row.code!r} has 0 of {len(row.columns)} cells; missing: "
                           f"{', '.join(row.columns)}", bare,
                           cells=[CellRef(self.tcodes.code, row.code, c) for c in row.columns])
            elif not line and self.layout.shape == "rows":
                self._diag(Severity.WARNING, "row-missing",
                           f"row {row.code!r} was not found", None,
                           cells=[CellRef(self.tcodes.code, row.code, c) for c in row.columns])
            get, code = self.found.get, row.code
            for column in row.columns:
                out.append(get((code, column)) or Cell(
                    table=self.tcodes.code, row=code, column=column, value=None, unit="",
                    raw="", status=Status.MISSING, line=line,
                ))
        return tuple(out)

    def _diag(self, severity: Severity, code: str, message: str, token: CellToken | None,
              cells: Iterable[CellRef] = ()) -> None:
        line = self.raw.locate(token.line) if token is not None else 0
        self.diagnostics.append(Diagnostic(
            severity=severity, code=code, message=f"{self.tcodes.code}: {message}", line=line,
            cells=tuple(cells),
        ))


def _diag(severity: Severity, code: str, message: str, line: int) -> Diagnostic:
    return Diagnostic(severity=severity, code=code, message=message, line=line)


#: Splits of runs already cut, by run, kinds, unit hints and row identities: a corpus repeats
#: its runs (``0000000``). Bounded; a result cut short by a table's budget is not kept.
_SPLITS: dict[tuple, list[tuple[str, ...]] | None] = {}


def _cached_splits(run: str, kinds: Sequence[str], hints: Sequence[str],
                   parse: Callable[[str, int], Number | None], sums: tuple,
                   budget: Budget) -> list[tuple[str, ...]] | None:
    key = (run, tuple(kinds), tuple(hints), sums)
    if key in _SPLITS:
        return _SPLITS[key]
    whole = budget.left >= MAX_SPLIT_STEPS  # the result depends on the run alone
    found = splits(run, kinds, parse, sums, budget)
    if whole:
        if len(_SPLITS) >= 1 << 12:
            _SPLITS.clear()
        _SPLITS[key] = found
    return found


def _followed_by_values(tokens: list[CellToken], i: int) -> bool:
    return any(t.kind == "value" for t in tokens[i:_skip_values(tokens, i)])


def _skip_values(tokens: list[CellToken], i: int) -> int:
    while i < len(tokens) and tokens[i].kind != "label":
        i += 1
    return i


@lru_cache(maxsize=1024)
def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(item in it for item in short)


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    # Asked for every row under the same headers: memoised (headers and layouts repeat).
    return _subsequence(tuple(short), tuple(long))


@attrs.define
class _HeaderUse:
    """A header whose order is not simply the layout's, and the rows read under it."""

    #: The layout's columns of the rows under it.
    columns: tuple[str, ...]
    #: The order the rows are read in, and the orders the identities may prefer.
    base: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]
    token: CellToken | None
    rows: list[str] = attrs.Factory(list)
    #: Whether a row under it was read short or placed (its values are not simply in order).
    partial: bool = False


#: What a label holds in parentheses (after label_key's folding of full-width ones).
_IN_PARENS = re.compile(r"\(([^()]+)\)")

#: Table code -> marker text -> the column group it heads ("" for none).
_GROUP_OF: dict[str, dict[str, str]] = {}


@lru_cache(maxsize=1024)
def _readings(headers: tuple[str, ...], group_at: tuple[tuple[str, int], ...],
              groups: tuple[tuple[str, frozenset[str]], ...], columns: tuple[str, ...]):
    """``gongkai.interpret.headers.readings``, memoised: headers repeat from report to
    report."""
    return header_order.readings(headers, group_at, dict(groups), columns)


def _split_subheading(text: str) -> tuple[str, str]:
    if text.startswith("(") and ")" in text:
        number, _, title = text[1:].partition(")")
        return number, title.strip()
    return "", text
