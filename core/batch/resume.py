"""Resuming a batch honestly: an output is kept only when it is what this run would write.

Each output written under an output directory is recorded in that directory's manifest,
``.gongkai-manifest.jsonl``, one JSON line per output, appended as soon as the output is
complete (so a run killed half way keeps the record of what it finished):

* ``stamp``: a digest of everything the output was made from — the input's bytes, the format
  and its options, the reader, the encoding, the size limit, the configuration, every plugin
  loaded with its version (a variant with its content) and gongkai's version;
* ``size`` and ``sha256`` of the output file as written.

A later run keeps an output (``skipped``, "up to date") only when the stamp it works out is
the same and the file on disk still has that size and digest: another ``-O`` option, another
``--variant``, an edited input (whatever its modification time) or a truncated output is
converted again. An output without a record (written by an older version, or by hand) is
converted again too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from gongkai.errors import GongkaiError
from gongkai.outputs.atomic import atomic_writer

if TYPE_CHECKING:
    from gongkai.config import Config
    from gongkai.engine.manager import Engine

MANIFEST = ".gongkai-manifest.jsonl"


class Entry(NamedTuple):
    """What an output was made from, and what it is."""

    stamp: str
    size: int
    sha256: str


def run_key(*, to: str, writer_options: Mapping[str, str], reader: str | None,
            encoding: str | None, max_bytes: int, config: Config | None,
            engine: Engine) -> str:
    """A digest of everything but the input that makes an output what it is."""
    from gongkai import __version__

    parts: dict[str, Any] = {
        "gongkai": __version__,
        "to": to,
        "writer_options": sorted(writer_options.items()),
        "reader": reader,
        "encoding": encoding,
        "max_bytes": max_bytes,
        "config": dict(config.data) if config is not None else {},
        "plugins": _plugins(engine),
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plugins(engine: Engine) -> list[list[str]]:
    found = []
    objects = dict(engine.pm.list_name_plugin())
    for name, info in sorted(engine.info.items()):
        plugin = objects.get(name)
        detail = info.version
        if info.source == "variant":  # the variant's content, not only its name
            detail = repr(getattr(plugin, "variant", ""))
        elif not detail:  # a plugin module without a distribution: its source
            detail = _source_digest(plugin)
        found.append([name, info.module, info.distribution, detail])
    return found


def _source_digest(plugin: object) -> str:
    path = getattr(plugin, "__file__", None) or getattr(
        sys.modules.get(type(plugin).__module__), "__file__", None)
    if not path:
        return ""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


def stamp(data: bytes, key: str) -> str:
    """The stamp of an output made from input bytes ``data`` by a run of ``key``."""
    return stamp_digest(hashlib.sha256(data).digest(), key)


def stamp_digest(digest: bytes, key: str) -> str:
    """:func:`stamp` from the input's SHA-256 digest (the batch hashes each input once)."""
    h = hashlib.sha256(key.encode("ascii"))
    h.update(digest)
    return h.hexdigest()


def file_entry(path: str, stamp_: str) -> Entry:
    size, digest = _digest(path)
    return Entry(stamp_, size, digest)


def _digest(path: str) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def verified(path: str, entry: Entry) -> bool:
    """Whether the file at ``path`` is still the output ``entry`` records (size, then digest)."""
    try:
        if os.stat(path).st_size != entry.size:
            return False
        return _digest(path) == (entry.size, entry.sha256)
    except OSError:
        return False


class Manifest:
    """The records of an output directory: read once, appended to as outputs are written."""

    def __init__(self, outdir: str):
        self.outdir = outdir
        self.path = os.path.join(outdir, MANIFEST)
        self._prefix = os.path.join(outdir, "")
        self.entries: dict[str, Entry] = dict(self._read())
        self._stream = None

    def _read(self) -> Iterator[tuple[str, Entry]]:
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
        except OSError:
            return
        for line in lines:
            if line:
                try:  # a line cut off by a kill, or garbage: that record is not there
                    record = json.loads(line)
                    entry = Entry(str(record["stamp"]), int(record["size"]),
                                  str(record["sha256"]))
                except (ValueError, KeyError, TypeError, RecursionError):
                    continue
                yield str(record["output"]), entry

    def _name(self, output: str) -> str:
        # Outputs are named under the directory as it was given: their name is what follows
        # it, when that is already a normal relative path (relpath, which makes both paths
        # absolute first, took a tenth of a second per 2,000 outputs in the parent).
        if output.startswith(self._prefix):
            rest = output[len(self._prefix):]
            if rest and os.path.normpath(rest) == rest and not rest.startswith(".."):
                return rest.replace(os.sep, "/")
        return os.path.relpath(output, self.outdir).replace(os.sep, "/")

    def get(self, output: str) -> Entry | None:
        return self.entries.get(self._name(output))

    def record(self, output: str, entry: Entry) -> None:
        """Note a complete output now (one line, flushed: a kill keeps it)."""
        name = self._name(output)
        if self.entries.get(name) == entry:
            return
        self.entries[name] = entry
        if self._stream is None:
            # Kept open for the run (closed by close()): one line appended per output.
            self._stream = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        line = json.dumps({"output": name, **entry._asdict()}, ensure_ascii=False)
        self._stream.write(line + "\n")
        self._stream.flush()

    def close(self, *, compact: bool = False) -> None:
        """Stop appending; ``compact``: rewrite the file with one line per output."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        if compact:
            with contextlib.suppress(OSError, GongkaiError), atomic_writer(self.path) as f:
                for name, entry in sorted(self.entries.items()):
                    f.write(json.dumps({"output": name, **entry._asdict()},
                                       ensure_ascii=False) + "\n")
