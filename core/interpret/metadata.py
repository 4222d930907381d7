"""Report metadata found in the text: title, agency, year, dates.

Where each comes from, in order of trust:

* title: a line naming a 政府信息公开工作年度报告 near the top;
* agency: the title (``太仆寺旗2019年政府信息公开工作年度报告``), else a signature — a short
  line right before a date line (``驻马店市公共资源交易中心`` / ``2020年1月20日``), else the
  opening sentence (``2023年,天水市公共资源交易中心在…``);
* year: the title, else the opening sentence's ``2019年``, else a first line naming the year's
  disclosure work (``现将我局2020年度政府信息公开情况报告如下``), else the year before
  publication;
* published: a crawler header (``时间:2020年01月31日``, ``发布时间: 2021-03-05 08:58``), else
  the signature date;
* url: a crawler header (``原文链接: https://…``) among the first lines;
* credit_code: the first valid code a line states after 统一社会信用代码 (gongkai.interpret.agency).

A crawler's dump of a page (the 平潭 archive) opens with header lines, ``标题:`` /
``发布时间:`` / ``发布机构:`` / ``原文链接:``: they are what the site itself says, so they come
first — the title (and the agency and year it names), the date, the agency when the header
is not empty (``发布机构:`` alone is nothing), and the page's address.

Everything here works on the normalized (simplified) text; nothing is guessed beyond these
patterns, and a field the text does not give stays empty.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import attrs

from gongkai.interpret.agency import find_credit_code
from gongkai.parse.blocks import Line, ParsedDocument

_TITLE = re.compile(r"政府信息公开.{0,6}年度报告")
_TITLE_AGENCY = re.compile(
    r"^(?:关于)?(?P<agency>.{2,40}?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年度?\s*政府信息公开"
)
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>.{2,40}?)政府信息公开"
)
_YEAR_OF_REPORT = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CRAWLER = re.compile(r"(?:时间|发布时间|发布日期|日期)\s*[:：]\s*" + _DATE.pattern)
_ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
#: A crawler's header line: its key, and the metadata field it gives.
_CRAWL_FIELDS = {"标题": "title", "发布时间": "published", "发布日期": "published",
                 "原文链接": "url", "原文地址": "url", "原文网址": "url", "网址": "url",
                 "链接": "url", "URL": "url", "发布机构": "agency"}
_CRAWL_LINE = re.compile(r"^(?P<key>" + "|".join(_CRAWL_FIELDS) + r")\s*[:：]\s*(?P<value>.*)$")
#: Crawler header lines are looked for among this many first lines.
_CRAWL_HEAD = 16
_OPENING = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年(?:度|以来)?\s*[,，]?\s*(?P<rest>.*)$"
)
_AGENCY_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|中心|管理局|局|厅|院|署|办|"
    r"街道办事处|街道|"
    r"管理委员会|管委会|公司|总队|支队|大队)"
)
_OPENING_AGENCY = re.compile(rf"^(?P<agency>[\u4e00-\u9fff]{{2,30}}?{_AGENCY_SUFFIX})")
_SIGNATURE = re.compile(rf"^[\u4e00-\u9fff()]{{2,40}}{_AGENCY_SUFFIX}$")


@attrs.frozen
class Found:
    title: str = ""
    agency: str = ""
    year: int | None = None
    published: str = ""
    signed: str = ""
    credit_code: str = ""
    url: str = ""


def find_metadata(doc: ParsedDocument) -> Found:
    lines = [b for s in doc.all_sections() for b in s.blocks if isinstance(b, Line)]
    # A crawler's header opens the text: only the preamble's first lines are looked at.
    crawled = _crawler_header([b for b in doc.preamble.blocks if isinstance(b, Line)]
                              [:_CRAWL_HEAD])
    # The header lines are the crawler's, not the report's: the title is looked for after them.
    head = [ln for ln in lines[:_CRAWL_HEAD + 8] if not _CRAWL_LINE.match(ln.text.strip())][:8]

    title, agency, year = _find_title(head)
    if crawled.get("title"):
        title = crawled["title"]
        named, named_year = _from_title(title)
        agency, year = named or agency, named_year or year
    agency = crawled.get("agency") or agency

    published = crawled.get("published", "")
    for ln in head if not published else ():
        m = _CRAWLER.search(ln.text)
        if m:
            published = _iso(m)
            break

    signed = ""
    for prev, ln in pairwise(lines):
        m = _DATE.fullmatch(ln.text.strip())
        if m and _SIGNATURE.match(prev.text.strip()):
            signed = _iso(m)
            agency = agency or prev.text.strip()
            break

    opening = next((ln.text for ln in lines if _OPENING.match(ln.text)), "")
    if opening:
        m = _OPENING.match(opening)
        year = year or int(m["year"])
        if not agency:
            rest = re.sub(r"^(?:我|本)", "", m["rest"])
            a = _OPENING_AGENCY.match(rest)
            if a and not m["rest"].startswith(("我", "本")):
                agency = a["agency"]

    if year is None:
        # "关于做好2020年政府信息公开年度报告编制…", "现将我局2020年度政府信息公开情况报告如下"
        year = next((int(m["year"]) for ln in head if (m := _YEAR_OF_REPORT.search(ln.text))),
                    None)
    published = published or signed
    if year is None and published:
        year = int(published[:4]) - 1
    credit_code = next((code for ln in lines if "信用代码" in ln.text
                        and (code := find_credit_code(ln.text))), "")
    return Found(title=title, agency=agency, year=year, published=published, signed=signed,
                 credit_code=credit_code, url=crawled.get("url", ""))


def _crawler_header(lines: list[Line]) -> dict[str, str]:
    """The fields a crawler's header lines give (the first of each; empty headers give none)."""
    out: dict[str, str] = {}
    for ln in lines:
        m = _CRAWL_LINE.match(ln.text.strip())
        if not m or not (value := m["value"].strip()):
            continue
        field = _CRAWL_FIELDS[m["key"]]
        if field == "published":
            d = _DATE.search(value) or _ISO_DATE.search(value)
            value = _iso(d) if d else ""
        elif field == "url":
            value = value.split()[0] if re.match(r"https?://", value) else ""
        if value:
            out.setdefault(field, value)
    return out


def _find_title(head: list[Line]) -> tuple[str, str, int | None]:
    """The title among the first lines, with the agency and year it names.

    A title may be broken over two lines (``2025 年上海市人民政府办公厅政府信息公开`` /
    ``工作年度报告``, as PDF text and its Markdown have it), and the agency may stand on the
    line above a title that lacks it (``淮安市人民政府`` / ``2024 年政府信息公开工作年度报告``).
    """
    texts = [ln.text.strip() for ln in head]
    for i, text in enumerate(texts):
        title = text if _is_title(text) else ""
        if not title and i + 1 < len(texts) and len(text) <= 40:
            joined = text + texts[i + 1]
            title = joined if _is_title(joined) and not _is_title(texts[i + 1]) else ""
        if not title:
            continue
        agency, year = _from_title(title)
        if not agency and i > 0 and _SIGNATURE.match(texts[i - 1]):
            agency, title = texts[i - 1], texts[i - 1] + title
        return title, agency, year
    return "", "", None


def _is_title(text: str) -> bool:
    # A prose sentence naming the report (…工作年度报告格式的通知) is no title.
    return bool(_TITLE.search(text)) and len(text) <= 60 and not re.search(r"[。《》,，]", text)


def _from_title(title: str) -> tuple[str, int | None]:
    if not title:
        return "", None
    for pattern in (_TITLE_AGENCY, _TITLE_YEAR_FIRST):
        m = pattern.search(title)
        if m:
            return m["agency"].strip(), int(m["year"])
    return "", None


def _iso(m: re.Match) -> str:
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return ""
