"""gongkai.model.new_cell, the interpreter's fast Cell constructor, makes the Cell that
``Cell(...)`` makes: same fields, same class, equal, hashable alike, still frozen."""

from __future__ import annotations

import attrs
import pytest

from gongkai.model import Cell, Status, new_cell

FIELDS = ("requests", "new", "natural", 12, "件", "12", Status.OK, 7, "其中2")


def test_new_cell_equals_the_attrs_constructor():
    made, reference = new_cell(*FIELDS), Cell(*FIELDS)
    assert type(made) is Cell
    assert made == reference and hash(made) == hash(reference)
    assert attrs.astuple(made, recurse=False) == FIELDS
    assert attrs.evolve(made, value=13) == attrs.evolve(reference, value=13)


def test_new_cell_is_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        new_cell(*FIELDS).value = 1  # type: ignore[misc]


def test_bypassing_init_skips_nothing():
    """new_cell does not run attrs' __init__: safe only while Cell has no default to fill
    (every field is passed), no validator, converter or post-init hook."""
    assert [a.name for a in attrs.fields(Cell)] == [
        "table", "row", "column", "value", "unit", "raw", "status", "line", "note"]
    for a in attrs.fields(Cell):
        assert a.validator is None and a.converter is None
    assert not hasattr(Cell, "__attrs_post_init__")
    assert not hasattr(Cell, "__attrs_pre_init__")
