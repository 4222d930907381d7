"""User mistakes and damaged inputs that used to end in a traceback or a lost report (issue 21)."""

from __future__ import annotations

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.errors import InputError

from conftest import seed_path

SEED = seed_path("000")


def _with_bad_byte() -> bytes:
    data = SEED.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1  # at a line start: one character lost
    return data[:cut] + b"\xff" + data[cut:]


def test_one_bad_byte_costs_one_character_not_the_report():
    """One bad byte in an 8.6 KB UTF-8 report made it undecodable."""
    data = _with_bad_byte()
    good = gongkai.convert_bytes(SEED.read_bytes(), filename="r.txt")
    for encoding in (None, "utf-8"):
        report = gongkai.convert_bytes(data, filename="r.txt", encoding=encoding)
        assert report.metadata.encoding == "utf-8"
        (found,) = [d for d in report.diagnostics if d.code == "undecodable-bytes"]
        assert "1 character of the input could not be decoded" in found.message
        line = data[: data.index(b"\xff")].count(b"\n") + 1
        assert found.line == line
        assert [c.value for c in report.cells()] == [c.value for c in good.cells()]


def test_the_cli_converts_it_with_the_warning(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_bytes(_with_bad_byte())
    assert main(["convert", str(path), "--encoding", "utf-8", "--to", "json"]) == 0
    assert "undecodable-bytes" in capsys.readouterr().out


def test_the_wrong_encoding_is_still_refused():
    gbk = SEED.read_text("utf-8").encode("gb18030")
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        gongkai.convert_bytes(gbk, encoding="utf-8")


def test_a_lone_surrogate_is_an_input_error():
    with pytest.raises(InputError, match="lone surrogate U\\+D800"):
        gongkai.convert_text("一、概述\n\ud800\n")


@pytest.mark.parametrize("where", ["file/sub", "/proc/gongkai-no-such/out"])
def test_an_output_directory_that_cannot_be_made_is_one_line(tmp_path, capsys, where):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = where if where.startswith("/") else str(tmp_path / where)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r.txt").write_bytes(SEED.read_bytes())
    assert main(["convert", str(corpus), "-o", out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "output directory" in err
