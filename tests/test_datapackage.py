"""A CSV dataset comes with its descriptions: CSVW metadata (cells.csv-metadata.json) and a
Frictionless data package (datapackage.json), both validated here by their own tools."""

from __future__ import annotations

import json

import pytest
from csvw import CSVW
from frictionless import validate

import gongkai
from gongkai.cli.main import main
from gongkai.layouts.codes import load_codes
from gongkai.outputs.datapackage import table_schema

from conftest import SEEDS, seed_path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("dataset")
    assert main(["convert", *map(str, SEEDS), "--dataset", str(out / "cells.csv"), "-q",
                 "--license", "CC-BY-4.0"]) == 0
    return out


def test_the_csv_dataset_has_its_csvw_metadata_and_data_package(dataset):
    assert sorted(p.name for p in dataset.iterdir()) == [
        "cells.csv", "cells.csv-metadata.json", "datapackage.json"]


def test_frictionless_validates_the_data_package(dataset):
    report = validate(str(dataset / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_a_csvw_processor_validates_the_dataset(dataset):
    table = CSVW(str(dataset / "cells.csv-metadata.json"), validate=True)
    assert table.is_valid
    (described,) = table.tables
    assert described.check_primary_key()


def test_codes_are_enums_and_raw_is_text(dataset):
    package = json.loads((dataset / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["raw"]["type"] == "string"
    assert fields["value"]["type"] == "number"
    assert fields["line"]["type"] == "integer"
    codes = load_codes()
    assert fields["table"]["constraints"]["enum"] == list(codes.table_codes)
    assert set(fields["row"]["constraints"]["enum"]) >= {"withheld.state_secret", "new"}
    assert fields["status"]["constraints"]["enum"] == [s.value for s in gongkai.Status]
    assert package["licenses"] == [{"name": "CC-BY-4.0",
                                    "path": "http://spdx.org/licenses/CC-BY-4.0"}]


def test_frictionless_finds_a_code_the_enums_do_not_have(dataset, tmp_path):
    # The enums can fail: a row code no table has (and the package does not list) is an error.
    text = (dataset / "cells.csv").read_text(encoding="utf-8")
    (tmp_path / "cells.csv").write_text(text.replace(",withheld.state_secret,", ",nonsense,", 1),
                                        encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(
        (dataset / "datapackage.json").read_text(encoding="utf-8"), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "constraint-error" in {error_type for (error_type,) in report.flatten(["type"])}


def test_raw_text_that_looks_like_a_number_stays_text(dataset):
    # Frictionless would guess `raw` is a number; the schema says string, so "1,234" and "01"
    # are kept as written.
    schema = table_schema()
    raw = next(f for f in schema["fields"] if f["name"] == "raw")
    assert raw["type"] == "string"


def test_codes_a_variant_adds_join_the_enums():
    schema = table_schema({"row": {"regional.extra"}})
    rows = next(f for f in schema["fields"] if f["name"] == "row")["constraints"]["enum"]
    assert rows[-1] == "regional.extra"


def test_a_jsonl_dataset_takes_no_licence(tmp_path, capsys):
    assert main(["convert", str(seed_path("000")), "--dataset", str(tmp_path / "c.jsonl"),
                 "--license", "CC-BY-4.0"]) == 2
    assert "no option 'license'" in capsys.readouterr().err


# -- the codes beyond the known: noted per report by the workers, as reading the file finds ----


def test_the_workers_codes_are_those_the_file_holds(tmp_path):
    from gongkai.engine.manager import Engine
    from gongkai.outputs.datapackage import _by_column, _codes_in, _known_codes, unknown_codes
    from gongkai.outputs.dataset import dataset_writer, report_chunk

    from conftest import FIXTURES

    variant = Engine(variants=[FIXTURES / "variants" / "hubei-variant.toml"], allow=())
    reports = [gongkai.convert(FIXTURES / "variants" / "wuhan-eeb-2020.traditional.excerpt.txt",
                               engine=variant),
               *(gongkai.convert(p) for p in SEEDS)]
    path = tmp_path / "cells.csv"
    with dataset_writer(path, "csv") as sink:
        for report in reports:
            sink.write(report_chunk(report, "csv"))
    known = _known_codes()
    read_back = {name: codes - set(known[name]) for name, codes in _codes_in(path).items()}
    noted = _by_column(frozenset().union(*map(unknown_codes, reports)))
    assert noted == read_back and noted["row"] == {"other_documents"}


def test_a_batch_describes_its_dataset_as_reading_it_back_does(dataset):
    from gongkai.outputs.datapackage import _codes_in, datapackage

    written = json.loads((dataset / "datapackage.json").read_text(encoding="utf-8"))
    assert written == datapackage("cells.csv", seen=_codes_in(dataset / "cells.csv"),
                                  license="CC-BY-4.0")
