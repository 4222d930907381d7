"""A third-party validation rule that raises, for the hardening tests."""

from __future__ import annotations

import gongkai
from gongkai.engine.plugin_types import Rule
from gongkai.model import Severity


def check(report):
    yield from ()
    raise ZeroDivisionError("rule exploded")


@gongkai.hookimpl
def gongkai_add_rules(register):
    register(Rule(id="broken.always", severity=Severity.WARNING,
                  description="raises on every report (tests only)", check=check))
