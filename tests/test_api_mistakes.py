"""The Python API fails loudly on mistakes: unknown codes name the nearest one, a missing table
is said so, a missing path is "no such file"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.layouts.codes import load_codes

from conftest import seed_path

REPORT = gongkai.convert(seed_path("002"))


@pytest.mark.parametrize(("call", "nearest"), [
    (lambda r: r.table("request"), "requests"),
    (lambda r: r.get_table("reqests"), "requests"),
    (lambda r: r.table("requests").value("neww", "total"), "new"),
    (lambda r: r.table("requests").cell("new", "totl"), "total"),
    (lambda r: r.cell("requests", "granted", "natural_persons"), "natural_person"),
    (lambda r: r.value("proactiv", "fees", "fee_amount"), "proactive"),
])
def test_an_unknown_code_raises_naming_the_nearest(call, nearest):
    with pytest.raises(gongkai.UnknownCodeError, match=f"did you mean '{nearest}'"):
        call(REPORT)


def test_unknown_code_errors_are_gongkai_and_lookup_errors():
    with pytest.raises(gongkai.GongkaiError):
        REPORT.table("nope")
    with pytest.raises(LookupError):
        REPORT.table("nope")


def test_a_table_the_report_lacks():
    report = gongkai.convert(seed_path("002"))
    without = type(report)(metadata=report.metadata, sections=report.sections,
                           tables=tuple(t for t in report.tables if t.code != "requests"))
    with pytest.raises(gongkai.MissingTableError, match="no table 'requests'"):
        without.table("requests").value("new", "total")
    assert without.get_table("requests") is None
    assert without.cell("requests", "new", "total") is None
    assert without.value("requests", "new", "total") is None


def test_known_codes_work_and_a_cell_the_template_lacks_is_none():
    table = REPORT.table("requests")
    assert REPORT.value("requests", "new", "total") == table.value("new", "total")
    # A 2021 row asked of a 2019 table: a known code, no such cell.
    rows = {c.row for c in table.cells}
    other = next(r.code for r in load_codes().table("requests").rows if r.code not in rows)
    assert table.cell(other, "total") is None


@given(st.sampled_from(list(load_codes().table_codes)))
def test_every_known_table_code_is_accepted(code):
    REPORT.get_table(code)


@pytest.mark.parametrize("name", ["reprot.txt", "crawl/missing.html", "no/such/file"])
def test_a_missing_path_is_no_such_file(name):
    with pytest.raises(gongkai.InputError, match="no such file"):
        gongkai.convert(name)


def test_text_is_still_text():
    with pytest.raises(gongkai.NotAReportError):
        gongkai.convert("这是一段新闻，不是年度报告。")
    with pytest.raises(gongkai.NotAReportError):
        gongkai.convert("<html><body>news</body></html>")
