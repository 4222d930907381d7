"""The canonical codes (tables, rows, columns, sections), loaded from ``data/codes.toml``.

This module is the only way code reaches the codes and their labels: layouts refer to codes,
writers take labels from here, and nothing spells a code's Chinese label a second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property
from importlib import resources

import attrs

from .tomlcompat import tomllib


@attrs.frozen
class Code:
    """One row, column or section code with its labels."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    #: For columns: ``count``, ``money`` or ``change``; empty for rows and sections.
    kind: str = ""


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

    # Looked up for every cell of every report: dictionaries, built on first use.
    @cached_property
    def _rows(self) -> dict[str, Code]:
        return {r.code: r for r in self.rows}

    @cached_property
    def _columns(self) -> dict[str, Code]:
        return {c.code: c for c in self.columns}

    def row(self, code: str) -> Code:
        return _lookup(self._rows, code, f"row of table {self.code!r}")

    def column(self, code: str) -> Code:
        return _lookup(self._columns, code, f"column of table {self.code!r}")

    def has_row(self, code: str) -> bool:
        return code in self._rows

    def has_column(self, code: str) -> bool:
        return code in self._columns


@attrs.frozen
class Codes:
    version: str
    tables: tuple[TableCodes, ...]
    sections: tuple[Code, ...]

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
        )
        for name, t in data["tables"].items()
    )
    sections = tuple(_code(name, s) for name, s in data["sections"].items())
    return Codes(version=data["version"], tables=tables, sections=sections)
