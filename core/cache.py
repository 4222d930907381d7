"""A small on-disk cache for things that are slow to build and never change between runs.

The grammar's parse tables (see :mod:`gongkai.parse`), the lexers the line walker takes from
them (:mod:`gongkai.fastparse`) and data derived once from a library (the traditional-script
plugin's character set and vocabulary repairs, made with OpenCC) are kept here, so that a new
process — every ``gongkai convert``, every worker of a batch — loads them instead of rebuilding
them. The directory is ``$GONGKAI_CACHE_DIR``, else
``$XDG_CACHE_HOME/gongkai`` (``~/.cache/gongkai``), else one under the system's temporary
directory; without a writable one, everything is simply built each time.

Entries are named by a digest of everything they are made from, so a changed input (a new
library version, other labels) makes a new entry rather than reading a stale one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "cached_json"]


def cache_dir() -> Path | None:
    """The writable cache directory, created if needed; None when there is none."""
    for candidate in (
        os.environ.get("GONGKAI_CACHE_DIR"),
        os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                     "gongkai"),
        os.path.join(tempfile.gettempdir(), "gongkai-cache"),
    ):
        if not candidate:
            continue
        try:
            os.makedirs(candidate, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return Path(candidate)
    return None


def digest(*parts: str) -> str:
    """A short digest of text parts, for naming an entry by what it is made from."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def cached_json(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The JSON value cached as ``name``-``key``, built (and stored) when absent or unreadable.

    ``key`` must change whenever what ``build`` makes would (use :func:`digest`). Writing is
    atomic (a temporary file renamed), so concurrent processes never read half an entry.
    """
    directory = cache_dir()
    path = directory / f"{name}-{key}.json" if directory is not None else None
    if path is not None:
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            pass
    value = build()
    if path is not None:
        try:
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            pass
    return value
