"""The 2019 or 2021 layout is chosen per table from its own labels, never from the year."""

from __future__ import annotations

import gongkai

HEAD = "一、总体情况\n二、主动公开政府信息情况\n"

PROACTIVE_2021 = (
    "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "规章 | 1 | 0 | 5 |\n规范性文件 | 2 | 1 | 9 |\n"
    "信息内容 | 本年处理决定数量 |\n行政许可 | 30 |\n"
    "信息内容 | 本年处理决定数量 |\n行政处罚 | 4 |\n行政强制 | 0 |\n"
    "信息内容 | 本年收费金额(单位:万元) |\n行政事业性收费 | 12.5 |\n"
)
PROACTIVE_2019 = (
    "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
    "规章 | 1 | 1 | 5 |\n规范性文件 | 2 | 2 | 9 |\n"
    "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
    "行政许可 | 10 | 2 | 30 |\n其他对外管理服务事项 | 0 | 0 | 0 |\n"
    "行政处罚 | 3 | 0 | 4 |\n行政强制 | 0 | 0 | 0 |\n"
    "信息内容 | 上一年项目数量 | 本年增/减 |\n行政事业性收费 | 2 | -1 |\n"
    "信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 3 | 251000元 |\n"
)
REQUESTS_ROWS = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果 | (一)予以公开", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "(三)不予公开 | 1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
    "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
    "7.属于行政执法案卷", "8.属于行政查询事项", "(四)无法提供 | 1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "(五)不予处理 | 1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
    "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
]
OTHER_2019 = ["(六)其他处理"]
OTHER_2021 = [
    "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]
TAIL = ["(七)总计", "四、结转下年度继续办理"]


def requests_table(other: list[str]) -> str:
    header = ("三、收到和处理政府信息公开申请情况\n"
              "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
              "自然人 | 法人或其他组织 | 总计 |\n"
              "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n")
    rows = [f"{label} | {' | '.join(['0'] * 7)} |" for label in REQUESTS_ROWS + other + TAIL]
    return header + "\n".join(rows) + "\n"


def report(proactive: str, other: list[str], year: int = 2022):
    return gongkai.convert_text(f"{year}年政府信息公开工作年度报告\n{HEAD}{proactive}"
                                f"{requests_table(other)}")


def test_2021_tables():
    r = report(PROACTIVE_2021, OTHER_2021)
    assert r.metadata.templates == {"proactive": "2021", "requests": "2021"}
    assert r.table("proactive").value("fees", "fee_amount") == 12.5
    assert r.table("proactive").cell("fees", "fee_amount").unit == "万元"
    assert len(r.table("requests").cells) == 25 * 7


def test_2019_tables_in_a_2022_report():
    r = report(PROACTIVE_2019, OTHER_2019, year=2022)
    assert r.metadata.templates == {"proactive": "2019", "requests": "2019"}
    p = r.table("proactive")
    assert p.value("fees", "change") == -1
    assert (p.value("procurement", "amount"), p.cell("procurement", "amount").unit) == (
        25.1, "万元")
    assert len(r.table("requests").cells) == 23 * 7


def test_hybrid_2021_proactive_with_2019_requests():
    r = report(PROACTIVE_2021, OTHER_2019)
    assert r.metadata.templates == {"proactive": "2021", "requests": "2019"}
    assert r.cell("requests", "other", "total").value == 0


def test_headers_fix_the_columns_a_row_has():
    # A (五) item whose header has only the decision column: no cell is shifted.
    text = PROACTIVE_2019.replace(
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 10 | 2 | 30 |",
        "信息内容 | 处理决定数量 |\n行政许可 | 30 |")
    r = report(text, OTHER_2019)
    p = r.table("proactive")
    assert p.value("licensing", "decisions") == 30
    assert p.cell("licensing", "prior_items").status.value == "missing"


def test_missing_table_is_a_diagnostic_not_an_error():
    r = gongkai.convert_text(f"{HEAD}{PROACTIVE_2021}")
    assert [t.code for t in r.tables] == ["proactive"]
    missing = [d for d in r.diagnostics if d.code == "table-missing"]
    assert len(missing) == 2
