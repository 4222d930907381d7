"""The culprit cells (``*.suspect-cell``): the seed 002 typo of the issue, constructed cases and a
property test on generated consistent tables with one cell changed at random."""

from __future__ import annotations

import attrs
import pytest
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.config import Config
from gongkai.engine.manager import default_engine
from gongkai.model import Report, Status, Table, cell_ref
from gongkai.pipeline import convert_bytes, convert_file, convert_text
from gongkai.plugins.suspect_cells import RULES
from gongkai.validate.suspects import find_suspects
from gongkai.validate.validator import enabled_equations, validate

from conftest import FIXTURES, seed_path

SEED_002 = seed_path("002")
PARTS = ("natural_person", "legal_person.commercial", "legal_person.research",
         "legal_person.nonprofit", "legal_person.legal_service", "legal_person.other")
FLOW = ("new", "carried_over", "total", "carried_forward")


def changed_seed(line: int, old: str, new: str) -> str:
    lines = SEED_002.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].strip() == f"{old} |"
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


def suspects(report: Report, table: str = "requests"):
    return [d for d in report.diagnostics if d.code == f"{table}.suspect-cell"]


def test_the_issue_typo_gives_one_finding_at_its_line():
    report = convert_text(changed_seed(99, "2", "3"), report_id="002")
    (finding,) = suspects(report)
    assert finding.line == 99
    assert finding.cells == (cell_ref("requests", "new", "natural_person"),)
    assert finding.message == (
        "requests/new/natural_person is 3; 2 would satisfy requests.column-identity "
        "(column natural_person) and requests.row-sum (row new)")
    # the broken identities are the evidence: their lines (the row's total, the column's)
    broken = {d.line for d in report.diagnostics
              if d.code in ("requests.row-sum", "requests.column-identity")}
    assert broken == {105, 292} and set(finding.lines) == broken
    # never changed in the data
    assert report.cell("requests", "new", "natural_person").value == 3


def test_no_finding_when_every_identity_holds(seed_reports):
    for report in seed_reports.values():
        assert not [d for d in report.diagnostics if d.code.endswith(".suspect-cell")]


def test_a_cell_in_an_identity_that_holds_is_no_suspect():
    # The natural-person total (line 105 is the row's total; line 292 the column's): changing
    # requests/total/natural_person breaks column-sum and column-identity (row-sum of total
    # too): it is the only cell in all of them.
    report = convert_text(changed_seed(99, "2", "7"), report_id="002")
    (finding,) = suspects(report)
    assert finding.cells == (cell_ref("requests", "new", "natural_person"),)
    assert "is 7; 2 would" in finding.message


def test_several_cells_would_do_and_are_listed():
    # hongze-2023's table four breaks two row sums in the source, unrelated: two findings.
    # Row review (10 + 1 + 0 + 0 ≠ 0) can only be repaired by its total (the parts would go
    # negative); row litigation_after_review (5 + 0 + 0 + 0 ≠ 0) by its total or by upheld.
    report = convert_file(FIXTURES / "samples" / "hongze-2023.pdf.txt")
    review, after = suspects(report, "review_litigation")
    assert review.message == ("review_litigation/review/total is 0; 11 would satisfy "
                              "review_litigation.row-sum (row review)")
    assert review.cells == (cell_ref("review_litigation", "review", "total"),)
    assert "cannot tell which is right" in after.message
    assert set(after.cells) == {cell_ref("review_litigation", "litigation_after_review", c)
                                for c in ("upheld", "total")}
    assert review.line == after.line == 131


def test_off_in_the_configuration():
    config = Config(data={"rules": {"requests.suspect-cell": "off"}})
    report = convert_bytes(changed_seed(99, "2", "3").encode(), config=config)
    assert not suspects(report)


def test_needs_the_identities_enabled():
    # With the identities off nothing is broken, so nothing is suspect.
    config = Config(data={"rules": {"requests.row-sum": "off",
                                    "requests.column-identity": "off"}})
    assert not suspects(convert_bytes(changed_seed(99, "2", "3").encode(), config=config))


def test_check_outside_the_stage_uses_the_builtin_identities():
    report = convert_text(changed_seed(99, "2", "3"))
    rule = next(r for r in RULES if r.id == "requests.suspect-cell")
    (finding,) = rule.check(report)
    assert finding.line == 99


# -- property: generated consistent tables, one cell changed -----------------------------------

BASES = {
    "2019": convert_file(SEED_002),
    "2021": convert_file(FIXTURES / "samples" / "huaian-2024.pdf.txt"),
}
ENGINE = default_engine()
IDENTITY_TABLES = ("requests", "review_litigation")


@st.composite
def consistent_report(draw):
    base = BASES[draw(st.sampled_from(sorted(BASES)))]
    count = st.integers(0, 30)
    values: dict[tuple[str, str, str], int] = {}
    requests = base.table("requests")
    outcomes = [r for r in dict.fromkeys(c.row for c in requests.cells) if r not in FLOW]
    for column in PARTS:
        for row in outcomes:
            values["requests", row, column] = draw(count)
        total = sum(values["requests", row, column] for row in outcomes)
        forward = draw(count)
        over = draw(st.integers(0, total + forward))
        values["requests", "total", column] = total
        values["requests", "carried_forward", column] = forward
        values["requests", "carried_over", column] = over
        values["requests", "new", column] = total + forward - over
    for row in dict.fromkeys(c.row for c in requests.cells):
        values["requests", row, "total"] = sum(values["requests", row, c] for c in PARTS)
    for row in ("review", "litigation_direct", "litigation_after_review"):
        parts = [draw(count) for _ in range(4)]
        for column, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            values["review_litigation", row, column] = v
        values["review_litigation", row, "total"] = sum(parts)
    return _with_values(base, values)


def _with_values(base: Report, values) -> Report:
    def fill(table: Table) -> Table:
        if table.code not in IDENTITY_TABLES:
            return table
        return attrs.evolve(table, cells=tuple(
            attrs.evolve(c, value=v, raw=str(v), status=Status.OK)
            if (v := values.get((c.table, c.row, c.column))) is not None else c
            for c in table.cells))
    return attrs.evolve(base, tables=tuple(map(fill, base.tables)), diagnostics=())


@fuzz_settings(150)
@given(consistent_report(), st.data())
def test_one_changed_cell_is_found(report, data):
    assert not [d for d in validate(report, engine=ENGINE).diagnostics
                if d.severity.value == "error"], "the generated table is consistent"
    cells = [c for c in report.cells() if c.table in IDENTITY_TABLES]
    cell = data.draw(st.sampled_from(cells))
    delta = data.draw(st.integers(-cell.value, 40).filter(lambda d: d != 0))
    changed = _with_values(report, {(cell.table, cell.row, cell.column): cell.value + delta})
    checked = validate(changed, engine=ENGINE)
    (finding,) = suspects(checked, cell.table)
    assert cell.ref in finding.cells
    if len(finding.cells) == 1:
        assert f"is {cell.value + delta}; {cell.value} would satisfy" in finding.message
    # the search itself: that cell, back to its value, is one of the smallest repairs
    (suspicion,) = find_suspects(checked, [
        (r, eq) for r, eq in enabled_equations(checked, engine=ENGINE) if eq.table == cell.table])
    assert any(r.cells == (cell.ref,) and r.values == (cell.value,) for r in suspicion.repairs)
    assert checked.cell(cell.table, cell.row, cell.column).value == cell.value + delta


@pytest.mark.parametrize("table", IDENTITY_TABLES)
def test_two_changed_cells_in_different_rows_and_columns(table):
    # Two independent typos: no one cell repairs both, a pair does.
    base = BASES["2019"]
    values = {(c.table, c.row, c.column): c.value for c in base.cells()
              if c.table in IDENTITY_TABLES and c.value is not None}
    report = _with_values(base, values)
    first, second = ((("requests", "granted", "natural_person"),
                      ("requests", "unable.not_held", "legal_person.commercial"))
                     if table == "requests" else
                     (("review_litigation", "review", "upheld"),
                      ("review_litigation", "litigation_direct", "corrected")))
    changed = _with_values(report, {first: values[first] + 2, second: values[second] + 5})
    found = suspects(validate(changed, engine=ENGINE), table)
    if table == "requests":
        # a row and a column always share a cell: one group of broken identities, one pair
        (finding,) = found
        assert cell_ref(*first) in finding.cells and cell_ref(*second) in finding.cells
    else:
        # table four's rows share no cell: two groups, two findings
        one, other = found
        assert cell_ref(*first) in one.cells and cell_ref(*second) in other.cells


def test_two_changed_cells_that_share_an_identity_are_one_pair():
    # Both in column natural_person: its column sum is off by 2 + 5, and the row sums of
    # granted and unable.not_held by 2 and 5; no one cell repairs all three, the pair does.
    base = BASES["2019"]
    values = {(c.table, c.row, c.column): c.value for c in base.cells()
              if c.table in IDENTITY_TABLES and c.value is not None}
    first = ("requests", "granted", "natural_person")
    second = ("requests", "unable.not_held", "natural_person")
    changed = _with_values(_with_values(base, values),
                           {first: values[first] + 2, second: values[second] + 5})
    (finding,) = suspects(validate(changed, engine=ENGINE))
    assert finding.cells == (cell_ref(*first), cell_ref(*second))
    assert finding.message.endswith("respectively would satisfy requests.column-sum (column "
                                    "natural_person), requests.row-sum (row granted) and "
                                    "requests.row-sum (row unable.not_held)")
