"""``gongkai check REPORT...``: the findings about each report, as ``file:line: code: message``.

Exit status: 0 when no finding reaches ``--severity``, 1 when one does, 2 when a file could not
be read at all (each such file prints one error line; the other files are still checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from ..batch_cli import _positive as positive
from ..config import Config, load_config
from ..engine import Engine
from ..errors import GongkaiError, UsageError
from ..model import Diagnostic, Report, Severity
from ..pipeline import STDIN_NAME, choose_reader, convert_stdin
from ..serialize import diagnostic_dict
from ..targets import STDIO
from ..validate import INFERRED, STAGE, rule_settings
from .common import add_plugin_options, engine_for

SEVERITIES = ("error", "warning", "info")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="check reports against the rules (勾稽关系, data quality)",
        description="Convert each report and print its findings as `file:line: rule-id: "
        "message`. Exit 0 when clean, 1 when a finding reaches --severity, 2 when a file "
        "cannot be read.")
    p.add_argument("inputs", metavar="REPORT", nargs="*",
                   help="report files (- for standard input), directories (searched "
                   "recursively) or glob patterns, as `gongkai convert` takes them")
    p.add_argument("--severity", choices=SEVERITIES, default="warning",
                   help="show and fail on findings at or above this severity (default: warning)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text lines (default) or one JSON document for machines")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.add_argument("-j", "--jobs", type=positive, metavar="N",
                   help="worker processes for many reports (default: the number of cores)")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file with a [rules] section (default: the nearest "
                   "gongkai.toml, or pyproject.toml with [tool.gongkai], from here up)")
    p.add_argument("--from", dest="reader", metavar="READER",
                   help="read the inputs with this reader instead of detecting one")
    p.add_argument("--encoding", help="decode the inputs with this encoding (e.g. gb18030)")
    p.add_argument("--list-rules", action="store_true",
                   help="list the rules with their severity after configuration, and exit")
    add_plugin_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    config = load_config(args.config)
    if args.list_rules:
        return list_rules(engine, config)
    if not args.inputs:
        print("gongkai check: give one or more report files (or --list-rules)", file=sys.stderr)
        return 2
    if args.reader:  # an unknown one: one error, not one per input
        choose_reader(engine, b"", name=args.reader)
    threshold = Severity(args.severity).rank
    results = []
    failed = unreadable = 0
    for path, report in reports(args, engine, config):
        if isinstance(report, GongkaiError):
            unreadable += 1
            print(report.format(), file=sys.stderr)
            results.append({"path": path, "error": report.format(), "findings": []})
            continue
        findings = sorted((d for d in report.diagnostics if d.severity.rank >= threshold),
                          key=lambda d: d.line)
        failed += bool(findings)
        results.append({"path": path, "report_id": report.metadata.report_id,
                        "error": None, "findings": findings})
        if args.format == "text":
            for d in findings:
                print(_line(path, d))
    count = sum(len(r["findings"]) for r in results)
    if args.format == "json":
        for r in results:
            r["findings"] = [diagnostic_dict(d) for d in r["findings"]]
        json.dump({"severity": args.severity, "files": results,
                   "summary": {"files": len(results), "files_with_findings": failed,
                               "findings": count, "unreadable": unreadable}},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif count or unreadable:
        print(f"gongkai check: {count} finding{'s' * (count != 1)} at {args.severity} or "
              f"above in {failed} of {len(results)} files"
              + (f"; {unreadable} could not be read" if unreadable else ""), file=sys.stderr)
    return 2 if unreadable else 1 if failed else 0


def reports(args: argparse.Namespace, engine: Engine, config: Config
            ) -> Iterator[tuple[str, Report | GongkaiError]]:
    """Each input's path and its report, or the error it failed with, in path order.

    The inputs are what `gongkai convert` takes: files, directories, glob patterns, or ``-``
    alone for standard input; many are converted in ``--jobs`` worker processes.
    """
    if STDIO in args.inputs:
        if len(args.inputs) > 1:
            raise UsageError("REPORT: - (standard input) can only be the one input")
        try:
            yield STDIN_NAME, convert_stdin(engine=engine, reader=args.reader,
                                            encoding=args.encoding, config=config)
        except GongkaiError as exc:
            yield STDIN_NAME, exc
        return
    from ..batch import BatchOptions, plan, run

    inputs, outputs = plan(args.inputs, engine=engine)
    if not inputs:
        raise UsageError("REPORT: no reports found in " + ", ".join(map(repr, args.inputs)))
    options = BatchOptions(reader=args.reader, encoding=args.encoding, config=config,
                           plugins=tuple(getattr(args, "plugins", None) or ()))
    for result in run(inputs, outputs, options, engine=engine, jobs=args.jobs):
        yield result.path, (result.report if result.ok else result.error)


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
    rows.append((INFERRED, STAGE, "restore an empty or missing cell that the identities of the "
                 "enabled identity rules determine (status inferred); off: never restore"))
    width = max(len(r[0]) for r in rows)
    for rule_id, plugin, description in sorted(rows):
        setting = settings.get(rule_id)
        print(f"{rule_id.ljust(width)}  {(setting.value if setting else 'off').ljust(7)}  "
              f"{plugin}: {description}")
    return 0
