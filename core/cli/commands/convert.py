"""``gongkai convert REPORT --to FORMAT [-o FILE]``."""

from __future__ import annotations

import argparse
import sys

from gongkai.cli.batch import add_arguments as add_batch_arguments
from gongkai.cli.batch import is_batch, run_batch
from gongkai.cli.commands.check import refuse
from gongkai.cli.commands.common import (
    add_max_bytes_option,
    add_plugin_options,
    engine_for,
    parse_options,
)
from gongkai.cli.commands.common import byte_count as byte_count  # where it was defined before
from gongkai.config import load_config
from gongkai.engine.guard import time_limited
from gongkai.errors import ConfigError, UsageError
from gongkai.model import Report
from gongkai.outputs.atomic import check_not_input
from gongkai.outputs.dataset import CHUNK_FORMAT, dataset_format, dataset_writer, report_chunk
from gongkai.outputs.targets import (
    DATASET_ONLY,
    STDIO,
    Target,
    is_directory_target,
    resolve,
    stacked,
)
from gongkai.pipeline import (
    JSON_READER,
    choose_reader,
    convert_file,
    convert_stdin,
    write,
    write_file,
    writer_for,
)


def add_parser(sub) -> None:
    p = sub.add_parser("convert", help="convert a report to data",
                       description="Convert a report to JSON, the tidy CSV or another format.")
    p.add_argument("input", nargs="+", metavar="REPORT",
                   help="the report file (- for standard input); or directories, glob "
                   "patterns or several files to convert each report found (see 'many "
                   "reports')")
    p.add_argument("-t", "--to", metavar="FORMAT",
                   help="output format (see `gongkai formats`; default: from -o's extension, "
                   "else json)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically) instead of to standard output (-); for many "
                   "reports, a directory (DIR/) for their files, or one file that stacks "
                   "(.csv .jsonl .parquet .nt)")
    p.add_argument("--from", dest="reader", metavar="READER",
                   help="read the input with this reader instead of detecting one; "
                   "'json': gongkai's own JSON output, read back as the report it describes")
    p.add_argument("--encoding", help="decode the input with this encoding (e.g. gb18030)")
    add_max_bytes_option(p)
    p.add_argument("-O", "--option", dest="options", action="append", default=[],
                   metavar="KEY=VALUE", help="an option for the writer (repeatable); overrides "
                   "[writers.FORMAT] of the configuration file")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: the nearest gongkai.toml, or "
                   "pyproject.toml with [tool.gongkai], from the current directory up)")
    p.add_argument("--strict", action="store_true",
                   help="write nothing, print the findings and exit 1 when a rule finds an "
                   "error (see `gongkai check`; grade rules in [rules] of the configuration)")
    add_batch_arguments(p)
    add_plugin_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    given = parse_options(args.options)
    target = resolve(engine, args.to, args.output, given)
    if args.reader and args.reader != JSON_READER:  # an unknown one: one error, not one
        choose_reader(engine, b"", name=args.reader)  # per input
    if target.dataset in DATASET_ONLY:
        if given:
            raise UsageError(f"-O: the {target.to} dataset takes no writer options")
        options: dict[str, str] = {}
    else:
        options = {**writer_options(target.to, args.config, given, engine), **target.options}
    inputs = args.input
    if STDIO in inputs and len(inputs) > 1:
        raise UsageError("REPORT: - (standard input) can only be the one input")
    if inputs == [STDIO] and args.dataset:  # one report from standard input, as a dataset
        return convert_stdin_dataset(args, engine, target, options)
    if is_batch(inputs, args.dataset):
        if args.strict:
            raise UsageError("--strict converts one report; check many with `gongkai check`")
        return run_batch(args, engine, options, **batch_outputs(engine, target, args, options))
    if args.output and args.output != STDIO:
        check_not_input(args.output, inputs)
    return time_limited(args.timeout or None,
                        lambda: _convert_one(args, engine, target, options), inputs[0])


def _convert_one(args: argparse.Namespace, engine, target: Target,
                 options: dict[str, str]) -> int:
    inputs = args.input
    report = read_report(inputs[0], args, engine)
    if args.strict and refuse(inputs[0], report):
        return 1
    if target.dataset:  # one report as a dataset (.jsonl, .parquet)
        with dataset_writer(args.output or STDIO, target.dataset) as sink:
            sink.write(report_chunk(report, CHUNK_FORMAT[target.dataset]))
    elif args.output and args.output != STDIO:
        write_file(report, target.to, args.output, options=options, engine=engine)
    else:
        write(report, target.to, sys.stdout, options=options, engine=engine)
    return 0


def convert_stdin_dataset(args: argparse.Namespace, engine, target: Target,
                          options: dict[str, str]) -> int:
    """``gongkai convert - --dataset FILE [-o FILE]``: the report on standard input as a
    one-report dataset, and in ``-o``'s format too when given."""
    fmt = dataset_format(args.dataset)
    report = read_report(STDIO, args, engine)
    if args.strict and refuse(STDIO, report):
        return 1
    if args.output and args.output != STDIO:
        if target.dataset:
            with dataset_writer(args.output, target.dataset) as sink:
                sink.write(report_chunk(report, CHUNK_FORMAT[target.dataset]))
        else:
            write_file(report, target.to, args.output, options=options, engine=engine)
    with dataset_writer(args.dataset, fmt) as sink:
        sink.write(report_chunk(report, CHUNK_FORMAT[fmt]))
    return 0


def read_report(path: str, args: argparse.Namespace, engine) -> Report:
    """The one report of a conversion: a file, or standard input for ``-``."""
    common = dict(engine=engine, reader=args.reader, max_bytes=args.max_bytes,
                  encoding=args.encoding, config=load_config(args.config))
    if path == STDIO:
        return convert_stdin(**common)
    return convert_file(path, **common)


def batch_outputs(engine, target: Target, args: argparse.Namespace,
                  options: dict[str, str]) -> dict:
    """Where a batch writes: ``outdir`` (a file per report), ``dataset`` and its ``fmt``.

    ``-o FILE`` (or ``-o -``, or no -o) is one stacked output; ``-o DIR`` a directory.
    """
    output, dataset = args.output, args.dataset
    if output is not None and output != STDIO and is_directory_target(output):
        if target.dataset in DATASET_ONLY:
            raise UsageError(f"--to {target.to} is one table of every report: give -o "
                             f"FILE{'.' + target.to} or --dataset FILE, not a directory")
        return {"outdir": output, "dataset": dataset, "fmt": None, "to": target.to}
    if output is None and dataset:
        return {"outdir": None, "dataset": dataset, "fmt": None, "to": target.to}
    if dataset:
        raise UsageError(f"-o {output} is one file of every report, and so is --dataset "
                         f"{dataset}: give one of them (or -o DIR/ for a file per report)")
    if output is None and target.dataset is None and target.to not in ("csv", "rdf"):
        raise UsageError("converting a directory, a pattern or several reports needs "
                         "-o OUTDIR (a file per report), -o FILE or --dataset FILE (one "
                         "table), or --to csv for one table on standard output")
    stack = stacked(engine, target, output or STDIO, options)
    if stack.dataset:
        return {"outdir": None, "dataset": output or STDIO, "fmt": stack.dataset, "to": "csv"}
    return {"outdir": None, "dataset": output or STDIO, "fmt": "nt", "to": target.to}


def writer_options(to: str, config_path: str | None, given: dict[str, str], engine
                   ) -> dict[str, str]:
    """``[writers.FORMAT]`` of the configuration file, overridden by the ``-O`` options."""
    config = load_config(config_path)
    configured = config.writer_options(to)
    if configured:
        known = {o.name for o in writer_for(engine, to).item.options}
        unknown = sorted(set(configured) - known)
        if unknown:
            raise ConfigError(f"[writers.{to}] has no option {unknown[0]!r} (options: "
                              f"{', '.join(sorted(known)) or 'none'})", path=config.path)
    return {**configured, **given}
