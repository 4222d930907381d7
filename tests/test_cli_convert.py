"""`gongkai convert`: output to stdout or atomically to a file, one clean error line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import gongkai
from gongkai.cli.main import main

from conftest import seed_path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True,
                          text=True, encoding="utf-8")


def test_python_m_gongkai_converts_to_json_on_stdout():
    result = run("convert", str(seed_path("002")), "--to", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == gongkai.SCHEMA_VERSION
    assert "主动公开" in result.stdout  # UTF-8 as written, not \u escapes


def test_console_script_is_installed():
    exe = os.path.join(os.path.dirname(sys.executable), "gongkai")
    result = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("gongkai ")


def test_csv_to_file_is_written_atomically(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["convert", str(seed_path("000")), "--to", "csv", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "report_id,table,row,column,value,unit,raw,status,line"
    assert len(lines) == 199
    assert capsys.readouterr().out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary left behind


def test_failed_conversion_leaves_existing_output_untouched(tmp_path, capsys):
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["convert", str(empty), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.json"]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "the input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("今天天气很好，我们去公园散步。\n晚上看了一部电影。\n".encode(), "not a government"),
        ("报告".encode() + b"\xff\xff\xff" * 20, "cannot decode"),
    ],
    ids=["empty", "binary", "not-a-report", "undecodable"],
)
def test_bad_input_gives_one_located_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run("convert", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}: ") and message in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_file_and_unknown_format():
    result = run("convert", "no/such/report.txt")
    assert result.returncode == 2 and result.stderr.strip() == "no/such/report.txt: no such file"
    result = run("convert", str(seed_path("000")), "--to", "xlsx")
    assert result.returncode == 2 and "unknown output format 'xlsx'" in result.stderr


def test_syntax_error_is_located(tmp_path):
    path = tmp_path / "broken.txt"
    text = "一、总体情况\n二、主动公开政府信息情况\n规章 | 0 |\n坏\x01了\n"
    path.write_text(text, encoding="utf-8")
    result = run("convert", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{path}:4: column 2: unexpected character")


def test_a_bad_table_does_not_cost_the_report(tmp_path):
    text = seed_path("003").read_text(encoding="utf-8")
    # Break the requests table: its first data row loses its label and numbers become text.
    broken = text.replace("一、本年新收政府信息公開申請數量 | 0 | 0 |", "乱码 | x | y |", 1)
    assert broken != text
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    result = run("convert", str(path), "--to", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {t["code"] for t in data["tables"]} == {"proactive", "requests", "review_litigation"}
    codes = {d["code"] for d in data["diagnostics"]}
    assert "row-missing" in codes
    proactive = next(t for t in data["tables"] if t["code"] == "proactive")
    assert all(c["status"] == "ok" for c in proactive["cells"])
