"""Table layouts: which rows a template's table has and which columns each row carries.

A layout is data. The 2019 and 2021 templates are two sets of layouts, shipped as TOML files by
the ``template_2019`` and ``template_2021`` plugins; a regional variant is one more layout (or a
few extra aliases) registered the same way. The interpreter picks, for each table found in a
report, the layout whose labels fit that table best, so the template is detected per table
from its own labels and never from the report's year.

Layout file format (read by gongkai.layouts.layout_toml; see docs/variants.md)::

    [[layout]]
    name = "proactive-2019"
    table = "proactive"
    template = "2019"
    shape = "rows"            # "rows": labelled rows; "grid": one flat run of values
    columns = ["natural_person", ...]    # default columns of every row (optional)

    [[layout.rows]]
    code = "regulations"
    columns = ["new_made", "new_published", "total_published"]

    [layout.aliases]           # extra labels for codes of this table (optional)
    normative_documents = ["規範性檔案"]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import attrs

from gongkai.errors import ConfigError
from gongkai.layouts.codes import Codes, TableCodes, load_codes
from gongkai.layouts.labels import LEVELS, LabelIndex, contains_marker, label_keys
from gongkai.model import note_extra_rows

SHAPES = ("rows", "grid")


@attrs.frozen
class RowLayout:
    code: str
    columns: tuple[str, ...]


@attrs.frozen
class ExtraRow:
    """A row a regional variant adds to a table, with a code of its own (not in the contract)."""

    code: str
    zh: str
    en: str = ""
    aliases: tuple[str, ...] = ()


@attrs.frozen
class Layout:
    """How one template (or variant) lays out one of the three tables."""

    name: str
    table: str
    template: str
    rows: tuple[RowLayout, ...]
    shape: str = "rows"
    #: Extra labels for codes of this table: ``((code, (label, ...)), ...)``.
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extra_rows: tuple[ExtraRow, ...] = ()
    #: Breaks ties between layouts that fit a table equally well: higher wins.
    priority: int = 0
    description: str = ""

    def __attrs_post_init__(self) -> None:
        # A variant's row codes are codes too, once its layout exists: asking a table for one
        # (a rule of the variant's plugin, on a table another layout read) is not a typo.
        note_extra_rows(self.table, (r.code for r in self.extra_rows))

    def row(self, code: str) -> RowLayout | None:
        return self._row_of.get(code)

    @cached_property
    def _row_of(self) -> dict[str, RowLayout]:
        # The first row of a code, as a scan of the rows would find it (asked for every row).
        out: dict[str, RowLayout] = {}
        for r in self.rows:
            out.setdefault(r.code, r)
        return out

    # Cached: the interpreter compares every table's labels with every layout's codes.
    @cached_property
    def row_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rows)

    @cached_property
    def row_code_set(self) -> frozenset[str]:
        return frozenset(self.row_codes)

    @cached_property
    def column_codes(self) -> frozenset[str]:
        return frozenset(c for r in self.rows for c in r.columns)

    def validate(self, codes: Codes | None = None) -> None:
        """Raise ConfigError if the layout names codes that do not exist."""
        codes = codes or load_codes()
        if self.table not in codes.table_codes:
            raise ConfigError(f"layout {self.name!r}: unknown table {self.table!r}")
        if self.shape not in SHAPES:
            raise ConfigError(f"layout {self.name!r}: shape must be one of {SHAPES}")
        table = codes.table(self.table)
        extra = {r.code for r in self.extra_rows}
        for row in self.rows:
            if not table.has_row(row.code) and row.code not in extra:
                raise ConfigError(f"layout {self.name!r}: unknown row {row.code!r}")
            if not row.columns:
                raise ConfigError(f"layout {self.name!r}: row {row.code!r} has no columns")
            for col in row.columns:
                if not table.has_column(col):
                    raise ConfigError(f"layout {self.name!r}: unknown column {col!r}")
        for code, _ in self.aliases:
            if not (table.has_row(code) or table.has_column(code) or code in extra):
                raise ConfigError(f"layout {self.name!r}: alias for unknown code {code!r}")


@attrs.frozen
class Label:
    """What a label in a table names."""

    #: ``row``, ``column``, ``marker`` or ``unknown``.
    role: str
    code: str = ""


UNKNOWN = Label("unknown")


class Vocabulary:
    """Everything a table kind's labels can name: rows, columns and markers.

    Rows come first at each strictness level, then columns, so the header ``总计`` is the
    column ``total`` while ``(七)总计`` is the row ``total``.
    """

    def __init__(self, table: TableCodes, layouts: Iterable[Layout] = ()):
        self.table = table
        layouts = list(layouts)
        row_aliases: dict[str, list[str]] = {r.code: list(r.aliases) for r in table.rows}
        col_aliases: dict[str, list[str]] = {c.code: list(c.aliases) for c in table.columns}
        for layout in layouts:
            for extra in layout.extra_rows:
                row_aliases.setdefault(extra.code, []).extend(extra.aliases)
            for code, labels in layout.aliases:
                target = row_aliases if code in row_aliases else col_aliases
                target.setdefault(code, []).extend(labels)
        self.rows = LabelIndex(row_aliases.items())
        self.columns = LabelIndex(col_aliases.items())
        self.markers = table.markers
        self._resolved: dict[str, Label] = {}

    def resolve(self, text: str) -> Label:
        # Memoised (the vocabulary never changes): a corpus repeats the same labels. Bounded,
        # so a long run over odd labels keeps its memory flat.
        label = self._resolved.get(text)
        if label is None:
            if len(self._resolved) >= 1 << 15:
                self._resolved.clear()
            label = self._resolved[text] = self._resolve(text)
        return label

    def _resolve(self, text: str) -> Label:
        keys = label_keys(text)
        for level in range(LEVELS):
            row = self.rows.match_at(keys, level)
            if row:
                return Label("row", row)
            col = self.columns.match_at(keys, level)
            if col:
                return Label("column", col)
            if level == 0 and contains_marker(text, self.markers):
                return Label("marker")
        return UNKNOWN

    def names(self, text: str) -> bool:
        """Whether ``text`` names a row or a column (a marker names neither)."""
        return self.resolve(text).role in ("row", "column")

    def closest_row(self, text: str) -> tuple[str, str] | None:
        """``(code, alias)`` of the row ``text`` misspells, if one is clearly meant."""
        return self.rows.closest(text)
