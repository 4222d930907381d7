"""Parquet datasets and pandas frames with proper types: ``value`` float, ``line`` integer, the
codes dictionary-encoded; the same cells as the CSV dataset."""

from __future__ import annotations

import csv
import io
import math

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.outputs.tidy import DATASET_COLUMNS

from conftest import SEEDS

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "crawl"
    for i, seed in enumerate(SEEDS[:3]):
        (root / f"agency{i}").mkdir(parents=True)
        (root / f"agency{i}" / "2024.txt").write_bytes(seed.read_bytes())
    return root


def csv_rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def test_the_parquet_dataset_has_the_csv_cells_typed(corpus, tmp_path):
    cells_csv, cells_pq = tmp_path / "cells.csv", tmp_path / "cells.parquet"
    assert main(["convert", str(corpus), "--dataset", str(cells_csv), "-q", "-j", "1"]) == 0
    assert main(["convert", str(corpus), "--dataset", str(cells_pq), "-q", "-j", "2"]) == 0
    table = pq.read_table(cells_pq)
    assert table.schema.names == list(DATASET_COLUMNS)
    types = {f.name: f.type for f in table.schema}
    assert types["value"] == pa.float64()
    assert types["line"] == pa.int32()
    for name in ("report_id", "table", "row", "column", "unit", "status", "source"):
        assert pa.types.is_dictionary(types[name]), name
    assert types["raw"] == pa.string()
    rows = csv_rows(cells_csv)
    got = table.to_pylist()
    assert len(got) == len(rows)
    for record, row in zip(got, rows, strict=True):
        text = dict(zip(DATASET_COLUMNS, row, strict=True))
        assert record["value"] == (None if text["value"] == "" else float(text["value"]))
        assert record["line"] == int(text["line"])
        for name in ("report_id", "table", "row", "column", "unit", "raw", "status", "source"):
            assert record[name] == text[name]


def test_one_report_to_parquet_by_extension(tmp_path):
    out = tmp_path / "one.parquet"
    assert main(["convert", str(SEEDS[0]), "-o", str(out)]) == 0
    table = pq.read_table(out)
    report = gongkai.convert(SEEDS[0])
    assert table.num_rows == len(list(report.cells()))
    assert set(table.column("report_id").to_pylist()) == {report.metadata.report_id}


def test_to_pandas_gives_typed_columns():
    pd = pytest.importorskip("pandas")
    reports = [gongkai.convert(s) for s in SEEDS[:2]]
    frame = gongkai.to_pandas(reports)
    assert list(frame.columns) == list(DATASET_COLUMNS)
    assert len(frame) == sum(len(list(r.cells())) for r in reports)
    assert frame["value"].dtype == "float64"
    assert pd.api.types.is_integer_dtype(frame["line"])
    assert isinstance(frame["table"].dtype, pd.CategoricalDtype)
    first = reports[0]
    one = first.to_frame()
    assert len(one) == len(list(first.cells()))
    cell = next(c for c in first.cells() if c.value is not None)
    match = one[(one.table == cell.table) & (one.row == cell.row) & (one.column == cell.column)]
    assert float(match["value"].iloc[0]) == cell.value
    empty = next((c for c in first.cells() if c.value is None), None)
    if empty is not None:
        row = one[(one.table == empty.table) & (one.row == empty.row)
                  & (one.column == empty.column)]
        assert math.isnan(row["value"].iloc[0])


def test_to_pandas_without_pyarrow_gives_the_same_frame(monkeypatch):
    pd = pytest.importorskip("pandas")
    from gongkai.outputs import parquet

    report = gongkai.convert(SEEDS[1])
    with_arrow = gongkai.to_pandas(report)

    def no_pyarrow():
        raise gongkai.UsageError("Parquet needs pyarrow")

    monkeypatch.setattr(parquet, "_pyarrow", no_pyarrow)
    without = gongkai.to_pandas(report)
    assert list(without.columns) == list(with_arrow.columns)
    for name in DATASET_COLUMNS:
        assert list(without[name].astype(object).where(without[name].notna(), None)) == list(
            with_arrow[name].astype(object).where(with_arrow[name].notna(), None)), name
    assert without["value"].dtype == "float64"
    assert isinstance(without["status"].dtype, pd.CategoricalDtype)


def test_without_pyarrow_parquet_is_a_clear_error(monkeypatch, tmp_path, capsys):
    from gongkai.outputs import parquet

    def no_pyarrow():
        raise gongkai.UsageError("Parquet needs pyarrow: pip install 'gongkai[parquet]'")

    monkeypatch.setattr(parquet, "_pyarrow", no_pyarrow)
    assert main(["convert", str(SEEDS[0]), str(SEEDS[1]), "--dataset",
                 str(tmp_path / "x.parquet"), "-q"]) == 2
    assert "gongkai[parquet]" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_parquet_to_a_terminal_is_refused(monkeypatch, capsys):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(["convert", str(SEEDS[0]), "--to", "parquet"]) == 2
    assert "binary" in capsys.readouterr().err


def test_a_parquet_written_to_a_pipe_reads_back(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "gongkai", "convert", str(SEEDS[0]), "--to",
                           "parquet"], capture_output=True, check=True)
    table = pq.read_table(io.BytesIO(done.stdout))
    assert table.num_rows == len(list(gongkai.convert(SEEDS[0]).cells()))
