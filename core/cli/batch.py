"""``gongkai convert DIR_OR_GLOB... -o OUTDIR [--dataset FILE]``: the batch side of convert.

Converts every report found, one output per input and/or one dataset of all their cells, in
parallel, with a progress bar on a terminal; then a summary and the list of failures on
standard error. Exit status: 0 when every input converted (or was up to date), 1 when any
failed, 2 for a usage error (nothing was converted).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

import attrs

from gongkai.cli.commands.common import add_timeout_option
from gongkai.errors import UsageError
from gongkai.naming import RealPaths, is_pattern, reader_extensions

if TYPE_CHECKING:
    from gongkai.batch.runner import Result
    from gongkai.engine.manager import Engine

# The batch machinery (multiprocessing, the dataset writers) is imported when a batch runs:
# converting one report, the common command, starts without it.

log = logging.getLogger("gongkai")

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
                            "datapackage.json beside it, .jsonl or .parquet; - for CSV on "
                            "standard output) or one RDF Data Cube graph (.ttl, .nt, .jsonld)")
    group.add_argument("--license", metavar="LICENSE",
                       help="the dataset's licence, an SPDX identifier (CC-BY-4.0) or an IRI: "
                            "in its DCAT description and datapackage.json (default: [batch] "
                            "license of the configuration)")
    group.add_argument("-j", "--jobs", type=_positive, metavar="N",
                       help="worker processes (default: the number of cores)")
    add_timeout_option(group)
    group.add_argument("--force", action="store_true",
                       help="convert again inputs whose output is up to date (made from the "
                            "same input, options and plugins)")
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
    #: Files in the directories searched that no reader takes: ``(path, reason)``.
    passed_over: list[tuple[str, str]] = attrs.field(factory=list)
    #: Inputs skipped for a reason (not a regular file), listed after the summary.
    not_regular: list[Result] = attrs.field(factory=list)

    def add(self, result: Result) -> None:
        log.debug("%s: %s", result.path, result.status)
        if result.status == "failed":
            self.failed.append(attrs.evolve(result, data=""))
        elif result.status == "skipped" and result.error is not None:
            self.not_regular.append(attrs.evolve(result, data=""))
        elif result.status == "skipped":
            self.skipped += 1
        else:
            self.converted += 1
            self.with_findings += result.findings > 0

    @property
    def done(self) -> int:
        return self.converted + self.skipped + len(self.failed) + len(self.not_regular)


def run_batch(args: argparse.Namespace, engine: Engine, writer_options: Mapping[str, str],
              *, outdir: str | None, dataset: str | None, fmt: str | None = None,
              to: str = "json") -> int:
    """Convert the inputs found to a file each under ``outdir`` and/or one ``dataset`` file
    (``-``: standard output) in format ``fmt`` (csv, jsonl, parquet or nt; default: from the
    dataset's extension)."""
    from gongkai.batch.progress import ProgressBar, wants_progress
    from gongkai.batch.runner import BatchOptions, plan, run
    from gongkai.config import load_config
    from gongkai.outputs.dataset import (
        CHUNK_FORMAT,
        STDOUT,
        ResumableDataset,
        dataset_format,
        dataset_writer,
    )

    if not outdir and not dataset:
        raise UsageError("converting a directory, a pattern or several reports needs "
                         "-o OUTDIR (a file per report) or --dataset FILE (one table)")
    fmt = fmt or (dataset_format(dataset) if dataset else None)
    if dataset and os.path.isdir(dataset):
        raise UsageError(f"the dataset {dataset!r} is a directory")
    if fmt == "parquet":
        from gongkai.outputs.parquet import arrow_schema

        arrow_schema()  # no pyarrow: say so now, not after converting everything
    config = load_config(getattr(args, "config", None))
    dataset_opts = (_dataset_options(args, fmt, engine, config, to=to, outdir=outdir)
                    if fmt else {})
    excluded = [dataset] if dataset and dataset != STDOUT else []
    inputs, outputs = plan(args.input, outdir=outdir, to=to, engine=engine, exclude=excluded,
                           writer_options=writer_options)
    if not inputs:
        raise UsageError("no reports found in " + ", ".join(repr(i) for i in args.input))
    options = BatchOptions(
        outdir=os.path.abspath(outdir) if outdir else None,
        to=to, writer_options=dict(writer_options), force=args.force,
        dataset=CHUNK_FORMAT[fmt] if fmt else None, dataset_options=dataset_opts,
        keep_reports=False, reader=args.reader, encoding=args.encoding,
        max_bytes=args.max_bytes, config=config,
        plugins=tuple(getattr(args, "plugins", None) or ()), timeout=args.timeout or None,
    )
    log.info("%d reports found in %s", len(inputs), ", ".join(args.input))
    bar = ProgressBar(len(inputs)) if wants_progress(args.quiet) else None
    summary = Summary(total=len(inputs), passed_over=passed_over(
        args.input, [i.path for i in inputs],
        [p for p in (args.output, dataset) if p], reader_extensions(engine)))
    finished = 0

    def on_done(count: int) -> None:
        nonlocal finished
        finished += count
        if bar is not None:
            bar.update(finished, len(summary.failed), force=finished == len(inputs))

    start = time.monotonic()
    try:
        if dataset:
            if dataset == STDOUT:  # nothing to keep for a next run
                with dataset_writer(dataset, fmt, dataset_opts) as stream:
                    for result in run(inputs, outputs, options, engine=engine, jobs=args.jobs,
                                      on_done=on_done):
                        stream.write(result.data)
                        summary.add(result)
            else:  # written as it grows: an interrupted run keeps its chunks for the next one
                with ResumableDataset(dataset, fmt, dataset_opts) as table:
                    kept = table.stamps if not outdir and not args.force else {}
                    for result in run(inputs, outputs, options, engine=engine, jobs=args.jobs,
                                      on_done=on_done, previous_chunks=kept):
                        if (result.status == "skipped" and not result.data
                                and result.path in kept and result.stamp == kept[result.path]):
                            table.add_previous(result.path)
                        else:
                            table.add(result.path, result.stamp, result.data, result.codes)
                        summary.add(result)
        else:
            results = run(inputs, outputs, options, engine=engine, jobs=args.jobs,
                          on_done=on_done)
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
    print_summary(summary, time.monotonic() - start, quiet=args.quiet,
                  dataset="standard output" if dataset == STDOUT else dataset, outdir=outdir)
    return EXIT_SOME_FAILED if summary.failed else 0


def _dataset_options(args: argparse.Namespace, fmt: str, engine: Engine, config, *,
                     to: str, outdir: str | None) -> dict[str, str]:
    """The dataset's options: ``[writers.rdf]`` for an RDF dataset, then ``-O`` (an option
    that neither the dataset nor, with -o, the per-report writer takes is an error), then
    ``[batch] license`` and ``--license``."""
    from gongkai.cli.commands.common import parse_options
    from gongkai.outputs.dataset import OPTIONS, RDF_FORMATS, dataset_options
    from gongkai.pipeline import writer_for

    given = parse_options(getattr(args, "options", None) or [])
    others = {o.name for o in writer_for(engine, to).item.options} if outdir else set()
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
        from gongkai.plugins.rdf_writer import license_iri

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
        if summary.not_regular:
            parts.append(f"{len(summary.not_regular)} skipped")
        parts.append(f"{len(summary.failed)} failed")
        print(f"gongkai: {summary.total} reports: {', '.join(parts)} "
              f"in {elapsed:.1f}s ({rate:.0f}/s)", file=stream)
        written = [w for w in (outdir and f"files in {outdir}", dataset and f"dataset {dataset}")
                   if w]
        if written and not quiet:
            print(f"gongkai: wrote {' and '.join(written)}", file=stream)
    if summary.passed_over and not quiet:
        print(f"passed over {len(summary.passed_over)} files:", file=stream)
        for path, reason in summary.passed_over[:SHOWN_PASSED_OVER]:
            print(f"  {path}: {reason}", file=stream)
        if len(summary.passed_over) > SHOWN_PASSED_OVER:
            print(f"  ... and {len(summary.passed_over) - SHOWN_PASSED_OVER} more", file=stream)
    if summary.not_regular and not quiet:
        print("skipped:", file=stream)
        for result in summary.not_regular:
            print(f"  {result.error.format() if result.error else result.path}", file=stream)
    if summary.failed:
        print("failed:", file=stream)
        for result in summary.failed:
            reason = result.error.format() if result.error else result.path
            print(f"  {reason}", file=stream)


#: The files a summary names of those no reader takes (the count says how many more).
SHOWN_PASSED_OVER = 20


def passed_over(sources: Sequence[str], inputs: Sequence[str], exclude: Sequence[str] = (),
                extensions: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The files of the directories among ``sources`` that the batch does not convert (no
    reader declares their extension), each with the reason (gongkai.read.formats knows what many
    formats are and what to do with them). A hidden file is listed only when a reader takes
    its extension (``.report.txt``: skipped as hidden, which might surprise); hidden
    directories are not looked into."""
    from gongkai.read.formats import unreadable

    # Every file of the corpus is looked up: each directory resolved once (a realpath per
    # file was a tenth of a second per 2,000 files, before the workers could start).
    given = set(inputs)  # (discovery names them as the walk below does)
    real = RealPaths()
    skip: set[str] | None = None  # what a file that is not given as named may resolve to
    excluded = {os.path.realpath(p) for p in exclude}
    out = []
    for source in sources:
        if not os.path.isdir(source):
            continue
        for directory, dirs, files in os.walk(source):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.realpath(
                os.path.join(directory, d)) not in excluded)
            for name in sorted(files):
                path = os.path.join(directory, name)
                if path in given:
                    continue
                if skip is None:
                    skip = {real(p) for p in inputs} | excluded
                if real(path) in skip:
                    continue
                if name.startswith("."):
                    if os.path.splitext(name)[1].lower() in extensions:
                        out.append((path, "hidden (its name starts with a dot): name the file "
                                          "itself to convert it"))
                    continue
                out.append((path, _why_not(path, name, unreadable)))
    return out


def _why_not(path: str, name: str, unreadable) -> str:
    try:
        if not os.path.isfile(path):
            return "not a regular file"
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    reason = unreadable(head, name)
    if reason is not None:
        return reason
    ext = os.path.splitext(name)[1]
    return (f"no reader takes {ext!r} files (rename it, or name the file itself with --from)"
            if ext else "no reader takes files without an extension (name the file itself "
            "with --from)")
