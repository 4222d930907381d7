"""Converting a corpus: many reports, in parallel worker processes, results in input order.

``convert_many(sources)`` finds the reports (files, directories searched recursively, glob
patterns), converts each in a pool of worker processes and yields one :class:`Result` per
input — the report or the error — in sorted path order, whatever order the workers finish in.
Memory stays flat however many inputs there are: only a bounded window of inputs is in flight
or waiting for its turn at any time.

Optionally each report is also written to its own file under an output directory (names from
:mod:`gongkai.naming`; an output recorded as made from the same input bytes with the same
options, plugins and version, and still whole, is kept, not redone, unless ``force``: see
:mod:`gongkai.batch.resume`),
and formatted as dataset rows (:mod:`gongkai.outputs.dataset`) by the worker, so that the caller
only has to append text.

The command line (``gongkai convert DIR... -o OUTDIR``) is :mod:`gongkai.cli.batch`.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import gc
import hashlib
import io
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from gongkai.batch.resume import Entry, Manifest, run_key, stamp_digest, verified
from gongkai.config import Config
from gongkai.engine import guard
from gongkai.engine.manager import Engine, default_engine
from gongkai.errors import GongkaiError, InputError, OutputError, UsageError
from gongkai.model import Report, Severity
from gongkai.naming import (
    Input,
    find_reports,
    output_names,
    reader_extensions,
    report_ids,
    source_names,
)
from gongkai.outputs.atomic import (
    atomic_writer,
    can_sync_later,
    remove_stale_temporaries,
    sync_directory,
)
from gongkai.outputs.datapackage import unknown_codes
from gongkai.outputs.dataset import CHUNK_FORMAT, RDF_FORMATS, csv_file_chunk, report_chunk
from gongkai.pipeline import DEFAULT_MAX_BYTES, convert_digested, read_file, write, writer_for

__all__ = ["BatchOptions", "Input", "Result", "convert_many", "find_reports", "run"]

#: What happened to an input.
CONVERTED, SKIPPED, FAILED = "converted", "skipped", "failed"


@attrs.frozen
class Result:
    """The outcome of one input."""

    #: Position of the input in the sorted list of inputs.
    index: int
    path: str
    #: ``converted``, ``skipped`` (its output is up to date: made from the same input with
    #: the same options and plugins, and whole; or it is not a regular file:
    #: then ``error`` says why) or ``failed``.
    status: str
    #: The report (when converted and asked for with ``keep_reports``).
    report: Report | None = None
    #: Why the input failed (or was skipped, when it is not a regular file).
    error: GongkaiError | None = None
    #: The output file written (or kept, when skipped), if there is an output directory;
    #: None for a failed input (nothing was written for it).
    output: str | None = None
    #: Diagnostics of severity warning or error the conversion found (0 when skipped).
    findings: int = 0
    #: The report's dataset rows as text, when a dataset format was asked for ("" when
    #: skipped because the chunk of the last run still holds: see ``previous_chunks``).
    data: str = ""
    #: What the output (or dataset chunk) was made from (gongkai.batch.resume.stamp), "" if none.
    stamp: str = ""
    #: The codes of the report's dataset rows that gongkai.layouts.codes does not list (a
    #: regional variant's), for a CSV dataset's descriptions
    #: (gongkai.outputs.datapackage.unknown_codes); None when not known (not converted).
    codes: frozenset[tuple[str, str]] | None = None

    @property
    def ok(self) -> bool:
        return self.status != FAILED


@attrs.frozen
class BatchOptions:
    """How each input is converted; sent once to every worker process."""

    #: Output directory for one file per input (None: no per-input files).
    outdir: str | None = None
    #: Format of the per-input files (a writer name) and the writer's options.
    to: str = "json"
    writer_options: Mapping[str, str] = attrs.field(factory=dict)
    #: Redo inputs whose output is up to date.
    force: bool = False
    #: ``csv``, ``jsonl`` or an RDF format (``turtle``, ``nt``, ``json-ld``): format every
    #: report as dataset text (Result.data), with these options (gongkai.outputs.dataset.OPTIONS).
    dataset: str | None = None
    dataset_options: Mapping[str, str] = attrs.field(factory=dict)
    #: Send every Report back to the caller (the Python API); the CLI does not need them.
    keep_reports: bool = True
    reader: str | None = None
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    #: The configuration (rule settings) every report is validated with.
    config: Config | None = None
    #: Extra plugin modules, for worker processes that cannot inherit the caller's engine.
    plugins: tuple[str, ...] = ()
    #: Seconds one input may take (None: no limit); past it the input fails, naming the
    #: plugin that was running, and the batch goes on.
    timeout: float | None = guard.DEFAULT_TIMEOUT
    #: What, besides the input, makes an output what it is (gongkai.batch.resume.run_key; set by
    #: run()).
    run_key: str = ""


#: An input's report id and source (its path relative to the input root).
Identity = tuple[str, str]
#: One input to convert: its index, path, output file (or None), identity and the record of
#: its output's last run.
Task = tuple[int, str, "str | None", "Identity | None", "Entry | None"]


def identities(inputs: Sequence[Input]) -> list[Identity]:
    """The report id and source of each input of a batch (docs/codes.md, report identity)."""
    return list(zip(report_ids(inputs), source_names(inputs), strict=True))


# -- the work on one input (runs in a worker process) ------------------------------------------


#: The output directories this run has made and found inside its output directory: each is
#: made and resolved once per process (a mkdir and two realpaths were a few percent of a
#: small report's work). Cleared when a run starts.
_checked_dirs: set[tuple[str, str]] = set()


def _output_dir(output: str, outdir: str | None) -> None:
    """Make the output's directory, refusing one that leads outside ``outdir``."""
    directory = os.path.dirname(output)
    key = (directory, outdir or "")
    if key in _checked_dirs:
        return
    os.makedirs(directory, exist_ok=True)
    _check_inside(output, outdir or directory)
    _checked_dirs.add(key)


def _check_inside(output: str, outdir: str) -> None:
    """Refuse an output whose directory leads outside the output directory (a symlink)."""
    root = os.path.realpath(outdir)
    where = os.path.realpath(os.path.dirname(output))
    if where != root and not where.startswith(root.rstrip(os.sep) + os.sep):
        raise OutputError("refusing to write outside the output directory (a symbolic link "
                          "leads elsewhere)", path=output)


def _findings(report: Report) -> int:
    return sum(1 for d in report.diagnostics if d.severity is not Severity.INFO)


class NotRegular(InputError):
    """The input is a FIFO, a device or a socket: a batch skips it (reading could block)."""


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def _check_regular(path: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # missing, unreadable...: reading it says so
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise NotRegular(f"skipped: {kind}, not a regular file", path=path)


Outcome = tuple[str, "Report | None", int, str, "Entry | None"]


def convert_one(path: str, output: str | None, options: BatchOptions, engine: Engine,
                ident: Identity | None = None, previous: Entry | None = None) -> Outcome:
    """Convert one input: ``(status, report, findings, dataset text, output record)``;
    raises on failure (within ``options.timeout`` seconds).

    ``ident``: the report id and source the batch gave the input (:func:`plan`);
    ``previous``: the record of the output the last run wrote, kept when it is still what
    this run would write.
    """
    _check_regular(path)
    return guard.time_limited(
        options.timeout, lambda: _convert_one(path, output, options, engine, ident, previous),
        path)


def _convert_one(path: str, output: str | None, options: BatchOptions, engine: Engine,
                 ident: Identity | None, previous: Entry | None) -> Outcome:
    data = read_file(path, options.max_bytes)
    digest = hashlib.sha256(data)  # for the stamp and the report's metadata: hashed once
    # The report id and source are part of what an output is made from.
    made_from = stamp_digest(digest.digest(), options.run_key + ascii(ident))
    if (output is None and options.dataset and not options.force and previous is not None
            and previous.stamp == made_from):
        return SKIPPED, None, 0, "", previous  # its chunk of the last, interrupted run holds
    if (output and not options.force and previous is not None
            and previous.stamp == made_from and verified(output, previous)):
        text = ""
        if options.dataset:
            if options.to == "csv" and ident is not None and options.dataset not in RDF_FORMATS:
                try:  # the output is this report's tidy CSV: its rows are the dataset's
                    text = csv_file_chunk(output, options.dataset, *ident)
                except (OSError, ValueError, UnicodeDecodeError, csv.Error):
                    pass
                else:
                    return SKIPPED, None, 0, text, previous
            report = _convert(data, digest.hexdigest(), path, options, engine, ident)
            text = report_chunk(report, options.dataset, options.dataset_options)
        return SKIPPED, None, 0, text, previous
    report = _convert(data, digest.hexdigest(), path, options, engine, ident)
    entry = None
    if output:
        _output_dir(output, options.outdir)
        entry = _write_output(report, output, made_from, options, engine)
    elif options.dataset:
        entry = Entry(made_from, -1, "")  # no output: the stamp of the dataset chunk only
    text = (report_chunk(report, options.dataset, options.dataset_options) if options.dataset
            else "")
    return CONVERTED, report, _findings(report), text, entry


def _write_output(report: Report, output: str, made_from: str, options: BatchOptions,
                  engine: Engine) -> Entry:
    """Write one report's file (atomically) and return its record: the text is made in memory,
    so its size and digest come from the bytes written, not from reading the file back. Not
    synced to disk here where the batch syncs its output directory at the end (run())."""
    text = io.StringIO(newline="")
    write(report, options.to, text, options=options.writer_options, engine=engine)
    data = text.getvalue().encode("utf-8")
    with atomic_writer(output, binary=True, sync=not can_sync_later()) as stream:
        stream.write(data)
    return Entry(made_from, len(data), hashlib.sha256(data).hexdigest())


def _convert(data: bytes, sha256: str, path: str, options: BatchOptions, engine: Engine,
             ident: Identity | None) -> Report:
    report_id, source = ident or (None, None)
    try:
        return convert_digested(data, sha256, filename=path, engine=engine, reader=options.reader,
                             encoding=options.encoding, max_bytes=options.max_bytes,
                             config=options.config, report_id=report_id, source=source)
    except UsageError:  # a wrong argument (--from NAME), not this file's fault
        raise
    except GongkaiError as exc:
        raise exc.located(path) from None


# Worker state: set by the initializer (or inherited through fork).
_worker: dict[str, Any] = {}


def _init_worker(options: BatchOptions) -> None:
    # Ctrl-C reaches every process of the terminal's group; the parent alone decides what to
    # do (finish the inputs in flight, then stop), so a worker never dies in mid-write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # (A forked worker inherits the command's SIGTERM handler; its own is the default.)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _watch_parent(os.getppid())
    engine = _worker.get("engine")
    if engine is None:
        engine = Engine(plugins=options.plugins) if options.plugins else default_engine()
    _worker.update(engine=engine, options=options)


#: How often a worker looks whether the parent still runs, in seconds.
PARENT_WATCH_SECONDS = 0.5


def _watch_parent(parent: int) -> None:
    """End this worker when the parent is gone (killed with SIGKILL, its clean-up never ran):
    a forked worker holds its own end of the task queue and would wait on it for ever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="gongkai-parent-watch", daemon=True).start()


def _pack_error(exc: BaseException, path: str) -> tuple:
    """An error as picklable parts: exceptions pickle their args only, losing path and line."""
    if not isinstance(exc, GongkaiError):
        exc = GongkaiError(f"internal error: {exc!r}", path=path)
    exc.located(path)
    return type(exc), exc.args, dict(vars(exc))


def _unpack_error(packed: tuple) -> GongkaiError:
    cls, args, state = packed
    error = Exception.__new__(cls)
    Exception.__init__(error, *args)
    vars(error).update(state)
    return error


def _run_chunk(chunk: Sequence[Task]) -> list[tuple]:
    """Convert a few inputs; one plain tuple per input, cheap to send back."""
    options: BatchOptions = _worker["options"]
    engine: Engine = _worker["engine"]
    out = []
    for index, path, output, ident, previous in chunk:
        try:
            status, report, findings, data, entry = convert_one(path, output, options,
                                                                engine, ident, previous)
        except NotRegular as exc:
            out.append((index, SKIPPED, None, _pack_error(exc, path), 0, "", None, None))
            continue
        except BaseException as exc:  # one bad input never stops the batch (SystemExit too)
            if isinstance(exc, KeyboardInterrupt):
                raise
            out.append((index, FAILED, None, _pack_error(exc, path), 0, "", None, None))
            continue
        # A CSV dataset's descriptions list the codes beyond the known: found here, in the
        # worker, rather than by reading the whole dataset back at the end.
        codes = (unknown_codes(report) if options.dataset == "csv" and report is not None
                 else None)
        out.append((index, status, report if options.keep_reports else None, None, findings,
                    data, entry, codes))
    return out


# -- the pool ----------------------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    # fork: workers start at once and inherit the loaded plugins and the built grammar.
    # Elsewhere (macOS, Windows) fork is unsafe or absent: spawn, and rebuild the engine.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _warm(engine: Engine) -> None:
    """Build what every conversion needs once, before the workers are forked."""
    from gongkai.parse.fastparse import lexers
    from gongkai.pipeline import interpreter

    lexers()  # (Lark's parser itself is built only in a worker that meets a text for it)
    interpreter(engine)


def _chunks(tasks: Sequence[Task], size: int):
    for i in range(0, len(tasks), size):
        yield list(tasks[i:i + size])


def _results_in_pool(tasks: list[Task], options: BatchOptions,
                     engine: Engine, jobs: int,
                     on_done: Callable[[int], None]) -> Iterator[tuple]:
    """Run chunks of tasks in worker processes; yield raw results in task order.

    At most ``window`` inputs are in flight or finished and waiting for their turn, so memory
    is bounded whatever the number of inputs. A worker that dies (killed, out of memory)
    breaks the pool: a new pool retries the inputs that were in flight one at a time, so only
    the input that kills a worker fails. An input stuck where the time limit cannot stop it
    (code that never comes back to Python) is caught the same way: when nothing finishes for
    longer than the limit allows, the workers are killed.
    """
    size = max(1, min(16, len(tasks) // (jobs * 8)))
    window = jobs * size * 4
    pending: deque[list] = deque(_chunks(tasks, size))
    suspects: deque[Task] = deque()
    ready: dict[int, tuple] = {}
    order = iter([t[0] for t in tasks])
    next_index = next(order, None)
    in_flight: dict[cf.Future, list] = {}
    flying = 0  # inputs in flight

    forked = _context().get_start_method() == "fork"
    if forked:
        _warm(engine)
        _worker["engine"] = engine
        # What the workers inherit is kept out of the cyclic collector's way: a full collection
        # in a worker would walk (and so copy, page by page) every object of the parent.
        gc.freeze()
    executor = _executor(jobs, options)
    killed = False  # the workers were killed for taking too long
    try:
        while next_index is not None:
            if suspects:  # after a worker died: one input at a time, to find the culprit
                if not in_flight:
                    task = suspects.popleft()
                    in_flight[executor.submit(_run_chunk, [task])] = [task]
                    flying += 1
            else:
                while pending and (not in_flight
                                   or flying + len(ready) + len(pending[0]) <= window):
                    chunk = pending.popleft()
                    in_flight[executor.submit(_run_chunk, chunk)] = chunk
                    flying += len(chunk)
            careful = len(in_flight) == 1 and len(next(iter(in_flight.values()))) == 1
            done, _ = cf.wait(in_flight, timeout=_patience(options.timeout, 1 if careful else size),
                              return_when=cf.FIRST_COMPLETED)
            if not done:  # stuck beyond what the time limit allows: stop every worker
                _kill(executor)
                killed = True
                done, _ = cf.wait(in_flight)  # every one fails now: the pool is broken
            broken: list[Task] = []
            for future in done:
                chunk = in_flight.pop(future)
                flying -= len(chunk)
                try:
                    results = future.result()
                except cf.process.BrokenProcessPool:
                    broken.extend(chunk)
                    continue
                except Exception as exc:  # a result that cannot be sent back (unpicklable)
                    if len(chunk) > 1:
                        suspects.extend(chunk)  # retried alone: only the culprit fails
                    else:
                        ready[chunk[0][0]] = _failed(chunk[0], "the worker could not send its "
                                                     f"result back: {exc!r}")
                        on_done(1)
                    continue
                for result in results:
                    ready[result[0]] = result
                on_done(len(results))
            if broken:
                for future, chunk in in_flight.items():
                    future.cancel()
                    broken.extend(chunk)
                in_flight.clear()
                flying = 0
                if careful and len(broken) == 1:
                    ready[broken[0][0]] = (_stuck(broken[0], options.timeout) if killed
                                           else _died(broken[0]))
                    on_done(1)
                else:
                    suspects.extend(sorted(broken))
                killed = False
                executor.shutdown(wait=True, cancel_futures=True)
                executor = _executor(jobs, options)
            while next_index in ready:
                yield ready.pop(next_index)
                next_index = next(order, None)
    finally:
        # Ctrl-C or the caller stopped early: drop what has not started, let the inputs in
        # flight finish (each output is written whole or not at all), then stop the workers.
        executor.shutdown(wait=True, cancel_futures=True)
        _worker.pop("engine", None)
        if forked:
            gc.unfreeze()


#: Seconds past the time limit before the parent kills workers that have not come back.
GRACE_SECONDS = 10.0


def _patience(timeout: float | None, inputs: int) -> float | None:
    """How long to wait for a chunk of ``inputs`` before taking its worker for stuck."""
    return None if not timeout else timeout * inputs + GRACE_SECONDS


def _kill(executor: cf.ProcessPoolExecutor) -> None:
    # The pool has no API for it: its processes are killed, which breaks it (every future
    # in flight fails with BrokenProcessPool, and the inputs are retried one at a time).
    for process in list(getattr(executor, "_processes", {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            process.kill()


def _executor(jobs: int, options: BatchOptions) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                  initializer=_init_worker, initargs=(options,))


def _failed(task: Task, message: str) -> tuple:
    index, path = task[0], task[1]
    error = _pack_error(GongkaiError(message, path=path), path)
    return index, FAILED, None, error, 0, "", None, None


def _stuck(task: Task, timeout: float | None) -> tuple:
    error = guard.timeout_error(timeout or 0, None, task[1])
    error.message += "; its worker process was killed"
    error.args = (error.message,)
    return task[0], FAILED, None, _pack_error(error, task[1]), 0, "", None, None


def _died(task: Task) -> tuple:
    return _failed(task, "the worker process converting this input died (out of memory?)")


def _results_here(tasks: list[Task], options: BatchOptions,
                  engine: Engine, on_done: Callable[[int], None]) -> Iterator[tuple]:
    _worker.update(engine=engine, options=options)
    try:
        for task in tasks:
            (result,) = _run_chunk([task])
            on_done(1)
            yield result
    finally:
        _worker.clear()


# -- the API -----------------------------------------------------------------------------------


def plan(sources: Iterable[str | os.PathLike], *, outdir: str | os.PathLike | None = None,
         to: str = "json", engine: Engine | None = None,
         exclude: Iterable[str | os.PathLike] = (),
         writer_options: Mapping[str, str] | None = None
         ) -> tuple[list[Input], list[str | None]]:
    """The inputs found under ``sources`` and the output file of each (None without outdir).

    Each input's report id and source follow from the list: :func:`identities`.
    """
    engine = engine or default_engine()
    excluded = [os.fspath(e) for e in exclude]
    if outdir is not None:
        excluded.append(os.fspath(outdir))
    inputs = find_reports(sources, extensions=reader_extensions(engine), exclude=excluded)
    if outdir is None:
        return inputs, [None] * len(inputs)
    writer = writer_for(engine, to).item
    # A writer whose options choose the serialization names the files after it (rdf nt: .nt).
    extension = (writer.extension_for(writer_options or {}) if writer.extension_for
                 else writer.extension)
    root = os.path.abspath(os.fspath(outdir))
    names = output_names(inputs, extension)
    return inputs, [os.path.join(root, *name.split("/")) for name in names]


def convert_many(
    sources: Iterable[str | os.PathLike],
    *,
    jobs: int | None = None,
    outdir: str | os.PathLike | None = None,
    to: str = "json",
    writer_options: Mapping[str, str] | None = None,
    force: bool = False,
    dataset: str | None = None,
    dataset_options: Mapping[str, str] | None = None,
    keep_reports: bool = True,
    reader: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    config: Config | None = None,
    engine: Engine | None = None,
    plugins: Sequence[str] = (),
    on_done: Callable[[int], None] | None = None,
    report_ids: Callable[[Input], str] | None = None,
    timeout: float | None = guard.DEFAULT_TIMEOUT,
) -> Iterator[Result]:
    """Convert every report found under ``sources``; one :class:`Result` per input, in order.

    :param sources: report files, directories (searched recursively for the file extensions
        the readers declare) and glob patterns (``"crawl/**/*.txt"``).
    :param jobs: worker processes (default: the number of cores; 1 converts in this process).
    :param outdir: also write each report to its own file here, in format ``to``; an input
        whose output is up to date (gongkai.batch.resume) is skipped unless ``force``.
    :param dataset: ``"csv"``, ``"jsonl"`` or an RDF serialization (``"turtle"``, ``"nt"``,
        ``"json-ld"``): give each result its tidy rows (or its graph) as text (data).
    :param keep_reports: set False when only outputs or dataset rows are wanted: the reports
        then stay in the workers instead of being sent back.
    :param plugins: extra plugin modules (the engine is built from them in each worker when
        worker processes cannot inherit ``engine``).
    :param on_done: called with a count each time inputs finish, in completion order (for a
        progress display).
    :param report_ids: gives each found :class:`Input` its report id, instead of its path
        relative to the input root (docs/codes.md); an id given twice is a UsageError.
    :param timeout: seconds one input may take (None: no limit); a stuck input or plugin
        fails with an error naming the plugin, and the others go on.

    Errors of single inputs are results, never raised; consuming the iterator only raises for
    a mistake in the arguments (UsageError) or an interruption.
    """
    engine = engine or (Engine(plugins=plugins) if plugins else default_engine())
    formats = tuple(dict.fromkeys(CHUNK_FORMAT.values()))
    if dataset not in (None, *formats):
        raise UsageError(f"dataset format must be one of {', '.join(formats)}, not "
                         f"{dataset!r}")
    if outdir is not None:
        writer_for(engine, to)  # an unknown format fails now, not once per input
    inputs, outputs = plan(sources, outdir=outdir, to=to, engine=engine,
                           writer_options=writer_options)
    options = BatchOptions(
        outdir=os.path.abspath(os.fspath(outdir)) if outdir is not None else None,
        to=to, writer_options=dict(writer_options or {}), force=force, dataset=dataset,
        dataset_options=dict(dataset_options or {}), keep_reports=keep_reports, reader=reader,
        encoding=encoding, max_bytes=max_bytes,
        config=config, plugins=tuple(plugins), timeout=timeout,
    )
    idents = None
    if report_ids is not None:
        idents = list(zip(_given_ids(inputs, report_ids), source_names(inputs), strict=True))
    return run(inputs, outputs, options, engine=engine, jobs=jobs, on_done=on_done,
               idents=idents)


def _given_ids(inputs: Sequence[Input], report_ids: Callable[[Input], str]) -> list[str]:
    ids = [report_ids(i) for i in inputs]
    for rid, i in zip(ids, inputs, strict=True):
        if not isinstance(rid, str) or not rid:
            raise UsageError(f"report_ids gave {rid!r} for {i.path!r}: an id is a non-empty "
                             "string")
    seen: dict[str, str] = {}
    for rid, i in zip(ids, inputs, strict=True):
        if rid in seen:
            raise UsageError(f"report_ids gave the id {rid!r} to two inputs: {seen[rid]!r} "
                             f"and {i.path!r}")
        seen[rid] = i.path
    return ids


def run(inputs: Sequence[Input], outputs: Sequence[str | None], options: BatchOptions, *,
        engine: Engine | None = None, jobs: int | None = None,
        on_done: Callable[[int], None] | None = None,
        idents: Sequence[Identity] | None = None,
        previous_chunks: Mapping[str, str] | None = None) -> Iterator[Result]:
    """Convert planned inputs (see :func:`plan`); one :class:`Result` each, in input order.

    ``idents``: each input's report id and source (default: :func:`identities`).
    ``previous_chunks``: for inputs without an output file, the stamp of each one's dataset
    chunk kept from an interrupted run (gongkai.outputs.dataset.ResumableDataset): an input made
    from the same bytes and options is ``skipped`` with no data, its old chunk to be used.
    """
    engine = engine or default_engine()
    manifest = None
    _checked_dirs.clear()  # (each run looks at its output directories afresh)
    if options.outdir:
        if os.path.exists(options.outdir) and not os.path.isdir(options.outdir):
            raise UsageError(f"the output directory {options.outdir!r} is a file")
        try:
            os.makedirs(options.outdir, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot make the output directory: {exc.strerror or exc}",
                              path=options.outdir) from None
        remove_stale_temporaries(options.outdir)  # what killed runs left
        manifest = Manifest(options.outdir)
    if options.outdir or options.dataset:
        options = attrs.evolve(options, run_key=run_key(
            to=options.to, writer_options=options.writer_options, reader=options.reader,
            encoding=options.encoding, max_bytes=options.max_bytes, config=options.config,
            engine=engine) + repr((options.dataset, sorted(options.dataset_options.items()))))
    chunks = previous_chunks or {}
    tasks = [(i, inp.path, out, ident, manifest.get(out) if manifest and out
              else (Entry(chunks[inp.path], -1, "") if inp.path in chunks else None))
             for i, (inp, out, ident) in enumerate(
                 zip(inputs, outputs, idents or identities(inputs), strict=True))]
    jobs = min(jobs or default_jobs(), max(len(tasks), 1))
    notify = on_done or (lambda n: None)
    raw = (_results_here(tasks, options, engine, notify) if jobs <= 1
           else _results_in_pool(tasks, options, engine, jobs, notify))
    finished = False
    try:
        for index, status, report, error, findings, data, entry, codes in raw:
            output = tasks[index][2]
            if manifest is not None and entry is not None and output:
                manifest.record(output, entry)
            yield Result(
                index=index, path=tasks[index][1], status=status, report=report,
                error=_unpack_error(error) if error else None,
                output=None if status == FAILED else output,  # nothing written for it
                findings=findings, data=data, stamp=entry.stamp if entry else "", codes=codes,
            )
        finished = True
    finally:
        if manifest is not None:
            if can_sync_later():  # the outputs on disk before the manifest that records them
                sync_directory(options.outdir)
            manifest.close(compact=finished)
