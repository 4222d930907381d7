"""The model as plain JSON-ready data (what the JSON writer emits, and the schema describes).

Both the serializer here and the JSON Schema (:mod:`gongkai.outputs.schema`) are derived from the
same field introspection, :func:`json_fields`: the attrs fields of each model class with their
resolved type hints. A field added to the model therefore appears in the JSON output and in
the schema at once, and the two cannot drift apart.

Two things are not in the type hints and are stated here, once:

* a cell inside a table leaves out its ``table`` (it is the table it sits in);
* a section leaves out the line of each line of its text (``line_start`` locates it);
* a report puts ``schema_version`` first, so a reader can check it before anything else.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

import attrs

from gongkai.model import Cell, Diagnostic, Metadata, Report, Section, Table

#: Fields a class leaves out of its JSON form.
OMIT: dict[type, tuple[str, ...]] = {Cell: ("table",), Section: ("lines",)}
#: Fields a class puts before the others (which keep the model's order).
FIRST: dict[type, tuple[str, ...]] = {Report: ("schema_version",)}


@attrs.frozen
class JsonField:
    """One field of a model class as it appears in JSON."""

    name: str
    #: The resolved type hint (``int | None``, ``tuple[Cell, ...]``, a model class...).
    hint: Any
    #: The model class that declares the field.
    owner: type


@cache
def json_fields(cls: type) -> tuple[JsonField, ...]:
    """The JSON fields of an attrs model class, in output order."""
    hints = typing.get_type_hints(cls)
    omit = OMIT.get(cls, ())
    fields = [JsonField(f.name, hints[f.name], cls) for f in attrs.fields(cls)
              if f.name not in omit]
    first = FIRST.get(cls, ())
    fields.sort(key=lambda f: first.index(f.name) if f.name in first else len(first))
    return tuple(fields)


def union_args(hint: Any) -> tuple[Any, ...] | None:
    """The members of a union hint (``int | None``), or None if it is not a union."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return None


# -- the serializer, compiled once per type ------------------------------------------------------

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _enum_value(value: enum.Enum) -> Any:
    return value.value


@cache
def converter(hint: Any) -> Convert:
    """A function turning a value of type ``hint`` into JSON-ready data."""
    if attrs.has(hint):
        return _object_converter(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_value
    members = union_args(hint)
    if members is not None:
        if all(m in (int, float, str, bool, type(None)) for m in members):
            return _identity
        return _any  # a union of structured types: decide per value
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        item = converter(typing.get_args(hint)[0])
        return lambda value: [item(v) for v in value]
    if origin is dict:
        item = converter(typing.get_args(hint)[1])
        return lambda value: {str(k): item(v) for k, v in value.items()}
    if hint in (str, int, float, bool, type(None)):
        return _identity
    raise TypeError(f"gongkai.outputs.serialize cannot convert values of type {hint!r}")


def _object_converter(cls: type) -> Convert:
    # Resolved lazily: a class may contain itself (a section's subsections).
    fields = json_fields(cls)
    resolved: list[tuple[str, Convert]] = []

    def convert(value: Any) -> dict[str, Any]:
        if not resolved:
            resolved.extend((f.name, converter(f.hint)) for f in fields)
        return {name: conv(getattr(value, name)) for name, conv in resolved}

    return convert


def _any(value: Any) -> Any:
    return to_json(value)


def to_json(value: Any) -> Any:
    """Any model object (or a container of them) as JSON-ready data."""
    if attrs.has(type(value)):
        return converter(type(value))(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


# -- the model's parts, by name (kept for callers and readability) -------------------------------


def metadata_dict(m: Metadata) -> dict[str, Any]:
    return converter(Metadata)(m)


def section_dict(s: Section) -> dict[str, Any]:
    return converter(Section)(s)


def cell_dict(c: Cell) -> dict[str, Any]:
    return converter(Cell)(c)


def table_dict(t: Table) -> dict[str, Any]:
    return converter(Table)(t)


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return converter(Diagnostic)(d)


def report_dict(r: Report) -> dict[str, Any]:
    return converter(Report)(r)
