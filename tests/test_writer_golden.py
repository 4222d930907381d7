"""Golden files for the output formats beyond the tidy CSV and JSON (tests/golden/seeds holds
those): every seed as wide CSV, Markdown and RDF (Turtle), compared in full.

Regenerate on purpose only: ``GONGKAI_UPDATE_GOLDEN=1 python -m pytest tests/test_writer_golden.py``
and review the diff.
"""

from __future__ import annotations

import pytest

import gongkai

from conftest import GOLDEN, SEEDS

FORMATS = [
    # (directory under tests/golden, format, options, extension)
    ("csv-wide", "csv", {"wide": "true"}, ".csv"),
    ("markdown", "markdown", {}, ".md"),
    ("rdf", "rdf", {}, ".ttl"),
]


@pytest.mark.parametrize("directory,fmt,options,ext", FORMATS, ids=[f[0] for f in FORMATS])
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_output_matches_golden(path, directory, fmt, options, ext, seed_reports,
                                    assert_golden):
    report = seed_reports[path.stem]
    assert_golden(gongkai.dumps(report, fmt, options=options), GOLDEN / directory /
                  (path.stem + ext))
