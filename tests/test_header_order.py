"""A table printed with its columns in another order than the template's is read by its header.

Read in the template's order, such a table puts every value in a wrong column with status
``ok``, and a swap of two addends (社会公益组织 before 科研机构) breaks no identity. The header
says the order; a flattened two-level header is trusted only as far as its shape allows, and
the identities decide between the readings it leaves (gongkai.interpret.headers).

Generated reports (tests/reportgen.py) with table three's columns permuted — the legal
persons' columns among themselves, 总计 moved first — are rendered in several shapes and must
read back right, or empty and saying so; the template's own order must give no warning.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
import reportgen
from test_flattening_property import Outcome, judge

from gongkai import convert_text
from gongkai.interpret import headers, interpreter
from gongkai.model import Status

SHAPES = ("html", "markdown", "rows", "cells", "bare", "spaces")
SEEDS = range(6)


def _permuted(grid: reportgen.Grid, children: list[int], total_first: bool) -> reportgen.Grid:
    """Table three with its legal persons' columns in the order ``children`` and, if asked,
    总计 first; header cells and values move together."""
    rows = [list(r) for r in grid.rows]
    rows[2] = [rows[2][i] for i in children]
    if total_first:
        rows[1] = [rows[1][-1], *rows[1][:-1]]
    for r, cells in enumerate(rows[3:], 3):
        first = next(i for i, c in enumerate(cells) if c.is_value)
        values = cells[first:]
        values = [values[0], *(values[1:-1][i] for i in children), values[-1]]
        if total_first:
            values = [values[-1], *values[:-1]]
        rows[r] = cells[:first] + values
    return dataclasses.replace(grid, rows=rows)


def case(shape: str, template: str, seed: int, total_first: bool) -> reportgen.Case:
    report = reportgen.build(template, seed)
    rng = random.Random(f"order:{shape}:{template}:{seed}")
    children = list(range(5))
    while children == sorted(children):
        rng.shuffle(children)
    blocks = [dataclasses.replace(b, grid=_permuted(b.grid, children, total_first))
              if b.grid is not None and b.grid.table == "requests" else b
              for b in report.blocks]
    text = reportgen.SHAPES[shape].render(dataclasses.replace(report, blocks=blocks), rng)
    return reportgen.Case(shape, template, seed, "simplified", text, report.cells, report.truth)


@pytest.mark.parametrize("total_first", [False, True], ids=["legal-persons", "total-first"])
@pytest.mark.parametrize("shape", SHAPES)
def test_permuted_columns_are_never_wrong(shape: str, total_first: bool) -> None:
    result = Outcome()
    for template in reportgen.TEMPLATES:
        for seed in SEEDS:
            judge(case(shape, template, seed, total_first), result)
    assert not result.errors, result.errors[:3]
    assert not result.wrong, f"{len(result.wrong)} wrong:\n" + "\n".join(result.wrong[:5])
    if shape in ("html", "markdown", "rows", "cells"):
        # These keep every position: the header's order settles every value.
        assert result.share == 1.0, (result.share, result.diagnostics)
        assert result.diagnostics.get("columns-reordered", 0) >= len(SEEDS) * 2


@pytest.mark.parametrize("shape", SHAPES)
def test_the_templates_order_gives_no_warning(shape: str) -> None:
    for template in reportgen.TEMPLATES:
        for seed in SEEDS:
            report = convert_text(reportgen.generate(shape, template, seed).text)
            codes = {d.code for d in report.diagnostics}
            assert not codes & {"columns-reordered", "header-unsettled"}, (template, seed)


def test_the_test_fails_where_the_header_is_ignored(monkeypatch) -> None:
    """Read in the template's order (the header's order ignored), the permuted reports come
    back wrong: the property above can fail."""
    def template_order(written, group_at, groups, columns):
        return tuple(c for c in columns if c in written), ()

    monkeypatch.setattr(interpreter, "_readings", template_order)
    result = Outcome()
    judge(case("rows", "2021", 0, total_first=False), result)
    assert result.wrong
    assert case("rows", "2021", 0, True).text != reportgen.generate("rows", "2021", 0).text


# -- the readings, on their own ---------------------------------------------------------------

COLUMNS = ("natural_person", "legal_person.commercial", "legal_person.research",
           "legal_person.nonprofit", "legal_person.legal_service", "legal_person.other", "total")
MEMBERS = {"legal_person": frozenset(COLUMNS[1:6])}
NP, C, R, N, L, OTHER, T = COLUMNS


@pytest.mark.parametrize(("written", "at", "base"), [
    # flattened row by row: 自然人 | 法人或其他组织 | 总计 / 商业企业 …
    ((NP, T, C, R, N, L, OTHER), 1, COLUMNS),
    # the spanning cells on the second line (seed 001):
    # | 法人或其他组织 | 总计 / 自然人 | 商业企业 …
    ((T, NP, C, R, N, L, OTHER), 0, COLUMNS),
    # the legal persons in another order: they keep it, the others the template's
    ((NP, T, C, N, R, L, OTHER), 1, (NP, C, N, R, L, OTHER, T)),
])
def test_the_first_reading(written, at, base) -> None:
    assert headers.readings(written, [("legal_person", at)], MEMBERS, COLUMNS)[0] == base


def test_a_one_level_header_is_read_as_written() -> None:
    order = ("in_force", "issued", "repealed")
    assert headers.readings(order, [], {}, ("issued", "repealed", "in_force")) == (
        order, (("issued", "repealed", "in_force"),))


def test_the_identities_choose_between_the_readings() -> None:
    base = COLUMNS
    total_first = (T, NP, C, R, N, L, OTHER)
    equations = [(((r, T),), tuple((r, c) for c in COLUMNS[:6])) for r in ("new", "old")]
    # Values as read under the template's order, but printed with 总计 first.
    rows = {"new": [10, 1, 2, 3, 4, 0, 0], "old": [6, 1, 1, 1, 1, 1, 1]}
    known = {(r, c): v for r, vs in rows.items() for c, v in zip(base, vs, strict=True)}
    assert headers.choose(base, [total_first], list(rows), known.get, equations) == total_first
    # Under the template's order the identities hold: it stays.
    fine = {(r, c): v for r, c, v in [("new", c, 1) for c in COLUMNS[:6]] + [("new", T, 6)]}
    assert headers.choose(base, [total_first], ["new"], fine.get, equations[:1]) == base
    # Two readings satisfy them and the first does not: nobody can tell.
    same = {("new", c): v for c, v in zip(base, [5, 0, 0, 0, 0, 5, 0], strict=True)}
    moved = (C, R, N, L, OTHER, T, NP)  # the legal persons where a first heading stood
    assert headers.choose(base, [total_first, moved], ["new"], same.get, equations[:1]) is None


UNSETTLED = """某县人民政府办公室2022年政府信息公开工作年度报告
一、总体情况
本年度我办公开信息100条。
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |
| 法人或其他组织 | 总计 |
自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |
一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 5 | 0 |
二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 3 | 0 |
"""


def test_an_unsettled_header_leaves_its_cells_ambiguous() -> None:
    """法人或其他组织 first and 总计 before 自然人: 总计 first (5 = 0+…+5) and the legal persons
    where the heading stood (5 = 5+0+…+0) both satisfy the row sums, the template's order
    (0 = 5+…+5) does not. Nobody can tell: every cell is empty and ambiguous, its raw text
    and line kept, with one warning."""
    report = convert_text(UNSETTLED)
    cells = [c for c in report.table("requests").cells if c.row in ("new", "carried_over")]
    assert {c.status for c in cells} == {Status.AMBIGUOUS}
    assert all(c.value is None for c in cells)
    assert [c.raw for c in cells if c.row == "new"] == ["5", "0", "0", "0", "0", "5", "0"]
    assert {c.line for c in cells if c.row == "new"} == {8}
    said = [d for d in report.diagnostics if d.code == "header-unsettled"]
    assert len(said) == 1 and len(said[0].cells) == 14
