"""`--dataset FILE`: one tidy table of every report's cells, CSV or JSON Lines, in a stable order.

The order is the inputs' sorted paths whatever order the workers finish in; the file appears
only when complete; a resumed run gives the same dataset from the outputs it kept.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import pytest

import gongkai
from gongkai.batch import runner as batch
from gongkai.cli.main import main
from gongkai.outputs.dataset import csv_file_chunk, dataset_format, jsonl_chunk, report_chunk
from gongkai.outputs.tidy import COLUMNS, DATASET_COLUMNS, tidy_rows

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


#: The corpus's inputs in path order, each with its report id and source.
IDS = [("a/first.txt", "a/first"), ("a/second.txt", "a/second"), ("b.txt", "b"),
       ("m.txt", "m"), ("z/last.txt", "z/last")]


def expected_rows(corpus: Path) -> list[tuple[str, ...]]:
    """Each report converted alone, given its id, with its source: the dataset's rows."""
    rows = []
    for rel, rid in IDS:
        if (corpus / rel).exists():
            report = gongkai.convert_file(corpus / rel, report_id=rid)
            rows.extend((*row, rel) for row in tidy_rows(report))
    return rows


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_the_csv_dataset_is_every_cell_of_every_report_in_path_order(corpus, tmp_path):
    dataset = tmp_path / "all.csv"
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-q", "-j", "1"]) == 0
    rows = read_csv(dataset)
    assert tuple(rows[0]) == DATASET_COLUMNS == (*COLUMNS, "source")  # the header once
    assert [tuple(r) for r in rows[1:]] == expected_rows(corpus)
    ids = list(dict.fromkeys((r[0], r[-1]) for r in rows[1:]))
    assert ids == [(rid, rel) for rel, rid in IDS]
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
        assert tuple(record) == DATASET_COLUMNS
        assert record["value"] == (None if row[4] == "" else json.loads(row[4]))
        assert record["line"] == int(row[8])
        assert [record[k] for k in ("report_id", "table", "row", "column", "unit", "raw",
                                    "status", "source")] == [row[i]
                                                             for i in (0, 1, 2, 3, 5, 6, 7, 9)]


def test_a_float_and_an_empty_value_in_json_lines():
    rows = [("r", "t", "x", "y", "42780.5", "万元", "4.27805亿元", "ok", "3", "r.txt"),
            ("r", "t", "x", "z", "", "", "", "empty", "0", "r.txt")]
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
    # Each report's own file has the same id as its rows in the dataset.
    assert read_csv(out / "a" / "first.csv")[1][0] == "a/first"


def test_a_resumed_run_gives_the_same_dataset_from_the_kept_outputs(corpus, tmp_path, capsys,
                                                                     monkeypatch):
    out, dataset = tmp_path / "out", tmp_path / "all.csv"
    args = ["convert", str(corpus), "-o", str(out), "--to", "csv", "--dataset", str(dataset),
            "-j", "1"]
    assert main(args) == 0
    first = dataset.read_bytes()

    def no_conversion(*args, **kwargs):
        raise AssertionError("an up-to-date input was converted again")

    monkeypatch.setattr(batch, "convert_digested", no_conversion)
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
    # What it did is kept beside it for the next run (ResumableDataset), nothing else.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".all.csv.gongkai-partial", ".all.csv.gongkai-partial.jsonl", "all.csv", "corpus"]


@pytest.mark.parametrize("name", ["all.csv", "all.jsonl"])
def test_an_interrupted_dataset_only_run_keeps_its_work(corpus, tmp_path, monkeypatch, capsys,
                                                        name):
    """An interrupted first run left no dataset, so all its work was redone."""
    fresh, dataset = tmp_path / ("fresh" + name[3:]), tmp_path / name
    assert main(["convert", str(corpus), "--dataset", str(fresh), "-q", "-j", "1"]) == 0
    real = batch.convert_one
    seen = []

    def interrupted(*args):
        seen.append(1)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(batch, "convert_one", interrupted)
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-q", "-j", "1"]) == 130
    monkeypatch.setattr(batch, "convert_one", real)
    capsys.readouterr()
    assert main(["convert", str(corpus), "--dataset", str(dataset), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "2 up to date" in err  # the two the interrupted run finished
    assert dataset.read_bytes() == fresh.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("name,fmt", [("a.csv", "csv"), ("a.jsonl", "jsonl"),
                                      ("A.NDJSON", "jsonl")])
def test_the_format_comes_from_the_extension(name, fmt):
    assert dataset_format(name) == fmt


def test_another_extension_is_a_usage_error(corpus, tmp_path, capsys):
    assert main(["convert", str(corpus), "--dataset", str(tmp_path / "all.xlsx")]) == 2
    assert ".csv, .jsonl, .ndjson, .parquet" in capsys.readouterr().err


def test_a_csv_part_not_written_by_gongkai_is_refused(tmp_path):
    part = tmp_path / "x.csv"
    part.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError):
        csv_file_chunk(part, "csv", "x", "x.txt")


def test_a_kept_csv_output_of_another_report_id_is_not_reused(tmp_path):
    """An output written with another id (an older version's) is converted again."""
    report = gongkai.convert(SEEDS[0])
    part = tmp_path / "x.csv"
    part.write_text(gongkai.dumps(report, "csv"), encoding="utf-8")
    assert csv_file_chunk(part, "csv", report.metadata.report_id, "s.txt").count("\n") == len(
        list(report.cells()))
    with pytest.raises(ValueError, match="not the tidy CSV"):
        csv_file_chunk(part, "csv", "other", "s.txt")


def test_report_chunks_are_the_writers_rows_and_the_source():
    report = gongkai.convert(SEEDS[0])
    text = gongkai.dumps(report, "csv")
    lines = text.split("\n", 1)[1].splitlines()
    source = report.metadata.source
    assert source == SEEDS[0].name
    assert report_chunk(report, "csv").splitlines() == [f"{line},{source}" for line in lines]
    assert list(csv.reader(io.StringIO(report_chunk(report, "csv")))) == [
        [*r, source] for r in tidy_rows(report)]


@pytest.mark.parametrize("source", ["a,b/c.txt", 'say "x".txt', "line\nbreak.txt", "", "简体.txt"])
def test_a_source_that_needs_quoting_is_quoted(source):
    report = gongkai.convert(SEEDS[0])
    report = attrs.evolve(report, metadata=attrs.evolve(report.metadata, source=source))
    rows = list(csv.reader(io.StringIO(report_chunk(report, "csv"))))
    assert rows == [[*r, source] for r in tidy_rows(report)]


def test_same_named_reports_in_two_folders_have_distinct_ids(tmp_path):
    for d in ("a", "b"):
        (tmp_path / "crawl" / d).mkdir(parents=True)
        (tmp_path / "crawl" / d / "2024.txt").write_bytes(SEEDS[0].read_bytes())
    dataset = tmp_path / "all.csv"
    assert main(["convert", str(tmp_path / "crawl"), "--dataset", str(dataset), "-q",
                 "-j", "1"]) == 0
    keys = {(r[0], r[-1]) for r in read_csv(dataset)[1:]}
    assert keys == {("a/2024", "a/2024.txt"), ("b/2024", "b/2024.txt")}


def test_the_same_relative_name_under_two_roots_gets_distinct_ids(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_bytes(SEEDS[0].read_bytes())
    dataset = tmp_path / "all.csv"
    assert main(["convert", str(tmp_path / "a"), str(tmp_path / "b"), "--dataset",
                 str(dataset), "-q", "-j", "1"]) == 0
    rows = read_csv(dataset)[1:]
    ids = list(dict.fromkeys(r[0] for r in rows))
    assert len(ids) == 2 and all(i.endswith("report.txt") for i in ids)
    # The primary key (report_id, table, row, column) is unique across the dataset.
    assert len({tuple(r[:4]) for r in rows}) == len(rows)


@pytest.mark.parametrize("name", ["all.csv", "all.jsonl", "all.ttl", "all.nt", "all.jsonld"])
def test_the_resumable_dataset_renamed_is_what_the_dataset_writer_writes(tmp_path, monkeypatch,
                                                                         name):
    """A text dataset is its partial file renamed (header first, footer last): byte for byte
    what writing the chunks through dataset_writer gives, with the replaced file's mode and
    nothing left beside it."""
    from gongkai.outputs.dataset import CHUNK_FORMAT, ResumableDataset, dataset_writer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # (an RDF dataset's time)
    fmt = dataset_format(name)
    reports = [gongkai.convert_file(seed, report_id=f"r{i}") for i, seed in enumerate(SEEDS[:3])]
    chunks = [report_chunk(r, CHUNK_FORMAT[fmt], {}) for r in reports]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    expected, written = tmp_path / "a" / name, tmp_path / "b" / name
    with dataset_writer(expected, fmt) as sink:
        for text in chunks:
            sink.write(text)
    written.write_text("previous", encoding="utf-8")
    written.chmod(0o640)
    with ResumableDataset(written, fmt) as table:
        for i, text in enumerate(chunks):
            table.add(f"in{i}", f"stamp{i}", text)
    assert written.read_bytes() == expected.read_bytes()
    assert written.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in written.parent.iterdir()) == sorted(
        p.name for p in expected.parent.iterdir())


def test_a_dataset_to_a_pipe_or_device_is_not_renamed_over_it(tmp_path):
    """Only a regular file (or none) is replaced by the renamed partial file; a named pipe or a
    device is written through dataset_writer, in place."""
    import os

    from gongkai.outputs.dataset import ResumableDataset

    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "file.csv").write_text("x", encoding="utf-8")
    assert ResumableDataset(tmp_path / "pipe.csv")._special_target()
    assert not ResumableDataset(tmp_path / "file.csv")._special_target()
    assert not ResumableDataset(tmp_path / "new.csv")._special_target()
