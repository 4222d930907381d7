"""Generated hostile inputs (issue 21): the shapes that once cost minutes, gigabytes or a
traceback, drawn at random instead of written out one by one.

* HTML pages of tables with random ``rowspan``/``colspan`` (up to 10^6, or junk) inside random
  nesting of random depth: the page converts or is refused with one line, and the pipe text
  it gives grows in proportion to the page (spans never multiply it);
* file names of random bytes in a batch, with FIFOs among them: the batch ends, every output
  stays inside the output directory, every message is one printable line;
* variant files with random patterns (nested quantifiers, huge repetition counts) and random
  nesting: loading and converting ends, with a located ConfigError or a report;
* plugins misbehaving at random (any exception, ``SystemExit``, a ``BaseException``, a wrong
  return value) in a reader or a writer: the error names the plugin, one line.

CI runs a small derandomized sample of each; ``GONGKAI_FUZZ=long`` runs fifty times as many,
new on every run (tests/fuzzing.py).
"""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest
from fuzzing import fuzz_settings
from hypothesis import assume, given
from hypothesis import strategies as st

import gongkai
from gongkai.batch.runner import convert_many
from gongkai.engine.manager import Engine
from gongkai.engine.plugin_types import Reader, ReadOptions, Writer
from gongkai.errors import GongkaiError
from gongkai.plugins import html_reader

from conftest import seed_path

SEED = seed_path("000").read_bytes()

# -- HTML: spans and nesting ---------------------------------------------------------------------

_span = st.one_of(st.integers(0, 4), st.integers(5, 10**6), st.sampled_from(["x", "-3", "", "1e9"]))
_cell = st.tuples(st.sampled_from(["td", "th"]), _span, _span,
                  st.sampled_from(["规章", "1", "", "行政许可", "&nbsp;"]))
_table = st.lists(st.lists(_cell, min_size=0, max_size=6), min_size=1, max_size=12)
_wrappers = st.lists(st.sampled_from(["div", "span", "p", "section", "font", "td", "table"]),
                     max_size=40)


def _page(table, wrappers, depth: int) -> bytes:
    rows = "".join(
        "<tr>" + "".join(f'<{tag} rowspan="{rs}" colspan="{cs}">{text}</{tag}>'
                         for tag, rs, cs, text in row) + "</tr>"
        for row in table)
    inner = f"<p>二、主动公开政府信息情况</p><table>{rows}</table>"
    for tag in wrappers:
        inner = f"<{tag}>{inner}</{tag}>"
    inner = "<div>" * depth + inner + "</div>" * depth
    return f"<html><body>{inner}</body></html>".encode()


@fuzz_settings(40)
@given(_table, _wrappers, st.integers(0, 3000))
def test_spans_and_nesting_end_in_text_in_proportion_to_the_page(table, wrappers, depth):
    page = _page(table, wrappers, depth)
    try:
        text = html_reader.read(page, ReadOptions(filename="x.html")).text
    except GongkaiError as exc:
        assert "\n" not in exc.format()
        return
    # Each cell's text once, its bars and a bounded padding: never rows x columns of a span.
    assert len(text) <= 8 * len(page) + 400
    try:
        gongkai.convert_bytes(page, filename="x.html")
    except GongkaiError as exc:
        assert "\n" not in exc.format()


# -- file names of any bytes, FIFOs among them ---------------------------------------------------

_name = st.binary(min_size=1, max_size=40).map(
    lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")).filter(lambda b: b not in (b".", b".."))


@pytest.mark.skipif(sys.platform == "win32", reason="byte file names and FIFOs are POSIX's")
@fuzz_settings(15)
@given(st.lists(st.tuples(_name, st.booleans()), min_size=1, max_size=6, unique_by=lambda t: t[0]))
def test_a_batch_of_any_names_and_fifos_ends_with_short_messages(tmp_path_factory, entries):
    root = tmp_path_factory.mktemp("corpus")
    corpus, out = os.path.join(os.fsencode(root), b"in"), os.path.join(os.fsencode(root), b"o")
    os.mkdir(corpus)
    for name, fifo in entries:
        path = os.path.join(corpus, name + b".txt")
        if fifo:
            os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(SEED)
    results = list(convert_many([os.fsdecode(corpus)], outdir=os.fsdecode(out), to="csv",
                                jobs=1, keep_reports=False, timeout=60))
    regular = sum(1 for name, fifo in entries if not fifo and not name.startswith(b"."))
    assert sum(r.ok and r.status == "converted" for r in results) == regular
    for r in results:
        if r.error is not None:
            message = r.error.format()
            assert "\n" not in message and "\x1b" not in message and message.isprintable()
    real_out = os.path.realpath(out)
    for directory, _, files in os.walk(out):
        for name in files:
            assert os.path.realpath(os.path.join(directory, name)).startswith(real_out + b"/")
            assert not stat.S_ISFIFO(os.stat(os.path.join(directory, name)).st_mode)


# -- variant files -------------------------------------------------------------------------------

VARIANT_TABLE = ("二、主动公开政府信息情况\n信息内容 | 本年新制作数量 | 本年新公开数量 | "
                 "对外公开总数量 |\n规章xxxxxxxxxxxxxxxxxxxxxxxxxxxx | 1 | 2 | 3 |\n")
_atom = st.sampled_from(["x", "a", "\\d", ".", "[0-9]", "(a|aa)", "(x+x+)", "规章"])
_quant = st.sampled_from(["", "+", "*", "?", "{4294967296}", "{2,}", "+?", "{1000}"])
_pattern = st.lists(st.tuples(_atom, _quant), min_size=1, max_size=6).map(
    lambda parts: "".join(a + q for a, q in parts))
_toml_value = st.recursive(st.one_of(st.integers().map(str), st.text(max_size=8).map(repr)),
                           lambda inner: st.lists(inner, max_size=3).map(
                               lambda xs: "[" + ", ".join(xs) + "]"), max_leaves=20)


@fuzz_settings(30)
@given(st.lists(_pattern, max_size=5), st.integers(0, 6000), _toml_value)
def test_hostile_variant_files_end_in_a_report_or_a_located_error(tmp_path_factory, patterns,
                                                                  depth, value):
    text = ('[variant]\nname = "v"\n[annotations]\npatterns = ['
            + ", ".join("'" + p + "'" for p in patterns) + "]\n"
            + f"junk = {'[' * depth}1{']' * depth}\nother = {value}\n")
    path = tmp_path_factory.mktemp("variant") / "v.toml"
    path.write_text(text, "utf-8")
    try:
        engine = Engine(variants=[path])
        gongkai.convert_text(VARIANT_TABLE, engine=engine)
    except GongkaiError as exc:
        message = exc.format()
        assert "\n" not in message and "v.toml" in message


# -- plugins that misbehave ----------------------------------------------------------------------


class _Escape(BaseException):
    pass


_MISCHIEF = {
    "raise": lambda: (_ for _ in ()).throw(ValueError("boom")),
    "exit": lambda: sys.exit(4),
    "escape": lambda: (_ for _ in ()).throw(_Escape("out")),
    "recursion": lambda: (_ for _ in ()).throw(RecursionError("deep")),
    "memory": lambda: (_ for _ in ()).throw(MemoryError()),
    "wrong type": lambda: 42,
}


def _hostile_engine(where: str, how: str) -> Engine:
    act = _MISCHIEF[how]

    class Plugin:
        @gongkai.hookimpl
        def gongkai_add_readers(self, register):
            if where == "reader":
                register(Reader(name="mischief", description="misbehaves (tests)",
                                extensions=(".mis",), sniff=lambda head, name: 1.0,
                                read=lambda data, options: act()))

        @gongkai.hookimpl
        def gongkai_add_writers(self, register):
            if where == "writer":
                register(Writer(name="mischief", extension=".mis", media_type="text/plain",
                                description="misbehaves (tests)",
                                write=lambda report, stream, options: act()))

    return Engine(plugins=[Plugin()])


@fuzz_settings(20)
@given(st.sampled_from(["reader", "writer"]), st.sampled_from(sorted(_MISCHIEF)))
def test_a_misbehaving_plugin_is_named_in_one_line(where, how):
    assume(not (where == "writer" and how == "wrong type"))  # a writer returns nothing
    engine = _hostile_engine(where, how)
    with pytest.raises(GongkaiError) as caught:
        report = gongkai.convert_bytes(SEED, filename="x.mis" if where == "reader" else "x.txt",
                                       engine=engine)
        gongkai.write(report, "mischief", io.StringIO(), engine=engine)
    message = caught.value.format()
    assert "\n" not in message and "mischief" in message
