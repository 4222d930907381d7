"""gongkai's JSON back to the model: ``gongkai.load`` and ``convert --from json``. A report
loaded from its JSON equals the report, and every writer gives it the same bytes."""

from __future__ import annotations

import json

import pytest
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.cli.main import main

from conftest import FIXTURES, SEEDS
from writer_samples import sample_report

SAMPLES = sorted(p for p in (FIXTURES / "samples").glob("*.*") if p.name != "README.md")
#: Every output: each writer, each of its forms.
OUTPUTS = [("json", {}), ("json", {"indent": "none"}), ("csv", {}), ("csv", {"wide": "true"}),
           ("markdown", {}), ("rdf", {}), ("rdf", {"format": "nt"}),
           ("rdf", {"format": "json-ld"})]


@pytest.fixture(scope="module")
def reports():
    return {p.name: gongkai.convert(p) for p in [*SEEDS, *SAMPLES]}


def test_a_loaded_report_equals_the_report(reports, tmp_path):
    for name, report in reports.items():
        path = tmp_path / f"{name}.json"
        path.write_text(gongkai.dumps(report, "json"), encoding="utf-8")
        assert gongkai.load(path) == report, name


@pytest.mark.parametrize("to,options", OUTPUTS, ids=lambda o: str(o))
def test_every_output_of_a_loaded_report_is_byte_identical(to, options, reports):
    for name, report in list(reports.items())[::3]:
        loaded = gongkai.loads(gongkai.dumps(report, "json"))
        assert gongkai.dumps(loaded, to, options=options) == \
            gongkai.dumps(report, to, options=options), name


def test_the_sample_with_every_status_round_trips():
    report = sample_report()
    assert gongkai.loads(gongkai.dumps(report, "json")) == report


def test_convert_from_json_on_the_command_line(tmp_path, capsys):
    source = SEEDS[1]
    assert main(["convert", str(source), "-o", str(tmp_path / "r.json")]) == 0
    for to in ("csv", "markdown", "rdf"):
        assert main(["convert", str(source), "--to", to, "-o", str(tmp_path / f"a.{to}")]) == 0
        assert main(["convert", str(tmp_path / "r.json"), "--from", "json", "--to", to,
                     "-o", str(tmp_path / f"b.{to}")]) == 0
        assert (tmp_path / f"a.{to}").read_bytes() == (tmp_path / f"b.{to}").read_bytes()


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d.update(schema_version="0.9"), "schema_version is '0.9'"),
    (lambda d: d.pop("schema_version"), "no schema_version"),
    (lambda d: d["metadata"].update(year="2020"), "metadata.year"),
    (lambda d: d["tables"][0]["cells"][0].update(status="fine"), "tables[0].cells[0].status"),
    (lambda d: d["tables"][0]["cells"][0].pop("raw"), "lacks the field 'raw'"),
    (lambda d: d["tables"][0].update(extra=1), "has no field 'extra'"),
    (lambda d: d["tables"][0]["cells"][0].update(line=True), "tables[0].cells[0].line"),
])
def test_a_document_that_is_not_gongkais_json_is_an_input_error(mutate, message, reports):
    data = json.loads(gongkai.dumps(reports[SEEDS[0].name], "json"))
    mutate(data)
    with pytest.raises(gongkai.InputError, match=message.replace("[", r"\[").replace("]",
                                                                                     r"\]")):
        gongkai.loads(json.dumps(data))


def test_bad_json_on_the_command_line_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": ', encoding="utf-8")
    assert main(["convert", str(path), "--from", "json"]) != 0
    err = capsys.readouterr().err
    assert "broken.json" in err and "not JSON" in err and "Traceback" not in err


@fuzz_settings(40)
@given(st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=False,
                                                                   allow_infinity=False,
                                                                   width=64))
def test_numbers_survive_the_round_trip(integer, real):
    import attrs

    report = sample_report()
    table = report.tables[0]
    cells = (attrs.evolve(table.cells[0], value=integer), attrs.evolve(table.cells[1],
                                                                       value=real),
             *table.cells[2:])
    report = attrs.evolve(report, tables=(attrs.evolve(table, cells=cells),
                                          *report.tables[1:]))
    loaded = gongkai.loads(gongkai.dumps(report, "json"))
    assert loaded == report
    assert [type(c.value) for c in loaded.tables[0].cells] == \
        [type(c.value) for c in report.tables[0].cells]
