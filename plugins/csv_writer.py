"""CSV output: the tidy cell table of docs/codes.md (default), or wide tables for spreadsheets.

* tidy (default): one row per cell, ``report_id,table,row,column,value,unit,raw,status,line``;
  with ``-O csvw=true`` a CSVW ``csv-metadata.json`` describing it is written beside the file.
* ``-O wide=true``: each table as a grid a person opens in a spreadsheet — rows and columns in
  template order, Chinese labels from gongkai.layouts.codes, numbers as numbers, and text cells that
  a spreadsheet would run as a formula (``= + - @``) neutralised with a leading ``'``.

See docs/outputs.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TextIO

from gongkai.plugin import (
    COLUMNS,
    CsvRows,
    Grid,
    Report,
    Status,
    Table,
    UsageError,
    Writer,
    WriterOption,
    csvw_metadata,
    flag,
    format_number,
    grid,
    hookimpl,
    label,
    load_codes,
    table_label,
    tidy_csv,
)

NAME = "csv"
#: The CSVW file name a processor looks for in the CSV's directory (W3C Tabular Data Model).
CSVW_FILE = "csv-metadata.json"
#: A text cell starting with one of these is a formula to a spreadsheet (tab and CR too: some
#: spreadsheets strip them and then read what follows).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: First two headers of a wide table: the row code and its label.
WIDE_HEAD = ("代码", "项目")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will show as text, never evaluate."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _tables(report: Report, options: Mapping[str, str]) -> list[Table]:
    wanted = options.get("table", "").strip()
    if not wanted:
        return list(report.tables)
    codes = load_codes().table_codes
    if wanted not in codes:
        raise UsageError(f"csv option table must be one of {', '.join(codes)}, not {wanted!r}")
    return [t for t in report.tables if t.code == wanted]


def _wide_cell(g: Grid, row: str, column: str) -> str:
    cell = g.cell(row, column)
    if cell is None:  # the template has no such cell
        return ""
    if cell.value is not None:
        return format_number(cell.value)  # a number: never touched
    if cell.status in (Status.PLACEHOLDER, Status.UNPARSED):
        return neutralise(cell.raw.strip())
    return ""


def wide_rows(table: Table) -> Iterable[list[str]]:
    """A table's header and rows as a spreadsheet grid (no title)."""
    g = grid(table)
    yield [*WIDE_HEAD, *(neutralise(label(table.code, "column", c)) for c in g.columns)]
    for row in g.rows:
        yield [row, neutralise(label(table.code, "row", row)),
               *(_wide_cell(g, row, c) for c in g.columns)]


def _wide_title(table: Table) -> str:
    return f"{table_label(table.code)} ({table.code}, {table.template})"


def write(report: Report, stream: TextIO, options: Mapping[str, str]) -> None:
    wide = flag(options, "wide", writer=NAME)
    # "auto": a BOM for the spreadsheet form only (Excel needs it to read UTF-8).
    auto = options.get("bom", "auto").strip().lower() in ("", "auto")
    if wide if auto else flag(options, "bom", writer=NAME):
        stream.write("\ufeff")
    out = CsvRows(stream)
    tables = _tables(report, options)
    if not wide:
        out.writerow(COLUMNS)
        stream.write(tidy_csv(report, {t.code for t in tables}))
        return
    single = bool(options.get("table", "").strip())
    for i, table in enumerate(tables):
        if not single:  # several tables: a title row before each, a blank row between
            if i:
                out.writerow([])
            out.writerow([neutralise(_wide_title(table))])
        out.writerows(wide_rows(table))


def companions(report: Report, options: Mapping[str, str], output_name: str):
    if not flag(options, "csvw", writer=NAME):
        return []
    if flag(options, "wide", writer=NAME):
        raise UsageError("csv option csvw describes the tidy table; it cannot be combined "
                         "with wide=true")
    if not output_name:
        raise UsageError(
            f"csv option csvw=true writes {CSVW_FILE} beside the output file, and standard "
            f"output has none: give -o FILE (then FILE's directory gets {CSVW_FILE} naming "
            "FILE), or print the metadata alone with `gongkai schema --csvw`")

    def produce(stream: TextIO) -> None:
        json.dump(csvw_metadata(output_name), stream, ensure_ascii=False, indent=2)
        stream.write("\n")

    return [(CSVW_FILE, produce)]


OPTIONS = (
    WriterOption("wide", "true: each table as a wide grid for spreadsheets (template order, "
                 "Chinese labels, formula-safe text) instead of the tidy cell table", "false"),
    WriterOption("table", "only this table (proactive, requests, review_litigation); in the "
                 "wide form, one grid without a title row", ""),
    WriterOption("csvw", f"true: also write {CSVW_FILE} (CSVW metadata of the tidy table) "
                 "beside the output file; needs -o FILE", "false"),
    WriterOption("bom", "true: start with a UTF-8 byte order mark (Excel needs it to read "
                 "Chinese); auto: only in the wide form", "auto"),
)


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name=NAME,
        description="the tidy cell table: report_id,table,row,column,value,unit,raw,status,"
                    "line (-O wide=true: one grid per table for spreadsheets)",
        extension=".csv",
        media_type="text/csv",
        write=write,
        options=OPTIONS,
        companions=companions,
    ))
