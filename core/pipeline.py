"""The conversion pipeline: read → normalize → parse → interpret → validate → write.

Each stage is a function of the one before; the model (gongkai.model) is what interpret
produces and what validate and write consume. ``convert_text`` is pure — text in, Report out —
so it can be mapped over a corpus by any scheduler (see docs/python.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO, TextIO

import attrs

from gongkai.config import Config
from gongkai.display import unicode_text
from gongkai.engine import guard
from gongkai.engine.manager import Contribution, Engine, default_engine
from gongkai.engine.plugin_types import ReadOptions, Source
from gongkai.errors import GongkaiError, InputError, NotAReportError, PluginError, UsageError
from gongkai.interpret.interpreter import Interpreter, LayoutChoice, RawText
from gongkai.interpret.metadata import find_metadata
from gongkai.layouts.codes import load_codes
from gongkai.model import Diagnostic, Metadata, Report, Severity
from gongkai.naming import file_name_text, id_of
from gongkai.normalize.chrome import blank_chrome
from gongkai.normalize.normalizers import normalize
from gongkai.parse.document import parse
from gongkai.parse.tabulate import tabulate
from gongkai.parse.together import detach
from gongkai.read.decode import looks_binary, transcode, wide_encoding
from gongkai.read.formats import unreadable
from gongkai.suggest import did_you_mean
from gongkai.validate.validator import validate

log = logging.getLogger("gongkai")

#: The "reader" that takes gongkai's own JSON back (gongkai.read.deserialize): no reading, no
#: conversion, no rules run again — the report is the one that was written.
JSON_READER = "json"
#: Inputs larger than this are refused (override with max_bytes= or --max-bytes).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
SNIFF_BYTES = 4096
#: Table cells (``|`` of the pipe text) one input may hold: a report has some hundreds, one
#: with long annexed lists some thousands. Past it the input is refused before it is parsed:
#: each cell costs some hundred bytes through parsing and interpreting (60 MiB of "|" took
#: 4.5 GB), so this bounds what cells cost to some tens of MB (docs/guarantees.md).
MAX_CELLS = 100_000

def interpreter(engine: Engine) -> Interpreter:
    """The interpreter for an engine's layouts, built once per engine (and kept with it)."""
    def build() -> Interpreter:
        choices = [LayoutChoice(c.item, c.plugin) for c in engine.layouts()]
        identities = [c.item.equations for c in engine.rules() if c.item.equations]
        return Interpreter(load_codes(), choices, identities)

    return engine.derived("interpreter", build)


# -- read ------------------------------------------------------------------------------------


def choose_reader(engine: Engine, head: bytes, filename: str = "",
                  name: str | None = None) -> Contribution:
    """The reader named ``name``, else the one that sniffs the input with the highest score."""
    if name:
        found = engine.registry.get("readers", name)
        if found is None:
            known = ", ".join(sorted(c.name for c in engine.readers())) or "none"
            hint = did_you_mean(name, [c.name for c in engine.readers()])
            raise UsageError(f"--from: unknown reader {name!r}{hint} (available: {known})")
        return found
    best, best_score = None, 0.0
    for contribution in sorted(engine.readers(), key=lambda c: c.name):
        guard.current = contribution.plugin
        try:
            score = float(contribution.item.sniff(head, filename))
        except BaseException as exc:
            if not guard.is_plugin_failure(exc):
                raise
            raise PluginError(
                f"reader {contribution.name!r} of plugin {contribution.plugin!r} failed to "
                f"sniff the input: {exc!r}", plugin=contribution.plugin) from exc
        guard.current = None
        if score > best_score:
            best, best_score = contribution, score
    if best is None:
        reason = unreadable(head, filename)
        if reason is not None:
            raise NotAReportError(reason)
        if looks_binary(head):
            raise NotAReportError(
                "this is a binary file, not a text report (no reader takes it)")
        raise InputError("no reader recognises this input (is it a report at all?)")
    return best


def read(data: bytes, *, engine: Engine, filename: str = "", reader: str | None = None,
         encoding: str | None = None) -> tuple[Source, str]:
    """Read an input's bytes into pipe text; returns the Source and the reader's name."""
    if not data.strip():
        raise NotAReportError("the input is empty")
    wide = wide_encoding(data, encoding)
    if wide:
        # UTF-16 or UTF-32 text (Windows' "Unicode"): every reader sniffs and reads bytes of
        # UTF-8, so the text is given to them as that.
        data, encoding = transcode(data, wide), None
    contribution = choose_reader(engine, data[:SNIFF_BYTES], filename, reader)
    guard.current = contribution.plugin
    try:
        source = contribution.item.read(data, ReadOptions(encoding=encoding, filename=filename))
    except GongkaiError:
        raise
    except BaseException as exc:  # SystemExit too: a plugin never ends the run
        if not guard.is_plugin_failure(exc):
            raise
        raise PluginError(f"reader {contribution.name!r} of plugin {contribution.plugin!r} "
                          f"failed: {exc!r}", plugin=contribution.plugin) from exc
    guard.current = None
    if not isinstance(source, Source) or not isinstance(source.text, str):
        # Checked here, or the plugin's mistake would surface later as a crash of gongkai's.
        raise PluginError(f"reader {contribution.name!r} of plugin {contribution.plugin!r} "
                          f"returned {type(source).__name__}, not a Source with text",
                          plugin=contribution.plugin)
    if not source.text.strip():
        raise NotAReportError("the input has no text")
    if wide and source.encoding == "utf-8":
        source = attrs.evolve(source, encoding=wide)
    return source, contribution.name




# -- normalize, parse, interpret ---------------------------------------------------------------


def build(source: Source, *, engine: Engine, report_id: str, source_path: str = "",
          reader: str = "", relative: str = "", sha256: str = "") -> Report:
    """Normalize, parse and interpret a read Source into a Report (not yet validated)."""
    text, facts = normalize(source.text, [(c.item, c.plugin) for c in engine.normalizers()])
    _check_cells(text)  # before any work proportional to the cells
    interp = interpreter(engine)
    text = blank_chrome(text)  # a crawled page's breadcrumbs, share bar, 附件下载: not report text
    # Rows written together (a crawler's dump, the report one paragraph) get their cells first:
    # the input's text is cut the same way, every new line mapped to the line it was cut from.
    detached = detach(text, source.text, interp.names, interp.section_key,
                      frozenset(t.section for t in interp.codes.tables), interp.label_edges(),
                      interp.label_words())
    together: frozenset[int] = frozenset()
    if detached is not None:
        text, together = detached.text, detached.lines
        source = attrs.evolve(source, text=detached.raw, line_map=tuple(
            source.source_line(n) for n in detached.origins))
    # Tables flattened to bare cells get their bars back first (the layout vocabulary finds them).
    text = tabulate(text, interp.knows)
    _check_cells(text)  # bare cells and cells written together count too
    doc = parse(text)
    sections = interp.sections(doc, source.source_line)
    tables, diagnostics = interp.tables(
        doc, RawText(source.text, source.source_line, positional=source.positional,
                      together=together))
    if not tables and not any(s.key for s in sections):
        raise NotAReportError(
            "this is not a government information disclosure annual report: it has none of "
            "the report's numbered parts and none of its statistical tables"
        )
    diagnostics = (*diagnostics, *_replacement_diagnostics(source))
    found = find_metadata(doc)
    metadata = Metadata(
        report_id=report_id,
        title=found.title,
        agency=found.agency,
        credit_code=found.credit_code,
        year=found.year,
        published=found.published,
        signed=found.signed,
        source_path=source_path,
        source=relative,
        script=facts.get("script", "simplified"),
        encoding=source.encoding,
        reader=reader,
        templates={t.code: t.template for t in tables},
        url=found.url or source.url,
        sha256=sha256,
    )
    return Report(metadata=metadata, sections=sections, tables=tables,
                  diagnostics=diagnostics)


#: Shown for bytes a reader could not decode (gongkai.read.decode replaces a few; see there).
REPLACEMENT = "\ufffd"


def _check_cells(text: str) -> None:
    cells = text.count("|")
    if cells > MAX_CELLS:
        raise InputError(f"the input has {cells:,} table cells, more than the limit of "
                         f"{MAX_CELLS:,} for one report (is it several reports, or not one?)")


def _replacement_diagnostics(source: Source) -> list[Diagnostic]:
    """A warning when the text holds U+FFFD: bytes that could not be decoded, now lost."""
    if REPLACEMENT not in source.text:
        return []
    count = source.text.count(REPLACEMENT)
    line = source.text.count("\n", 0, source.text.index(REPLACEMENT)) + 1
    return [Diagnostic(
        severity=Severity.WARNING, code="undecodable-bytes", line=source.source_line(line),
        message=f"{count} character{'s' if count > 1 else ''} of the input could not be "
                f"decoded ({source.encoding}) and {'are' if count > 1 else 'is'} shown as "
                "U+FFFD; the rest of the text is read",
    )]


# -- validate: gongkai.validate.validator.validate (rules, restored cells, configured severities)
# ---


# -- the whole conversion -----------------------------------------------------------------------


def report_id_for(path: str | os.PathLike | None, text: str = "") -> str:
    """The file name without its extension (a batch uses the path relative to its root: see
    :func:`gongkai.naming.report_ids`), or ``sha1-`` and the start of the text's hash when
    there is no file."""
    if path:
        return id_of(os.path.basename(os.fspath(path)) or os.fspath(path))
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def convert_bytes(data: bytes, *, filename: str = "", engine: Engine | None = None,
                  reader: str | None = None, encoding: str | None = None,
                  report_id: str | None = None, source: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, config: Config | None = None) -> Report:
    return convert_digested(data, hashlib.sha256(data).hexdigest(), filename=filename,
                            engine=engine, reader=reader, encoding=encoding,
                            report_id=report_id, source=source, max_bytes=max_bytes,
                            config=config)


def convert_digested(data: bytes, sha256: str, *, filename: str = "",
                     engine: Engine | None = None, reader: str | None = None,
                     encoding: str | None = None, report_id: str | None = None,
                     source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                     config: Config | None = None) -> Report:
    """:func:`convert_bytes` of input whose SHA-256 (hex) the caller has already worked out
    (a batch, for its stamp): the input is hashed once."""
    engine = engine or default_engine()
    if len(data) > _check_limit(max_bytes):
        raise InputError(_too_large(len(data), max_bytes))
    if reader == JSON_READER and engine.registry.get("readers", JSON_READER) is None:
        from gongkai.read.deserialize import loads

        return loads(data)
    text, reader_name = read(data, engine=engine, filename=filename, reader=reader,
                             encoding=encoding)
    # A file name is any bytes: the outputs get valid Unicode (gongkai.display).
    report_id = unicode_text(report_id or report_id_for(filename, text.text))
    if source is None:  # the file's name: its path relative to where it is
        source = file_name_text(os.path.basename(filename)) if filename else ""
    log.info("%s: read by the %s reader (%s)", filename or "<text>", reader_name,
             text.encoding)
    report = build(text, engine=engine, report_id=report_id, source_path=unicode_text(filename),
                   reader=reader_name, relative=unicode_text(source),
                   sha256=sha256)
    report = validate(report, engine=engine, config=config)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: report %s, tables %s, %d cells, %d diagnostics", filename or "<text>",
                  report.metadata.report_id, report.metadata.templates,
                  sum(len(t.cells) for t in report.tables), len(report.diagnostics))
    return report


def _check_limit(max_bytes: int) -> int:
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise UsageError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
    return max_bytes


def _too_large(size: int | None, limit: int) -> str:
    what = "the input is" if size is None else f"the input is {size} bytes,"
    return (f"{what} more than the limit of {limit} bytes (raise it with --max-bytes, or "
            "max_bytes= in Python)")


def _open_input(path: str) -> BinaryIO:
    """The input opened for reading; a FIFO without a writer gives no bytes, never a hang."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        os.set_blocking(fd, True)  # a pipe with a writer is then read as usual
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def convert_file(path: str | os.PathLike, **options) -> Report:
    """Convert a report file. Errors carry the path so they print as ``path:line: ...``."""
    path = os.fspath(path)
    data = read_file(path, options.get("max_bytes", DEFAULT_MAX_BYTES))
    try:
        return convert_bytes(data, filename=path, **options)
    except UsageError:  # a wrong argument (--from NAME), not this file's fault
        raise
    except GongkaiError as exc:
        raise exc.located(path) from None


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """An input file's bytes, at most ``max_bytes``; a located InputError when it cannot be."""
    limit = _check_limit(max_bytes)
    try:
        with _open_input(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise InputError(_too_large(size, limit))
            # Never more than one byte past the limit: the size above is 0 for a device or a
            # pipe (/dev/zero) and stale for a file still being written. A read allocates
            # what it is asked for, so a file of known size asks for that (and one byte, to
            # see whether it grew), not for the limit: that cost a millisecond per file.
            data = f.read(size + 1 if size else limit + 1)
            if size and len(data) > size:
                data += f.read(limit - len(data) + 1)
        if len(data) > limit:
            raise InputError(_too_large(None, limit))
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a report file", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except GongkaiError as exc:
        raise exc.located(path) from None
    except OSError as exc:  # a name too long, a loop of links, an I/O error...
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    except ValueError:  # a NUL in the name (only possible from Python)
        raise InputError("not a valid file name", path=repr(path)) from None
    return data


#: How errors of a report read from standard input name it.
STDIN_NAME = "<stdin>"


def convert_stdin(stream: BinaryIO | None = None, **options) -> Report:
    """Convert the report on standard input (``gongkai convert -``), or read from ``stream``.

    Its id is ``sha1-`` and the start of the text's hash, as for text; errors name it
    ``<stdin>``.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    limit = _check_limit(options.get("max_bytes", DEFAULT_MAX_BYTES))
    data = stream.read(limit + 1)
    try:
        if len(data) > limit:
            raise InputError(_too_large(None, limit))
        return convert_bytes(data, **options)
    except GongkaiError as exc:
        raise exc.located(STDIN_NAME) from None


def convert_text(text: str, *, engine: Engine | None = None, report_id: str | None = None,
                 reader: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 source: str = "") -> Report:
    """Convert a report given as text (pipe text or any shape a reader accepts).

    ``source``: where the text came from, for the dataset's ``source`` column.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800"): not Unicode text
        raise InputError(f"not valid Unicode text: a lone surrogate U+{ord(text[exc.start]):04X}"
                         f" at character {exc.start}") from None
    return convert_bytes(data, engine=engine, reader=reader,
                         report_id=report_id or report_id_for(None, text), max_bytes=max_bytes,
                         source=source)


def convert(source: str | os.PathLike, **options) -> Report:
    """Convert a report given as a path or as its text.

    A ``str`` is a path when it has no line break and names an existing file, or ends in an
    extension a reader takes (``.txt``, ``.html``...) or has a path separator and no ``<``
    (so a mistyped name is "no such file", not "not a report"); otherwise it is the report's
    text. Use :func:`convert_file` or :func:`convert_text` to say which.
    """
    if isinstance(source, os.PathLike):
        return convert_file(source, **options)
    if isinstance(source, str):
        if "\n" not in source and len(source) < 4096 and (
                os.path.isfile(source) or _looks_like_a_path(source, options.get("engine"))):
            return convert_file(source, **options)  # a missing one: "no such file"
        return convert_text(source, **options)
    raise TypeError(f"convert() takes a path or text, not {type(source).__name__}")


def _looks_like_a_path(text: str, engine: Engine | None) -> bool:
    if "<" in text or not text.strip():
        return False
    if "/" in text or os.sep in text:
        return True
    from gongkai.naming import reader_extensions

    return os.path.splitext(text)[1].lower() in reader_extensions(engine or default_engine())


# -- write -----------------------------------------------------------------------------------


def writer_for(engine: Engine, name: str) -> Contribution:
    found = engine.registry.get("writers", name)
    if found is None:
        known = ", ".join(sorted(c.name for c in engine.writers())) or "none"
        hint = did_you_mean(name, [c.name for c in engine.writers()])
        raise UsageError(f"--to: unknown output format {name!r}{hint} (available: {known})")
    return found


def _checked_options(contribution: Contribution, options: Mapping[str, str] | None
                     ) -> dict[str, str]:
    options = dict(options or {})
    known = {o.name for o in contribution.item.options}
    unknown = sorted(set(options) - known)
    if unknown:
        raise UsageError(
            f"-O: format {contribution.name!r} has no option {unknown[0]!r}"
            + did_you_mean(unknown[0], known)
            + (f" (options: {', '.join(sorted(known))})" if known else " (it takes no options)")
        )
    return options


def _run_writer(contribution: Contribution, what: str, call: Callable[[], Any]) -> Any:
    """Call into a writer plugin; its unexpected exceptions become a PluginError naming it."""
    guard.current = contribution.plugin
    try:
        return call()
    except (GongkaiError, OSError):  # OSError: the stream's (a full disk, a closed pipe)
        raise
    except BaseException as exc:
        if not guard.is_plugin_failure(exc):
            raise
        raise PluginError(f"writer {contribution.name!r} of plugin {contribution.plugin!r} "
                          f"failed{what}: {exc!r}", plugin=contribution.plugin) from exc
    finally:
        guard.current = None


def _write_to(contribution: Contribution, report: Report, stream: TextIO,
              options: Mapping[str, str]) -> None:
    _run_writer(contribution, "", lambda: contribution.item.write(report, stream, options))
    if stream.closed:  # what it wrote may be lost: never taken for a complete output
        raise PluginError(f"writer {contribution.name!r} of plugin {contribution.plugin!r} "
                          "closed its output stream", plugin=contribution.plugin)


def _companions(contribution: Contribution, report: Report, options: Mapping[str, str],
                output_name: str) -> list[tuple[str, Callable[[TextIO], None]]]:
    """The files the writer puts beside its output, checked to stay in the output's directory."""
    make = contribution.item.companions
    if make is None:
        return []
    found = list(_run_writer(contribution, " to list its companion files",
                             lambda: make(report, options, output_name)))
    for name, _ in found:
        if (not name or name in (".", "..", output_name) or "/" in name or "\\" in name
                or os.sep in name):
            raise PluginError(
                f"writer {contribution.name!r} of plugin {contribution.plugin!r} asked to write "
                f"{name!r} beside its output: companions must be plain, distinct file names",
                plugin=contribution.plugin)
    if found and not output_name:
        raise UsageError(f"format {contribution.name!r} writes "
                         f"{', '.join(n for n, _ in found)} beside its output, so it needs an "
                         "output file (-o FILE), not a stream")
    return found


def write(report: Report, to: str, stream: TextIO, *, options: Mapping[str, str] | None = None,
          engine: Engine | None = None) -> None:
    """Write ``report`` in format ``to`` to a text stream."""
    engine = engine or default_engine()
    contribution = writer_for(engine, to)
    options = _checked_options(contribution, options)
    _companions(contribution, report, options, "")
    _write_to(contribution, report, stream, options)


def write_file(report: Report, to: str, path: str | os.PathLike, *,
               options: Mapping[str, str] | None = None,
               engine: Engine | None = None) -> list[str]:
    """Write ``report`` in format ``to`` to the file ``path``, atomically, and the companion
    files its writer puts beside it (CSVW metadata...). Returns the paths written."""
    from gongkai.outputs.atomic import atomic_writer

    engine = engine or default_engine()
    contribution = writer_for(engine, to)
    options = _checked_options(contribution, options)
    path = os.fspath(path)
    directory, name = os.path.split(path)
    extra = _companions(contribution, report, options, name)
    with atomic_writer(path) as stream:
        _write_to(contribution, report, stream, options)
    written = [path]
    for companion, produce in extra:
        target = os.path.join(directory, companion)
        with atomic_writer(target) as stream:
            _run_writer(contribution, f" writing {companion}", lambda p=produce, s=stream: p(s))
        written.append(target)
    for done in written:
        log.info("wrote %s", done)
    return written


def dumps(report: Report, to: str = "json", **kwargs) -> str:
    """The report in format ``to``, as a string."""
    import io

    buffer = io.StringIO()
    write(report, to, buffer, **kwargs)
    return buffer.getvalue()
