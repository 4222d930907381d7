"""A real report whose source breaks an identity: 洪泽区人民政府 2023 (PDF text).

Table four is printed as one line of 15 numbers (line 131):
``10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0`` — review: 10 upheld and 1 corrected but a total of 0;
litigation after review: 5 upheld but a total of 0. The report itself is wrong, so the
review_litigation.row-sum rule must say so for those two rows, and only those. Table three's
identities hold.

The model is built here from the sample's lines (so this test does not depend on the PDF-text
reader); the second test converts the file once a reader produces table four.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.engine.manager import default_engine
from gongkai.model import Cell, CellRef, Metadata, Report, Status, Table
from gongkai.validate.validator import validate

SAMPLE = Path(__file__).parent / "fixtures" / "samples" / "hongze-2023.pdf.txt"
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REQUEST_COLUMNS = ("natural_person", "legal_person.commercial", "legal_person.research",
                   "legal_person.nonprofit", "legal_person.legal_service", "legal_person.other",
                   "total")
#: Rows of table three whose label and seven numbers share one line: line -> row.
REQUEST_LINES = {74: "new", 75: "carried_over", 110: "total", 111: "carried_forward"}


def line(number: int) -> str:
    return SAMPLE.read_text(encoding="utf-8").splitlines()[number - 1]


def table(code: str, cells: list[Cell]) -> Table:
    lines = [c.line for c in cells]
    return Table(code=code, template="2019", layout="hand", plugin="tests",
                 line_start=min(lines), line_end=max(lines), cells=tuple(cells))


def cells_of(code: str, row: str, columns, numbers: list[str], at: int) -> list[Cell]:
    return [Cell(code, row, column, int(n), "", n, Status.OK, at)
            for column, n in zip(columns, numbers, strict=True)]


@pytest.fixture(scope="module")
def hongze() -> Report:
    assert line(131) == "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"
    numbers = line(131).split()
    review = [c for i, row in enumerate(REVIEW_ROWS)
              for c in cells_of("review_litigation", row, REVIEW_COLUMNS,
                                numbers[5 * i:5 * i + 5], 131)]
    requests = []
    for at, row in REQUEST_LINES.items():
        *_, n1, n2, n3, n4, n5, n6, n7 = line(at).split()
        requests += cells_of("requests", row, REQUEST_COLUMNS, [n1, n2, n3, n4, n5, n6, n7], at)
    return Report(metadata=Metadata(report_id="hongze-2023"), sections=(),
                  tables=(table("requests", requests), table("review_litigation", review)))


def test_table_four_breaks_its_row_totals_in_the_source(hongze):
    r = validate(hongze, engine=default_engine())
    found = [d for d in r.diagnostics if d.code == "review_litigation.row-sum"]
    assert [d.message for d in found] == [
        "review_litigation, row review: upheld + corrected + other + pending = total does not "
        "hold: 10 + 1 + 0 + 0 = 11 ≠ 0 (off by 11)",
        "review_litigation, row litigation_after_review: upheld + corrected + other + pending "
        "= total does not hold: 5 + 0 + 0 + 0 = 5 ≠ 0 (off by 5)",
    ]
    assert all(d.line == 131 and d.lines == () for d in found)
    assert found[0].cells == tuple(CellRef("review_litigation", "review", c)
                                   for c in REVIEW_COLUMNS)
    # Table three's identities hold in the source; the only other findings are the culprit
    # cells of table four and the table left out of this hand-built report.
    others = {d.code for d in r.diagnostics} - {"review_litigation.row-sum"}
    assert others == {"review_litigation.suspect-cell", "tables.missing"}


def test_the_converted_sample_reports_the_same_findings():
    report = gongkai.convert(SAMPLE)
    if report.get_table("review_litigation") is None:
        pytest.skip("no reader reads this PDF text's table four yet")
    found = [(d.line, d.message.split(":")[0]) for d in report.diagnostics
             if d.code == "review_litigation.row-sum"]
    assert found == [(131, "review_litigation, row review"),
                     (131, "review_litigation, row litigation_after_review")]
    identity = [d for d in report.diagnostics if d.code.startswith("requests.")]
    assert identity == []
