"""Finding a corpus's reports, and naming one output file per report safely.

Reports are found under directories (recursively, by the file extensions the readers declare),
by glob patterns, or named one by one. Each keeps a *relative name*: its path below the
directory or the pattern's fixed part it was found under, or its file name.

An output name is the relative name with the format's extension, made safe: every part is a
plain file name (no ``..``, no leading dot or dash, no separators, control characters or
characters Windows forbids, not too long), so the output is always inside the output
directory. Two inputs that would share a name (``a.txt`` and ``a.text``; the same name found
under two directories; names equal once made safe or once case is ignored) both get a short
hash of their absolute path added instead — the same on every run, so a resumed run finds the
outputs of the last one.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from gongkai.engine.manager import Engine
from gongkai.errors import UsageError

_MAGIC = re.compile(r"[*?[]")
#: Also the bidirectional controls, which make a name read as another (invoice\u202etxt.exe).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\ufffd\u061c\u200e\u200f\u202a-\u202e'
                     r'\u2066-\u2069]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")
#: Bytes of UTF-8 a name part may take (file systems allow 255; room for the hash).
MAX_PART_BYTES = 180
HASH_CHARS = 10


@attrs.frozen
class Input:
    #: The file, as found (joined to the directory or pattern it was found by).
    path: str
    #: Its name relative to where it was found, with "/" separators.
    rel: str


def reader_extensions(engine: Engine) -> frozenset[str]:
    """The file extensions the registered readers declare (``.txt``...), lower case."""
    return frozenset(
        ext.lower() for c in engine.readers() for ext in getattr(c.item, "extensions", ())
    )


def is_pattern(source: str) -> bool:
    return bool(_MAGIC.search(source)) and not os.path.exists(source)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: str, extensions: frozenset[str], excluded: set[str]
          ) -> Iterable[tuple[str, str]]:
    """``(path, name relative to root)`` of the reports below ``root``."""
    for directory, dirs, files in os.walk(root):
        # Hidden directories (.git, caches) and the run's own output are not the corpus.
        dirs[:] = sorted(
            d for d in dirs
            if not _hidden(d) and os.path.realpath(os.path.join(directory, d)) not in excluded
        )
        # The relative name of each file from its directory's, worked out once per directory.
        here = _rel(directory, root)
        prefix = "" if here == "." else here + "/"
        for name in sorted(files):
            if not _hidden(name) and os.path.splitext(name)[1].lower() in extensions:
                yield os.path.join(directory, name), prefix + name


def _pattern_base(pattern: str) -> str:
    """The pattern's leading directories without wildcards: names are relative to it."""
    parts = pattern.replace(os.sep, "/").split("/")
    fixed = []
    for part in parts[:-1]:
        if _MAGIC.search(part):
            break
        fixed.append(part)
    base = "/".join(fixed)
    if pattern.startswith("/") and not base:
        return "/"
    return base or "."


def _rel(path: str, base: str) -> str:
    return os.path.relpath(path, base).replace(os.sep, "/")


def find_reports(sources: Iterable[str | os.PathLike], *, extensions: Iterable[str],
                 exclude: Iterable[str | os.PathLike] = ()) -> list[Input]:
    """Every report under ``sources``, sorted by path, each file once.

    A directory is searched recursively for files with one of ``extensions`` (hidden files
    and directories skipped); a glob pattern takes the files it matches (and searches the
    directories it matches); any other source is taken as a file, existing or not (a missing
    one fails when converted, like any bad input). Files under ``exclude`` are left out.
    """
    exts = frozenset(e.lower() for e in extensions)
    excluded = {os.path.realpath(os.fspath(e)) for e in exclude}
    found: list[Input] = []
    for source in sources:
        source = os.fspath(source)
        if os.path.isdir(source):
            found.extend(Input(p, rel) for p, rel in _walk(source, exts, excluded))
        elif is_pattern(source):
            base = _pattern_base(source)
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                raise UsageError(f"no file matches {source!r}")
            for match in matches:
                if os.path.isdir(match):
                    under = _rel(match, base)
                    found.extend(Input(p, rel if under == "." else f"{under}/{rel}")
                                 for p, rel in _walk(match, exts, excluded))
                elif not _hidden(os.path.basename(match)):
                    found.append(Input(match, _rel(match, base)))
        else:
            found.append(Input(source, os.path.basename(source) or source))
    unique: dict[str, Input] = {}
    real = RealPaths()
    for item in found:
        key = real(item.path)
        if key in excluded or any(key.startswith(e.rstrip(os.sep) + os.sep) for e in excluded):
            continue
        unique.setdefault(key, item)
    return sorted(unique.values(), key=lambda i: i.path)


class RealPaths:
    """``os.path.realpath`` of many files in few directories: each directory resolved once.

    realpath looks at every component of a path (a system call each); a file that is not a
    link is its resolved directory joined with its name, which one ``lstat`` tells.
    """

    def __init__(self) -> None:
        self._dirs: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        directory, name = os.path.split(path)
        if not name or name in (".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        resolved = self._dirs.get(directory)
        if resolved is None:
            resolved = self._dirs[directory] = os.path.realpath(directory or ".")
        return os.path.join(resolved, name)


# -- output names -----------------------------------------------------------------------------


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def safe_part(part: str) -> str:
    """One path part as a harmless file name (never empty, ``.``/``..``, hidden or an option)."""
    # Bytes of a name that are not UTF-8 (os.fsdecode gives them as surrogates) become "_".
    part = part.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    part = unicodedata.normalize("NFC", part)
    part = _UNSAFE.sub("_", part).strip(" ")
    part = part.rstrip(".") if part not in (".", "..") else part
    if not part or part in (".", ".."):
        return "_"
    if part[0] in ".-":
        part = "_" + part[1:]
    if _RESERVED.match(part):
        part = "_" + part
    return _truncate(part, MAX_PART_BYTES)


def _candidate(rel: str) -> list[str]:
    """The relative name's parts made safe, the last one without its extension."""
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")] or ["_"]
    *dirs, name = parts
    return [*(safe_part(d) for d in dirs), safe_part(os.path.splitext(name)[0] or name)]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _hashed(parts: list[str], path: str, extension: str) -> str:
    digest = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()
    stem = _truncate(parts[-1], MAX_PART_BYTES - HASH_CHARS - 1)
    return "/".join([*parts[:-1], f"{stem}~{digest[:HASH_CHARS]}{extension}"])


def output_names(inputs: Sequence[Input], extension: str) -> list[str]:
    """A distinct, safe relative output name (``/``-separated) for each input, in order."""
    candidates = [_candidate(i.rel) for i in inputs]
    names = ["/".join(parts) + extension for parts in candidates]
    counts = Counter(_key(n) for n in names)
    # A file name that is also some output's directory (input "x.csv/a.txt" and "x.txt").
    directories = {_key("/".join(p[:k])) for p in candidates for k in range(1, len(p))}
    for i, name in enumerate(names):
        if counts[_key(name)] > 1 or _key(name) in directories:
            names[i] = _hashed(candidates[i], inputs[i].path, extension)
    # A hashed name could still meet a plain one (an input really named "a~0123456789.txt"):
    # lengthen the hash until every name is distinct.
    seen: set[str] = set()
    for i, name in enumerate(names):
        attempt = 0
        while _key(name) in seen or _key(name) in directories:
            attempt += 1
            name = _hashed(candidates[i], f"{inputs[i].path}#{attempt}", extension)
        seen.add(_key(name))
        names[i] = name
    return names


# -- report ids -------------------------------------------------------------------------------


def file_name_text(name: str) -> str:
    """A file name as text that encodes: undecodable bytes become U+FFFD, composed as NFC."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return unicodedata.normalize("NFC", name)


def id_of(rel: str) -> str:
    """The report id of a relative name: the name without its last extension.

    ``crawl/hongze/2024.txt`` found under ``crawl`` is ``hongze/2024``; ``hongze.2023.txt`` is
    ``hongze.2023`` (only the extension goes, so names differing after a first dot stay apart).
    """
    rel = file_name_text(rel).replace("\\", "/").strip("/")
    head, _, name = rel.rpartition("/")
    stem = os.path.splitext(name)[0] or name
    return f"{head}/{stem}" if head else stem


def report_ids(inputs: Sequence[Input]) -> list[str]:
    """A distinct, stable report id for each input, in order (docs/codes.md, report identity).

    The id is the relative name without its extension. Inputs that would share one (``a.txt``
    and ``a.html``; the same relative name under two roots) take, in turn until they differ:
    the relative name with its extension, the path as given, and that path with a short hash
    of the absolute path. An id met by such a fallback stays with the input that had it
    first. All of it depends on the inputs alone, so every run gives the same ids.
    """
    def given(i: Input) -> str:
        return file_name_text(i.path).replace(os.sep, "/")

    def hashed(i: Input) -> str:
        digest = hashlib.sha1(os.path.abspath(i.path).encode("utf-8", "surrogateescape"))
        return f"{given(i)}~{digest.hexdigest()[:HASH_CHARS]}"

    steps = (lambda i: id_of(i.rel), lambda i: file_name_text(i.rel), given, hashed)
    level = [0] * len(inputs)
    ids = [steps[0](i) for i in inputs]
    while True:
        groups: dict[str, list[int]] = {}
        for k, rid in enumerate(ids):
            groups.setdefault(rid, []).append(k)
        moved = False
        for members in groups.values():
            if len(members) < 2:
                continue
            lowest = min(level[k] for k in members)
            first = [k for k in members if level[k] == lowest]
            keep = first[0] if len(first) == 1 else None
            for k in members:
                if k != keep and level[k] < len(steps) - 1:
                    level[k] += 1
                    ids[k] = steps[level[k]](inputs[k])
                    moved = True
        if not moved:
            return ids


def source_names(inputs: Sequence[Input]) -> list[str]:
    """The ``source`` column of each input: its relative name, as text."""
    return [file_name_text(i.rel).replace("\\", "/") for i in inputs]
