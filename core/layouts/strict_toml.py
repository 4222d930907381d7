"""Strict TOML reading: every key known, every mistake a ConfigError at ``file:line``.

The one reader under both the layout files (``[[layout]]`` tables a template plugin ships) and
the variant files: a typo (``priorty``) is an error with a suggestion, never silently ignored,
and each error names the line of the key at fault. tomllib reports no positions for a valid
document, so :func:`locate` finds a key's line from the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from gongkai.errors import ConfigError
from gongkai.layouts.tomlcompat import tomllib
from gongkai.suggest import did_you_mean

#: Where a value is in a document: ``("layout", 0, "rows", 2, "code")``.
KeyPath = tuple[str | int, ...]


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """``text`` parsed; a syntax error is a ConfigError at its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _decode_error_line(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=source, line=line) from None
    except RecursionError:  # thousands of nested arrays or tables
        raise ConfigError("not valid TOML: nested too deeply", path=source,
                          line=_deepest_line(text)) from None


class TomlReader:
    """Typed getters over a parsed document, raising located ConfigErrors."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source

    def error(self, path: KeyPath, message: str) -> ConfigError:
        where = dotted(path)
        return ConfigError(f"{where}: {message}" if where else message, path=self.source,
                           line=locate(self.text, path))

    def table(self, value: Any, path: KeyPath, keys: Sequence[str]) -> Mapping[str, Any]:
        """``value`` as a table whose keys are all among ``keys``."""
        if not isinstance(value, Mapping):
            raise self.error(path, f"must be a table, not {_type(value)}")
        for key in value:
            if key not in keys:
                hint = did_you_mean(key, keys) or f" (known: {', '.join(keys)})"
                where = f" in {header(path)}" if path else ""
                raise ConfigError(f"unknown key {key!r}{where}{hint}", path=self.source,
                                  line=locate(self.text, (*path, key)))
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

    def integer(self, d: Mapping[str, Any], key: str, path: KeyPath) -> int | None:
        value = d.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.error((*path, key), f"must be an integer, not {value!r}")
        return value

    def items(self, d: Mapping[str, Any], key: str, path: KeyPath) -> list[Any]:
        value = d.get(key, [])
        if not isinstance(value, list):
            raise self.error((*path, key), f"must be an array of tables ([[...{key}]])")
        return value


def _type(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string"}.get(type(value),
                                                                     type(value).__name__)


def dotted(path: KeyPath) -> str:
    """``layout[0].rows[2]``: a key path as messages write it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def header(path: KeyPath) -> str:
    """The TOML header of the table at ``path``: ``[[layout.rows]]``, ``[annotations]``."""
    names = [p for p in path if isinstance(p, str)]
    array = bool(path) and isinstance(path[-1], int)
    return f"[[{'.'.join(names)}]]" if array else f"[{'.'.join(names)}]"


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


# -- where a key is in the TOML text -----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def locate(text: str, path: KeyPath) -> int | None:
    """Best effort: the 1-based line of the TOML key at ``path`` (``("layout", 0, "name")``).

    The headers (``[a]``, ``[[a.b]]``) are followed to the table that holds the key, and the
    key is looked for in its lines; failing that, the table's header line is given.
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
            concrete = latest.get(".".join(parts[: j + 1]), (*concrete, part))
        concrete = (*concrete, parts[-1])
        if m.group(1) == "[[":
            index = counts.get(concrete, 0)
            counts[concrete] = index + 1
            concrete = (*concrete, index)
            latest[".".join(parts)] = concrete
        spans.append((concrete, i))
    # The deepest table whose path is a prefix of ``path``.
    best, start = (), 0
    for table_path, head in spans:
        if path[: len(table_path)] == table_path and len(table_path) >= len(best):
            best, start = table_path, head
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
    for table_path, head in spans:
        if table_path[: len(child)] == child:
            return head + 1
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
