"""The line walker (gongkai.parse.fastparse) gives exactly the blocks the Lark grammar gives.

It is the corpus hot path, so it must never differ from ``grammars/report.lark``: wherever it
returns blocks they equal Lark's, and anything it is unsure of goes to Lark.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.engine.manager import default_engine
from gongkai.errors import ReportSyntaxError
from gongkai.normalize.normalizers import normalize
from gongkai.parse.document import parse
from gongkai.parse.fastparse import RULES_FINGERPRINT, lexers, parse_lines, rules_fingerprint
from gongkai.parse.grammar import parse_with_grammar, parser
from gongkai.pipeline import read

from conftest import SEEDS

EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "reports").glob("*.txt"))


def normalized(path: Path) -> str:
    engine = default_engine()
    source, _ = read(path.read_bytes(), engine=engine, filename=path.name)
    text, _ = normalize(source.text, [(c.item, c.plugin) for c in engine.normalizers()])
    return text if text.endswith("\n") else text + "\n"


def lark_blocks(text: str):
    try:
        return parse_with_grammar(text)
    except ReportSyntaxError:
        return None


def test_the_fast_path_is_on_for_this_grammar():
    assert rules_fingerprint(parser()) == RULES_FINGERPRINT, (
        "the grammar's rules changed: gongkai.parse.fastparse stands aside (slow but correct). "
        "Check that its walk still matches the rules, then update RULES_FINGERPRINT."
    )
    assert lexers() is not None


@pytest.mark.parametrize("path", SEEDS + EXAMPLES, ids=lambda p: p.name[:12])
def test_same_blocks_as_the_grammar_on_real_reports(path):
    text = normalized(path)
    fast = parse_lines(text)
    assert fast is not None  # real reports take the fast path
    assert fast == parse_with_grammar(text)
    assert parse(text) == fast


# Lines of every kind the grammar tells apart, and the edge cases between them.
LINES = [
    "", "  ", "\t", "一、总体情况", "二、 主动公开政府信息情况", "十一、其他" + "很长" * 30,
    "(一)加强领导", "(二)" + "字" * 60, "第二十条第(一)项", "行政许可", "信息内容 |",
    "规章 | 0 | 0 | 0 |", "规章 | 0 | 0 | 0", "|||", "| |", " | 5 |", "0 |", "5", "-3",
    "3,194.752 |", "4.2780亿元 |", "减13/增3 |", "4(其中行政强制措施2,行政强制执行2) |",
    "/ |", "无 |", "— |", "x | y |", "乱码 | x", "12 件", "投稿:xmx 来源:时间:2020年01月31日",
    "2019年,中心对政府信息进行了全面梳理。", "本年新制作数量 |本年新公开数量|", "  规章  |  3  |",
    "一、本年新收政府信息公开申请数量 | 0 | 0 |", "(七)总计 | 1 |",
    "三、本年度办理结果 | (一)予以公开 | 0 |",
    "a\x07b", "|\x01|", "?? |", "(单位:万元) |",
]


@fuzz_settings(300)
@given(st.lists(st.sampled_from(LINES), max_size=40), st.booleans())
def test_same_blocks_as_the_grammar_on_generated_texts(lines, leading_newline):
    text = ("\n" if leading_newline else "") + "\n".join(lines) + "\n"
    fast = parse_lines(text)
    if fast is not None:
        assert fast == lark_blocks(text)


@fuzz_settings(100)
@given(st.data())
def test_same_blocks_as_the_grammar_on_mutated_seeds(data):
    path = data.draw(st.sampled_from(SEEDS))
    lines = normalized(path).split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "insert", "trim", "pipe"]))
        if op == "drop":
            del lines[i]
        elif op == "insert":
            lines.insert(i, data.draw(st.sampled_from(LINES)))
        elif op == "trim":
            lines[i] = lines[i][: data.draw(st.integers(0, max(len(lines[i]), 0)))]
        else:
            lines[i] = lines[i] + " |"
        if not lines:
            lines = [""]
    text = "\n".join(lines)
    text = text if text.endswith("\n") else text + "\n"
    fast = parse_lines(text)
    if fast is not None:
        assert fast == lark_blocks(text)


def test_a_syntax_error_is_left_to_the_grammar_which_locates_it():
    text = "一、总体情况\n规章 | 0 \x07| 0 |\n"
    assert parse_lines(text) is None
    with pytest.raises(ReportSyntaxError) as info:
        parse(text)
    assert info.value.line == 2


def test_remembered_row_lines_stay_bounded(monkeypatch):
    from gongkai.parse import fastparse

    monkeypatch.setattr(fastparse, "_SHAPES_KEPT", 50)
    text = "".join(f"规章{i} | {i} |\n" for i in range(200)) + "x" * 500 + " | 1 |\n"
    assert parse_lines(text) == parse_with_grammar(text)
    assert 0 < len(fastparse._ROW_SHAPES) <= 50
    assert all(len(line) <= fastparse._SHAPE_MAX_CHARS for _, line in fastparse._ROW_SHAPES)
    # A remembered line read again, now after a row rather than after prose: the same cells.
    again = "前言\n" + text
    assert parse_lines(again) == parse_with_grammar(again)


def test_the_lexers_kept_in_the_cache_are_the_grammars(tmp_path, monkeypatch):
    # lexers() compiles what the cache keeps; what it keeps is what the built parser gives,
    # and a text still parses to Lark's blocks with lexers read back from a fresh cache.
    import json

    from gongkai.parse import fastparse

    assert {state: (p.pattern, p.flags) for state, p in lexers().items()} == (
        fastparse._lexer_patterns())
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    fastparse.lexers.cache_clear()
    try:
        built = fastparse.lexers()
        (entry,) = tmp_path.glob("fast-lexers-*.json")
        assert {s: tuple(v) for s, v in json.loads(entry.read_text("utf-8"))["value"].items()} == {
            s: (p.pattern, p.flags) for s, p in built.items()}
        fastparse.lexers.cache_clear()
        text = normalized(SEEDS[0])
        assert parse_lines(text) == lark_blocks(text)
    finally:
        fastparse.lexers.cache_clear()


def test_a_conversion_starts_without_lark(tmp_path):
    # The fast path runs on the cached lexers: converting a report in a new process does not
    # import Lark (about a tenth of a start-up), once the cache holds them.
    import os
    import subprocess
    import sys

    env = {**os.environ, "GONGKAI_CACHE_DIR": str(tmp_path)}
    code = ("import sys, gongkai; r = gongkai.convert(sys.argv[1]); "
            "print(len(list(r.cells())), 'lark' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code, str(SEEDS[0])], env=env, check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(2)]
    assert runs[0][0] == runs[1][0] != "0"
    assert runs[1][1] == "False"


def test_an_edited_rule_turns_the_walk_off_loudly_and_the_result_stays_right(tmp_path,
                                                                             monkeypatch):
    """A rule added to the grammar (here a paragraph may also be a caption-like line) is not one
    the walk knows: it stands aside with a FastPathWarning, and Lark gives the blocks."""
    from gongkai.parse import document, fastparse, grammar

    original = grammar.grammar_text()
    edited = original.replace("paragraph: TEXT _NL", "paragraph: TEXT _NL | TEXT TEXT _NL", 1)
    assert edited != original
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(grammar, "grammar_text", lambda: edited)
    monkeypatch.setattr(fastparse, "grammar_text", lambda: edited)
    grammar.parser.cache_clear()
    fastparse.lexers.cache_clear()
    try:
        text = normalized(SEEDS[0])
        with pytest.warns(fastparse.FastPathWarning, match="RULES_FINGERPRINT"):
            assert parse_lines(text) is None
        assert document.parse(text) == parse_with_grammar(text)
    finally:
        grammar.parser.cache_clear()
        fastparse.lexers.cache_clear()
