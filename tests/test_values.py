"""Values as written, turned into numbers as docs/model.md says (statuses, units)."""

from __future__ import annotations

import pytest

from gongkai.interpret.values import header_unit, parse_value
from gongkai.model import Status


@pytest.mark.parametrize(
    "text,value,status",
    [
        ("0", 0, Status.OK),
        ("14", 14, Status.OK),
        ("-3", -3, Status.OK),
        ("3,194.752", 3194.752, Status.OK),
        ("865.95", 865.95, Status.OK),
        ("", None, Status.EMPTY),
        ("   ", None, Status.EMPTY),
        ("/", None, Status.PLACEHOLDER),
        ("-", None, Status.PLACEHOLDER),
        ("—", None, Status.PLACEHOLDER),
        ("无", None, Status.PLACEHOLDER),
        ("见附件", None, Status.UNPARSED),
        ("1.属于国家秘密", None, Status.UNPARSED),
    ],
)
def test_counts(text, value, status):
    parsed = parse_value(text)
    assert (parsed.value, parsed.status) == (value, status)
    assert parsed.unit == ""


def test_empty_is_not_zero():
    assert parse_value("").value is None
    assert parse_value("0").value == 0


@pytest.mark.parametrize(
    "text,net",
    [("减13/增3", -10), ("增5", 5), ("减26/增284", 258), ("增2,减2", 0), ("减 4", -4),
     ("减少4", -4), ("增加3", 3), ("减少2/增加5", 3)],
)
def test_net_change(text, net):
    parsed = parse_value(text, kind="change")
    assert (parsed.value, parsed.status) == (net, Status.OK)


def test_a_signed_number_in_parentheses():
    assert parse_value("(-3)", kind="change").value == -3
    assert parse_value("( +4 )", kind="change").value == 4
    assert parse_value("(3)").status is Status.UNPARSED  # no sign: not taken for a number


def test_the_typographic_minus_is_folded():
    import gongkai

    text = gongkai.convert_text("""二、主动公开政府信息情况
第二十条第(五)项 | | | |
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 12 | −7 | 30 |
""")
    cell = text.cell("proactive", "licensing", "change")
    assert (cell.value, cell.raw) == (-7, "−7")


def test_chinese_zero_and_a_footnote_mark():
    assert parse_value("〇") == parse_value("0")
    parsed = parse_value("860*")  # 注：*含即办件。 below the table
    assert (parsed.value, parsed.status, parsed.note) == (860, Status.OK, "*")
    assert parse_value("8*6").status is Status.UNPARSED


def test_annotation_kept_as_note():
    parsed = parse_value("4(其中行政强制措施2,行政强制执行2)")
    assert (parsed.value, parsed.note) == (4, "其中行政强制措施2,行政强制执行2")
    parsed = parse_value("22(其中修订16件)")
    assert (parsed.value, parsed.note) == (22, "其中修订16件")


@pytest.mark.parametrize(
    "text,hint,value,unit",
    [
        ("4.2780亿元", "", 42780, "万元"),
        ("251000元", "", 25.1, "万元"),
        ("865.95", "万元", 865.95, "万元"),
        ("12万元", "", 12, "万元"),
        ("2.4525", "", 2.4525, ""),  # no unit stated anywhere: kept as written, unit empty
        ("1,000", "元", 0.1, "万元"),
    ],
)
def test_money(text, hint, value, unit):
    parsed = parse_value(text, kind="money", unit_hint=hint)
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit
    assert type(parsed.value) is type(value)


def test_count_units_never_invented():
    assert parse_value("5").unit == ""
    assert parse_value("5件").unit == "件"
    assert parse_value("5", unit_hint="件").unit == "件"


@pytest.mark.parametrize(
    "label,unit",
    [("本年收费金额(单位:万元)", "万元"), ("采购总金额(单位:元)", "元"), ("采购总金额", ""),
     ("金额(单位:亿元)", "亿元")],
)
def test_header_unit(label, unit):
    assert header_unit(label) == unit
