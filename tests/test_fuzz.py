"""Fuzzing: whatever a crawler brings back ends in a Report or in one of gongkai's errors.

The property every test here checks (``check``): converting the input either returns a
:class:`~gongkai.model.Report` that every installed writer can write, or raises a
:class:`~gongkai.errors.GongkaiError` that prints as one line. Never another exception, never a
``PluginError`` from a built-in plugin (that would be gongkai blaming itself), never a hang.

Inputs: random bytes, random text, soups of report tokens and labels, and the seed reports with
lines dropped, duplicated or shuffled, cells replaced by junk, runs of ``|``, very long lines,
deep runs of headings, and truncation at every few bytes.

Budget (tests/fuzzing.py). CI runs a fixed set of examples (``derandomize``: the same inputs on
every run, so a failure is reproducible and CI never fails at random) sized to keep
``.ci/run`` short on two cores. For a longer run, on demand::

    GONGKAI_FUZZ=long python -m pytest tests/test_fuzz*.py          # 50x, new inputs each run
    GONGKAI_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py   # this many per test

A failing example is printed by hypothesis (with ``@reproduce_failure`` when random). The
watchdog turns a hang into a failure instead of a stuck CI: its limit
(``GONGKAI_FUZZ_HANG_SECONDS``, default 120) is a hang guard hundreds of times what an example
takes, not a performance test; how parse time grows is measured by ``bench/parse_scaling.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from functools import cache

import pytest
from fuzzing import examples, fuzz_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.cli.main import main
from gongkai.engine.manager import default_engine
from gongkai.errors import GongkaiError, PluginError
from gongkai.layouts.codes import load_codes
from gongkai.model import Report, Status
from gongkai.outputs.tidy import COLUMNS
from gongkai.pipeline import convert_bytes, dumps

from conftest import SEEDS

#: Examples per property test (CI default kept small: the machine has two cores).
EXAMPLES = examples(30)
HANG_SECONDS = float(os.environ.get("GONGKAI_FUZZ_HANG_SECONDS", "120"))

FUZZ = fuzz_settings(30)

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]


# -- the property ------------------------------------------------------------------------------


class Hang(BaseException):
    """A conversion ran past the watchdog: not one of gongkai's errors, so the test fails.

    A BaseException, so that no ``except Exception`` (around a plugin) can take it for the
    plugin's own failure."""


@contextlib.contextmanager
def watchdog(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise Hang in the main thread if the block runs longer than ``seconds`` (POSIX only)."""
    in_main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main:
        yield  # signals reach the main thread only (pytest-xdist workers run tests there)
        return

    def alarm(signum, frame):
        raise Hang(f"conversion still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def line_count(data: bytes) -> int:
    """An upper bound on the lines of the decoded text (readers fold \\r and \\r\\n)."""
    return data.count(b"\n") + data.count(b"\r") + 1


def check(data: bytes, filename: str = "fuzz.txt", *, write: bool = True
          ) -> Report | GongkaiError:
    """Convert ``data``; assert the outcome is a (writable) Report or a documented error."""
    try:
        with watchdog():
            report = convert_bytes(data, filename=filename)
    except GongkaiError as exc:
        check_error(exc, data)
        return exc
    check_report(report, data, write=write)
    return report


def check_error(exc: GongkaiError, data: bytes) -> None:
    # A built-in plugin failing on some input is a bug in gongkai, not in the input.
    assert not isinstance(exc, PluginError), exc.format()
    text = exc.format()
    assert text and "\n" not in text and "\r" not in text, f"not one line: {text!r}"
    if exc.line is not None:
        assert 0 < exc.line <= line_count(data), (exc.line, text)


def check_report(report: Report, data: bytes, *, write: bool = True) -> None:
    assert isinstance(report, Report)
    lines = line_count(data)
    for cell in report.cells():
        assert isinstance(cell.status, Status)
        assert 0 <= cell.line <= lines, cell
        if cell.status is Status.OK:
            assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        elif cell.status in (Status.EMPTY, Status.PLACEHOLDER, Status.UNPARSED, Status.MISSING):
            assert cell.value is None, cell
    for d in report.diagnostics:
        assert 0 <= d.line <= lines, d
    for table in report.tables:
        assert 0 <= table.line_start <= table.line_end <= lines, table
    if write:
        check_writers(report)


def _no_constant(name: str) -> None:
    raise AssertionError(f"JSON output holds {name}, which JSON does not allow")


def check_writers(report: Report) -> None:
    """Every installed writer writes the report; JSON and CSV output read back."""
    for contribution in default_engine().writers():
        try:
            with watchdog():
                out = dumps(report, contribution.name)
        except GongkaiError as exc:  # a report the pipeline made must always be writable
            raise AssertionError(f"writer {contribution.name!r}: {exc.format()}") from exc
        assert isinstance(out, str)
        if contribution.name == "json":
            json.loads(out, parse_constant=_no_constant)
        elif contribution.name == "csv":
            rows = list(csv.reader(io.StringIO(out)))
            assert tuple(rows[0]) == COLUMNS
            assert len(rows) == 1 + sum(1 for _ in report.cells())
            assert all(len(r) == len(COLUMNS) for r in rows)


# -- strategies --------------------------------------------------------------------------------


@cache
def labels() -> tuple[str, ...]:
    """Every label gongkai knows (sections, table markers, rows, columns), from the codes."""
    codes = load_codes()
    found = {a for s in codes.sections for a in s.aliases}
    for t in codes.tables:
        found.update(t.markers)
        for code in (*t.rows, *t.columns):
            found.update(code.aliases)
    return tuple(sorted(found))


NUMERALS = "一二三四五六七八九十"
#: Every reader is chosen by name as well as by content: inputs come under all their names.
FILENAMES = ("fuzz.txt", "fuzz", "FUZZ.TXT", "fuzz.md", "fuzz.html", "fuzz.pdf", "fuzz.pdf.txt")
filenames = st.sampled_from(FILENAMES)

VALUES = ("0", "12", "-3", "3,194.752", "4.2780亿元", "减13/增3", "4(其中2", "/", "-", "—", "无",
          "1" * 40, "9" * 5000, "0.5万元", "12件", "+7", ".5", "1..2")
JUNK = ("", " ", "|", "||||", "｜", "\t", "\u3000", "\ufeff", "\u200b", "\u2028", "\x85", "\r",
        "\x00", "\x07", "\x1b", "\x7f", "(", ")", "（", "）", "(一", "一、", "(一)", "1.", "、",
        "?????", "\ufffd\ufffd", "<td>", "&nbsp;", "%PDF-1.4", "\x89PNG", "𠀀", "é", "ـ", "‮",
        "<table>", "<tr>", "</td><td>", "<br>", "<!--", "<script>", "&#124;", "|---|", "# ",
        "**", "__", "- 3 -", "第 2 页")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16")

heading = st.builds(lambda n, t: f"{n}、{t}", st.text(NUMERALS, min_size=1, max_size=4),
                    st.sampled_from(labels()))
subheading = st.builds(lambda n, t: f"({n}){t}", st.text(NUMERALS, min_size=1, max_size=3),
                       st.sampled_from(labels()))
token = st.one_of(
    st.sampled_from(labels()), st.sampled_from(VALUES), st.sampled_from(JUNK),
    heading, subheading, st.sampled_from(["|", " | ", "\n", "\n", "\n"]),
    st.text(max_size=8),
)
#: Report-shaped soups: labels, values, headings and separators in any order.
token_soup = st.lists(token, max_size=300).map("".join)


@cache
def section_titles() -> tuple[str, ...]:
    return tuple(sorted({a for s in load_codes().sections for a in s.aliases}))


cell = st.one_of(st.sampled_from(labels()), st.sampled_from(VALUES), st.sampled_from(VALUES),
                 st.sampled_from(JUNK), st.just(""))
row = st.builds(lambda cells, end: " | ".join(cells) + end,
                st.lists(cell, min_size=1, max_size=16),
                st.sampled_from([" |", " |", "", "||||", " | |"]))
line = st.one_of(
    row, row, row, heading, subheading,
    st.builds(lambda n, t: f"{n}、{t}", st.sampled_from(NUMERALS),
              st.sampled_from(section_titles())),
    st.sampled_from(labels()), st.text(max_size=60),
)
#: Line-structured documents: section headings, rows of labels and values, prose, junk.
report_like = st.lists(line, max_size=150).map("\n".join)


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.tuples(text, st.sampled_from(ENCODINGS)).map(
        lambda te: te[0].encode(te[1], errors="replace"))


def _insert(lines: list[str], at: int, new: list[str]) -> list[str]:
    at %= len(lines) + 1
    return [*lines[:at], *new, *lines[at:]]


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """A seed report with one to four mutations applied."""
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    index = st.integers(0, 10_000)
    for op in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        if not lines:
            lines = [""]
        i = draw(index) % len(lines)
        if op == "drop":
            width = draw(st.integers(1, 20))
            lines = lines[:i] + lines[i + width:]
        elif op == "duplicate":
            width = draw(st.integers(1, 30))
            lines = _insert(lines, i, lines[i:i + width] * draw(st.integers(1, 5)))
        elif op == "shuffle":
            draw(st.randoms(use_true_random=False)).shuffle(lines)
        elif op == "swap":
            j = draw(index) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "junk-cell":
            cells = lines[i].split("|")
            k = draw(index) % len(cells)
            cells[k] = draw(st.one_of(st.sampled_from(JUNK), st.sampled_from(VALUES),
                                      st.sampled_from(labels()), st.text(max_size=30)))
            lines[i] = "|".join(cells)
        elif op == "pipes":
            run = "|" * draw(st.integers(1, 3000))
            if draw(st.booleans()):
                lines = _insert(lines, i, [run])
            else:
                lines[i] += run
        elif op == "long-line":
            lines[i] = lines[i] * draw(st.integers(2, 400))
        elif op == "headings":
            lines = _insert(lines, i, [draw(heading)] * draw(st.integers(1, 2000)))
        elif op == "join-lines":
            width = draw(st.integers(2, 50))
            lines = [*lines[:i], "".join(lines[i:i + width]), *lines[i + width:]]
        elif op == "strip-pipes":
            lines[i] = lines[i].replace("|", "")
        elif op == "line-endings":
            lines = ["\r\n".join(lines)]
    data = "\n".join(lines).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


MUTATIONS = ("drop", "duplicate", "shuffle", "swap", "junk-cell", "pipes", "long-line",
             "headings", "join-lines", "strip-pipes", "line-endings")


# -- properties --------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=4096), filenames)
def test_random_bytes(data: bytes, filename: str) -> None:
    check(data, filename)


@FUZZ
@given(encoded(st.text(max_size=2000)), filenames)
def test_random_text(data: bytes, filename: str) -> None:
    check(data, filename)


@FUZZ
@given(encoded(token_soup), filenames)
def test_report_token_soup(data: bytes, filename: str) -> None:
    check(data, filename)


@FUZZ
@given(encoded(report_like), filenames)
def test_report_like_documents(data: bytes, filename: str) -> None:
    check(data, filename)


@FUZZ
@given(mutated_seed(), filenames)
def test_mutated_seeds(data: bytes, filename: str) -> None:
    check(data, filename)


@FUZZ
@given(st.sampled_from(SEED_TEXTS), st.binary(min_size=1, max_size=64), st.integers(0, 10**6))
def test_seed_with_bytes_spliced_in(seed: str, junk: bytes, at: int) -> None:
    data = seed.encode("utf-8")
    at %= len(data)
    check(data[:at] + junk + data[at:])


#: Truncation points per seed: every ``len // CUTS`` bytes (every byte in a long run).
CUTS = max(EXAMPLES, 20)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_truncated_every_few_bytes(seed) -> None:
    data = seed.read_bytes()
    stride = max(1, len(data) // CUTS)
    ends = [*range(0, len(data), stride), len(data)]
    # Writing every outcome in every format would be most of the time: every fifth is enough.
    outcomes = [check(data[:end], write=i % 5 == 0) for i, end in enumerate(ends)]
    # Cutting a report short costs the lost part, not the report: most prefixes that keep the
    # tables are still reports.
    assert isinstance(outcomes[-1], Report)
    assert sum(isinstance(o, Report) for o in outcomes) >= len(outcomes) // 4


# -- shapes that once were (or could be) slow or deep -------------------------------------------


HEAD = "一、总体情况\n二、主动公开政府信息情况\n"


@pytest.mark.parametrize("text", [
    pytest.param(HEAD + "行政许可 | " + "1 | " * 10_000 + "\n", id="row-of-10k-values"),
    pytest.param(HEAD + "行政许可 | " + "x | " * 10_000 + "\n", id="row-of-10k-labels"),
    pytest.param("|" * 60_000 + "\n", id="line-of-60k-pipes"),
    pytest.param("|\n" * 30_000, id="30k-lines-of-pipes"),
    pytest.param("一、总体情况\n" * 20_000, id="20k-headings"),
    pytest.param("(一)情况\n" * 20_000, id="20k-subheadings"),
    pytest.param(HEAD + "政" * 300_000 + "\n", id="300k-character-line"),
    pytest.param(HEAD + "(" * 50_000 + "\n", id="50k-open-parentheses"),
    pytest.param(HEAD + "行政许可 | " + "1" * 100_000 + " |\n", id="100k-digit-value"),
    pytest.param(HEAD + "行政许可 | 4(" + "其中" * 50_000 + " |\n", id="unclosed-note"),
    pytest.param(HEAD + "行政许可 | " + "减1/" * 20_000 + " |\n", id="net-change-run"),
    pytest.param("\n" * 200_000 + HEAD, id="200k-blank-lines"),
    pytest.param(HEAD + "行政许可 |\n" * 10_000, id="10k-duplicate-rows"),
])
def test_extreme_shapes(text: str) -> None:
    check(text.encode("utf-8"))


# -- the command line --------------------------------------------------------------------------


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
@given(st.one_of(st.binary(max_size=512), encoded(report_like), mutated_seed()), filenames)
def test_cli_prints_one_line_and_no_traceback(data: bytes, filename: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, filename)
        with open(path, "wb") as f:
            f.write(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), watchdog():
            status = main(["convert", path, "--to", "csv"])
        message = err.getvalue()
        assert "Traceback" not in message
        if status == 0:
            assert out.getvalue().startswith(",".join(COLUMNS))
        else:
            assert status == 2, (status, message)
            assert message.startswith(path) and message.count("\n") == 1, message
        assert os.listdir(tmp) == [filename]


def test_watchdog_turns_a_hang_into_a_failure() -> None:
    """The hang guard itself must be able to fail."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    with pytest.raises(Hang), watchdog(0.05):
        while True:
            sys.getrecursionlimit()
