"""A third-party plugin that misbehaves in the ways that used to stop a run (issue 21), for
tests/test_hardening_batch.py. Only files it claims by extension are affected:

* ``.hang``: ``read`` loops forever; ``.sleep``: it sleeps for days;
* ``.deaf``: it blocks the alarm signal and then sleeps (code a time limit inside the process
  cannot stop: only killing the process can);
* ``.exit``: it calls ``sys.exit``; ``.base``: it raises a ``BaseException`` subclass;
* the writer ``close-stream`` closes the stream it is given.
"""

from __future__ import annotations

import signal
import sys
import time

import gongkai
from gongkai.engine.plugin_types import Reader, Writer

EXTENSIONS = (".hang", ".sleep", ".deaf", ".exit", ".base")


class Escape(BaseException):
    """Not an Exception: slips past ``except Exception``."""


def sniff(head: bytes, filename: str) -> float:
    return 0.95 if filename.endswith(EXTENSIONS) else 0.0


def read(data: bytes, options):
    name = options.filename
    if name.endswith(".hang"):
        while True:
            pass
    if name.endswith(".sleep"):
        time.sleep(10**6)
    if name.endswith(".deaf"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(10**6)
    if name.endswith(".exit"):
        sys.exit(3)
    raise Escape("out of here")


def write_closing(report, stream, options) -> None:
    stream.write("{")
    stream.close()


@gongkai.hookimpl
def gongkai_add_readers(register):
    register(Reader(name="hostile", description="a reader that misbehaves (tests only)",
                    extensions=EXTENSIONS, sniff=sniff, read=read))


@gongkai.hookimpl
def gongkai_add_writers(register):
    register(Writer(name="close-stream", extension=".json", media_type="application/json",
                    description="closes its stream (tests only)", write=write_closing))
