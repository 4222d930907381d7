"""One dataset of many reports: the tidy cell table of every report, in one file.

Two formats, chosen by the file's extension: ``.csv`` (the tidy CSV, header once) and
``.jsonl`` (one JSON object per cell, ``value`` a number or null, ``line`` a number). Each row
has the tidy table's columns and ``source``, the input's path relative to the input root
(:data:`gongkai.tidy.DATASET_COLUMNS`); ``report_id`` tells the reports apart.

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
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from .errors import UsageError
from .model import Report
from .output import atomic_writer
from .tidy import COLUMNS, DATASET_COLUMNS, CsvRows, tidy_csv, tidy_rows

#: Dataset formats by file extension.
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: The text each report's rows are sent as, per dataset format (Parquet is built from CSV).
CHUNK_FORMAT = {"csv": "csv", "jsonl": "jsonl", "parquet": "csv", "nt": "nt"}
#: Standard output, as a dataset's file name.
STDOUT = "-"

_INT = re.compile(r"-?\d+")


def dataset_format(path: str | os.PathLike) -> str:
    """``csv``, ``jsonl`` or ``parquet``, from the dataset file's extension (``-``: csv)."""
    if os.fspath(path) == STDOUT:
        return "csv"
    ext = os.path.splitext(os.fspath(path))[1].lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise UsageError(
            f"--dataset: the dataset file must end in .csv, .jsonl or .parquet (or be - for "
            f"standard output), not {os.fspath(path)!r}"
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
    """Dataset rows (:data:`DATASET_COLUMNS`) as JSON Lines."""
    # Typed from the tidy row's text, so rows read back from a CSV part give the same JSON.
    lines = []
    for row in rows:
        record = dict(zip(DATASET_COLUMNS, row, strict=True))
        record["value"] = _number(record["value"])
        record["line"] = int(record["line"] or 0)
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n" if lines else ""


def chunk(rows: Iterable[tuple[str, ...]], fmt: str) -> str:
    """Dataset rows as dataset text in format ``fmt``."""
    return csv_chunk(rows) if fmt == "csv" else jsonl_chunk(rows)


def dataset_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """A report's cells as dataset rows: its tidy rows and its ``source``."""
    source = report.metadata.source
    return ((*row, source) for row in tidy_rows(report))


def report_chunk(report: Report, fmt: str, *, engine=None,
                 writer_options: Mapping[str, str] | None = None) -> str:
    """A report's cells as dataset text (``fmt`` a :data:`CHUNK_FORMAT`).

    ``nt``: the report as N-Triples (the rdf writer with ``writer_options``), which stack.
    """
    if fmt == "nt":
        from .pipeline import dumps

        return dumps(report, "rdf", options={**(writer_options or {}), "format": "nt"},
                     engine=engine)
    return tidy_csv(report, source=True) if fmt == "csv" else jsonl_chunk(dataset_rows(report))


def csv_file_rows(path: str | os.PathLike) -> Iterator[tuple[str, ...]]:
    """The rows of a tidy CSV file written by gongkai (its header checked and skipped)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ValueError("not a tidy CSV written by gongkai (unexpected header)")
        for row in reader:
            yield tuple(row)


def csv_file_chunk(path: str | os.PathLike, fmt: str, report_id: str, source: str) -> str:
    """The dataset text of a report from its tidy CSV output (a run resumed).

    Raises ValueError when the file is not that report's tidy CSV (another report id: written
    by an older version, or for another input), so the caller converts the input again.
    """
    rows = [(*row, source) for row in csv_file_rows(path)]
    if any(row[0] != report_id for row in rows):
        raise ValueError(f"not the tidy CSV of report {report_id!r}")
    return chunk(rows, fmt)


@contextmanager
def dataset_writer(path: str | os.PathLike, fmt: str | None = None) -> Iterator[TextIO]:
    """The dataset file, open for appending chunks (:func:`report_chunk` text in
    ``CHUNK_FORMAT[fmt]``); it replaces ``path`` only when complete. ``-``: standard output.

    ``fmt``: ``csv``, ``jsonl``, ``parquet`` or ``nt`` (default: from the extension).
    """
    fmt = fmt or dataset_format(path)
    if fmt == "parquet":
        from .parquet import parquet_writer

        with parquet_writer(path) as sink:
            yield sink
        return
    if os.fspath(path) == STDOUT:
        stream = sys.stdout
        if fmt == "csv":
            stream.write(",".join(DATASET_COLUMNS) + "\n")
        yield stream
        stream.flush()
        return
    with atomic_writer(path) as stream:
        if fmt == "csv":
            stream.write(",".join(DATASET_COLUMNS) + "\n")
        yield stream
