"""``gongkai convert DIR_OR_GLOB... -o OUTDIR [--dataset FILE]``: the batch side of convert.

Converts every report found, one output per input and/or one dataset of all their cells, in
parallel, with a progress bar on a terminal; then a summary and the list of failures on
standard error. Exit status: 0 when every input converted (or was up to date), 1 when any
failed, 2 for a usage error (nothing was converted).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

import attrs

from .errors import UsageError
from .naming import is_pattern

if TYPE_CHECKING:
    from .batch import Result
    from .engine import Engine

# The batch machinery (multiprocessing, the dataset writers) is imported when a batch runs:
# converting one report, the common command, starts without it.

#: Exit status when some inputs failed (the others were converted).
EXIT_SOME_FAILED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options only a batch uses (``-o`` is shared: a file, or a directory for a batch)."""
    group = parser.add_argument_group(
        "many reports",
        "Given a directory, a glob pattern or several reports, convert each report found "
        "(directories recursively) to its own file under -o OUTDIR, and/or all of them to one "
        "dataset; then list what failed and why.",
    )
    group.add_argument("--dataset", metavar="FILE",
                       help="also write one dataset of every report's cells, in input path "
                            "order: the tidy table (.csv, with its CSVW metadata and "
                            "datapackage.json beside it, or .jsonl) or one RDF Data Cube "
                            "graph (.ttl, .nt, .jsonld)")
    group.add_argument("--license", metavar="LICENSE",
                       help="the dataset's licence, an SPDX identifier (CC-BY-4.0) or an IRI: "
                            "in its DCAT description and datapackage.json (default: [batch] "
                            "license of the configuration)")
    group.add_argument("-j", "--jobs", type=_positive, metavar="N",
                       help="worker processes (default: the number of cores)")
    group.add_argument("--force", action="store_true",
                       help="convert again inputs whose output is newer than the input")
    group.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bar, and no summary unless something failed")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def is_batch(inputs: Sequence[str], dataset: str | None = None) -> bool:
    """Several inputs, a directory, a pattern or a dataset make a batch; one file does not."""
    return (len(inputs) != 1 or bool(dataset) or os.path.isdir(inputs[0])
            or is_pattern(inputs[0]))


@attrs.define
class Summary:
    total: int = 0
    converted: int = 0
    with_findings: int = 0
    skipped: int = 0
    failed: list[Result] = attrs.field(factory=list)

    def add(self, result: Result) -> None:
        if result.status == "failed":
            self.failed.append(attrs.evolve(result, data=""))
        elif result.status == "skipped":
            self.skipped += 1
        else:
            self.converted += 1
            self.with_findings += result.findings > 0

    @property
    def done(self) -> int:
        return self.converted + self.skipped + len(self.failed)


def run_batch(args: argparse.Namespace, engine: Engine,
              writer_options: Mapping[str, str]) -> int:
    from .batch import BatchOptions, plan, run
    from .config import load_config
    from .dataset import dataset_format, dataset_writer
    from .progress import ProgressBar, wants_progress

    dataset = getattr(args, "dataset", None)
    if not args.output and not dataset:
        raise UsageError("converting a directory, a pattern or several reports needs "
                         "-o OUTDIR (a file per report) or --dataset FILE (one table)")
    fmt = dataset_format(dataset) if dataset else None
    if dataset and os.path.isdir(dataset):
        raise UsageError(f"the dataset {dataset!r} is a directory")
    config = load_config(getattr(args, "config", None))
    dataset_opts = _dataset_options(args, fmt, engine, writer_options, config) if fmt else {}
    inputs, outputs = plan(args.input, outdir=args.output, to=args.to, engine=engine,
                           exclude=[dataset] if dataset else [], writer_options=writer_options)
    if not inputs:
        raise UsageError("no reports found in " + ", ".join(repr(i) for i in args.input))
    options = BatchOptions(
        outdir=os.path.abspath(args.output) if args.output else None,
        to=args.to, writer_options=dict(writer_options), force=args.force, dataset=fmt,
        dataset_options=dataset_opts,
        keep_reports=False, reader=args.reader, encoding=args.encoding,
        max_bytes=args.max_bytes, config=config,
        plugins=tuple(getattr(args, "plugins", None) or ()),
    )
    bar = ProgressBar(len(inputs)) if wants_progress(args.quiet) else None
    summary = Summary(total=len(inputs))
    finished = 0

    def on_done(count: int) -> None:
        nonlocal finished
        finished += count
        if bar is not None:
            bar.update(finished, len(summary.failed), force=finished == len(inputs))

    start = time.monotonic()
    try:
        results = run(inputs, outputs, options, engine=engine, jobs=args.jobs, on_done=on_done)
        if dataset:
            with dataset_writer(dataset, dataset_opts) as stream:
                for result in results:
                    stream.write(result.data)
                    summary.add(result)
        else:
            for result in results:
                summary.add(result)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        print(f"gongkai: interrupted after {finished} of {summary.total} reports; every "
              "file written is complete — run the same command again to go on",
              file=sys.stderr)
        raise
    if bar is not None:
        bar.close()
    print_summary(summary, time.monotonic() - start, quiet=args.quiet, dataset=dataset,
                  outdir=args.output)
    if dataset:
        warn_shared_ids([i.path for i in inputs])
    return EXIT_SOME_FAILED if summary.failed else 0


def _dataset_options(args: argparse.Namespace, fmt: str, engine: Engine,
                     writer_options: Mapping[str, str], config) -> dict[str, str]:
    """The dataset's options: ``[writers.rdf]`` for an RDF dataset, then ``-O`` (an option
    that neither the dataset nor, with -o, the per-report writer takes is an error), then
    ``[batch] license`` and ``--license``."""
    from .commands.common import parse_options
    from .dataset import OPTIONS, RDF_FORMATS, dataset_options
    from .pipeline import writer_for

    given = parse_options(getattr(args, "options", None) or [])
    others = ({o.name for o in writer_for(engine, args.to).item.options} if args.output
              else set())
    if "format" in others:  # -o out --to rdf -O format=nt: the files' format, not the dataset's
        given.pop("format", None)
    configured = config.writer_options("rdf") if fmt in RDF_FORMATS else {}
    options = {**dataset_options(fmt, configured), **dataset_options(fmt, given,
                                                                     others=others)}
    if getattr(args, "license", None):
        options.update(dataset_options(fmt, {"license": args.license}))
    elif "license" in OPTIONS[fmt] and config.section("batch").get("license"):
        options.setdefault("license", str(config.section("batch")["license"]))
    if options.get("license"):
        from .plugins.rdf_writer import license_iri

        license_iri(options["license"])  # a malformed licence fails before any work
    return options


def print_summary(summary: Summary, elapsed: float, *, quiet: bool = False,
                  dataset: str | None = None, outdir: str | None = None,
                  stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    if not quiet or summary.failed:
        rate = summary.done / elapsed if elapsed > 0 else 0.0
        parts = [f"{summary.converted} converted ({summary.with_findings} with findings)"]
        if summary.skipped:
            parts.append(f"{summary.skipped} up to date")
        parts.append(f"{len(summary.failed)} failed")
        print(f"gongkai: {summary.total} reports: {', '.join(parts)} "
              f"in {elapsed:.1f}s ({rate:.0f}/s)", file=stream)
        written = [w for w in (outdir and f"files in {outdir}", dataset and f"dataset {dataset}")
                   if w]
        if written and not quiet:
            print(f"gongkai: wrote {' and '.join(written)}", file=stream)
    if summary.failed:
        print("failed:", file=stream)
        for result in summary.failed:
            reason = result.error.format() if result.error else result.path
            print(f"  {reason}", file=stream)


def warn_shared_ids(paths: Sequence[str], stream: TextIO | None = None) -> None:
    """The dataset tells reports apart by report_id (the file name stem): say if two share one."""
    from .pipeline import report_id_for

    counts = Counter(report_id_for(p) for p in paths)
    shared = sorted(rid for rid, n in counts.items() if n > 1)
    if shared:
        example = ", ".join(repr(s) for s in shared[:3])
        print(f"gongkai: warning: {len(shared)} report ids are shared by several inputs "
              f"({example}{', ...' if len(shared) > 3 else ''}); in the dataset their rows "
              "differ only by position", file=stream or sys.stderr)
