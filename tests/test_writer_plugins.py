"""Writers from outside the package: a plugin module in tests/plugins, loaded from Python with
``Engine(plugins=[...])`` and from the command line with ``-p``, converts like a built-in one;
and the writer options pass through one mechanism (``-O`` over ``[writers.NAME]``)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.engine.manager import Engine
from gongkai.engine.plugin_types import Writer
from gongkai.pipeline import convert_file

from conftest import SEEDS, TESTS, seed_path

PLUGIN_FILE = TESTS / "plugins" / "tsv_writer.py"


@pytest.fixture(scope="module")
def tsv_module():
    spec = importlib.util.spec_from_file_location("tsv_writer", PLUGIN_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_engine_with_an_outside_writer_converts_with_it(tsv_module):
    engine = Engine(plugins=[tsv_module])
    found = engine.registry.get("writers", "tsv")
    assert found is not None and found.plugin == "tsv_writer"
    report = convert_file(seed_path("000"), engine=engine)
    text = gongkai.dumps(report, "tsv", engine=engine)
    tidy = list(csv.reader(io.StringIO(gongkai.dumps(report, "csv", engine=engine))))
    assert [line.split("\t") for line in text.splitlines()] == tidy
    headless = gongkai.dumps(report, "tsv", engine=engine, options={"header": "false"})
    assert headless.splitlines() == text.splitlines()[1:]


def test_the_default_engine_does_not_know_the_outside_writer(seed_reports):
    with pytest.raises(gongkai.UsageError, match="unknown output format 'tsv'"):
        gongkai.dumps(seed_reports[SEEDS[0].stem], "tsv")


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env)


def test_cli_loads_the_outside_writer_by_module_name(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PLUGIN_FILE.parent)}
    out = tmp_path / "cells.tsv"
    result = run_cli("convert", str(seed_path("001")), "--to", "tsv", "-p", "tsv_writer",
                     "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[0] == "report_id" and len(lines) > 100
    listed = run_cli("formats", "--json", "-p", "tsv_writer", env=env)
    formats = {f["name"]: f for f in json.loads(listed.stdout)["formats"]}
    assert formats["tsv"]["plugin"] == "tsv_writer"
    assert formats["tsv"]["options"] == [
        {"name": "header", "default": "true", "description": "false: no header line"}]


def test_cli_loads_the_outside_writer_from_its_file():
    result = run_cli("convert", str(seed_path("000")), "--to", "tsv", "-p", str(PLUGIN_FILE),
                     "-O", "header=false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(SEEDS[0].stem.split(".")[0] + "\tproactive\t")


# -- `gongkai formats` ---------------------------------------------------------------------


def test_formats_lists_the_four_formats_with_their_options(capsys):
    assert main(["formats", "--json"]) == 0
    formats = {f["name"]: f for f in json.loads(capsys.readouterr().out)["formats"]}
    assert {"json", "csv", "markdown", "rdf"} <= set(formats)
    assert formats["rdf"]["extension"] == ".ttl" and formats["rdf"]["plugin"] == "rdf_writer"
    assert {o["name"] for o in formats["csv"]["options"]} == {"wide", "table", "csvw", "bom"}
    assert {o["name"] for o in formats["rdf"]["options"]} == {"format", "base", "license"}
    assert main(["formats"]) == 0
    text = capsys.readouterr().out
    assert "-O format=turtle" in text and "markdown_writer" in text


def test_every_builtin_writer_documents_its_options():
    engine = Engine()
    for contribution in engine.writers():
        writer: Writer = contribution.item
        for option in writer.options:
            assert option.description, (writer.name, option.name)
    docs = (TESTS.parent / "docs" / "outputs.md").read_text(encoding="utf-8")
    for name in ("json", "csv", "markdown", "rdf"):
        for option in engine.registry.get("writers", name).item.options:
            assert f"`{option.name}`" in docs, (name, option.name)


# -- options: -O over [writers.NAME] --------------------------------------------------------


def test_config_file_options_apply_and_o_overrides_them(tmp_path, capsys):
    config = tmp_path / "gongkai.toml"
    config.write_text('[writers.csv]\nwide = true\ntable = "requests"\n', encoding="utf-8")
    assert main(["convert", str(seed_path("000")), "--to", "csv", "--config", str(config)]) == 0
    wide = capsys.readouterr().out
    assert wide.lstrip("\ufeff").startswith("代码,项目,自然人")
    assert main(["convert", str(seed_path("000")), "--to", "csv", "--config", str(config),
                 "-O", "wide=false"]) == 0
    tidy = capsys.readouterr().out
    assert tidy.startswith("report_id,table,") and ",proactive," not in tidy


def test_config_file_is_found_from_the_current_directory(tmp_path):
    (tmp_path / "gongkai.toml").write_text("[writers.json]\nindent = 0\n", encoding="utf-8")
    result = run_cli("convert", str(seed_path("000").resolve()), "--to", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('{\n"schema_version"')


def test_unknown_option_in_the_config_file_names_the_file(tmp_path, capsys):
    config = tmp_path / "gongkai.toml"
    config.write_text("[writers.rdf]\nserialization = \"nt\"\n", encoding="utf-8")
    assert main(["convert", str(seed_path("000")), "--to", "rdf", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "'serialization'" in err
    assert "(options: base, format, license)" in err


def _writer_plugin(name: str, extension: str):
    """A plugin module whose one writer writes ``name`` and nothing else."""
    import types

    from gongkai.plugin import hookimpl

    module = types.ModuleType(f"gk_{name.replace('-', '_')}")

    def write(report, stream, options):
        stream.write(name + "\n")

    @hookimpl
    def gongkai_add_writers(register):
        register(Writer(name=name, description=name, extension=extension,
                        media_type="text/plain", write=write))

    module.gongkai_add_writers = gongkai_add_writers
    return module


def test_writers_sharing_an_extension_are_chosen_by_to(tmp_path):
    """Two plugin writers with .tsv: --to picks either; without it nobody can tell which, so
    it is an error. A plugin's .json never takes over the built-in JSON writer's."""
    from gongkai.outputs.targets import resolve

    engine = Engine(plugins=[_writer_plugin("tsv-a", ".tsv"), _writer_plugin("tsv-b", ".tsv"),
                             _writer_plugin("compact-json", ".json")])
    assert resolve(engine, "tsv-b", "x.tsv", {}).to == "tsv-b"
    assert resolve(engine, "tsv-a", "x.tsv", {}).to == "tsv-a"
    with pytest.raises(gongkai.UsageError, match="'tsv-a' or 'tsv-b': say which with --to"):
        resolve(engine, None, "x.tsv", {})
    assert resolve(engine, None, "x.json", {}).to == "json"
    assert resolve(engine, "compact-json", "x.json", {}).to == "compact-json"
    with pytest.raises(gongkai.UsageError, match="contradicts the output file"):
        resolve(engine, "csv", "x.tsv", {})


def test_an_extension_fixes_the_rdf_format(tmp_path, capsys):
    """.ttl is Turtle: -O format=json-ld into a .ttl file is refused, and a configured
    format gives way to the file's extension."""
    out = tmp_path / "r.ttl"
    assert main(["convert", str(seed_path("000")), "-o", str(out), "-O", "format=json-ld"]) == 2
    assert "contradicts the output file" in capsys.readouterr().err and not out.exists()
    (tmp_path / "gongkai.toml").write_text('[writers.rdf]\nformat = "json-ld"\n', "utf-8")
    assert main(["convert", str(seed_path("000")), "-o", str(out),
                 "--config", str(tmp_path / "gongkai.toml")]) == 0
    assert out.read_text("utf-8").startswith("@prefix")
