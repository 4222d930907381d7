"""``gongkai check REPORT...``: the findings about each report, as ``file:line: code: message``.

Besides each report's own rules, the rules across reports (year-to-year continuity) run once on
all the reports checked. ``--format csv|jsonl`` writes the findings as a dataset, one row per
finding (gongkai.validate.findings); ``-o FILE`` writes the output to a file instead of standard
output.

Exit status: 0 when no finding reaches ``--severity``, 1 when one does, 2 when a file could not
be read at all (each such file prints one error line; the other files are still checked).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from gongkai.cli.batch import _positive as positive
from gongkai.cli.commands.common import (
    add_max_bytes_option,
    add_plugin_options,
    add_timeout_option,
    engine_for,
)
from gongkai.config import Config, load_config
from gongkai.engine.guard import time_limited
from gongkai.engine.manager import Engine
from gongkai.errors import GongkaiError, UsageError
from gongkai.model import Diagnostic, Report, Severity
from gongkai.naming import find_reports, is_pattern, reader_extensions
from gongkai.outputs.atomic import check_not_input, write_atomically
from gongkai.outputs.serialize import diagnostic_dict
from gongkai.outputs.targets import STDIO
from gongkai.pipeline import JSON_READER, STDIN_NAME, choose_reader, convert_stdin
from gongkai.validate.corpus import CorpusFinding, check_corpus, series
from gongkai.validate.findings import Row, corpus_row, report_row, suggestion, summarise, write_rows
from gongkai.validate.suspects import find_suspects
from gongkai.validate.validator import INFERRED, STAGE, enabled_equations, rule_settings

SEVERITIES = ("error", "warning", "info")
FORMATS = ("text", "json", "csv", "jsonl")
#: The rules whose findings ``--suggest`` gives values for.
SUSPECT_SUFFIX = ".suspect-cell"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="check reports against the rules (勾稽关系, data quality, continuity)",
        description="Convert each report and print its findings as `file:line: rule-id: "
        "message`; then the findings across reports (year-to-year continuity). Exit 0 when "
        "clean, 1 when a finding reaches --severity, 2 when a file cannot be read.")
    p.add_argument("inputs", metavar="REPORT", nargs="*",
                   help="report files (- for standard input), directories (searched "
                   "recursively) or glob patterns, as `gongkai convert` takes them")
    p.add_argument("--severity", choices=SEVERITIES, default="warning",
                   help="show and fail on findings at or above this severity (default: warning)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text lines (default), one JSON document, or the findings as a "
                   "dataset: csv or jsonl, one row per finding")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.add_argument("-j", "--jobs", type=positive, metavar="N",
                   help="worker processes for many reports (default: the number of cores)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the findings to FILE (written whole or not at all) instead of "
                   "standard output")
    p.add_argument("--suggest", action="store_true",
                   help="give the values the culprit-cell search suggests (*.suspect-cell), "
                   "as data; the reports are never changed")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file with a [rules] section (default: the nearest "
                   "gongkai.toml, or pyproject.toml with [tool.gongkai], from here up)")
    p.add_argument("--from", dest="reader", metavar="READER",
                   help="read the inputs with this reader instead of detecting one")
    p.add_argument("--encoding", help="decode the inputs with this encoding (e.g. gb18030)")
    add_max_bytes_option(p)
    add_timeout_option(p)
    p.add_argument("--list-rules", action="store_true",
                   help="list the rules with their severity after configuration, and exit")
    add_plugin_options(p)
    p.set_defaults(run=run)


def check_inputs(inputs: list[str], engine) -> list[str]:
    """The report files to check: files as given, directories and patterns searched."""
    paths: list[str] = []
    extensions = reader_extensions(engine)
    for source in inputs:
        if os.path.isdir(source) or is_pattern(source):
            found = find_reports([source], extensions=extensions)
            if not found:
                raise UsageError(f"no reports found in {source!r}")
            paths.extend(i.path for i in found)
        else:
            paths.append(source)
    return paths


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    config = load_config(args.config)
    if args.list_rules:
        return list_rules(engine, config)
    if not args.inputs:
        print("gongkai check: give one or more report files (or --list-rules)", file=sys.stderr)
        return 2
    if args.reader and args.reader != JSON_READER:  # an unknown one: one error, not one
        choose_reader(engine, b"", name=args.reader)  # per input
    if args.output and STDIO not in args.inputs:
        check_not_input(args.output, check_inputs(args.inputs, engine))
    threshold = Severity(args.severity).rank
    streaming = args.format == "text" and not args.output
    results: list[dict] = []
    reports: list[Report] = []
    rows: list[Row] = []
    unreadable = 0
    text: list[str] = []
    for path, report in each_report(args, engine, config):
        if isinstance(report, GongkaiError):
            unreadable += 1
            print(report.format(), file=sys.stderr)
            results.append({"path": path, "error": report.format(), "findings": []})
            continue
        reports.append(report)
        findings = sorted((d for d in report.diagnostics if d.severity.rank >= threshold),
                          key=lambda d: d.line)
        suggested = _suggestions(report, findings, engine, config) if args.suggest else {}
        here = [report_row(path, report, d, suggested.get(id(d), ())) for d in findings]
        rows.extend(here)
        results.append({"path": path, "report_id": report.metadata.report_id,
                        "error": None, "findings": findings, "rows": here})
        lines = [line for d, row in zip(findings, here, strict=True)
                 for line in _text(path, d, row)]
        if streaming:
            for line in lines:
                print(line)
        else:
            text.extend(lines)
    corpus_findings = [f for f in check_corpus(reports, engine=engine, config=config)
                       if f.severity.rank >= threshold] if reports else []
    ids = {r["path"]: r.get("report_id", "") for r in results}
    across = [corpus_row(f, ids) for f in corpus_findings]
    across_text = [_corpus_line(f) for f in corpus_findings]
    if streaming:
        for line in across_text:
            print(line)
    rows.extend(across)
    summary = summarise(rows, corpus_findings, reports=len(results), unreadable=unreadable,
                        corpus=series(reports) if len(reports) > 1 else None)

    def produce(stream: TextIO) -> None:
        if args.format == "text":
            stream.writelines(line + "\n" for line in text + across_text)
        elif args.format == "json":
            _write_json(stream, args, results, across, summary)
        else:
            write_rows(rows, stream, args.format)

    if args.output:
        write_atomically(args.output, produce)
    elif not streaming:
        produce(sys.stdout)
    if args.format != "json":
        # Text stays silent on a clean run; a dataset's run always ends with its summary.
        _print_summary(rows, len(results), unreadable, summary, args.severity,
                       always=args.format != "text")
    failed = bool(rows)
    return 2 if unreadable else 1 if failed else 0


def each_report(args: argparse.Namespace, engine: Engine, config: Config
            ) -> Iterator[tuple[str, Report | GongkaiError]]:
    """Each input's path and its report, or the error it failed with, in path order.

    The inputs are what `gongkai convert` takes: files, directories, glob patterns, or ``-``
    alone for standard input; many are converted in ``--jobs`` worker processes.
    """
    if STDIO in args.inputs:
        if len(args.inputs) > 1:
            raise UsageError("REPORT: - (standard input) can only be the one input")
        try:
            yield STDIN_NAME, time_limited(args.timeout or None, lambda: convert_stdin(
                engine=engine, reader=args.reader, encoding=args.encoding, config=config,
                max_bytes=args.max_bytes), STDIN_NAME)
        except GongkaiError as exc:
            yield STDIN_NAME, exc
        return
    from gongkai.batch.runner import BatchOptions, plan, run

    inputs, outputs = plan(args.inputs, engine=engine)
    if not inputs:
        raise UsageError("REPORT: no reports found in " + ", ".join(map(repr, args.inputs)))
    options = BatchOptions(reader=args.reader, encoding=args.encoding, config=config,
                           plugins=tuple(getattr(args, "plugins", None) or ()),
                           max_bytes=args.max_bytes, timeout=args.timeout or None)
    for result in run(inputs, outputs, options, engine=engine, jobs=args.jobs):
        yield result.path, (result.report if result.ok else result.error)


def _suggestions(report: Report, findings: list[Diagnostic], engine, config: Config) -> dict:
    """For each culprit-cell finding shown (by id), the repairs the search gives."""
    wanted = [d for d in findings if d.code.endswith(SUSPECT_SUFFIX)]
    if not wanted:
        return {}
    # A finding names the cells of its suspicion's repairs: that is how they are matched.
    by_cells = {(s.table, tuple(dict.fromkeys(ref for r in s.repairs for ref in r.cells))): s
                for s in find_suspects(report, enabled_equations(report, engine=engine,
                                                                 config=config))}
    out = {}
    for d in wanted:
        found = by_cells.get((d.code[: -len(SUSPECT_SUFFIX)], d.cells))
        if found is not None and found.repairs:
            out[id(d)] = suggestion(found.repairs)
    return out


def _text(path: str, d: Diagnostic, row: Row) -> list[str]:
    lines = [_line(path, d)]
    for alternative in row.suggested:
        values = ", ".join(f"{ref} = {v}" for ref, v in alternative)
        lines.append(f"    suggested: {values} (the report is not changed)")
    return lines


def _corpus_line(f: CorpusFinding) -> str:
    first = f.places[0] if f.places else None
    where = (f"{first.report}:{first.line}" if first and first.line
             else first.report if first else "gongkai")
    return f"{where}: {f.code}: {f.message}"


def _write_json(stream: TextIO, args, results: list[dict], across: list[Row], summary) -> None:
    files = []
    for r in results:
        entry = {k: v for k, v in r.items() if k not in ("findings", "rows")}
        entry["findings"] = [_finding_dict(d, row)
                             for d, row in zip(r["findings"], r.get("rows", []), strict=True)]
        files.append(entry)
    count = sum(len(f["findings"]) for f in files) + len(across)
    json.dump({"severity": args.severity, "files": files,
               "across_reports": [row.record() for row in across],
               "summary": {"files": len(results),
                           "files_with_findings": sum(bool(f["findings"]) for f in files),
                           "findings": count, "unreadable": summary.unreadable,
                           **{k: v for k, v in summary.record().items()
                              if k not in ("reports", "unreadable", "reports_with_findings")}}},
              stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _finding_dict(d: Diagnostic, row: Row) -> dict:
    out = diagnostic_dict(d)
    if row.suggested:
        out["suggested"] = row.record()["suggested"]
    return out


def _print_summary(rows: list[Row], files: int, unreadable: int, summary, severity: str,
                   *, always: bool) -> None:
    count = len(rows)
    if not (count or unreadable or always):
        return
    extra = summary.lines()
    with_findings = summary.with_findings
    print(f"gongkai check: {count} finding{'s' * (count != 1)} at {severity} or "
          f"above in {with_findings} of {files} files"
          + (f"; {unreadable} could not be read" if unreadable else ""), file=sys.stderr)
    for line in extra:
        print(line, file=sys.stderr)


def _line(path: str, d: Diagnostic) -> str:
    where = f"{path}:{d.line}" if d.line else path
    return f"{where}: {d.code}: {d.message}"


def refuse(path: str, report: Report) -> bool:
    """For ``convert --strict``: print the report's errors to stderr; True if there are any."""
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    for d in errors:
        print(_line(path, d), file=sys.stderr)
    if errors:
        print(f"gongkai: {path}: not converted: {len(errors)} finding"
              f"{'s' * (len(errors) != 1)} at error severity (--strict)", file=sys.stderr)
    return bool(errors)


def list_rules(engine, config: Config) -> int:
    rules = engine.rules()
    settings = rule_settings(rules, config)
    rows = [(c.item.id, c.plugin, c.item.description) for c in rules]
    across = engine.corpus_rules()
    rows += [(c.item.id, c.plugin, c.item.description) for c in across]
    settings.update(rule_settings(across, config, known=[c.item.id for c in rules]))
    rows.append((INFERRED, STAGE, "restore an empty or missing cell that the identities of the "
                 "enabled identity rules determine (status inferred); off: never restore"))
    width = max(len(r[0]) for r in rows)
    for rule_id, plugin, description in sorted(rows):
        setting = settings.get(rule_id)
        print(f"{rule_id.ljust(width)}  {(setting.value if setting else 'off').ljust(7)}  "
              f"{plugin}: {description}")
    return 0
