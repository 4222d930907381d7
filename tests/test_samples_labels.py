"""The label variants the samples write, and how broken labels are put back together."""

from __future__ import annotations

import pytest

import gongkai
from gongkai.engine.manager import default_engine
from gongkai.interpret.segment import segment, split_words
from gongkai.parse.blocks import CellToken
from gongkai.pipeline import interpreter


@pytest.fixture(scope="module")
def vocab():
    return interpreter(default_engine()).vocab


@pytest.mark.parametrize("table,label,code", [
    ("proactive", "本年制发件数", "issued"),
    ("proactive", "本年新制发件数", "issued"),
    ("proactive", "行政规范性文件", "normative_documents"),
    ("proactive", "规范性文件", "normative_documents"),
    ("proactive", "规范性文件(行政机关制定发布的决定、公告…)", "normative_documents"),
    ("proactive", "现行有效件数 (历史累计)", "in_force"),
    ("proactive", "上一年项目数量(指2019年事项数)", "prior_items"),
    ("proactive", "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)", "change"),
    ("proactive", "本年 新制作数量", "new_made"),
    ("requests", "1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请",
     "other.no_correction"),
    ("requests", "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "other.no_correction"),
    ("requests", "部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partly_granted"),
    ("requests", "3、其他", "other.other"),
    ("requests", "其他", "legal_person.other"),
])
def test_label_variants(vocab, table, label, code):
    assert vocab[table].resolve(label).code == code


def test_traditional_vocabulary_is_converted():
    text = ("二、主動公開政府信息情況\n第二十條第(一)項 | | | |\n"
            "信息內容 | 本年新製作數量 | 本年新公開數量 | 對外公開總數量 |\n"
            "規章 | 1 | 2 | 3 |\n規範性檔案 | 4 | 5 | 6 |\n")
    report = gongkai.convert_text(text)
    assert report.metadata.script == "traditional"
    assert report.table("proactive").value("normative_documents", "total_published") == 6
    assert report.cell("proactive", "normative_documents", "new_made").raw == "4"


@pytest.mark.parametrize("label,row", [
    ("2.其他法律行政止公开", "withheld.prohibited_by_law"),      # 法规禁 lost
    ("5.属于三类内部事物信息", "withheld.internal_affairs"),    # 务 misread
    ("3.补正后申请内容仍不明", "unable.still_unclear"),
])
def test_a_misspelt_row_label_is_read_with_a_diagnostic(vocab, label, row):
    assert vocab["requests"].resolve(label).role == "unknown"
    assert vocab["requests"].closest_row(label)[0] == row


@pytest.mark.parametrize("label", [
    "其他主动公开文件",                     # a regional row: close to nothing
    "3.其他法律行政法规禁止公开",          # the numbering says it is another row
    "法规禁止",                              # too short to tell
    "行政机关不再处理其政府信息公开",      # a fragment of two rows alike
])
def test_no_fuzzy_match_when_not_clearly_meant(vocab, label):
    assert vocab["requests"].closest_row(label) is None


def test_fuzzy_match_in_a_report():
    rows = ["一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            "2.其他法律行政止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"]
    report = gongkai.convert_text("三、收到和处理政府信息公开申请情况\n" + "\n".join(rows) + "\n")
    (fuzzy,) = [d for d in report.diagnostics if d.code == "label-fuzzy"]
    assert fuzzy.line == 3 and "2.其他法律行政法规禁止公开" in fuzzy.message
    assert report.cell("requests", "withheld.prohibited_by_law", "total").raw == "0"


def label(text, line, index=0):
    return CellToken("label", text, line, index)


def value(text, line, index=1):
    return CellToken("value", text, line, index)


def test_split_a_header_line(vocab):
    assert split_words("信息内容 本年制发件数 本年废止件数 现行有效件数", vocab["proactive"]) == [
        "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert split_words("（四）无 1.本机关不掌握相关政府信息", vocab["requests"]) == [
        "（四）无", "1.本机关不掌握相关政府信息"]
    assert split_words("(三)不予 公开", vocab["requests"]) is None  # nothing named: kept


def test_join_a_label_broken_over_lines(vocab):
    tokens = [label("5.要求行政机关确认或重新出", 1), label("具已获取信息", 2), value("1", 2)]
    (joined, number) = segment(tokens, vocab["requests"])
    assert (joined.text, joined.line, number.text) == (
        "5.要求行政机关确认或重新出具已获取信息", 2, "1")


def test_join_a_label_around_its_values(vocab):
    tokens = [label("1、申请人无正当理由逾期不补", 1), label("正、行政机关不再处理其政府信", 2),
              value("67", 2), value("3", 2), label("息公开申请", 3), label("2、申请人", 4)]
    out = segment(tokens, vocab["requests"])
    assert [t.text for t in out] == [
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "67", "3", "2、申请人"]
    assert vocab["requests"].resolve(out[0].text).code == "other.no_correction"


def test_a_label_one_character_per_line_stays_unknown_but_harmless(vocab):
    pieces = [label(c, n) for n, c in enumerate(["三、", "本", "年", "度", "办", "理", "结", "果"])]
    row = [label("（一）予以公开", 9), value("1", 9)]
    out = segment(pieces + row, vocab["requests"])
    assert out[-2:] == row  # the row label is not swallowed by the pieces before it
