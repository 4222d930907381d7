"""``gongkai check`` and ``gongkai convert --strict``: output lines, JSON, exit statuses."""

from __future__ import annotations

import json

from test_rules import edit

from gongkai.cli.main import main

from conftest import SEEDS, run_check, seed_path

check = run_check


def test_the_seeds_check_clean_but_for_seed_001s_blank_cells(capsys):
    status, out, err = check(capsys, *map(str, SEEDS))
    # Seed 001's total row leaves two cells blank in the source (lines 53-54): true of the
    # source, so reported (warning) although the identities restore them.
    seed = str(seed_path("001"))
    assert [line.split(": ")[0:2] for line in out.splitlines()] == [
        [f"{seed}:53", "cells.inferred"], [f"{seed}:54", "cells.inferred"]]
    assert status == 1
    assert "2 findings at warning or above in 1 of 5 files" in err


def test_clean_reports_exit_0_and_print_nothing(capsys):
    status, out, err = check(capsys, str(seed_path("000")), str(seed_path("002")))
    assert (status, out, err) == (0, "", "")
    # Seed 001 has only warnings: clean at --severity error.
    assert check(capsys, "--severity", "error", str(seed_path("001"))) == (0, "", "")


def test_a_broken_identity_prints_file_line_rule_and_both_sides(capsys, broken):
    status, out, _ = check(capsys, str(broken))
    assert status == 1
    assert out.splitlines() == [
        f"{broken}:99: requests.suspect-cell: requests/new/natural_person is 3; 2 would satisfy "
        "requests.column-identity (column natural_person) and requests.row-sum (row new)",
        f"{broken}:105: requests.row-sum: requests, row new: natural_person + legal_person.* = "
        "total does not hold: 3 (the sum of 6 cells; not 0: natural_person 3) ≠ 2 (off by 1)",
        f"{broken}:292: requests.column-identity: requests, column natural_person: new + "
        "carried_over = total + carried_forward does not hold: 3 + 0 = 3 ≠ 2 + 0 = 2 "
        "(off by 1)",
    ]


def test_json_output_carries_cells_lines_and_severity(capsys, broken):
    status, out, _ = check(capsys, "--format", "json", str(broken), str(seed_path("000")))
    assert status == 1
    data = json.loads(out)
    summary = data["summary"]
    assert {k: summary[k] for k in ("files", "files_with_findings", "findings", "unreadable")} \
        == {"files": 2, "files_with_findings": 1, "findings": 3, "unreadable": 0}
    assert summary["by_rule"] == {"requests.column-identity": 1, "requests.row-sum": 1,
                                  "requests.suspect-cell": 1}
    assert summary["unplaced"] == [{"report": str(broken),
                                    "why": "its agency could not be told"}]
    # The files in input path order (as `convert` takes them): found by their paths here.
    files = {f["path"]: f for f in data["files"]}
    first, second = files[str(broken)], files[str(seed_path("000"))]
    assert (first["path"], first["report_id"], first["error"]) == (str(broken), "broken", None)
    assert second["findings"] == []
    identity = next(f for f in first["findings"] if f["code"] == "requests.column-identity")
    assert identity["severity"] == "error" and identity["plugin"] == "identity_rules"
    assert (identity["line"], identity["lines"]) == (292, [99, 108, 301])
    assert {"table": "requests", "row": "new", "column": "natural_person"} in identity["cells"]


def test_an_unreadable_file_prints_one_line_and_the_others_are_still_checked(
        capsys, tmp_path, broken):
    missing = tmp_path / "nope.txt"
    not_report = tmp_path / "poem.txt"
    not_report.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8")
    status, out, err = check(capsys, str(missing), str(broken), str(not_report))
    assert status == 2
    errors = [line for line in err.splitlines()
              if not line.startswith(("gongkai check:", "  "))]  # the summary
    assert len(errors) == 2
    assert errors[0] == f"{missing}: no such file"
    assert errors[1].startswith(f"{not_report}: ") and "not a government" in errors[1]
    assert "requests.column-identity" in out  # the readable file in between was checked
    assert "; 2 could not be read" in err


def test_severity_chooses_what_is_shown_and_fails(capsys, tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(edit("002", l99=("2 |", "|")), encoding="utf-8")  # restored: a warning
    assert check(capsys, "--severity", "error", str(path))[0] == 0
    status, out, _ = check(capsys, "--severity", "info", str(path))
    assert status == 1 and "cells.inferred" in out


def test_no_report_is_a_usage_error(capsys):
    status, _, err = check(capsys)
    assert status == 2 and "give one or more report files" in err


def test_list_rules_shows_each_rule_with_its_severity(capsys):
    status, out, _ = check(capsys, "--list-rules")
    assert status == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert rows["requests.column-identity"] == "error"
    assert rows["cells.missing"] == "warning" and rows["cells.inferred"] == "warning"


# -- convert --strict ---------------------------------------------------------------------------


def test_strict_convert_refuses_to_write_when_a_rule_fails(capsys, tmp_path, broken):
    out = tmp_path / "out.json"
    assert main(["convert", str(broken), "--strict", "-o", str(out)]) == 1
    _, err = capsys.readouterr()
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name != broken.name]  # no partial file
    assert f"{broken}:292: requests.column-identity:" in err
    assert f"gongkai: {broken}: not converted: 2 findings at error severity (--strict)" in err
    # Nothing to standard output either.
    assert main(["convert", str(broken), "--strict"]) == 1
    assert capsys.readouterr().out == ""


def test_strict_convert_writes_a_report_with_only_warnings(capsys, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["convert", str(seed_path("001")), "--strict", "--to", "csv",
                 "-o", str(out)]) == 0
    assert ",legal_person.other,0,,,inferred,54" in out.read_text(encoding="utf-8")


def test_without_strict_a_report_with_errors_is_written(capsys, tmp_path, broken):
    out = tmp_path / "out.json"
    assert main(["convert", str(broken), "-o", str(out)]) == 0
    codes = [d["code"] for d in json.loads(out.read_text(encoding="utf-8"))["diagnostics"]]
    assert codes == ["requests.column-identity", "requests.row-sum", "requests.suspect-cell"]
