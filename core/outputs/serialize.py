"""The model as plain JSON-ready data (what the JSON writer emits, and the schema describes).

Both the serializer here and the JSON Schema (:mod:`gongkai.outputs.schema`) are derived from the
same field introspection, :func:`json_fields`: the attrs fields of each model class with their
resolved type hints. A field added to the model therefore appears in the JSON output and in
the schema at once, and the two cannot drift apart.

Two things are not in the type hints and are stated here, once:

* a cell inside a table leaves out its ``table`` (it is the table it sits in);
* a section leaves out the line of each line of its text (``line_start`` locates it);
* a report puts ``schema_version`` first, so a reader can check it before anything else.

:func:`json_text` writes the same data as JSON text straight from the model, without building
the dicts and lists first (what the JSON writer does per report); its bytes are those of
``json.dumps(to_json(value), ensure_ascii=False, indent=indent)``, which
tests/test_serialize_text.py checks on every seed, sample and generated report.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from functools import cache
from json.encoder import encode_basestring
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


# -- the same data as JSON text, written straight from the model ---------------------------------
#
# json.dumps with an indent runs the pure-Python encoder over the dicts the converters above
# build: most of a report's JSON time. Here each model class gets, once, a function generated
# from its fields that formats a whole object with one f-string (nested model objects by their
# own functions), producing what json.dumps would, piece for piece: the same separators, the
# same newlines and indentation, strings escaped by the same C function, numbers by the same
# repr.

#: Appends the JSON text of a value to ``out``; ``nl`` is the newline and indentation of the
#: value's own level ("" without indent), ``step`` one level more, ``sep`` between items.
Emit = Callable[[Any, list[str], str, str, str], None]


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


class _ByType(dict):
    """A scalar's JSON text function by the value's exact type; any other type (a subclass, a
    structure where a scalar was typed) by :func:`_scalar`, the general case."""

    def __missing__(self, kind: type) -> Callable[[Any], str]:
        return _scalar


#: json.encoder's choices for the exact scalar types.
_SCALARS = _ByType({
    str: encode_basestring, int: int.__repr__, float: _float_text,
    bool: lambda v: "true" if v else "false", type(None): lambda v: "null",
})


def _scalar(value: Any) -> str:
    """The JSON text of any value met where a scalar was typed."""
    out: list[str] = []
    _data(value, out, "", "", ", ")
    return "".join(out)


def _data(value: Any, out: list[str], nl: str, step: str, sep: str) -> None:
    """Plain JSON-ready data (or a model object) as json.dumps writes it."""
    kind = type(value)
    if kind in _SCALARS:
        out.append(_SCALARS[kind](value))
    elif attrs.has(type(value)):
        emitter(type(value))(value, out, nl, step, sep)
    elif isinstance(value, enum.Enum):
        _data(value.value, out, nl, step, sep)
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, float):
        out.append(_float_text(value))
    elif isinstance(value, int):
        out.append(_SCALARS[bool](value) if isinstance(value, bool) else int.__repr__(value))
    elif isinstance(value, (list, tuple)):
        _items(value, out, nl, step, sep, _data)
    elif isinstance(value, dict):
        _pairs(value, out, nl, step, sep, _data)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _items(values: Any, out: list[str], nl: str, step: str, sep: str, item: Emit) -> None:
    if not values:
        out.append("[]")
        return
    inner = nl + step
    between = sep + inner
    out.append("[" + inner)
    for i, v in enumerate(values):
        if i:
            out.append(between)
        item(v, out, inner, step, sep)
    out.append(nl + "]")


def _pairs(values: dict, out: list[str], nl: str, step: str, sep: str, item: Emit) -> None:
    if not values:
        out.append("{}")
        return
    inner = nl + step
    between = sep + inner
    out.append("{" + inner)
    for i, (k, v) in enumerate(values.items()):
        if i:
            out.append(between)
        out.append(encode_basestring(str(k)) + ": ")
        item(v, out, inner, step, sep)
    out.append(nl + "}")


#: Hints whose values are scalars, formatted inline (by _SCALARS).
_SCALAR_HINTS = (int, float, str, bool, type(None))


def _is_scalar(hint: Any) -> bool:
    members = union_args(hint)
    return (all(m in _SCALAR_HINTS for m in members) if members is not None
            else hint in _SCALAR_HINTS)


@cache
def emitter(hint: Any) -> Emit:
    """The function appending a value of type ``hint`` as JSON text (see :func:`json_text`)."""
    if attrs.has(hint):
        return _object_emitter(hint)
    if _is_scalar(hint) or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
        plain = converter(hint)
        return lambda v, out, nl, step, sep: out.append(_SCALARS[type(p := plain(v))](p))
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        kind = typing.get_args(hint)[0]
        item = emitter(kind)
        if attrs.has(kind) and _is_flat(kind):
            return _flat_items(kind, item)
        return lambda v, out, nl, step, sep: _items(v, out, nl, step, sep, item)
    if origin is dict:
        item = emitter(typing.get_args(hint)[1])
        return lambda v, out, nl, step, sep: _pairs(v, out, nl, step, sep, item)
    return _data  # a union of structured types: decided per value, as to_json does


def _is_flat(cls: type) -> bool:
    """Whether every field of a model class (one at least) is written inline (a scalar or an
    enum)."""
    fields = json_fields(cls)
    return bool(fields) and all(
        _is_scalar(f.hint) or (isinstance(f.hint, type) and issubclass(f.hint, enum.Enum))
        for f in fields)


def _flat_items(cls: type, item: Emit) -> Emit:
    """The emitter of a tuple of objects of a flat class (a table's cells): every object's
    text made by one list comprehension over the class's f-string (_compile_object's
    ``texts``), rather than one emitter call each: a report's JSON is mostly its cells."""
    compiled: list[Callable[[Any, str, str, str], list[str]]] = []

    def emit(values: Any, out: list[str], nl: str, step: str, sep: str) -> None:
        if not values:
            out.append("[]")
            return
        if not compiled:
            compiled.append(_compile_object(cls, texts=True))
        inner = nl + step
        try:
            texts = compiled[0](values, inner, step, sep)
        except TypeError:  # a value the hints do not describe: item by item, as the reference
            _items(values, out, nl, step, sep, item)
            return
        out.append("[" + inner + (sep + inner).join(texts) + nl + "]")

    return emit


def _object_emitter(cls: type) -> Emit:
    """Generated code: the fields' text in runs of one f-string, nested objects by their own
    emitters. Resolved lazily, as a class may contain itself (a section's subsections)."""
    compiled: list[Emit] = []

    def emit(value: Any, out: list[str], nl: str, step: str, sep: str) -> None:
        if not compiled:
            compiled.append(_compile_object(cls))
        compiled[0](value, out, nl, step, sep)

    return emit


class _EnumText(dict):
    """An enum member's JSON text, computed once per member (``.value`` is slow to read)."""

    def __missing__(self, member: Any) -> str:
        text = _scalar(to_json(member))
        if isinstance(member, enum.Enum):
            self[member] = text
        return text


class _StrText(dict):
    """A string's JSON text, kept for the strings a report repeats (codes, units, statuses,
    short cell texts): a dict lookup instead of a call of the encoder for each field of each
    cell. Anything but a str is given to the encoder, which raises TypeError as the emitters
    expect; the memo is bounded."""

    def __missing__(self, value: Any) -> str:
        text = encode_basestring(value)
        if type(value) is str and len(value) <= 32:
            if len(self) >= 1 << 14:
                self.clear()
            self[value] = text
        return text


_STR_TEXT = _StrText()


def _compile_object(cls: type, texts: bool = False) -> Any:
    """An emitter of one class: its fields' text in runs of one f-string each.

    A ``str`` field is escaped by ``encode_basestring``, which raises TypeError for anything
    but a string; an emitter meeting a value its hints do not describe takes its output back
    and writes the object as plain data instead (``to_json``), so the text is always that of
    the reference path.

    ``texts`` (a flat class only, :func:`_is_flat`): instead, a function ``(values, nl, step,
    sep)`` giving the text of each of ``values`` (objects at level ``nl``), which raises
    TypeError where the emitter would fall back (its caller then falls back).
    """
    fields = json_fields(cls)
    if not fields:
        return lambda value, out, nl, step, sep: out.append("{}")
    names: dict[str, Any] = {"_S": _SCALARS, "_enc": _STR_TEXT, "_data": _data,
                             "_plain": converter(cls)}
    lines = ["def emit(value, out, nl, step, sep):", "    mark = len(out)", "    try:",
             "        inner = nl + step", "        between = sep + inner"]
    run = ["{{{inner}"]  # the f-string pieces not yet appended
    for i, field in enumerate(fields):
        key = encode_basestring(field.name).replace("{", "{{").replace("}", "}}")
        run.append(("{between}" if i else "") + key + ": ")
        get = f"{'v' if texts else 'value'}.{field.name}"
        if field.hint is str:
            run.append(f"{{_enc[{get}]}}")
        elif _is_scalar(field.hint):
            run.append(f"{{_S[type({get})]({get})}}")
        elif isinstance(field.hint, type) and issubclass(field.hint, enum.Enum):
            names[f"_enum_{i}"] = _EnumText()
            run.append(f"{{_enum_{i}[{get}]}}")
        else:
            names[f"_emit_{i}"] = emitter(field.hint)
            lines.append(f"        out.append(f{''.join(run)!r})")
            lines.append(f"        _emit_{i}({get}, out, inner, step, sep)")
            run = []
    run.append("{nl}}}")
    if texts:  # one f-string per object (a flat class has no nested emitter)
        code = ["def texts(values, nl, step, sep):", "    inner = nl + step",
                "    between = sep + inner",
                f"    return [f{''.join(run)!r} for v in values]"]
        exec(compile("\n".join(code), f"<gongkai.outputs.serialize texts of {cls.__name__}>",
                     "exec"), names)
        return names["texts"]
    lines += [f"        out.append(f{''.join(run)!r})",
              "    except TypeError:  # a value the hints do not describe",
              "        del out[mark:]",
              "        _data(_plain(value), out, nl, step, sep)"]
    source = f"<gongkai.outputs.serialize emitter of {cls.__name__}>"
    exec(compile("\n".join(lines), source, "exec"), names)
    return names["emit"]


def json_text(value: Any, indent: int | None = 2) -> str:
    """Any model object (or plain data) as the text of
    ``json.dumps(to_json(value), ensure_ascii=False, indent=indent)``, without the dicts."""
    out: list[str] = []
    if indent is None:
        _data(value, out, "", "", ", ")
    else:  # the top level's own "newline and indentation", before its closing bracket
        _data(value, out, "\n", " " * indent, ",")
    return "".join(out)
