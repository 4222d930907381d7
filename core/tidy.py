"""The tidy cell table of contract.md: one row per cell, shared by every tabular output."""

from __future__ import annotations

from collections.abc import Iterator

from .model import Cell, Number, Report

#: The tidy table's columns, in contract order.
COLUMNS = ("report_id", "table", "row", "column", "value", "unit", "raw", "status", "line")


def format_number(value: Number | None) -> str:
    """A value as text: empty for none, no trailing ``.0``, no exponent."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f") if abs(value) >= 1e16 or abs(value) < 1e-4 else repr(value)
    return text


def cell_row(report_id: str, cell: Cell) -> tuple[str, ...]:
    return (
        report_id,
        cell.table,
        cell.row,
        cell.column,
        format_number(cell.value),
        cell.unit,
        cell.raw,
        cell.status.value,
        str(cell.line),
    )


def tidy_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """The report's cells as tidy rows, tables and cells in template order."""
    rid = report.metadata.report_id
    for cell in report.cells():
        yield cell_row(rid, cell)
