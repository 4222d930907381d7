"""The RDF writer's own Turtle and N-Triples (gongkai.plugins._turtle) against rdflib's: for
every report and option the text is rdflib 7's ``graph.serialize`` of the same triples, byte for
byte, and the Turtle reads back as the same graph. Where our rules do not reach, rdflib writes
the graph.

The reports: the seeds, every fixture the writer can take, odd metadata (quotes, backslashes,
line breaks, U+2028, characters beyond the BMP, empty and very long texts, IRIs that are
namespaces or end in "."), any text (hypothesis), odd values, every option (bases ending in
/ # :, licences as SPDX identifiers and IRIs), generated reports of every shape, the dataset's
header and chunks, and random graphs of odd IRIs and literals.
"""

from __future__ import annotations

import math

import attrs
import pytest
import reportgen
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

import gongkai
from gongkai.errors import GongkaiError
from gongkai.plugins import _turtle, rdf_writer

from conftest import FIXTURES, SEEDS
from writer_samples import sample_report

#: Inputs under tests/fixtures that are reports (the others are refused before any writer).
REPORTS = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md"
                 and p.suffix not in (".toml", ".zip", ".png") and "hostile" not in p.parts)
BASES = ["urn:gongkai:", "https://data.example.org/gongkai/", "http://example.org/v#",
         "urn:x:"]
LICENSES = ["", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
            "urn:gongkai:def/licence", "http://purl.org/dc/terms/", "http://x.org/a.",
            "http://x.org/a(b)%zz%41", "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"]
#: Texts a report's metadata, cells and notes may hold that Turtle must quote with care.
ODD = ['"', '""', '"""', 'a"', 'a\n"', 'a\n""', '\n"""\n', "\\", "a\\", "\\n", "\\\"", "\n",
       "\r", "\r\n", "a\nb", "x\u2028y", "\u2029", "\x85", "\x00", "\x1f", "\x7f", "😀", "𠀀𪚥",
       "", " ", "\t", "é", "e\u0301", "<urn:x>", "_:b0", "@en", "^^", "'", "'''",
       "长" * 5000, "a" * 20000 + '"', "%", "%2e", "(x)"]


def ours_and_rdflibs(report, base: str = rdf_writer.DEFAULT_BASE, license: str = "",
                     vocabulary: bool = True, fmt: str = "turtle") -> tuple[str, str, Graph]:
    """Our Turtle (or N-Triples) of the report, rdflib's of the same triples, and rdflib's
    graph of them."""
    own = rdf_writer._report_triples(report, base, license)
    shared = rdf_writer._shared(base) if vocabulary else None
    write = _turtle.document if fmt == "turtle" else _turtle.ntriples
    ours = write(own, rdf_writer._prefixes(base), shared)
    parts = (rdf_writer._vocabulary(base), own) if vocabulary else (own,)
    graph = rdf_writer.rdflib_graph(base, *parts)
    return ours, rdf_writer._serialize(graph, fmt, base), graph


def same_as_rdflib(report, base: str = rdf_writer.DEFAULT_BASE, license: str = "",
                   vocabulary: bool = True, parse: bool = True) -> None:
    for fmt in ("turtle", "nt"):
        ours, theirs, graph = ours_and_rdflibs(report, base, license, vocabulary, fmt)
        assert ours == theirs, fmt
        if parse and fmt == "turtle":  # and what we wrote is the graph
            assert isomorphic(Graph().parse(data=ours, format=fmt), graph)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_the_seeds(path, seed_reports):
    same_as_rdflib(seed_reports[path.stem])
    same_as_rdflib(seed_reports[path.stem], vocabulary=False)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_fixture(path):
    same_as_rdflib(gongkai.convert(path))


OPTIONS = [(base, "") for base in BASES] + [(BASES[i % len(BASES)], license)
                                            for i, license in enumerate(LICENSES[1:])]


@pytest.mark.parametrize(("base", "license"), OPTIONS)
def test_every_option(base, license, seed_reports):
    report = seed_reports[SEEDS[1].stem]
    same_as_rdflib(report, base, license, parse=license != LICENSES[-1])  # (rdf:nil: "()")
    text = gongkai.dumps(report, "rdf", options={"base": base, "license": license})
    assert text == ours_and_rdflibs(report, base, license)[1]


def odd_report(text: str, url: str = ""):
    """The sample report with ``text`` everywhere a report has free text."""
    report = sample_report()
    m = attrs.evolve(report.metadata, title=text, agency=text or "x", reader=text, url=url,
                     published=text, signed=text, source=text)
    cells = tuple(attrs.evolve(c, raw=text, note=text) for c in report.tables[0].cells)
    return attrs.evolve(report, metadata=m, tables=(attrs.evolve(report.tables[0],
                                                                 cells=cells),))


@pytest.mark.parametrize("text", ODD, ids=lambda t: repr(t[:12]))
def test_odd_texts(text):
    same_as_rdflib(odd_report(text), parse="\x00" not in text)


@pytest.mark.parametrize("url", ["http://x.org/r?a=1&b=(2)", "http://purl.org/dc/terms/",
                                 "urn:gongkai:report/a.", "http://www.w3.org/XML/1998/namespaceX",
                                 "http://x.org/%E6%8A%A5%", "http://x.org/a·b", "http://x.org/_"])
def test_odd_source_iris(url):
    same_as_rdflib(odd_report("t", url))


@fuzz_settings(20)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
       st.sampled_from(["", "http://x.org/a", "http://x.org/" + "%41(b)."]))
def test_any_text(text, url):
    same_as_rdflib(odd_report(text, url), vocabulary=False, parse=False)


def test_a_lone_surrogate_is_written_as_rdflib_writes_it():
    # rdflib encodes its output with errors replaced: both write "?". (In literals only: a
    # name made into an IRI or hash needs UTF-8.)
    report = sample_report()
    cells = tuple(attrs.evolve(c, raw="a\ud800b", note="\udfff") for c in report.tables[0].cells)
    report = attrs.evolve(report, metadata=attrs.evolve(report.metadata, title="\ud800"),
                          tables=(attrs.evolve(report.tables[0], cells=cells),))
    ours, theirs, _ = ours_and_rdflibs(report)
    assert ours == theirs and "a?b" in ours
    # N-Triples: rdflib encodes strictly, and fails; our writer leaves that to it.
    with pytest.raises(_turtle.Unsupported):
        ours_and_rdflibs(report, fmt="nt")
    with pytest.raises(gongkai.PluginError, match="UnicodeEncodeError"):
        gongkai.dumps(report, "rdf", options={"format": "nt"})


@pytest.mark.parametrize("value", [0, -3, 10**30, True, 1.5, -0.0, 1e-5, 1e20, 42780.0,
                                   math.inf, -math.inf, math.nan])
def test_odd_values(value):
    report = sample_report()
    cells = tuple(attrs.evolve(c, value=value) if c.value is not None else c
                  for c in report.tables[0].cells)
    report = attrs.evolve(report, tables=(attrs.evolve(report.tables[0], cells=cells),))
    same_as_rdflib(report, parse=not (isinstance(value, float) and math.isnan(value)))


@pytest.mark.parametrize(("value", "datatype"), [
    (0, None), (-7, None), (10**30, None), (True, None), (False, None),
    ("1.5", "decimal"), ("1.50", "decimal"), ("007.5", "decimal"), ("-0", "decimal"),
    ("-0.0", "decimal"), ("1e5", "decimal"), ("1.", "decimal"), (".5", "decimal"),
    ("inf", "decimal"), ("nan", "decimal"), ("x", "decimal"), ("2021-01-31", "date"),
    ("2021-02-30", "date"), ("2021", "gYear"), ("0000", "gYear"), ("10000", "gYear"),
    ("2026-12-03T14:00:00Z", "dateTime"), ("2026-12-03T14:00:00", "dateTime")])
def test_literals_hold_rdflibs_lexical_forms(value, datatype):
    from rdflib import Literal, URIRef

    dt = _turtle.XSD + datatype if datatype else None
    ours = rdf_writer.literal(value, datatype=dt)
    theirs = Literal(value, datatype=URIRef(dt) if dt else None)
    assert ours == (str(theirs), "", str(theirs.datatype))
    assert _turtle.rdflib_term(ours) == theirs


def test_two_cells_of_one_row_and_column_are_one_observation():
    report = sample_report()
    table = report.tables[0]
    twice = (*table.cells, attrs.evolve(table.cells[0], value=7, raw="7", line=99))
    same_as_rdflib(attrs.evolve(report, tables=(attrs.evolve(table, cells=twice),)))


@pytest.mark.parametrize("shape", sorted(reportgen.SHAPES))
def test_generated_reports(shape):
    for case in reportgen.cases(shape, range(1)):
        try:
            report = gongkai.convert_text(case.text)
        except GongkaiError:  # a shape this seed cannot be read in: nothing to write
            continue
        # (the report's own triples: with the vocabulary's, the seeds and fixtures have them)
        same_as_rdflib(report, vocabulary=False, parse=False)


# -- the dataset's chunks ---------------------------------------------------------------------


def test_the_dataset_header_and_chunks(seed_reports):
    options = {"base": "http://example.org/v#", "license": "CC-BY-4.0"}
    base, license = rdf_writer._options(options)
    for report in seed_reports.values():
        graph = rdf_writer.rdflib_graph(base, rdf_writer._report_triples(report, base, license))
        expected = "\n" + rdf_writer._turtle_body(graph.serialize(format="turtle"), base)
        assert rdf_writer.report_chunk(report, "turtle", options) == expected
    header = rdf_writer.dataset_header("turtle", options)
    g: dict = {}
    rdf_writer.describe_dataset(g, base, license, rdf_writer.now())
    graph = rdf_writer.rdflib_graph(base, rdf_writer._vocabulary(base), g)
    assert header.endswith(rdf_writer._turtle_body(graph.serialize(format="turtle"), base))


# -- where rdflib writes it --------------------------------------------------------------------


def test_a_table_the_codes_do_not_know_is_written_by_rdflib():
    # Its dimensions are predicates in a namespace with no prefix: rdflib invents one (ns1),
    # numbered in its store's hash order; our writer leaves the graph to rdflib.
    report = sample_report()
    table = attrs.evolve(report.tables[0], code="regional")
    cells = tuple(attrs.evolve(c, table="regional") for c in table.cells)
    report = attrs.evolve(report, tables=(attrs.evolve(table, cells=cells),))
    with pytest.raises(_turtle.Unsupported, match="namespace with no prefix"):
        ours_and_rdflibs(report)
    text = gongkai.dumps(report, "rdf")
    assert "@prefix ns1: <urn:gongkai:def/regional/> ." in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), rdf_writer.build_graph(report))


# -- random graphs -------------------------------------------------------------------------------

NAMESPACES = ["urn:gongkai:def/", "urn:gongkai:code/", "http://purl.org/dc/terms/",
              "http://www.w3.org/2004/02/skos/core#", "http://other.example/", "urn:x:",
              "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/01/rdf-schema#"]
LOCAL = st.text(alphabet="aZ09_-.%()·éー\u0301\u02b0/#:汉𠀀", max_size=8)
IRIS = st.builds(lambda ns, local: ns + local, st.sampled_from(NAMESPACES), LOCAL)
LANGS = st.sampled_from(["", "zh", "en", "zh-hans"])
DATATYPES = st.sampled_from(["", _turtle.XSD + "string", _turtle.XSD + "date",
                             _turtle.XSD + "gYear", "http://other.example/t"])
LITERALS = st.one_of(
    st.builds(lambda t, lang: (t, lang, ""), st.text(max_size=12), LANGS),
    st.builds(lambda t, dt: (t, "", dt), st.text(max_size=12), DATATYPES),
    st.integers().map(rdf_writer.literal), st.booleans().map(rdf_writer.literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: rdf_writer.literal(f"{d:f}", datatype=_turtle.XSD_DECIMAL)))
PREDICATES = st.sampled_from([_turtle.RDF_TYPE, _turtle.RDFS_LABEL, rdf_writer.SKOS + "notation",
                              rdf_writer.DCTERMS + "title", rdf_writer.QB + "dataSet",
                              "urn:gongkai:def/raw"])
OBJECTS = st.one_of(IRIS, LITERALS, st.just(_turtle.RDFS_CLASS), st.just(_turtle.RDF_NIL))
TRIPLES = st.lists(st.tuples(IRIS, PREDICATES, OBJECTS), max_size=25)


@fuzz_settings(150)
@given(TRIPLES, TRIPLES)
def test_random_graphs(own_triples, shared_triples):
    own: _turtle.Triples = {}
    common: _turtle.Triples = {}
    # (every other shared triple in both parts: it counts once)
    for spo, triples in ((own, own_triples + shared_triples[::2]), (common, shared_triples)):
        for s, p, o in triples:
            rdf_writer.add(spo, s, p, o)
    ns = rdf_writer._prefixes(rdf_writer.DEFAULT_BASE)
    try:
        shared = _turtle.Shared(common, ns)
        ours = _turtle.document(own, ns, shared)
    except _turtle.Unsupported:
        return  # rdflib's to write
    graph = rdf_writer.rdflib_graph(rdf_writer.DEFAULT_BASE, common, own)
    assert ours == graph.serialize(format="turtle")
    nt = rdf_writer._serialize(graph, "nt", rdf_writer.DEFAULT_BASE)
    assert _turtle.ntriples(own, ns, shared) == nt
