"""What the tidy CSV and the dataset promise about formulas (issue 21, docs/guarantees.md): a
free text (``raw``, ``report_id``) starting like a formula gets a leading ``'``, numbers and
dash placeholders are left alone, and the exact text is always recoverable."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_output_safety import check_tidy_csv, hostile_report

from gongkai.outputs import dataset
from gongkai.outputs.tidy import exact_row, formula_safe, tidy_rows, unquote_formula
from gongkai.pipeline import dumps


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("raw,written", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("\t=1", "'\t=1"),
    ("'=1", "''=1"),        # the source's own quote is kept: one more is added
    ("''@x", "'''@x"),
    ("'plain", "'plain"),   # a quote before harmless text: nothing to tell apart
    ("-3", "-3"), ("+12.5", "+12.5"), ("-1,234", "-1,234"), ("-10%", "-10%"),  # numbers
    ("-", "-"), ("--", "--"),  # placeholders
    ("-3件", "'-3件"),
])
def test_texts_cannot_become_formulas_and_read_back_exactly(raw, written):
    assert formula_safe(raw) == written and unquote_formula(written) == raw
    report = hostile_report([raw], report_id=raw)
    for text in (dumps(report, "csv"), dataset.csv_chunk(tidy_rows(report))):
        rows = [r for r in _read(text) if r[0] != "report_id"]
        assert rows and {r[0] for r in rows} == {written}
        assert written in [r[6] for r in rows]
        assert [exact_row(tuple(r)) for r in rows] == list(tidy_rows(report))
    check_tidy_csv(report)


@given(st.text(max_size=12))
def test_the_quote_is_undone_exactly(text):
    assert unquote_formula(formula_safe(text)) == text
    assert unquote_formula(text) == text or formula_safe(unquote_formula(text)) == text


def test_a_jsonl_dataset_made_from_tidy_csv_outputs_has_the_exact_texts(tmp_path):
    report = hostile_report(["=1+1", "'@x", "-"], report_id="=id")
    path = tmp_path / "r.csv"
    path.write_text(dumps(report, "csv"), encoding="utf-8")
    assert dataset.csv_file_chunk(path, "jsonl", "=id", "r.txt") == dataset.jsonl_chunk(
        (*row, "r.txt") for row in tidy_rows(report))


def test_the_json_outputs_keep_the_texts_as_written():
    report = hostile_report(["=1+1"], report_id="@id")
    assert '"=1+1"' in dumps(report, "json")
    assert '"raw": "=1+1"' in dataset.jsonl_chunk(dataset.dataset_rows(report))
