"""Nothing one input or plugin does stops a run (issue 21): a time limit per input, non-regular
files skipped, any exception out of a plugin named. Plugins: tests/plugins/hostile_plugin.py."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.batch import runner as batch
from gongkai.cli.main import main
from gongkai.engine import guard
from gongkai.engine.manager import Engine
from gongkai.errors import InputError, PluginError
from gongkai.pipeline import convert_file

from conftest import TESTS, seed_path

SEED = seed_path("000")
PLUGIN = "hostile_plugin"


@pytest.fixture
def hostile(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS / "plugins"))
    return importlib.import_module(PLUGIN)


@pytest.fixture
def engine(hostile) -> Engine:
    from importlib import metadata

    builtin = [ep.name for ep in metadata.entry_points(group="gongkai")
               if ep.value.startswith("gongkai.plugins.")]
    return Engine([hostile], autoload=True, allow=builtin, strict=True)


def _corpus(tmp_path: Path, names) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copyfile(SEED, corpus / name)
    return corpus


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stuck_or_exiting_plugin_costs_only_its_input(engine, tmp_path, jobs):
    corpus = _corpus(tmp_path, ["a.txt", "b.hang", "c.sleep", "d.exit", "e.base", "f.txt"])
    results = {Path(r.path).name: r for r in batch.convert_many(
        [corpus], outdir=tmp_path / "out", engine=engine, jobs=jobs, plugins=[PLUGIN],
        timeout=1)}
    assert results["a.txt"].status == results["f.txt"].status == "converted"
    for name in ("b.hang", "c.sleep"):
        error = results[name].error
        assert isinstance(error, PluginError) and error.plugin == PLUGIN, error
        assert "stopped after 1 s: plugin 'hostile_plugin' was still running" in error.message
        assert error.format().startswith(str(corpus / name) + ": ")
    for name, what in (("d.exit", "SystemExit(3)"), ("e.base", "Escape('out of here')")):
        error = results[name].error
        assert isinstance(error, PluginError) and error.plugin == PLUGIN, (name, error)
        assert f"reader 'hostile' of plugin 'hostile_plugin' failed: {what}" in error.message
    assert sorted(p.name for p in (tmp_path / "out").iterdir()
                  if not p.name.startswith(".")) == ["a.json", "f.json"]


def test_code_the_alarm_cannot_stop_is_killed(engine, tmp_path, monkeypatch):
    """A worker that never comes back to Python is killed by the parent: its input fails."""
    monkeypatch.setattr(batch, "GRACE_SECONDS", 0.5)
    corpus = _corpus(tmp_path, ["a.txt", "b.deaf", "c.txt"])
    results = {Path(r.path).name: r for r in batch.convert_many(
        [corpus], engine=engine, jobs=2, plugins=[PLUGIN], timeout=1)}
    assert results["a.txt"].ok and results["c.txt"].ok
    assert not results["b.deaf"].ok
    assert "stopped after 1 s" in results["b.deaf"].error.message
    assert "worker process was killed" in results["b.deaf"].error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fifo_in_the_corpus_is_skipped_with_a_reason(tmp_path, jobs):
    corpus = _corpus(tmp_path, ["a.txt"])
    os.mkfifo(corpus / "b.txt")  # nobody writes to it: opening it for reading would block
    results = list(batch.convert_many([corpus], jobs=jobs, timeout=30))
    assert [r.status for r in results] == ["converted", "skipped"]
    assert results[1].ok and "skipped: a FIFO, not a regular file" in results[1].error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_the_batch_cli_lists_skipped_fifos_and_succeeds(tmp_path, capsys):
    corpus = _corpus(tmp_path, ["a.txt"])
    os.mkfifo(corpus / "b.txt")
    assert main(["convert", str(corpus), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"{corpus / 'b.txt'}: skipped: a FIFO" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_single_fifo_without_a_writer_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "r.txt")
    with pytest.raises(InputError, match="empty"):
        convert_file(tmp_path / "r.txt")


@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution")
def test_a_pipe_with_a_writer_is_read(tmp_path):
    """`gongkai convert <(curl ...)`: the pipe has its writer, and is read to its end."""
    gongkai = Path(sys.executable).with_name("gongkai")
    done = subprocess.run(["bash", "-c", f"'{gongkai}' convert --to csv <(cat '{SEED}')"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") > 50


@pytest.mark.parametrize("name,says", [
    ("r.exit", "reader 'hostile' of plugin 'hostile_plugin' failed: SystemExit(3)"),
    ("r.base", "reader 'hostile' of plugin 'hostile_plugin' failed: Escape"),
    ("r.sleep", "stopped after 1 s: plugin 'hostile_plugin' was still running"),
])
def test_a_single_convert_names_the_plugin_in_one_line(hostile, tmp_path, capsys, name, says):
    path = tmp_path / name
    shutil.copyfile(SEED, path)
    assert main(["convert", str(path), "-p", PLUGIN, "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: ") and says in err, err
    assert err.count("\n") == 1


def test_a_writer_closing_its_stream_is_named_and_leaves_nothing(hostile, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["convert", str(SEED), "-p", PLUGIN, "--to", "close-stream",
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "writer 'close-stream' of plugin 'hostile_plugin' closed its output stream" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_time_limit_leaves_no_alarm_behind():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    assert guard.time_limited(5, lambda: 42) == 42
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert guard.current is None


@pytest.mark.parametrize("value", ["-1", "nan", "x"])
def test_a_wrong_timeout_is_a_usage_error(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["convert", str(SEED), "--timeout", value])
    assert info.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_check_stops_a_hung_input_and_refuses_a_large_one(hostile, tmp_path, capsys,
                                                          monkeypatch):
    """`gongkai check` has the same limits as convert: --timeout and --max-bytes, for files
    and for standard input."""
    import time

    from gongkai.cli.commands import check

    path = tmp_path / "r.sleep"
    shutil.copyfile(SEED, path)
    assert main(["check", str(path), "-p", PLUGIN, "--timeout", "1"]) == 2
    assert "stopped after 1 s: plugin 'hostile_plugin' was still running" in (
        capsys.readouterr().err)
    assert main(["check", str(SEED), "--max-bytes", "1K"]) == 2
    assert "more than the limit of 1024 bytes" in capsys.readouterr().err
    monkeypatch.setattr(check, "convert_stdin", lambda **options: time.sleep(10**6))
    assert main(["check", "-", "--timeout", "1"]) == 2
    assert "<stdin>: " in capsys.readouterr().err
