"""Shell conventions (docs/cli.md#conventions): ``-`` for standard input and output, the format
from ``-o``'s extension, stacked outputs of several reports, ``check`` taking what ``convert``
takes, one-line usage errors with the nearest spelling, ``-v``/``--log-level``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import gongkai
from gongkai.cli.main import main
from gongkai.outputs.tidy import COLUMNS, DATASET_COLUMNS, tidy_rows

from conftest import SEEDS, seed_path

SEED = seed_path("002")


def gongkai_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", *args], input=stdin,
                          capture_output=True, check=False)


# -- standard input and output ----------------------------------------------------------------


def test_convert_reads_standard_input():
    done = gongkai_cli("convert", "-", "--to", "csv", stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))
    expected = list(tidy_rows(gongkai.convert_text(SEED.read_text("utf-8"))))
    assert [tuple(r) for r in rows[1:]] == expected
    assert rows[1][0].startswith("sha1-")  # no file: the text's hash is its id


def test_a_bad_standard_input_is_one_line_naming_it():
    done = gongkai_cli("convert", "-", stdin=b"")
    assert done.returncode == 2
    assert done.stderr.decode() == "<stdin>: the input is empty\n"
    assert done.stdout == b""


def test_check_reads_standard_input():
    done = gongkai_cli("check", "-", "--json", stdin=SEED.read_bytes())
    data = json.loads(done.stdout)
    assert data["files"][0]["path"] == "<stdin>"


def test_dash_output_is_standard_output(tmp_path, capsys):
    assert main(["convert", str(SEED), "-o", "-", "--to", "csv"]) == 0
    assert capsys.readouterr().out == gongkai.dumps(gongkai.convert(SEED), "csv")
    assert list(tmp_path.iterdir()) == []


def test_the_dataset_to_standard_output(tmp_path, capsys):
    for seed in SEEDS[:2]:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    assert main(["convert", str(tmp_path), "--dataset", "-", "-q", "-j", "1"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == DATASET_COLUMNS
    assert {r[-1] for r in rows[1:]} == {s.name for s in SEEDS[:2]}


def test_standard_input_to_a_dataset(tmp_path):
    dataset = tmp_path / "one.jsonl"
    done = gongkai_cli("convert", "-", "--dataset", str(dataset), stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in dataset.read_text("utf-8").splitlines()]
    assert tuple(records[0]) == DATASET_COLUMNS
    assert len(records) == len(list(gongkai.convert(SEED).cells()))
    assert {r["source"] for r in records} == {""}


def test_writer_options_for_a_dataset_format_are_refused(capsys):
    assert main(["convert", str(SEED), "--to", "jsonl", "-O", "indent=2"]) == 2
    assert "takes no writer options" in capsys.readouterr().err


def test_standard_input_with_other_inputs_is_refused(capsys):
    assert main(["convert", "-", str(SEED), "-o", "out/"]) == 2
    assert "standard input" in capsys.readouterr().err


# -- the format from the output's extension ------------------------------------------------------


@pytest.mark.parametrize(("name", "check"), [
    ("out.json", lambda t: json.loads(t)["schema_version"] == gongkai.SCHEMA_VERSION),
    ("out.csv", lambda t: t.startswith(",".join(COLUMNS) + "\n")),
    ("out.md", lambda t: t.startswith("# ")),
    ("out.ttl", lambda t: "@prefix" in t),
    ("out.jsonld", lambda t: isinstance(json.loads(t), dict | list)),
    ("out.nt", lambda t: all(line.endswith(" .") for line in t.splitlines() if line)),
    ("out.jsonl", lambda t: tuple(json.loads(t.splitlines()[0])) == DATASET_COLUMNS),
])
def test_the_format_follows_the_extension(tmp_path, name, check):
    out = tmp_path / name
    assert main(["convert", str(SEED), "-o", str(out)]) == 0
    assert check(out.read_text("utf-8"))


def test_a_conflicting_to_and_extension_is_an_error(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["convert", str(SEED), "--to", "json", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gongkai: --to json contradicts the output file")
    assert not out.exists()


def test_a_conflicting_option_and_extension_is_an_error(tmp_path, capsys):
    assert main(["convert", str(SEED), "-O", "format=turtle", "-o", str(tmp_path / "x.nt")]) == 2
    assert "-O format=turtle contradicts" in capsys.readouterr().err


def test_an_unknown_extension_keeps_to_or_json(tmp_path):
    out = tmp_path / "out.txt"
    assert main(["convert", str(SEED), "-o", str(out)]) == 0
    json.loads(out.read_text("utf-8"))
    assert main(["convert", str(SEED), "--to", "csv", "-o", str(out)]) == 0
    assert out.read_text("utf-8").startswith("report_id,")


# -- several inputs, one output file -------------------------------------------------------------


@pytest.fixture
def two(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for seed in SEEDS[:2]:
        (root / seed.name).write_bytes(seed.read_bytes())
    return root


def test_several_inputs_stack_into_one_csv(two, tmp_path):
    out = tmp_path / "all.csv"
    assert main(["convert", *sorted(map(str, two.iterdir())), "-o", str(out), "-q"]) == 0
    assert out.is_file()
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert tuple(rows[0]) == DATASET_COLUMNS
    assert len({r[0] for r in rows[1:]}) == 2


def test_several_inputs_stack_into_n_triples(two, tmp_path):
    out = tmp_path / "all.nt"
    assert main(["convert", str(two), "-o", str(out), "-q", "-j", "1"]) == 0
    lines = out.read_text("utf-8").splitlines()
    singles = [gongkai.dumps(gongkai.convert(p), "rdf", options={"format": "nt"})
               for p in sorted(two.iterdir())]
    # One graph: the shared definitions once, then each report's part; each report's own
    # graph says nothing the stacked one does not.
    assert all(set(s.splitlines()) <= set(lines) for s in singles)
    assert len(set(lines)) < sum(len(s.splitlines()) for s in singles)
    reports = {line.split()[0] for line in lines if line.split()[0].startswith(
        "<urn:gongkai:report/") and "BibliographicResource" in line}
    assert len(reports) == 2


@pytest.mark.parametrize("name", ["all.json", "all.md", "all.ttl"])
def test_several_inputs_into_a_format_that_does_not_stack_is_an_error(two, tmp_path, capsys,
                                                                      name):
    assert main(["convert", str(two), "-o", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert "cannot be one" in err and "a directory" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no surprise directory


def test_a_stacked_csv_with_writer_options_says_why_not(two, tmp_path, capsys):
    """Several reports into one .csv are the dataset, which takes no -O wide=: said so, not
    that .csv does not stack."""
    assert main(["convert", str(two), "-o", str(tmp_path / "all.csv"), "-O", "wide=true"]) == 2
    err = capsys.readouterr().err
    assert "are the tidy dataset, which takes no -O wide=" in err and "all/" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_directory_output_still_gets_a_file_per_report(two, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(two), "-o", f"{out}/", "--to", "csv", "-q"]) == 0
    # (beside them, the record of what made them: .gongkai-manifest.jsonl)
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == [".csv",
                                                                                    ".csv"]


def test_several_inputs_to_csv_without_output_go_to_standard_output(two, capsys):
    assert main(["convert", str(two), "--to", "csv", "-q", "-j", "1"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == DATASET_COLUMNS


# -- check takes what convert takes ----------------------------------------------------------


def test_check_takes_a_directory_a_glob_and_jobs(two, capsys):
    assert main(["check", str(two), "--json", "-j", "2"]) in (0, 1)
    by_dir = json.loads(capsys.readouterr().out)
    assert main(["check", f"{two}/*.txt", "--json", "-j", "1"]) in (0, 1)
    by_glob = json.loads(capsys.readouterr().out)
    assert by_dir == by_glob
    assert [f["path"] for f in by_dir["files"]] == sorted(str(p) for p in two.iterdir())
    assert by_dir["summary"]["files"] == 2


def test_check_json_is_format_json(capsys):
    assert main(["check", str(SEED), "--format", "json"]) in (0, 1)
    long = capsys.readouterr().out
    assert main(["check", str(SEED), "--json"]) in (0, 1)
    assert capsys.readouterr().out == long


def test_check_of_a_missing_file_still_checks_the_others(capsys):
    assert main(["check", "nothere.txt", str(SEED)]) == 2
    err = capsys.readouterr().err
    assert "nothere.txt: no such file" in err


# -- usage errors --------------------------------------------------------------------------------


def test_a_mistyped_option_is_one_line_with_the_nearest(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["convert", str(SEED), "--dataste", "x.csv"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "usage:" not in err
    assert err == ("gongkai convert: error: unrecognized arguments: --dataste (did you mean "
                   "'--dataset'?) x.csv (see `gongkai convert --help`)\n")


def test_a_mistyped_choice_names_the_nearest(capsys):
    with pytest.raises(SystemExit):
        main(["check", str(SEED), "--severity", "warn"])
    assert "--severity: invalid choice 'warn' (did you mean 'warning'?)" in capsys.readouterr().err


def test_a_mistyped_format_names_the_option_and_the_nearest(capsys):
    assert main(["convert", str(SEED), "--to", "jsn"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gongkai: --to: unknown output format 'jsn' (did you mean 'json'?)")
    assert "<input>" not in err


# -- logging --------------------------------------------------------------------------------------


def test_verbose_says_what_is_read_and_written(tmp_path):
    out = tmp_path / "x.json"
    done = gongkai_cli("-v", "convert", str(SEED), "-o", str(out))
    assert done.returncode == 0
    err = done.stderr.decode()
    assert f"gongkai: info: {SEED}: read by the text reader" in err
    assert f"gongkai: info: wrote {out}" in err
    quiet = gongkai_cli("convert", str(SEED), "-o", str(out))
    assert quiet.stderr == b""


def test_log_level_debug_after_the_command(tmp_path):
    done = gongkai_cli("convert", str(SEED), "--log-level", "debug", "-o",
                       str(tmp_path / "x.json"))
    assert "gongkai: debug: " in done.stderr.decode()


def test_log_level_error_hides_the_warnings():
    """A skipped plugin is a warning like any other: --log-level error hides it."""
    shown = gongkai_cli("-p", "gk_no_such_module", "formats")
    assert shown.returncode == 0 and b"skipped" in shown.stderr
    hidden = gongkai_cli("--log-level", "error", "-p", "gk_no_such_module", "formats")
    assert hidden.returncode == 0 and hidden.stderr == b""


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "htm"], "--from: unknown reader 'htm' (did you mean 'html'?)"),
    (["--to", "csv", "-O", "wdie=true"], "-O: format 'csv' has no option 'wdie' (did you mean "
                                         "'wide'?)"),
    (["-O", "novalue"], "-O: writer options are key=value"),
])
def test_usage_errors_name_the_option(args, message, capsys):
    assert main(["convert", str(SEED), *args]) == 2
    assert capsys.readouterr().err.startswith(f"gongkai: {message}")


def test_formats_json_lists_the_extra_extensions(capsys):
    assert main(["formats", "--json"]) == 0
    (rdf,) = [f for f in json.loads(capsys.readouterr().out)["formats"] if f["name"] == "rdf"]
    assert rdf["extra_extensions"][".nt"] == {"format": "nt"}


def test_an_unknown_reader_for_a_batch_is_one_error(tmp_path, capsys):
    for seed in SEEDS[:3]:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    assert main(["convert", str(tmp_path), "--from", "htm", "--dataset", "-", "-q"]) == 2
    assert main(["check", str(tmp_path), "--from", "htm"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["gongkai: --from: unknown reader 'htm' (did you mean 'html'?) (available: "
                   "html, markdown, pdf, pdftext, text, word)"] * 2
