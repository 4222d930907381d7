"""``gongkai check``: the findings dataset (csv, jsonl, -o), --suggest, the summary, and the
checks across reports from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_continuity import CARRY_TWO, FORWARD, OVER, write

from gongkai.validate.findings import COLUMNS

from conftest import FIXTURES, run_check

check = run_check


@pytest.fixture
def series_dir(tmp_path) -> Path:
    """Two consecutive years of one agency whose continuity breaks (2 carried forward, 0 over)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder, "a-2019.txt", changes=CARRY_TWO)
    write(folder, "b-2020.txt",
          title="河南省驻马店市公共资源交易中心2020年政府信息公开工作年度报告")
    return folder


def test_csv_dataset_one_row_per_finding(capsys, tmp_path, broken):
    out = tmp_path / "findings.csv"
    status, stdout, err = check(capsys, str(broken), "--format", "csv", "-o", str(out))
    assert status == 1 and stdout == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["rule"], r["line"]) for r in rows] == [
        ("requests.suspect-cell", "99"), ("requests.row-sum", "105"),
        ("requests.column-identity", "292")]
    first = rows[0]
    assert (first["report"], first["report_id"], first["severity"]) == (
        str(broken), "broken", "warning")
    assert first["cells"] == "requests/new/natural_person"
    assert first["lines"] == "105 292"
    assert first["suggested"] == ""  # only with --suggest
    assert "3 findings at warning or above in 1 of 1 files" in err
    assert "by rule: requests.column-identity 1, requests.row-sum 1, " \
        "requests.suspect-cell 1" in err


def test_jsonl_with_suggestions(capsys, broken):
    _, stdout, _ = check(capsys, str(broken), "--format", "jsonl", "--suggest")
    records = [json.loads(line) for line in stdout.splitlines()]
    (suspect,) = [r for r in records if r["rule"] == "requests.suspect-cell"]
    assert suspect["suggested"] == [[{"cell": "requests/new/natural_person", "value": 2}]]
    assert suspect["line"] == 99 and suspect["lines"] == ["105", "292"]
    assert all(r["suggested"] == [] for r in records if r is not suspect)


def test_text_suggest_prints_the_value_and_changes_nothing(capsys, broken):
    before = broken.read_bytes()
    _, out, _ = check(capsys, str(broken), "--suggest")
    lines = out.splitlines()
    assert lines[0].startswith(f"{broken}:99: requests.suspect-cell: ")
    assert lines[1] == "    suggested: requests/new/natural_person = 2 (the report is not changed)"
    assert broken.read_bytes() == before


def test_json_suggest(capsys, broken):
    _, out, _ = check(capsys, str(broken), "--format", "json", "--suggest")
    (finding,) = [f for f in json.loads(out)["files"][0]["findings"]
                  if f["code"] == "requests.suspect-cell"]
    assert finding["suggested"] == [[{"cell": "requests/new/natural_person", "value": 2}]]


def test_a_directory_with_a_broken_continuity(capsys, series_dir):
    status, out, err = check(capsys, str(series_dir))
    later, earlier = series_dir / "b-2020.txt", series_dir / "a-2019.txt"
    assert status == 1
    assert out.splitlines() == [
        f"{later}:{OVER}: requests.continuity: 驻马店市公共资源交易中心: 2020's carried_over is "
        f"not 2019's carried_forward ({earlier}:{FORWARD}) in 2 columns: natural_person: "
        "0 here, 2 there; total: 0 here, 2 there"]
    assert "agency 驻马店市公共资源交易中心: requests.continuity" in err


def test_continuity_in_the_dataset(capsys, series_dir, tmp_path):
    out = tmp_path / "f.jsonl"
    assert check(capsys, str(series_dir), "--format", "jsonl", "-o", str(out))[0] == 1
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["rule"] == "requests.continuity"
    assert record["report"] == str(series_dir / "b-2020.txt") and record["report_id"] == "b-2020"
    assert record["lines"] == [f"{series_dir / 'a-2019.txt'}:{FORWARD}"]
    assert record["cells"] == ["requests/carried_over/natural_person",
                               "requests/carried_over/total",
                               "requests/carried_forward/natural_person",
                               "requests/carried_forward/total"]


def test_continuity_in_json(capsys, series_dir):
    _, out, _ = check(capsys, str(series_dir), "--format", "json")
    data = json.loads(out)
    (across,) = data["across_reports"]
    assert across["rule"] == "requests.continuity"
    assert data["summary"]["findings"] == 1
    assert data["summary"]["agencies"] == {"驻马店市公共资源交易中心": ["requests.continuity"]}


def test_an_unplaced_report_is_listed_in_the_summary(capsys, series_dir, broken):
    _, _, err = check(capsys, str(series_dir), str(broken))
    assert f"not placed in a series: {broken}: its agency could not be told" in err


def test_the_dataset_summary_is_printed_for_a_clean_run_too(capsys, tmp_path):
    clean = write(tmp_path, "clean.txt")
    status, out, err = check(capsys, str(clean), "--format", "csv")
    assert status == 0 and out == ",".join(COLUMNS) + "\n"
    assert "0 findings at warning or above in 0 of 1 files" in err


def test_output_never_overwrites_an_input(capsys, broken):
    before = broken.read_bytes()
    status, _, err = check(capsys, str(broken), "--format", "csv", "-o", str(broken))
    assert status == 2 and "refusing to write over the input" in err
    assert broken.read_bytes() == before


def test_an_empty_directory_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    status, _, err = check(capsys, str(tmp_path / "empty"))
    assert status == 2 and "no reports found" in err


def test_list_rules_lists_the_rules_across_reports(capsys):
    _, out, _ = check(capsys, "--list-rules")
    assert any(line.startswith("requests.continuity ") and "warning" in line
               for line in out.splitlines())
    assert any(line.startswith("requests.suspect-cell ") for line in out.splitlines())


def test_suggestions_of_two_suspicions_in_one_table(capsys):
    sample = FIXTURES / "samples" / "hongze-2023.pdf.txt"
    _, out, _ = check(capsys, str(sample), "--format", "jsonl", "--suggest")
    found = [json.loads(line) for line in out.splitlines()]
    suggested = [r["suggested"] for r in found if r["rule"] == "review_litigation.suspect-cell"]
    assert suggested == [
        [[{"cell": "review_litigation/review/total", "value": 11}]],
        [[{"cell": "review_litigation/litigation_after_review/upheld", "value": 0}],
         [{"cell": "review_litigation/litigation_after_review/total", "value": 5}]]]
