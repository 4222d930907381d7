"""``gongkai convert REPORT --to FORMAT [-o FILE]``."""

from __future__ import annotations

import argparse
import sys

from ..batch_cli import add_arguments as add_batch_arguments
from ..batch_cli import is_batch, run_batch
from ..config import load_config
from ..errors import ConfigError, UsageError
from ..output import check_not_input
from ..pipeline import DEFAULT_MAX_BYTES, convert_file, write, write_file, writer_for
from .check import refuse
from .common import add_plugin_options, engine_for, parse_options


def add_parser(sub) -> None:
    p = sub.add_parser("convert", help="convert a report to data",
                       description="Convert a report to JSON, the tidy CSV or another format.")
    p.add_argument("input", nargs="+", metavar="REPORT",
                   help="the report file; or directories, glob patterns or several files to "
                   "convert each report found (see 'many reports')")
    p.add_argument("-t", "--to", default="json", metavar="FORMAT",
                   help="output format (see `gongkai formats`; default: json)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically) instead of to standard output; for many "
                   "reports, the directory for their files")
    p.add_argument("--from", dest="reader", metavar="READER",
                   help="read the input with this reader instead of detecting one; "
                   "'json': gongkai's own JSON output, read back as the report it describes")
    p.add_argument("--encoding", help="decode the input with this encoding (e.g. gb18030)")
    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                   help="refuse a report larger than this: bytes, or with K, M or G "
                   f"(default: {DEFAULT_MAX_BYTES // 2**20}M)")
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


_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def byte_count(text: str) -> int:
    """A ``--max-bytes`` value: a number of bytes, or with a K, M or G suffix (1024-based)."""
    number = text.strip().upper()
    unit = number[-1:] if number[-1:] in ("K", "M", "G") else ""
    try:
        value = int(number[: len(number) - len(unit)]) * _SIZE_UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a size: {text!r} (a number of bytes, or with K, M or G)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    options = writer_options(args.to, args.config, parse_options(args.options), engine)
    if is_batch(args.input, args.dataset):
        if args.strict:
            raise UsageError("--strict converts one report; check many with `gongkai check`")
        return run_batch(args, engine, options)
    if args.output:
        check_not_input(args.output, args.input)
    report = convert_file(args.input[0], engine=engine, reader=args.reader,
                          max_bytes=args.max_bytes,
                          encoding=args.encoding, config=load_config(args.config))
    if args.strict and refuse(args.input[0], report):
        return 1
    if args.output:
        write_file(report, args.to, args.output, options=options, engine=engine)
    else:
        write(report, args.to, sys.stdout, options=options, engine=engine)
    return 0


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
