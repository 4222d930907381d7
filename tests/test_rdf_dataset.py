"""The RDF of a corpus: one Data Cube graph for a batch (``--dataset cells.ttl|.nt|.jsonld``)
that passes the integrity constraints IC-1...IC-21 of the W3C Data Cube recommendation, as the
per-report graphs do; SKOS code lists with the codes' hierarchy; units as concepts; provenance
(source, PROV, DCAT, licence)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

import gongkai
from gongkai.cli.main import main
from gongkai.layouts.codes import load_codes
from gongkai.plugins.rdf_writer import DEFAULT_BASE

from conftest import FIXTURES, SEEDS, seed_path

QB = Namespace("http://purl.org/linked-data/cube#")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
GK = Namespace(f"{DEFAULT_BASE}def/")
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD}
SAMPLES = sorted((FIXTURES / "samples").glob("*.*"))

# -- the integrity constraints ---------------------------------------------------------------

# IC-1...IC-21 of the RDF Data Cube recommendation (section 11.1), each an ASK query that is
# true when the graph breaks the constraint. Written for this suite from the constraints'
# definitions. IC-12 (no two observations with the same dimension values) is checked by
# grouping observations on their dimension values, per structure (see ic12_query); IC-7 to
# IC-10, IC-15 to IC-18, IC-20 and IC-21 are about slices, measure dimensions and hierarchical
# code lists, which gongkai does not use: they hold trivially, and are checked all the same.
PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
CONSTRAINTS = {
    "IC-1": """ASK { { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?d } }
        UNION { ?obs a qb:Observation ; qb:dataSet ?d1, ?d2 . FILTER (?d1 != ?d2) } }""",
    "IC-2": """ASK { { ?ds a qb:DataSet . FILTER NOT EXISTS {
            ?ds qb:structure ?s . ?s a qb:DataStructureDefinition } }
        UNION { ?ds a qb:DataSet ; qb:structure ?s1, ?s2 . FILTER (?s1 != ?s2) } }""",
    "IC-3": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?p .
                            ?p a qb:MeasureProperty }
        FILTER NOT EXISTS { ?dsd qb:component/qb:measure ?m } }""",
    "IC-4": """ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range ?r } }""",
    "IC-5": """ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList ?list } }""",
    "IC-6": """ASK { ?dsd qb:component ?spec . ?spec qb:componentRequired false .
        FILTER NOT EXISTS { ?spec qb:attribute ?a } }""",
    "IC-7": """ASK { ?key a qb:SliceKey .
        FILTER NOT EXISTS { ?dsd a qb:DataStructureDefinition ; qb:sliceKey ?key } }""",
    "IC-8": """ASK { ?key a qb:SliceKey ; qb:componentProperty ?p .
        ?dsd qb:sliceKey ?key . FILTER NOT EXISTS { ?dsd qb:component/qb:dimension ?p } }""",
    "IC-9": """ASK { { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?k } }
        UNION { ?slice a qb:Slice ; qb:sliceStructure ?k1, ?k2 . FILTER (?k1 != ?k2) } }""",
    "IC-10": """ASK { ?slice qb:sliceStructure/qb:componentProperty ?dim .
        FILTER NOT EXISTS { ?slice ?dim ?v } }""",
    "IC-11": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
        FILTER NOT EXISTS { ?obs ?dim ?v } }""",
    "IC-13": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?spec .
        ?spec qb:componentRequired true ; qb:attribute ?a .
        FILTER NOT EXISTS { ?obs ?a ?v } }""",
    "IC-14": """ASK { ?obs qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:dimension qb:measureType }
        ?dsd qb:component/qb:measure ?m . FILTER NOT EXISTS { ?obs ?m ?v } }""",
    "IC-15": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension qb:measureType ;
        qb:measureType ?m . FILTER NOT EXISTS { ?obs ?m ?v } }""",
    "IC-16": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension qb:measureType ;
        qb:measureType ?m ; ?other ?v . ?obs qb:dataSet/qb:structure/qb:component/qb:measure
        ?other . FILTER (?other != ?m) }""",
    "IC-17": """ASK { ?obs1 qb:dataSet ?ds ; qb:measureType ?m1 .
        ?ds qb:structure/qb:component/qb:dimension qb:measureType .
        ?ds qb:structure/qb:component/qb:measure ?m2 . FILTER (?m1 != ?m2)
        FILTER NOT EXISTS { ?obs2 qb:dataSet ?ds ; qb:measureType ?m2 .
            FILTER NOT EXISTS { ?obs1 qb:dataSet/qb:structure/qb:component/qb:dimension ?d .
                FILTER (?d != qb:measureType) ?obs1 ?d ?v1 . ?obs2 ?d ?v2 .
                FILTER (?v1 != ?v2) } } }""",
    "IC-18": """ASK { ?ds qb:slice ?slice . ?slice qb:observation ?obs .
        FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }""",
    "IC-19": """ASK { { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
            ?dim qb:codeList ?list . ?list a skos:ConceptScheme . ?obs ?dim ?v .
            FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }
        UNION { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
            ?dim qb:codeList ?list . ?list a skos:Collection . ?obs ?dim ?v .
            FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } } }""",
    "IC-20": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim ;
        ?dim ?v . ?dim qb:codeList ?list . ?list a qb:HierarchicalCodeList ;
        qb:parentChildProperty ?pcp . FILTER (isIRI(?pcp))
        FILTER NOT EXISTS { ?list qb:hierarchyRoot/<http://example.org/pcp>* ?v } }""",
    "IC-21": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim ;
        ?dim ?v . ?dim qb:codeList ?list . ?list a qb:HierarchicalCodeList ;
        qb:parentChildProperty [ owl:inverseOf ?pcp ] .
        FILTER NOT EXISTS { ?list qb:hierarchyRoot/^<http://example.org/pcp>* ?v } }""",
}


def store(text: str, fmt: str) -> ox.Store:
    s = ox.Store()
    s.load(text.encode("utf-8"), format=OX_FORMATS[fmt])
    return s


def ask(s: ox.Store, query: str) -> bool:
    return bool(s.query("PREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + PREFIXES + query))


def ic20_21(s: ox.Store) -> list[str]:
    """IC-20 and IC-21 need the parent-child property as a path: one query per such list."""
    broken = []
    for (list_, pcp) in s.query(PREFIXES + "SELECT ?l ?p WHERE { ?l a qb:HierarchicalCodeList ;"
                                " qb:parentChildProperty ?p }"):
        for name in ("IC-20", "IC-21"):
            query = CONSTRAINTS[name].replace("<http://example.org/pcp>", str(pcp))
            if ask(s, query.replace("?list a", f"FILTER (?list = {list_}) ?list a")):
                broken.append(name)
    return broken


def ic12_query(s: ox.Store) -> list[str]:
    """IC-12 as one grouping query per structure: observations of a data set that share the
    value of every dimension."""
    queries = []
    structures = s.query(PREFIXES + "SELECT DISTINCT ?dsd WHERE { ?dsd a "
                         "qb:DataStructureDefinition }")
    for (dsd,) in structures:
        dims = [str(d) for (d,) in s.query(
            PREFIXES + f"SELECT ?d WHERE {{ {dsd} qb:component/qb:dimension ?d }}")]
        names = [f"?v{i}" for i in range(len(dims))]
        pattern = " ".join(f"?obs {d} {n} ." for d, n in zip(dims, names, strict=True))
        queries.append(
            PREFIXES + f"ASK {{ SELECT ?ds {' '.join(names)} WHERE {{ ?obs qb:dataSet ?ds . "
            f"?ds qb:structure {dsd} . {pattern} }} GROUP BY ?ds {' '.join(names)} "
            "HAVING (COUNT(DISTINCT ?obs) > 1) }")
    return queries


def violations(s: ox.Store) -> list[str]:
    broken = [name for name, q in CONSTRAINTS.items()
              if name not in ("IC-20", "IC-21") and ask(s, q)]
    broken += ["IC-12" for q in ic12_query(s) if s.query(q)]
    broken += ic20_21(s)
    return sorted(set(broken))


# -- a batch's dataset graph -------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The samples and seeds, copied into one batch root (the README is no report)."""
    root = tmp_path_factory.mktemp("corpus")
    for path in [*SAMPLES, *SEEDS]:
        if path.name != "README.md":
            (root / path.parent.name).mkdir(exist_ok=True)
            (root / path.parent.name / path.name).write_bytes(path.read_bytes())
    return root


#: The time the datasets say they were made (reproducible builds' SOURCE_DATE_EPOCH).
EPOCH = 1700000000


@pytest.fixture(scope="module")
def datasets(corpus, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("datasets")
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        for ext in ("nt", "ttl", "jsonld", "csv"):
            path = out / f"cells.{ext}"
            assert main(["convert", str(corpus), "--dataset", str(path), "-q",
                         "--license", "CC-BY-4.0"]) == 0
            made[ext] = path
    return made


@pytest.fixture(scope="module")
def dataset_store(datasets) -> ox.Store:
    return store(datasets["nt"].read_text(encoding="utf-8"), "nt")


def test_the_dataset_graph_passes_every_integrity_constraint(dataset_store):
    assert violations(dataset_store) == []


def test_one_data_set_per_table_kind_and_template_across_all_reports(dataset_store, corpus):
    reports = [gongkai.convert(p) for p in sorted(corpus.rglob("*.*"))]
    kinds = {(t.code, t.template) for r in reports for t in r.tables}
    found = {d.value for (d,) in dataset_store.query(
        PREFIXES + "SELECT ?d WHERE { ?d a qb:DataSet }")}
    assert found == {f"{DEFAULT_BASE}dataset/{code}/{template}" for code, template in kinds}
    # One structure per table kind, shared by every data set of that kind.
    (n,) = next(iter(dataset_store.query(
        PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a qb:DataStructureDefinition }")))
    assert int(n.value) == len(load_codes().tables)
    # Every report is there, as the observations' report dimension.
    (n,) = next(iter(dataset_store.query(
        PREFIXES + f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?o <{GK.report}> ?r }}")))
    assert int(n.value) == len([r for r in reports if any(c.value is not None
                                                          for c in r.cells())])


def test_every_cell_with_a_value_is_one_observation(dataset_store, datasets):
    import csv

    with open(datasets["csv"], encoding="utf-8", newline="") as f:
        with_value = [r for r in csv.DictReader(f) if r["value"] != ""]
    (n,) = next(iter(dataset_store.query(
        PREFIXES + "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a qb:Observation }")))
    assert int(n.value) == len(with_value)


@pytest.mark.parametrize("ext", ["ttl", "jsonld"])
def test_every_serialization_of_the_dataset_is_the_same_graph(ext, datasets, dataset_store):
    other = store(datasets[ext].read_text(encoding="utf-8"), ext)
    assert set(other) == set(dataset_store)


def test_the_dataset_is_described_with_dcat_prov_and_its_licence(datasets):
    g = Graph().parse(datasets["ttl"], format="turtle")
    catalog = URIRef(f"{DEFAULT_BASE}dataset")
    assert (catalog, RDF.type, DCAT.Dataset) in g
    assert g.value(catalog, DCT.license) == URIRef("http://spdx.org/licenses/CC-BY-4.0")
    activity = g.value(catalog, PROV.wasGeneratedBy)
    ended = g.value(activity, PROV.endedAtTime).toPython()
    assert ended == datetime.datetime.fromtimestamp(EPOCH, datetime.timezone.utc)
    assert str(g.value(g.value(activity, PROV.wasAssociatedWith), RDF.type)).endswith(
        "SoftwareAgent")


def test_the_dataset_graph_streams_report_by_report(datasets):
    # The turtle file states its prefixes once, at the top, and each report's part after them.
    text = datasets["ttl"].read_text(encoding="utf-8")
    prefixes = [i for i, line in enumerate(text.splitlines()) if line.startswith("@prefix")]
    assert prefixes == list(range(len(prefixes)))


def test_per_report_graphs_pass_every_integrity_constraint(seed_reports):
    for report in seed_reports.values():
        for fmt, ext in (("nt", "nt"), ("turtle", "ttl"), ("json-ld", "jsonld")):
            s = store(gongkai.dumps(report, "rdf", options={"format": fmt}), ext)
            assert violations(s) == [], (report.metadata.report_id, fmt)


@pytest.mark.parametrize("name,break_it", [
    ("IC-1", "DELETE { ?o qb:dataSet ?d } WHERE { ?o qb:dataSet ?d } "),
    ("IC-2", "DELETE { ?d qb:structure ?s } WHERE { ?d qb:structure ?s }"),
    ("IC-3", "DELETE { ?c qb:measure ?m } WHERE { ?c qb:measure ?m }"),
    ("IC-4", "DELETE { ?d rdfs:range ?r } WHERE { ?d a qb:DimensionProperty ; rdfs:range ?r }"),
    ("IC-5", "DELETE { ?d qb:codeList ?l } WHERE { ?d a qb:DimensionProperty ; "
             "qb:codeList ?l }"),
    ("IC-6", "INSERT { ?c qb:componentRequired false } WHERE { ?c qb:dimension ?d }"),
    ("IC-11", "DELETE { ?o ?p ?v } WHERE { ?o a qb:Observation ; ?p ?v . "
              "FILTER (STRENDS(STR(?p), '/column')) }"),
    ("IC-12", "INSERT { ?copy ?p ?v } WHERE { ?o a qb:Observation ; ?p ?v . "
              "BIND (IRI(CONCAT(STR(?o), '-copy')) AS ?copy) }"),
    ("IC-13", "INSERT { ?c qb:componentRequired true } WHERE { ?c qb:attribute "
              "<urn:gongkai:def/note> }"),
    ("IC-14", "DELETE { ?o ?m ?v } WHERE { ?o a qb:Observation ; ?m ?v . FILTER (?m = "
              "<http://purl.org/linked-data/sdmx/2009/measure#obsValue>) }"),
    ("IC-19", "DELETE { ?c skos:inScheme ?s } WHERE { ?c skos:inScheme ?s }"),
])
def test_each_constraint_finds_a_cube_that_breaks_it(name, break_it, seed_reports):
    s = store(gongkai.dumps(seed_reports[seed_path("001").stem], "rdf",
                            options={"format": "nt"}), "nt")
    assert violations(s) == []
    s.update(PREFIXES + break_it)
    assert name in violations(s)


# -- batch files carry their format's extension; options with --dataset ------------------------


@pytest.mark.parametrize("fmt,ext", [("nt", ".nt"), ("json-ld", ".jsonld"), ("turtle", ".ttl")])
def test_batch_files_are_named_after_their_serialization(fmt, ext, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(seed_path("000")), str(seed_path("002")), "-o", str(out),
                 "--to", "rdf", "-O", f"format={fmt}", "-q"]) == 0
    files = sorted(f for f in out.rglob("*.*") if not f.name.startswith("."))  # the manifest
    assert files and all(f.suffix == ext for f in files)
    for f in files:
        store(f.read_text(encoding="utf-8"), ext[1:])  # each parses as what its name says


@pytest.mark.parametrize("args,message", [
    (["-O", "wide=true"], "no option 'wide'"),
    (["-O", "nonsense=1"], "no option 'nonsense'"),
    (["-O", "format=turtle"], "says nt"),
    (["--license", "not a licence"], "license must be"),
])
def test_unknown_or_conflicting_options_with_a_dataset_are_errors(args, message, tmp_path,
                                                                   capsys):
    target = tmp_path / ("cells.csv" if "wide=true" in args else "cells.nt")
    assert main(["convert", str(seed_path("000")), "--dataset", str(target), *args]) == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_the_licence_may_come_from_the_configuration(tmp_path):
    config = tmp_path / "gongkai.toml"
    config.write_text('[batch]\nlicense = "CC0-1.0"\n', encoding="utf-8")
    target = tmp_path / "cells.ttl"
    assert main(["convert", str(seed_path("000")), "--dataset", str(target), "-q",
                 "--config", str(config)]) == 0
    g = Graph().parse(target, format="turtle")
    assert g.value(URIRef(f"{DEFAULT_BASE}dataset"), DCT.license) == URIRef(
        "http://spdx.org/licenses/CC0-1.0")


# -- SKOS: the codes' hierarchy -----------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary(seed_reports) -> Graph:
    text = gongkai.dumps(seed_reports[seed_path("001").stem], "rdf")
    return Graph().parse(data=text, format="turtle")


def concept(table: str, kind: str, code: str) -> URIRef:
    return URIRef(f"{DEFAULT_BASE}code/{table}/{kind}/{code}")


@pytest.mark.parametrize("table,kind,group,children", [
    ("requests", "row", "withheld", 8),
    ("requests", "row", "unable", 3),
    ("requests", "row", "not_handled", 5),
    ("requests", "row", "other", 3),
    ("requests", "column", "legal_person", 5),
    ("review_litigation", "row", "litigation", 2),
])
def test_every_group_is_a_concept_over_its_codes(table, kind, group, children, vocabulary):
    g = vocabulary
    parent = concept(table, kind, group)
    assert (parent, RDF.type, SKOS.Concept) in g
    narrower = set(g.objects(parent, SKOS.narrower))
    assert len(narrower) == children
    for child in narrower:
        assert g.value(child, SKOS.broader) == parent
        assert (child, SKOS.topConceptOf, None) not in g
    labels = {lit.language for lit in g.objects(parent, SKOS.prefLabel)}
    assert labels == {"zh", "en"}
    assert str(g.value(parent, SKOS.notation)) == group


def test_the_groups_stand_under_the_results_heading(vocabulary):
    results = concept("requests", "row", "results")
    below = {str(c).rsplit("/", 1)[1] for c in vocabulary.objects(results, SKOS.narrower)}
    assert {"granted", "partly_granted", "withheld", "unable", "not_handled", "other",
            "total"} == below
    scheme = URIRef(f"{DEFAULT_BASE}code/requests/rows")
    assert (results, SKOS.topConceptOf, scheme) in vocabulary


def test_a_child_has_its_own_label_not_its_parents_glued_on(vocabulary):
    g = vocabulary
    secret = concept("requests", "row", "withheld.state_secret")
    third = concept("requests", "row", "withheld.third_party")
    assert Literal("1.属于国家秘密", lang="zh") in set(g.objects(secret, SKOS.prefLabel))
    assert Literal("State secret", lang="en") in set(g.objects(secret, SKOS.prefLabel))
    assert Literal("4.保护第三方合法权益", lang="zh") in set(g.objects(third, SKOS.prefLabel))
    # The form's heading is the parent's label; the printed label stays as an alternative.
    assert Literal("(三)不予公开", lang="zh") in set(g.objects(
        concept("requests", "row", "withheld"), SKOS.prefLabel))
    printed = set(g.objects(secret, SKOS.altLabel))
    assert Literal("(三)不予公开 1.属于国家秘密", lang="zh") in printed
    commercial = concept("requests", "column", "legal_person.commercial")
    assert Literal("商业企业", lang="zh") in set(g.objects(commercial, SKOS.prefLabel))
    # No concept's preferred label carries a heading followed by a numbered item.
    for label in g.objects(None, SKOS.prefLabel):
        assert not re.match(r"^\(.\)\S+ \d\.", str(label)), label


def test_every_concept_has_a_notation_and_is_in_one_scheme(vocabulary):
    g = vocabulary
    for c in set(g.subjects(RDF.type, SKOS.Concept)):
        assert g.value(c, SKOS.notation) is not None, c
        assert len(set(g.objects(c, SKOS.inScheme))) == 1, c
        assert g.value(c, SKOS.broader) is not None or g.value(c, SKOS.topConceptOf), c


# -- units --------------------------------------------------------------------------------------


def test_units_are_concepts_matched_to_qudt(vocabulary):
    g = vocabulary
    item = URIRef(f"{DEFAULT_BASE}code/unit/item")
    money = URIRef(f"{DEFAULT_BASE}code/unit/cny_10k")
    assert g.value(item, SKOS.exactMatch) == URIRef("http://qudt.org/vocab/unit/NUM")
    assert g.value(money, SKOS.closeMatch) == URIRef("http://qudt.org/vocab/unit/CCY_CNY")
    assert int(g.value(money, SDMX_ATTRIBUTE.unitMult)) == 4
    assert str(g.value(money, SKOS.notation)) == "万元"


def test_every_observation_with_a_unit_states_it(seed_reports):
    codes = load_codes()
    for report in seed_reports.values():
        g = Graph().parse(data=gongkai.dumps(report, "rdf", options={"format": "nt"}),
                          format="nt")
        for table in report.tables:
            for cell in table.cells:
                if cell.value is None:
                    continue
                obs = URIRef(f"{DEFAULT_BASE}report/{report.metadata.report_id}/{table.code}/"
                             f"{cell.row}/{cell.column}")
                expected = cell.unit or codes.table(table.code).column(cell.column).unit
                unit = g.value(obs, SDMX_ATTRIBUTE.unitMeasure)
                if expected:
                    assert str(g.value(unit, SKOS.notation)) == expected, obs
                else:
                    assert unit is None, obs


def test_the_templates_count_unit_is_stated(seed_reports):
    # 本年制发件数: the template states 件 for the documents issued.
    report = seed_reports[seed_path("001").stem]
    g = Graph().parse(data=gongkai.dumps(report, "rdf", options={"format": "nt"}), format="nt")
    issued = [o for o in g.subjects(URIRef(f"{DEFAULT_BASE}def/proactive/column"),
                                    concept("proactive", "column", "issued"))]
    assert issued
    for obs in issued:
        assert g.value(obs, SDMX_ATTRIBUTE.unitMeasure) == URIRef(
            f"{DEFAULT_BASE}code/unit/item")


# -- provenance ---------------------------------------------------------------------------------

URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm"


def test_the_source_is_the_reports_url_when_the_crawler_header_gives_it():
    # The header line of the crawl in shared/samples/pingtan-2023.crawl.txt, above a seed.
    data = f"原文链接: {URL}\n".encode() + seed_path("000").read_bytes()
    report = gongkai.convert_bytes(data, filename="/home/someone/crawl/000.txt")
    assert report.metadata.url == URL
    g = Graph().parse(data=gongkai.dumps(report, "rdf"), format="turtle")
    r = URIRef(f"{DEFAULT_BASE}report/000")
    assert g.value(r, DCT.source) == URIRef(URL)
    assert "/home/someone" not in gongkai.dumps(report, "rdf")


def test_without_a_url_the_source_is_the_files_hash_and_name_never_its_directories():
    import hashlib

    data = seed_path("000").read_bytes()
    report = gongkai.convert_bytes(data, filename="/home/someone/crawl/000.txt")
    text = gongkai.dumps(report, "rdf")
    assert "/home/someone" not in text
    g = Graph().parse(data=text, format="turtle")
    source = g.value(URIRef(f"{DEFAULT_BASE}report/000"), DCT.source)
    assert str(source).startswith("ni:///sha-256;")
    assert str(g.value(source, GK.sha256)) == hashlib.sha256(data).hexdigest()
    assert str(g.value(source, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == \
        "000.txt"


def test_the_conversion_is_stated_in_prov(seed_reports):
    report = seed_reports[seed_path("001").stem]
    g = Graph().parse(data=gongkai.dumps(report, "rdf", options={"license": "CC-BY-4.0"}),
                      format="turtle")
    r = URIRef(f"{DEFAULT_BASE}report/{report.metadata.report_id}")
    activity = g.value(r, PROV.wasGeneratedBy)
    agents = {str(g.value(a, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
              for a in g.objects(activity, PROV.wasAssociatedWith)}
    assert f"gongkai {gongkai.__version__}" in agents
    assert report.metadata.reader in agents
    assert {t.plugin for t in report.tables} <= agents
    assert g.value(r, DCT.license) == URIRef("http://spdx.org/licenses/CC-BY-4.0")


def test_an_html_page_gives_its_own_address():
    page = (FIXTURES / "samples" / "city-2025.html").read_text(encoding="utf-8")
    head = f'<link rel="canonical" href="{URL}"><meta property="og:url" content="https://x.cn/">'
    marked = page.replace("<head>", "<head>" + head, 1)
    assert marked != page
    report = gongkai.convert_bytes(marked.encode("utf-8"), filename="city.html")
    assert report.metadata.url == URL
    g = Graph().parse(data=gongkai.dumps(report, "rdf"), format="turtle")
    assert g.value(URIRef(f"{DEFAULT_BASE}report/city"), DCT.source) == URIRef(URL)
    # Without one, the page has no URL (a link in its text is no statement of its address).
    assert gongkai.convert(FIXTURES / "samples" / "city-2025.html").metadata.url == ""
