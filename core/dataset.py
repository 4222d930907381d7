"""One dataset of many reports: the tidy cell table of every report, in one file.

Formats, chosen by the file's extension: ``.csv`` (the tidy CSV, header once; with its CSVW
and Frictionless descriptions beside it, see gongkai.datapackage), ``.jsonl`` (one JSON
object per cell, ``value`` a number or null, ``line`` a number), and one RDF Data Cube graph
of every report: ``.ttl``, ``.nt`` or ``.jsonld`` (gongkai.plugins.rdf_writer).

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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from .errors import UsageError
from .model import Report
from .output import atomic_writer
from .tidy import COLUMNS, CsvRows, tidy_csv, tidy_rows

#: Dataset formats by file extension.
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".ttl": "turtle",
           ".nt": "nt", ".jsonld": "json-ld"}
#: The formats that are RDF graphs (the rdf writer's serializations).
RDF_FORMATS = ("turtle", "nt", "json-ld")
#: The writer options a dataset of each format takes (-O, [writers.NAME] and [batch]).
OPTIONS = {"csv": ("license",), "jsonl": (), **{f: ("base", "license", "format")
                                                 for f in RDF_FORMATS}}

_INT = re.compile(r"-?\d+")


def dataset_format(path: str | os.PathLike) -> str:
    """``csv`` or ``jsonl``, from the dataset file's extension."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise UsageError(
            f"the dataset file must end in {', '.join(FORMATS)}, not {os.fspath(path)!r}"
        ) from None


def dataset_options(fmt: str, options: Mapping[str, str], *, others: Iterable[str] = ()
                    ) -> dict[str, str]:
    """The options a dataset of format ``fmt`` takes, out of ``options``. An option neither it
    nor the per-report writer (``others``: its option names) knows is a UsageError."""
    known = OPTIONS[fmt]
    unknown = sorted(set(options) - set(known) - set(others))
    if unknown:
        raise UsageError(f"a .{_ext(fmt)} dataset has no option {unknown[0]!r}"
                         + (f" (options: {', '.join(known)})" if known else
                            " (it takes none)"))
    mine = {k: v for k, v in options.items() if k in known}
    given = mine.pop("format", "").strip()
    if given and given != fmt:
        raise UsageError(f"the dataset's extension .{_ext(fmt)} says {fmt}, but the option "
                         f"format says {given!r}")
    return mine


def _ext(fmt: str) -> str:
    return next(e for e, f in FORMATS.items() if f == fmt)[1:]


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


def report_chunk(report: Report, fmt: str, options: Mapping[str, str] | None = None) -> str:
    """A report's cells (an RDF dataset: its graph) as dataset text."""
    if fmt in RDF_FORMATS:
        from .plugins import rdf_writer

        return rdf_writer.report_chunk(report, fmt, options or {})
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
def dataset_writer(path: str | os.PathLike, options: Mapping[str, str] | None = None
                   ) -> Iterator[TextIO]:
    """The dataset file, open for appending chunks; it replaces ``path`` only when complete.
    A CSV dataset gets its CSVW and Frictionless descriptions beside it (written after it)."""
    fmt = dataset_format(path)
    options = options or {}
    if fmt in RDF_FORMATS:
        from .plugins import rdf_writer

        with atomic_writer(path) as stream:
            stream.write(rdf_writer.dataset_header(fmt, options))
            yield stream
            stream.write(rdf_writer.dataset_footer(fmt))
        return
    with atomic_writer(path) as stream:
        if fmt == "csv":
            stream.write(",".join(COLUMNS) + "\n")
        yield stream
    if fmt == "csv":
        from .datapackage import write_descriptions

        write_descriptions(path, options)
