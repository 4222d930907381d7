"""Markdown shows a report's URLs and e-mail addresses as text, never as links (issue 21): the
output is rendered by GitHub's own GFM implementation (cmarkgfm), autolinks on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_output_safety import check_markdown, hostile_report

from gongkai.pipeline import dumps

cmarkgfm = pytest.importorskip("cmarkgfm")

LINKS = [
    "see http://evil.example/x now", "https://evil.example", "ftp://x.y/z",
    "www.evil.example", "（WWW.gov.cn）", "联系邮箱:office@example.gov.cn",
    "mailto:a@b.cn", "xmpp:a@b.cn/r", "<http://x.y>", "[a](http://x.y)",
    "a_b@x.cn", "http://a.b/c_d_e", "1@2.3",
]


def _html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


@pytest.mark.parametrize("text", LINKS)
def test_urls_and_addresses_in_cells_and_prose_are_no_links(text):
    report = hostile_report([text], report_id="r")
    markdown = check_markdown(report, [text])
    html = _html(markdown)
    assert "<a " not in html, (text, markdown)
    # ... and still shown as written (the comment that cuts an address shows as nothing).
    shown = html.replace("<!-- raw HTML omitted -->", "")
    visible = text.replace("<", "&lt;").replace(">", "&gt;")
    assert visible in shown, (text, shown[:2000])


@given(st.lists(st.sampled_from(["http://", "www.", "@", "a", ".", "/", ":", "_", " ", "cn"]),
                max_size=12).map("".join))
def test_no_text_becomes_a_link(text):
    markdown = dumps(hostile_report([text], report_id="r"), "markdown")
    assert "<a " not in _html(markdown)
