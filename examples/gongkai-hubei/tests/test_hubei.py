"""Tests of the gongkai-hubei plugin, written with gongkai's pytest helpers (gongkai.testing).

The fixtures come with gongkai itself (a pytest plugin registered under ``pytest11``):
``gongkai_convert`` converts with gongkai's built-in plugins plus the ones named, and nothing
else installed; ``gongkai_cli`` runs the ``gongkai`` command; ``assert_golden`` compares with a
file in tests/golden (regenerate with ``GONGKAI_UPDATE_GOLDEN=1 pytest`` and review the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import gongkai
import pytest

import gongkai_hubei
from gongkai_hubei import wuhan

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
WUHAN = DATA / "wuhan-eeb-2020.traditional.excerpt.txt"
HEADINGS = DATA / "headings.constructed.txt"

# "hubei" is the plugin's entry-point name: it is loaded as installed.
PLUGIN = ["hubei"]


# -- installed and listed ----------------------------------------------------------------------


def test_the_plugin_is_installed_and_listed(gongkai_cli):
    result = gongkai_cli("plugins", "--json")
    assert result.exit_code == 0, result.stderr
    (hubei,) = [p for p in json.loads(result.stdout)["plugins"] if p["name"] == "hubei"]
    assert (hubei["distribution"], hubei["version"]) == ("gongkai-hubei", gongkai_hubei.__version__)
    assert hubei["hooks"] == ["gongkai_add_layouts", "gongkai_add_normalizers",
                              "gongkai_add_writers"]
    contributes = {kind: [d["name"] for d in items] for kind, items in hubei["contributes"].items()}
    assert contributes == {
        "layouts": ["proactive-2019.hubei"],
        "normalizers": ["variant.hubei-headings"],
        "writers": ["tsv-zh"],
    }
    assert result.stderr == ""  # no plugin was skipped


def test_the_plugin_loads_cleanly_in_strict_mode(gongkai_engine_factory):
    engine = gongkai_engine_factory(plugins=PLUGIN)  # strict: a mistake would raise here
    assert engine.registry.get("writers", "tsv-zh").plugin == "hubei"


# -- the Python variant: the Wuhan report ------------------------------------------------------


def test_without_the_plugin_the_extra_row_is_lost(gongkai_convert):
    report = gongkai_convert(WUHAN)
    assert report.table("proactive").cell(wuhan.OTHER_DOCUMENTS, "new_made") is None
    assert "row-unknown" in [d.code for d in report.diagnostics]


def test_the_wuhan_report_extra_row(gongkai_convert):
    report = gongkai_convert(WUHAN, plugins=PLUGIN)
    table = report.table("proactive")
    assert table.layout == "proactive-2019.hubei" and table.plugin == "hubei"
    assert [table.value(wuhan.OTHER_DOCUMENTS, c)
            for c in ("new_made", "new_published", "total_published")] == [186, 86, 255]
    assert table.cell(wuhan.OTHER_DOCUMENTS, "total_published").line == 6
    assert "row-unknown" not in [d.code for d in report.diagnostics]


def test_the_wuhan_report_as_csv(gongkai_convert, assert_golden):
    report = gongkai_convert(WUHAN, plugins=PLUGIN)
    assert_golden(gongkai.dumps(report, "csv"), GOLDEN / "wuhan-eeb-2020.csv")


# -- the TOML variant: headings and footnote marks ---------------------------------------------


def test_older_headings_name_the_standard_sections(gongkai_convert):
    plain = gongkai_convert(HEADINGS)
    assert [s.key for s in plain.sections if s.number] == ["overview", "", "", ""]
    report = gongkai_convert(HEADINGS, plugins=PLUGIN)
    assert [s.key for s in report.sections if s.number] == [
        "overview", "proactive", "requests", "review_litigation"]


def test_footnote_marks_do_not_hide_labels(gongkai_convert):
    table = gongkai_convert(HEADINGS, plugins=PLUGIN).table("proactive")
    cell = table.cell("normative_documents", "total_published")
    assert (cell.value, cell.line) == (12, 8)
    assert table.value("regulations", "new_made") == 0


# -- the writer ----------------------------------------------------------------------------------


def test_tsv_zh_writes_chinese_labels(gongkai_convert):
    report = gongkai_convert(WUHAN, plugins=PLUGIN)
    lines = gongkai.dumps(report, "tsv-zh", engine=_engine()).splitlines()
    assert lines[0] == "表\t行\t列\t数值\t状态"
    assert "主动公开政府信息情况\t规章\t本年新制作数量\t0\tok" in lines
    assert "主动公开政府信息情况\tother_documents\t本年新制作数量\t186\tok" in lines
    assert len(lines) == 1 + len(list(report.cells()))


def _engine():
    from gongkai.testing import make_engine

    return make_engine(PLUGIN)


def test_tsv_zh_from_the_command_line(gongkai_cli, tmp_path):
    out = tmp_path / "wuhan.tsv"
    result = gongkai_cli("convert", WUHAN, "--to", "tsv-zh", "-O", "header=false", "-o", out)
    assert result.exit_code == 0, result.stderr
    first = out.read_text("utf-8").splitlines()[0]
    assert first == "主动公开政府信息情况\t规章\t本年新制作数量\t0\tok"


def test_tsv_zh_rejects_unknown_options(gongkai_convert):
    report = gongkai_convert(WUHAN, plugins=PLUGIN)
    with pytest.raises(gongkai.UsageError, match="has no option 'heading'"):
        gongkai.dumps(report, "tsv-zh", options={"heading": "false"}, engine=_engine())
