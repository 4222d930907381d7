"""Traditional script, pinyin annotations and junk: normalized for matching, raw kept."""

from __future__ import annotations

from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.engine.plugin_types import NormalizeContext
from gongkai.plugins import traditional_script as ts
from gongkai.plugins.width_folding import fold

from conftest import seed_path


def test_pinyin_annotations_removed_only_when_there_are_several():
    ctx = NormalizeContext()
    assert ts.remove_pinyin("領(lǐng)導(dǎo)重視(shì),報(bào)告", ctx) == "領導重視,報告"
    # One lower-case parenthetical alone is not a converting site's annotation.
    assert ts.remove_pinyin("下载附件(pdf)", ctx) == "下载附件(pdf)"
    # Numbering in parentheses is never touched.
    text = "(一)予以公開 領(lǐng) 導(dǎo) 報(bào)"
    assert ts.remove_pinyin(text, ctx).startswith("(一)予以公開")


def test_junk_prefix_removed():
    ctx = NormalizeContext()
    assert ts.remove_junk("?????一、總體情況\n第二行", ctx) == "一、總體情況\n第二行"
    assert ts.remove_junk("\ufffd\ufffd一、总体情况", ctx) == "一、总体情况"
    assert ts.remove_junk("为什么?好", ctx) == "为什么?好"


def test_traditional_detected_and_converted_with_mirrored_vocabulary():
    ctx = NormalizeContext()
    text = "二、主動公開政府資訊情況\n規範性檔案 | 0 | 0 | 1 |\n8.屬於行政查詢事項 | 0 |"
    out = ts.to_simplified(text, ctx)
    assert ctx.facts == {"script": "traditional"}
    assert "规范性文件" in out and "主动公开政府信息情况" in out
    # Mainland wording is not damaged the way OpenCC's tw2sp would (查询 -> 查找).
    assert "8.属于行政查询事项" in out
    assert [line.count("|") for line in out.split("\n")] == [0, 4, 2]


def test_simplified_text_left_alone():
    ctx = NormalizeContext()
    text = "规范性文件 | 0 |\n本机关不掌握相关政府信息"
    assert ts.to_simplified(text, ctx) == text
    assert ctx.facts == {}


def test_width_folding():
    assert fold("１２３（其中４件）：，", NormalizeContext()) == "123(其中4件):,"


def test_raw_text_stays_as_written_in_a_traditional_seed():
    report = gongkai.convert_file(seed_path("001"))
    labels_in_model = {s.title for s in report.sections}
    assert "总体情况" in labels_in_model  # normalized, simplified, no pinyin
    fee = report.cell("proactive", "fees", "fee_amount")
    assert fee.raw == "865.95"
    assert report.metadata.script == "traditional"


def test_fullwidth_digits_and_raw_cells():
    text = ("一、总体情况\n二、主动公开政府信息情况\n"
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "规章 | １２ | ０ | ３（其中修订１件） |\n")
    report = gongkai.convert_text(text)
    cell = report.cell("proactive", "regulations", "issued")
    assert (cell.value, cell.raw) == (12, "１２")
    in_force = report.cell("proactive", "regulations", "in_force")
    assert (in_force.value, in_force.raw, in_force.note) == (3, "３（其中修订１件）", "其中修订1件")


@fuzz_settings(200)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_folding_the_whole_text_equals_folding_each_line(text):
    # fold() works on the whole text at once because a line break is inert under NFKC.
    ctx = NormalizeContext()
    assert fold(text, ctx) == "\n".join(fold(line, ctx) for line in text.split("\n"))


def test_script_check_counts_characters_only_traditional_script_uses():
    ctx = NormalizeContext()
    assert ts.is_traditional("政府信息公開工作年度報告。本機關處理申請數量統計如下。")
    assert not ts.is_traditional("政府信息公开工作年度报告。本机关处理申请数量统计如下。")
    # A few traditional-only characters in a simplified text (a name, a quotation) are not
    # enough: the share of them decides.
    assert not ts.is_traditional("政府信息公开工作年度报告" * 20 + "於")
    assert ts.to_simplified("政府信息公开", ctx) == "政府信息公开"
    assert ctx.facts.get("script") is None


@fuzz_settings(300)
@given(st.text(alphabet=st.sampled_from(list("政府信息公开開報报告於统統计計 |\n1a")),
               max_size=400))
def test_script_check_stops_counting_where_the_share_is_reached(text):
    # is_traditional counts traditional-only characters only until the share is reached: the
    # answer is the share of all of them, as counted in full.
    pattern = ts._traditional_characters()
    hits = len(pattern.findall(text))
    cjk = sum(map(len, ts._CJK.findall(text)))
    expected = bool(hits) and hits / cjk >= ts.TRADITIONAL_SHARE
    assert ts.is_traditional(text) is expected


def test_the_hits_needed_are_the_fewest_that_reach_the_share():
    for cjk in range(1, 5000):
        needed = ts._hits_needed(cjk)
        assert needed / cjk >= ts.TRADITIONAL_SHARE
        assert needed == 1 or (needed - 1) / cjk < ts.TRADITIONAL_SHARE
