"""Text in UTF-16 or UTF-32 (Windows Notepad's "Unicode"): read like its UTF-8, by its BOM or
by ``--encoding``; the report's sha256 stays that of the bytes given."""

from __future__ import annotations

import hashlib

import pytest

import gongkai
from gongkai.cli.main import main

from conftest import seed_path


def _cells(report) -> list[tuple]:
    return [(c.table, c.row, c.column, c.value, c.raw, c.status, c.line)
            for t in report.tables for c in t.cells]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_wide_encoding_with_its_bom_reads_like_utf8(encoding):
    text = seed_path("000").read_text("utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    report = gongkai.convert_bytes(data, filename="r.txt")
    plain = gongkai.convert_bytes(text.encode("utf-8"), filename="r.txt")
    assert _cells(report) == _cells(plain)
    assert report.metadata.encoding.startswith(encoding[:6])
    assert report.metadata.sha256 == hashlib.sha256(data).hexdigest()


def test_encoding_names_utf16_without_a_bom(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_bytes(seed_path("000").read_text("utf-8").encode("utf-16-le"))
    assert main(["convert", str(path), "--to", "csv"]) == 2  # unmarked: nobody can tell
    assert "binary" in capsys.readouterr().err
    assert main(["convert", str(path), "--to", "csv", "--encoding", "utf-16-le"]) == 0
    assert "proactive,regulations" in capsys.readouterr().out


def test_broken_utf16_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_bytes(b"\xff\xfe" + "一、总体情况\n".encode("utf-16-le") + b"\x00\xd8")
    assert main(["convert", str(path), "--to", "csv"]) == 2
    assert "cannot decode as utf-16" in capsys.readouterr().err
