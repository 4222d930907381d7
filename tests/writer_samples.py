"""A small report built by hand for the writer tests: every cell status, text that is hostile
to spreadsheets, Markdown and IRIs, a code the codes do not know, and a diagnostic."""

from __future__ import annotations

from gongkai.model import (
    Cell,
    CellRef,
    Diagnostic,
    Metadata,
    Report,
    Section,
    Severity,
    Status,
    Table,
)

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def cell(row: str, column: str, value, raw: str, status: Status, line: int, unit: str = "",
         note: str = "") -> Cell:
    return Cell("requests", row, column, value, unit, raw, status, line, note)


def sample_report(report_id: str = "sample") -> Report:
    cells = (
        cell("new", "natural_person", 3, "3", Status.OK, 10),
        cell("new", "total", None, FORMULA, Status.UNPARSED, 10),
        cell("carried_over", "natural_person", None, "-", Status.PLACEHOLDER, 11),
        cell("carried_over", "total", None, "", Status.EMPTY, 11),
        cell("total", "natural_person", -3, "-3", Status.OK, 12),
        cell("total", "total", None, "a|b\nc", Status.UNPARSED, 12),
        cell("carried_forward", "natural_person", None, "", Status.MISSING, 13),
        cell("carried_forward", "total", 5, "", Status.INFERRED, 13),
        cell("regional.extra", "total", 1.5, "@1.5(其中|注)", Status.OK, 14, "万元", "其中|注"),
    )
    table = Table("requests", "2019", "requests-2019", "template_2019", 9, 14, cells)
    section = Section("三", "requests", "收到和处理政府信息公开申请情况",
                      "1. 第一段 *不是强调*\n- 不是列表 | 竖线 <b>不是标签</b>\n    缩进", 1, 20)
    metadata = Metadata(report_id=report_id, title="标题 | *星号*", agency="<某局> | 办公室",
                        year=2021, published="2022-01-31", templates={"requests": "2019"})
    diagnostic = Diagnostic(Severity.WARNING, "requests.column-identity",
                            "总计 | 不等于 <各项之和>", 12,
                            (CellRef("requests", "total", "natural_person"),), (10, 11))
    return Report(metadata, (section,), (table,), (diagnostic,))
