"""One dataset of many reports: the tidy cell table of every report, in one file.

Two formats, chosen by the file's extension: ``.csv`` (the tidy CSV, header once) and
``.jsonl`` (one JSON object per cell, ``value`` a number or null, ``line`` a number).

The rows of one report are formatted where the report was converted (a worker process), as
one text chunk; the parent only appends chunks in input order. So the parent's work per report
is one write, and nothing but the chunks waiting for their turn is ever held in memory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from .errors import UsageError
from .model import Report
from .output import atomic_writer
from .tidy import COLUMNS, CsvRows, tidy_csv, tidy_rows

#: Dataset formats by file extension.
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

_INT = re.compile(r"-?\d+")


def dataset_format(path: str | os.PathLike) -> str:
    """``csv`` or ``jsonl``, from the dataset file's extension."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise UsageError(
            f"the dataset file must end in .csv or .jsonl, not {os.fspath(path)!r}"
        ) from None


def csv_chunk(rows: Iterable[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    CsvRows(buffer).writerows(rows)
    return buffer.getvalue()


def _number(text: str) -> int | float | None:
    if not text:
        return None
    return int(text) if _INT.fullmatch(text) else float(text)


def jsonl_chunk(rows: Iterable[tuple[str, ...]]) -> str:
    # Typed from the tidy row's text, so rows read back from a CSV part give the same JSON.
    lines = []
    for row in rows:
        record = dict(zip(COLUMNS, row, strict=True))
        record["value"] = _number(record["value"])
        record["line"] = int(record["line"] or 0)
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n" if lines else ""


def chunk(rows: Iterable[tuple[str, ...]], fmt: str) -> str:
    """Tidy rows as dataset text in format ``fmt``."""
    return csv_chunk(rows) if fmt == "csv" else jsonl_chunk(rows)


def report_chunk(report: Report, fmt: str) -> str:
    """A report's cells as dataset text."""
    return tidy_csv(report) if fmt == "csv" else jsonl_chunk(tidy_rows(report))


def csv_file_rows(path: str | os.PathLike) -> Iterator[tuple[str, ...]]:
    """The rows of a tidy CSV file written by gongkai (its header checked and skipped)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ValueError("not a tidy CSV written by gongkai (unexpected header)")
        for row in reader:
            yield tuple(row)


def csv_file_chunk(path: str | os.PathLike, fmt: str) -> str:
    """The dataset text of a report from its tidy CSV output (a run resumed)."""
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            header = f.readline()
            if header.rstrip("\r\n") != ",".join(COLUMNS):
                raise ValueError("not a tidy CSV written by gongkai (unexpected header)")
            return f.read()
    return jsonl_chunk(csv_file_rows(path))


@contextmanager
def dataset_writer(path: str | os.PathLike) -> Iterator[TextIO]:
    """The dataset file, open for appending chunks; it replaces ``path`` only when complete."""
    fmt = dataset_format(path)
    with atomic_writer(path) as stream:
        if fmt == "csv":
            stream.write(",".join(COLUMNS) + "\n")
        yield stream
