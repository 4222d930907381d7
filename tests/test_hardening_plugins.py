"""A third-party plugin's exception is reported with the plugin's name, and costs only the inputs
it touches: the other inputs of a batch convert.

The plugins are fixtures in tests/plugins/broken_*.py, each breaking only inputs it is
triggered by (a file extension, a word in the text), as a real plugin's bug would.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.engine.manager import Engine
from gongkai.errors import PluginError
from gongkai.model import Report, Severity
from gongkai.pipeline import convert_file, dumps

from conftest import TESTS, seed_path

PLUGINS = TESTS / "plugins"
SEED = seed_path("000")


@pytest.fixture
def plugins(monkeypatch):
    """The broken plugin modules, importable by name (as ``-p broken_reader`` needs)."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    return {name: importlib.import_module(name)
            for name in ("broken_reader", "broken_normalizer", "broken_writer", "broken_rule")}


@pytest.fixture
def engine(plugins) -> Engine:
    # Only the built-in plugins and these: no other installed third-party plugin interferes.
    return Engine(plugins.values(), autoload=True, allow=_builtin_names(), strict=True)


def _builtin_names() -> list[str]:
    from importlib import metadata

    return [ep.name for ep in metadata.entry_points(group="gongkai")
            if ep.value.startswith("gongkai.plugins.")]


def _copy(tmp_path: Path, name: str, text: str | None = None) -> Path:
    path = tmp_path / name
    if text is None:
        shutil.copyfile(SEED, path)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- each kind of plugin, one input -------------------------------------------------------------


@pytest.mark.parametrize("name,says", [
    ("report.boom", "reader 'broken' of plugin 'broken_reader' failed: RuntimeError"),
    ("report.notsource", "reader 'broken' of plugin 'broken_reader' returned dict"),
    ("report.sniffboom", "reader 'broken' of plugin 'broken_reader' failed to sniff"),
])
def test_a_reader_that_fails_is_named(engine, tmp_path, name, says):
    path = _copy(tmp_path, name)
    with pytest.raises(PluginError) as info:
        convert_file(path, engine=engine)
    assert info.value.plugin == "broken_reader"
    assert says in info.value.message
    assert info.value.format().startswith(f"{path}: ")


@pytest.mark.parametrize("word,says", [
    ("BOOM", "failed: ValueError('normalizer exploded')"),
    ("CUT", "changed the lines or '|' separators"),
])
def test_a_normalizer_that_fails_is_named(engine, tmp_path, word, says):
    path = _copy(tmp_path, "report.txt", SEED.read_text("utf-8") + f"\n{word}\n")
    with pytest.raises(PluginError) as info:
        convert_file(path, engine=engine)
    assert info.value.plugin == "broken_normalizer"
    assert "normalizer 'broken-normalizer' of plugin 'broken_normalizer'" in info.value.message
    assert says in info.value.message


@pytest.mark.parametrize("fmt", ["explode", "disk-full"])
def test_a_writer_that_fails_is_named_or_reported_as_the_disk(engine, fmt):
    report = convert_file(SEED, engine=engine)
    if fmt == "explode":
        with pytest.raises(PluginError) as info:
            dumps(report, fmt, engine=engine)
        assert info.value.plugin == "broken_writer"
        assert "writer 'explode' of plugin 'broken_writer' failed: KeyError" in info.value.message
    else:  # a full disk is the disk's fault, not the plugin's: it stays an OSError here
        with pytest.raises(OSError):
            dumps(report, fmt, engine=engine)


def test_a_rule_that_fails_is_a_diagnostic_naming_it_and_the_report_converts(engine):
    report = convert_file(SEED, engine=engine)
    assert isinstance(report, Report)
    failed = [d for d in report.diagnostics if d.code == "rule-failed"]
    assert len(failed) == 1
    assert failed[0].plugin == "broken_rule" and failed[0].severity is Severity.ERROR
    assert "rule 'broken.always' of plugin 'broken_rule' failed: ZeroDivisionError" in (
        failed[0].message)
    # Everything else is as without the broken rule: cells, and the other rules' findings.
    plain = gongkai.convert(SEED)
    assert list(report.cells()) == list(plain.cells())
    assert [d for d in report.diagnostics if d.code != "rule-failed"] == list(plain.diagnostics)


def test_the_cli_prints_the_plugin_error_in_one_line(plugins, tmp_path, capsys):
    path = _copy(tmp_path, "report.boom")
    assert main(["convert", str(path), "-p", "broken_reader"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: reader 'broken' of plugin 'broken_reader' failed")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_cli_leaves_no_output_when_a_writer_plugin_fails(plugins, tmp_path, capsys):
    out = tmp_path / "out.txt"
    out.write_text("previous", encoding="utf-8")
    for fmt, says in (("explode", "plugin 'broken_writer'"), ("disk-full", "the disk is full")):
        assert main(["convert", str(SEED), "-p", "broken_writer", "--to", fmt,
                     "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(str(out) if fmt == "disk-full" else "") and says in err, err
        assert out.read_text(encoding="utf-8") == "previous"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


# -- a batch: the broken inputs fail, the others convert ----------------------------------------


def _corpus(tmp_path: Path) -> tuple[Path, dict[str, bool]]:
    """Inputs, and whether each should convert."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SEED.read_text("utf-8")
    expected = {
        "a-good.txt": True,
        "b-reader.boom": False,
        "c-normalizer.txt": False,
        "d-good.txt": True,
        "e-contract.txt": False,
        "f-sniff.sniffboom": False,
        "g-good.txt": True,
    }
    for name in expected:
        body = text
        if name.startswith("c-"):
            body += "\nBOOM\n"
        elif name.startswith("e-"):
            body += "\nCUT\n"
        (corpus / name).write_text(body, encoding="utf-8")
    return corpus, expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_survives_broken_plugins(engine, tmp_path, jobs):
    batch = importlib.import_module("gongkai.batch.runner")
    corpus, expected = _corpus(tmp_path)
    out = tmp_path / "out"
    results = list(batch.convert_many(
        [corpus], outdir=out, engine=engine, jobs=jobs,
        plugins=["broken_reader", "broken_normalizer", "broken_writer", "broken_rule"]))
    by_name = {Path(r.path).name: r for r in results}
    assert sorted(by_name) == sorted(expected)
    for name, ok in expected.items():
        result = by_name[name]
        assert result.ok is ok, (name, result.error)
        if ok:
            assert Path(result.output).is_file()
            assert any(d.code == "rule-failed" and d.plugin == "broken_rule"
                       for d in result.report.diagnostics)
        else:
            assert isinstance(result.error, PluginError), (name, result.error)
            assert result.error.plugin in ("broken_reader", "broken_normalizer")
            assert result.error.plugin in result.error.message
            assert result.error.format().startswith(str(corpus / name))
    # (less the resume record, gongkai.batch.resume)
    written = sorted(p.name for p in out.iterdir() if p.name != ".gongkai-manifest.jsonl")
    assert written == ["a-good.json", "d-good.json", "g-good.json"]


def test_the_batch_cli_lists_the_plugin_failures_and_writes_the_rest(plugins, tmp_path, capsys):
    importlib.import_module("gongkai.batch.runner")
    corpus, expected = _corpus(tmp_path)
    out = tmp_path / "out"
    code = main(["convert", str(corpus), "-o", str(out), "-q", "-j", "1",
                 "-p", "broken_reader", "-p", "broken_normalizer"])
    err = capsys.readouterr().err
    assert code == 1  # some failed, the others converted
    assert "Traceback" not in err
    for name, ok in expected.items():
        assert (name in err) is not ok, (name, err)
    assert "plugin 'broken_reader'" in err and "plugin 'broken_normalizer'" in err
    written = [p for p in out.iterdir() if p.name != ".gongkai-manifest.jsonl"]
    assert len(written) == sum(expected.values())


def test_gongkai_convert_uses_no_broken_plugin_unless_asked(tmp_path):
    # The fixtures are not installed: a plain conversion never meets them.
    assert isinstance(gongkai.convert(SEED), Report)
