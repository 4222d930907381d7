"""The model as plain JSON-ready data (what the JSON writer emits, and the schema describes)."""

from __future__ import annotations

from typing import Any

from .model import Cell, Diagnostic, Metadata, Report, Section, Table


def metadata_dict(m: Metadata) -> dict[str, Any]:
    return {
        "report_id": m.report_id,
        "title": m.title,
        "agency": m.agency,
        "year": m.year,
        "published": m.published,
        "signed": m.signed,
        "source_path": m.source_path,
        "script": m.script,
        "encoding": m.encoding,
        "reader": m.reader,
        "templates": dict(m.templates),
    }


def section_dict(s: Section) -> dict[str, Any]:
    return {
        "number": s.number,
        "key": s.key,
        "title": s.title,
        "text": s.text,
        "line_start": s.line_start,
        "line_end": s.line_end,
        "subsections": [section_dict(sub) for sub in s.subsections],
    }


def cell_dict(c: Cell) -> dict[str, Any]:
    return {
        "row": c.row,
        "column": c.column,
        "value": c.value,
        "unit": c.unit,
        "raw": c.raw,
        "status": c.status.value,
        "line": c.line,
        "note": c.note,
    }


def table_dict(t: Table) -> dict[str, Any]:
    return {
        "code": t.code,
        "template": t.template,
        "layout": t.layout,
        "plugin": t.plugin,
        "line_start": t.line_start,
        "line_end": t.line_end,
        "cells": [cell_dict(c) for c in t.cells],
    }


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "severity": d.severity.value,
        "code": d.code,
        "message": d.message,
        "line": d.line,
        "cells": [{"table": r.table, "row": r.row, "column": r.column} for r in d.cells],
        "lines": list(d.lines),
        "plugin": d.plugin,
    }


def report_dict(r: Report) -> dict[str, Any]:
    return {
        "schema_version": r.schema_version,
        "metadata": metadata_dict(r.metadata),
        "sections": [section_dict(s) for s in r.sections],
        "tables": [table_dict(t) for t in r.tables],
        "diagnostics": [diagnostic_dict(d) for d in r.diagnostics],
    }
