"""The findings of a ``gongkai check`` run as a dataset (one row per finding) and its summary.

Columns, in order (docs/rules.md#the-findings-dataset):

``report, report_id, rule, severity, line, cells, lines, message, plugin, suggested``

``cells`` are ``table/row/column`` separated by spaces; ``lines`` the other lines involved,
a line of another report written ``path:line``; ``suggested`` (with ``--suggest``) the values
the culprit-cell search gives, ``ref=value`` separated by spaces, alternatives by `` | ``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TextIO

import attrs

from gongkai.model import Diagnostic, Report
from gongkai.outputs.tidy import CsvRows
from gongkai.validate.corpus import Corpus, CorpusFinding, where
from gongkai.validate.suspects import Repair
from gongkai.validate.validator import format_value

COLUMNS = ("report", "report_id", "rule", "severity", "line", "cells", "lines", "message",
           "plugin", "suggested")


@attrs.frozen
class Row:
    """One finding, of one report or across reports, flattened."""

    report: str
    report_id: str
    rule: str
    severity: str
    line: int
    cells: tuple[str, ...]
    lines: tuple[str, ...]
    message: str
    plugin: str = ""
    #: Alternatives, each ``((ref, value), ...)``: empty unless suggestions were asked for.
    suggested: tuple[tuple[tuple[str, int | float], ...], ...] = ()

    def values(self) -> tuple[str, ...]:
        return (self.report, self.report_id, self.rule, self.severity, str(self.line),
                " ".join(self.cells), " ".join(self.lines), self.message, self.plugin,
                suggested_text(self.suggested))

    def record(self) -> dict:
        return {"report": self.report, "report_id": self.report_id, "rule": self.rule,
                "severity": self.severity, "line": self.line, "cells": list(self.cells),
                "lines": list(self.lines), "message": self.message, "plugin": self.plugin,
                "suggested": [[{"cell": ref, "value": v} for ref, v in alt]
                              for alt in self.suggested]}


def suggested_text(alternatives) -> str:
    return " | ".join(" ".join(f"{ref}={format_value(v)}" for ref, v in alt)
                      for alt in alternatives)


def suggestion(repairs: Sequence[Repair]) -> tuple[tuple[tuple[str, int | float], ...], ...]:
    return tuple(tuple((str(ref), v) for ref, v in zip(r.cells, r.values, strict=True))
                 for r in repairs)


def report_row(path: str, report: Report | None, d: Diagnostic, suggested=()) -> Row:
    return Row(report=path, report_id=report.metadata.report_id if report else "",
               rule=d.code, severity=str(d.severity), line=d.line,
               cells=tuple(map(str, d.cells)), lines=tuple(map(str, d.lines)),
               message=d.message, plugin=d.plugin, suggested=tuple(suggested))


def corpus_row(f: CorpusFinding, ids: dict[str, str]) -> Row:
    first = f.places[0] if f.places else None
    here = first.report if first else ""
    others = tuple(str(p.line) if p.report == here else f"{p.report}:{p.line}"
                   for p in f.places[1:] if p.line)
    cells = tuple(dict.fromkeys(str(c) for p in f.places for c in p.cells))
    return Row(report=here, report_id=ids.get(here, ""), rule=f.code, severity=str(f.severity),
               line=first.line if first else 0, cells=cells, lines=others, message=f.message,
               plugin=f.plugin)


def write_rows(rows: Iterable[Row], stream: TextIO, fmt: str) -> None:
    """The rows as ``csv`` (with a header) or ``jsonl``."""
    if fmt == "csv":
        out = CsvRows(stream)
        out.writerow(COLUMNS)
        out.writerows(r.values() for r in rows)
    else:
        for r in rows:
            stream.write(json.dumps(r.record(), ensure_ascii=False) + "\n")


@attrs.frozen
class Summary:
    reports: int
    unreadable: int
    with_findings: int
    by_rule: dict[str, int]
    #: Agencies (keys) with findings across reports, each with the rules that found them.
    agencies: dict[str, list[str]]
    #: ``(report, why)`` of reports the cross-report checks could not place.
    unplaced: tuple[tuple[str, str], ...]
    #: ``(agency, year, reports)`` where one agency has several reports for a year.
    doubtful: tuple[tuple[str, int, tuple[str, ...]], ...]

    def record(self) -> dict:
        return {"reports": self.reports, "unreadable": self.unreadable,
                "reports_with_findings": self.with_findings, "by_rule": self.by_rule,
                "agencies": self.agencies,
                "unplaced": [{"report": r, "why": why} for r, why in self.unplaced],
                "doubtful": [{"agency": a, "year": y, "reports": list(rs)}
                             for a, y, rs in self.doubtful]}

    def lines(self) -> list[str]:
        """The summary as text lines (after the run's one-line count)."""
        out = []
        if self.by_rule:
            out.append("  by rule: " + ", ".join(f"{rule} {n}" for rule, n in
                                                  sorted(self.by_rule.items())))
        for agency, rules in sorted(self.agencies.items()):
            out.append(f"  agency {agency}: {', '.join(rules)}")
        for report, why in self.unplaced:
            out.append(f"  not placed in a series: {report}: {why}")
        for agency, year, reports in self.doubtful:
            out.append(f"  several reports of {agency} for {year}, not compared: "
                       f"{', '.join(reports)}")
        return out


def summarise(rows: Sequence[Row], corpus_findings: Iterable[CorpusFinding], *,
              reports: int, unreadable: int, corpus: Corpus | None) -> Summary:
    agencies: dict[str, list[str]] = {}
    for f in corpus_findings:
        if f.agency and f.code not in agencies.setdefault(f.agency, []):
            agencies[f.agency].append(f.code)
    return Summary(
        reports=reports, unreadable=unreadable,
        with_findings=len({r.report for r in rows}),
        by_rule=dict(sorted(Counter(r.rule for r in rows).items())),
        agencies=agencies,
        unplaced=tuple((where(r), why) for r, why in corpus.unplaced) if corpus else (),
        doubtful=tuple((a, y, tuple(map(where, rs))) for a, y, rs in corpus.doubtful)
        if corpus else ())
