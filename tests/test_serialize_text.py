"""The JSON writer's fast path (gongkai.outputs.serialize.json_text, text straight from the model)
gives the bytes of the reference path (json.dumps of the dicts report_dict builds), on every seed,
every sample and generated reports of every shape, at every indent."""

from __future__ import annotations

import json
import math
from pathlib import Path

import attrs
import pytest
import reportgen

import gongkai
from gongkai import GongkaiError
from gongkai.model import Cell, Status
from gongkai.outputs.serialize import json_text, report_dict, to_json

from conftest import FIXTURES, SEEDS

SAMPLES = sorted(p for p in (FIXTURES / "samples").iterdir() if p.name != "README.md")
INDENTS = (2, None, 0, 4)


def reference(value, indent) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, indent=indent)


def same_text(report: gongkai.Report) -> None:
    for indent in INDENTS:
        expected = json.dumps(report_dict(report), ensure_ascii=False, indent=indent)
        assert json_text(report, indent) == expected, f"indent {indent!r}"


@pytest.mark.parametrize("path", SEEDS + SAMPLES, ids=lambda p: Path(p).name)
def test_fixtures(path: Path) -> None:
    same_text(gongkai.convert_file(path))


@pytest.mark.parametrize("shape", sorted(reportgen.SHAPES))
def test_generated(shape: str) -> None:
    for case in reportgen.cases(shape, range(2)):
        try:
            report = gongkai.convert_text(case.text)
        except GongkaiError:  # a shape this seed cannot be read in: nothing to write
            continue
        same_text(report)


def test_values_the_hints_do_not_describe() -> None:
    """Odd values (a bool or an int subclass where a number is typed, None in a str field, a
    float infinity, escapes) still come out as the reference writes them."""
    cell = gongkai.convert_file(SEEDS[0]).tables[0].cells[0]
    odd = [attrs.evolve(cell, value=True), attrs.evolve(cell, value=math.inf),
           attrs.evolve(cell, value=-math.inf), attrs.evolve(cell, value=math.nan),
           attrs.evolve(cell, raw=None), attrs.evolve(cell, raw='"\\\n\x00\u2028{x}'),
           attrs.evolve(cell, line=Status.OK),
           attrs.evolve(cell, note=["a", {"b": (1, 2.5)}])]
    for value in [*odd, odd, {"cells": odd, 3: []}, [], {}, Cell]:
        for indent in INDENTS:
            if value is Cell:
                with pytest.raises(TypeError):
                    json_text(value, indent)
                continue
            assert json_text(value, indent) == reference(value, indent)


def test_odd_values_in_a_table_of_cells() -> None:
    """A table's cells are written by one comprehension over the class's f-string
    (serialize._flat_items); a cell the hints do not describe sends the whole table back
    through the per-cell emitters, which write what the reference writes."""
    report = gongkai.convert_file(SEEDS[0])
    table = report.tables[0]
    cell = table.cells[0]
    for odd in (attrs.evolve(cell, raw=None), attrs.evolve(cell, note=["a", {"b": 1}]),
                attrs.evolve(cell, value=True), attrs.evolve(cell, line=Status.OK)):
        changed = attrs.evolve(table, cells=(*table.cells[:3], odd, *table.cells[3:]))
        for value in (changed, attrs.evolve(report, tables=(changed, *report.tables[1:]))):
            for indent in INDENTS:
                assert json_text(value, indent) == reference(value, indent)
    empty = attrs.evolve(table, cells=())
    for indent in INDENTS:
        assert json_text(empty, indent) == reference(empty, indent)


def test_the_string_memo_is_the_encoder():
    """Field strings are escaped through a bounded memo: the encoder's text for any string,
    its TypeError for anything else (the emitters' signal to fall back)."""
    from json.encoder import encode_basestring

    from gongkai.outputs.serialize import _StrText

    memo = _StrText()
    for text in ["", "0", "万元", 'a"b\\c\n', "\u2028", "x" * 100, "𠀀"]:
        assert memo[text] == encode_basestring(text)
        assert memo[text] == encode_basestring(text)  # (from the memo, when short)
    for odd in [None, 1, 1.5, True]:
        with pytest.raises(TypeError):
            memo[odd]
    with pytest.raises(TypeError):
        memo[[1]]  # unhashable
    for i in range((1 << 14) + 10):
        memo[str(i)]
    assert len(memo) <= 1 << 14
