"""Tidy cells as Apache Parquet and as pandas data frames, with proper types.

``value`` is a float64 (empty cells null), ``line`` an int32, the codes (``table``, ``row``,
``column``, ``unit``, ``status``) and the repeated ``report_id`` and ``source`` are
dictionary-encoded strings; ``raw`` is a plain string. pyarrow is an optional dependency
(``pip install 'gongkai[parquet]'``), pandas another (``gongkai[pandas]``): both are imported
only here, when a Parquet file or a data frame is asked for.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from gongkai.errors import UsageError
from gongkai.model import Report
from gongkai.outputs.atomic import atomic_writer
from gongkai.outputs.tidy import DATASET_COLUMNS

#: The columns kept as dictionary-encoded strings: few distinct values, repeated.
DICTIONARY = ("report_id", "table", "row", "column", "unit", "status", "source")
#: Rows gathered before they are written as one row group.
BATCH_ROWS = 65536


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'gongkai[parquet]'") from None
    return pyarrow


def arrow_schema():
    """The Arrow schema of a dataset of tidy cells (:data:`DATASET_COLUMNS`)."""
    pa = _pyarrow()
    fields = []
    for name in DATASET_COLUMNS:
        if name == "value":
            kind = pa.float64()
        elif name == "line":
            kind = pa.int32()
        elif name in DICTIONARY:
            kind = pa.dictionary(pa.int32(), pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind, nullable=name in ("value",)))
    return pa.schema(fields)


def _table(rows: list[tuple[str, ...]]):
    """Dataset rows (text, as the tidy CSV has them) as an Arrow table of the schema."""
    pa = _pyarrow()
    schema = arrow_schema()
    columns: list[Any] = []
    for k, name in enumerate(DATASET_COLUMNS):
        texts = [r[k] for r in rows]
        if name == "value":
            columns.append(pa.array([float(t) if t else None for t in texts], pa.float64()))
        elif name == "line":
            columns.append(pa.array([int(t or 0) for t in texts], pa.int32()))
        elif name in DICTIONARY:
            columns.append(pa.array(texts, pa.string()).dictionary_encode())
        else:
            columns.append(pa.array(texts, pa.string()))
    return pa.Table.from_arrays(columns, schema=schema)


def _cast(table):
    # dictionary_encode gives int32 indices already; the cast keeps the schema exact anyway.
    return table.cast(arrow_schema())


class ParquetSink:
    """Takes dataset chunks as CSV text (what the batch workers send) and writes row groups."""

    def __init__(self, stream) -> None:
        pq = _pyarrow().parquet
        self._writer = pq.ParquetWriter(stream, arrow_schema())
        self._rows: list[tuple[str, ...]] = []

    def write(self, text: str) -> None:
        if text:
            self._rows.extend(tuple(r) for r in csv.reader(io.StringIO(text)))
            if len(self._rows) >= BATCH_ROWS:
                self.flush()

    def write_rows(self, rows: Iterable[tuple[str, ...]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._writer.write_table(_cast(_table(self._rows)))
            self._rows = []

    def close(self) -> None:
        self.flush()
        self._writer.close()


@contextmanager
def parquet_writer(path: str | os.PathLike) -> Iterator[ParquetSink]:
    """A Parquet dataset file, written whole or not at all (``-``: standard output)."""
    _pyarrow()
    if os.fspath(path) == "-":
        if sys.stdout.isatty():
            raise UsageError("Parquet is binary: write it to a file (-o cells.parquet) or a "
                             "pipe, not to a terminal")
        sink = ParquetSink(sys.stdout.buffer)
        yield sink
        sink.close()
        sys.stdout.buffer.flush()
        return
    with atomic_writer(path, binary=True) as stream:
        sink = ParquetSink(stream)
        yield sink
        sink.close()


def _rows(reports: Iterable[Report]) -> list[tuple[str, ...]]:
    from gongkai.outputs.dataset import dataset_rows

    return [row for report in reports for row in dataset_rows(report)]


def to_arrow(reports: Report | Iterable[Report]):
    """The tidy cells of ``reports`` (one or many) as a typed ``pyarrow.Table``."""
    if isinstance(reports, Report):
        reports = [reports]
    return _cast(_table(_rows(reports)))


def to_pandas(reports: Report | Iterable[Report]):
    """The tidy cells of ``reports`` (one or many) as a pandas ``DataFrame``: one row per cell,
    the dataset's columns; ``value`` float (NaN when empty), ``line`` int, codes categorical."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise UsageError("to_pandas needs pandas: pip install 'gongkai[pandas]'") from None
    if isinstance(reports, Report):
        reports = [reports]
    rows = _rows(reports)
    try:
        return _cast(_table(rows)).to_pandas()
    except UsageError:  # no pyarrow: pandas alone gives the same columns and types
        return _frame_without_arrow(rows)


def _frame_without_arrow(rows: list[tuple[str, ...]]):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(DATASET_COLUMNS))
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="raise").astype(
        "float64")
    frame["line"] = frame["line"].replace("", "0").astype("int32")
    for name in DICTIONARY:
        frame[name] = frame[name].astype("category")
    return frame

