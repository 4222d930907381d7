"""The JSON Schema is strict: every real report's JSON passes it, and each mutation that makes a
document one gongkai could not have written is rejected (codes a table or its template does not
have, unknown units, templates and scripts, dates and years that are none, a status that
contradicts the value, a table or a cell twice, source lines that are not numbers)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import gongkai
from gongkai.outputs.schema import report_schema

from conftest import FIXTURES, SEEDS

SAMPLES = sorted(p for p in (FIXTURES / "samples").glob("*.*") if p.name != "README.md")


@pytest.fixture(scope="module")
def validator():
    return Draft202012Validator(report_schema(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    # Seeds and samples interleaved, so the first few cover both templates and several shapes.
    paths = [p for pair in zip(SEEDS, SAMPLES, strict=False) for p in pair]
    paths += SAMPLES[len(SEEDS):]
    return {p.name: json.loads(gongkai.dumps(gongkai.convert(p), "json")) for p in paths}


def test_every_real_report_validates(documents, validator):
    for name, document in documents.items():
        errors = [f"{list(e.absolute_path)}: {e.message[:120]}"
                  for e in validator.iter_errors(document)]
        assert errors == [], name


def _table(d: dict, code: str) -> dict:
    return next(t for t in d["tables"] if t["code"] == code)


def _cell(d: dict, status: str | None = None, code: str = "requests") -> dict:
    tables = [_table(d, code)] if status is None else d["tables"]
    return next(c for t in tables for c in t["cells"] if status is None or c["status"] == status)


def _lines(d: dict) -> None:
    d["diagnostics"].append({"severity": "warning", "code": "x", "message": "m", "line": 1,
                             "cells": [], "lines": ["abc", {}], "plugin": ""})


def _other_templates_column(d: dict) -> None:
    # 2019's proactive table has no "issued" column (2021's has).
    table = _table(d, "proactive")
    column = "issued" if table["template"] == "2019" else "new_made"
    table["cells"][0]["column"] = column


def _same_address_twice(d: dict) -> None:
    cells = _table(d, "requests")["cells"]
    twin = dict(cells[0], value=999, raw="999", status="ok")
    cells.append(twin)


MUTATIONS = {
    "unknown-row": lambda d: _cell(d).update(row="no_such_row"),
    "unknown-column": lambda d: _cell(d).update(column="no_such_column"),
    "row-of-another-table": lambda d: _cell(d, code="proactive").update(
        row="withheld.state_secret"),
    "column-of-another-template": _other_templates_column,
    "unit-kg": lambda d: _cell(d).update(unit="kg"),
    "template-1999": lambda d: _table(d, "requests").update(template="1999"),
    "metadata-template-1999": lambda d: d["metadata"]["templates"].update(requests="1999"),
    "script-klingon": lambda d: d["metadata"].update(script="klingon"),
    "published-not-a-date": lambda d: d["metadata"].update(published="last spring"),
    "published-month-13": lambda d: d["metadata"].update(published="2024-13-01"),
    "signed-not-a-date": lambda d: d["metadata"].update(signed="2024/01/02"),
    "year-minus-3": lambda d: d["metadata"].update(year=-3),
    "year-five-digits": lambda d: d["metadata"].update(year=20240),
    "ok-without-value": lambda d: _cell(d, "ok").update(value=None),
    "empty-with-value": lambda d: _cell(d, "ok").update(status="empty"),
    "duplicated-table": lambda d: d["tables"].append(copy.deepcopy(d["tables"][0])),
    "duplicated-cell": lambda d: _table(d, "requests")["cells"].append(
        copy.deepcopy(_table(d, "requests")["cells"][0])),
    "same-address-twice": _same_address_twice,
    "lines-not-numbers": _lines,
    "diagnostic-cell-unknown-table": lambda d: d["diagnostics"].append(
        {"severity": "info", "code": "x", "message": "m", "line": 0, "lines": [], "plugin": "",
         "cells": [{"table": "budget", "row": "new", "column": "total"}]}),
    "sha256-not-hex": lambda d: d["metadata"].update(sha256="xyz"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_mutation_is_rejected(name, documents, validator):
    tried = 0
    for document in documents.values():
        if not {"requests", "proactive"} <= {t["code"] for t in document["tables"]}:
            continue
        broken = copy.deepcopy(document)
        MUTATIONS[name](broken)
        assert broken != document
        assert not validator.is_valid(broken), name
        tried += 1
        if tried == 4:  # a few reports of each template and shape: validation takes time
            break
    assert tried == 4


def test_the_shipped_schema_is_as_strict(validator):
    shipped = json.loads(Path(gongkai.__file__).with_name("data").joinpath(
        "report.schema.json").read_text(encoding="utf-8"))
    assert shipped == report_schema()
