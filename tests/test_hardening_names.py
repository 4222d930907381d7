"""File names are any bytes (issue 21): outputs stay valid UTF-8, messages one escaped line,
output names free of bidi controls."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from gongkai.batch import runner as batch
from gongkai.display import printable, unicode_text
from gongkai.errors import InputError

from conftest import seed_path

SEED = seed_path("000")
BAD = os.fsdecode(b"bad\xff.txt")  # not UTF-8: a lone surrogate in Python


def _gongkai(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=cwd,
                          capture_output=True, timeout=300)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names must be UTF-8")
@pytest.mark.parametrize("fmt", ["json", "rdf", "csv", "markdown"])
def test_a_name_that_is_not_utf8_gives_valid_output(tmp_path, fmt):
    shutil.copyfile(SEED, os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"))
    done = _gongkai("convert", BAD, "--to", fmt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # strict: valid UTF-8
    if fmt == "json":
        assert json.loads(text)["metadata"]["report_id"] == "bad\ufffd"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names must be UTF-8")
def test_a_batch_of_such_names_converts_and_errors_stay_short(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(SEED, os.path.join(os.fsencode(corpus), b"bad\xff.txt"))
    (corpus / "empty.txt").write_bytes(b"")
    done = _gongkai("convert", "corpus", "-o", "out", "--to", "csv", "-q", cwd=tmp_path)
    assert done.returncode == 1  # the empty one
    err = done.stderr.decode("utf-8")
    assert all(len(line) < 500 for line in err.splitlines()), err[:3000]
    results = list(batch.convert_many([corpus], outdir=tmp_path / "out2", to="csv", jobs=1))
    assert [r.ok for r in results] == [True, False]


@pytest.mark.parametrize("name,shown", [
    ("a\nb.txt", "a\\nb.txt"),
    ("\x1b[31mred.txt", "\\x1b[31mred.txt"),
    ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),
    (BAD, "bad\\xff.txt"),
])
def test_an_error_about_any_name_is_one_escaped_line(name, shown):
    message = InputError("the input is empty", path=name).format()
    assert message == f"{shown}: the input is empty"
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message


def test_the_cli_prints_an_odd_name_escaped(tmp_path):
    (tmp_path / "a\nb.txt").write_bytes(b"")
    done = _gongkai("convert", "a\nb.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == "a\\nb.txt: the input is empty\n"


def test_bidi_controls_are_not_kept_in_output_names(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(SEED, corpus / "invoice\u202etxt.exe.txt")
    (result,) = batch.convert_many([corpus], outdir=tmp_path / "out", jobs=1)
    assert result.ok and "\u202e" not in result.output
    assert os.path.basename(result.output) == "invoice_txt.exe.json"


def test_long_messages_are_cut():
    assert len(printable("x" * 100_000)) <= 2001
    assert unicode_text("ok") == "ok" and unicode_text("a\udcffb\ud800") == "a\ufffdb\ufffd"
