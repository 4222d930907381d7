"""The flattenings of issue "Any flattening", each on a real report: the seeds and huaian-2024.

tests/test_flattening_property.py reads generated reports back in every shape; these tests take
the shapes the issue names, made from the real seeds, and compare with the seed's own cells.
"""

from __future__ import annotations

import re

import pytest

import gongkai
from gongkai import Status

from conftest import FIXTURES, seed_path

SEEDS = ["000", "001", "002", "003", "004"]


def cells(report) -> dict:
    return {(c.table, c.row, c.column): c for c in report.cells()}


def bare(text: str) -> str:
    """The seed without a single bar: one cell per line, as copied from a page."""
    lines = [re.sub(r"\s*\|+\s*$", "", line) for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip("| \t"))


def agrees(got, want) -> bool:
    """Right, or empty saying so (a number restored from an identity must be the seed's)."""
    if got.status is Status.OK:
        return got.value == want.value
    return got.value is None or (got.status is Status.INFERRED and got.value == (want.value or 0))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", ["bare", "bare-blank-lines", "bar-lines"])
def test_a_seed_without_its_bars_keeps_its_cells(seed, shape):
    text = seed_path(seed).read_text("utf-8")
    flat = bare(text)
    if shape == "bare-blank-lines":
        flat = flat.replace("\n", "\n\n")
    elif shape == "bar-lines":
        flat = flat.replace("\n", "\n|\n")
    want = cells(gongkai.convert_text(text))
    got = cells(gongkai.convert_text(flat))
    assert got.keys() == want.keys()
    wrong = [k for k in want if not agrees(got[k], want[k])]
    assert not wrong, wrong
    # Only a row whose blanks the flattening removed may lose cells; the seeds have one.
    read = sum(got[k].status is want[k].status for k in want)
    assert read >= len(want) - 7
    # Row labels shaped like headings are not sections.
    titles = [s.title for s in gongkai.convert_text(flat).sections]
    assert not any("本年新收" in t or "结转下年度" in t for t in titles)


def test_span_padding_next_to_the_label():
    text = seed_path("003").read_text("utf-8")
    want = cells(gongkai.convert_text(text))
    # Row per line: the span padding written right after the label instead of at the end.
    moved = re.sub(r"^(一、本年新收[^|]*\|)(.*?)\s*\|*\s*$", r"\1 ||\2", text, flags=re.M)
    assert moved != text
    got = cells(gongkai.convert_text(moved))
    assert all(got[k].value == want[k].value and got[k].status is want[k].status for k in want)


def test_dropped_blanks_are_placed_by_the_identities():
    text = seed_path("002").read_text("utf-8")
    # 一、本年新收 with its zero cells blank and dropped: `2 |` `2 |` then the padding.
    label = "一、本年新收政府信息公开申请数量 |\n"
    dropped = text.replace(label + "2 |\n0 |\n0 |\n0 |\n0 |\n0 |\n2 |\n||",
                           label + "2 |\n2 |\n|||||||")
    assert dropped != text
    report = gongkai.convert_text(dropped)
    row = {c.column: c for c in report.table("requests").cells if c.row == "new"}
    assert (row["natural_person"].value, row["natural_person"].status) == (2, Status.OK)
    assert (row["total"].value, row["total"].status) == (2, Status.OK)
    assert all(row[c].value in (None, 0) and row[c].status is not Status.OK
               for c in row if c not in ("natural_person", "total"))
    placed = [d for d in report.diagnostics if d.code == "cells-placed"]
    assert placed and "natural_person, total" in placed[0].message


def test_a_row_the_identities_cannot_settle_is_ambiguous_never_guessed():
    text = seed_path("002").read_text("utf-8")
    # Table two's row has no identity: two values for three columns cannot be placed.
    row = re.search(r"^规章 \|\n(.*?\|\n){3}", text, flags=re.M)
    assert row
    # Two different numbers (two zeros would be 0 in every column whatever their places).
    changed = text.replace(row.group(0), "规章 |\n3 |\n5 |\n||\n", 1)
    report = gongkai.convert_text(changed)
    regulations = [c for c in report.table("proactive").cells if c.row == "regulations"]
    assert all(c.status is Status.AMBIGUOUS and c.value is None for c in regulations)
    (said,) = [d for d in report.diagnostics if d.code == "cells-ambiguous"]
    assert "they allow" in said.message


def test_table_four_headers_broken_one_character_per_line():
    text = (FIXTURES / "samples" / "huaian-2024.pdf.txt").read_text("utf-8")
    lines = text.split("\n")
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    numbers = next(i for i in range(start, len(lines)) if len(lines[i].split()) == 15)
    columns = ["结 结 其 尚 总", "果 果 他 未 计", "维 纠 结 审", "持 正 果 结"]
    header = ["行政复议 行政诉讼", *columns, "未经复议直接起诉 复议后起诉",
              *(f"{line} {line}" for line in columns)]
    broken = "\n".join([*lines[:start + 1], *header, *lines[numbers:]])
    want = gongkai.convert_bytes(text.encode(), filename="h.pdf.txt").table("review_litigation")
    got = gongkai.convert_bytes(broken.encode(), filename="h.pdf.txt").table("review_litigation")
    assert [(c.value, c.status) for c in got.cells] == [(c.value, c.status) for c in want.cells]
    assert all(c.status is Status.OK for c in got.cells)
