"""A crawler's header lines give the report's title, date, agency and address (issue 15).

The header below is the one of the 平潭 archive's dumps (shared/samples/pingtan-2020.crawl.txt,
its first nine lines); the report after it is the 昌图 excerpt of tests/fixtures/samples.
"""

from __future__ import annotations

from pathlib import Path

from gongkai import convert_text

BODY = (Path(__file__).parent / "fixtures" / "samples" / "changtu-2021.excerpt.txt").read_text(
    encoding="utf-8")

PINGTAN_HEAD = """标题: 平潭综合实验区2020年度政府信息公开工作年度报告
发布时间: 2021-03-05 08:58
文号:\x20
发布机构:\x20
栏目: 政府信息公开年报
原文链接: https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202103/t20210305_80595.htm
本地目录: zwgk/zfxxgk/zfxxgknb/202103/80595_平潭综合实验区2020年度政府信息公开工作年度报告
页面链接与图片详见 links.tsv(同目录)
==================== 正文 ====================
"""


def test_the_pingtan_header_gives_title_date_url_and_the_agency_the_title_names() -> None:
    m = convert_text(PINGTAN_HEAD + BODY).metadata
    assert m.title == "平潭综合实验区2020年度政府信息公开工作年度报告"  # without its "标题:"
    assert m.agency == "平潭综合实验区"  # 发布机构 is empty: the title names it
    assert m.year == 2020
    assert m.published == "2021-03-05"
    assert m.url == ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202103/"
                     "t20210305_80595.htm")


def test_a_stated_agency_and_a_chinese_date_are_taken() -> None:
    head = ("标题：示例县2022年政府信息公开工作年度报告\n发布时间：2023年1月31日\n"
            "发布机构：示例县人民政府办公室\n原文链接：见附件\n")
    m = convert_text(head + BODY).metadata
    assert (m.agency, m.year, m.published) == ("示例县人民政府办公室", 2022, "2023-01-31")
    assert m.url == ""  # "见附件" is no address


def test_without_a_header_the_fields_stay_as_before() -> None:
    m = convert_text(BODY).metadata
    assert (m.title, m.published, m.url) == ("", "", "")
    assert m.year == 2021


def test_a_header_key_inside_the_report_is_not_a_header() -> None:
    # Only the first lines are the crawler's: a later "发布时间:" line is the report's text.
    m = convert_text(BODY + "\n发布时间: 2030-01-01\n原文链接: https://example.gov.cn/x\n").metadata
    assert (m.published, m.url) == ("", "")
