"""One dataset of many reports: the tidy cell table of every report, in one file.

Formats, chosen by the file's extension: ``.csv`` (the tidy CSV, header once; with its CSVW
and Frictionless descriptions beside it, see gongkai.outputs.datapackage), ``.jsonl`` (one JSON
object per cell, ``value`` a number or null, ``line`` a number), ``.parquet`` (typed columns,
gongkai.outputs.parquet), and one RDF Data Cube graph of every report: ``.ttl``, ``.nt`` or
``.jsonld`` (gongkai.plugins.rdf_writer). Each row of the tidy formats has the tidy table's columns
and ``source``, the input's path relative to the input root
(:data:`gongkai.outputs.tidy.DATASET_COLUMNS`); ``report_id`` tells the reports apart.

The rows of one report are formatted where the report was converted (a worker process), as
one text chunk; the parent only appends chunks in input order. So the parent's work per report
is one write, and nothing but the chunks waiting for their turn is ever held in memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from gongkai.errors import OutputError, UsageError
from gongkai.model import Report
from gongkai.outputs.atomic import atomic_writer, replace_with
from gongkai.outputs.tidy import (
    COLUMNS,
    DATASET_COLUMNS,
    CsvRows,
    csv_row,
    exact_row,
    tidy_csv,
    tidy_rows,
)

if TYPE_CHECKING:
    from gongkai.outputs.datapackage import Codes

#: Dataset formats by file extension.
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
           ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
#: The formats that are RDF graphs (the rdf writer's serializations).
RDF_FORMATS = ("turtle", "nt", "json-ld")
#: The text each report's rows are sent as, per dataset format (Parquet is built from CSV).
CHUNK_FORMAT = {"csv": "csv", "jsonl": "jsonl", "parquet": "csv",
                **{f: f for f in RDF_FORMATS}}
#: The writer options a dataset of each format takes (-O, [writers.NAME] and [batch]).
OPTIONS = {"csv": ("license",), "jsonl": (), "parquet": (),
           **{f: ("base", "license", "format") for f in RDF_FORMATS}}
#: Standard output, as a dataset's file name.
STDOUT = "-"

_INT = re.compile(r"-?\d+")


def dataset_format(path: str | os.PathLike) -> str:
    """The dataset's format (a value of :data:`FORMATS`) from its file's extension (``-``:
    csv)."""
    if os.fspath(path) == STDOUT:
        return "csv"
    ext = os.path.splitext(os.fspath(path))[1].lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise UsageError(
            f"--dataset: the dataset file must end in {', '.join(FORMATS)} (or be - for "
            f"standard output), not {os.fspath(path)!r}"
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
    """Tidy rows as CSV text (free texts formula-safe, as the tidy CSV writes them)."""
    buffer = io.StringIO()
    CsvRows(buffer).writerows(csv_row(r) for r in rows)
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


def report_chunk(report: Report, fmt: str, options: Mapping[str, str] | None = None) -> str:
    """A report's cells as dataset text (``fmt`` a :data:`CHUNK_FORMAT` value); an RDF
    dataset's chunk is the report's part of the graph (``options``: the dataset's)."""
    if fmt in RDF_FORMATS:
        from gongkai.plugins import rdf_writer

        return rdf_writer.report_chunk(report, fmt, options or {})
    return tidy_csv(report, source=True) if fmt == "csv" else jsonl_chunk(dataset_rows(report))


def csv_file_rows(path: str | os.PathLike) -> Iterator[tuple[str, ...]]:
    """The exact rows of a tidy CSV file written by gongkai (its header checked and skipped,
    the quotes that made its texts formula-safe taken off)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ValueError("not a tidy CSV written by gongkai (unexpected header)")
        for row in reader:
            if len(row) != len(COLUMNS):
                raise ValueError(f"a row of {len(row)} fields, not {len(COLUMNS)}")
            yield exact_row(tuple(row))


def csv_file_chunk(path: str | os.PathLike, fmt: str, report_id: str, source: str) -> str:
    """The dataset text of a report from its tidy CSV output (a run resumed).

    Raises ValueError when the file is not that report's tidy CSV (another report id: written
    by an older version, or for another input), so the caller converts the input again.
    """
    # Exact rows (csv_file_rows undoes the formula-safe quotes); the chunk formats them again.
    rows = [(*row, source) for row in csv_file_rows(path)]
    if any(row[0] != report_id for row in rows):
        raise ValueError(f"not the tidy CSV of report {report_id!r}")
    return chunk(rows, fmt)


def dataset_frame(fmt: str, options: Mapping[str, str]) -> tuple[str, str]:
    """The text a dataset file of a text format (not Parquet) begins and ends with."""
    if fmt in RDF_FORMATS:
        from gongkai.plugins import rdf_writer

        return rdf_writer.dataset_header(fmt, options), rdf_writer.dataset_footer(fmt)
    return (",".join(DATASET_COLUMNS) + "\n" if fmt == "csv" else ""), ""


@contextmanager
def dataset_writer(path: str | os.PathLike, fmt: str | None = None,
                   options: Mapping[str, str] | None = None,
                   seen: Codes | None = None) -> Iterator[TextIO]:
    """The dataset file, open for appending chunks (:func:`report_chunk` text in
    ``CHUNK_FORMAT[fmt]``); it replaces ``path`` only when complete. ``-``: standard output.
    A CSV dataset file gets its CSVW and Frictionless descriptions beside it (written after it).

    ``fmt``: a value of :data:`FORMATS` (default: from the extension); ``options``: the
    dataset's options (:func:`dataset_options`); ``seen``: the codes of the rows that
    gongkai.layouts.codes does not list, when known (else the descriptions read the file).
    """
    fmt = fmt or dataset_format(path)
    options = options or {}
    if fmt == "parquet":
        from gongkai.outputs.parquet import parquet_writer

        with parquet_writer(path) as sink:
            yield sink
        return
    header, footer = dataset_frame(fmt, options)
    if os.fspath(path) == STDOUT:
        stream = sys.stdout
        stream.write(header)
        yield stream
        stream.write(footer)
        stream.flush()
        return
    with atomic_writer(path) as stream:
        stream.write(header)
        yield stream
        stream.write(footer)
    if fmt == "csv":
        from gongkai.outputs.datapackage import write_descriptions

        write_descriptions(path, options, seen)


class ResumableDataset:
    """The dataset file, written as it grows so that an interrupted run keeps its work.

    Chunks (:func:`report_chunk` text) go to ``.NAME.gongkai-partial`` beside the dataset,
    each recorded (input path, what it was made from, where it is) in
    ``.NAME.gongkai-partial.jsonl`` once it is written. A text dataset's partial file begins
    with the dataset's header; when the run completes it gets the footer, is flushed to disk
    and renamed over the dataset (a Parquet dataset, or a device or pipe as the target, has
    the chunks written, in order, through :func:`dataset_writer`), the descriptions are
    written and the partial files removed. A run that is
    interrupted — Ctrl-C, a kill — leaves both, and the next run takes from them the chunk of
    every input made from the same bytes with the same options (:attr:`stamps`) instead of
    converting it again. Use as a context manager.
    """

    def __init__(self, path: str | os.PathLike, fmt: str | None = None,
                 options: Mapping[str, str] | None = None):
        self.path = os.path.abspath(os.fspath(path))
        self.fmt = fmt or dataset_format(path)
        self.options = dict(options or {})
        directory, name = os.path.split(self.path)
        if not os.path.isdir(directory):
            raise OutputError("the dataset's directory does not exist", path=self.path)
        self.partial = os.path.join(directory, f".{name}.gongkai-partial")
        self.index = self.partial + ".jsonl"
        #: Input path -> stamp of its chunk in the previous, interrupted run.
        self.stamps: dict[str, str] = {}
        self._where: dict[str, tuple[int, int]] = {}
        self._chunks: list[tuple[int, int]] = []  # this run's, in order
        self._old = None
        self._out = None
        self._log = None
        #: The unknown codes of every chunk (datapackage.unknown_codes); None once a chunk's
        #: are not known (then the descriptions read the finished file for them).
        self._seen: set[tuple[str, str]] | None = set()

    def __enter__(self) -> ResumableDataset:
        self._load_previous()
        # A text dataset replacing a regular file (or none) is the partial file itself, renamed
        # when complete: its header is written first and its footer last, so the end of a run
        # is one fsync and a rename, not a copy of the whole dataset (0.36 s for 2,000 reports,
        # after the workers are done). Parquet, and a device or pipe, get the chunks copied.
        self._frame = None
        if self.fmt != "parquet" and not self._special_target():
            self._frame = dataset_frame(self.fmt, self.options)
        try:
            self._out = open(self.partial, "wb")
            self._log = open(self.index, "w", encoding="utf-8")
            if self._frame is not None:
                self._out.write(self._frame[0].encode("utf-8"))
        except OSError as exc:
            self._close()
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=self.path) from None
        return self

    def _special_target(self) -> bool:
        """Whether the dataset's path names something other than a regular file (or nothing):
        a directory (refused by dataset_writer), a device or a pipe (written in place)."""
        try:
            return not stat.S_ISREG(os.stat(self.path).st_mode)
        except OSError:
            return False

    def _load_previous(self) -> None:
        try:
            size = os.path.getsize(self.partial)
            with open(self.index, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
        except OSError:
            return
        for line in lines:
            try:
                record = json.loads(line)
                start, end = int(record["start"]), int(record["end"])
                entry = (str(record["input"]), str(record["stamp"]))
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # a line cut off by the kill
            if 0 <= start <= end <= size and entry[1]:
                self.stamps[entry[0]] = entry[1]
                self._where[entry[0]] = (start, end)
        if self.stamps:
            old = self.partial + ".old"
            os.replace(self.partial, old)
            self._old = open(old, "rb")  # noqa: SIM115 - closed by _close

    def add(self, input_path: str, stamp: str, text: str, codes: Codes | None = None) -> None:
        """Append an input's chunk (recorded, so that a later run can take it back); ``codes``:
        its rows' codes that gongkai.layouts.codes does not list (None: not known)."""
        assert self._out is not None and self._log is not None
        if codes is None or self._seen is None:
            self._seen = None
        else:
            self._seen.update(codes)
        start = self._out.tell()
        self._out.write(text.encode("utf-8"))
        self._out.flush()
        self._chunks.append((start, self._out.tell()))
        if stamp:
            self._log.write(json.dumps({"input": input_path, "stamp": stamp, "start": start,
                                        "end": self._out.tell()}, ensure_ascii=False) + "\n")
            self._log.flush()

    def add_previous(self, input_path: str) -> None:
        """Append the chunk the interrupted run wrote for this input."""
        assert self._old is not None
        start, end = self._where[input_path]
        self._old.seek(start)
        self.add(input_path, self.stamps[input_path], self._old.read(end - start).decode("utf-8"))

    def _close(self) -> None:
        for f in (self._out, self._log, self._old):
            if f is not None:
                f.close()
        self._out = self._log = self._old = None

    def __exit__(self, kind, value, traceback) -> None:
        out = self._out
        if kind is None and out is not None:
            try:
                out.flush()
            except OSError as exc:
                self._close()
                raise OutputError(f"cannot write: {exc.strerror or exc}",
                                  path=self.path) from None
        if kind is not None:
            self._close()
            return  # kept for the next run
        if out is not None and self._frame is not None:
            self._finish(out)
            return
        self._close()
        with open(self.partial, "rb") as chunks, dataset_writer(
                self.path, self.fmt, self.options, self._codes_seen()) as sink:
            for start, end in self._chunks:
                chunks.seek(start)
                sink.write(chunks.read(end - start).decode("utf-8"))
        self._remove_leftovers()

    def _finish(self, out) -> None:
        """The partial file, its footer written and flushed to disk, renamed over the dataset
        (with the mode of the file it replaces, as atomic_writer gives it)."""
        try:
            out.write(self._frame[1].encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
            self._close()
            try:
                existing: os.stat_result | None = os.stat(self.path)
            except OSError:
                existing = None
            replace_with(self.partial, self.path, existing)
        except OSError as exc:
            self._close()
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=self.path) from None
        if self.fmt == "csv":
            from gongkai.outputs.datapackage import write_descriptions

            write_descriptions(self.path, self.options, self._codes_seen())
        self._remove_leftovers()

    def _codes_seen(self) -> Codes | None:
        return None if self._seen is None else frozenset(self._seen)

    def _remove_leftovers(self) -> None:
        for leftover in (self.partial, self.index, self.partial + ".old"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
