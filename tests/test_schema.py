"""The JSON Schema: generated from the model, shipped, printed by `gongkai schema`, and every
seed's JSON output validates against it (while broken documents do not)."""

from __future__ import annotations

import copy
import json

import attrs
import jsonschema
import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.model import SCHEMA_VERSION, Cell, Diagnostic, Metadata, Report, Section, Table
from gongkai.outputs.schema import SCHEMA_ID, dumps_schema, report_schema, shipped_schema_text
from gongkai.outputs.serialize import OMIT, json_fields
from gongkai.outputs.tidy import COLUMNS

from conftest import SEEDS


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_is_the_generated_one():
    # If this fails, the model changed: regenerate with `gongkai schema -o
    # core/data/report.schema.json` and bump SCHEMA_VERSION when the change requires it.
    assert shipped_schema_text() == dumps_schema()


def test_schema_names_its_version():
    schema = json.loads(shipped_schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID and SCHEMA_ID.endswith(":" + SCHEMA_VERSION)
    assert schema["$defs"]["Report"]["properties"]["schema_version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_every_seed_json_validates(path, seed_reports, validator):
    document = json.loads(gongkai.dumps(seed_reports[path.stem], "json"))
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d.pop("schema_version"),
        lambda d: d.update(schema_version="0.9"),
        lambda d: d["metadata"].update(surprise=1),
        lambda d: d["tables"][0]["cells"][0].update(status="fine"),
        lambda d: d["tables"][0]["cells"][0].update(value="12"),
        lambda d: d["tables"][0]["cells"][0].pop("raw"),
        lambda d: d["tables"][0].update(code="budget"),
        lambda d: d["sections"][0].update(subsections=[{"number": "一"}]),
        lambda d: d["metadata"].update(templates={"budget": "2019"}),
    ],
    ids=["no-version", "old-version", "extra-field", "bad-status", "value-as-text",
         "missing-raw", "unknown-table", "bad-subsection", "unknown-template-table"],
)
def test_schema_rejects_broken_documents(break_it, seed_reports, validator):
    document = json.loads(gongkai.dumps(seed_reports[SEEDS[0].stem], "json"))
    assert validator.is_valid(document)
    broken = copy.deepcopy(document)
    break_it(broken)
    assert not validator.is_valid(broken)


@pytest.mark.parametrize("cls", [Report, Metadata, Section, Table, Cell, Diagnostic])
def test_schema_and_serializer_share_the_model_fields(cls, validator):
    # Every field of the model class is in the schema, except a cell's table (a cell sits in
    # its table) and a section's lines (positions for rules) — and the serializer emits
    # exactly the same fields.
    schema_fields = set(report_schema()["$defs"][cls.__name__]["properties"])
    model_fields = {f.name for f in attrs.fields(cls)} - set(OMIT.get(cls, ()))
    assert schema_fields == model_fields
    assert [f.name for f in json_fields(cls)] == list(
        report_schema()["$defs"][cls.__name__]["properties"])


def test_json_output_keys_follow_the_schema_order(seed_reports):
    document = json.loads(gongkai.dumps(seed_reports[SEEDS[1].stem], "json"))
    defs = report_schema()["$defs"]
    assert list(document) == list(defs["Report"]["properties"])  # schema_version first
    assert list(document["tables"][0]["cells"][0]) == list(defs["Cell"]["properties"])


def test_descriptions_come_from_the_model_comments():
    defs = report_schema()["$defs"]
    assert "万元" in defs["Cell"]["properties"]["value"]["description"]
    assert "`placeholder`" in defs["Status"]["description"]
    assert defs["Status"]["enum"] == [s.value for s in gongkai.Status]


def test_schema_command_prints_the_shipped_schema(capsys, tmp_path):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == shipped_schema_text()
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == shipped_schema_text()


def test_schema_command_prints_csvw_metadata(capsys):
    assert main(["schema", "--csvw", "--url", "all.csv"]) == 0
    metadata = json.loads(capsys.readouterr().out)
    assert metadata["url"] == "all.csv"
    assert [c["name"] for c in metadata["tableSchema"]["columns"]] == list(
        COLUMNS)
