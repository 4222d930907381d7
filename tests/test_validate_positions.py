"""The identity checks by position (validator._Plan) find what the lookups by address find."""

from __future__ import annotations

import random

import attrs
import pytest
from reportgen import TEMPLATES, build, render_markdown

from gongkai.engine.manager import default_engine
from gongkai.model import Report, Status
from gongkai.pipeline import convert_file, convert_text
from gongkai.validate import validator
from gongkai.validate.validator import check_equations

from conftest import seed_path

SEEDS = range(5)


def _identity_rules():
    return [c.item for c in default_engine().rules() if c.item.equations is not None]


def _both(report: Report) -> list[tuple[list, list]]:
    """Per identity rule, the findings by position (a tuple of equations) and by address (the
    same equations in a list, which takes the lookups)."""
    out = []
    for rule in _identity_rules():
        equations = tuple(rule.equations(report))
        fast = list(check_equations(report, equations, rule.id, rule.severity))
        slow = list(check_equations(report, list(equations), rule.id, rule.severity))
        out.append((fast, slow))
    return out


def _shuffled(report: Report, rng: random.Random) -> Report:
    """Some values changed, some cells emptied or made placeholders: broken identities."""
    tables = []
    for t in report.tables:
        cells = list(t.cells)
        for i in rng.sample(range(len(cells)), min(4, len(cells))):
            kind = rng.choice(("value", "float", "empty", "placeholder"))
            c = cells[i]
            cells[i] = (attrs.evolve(c, value=rng.randint(0, 9), status=Status.OK)
                        if kind == "value" else
                        attrs.evolve(c, value=rng.randint(0, 90) / 10, status=Status.OK)
                        if kind == "float" else
                        attrs.evolve(c, value=None, status=Status.EMPTY) if kind == "empty"
                        else attrs.evolve(c, value=None, status=Status.PLACEHOLDER))
        tables.append(attrs.evolve(t, cells=tuple(cells)))
    return attrs.evolve(report, tables=tuple(tables))


def _reports():
    for n in SEEDS:
        yield convert_file(seed_path(f"{n:03d}"))
    for template in TEMPLATES:
        for seed in range(4):
            yield convert_text(render_markdown(build(template, seed, blanks=0.3),
                                               random.Random(seed)))


@pytest.mark.parametrize("report", list(_reports()), ids=lambda r: r.metadata.report_id[:20])
def test_by_position_finds_what_the_lookups_find(report):
    rng = random.Random(report.metadata.report_id)
    found = 0
    for r in (report, *(_shuffled(report, rng) for _ in range(5))):
        for fast, slow in _both(r):
            assert fast == slow
            found += len(fast)
    assert found  # broken identities were compared, not only holding ones


def test_codes_equal_but_not_the_same_strings_are_the_same_shape():
    report = convert_file(seed_path("000"))
    copied = attrs.evolve(report, tables=tuple(
        attrs.evolve(t, cells=tuple(attrs.evolve(c, row="".join(c.row), column="".join(
            list(c.column))) for c in t.cells)) for t in report.tables))
    broken = _shuffled(copied, random.Random(1))
    assert validator._tables(broken) is not None
    for fast, slow in _both(broken):
        assert fast == slow


def test_a_cell_naming_another_table_takes_the_lookups():
    report = convert_file(seed_path("000"))
    requests = report.get_table("requests")
    odd = attrs.evolve(requests, cells=(attrs.evolve(requests.cells[0], table="proactive"),
                                        *requests.cells[1:]))
    weird = attrs.evolve(report, tables=tuple(odd if t is requests else t
                                              for t in report.tables))
    assert validator._tables(weird) is None
    for fast, slow in _both(_shuffled(weird, random.Random(2))):
        assert fast == slow


def test_restorable_is_what_inference_needs():
    """Inference restores only a cell without a value, no placeholder, of a restorable status:
    exactly when _restorable says there is one."""
    engine = default_engine()
    for report in _reports():
        for r in (report, _shuffled(report, random.Random(3))):
            restored = validator.infer(r, validator.enabled_equations(r, engine=engine))[1]
            if restored:
                assert validator._restorable(r)
            assert validator._restorable(r) == any(
                c.value is None and c.status in validator.RESTORABLE for c in r.cells())
