"""Every layout and every variant is pinned by a golden fixture: an input and its expected cells.

A layout no golden reads could change what it reads unnoticed; so could a variant. The seeds
and samples pin the built-in layouts (their goldens name the layout of each table); each
variant file in tests/fixtures/variants has an example input, converted with the variant and
compared with tests/golden/variants/<variant>.csv (regenerated only with GONGKAI_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gongkai
from gongkai.engine.manager import Engine, default_engine
from gongkai.testing import check_golden

from conftest import FIXTURES, GOLDEN

VARIANTS = FIXTURES / "variants"
#: Each variant file and the input that shows what it is for.
VARIANT_EXAMPLES = {
    "hubei-variant.toml": "wuhan-eeb-2020.traditional.excerpt.txt",
}
#: Fixture inputs and the golden directory their expected output is in.
GOLDEN_INPUTS = {"seeds": "seeds", "samples": "samples", "blind": "blind"}


def _report_stem(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _inputs(folder: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / folder).iterdir()
                  if p.is_file() and p.suffix != ".toml" and p.name != "README.md")


@pytest.mark.parametrize("folder", sorted(GOLDEN_INPUTS))
def test_every_fixture_input_has_its_golden_json_and_csv(folder):
    missing = [f"{p.name}: {GOLDEN_INPUTS[folder]}/{_report_stem(p)}.{ext}"
               for p in _inputs(folder) for ext in ("json", "csv")
               if not (GOLDEN / GOLDEN_INPUTS[folder] / f"{_report_stem(p)}.{ext}").is_file()]
    assert missing == []


def test_every_builtin_layout_reads_a_table_of_some_golden():
    read = set()
    for folder in GOLDEN_INPUTS.values():
        for path in (GOLDEN / folder).glob("*.json"):
            if path.name.endswith(".truth.json"):  # a blind report's cells, not an output
                continue
            read |= {t["layout"] for t in json.loads(path.read_text("utf-8"))["tables"]}
    layouts = {c.name for c in default_engine().layouts()}
    assert layouts, "no built-in layout registered"
    assert sorted(layouts - read) == []


def test_every_variant_file_has_an_example_input():
    files = sorted(p.name for p in VARIANTS.glob("*.toml"))
    assert files == sorted(VARIANT_EXAMPLES)
    assert all((VARIANTS / example).is_file() for example in VARIANT_EXAMPLES.values())


@pytest.mark.parametrize("variant", sorted(VARIANT_EXAMPLES))
def test_the_variant_reads_its_example_as_its_golden_says(variant):
    engine = Engine(variants=[VARIANTS / variant])
    report = gongkai.convert_file(VARIANTS / VARIANT_EXAMPLES[variant], engine=engine)
    layouts = {t.layout for t in report.tables}
    own = {c.name for c in engine.layouts() if c.plugin not in default_engine().info}
    assert layouts & own, f"no table of the example is read by the variant's layouts {own}"
    check_golden(gongkai.dumps(report, "csv"), GOLDEN / "variants" / f"{Path(variant).stem}.csv")
