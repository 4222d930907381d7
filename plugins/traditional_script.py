"""Traditional-script sources: phrase-level conversion to simplified, and the noise that the
converting mirrors leave behind.

* Script: when enough of the text changes under traditional→simplified conversion, the text is
  converted with OpenCC (``t2s``). Mirrors that converted vocabulary too (文件 → 檔案) leave
  phrases that are still wrong after that (规范性档案), so every label gongkai knows is also
  converted the way such a mirror would (OpenCC ``s2twp``, then ``t2s``) and where that gives a
  different phrase, the phrase is turned back into the label. Converting the whole text with
  ``tw2sp`` instead would damage mainland wording (文件 → 文档, 查询 → 查找).
* Pinyin: some mirrors annotate characters with their reading, ``領(lǐng)導(dǎo)``; those
  annotations are removed wherever a text has several of them.
* Junk: a run of ``?`` or U+FFFD at the start of a line (characters lost to a bad encoding, as
  at the start of seed 003) is removed.

Only the normalized text changes: every cell's raw text stays as the source wrote it.
"""

from __future__ import annotations

import math
import re
from functools import cache
from itertools import islice

from gongkai.plugin import (
    NormalizeContext,
    Normalizer,
    cached_json,
    digest,
    hookimpl,
    load_codes,
)

#: Share of CJK characters that must change under conversion for a text to count as traditional.
TRADITIONAL_SHARE = 0.03
#: How much of the text is looked at to decide (characters).
SAMPLE_CHARS = 40000
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# The "(" first, then the look behind at the character before it: a pattern that starts with a
# literal is searched for quickly, one that starts with a look-behind is tried everywhere.
_PINYIN = re.compile(rf"\((?<=[\u4e00-\u9fff]\()[a-z{_TONES}]{{1,7}}\)")
_PINYIN_MIN = 3
_JUNK = re.compile(r"^[ \t]*(?:\?{3,}|\ufffd+)", re.MULTILINE)


@cache
def _converter(config: str):
    import opencc  # imported on first use: converting is rare, start-up is not

    return opencc.OpenCC(config)


def _opencc_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("opencc", "OpenCC", "opencc-python-reimplemented"):
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            continue
    return "unknown"


@cache
def _traditional_characters() -> re.Pattern[str]:
    """The CJK characters that OpenCC's t2s changes, as one character class. The characters
    are worked out once and kept in the cache; compiling the class takes 3 ms."""

    def build() -> str:
        chars = [chr(c) for c in range(0x4E00, 0xA000)]
        # One character per line: a conversion never spans a line break, so each is
        # converted on its own, in one call.
        converted = _converter("t2s").convert("\n".join(chars)).split("\n")
        return "".join(a for a, b in zip(chars, converted, strict=True) if a != b)

    chars = cached_json("t2s-characters", digest(_opencc_version()), build,
                        lambda v: isinstance(v, str))
    return re.compile("[" + re.escape(chars) + "]") if chars else re.compile("(?!)")


def is_traditional(text: str) -> bool:
    """Whether enough of the text's CJK characters are ones only traditional script uses.

    A simplified text has (almost) none of them, which is one scan with a character class (a
    tenth of what intersecting sets of characters costs); only a text with some has its CJK
    characters counted.
    """
    sample = text[:SAMPLE_CHARS]
    pattern = _traditional_characters()
    if pattern.search(sample) is None:
        return False
    cjk = sum(map(len, _CJK.findall(sample)))
    # The share is reached once enough of them are found: counting stops there.
    needed = _hits_needed(cjk)
    return next(islice(pattern.finditer(sample), needed - 1, None), None) is not None


def _hits_needed(cjk: int) -> int:
    """The fewest hits ``h`` with ``h / cjk >= TRADITIONAL_SHARE`` (at least 1)."""
    needed = max(1, math.ceil(TRADITIONAL_SHARE * cjk))
    while needed > 1 and (needed - 1) / cjk >= TRADITIONAL_SHARE:
        needed -= 1
    while needed / cjk < TRADITIONAL_SHARE:
        needed += 1
    return needed


def _known_labels() -> set[str]:
    codes = load_codes()
    labels = {a for s in codes.sections for a in s.aliases}
    for table in codes.tables:
        labels.update(table.markers)
        for code in (*table.rows, *table.columns):
            labels.update(code.aliases)
    return labels


@cache
def _vocabulary_fix() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Phrases a vocabulary-converting mirror produces, mapped back to gongkai's labels."""
    labels = sorted(_known_labels())

    def build() -> dict[str, str]:
        there, back = _converter("s2twp"), _converter("t2s")
        fixes = {}
        for label in labels:
            mirrored = back.convert(there.convert(label))
            if mirrored != label and len(mirrored) > 1:
                fixes[mirrored] = label
        return fixes

    # Loading s2twp's dictionaries takes a tenth of a second: the result is kept instead.
    fixes = cached_json("mirrored-labels", digest(_opencc_version(), *labels), build,
                        _is_text_map)
    if not fixes:
        return None, {}
    alternatives = sorted(fixes, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), fixes


def _is_text_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def to_simplified(text: str, context: NormalizeContext) -> str:
    if not is_traditional(text):
        return text
    context.note("script", "traditional")
    text = _converter("t2s").convert(text)
    pattern, fixes = _vocabulary_fix()
    return pattern.sub(lambda m: fixes[m.group(0)], text) if pattern else text


def remove_pinyin(text: str, context: NormalizeContext) -> str:
    if len(_PINYIN.findall(text, 0, 200000)) < _PINYIN_MIN:
        return text
    return _PINYIN.sub("", text)


def remove_junk(text: str, context: NormalizeContext) -> str:
    if "???" not in text and "\ufffd" not in text:  # the usual case, without a regex scan
        return text
    return _JUNK.sub("", text)


@hookimpl
def gongkai_add_normalizers(register):
    register(Normalizer(
        name="junk-prefix",
        description="remove runs of '?' or U+FFFD left at line starts by a bad encoding",
        apply=remove_junk,
        order=15,
    ))
    register(Normalizer(
        name="pinyin-annotations",
        description="remove pinyin readings a converting site put after characters: 領(lǐng)",
        apply=remove_pinyin,
        order=18,
    ))
    register(Normalizer(
        name="traditional-to-simplified",
        description="traditional script to simplified (OpenCC), mirrored vocabulary included",
        apply=to_simplified,
        order=20,
    ))
