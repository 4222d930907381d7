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
from gongkai.parse.fastparse import lexers, parse_lines, walk_table
from gongkai.parse.grammar import parse_with_grammar
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
    assert walk_table() is not None
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


def test_the_table_kept_in_the_cache_is_the_grammars(tmp_path, monkeypatch):
    # walk_table() reads what the cache keeps; what it keeps is what the built parser gives,
    # and a text still parses to Lark's blocks with the table read back from a fresh cache.
    import json

    from gongkai.parse import fastparse
    from gongkai.parse.grammar import parser

    # The same table whichever run took it (Lark numbers its states differently each run).
    assert walk_table() == json.loads(json.dumps(fastparse._take_table(parser())))
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    clear_walk()
    try:
        built = fastparse.walk_table()
        (entry,) = tmp_path.glob("fast-lexers-*.json")
        assert json.loads(entry.read_text("utf-8"))["value"] == built
        clear_walk()
        text = normalized(SEEDS[0])
        assert parse_lines(text) == lark_blocks(text)
    finally:
        clear_walk()


def clear_walk() -> None:
    from gongkai.parse import fastparse

    for cached in (fastparse.walk_table, fastparse.lexers, fastparse._compiled):
        cached.cache_clear()
    fastparse._ROW_SHAPES.clear()


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


def edited_grammar(monkeypatch, tmp_path, *edits: tuple[str, str]) -> None:
    """Parse with a copy of report.lark edited by ``edits`` (each ``(old, new)``, which must
    apply), as if it were the grammar shipped; undone by the fixture's teardown."""
    from gongkai.parse import fastparse, grammar

    text = grammar.grammar_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    copy = tmp_path / "report.lark"
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(grammar, "grammar_text", copy.read_text)
    monkeypatch.setattr(fastparse, "grammar_text", copy.read_text)
    grammar.parser.cache_clear()
    clear_walk()


@pytest.fixture
def restore_grammar():
    from gongkai.parse import grammar

    yield
    grammar.parser.cache_clear()
    clear_walk()


# Texts an edited grammar is tried on: the seeds, and lines of every kind.
EDGE_TEXT = "\n".join(["", "前言", *LINES[3:-4], "一、总体情况", "规章 | 0 |", "5", "x"]) + "\n"


@pytest.mark.parametrize("edits", [
    # alternatives reordered, and rules written in another order: the same language
    [("cell: LABEL PIPE   -> label\n    | VALUE PIPE   -> value\n    | PIPE         -> empty",
      "cell: PIPE -> empty\n    | VALUE PIPE -> value\n    | LABEL PIPE -> label")],
    [("_prose: paragraph | subheading | caption", "_prose: caption | subheading | paragraph"),
     ("table: row (row | value_line)*", "table: row (value_line | row)*")],
    # an extra alternative: a caption may also stand between the rows of a table
    [("table: row (row | value_line)*", "table: row (row | value_line | caption)*")],
    # an extra alternative: a heading may be followed by a sub-heading on its own
    [("heading: HEADING _NL", "heading: HEADING _NL | HEADING _NL SUBHEADING _NL")],
], ids=["cells-reordered", "rules-reordered", "caption-in-table", "heading-alternative"])
def test_an_edited_grammar_is_walked_with_the_table_derived_from_it(tmp_path, monkeypatch,
                                                                   restore_grammar, edits):
    """The walk follows the grammar it is given: with a rule reordered or given another
    alternative, the table is taken again (no warning) and the walk gives Lark's blocks."""
    import warnings

    from gongkai.parse.fastparse import FastPathWarning

    edited_grammar(monkeypatch, tmp_path, *edits)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FastPathWarning)
        assert walk_table() is not None
    for text in [*(normalized(p) for p in SEEDS), EDGE_TEXT]:
        expected = lark_blocks(text)
        fast = parse_lines(text)
        assert fast == expected
        if expected is not None:
            assert fast is not None  # walked, not left to Lark


def test_a_caption_between_rows_is_read_as_the_edited_grammar_says(tmp_path, monkeypatch,
                                                                   restore_grammar):
    # The edit changes the blocks, and the walk changes with it: one table, not two.
    text = "规章 | 0 |\n第二十条第(一)项\n规章 | 1 |\n"
    kinds = [type(b).__name__ for b in parse_with_grammar(text).preamble.blocks]
    assert kinds == ["TableBlock", "Line", "TableBlock"]  # the grammar shipped
    edited_grammar(monkeypatch, tmp_path,
                   ("table: row (row | value_line)*", "table: row (row | value_line | caption)*"))
    fast = parse_lines(text)
    assert fast is not None and fast == parse_with_grammar(text)
    assert [type(b).__name__ for b in fast.preamble.blocks] == ["Line", "TableBlock"]


def test_a_grammar_the_walk_cannot_take_is_parsed_by_lark_loudly(tmp_path, monkeypatch,
                                                                 restore_grammar):
    """Cells of a row written right-recursively: the parser's stack grows with the cells, so
    there is no finite table to walk. The walk stands aside with a FastPathWarning saying why,
    and Lark gives the blocks."""
    from gongkai.parse import document, fastparse

    edited_grammar(monkeypatch, tmp_path,
                   ("row: cell+ open_cell? _NL",
                    "row: _cells open_cell? _NL\n_cells: cell _cells | cell"))
    text = normalized(SEEDS[0])
    with pytest.warns(fastparse.FastPathWarning, match="configurations"):
        assert parse_lines(text) is None
    assert document.parse(text) == parse_with_grammar(text)


def test_a_rule_no_block_is_built_for_is_an_error(tmp_path, monkeypatch, restore_grammar):
    from gongkai.errors import ConfigError
    from gongkai.parse.grammar import parser

    edited_grammar(monkeypatch, tmp_path,
                   ("_prose: paragraph | subheading | caption",
                    "_prose: paragraph | subheading | caption | note\nnote: \"注:\" TEXT _NL"))
    with pytest.raises(ConfigError, match="note"):
        parser()
