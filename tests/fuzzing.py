"""How much the property tests try: a bounded, reproducible sample in CI, more on demand.

* by default (CI): each property runs its own small number of examples, ``derandomize``d —
  the same inputs on every run, so a failure is reproducible and CI never fails at random;
* ``GONGKAI_FUZZ=long``: a nightly-style run — fifty times the examples, new random inputs on
  every run (hypothesis prints a ``@reproduce_failure`` blob for what it finds);
* ``GONGKAI_FUZZ_EXAMPLES=N`` sets the number of examples of every property exactly, and
  ``GONGKAI_FUZZ_RANDOM=1`` asks for random inputs without the long run.

Every property test of the suite takes its settings from :func:`fuzz_settings`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["LONG", "fuzz_settings"]

#: The nightly-style run.
LONG = os.environ.get("GONGKAI_FUZZ", "").lower() == "long"
#: How many times the CI examples the long run tries.
LONG_FACTOR = 50


def examples(ci: int) -> int:
    """Examples for a property whose CI sample is ``ci``."""
    exact = os.environ.get("GONGKAI_FUZZ_EXAMPLES")
    if exact:
        return int(exact)
    return ci * LONG_FACTOR if LONG else ci


def fuzz_settings(ci: int, **more) -> settings:
    """Hypothesis settings for a property with a CI sample of ``ci`` examples."""
    random = LONG or bool(os.environ.get("GONGKAI_FUZZ_RANDOM"))
    return settings(
        max_examples=examples(ci), derandomize=not random, database=None,
        deadline=None,  # no timing in tests: hang guards and bench/ do that
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.large_base_example, HealthCheck.filter_too_much],
        **more,
    )
