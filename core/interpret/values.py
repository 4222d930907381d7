"""Cell values as reports write them, turned into numbers as docs/model.md says (statuses, units).

``0``, ``-3``, ``3,194.752``, ``减13/增3`` (net change -10), ``减少4`` (-4), ``〇`` (0),
``4(其中…)`` (4, the note kept), ``860*`` (860, the footnote's mark kept as the note),
``4.2780亿元`` (42780 万元 in a money column), ``/`` or ``无`` (a placeholder), blank (empty).
The text given here is already normalized (full-width folded); the raw text is kept by the
caller.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import attrs

from gongkai.grammars import pattern
from gongkai.model import Number, Status

#: Money units and their factor to 万元, the unit every money value is given in.
MONEY_UNITS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
COUNT_UNITS = ("件",)
#: A placeholder (``/``, ``-``, ``—``, ``无``...), amounts, units and net changes as the grammar
#: writes them.
_PLACEHOLDER = re.compile(pattern("_PLACEHOLDER"))
_AMOUNT = pattern("_AMOUNT")
_UNIT = pattern("_UNIT")
_NUMBER = re.compile(
    rf"(?P<amount>{_AMOUNT})\s*(?P<unit>{_UNIT})?\s*"
    rf"(?:\((?P<note>[^)]*)\)?)?(?P<mark>{pattern('_MARK')})?"
)
_NET_PART = re.compile(rf"(?P<sign>减少|增加|减|增)\s*(?P<amount>{_AMOUNT})")
_NET_CHANGE = re.compile(pattern("_NET_CHANGE"))
_PAREN_AMOUNT = re.compile(pattern("_PAREN_AMOUNT"))
_HEADER_UNIT = re.compile(r"单位\s*[:：]?\s*(亿元|万元|元|件)")


@attrs.frozen
class ParsedValue:
    value: Number | None
    unit: str
    status: Status
    note: str = ""


def header_unit(label: str) -> str:
    """The unit a header states, e.g. ``本年收费金额(单位:万元)`` -> ``万元``; else ``""``."""
    m = _HEADER_UNIT.search(label)
    return m.group(1) if m else ""


def to_number(d: Decimal) -> Number:
    """An int when the decimal is whole, else a float (JSON and CSV show ``42780``, ``25.1``)."""
    if d == d.to_integral_value():
        return int(d)
    return float(d.normalize())


def parse_value(text: str, *, kind: str = "count", unit_hint: str = "") -> ParsedValue:
    """Parse one cell's normalized text.

    ``kind`` is the column's kind from the codes (``count``, ``money``, ``change``);
    ``unit_hint`` is the unit stated by the column header, if any.
    """
    s = text.strip()
    if not s:
        return ParsedValue(None, "", Status.EMPTY)
    if _PLACEHOLDER.fullmatch(s):
        return ParsedValue(None, "", Status.PLACEHOLDER)

    if _NET_CHANGE.fullmatch(s):
        total = Decimal(0)
        for part in _NET_PART.finditer(s):
            amount = _decimal(part["amount"])
            if amount is None:
                return ParsedValue(None, "", Status.UNPARSED)
            total += amount if part["sign"][0] == "增" else -amount
        return ParsedValue(to_number(total), "", Status.OK)

    if s[0] == "(" and _PAREN_AMOUNT.fullmatch(s):  # (-3)
        s = s[1:-1].strip()
    m = _NUMBER.fullmatch(s)
    if not m:
        return ParsedValue(None, "", Status.UNPARSED)
    amount = _decimal(m["amount"])
    if amount is None:
        return ParsedValue(None, "", Status.UNPARSED)
    # A footnote's mark (860*) is kept as the note: the footnote is in the text below.
    note = (m["note"] or "").strip() or (m["mark"] or "")
    cell_unit = m["unit"] or ""

    if kind == "money":
        unit = cell_unit if cell_unit in MONEY_UNITS else unit_hint
        if unit in MONEY_UNITS:
            return ParsedValue(to_number(amount * MONEY_UNITS[unit]), "万元", Status.OK, note)
        return ParsedValue(to_number(amount), "", Status.OK, note)

    unit = "件" if "件" in (cell_unit, unit_hint) else ""
    return ParsedValue(to_number(amount), unit, Status.OK, note)


#: Amounts are read only within 10^-MAGNITUDE .. 10^MAGNITUDE: beyond that a float is infinite
#: or zero and an int cannot be printed (Python refuses over 4300 digits), so writers would
#: fail or lie. No report counts or spends that much; such a cell is ``unparsed``.
MAGNITUDE = 18


def _decimal(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("〇", "0")
    try:
        d = Decimal(cleaned)
    except InvalidOperation:
        return None
    if d and not -MAGNITUDE <= d.adjusted() < MAGNITUDE:
        return None
    return d
