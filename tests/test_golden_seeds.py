"""Golden tests: every seed's JSON and tidy CSV compared in full with checked-in files."""

from __future__ import annotations

import pytest

import gongkai

from conftest import GOLDEN, SEEDS


@pytest.mark.parametrize("fmt,ext", [("json", ".json"), ("csv", ".csv")])
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_output_matches_golden(path, fmt, ext, seed_reports, assert_golden):
    report = seed_reports[path.stem]
    assert_golden(gongkai.dumps(report, fmt), GOLDEN / "seeds" / (path.stem + ext))
