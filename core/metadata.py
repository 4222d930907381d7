"""Report metadata found in the text: title, agency, year, dates.

Where each comes from, in order of trust:

* title: a line naming a 政府信息公开工作年度报告 near the top;
* agency: the title (``太仆寺旗2019年政府信息公开工作年度报告``), else a signature — a short
  line right before a date line (``驻马店市公共资源交易中心`` / ``2020年1月20日``), else the
  opening sentence (``2023年,天水市公共资源交易中心在…``);
* year: the title, else the opening sentence's ``2019年``, else the year before publication;
* published: a crawler header (``时间:2020年01月31日``), else the signature date.

Everything here works on the normalized (simplified) text; nothing is guessed beyond these
patterns, and a field the text does not give stays empty.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import attrs

from .parse import Line, ParsedDocument

_TITLE = re.compile(r"政府信息公开.{0,6}年度报告")
_TITLE_AGENCY = re.compile(
    r"^(?:关于)?(?P<agency>.{2,40}?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年度?\s*政府信息公开"
)
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>.{2,40}?)政府信息公开"
)
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CRAWLER = re.compile(r"(?:时间|发布时间|发布日期|日期)\s*[:：]\s*" + _DATE.pattern)
_OPENING = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年(?:度|以来)?\s*[,，]?\s*(?P<rest>.*)$"
)
_AGENCY_SUFFIX = (
    r"(?:人民政府办公室|人民政府|办公室|委员会|中心|管理局|局|厅|院|署|办|街道办事处|街道|"
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


def find_metadata(doc: ParsedDocument) -> Found:
    lines = [b for s in doc.all_sections() for b in s.blocks if isinstance(b, Line)]
    head = lines[:8]

    title = next((ln.text for ln in head if _TITLE.search(ln.text) and len(ln.text) <= 60), "")
    agency, year = _from_title(title)

    published = ""
    for ln in head:
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

    published = published or signed
    if year is None and published:
        year = int(published[:4]) - 1
    return Found(title=title, agency=agency, year=year, published=published, signed=signed)


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
