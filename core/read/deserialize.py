"""gongkai's JSON back to the model: ``gongkai.load(path)``, ``gongkai convert --from json``.

The inverse of :mod:`gongkai.outputs.serialize`, walking the same field introspection
(:func:`gongkai.outputs.serialize.json_fields`), so whatever the JSON writer emits is read back: a
report loaded from its JSON is equal to the report that was written, and every writer gives
the same bytes for both.

The document is checked while it is read: its schema version, every field present and of its
type, no field the model does not have. A mistake is an :class:`~gongkai.errors.InputError`
naming where in the document it is (``tables[0].cells[3].value``). (The JSON Schema, ``gongkai
schema``, says more — codes, dates, statuses against values — for a validator to check.)
"""

from __future__ import annotations

import enum
import json
import os
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

import attrs

from gongkai.errors import InputError
from gongkai.model import SCHEMA_VERSION, Cell, Report, Table, cell_ref
from gongkai.outputs.serialize import OMIT, json_fields, union_args

_SIMPLE = {str: (str,), int: (int,), float: (int, float), bool: (bool,), type(None): (type(None),)}

Read = Callable[[Any, str], Any]


class _Bad(Exception):
    def __init__(self, where: str, what: str):
        super().__init__(f"{where or 'the document'}: {what}")


def _name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true/false",
            type(None): "null", int: "a number", float: "a number"}.get(type(value),
                                                                        type(value).__name__)


@cache
def reader(hint: Any) -> Read:
    """A function turning JSON data at a path into a value of type ``hint``."""
    if attrs.has(hint):
        return _object_reader(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = {m.value: m for m in hint}

        def read_enum(value: Any, where: str) -> Any:
            if value not in values:
                raise _Bad(where, f"must be one of {', '.join(values)}, not {value!r}")
            return values[value]

        return read_enum
    members = union_args(hint)
    if members is not None:
        readers = [reader(m) for m in members]

        def read_union(value: Any, where: str) -> Any:
            for read in readers:
                try:
                    return read(value, where)
                except _Bad:
                    continue
            raise _Bad(where, f"{_name(value)} is not allowed here")

        return read_union
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        item = reader(typing.get_args(hint)[0])

        def read_array(value: Any, where: str) -> Any:
            if not isinstance(value, list):
                raise _Bad(where, f"must be an array, not {_name(value)}")
            return tuple(item(v, f"{where}[{i}]") for i, v in enumerate(value))

        return read_array
    if origin is dict:
        item = reader(typing.get_args(hint)[1])

        def read_map(value: Any, where: str) -> Any:
            if not isinstance(value, dict):
                raise _Bad(where, f"must be an object, not {_name(value)}")
            return {k: item(v, f"{where}.{k}") for k, v in value.items()}

        return read_map
    if hint in _SIMPLE:
        accepted = _SIMPLE[hint]

        def read_simple(value: Any, where: str) -> Any:
            # bool is an int to Python, never to JSON's number fields.
            if not isinstance(value, accepted) or (isinstance(value, bool) and hint is not bool):
                raise _Bad(where, f"must be {_name(hint())}, not {_name(value)}")
            return value

        return read_simple
    raise TypeError(f"gongkai.read.deserialize cannot read values of type {hint!r}")


def _object_reader(cls: type) -> Read:
    fields = json_fields(cls)
    resolved: list[tuple[str, Read]] = []

    def read_object(value: Any, where: str) -> Any:
        if not resolved:  # lazily: a class may contain itself (subsections)
            resolved.extend((f.name, reader(f.hint)) for f in fields)
        if not isinstance(value, dict):
            raise _Bad(where, f"must be an object, not {_name(value)}")
        extra = sorted(set(value) - {name for name, _ in resolved})
        if extra:
            raise _Bad(where, f"has no field {extra[0]!r}")
        out = {}
        for name, read in resolved:
            if name not in value:
                raise _Bad(where, f"lacks the field {name!r}")
            out[name] = read(value[name], f"{where}.{name}" if where else name)
        return out

    if cls is Table:  # a table's cells leave out their table (serialize.OMIT): put it back
        def read_table(value: Any, where: str) -> Any:
            data = read_object(value, where)
            data["cells"] = tuple(Cell(table=data["code"], **c) for c in data["cells"])
            return Table(**data)

        return read_table
    if cls is Cell:
        return read_object  # made into Cells by read_table, which knows their table
    if cls.__name__ == "CellRef":
        return lambda value, where: cell_ref(**read_object(value, where))
    # A field the JSON leaves out (serialize.OMIT) takes its default (Section.lines: the
    # lines of its prose, which only the narrative check of a conversion uses).
    assert all(f.default is not attrs.NOTHING for f in attrs.fields(cls)
               if f.name in OMIT.get(cls, ())), cls
    return lambda value, where: cls(**read_object(value, where))


def report_from_json(data: Any) -> Report:
    """A Report from gongkai's JSON, already parsed (``json.load``)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise InputError(
            "not gongkai JSON of this version: schema_version is "
            f"{version!r}, this gongkai reads {SCHEMA_VERSION!r}" if version is not None else
            "not gongkai's JSON (it has no schema_version)")
    try:
        return reader(Report)(data, "")
    except _Bad as exc:
        raise InputError(f"not gongkai's JSON: {exc}") from None


def loads(text: str | bytes) -> Report:
    """A Report from the text of gongkai's JSON."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not JSON: {exc.msg if hasattr(exc, 'msg') else exc}",
                         line=line) from None
    return report_from_json(data)


def load(path: str | os.PathLike) -> Report:
    """The Report a file of gongkai's JSON holds (``gongkai convert r.txt -o r.json``)."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        return loads(data)
    except InputError as exc:
        raise exc.located(path) from None
