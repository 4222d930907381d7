"""Reading variant files: every mistake a ConfigError naming the file, the line and the key.

The format is documented in docs/variants.md::

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

A file is read in two steps. :func:`read_variant` checks all of it (unknown keys, values,
patterns) and gives a :class:`VariantFile`; its layouts are made by
:meth:`VariantFile.resolve`, given the layouts their ``extends`` may name: in an engine, the
layouts the plugins registered (so a variant can extend another plugin's layout, and not one
whose plugin is not loaded). Variant files are bounded: their size, the number and length of
patterns, the rows a layout adds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from gongkai.engine.plugin_types import check_name
from gongkai.errors import ConfigError
from gongkai.layouts.layout import Layout
from gongkai.layouts.layout_toml import (
    EXTENDING_KEYS,
    EXTRA_ROW_KEYS,
    LAYOUT_KEYS,
    ROW_KEYS,
    LayoutReader,
    builtin_layouts,
)
from gongkai.layouts.strict_toml import parse_toml
from gongkai.layouts.variant import Variant
from gongkai.layouts.variant_text import PatternError, linear_pattern
from gongkai.validate.narrative import claims_from_data

TOP_KEYS = ("variant", "layout", "annotations", "sections", "narrative")
VARIANT_KEYS = ("name", "description")
ANNOTATION_KEYS = ("ignore", "patterns")
#: Every key of a variant file, for docs/variants.md (tests/test_docs.py checks each is there).
ALL_KEYS = (*TOP_KEYS, *VARIANT_KEYS, *LAYOUT_KEYS, *EXTENDING_KEYS, *ROW_KEYS,
            *EXTRA_ROW_KEYS, *ANNOTATION_KEYS)

#: Bounds on a variant file: a real one is a few KB, a few patterns, a dozen extra rows.
MAX_VARIANT_BYTES = 1024 * 1024
MAX_PATTERNS = 200
MAX_PATTERN_CHARS = 1000


@attrs.frozen
class VariantFile:
    """A variant file read and checked, its layouts not made yet (see the module docstring)."""

    #: Everything but the layouts.
    variant: Variant
    text: str = attrs.field(repr=False)
    #: Its ``[[layout]]`` tables, as parsed.
    layouts: tuple[Any, ...] = attrs.field(repr=False, default=())

    @property
    def name(self) -> str:
        return self.variant.name

    def resolve(self, layouts: Mapping[str, Layout]) -> Variant:
        """The variant with its layouts; ``extends`` names one of ``layouts`` (by name) or a
        layout earlier in the file. Raises ConfigError at the line of the wrong key."""
        reader = LayoutReader(self.text, self.variant.source, extending=True)
        made = reader.layouts(self.layouts, bases=layouts, suffix=self.variant.name)
        return attrs.evolve(self.variant, layouts=tuple(made))


def read_variant_file(path: str | os.PathLike) -> VariantFile:
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
    return read_variant(text, source=str(p))


def read_variant_resource(package: str, resource: str) -> VariantFile:
    """A variant file shipped as package data (what a plugin does)."""
    text = resources.files(package).joinpath(resource).read_text("utf-8")
    return read_variant(text, source=f"{package}/{resource}")


def read_variant(text: str, *, source: str = "<variant>") -> VariantFile:
    """Read and check a variant file's text; every error names ``source``, the line, the key."""
    if len(text) > MAX_VARIANT_BYTES:
        raise ConfigError(f"variant file is larger than {MAX_VARIANT_BYTES // 1024} KB",
                          path=source)
    return _VariantReader(text, source).read(parse_toml(text, source))


# Outside an engine there are no registered layouts: a variant read on its own extends the
# layouts of gongkai's template files.

def load_variant(path: str | os.PathLike, layouts: Mapping[str, Layout] | None = None
                 ) -> Variant:
    """A variant file read, its ``extends`` resolved against ``layouts`` (default: the
    built-in templates' layouts)."""
    return read_variant_file(path).resolve(builtin_layouts() if layouts is None else layouts)


def load_variant_resource(package: str, resource: str,
                          layouts: Mapping[str, Layout] | None = None) -> Variant:
    """:func:`load_variant` for a file shipped as package data."""
    file = read_variant_resource(package, resource)
    return file.resolve(builtin_layouts() if layouts is None else layouts)


def variant_from_toml(text: str, *, source: str = "<variant>",
                      layouts: Mapping[str, Layout] | None = None) -> Variant:
    """:func:`load_variant` for a file's text."""
    file = read_variant(text, source=source)
    return file.resolve(builtin_layouts() if layouts is None else layouts)


class _VariantReader(LayoutReader):
    """Everything of a variant file but making its layouts (which waits for their bases)."""

    def __init__(self, text: str, source: str):
        super().__init__(text, source, extending=True)

    def read(self, data: Mapping[str, Any]) -> VariantFile:
        self.table(data, (), TOP_KEYS)
        if "variant" not in data:
            raise ConfigError("missing the [variant] table (with its name)", path=self.source,
                              line=1)
        head = self.table(data["variant"], ("variant",), VARIANT_KEYS)
        name = self.string(head, "name", ("variant",))
        try:
            check_name("variant", name)
        except ValueError as exc:
            raise self.error(("variant", "name"), str(exc)) from None
        layouts = self.items(data, "layout", ())
        for i, entry in enumerate(layouts):
            self.check_keys(entry, ("layout", i))
        ignore, patterns = self.annotations(data.get("annotations", {}))
        sections = self.sections(data.get("sections", {}))
        narrative = claims_from_data(data.get("narrative", []), source=self.source,
                                     key="narrative", error=self.error)
        if not (layouts or ignore or patterns or sections or narrative):
            raise ConfigError("the variant changes nothing: give [[layout]], [annotations], "
                              "[sections] or [[narrative]]", path=self.source, line=1)
        variant = Variant(
            name=name,
            description=self.string(head, "description", ("variant",), default=""),
            ignore=ignore,
            ignore_patterns=patterns,
            sections=sections,
            source=self.source,
            narrative=narrative,
        )
        return VariantFile(variant, self.text, tuple(layouts))

    def annotations(self, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        d = self.table(value, ("annotations",), ANNOTATION_KEYS)
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
