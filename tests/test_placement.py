"""gongkai.interpret.placement on small tables: the identities place values, or nothing is
guessed."""

from __future__ import annotations

from gongkai.interpret import placement
from gongkai.interpret.placement import OpenRow, place

COLUMNS = ("a", "b", "total")
#: Two rows and their sum: every column of r1 + r2 = sum; every row a + b = total.
EQUATIONS = [
    *(((("r1", c), ("r2", c)), (("sum", c),)) for c in COLUMNS),
    *((((r, "a"), (r, "b")), ((r, "total"),)) for r in ("r1", "r2", "sum")),
]


def test_the_one_placement_the_identities_allow_is_taken():
    known = {("sum", "a"): 3, ("sum", "b"): 0, ("sum", "total"): 3,
             ("r2", "a"): 0, ("r2", "b"): 0, ("r2", "total"): 0}
    outcome = place([OpenRow("r1", COLUMNS, (3, 3))], known, EQUATIONS)
    assert outcome.placed == {"r1": (0, 2)} and outcome.by_identities


def test_the_source_order_stays_when_it_satisfies_the_identities():
    known = {("sum", "a"): 3, ("sum", "b"): 0, ("sum", "total"): 3}
    rows = [OpenRow("r1", COLUMNS, (3, 3), preferred=(0, 2)), OpenRow("r2", COLUMNS, (0,),
                                                                        preferred=(0,))]
    outcome = place(rows, known, EQUATIONS)
    assert outcome.placed == {"r1": (0, 2), "r2": (0,)} and not outcome.by_identities


def test_what_the_identities_do_not_settle_is_left_open_cell_by_cell():
    # 5 = a or b of r1, and the sum says nothing about which: the total is settled, a and b not.
    known = {("sum", "a"): None, ("sum", "b"): None, ("sum", "total"): 5,
             ("r2", "a"): 0, ("r2", "b"): 0, ("r2", "total"): 0}
    outcome = place([OpenRow("r1", COLUMNS, (5, 5))], known, EQUATIONS)
    assert "r1" in outcome.ambiguous and set(outcome.ambiguous["r1"]) == {(0, 2), (1, 2)}
    assert outcome.cells["r1"] == (None, None, 1)
    assert outcome.numbers["r1"] == (None, None, 5)


def test_a_row_of_zeros_is_zero_in_every_column_whatever_its_places():
    outcome = place([OpenRow("r1", COLUMNS, (0, 0))], {}, EQUATIONS)
    assert outcome.numbers["r1"] == (0, 0, 0)
    # ...though which of its cells were the blanks is not known.
    assert outcome.cells["r1"] == (None, None, None)


def test_out_of_steps_nothing_is_settled(monkeypatch):
    monkeypatch.setattr(placement, "MAX_STEPS", 1)
    outcome = place([OpenRow("r1", COLUMNS, (3, 3)), OpenRow("r2", COLUMNS, (1,))],
                    {("sum", "total"): 4}, EQUATIONS)
    assert not outcome.placed and not outcome.cells


def test_no_placement_holds_falls_back_to_the_source_order_only_when_given():
    known = {("sum", "a"): 9, ("sum", "b"): 9, ("sum", "total"): 9,
             ("r2", "a"): 0, ("r2", "b"): 0, ("r2", "total"): 0}
    assert place([OpenRow("r1", COLUMNS, (3, 3))], known, EQUATIONS).placed == {}
    fallback = place([OpenRow("r1", COLUMNS, (3, 3), fallback=(0, 1))], known, EQUATIONS)
    assert fallback.placed == {"r1": (0, 1)}
