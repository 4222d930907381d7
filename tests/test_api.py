"""Using gongkai from a script: gongkai.convert(path_or_text) returns the model."""

from __future__ import annotations

import attrs
import pytest

import gongkai
from gongkai.engine.manager import Engine

from conftest import seed_path


def test_convert_path_text_and_pathlike_agree():
    path = seed_path("002")
    by_path = gongkai.convert(str(path))
    by_pathlike = gongkai.convert(path)
    by_text = gongkai.convert(path.read_text(encoding="utf-8"))
    assert by_path.tables == by_pathlike.tables == by_text.tables
    assert by_path.metadata.report_id == "002_8a64ee2755e5799d"
    assert by_text.metadata.report_id.startswith("sha1-")


def test_report_is_frozen_and_navigable():
    report = gongkai.convert(seed_path("004"))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.metadata = None  # type: ignore[misc]
    cell = report.cell("proactive", "licensing", "change")
    assert isinstance(cell, gongkai.Cell) and cell.ref == gongkai.CellRef(
        "proactive", "licensing", "change")
    assert report.table("requests").value("new", "total") == 0
    with pytest.raises(gongkai.UnknownCodeError, match="nonexistent"):
        report.table("nonexistent")


def test_dumps_and_write(tmp_path):
    report = gongkai.convert(seed_path("000"))
    csv_text = gongkai.dumps(report, "csv")
    assert csv_text.count("\n") == 199
    with pytest.raises(gongkai.UsageError, match="unknown output format"):
        gongkai.dumps(report, "nope")
    with pytest.raises(gongkai.UsageError, match="has no option"):
        gongkai.dumps(report, "csv", options={"bogus": "1"})


def test_errors_are_one_family(tmp_path):
    with pytest.raises(gongkai.InputError) as info:
        gongkai.convert_file(tmp_path / "missing.txt")
    assert isinstance(info.value, gongkai.GongkaiError)
    assert info.value.format() == f"{tmp_path / 'missing.txt'}: no such file"
    with pytest.raises(gongkai.NotAReportError):
        gongkai.convert_text("只是一段普通的文字。\n第二段。\n")


def test_an_engine_without_entry_points_has_no_builtins():
    engine = Engine(autoload=False)
    assert engine.readers() == [] and engine.writers() == []
    with pytest.raises(gongkai.InputError):
        gongkai.convert_text("一、总体情况\n", engine=engine)
