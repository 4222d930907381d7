"""Cells an identity determines are restored with status ``inferred`` and a finding; only then.

A cell is restored when it is empty or missing in the source, is the one unknown of an
equation, every equation that determines it gives the same whole, non-negative number, and
every equation it completes holds. The source's raw text is never touched.
"""

from __future__ import annotations

import attrs
import pytest
from test_rules import convert, edit, findings

from gongkai.config import Config
from gongkai.engine.manager import default_engine
from gongkai.model import CellRef, Severity, Status
from gongkai.validate.validator import Equation, infer, validate


def test_seed_001_total_row_is_restored_from_the_column_identity(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("001")]
    service = r.cell("requests", "total", "legal_person.legal_service")
    other = r.cell("requests", "total", "legal_person.other")
    for cell, line in ((service, 53), (other, 54)):
        # The value the identities give; raw and line as the source has them.
        assert (cell.value, cell.status, cell.raw, cell.line) == (0, Status.INFERRED, "", line)
    d1, d2 = findings(r, "cells.inferred")
    assert d1.severity is Severity.WARNING and d1.plugin == "gongkai"
    assert d1.message == (
        "requests/total/legal_person.legal_service is empty in the source; restored as 0 "
        "(status inferred) by requests.column-identity (column legal_person.legal_service: "
        "new + carried_over = total + carried_forward): total = 0 + 0 − 0 = 0; "
        "requests.column-sum gives the same")
    assert d1.cells[0] == service.ref and d1.line == 53 and d1.lines == (29, 30, 55)
    assert d2.cells[0] == other.ref and d2.line == 54
    # The restored row adds up, and no cell-empty repeats what the inferred finding says.
    assert not findings(r, "requests.row-sum") and not findings(r, "cell-empty")


def test_a_blank_nonzero_cell_is_restored_with_its_derivation():
    r = convert(edit("002", l99=("2 |", "|")))
    cell = r.cell("requests", "new", "natural_person")
    assert (cell.value, cell.status, cell.raw) == (2, Status.INFERRED, "")
    (d,) = r.diagnostics
    assert d.code == "cells.inferred" and d.line == 99
    assert "new = 2 + 0 − 0 = 2" in d.message and "requests.row-sum gives the same" in d.message


def test_two_unknowns_in_every_identity_leave_the_cells_empty():
    # new and carried_over of natural_person and of total: each column identity and each row
    # sum has two unknowns, so nothing is determined.
    r = convert(edit("002", l99=("2 |", "|"), l105=("2 |", "|"), l108=("0 |", "|"),
                     l114=("0 |", "|")))
    for row in ("new", "carried_over"):
        for column in ("natural_person", "total"):
            assert r.cell("requests", row, column).status is Status.EMPTY
    assert not findings(r, "cells.inferred")
    assert [d.line for d in findings(r, "cell-empty")] == [99, 105, 108, 114]


def test_identities_that_disagree_restore_nothing():
    # total/natural_person is blank; the column identity gives 2 but, with granted raised to
    # 3, the column sum gives 3: not determined, so not restored.
    r = convert(edit("002", l292=("2 |", "|"), l118=("2 |", "3 |")))
    assert r.cell("requests", "total", "natural_person").status is Status.EMPTY
    assert not findings(r, "cells.inferred")
    assert [d.line for d in findings(r, "cell-empty")] == [292]
    assert findings(r, "requests.row-sum")  # the broken granted row is still reported


def test_a_negative_solution_is_not_a_count_and_is_not_restored():
    # carried_forward/natural_person blank, total raised to 5: 2 + 0 - 5 = -3.
    r = convert(edit("002", l301=("0 |", "|"), l292=("2 |", "5 |"), l298=("2 |", "5 |")))
    assert r.cell("requests", "carried_forward", "natural_person").status is Status.EMPTY
    assert not findings(r, "cells.inferred")


def test_text_where_a_number_belongs_is_never_overwritten():
    r = convert(edit("002", l99=("2 |", "见附件 |")))
    cell = r.cell("requests", "new", "natural_person")
    assert (cell.value, cell.status, cell.raw) == (None, Status.UNPARSED, "见附件")
    assert not findings(r, "cells.inferred")


def test_an_ocr_misread_number_is_restored_when_the_identities_give_it():
    """`I2` / `Z` (OCR's letters for 12, 2): read as the number the identities give, status
    inferred, raw kept; a reading they contradict stays unparsed."""
    r = convert(edit("002", l99=("2 |", "Z |")))
    cell = r.cell("requests", "new", "natural_person")
    assert (cell.value, cell.status, cell.raw) == (2, Status.INFERRED, "Z")
    (d,) = findings(r, "cells.inferred")
    assert "is 'Z' in the source, a number with letters OCR takes for digits" in d.message
    wrong = convert(edit("002", l99=("2 |", "I |")))  # 1, where the identities say 2
    cell = wrong.cell("requests", "new", "natural_person")
    assert (cell.value, cell.status) == (None, Status.UNPARSED)
    assert not findings(wrong, "cells.inferred")


@pytest.mark.parametrize(("raw", "number"), [
    ("I634", 1634), ("lO", 10), ("1O1", 101), ("7O", 70), ("1,2O4", 1204),
    ("1634", None), ("见附件", None), ("O.5", None), ("", None), ("IIIIIIIIIIIII", None),
])
def test_ocr_number(raw, number):
    from gongkai.validate.validator import ocr_number

    assert ocr_number(raw) == number


def _blank(report, *refs):
    """The report with these cells empty, as a source that left them blank."""
    tables = tuple(attrs.evolve(t, cells=tuple(
        attrs.evolve(c, value=None, raw="", status=Status.EMPTY) if c.ref in refs else c
        for c in t.cells)) for t in report.tables)
    return attrs.evolve(report, tables=tables)


def test_a_restoration_that_would_break_another_identity_is_refused(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    a, b = CellRef("requests", "new", "natural_person"), CellRef("requests", "granted", "total")
    x = CellRef("requests", "total", "natural_person")
    one = CellRef("proactive", "fees", "prior_items")  # 1 in seed 002
    blank = _blank(r, a, b)
    # a = 1 and b = 1 alone are determined; together they complete a + b = 1, which fails.
    eqs = [("t.a", Equation("requests", (a,), (one,), "a")),
           ("t.b", Equation("requests", (b,), (one,), "b"))]
    restored, found = infer(blank, eqs)
    assert set(found) == {a, b} and restored.cell("requests", "new", "natural_person").value == 1
    eqs.append(("t.sum", Equation("requests", (a, b), (one,), "a + b")))
    unchanged, found = infer(blank, eqs)
    assert unchanged is blank and found == {}
    # a + b = total/natural_person (2) holds with both restored: they are kept.
    assert blank.cell("requests", "total", "natural_person").value == 2
    restored, found = infer(blank, [*eqs[:2], ("t.x", Equation("requests", (a, b), (x,), ""))])
    assert set(found) == {a, b}


def test_switching_inference_off_keeps_the_cells_empty():
    off = Config(data={"rules": {"cells.inferred": "off"}})
    r = convert(edit("002", l99=("2 |", "|")), config=off)
    assert r.cell("requests", "new", "natural_person").status is Status.EMPTY
    assert [d.code for d in r.diagnostics] == ["cell-empty"]


def test_only_enabled_identity_rules_restore():
    text = edit("002", l99=("2 |", "|"))
    only_rows = Config(data={"rules": {"requests.column-identity": "off"}})
    (d,) = convert(text, config=only_rows).diagnostics
    assert "by requests.row-sum" in d.message
    none = Config(data={"rules": {"requests.column-identity": "off", "requests.row-sum": "off"}})
    r = convert(text, config=none)
    assert r.cell("requests", "new", "natural_person").status is Status.EMPTY


def test_validating_twice_gives_the_same_report(seed_reports):
    for r in seed_reports.values():
        assert validate(r, engine=default_engine()) == r
    broken = convert(edit("002", l99=("2 |", "|"), l345=("1 |", "2 |")))
    assert validate(broken, engine=default_engine()) == broken


def test_restored_cells_determine_others_in_turn(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    a, b = CellRef("requests", "new", "natural_person"), CellRef("requests", "total", "total")
    known = CellRef("requests", "granted", "total")  # 2
    blank = _blank(r, a, b)
    # b = granted/total, then a = b: the second only once the first is restored.
    eqs = [("t.a", Equation("requests", (a,), (b,), "a = b")),
           ("t.b", Equation("requests", (b,), (known,), "b = 2"))]
    restored, found = infer(blank, eqs)
    assert restored.cell("requests", "new", "natural_person").value == 2
    assert found[a].message.startswith("requests/new/natural_person is empty in the source; "
                                       "restored as 2 (status inferred) by t.a")


def test_infer_is_a_pure_function_of_report_and_equations(seed_reports):
    (r,) = [r for stem, r in seed_reports.items() if stem.startswith("002")]
    eq = Equation("requests", (CellRef("requests", "new", "total"),),
                  (CellRef("requests", "total", "total"),), "column total")
    same, restored = infer(r, [("x.y", eq)])
    assert same is r and restored == {}


@pytest.mark.parametrize("severity", ["error", "info"])
def test_the_inferred_finding_can_be_regraded(severity):
    config = Config(data={"rules": {"cells.inferred": severity}})
    (d,) = convert(edit("002", l99=("2 |", "|")), config=config).diagnostics
    assert d.severity is Severity(severity)
