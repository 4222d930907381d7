"""RDF output: the W3C RDF Data Cube vocabulary, with SKOS code lists and dcterms metadata.

* one ``qb:DataStructureDefinition`` per table kind: dimensions report, row code, column code;
  the measure ``sdmx-measure:obsValue``; the unit (``sdmx-attribute:unitMeasure``), raw text,
  source line, status and note as attributes;
* one ``qb:DataSet`` per table of the report, one ``qb:Observation`` per cell that has a value;
* ``skos:ConceptScheme`` of the row codes and of the column codes of each table, with Chinese
  and English labels from gongkai.codes;
* the report described with ``dcterms`` (title, publisher, year, dates, language, source).

IRIs are ``BASE`` + a path whose parts are percent-encoded (the report id, from a file name,
and the codes); the agency, free text, is hashed. rdflib is imported only when this writer
runs, so it costs nothing to ``gongkai`` start-up. See docs/outputs.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import TextIO
from urllib.parse import quote

from gongkai import hookimpl
from gongkai.codes import load_codes
from gongkai.errors import UsageError
from gongkai.model import Report
from gongkai.plugin_types import Writer, WriterOption
from gongkai.tidy import format_number
from gongkai.writer_options import choice

NAME = "rdf"
DEFAULT_BASE = "urn:gongkai:"
#: Option value -> rdflib serializer name.
FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}

QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"

#: An absolute IRI prefix: a scheme, then no character that IRIs forbid.
_BASE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*[/#:]$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def part(text: str) -> str:
    """One path segment of an IRI: every character but A-Z a-z 0-9 - . _ ~ percent-encoded."""
    encoded = quote(text, safe="")
    # "." and ".." are path steps, not names, to anything that resolves the IRI.
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded or "_"


def hashed(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_base(base: str) -> str:
    if not _BASE.match(base):
        raise UsageError(
            f"rdf option base must be an absolute IRI ending in '/', '#' or ':' without spaces "
            f"or <>\"{{}}|\\^` characters (e.g. https://data.example.org/gongkai/), "
            f"not {base!r}")
    return base


class _Iris:
    """Every IRI the output mints, from the base."""

    def __init__(self, base: str, report_id: str):
        from rdflib import URIRef

        self.U = URIRef
        self.base = base
        self.report = URIRef(f"{base}report/{part(report_id)}")

    def vocab(self, name: str) -> object:
        return self.U(f"{self.base}def/{name}")

    def dimension(self, table: str, kind: str) -> object:
        return self.U(f"{self.base}def/{part(table)}/{kind}")

    def structure(self, table: str, component: str = "") -> object:
        tail = f"/{component}" if component else ""
        return self.U(f"{self.base}def/{part(table)}/structure{tail}")

    def scheme(self, table: str, kind: str) -> object:
        return self.U(f"{self.base}code/{part(table)}/{kind}s")

    def concept(self, table: str, kind: str, code: str) -> object:
        return self.U(f"{self.base}code/{part(table)}/{kind}/{part(code)}")

    def dataset(self, table: str) -> object:
        return self.U(f"{self.report}/{part(table)}")

    def observation(self, table: str, row: str, column: str) -> object:
        return self.U(f"{self.report}/{part(table)}/{part(row)}/{part(column)}")

    def agency(self, name: str) -> object:
        return self.U(f"{self.base}agency/{hashed(name)}")


def build_graph(report: Report, base: str = DEFAULT_BASE):
    """The report as an rdflib Graph (Data Cube, SKOS, dcterms)."""
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

    qb, skos, dct = Namespace(QB), Namespace(SKOS), Namespace(DCTERMS)
    measure, attribute = Namespace(SDMX_MEASURE), Namespace(SDMX_ATTRIBUTE)
    iri = _Iris(check_base(base), report.metadata.report_id)
    g = Graph()
    for prefix, ns in (("qb", qb), ("skos", skos), ("dcterms", dct),
                       ("sdmx-measure", measure), ("sdmx-attribute", attribute),
                       ("gk", f"{iri.base}def/"), ("gkcode", f"{iri.base}code/")):
        g.bind(prefix, ns)
    codes = load_codes()
    for t in codes.tables:  # each table's dimensions and structure: gk-requests:row ...
        g.bind(f"gk-{t.code}", f"{iri.base}def/{part(t.code)}/")

    def zh_en(node, zh: str, en: str, prop=skos.prefLabel) -> None:
        g.add((node, prop, Literal(zh, lang="zh")))
        if en:
            g.add((node, prop, Literal(en, lang="en")))

    # -- vocabulary: properties shared by every table ------------------------------------
    report_dim = iri.vocab("report")
    g.add((report_dim, RDF.type, qb.DimensionProperty))
    g.add((report_dim, RDFS.range, dct.BibliographicResource))
    g.add((report_dim, RDFS.label, Literal("report", lang="en")))
    g.add((measure.obsValue, RDF.type, qb.MeasureProperty))
    g.add((attribute.unitMeasure, RDF.type, qb.AttributeProperty))
    attributes = {"raw": XSD.string, "line": XSD.integer, "status": XSD.string,
                  "note": XSD.string}
    for name, datatype in attributes.items():
        prop = iri.vocab(name)
        g.add((prop, RDF.type, qb.AttributeProperty))
        g.add((prop, RDFS.label, Literal(name, lang="en")))
        g.add((prop, RDFS.range, datatype))
    attribute_props = [attribute.unitMeasure, *(iri.vocab(n) for n in attributes)]

    # -- per table kind: code lists, dimensions, structure -------------------------------
    extra = {(c.table, kind, code) for c in report.cells()
             for kind, code in (("row", c.row), ("column", c.column))}
    for t in codes.tables:
        structure = iri.structure(t.code)
        g.add((structure, RDF.type, qb.DataStructureDefinition))
        zh_en(structure, t.zh, t.en, RDFS.label)
        components = [("report", report_dim, qb.dimension)]
        for kind, items in (("row", t.rows), ("column", t.columns)):
            scheme, dim = iri.scheme(t.code, kind), iri.dimension(t.code, kind)
            g.add((scheme, RDF.type, skos.ConceptScheme))
            g.add((scheme, skos.notation, Literal(f"{t.code}.{kind}s")))
            g.add((scheme, RDFS.label, Literal(f"{t.en}: {kind} codes", lang="en")))
            g.add((dim, RDF.type, qb.DimensionProperty))
            g.add((dim, RDF.type, qb.CodedProperty))
            g.add((dim, qb.codeList, scheme))
            g.add((dim, RDFS.range, skos.Concept))
            g.add((dim, RDFS.label, Literal(f"{t.code} {kind}", lang="en")))
            known = [(c.code, c.zh, c.en) for c in items]
            # Codes a regional variant added are concepts too, labelled with their code.
            known += [(code, code, "") for (tab, k, code) in sorted(extra)
                      if tab == t.code and k == kind and code not in {c.code for c in items}]
            for code, zh, en in known:
                concept = iri.concept(t.code, kind, code)
                g.add((concept, RDF.type, skos.Concept))
                g.add((concept, skos.inScheme, scheme))
                g.add((concept, skos.topConceptOf, scheme))
                g.add((scheme, skos.hasTopConcept, concept))
                g.add((concept, skos.notation, Literal(code)))
                zh_en(concept, zh, en)
            components.append((kind, dim, qb.dimension))
        components.append(("value", measure.obsValue, qb.measure))
        components += [(str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1], p, qb.attribute)
                       for p in attribute_props]
        for order, (name, prop, role) in enumerate(components, 1):
            spec = iri.structure(t.code, name)
            g.add((structure, qb.component, spec))
            g.add((spec, RDF.type, qb.ComponentSpecification))
            g.add((spec, role, prop))
            if role == qb.dimension:
                g.add((spec, qb.order, Literal(order)))
            if role == qb.attribute:
                g.add((spec, qb.componentRequired, Literal(False)))
                g.add((spec, qb.componentAttachment, qb.Observation))

    # -- the report -----------------------------------------------------------------------
    m = report.metadata
    r = iri.report
    g.add((r, RDF.type, dct.BibliographicResource))
    g.add((r, dct.identifier, Literal(m.report_id)))
    if m.title:
        g.add((r, dct.title, Literal(m.title, lang="zh")))
    if m.agency:
        agency = iri.agency(m.agency)
        g.add((r, dct.publisher, agency))
        g.add((agency, RDF.type, dct.Agent))
        g.add((agency, RDFS.label, Literal(m.agency, lang="zh")))
    if m.year is not None:
        g.add((r, dct.temporal, Literal(f"{m.year:04d}", datatype=XSD.gYear)))
    for prop, value in ((dct.issued, m.published), (dct.created, m.signed)):
        if value:
            g.add((r, prop, Literal(value, datatype=XSD.date if _DATE.match(value) else None)))
    if m.source_path:
        g.add((r, dct.source, Literal(m.source_path)))
    g.add((r, dct.language, Literal("zh-Hant" if m.script == "traditional" else "zh-Hans")))
    g.add((r, dct.conformsTo, Literal(f"gongkai schema {report.schema_version}")))

    # -- one data set per table, one observation per cell with a value --------------------
    for table in report.tables:
        ds = iri.dataset(table.code)
        g.add((ds, RDF.type, qb.DataSet))
        g.add((ds, qb.structure, iri.structure(table.code)))
        g.add((ds, dct.isPartOf, r))
        g.add((r, dct.hasPart, ds))
        g.add((ds, iri.vocab("template"), Literal(table.template)))
        for cell in table.cells:
            if cell.value is None:
                continue
            obs = iri.observation(table.code, cell.row, cell.column)
            g.add((obs, RDF.type, qb.Observation))
            g.add((obs, qb.dataSet, ds))
            g.add((obs, report_dim, r))
            g.add((obs, iri.dimension(table.code, "row"),
                   iri.concept(table.code, "row", cell.row)))
            g.add((obs, iri.dimension(table.code, "column"),
                   iri.concept(table.code, "column", cell.column)))
            value = (Literal(cell.value) if isinstance(cell.value, int)
                     else Literal(format_number(cell.value), datatype=XSD.decimal))
            g.add((obs, measure.obsValue, value))
            if cell.unit:
                g.add((obs, attribute.unitMeasure, Literal(cell.unit, lang="zh")))
            g.add((obs, iri.vocab("raw"), Literal(cell.raw)))
            g.add((obs, iri.vocab("line"), Literal(cell.line)))
            g.add((obs, iri.vocab("status"), Literal(cell.status.value)))
            if cell.note:
                g.add((obs, iri.vocab("note"), Literal(cell.note)))
    return g


def write(report: Report, stream: TextIO, options: Mapping[str, str]) -> None:
    fmt = choice(options, "format", tuple(FORMATS), writer=NAME, default="turtle")
    base = options.get("base", "").strip() or DEFAULT_BASE
    graph = build_graph(report, base)
    text = _json_ld(graph) if fmt == "json-ld" else graph.serialize(format=FORMATS[fmt])
    if fmt == "nt":  # N-Triples has no order; sorted, the same report gives the same file
        # Split on "\n" only: a literal may hold other line separators (U+2028, \x85...).
        text = "".join(sorted(line + "\n" for line in text.split("\n") if line))
    stream.write(text if text.endswith("\n") else text + "\n")


def _json_ld(graph) -> str:
    """Compact JSON-LD (our prefixes as its context), nodes and values in a stable order."""
    ours = {QB, SKOS, DCTERMS, SDMX_MEASURE, SDMX_ATTRIBUTE}
    context = {prefix: str(ns) for prefix, ns in graph.namespaces()
               if str(ns) in ours or prefix.startswith("gk") or prefix in ("rdfs", "xsd")}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    # rdflib emits nodes in the store's (hash) order; sort them so output is reproducible.
    nodes = data.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    data["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name=NAME,
        description="RDF Data Cube (qb) observations with SKOS code lists and dcterms "
                    "metadata; Turtle, JSON-LD or N-Triples",
        extension=".ttl",
        media_type="text/turtle",
        write=write,
        extra_extensions={".jsonld": {"format": "json-ld"}, ".nt": {"format": "nt"}},
        options=(
            WriterOption("format", "turtle, json-ld or nt (N-Triples)", "turtle"),
            WriterOption("base", "IRI under which reports, code lists and properties are "
                         "named (absolute, ending in / # or :)", DEFAULT_BASE),
        ),
    ))
