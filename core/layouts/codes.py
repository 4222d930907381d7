"""The canonical codes (tables, rows, columns, sections), loaded from ``data/codes.toml``.

This module is the only way code reaches the codes and their labels: layouts refer to codes,
writers take labels from here, and nothing spells a code's Chinese label a second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property
from importlib import resources

import attrs

from gongkai.layouts.tomlcompat import tomllib


@attrs.frozen
class Code:
    """One row, column or section code with its labels."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    #: For columns: ``count``, ``money`` or ``change``; empty for rows and sections.
    kind: str = ""
    #: The group this code belongs to (``withheld`` for ``withheld.state_secret``), or "".
    broader: str = ""
    #: For columns: the unit the template's label states (``本年制发件数``: ``件``), or "".
    unit: str = ""


@attrs.frozen
class TableCodes:
    """The codes of one of the three statistical tables."""

    code: str
    zh: str
    en: str
    section: str
    markers: tuple[str, ...]
    rows: tuple[Code, ...]
    columns: tuple[Code, ...]
    #: The headings that gather codes (``withheld``: (三)不予公开); see codes.toml.
    groups: tuple[Code, ...] = ()

    # Looked up for every cell of every report: dictionaries, built on first use.
    @cached_property
    def _rows(self) -> dict[str, Code]:
        return {r.code: r for r in self.rows}

    @cached_property
    def _columns(self) -> dict[str, Code]:
        return {c.code: c for c in self.columns}

    @cached_property
    def column_groups(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each group gathering columns (法人或其他组织) with its columns, directly or through
        a broader group: ``(group code, its column codes)``."""
        def within(code: Code, group: str) -> bool:
            seen: set[str] = set()
            parent = self.broader(code)
            while parent is not None and parent.code not in seen:
                if parent.code == group:
                    return True
                seen.add(parent.code)
                parent = self.broader(parent)
            return False

        return tuple((g.code, frozenset(c.code for c in self.columns if within(c, g.code)))
                     for g in self.groups_of("column"))

    def row(self, code: str) -> Code:
        return _lookup(self._rows, code, f"row of table {self.code!r}")

    def column(self, code: str) -> Code:
        return _lookup(self._columns, code, f"column of table {self.code!r}")

    def has_row(self, code: str) -> bool:
        return code in self._rows

    def has_column(self, code: str) -> bool:
        return code in self._columns

    def codes(self, kind: str) -> tuple[Code, ...]:
        """The rows (``kind="row"``) or the columns (``"column"``)."""
        return self.rows if kind == "row" else self.columns

    def group(self, code: str) -> Code | None:
        """The group (or the row heading a group, like ``other``) named ``code``, or None."""
        if not code:
            return None
        return next((g for g in self.groups if g.code == code), None) or self._rows.get(code)

    def broader(self, code: Code) -> Code | None:
        """The group ``code`` belongs to, if any."""
        return self.group(code.broader)

    def groups_of(self, kind: str) -> tuple[Code, ...]:
        """The groups gathering codes of this kind that are not codes themselves, parents
        first."""
        found: dict[str, Code] = {}
        own = {c.code for c in self.codes(kind)}

        def add(parent: Code | None) -> None:
            if parent is None or parent.code in found:
                return
            add(self.broader(parent))
            if parent.code not in own:
                found[parent.code] = parent

        for code in self.codes(kind):
            add(self.broader(code))
        return tuple(found.values())

    def own_label(self, code: Code, lang: str = "zh") -> str:
        """The code's label without its group's heading in front: ``(三)不予公开 1.属于国家秘密``
        -> ``1.属于国家秘密``, ``Withheld: state secret`` -> ``State secret``."""
        label = code.zh if lang == "zh" else code.en
        parent = self.broader(code)
        if parent is None:
            return label
        if lang != "zh":
            rest = label.partition(": ")[2]
            return rest[:1].upper() + rest[1:] if rest else label
        for sep in (" / ", " "):
            if label.startswith(parent.zh + sep):
                return label[len(parent.zh) + len(sep):]
        return label


@attrs.frozen
class Unit:
    """A unit a cell may state (``件``, ``万元``)."""

    #: As cells write it (``Cell.unit``).
    zh: str
    #: An ASCII name for IRIs.
    code: str
    en: str
    #: The QUDT unit it is counted in.
    qudt: str
    #: The power of ten over ``qudt`` (万元: 4), as SDMX's unit multiplier.
    multiplier: int = 0


@attrs.frozen
class Codes:
    version: str
    tables: tuple[TableCodes, ...]
    sections: tuple[Code, ...]
    units: tuple[Unit, ...] = ()

    def unit(self, zh: str) -> Unit | None:
        return next((u for u in self.units if u.zh == zh), None)

    def table(self, code: str) -> TableCodes:
        return _find(self.tables, code, "table")

    @property
    def table_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tables)


def _lookup(items: dict, code: str, what: str):
    try:
        return items[code]
    except KeyError:
        raise KeyError(f"unknown {what}: {code!r}") from None


def _find(items: Iterable, code: str, what: str):
    for item in items:
        if item.code == code:
            return item
    raise KeyError(f"unknown {what}: {code!r}")


def _code(code: str, entry: dict) -> Code:
    return Code(
        code=code,
        zh=entry["zh"],
        en=entry["en"],
        aliases=tuple(entry.get("aliases", ())),
        kind=entry.get("kind", ""),
        # A dotted code belongs to the group its first part names, unless it says otherwise.
        broader=entry.get("broader", code.split(".", 1)[0] if "." in code else ""),
        unit=entry.get("unit", ""),
    )


@cache
def load_codes() -> Codes:
    """The codes shipped with gongkai (cached: parsed once per process)."""
    data = tomllib.loads(resources.files("gongkai").joinpath("data/codes.toml").read_text("utf-8"))
    tables = tuple(
        TableCodes(
            code=name,
            zh=t["zh"],
            en=t["en"],
            section=t["section"],
            markers=tuple(t.get("markers", ())),
            rows=tuple(_code(r["code"], r) for r in t["rows"]),
            columns=tuple(_code(c["code"], c) for c in t["columns"]),
            groups=tuple(_code(g["code"], g) for g in t.get("groups", ())),
        )
        for name, t in data["tables"].items()
    )
    sections = tuple(_code(name, s) for name, s in data["sections"].items())
    units = tuple(Unit(zh=name, code=u["code"], en=u["en"], qudt=u["qudt"],
                       multiplier=u.get("multiplier", 0)) for name, u in data["units"].items())
    return Codes(version=data["version"], tables=tables, sections=sections, units=units)
