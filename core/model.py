"""The one intermediate model: what readers and the parser produce and writers consume.

Every class is a frozen attrs class, so a report is a value: it can be shared between threads,
compared in tests and never changed behind a writer's back. Stages that "change" a report
(validation adding findings, for instance) build a new one with ``attrs.evolve``.

The model mirrors docs/model.md and the JSON Schema generated from it (gongkai.outputs.schema).
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Iterator
from functools import cached_property

import attrs

from gongkai.errors import MissingTableError, UnknownCodeError

#: Version of the model and of every output derived from it. Bump the minor version when
#: fields are added, the major version when a field changes meaning or disappears.
SCHEMA_VERSION = "2.1"

Number = int | float


#: Row codes the layouts made in this process add to a table (variants' extra rows).
_EXTRA_ROWS: dict[str, set[str]] = {}


def note_extra_rows(table: str, codes) -> None:
    """Make a variant's extra row codes known: ``Table.cell`` takes them without an error."""
    _EXTRA_ROWS.setdefault(table, set()).update(codes)


def _unknown(what: str, code: str, known) -> UnknownCodeError:
    from gongkai.suggest import did_you_mean

    return UnknownCodeError(f"{what} {code!r}{did_you_mean(code, known)}; see docs/codes.md")


def _check_table_code(code: str) -> None:
    from gongkai.layouts.codes import load_codes

    tables = load_codes().table_codes
    if code not in tables:
        raise _unknown("no table code", code, tables)


class Status(str, enum.Enum):
    """What a cell's value is, relative to what the source wrote."""

    #: The source wrote a number; ``value`` is that number (in the cell's unit).
    OK = "ok"
    #: The source cell exists but is blank; ``value`` is empty, never 0.
    EMPTY = "empty"
    #: The source wrote a placeholder (``/``, ``-``, ``—``, ``无``); ``value`` is empty.
    PLACEHOLDER = "placeholder"
    #: The value was restored from an identity the table must satisfy; the source lacks it.
    INFERRED = "inferred"
    #: The source wrote text that is not a number; ``raw`` keeps it, ``value`` is empty.
    UNPARSED = "unparsed"
    #: The template has this cell but the source has no cell for it at all (a short row).
    MISSING = "missing"
    #: The flattening lost which column the row's values stand in and the identities do not
    #: settle it; ``value`` is empty, a ``cells-ambiguous`` diagnostic lists the candidates.
    AMBIGUOUS = "ambiguous"
    #: A row's numbers were written together (no separator) and the identities allow several
    #: splits; a documented rule chose this one (docs/inputs.md), a ``cells-rule`` info says so.
    RULE = "rule"

    def __str__(self) -> str:
        return self.value


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@attrs.frozen(cache_hash=True)  # hashed again and again by the validation rules
class CellRef:
    """The address of a cell: ``(table, row, column)`` in canonical codes."""

    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@functools.lru_cache(maxsize=8192)
def cell_ref(table: str, row: str, column: str) -> CellRef:
    """The shared CellRef of an address. The rules look refs up in dicts again and again: the
    same object is found by identity, without comparing fields (a corpus has few addresses)."""
    return CellRef(table, row, column)


@attrs.frozen
class Cell:
    """One cell of a statistical table, as docs/model.md defines it."""

    table: str
    row: str
    column: str
    #: The number, converted to ``unit`` (money to 万元); None when there is none.
    value: Number | None
    #: ``万元``, ``件`` or empty: never invented when the source states none.
    unit: str
    #: The cell's text exactly as the source wrote it (after decoding).
    raw: str
    status: Status
    #: 1-based line in the input text; 0 when the input has no lines.
    line: int
    #: An annotation the source attached to the number, e.g. ``其中行政强制措施2,行政强制执行2``.
    note: str = ""

    @property
    def ref(self) -> CellRef:
        return cell_ref(self.table, self.row, self.column)


def _cell_maker():
    """``new_cell(table, row, column, value, unit, raw, status, line, note)``: a Cell equal to
    ``Cell(...)`` with those fields, made for the interpreter's hot path (every cell of every
    report). attrs' ``__init__`` sets each slot through ``object.__setattr__`` (which looks
    the name up, 9,400 instructions a cell); the slots' own descriptors are set directly here
    (7,000). Safe because Cell has no defaults to fill, validators or converters to run:
    tests/test_new_cell.py checks that."""
    names = [a.name for a in attrs.fields(Cell)]
    assert names == ["table", "row", "column", "value", "unit", "raw", "status", "line",
                     "note"]  # the order the setters are unpacked in
    t, r, c, v, u, w, s, n, o = (getattr(Cell, name).__set__ for name in names)
    make = object.__new__

    def new_cell(table: str, row: str, column: str, value: Number | None, unit: str, raw: str,
                 status: Status, line: int, note: str) -> Cell:
        cell = make(Cell)
        t(cell, table)
        r(cell, row)
        c(cell, column)
        v(cell, value)
        u(cell, unit)
        w(cell, raw)
        s(cell, status)
        n(cell, line)
        o(cell, note)
        return cell

    return new_cell


new_cell = _cell_maker()

_ROW, _COLUMN = operator.attrgetter("row"), operator.attrgetter("column")


@attrs.frozen
class Table:
    """One of the three statistical tables, with all the cells its template defines."""

    code: str
    #: Template the table follows (``2019``, ``2021``), detected from its own labels.
    template: str
    #: Name of the layout that interpreted it and the plugin that supplied that layout.
    layout: str
    plugin: str
    line_start: int
    line_end: int
    cells: tuple[Cell, ...]

    @cached_property
    def _by_address(self) -> dict[tuple[str, str], Cell]:
        return {(c.row, c.column): c for c in self.cells}

    def cell(self, row: str, column: str) -> Cell | None:
        """The cell at ``(row, column)``; None when the table's template has no such cell.

        A row or column code that is neither in the codes nor in this table raises
        :class:`gongkai.errors.UnknownCodeError` naming the nearest code.
        """
        found = self._by_address.get((row, column))
        if found is None:
            self._check_codes(row, column)
        return found

    @cached_property
    def _known(self) -> tuple[frozenset[str], frozenset[str]]:
        """The row and column codes this table may have: the codes' and its own (a variant's)."""
        from gongkai.layouts.codes import load_codes

        codes = load_codes()
        rows, columns = set(map(_ROW, self.cells)), set(map(_COLUMN, self.cells))
        rows.update(_EXTRA_ROWS.get(self.code, ()))
        if self.code in codes.table_codes:
            t = codes.table(self.code)
            rows.update(r.code for r in t.rows)
            columns.update(c.code for c in t.columns)
        return frozenset(rows), frozenset(columns)

    def _check_codes(self, row: str, column: str) -> None:
        rows, columns = self._known
        for kind, code, known in (("row", row, rows), ("column", column, columns)):
            if code not in known:
                raise _unknown(f"table {self.code!r} has no {kind} code", code, known)

    def addresses(self) -> tuple[tuple[str, str], ...]:
        """``(row, column)`` of every cell, in order: the table's shape."""
        # The keys of _by_address, gathered in C (a rule asks this of every table it checks).
        return tuple(dict.fromkeys(zip(map(_ROW, self.cells), map(_COLUMN, self.cells),
                                       strict=True)))

    def value(self, row: str, column: str) -> Number | None:
        c = self.cell(row, column)
        return None if c is None else c.value


@attrs.frozen
class Section:
    """A numbered part of the report (一、…) or a sub-part of one ((一)…)."""

    #: The numeral as written (``一``), empty for the preamble.
    number: str
    #: Canonical kind from the codes (``overview``, ``proactive``…), empty when unknown.
    key: str
    title: str
    #: The prose of the section, paragraphs separated by newlines (tables not included).
    text: str
    line_start: int
    line_end: int
    subsections: tuple[Section, ...] = ()
    #: The input line of each line of ``text`` (for rules that point into the prose; not in
    #: the JSON form, which locates a section by ``line_start`` and ``line_end``; not compared:
    #: a section read back from JSON is the same section).
    lines: tuple[int, ...] = attrs.field(default=(), eq=False)


@attrs.frozen
class Diagnostic:
    """Something a user should know about the conversion or the numbers."""

    severity: Severity
    #: A stable identifier: a rule id (``requests.column-identity``) or a conversion code.
    code: str
    message: str
    line: int = 0
    #: The cells the diagnostic is about, if any.
    cells: tuple[CellRef, ...] = ()
    #: Further source lines involved, beyond ``line``.
    lines: tuple[int, ...] = ()
    #: The plugin whose rule or stage produced it.
    plugin: str = ""


@attrs.frozen
class Metadata:
    #: Stable id, unique within a dataset: the input's path relative to the input root without
    #: its extension (``hongze/2024``), or ``sha1-`` and a hash of the text when there is no file.
    report_id: str
    title: str = ""
    agency: str = ""
    #: The agency's 统一社会信用代码, when the report states a valid one (gongkai.interpret.agency).
    credit_code: str = ""
    year: int | None = None
    #: ISO date the report was published (crawler header) or signed, when the text says.
    published: str = ""
    #: ISO date of the signature line, when there is one.
    signed: str = ""
    source_path: str = ""
    #: The input's path relative to the input root (a batch's directory or pattern), with
    #: ``/`` separators; its file name when converted alone; empty for text. A dataset's
    #: ``source`` column.
    source: str = ""
    #: ``simplified`` or ``traditional``: the script the source is written in.
    script: str = "simplified"
    encoding: str = "utf-8"
    #: Name of the reader that read the input.
    reader: str = ""
    #: Template per table code, e.g. ``{"proactive": "2021", "requests": "2019"}``.
    templates: dict[str, str] = attrs.field(factory=dict)
    #: The report's address on the web, when the input gives it (a crawler's ``原文链接:``).
    url: str = ""
    #: SHA-256 (hex) of the input's bytes, when it was read from bytes (a file).
    sha256: str = ""


@attrs.frozen
class Report:
    metadata: Metadata
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    schema_version: str = SCHEMA_VERSION

    def get_table(self, code: str) -> Table | None:
        """The table of ``code``, or None when the report has none (an unknown code raises
        :class:`gongkai.errors.UnknownCodeError`)."""
        for t in self.tables:
            if t.code == code:
                return t
        _check_table_code(code)
        return None

    def table(self, code: str) -> Table:
        """The table of ``code``; :class:`gongkai.errors.MissingTableError` when the report has
        none (see :meth:`get_table`), UnknownCodeError for a code gongkai does not know."""
        found = self.get_table(code)
        if found is None:
            have = ", ".join(t.code for t in self.tables) or "none"
            raise MissingTableError(f"the report has no table {code!r} (its tables: {have})")
        return found

    def cells(self) -> Iterator[Cell]:
        for t in self.tables:
            yield from t.cells

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        """The cell at ``(table, row, column)``, or None when the report has none there;
        unknown codes raise UnknownCodeError."""
        t = self.get_table(table)
        return None if t is None else t.cell(row, column)

    def value(self, table: str, row: str, column: str) -> Number | None:
        """The value of that cell, or None (an empty cell, or no such cell in the report)."""
        c = self.cell(table, row, column)
        return None if c is None else c.value

    def to_frame(self):
        """The report's cells as a pandas DataFrame (needs pandas): :func:`gongkai.to_pandas`."""
        from gongkai.outputs.parquet import to_pandas

        return to_pandas(self)
