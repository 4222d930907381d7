"""The writer: ``gongkai convert REPORT --to tsv-zh``, every cell with its Chinese labels.

Tab-separated, one cell a line: table, row and column in Chinese (from ``gongkai.layouts.codes``,
the only place labels are spelled), then value and status. Paste it into a spreadsheet as it is.
A row a variant adds (``other_documents``) is not in the codes: its code is written instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TextIO

from gongkai.plugin import Report, Writer, WriterOption, format_number, load_codes

HEADER = ("表", "行", "列", "数值", "状态")


@cache
def labels() -> dict[tuple[str, str, str], str]:
    """``(table, "row" | "column", code) -> 中文``, and ``(table, "", "") -> 表名``."""
    out = {}
    for table in load_codes().tables:
        out[(table.code, "", "")] = table.zh
        out.update({(table.code, "row", r.code): r.zh for r in table.rows})
        out.update({(table.code, "column", c.code): c.zh for c in table.columns})
    return out


def write(report: Report, stream: TextIO, options: Mapping[str, str]) -> None:
    names = labels()
    if options.get("header", "true") != "false":
        stream.write("\t".join(HEADER) + "\n")
    for cell in report.cells():
        fields = (
            names.get((cell.table, "", ""), cell.table),
            names.get((cell.table, "row", cell.row), cell.row),
            names.get((cell.table, "column", cell.column), cell.column),
            format_number(cell.value),
            cell.status.value,
        )
        stream.write("\t".join(fields) + "\n")


TSV_ZH = Writer(
    name="tsv-zh",
    description="cells with Chinese labels, tab-separated (gongkai-hubei)",
    extension=".tsv",
    media_type="text/tab-separated-values",
    write=write,
    options=(WriterOption("header", "false: no header line", "true"),),
)
