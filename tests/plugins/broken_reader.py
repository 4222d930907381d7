"""A third-party reader plugin with bugs, for the hardening tests (tests/test_hardening_plugins.py).

It only takes files it claims by extension, so it breaks those inputs and no other:

* ``.boom``: ``read`` raises;
* ``.notsource``: ``read`` returns a dict instead of a Source;
* ``.sniffboom``: ``sniff`` itself raises.
"""

from __future__ import annotations

import gongkai
from gongkai.engine.plugin_types import Reader


def sniff(head: bytes, filename: str) -> float:
    if filename.endswith(".sniffboom"):
        raise RuntimeError("sniff exploded")
    return 0.9 if filename.endswith((".boom", ".notsource")) else 0.0


def read(data: bytes, options):
    if options.filename.endswith(".notsource"):
        return {"text": data.decode("utf-8", "replace")}
    raise RuntimeError("reader exploded")


@gongkai.hookimpl
def gongkai_add_readers(register):
    register(Reader(name="broken", description="a reader with bugs (tests only)",
                    extensions=(".boom", ".notsource", ".sniffboom"), sniff=sniff, read=read))
