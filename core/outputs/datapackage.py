"""The descriptions written beside a CSV dataset: CSVW metadata and a Frictionless data package.

``gongkai convert DIR --dataset cells.csv`` writes, next to ``cells.csv``:

* ``cells.csv-metadata.json``: CSVW (W3C *Metadata Vocabulary for Tabular Data*), the name a
  CSVW processor looks for beside a CSV file;
* ``datapackage.json``: a Frictionless Data Package whose one resource is the CSV, with a
  Table Schema: ``value`` a number, ``line`` an integer, ``raw`` a string (the text as the
  report wrote it, never a number), and the codes as enums.

The enums are the codes of gongkai.layouts.codes and those the dataset itself holds (a regional
variant may add codes): in a batch, each worker notes the codes of its reports' rows that
gongkai.layouts.codes does not list (:func:`unknown_codes`, usually none), so the descriptions
need not read the dataset back; a dataset with chunks of unknown codes (taken from an
interrupted run) is read once more, row by row (0.5 ms a report, in one process, after the
workers are done: a sixth of a 2,000-report run's time before issue 20).
"""

from __future__ import annotations

import csv
import json
import operator
import os
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from gongkai.layouts.codes import load_codes
from gongkai.model import SCHEMA_VERSION, Report
from gongkai.outputs.atomic import atomic_writer
from gongkai.outputs.tidy import PRIMARY_KEY, STATUS_TEXT, csvw_metadata, tidy_columns

#: The Data Package file name (the Frictionless standard's).
DATAPACKAGE = "datapackage.json"
#: CSVW datatypes -> Table Schema types.
_TYPES = {"string": "string", "decimal": "number", "double": "number", "integer": "integer",
          "nonNegativeInteger": "integer"}
#: The columns whose values are codes: their enums.
_CODED = ("table", "row", "column", "unit", "status")


def csvw_name(path: str | os.PathLike) -> str:
    """``cells.csv`` -> ``cells.csv-metadata.json`` (file-specific CSVW metadata)."""
    return os.path.basename(os.fspath(path)) + "-metadata.json"


def _codes_in(path: str | os.PathLike) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {name: set() for name in _CODED}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        where = {name: header.index(name) for name in _CODED if name in header}
        for row in reader:
            for name, i in where.items():
                if i < len(row) and row[i]:
                    found[name].add(row[i])
    return found


#: Codes of a dataset's rows: (column name, code) pairs.
Codes = frozenset[tuple[str, str]]


def unknown_codes(report: Report) -> Codes:
    """The codes of the report's dataset rows that gongkai.layouts.codes does not list: what
    :func:`_codes_in` would add for its rows to the known codes."""
    # A set per column, then the known taken off: a report has ~200 cells and few codes.
    known = _known_sets()
    found: set[tuple[str, str]] = set()
    for t in report.tables:
        cells = t.cells
        for name, codes in (("table", set(map(_TABLE, cells))), ("row", set(map(_ROW, cells))),
                            ("column", set(map(_COLUMN, cells))),
                            ("unit", set(map(_UNIT, cells))),
                            ("status", {STATUS_TEXT[s] for s in set(map(_STATUS, cells))})):
            found.update((name, code) for code in codes - known[name] if code)
    return frozenset(found)


_TABLE, _ROW, _COLUMN, _UNIT, _STATUS = map(operator.attrgetter,
                                            ("table", "row", "column", "unit", "status"))


@cache
def _known_sets() -> dict[str, frozenset[str]]:
    return {name: frozenset(codes) for name, codes in _known_codes().items()}


def _by_column(codes: Codes) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {name: set() for name in _CODED}
    for name, code in codes:
        found[name].add(code)
    return found


def _known_codes() -> dict[str, list[str]]:
    from gongkai.model import Status

    codes = load_codes()
    return {
        "table": list(codes.table_codes),
        "row": list(dict.fromkeys(r.code for t in codes.tables for r in t.rows)),
        "column": list(dict.fromkeys(c.code for t in codes.tables for c in t.columns)),
        "unit": [u.zh for u in codes.units],
        "status": [s.value for s in Status],
    }


def table_schema(seen: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    """The Table Schema of the tidy table; ``seen``: codes the dataset holds beyond the known."""
    known = _known_codes()
    fields = []
    for c in tidy_columns(dataset=True):
        base = c.datatype["base"] if isinstance(c.datatype, dict) else c.datatype
        field: dict[str, Any] = {"name": c.name, "type": _TYPES.get(base, "string"),
                                 "description": c.description}
        constraints: dict[str, Any] = {}
        if c.required:
            constraints["required"] = True
        if c.name in known:
            extra = sorted(set((seen or {}).get(c.name, ())) - set(known[c.name]))
            constraints["enum"] = known[c.name] + extra
        if field["type"] == "integer" and base == "nonNegativeInteger":
            constraints["minimum"] = 0
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": list(PRIMARY_KEY), "missingValues": [""]}


def datapackage(csv_name: str, *, seen: Mapping[str, Iterable[str]] | None = None,
                license: str = "") -> dict[str, Any]:
    """The Data Package describing the tidy CSV ``csv_name`` (beside the package file)."""
    package: dict[str, Any] = {
        "name": "gongkai-cells",
        "title": "Government information disclosure annual reports: statistical tables",
        "description": f"The tidy cell table of gongkai (schema version {SCHEMA_VERSION}): one "
                       "row per cell of the three statistical tables of each report.",
        "resources": [{
            "name": "cells",
            "path": csv_name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": table_schema(seen),
        }],
    }
    if license:
        package["licenses"] = [_license(license)]
    return package


def _license(value: str) -> dict[str, str]:
    from gongkai.plugins.rdf_writer import license_iri

    iri = license_iri(value)
    return ({"name": value, "path": iri} if iri != value else {"path": iri, "name": "license"})


def write_descriptions(path: str | os.PathLike, options: Mapping[str, str],
                       seen: Codes | None = None) -> list[str]:
    """Write the CSVW metadata and the data package of the CSV dataset at ``path``; ``seen``:
    the codes of its rows that gongkai.layouts.codes does not list, if known (else the file
    is read for them)."""
    path = os.fspath(path)
    directory, name = os.path.split(os.path.abspath(path))
    license = options.get("license", "").strip()
    written = []
    for target, data in (
        (os.path.join(directory, csvw_name(path)), csvw_metadata(name, dataset=True)),
        (os.path.join(directory, DATAPACKAGE),
         datapackage(name, seen=_codes_in(path) if seen is None else _by_column(seen),
                     license=license)),
    ):
        with atomic_writer(target) as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        written.append(target)
    return written
