"""The RDF writer: parsed back with rdflib, one observation per tidy CSV cell with a value, a
well-formed Data Cube (checked with integrity constraints of the W3C recommendation), SKOS code
lists with Chinese and English labels, and IRIs that stay safe whatever the file name."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import attrs
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

import gongkai
from gongkai.layouts.codes import load_codes
from gongkai.plugins.rdf_writer import DEFAULT_BASE, part

from conftest import SEEDS, seed_path
from writer_samples import sample_report

QB = Namespace("http://purl.org/linked-data/cube#")
PARSERS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}


def parsed(report, fmt: str = "turtle", **options) -> Graph:
    text = gongkai.dumps(report, "rdf", options={"format": fmt, **options})
    return Graph().parse(data=text, format=PARSERS[fmt])


def cells_with_values(report) -> list[dict[str, str]]:
    rows = csv.DictReader(io.StringIO(gongkai.dumps(report, "csv")))
    return [r for r in rows if r["value"] != ""]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_one_observation_per_tidy_cell_with_a_value(path, seed_reports):
    report = seed_reports[path.stem]
    g = parsed(report)
    tidy = cells_with_values(report)
    observations = set(g.subjects(RDF.type, QB.Observation))
    assert len(observations) == len(tidy)
    # ... and each is that cell: same value, raw text and line.
    gk = Namespace(f"{DEFAULT_BASE}def/")
    rid = report.metadata.report_id
    for row in tidy[:: max(1, len(tidy) // 25)]:
        obs = URIRef(f"{DEFAULT_BASE}report/{part(rid)}/{row['table']}/{part(row['row'])}/"
                     f"{part(row['column'])}")
        assert obs in observations
        value = g.value(obs, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"))
        assert float(value.toPython()) == float(row["value"])
        assert str(g.value(obs, gk.raw)) == row["raw"]
        assert int(g.value(obs, gk.line).toPython()) == int(row["line"])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", ["json-ld", "nt"])
def test_every_serialization_carries_the_same_graph(fmt, seed_reports):
    from rdflib.compare import isomorphic

    report = seed_reports[seed_path("001").stem]
    assert isomorphic(parsed(report, fmt), parsed(report, "turtle"))


def test_unknown_serialization_is_a_usage_error(seed_reports):
    with pytest.raises(gongkai.UsageError, match="turtle, json-ld, nt"):
        gongkai.dumps(seed_reports[SEEDS[0].stem], "rdf", options={"format": "rdfxml"})


# -- the Data Cube is well formed ------------------------------------------------------------

# Integrity constraints of the RDF Data Cube recommendation (section 11), as ASK queries that
# find a violation. Written for this test from the constraints' definitions.
PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
VIOLATIONS = {
    "IC-1 one data set per observation": """ASK { ?obs a qb:Observation .
        FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }""",
    "IC-2 one structure per data set": """ASK { ?ds a qb:DataSet .
        FILTER NOT EXISTS { ?ds qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } }""",
    "IC-3 a structure has a measure": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component [ qb:measure ?m ] } }""",
    "IC-4 dimensions have a range": """ASK { ?dim a qb:DimensionProperty .
        FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-5 coded dimensions have a code list": """ASK { ?dim a qb:DimensionProperty ;
        rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-11 every dimension has a value": """ASK { ?obs qb:dataSet/qb:structure/qb:component/
        qb:dimension ?dim . FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-14 every measure has a value": """ASK { ?obs qb:dataSet/qb:structure/qb:component/
        qb:measure ?m . FILTER NOT EXISTS { ?obs ?m [] } }""",
    "IC-19 codes come from the code list": """ASK { ?obs qb:dataSet/qb:structure/qb:component/
        qb:dimension ?dim . ?dim qb:codeList ?list . ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v skos:inScheme ?list } }""",
}


@pytest.mark.parametrize("name", list(VIOLATIONS))
def test_integrity_constraint_holds(name, seed_reports):
    g = parsed(seed_reports[seed_path("001").stem])
    assert not g.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + PREFIXES +
                       VIOLATIONS[name]).askAnswer


def duplicate_observations(g: Graph) -> list:
    """IC-12, in Python (as SPARQL it compares every pair): observations of one data set with
    the same value for every dimension."""
    seen: dict[tuple, object] = {}
    duplicates = []
    for obs in g.subjects(RDF.type, QB.Observation):
        ds = g.value(obs, QB.dataSet)
        dims = sorted(str(d) for c in g.objects(g.value(ds, QB.structure), QB.component)
                      for d in g.objects(c, QB.dimension))
        key = (ds, *(g.value(obs, URIRef(d)) for d in dims))
        if key in seen:
            duplicates.append(obs)
        seen[key] = obs
    return duplicates


def test_integrity_constraint_12_no_duplicate_observations(seed_reports):
    g = parsed(seed_reports[seed_path("001").stem])
    assert duplicate_observations(g) == []
    # A copy of an observation under another IRI is found.
    obs = next(iter(g.subjects(RDF.type, QB.Observation)))
    for p, o in list(g.predicate_objects(obs)):
        g.add((URIRef(str(obs) + "-copy"), p, o))
    assert len(duplicate_observations(g)) == 1


def test_integrity_check_finds_a_broken_cube(seed_reports):
    # The constraints can fail: remove one observation's column and IC-11 finds it.
    g = parsed(seed_reports[seed_path("001").stem])
    obs = next(iter(g.subjects(RDF.type, QB.Observation)))
    column = URIRef(f"{DEFAULT_BASE}def/{str(obs).split('/')[-3]}/column")
    g.remove((obs, column, None))
    assert g.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + PREFIXES +
                   VIOLATIONS["IC-11 every dimension has a value"]).askAnswer


def test_one_structure_per_table_with_the_components(seed_reports):
    g = parsed(seed_reports[seed_path("000").stem])
    structures = set(g.subjects(RDF.type, QB.DataStructureDefinition))
    assert len(structures) == len(load_codes().tables)
    for dsd in structures:
        components = list(g.objects(dsd, QB.component))
        dims = [d for c in components for d in g.objects(c, QB.dimension)]
        measures = [m for c in components for m in g.objects(c, QB.measure)]
        attributes = {str(a).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                      for c in components for a in g.objects(c, QB.attribute)}
        assert len(dims) == 3 and len(measures) == 1
        assert {"unitMeasure", "raw", "line", "status"} <= attributes


def test_code_lists_have_chinese_and_english_labels(seed_reports):
    g = parsed(seed_reports[seed_path("000").stem])
    for table in load_codes().tables:
        for kind, items in (("row", table.rows), ("column", table.columns)):
            scheme = URIRef(f"{DEFAULT_BASE}code/{table.code}/{kind}s")
            assert (scheme, RDF.type, SKOS.ConceptScheme) in g
            concepts = set(g.subjects(SKOS.inScheme, scheme))
            assert len(concepts) == len(items) + len(table.groups_of(kind))
            for item in items:
                concept = URIRef(f"{DEFAULT_BASE}code/{table.code}/{kind}/{part(item.code)}")
                labels = set(g.objects(concept, SKOS.prefLabel))
                assert Literal(table.own_label(item), lang="zh") in labels
                assert Literal(table.own_label(item, "en"), lang="en") in labels
                assert str(g.value(concept, SKOS.notation)) == item.code
            labels = set(g.objects(scheme, SKOS.prefLabel))
            assert {lit.language for lit in labels} == {"zh", "en"}


def test_report_metadata_in_dcterms(seed_reports):
    report = seed_reports[seed_path("000").stem]
    g = parsed(report)
    dct = Namespace("http://purl.org/dc/terms/")
    r = URIRef(f"{DEFAULT_BASE}report/{report.metadata.report_id}")
    assert str(g.value(r, dct.identifier)) == report.metadata.report_id
    publisher = g.value(r, dct.publisher)
    assert str(g.value(publisher, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == \
        report.metadata.agency
    assert g.value(r, dct.issued).toPython().isoformat() == report.metadata.published
    assert str(g.value(r, dct.temporal)) == str(report.metadata.year)
    # conformsTo names the schema by its IRI; the data sets are the corpus's, one per table
    # kind and template.
    assert g.value(r, dct.conformsTo) == URIRef(
        f"urn:gongkai:schema:report:{report.schema_version}")
    datasets = set(g.subjects(RDF.type, QB.DataSet))
    assert datasets == {URIRef(f"{DEFAULT_BASE}dataset/{t.code}/{t.template}")
                        for t in report.tables}


# -- IRIs ------------------------------------------------------------------------------------


def test_base_iri_is_configurable(seed_reports):
    base = "https://data.example.org/gongkai/"
    g = parsed(seed_reports[SEEDS[0].stem], base=base)
    ours = {str(n) for t in g for n in t if isinstance(n, URIRef)
            if not any(v in str(n) for v in ("purl.org", "w3.org", "qudt.org", "ni:///",
                                                  "urn:gongkai:schema:", "spdx.org"))}
    assert ours and all(n.startswith(base) for n in ours)


@pytest.mark.parametrize("base", ["not an iri", "https://x.org/a b/", "https://x.org/<x>/",
                                  "relative/path/", "https://x.org/no-end"])
def test_unsafe_base_is_refused(base, seed_reports):
    with pytest.raises(gongkai.UsageError, match="base must be an absolute IRI"):
        gongkai.dumps(seed_reports[SEEDS[0].stem], "rdf", options={"base": base})


@pytest.mark.parametrize("report_id", ["../../etc/passwd", "a b<c>\"{}|^`\\", "报告 #1?x=2",
                                       "..", "\n> <urn:x> <urn:y> <urn:z> ."])
def test_iris_are_safe_whatever_the_file_name(report_id):
    report = sample_report(report_id)
    for fmt in ("nt", "turtle"):
        g = parsed(report, fmt)
        subjects = {str(s) for s in g.subjects(RDF.type, QB.Observation)}
        assert subjects and all(s.startswith(f"{DEFAULT_BASE}report/") for s in subjects)
        for node in (n for t in g for n in t if isinstance(n, URIRef)):
            assert not set(str(node)) & set(" <>\"{}|^`\\\n"), node
            assert "/../" not in str(node) and not str(node).endswith("/..")
        # The id itself survives as a literal.
        assert Literal(report_id) in set(g.objects(None, URIRef(
            "http://purl.org/dc/terms/identifier")))
    assert ("urn:x", "urn:y", "urn:z") not in {tuple(map(str, t)) for t in parsed(report, "nt")}


def test_agency_is_hashed_into_its_iri():
    g = parsed(sample_report())
    (publisher,) = set(g.objects(None, URIRef("http://purl.org/dc/terms/publisher")))
    assert str(publisher).startswith(f"{DEFAULT_BASE}agency/")
    assert all(c in "0123456789abcdef" for c in str(publisher).rsplit("/", 1)[1])


def test_codes_the_codes_do_not_know_become_concepts():
    g = parsed(sample_report())
    concept = URIRef(f"{DEFAULT_BASE}code/requests/row/regional.extra")
    assert (concept, RDF.type, SKOS.Concept) in g
    assert str(g.value(concept, SKOS.notation)) == "regional.extra"


def test_observations_keep_unit_note_and_status():
    g = parsed(sample_report())
    obs = URIRef(f"{DEFAULT_BASE}report/sample/requests/regional.extra/total")
    gk = Namespace(f"{DEFAULT_BASE}def/")
    unit = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure")
    assert str(g.value(g.value(obs, unit), SKOS.notation)) == "万元"
    assert str(g.value(obs, gk.note)) == "其中|注"
    assert str(g.value(obs, gk.status)) == "ok"
    assert str(g.value(obs, gk.raw)) == "@1.5(其中|注)"
    # Cells without a value (empty, placeholder, unparsed, missing) are no observations.
    assert len(set(g.subjects(RDF.type, QB.Observation))) == 4


def test_rdflib_is_imported_only_when_the_rdf_writer_runs():
    code = (
        "import sys, gongkai; r = gongkai.convert(sys.argv[1]); gongkai.dumps(r, 'json'); "
        "gongkai.dumps(r, 'csv'); print('rdflib' in sys.modules); gongkai.dumps(r, 'rdf'); "
        "print('rdflib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(seed_path("000"))],
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("value", [0.00001, 1.5, 42780.0, 1e20, -3.25])
def test_decimal_values_have_a_valid_lexical_form(value):
    report = sample_report()
    table = report.tables[0]
    cells = tuple(attrs.evolve(c, value=value) if c.row == "regional.extra" else c
                  for c in table.cells)
    report = attrs.evolve(report, tables=(attrs.evolve(table, cells=cells),))
    g = parsed(report, "nt")
    obs = URIRef(f"{DEFAULT_BASE}report/sample/requests/regional.extra/total")
    literal = g.value(obs, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"))
    assert literal.datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    assert literal.ill_typed is False
    assert "e" not in str(literal).lower()
    assert float(literal.toPython()) == value


def test_one_agency_written_with_and_without_the_levels_above_it_is_one_iri():
    # 淮安市洪泽区人民政府 (2023), 洪泽区人民政府 (2024): one agency key (gongkai.interpret.agency),
    # one IRI.
    from conftest import FIXTURES

    iris = set()
    for year in (2023, 2024):
        report = gongkai.convert(FIXTURES / "samples" / f"hongze-{year}.pdf.txt")
        text = gongkai.dumps(report, "rdf", options={"format": "nt"})
        iris |= {t for line in text.splitlines() for t in line.split()
                 if t.startswith("<") and "agency/" in t}
    assert len(iris) == 1, iris
