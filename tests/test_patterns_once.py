"""The heading and value syntax is written once, in grammars/report.lark; the code that must
recognise the same things outside the parser takes it from there and agrees with the grammar."""

from __future__ import annotations

import re

from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.grammars import pattern
from gongkai.interpret.values import parse_value
from gongkai.layouts import variant_text
from gongkai.model import Status
from gongkai.parse.blocks import split_heading
from gongkai.parse.grammar import line_terminals
from gongkai.read import pipetext

NUMERALS = re.fullmatch(r"\[(.*)\]\{1,3\}", pattern("_NUMERAL")).group(1)
BLANKS = st.sampled_from(["", " ", "\t", "  "])


def grammar_heading(line: str) -> bool:
    return line_terminals()["HEADING"].match(line + "\n") is not None


def grammar_value(text: str) -> bool:
    m = line_terminals()["BARE_VALUE"].match(text + "\n")
    return m is not None and m.end() == len(text)


@fuzz_settings(300)
@given(st.text(NUMERALS, min_size=1, max_size=3), BLANKS,
       st.text("总体情况收到和处理政府信息公开申请 ", min_size=1, max_size=40))
def test_every_heading_the_grammar_reads_is_one_for_the_code_that_restated_it(numeral, gap,
                                                                             title):
    line = f"{numeral}{gap}、{title}"
    if not title.strip() or not grammar_heading(line):
        return
    assert split_heading(line) == (numeral, title.strip())
    assert pipetext._HEADING.match(line)
    assert variant_text._HEADING.match(line)


VALUES = st.one_of(
    st.from_regex(pattern("_AMOUNT"), fullmatch=True).flatmap(
        lambda amount: st.tuples(st.just(amount), BLANKS,
                                 st.sampled_from(["", "件", "万元", "亿元", "元"]),
                                 st.sampled_from(["", "(其中2)", "(其中行政强制措施2,执行2)"]))
        .map("".join)),
    st.from_regex(pattern("_NET_CHANGE"), fullmatch=True),
    st.from_regex(pattern("_PLACEHOLDER"), fullmatch=True),
)


@fuzz_settings(300)
@given(VALUES)
def test_every_value_the_grammar_reads_is_read_by_the_value_parser(text):
    if not grammar_value(text):
        return
    kind = "change" if text.lstrip()[:1] in "减增" else "count"
    assert parse_value(text, kind=kind).status in (Status.OK, Status.PLACEHOLDER), text


def test_the_placeholders_are_the_grammars():
    for text in ["/", "-", "—", "–", "／", "－", "无", "//", "--"]:
        assert grammar_value(text)
        assert parse_value(text).status is Status.PLACEHOLDER
        assert pipetext._VALUE.match(text)
