"""Page chrome in crawled text: lines of the page around the report that are not report text.

A crawler's dump of a government page keeps what the page showed around the
report — the breadcrumb (``当前位置：首页 > 政务公开 > 年报``), the share and print
bar (``分享到：微信 微博``, ``【打印】【关闭】``), ``附件下载``,
``扫一扫在手机打开当前页`` — and its own header lines that carry no metadata
(``本地目录:``, ``栏目:``, ``文号:``, ``页面链接与图片详见 links.tsv``, a rule such as
``==== 正文 ====``). They are blanked before the text is parsed, so they reach neither the
sections nor the tables; the header lines that do carry metadata (标题, 发布时间, 发布机构,
原文链接: ``gongkai.interpret.metadata``) stay. Only whole lines without ``|`` are blanked, so line
*n* stays line *n* and every cell keeps its raw text.
"""

from __future__ import annotations

import re

#: Chrome wherever it stands: breadcrumbs, share and print bars, attachment and QR lines.
_ANYWHERE = re.compile(
    r"(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：].*"
    r"|首页\s*[>＞›»].*"
    r"|分享到\s*[:：]?.*"
    r"|(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|微信|微博|QQ空间|QQ)[】\]]?[\s丨/·]*){2,}"
    r"|字号\s*[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?.*"
    r"|附件下载\s*(?:[:：].*)?"
    r"|扫一扫在手机(?:上)?打开当前页"
)
#: A crawler's own header lines without metadata (only in the header, see below).
_HEADER = re.compile(
    r"(?:本地目录|栏目|文号|索引号|主题分类|分类|浏览次数|访问次数|阅读次数|点击数|信息来源)\s*[:：].*"
    r"|页面链接与图片详见.*"
    r"|[=\-*#]{3,}\s*正文\s*[=\-*#]{3,}"
)
#: A crawler header is one of its lines among the first lines of the text.
_CRAWLED = re.compile(r"^(?:标题|发布时间|发布日期|原文链接|原文地址|发布机构)\s*[:：]", re.M)
_HEAD_LINES = 16


#: A chrome line is short (a paragraph of prose is not chrome, whatever it holds).
_MAX_CHROME = 120


def blank_chrome(text: str) -> str:
    """``text`` with its page-chrome lines blanked (line numbers kept)."""
    lines = text.split("\n")
    head = "\n".join(lines[:_HEAD_LINES])
    crawled = _CRAWLED.search(head) is not None
    changed = False
    for n, line in enumerate(lines):
        if "|" in line or len(line) > _MAX_CHROME + 8:
            continue
        core = line.strip()
        if not core or len(core) > _MAX_CHROME:
            continue
        if _ANYWHERE.fullmatch(core) or (crawled and n < _HEAD_LINES and _HEADER.fullmatch(core)):
            lines[n] = ""
            changed = True
    return "\n".join(lines) if changed else text
