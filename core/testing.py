"""pytest helpers for gongkai and its plugins (a pytest plugin, loaded automatically).

Fixtures:

* ``gongkai_engine`` — a fresh :class:`gongkai.engine.Engine` with the installed plugins;
* ``gongkai_engine_factory`` — build engines with extra plugins: ``factory(plugins=[mod])``;
* ``assert_golden`` — compare text with a checked-in golden file.

Golden files are never rewritten silently: set ``GONGKAI_UPDATE_GOLDEN=1`` to regenerate them,
then review the diff before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .engine import Engine

UPDATE_ENV = "GONGKAI_UPDATE_GOLDEN"


def check_golden(actual: str, path: str | os.PathLike) -> None:
    """Assert ``actual`` equals the golden file; with GONGKAI_UPDATE_GOLDEN=1, rewrite it."""
    path = Path(path)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        raise AssertionError(
            f"golden file {path} does not exist; run with {UPDATE_ENV}=1 to create it"
        )
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=str(path), tofile="actual", n=2,
        ))
        raise AssertionError(
            f"output differs from golden file {path} (regenerate with {UPDATE_ENV}=1 and "
            f"review):\n{diff[:6000]}"
        )


@pytest.fixture
def assert_golden() -> Callable[[str, str | os.PathLike], None]:
    return check_golden


@pytest.fixture
def gongkai_engine() -> Engine:
    return Engine()


@pytest.fixture
def gongkai_engine_factory() -> Callable[..., Engine]:
    return Engine
