"""Writing output files safely: all or nothing.

Output goes to a temporary file in the destination directory and is renamed over the target
only when complete, so a failure (a writer error, a full disk, Ctrl-C) never leaves a partial
file and an existing output is replaced only as a whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from .errors import OutputError


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, newline: str | None = "",
                  binary: bool = False) -> Iterator[TextIO]:
    """Open a UTF-8 text stream (``binary``: a byte stream) whose content replaces ``path``
    only on success."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError("the output directory does not exist", path=path)
    try:
        existing = os.stat(path)
    except OSError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError("is a directory, not a file to write", path=path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # A device or a pipe (-o /dev/stdout): written in place. Renaming a file over it
        # would replace the device node itself, not write to it.
        with _stream_errors(path), _open(path, binary, newline) as out:
            yield out
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".gongkai-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write here: {_reason(exc)}", path=path) from None
    try:
        with _open(fd, binary, newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600): give it the mode of the file it replaces, or
        # what the umask gives a new file, as a plain open() would have.
        os.chmod(tmp, stat.S_IMODE(existing.st_mode) if existing else _new_file_mode())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {_reason(exc)}", path=path) from None
        raise


def _open(file: str | int, binary: bool, newline: str | None):
    if binary:
        return open(file, "wb")
    return open(file, "w", encoding="utf-8", newline=newline)


@contextlib.contextmanager
def _stream_errors(path: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=path) from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc) or type(exc).__name__


def _new_file_mode() -> int:
    umask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def check_not_input(output: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> None:
    """Refuse an output that is one of the inputs: gongkai never writes over what it reads."""
    for source in inputs:
        try:
            same = os.path.samefile(output, source)
        except (OSError, ValueError):  # one of them does not exist: not the same file
            continue
        if same:
            raise OutputError(f"refusing to write over the input {os.fspath(source)!r}",
                              path=os.fspath(output))


def write_atomically(path: str | os.PathLike, produce: Callable[[TextIO], None]) -> None:
    with atomic_writer(path) as stream:
        produce(stream)
