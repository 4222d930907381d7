"""Output safety: text from a report can never become markup, a formula or a foreign IRI.

Report text is whatever a crawler brought back, so every writer must keep it inert:

* RDF: IRIs are built from the base and escaped (or hashed) parts, never from raw text; every
  text ends up in a literal, exactly as written;
* the wide CSV (``-O wide=true``, for spreadsheets): no text cell starts like a formula;
* Markdown: ``|`` and line breaks inside a cell cannot break the table, and text cannot become
  HTML, headings, lists or links.

The tests write a report whose metadata, cells and diagnostics are hostile strings, and read
the output back with a real parser (rdflib, csv) or the GFM table rule.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
from functools import cache
from urllib.parse import unquote

import attrs
import pytest
from fuzzing import fuzz_settings
from hypothesis import Phase, given
from hypothesis import strategies as st

from gongkai.engine.manager import default_engine
from gongkai.errors import UsageError
from gongkai.model import Diagnostic, Report, Severity, Status
from gongkai.pipeline import convert_file, dumps

from conftest import seed_path

# rdflib's own JSON-LD parser uses a class rdflib deprecates: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")

#: Strings a hostile or broken page could put anywhere a report has text.
HOSTILE = [
    "=1+1", "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1:A9)", "\t=1", "\r=2", "=HYPERLINK(\"x\")",
    "a|b", "|", "||||", "\\|", "a\\", "line one\nline two", "x\r\ny", "x\u2028y",
    "`code`", "``", "<script>alert(1)</script>", "<b>bold</b>", "&lt;", "*em* _em_", "# h",
    "- item", "1. item", "> quote", "[link](javascript:alert(1))", "![img](x)", "---",
    '"> . <urn:evil> <urn:evil> "x', "<urn:evil>", "_:b0", "\\u0022", "%2e%2e/", "../..",
    " ", "", "名字 | 值", "\x0c", "\x85",
]
HOSTILE_ID = 'r|e`p <o>"r{t}\\^ #?/../%2e\n=1'

#: No shrinking unless asked (GONGKAI_FUZZ_SHRINK=1): shrinking a failure through rdflib takes
#: minutes, and the failing example is printed either way.
PROPERTY = fuzz_settings(20, phases=tuple(Phase) if os.environ.get("GONGKAI_FUZZ_SHRINK") else (
    Phase.explicit, Phase.reuse, Phase.generate))


def writer_or_skip(name: str, option: str | None = None) -> None:
    found = default_engine().registry.get("writers", name)
    if found is None:
        pytest.skip(f"no {name!r} writer is installed yet (plugins/{name}_writer.py)")
    if option and option not in {o.name for o in found.item.options}:
        pytest.skip(f"the {name!r} writer has no option {option!r} yet")


@cache
def base_report() -> Report:
    return convert_file(seed_path("000"))


def hostile_report(texts: list[str], report_id: str = HOSTILE_ID, *,
                   keep_numbers: bool = True) -> Report:
    """The seed report with hostile metadata, cell texts and diagnostics.

    Cells with a value keep it (numbers are never touched) but get a hostile raw text and
    note; the others (all, unless ``keep_numbers``) become ``unparsed`` cells showing a
    hostile text.
    """
    report = base_report()
    cycle = texts or [""]
    tables = []
    k = 0
    for table in report.tables:
        cells = []
        for cell in table.cells:
            text = cycle[k % len(cycle)]
            k += 1
            if cell.value is not None and keep_numbers:
                cells.append(attrs.evolve(cell, raw=text, note=text))
            else:
                cells.append(attrs.evolve(cell, raw=text, value=None, status=Status.UNPARSED,
                                          unit=""))
        tables.append(attrs.evolve(table, cells=tuple(cells)))
    joined = " ".join(cycle)
    metadata = attrs.evolve(report.metadata, report_id=report_id, title=cycle[0],
                            agency=cycle[-1], source_path=joined, published=cycle[0])
    diagnostics = (*report.diagnostics,
                   *(Diagnostic(severity=Severity.WARNING, code="hostile", message=t, line=1)
                     for t in cycle[:5]))
    return attrs.evolve(report, metadata=metadata, tables=tuple(tables),
                        diagnostics=diagnostics)


hostile_texts = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)),
                         min_size=1, max_size=12)


# -- RDF -----------------------------------------------------------------------------------------

#: Characters an IRI may not contain (RFC 3987), and what Turtle would read as syntax.
_NOT_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f\u2028\u2029]")
RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld"}


def check_rdf(report: Report, fmt: str, base: str = "urn:gongkai:") -> None:
    import rdflib

    text = dumps(report, "rdf", options={"format": fmt, "base": base})
    graph = rdflib.Graph()
    graph.parse(data=text, format=RDF_FORMATS[fmt])  # what was written reads back
    iris = {str(node) for triple in graph for node in triple
            if isinstance(node, rdflib.URIRef)}
    ours = {i for i in iris if i.startswith(base)}
    assert ours, "the report's IRIs are under the base"
    m = report.metadata
    for iri in ours:
        assert not _NOT_IRI.search(iri), iri
        path = iri[len(base):]
        assert "." not in path.split("/") and ".." not in path.split("/"), iri
    # The agency, free text, is named by a hash, never spliced into an IRI.
    publishers = {str(o) for o in graph.objects(None, rdflib.namespace.DCTERMS.publisher)}
    assert all(re.fullmatch(re.escape(base) + r"agency/[0-9a-f]{16}", p) for p in publishers)
    assert bool(publishers) == bool(m.agency)
    # The report's IRI is the base and its escaped id: unescaped, exactly the id again.
    (report_iri,) = {s for s, _, o in graph.triples((None, rdflib.namespace.DCTERMS.identifier,
                                                      None)) if str(o) == m.report_id}
    assert unquote(str(report_iri)[len(base) + len("report/"):]) == m.report_id
    # Every text is a literal, exactly as written: none leaked into the graph's structure.
    literals = {str(o) for o in graph.objects() if isinstance(o, rdflib.Literal)}
    raws = {c.raw for c in report.cells() if c.value is not None}
    assert raws <= literals
    if m.agency:
        assert m.agency in literals


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_iris_are_escaped_or_hashed_and_texts_stay_literals(fmt):
    writer_or_skip("rdf")
    check_rdf(hostile_report(HOSTILE), fmt)


@PROPERTY
@given(hostile_texts, st.text(min_size=1, max_size=30), st.sampled_from(list(RDF_FORMATS)))
def test_rdf_any_text_and_report_id(texts, report_id, fmt):
    writer_or_skip("rdf")
    check_rdf(hostile_report(texts, report_id), fmt)


@pytest.mark.parametrize("base", ["http://example.org/a b/", "http://example.org/<x>/",
                                  'http://example.org/"/', "http://example.org/x\n/",
                                  "relative/path/", "http://example.org/{x}/", ""])
def test_rdf_refuses_a_base_that_is_not_a_clean_absolute_iri(base):
    writer_or_skip("rdf")
    if not base:  # empty means the default base, which is fine
        dumps(base_report(), "rdf", options={"base": base})
        return
    with pytest.raises(UsageError, match="base"):
        dumps(base_report(), "rdf", options={"base": base})


# -- the wide CSV --------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_wide_csv(report: Report) -> list[list[str]]:
    text = dumps(report, "csv", options={"wide": "true"})
    rows = _read_csv(text)
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                # Only a number may start with "-" (a net change, -3); nothing else may start
                # like a formula.
                assert cell.startswith("-") and _is_number(cell), (cell, row)
    return rows


def test_wide_csv_text_cells_cannot_become_formulas():
    writer_or_skip("csv", "wide")
    rows = check_wide_csv(hostile_report(HOSTILE, keep_numbers=False))
    cells = {c for row in rows for c in row}
    for text in ("=1+1", "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1:A9)", '=HYPERLINK("x")'):
        assert "'" + text in cells  # shown, as text, with the quote spreadsheets hide


def test_wide_csv_numbers_are_not_quoted():
    writer_or_skip("csv", "wide")
    report = base_report()
    rows = check_wide_csv(report)
    values = {c for row in rows for c in row}
    assert "'0" not in values and "0" in values


@PROPERTY
@given(hostile_texts)
def test_wide_csv_any_text(texts):
    writer_or_skip("csv", "wide")
    check_wide_csv(hostile_report(texts, keep_numbers=False))


def _read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def check_tidy_csv(report: Report) -> None:
    """The tidy CSV (and a dataset's) reads back exactly, whatever the texts hold: each row
    whole, no text a spreadsheet would run as a formula, and the exact texts recovered by
    undoing the documented quote (docs/guarantees.md)."""
    from gongkai.outputs.tidy import COLUMNS, exact_row, tidy_rows

    exact = [list(r) for r in tidy_rows(report)]
    for written in (_read_csv(dumps(report, "csv"))[1:],
                    _read_csv(importlib.import_module("gongkai.outputs.dataset").csv_chunk(
                        tidy_rows(report)))):
        assert len(written) == len(exact)
        for row in written:
            assert len(row) == len(COLUMNS)
            for text in (row[0], row[6]):  # the free texts: report_id and raw
                assert not _formula(text), text
        assert [list(exact_row(tuple(r))) for r in written] == exact


def _formula(text: str) -> bool:
    """Whether a spreadsheet would take a field for a formula (a number is a value)."""
    return (text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text)
            and re.fullmatch(r"[+-]?[\d.,]+%?|-+", text) is None)


@pytest.mark.parametrize("report_id", ["cr\rname", "lf\nname", "crlf\r\nname", HOSTILE_ID])
def test_tidy_csv_quotes_line_breaks_so_rows_stay_whole(report_id):
    # A crawler's file name can hold a carriage return: it is in every row's report_id.
    check_tidy_csv(hostile_report(["a\rb", "c\nd", "e\r\nf", '"q"', "x,y"], report_id))


@PROPERTY
@given(hostile_texts, st.text(min_size=1, max_size=20))
def test_tidy_csv_any_text(texts, report_id):
    check_tidy_csv(hostile_report(texts, report_id))


# -- Markdown ------------------------------------------------------------------------------------

_UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def _cells_in_row(line: str) -> int:
    """How many cells GFM sees in a table row: unescaped pipes, less the two edges."""
    return len(_UNESCAPED_PIPE.findall(line)) - 1


def check_markdown(report: Report, texts: list[str]) -> str:
    text = dumps(report, "markdown")
    lines = text.split("\n")
    block: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            # A GFM table: the header, the delimiter row, rows; all as wide as the header.
            widths = {_cells_in_row(row) for row in block}
            assert len(widths) == 1, block
            assert re.fullmatch(r"\|(?: :?-+:? \|)+", block[1]), block[1]
            block = []
    assert "<script" not in text and "<b>" not in text  # no raw HTML
    for t in texts:
        # A line break inside a text never starts a new Markdown line with what follows it.
        for rest in re.split(r"\r\n|\r|\n", t)[1:]:
            if rest.strip():
                assert not any(line.strip() == rest.strip() for line in lines), (t, rest)
    return text


def test_markdown_escapes_pipes_and_line_breaks_in_cells():
    writer_or_skip("markdown")
    text = check_markdown(hostile_report(HOSTILE), HOSTILE)
    assert "a\\|b" in text
    assert "line one<br>line two" in text


def test_markdown_a_hostile_report_id_cannot_break_the_metadata_table():
    writer_or_skip("markdown")
    check_markdown(hostile_report(["x"], report_id=HOSTILE_ID), [HOSTILE_ID])


@PROPERTY
@given(hostile_texts, st.text(min_size=1, max_size=20))
def test_markdown_any_text(texts, report_id):
    writer_or_skip("markdown")
    check_markdown(hostile_report(texts, report_id), texts)


# -- every writer, hostile text ------------------------------------------------------------------


def test_every_writer_writes_a_hostile_report():
    """Third-party and future writers too: hostile text never makes a writer fail."""
    report = hostile_report(HOSTILE)
    for contribution in default_engine().writers():
        out = dumps(report, contribution.name)
        assert isinstance(out, str) and out
        if contribution.name == "json":
            data = json.loads(out)
            assert data["metadata"]["report_id"] == HOSTILE_ID
