"""One key per agency, however a report writes its name; the 统一社会信用代码 when one is stated.

A report names its agency with or without the divisions above it: 淮安市洪泽区人民政府 and
洪泽区人民政府 are the same body, and so are 宿迁市 (a title naming the city) and 宿迁市人民政府.
:func:`agency_key` gives both the same key, so a corpus can be grouped by agency (the continuity
check, the RDF agency IRIs). The rule, its data (``data/agency.toml``) and its limits are in
docs/agencies.md.

The key is for grouping the reports of a corpus, not a national identifier: two towns of the
same name in different counties get the same key. The 统一社会信用代码, when a report states
one, tells them apart (:func:`find_credit_code`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import attrs

from gongkai.layouts.tomlcompat import tomllib

_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
#: The longest stem a division's name is looked for with (内蒙古自治区 has 3, 延边朝鲜族 5).
_MAX_STEM = 12


@attrs.frozen
class _Rules:
    short_stem: frozenset[str]
    not_divisions: frozenset[str]
    not_in_divisions: frozenset[str]
    pronouns: tuple[str, ...]
    suffixes: tuple[str, ...]
    tail: dict[str, str]
    ending: dict[str, str]
    bare: dict[str, str]


@cache
def _rules() -> _Rules:
    data = tomllib.loads(resources.files("gongkai.data").joinpath("agency.toml")
                         .read_text(encoding="utf-8"))
    suffixes = tuple(sorted(data["division_suffixes"], key=len, reverse=True))
    bare = dict(data["bare"])
    return _Rules(short_stem=frozenset(data["short_stem_suffixes"]),
                  not_divisions=frozenset(data["not_divisions"]),
                  not_in_divisions=frozenset(data["not_in_divisions"]),
                  pronouns=tuple(data["pronouns"]), suffixes=suffixes,
                  tail=dict(data["tail"]), ending=dict(data["ending"]), bare=bare)


def _clean(name: str) -> str:
    """Width-folded, without spaces, and without a trailing bracketed remark."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return re.sub(r"\([^()]*\)$", "", text)


def _divisions(name: str, rules: _Rules) -> tuple[list[str], str]:
    """The chain of division names the name begins with, and the rest of the name."""
    found: list[str] = []
    pos = 0
    while pos < len(name):
        token = _division_at(name, pos, rules)
        if token is None:
            break
        found.append(token)
        pos += len(token)
    return found, name[pos:]


def _division_at(name: str, pos: int, rules: _Rules) -> str | None:
    """The shortest division name at ``pos`` (淮安市 | 洪泽区, not 淮安市洪泽区 as one)."""
    for end in range(pos + 1, min(pos + _MAX_STEM, len(name)) + 1):
        stem = name[pos:end]
        if not _HAN_CHAR.fullmatch(stem[-1]) or stem[-1] in rules.not_in_divisions:
            return None
        for suffix in rules.suffixes:
            if not name.startswith(suffix, end):
                continue
            token = stem + suffix
            if (len(stem) >= 2 or suffix in rules.short_stem) \
                    and token[-2:] not in rules.not_divisions:
                return token
    return None


def agency_key(name: str) -> str:
    """The agency's name without the divisions above its own, in its full form.

    ``淮安市洪泽区人民政府`` and ``洪泽区人民政府`` and ``洪泽区政府`` all give
    ``洪泽区人民政府``; ``宿迁市`` gives ``宿迁市人民政府``; ``淮安市人民政府办公室`` stays itself
    (the office is not the government). A name that does not say which agency it is
    (``区政府办公室``, ``本局``, empty) gives ``""``: such a report is not grouped with others.
    """
    rules = _rules()
    text = _clean(name)
    if not text or text.startswith(rules.pronouns):
        return ""
    divisions, tail = _divisions(text, rules)
    if not divisions:
        # A level word with no name before it (区政府办公室, 市场监管局 of which city?).
        if text.startswith(rules.suffixes):
            return ""
        return _canonical_tail(text, rules)
    lowest = divisions[-1]
    if not tail:
        suffix = next(s for s in rules.suffixes if lowest.endswith(s))
        return lowest + rules.bare.get(suffix, rules.bare["default"])
    return lowest + _canonical_tail(tail, rules)


def _canonical_tail(tail: str, rules: _Rules) -> str:
    tail = rules.tail.get(tail, tail)
    for short, full in rules.ending.items():
        if tail.endswith(short):
            tail = tail[: -len(short)] + full
    return tail


# -- 统一社会信用代码 (GB 32100-2015) --------------------------------------------------------------

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_VALUE = {c: i for i, c in enumerate(_CODE_CHARS)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_STATED = re.compile(
    rf"统一社会信用代码\s*(?:为|是)?\s*[:：]?\s*(?P<code>[{_CODE_CHARS}]{{18}})(?![0-9A-Z])")


def valid_credit_code(code: str) -> bool:
    """Whether ``code`` is an 18-character 统一社会信用代码 whose check character is right."""
    if len(code) != 18 or any(c not in _CODE_VALUE for c in code):
        return False
    if not code[2:8].isdigit():  # the division code of the registering authority
        return False
    total = sum(_CODE_VALUE[c] * w for c, w in zip(code[:17], _WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31] == code[17]


def find_credit_code(text: str) -> str:
    """The first valid 统一社会信用代码 the text states after those words, else ``""``."""
    for m in _STATED.finditer(unicodedata.normalize("NFKC", text).upper()):
        if valid_credit_code(m["code"]):
            return m["code"]
    return ""
