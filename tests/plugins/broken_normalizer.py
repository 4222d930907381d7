"""A third-party normalizer plugin with bugs, for the hardening tests.

It breaks only texts that carry its trigger, so the other inputs of a batch are unaffected:

* ``BOOM``: the normalizer raises;
* ``CUT``: it deletes the "|" separators, breaking the normalizer contract.
"""

from __future__ import annotations

import gongkai
from gongkai.engine.plugin_types import Normalizer


def apply(text: str, context) -> str:
    if "BOOM" in text:
        raise ValueError("normalizer exploded")
    if "CUT" in text:
        return text.replace("|", " ")
    return text


@gongkai.hookimpl
def gongkai_add_normalizers(register):
    register(Normalizer(name="broken-normalizer", description="a normalizer with bugs (tests)",
                        apply=apply, order=60))
