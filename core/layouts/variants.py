"""Declarative variants: a region's format quirks as a TOML file, loaded as a plugin.

A variant is what a regional format changes and code is not needed for: label aliases, extra
rows with their codes, rows a region leaves out, header annotations to ignore and section-heading
wordings. It becomes table layouts (extending the built-in ones by name), for annotations
and headings one normalizer, and for sentences of the prose stating the tables' numbers
(``[[narrative]]``) one rule. The format is documented in docs/variants.md::

    [variant]
    name = "hubei"

    [[layout]]
    extends = "proactive-2019"
    [[layout.extra_rows]]
    code = "other_documents"
    zh = "其他主动公开文件"
    columns = ["new_made", "new_published", "total_published"]
    after = "normative_documents"

    [annotations]
    ignore = ["(指2019年事项数)"]

    [sections]
    proactive = ["主动公开信息"]

Load one with ``gongkai --variant FILE.toml`` or ``Engine(variants=[path])``; ship one in a
plugin with :class:`VariantPlugin`. Every mistake is a :class:`~gongkai.errors.ConfigError`
naming the file, the line and the key.

Annotation patterns are matched by RE2 (google-re2), whose matching time is linear in the text
whatever the pattern: a pattern Python's backtracking ``re`` would take minutes on
(``(x+x+)+y``) is harmless, and one RE2 cannot promise that for (back-references,
look-arounds) is refused when the file is loaded. Variant files are bounded too: their size,
the number and length of patterns, the rows a layout adds.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from gongkai.engine.hookspecs import hookimpl
from gongkai.engine.plugin_types import NormalizeContext, Normalizer, Rule, check_name
from gongkai.errors import ConfigError
from gongkai.grammars import pattern as grammar_pattern
from gongkai.layouts.codes import load_codes
from gongkai.layouts.labels import label_key
from gongkai.layouts.layout import ExtraRow, Layout, RowLayout, layouts_from_toml
from gongkai.layouts.tomlcompat import tomllib
from gongkai.validate.narrative import Claim, claims_from_data, narrative_rule

#: Variant normalizers run after the script and junk normalizers (10, 20, 30): they see
#: simplified, half-width text.
NORMALIZER_ORDER = 40

_TOP_KEYS = ("variant", "layout", "annotations", "sections", "narrative")
_VARIANT_KEYS = ("name", "description")
_LAYOUT_KEYS = ("extends", "name", "table", "template", "shape", "priority", "description",
                "columns", "rows", "remove_rows", "aliases", "extra_rows")
_ROW_KEYS = ("code", "columns")
_EXTRA_ROW_KEYS = ("code", "zh", "en", "aliases", "columns", "after")

#: Bounds on a variant file: a real one is a few KB, a few patterns, a dozen extra rows.
MAX_VARIANT_BYTES = 1024 * 1024
MAX_PATTERNS = 200
MAX_PATTERN_CHARS = 1000
MAX_EXTRA_ROWS = 1000
#: Memory RE2 may use for one compiled pattern (beyond it, the pattern is refused).
RE2_MAX_MEM = 8 * 1024 * 1024
_ANNOTATION_KEYS = ("ignore", "patterns")
_HEADING = re.compile(rf"^(\s*{grammar_pattern('_NUMERAL')}\s*、\s*)(\S.*?)(\s*)$")


@attrs.frozen
class Variant:
    """A regional format: layouts plus the text a report of that format writes differently."""

    name: str
    description: str = ""
    layouts: tuple[Layout, ...] = ()
    #: Literal annotations removed from table cells before their labels are matched.
    ignore: tuple[str, ...] = ()
    #: Regular expressions removed from table cells the same way.
    ignore_patterns: tuple[str, ...] = ()
    #: ``((section code, (wording, ...)), ...)``: headings that name a standard section.
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The file it was read from, for messages.
    source: str = ""
    #: Sentences of its reports' prose that state numbers of the tables
    #: (gongkai.validate.narrative).
    narrative: tuple[Claim, ...] = ()

    def normalizer(self) -> Normalizer | None:
        """The normalizer for the annotations and headings, or None when there are none."""
        if not (self.ignore or self.ignore_patterns or self.sections):
            return None
        return Normalizer(
            name=f"variant.{self.name}",
            description=f"variant {self.name!r}: ignores its annotations, reads its headings",
            apply=_VariantText(self).apply,
            order=NORMALIZER_ORDER,
        )

    def register_layouts(self, register: Callable[[Layout], None]) -> None:
        for layout in self.layouts:
            register(layout)

    def register_normalizers(self, register: Callable[[Normalizer], None]) -> None:
        normalizer = self.normalizer()
        if normalizer is not None:
            register(normalizer)

    def rule(self) -> Rule | None:
        """The rule checking its narrative claims, ``narrative.<name>``; None without any."""
        if not self.narrative:
            return None
        return narrative_rule(f"narrative.{self.name}", self.narrative,
                              f"variant {self.name!r}: numbers its reports' prose states "
                              "agree with the tables")

    def register_rules(self, register: Callable[[Rule], None]) -> None:
        rule = self.rule()
        if rule is not None:
            register(rule)


class _VariantText:
    """Removes annotations from table lines and rewrites section headings to their canonical
    wording, keeping every line and ``|`` (the normalizer contract)."""

    def __init__(self, variant: Variant):
        parts = [re.escape(a) for a in sorted(variant.ignore, key=len, reverse=True)]
        parts += [f"(?:{p})" for p in variant.ignore_patterns]
        # RE2 (linear time) reads re.escape's output as the same literals.
        self.ignore = linear_pattern("|".join(parts)) if parts else None
        titles = {s.code: s.zh for s in load_codes().sections}
        self.headings = [
            (label_key(w), titles[code]) for code, wordings in variant.sections for w in wordings
        ]

    def apply(self, text: str, context: NormalizeContext) -> str:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if "|" in line:
                if self.ignore is not None:
                    lines[i] = "|".join(self.ignore.sub("", cell) for cell in line.split("|"))
            elif self.headings and (m := _HEADING.match(line)):
                key = label_key(m.group(2))
                title = next((t for w, t in self.headings if w == key), None)
                if title is not None:
                    lines[i] = m.group(1) + title + m.group(3)
        return "\n".join(lines)


class VariantPlugin:
    """A variant as a plugin object: register it, or point an entry point at one.

    ``plugin = VariantPlugin.from_resource(__package__, "mine.toml")`` in a module, and the
    entry point ``mine = "my_package.module:plugin"``.
    """

    def __init__(self, variant: Variant):
        self.variant = variant
        self.__name__ = variant.name

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> VariantPlugin:
        return cls(load_variant(path))

    @classmethod
    def from_resource(cls, package: str, resource: str) -> VariantPlugin:
        return cls(load_variant_resource(package, resource))

    @hookimpl
    def gongkai_add_layouts(self, register: Callable[[Layout], None]) -> None:
        self.variant.register_layouts(register)

    @hookimpl
    def gongkai_add_normalizers(self, register: Callable[[Normalizer], None]) -> None:
        self.variant.register_normalizers(register)

    @hookimpl
    def gongkai_add_rules(self, register: Callable[[Rule], None]) -> None:
        self.variant.register_rules(register)

    def __repr__(self) -> str:
        return f"VariantPlugin({self.variant.name!r})"


# -- building layouts in Python ----------------------------------------------------------------


@attrs.frozen
class AddRow:
    """A row a region adds to a table: its own code (not one of gongkai's), labels, columns."""

    code: str
    zh: str
    #: The columns it carries, codes of the table's columns.
    columns: tuple[str, ...] = attrs.field(converter=tuple)
    en: str = ""
    #: Other labels reports write it with (``zh`` is always one).
    aliases: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: The code of the row it follows; None: after the last row.
    after: str | None = None

    def extra_row(self) -> ExtraRow:
        return ExtraRow(code=self.code, zh=self.zh, en=self.en,
                        aliases=tuple(dict.fromkeys((self.zh, *self.aliases))))


@cache
def builtin_layouts() -> dict[str, Layout]:
    """The layouts shipped with gongkai (the 2019 and 2021 templates), by name."""
    folder = resources.files("gongkai.plugins").joinpath("layouts")
    found: dict[str, Layout] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for layout in layouts_from_toml(entry.read_text("utf-8"),
                                            source=f"gongkai.plugins/layouts/{entry.name}"):
                found[layout.name] = layout
    return found


def extend_layout(
    base: Layout | str,
    *,
    name: str,
    add_rows: Iterable[AddRow] = (),
    remove_rows: Iterable[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    priority: int | None = None,
    description: str | None = None,
) -> Layout:
    """A copy of ``base`` (a Layout, or a built-in layout's name) with a region's changes.

    :param add_rows: rows the region adds, each with its own code.
    :param remove_rows: codes of rows the region leaves out.
    :param aliases: more labels for codes of the table: ``{code: [label, ...]}``.
    :param priority: default ``base.priority - 1``, so the base wins when both fit a table
        equally well, and the variant only when the table has its extra rows.
    Raises ConfigError when a code does not exist.
    """
    if isinstance(base, str):
        found = builtin_layouts().get(base)
        if found is None:
            raise ConfigError(f"unknown layout {base!r} to extend (built-in layouts: "
                              f"{', '.join(sorted(builtin_layouts()))})")
        base = found
    rows = list(base.rows)
    removed = set(remove_rows)
    for code in removed:
        if base.row(code) is None:
            raise ConfigError(f"layout {base.name!r} has no row {code!r} to remove")
    rows = [r for r in rows if r.code not in removed]
    table = load_codes().table(base.table)
    new_extra = []
    codes = {r.code for r in rows}
    for add in add_rows:
        check_name("row", add.code)
        if table.has_row(add.code) or add.code in codes:
            raise ConfigError(f"extra row {add.code!r} is already a row of table "
                              f"{base.table!r}; give that row an alias instead")
        row = RowLayout(add.code, add.columns)
        if add.after is None:
            rows.append(row)
        else:
            index = next((i for i, r in enumerate(rows) if r.code == add.after), None)
            if index is None:
                raise ConfigError(f"extra row {add.code!r}: no row {add.after!r} to put it "
                                  "after")
            rows.insert(index + 1, row)
        codes.add(add.code)
        new_extra.append(add.extra_row())
    layout = attrs.evolve(
        base,
        name=name,
        rows=tuple(rows),
        aliases=base.aliases + tuple((c, tuple(a)) for c, a in (aliases or {}).items()),
        extra_rows=base.extra_rows + tuple(new_extra),
        priority=base.priority - 1 if priority is None else priority,
        description=base.description if description is None else description,
    )
    layout.validate()
    return layout


# -- reading variant files ---------------------------------------------------------------------


class PatternError(ValueError):
    """A pattern RE2 cannot compile (not RE2 syntax, or too large)."""


def linear_pattern(pattern: str):
    """``pattern`` compiled by RE2: matching is linear in the text, whatever the pattern."""
    try:
        import re2
    except ImportError:  # pragma: no cover - a dependency; missing only in a broken install
        raise PatternError("annotation patterns need the google-re2 package "
                           "(pip install google-re2)") from None
    options = re2.Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


def load_variant(path: str | os.PathLike) -> Variant:
    p = Path(path)
    try:
        with open(p, "rb") as f:
            data = f.read(MAX_VARIANT_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read variant file: {exc.strerror}", path=str(p)) from None
    if len(data) > MAX_VARIANT_BYTES:
        raise ConfigError(f"variant file is larger than {MAX_VARIANT_BYTES // 1024} KB",
                          path=str(p))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("variant file is not UTF-8 text", path=str(p)) from None
    return variant_from_toml(text, source=str(p))


def load_variant_resource(package: str, resource: str) -> Variant:
    """A variant file shipped as package data (what a plugin does)."""
    text = resources.files(package).joinpath(resource).read_text("utf-8")
    return variant_from_toml(text, source=f"{package}/{resource}")


def variant_from_toml(text: str, *, source: str = "<variant>") -> Variant:
    """Read a variant file's text; every error names ``source``, the line and the key."""
    if len(text) > MAX_VARIANT_BYTES:
        raise ConfigError(f"variant file is larger than {MAX_VARIANT_BYTES // 1024} KB",
                          path=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _decode_error_line(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=source, line=line) from None
    except RecursionError:  # thousands of nested arrays or tables
        raise ConfigError("not valid TOML: nested too deeply", path=source,
                          line=_deepest_line(text)) from None
    return _Reader(text, source).variant(data)


def _deepest_line(text: str) -> int | None:
    """The line where brackets are nested deepest (where a too-deep document goes wrong)."""
    depth = best = 0
    line = where = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > best:
                best, where = depth, line
        elif char in "]}":
            depth -= 1
    return where


def _decode_error_line(message: str) -> int | None:
    m = re.search(r"at line (\d+)", message)
    return int(m.group(1)) if m else None


KeyPath = tuple[str | int, ...]


class _Reader:
    """Turns the parsed TOML into a Variant, raising located ConfigErrors."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.codes = load_codes()

    def error(self, path: KeyPath, message: str) -> ConfigError:
        where = _dotted(path)
        return ConfigError(f"{where}: {message}" if where else message, path=self.source,
                           line=locate(self.text, path))

    # -- typed getters -------------------------------------------------------------------------

    def table(self, value: Any, path: KeyPath, keys: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(path, f"must be a table, not {_type(value)}")
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(keys)}"
                raise self.error((*path, key), f"unknown key ({hint})")
        return value

    def string(self, d: Mapping[str, Any], key: str, path: KeyPath, default: str | None = None
               ) -> str:
        if key not in d:
            if default is None:
                raise self.error(path, f"missing key {key!r}")
            return default
        value = d[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error((*path, key), f"must be a non-empty string, not {value!r}")
        return value

    def strings(self, d: Mapping[str, Any], key: str, path: KeyPath) -> tuple[str, ...]:
        value = d.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error((*path, key), "must be a list of non-empty strings")
        return tuple(value)

    def items(self, d: Mapping[str, Any], key: str, path: KeyPath) -> list[Any]:
        value = d.get(key, [])
        if not isinstance(value, list):
            raise self.error((*path, key), f"must be an array of tables ([[...{key}]])")
        return value

    # -- the file ------------------------------------------------------------------------------

    def variant(self, data: Mapping[str, Any]) -> Variant:
        self.table(data, (), _TOP_KEYS)
        if "variant" not in data:
            raise ConfigError("missing the [variant] table (with its name)", path=self.source,
                              line=1)
        head = self.table(data["variant"], ("variant",), _VARIANT_KEYS)
        name = self.string(head, "name", ("variant",))
        try:
            check_name("variant", name)
        except ValueError as exc:
            raise self.error(("variant", "name"), str(exc)) from None
        layouts: dict[str, Layout] = {}
        for i, entry in enumerate(self.items(data, "layout", ())):
            layout = self.layout(entry, ("layout", i), name, layouts)
            if layout.name in layouts:
                raise self.error(("layout", i, "name"), f"layout {layout.name!r} appears twice")
            layouts[layout.name] = layout
        ignore, patterns = self.annotations(data.get("annotations", {}))
        sections = self.sections(data.get("sections", {}))
        narrative = claims_from_data(data.get("narrative", []), source=self.source,
                                     key="narrative", error=self.error)
        if not (layouts or ignore or patterns or sections or narrative):
            raise ConfigError("the variant changes nothing: give [[layout]], [annotations], "
                              "[sections] or [[narrative]]", path=self.source, line=1)
        return Variant(
            name=name,
            description=self.string(head, "description", ("variant",), default=""),
            layouts=tuple(layouts.values()),
            ignore=ignore,
            ignore_patterns=patterns,
            sections=sections,
            source=self.source,
            narrative=narrative,
        )

    def layout(self, entry: Any, path: KeyPath, variant: str, earlier: Mapping[str, Layout]
               ) -> Layout:
        d = self.table(entry, path, _LAYOUT_KEYS)
        if "extends" in d:
            base_name = self.string(d, "extends", path)
            base = earlier.get(base_name) or builtin_layouts().get(base_name)
            if base is None:
                known = ", ".join(sorted({*builtin_layouts(), *earlier}))
                raise self.error((*path, "extends"),
                                 f"unknown layout {base_name!r} (known: {known})")
            for key in ("table", "template", "shape"):
                if key in d and d[key] != getattr(base, key):
                    raise self.error((*path, key), f"differs from layout {base_name!r}'s "
                                                   f"{getattr(base, key)!r}; drop it")
            if "rows" in d:
                base = attrs.evolve(base, rows=self.rows(d, path, base.table))
        else:
            for key in ("name", "table", "template", "rows"):
                if key not in d:
                    raise self.error(path, f"missing key {key!r} (or extend a layout with "
                                           "extends = \"NAME\")")
            table = self.string(d, "table", path)
            if table not in self.codes.table_codes:
                raise self.error((*path, "table"), f"unknown table {table!r} (tables: "
                                 f"{', '.join(self.codes.table_codes)})")
            shape = self.string(d, "shape", path, default="rows")
            base = Layout(name="", table=table, template=str(d["template"]),
                          rows=self.rows(d, path, table), shape=shape)
            base_name = ""
        name = self.string(d, "name", path,
                           default=f"{base_name}.{variant}" if base_name else None)
        priority = d.get("priority")
        if priority is not None and (not isinstance(priority, int) or isinstance(priority, bool)):
            raise self.error((*path, "priority"), f"must be an integer, not {priority!r}")
        if not base_name and priority is None:
            priority = 0
        entries = self.items(d, "extra_rows", path)
        if len(entries) > MAX_EXTRA_ROWS:
            raise self.error((*path, "extra_rows"), f"more than {MAX_EXTRA_ROWS} extra rows")
        extra = [self.extra_row(e, (*path, "extra_rows", j), base.table)
                 for j, e in enumerate(entries)]
        remove = self.strings(d, "remove_rows", path)
        own = [*(e.code for e in base.extra_rows), *(a.code for a in extra)]
        aliases = self.aliases(d.get("aliases", {}), (*path, "aliases"), base.table, own)
        try:
            return extend_layout(
                base, name=name, add_rows=extra, remove_rows=remove, aliases=aliases,
                priority=priority,
                description=self.string(d, "description", path, default="") or None,
            )
        except ConfigError as exc:
            raise self.error(path, exc.message) from None

    def rows(self, d: Mapping[str, Any], path: KeyPath, table: str) -> tuple[RowLayout, ...]:
        default = self.strings(d, "columns", path)
        rows = []
        for j, entry in enumerate(self.items(d, "rows", path)):
            rpath = (*path, "rows", j)
            r = self.table(entry, rpath, _ROW_KEYS)
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

    def extra_row(self, entry: Any, path: KeyPath, table: str) -> AddRow:
        r = self.table(entry, path, _EXTRA_ROW_KEYS)
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

    def annotations(self, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        d = self.table(value, ("annotations",), _ANNOTATION_KEYS)
        ignore = self.strings(d, "ignore", ("annotations",))
        patterns = self.strings(d, "patterns", ("annotations",))
        if len(patterns) > MAX_PATTERNS:
            raise self.error(("annotations", "patterns"), f"more than {MAX_PATTERNS} patterns")
        for j, pattern in enumerate(patterns):
            if len(pattern) > MAX_PATTERN_CHARS:
                raise self.error(("annotations", "patterns", j),
                                 f"longer than {MAX_PATTERN_CHARS} characters")
            try:
                compiled = linear_pattern(pattern)
            except PatternError as exc:
                raise self.error(("annotations", "patterns", j),
                                 "not a regular expression gongkai can match in linear time "
                                 "(RE2 syntax: no back-references or look-arounds): "
                                 f"{exc}") from None
            if compiled.search("|") or compiled.search("\n") or compiled.match(""):
                raise self.error(("annotations", "patterns", j),
                                 "must not match '|', a line break or the empty text")
        for a in ignore:
            if "|" in a:
                raise self.error(("annotations", "ignore"), f"{a!r} contains '|'")
        return ignore, patterns

    def sections(self, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        codes = [s.code for s in self.codes.sections]
        d = self.table(value, ("sections",), codes)
        return tuple((code, self.strings(d, code, ("sections",))) for code in d)


def _type(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string"}.get(type(value),
                                                                     type(value).__name__)


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# -- where a key is in the TOML text -----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def locate(text: str, path: KeyPath) -> int | None:
    """Best effort: the 1-based line of the TOML key at ``path`` (``("layout", 0, "name")``).

    tomllib reports no positions for valid documents, so the headers (``[a]``, ``[[a.b]]``)
    are followed to the table that holds the key, and the key is looked for in its lines;
    failing that, the table's header line is given.
    """
    lines = text.splitlines()
    spans: list[tuple[KeyPath, int]] = [((), 0)]  # (table path, index of its header line)
    counts: dict[KeyPath, int] = {}
    latest: dict[str, KeyPath] = {}
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if not m:
            continue
        parts = [p.strip().strip('"\'') for p in m.group(2).split(".")]
        concrete: KeyPath = ()
        for j, part in enumerate(parts[:-1]):
            dotted = ".".join(parts[: j + 1])
            concrete = latest.get(dotted, (*concrete, part))
        concrete = (*concrete, parts[-1])
        if m.group(1) == "[[":
            index = counts.get(concrete, 0)
            counts[concrete] = index + 1
            concrete = (*concrete, index)
            latest[".".join(parts)] = concrete
        spans.append((concrete, i))
    # The deepest table whose path is a prefix of ``path``.
    best, start = (), 0
    for table_path, header in spans:
        if path[: len(table_path)] == table_path and len(table_path) >= len(best):
            best, start = table_path, header
    end = next((h for p, h in spans if h > start), len(lines))
    rest = path[len(best):]
    if not rest or not isinstance(rest[0], str):
        return start + 1 if best else None
    key = re.compile(rf"^\s*[\"']?{re.escape(rest[0])}[\"']?\s*=")
    for i in range(start, end):
        if key.match(lines[i]):
            if len(rest) > 1 and isinstance(rest[1], int):
                return _nth_inline(lines, i, end, rest[1]) or i + 1
            return i + 1
    child = (*best, rest[0])  # the key names a table of its own: its header
    for table_path, header in spans:
        if table_path[: len(child)] == child:
            return header + 1
    return start + 1 if best else None


def _nth_inline(lines: list[str], start: int, end: int, n: int) -> int | None:
    """The line of the ``n``-th element of an inline array whose key is on line ``start``."""
    depth, seen, quote = 0, -1, ""
    for i in range(start, end):
        text = lines[i].split("=", 1)[1] if i == start else lines[i]
        j = 0
        while j < len(text):
            ch = text[j]
            if quote:
                if ch == "\\" and quote == '"':
                    j += 1
                elif ch == quote:
                    quote = ""
            elif ch == "#":
                break
            elif ch in "\"'[{":
                if depth == 1:
                    seen += 1
                    if seen == n:
                        return i + 1
                if ch in "\"'":
                    quote = ch
                else:
                    depth += 1
            elif ch in "]}":
                depth -= 1
                if depth <= 0:
                    return None
            j += 1
    return None
