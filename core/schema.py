"""The JSON Schema (draft 2020-12) of the JSON output, generated from the model.

The schema walks the same field introspection as the serializer (:func:`gongkai.serialize.
json_fields`), so the two describe the same fields with the same types. Descriptions come from
the model's own docstrings and ``#:`` field comments. What type hints cannot say — the table
codes, the schema version — is added from :mod:`gongkai.codes` and :mod:`gongkai.model`.

The generated schema is shipped as ``gongkai/data/report.schema.json``; a test keeps the shipped
file equal to what this module generates (regenerate it with ``gongkai schema -o FILE``).
"""

from __future__ import annotations

import ast
import enum
import inspect
import json
import typing
from functools import cache
from importlib import resources
from typing import Any

import attrs

from . import model
from .codes import load_codes
from .model import SCHEMA_VERSION, Cell, Diagnostic, Metadata, Report, Section, Table
from .serialize import json_fields, union_args

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: The schema's identifier names the model version it describes.
SCHEMA_ID = f"urn:gongkai:schema:report:{SCHEMA_VERSION}"
SHIPPED = "data/report.schema.json"

_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def _refinements() -> dict[tuple[type, str], dict[str, Any]]:
    """Constraints the type hints cannot express, per (class, field)."""
    tables = list(load_codes().table_codes)
    line = {"minimum": 0}
    return {
        (Report, "schema_version"): {"const": SCHEMA_VERSION},
        (Table, "code"): {"enum": tables},
        (Metadata, "templates"): {"propertyNames": {"enum": tables}},
        (Cell, "line"): line,
        (Table, "line_start"): line,
        (Table, "line_end"): line,
        (Section, "line_start"): line,
        (Section, "line_end"): line,
        (Diagnostic, "line"): line,
        (Diagnostic, "lines"): {"items": line},
    }


@cache
def _field_comments(cls: type) -> dict[str, str]:
    """The ``#:`` comments written above each field (or enum member) of a model class."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):  # no source shipped: the schema simply has fewer words
        return {}
    lines = source.splitlines()
    (node,) = ast.parse(source).body
    comments: dict[str, str] = {}
    for stmt in node.body:  # type: ignore[attr-defined]
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        elif isinstance(stmt, ast.Assign):
            targets = stmt.targets
        else:
            continue
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            continue
        doc: list[str] = []
        i = stmt.lineno - 2
        while i >= 0 and lines[i].strip().startswith("#:"):
            doc.insert(0, lines[i].strip()[2:].strip())
            i -= 1
        if doc:
            comments[targets[0].id] = _plain(" ".join(doc))
    return comments


def _plain(text: str) -> str:
    """Docstring text without reStructuredText literal markers."""
    return " ".join(text.replace("``", "`").split())


def _class_doc(cls: type) -> str:
    doc = cls.__dict__.get("__doc__")
    return _plain(inspect.cleandoc(doc).split("\n\n")[0]) if doc else ""


def _enum_doc(cls: type[enum.Enum]) -> str:
    # Enum members' meanings are "#:" comments too, above each member.
    comments = _field_comments(cls)
    parts = [_class_doc(cls)] + [f"`{m.value}`: {comments[m.name]}" for m in cls
                                 if m.name in comments]
    return " ".join(p for p in parts if p)


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.refinements = _refinements()

    def ref(self, cls: type) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # placeholder: a class may contain itself
            self.defs[cls.__name__] = (self._enum(cls) if issubclass(cls, enum.Enum)
                                       else self._object(cls))
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def _object(self, cls: type) -> dict[str, Any]:
        comments = _field_comments(cls)
        properties: dict[str, Any] = {}
        for f in json_fields(cls):
            prop = {"description": comments[f.name]} if f.name in comments else {}
            prop.update(self.type_schema(f.hint))
            prop.update(self.refinements.get((cls, f.name), {}))
            properties[f.name] = prop
        out: dict[str, Any] = {}
        if _class_doc(cls):
            out["description"] = _class_doc(cls)
        out.update(type="object", properties=properties, required=list(properties),
                   additionalProperties=False)
        return out

    def _enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "enum": [m.value for m in cls]}
        if _enum_doc(cls):
            out = {"description": _enum_doc(cls), **out}
        return out

    def type_schema(self, hint: Any) -> dict[str, Any]:
        if isinstance(hint, type) and (attrs.has(hint) or issubclass(hint, enum.Enum)):
            return self.ref(hint)
        if hint in _SIMPLE:
            return {"type": _SIMPLE[hint]}
        members = union_args(hint)
        if members is not None:
            if all(m in _SIMPLE for m in members):
                names = [_SIMPLE[m] for m in members]
                if "integer" in names and "number" in names:  # int | float is a JSON number
                    names.remove("integer")
                return {"type": names[0] if len(names) == 1 else names}
            return {"anyOf": [self.type_schema(m) for m in members]}
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (tuple, list):
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(args[1])}
        raise TypeError(f"gongkai.schema cannot describe type {hint!r}")


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``gongkai convert --to json`` output, generated from the model."""
    builder = _Builder()
    root = builder.ref(Report)
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": f"gongkai report, schema version {SCHEMA_VERSION}",
        "description": _plain(inspect.cleandoc(model.__doc__ or "").split("\n\n")[0]),
        **root,
        "$defs": builder.defs,
    }


def dumps_schema(schema: dict[str, Any] | None = None) -> str:
    """The schema as the text shipped in the package (stable key order, UTF-8, newline)."""
    return json.dumps(schema or report_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_text() -> str:
    """The schema file shipped with the package."""
    return resources.files("gongkai").joinpath(SHIPPED).read_text("utf-8")
