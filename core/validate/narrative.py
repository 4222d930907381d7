"""Numbers the prose states about the tables, compared with the table cells.

A report often says its numbers twice: ``2024 年全区受理政府信息公开申请 21 件`` in 一、总体情况
and 21 in table three's 一、本年新收. A **claim** is a regular expression for such a sentence
with named groups for its numbers, and for each group the *readings* of it: the cells whose sum
the number may be (受理 N 件 is the new requests, or the new and the carried-over ones — reports
say both). The number agrees with the table when one reading whose cells all have values gives
it; when none does, that is a finding with the line of the sentence and the lines of the cells.

Claims are data: the built-in ones in ``data/narrative.toml``, more in a variant file's
``[[narrative]]`` tables (docs/variants.md), in the same format (docs/rules.md#narrative).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, cached_property
from importlib import resources
from typing import Any

import attrs

from gongkai.engine.plugin_types import Rule
from gongkai.errors import ConfigError
from gongkai.layouts.codes import load_codes
from gongkai.layouts.tomlcompat import tomllib
from gongkai.model import CellRef, Diagnostic, Number, Report, Section, Severity, Status, cell_ref
from gongkai.validate.validator import format_value

#: A prose line ending in one of these ends its sentence; any other line is joined to the next
#: without a break (PDF text breaks lines inside words and numbers: ``申请 2`` / ``1 件``).
_SENTENCE_END = tuple("。!?;:!?;:")
_CLAIM_KEYS = ("name", "description", "keywords", "patterns", "numbers", "value")


@attrs.frozen
class Claim:
    name: str
    description: str
    #: The regular expressions, as written (compiled on first use: ``patterns``).
    sources: tuple[str, ...]
    #: ``(group, readings)``: each reading the cells whose sum the group's number may state.
    numbers: tuple[tuple[str, tuple[tuple[CellRef, ...], ...]], ...]
    #: The number a pattern states in words (未收到…申请: 0), for groups it does not capture.
    value: int | None = None
    #: The claim is tried only on a paragraph holding one of these (all when empty).
    keywords: tuple[str, ...] = ()

    @cached_property
    def patterns(self) -> tuple[re.Pattern, ...]:
        """Compiled when first tried: most claims find no keyword in a report, and compiling
        all of them is a noticeable part of a one-file conversion's start."""
        return tuple(map(re.compile, self.sources))

    def may_match(self, text: str) -> bool:
        """Whether the text holds one of the keywords (or the claim has none): substring tests,
        several times cheaper than one search of their alternation."""
        return not self.keywords or _holds_one(text, self.keywords)


@attrs.frozen
class _Paragraph:
    text: str
    #: ``(offset, line)``: the input line of the text from each offset on.
    starts: tuple[tuple[int, int], ...]

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1] if self.starts else 0
        for start, n in self.starts:
            if start > offset:
                break
            line = n
        return line


def paragraphs(report: Report) -> Iterator[_Paragraph]:
    """The prose of every section and subsection, its PDF-broken lines joined (headings of
    subsections included: ``(一)主动公开情况。…公开政府`` often starts the paragraph)."""
    for section in report.sections:
        yield from _section_paragraphs(section, include_title=False)
        for sub in section.subsections:
            yield from _section_paragraphs(sub, include_title=True)


def _section_paragraphs(section: Section, include_title: bool) -> Iterator[_Paragraph]:
    title = section.title if include_title else ""
    if not section.text and not title:
        return
    texts = section.text.split("\n") if section.text else []
    lines = section.lines if len(section.lines) == len(texts) else (
        (section.line_start,) * len(texts))
    if title:
        texts.insert(0, title)
        lines = (section.line_start, *lines)
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    size = 0
    for piece, line in zip(texts, lines, strict=True):
        piece = piece.strip()
        starts.append((size, line))
        parts.append(piece)
        size += len(piece)
        if piece.endswith(_SENTENCE_END):
            yield _Paragraph("".join(parts), tuple(starts))
            parts, starts, size = [], [], 0
    if parts:
        yield _Paragraph("".join(parts), tuple(starts))


def _number(text: str) -> int | float:
    text = text.replace(",", "").replace("，", "")
    return float(text) if "." in text else int(text)


def _value(report: Report, ref: CellRef) -> tuple[Number | None, int]:
    cell = report.cell(ref.table, ref.row, ref.column)
    if cell is None:
        return None, 0
    if cell.value is None and cell.status is Status.PLACEHOLDER:
        return 0, cell.line
    return cell.value, cell.line


@attrs.frozen
class Statement:
    """A number the prose states, where, and what the tables say of it."""

    claim: Claim
    group: str
    stated: Number
    #: The sentence as matched.
    text: str
    line: int
    #: ``(reading, sum, lines)`` of each reading whose cells all have values.
    known: tuple[tuple[tuple[CellRef, ...], Number, tuple[int, ...]], ...]

    @property
    def agrees(self) -> bool | None:
        """True when a reading gives the number, False when none does, None when the tables
        have none of the cells (nothing to compare)."""
        if not self.known:
            return None
        return any(total == self.stated for _, total, _ in self.known)


def statements(report: Report, claims: Sequence[Claim]) -> Iterator[Statement]:
    """Every number the claims find in the prose (a number once, for the first claim)."""
    seen: set[tuple[int, int, str]] = set()
    prose = list(paragraphs(report))
    whole = "\n".join(p.text for p in prose)
    # Most claims find nothing to look at in a report: tried only where a keyword is, and a
    # paragraph is asked only for the keywords the whole prose has.
    active = [(c, tuple(k for k in c.keywords if k in whole)) for c in claims
              if c.may_match(whole)]
    for number, paragraph in enumerate(prose):
        text = paragraph.text
        for claim, keywords in active:
            if claim.keywords and not _holds_one(text, keywords):
                continue
            for pattern in claim.patterns:
                for m in pattern.finditer(paragraph.text):
                    for group, readings in claim.numbers:
                        stated, start = _stated(m, group, claim)
                        if stated is None or (number, start, group) in seen:
                            continue
                        seen.add((number, start, group))
                        yield Statement(claim, group, stated, m[0], paragraph.line_at(start),
                                        _known(report, readings))


def _holds_one(text: str, keywords: tuple[str, ...]) -> bool:
    for keyword in keywords:  # noqa: SIM110 (a loop: cheaper than any() of a generator)
        if keyword in text:
            return True
    return False


def _known(report: Report, readings: Sequence[tuple[CellRef, ...]]) -> tuple:
    known = []
    for reading in readings:
        values = [_value(report, ref) for ref in reading]
        if all(v is not None for v, _ in values):
            known.append((reading, sum(v for v, _ in values),
                          tuple(n for _, n in values if n)))
    return tuple(known)


def check_claims(report: Report, claims: Sequence[Claim], severity: Severity = Severity.WARNING
                 ) -> Iterator[Diagnostic]:
    """A finding for each number the prose states that no reading of it in the tables gives."""
    for st in statements(report, claims):
        if st.agrees is False:
            yield _finding(st, severity)


def _stated(m: re.Match, group: str, claim: Claim) -> tuple[Number | None, int]:
    if group in m.re.groupindex:
        text = m[group]
        return (_number(text), m.start(group)) if text is not None else (None, 0)
    return (claim.value, m.start()) if claim.value is not None else (None, 0)


def _finding(st: Statement, severity: Severity) -> Diagnostic:
    says = "; ".join(f"{' + '.join(map(str, reading))} = {format_value(total)}"
                     for reading, total, _ in st.known)
    cells = tuple(dict.fromkeys(ref for reading, _, _ in st.known for ref in reading))
    lines = sorted({n for _, _, ns in st.known for n in ns} - {st.line})
    return Diagnostic(
        severity=severity, code="",
        message=f"the text says {format_value(st.stated)} ({st.claim.name}: “{st.text}”), the "
                f"tables "
                f"{'do' if len(st.known) > 1 else 'does'} not: {says}",
        line=st.line, cells=cells, lines=tuple(lines))


# -- claims as data ------------------------------------------------------------------------------


def claims_from_data(entries: Any, *, source: str, key: str = "claim",
                     error=None, checked: bool = False) -> tuple[Claim, ...]:
    """Claims from parsed TOML: a list of tables with the keys ``name``, ``patterns``,
    ``numbers`` (group -> list of readings, each a list of ``table/row/column``), optionally
    ``description`` and ``value``. ``error(path, message)`` makes a located ConfigError.
    ``checked``: the patterns are known to compile and to have their groups (gongkai's own,
    which a test checks), so they are left to be compiled on first use."""
    def fail(path: tuple, message: str) -> ConfigError:
        if error is not None:
            return error(path, message)
        return ConfigError(f"{'.'.join(map(str, path))}: {message}", path=source)

    if not isinstance(entries, list):
        raise fail((key,), "must be an array of tables ([[...]])")
    claims = []
    for i, entry in enumerate(entries):
        path = (key, i)
        if not isinstance(entry, Mapping):
            raise fail(path, "must be a table")
        unknown = sorted(set(entry) - set(_CLAIM_KEYS))
        if unknown:
            raise fail((*path, unknown[0]), f"unknown key (known: {', '.join(_CLAIM_KEYS)})")
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise fail((*path, "name"), "must be a non-empty string")
        patterns = entry.get("patterns")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns:
            raise fail((*path, "patterns"), "must be a list of regular expressions")
        compiled = []
        for j, p in enumerate(patterns if not checked else ()):
            try:
                compiled.append(re.compile(p))
            except (re.error, TypeError) as exc:
                raise fail((*path, "patterns", j), f"not a regular expression: {exc}") from None
        keywords = entry.get("keywords", [])
        if isinstance(keywords, str):
            keywords = [keywords]
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
            raise fail((*path, "keywords"), "must be a list of non-empty strings")
        value = entry.get("value")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise fail((*path, "value"), "must be a whole number")
        numbers = entry.get("numbers")
        if not isinstance(numbers, Mapping) or not numbers:
            raise fail((*path, "numbers"), "must be a table: group = [[cells], ...]")
        parsed = []
        for group, readings in numbers.items():
            where = (*path, "numbers", group)
            if (value is None and not checked
                    and not any(group in c.groupindex for c in compiled)):
                raise fail(where, f"no pattern has a group (?P<{group}>...) and there is no "
                           "value")
            parsed.append((group, _readings(readings, where, fail)))
        claims.append(Claim(name=name, description=str(entry.get("description", "")),
                            sources=tuple(patterns), numbers=tuple(parsed), value=value,
                            keywords=tuple(keywords)))
    return tuple(claims)


def _readings(value: Any, path: tuple, fail) -> tuple[tuple[CellRef, ...], ...]:
    if not isinstance(value, list) or not value:
        raise fail(path, "must be a list of readings, each a list of table/row/column")
    codes = load_codes()
    out = []
    for reading in value:
        if isinstance(reading, str):
            reading = [reading]
        if not isinstance(reading, list) or not reading:
            raise fail(path, f"a reading must be a list of table/row/column, not {reading!r}")
        refs = []
        for text in reading:
            parts = text.split("/") if isinstance(text, str) else []
            if len(parts) != 3:
                raise fail(path, f"{text!r} is not table/row/column")
            if parts[0] not in codes.table_codes:
                raise fail(path, f"{text!r}: no table {parts[0]!r}")
            table = codes.table(parts[0])
            if not (table.has_row(parts[1]) and table.has_column(parts[2])):
                raise fail(path, f"{text!r}: table {parts[0]} has no such row and column")
            refs.append(cell_ref(*parts))
        out.append(tuple(refs))
    return tuple(out)


@cache
def builtin_claims() -> tuple[Claim, ...]:
    """The claims of ``gongkai/data/narrative.toml``."""
    text = resources.files("gongkai.data").joinpath("narrative.toml").read_text(encoding="utf-8")
    return claims_from_data(tomllib.loads(text).get("claim", []), source="narrative.toml",
                            checked=True)


def narrative_rule(id: str, claims: Sequence[Claim], description: str,
                   severity: Severity = Severity.WARNING) -> Rule:
    """A rule comparing the numbers the claims find in the prose with the tables."""
    claims = tuple(claims)
    return Rule(id=id, severity=severity, description=description,
                check=lambda report: check_claims(report, claims, severity))
