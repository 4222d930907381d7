"""Rules switched off or re-graded in the configuration; a third party's rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_rules import convert, edit, findings

from gongkai.cli.main import main
from gongkai.config import Config, load_config
from gongkai.engine.manager import Engine
from gongkai.errors import ConfigError
from gongkai.model import Severity
from gongkai.pipeline import convert_bytes

PLUGIN = Path(__file__).parent / "plugins" / "example_rules.py"


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.txt"
    path.write_text(edit("002", l99=("2 |", "3 |")), encoding="utf-8")
    return path


def test_gongkai_toml_switches_rules_off(capsys, tmp_path, monkeypatch, broken):
    assert main(["check", str(broken)]) == 1
    (tmp_path / "gongkai.toml").write_text(
        '[rules]\n"requests.column-identity" = "off"\n"requests.row-sum" = "off"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", str(broken)]) == 0
    assert capsys.readouterr().out == ""


def test_pyproject_tool_gongkai_regrades_a_rule(capsys, tmp_path, monkeypatch, broken):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.gongkai.rules]\n"requests.column-identity" = "info"\n'
        '"requests.row-sum" = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--severity", "error", str(broken)]) == 0
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert ": requests.row-sum: " in out and ": requests.column-identity: " not in out
    assert main(["check", "--severity", "info", "--format", "json", str(broken)]) == 1
    assert '"severity": "info"' in capsys.readouterr().out


def test_config_option_names_the_file(capsys, tmp_path, broken):
    config = tmp_path / "strict.toml"
    config.write_text('[rules]\n"requests.row-sum" = "off"\n"requests.column-identity" = '
                      '"warning"\n', encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["convert", str(broken), "--strict", "--config", str(config),
                 "-o", str(out)]) == 0
    assert out.exists()
    assert main(["check", "--config", str(config), "--list-rules"]) == 0
    rows = dict(line.split()[:2] for line in capsys.readouterr().out.splitlines())
    assert rows["requests.row-sum"] == "off" and rows["requests.column-identity"] == "warning"


def test_a_rule_covering_conversion_diagnostics_grades_them_too():
    text = edit("002", l41=("54 |", "|"))  # a blank proactive cell: cell-empty
    (d,) = convert(text).diagnostics
    assert (d.code, d.severity) == ("cell-empty", Severity.WARNING)
    (d,) = convert(text, Config(data={"rules": {"cells.missing": "error"}})).diagnostics
    assert (d.code, d.severity) == ("cell-empty", Severity.ERROR)
    assert convert(text, Config(data={"rules": {"cells.missing": "off"}})).diagnostics == ()


def test_tables_missing_grades_the_interpreters_table_missing():
    text = "".join(edit("002").splitlines(keepends=True)[:307])
    off = Config(data={"rules": {"tables.missing": "off"}})
    assert convert(text).diagnostics[0].code == "table-missing"
    assert convert(text, off).diagnostics == ()


def test_tables_reading_grades_what_the_interpreter_says_of_unclear_text():
    """label-fuzzy, columns-reordered and the others are graded (or silenced) as one rule."""
    from conftest import FIXTURES

    text = (FIXTURES / "blind" / "r11-deqing-finance-2022.txt").read_text("utf-8")
    said = {d.code: d.severity for d in convert(text).diagnostics}
    assert said["columns-reordered"] == Severity.WARNING
    graded = convert(text, Config(data={"rules": {"tables.reading": "error"}})).diagnostics
    assert {d.severity for d in graded if d.code == "columns-reordered"} == {Severity.ERROR}
    quiet = convert(text, Config(data={"rules": {"tables.reading": "off"}})).diagnostics
    assert not [d for d in quiet if d.code == "columns-reordered"]
    # line 90 misspells 2.其他法律行政法规禁止公开
    fuzzy = (FIXTURES / "samples" / "hongze-2023.pdf.txt").read_text("utf-8")
    assert "label-fuzzy" in {d.code for d in convert(fuzzy).diagnostics}
    off = Config(data={"rules": {"tables.reading": "off"}})
    assert "label-fuzzy" not in {d.code for d in convert(fuzzy, off).diagnostics}


def test_a_bad_setting_is_a_config_error(capsys, tmp_path, broken):
    config = tmp_path / "gongkai.toml"
    config.write_text('[rules]\n"requests.row-sum" = "fatal"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be one of off, error, warning, info"):
        convert(edit("002"), load_config(config))
    assert main(["check", "--config", str(config), str(broken)]) == 2
    assert "gongkai.toml: [rules] 'requests.row-sum' must be one of" in capsys.readouterr().err


def test_an_unknown_rule_in_the_config_is_a_warning(capsys, tmp_path, broken):
    config = tmp_path / "gongkai.toml"
    config.write_text('[rules]\n"requests.colum-identity" = "off"\n', encoding="utf-8")
    assert main(["check", "--config", str(config), str(broken)]) == 1
    err = capsys.readouterr().err
    assert "gongkai: warning:" in err and "'requests.colum-identity'" in err


# -- a third party's rules ----------------------------------------------------------------------


@pytest.fixture
def example_rules(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN.parent))
    import example_rules

    yield example_rules
    sys.modules.pop("example_rules", None)


def test_a_third_party_rule_runs_like_a_built_in_one(example_rules):
    engine = Engine(plugins=[example_rules])
    assert {"example.large-fees", "example.review-litigated"} <= {
        c.name for c in engine.rules()}
    # Seed 002: review/corrected 0 but litigation_after_review/corrected 1.
    r = convert_bytes(edit("002").encode("utf-8"), engine=engine)
    (d,) = findings(r, "example.review-litigated")
    assert d.plugin == "example_rules" and d.severity is Severity.WARNING
    assert "0 ≠ 1" in d.message
    text = edit("002", l342=("1 |", "0 |"), l345=("1 |", "0 |"))
    assert convert_bytes(text.encode("utf-8"), engine=engine).diagnostics == ()
    # Seed 001's fees, 865.95 万元, raised above 1,000.
    fee = "行政事業(yè)性收費 | 865.95 |"
    r = convert_bytes(edit("001", l24=(fee, fee.replace("865.95", "1865.95"))).encode("utf-8"),
                      engine=engine)
    (d,) = findings(r, "example.large-fees")
    assert (d.line, d.severity, d.message) == (24, Severity.INFO,
                                               "fees of 1865.95 万元 are unusually large")
    assert not findings(convert_bytes(edit("001").encode("utf-8"), engine=engine),
                        "example.large-fees")


def test_a_third_party_identity_restores_cells_too(example_rules):
    # litigation_after_review/corrected blank: the built-in row sum and the plugin's identity
    # both give 0 once review/corrected is 0 and the row's total is 0.
    text = edit("002", l342=("1 |", "|"), l345=("1 |", "0 |"))
    r = convert_bytes(text.encode("utf-8"), engine=Engine(plugins=[example_rules]))
    (d,) = r.diagnostics
    assert d.code == "cells.inferred" and "example.review-litigated" in d.message


def test_a_third_party_rule_from_the_command_line(capsys, tmp_path):
    path = tmp_path / "fees.txt"
    path.write_text(edit("002"), encoding="utf-8")
    assert main(["check", "-p", str(PLUGIN), "--severity", "info", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == (f"{path}:342: example.review-litigated: review_litigation, column corrected: "
                   "review = litigation_after_review does not hold: 0 ≠ 1 (off by 1)\n")
    config = tmp_path / "gongkai.toml"
    config.write_text('[rules]\n"example.review-litigated" = "off"\n', encoding="utf-8")
    assert main(["check", "-p", str(PLUGIN), "--config", str(config), str(path)]) == 0
