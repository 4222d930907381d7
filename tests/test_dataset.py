"""`--dataset FILE`: one tidy table of every report's cells, CSV or JSON Lines, in a stable order.

The order is the inputs' sorted paths whatever order the workers finish in; the file appears
only when complete; a resumed run gives the same dataset from the outputs it kept.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

import gongkai
from gongkai import batch
from gongkai.cli import main
from gongkai.dataset import csv_file_chunk, dataset_format, jsonl_chunk, report_chunk
from gongkai.tidy import COLUMNS, tidy_rows

from conftest import SEEDS


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    # Names whose sorted order differs from the order they are written and from the seeds'.
    for name, seed in [("z/last.txt", SEEDS[0]), ("b.txt", SEEDS[3]), ("a/first.txt", SEEDS[1]),
                       ("m.txt", SEEDS[4]), ("a/second.txt", SEEDS[2])]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(seed.read_bytes())
    return root


def expected_rows(corpus: Path) -> list[tuple[str, ...]]:
    rows = []
    for path in sorted(str(p) for p in corpus.rglob("*.txt")):
        rows.extend(tidy_rows(gongkai.convert(path)))
    return rows


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_the_csv_dataset_is_every_cell_of_every_report_in_path_order(corpus, tmp_path):
    dataset = tmp_path / "all.csv"
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-q", "-j", "1"]) == 0
    rows = read_csv(dataset)
    assert tuple(rows[0]) == COLUMNS  # the header once
    assert [tuple(r) for r in rows[1:]] == expected_rows(corpus)
    ids = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert ids == ["first", "second", "b", "m", "last"]
    # No temporary file left; the CSVW metadata and the data package beside the dataset.
    assert sorted(tmp_path.iterdir()) == sorted([
        corpus, dataset, tmp_path / "all.csv-metadata.json", tmp_path / "datapackage.json"])


def test_the_order_does_not_depend_on_the_workers(corpus, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["convert", str(corpus), "--dataset", str(one), "-q", "-j", "1"]) == 0
    assert main(["convert", str(corpus), "--dataset", str(two), "-q", "-j", "2"]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_the_jsonl_dataset_has_the_same_cells_typed(corpus, tmp_path):
    dataset = tmp_path / "all.jsonl"
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-q", "-j", "1"]) == 0
    records = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    rows = expected_rows(corpus)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert tuple(record) == COLUMNS
        assert record["value"] == (None if row[4] == "" else json.loads(row[4]))
        assert record["line"] == int(row[8])
        assert [record[k] for k in ("report_id", "table", "row", "column", "unit", "raw",
                                    "status")] == [row[i] for i in (0, 1, 2, 3, 5, 6, 7)]


def test_a_float_and_an_empty_value_in_json_lines():
    rows = [("r", "t", "x", "y", "42780.5", "万元", "4.27805亿元", "ok", "3"),
            ("r", "t", "x", "z", "", "", "", "empty", "0")]
    first, second = (json.loads(line) for line in jsonl_chunk(rows).splitlines())
    assert first["value"] == 42780.5 and first["line"] == 3
    assert second["value"] is None


def test_dataset_and_outputs_together_and_failures_left_out(corpus, tmp_path, capsys):
    (corpus / "broken.txt").write_bytes(b"")
    dataset = tmp_path / "all.csv"
    out = tmp_path / "out"
    code = main(["convert", str(corpus), "-o", str(out), "--to", "csv", "--dataset",
                 str(dataset), "-j", "1"])
    assert code == 1
    assert "broken.txt" in capsys.readouterr().err
    (corpus / "broken.txt").unlink()
    rows = [tuple(r) for r in read_csv(dataset)[1:]]
    assert rows == expected_rows(corpus)  # every converted report, the broken one left out
    assert len(rows) == sum(len(read_csv(p)) - 1 for p in out.rglob("*.csv"))


def test_a_resumed_run_gives_the_same_dataset_from_the_kept_outputs(corpus, tmp_path, capsys,
                                                                     monkeypatch):
    out, dataset = tmp_path / "out", tmp_path / "all.csv"
    args = ["convert", str(corpus), "-o", str(out), "--to", "csv", "--dataset", str(dataset),
            "-j", "1"]
    assert main(args) == 0
    first = dataset.read_bytes()

    def no_conversion(*args, **kwargs):
        raise AssertionError("an up-to-date input was converted again")

    monkeypatch.setattr(batch, "convert_file", no_conversion)
    assert main(args) == 0
    assert "5 up to date" in capsys.readouterr().err
    assert dataset.read_bytes() == first  # rows read back from the CSV outputs


def test_a_resumed_jsonl_dataset_from_csv_outputs_is_the_same(corpus, tmp_path):
    out = tmp_path / "out"
    args = ["convert", str(corpus), "-o", str(out), "--to", "csv", "-q", "-j", "1"]
    assert main([*args, "--dataset", str(tmp_path / "fresh.jsonl"), "--force"]) == 0
    assert main([*args, "--dataset", str(tmp_path / "resumed.jsonl")]) == 0
    assert (tmp_path / "fresh.jsonl").read_bytes() == (tmp_path / "resumed.jsonl").read_bytes()


def test_an_interrupted_run_keeps_the_previous_dataset(corpus, tmp_path, monkeypatch):
    dataset = tmp_path / "all.csv"
    dataset.write_text("previous", encoding="utf-8")
    real = batch.convert_one
    seen = []

    def interrupted(*args):
        seen.append(1)
        if len(seen) == 4:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(batch, "convert_one", interrupted)
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-q", "-j", "1"]) == 130
    assert dataset.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.csv", "corpus"]


@pytest.mark.parametrize("name,fmt", [("a.csv", "csv"), ("a.jsonl", "jsonl"),
                                      ("A.NDJSON", "jsonl")])
def test_the_format_comes_from_the_extension(name, fmt):
    assert dataset_format(name) == fmt


def test_another_extension_is_a_usage_error(corpus, tmp_path, capsys):
    assert main(["convert", str(corpus), "--dataset", str(tmp_path / "all.xlsx")]) == 2
    assert ".csv, .jsonl" in capsys.readouterr().err


def test_a_csv_part_not_written_by_gongkai_is_refused(tmp_path):
    part = tmp_path / "x.csv"
    part.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError):
        csv_file_chunk(part, "csv")


def test_report_chunks_are_the_writers_rows():
    report = gongkai.convert(SEEDS[0])
    text = gongkai.dumps(report, "csv")
    assert report_chunk(report, "csv") == text.split("\n", 1)[1]
    assert list(csv.reader(io.StringIO(report_chunk(report, "csv")))) == [
        list(r) for r in tidy_rows(report)]


def test_shared_report_ids_are_warned_about(tmp_path, capsys):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_bytes(SEEDS[0].read_bytes())
    assert main(["convert", str(tmp_path / "a"), str(tmp_path / "b"), "--dataset",
                 str(tmp_path / "all.csv"), "-q", "-j", "1"]) == 0
    assert "report ids are shared" in capsys.readouterr().err
    assert os.path.exists(tmp_path / "all.csv")
