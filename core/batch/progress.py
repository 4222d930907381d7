"""A one-line progress bar on standard error, for terminals only.

Redrawn at most ten times a second with a carriage return, so a run of thousands of reports
costs a few hundred writes; cleared when the run ends so the summary starts on a clean line.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

_INTERVAL = 0.1


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class ProgressBar:
    """``[#####-----] 1234/20000  6%  512/s  ETA 36s  2 failed``."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, done: int, failed: int = 0, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < _INTERVAL:
            return
        self._last = now
        self.stream.write("\r" + self.line(done, failed, now - self.start) + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def line(self, done: int, failed: int, elapsed: float) -> str:
        total = max(self.total, 1)
        rate = done / elapsed if elapsed > 0 else 0.0
        parts = [f"{done}/{self.total}", f"{100 * done // total:3d}%"]
        if rate > 0:
            parts.append(f"{rate:.0f}/s")
            if done < self.total:
                parts.append(f"ETA {_duration((self.total - done) / rate)}")
        if failed:
            parts.append(f"{failed} failed")
        text = "  ".join(parts)
        columns = shutil.get_terminal_size((80, 24)).columns
        width = max(10, min(40, columns - len(text) - 4))
        filled = width * done // total
        return f"[{'#' * filled}{'-' * (width - filled)}] {text}"[: columns - 1]

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def wants_progress(quiet: bool, stream: TextIO | None = None) -> bool:
    """A bar only on a terminal, and not when asked to be quiet."""
    stream = stream or sys.stderr
    try:
        return not quiet and stream.isatty()
    except (AttributeError, ValueError):
        return False
