"""The report generator itself (tests/reportgen.py): its numbers satisfy the identities, its
reports are the form gongkai knows, it is reproducible, and it draws realistic numbers."""

from __future__ import annotations

import math
import re

import pytest
import reportgen

from gongkai import convert_text
from gongkai.cli.main import main

SEEDS = range(12)


def _truths():
    for template in reportgen.TEMPLATES:
        for seed in SEEDS:
            yield template, seed, reportgen.build(template, seed).truth


def _rows(truth, table):
    rows: dict[str, dict[str, float]] = {}
    for (t, row, column), value in truth.items():
        if t == table:
            rows.setdefault(row, {})[column] = value
    return rows


@pytest.mark.parametrize(("template", "seed", "truth"), list(_truths()))
def test_the_numbers_satisfy_the_identities(template, seed, truth):
    """Checked here by hand (domain.md, "Identities"), independently of gongkai's rules."""
    requests = _rows(truth, "requests")
    columns = list(requests["new"])
    outcomes = [r for r in requests if r in ("granted", "partly_granted", "other")
                or r.startswith(("withheld.", "unable.", "not_handled.", "other."))]
    assert len(outcomes) == (19 if template == "2019" else 21)
    for c in columns:
        assert requests["new"][c] + requests["carried_over"][c] == (
            requests["total"][c] + requests["carried_forward"][c])
        assert sum(requests[r][c] for r in outcomes) == requests["total"][c]
    for row, cells in requests.items():
        assert sum(v for c, v in cells.items() if c != "total") == cells["total"], row
    for row, cells in _rows(truth, "review_litigation").items():
        assert sum(v for c, v in cells.items() if c != "total") == cells["total"], row
    kinds = {c.code: c.kind for c in reportgen.load_codes().table("proactive").columns}
    for (table, _, column), value in truth.items():
        kind = kinds[column] if table == "proactive" else "count"
        assert value == int(value) or kind == "money", (table, column, value)
        assert value >= 0 or kind == "change", (table, column, value)


@pytest.mark.parametrize("template", reportgen.TEMPLATES)
@pytest.mark.parametrize("script", reportgen.SCRIPTS)
def test_gongkai_check_finds_nothing_in_a_clean_shape(tmp_path, capsys, template, script):
    """gongkai's own identity and quality rules find nothing in the generated numbers."""
    paths = []
    for seed in range(4):
        case = reportgen.generate("html", template, seed, script)
        paths.append(tmp_path / f"{template}-{seed}.html")
        paths[-1].write_text(case.text, encoding="utf-8")
    status = main(["check", *map(str, paths)])
    out, err = capsys.readouterr()
    assert (status, out) == (0, ""), out + err


def test_check_does_find_a_broken_number():
    """The negative control of the test above: one number off, and the identities say so."""
    report = reportgen.build("2021", 1)
    grid = next(b.grid for b in report.blocks if b.grid and b.grid.table == "requests")
    for cells in grid.rows:
        for i, cell in enumerate(cells):
            if cell.ref == ("requests", "new", "natural_person"):
                cells[i] = reportgen.GridCell(str(int(cell.text) + 1), ref=cell.ref)
    text = reportgen.render_rows(report, reportgen.random.Random(0))
    found = {d.code for d in convert_text(text).diagnostics}
    assert {"requests.column-identity", "requests.row-sum"} <= found


@pytest.mark.parametrize("template", reportgen.TEMPLATES)
def test_every_cell_of_the_template_is_expected(template):
    case = reportgen.generate("rows", template, 0)
    want = {(t, r.code, c) for t in ("proactive", "requests", "review_litigation")
            for r in reportgen.layout_for(t, template).rows for c in r.columns}
    assert set(case.cells) == want
    report = convert_text(case.text)
    assert {(c.table, c.row, c.column) for c in report.cells()} == want


@pytest.mark.parametrize("template", reportgen.TEMPLATES)
def test_the_grids_are_the_official_form(template):
    """Every row of every table fills the form's width once its spans are counted, and the
    spans are where the State Council's form has them."""
    report = reportgen.build(template, 3)
    grids = {b.grid.table: b.grid for b in report.blocks if b.grid}
    assert {t: g.width for t, g in grids.items()} == {
        "proactive": 4, "requests": 10, "review_litigation": 15}
    for grid in grids.values():
        assert all(len(row) == grid.width for row in grid.slots())
    requests = grids["requests"]
    outcome = requests.rows[5][0]  # 三、本年度办理结果, after three header rows and 一、二、
    assert outcome.text.startswith("三") and outcome.rowspan == (20 if template == "2019" else 22)
    assert [c.rowspan for c in requests.rows[1]] == [2, 1, 2]  # 自然人, 法人或其他组织, 总计
    assert requests.rows[0][0].colspan == 3 and requests.rows[0][0].rowspan == 3


def test_reproducible_and_different_per_seed():
    a, b = (reportgen.generate("cells", "2021", 5, "traditional") for _ in range(2))
    assert a == b
    assert reportgen.generate("cells", "2021", 6).text != a.text


def test_the_numbers_look_like_real_reports():
    """Many zeros, some large numbers, negative changes, fee amounts with decimals."""
    values, changes, money = [], [], []
    for template in reportgen.TEMPLATES:
        for seed in range(40):
            report = reportgen.build(template, seed)
            for (_, _, column), value in report.truth.items():
                values.append(value)
                if column == "change":
                    changes.append(value)
                if column in ("fee_amount", "amount"):
                    money.append(value)
    assert sum(v == 0 for v in values) / len(values) > 0.4
    assert max(values) > 10_000
    assert any(v < 0 for v in changes)
    assert any(isinstance(v, float) and v != int(v) for v in money)


def test_money_with_its_unit_is_expected_in_wan_yuan():
    found = []
    for seed in range(40):
        report = reportgen.build("2019", seed, units=True)
        grid = next(b.grid for b in report.blocks if b.grid and b.grid.table == "proactive")
        for cell in (c for row in grid.rows for c in row if c.text.endswith("元")):
            found.append((cell.text, report.cells[cell.ref]))
    assert found
    for text, value in found:
        assert math.isclose(float(text.removesuffix("元")) / 10000, value), (text, value)


def test_blank_cells_are_expected_empty_and_true_in_truth():
    report = reportgen.build("2019", 2, blanks=1.0)
    blank = [ref for ref, v in report.cells.items() if v is None]
    assert blank and all(report.truth[ref] == 0 for ref in blank)


def test_shapes_drop_their_separators():
    together = reportgen.generate("together", "2019", 4).text
    assert "|" not in together and re.search(r"规章\d{3,}", together)
    paragraph = reportgen.generate("paragraph", "2021", 4).text
    head, body = paragraph.split(f"{reportgen.CRAWL_RULE} 正文 {reportgen.CRAWL_RULE}\n")
    assert "标题: " in head and "\n" not in body.rstrip("\n")
    assert "<td" in reportgen.generate("html", "2021", 4).text
    assert "|---|" in reportgen.generate("markdown", "2021", 4).text


def test_the_command_line_prints_a_report_and_its_cells(capsys):
    assert reportgen.main(["--shape", "spaces", "--seed", "2", "--expected", "--check"]) == 0
    out = capsys.readouterr().out
    assert "四、政府信息公开行政复议、行政诉讼情况" in out or "行政复议" in out
    assert "requests/new/natural_person\t" in out
    assert "gongkai reads it so" in out
