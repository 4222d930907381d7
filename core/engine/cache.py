"""A small on-disk cache for things that are slow to build and never change between runs.

The table and lexers the line walk takes from the grammar (:mod:`gongkai.parse.fastparse`) and
data derived once from a library (the traditional-script plugin's character set and
vocabulary repairs, made with OpenCC) are kept here, so that a new process — every
``gongkai convert``, every worker of a batch — loads them instead of rebuilding them. The
directory is ``$GONGKAI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gongkai`` (``~/.cache/gongkai``), else
``gongkai-cache-UID`` under the system's temporary directory; without a usable one,
everything is simply built each time.

The cache holds data only, never code: each entry is a JSON document carrying its name, its
key and a SHA-256 of its value, checked (and the value's shape checked by its reader) before
it is used. A directory is used only when it is the user's own, a real directory (not a
link) that nobody else can write to: it is created with mode 0700, an existing one of the
user's that is wider is narrowed to 0700, and one owned by someone else is refused. An entry
that fails a check is ignored and rebuilt, with a warning.

Entries are named by a digest of everything they are made from, so a changed input (a new
library version, other labels) makes a new entry rather than reading a stale one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CacheWarning", "cache_dir", "cached_json", "digest"]

#: The envelope every entry is written in; another format is not read.
FORMAT = "gongkai-cache/2"


class CacheWarning(UserWarning):
    """A cache directory or entry was not used (refused or corrupt); it is rebuilt."""


def cache_dir() -> Path | None:
    """The user's own cache directory, created (mode 0700) if needed; None when there is none."""
    for candidate in _candidates():
        if _usable(candidate):
            return Path(candidate)
    return None


def _candidates() -> list[str]:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    names = [os.environ.get("GONGKAI_CACHE_DIR"), os.path.join(home, "gongkai"),
             # Under the shared temporary directory: a name of this user's own.
             os.path.join(tempfile.gettempdir(), f"gongkai-cache-{uid}")]
    return [n for n in names if n]


def _usable(directory: str) -> bool:
    try:
        os.makedirs(os.path.dirname(os.path.abspath(directory)), exist_ok=True)
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a file, or a link somebody may have planted
    if hasattr(os, "getuid"):
        if info.st_uid != os.getuid():
            warnings.warn(f"cache directory {directory!r} is not yours: not used",
                          CacheWarning, stacklevel=3)
            return False
        if stat.S_IMODE(info.st_mode) & 0o077:
            try:
                os.chmod(directory, 0o700)
            except OSError:
                return False
    return os.access(directory, os.W_OK | os.X_OK)


def digest(*parts: str) -> str:
    """A short digest of text parts, for naming an entry by what it is made from."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def _checksum(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_json(name: str, key: str, build: Callable[[], Any],
                valid: Callable[[Any], bool] | None = None) -> Any:
    """The JSON value cached as ``name``-``key``, built (and stored) when absent or unusable.

    ``key`` must change whenever what ``build`` makes would (use :func:`digest`). ``valid``
    checks a value read back has the shape ``build`` gives (an entry failing it is rebuilt).
    Writing is atomic (a temporary file renamed), so concurrent processes never read half an
    entry.
    """
    directory = cache_dir()
    path = directory / f"{name}-{key}.json" if directory is not None else None
    if path is not None:
        found = _read(path, name, key, valid)
        if found is not _ABSENT:
            return found
    value = build()
    if path is not None:
        document = {"format": FORMAT, "name": name, "key": key, "sha256": _checksum(value),
                    "value": value}
        try:
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(document, f, ensure_ascii=False)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass
    return value


_ABSENT = object()


def _read(path: Path, name: str, key: str, valid: Callable[[Any], bool] | None) -> Any:
    """The entry's value, or _ABSENT (with a warning when it exists but fails a check)."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except FileNotFoundError:
        return _ABSENT
    except (OSError, ValueError, RecursionError) as exc:
        return _corrupt(path, f"unreadable ({type(exc).__name__})")
    if not (isinstance(document, dict) and document.get("format") == FORMAT
            and document.get("name") == name and document.get("key") == key
            and "value" in document):
        return _corrupt(path, "not an entry of this version")
    value = document["value"]
    if document.get("sha256") != _checksum(value):
        return _corrupt(path, "its checksum does not match")
    try:
        ok = valid is None or valid(value)
    except Exception:
        ok = False
    return value if ok else _corrupt(path, "unexpected content")


def _corrupt(path: Path, why: str) -> object:
    warnings.warn(f"cache entry {str(path)!r} ignored and rebuilt: {why}", CacheWarning,
                  stacklevel=4)
    return _ABSENT
