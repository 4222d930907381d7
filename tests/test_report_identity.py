"""Report identity (schema 2.0): a unique, stable report_id from the path relative to the input
root, and the dataset's ``source`` column (docs/codes.md, report identity)."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from csvw import CSVW
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.batch.runner import convert_many
from gongkai.cli.main import main
from gongkai.naming import Input, find_reports, id_of, report_ids
from gongkai.outputs.tidy import DATASET_COLUMNS

from conftest import SEEDS


@pytest.mark.parametrize(("rel", "expected"), [
    ("2024.txt", "2024"),
    ("hongze/2024.txt", "hongze/2024"),
    ("hongze.2023.txt", "hongze.2023"),
    ("hongze-2023.pdf.txt", "hongze-2023.pdf"),
    ("a/b/c.HTML", "a/b/c"),
    ("noext", "noext"),
    (".hidden", ".hidden"),
])
def test_the_id_is_the_relative_name_without_its_extension(rel, expected):
    assert id_of(rel) == expected


def test_names_differing_after_the_first_dot_do_not_collide():
    assert gongkai.convert(SEEDS[0]).metadata.report_id == SEEDS[0].stem
    inputs = [Input(f"/c/{n}", n) for n in ("hongze.2023.txt", "hongze.2024.txt")]
    assert report_ids(inputs) == ["hongze.2023", "hongze.2024"]


def test_inputs_that_share_an_id_fall_back_in_turn():
    inputs = [Input("/c/a.txt", "a.txt"), Input("/c/a.html", "a.html"),
              Input("one/x.txt", "x.txt"), Input("two/x.txt", "x.txt"), Input("/c/b.txt", "b.txt")]
    assert report_ids(inputs) == ["a.txt", "a.html", "one/x.txt", "two/x.txt", "b"]


names = st.lists(st.sampled_from(["a", "b", "a.b", "2024", "x.y.z", "简体"]), min_size=1,
                 max_size=3).map("/".join)
extensions = st.sampled_from([".txt", ".html", ".md", ".pdf", ""])
roots = st.sampled_from(["r1", "r2", "r1/sub"])


@given(st.lists(st.tuples(roots, names, extensions), min_size=1, max_size=12, unique=True))
def test_ids_are_unique_and_depend_on_the_inputs_alone(items):
    inputs = [Input(f"{root}/{name}{ext}", f"{name}{ext}") for root, name, ext in items]
    ids = report_ids(inputs)
    assert len(set(ids)) == len(ids)
    assert report_ids(list(inputs)) == ids  # the same on every run
    # An input whose id no other input shares keeps the plain rule.
    plain = [id_of(i.rel) for i in inputs]
    for rid, base in zip(ids, plain, strict=True):
        if plain.count(base) == 1 and ids.count(base) <= 1:
            assert rid == base


@pytest.fixture
def crawl(tmp_path):
    root = tmp_path / "crawl"
    for rel, seed in [("hongze/2024.txt", SEEDS[0]), ("suqian/2024.txt", SEEDS[1]),
                      ("hongze.2023.txt", SEEDS[2]), ("hongze.2024.txt", SEEDS[3])]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, root / rel)
    return root


def test_a_crawl_by_agency_gives_one_id_per_report_and_its_source(crawl, tmp_path):
    dataset = tmp_path / "cells.jsonl"
    assert main(["convert", str(crawl), "--dataset", str(dataset), "-q", "-j", "1"]) == 0
    records = [json.loads(line) for line in dataset.read_text("utf-8").splitlines()]
    assert tuple(records[0]) == DATASET_COLUMNS
    pairs = list(dict.fromkeys((r["report_id"], r["source"]) for r in records))
    assert pairs == [("hongze.2023", "hongze.2023.txt"), ("hongze.2024", "hongze.2024.txt"),
                     ("hongze/2024", "hongze/2024.txt"), ("suqian/2024", "suqian/2024.txt")]
    keys = [(r["report_id"], r["table"], r["row"], r["column"]) for r in records]
    assert len(set(keys)) == len(keys)


def test_a_glob_pattern_gives_the_same_ids_as_its_directory(crawl, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["convert", str(crawl), "--dataset", str(one), "-q", "-j", "1"]) == 0
    assert main(["convert", f"{crawl}/**/*.txt", "--dataset", str(two), "-q", "-j", "1"]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_the_batch_rdf_of_same_named_reports_are_separate_reports(crawl, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(crawl), "-o", str(out), "--to", "rdf", "-q", "-j", "1"]) == 0
    first = (out / "hongze" / "2024.ttl").read_text("utf-8")
    second = (out / "suqian" / "2024.ttl").read_text("utf-8")
    assert "report/hongze%2F2024>" in first and "report/suqian%2F2024>" in second


def test_the_json_model_has_the_source(crawl, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(crawl), "-o", str(out), "-q", "-j", "1"]) == 0
    metadata = json.loads((out / "hongze" / "2024.json").read_text("utf-8"))["metadata"]
    assert metadata["report_id"] == "hongze/2024"
    assert metadata["source"] == "hongze/2024.txt"
    assert metadata["source_path"] == os.path.join(str(crawl), "hongze", "2024.txt")


def test_convert_many_takes_ids_from_a_function(crawl):
    results = list(convert_many([crawl], jobs=1, dataset="csv",
                                report_ids=lambda i: "r-" + i.rel.replace("/", "-")))
    assert [r.report.metadata.report_id for r in results] == [
        "r-hongze.2023.txt", "r-hongze.2024.txt", "r-hongze-2024.txt", "r-suqian-2024.txt"]
    assert results[0].data.startswith("r-hongze.2023.txt,")
    assert results[0].data.splitlines()[0].endswith(",hongze.2023.txt")


def test_ids_a_function_gives_twice_are_an_error(crawl):
    with pytest.raises(gongkai.UsageError, match="to two inputs"):
        list(convert_many([crawl], jobs=1, report_ids=lambda i: "same"))


def test_find_reports_and_report_ids_agree_with_the_cli(crawl):
    inputs = find_reports([crawl], extensions=[".txt"])
    assert report_ids(inputs) == ["hongze.2023", "hongze.2024", "hongze/2024", "suqian/2024"]


def test_the_dataset_csvw_metadata_describes_the_dataset(crawl, tmp_path):
    dataset = tmp_path / "cells.csv"
    assert main(["convert", str(crawl), "--dataset", str(dataset), "-q", "-j", "1"]) == 0
    metadata = tmp_path / "csv-metadata.json"
    assert main(["schema", "--csvw", "--dataset", "--url", "cells.csv", "-o",
                 str(metadata)]) == 0
    described = json.loads(metadata.read_text("utf-8"))
    assert [c["name"] for c in described["tableSchema"]["columns"]] == list(DATASET_COLUMNS)
    assert described["dc:conformsTo"].endswith(gongkai.SCHEMA_VERSION)
    table = CSVW(str(metadata), validate=True)
    assert table.is_valid
    (rows,) = table.tables
    assert rows.check_primary_key()  # report_id, table, row, column: unique


def test_schema_dataset_without_csvw_is_a_usage_error(capsys):
    assert main(["schema", "--dataset"]) == 2
    assert "--csvw" in capsys.readouterr().err
