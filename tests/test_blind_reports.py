"""Reports written by a tester who did not read gongkai's code, with the cells they meant.

Each input in tests/fixtures/blind was written, with its numbers, by someone outside the code
(tests/golden/blind/<name>.truth.json: ``[table, row, column, value]``, value null where the
source leaves a cell blank), in a flattening the other fixtures do not have:

* columns printed in another order than the template's (r10a: 总计 first; r10c, r11:
  社会公益组织 before 科研机构, and r11's 现行有效件数 first) or without one (r10b: no 其他);
* a crawler's one-paragraph dump with its cells apart by spaces (r04; r04d: a line per part);
* Markdown whose converter repeated a spanned cell's text in every column it spans (r06);
* PDF text with bare page numbers, one right after table four's numbers (r13: r02's cells);
* values written as ``减少4``, ``〇``, ``860*`` (a footnote's mark), ``4.2780亿元`` (r09).

Every cell must come back as meant; the JSON and CSV are golden too.
"""

from __future__ import annotations

import json

import pytest

import gongkai
from gongkai.model import Status

from conftest import FIXTURES, GOLDEN

BLIND = sorted(p for p in (FIXTURES / "blind").iterdir() if p.is_file())


def _stem(path) -> str:
    return path.name.split(".", 1)[0]


@pytest.mark.parametrize("path", BLIND, ids=_stem)
def test_every_cell_is_read_as_its_author_meant(path) -> None:
    truth = json.loads((GOLDEN / "blind" / f"{_stem(path)}.truth.json").read_text("utf-8"))
    report = gongkai.convert_file(path)
    wrong = []
    for table, row, column, value in truth["cells"]:
        cell = report.cell(table, row, column)
        got = None if cell is None else cell.value
        if value is None:
            ok = got is None or cell.status is Status.INFERRED
        else:
            ok = got is not None and abs(float(got) - value) < 1e-9 and cell.status in (
                Status.OK, Status.INFERRED, Status.RULE)
        if not ok:
            wrong.append(f"{table}/{row}/{column}: meant {value}, got {got} "
                         f"({cell.status if cell else 'no cell'})")
    assert wrong == []
    templates = {t.code: t.template for t in report.tables}
    assert {k: templates.get(k) for k in truth["templates"]} == truth["templates"]


@pytest.mark.parametrize("path", [p for p in BLIND if _stem(p)[:4] in ("r10a", "r10c", "r11-")],
                         ids=_stem)
def test_a_reordered_header_is_said(path) -> None:
    report = gongkai.convert_file(path)
    assert any(d.code == "columns-reordered" for d in report.diagnostics)


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("path", BLIND, ids=_stem)
def test_blind_output_matches_golden(path, fmt, assert_golden) -> None:
    # By its name only: the golden must not hold where the checkout is.
    report = gongkai.convert_bytes(path.read_bytes(), filename=path.name)
    assert_golden(gongkai.dumps(report, fmt), GOLDEN / "blind" / f"{_stem(path)}.{fmt}")
