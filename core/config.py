"""User configuration: ``gongkai.toml``, or ``[tool.gongkai]`` in a ``pyproject.toml``.

Looked up from the current directory upwards (the first file found wins), or given with
``--config FILE``. Sections::

    [writers.json]          # options for one writer, as with -O key=value
    indent = "0"

    [rules]                 # switch a rule off or re-grade it
    "requests.row-sum" = "off"
    "proactive.counts" = "error"

Options given on the command line override the file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from gongkai.errors import ConfigError
from gongkai.layouts.tomlcompat import tomllib

FILE_NAME = "gongkai.toml"
SECTIONS = ("writers", "rules", "plugins", "batch")
RULE_SETTINGS = ("off", "error", "warning", "info")


@attrs.frozen
class Config:
    path: str = ""
    data: Mapping[str, Any] = attrs.field(factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, Mapping):
            raise ConfigError(f"[{name}] must be a table", path=self.path)
        return value

    def writer_options(self, writer: str) -> dict[str, str]:
        options = self.section("writers").get(writer, {})
        if not isinstance(options, Mapping):
            raise ConfigError(f"[writers.{writer}] must be a table", path=self.path)
        return {str(k): _as_text(v) for k, v in options.items()}

    def rule_setting(self, rule_id: str) -> str | None:
        """``off``, a severity name, or None when the configuration says nothing."""
        value = self.section("rules").get(rule_id)
        if value is None:
            return None
        if value not in RULE_SETTINGS:
            raise ConfigError(
                f"[rules] {rule_id!r} must be one of {', '.join(RULE_SETTINGS)}, not {value!r}",
                path=self.path,
            )
        return value


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest gongkai.toml, or pyproject.toml with [tool.gongkai], from ``start`` up."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / FILE_NAME
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.gongkai" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


def load_config(path: str | os.PathLike | None = None, *, search: bool = True) -> Config:
    """Read the configuration file ``path`` (or the one found); an empty Config if none."""
    if path is None:
        path = find_config() if search else None
        if path is None:
            return Config()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(p),
                          line=getattr(exc, "lineno", None)) from None
    if p.name == "pyproject.toml":
        data = data.get("tool", {}).get("gongkai", {})
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ConfigError(
            f"unknown section [{unknown[0]}] (known: {', '.join(SECTIONS)})", path=str(p),
            line=_line_of(p, unknown[0]),
        )
    logging.getLogger("gongkai").info("configuration: %s", p)
    return Config(path=str(p), data=data)


def _line_of(path: Path, key: str) -> int | None:
    """Best effort: the first line that mentions ``key``, for error messages."""
    try:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if key in line:
                return number
    except OSError:
        return None
    return None
