"""What plugins contribute through the ``register`` callbacks of the ``gongkai_add_*`` hooks.

Each contribution is a small frozen record holding a name, a description and the function
that does the work; gongkai checks the record when it is registered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

import attrs

from gongkai.model import Diagnostic, Report, Severity

if TYPE_CHECKING:
    from gongkai.validate.corpus import CorpusFinding
    from gongkai.validate.validator import Equation

_NAME = re.compile(r"^[a-z][a-z0-9_.\-]*$")


def check_name(kind: str, name: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"{kind} name {name!r} must be lower case letters, digits, '_', '-' or '.'"
        )


@attrs.frozen
class Source:
    """What a reader gives back: the pipe text, and how its lines map to the input."""

    #: The report as pipe text: paragraphs and headings one per line, cells closed by "|".
    text: str
    #: The text encoding the input was decoded with.
    encoding: str = "utf-8"
    #: For each line of ``text``, the 1-based line of the input it comes from (0: none).
    #: Empty means "the same line number", as for the plain-text reader.
    line_map: tuple[int, ...] = ()
    #: Whether each row's cells stand in their columns, blank ones written as empty cells (as
    #: in pipe text and HTML). False for text laid out on a page (PDF text, Markdown made from
    #: PDF), where a blank cell leaves no trace and a short row cannot be read by position.
    positional: bool = True
    #: The report's address on the web, when the input itself says (an HTML page's canonical
    #: link or ``og:url``); empty otherwise.
    url: str = ""

    def source_line(self, line: int) -> int:
        if not self.line_map:
            return line
        return self.line_map[line - 1] if 0 < line <= len(self.line_map) else 0


@attrs.frozen
class ReadOptions:
    #: Force this encoding instead of detecting one.
    encoding: str | None = None
    #: The input's file name (for extension checks and messages), if any.
    filename: str = ""


@attrs.frozen
class Reader:
    name: str
    description: str
    #: File extensions (with the dot) this reader is the natural choice for.
    extensions: tuple[str, ...]
    #: ``sniff(head, filename) -> score``: 0 when the input is not for this reader, up to 1.
    sniff: Callable[[bytes, str], float]
    #: ``read(data, options) -> Source``; raises ``gongkai.errors.InputError`` on bad input.
    read: Callable[[bytes, ReadOptions], Source]

    def __attrs_post_init__(self) -> None:
        check_name("reader", self.name)


class NormalizeContext:
    """Facts normalizers find out about the text (its script, for instance)."""

    def __init__(self) -> None:
        self.facts: dict[str, str] = {}

    def note(self, key: str, value: str) -> None:
        self.facts[key] = value


@attrs.frozen
class Normalizer:
    name: str
    description: str
    #: ``apply(text, context) -> text``; must keep lines and "|" separators (see the hook).
    apply: Callable[[str, NormalizeContext], str]
    #: Normalizers run in ascending order. Built-ins: 10 width folding, 20 script, 30 junk.
    order: int = 50

    def __attrs_post_init__(self) -> None:
        check_name("normalizer", self.name)


@attrs.frozen
class Rule:
    """A validation rule: looks at a report and yields findings."""

    id: str
    severity: Severity
    description: str
    #: ``check(report) -> findings``: Diagnostics whose ``code`` is the rule id.
    check: Callable[[Report], Iterable[Diagnostic]]
    #: ``equations(report) -> Equations`` for an identity rule
    #: (``gongkai.validate.validator.identity_rule``): the validate stage also uses them to restore
    #: cells they determine.
    equations: Callable[[Report], Iterable[Equation]] | None = None
    #: Codes of conversion diagnostics that already state facts this rule checks (``cell-empty``):
    #: the rule does not repeat them, and its ``[rules]`` setting (off, severity) applies to them.
    covers: tuple[str, ...] = ()
    #: ``check_identities(report, equations) -> findings`` for a rule about the identities
    #: themselves (the culprit cells): the validate stage calls it instead of ``check``, after
    #: the other rules, with ``(rule id, equation)`` of every enabled identity rule, and only
    #: when one of them found a broken identity. ``check`` is what runs outside that stage.
    check_identities: Callable[[Report, Sequence[tuple[str, Equation]]],
                               Iterable[Diagnostic]] | None = None

    def __attrs_post_init__(self) -> None:
        check_name("rule", self.id)


@attrs.frozen
class CorpusRule:
    """A rule across reports (year-to-year continuity): looks at a corpus and yields findings
    that name every report they are about (``gongkai.validate.corpus.CorpusFinding``)."""

    id: str
    severity: Severity
    description: str
    #: ``check(reports) -> findings``: all the reports of one ``gongkai check`` run, in the
    #: order given; findings' ``code`` is the rule id.
    check: Callable[[Sequence[Report]], Iterable[CorpusFinding]]

    def __attrs_post_init__(self) -> None:
        check_name("rule", self.id)


@attrs.frozen
class WriterOption:
    name: str
    description: str
    default: str = ""


Companions = Callable[
    [Report, Mapping[str, str], str], Sequence[tuple[str, Callable[[TextIO], None]]]
]


@attrs.frozen
class Writer:
    name: str
    description: str
    #: File extension (with the dot) of the output.
    extension: str
    media_type: str
    #: ``write(report, stream, options)``: writes the report to a text stream.
    write: Callable[[Report, TextIO, Mapping[str, str]], None]
    #: The ``-O key=value`` options the writer understands.
    options: tuple[WriterOption, ...] = ()
    #: ``companions(report, options, output_name) -> [(file_name, write_function), ...]``:
    #: files the writer puts beside its output file when the options ask for them (CSVW
    #: metadata, for instance). ``output_name`` is the output's file name, or "" when the
    #: output is a stream; a writer that needs a file then raises UsageError saying so.
    companions: Companions | None = None
    #: Other file extensions of the output, each with the options it implies: ``-o x.nt``
    #: (``{".nt": {"format": "nt"}}``) picks this writer with those options.
    extra_extensions: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    #: ``extension_for(options) -> ".ext"``: for a writer whose options choose among formats
    #: (rdf: ``format=nt`` gives ``.nt``), the extension of the output they ask for.
    extension_for: Callable[[Mapping[str, str]], str] | None = None

    def __attrs_post_init__(self) -> None:
        check_name("writer", self.name)
