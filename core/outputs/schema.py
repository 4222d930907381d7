"""The JSON Schema (draft 2020-12) of the JSON output, generated from the model.

The schema walks the same field introspection as the serializer (:func:`gongkai.outputs.serialize.
json_fields`), so the two describe the same fields with the same types. Descriptions come from
the model's own docstrings and ``#:`` field comments. What type hints cannot say — the table
codes, the schema version — is added from :mod:`gongkai.layouts.codes` and :mod:`gongkai.model`.

The schema is strict about what gongkai writes with its built-in templates: each table's row
and column codes are enums per table and template (from the built-in layouts), a table code
and a cell address appear once, a cell with status ``ok`` or ``inferred`` has a number and the
others have none, units, scripts and templates are the known ones, dates are ISO dates and
years four digits. (A regional variant's extra codes are outside it: see docs/outputs.md.)

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

from gongkai import model
from gongkai.layouts import layout_toml
from gongkai.layouts.codes import load_codes
from gongkai.model import (
    SCHEMA_VERSION,
    Cell,
    CellRef,
    Diagnostic,
    Metadata,
    Report,
    Section,
    Table,
)
from gongkai.outputs.serialize import json_fields, union_args

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: The schema's identifier names the model version it describes.
SCHEMA_ID = f"urn:gongkai:schema:report:{SCHEMA_VERSION}"
SHIPPED = "data/report.schema.json"

_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


#: Statuses whose cell has a number; every other status has none (model.Status).
WITH_VALUE = ("ok", "inferred")
#: An ISO date (YYYY-MM-DD), or empty when the report gives none.
_DATE = r"^$|^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@cache
def builtin_layouts() -> tuple:
    """The layouts of the built-in templates (not those of installed plugins: the shipped
    schema must not depend on what else is installed)."""
    return tuple(layout_toml.builtin_layouts().values())


def _templates() -> list[str]:
    return sorted({layout.template for layout in builtin_layouts()})


def _refinements() -> dict[tuple[type, str], dict[str, Any]]:
    """Constraints the type hints cannot express, per (class, field)."""
    codes = load_codes()
    tables = list(codes.table_codes)
    line = {"minimum": 0}
    templates = {"enum": _templates()}
    return {
        (Report, "schema_version"): {"const": SCHEMA_VERSION},
        (Report, "tables"): {"allOf": [{"contains": {"properties": {"code": {"const": t}}},
                                        "minContains": 0, "maxContains": 1}
                                       for t in tables]},
        (Table, "code"): {"enum": tables},
        (Table, "template"): templates,
        (Metadata, "templates"): {"propertyNames": {"enum": tables},
                                  "additionalProperties": templates},
        (Metadata, "year"): {"minimum": 1900, "maximum": 2099},
        (Metadata, "published"): {"pattern": _DATE},
        (Metadata, "signed"): {"pattern": _DATE},
        (Metadata, "script"): {"enum": ["simplified", "traditional"]},
        (Metadata, "sha256"): {"pattern": "^$|^[0-9a-f]{64}$"},
        (Metadata, "url"): {"pattern": "^$|^https?://[^\\s]+$"},
        (Cell, "unit"): {"enum": ["", *(u.zh for u in codes.units)]},
        (Cell, "line"): line,
        (CellRef, "table"): {"enum": tables},
        (Table, "line_start"): line,
        (Table, "line_end"): line,
        (Section, "line_start"): line,
        (Section, "line_end"): line,
        (Diagnostic, "line"): line,
        (Diagnostic, "lines"): {"items": line},
    }


def _cell_rules() -> dict[str, Any]:
    """A cell's value goes with its status: a number for ok and inferred, none otherwise."""
    return {"if": {"properties": {"status": {"enum": list(WITH_VALUE)}}},
            "then": {"properties": {"value": {"type": "number"}}},
            "else": {"properties": {"value": {"type": "null"}}}}


def _table_rules() -> list[dict[str, Any]]:
    """Per table code and template: the row and column codes its layouts give, and no cell
    twice: no two equal cells, and no row with more cells than it has columns (gongkai writes
    every cell of the template once). Counting per row, not per address, keeps validation
    fast (an address each would be some 200 scans of the cells per table)."""
    shapes: dict[tuple[str, str], dict[str, dict[str, None]]] = {}
    for layout in builtin_layouts():
        rows = shapes.setdefault((layout.table, layout.template), {})
        for row in (*layout.rows, *getattr(layout, "extra_rows", ())):
            rows.setdefault(row.code, {}).update(dict.fromkeys(getattr(row, "columns", ())))
    rules = []
    for (table, template), rows in sorted(shapes.items()):
        columns = list(dict.fromkeys(c for cs in rows.values() for c in cs))
        once = [{"contains": {"properties": {"row": {"const": r}}},
                 "minContains": 0, "maxContains": len(cs)} for r, cs in rows.items() if cs]
        rules.append({
            "if": {"properties": {"code": {"const": table}, "template": {"const": template}},
                   "required": ["code", "template"]},
            "then": {"properties": {"cells": {
                "items": {"properties": {"row": {"enum": list(rows)},
                                         "column": {"enum": columns}}},
                "uniqueItems": True,
                "allOf": once}}},
        })
    return rules


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """Add constraints to a property's schema; nested schemas (``items``) are merged too."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


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
            _merge(prop, self.refinements.get((cls, f.name), {}))
            properties[f.name] = prop
        out: dict[str, Any] = {}
        if _class_doc(cls):
            out["description"] = _class_doc(cls)
        out.update(type="object", properties=properties, required=list(properties),
                   additionalProperties=False)
        if cls is Cell:
            out.update(_cell_rules())
        if cls is Table:
            out["allOf"] = _table_rules()
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
        raise TypeError(f"gongkai.outputs.schema cannot describe type {hint!r}")


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
