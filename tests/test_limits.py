"""Limits: the input size limit, and inputs that are not reports told apart from broken ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.errors import InputError, NotAReportError, UsageError
from gongkai.model import Report
from gongkai.pipeline import DEFAULT_MAX_BYTES, convert_bytes, convert_file, convert_text

from conftest import FIXTURES, seed_path

HOSTILE = FIXTURES / "hostile"
SEED = seed_path("000")


# -- the size limit ----------------------------------------------------------------------------


def test_default_limit_is_generous_and_documented():
    assert DEFAULT_MAX_BYTES == 64 * 2**20
    assert SEED.stat().st_size < DEFAULT_MAX_BYTES


@pytest.mark.parametrize("convert", [
    lambda limit: convert_file(SEED, max_bytes=limit),
    lambda limit: convert_bytes(SEED.read_bytes(), max_bytes=limit),
    lambda limit: convert_text(SEED.read_text("utf-8"), max_bytes=limit),
    lambda limit: gongkai.convert(SEED, max_bytes=limit),
    lambda limit: gongkai.convert(SEED.read_text("utf-8"), max_bytes=limit),
], ids=["file", "bytes", "text", "convert-path", "convert-text"])
def test_an_input_over_the_limit_is_refused_with_a_clear_error(convert):
    size = SEED.stat().st_size
    with pytest.raises(InputError) as info:
        convert(size - 1)
    assert not isinstance(info.value, NotAReportError)
    assert f"more than the limit of {size - 1} bytes" in info.value.message
    assert "--max-bytes" in info.value.message
    assert isinstance(convert(size), Report)  # the limit itself is allowed


def test_the_error_names_the_file():
    with pytest.raises(InputError) as info:
        convert_file(SEED, max_bytes=100)
    assert info.value.format().startswith(f"{SEED}: the input is {SEED.stat().st_size} bytes")


@pytest.mark.parametrize("bad", [0, -1, 1.5, "10", True, None])
def test_a_nonsense_limit_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="max_bytes must be a positive number"):
        convert_bytes(b"x", max_bytes=bad)
    with pytest.raises(UsageError):
        convert_file(SEED, max_bytes=bad)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_input_is_read_only_up_to_the_limit():
    # /dev/zero has size 0: a check of the size alone would read it forever.
    with pytest.raises(InputError, match="more than the limit of 4096 bytes"):
        convert_file("/dev/zero", max_bytes=4096)


def test_a_file_growing_while_read_is_cut_at_the_limit(tmp_path, monkeypatch):
    """The size is checked before reading, but what is read is bounded too."""
    path = tmp_path / "growing.txt"
    path.write_bytes(SEED.read_bytes())
    real_fstat = os.fstat

    def stale_fstat(fd):  # the file was small when asked, and has grown since
        result = real_fstat(fd)
        return os.stat_result((*result[:6], 10, *result[7:]))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    with pytest.raises(InputError) as info:
        convert_file(path, max_bytes=1000)
    # Stopped while reading (so its size is unknown), not after reading the whole file.
    assert info.value.message.startswith("the input is more than the limit of 1000 bytes")


def test_cli_max_bytes(tmp_path, capsys):
    assert main(["convert", str(SEED), "--max-bytes", "1K"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{SEED}: the input is ") and "limit of 1024 bytes" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["convert", str(SEED), "--max-bytes", "1M", "--to", "csv"]) == 0
    assert capsys.readouterr().out.startswith("report_id,")
    assert main(["convert", str(SEED), "--max-bytes", str(SEED.stat().st_size)]) == 0


def test_cli_max_bytes_applies_to_every_report_of_a_batch(tmp_path, capsys):
    pytest.importorskip("gongkai.batch.runner", reason="batch conversion (core/batch/runner.py)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_bytes(SEED.read_bytes())
    (corpus / "large.txt").write_bytes(SEED.read_bytes() * 3)
    out = tmp_path / "out"
    limit = str(SEED.stat().st_size * 2)
    assert main(["convert", str(corpus), "-o", str(out), "-q", "-j", "1",
                 "--max-bytes", limit]) == 1
    err = capsys.readouterr().err
    assert "large.txt: the input is" in err and f"limit of {limit} bytes" in err
    assert [p.name for p in out.iterdir() if p.name != ".gongkai-manifest.jsonl"] == ["small.json"]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1T", ""])
def test_cli_rejects_a_nonsense_max_bytes(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["convert", str(SEED), "--max-bytes", value])
    assert info.value.code == 2
    assert "--max-bytes" in capsys.readouterr().err


def test_cli_max_bytes_suffixes():
    from gongkai.cli.commands.convert import byte_count

    assert byte_count("100") == 100
    assert byte_count("2k") == 2048
    assert byte_count("3M") == 3 * 2**20
    assert byte_count(" 1G ") == 2**30


# -- not a report, or a broken report ----------------------------------------------------------


@pytest.mark.parametrize("name,message", [
    ("news-article.txt", "not a government information disclosure annual report"),
    ("web-page.html", "not a government information disclosure annual report"),
    ("empty.txt", "the input is empty"),
    ("blank-lines.txt", "the input is empty"),
    ("image.png", "binary file"),
    ("archive.zip", "binary file"),
])
def test_inputs_that_are_not_reports_are_not_a_report_errors(name, message):
    path = HOSTILE / name
    with pytest.raises(NotAReportError) as info:
        gongkai.convert(path)
    assert message in info.value.message
    assert info.value.format().startswith(str(path))


def test_a_news_article_with_numbered_headings_is_still_not_a_report():
    text = (HOSTILE / "news-article.txt").read_text("utf-8")
    assert "一、" in text and "二、" in text  # headings of its own, none a report's part
    with pytest.raises(NotAReportError):
        convert_text(text)


def test_a_broken_report_converts_with_diagnostics():
    report = gongkai.convert(HOSTILE / "broken-report.txt")
    codes = {d.code for d in report.diagnostics}
    # What is wrong is said, located, and costs only the cells concerned.
    assert {"cell-unparsed", "cells-missing", "table-missing"} <= codes
    assert report.get_table("review_litigation") is None
    with pytest.raises(gongkai.MissingTableError, match="no table 'review_litigation'"):
        report.table("review_litigation")
    licensing = report.cell("proactive", "licensing", "decisions")
    assert licensing is not None and licensing.value == 1024
    unparsed = [c for c in report.cells() if c.status.value == "unparsed"]
    assert [c.raw for c in unparsed] == ["见附件"]
    assert all(d.line > 0 for d in report.diagnostics if d.code == "cell-unparsed")


@pytest.mark.parametrize("name", ["news-article.txt", "image.png", "empty.txt"])
def test_cli_says_not_a_report_in_one_line(name):
    path = HOSTILE / name
    result = subprocess.run([sys.executable, "-m", "gongkai", "convert", str(path)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}: ") and result.stderr.count("\n") == 1


def test_not_a_report_is_an_input_error_for_callers_that_catch_those():
    # NotAReportError refines InputError: code written against InputError keeps working.
    assert issubclass(NotAReportError, InputError)
    with pytest.raises(InputError):
        convert_bytes(b"")


def test_fixture_files_are_what_they_claim():
    assert (HOSTILE / "image.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (HOSTILE / "archive.zip").read_bytes().startswith(b"PK\x03\x04")
    assert (HOSTILE / "empty.txt").read_bytes() == b""
    assert Path(HOSTILE / "blank-lines.txt").read_bytes().strip() == b""
