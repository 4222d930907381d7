"""The tidy cell table of docs/codes.md, and the table grids shared by every tabular output.

* :func:`tidy_rows` — one row per cell (``report_id,table,row,column,value,unit,raw,status,line``);
* :func:`tidy_columns` and :func:`csvw_metadata` — the same table described for CSV on the Web;
* :func:`grid` and :func:`label` — a table as rows × columns in template order with the labels
  of :mod:`gongkai.layouts.codes`, for the outputs a person reads (wide CSV, Markdown).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator
from functools import cache
from typing import Any, TextIO

import attrs

from gongkai.layouts.codes import load_codes
from gongkai.model import SCHEMA_VERSION, Cell, Number, Report, Status, Table


class CsvRows:
    """``csv.writer(stream, lineterminator="\n")`` that also quotes a field holding a "\r".

    The csv module quotes a field only for the characters of its line terminator, so with "\n"
    a bare carriage return (from a file name, or a third-party reader's text) was written
    unquoted, and every reader that takes "\r" for a line end split the row there. Each row is
    written with "\r\n" (so both are quoted), and ends with "\n" as before.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self.writerows([row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        lines = [self.format_row(row if type(row) is tuple else tuple(row)) for row in rows]
        if lines:
            self._stream.write("\n".join(lines) + "\n")

    def format_row(self, row: tuple) -> str:
        """One row as the csv module writes it, without the line end."""
        # A row of text fields none of which needs quoting (no delimiter, quote or line break
        # in any) is its fields joined by commas: exactly what the csv module writes, without
        # its per-character work. Any other row goes through the csv module.
        try:
            line = ",".join(row)
        except TypeError:  # not all text: the csv module converts the fields
            line = None
        if (line is None or line.count(",") != len(row) - 1 or '"' in line or "\n" in line
                or "\r" in line or len(row) < 2):
            self._csv.writerow(row)
            line = self._buffer.getvalue()[:-2]
            self._buffer.seek(0)
            self._buffer.truncate()
        return line


#: A text field starting with one of these is a formula to a spreadsheet (tab and CR too: some
#: spreadsheets strip them and read what follows).
FORMULA_START = frozenset("=+-@\t\r")
#: What a field may start with for formula_safe to have work to do (the hot path's test).
_QUOTE_CANDIDATE = FORMULA_START | {"'"}
#: Texts starting like a formula that a spreadsheet reads as plain values: numbers (-3, +1.5,
#: -10%) and runs of dashes (the placeholder "-"): left as they are.
_HARMLESS = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?|-+")


def _needs_quote(text: str) -> bool:
    # A text already starting with "'" gets one more when what follows its quotes would: so
    # unquote_formula can tell the quote gongkai added from one the source wrote.
    rest = text.lstrip("'")
    return rest[:1] in FORMULA_START and _HARMLESS.fullmatch(rest) is None


def formula_safe(text: str) -> str:
    """A free-text field of the tidy CSV as a spreadsheet shows it as text, never evaluates it.

    A text starting with ``= + - @``, a tab or a carriage return gets a leading ``'`` (unless
    it is a number or a run of dashes); so does one that starts with ``'`` followed by such a
    text. :func:`unquote_formula` gives the exact text back.
    """
    return "'" + text if _needs_quote(text) else text


def unquote_formula(text: str) -> str:
    """The exact text of a tidy CSV field written by :func:`formula_safe`."""
    return text[1:] if text[:1] == "'" and _needs_quote(text[1:]) else text


def csv_row(row: tuple[str, ...]) -> tuple[str, ...]:
    """A tidy row as the CSV writes it: ``report_id`` and ``raw`` formula-safe."""
    rid, raw = row[0], row[6]
    if rid[:1] not in _QUOTE_CANDIDATE and raw[:1] not in _QUOTE_CANDIDATE:
        return row
    return (formula_safe(rid), *row[1:6], formula_safe(raw), *row[7:])


def exact_row(row: tuple[str, ...]) -> tuple[str, ...]:
    """A tidy row read back from a tidy CSV, its texts exact again (csv_row undone)."""
    rid, raw = row[0], row[6]
    if rid[:1] != "'" and raw[:1] != "'":
        return row
    return (unquote_formula(rid), *row[1:6], unquote_formula(raw), *row[7:])


@attrs.frozen
class TidyColumn:
    name: str
    #: CSVW datatype (a built-in name or a datatype description).
    datatype: Any
    #: A row must have a value here (CSVW ``required``).
    required: bool
    description: str


def _pattern(values: list[str]) -> str:
    return "|".join(values)


#: The tidy table's column names, in contract order.
COLUMNS = ("report_id", "table", "row", "column", "value", "unit", "raw", "status", "line")
#: A dataset of many reports: the same columns and the input's relative path (schema 2.0).
DATASET_COLUMNS = (*COLUMNS, "source")
#: The columns that identify a row of the tidy table (report_id is unique within a dataset).
PRIMARY_KEY = ("report_id", "table", "row", "column")


@cache
def tidy_columns(dataset: bool = False) -> tuple[TidyColumn, ...]:
    """The tidy table's columns with their types (built on first use: it reads the codes);
    with ``dataset``, also the ``source`` column a dataset of many reports has."""
    codes = load_codes()
    columns = (
        TidyColumn("report_id", "string", True,
                   "Stable id of the report, unique within a dataset: the input's path "
                   "relative to the input root without its extension (docs/codes.md)."),
        TidyColumn("table", {"base": "string", "format": _pattern(list(codes.table_codes))},
                   True, "Table code (docs/codes.md)."),
        TidyColumn("row", "string", True, "Row code within the table (docs/codes.md)."),
        TidyColumn("column", "string", True, "Column code within the table (docs/codes.md)."),
        TidyColumn("value", "decimal", False,
                   "The cell's number in `unit`; empty when the source has none (never 0)."),
        TidyColumn("unit", {"base": "string", "format": "万元|件"}, False,
                   "万元 for money when the source states a unit, 件 for counts, or empty."),
        TidyColumn("raw", "string", False, "The cell's text exactly as the source wrote it."),
        TidyColumn("status", {"base": "string", "format": _pattern([s.value for s in Status])},
                   True, "What the value is relative to the source: " + ", ".join(
                       s.value for s in Status) + "."),
        TidyColumn("line", "nonNegativeInteger", True,
                   "1-based line of the cell in the input; 0 when the input has no lines."),
    )
    assert tuple(c.name for c in columns) == COLUMNS
    if dataset:
        columns += (TidyColumn("source", "string", True,
                               "The input's path relative to the input root, / separated."),)
    return columns


def format_number(value: Number | None) -> str:
    """A value as text: empty for none, no trailing ``.0``, no exponent."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f") if abs(value) >= 1e16 or abs(value) < 1e-4 else repr(value)
    return text


#: Each status as its text (an enum's ``.value`` is a property call: this is a dict lookup).
STATUS_TEXT = {s: s.value for s in Status}


def cell_row(report_id: str, cell: Cell) -> tuple[str, ...]:
    value = cell.value
    return (
        report_id,
        cell.table,
        cell.row,
        cell.column,
        str(value) if type(value) is int else format_number(value),
        cell.unit,
        cell.raw,
        STATUS_TEXT[cell.status],
        str(cell.line),
    )


def tidy_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """The report's cells as tidy rows, tables and cells in template order."""
    rid = report.metadata.report_id
    return (cell_row(rid, cell) for cell in report.cells())


def tidy_csv(report: Report, tables: Collection[str] | None = None, *,
             source: bool = False) -> str:
    """The report's tidy rows as CSV text without the header: what :class:`CsvRows` writes
    of :func:`csv_row` (texts formula-safe).

    ``tables``: only the cells of these table codes. ``source``: end each row with the
    report's ``metadata.source`` (a dataset's row). This is the dataset's hot path, so the
    rows are formatted straight from the cells and the whole text is checked at once: when it
    holds no quote or carriage return and exactly one line break and eight commas a row, no
    field held anything the csv module would quote. Else each row that holds one of those
    goes through the csv module.
    """
    exact_rid = report.metadata.report_id
    rid = formula_safe(exact_rid)
    status = STATUS_TEXT
    risky = _QUOTE_CANDIDATE
    cells = [c for t in report.tables if tables is None or t.code in tables for c in t.cells]
    if not cells:
        return ""
    lines = [
        f"{rid},{c.table},{c.row},{c.column},"
        f"{v if type(v := c.value) is int else format_number(v)},"
        f"{c.unit},{r if (r := c.raw)[:1] not in risky else formula_safe(r)},"
        f"{status[c.status]},{c.line}"
        for c in cells
    ]
    text = "\n".join(lines) + "\n"
    if not (text.count(",") == 8 * len(lines) and text.count("\n") == len(lines)
            and '"' not in text and "\r" not in text):
        out = CsvRows(io.StringIO())
        for i, line in enumerate(lines):
            if line.count(",") != 8 or '"' in line or "\n" in line or "\r" in line:
                lines[i] = out.format_row(csv_row(cell_row(exact_rid, cells[i])))
        text = "\n".join(lines) + "\n"
    if source:  # the same field on every row: formatted once
        field = formula_safe(report.metadata.source)
        end = "," + CsvRows(io.StringIO()).format_row(("", field))[1:]
        text = text.replace("\n", end + "\n") if len(lines) == text.count("\n") else (
            "\n".join(line + end for line in lines) + "\n")
    return text


def csvw_metadata(url: str, *, title: str = "", dataset: bool = False) -> dict[str, Any]:
    """CSVW metadata (W3C *Metadata Vocabulary for Tabular Data*) for a tidy CSV at ``url``.

    ``url`` is the CSV's location relative to the metadata file (its file name when the two
    sit side by side, as ``csv-metadata.json`` does). ``dataset``: a dataset of many reports
    (``--dataset FILE.csv``), which has the ``source`` column too.
    """
    columns = []
    for c in tidy_columns(dataset):
        column: dict[str, Any] = {"name": c.name, "titles": c.name, "datatype": c.datatype,
                                  "required": c.required, "dc:description": c.description}
        columns.append(column)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": url,
        "dc:title": title or "gongkai tidy cell table",
        "dc:conformsTo": f"gongkai tidy cell table, schema version {SCHEMA_VERSION}",
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\n", "\r\n"]},
        "tableSchema": {
            "columns": columns,
            "primaryKey": list(PRIMARY_KEY),
        },
    }


# -- grids for people ------------------------------------------------------------------------


@attrs.frozen
class Grid:
    """A table as rows × columns in template order; ``cells[(row, column)]`` where present."""

    table: Table
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell | None:
        return self.cells.get((row, column))


def grid(table: Table) -> Grid:
    """Rows and columns in template order: the order of the table's cells, which its layout
    gives. Columns are those of all rows (the proactive table's rows carry different ones)."""
    rows: dict[str, None] = {}
    columns: dict[str, None] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for c in table.cells:
        rows.setdefault(c.row)
        columns.setdefault(c.column)
        cells[(c.row, c.column)] = c
    return Grid(table, tuple(rows), tuple(columns), cells)


def blocks(table: Table) -> list[Grid]:
    """The table cut into runs of consecutive rows that carry the same columns.

    The proactive table of the templates is printed this way — one header per item of article
    20 — so a reader checking against the source sees the same blocks.
    """
    out: list[tuple[list[str], tuple[str, ...]]] = []
    full = grid(table)
    for row in full.rows:
        columns = tuple(c for c in full.columns if (row, c) in full.cells)
        if out and out[-1][1] == columns:
            out[-1][0].append(row)
        else:
            out.append(([row], columns))
    return [Grid(table, tuple(rows), columns,
                 {k: v for k, v in full.cells.items() if k[0] in rows})
            for rows, columns in out]


def label(table: str, kind: str, code: str, lang: str = "zh") -> str:
    """The label of a row or column code (``kind``: ``row``/``column``) from gongkai.layouts.codes.

    A code the codes do not know (a regional variant's extra row) is its own label.
    """
    codes = load_codes()
    if table not in codes.table_codes:
        return code
    t = codes.table(table)
    if kind == "row":
        return getattr(t.row(code), lang) if t.has_row(code) else code
    return getattr(t.column(code), lang) if t.has_column(code) else code


def table_label(table: str, lang: str = "zh") -> str:
    codes = load_codes()
    return getattr(codes.table(table), lang) if table in codes.table_codes else table
