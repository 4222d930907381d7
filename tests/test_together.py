"""Rows whose numbers are written together (issue 15): the splits, the rule, the crawler shape.

The generated shapes (``together``, ``paragraph``) are tested as a property in
test_flattening_property.py, the 平潭 samples in test_samples.py; here are the pieces.
"""

from __future__ import annotations

import io
import time

import pytest
import reportgen

import gongkai
from gongkai import Status
from gongkai.interpret.values import parse_value
from gongkai.parse.together import MAX_SPLITS, Budget, detach, rule_split, splits

from conftest import FIXTURES, run_check

COUNTS7 = ["count"] * 7
ROW_SUM = [((0, 1, 2, 3, 4, 5), 6)]  # a requests row: the applicants add up to its 总计
TABLE_FOUR = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]


def parser(kinds):
    def parse(text: str, k: int):
        parsed = parse_value(text, kind=kinds[k])
        return parsed.value if parsed.status is Status.OK else None
    return parse


def split(run: str, kinds, sums=()):
    return splits(run, kinds, parser(kinds), sums)


def test_numbers_have_no_leading_zeros():
    assert split("001870", ["count"] * 3) == [("0", "0", "1870")]
    found = split("7777166", ["count"] * 3)
    assert ("77", "77", "166") in found and len(found) == 15
    assert all(not (t.startswith("0") and len(t) > 1) for s in found for t in s)


def test_a_minus_only_in_a_change_column():
    kinds = ["count", "change", "count"]
    found = split("2648-18538", kinds)
    assert found == [("2648", "-1", "8538"), ("2648", "-18", "538"), ("2648", "-185", "38"),
                     ("2648", "-1853", "8")]
    assert split("2648-18538", ["count"] * 3) == []
    assert split("35-15", ["count", "change"]) == [("35", "-15")]


def test_decimals_and_a_unit_only_in_money():
    assert split("5949.088667", ["money"]) == [("5949.088667",)]
    assert split("5949.088667", ["count"]) == []
    found = split("39573802895.90元", ["count", "money"])
    assert ("395", "73802895.90元") in found and all(s[1].endswith("元") for s in found)
    # 元 is converted to 万元 when the cell is read
    assert parse_value("73802895.90元", kind="money").value == pytest.approx(7380.28959)


def test_a_space_ends_a_number_and_the_row_total_decides():
    assert split("20 0 00 0 121", COUNTS7, ROW_SUM) == [("20", "0", "0", "0", "0", "1", "21")]
    assert split("200 000121", COUNTS7, ROW_SUM) == [("20", "0", "0", "0", "0", "1", "21")]
    # without the identity the same run has many splits
    assert len(split("200 000121", COUNTS7)) > 1
    # a split the identities do not settle stays open: the caller reports the candidates
    assert split("7011160088", COUNTS7, ROW_SUM) == [
        ("70", "1", "1", "16", "0", "0", "88"), ("70", "1", "11", "6", "0", "0", "88"),
        ("70", "11", "1", "6", "0", "0", "88")]


def test_table_four_by_its_row_totals():
    assert split("110024001510102", ["count"] * 15, TABLE_FOUR) == [
        tuple("110024001510102")]
    assert split("000000000000000", ["count"] * 15, TABLE_FOUR) == [tuple("0" * 15)]


def test_the_search_is_bounded():
    """A run no report has (70 digits for 7 columns) is given up quickly, never searched
    without end; a table's runs share one budget."""
    start = time.process_time()
    assert split("1" * 70, COUNTS7, ROW_SUM) is None
    assert split("1" * 45, ["count"] * 15, TABLE_FOUR) is None
    assert time.process_time() - start < 3
    spent = Budget(50)
    assert splits("1" * 70, COUNTS7, parser(COUNTS7), ROW_SUM, spent) is None
    assert spent.left <= 0
    assert MAX_SPLITS >= 1000


def test_the_rule_of_equal_numbers():
    columns = ("new_made", "new_published", "total_published")
    possible = split("898989", ["count"] * 3)
    assert rule_split(columns, "898989", possible) == ("89", "89", "89")
    assert rule_split(columns, "898990", split("898990", ["count"] * 3)) is None
    # only for the columns that are usually equal
    assert rule_split(("prior_items", "change", "decisions"), "898989", possible) is None
    # and only when the identities still allow it
    assert rule_split(columns, "898989", [("8", "9", "8989")]) is None


def _together_report(replace: dict[str, str]) -> str:
    text = reportgen.generate("together", "2019", 0).text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for label, run in replace.items():
            if line.startswith(label) and line[len(label):].replace(" ", "").isdigit():
                lines[i] = label + run
    return "\n".join(lines)


def test_a_rule_cell_says_so():
    report = gongkai.convert_text(_together_report({"规范性文件": "898989"}))
    cells = [c for c in report.table("proactive").cells if c.row == "normative_documents"]
    assert [(c.value, c.raw, c.status) for c in cells] == [(89, "89", Status.RULE)] * 3
    rule = [d for d in report.diagnostics if d.code == "cells-rule"]
    assert len(rule) == 1 and "89 89 89" in rule[0].message
    assert {r.row for r in rule[0].cells} == {"normative_documents"}


def test_an_unsettled_split_is_ambiguous_with_its_candidates():
    report = gongkai.convert_text(_together_report({"规范性文件": "7777166"}))
    cells = [c for c in report.table("proactive").cells if c.row == "normative_documents"]
    assert {(c.value, c.status) for c in cells} == {(None, Status.AMBIGUOUS)}
    said = [d for d in report.diagnostics if d.code == "cells-ambiguous"
            and "7777166" in d.message]
    assert len(said) == 1 and "7 777 166;" in said[0].message and "and 9 more" in said[0].message


def test_a_broken_source_is_read_as_written_and_found_by_check():
    """The solver does not repair the source: the 总计 row changed so that the outcome rows no
    longer add up to it (its own row sum still holds) is read as written, and the column
    identities report the break."""
    text = (FIXTURES / "samples" / "pingtan-2023.crawl.txt").read_text("utf-8")
    text = text.replace("（七）总计801000081", "（七）总计811000082")
    report = gongkai.convert_text(text)
    total = [c for c in report.table("requests").cells if c.row == "total"]
    assert [c.value for c in total] == [81, 1, 0, 0, 0, 0, 82]
    assert {c.status for c in total} == {Status.OK}
    broken = " ".join(d.message for d in report.diagnostics if d.code == "requests.column-sum")
    assert "column natural_person" in broken and "column total" in broken


def test_pingtan_2020_breaks_its_own_total():
    report = gongkai.convert_file(FIXTURES / "samples" / "pingtan-2020.crawl.txt")
    requests = report.table("requests")
    assert requests.value("total", "natural_person") == 20
    assert requests.value("granted", "natural_person") == 6
    messages = [d.message for d in report.diagnostics if d.code == "requests.column-sum"]
    assert len(messages) == 2 and "26" in messages[0] and "≠ 20" in messages[0]


def test_detach_cuts_a_paragraph_and_maps_every_line_to_its_own():
    case = reportgen.generate("paragraph", "2021", 3)
    text = case.text
    report = gongkai.convert_text(text)
    body = len(text.rstrip("\n").split("\n"))  # the paragraph is the last line
    lines = {c.line for c in report.cells() if c.value is not None}
    assert lines == {body}
    assert [s.key for s in report.sections if s.key][:4] == [
        "overview", "proactive", "requests", "review_litigation"]


def test_detach_leaves_other_text_alone():
    seed = (FIXTURES / "seeds").glob("*.txt")
    for path in sorted(seed)[:2]:
        text = path.read_text("utf-8")
        assert detach(text, text, lambda s: True, lambda s: "", frozenset()) is None


def test_rows_written_together_are_read_by_the_text_reader():
    """PDF text is sniffed by rows of numbers apart by spaces; ``…数量1 0 00 001`` is not one
    (a PDF row has no number run into its label, nor a number with a leading zero)."""
    case = reportgen.generate("together", "2019", 29)
    report = gongkai.convert_text(case.text)
    assert report.metadata.reader == "text"
    assert [c.value for c in report.table("requests").cells if c.row == "new"] == [
        1, 0, 0, 0, 0, 0, 1]


def test_page_chrome_is_not_report_text():
    text = "\n".join([
        "当前位置：首页 > 政务公开 > 年报",
        "标题: 某县2023年政府信息公开工作年度报告",
        "发布时间: 2024-01-20",
        "原文链接: https://x.gov.cn/a.htm",
        "栏目: 年报",
        "==================== 正文 ====================",
        "【打印】【关闭】",
        "分享到：微信 微博",
        "一、总体情况",
        "2023年，某县公开信息100条。",
        "附件下载：",
        "扫一扫在手机打开当前页",
    ])
    report = gongkai.convert_text(text)
    everything = "\n".join(s.text for s in report.sections)
    for chrome in ("当前位置", "栏目", "正文", "打印", "分享", "附件下载", "扫一扫"):
        assert chrome not in everything
    assert report.sections[1].text == "2023年,某县公开信息100条。"
    assert (report.metadata.title, report.metadata.published, report.metadata.url) == (
        "某县2023年政府信息公开工作年度报告", "2024-01-20", "https://x.gov.cn/a.htm")


def test_gongkai_check_reports_the_pingtan_2020_break(capsys):
    status, out, _ = run_check(capsys, str(FIXTURES / "samples" / "pingtan-2020.crawl.txt"))
    assert status == 1
    assert "requests.column-sum" in out and "column natural_person" in out and "≠ 20" in out
    # the rows the identities cannot split are said to be ambiguous, with their candidates
    assert "cells-ambiguous" in out and "7 777 166" in out


def test_the_markdown_marks_a_rule_cell():
    report = gongkai.convert_text(_together_report({"规范性文件": "898989"}))
    out = io.StringIO()
    gongkai.write(report, "markdown", out)
    row = next(line for line in out.getvalue().splitlines() if "规范性文件" in line)
    assert row.count("(规则 89)") == 3
