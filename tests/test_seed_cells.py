"""The numbers of the seed reports, checked by hand against the source text.

Each assertion names a value read off the seed file itself (line numbers in comments), so a
regression in the interpreter cannot hide behind a regenerated golden file.
"""

from __future__ import annotations

import pytest

from gongkai import Status
from gongkai.layouts.codes import load_codes

CELLS_PER_SEED = {"000": 198, "001": 200, "002": 198, "003": 198, "004": 198}


def report(seed_reports, prefix):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith(prefix)]
    return r


def test_all_992_cells_present_with_valid_codes(seed_reports):
    codes = load_codes()
    total = 0
    for stem, r in seed_reports.items():
        cells = list(r.cells())
        assert len(cells) == CELLS_PER_SEED[stem[:3]], stem
        total += len(cells)
        assert {t.code for t in r.tables} == {"proactive", "requests", "review_litigation"}
        for c in cells:
            table = codes.table(c.table)
            assert table.has_row(c.row) and table.has_column(c.column)
            assert c.line > 0, (stem, c)
        assert len({(c.table, c.row, c.column) for c in cells}) == len(cells)
    assert total == 992


def test_templates_detected_per_table(seed_reports):
    assert report(seed_reports, "001").metadata.templates == {
        "proactive": "2021", "requests": "2021", "review_litigation": "2019"}
    for prefix in ("000", "002", "003", "004"):
        assert report(seed_reports, prefix).metadata.templates["proactive"] == "2019"
        assert report(seed_reports, prefix).metadata.templates["requests"] == "2019"


def test_seed_000_one_cell_per_line(seed_reports):
    r = report(seed_reports, "000")
    proc = r.cell("proactive", "procurement", "amount")
    assert (proc.value, proc.unit, proc.raw, proc.line) == (2.4525, "", "2.4525", 79)
    assert r.cell("proactive", "procurement", "projects").value == 2
    assert all(c.value == 0 for c in r.table("requests").cells)
    assert all(c.value == 0 for c in r.table("review_litigation").cells)
    assert r.metadata.agency == "驻马店市公共资源交易中心"
    assert r.metadata.published == "2020-01-31" and r.metadata.signed == "2020-01-20"
    assert r.metadata.year == 2019


def test_seed_001_traditional_2021_and_broken_total_row(seed_reports):
    r = report(seed_reports, "001")
    assert r.metadata.script == "traditional"
    assert r.metadata.agency == "天水市公共资源交易中心"
    fee = r.cell("proactive", "fees", "fee_amount")
    assert (fee.value, fee.unit, fee.line) == (865.95, "万元", 24)
    assert r.cell("proactive", "licensing", "decisions").value == 0
    # (七)總計 | 0 | 0 | 0 | 0 |  /  |  /  | 0 |  -- lines 52-54: two cells empty, not shifted
    total = {c.column: c for c in r.table("requests").cells if c.row == "total"}
    assert [total[k].value for k in ("natural_person", "legal_person.commercial",
                                     "legal_person.research", "legal_person.nonprofit")] == [0] * 4
    # The source leaves them blank (raw ""); the column identity gives 0: restored, marked
    # inferred, with a finding each (tests/test_rules_inference.py).
    assert total["legal_person.legal_service"].status is Status.INFERRED
    assert total["legal_person.other"].status is Status.INFERRED
    assert (total["legal_person.legal_service"].value, total["legal_person.other"].raw) == (0, "")
    assert (total["total"].value, total["total"].line) == (0, 54)
    flagged = [d for d in r.diagnostics if d.code == "cells.inferred"]
    assert [d.line for d in flagged] == [53, 54]
    rows = {c.row for c in r.table("requests").cells}
    assert {"other.no_correction", "other.fee_unpaid", "other.other"} <= rows
    assert "other" not in rows


def test_seed_002_thousands_separator_and_header_unit(seed_reports):
    r = report(seed_reports, "002")
    amount = r.cell("proactive", "procurement", "amount")
    assert (amount.value, amount.unit, amount.raw) == (3194.752, "万元", "3,194.752")
    assert r.table("proactive").value("other_services", "decisions") == 712
    assert r.table("requests").value("new", "natural_person") == 2
    assert r.table("requests").value("total", "total") == 2
    review = r.table("review_litigation")
    assert review.value("litigation_after_review", "corrected") == 1
    assert review.value("litigation_after_review", "total") == 1
    assert review.value("review", "total") == 0
    assert r.metadata.published == "2021-01-31" and r.metadata.year == 2020


def test_seed_003_no_headings_between_tables(seed_reports):
    r = report(seed_reports, "003")
    p = r.table("proactive")
    assert [p.value("licensing", c) for c in ("prior_items", "change", "decisions")] == [64, -3, 61]
    assert [p.value("other_services", c) for c in ("prior_items", "change", "decisions")] == [
        2, -2, 0]
    assert p.value("normative_documents", "total_published") == 1
    assert p.value("procurement", "amount") == 595.88
    assert p.cell("procurement", "amount").unit == ""
    assert r.table("requests").line_start == 34
    assert r.table("review_litigation").line_start == 60
    assert r.sections[1].title == "总体情况"  # the ????? junk before 一、 is gone


def test_seed_004_values_as_written(seed_reports):
    r = report(seed_reports, "004")
    p = r.table("proactive")
    change = p.cell("licensing", "change")
    assert (change.value, change.raw) == (-10, "减13/增3")
    assert p.value("penalty", "change") == 258
    coercion = p.cell("coercion", "prior_items")
    assert (coercion.value, coercion.note) == (4, "其中行政强制措施2,行政强制执行2")
    amount = p.cell("procurement", "amount")
    assert (amount.value, amount.unit, amount.raw) == (42780, "万元", "4.2780亿元")
    assert p.value("normative_documents", "total_published") == 9
    assert r.table("review_litigation").value("review", "pending") == 1
    assert r.metadata.title == "太仆寺旗2019年政府信息公开工作年度报告"
    assert (r.metadata.agency, r.metadata.year) == ("太仆寺旗", 2019)


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_no_diagnostics_on_clean_seeds(seed_reports, prefix):
    assert report(seed_reports, prefix).diagnostics == ()
