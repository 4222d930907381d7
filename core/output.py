"""Writing output files safely: all or nothing.

Output goes to a temporary file in the destination directory and is renamed over the target
only when complete, so a failure (a writer error, a full disk, Ctrl-C) never leaves a partial
file and an existing output is replaced only as a whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import TextIO

from .errors import OutputError


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, newline: str | None = "") -> Iterator[TextIO]:
    """Open a UTF-8 text stream whose content replaces ``path`` only on success."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError("the output directory does not exist", path=path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".gongkai-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
            raise OutputError(f"cannot write: {reason}", path=path) from None
        raise


def write_atomically(path: str | os.PathLike, produce: Callable[[TextIO], None]) -> None:
    with atomic_writer(path) as stream:
        produce(stream)
