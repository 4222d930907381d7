"""Reading ``[[layout]]`` tables: a template plugin's layout file, a variant's layouts.

One reader for both (strict: an unknown key is an error at its line, with a suggestion). A
layout file's ``[[layout]]`` is complete; a variant's may also ``extends`` a layout another
plugin registered, resolved by the engine against the registered layouts (docs/variants.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from gongkai.engine.plugin_types import check_name
from gongkai.errors import ConfigError
from gongkai.layouts.codes import load_codes
from gongkai.layouts.extend import AddRow, extend_layout
from gongkai.layouts.layout import Layout, RowLayout
from gongkai.layouts.strict_toml import KeyPath, TomlReader, parse_toml

LAYOUT_KEYS = ("name", "table", "template", "shape", "priority", "description", "columns",
               "rows", "aliases", "extra_rows")
#: What only a variant's layout may say: a layout file is read before any layout is registered.
EXTENDING_KEYS = ("extends", "remove_rows")
ROW_KEYS = ("code", "columns")
EXTRA_ROW_KEYS = ("code", "zh", "en", "aliases", "columns", "after")
#: Bound on the rows one layout adds (a real one adds a few).
MAX_EXTRA_ROWS = 1000


class LayoutReader(TomlReader):
    """Turns parsed ``[[layout]]`` tables into validated Layouts, raising located errors."""

    def __init__(self, text: str, source: str, *, extending: bool = False):
        super().__init__(text, source)
        self.codes = load_codes()
        self.keys = (*LAYOUT_KEYS, *EXTENDING_KEYS) if extending else LAYOUT_KEYS

    def check_keys(self, entry: Any, path: KeyPath) -> None:
        """Unknown keys of a ``[[layout]]`` and its rows (before any layout is built)."""
        d = self.table(entry, path, self.keys)
        for key, keys in (("rows", ROW_KEYS), ("extra_rows", EXTRA_ROW_KEYS)):
            for j, row in enumerate(self.items(d, key, path)):
                self.table(row, (*path, key, j), keys)

    def layouts(self, entries: Sequence[Any], *, bases: Mapping[str, Layout] | None = None,
                suffix: str = "") -> list[Layout]:
        """The layouts of ``[[layout]]`` tables; ``extends`` names one of ``bases`` or an
        earlier one of ``entries``; ``suffix`` names an extending layout (``BASE.SUFFIX``)."""
        made: dict[str, Layout] = {}
        for i, entry in enumerate(entries):
            layout = self.layout(entry, ("layout", i), {**(bases or {}), **made}, suffix)
            if layout.name in made:
                raise self.error(("layout", i, "name"), f"layout {layout.name!r} appears twice")
            made[layout.name] = layout
        return list(made.values())

    def layout(self, entry: Any, path: KeyPath, bases: Mapping[str, Layout], suffix: str
               ) -> Layout:
        self.check_keys(entry, path)
        d: Mapping[str, Any] = entry
        if "extends" in d:
            base_name = self.string(d, "extends", path)
            base = bases.get(base_name)
            if base is None:
                raise self.error((*path, "extends"), f"unknown layout {base_name!r} to extend "
                                 f"(registered layouts: {', '.join(sorted(bases)) or 'none'})")
            for key in ("table", "template", "shape"):
                if key in d and d[key] != getattr(base, key):
                    raise self.error((*path, key), f"differs from layout {base_name!r}'s "
                                                   f"{getattr(base, key)!r}; drop it")
            if "rows" in d:
                base = attrs.evolve(base, rows=self.rows(d, path, base.table))
            name = self.string(d, "name", path, default=f"{base_name}.{suffix}")
            priority = self.integer(d, "priority", path)
        else:
            for key in ("name", "table", "template", "rows"):
                if key not in d:
                    hint = " (or extend a layout with extends = \"NAME\")" if (
                        "extends" in self.keys) else ""
                    raise self.error(path, f"missing key {key!r}{hint}")
            table = self.string(d, "table", path)
            if table not in self.codes.table_codes:
                raise self.error((*path, "table"), f"unknown table {table!r} (tables: "
                                 f"{', '.join(self.codes.table_codes)})")
            base = Layout(name="", table=table, template=str(d["template"]),
                          rows=self.rows(d, path, table),
                          shape=self.string(d, "shape", path, default="rows"))
            name = self.string(d, "name", path)
            priority = self.integer(d, "priority", path) or 0
        entries = self.items(d, "extra_rows", path)
        if len(entries) > MAX_EXTRA_ROWS:
            raise self.error((*path, "extra_rows"), f"more than {MAX_EXTRA_ROWS} extra rows")
        extra = [self.extra_row(e, (*path, "extra_rows", j), base.table)
                 for j, e in enumerate(entries)]
        own = [*(e.code for e in base.extra_rows), *(a.code for a in extra)]
        aliases = self.aliases(d.get("aliases", {}), (*path, "aliases"), base.table, own)
        try:
            return extend_layout(
                base, name=name, add_rows=extra, remove_rows=self.strings(d, "remove_rows", path),
                aliases=aliases, priority=priority,
                description=self.string(d, "description", path, default="") or None,
            )
        except ConfigError as exc:
            raise self.error(path, exc.message) from None

    def rows(self, d: Mapping[str, Any], path: KeyPath, table: str) -> tuple[RowLayout, ...]:
        default = self.strings(d, "columns", path)
        rows = []
        for j, r in enumerate(self.items(d, "rows", path)):
            rpath = (*path, "rows", j)
            code = self.string(r, "code", rpath)
            columns = self.strings(r, "columns", rpath) or default
            self.check_columns(columns, (*rpath, "columns"), table)
            rows.append(RowLayout(code, columns))
        if not rows:
            raise self.error((*path, "rows"), "must list at least one row")
        return tuple(rows)

    def check_columns(self, columns: Sequence[str], path: KeyPath, table: str) -> None:
        if not columns:
            raise self.error(path, "must list the row's columns")
        tcodes = self.codes.table(table)
        for column in columns:
            if not tcodes.has_column(column):
                raise self.error(path, f"unknown column {column!r} of table {table!r} "
                                       f"(columns: {', '.join(c.code for c in tcodes.columns)})")

    def extra_row(self, r: Mapping[str, Any], path: KeyPath, table: str) -> AddRow:
        code = self.string(r, "code", path)
        try:
            check_name("row", code)
        except ValueError as exc:
            raise self.error((*path, "code"), str(exc)) from None
        zh = self.string(r, "zh", path)
        columns = self.strings(r, "columns", path)
        self.check_columns(columns, (*path, "columns"), table)
        return AddRow(code=code, zh=zh, columns=columns,
                      en=self.string(r, "en", path, default=""),
                      aliases=self.strings(r, "aliases", path),
                      after=self.string(r, "after", path, default="") or None)

    def aliases(self, value: Any, path: KeyPath, table: str, extra_codes: Sequence[str]
                ) -> dict[str, tuple[str, ...]]:
        tcodes = self.codes.table(table)
        codes = [*(r.code for r in tcodes.rows), *(c.code for c in tcodes.columns)]
        d = self.table(value, path, [*codes, *extra_codes])
        return {code: self.strings(d, code, path) for code in d}


def layouts_from_toml(text: str, *, source: str = "<toml>") -> list[Layout]:
    """The layouts of a layout file's ``[[layout]]`` tables; errors name the file and line."""
    data = parse_toml(text, source)
    reader = LayoutReader(text, source)
    reader.table(data, (), ("layout",))
    entries = reader.items(data, "layout", ())
    if not entries:
        raise ConfigError("expected one or more [[layout]] tables", path=source)
    return reader.layouts(entries)


def load_layout_file(path: str | Path) -> list[Layout]:
    p = Path(path)
    return layouts_from_toml(p.read_text("utf-8"), source=str(p))


def layouts_from_package(package: str, resource: str) -> list[Layout]:
    """Read a layout file shipped as package data (what the template plugins do)."""
    text = resources.files(package).joinpath(resource).read_text("utf-8")
    return layouts_from_toml(text, source=f"{package}/{resource}")


@cache
def builtin_layouts() -> dict[str, Layout]:
    """The layouts of gongkai's template files (2019, 2021), by name, read from the files.

    For building a layout in code; a variant's ``extends`` is resolved against the layouts
    the engine registered instead, so it sees only the plugins loaded.
    """
    folder = resources.files("gongkai.plugins").joinpath("layouts")
    found: dict[str, Layout] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for layout in layouts_from_toml(entry.read_text("utf-8"),
                                            source=f"gongkai.plugins/layouts/{entry.name}"):
                found[layout.name] = layout
    return found
