"""Bounding what a plugin or an input can do to a run: a time limit, and any exception named.

A plugin is third-party code: it may raise anything, ``SystemExit`` and ``BaseException``
subclasses included, or never return. Each call into a plugin records the plugin's name in
:data:`current` (one assignment, so the call costs nothing more), and the call sites turn
whatever it raises into a :class:`~gongkai.errors.PluginError` naming it
(:func:`is_plugin_failure` says which exceptions those are: all but an interruption).

:func:`time_limited` runs a conversion under a wall-clock limit (SIGALRM, where the platform
has it and on the main thread): past it, the conversion is stopped where it is — a loop, a
sleep, a read of a pipe that never ends — and the error says which plugin was running. A
batch's parent process also kills a worker that does not come back (code that never returns
to Python), see :mod:`gongkai.batch.runner`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from gongkai.errors import GongkaiError, InputError, PluginError

__all__ = ["DEFAULT_TIMEOUT", "TimeLimit", "current", "is_plugin_failure", "time_limited"]

#: Seconds one input may take in a batch (``--timeout``); a report takes milliseconds, the
#: largest input the size limit lets through a few seconds.
DEFAULT_TIMEOUT = 120.0

#: The plugin whose code is running, or None (set around each call into a plugin).
current: str | None = None

T = TypeVar("T")


class TimeLimit(BaseException):
    """Raised inside a conversion when its time is up; a BaseException, so that a plugin's
    ``except Exception`` does not swallow it."""

    def __init__(self, seconds: float, plugin: str | None):
        super().__init__(seconds, plugin)
        self.seconds = seconds
        self.plugin = plugin


def is_plugin_failure(exc: BaseException) -> bool:
    """Whether an exception out of a plugin is the plugin's failure (to report, naming it), not
    an interruption to let through (Ctrl-C, the time limit, a generator closed)."""
    return not isinstance(exc, KeyboardInterrupt | TimeLimit | GeneratorExit)


def timeout_error(seconds: float, plugin: str | None, path: str | None = None) -> GongkaiError:
    limit = f"{seconds:g} s"
    if plugin:
        return PluginError(f"stopped after {limit}: plugin {plugin!r} was still running "
                           "(raise the limit with --timeout)", plugin=plugin, path=path)
    return InputError(f"stopped after {limit}: the input takes too long to convert (raise "
                      "the limit with --timeout)", path=path)


def can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def time_limited(seconds: float | None, call: Callable[[], T], path: str | None = None) -> T:
    """``call()``, stopped with a located GongkaiError when it takes more than ``seconds``.

    Without a limit (None or 0), or where no alarm can be set (another thread, Windows), the
    call simply runs.
    """
    global current
    if not seconds or not can_limit():
        return call()

    def alarm(signum, frame):
        raise TimeLimit(seconds, current)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call()
    except TimeLimit as exc:
        raise timeout_error(exc.seconds, exc.plugin, path) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        current = None
