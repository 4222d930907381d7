"""The report grammar: what must parse, how, and what must fail with a located error."""

from __future__ import annotations

import logging

import lark
import pytest

from gongkai.errors import ReportSyntaxError
from gongkai.parse.blocks import TableBlock
from gongkai.parse.document import parse
from gongkai.parse.grammar import grammar_text, parser


def kinds(block: TableBlock) -> list[list[str]]:
    return [[c.kind for c in row] for row in block.rows]


def tables(doc):
    return [b for s in doc.all_sections() for b in s.blocks if isinstance(b, TableBlock)]


def test_grammar_is_lalr_without_conflicts(caplog):
    # Lark reports shift/reduce conflicts through its logger in debug mode.
    caplog.set_level(logging.DEBUG, logger="lark")
    lark.Lark(grammar_text(), parser="lalr", lexer="contextual", start="document", debug=True)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]
    assert parser().options.parser == "lalr"


def test_parser_is_built_once():
    assert parser() is parser()


def test_every_terminal_is_named():
    # Anonymous terminals ("|" written inline in a rule) make errors read badly.
    for term in parser().terminals:
        assert not term.name.startswith("__ANON"), term


def test_sections_and_prose():
    doc = parse("标题\n一、总体情况\n(一)主动公开\n正文一段。\n二、主动公开政府信息情况\n")
    assert doc.preamble.blocks[0].text == "标题"
    first, second = doc.sections
    assert (first.number, first.title, first.line) == ("一", "总体情况", 2)
    assert [b.kind for b in first.blocks] == ["subheading", "paragraph"]
    assert (second.number, second.title) == ("二", "主动公开政府信息情况")


def test_one_row_per_line():
    doc = parse("一、表\n行政许可 | 64 | -3 | 61 |\n行政处罚 | 0 | 0 | 0 |\n")
    (table,) = tables(doc)
    assert kinds(table) == [["label", "value", "value", "value"]] * 2
    assert [c.text for c in table.rows[0]] == ["行政许可", "64", "-3", "61"]
    assert [c.index for c in table.rows[0]] == [0, 1, 2, 3]


def test_one_cell_per_line_with_padding():
    text = "一、表\n信息内容 |\n本年新制作数量 |\n|\n规章 |\n0 |\n||\n"
    (table,) = tables(parse(text))
    assert kinds(table) == [["label"], ["label"], ["empty"], ["label"], ["value"],
                            ["empty", "empty"]]
    assert table.rows[3][0].line == 5


def test_spanning_row_labels_and_values_as_written():
    text = ("一、表\n三、本年度办理结果 | (一)予以公开 | 0 | 2 |\n"
            "行政强制 | 4(其中行政强制措施2,行政强制执行2) | 减13/增3 | 4.2780亿元 | / | 无 |\n")
    (table,) = tables(parse(text))
    assert kinds(table)[0] == ["label", "label", "value", "value"]
    assert kinds(table)[1] == ["label", "value", "value", "value", "value", "value"]
    # A row heading that starts with a numeral and 、 is a label, not a section heading.
    assert len(parse(text).sections) == 1


def test_open_last_cell_and_bare_value_line():
    text = "一、表\n政府集中采购 | 2 | 595.88\n规章 |\n2.4525\n二、下一节\n"
    (table,) = tables(parse(text))
    assert kinds(table) == [["label", "value", "value"], ["label"], ["value"]]
    assert table.rows[2][0].text == "2.4525"


def test_caption_before_table_and_narrative_after():
    text = "四、复议诉讼\n行政复议\n|\n行政诉讼 |\n0 | 1 |\n我局已进一步完善工作机制。\n"
    doc = parse(text)
    (section,) = doc.sections
    kinds_ = [getattr(b, "kind", "table") for b in section.blocks]
    assert kinds_ == ["caption", "table", "paragraph"]


def test_headings_are_short_and_pipe_free():
    long_line = "一、" + "很长的叙述" * 20
    doc = parse(f"{long_line}\n")
    assert doc.sections == ()
    assert doc.preamble.blocks[0].kind == "paragraph"


@pytest.mark.parametrize(
    "text,line",
    [("一、总体情况\n正文\x00二进制\n", 2), ("标题\n\n\n一、总体\n好\x07\n", 5)],
)
def test_control_characters_fail_with_a_located_error(text, line):
    with pytest.raises(ReportSyntaxError) as info:
        parse(text)
    assert info.value.line == line
    assert "unexpected character" in info.value.message
    assert "column" in info.value.message


def test_empty_document_parses_to_nothing():
    doc = parse("\n\n")
    assert doc.sections == () and doc.preamble.blocks == ()
