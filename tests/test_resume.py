"""Resume keyed on what made an output (issue 21): the input's bytes, the options, the variant
and the plugins; a damaged output redone; what killed runs left removed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.batch.resume import MANIFEST
from gongkai.cli.main import main
from gongkai.outputs.atomic import remove_stale_temporaries

from conftest import SEEDS, TESTS, seed_path


@pytest.fixture
def corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, seed in enumerate(SEEDS[:3]):
        shutil.copyfile(seed, corpus / f"r{i}.txt")
    return corpus


def _run(capsys, *args) -> str:
    assert main(["convert", *map(str, args), "-j", "1"]) in (0, 1)
    return capsys.readouterr().err


def test_other_writer_options_are_not_up_to_date(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert "3 converted" in _run(capsys, corpus, "-o", out, "--to", "csv")
    assert "3 up to date" in _run(capsys, corpus, "-o", out, "--to", "csv")
    err = _run(capsys, corpus, "-o", out, "--to", "csv", "-O", "wide=true")
    assert "3 converted" in err and "up to date" not in err
    assert "代码" in (out / "r0.csv").read_text("utf-8")  # the wide form now
    assert "3 up to date" in _run(capsys, corpus, "-o", out, "--to", "csv", "-O", "wide=true")


def test_another_variant_is_not_up_to_date(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    variant = tmp_path / "v.toml"
    variant.write_text('[variant]\nname = "v"\n[annotations]\nignore = ["※"]\n', "utf-8")
    _run(capsys, corpus, "-o", out)
    assert "3 converted" in _run(capsys, "--variant", variant, corpus, "-o", out)
    assert "3 up to date" in _run(capsys, "--variant", variant, corpus, "-o", out)
    # The same file name with other content is another variant.
    variant.write_text('[variant]\nname = "v"\n[annotations]\nignore = ["◆"]\n', "utf-8")
    assert "3 converted" in _run(capsys, "--variant", variant, corpus, "-o", out)


def test_an_edited_input_with_an_older_mtime_is_converted_again(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    _run(capsys, corpus, "-o", out)
    edited = corpus / "r1.txt"
    before = edited.stat()
    edited.write_bytes(edited.read_bytes().replace("一、".encode(), "一、 ".encode(), 1))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns - 10**12))
    err = _run(capsys, corpus, "-o", out)
    assert "1 converted" in err and "2 up to date" in err


def test_a_truncated_output_is_redone_and_feeds_a_whole_dataset(corpus, tmp_path, capsys):
    out, fresh, resumed = tmp_path / "out", tmp_path / "fresh.csv", tmp_path / "resumed.csv"
    _run(capsys, corpus, "-o", out, "--to", "csv", "--dataset", fresh)
    damaged = out / "r2.csv"
    text = damaged.read_text("utf-8")
    damaged.write_text(text[: len(text) // 3], "utf-8")  # a full disk, a kill -9 of an editor
    err = _run(capsys, corpus, "-o", out, "--to", "csv", "--dataset", resumed)
    assert "1 converted" in err and "2 up to date" in err
    assert damaged.read_text("utf-8") == text
    assert resumed.read_bytes() == fresh.read_bytes()


def test_stale_temporaries_of_dead_processes_are_removed(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / "sub" / f".gongkai-{dead.pid}-abcd1234.tmp"
    stale.write_bytes(b"x" * 1000)
    alive = out / f".gongkai-{os.getppid()}-efgh5678.tmp"  # a live process: another run
    alive.write_bytes(b"y")
    old = out / ".gongkai-zz9x8y7w.tmp"  # an older version's name, a day old
    old.write_bytes(b"z")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    _run(capsys, corpus, "-o", out)
    assert not stale.exists() and not old.exists()
    assert alive.exists()
    assert remove_stale_temporaries(out) == []


def test_the_manifest_survives_garbage_and_is_compacted(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    _run(capsys, corpus, "-o", out)
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text("utf-8") + '{"cut off\n[1]\n', "utf-8")
    assert "3 up to date" in _run(capsys, corpus, "-o", out)
    lines = manifest.read_text("utf-8").splitlines()
    assert len(lines) == 3 and all(json.loads(line)["output"] for line in lines)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_killed_run_keeps_what_it_finished(tmp_path):
    """SIGKILL half way: finished outputs are recorded, the next run does only the rest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.sleep"):
        shutil.copyfile(seed_path("000"), corpus / name)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(TESTS / "plugins")}
    command = [sys.executable, "-m", "gongkai", "convert", str(corpus), "-o", str(out),
               "-j", "1", "-q", "-p", "hostile_plugin"]
    run = subprocess.Popen([*command, "--timeout", "600"], env=env,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):  # until a and b are written and the sleeper is running
            manifest = out / MANIFEST
            if manifest.exists() and manifest.read_text("utf-8").count("\n") >= 2:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the batch did not get to its third input")
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "a.json", "b.json"]
    done = subprocess.run([*command, "--timeout", "1"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1  # the sleeper fails, named
    assert "0 converted" in done.stderr and "2 up to date" in done.stderr, done.stderr
    assert "plugin 'hostile_plugin' was still running" in done.stderr


def test_an_outputs_manifest_name_is_its_path_relative_to_the_directory():
    """The manifest names an output by what follows the output directory in its path (a
    shortcut taken when that is already a normal path), exactly as os.path.relpath would."""
    import random

    from gongkai.batch.resume import Manifest

    rng = random.Random(20)
    parts = ["a", "b", ".", "..", "", "x.json", "中文.json", "c d"]
    for _ in range(3000):
        outdir = rng.choice(["out", "out/", "./out", "/tmp/out", "out/sub", "."])
        tail = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        output = os.path.join(outdir, tail) if rng.random() < 0.9 else tail
        if not output:
            continue
        manifest = Manifest(os.path.join("/nonexistent", "gongkai-test"))
        manifest.outdir, manifest._prefix = outdir, os.path.join(outdir, "")
        assert manifest._name(output) == os.path.relpath(output, outdir), (outdir, output)
