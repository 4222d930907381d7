"""Writing output files safely: all or nothing.

Output goes to a temporary file in the destination directory and is renamed over the target
only when complete, so a failure (a writer error, a full disk, Ctrl-C) never leaves a partial
file and an existing output is replaced only as a whole.

A single file is flushed to disk (fsync) before the rename. A batch writing one file per report
leaves that to the end of the run: its files are renamed unsynced and :func:`sync_directory`
flushes the whole file system of the output directory once (syncfs), where the system has it;
docs/guarantees.md says why that is safe.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TextIO

from gongkai.errors import OutputError

#: Temporary files are named ``.gongkai-PID-XXXXXXXX.tmp``: a run killed before it could
#: remove its own leaves them, and the next run tells them from a live run's by the PID.
TEMP_PREFIX, TEMP_SUFFIX = ".gongkai-", ".tmp"
#: A temporary file without a PID (older versions) is stale after this many seconds.
STALE_SECONDS = 24 * 3600


def remove_stale_temporaries(directory: str | os.PathLike) -> list[str]:
    """Remove the temporary files that killed runs left under ``directory``; their paths.

    A file named by a process that no longer exists is stale; one of a live process (another
    run writing into the same directory) is left alone.
    """
    removed = []
    for root, _, files in os.walk(directory):
        for name in files:
            if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
                continue
            path = os.path.join(root, name)
            if _stale(path, name[len(TEMP_PREFIX):-len(TEMP_SUFFIX)]):
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    removed.append(path)
    return removed


def _stale(path: str, middle: str) -> bool:
    pid, _, _ = middle.partition("-")
    if pid.isdigit() and _:
        if int(pid) == os.getpid():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, OSError, OverflowError):
            return False  # somebody else's live process
        return False
    try:
        return os.stat(path).st_mtime < time.time() - STALE_SECONDS
    except OSError:
        return False


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, newline: str | None = "",
                  binary: bool = False, sync: bool = True) -> Iterator[TextIO]:
    """Open a UTF-8 text stream (``binary``: a byte stream) whose content replaces ``path``
    only on success; ``sync``: flushed to disk before it does (False: the caller syncs the
    file system later, :func:`sync_directory`)."""
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
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX,
                                   dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write here: {_reason(exc)}", path=path) from None
    try:
        with _open(fd, binary, newline) as stream:
            yield stream
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        replace_with(tmp, path, existing)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {_reason(exc)}", path=path) from None
        raise


def replace_with(done: str, path: str, existing: os.stat_result | None) -> None:
    """Rename the complete file ``done`` over ``path``, with the mode of the file it replaces
    (``existing``: its stat, None if there is none) or what the umask gives a new file, as a
    plain open() would have (mkstemp makes a file private, 0600)."""
    os.chmod(done, stat.S_IMODE(existing.st_mode) if existing else _new_file_mode())
    os.replace(done, path)


@cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2), which Python's os module lacks; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def can_sync_later() -> bool:
    """Whether a batch may write its files unsynced and :func:`sync_directory` them at the end."""
    return _syncfs() is not None


def sync_directory(directory: str | os.PathLike) -> None:
    """Flush to disk every file written under ``directory`` and the renames that named them:
    one syncfs of its file system (data and metadata of every file on it), then an fsync of
    the directory itself."""
    syncfs = _syncfs()
    fd = os.open(directory, os.O_RDONLY)
    try:
        if syncfs is not None and syncfs(fd) != 0:
            number = ctypes.get_errno()
            raise OutputError(f"cannot flush to disk: {os.strerror(number)}",
                              path=os.fspath(directory))
        with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
            os.fsync(fd)
    finally:
        os.close(fd)


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
