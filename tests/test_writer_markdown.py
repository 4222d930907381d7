"""The Markdown writer: metadata, sections, tables in template order with values as written,
visible marks for empty cells, escaping of | and line breaks, diagnostics at the end."""

from __future__ import annotations

import re

import gongkai
from gongkai.layouts.codes import load_codes
from gongkai.plugins.markdown_writer import EMPTY, MISSING

from conftest import seed_path
from writer_samples import sample_report

#: A "|" that separates GFM cells: one not escaped by a backslash.
SEPARATOR = re.compile(r"(?<!\\)\|")


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of every GFM table row in the document."""
    return [[c.strip() for c in SEPARATOR.split(line)[1:-1]]
            for line in markdown.splitlines() if line.startswith("|")]


def gfm_tables(markdown: str) -> list[list[str]]:
    """The document's GFM tables, each as its list of lines."""
    tables, current = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_every_table_row_has_as_many_cells_as_its_header(seed_reports):
    for path in (seed_path("000"), seed_path("001")):
        text = gongkai.dumps(seed_reports[path.stem], "markdown")
        for table in gfm_tables(text):
            widths = {len(SEPARATOR.split(line)) for line in table}
            assert len(widths) == 1, table[0]
            assert re.fullmatch(r"\| --- \|( ---:? \|)+", table[1])


def test_tables_sit_in_their_section_in_template_order(seed_reports):
    text = gongkai.dumps(seed_reports[seed_path("001").stem], "markdown")
    codes = load_codes().table("requests")
    section = text.index("## 三、收到和处理政府信息公开申请情况")
    table = text.index("表:收到和处理政府信息公开申请情况", section)
    assert section < table < text.index("## 四、")
    header = next(r for r in table_rows(text[table:]) if r[0] == "项目")
    assert header[1:] == [c.zh for c in codes.columns]  # flattened: 法人或其他组织 / 商业企业
    labels = [r[0] for r in table_rows(text[table:text.index("## 四、")])][2:]
    assert labels == [r.zh for r in codes.rows if r.code != "other"]


def test_proactive_table_is_cut_where_its_columns_change(seed_reports):
    text = gongkai.dumps(seed_reports[seed_path("003").stem], "markdown")
    start = text.index("表:主动公开政府信息情况")
    block = text[start:text.index("表:收到和处理", start)]
    assert len(gfm_tables(block)) == 4  # items (一), (五)(六), (八), (九) of the 2019 template
    assert "| 行政许可 | 64 | -3 | 61 |" in block


def test_values_as_written_and_empty_cells_visible():
    text = gongkai.dumps(sample_report(), "markdown")
    _metadata, first, extra = gfm_tables(text)  # the extra row carries other columns: its own table
    by_label = {r[0]: r for r in table_rows("\n".join(first))}
    total = by_label["项目"].index("总计")
    person = by_label["项目"].index("自然人")
    assert by_label["二、上年结转政府信息公开申请数量"][person] == "-"  # placeholder as written
    assert by_label["二、上年结转政府信息公开申请数量"][total] == EMPTY
    assert by_label["四、结转下年度继续办理"][person] == MISSING
    assert by_label["四、结转下年度继续办理"][total] == "(推算 5)"
    assert by_label["(七)总计"][total] == r"a\|b<br>c"  # | escaped, line break kept visible
    assert table_rows("\n".join(extra))[2] == ["regional.extra", r"@1.5(其中\|注)"]  # raw


def test_text_cannot_become_markup():
    text = gongkai.dumps(sample_report(), "markdown")
    assert "<b>" not in text and r"&lt;b\>不是标签&lt;/b\>" in text
    assert "1\\. 第一段 \\*不是强调\\*" in text  # not a list, not emphasis
    assert "\n\\- 不是列表 \\| 竖线" in text
    assert "\n缩进\n" in text  # four spaces would make a code block
    assert "| 标题 title | 标题 \\| \\*星号\\* |" in text


def test_metadata_first_and_diagnostics_last():
    text = gongkai.dumps(sample_report(), "markdown")
    assert text.startswith("# 标题 \\| \\*星号\\*\n")
    assert r"| 机关 agency | &lt;某局\> \| 办公室 |" in text
    tail = text[text.index("## 诊断"):]
    assert "**warning** `requests.column-identity`" in tail
    assert "第 12 行, 另见第 10, 11 行" in tail
    assert "(七)总计 / 自然人 (`requests/total/natural_person`)" in tail
    assert text.index("## 三、") < text.index("## 诊断")


def test_no_diagnostics_says_so(seed_reports):
    report = seed_reports[seed_path("002").stem]
    text = gongkai.dumps(report, "markdown")
    if not report.diagnostics:
        assert text.rstrip().endswith("## 诊断 diagnostics\n\n无。")
    assert text.count("- **") == len(report.diagnostics)


# -- the fast paths of inline() and paragraph() give the substitutions' text -------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.plugins import markdown_writer as md  # noqa: E402

#: Text made of the characters the escapes act on, Chinese, digits and letters.
_ODD_TEXT = st.text(alphabet=st.sampled_from(list("\\`*_[]|~#>&<:.@/ -+=)wW1９二年a \t")),
                    max_size=30)


@given(_ODD_TEXT)
def test_inline_and_paragraph_fast_paths_change_nothing(text):
    reference = md._AUTOLINK.sub(md._unlinked, md._INLINE.sub(
        r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;")))
    assert md.inline(text) == reference
    stripped = md.inline(text.strip(" \t"))
    assert md.paragraph(text) == md._BLOCK_START.sub(
        lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3),
        stripped)
