"""Third-party writer plugins that fail half way through, for the hardening tests.

* ``explode``: writes part of its output, then raises (a bug in the plugin);
* ``disk-full``: writes part of its output, then the stream reports a full disk (ENOSPC).
"""

from __future__ import annotations

import errno
import os

import gongkai
from gongkai.engine.plugin_types import Writer

PARTIAL = "partial output that must never reach the target file\n"


def explode(report, stream, options):
    stream.write(PARTIAL * 100)
    raise KeyError("writer exploded")


def disk_full(report, stream, options):
    stream.write(PARTIAL * 100)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@gongkai.hookimpl
def gongkai_add_writers(register):
    register(Writer(name="explode", description="fails half way (tests only)",
                    extension=".out", media_type="text/plain", write=explode))
    register(Writer(name="disk-full", description="the disk fills half way (tests only)",
                    extension=".out", media_type="text/plain", write=disk_full))
