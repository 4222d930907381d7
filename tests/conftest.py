from __future__ import annotations

import os
from pathlib import Path

import pytest

# The suite is about the built-in plugins: third-party ones installed beside them (the hubei
# example, a user's own) would change what a default conversion reads. Tests of plugin
# loading install their own and clear this (the ``dists`` fixture). GONGKAI_PLUGINS set by
# the caller is kept.
os.environ.setdefault("GONGKAI_PLUGINS", "")

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def seed_path(prefix: str) -> Path:
    """The seed fixture whose name starts with ``prefix`` (``"001"``)."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def seed_reports():
    """Every seed converted once per test session, by file name stem."""
    import gongkai

    return {p.stem: gongkai.convert_bytes(p.read_bytes(), filename=p.name) for p in SEEDS}


def run_check(capsys, *args: str) -> tuple[int, str, str]:
    """``gongkai check ARGS`` in this process: its exit status, standard output and error."""
    from gongkai.cli.main import main

    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def broken(tmp_path) -> Path:
    """Seed 002 with new/natural_person raised from 2 to 3 (line 99): the culprit-cell issue's
    example, whose two broken identities share that one cell."""
    from test_rules import edit

    path = tmp_path / "broken.txt"
    path.write_text(edit("002", l99=("2 |", "3 |")), encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter):
    """The share of cells read back per generated shape (tests/test_flattening_property.py),
    when that module ran."""
    import sys

    module = sys.modules.get("test_flattening_property")
    lines = module.summary_lines() if module is not None else []
    if lines:
        terminalreporter.section("cells read back per flattening shape")
        for line in lines:
            terminalreporter.write_line(line)
