"""Every built-in rule passes on a clean seed and fails on a copy of a seed broken in the test.

Broken copies are made from the seed text by replacing one line at a time; ``edit`` checks the
line holds what the seed has there, so a changed fixture fails loudly instead of silently
testing nothing. Seed 002 (2019 template, one cell per line) has non-zero numbers; seed 001
(2021 template, one table row per line) has the three other.* rows.
"""

from __future__ import annotations

import attrs
import pytest

import gongkai
from gongkai.config import Config
from gongkai.engine.manager import default_engine
from gongkai.model import CellRef, Report, Severity, Status
from gongkai.pipeline import convert_bytes
from gongkai.validate.validator import validate

from conftest import seed_path

IDENTITY_RULES = ("requests.column-identity", "requests.column-sum", "requests.row-sum",
                  "review_litigation.row-sum")
COUNT_RULES = ("proactive.counts", "requests.counts", "review_litigation.counts")
ALL_RULES = (*IDENTITY_RULES, *COUNT_RULES, "tables.missing", "cells.missing")


def edit(prefix: str, **lines: str) -> str:
    """The seed's text with lines replaced: ``edit("002", l99=("2 |", "3 |"))``."""
    text = seed_path(prefix).read_text(encoding="utf-8").splitlines(keepends=True)
    for key, (old, new) in lines.items():
        number = int(key[1:])
        assert text[number - 1].rstrip("\n") == old, (prefix, number, text[number - 1])
        text[number - 1] = new + "\n"
    return "".join(text)


def convert(text: str, config: Config | None = None) -> Report:
    return convert_bytes(text.encode("utf-8"), filename="broken.txt", config=config)


def findings(report: Report, code: str) -> list:
    return [d for d in report.diagnostics if d.code == code]


def refs(*triples: str) -> set[CellRef]:
    return {CellRef(*t.split("/")) for t in triples}


def test_the_rules_are_registered_with_id_severity_and_description():
    rules = {c.item.id: c for c in default_engine().rules()}
    assert set(ALL_RULES) <= set(rules)
    for rule_id in ALL_RULES:
        rule = rules[rule_id].item
        assert rule.description and isinstance(rule.severity, Severity)
        assert rules[rule_id].plugin in ("identity_rules", "quality_rules")
    assert rules["requests.column-identity"].item.equations is not None


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_clean_seeds_pass_every_rule(seed_reports, prefix):
    (report,) = [r for stem, r in seed_reports.items() if stem.startswith(prefix)]
    assert not [d for d in report.diagnostics if d.code in ALL_RULES]
    assert report.diagnostics == ()


def test_seed_001_passes_every_rule_once_its_two_blank_cells_are_restored(seed_reports):
    # The only findings about seed 001 are true of the source: its (七)总计 row leaves
    # legal_service and other blank (lines 53 and 54); see test_rules_inference.py.
    (report,) = [r for stem, r in seed_reports.items() if stem.startswith("001")]
    assert [(d.code, d.line) for d in report.diagnostics] == [
        ("cells.inferred", 53), ("cells.inferred", 54)]


# -- requests: the column identity ------------------------------------------------------------


def test_column_identity_fails_when_new_plus_carried_over_is_not_total_plus_forward():
    # new/natural_person 2 -> 3 (line 99): 3 + 0 = 3 but total + carried_forward = 2 + 0.
    r = convert(edit("002", l99=("2 |", "3 |")))
    (d,) = findings(r, "requests.column-identity")
    assert d.severity is Severity.ERROR and d.plugin == "identity_rules"
    assert set(d.cells) == refs("requests/new/natural_person", "requests/carried_over/"
                                "natural_person", "requests/total/natural_person",
                                "requests/carried_forward/natural_person")
    assert d.line == 292 and d.lines == (99, 108, 301)  # the total, then the others
    assert "column natural_person" in d.message
    assert "3 + 0 = 3 ≠ 2 + 0 = 2" in d.message and "off by 1" in d.message
    assert not findings(r, "requests.column-sum")


def test_column_identity_passes_when_the_numbers_move_together():
    # Carrying one request over and forward keeps the identity: 2 + 1 = 2 + 1.
    r = convert(edit("002", l108=("0 |", "1 |"), l114=("0 |", "1 |"),
                     l301=("0 |", "1 |"), l307=("0 |", "1 |")))
    assert not findings(r, "requests.column-identity")
    assert r.diagnostics == ()


# -- requests: the column sum (vertical) ----------------------------------------------------


def test_column_sum_fails_on_the_2019_single_other_row():
    # granted 2 -> 3 in natural_person and total: each row still adds up, the columns do not.
    r = convert(edit("002", l118=("2 |", "3 |"), l124=("2 |", "3 |")))
    found = findings(r, "requests.column-sum")
    assert [d.message.split(":")[0] for d in found] == [
        "requests, column natural_person", "requests, column total"]
    d = found[0]
    assert CellRef("requests", "other", "natural_person") in d.cells  # the 2019 (六) row
    assert CellRef("requests", "granted", "natural_person") in d.cells
    assert len(d.cells) == 20 and d.line == 292 and 118 in d.lines
    assert "3 (the sum of 19 cells; not 0: granted 3) ≠ 2" in d.message
    assert not findings(r, "requests.row-sum") and not findings(r, "requests.column-identity")


def test_column_sum_fails_on_the_2021_three_other_rows():
    line = "3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    r = convert(edit("001", l51=(line, "3.其他 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")))
    found = findings(r, "requests.column-sum")
    assert [d.message.split(":")[0] for d in found] == [
        "requests, column natural_person", "requests, column total"]
    assert CellRef("requests", "other.other", "natural_person") in found[0].cells
    assert not any(c.row == "other" for c in found[0].cells)
    assert "other.* = total" in found[0].message


def test_column_sum_passes_when_an_outcome_moves_between_rows():
    # One request moved from granted to partly_granted: the column still adds up to 2.
    r = convert(edit("002", l118=("2 |", "1 |"), l124=("2 |", "1 |"),
                     l127=("0 |", "1 |"), l133=("0 |", "1 |")))
    assert r.diagnostics == ()


# -- requests: the row sum (horizontal) -----------------------------------------------------


def test_requests_row_sum_fails_when_the_applicants_do_not_add_up_to_total():
    # The total column alone is raised, so only the rows break: new, granted and total.
    r = convert(edit("002", l105=("2 |", "3 |"), l124=("2 |", "3 |"), l298=("2 |", "3 |")))
    found = findings(r, "requests.row-sum")
    assert [d.message.split(":")[0] for d in found] == [
        "requests, row new", "requests, row granted", "requests, row total"]
    d = found[0]
    assert d.line == 105 and d.lines == tuple(range(99, 105))
    assert "natural_person + legal_person.* = total" in d.message
    assert "2 (the sum of 6 cells; not 0: natural_person 2) ≠ 3" in d.message
    assert not findings(r, "requests.column-identity") and not findings(r, "requests.column-sum")


def test_requests_row_sum_passes_when_a_request_changes_applicant_type():
    # new: one natural person fewer, one commercial more; the same in granted and total.
    r = convert(edit("002", l99=("2 |", "1 |"), l100=("0 |", "1 |"), l118=("2 |", "1 |"),
                     l119=("0 |", "1 |"), l292=("2 |", "1 |"), l293=("0 |", "1 |")))
    assert r.diagnostics == ()


# -- review_litigation: the row totals -------------------------------------------------------


def test_review_row_sum_fails_when_the_results_do_not_add_up():
    r = convert(edit("002", l345=("1 |", "2 |")))
    (d,) = findings(r, "review_litigation.row-sum")
    assert d.message.startswith("review_litigation, row litigation_after_review: "
                                "upheld + corrected + other + pending = total does not hold")
    assert "0 + 1 + 0 + 0 = 1 ≠ 2" in d.message
    assert d.line == 345 and d.lines == (341, 342, 343, 344)
    assert set(d.cells) == {CellRef("review_litigation", "litigation_after_review", c)
                            for c in ("upheld", "corrected", "other", "pending", "total")}


def test_review_row_sum_passes_on_a_seed_with_a_corrected_case(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    assert r.table("review_litigation").value("litigation_after_review", "corrected") == 1
    assert not findings(r, "review_litigation.row-sum")


# -- counts ---------------------------------------------------------------------------------


def test_proactive_counts_fail_when_negative_or_not_whole():
    r = convert(edit("002", l39=("14 |", "-14 |"), l41=("54 |", "5.4 |")))
    found = findings(r, "proactive.counts")
    assert [(d.line, d.message) for d in found] == [
        (39, "proactive/licensing/prior_items is -14: a count cannot be negative"),
        (41, "proactive/licensing/decisions is 5.4: a count must be a whole number"),
    ]
    assert found[0].cells == (CellRef("proactive", "licensing", "prior_items"),)


def test_proactive_counts_allow_a_negative_change_and_an_amount_with_decimals(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("004")]
    assert r.table("proactive").value("licensing", "change") == -10  # 减13/增3
    (r2,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    assert r2.table("proactive").value("procurement", "amount") == 3194.752
    assert not findings(r, "proactive.counts") and not findings(r2, "proactive.counts")


def test_proactive_counts_fail_on_a_negative_amount():
    r = convert(edit("002", l83=("3,194.752 |", "-3,194.752 |")))
    (d,) = findings(r, "proactive.counts")
    assert d.message == "proactive/procurement/amount is -3,194.752: an amount cannot be negative"


def test_requests_and_review_counts_fail_when_not_whole():
    r = convert(edit("002", l342=("1 |", "0.5 |"), l345=("1 |", "0.5 |")))
    found = findings(r, "review_litigation.counts")
    assert [d.line for d in found] == [342, 345]
    assert found[0].message == ("review_litigation/litigation_after_review/corrected is 0.5: "
                                "a count must be a whole number")
    r = convert(edit("002", l99=("2 |", "2.5 |"), l105=("2 |", "2.5 |")))
    assert [d.line for d in findings(r, "requests.counts")] == [99, 105]


def test_requests_and_review_counts_pass_on_the_seeds(seed_reports):
    for r in seed_reports.values():
        assert not findings(r, "requests.counts") and not findings(r, "review_litigation.counts")


# -- completeness: missing tables and cells --------------------------------------------------


def _without_table(report: Report, code: str) -> Report:
    return attrs.evolve(report, tables=tuple(t for t in report.tables if t.code != code),
                        diagnostics=())


def test_tables_missing_fails_on_a_report_built_without_a_table(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    checked = validate(_without_table(r, "review_litigation"), engine=default_engine())
    (d,) = findings(checked, "tables.missing")
    assert d.message == ("table 'review_litigation' (政府信息公开行政复议、行政诉讼情况) "
                         "is not in the report")
    assert d.severity is Severity.WARNING


def test_tables_missing_passes_when_all_three_tables_are_there(seed_reports):
    for r in seed_reports.values():
        assert not findings(validate(r, engine=default_engine()), "tables.missing")


def test_a_table_missing_from_the_text_is_reported_once():
    # The interpreter says so while reading (table-missing); the rule does not repeat it.
    text = seed_path("002").read_text(encoding="utf-8").splitlines(keepends=True)
    assert text[307].startswith("四、政府信息公开行政复议")
    r = gongkai.convert_text("".join(text[:307]))  # stop before table four (line 308)
    assert [d.code for d in r.diagnostics] == ["table-missing"]
    assert "'review_litigation'" in r.diagnostics[0].message


def test_cells_missing_fails_on_a_report_built_with_cells_without_numbers(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    table = r.table("proactive")
    cells = tuple(
        attrs.evolve(c, value=None, status=Status.EMPTY, raw="") if c.row == "licensing"
        and c.column in ("prior_items", "decisions") else
        attrs.evolve(c, value=None, status=Status.UNPARSED, raw="见附件")
        if c.row == "fees" and c.column == "change" else c
        for c in table.cells)
    built = attrs.evolve(r, tables=(attrs.evolve(table, cells=cells), *r.tables[1:]),
                         diagnostics=())
    found = findings(validate(built, engine=default_engine()), "cells.missing")
    assert [(d.line, d.lines, d.message) for d in found] == [
        (39, (41,), "proactive/licensing: 2 of 3 cells have no number: prior_items (empty), "
                    "decisions (empty)"),
        (73, (), "proactive/fees: 1 of 2 cells have no number: change (unparsed: '见附件')"),
    ]


def test_cells_missing_passes_on_complete_tables(seed_reports):
    for r in seed_reports.values():
        assert not findings(r, "cells.missing")


def test_an_empty_cell_in_the_text_is_reported_once():
    # Blank proactive cell: no identity restores it; the interpreter's cell-empty says so.
    r = convert(edit("002", l41=("54 |", "|")))
    assert [(d.code, d.line) for d in r.diagnostics] == [("cell-empty", 41)]



def test_cells_missing_does_not_repeat_a_cell_any_diagnostic_names(seed_reports):
    # e.g. the interpreter's cells-ambiguous: a row none of whose cells could be placed.
    from gongkai.model import Diagnostic

    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    table = r.table("proactive")
    ref = CellRef("proactive", "licensing", "decisions")
    cells = tuple(attrs.evolve(c, value=None, status=Status.MISSING, raw="")
                  if c.ref == ref else c for c in table.cells)
    stated = Diagnostic(Severity.WARNING, "cells-ambiguous", "proactive: which is missing…",
                        41, cells=(ref,))
    built = attrs.evolve(r, tables=(attrs.evolve(table, cells=cells), *r.tables[1:]),
                         diagnostics=(stated,))
    assert validate(built, engine=default_engine()).diagnostics == (stated,)
    alone = attrs.evolve(built, diagnostics=())
    assert [d.code for d in validate(alone, engine=default_engine()).diagnostics] == [
        "cells.missing"]
