"""RDF output: the W3C RDF Data Cube vocabulary, with SKOS code lists, dcterms, PROV and DCAT.

* one ``qb:DataStructureDefinition`` per table kind: dimensions report, row code, column code;
  the measure ``sdmx-measure:obsValue``; the unit (``sdmx-attribute:unitMeasure``, a concept),
  its multiplier, raw text, source line, status and note as attributes;
* one ``qb:DataSet`` per table kind and template (``dataset/requests/2021``), shared by every
  report: a report's file and a corpus's dataset graph name the same data sets, so graphs of
  many reports merge into one cube; one ``qb:Observation`` per cell that has a value;
* SKOS code lists generated from gongkai.layouts.codes: a concept per code and per group
  (``withheld``…) with ``skos:broader``/``narrower``, each with its own label in Chinese and
  English and its code as ``skos:notation``; the units as concepts matched to QUDT;
* the report described with ``dcterms`` (title, publisher, year, dates, language, source,
  ``conformsTo`` the schema's IRI) and its conversion with PROV (gongkai's version, the
  plugins that took part).

The graph is made of two parts: the vocabulary every report shares (:func:`vocabulary`) and
what one report adds (:func:`describe_report`). A dataset of many reports (``gongkai convert
DIR --dataset cells.ttl``) writes the vocabulary once, then each report's part as it comes
(:func:`dataset_header`, :func:`report_chunk`, :func:`dataset_footer`): memory stays flat.

The triples are plain Python — an IRI is its text, a literal a (lexical form, language,
datatype) tuple, a graph a subject -> predicate -> objects dict (gongkai.plugins._turtle.Triples)
— and Turtle and N-Triples are written from them by gongkai.plugins._turtle: byte for byte what
rdflib 7's serializers write for the same graph (tests/test_rdf_turtle.py compares the two), at
about 5 ms a seed report instead of 190, the vocabulary's statements written once a process.
Where that writer cannot be sure to match — a table the codes do not know, whose dimensions lie
in a namespace rdflib would invent a prefix for — rdflib writes the graph (:func:`_text`).
JSON-LD is rdflib's. See docs/performance.md, "The RDF writer's Turtle (issue 20)".

IRIs are ``BASE`` + a path whose parts are percent-encoded (the report id, from a file name,
and the codes); the agency, free text, is hashed. rdflib is imported only when this writer
runs, so it costs nothing to ``gongkai`` start-up. See docs/outputs.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, TextIO
from urllib.parse import quote

import gongkai.plugins._turtle as _turtle
from gongkai.plugin import (
    Metadata,
    Report,
    Status,
    Table,
    TableCodes,
    UsageError,
    Writer,
    WriterOption,
    agency_key,
    choice,
    format_number,
    hookimpl,
    load_codes,
)
from gongkai.plugins._turtle import Literal, Term, Triples

NAME = "rdf"
DEFAULT_BASE = "urn:gongkai:"
#: Option value -> rdflib serializer name.
FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}
#: Option value -> file extension.
EXTENSIONS = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt"}

QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Licences given as an SPDX identifier (CC-BY-4.0) are named by SPDX's IRI for them.
SPDX_LICENSES = "http://spdx.org/licenses/"

#: An absolute IRI prefix: a scheme, then no character that IRIs forbid.
_BASE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*[/#:]$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+\-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@lru_cache(maxsize=8192)  # the same codes, over and over
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


def license_iri(value: str) -> str:
    """A licence as an IRI: an IRI as given, an SPDX identifier (CC-BY-4.0) as SPDX's IRI."""
    value = value.strip()
    if ":" in value and _IRI.match(value):
        return value
    if _SPDX_ID.match(value):
        return SPDX_LICENSES + value
    raise UsageError(f"rdf option license must be an SPDX licence identifier (CC-BY-4.0) or "
                     f"an absolute IRI, not {value!r}")


class _Iris:
    """Every IRI the output mints, from the base."""

    def __init__(self, base: str):
        self.U = str  # an IRI is its text (gongkai.plugins._turtle)
        self.base = base

    def report(self, report_id: str) -> Any:
        return self.U(f"{self.base}report/{part(report_id)}")

    def vocab(self, name: str) -> Any:
        return self.U(f"{self.base}def/{name}")

    def dimension(self, table: str, kind: str) -> Any:
        return self.U(f"{self.base}def/{part(table)}/{kind}")

    def structure(self, table: str, component: str = "") -> Any:
        tail = f"/{component}" if component else ""
        return self.U(f"{self.base}def/{part(table)}/structure{tail}")

    def scheme(self, table: str, kind: str) -> Any:
        return self.U(f"{self.base}code/{part(table)}/{kind}s")

    def concept(self, table: str, kind: str, code: str) -> Any:
        return self.U(f"{self.base}code/{part(table)}/{kind}/{part(code)}")

    def units(self) -> Any:
        return self.U(f"{self.base}code/units")

    def unit(self, code: str) -> Any:
        return self.U(f"{self.base}code/unit/{part(code)}")

    def dataset(self, table: str = "", template: str = "") -> Any:
        if not table:
            return self.U(f"{self.base}dataset")
        return self.U(f"{self.base}dataset/{part(table)}/{part(template)}")

    def observation(self, report_id: str, table: str, row: str, column: str) -> Any:
        return self.U(f"{self.report(report_id)}/{part(table)}/{part(row)}/{part(column)}")

    def agency(self, metadata: Metadata) -> Any:
        # The one place the agency's IRI is made: from the normalised agency key
        # (gongkai.interpret.agency: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one agency), else —
        # a name that does not say which agency it is — from a hash of the name as written.
        key = agency_key(metadata.agency)
        return self.U(f"{self.base}agency/{hashed(key or metadata.agency)}")

    def software(self, name: str) -> Any:
        return self.U(f"{self.base}software/{part(name)}")


def _namespaces(base: str) -> dict[str, str]:
    """Every prefix the output uses: bound the same way in every graph and file part."""
    spaces = {"qb": QB, "skos": SKOS, "dcterms": DCTERMS, "sdmx-measure": SDMX_MEASURE,
              "sdmx-attribute": SDMX_ATTRIBUTE, "prov": PROV, "dcat": DCAT, "rdf": RDF_NS,
              "rdfs": RDFS, "xsd": XSD, "gk": f"{base}def/", "gkcode": f"{base}code/"}
    for t in load_codes().tables:  # each table's dimensions and structure: gk-requests:row
        spaces[f"gk-{t.code}"] = f"{base}def/{part(t.code)}/"
    return spaces


def _graph(base: str):
    """An empty rdflib Graph with our prefixes bound."""
    from rdflib import Graph

    g = Graph(bind_namespaces="core")
    for prefix, ns in _namespaces(base).items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def rdflib_graph(base: str, *parts: Triples):
    """The triples of ``parts`` as an rdflib Graph (for JSON-LD, N-Triples, and the graphs our
    Turtle leaves to rdflib)."""
    from rdflib import URIRef

    g = _graph(base)
    add, term = g.add, _turtle.rdflib_term
    for spo in parts:
        for s, po in spo.items():
            subject = URIRef(s)
            for p, objects in po.items():
                predicate = URIRef(p)
                for o in objects:
                    add((subject, predicate, term(o)))
    return g


class _Namespace:
    """A vocabulary's terms as attributes: ``qb.Observation`` is the IRI's text."""

    def __init__(self, iri: str):
        self.iri = iri

    def __getattr__(self, name: str) -> str:
        return self.iri + name


def literal(value: str | int, lang: str | None = None, datatype: str | None = None) -> Literal:
    """A literal as rdflib's ``Literal(value, lang, datatype)`` would hold it, lexical form
    normalised the same way (gongkai.plugins._turtle.Literal)."""
    if isinstance(value, bool):
        return ("true" if value else "false", "", _turtle.XSD_BOOLEAN)
    if isinstance(value, int):
        return (str(value), "", _turtle.XSD_INTEGER)
    if lang:
        return (value, lang, "")
    if not datatype:
        return (value, "", "")
    if datatype == _turtle.XSD_DECIMAL and _PLAIN_DECIMAL.fullmatch(value):
        return (value, "", datatype)  # Decimal(value) written with "f": the same text
    return (str(_turtle.rdflib_term((value, "", datatype))), "", datatype)


#: A decimal's lexical form that rdflib keeps as it is (it writes ``f"{Decimal(text):f}"``).
_PLAIN_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


class _Builder:
    """Adds triples to a :data:`Triples` map with the vocabulary's terms at hand."""

    def __init__(self, g: Triples, base: str):
        self.g, self.iri, self.L = g, _Iris(check_base(base)), literal
        self.RDF, self.XSD = _Namespace(RDF_NS), _Namespace(XSD)
        self.qb, self.skos, self.dct = _Namespace(QB), _Namespace(SKOS), _Namespace(DCTERMS)
        self.rdfs, self.prov, self.dcat = _Namespace(RDFS), _Namespace(PROV), _Namespace(DCAT)
        self.measure = _Namespace(SDMX_MEASURE)
        self.attribute = _Namespace(SDMX_ATTRIBUTE)
        self.codes = load_codes()

    def add(self, s: str, p: str, o: Term) -> None:
        add(self.g, s, p, o)

    def zh_en(self, node, zh: str, en: str, prop=None) -> None:
        prop = prop or self.skos.prefLabel
        self.add(node, prop, self.L(zh, lang="zh"))
        if en:
            self.add(node, prop, self.L(en, lang="en"))

    @property
    def attributes(self) -> dict[str, Any]:
        x = self.XSD
        return {"raw": x.string, "line": x.integer, "status": x.string, "note": x.string}


def add(g: Triples, s: str, p: str, o: Term) -> None:
    """One triple (a set: twice is once, as in an rdflib Graph)."""
    po = g.get(s)
    if po is None:
        po = g[s] = {}
    objects = po.get(p)
    if objects is None:
        objects = po[p] = {}
    objects[o] = None


def vocabulary(g: Triples, base: str = DEFAULT_BASE) -> None:
    """What every report shares: properties, structures, code lists and units."""
    b = _Builder(g, base)
    iri, RDF = b.iri, b.RDF
    report_dim = iri.vocab("report")
    b.add(report_dim, RDF.type, b.qb.DimensionProperty)
    b.add(report_dim, b.rdfs.range, b.dct.BibliographicResource)
    b.zh_en(report_dim, "报告", "report", b.rdfs.label)
    b.add(b.measure.obsValue, RDF.type, b.qb.MeasureProperty)
    b.add(b.measure.obsValue, b.rdfs.range, b.XSD.decimal)
    b.add(b.attribute.unitMeasure, RDF.type, b.qb.AttributeProperty)
    b.add(b.attribute.unitMeasure, RDF.type, b.qb.CodedProperty)
    b.add(b.attribute.unitMeasure, b.qb.codeList, iri.units())
    b.add(b.attribute.unitMeasure, b.rdfs.range, b.skos.Concept)
    b.add(b.attribute.unitMult, RDF.type, b.qb.AttributeProperty)
    b.add(b.attribute.unitMult, b.rdfs.range, b.XSD.integer)
    for name, datatype in b.attributes.items():
        prop = iri.vocab(name)
        b.add(prop, RDF.type, b.qb.AttributeProperty)
        b.add(prop, b.rdfs.label, b.L(name, lang="en"))
        b.add(prop, b.rdfs.range, datatype)
    template = iri.vocab("template")
    b.add(template, RDF.type, RDF.Property)
    b.add(template, b.rdfs.label, b.L("template", lang="en"))
    attribute_props = [b.attribute.unitMeasure, b.attribute.unitMult,
                       *(iri.vocab(n) for n in b.attributes)]

    _units(b)
    for t in b.codes.tables:
        structure = iri.structure(t.code)
        b.add(structure, RDF.type, b.qb.DataStructureDefinition)
        b.zh_en(structure, t.zh, t.en, b.rdfs.label)
        components = [("report", report_dim, b.qb.dimension)]
        for kind in ("row", "column"):
            dim = iri.dimension(t.code, kind)
            b.add(dim, RDF.type, b.qb.DimensionProperty)
            b.add(dim, RDF.type, b.qb.CodedProperty)
            b.add(dim, b.qb.codeList, iri.scheme(t.code, kind))
            b.add(dim, b.rdfs.range, b.skos.Concept)
            b.zh_en(dim, f"{t.zh}:{'行' if kind == 'row' else '列'}", f"{t.code} {kind}",
                    b.rdfs.label)
            _code_list(b, t, kind)
            components.append((kind, dim, b.qb.dimension))
        components.append(("value", b.measure.obsValue, b.qb.measure))
        components += [(str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1], p, b.qb.attribute)
                       for p in attribute_props]
        for order, (name, prop, role) in enumerate(components, 1):
            spec = iri.structure(t.code, name)
            b.add(structure, b.qb.component, spec)
            b.add(spec, RDF.type, b.qb.ComponentSpecification)
            b.add(spec, role, prop)
            if role == b.qb.dimension:
                b.add(spec, b.qb.order, b.L(order))
            if role == b.qb.attribute:
                b.add(spec, b.qb.componentRequired, b.L(False))
                b.add(spec, b.qb.componentAttachment, b.qb.Observation)


def _code_list(b: _Builder, t: TableCodes, kind: str) -> None:
    """A table's row or column codes as a SKOS scheme: groups over their codes."""
    iri, skos = b.iri, b.skos
    scheme = iri.scheme(t.code, kind)
    b.add(scheme, b.RDF.type, skos.ConceptScheme)
    b.add(scheme, skos.notation, b.L(f"{t.code}.{kind}s"))
    zh_kind, en_kind = ("行", "row") if kind == "row" else ("列", "column")
    b.zh_en(scheme, f"{t.zh}:{zh_kind}代码", f"{t.en}: {en_kind} codes")
    b.zh_en(scheme, f"{t.zh}:{zh_kind}代码", f"{t.en}: {en_kind} codes", b.rdfs.label)
    for code in (*t.groups_of(kind), *t.codes(kind)):
        concept = iri.concept(t.code, kind, code.code)
        b.add(concept, b.RDF.type, skos.Concept)
        b.add(concept, skos.inScheme, scheme)
        b.add(concept, skos.notation, b.L(code.code))
        own_zh, own_en = t.own_label(code), t.own_label(code, "en")
        b.zh_en(concept, own_zh, own_en)
        if own_zh != code.zh:  # the label as the form prints it, heading included
            b.add(concept, skos.altLabel, b.L(code.zh, lang="zh"))
        parent = t.broader(code)
        if parent is None:
            b.add(concept, skos.topConceptOf, scheme)
            b.add(scheme, skos.hasTopConcept, concept)
        else:
            above = iri.concept(t.code, kind, parent.code)
            b.add(concept, skos.broader, above)
            b.add(above, skos.narrower, concept)


def _units(b: _Builder) -> None:
    iri, skos = b.iri, b.skos
    scheme = iri.units()
    b.add(scheme, b.RDF.type, skos.ConceptScheme)
    b.zh_en(scheme, "计量单位", "units")
    b.zh_en(scheme, "计量单位", "units", b.rdfs.label)
    for unit in b.codes.units:
        concept = iri.unit(unit.code)
        b.add(concept, b.RDF.type, skos.Concept)
        b.add(concept, skos.inScheme, scheme)
        b.add(concept, skos.topConceptOf, scheme)
        b.add(scheme, skos.hasTopConcept, concept)
        b.add(concept, skos.notation, b.L(unit.zh))
        b.zh_en(concept, unit.zh, unit.en)
        # 万元 is 10^4 of QUDT's yuan: close to it, not the same; 件 is a plain count.
        match = skos.closeMatch if unit.multiplier else skos.exactMatch
        b.add(concept, match, iri.U(unit.qudt))
        if unit.multiplier:
            b.add(concept, b.attribute.unitMult, b.L(unit.multiplier))


def _conversion(b: _Builder, made: Any) -> tuple[Any, Any]:
    """PROV: the activity by this version of gongkai that made ``made`` (and the software)."""
    from gongkai import __version__

    activity = b.iri.U(f"{made}/conversion")
    b.add(made, b.prov.wasGeneratedBy, activity)
    b.add(activity, b.RDF.type, b.prov.Activity)
    software = b.iri.software(f"gongkai-{__version__}")
    b.add(activity, b.prov.wasAssociatedWith, software)
    b.add(software, b.RDF.type, b.prov.SoftwareAgent)
    return activity, software


def source_name(metadata: Metadata) -> str:
    """How the source file is named in the output: its path relative to the batch root (the
    report's ``source``), else its file name — never the directories above the root (they are
    the user's, and change with where gongkai runs)."""
    return metadata.source or os.path.basename(metadata.source_path.replace("\\", "/")
                                               .rstrip("/"))


def _source(b: _Builder, report, metadata: Metadata) -> None:
    """``dcterms:source``: the report's URL when known, else the file, named by its SHA-256
    (an RFC 6920 ``ni:`` IRI) with its file name as label."""
    if metadata.url and _IRI.match(metadata.url):
        source = b.iri.U(metadata.url)
    elif _SHA256.match(metadata.sha256):
        digest = base64.urlsafe_b64encode(binascii.unhexlify(metadata.sha256)).rstrip(b"=")
        source = b.iri.U(f"ni:///sha-256;{digest.decode('ascii')}")
        b.add(source, b.iri.vocab("sha256"), b.L(metadata.sha256))
        if source_name(metadata):  # (a label: the report's identifier is its id)
            b.add(source, b.rdfs.label, b.L(source_name(metadata)))
    elif source_name(metadata):
        b.add(report, b.dct.source, b.L(source_name(metadata)))
        return
    else:
        return
    b.add(report, b.dct.source, source)
    b.add(report, b.prov.wasDerivedFrom, source)
    b.add(source, b.RDF.type, b.prov.Entity)


def _plugins(report: Report) -> list[str]:
    """The plugins that took part in a report's conversion: its reader, the layouts' plugins,
    the plugins whose rules spoke."""
    names = {t.plugin for t in report.tables} | {d.plugin for d in report.diagnostics}
    return sorted(n for n in names if n)


def describe_report(g: Triples, report: Report, base: str = DEFAULT_BASE,
                    license: str = "") -> None:
    """What one report adds: its description, its observations, the codes it alone uses."""
    from gongkai import __version__
    from gongkai.plugin import SCHEMA_ID

    b = _Builder(g, base)
    iri, RDF, qb, dct = b.iri, b.RDF, b.qb, b.dct
    m = report.metadata
    r = iri.report(m.report_id)
    b.add(r, RDF.type, dct.BibliographicResource)
    b.add(r, RDF.type, b.prov.Entity)
    b.add(r, dct.identifier, b.L(m.report_id))
    if m.title:
        b.add(r, dct.title, b.L(m.title, lang="zh"))
    if m.agency:
        agency = iri.agency(m)
        b.add(r, dct.publisher, agency)
        b.add(agency, RDF.type, dct.Agent)
        b.add(agency, b.rdfs.label, b.L(m.agency, lang="zh"))
    if m.year is not None:
        b.add(r, dct.temporal, b.L(f"{m.year:04d}", datatype=b.XSD.gYear))
    for prop, value in ((dct.issued, m.published), (dct.created, m.signed)):
        if value:
            b.add(r, prop, b.L(value, datatype=b.XSD.date if _DATE.match(value) else None))
    _source(b, r, m)
    b.add(r, dct.language, b.L("zh-Hant" if m.script == "traditional" else "zh-Hans"))
    b.add(r, dct.conformsTo, iri.U(SCHEMA_ID.rsplit(":", 1)[0] + f":{report.schema_version}"))
    if license:
        b.add(r, dct.license, iri.U(license_iri(license)))
    # PROV: the conversion that made this description (no clock time: the same report gives
    # the same graph; a dataset states when it was made).
    activity, software = _conversion(b, r)
    b.add(software, b.rdfs.label, b.L(f"gongkai {__version__}"))
    for name in ([m.reader] if m.reader else []) + _plugins(report):
        plugin = iri.software(name)
        b.add(activity, b.prov.wasAssociatedWith, plugin)
        b.add(plugin, RDF.type, b.prov.SoftwareAgent)
        b.add(plugin, b.rdfs.label, b.L(name))
        b.add(plugin, b.prov.actedOnBehalfOf, software)

    codes = b.codes
    for table in report.tables:
        t = codes.table(table.code) if table.code in codes.table_codes else None
        ds = iri.dataset(table.code, table.template)
        b.add(ds, RDF.type, qb.DataSet)
        b.add(ds, qb.structure, iri.structure(table.code))
        b.add(ds, iri.vocab("template"), b.L(table.template))
        if t is not None:
            b.zh_en(ds, f"{t.zh}({table.template})", f"{t.en} ({table.template})",
                    b.rdfs.label)
        _extra_codes(b, table.code, t, table.cells)
        _observations(b, table, t, ds, r, m.report_id)


def _observations(b: _Builder, table: Table, t: TableCodes | None, ds: str, report: str,
                  report_id: str) -> None:
    """A qb:Observation for each cell with a value: its triples made as one subject's map at
    once (what :func:`add` would make, a tenth of the calls: this is the writer's hot loop)."""
    iri, codes, g = b.iri, b.codes, b.g
    type_, dataset, value_, unit_, mult = (RDF_NS + "type", QB + "dataSet",
                                           SDMX_MEASURE + "obsValue",
                                           SDMX_ATTRIBUTE + "unitMeasure",
                                           SDMX_ATTRIBUTE + "unitMult")
    report_dim, raw, line, status, note = (iri.vocab(n) for n in ("report", "raw", "line",
                                                                  "status", "note"))
    observation, code = QB + "Observation", table.code
    row_dim, column_dim = iri.dimension(code, "row"), iri.dimension(code, "column")
    for cell in table.cells:
        value = cell.value
        if value is None:
            continue
        po: dict[str, dict[Term, None]] = {
            type_: {observation: None}, dataset: {ds: None}, report_dim: {report: None},
            row_dim: {iri.concept(code, "row", cell.row): None},
            column_dim: {iri.concept(code, "column", cell.column): None},
            value_: {(str(value), "", _turtle.XSD_INTEGER) if type(value) is int else
                     literal(value) if isinstance(value, int) else
                     literal(format_number(value), datatype=_turtle.XSD_DECIMAL): None}}
        unit = codes.unit(_unit(t, cell.column, cell.unit))
        if unit is not None:
            po[unit_] = {iri.unit(unit.code): None}
            if unit.multiplier:
                po[mult] = {literal(unit.multiplier): None}
        po[raw] = {(cell.raw, "", ""): None}
        po[line] = {literal(cell.line): None}
        po[status] = {(_STATUS[cell.status], "", ""): None}
        if cell.note:
            po[note] = {(cell.note, "", ""): None}
        obs = iri.observation(report_id, code, cell.row, cell.column)
        if obs in g:  # a second cell of the same row and column: one subject, as in a graph
            for p, objects in po.items():
                for o in objects:
                    add(g, obs, p, o)
        else:
            g[obs] = po


#: Each status as its text (an enum's ``.value`` is a property call: this is a dict lookup).
_STATUS = {s: s.value for s in Status}


def _unit(t: TableCodes | None, column: str, stated: str) -> str:
    """The cell's unit, else the one its template's column label states (本年制发件数: 件)."""
    if stated or t is None or not t.has_column(column):
        return stated
    return t.column(column).unit


def _extra_codes(b: _Builder, table: str, t: TableCodes | None, cells: Iterable) -> None:
    """Codes a regional variant added are concepts too, labelled with their code."""
    seen: set[tuple[str, str]] = set()
    for cell in cells:
        for kind, code in (("row", cell.row), ("column", cell.column)):
            known = t is not None and (t.has_row(code) if kind == "row" else t.has_column(code))
            if known or (kind, code) in seen:
                continue
            seen.add((kind, code))
            concept, scheme = b.iri.concept(table, kind, code), b.iri.scheme(table, kind)
            b.add(concept, b.RDF.type, b.skos.Concept)
            b.add(concept, b.skos.inScheme, scheme)
            b.add(concept, b.skos.topConceptOf, scheme)
            b.add(scheme, b.skos.hasTopConcept, concept)
            b.add(concept, b.skos.notation, b.L(code))
            b.add(concept, b.skos.prefLabel, b.L(code, lang="zh"))


def build_graph(report: Report, base: str = DEFAULT_BASE, license: str = ""):
    """The report as an rdflib Graph: the shared vocabulary and the report's own part."""
    base = check_base(base)
    return rdflib_graph(base, _vocabulary(base), _report_triples(report, base, license))


def _report_triples(report: Report, base: str, license: str) -> Triples:
    g: Triples = {}
    describe_report(g, report, base, license)
    return g


class _Vocabulary:
    """The vocabulary every report shares, under one base IRI: its triples, and what our
    writer of Turtle and N-Triples works out of them once (gongkai.plugins._turtle.Shared)."""

    def __init__(self, base: str):
        self.base, self.codes = base, load_codes()
        self.triples: Triples = {}
        vocabulary(self.triples, base)
        self._shared: _turtle.Shared | None = None

    @property
    def shared(self) -> _turtle.Shared:
        if self._shared is None:
            self._shared = _turtle.Shared(self.triples, _prefixes(self.base))
        return self._shared


#: Base IRI -> its vocabulary, made once a process (a handful of bases at most).
_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary_of(base: str) -> _Vocabulary:
    found = _VOCABULARIES.get(base)
    if found is None or found.codes is not load_codes():
        if len(_VOCABULARIES) >= 16:
            _VOCABULARIES.clear()
        found = _VOCABULARIES[base] = _Vocabulary(base)
    return found


def _vocabulary(base: str) -> Triples:
    return _vocabulary_of(base).triples


def _shared(base: str) -> _turtle.Shared:
    return _vocabulary_of(base).shared


@lru_cache(maxsize=16)
def _prefixes(base: str) -> _turtle.Namespaces:
    """The prefixes bound in every graph of ``base``, as rdflib binds them."""
    return _turtle.Namespaces((p, str(ns)) for p, ns in _graph(base).namespaces())


def _text(fmt: str, base: str, own: Triples, vocabulary: bool) -> str:
    """``own`` (and the vocabulary) as Turtle or N-Triples, exactly as rdflib writes them —
    by our writer (gongkai.plugins._turtle), else, where it cannot be sure to
    (:class:`~gongkai.plugins._turtle.Unsupported`), by rdflib itself."""
    write = _turtle.document if fmt == "turtle" else _turtle.ntriples
    try:
        return write(own, _prefixes(base), _shared(base) if vocabulary else None)
    except _turtle.Unsupported:
        parts = (_vocabulary(base), own) if vocabulary else (own,)
        return _serialize(rdflib_graph(base, *parts), fmt, base)


# -- a dataset of many reports -------------------------------------------------------------------


def describe_dataset(g: Triples, base: str = DEFAULT_BASE, license: str = "",
                     issued: str = "") -> None:
    """DCAT and PROV for a dataset: its data sets, its licence, when and by what it was made."""

    b = _Builder(g, base)
    iri, RDF = b.iri, b.RDF
    catalog = iri.dataset()
    b.add(catalog, RDF.type, b.dcat.Dataset)
    b.add(catalog, RDF.type, b.prov.Entity)
    b.zh_en(catalog, "政府信息公开工作年度报告统计表", "Government information disclosure annual "
            "reports: statistical tables", b.dct.title)
    b.add(catalog, b.dct.conformsTo, b.iri.U(QB.rstrip("#")))
    if license:
        b.add(catalog, b.dct.license, iri.U(license_iri(license)))
    for t in b.codes.tables:
        b.add(catalog, b.dcat.theme, iri.scheme(t.code, "row"))
    activity, _ = _conversion(b, catalog)
    if issued:
        b.add(catalog, b.dct.issued, b.L(issued, datatype=b.XSD.dateTime))
        b.add(activity, b.prov.endedAtTime, b.L(issued, datatype=b.XSD.dateTime))


def now() -> str:
    """The time a dataset is made (UTC), or SOURCE_DATE_EPOCH's for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def dataset_header(fmt: str, options: Mapping[str, str]) -> str:
    """The start of a dataset file: the vocabulary and the dataset's description."""
    base, license = _options(options)
    g: Triples = {}
    describe_dataset(g, base, license, now())
    if fmt == "turtle":
        prefixes = "".join(_prefix_line(p, ns) + "\n" for p, ns in _namespaces(base).items())
        return prefixes + "\n" + _turtle_body(_text(fmt, base, g, True), base)
    if fmt == "json-ld":
        nodes = _json_ld(rdflib_graph(base, _vocabulary(base), g), base)["@graph"]
        head = json.dumps({"@context": _context(base)}, ensure_ascii=False, indent=2,
                          sort_keys=True)
        return head[:-2] + ',\n  "@graph": [\n' + ",\n".join(_node(n) for n in nodes)
    return _text(fmt, base, g, True)


def report_chunk(report: Report, fmt: str, options: Mapping[str, str]) -> str:
    """One report's part of a dataset file (made in a worker process)."""
    base, license = _options(options)
    g = _report_triples(report, base, license)
    if fmt == "turtle":
        return "\n" + _turtle_body(_text(fmt, base, g, False), base)
    if fmt == "json-ld":
        return "".join(",\n" + _node(n) for n in _json_ld(rdflib_graph(base, g), base)["@graph"])
    return _text(fmt, base, g, False)


def dataset_footer(fmt: str) -> str:
    return "\n  ]\n}\n" if fmt == "json-ld" else ""


def _options(options: Mapping[str, str]) -> tuple[str, str]:
    base = check_base(options.get("base", "").strip() or DEFAULT_BASE)
    license = options.get("license", "").strip()
    if license:
        license_iri(license)
    return base, license


def _turtle_body(text: str, base: str) -> str:
    """Turtle without the @prefix lines the file states once, at its top (Turtle allows a
    prefix anywhere: one rdflib would add for a single report stays in that report's part)."""
    ours = {_prefix_line(p, ns) for p, ns in _namespaces(base).items()}
    return "".join(line + "\n" for line in text.split("\n") if line and line not in ours)


def _prefix_line(prefix: str, namespace: str) -> str:
    return f"@prefix {prefix}: <{namespace}> ."


def _node(node: dict) -> str:
    text = json.dumps(node, ensure_ascii=False, indent=2, sort_keys=True)
    return "\n".join("    " + line for line in text.split("\n"))


# -- the writer ----------------------------------------------------------------------------------


def write(report: Report, stream: TextIO, options: Mapping[str, str]) -> None:
    fmt = choice(options, "format", tuple(FORMATS), writer=NAME, default="turtle")
    base, license = _options(options)
    own = _report_triples(report, base, license)
    if fmt == "json-ld":
        text = _serialize(rdflib_graph(base, _vocabulary(base), own), fmt, base)
    else:
        text = _text(fmt, base, own, True)
    stream.write(text if text.endswith("\n") else text + "\n")


def _serialize(graph, fmt: str, base: str) -> str:
    if fmt == "json-ld":
        return json.dumps(_json_ld(graph, base), ensure_ascii=False, indent=2, sort_keys=True)
    text = graph.serialize(format=FORMATS[fmt])
    if fmt == "nt":  # N-Triples has no order; sorted, the same report gives the same file
        # Split on "\n" only: a literal may hold other line separators (U+2028, \x85...).
        text = "".join(sorted(line + "\n" for line in text.split("\n") if line))
    return text


def _context(base: str) -> dict[str, str]:
    return dict(_namespaces(base))


def _json_ld(graph, base: str) -> dict:
    """Compact JSON-LD (our prefixes as its context), nodes and values in a stable order."""
    context = _context(base)
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    # rdflib emits nodes in the store's (hash) order; sort them so output is reproducible.
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        node.pop("@context", None)
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    return {"@context": context, "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}


def extension(options: Mapping[str, str]) -> str:
    """The file extension of the serialization the options ask for."""
    return EXTENSIONS[choice(options, "format", tuple(FORMATS), writer=NAME, default="turtle")]


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name=NAME,
        description="RDF Data Cube (qb) observations with SKOS code lists, dcterms and PROV "
                    "metadata; Turtle, JSON-LD or N-Triples",
        extension=".ttl",
        media_type="text/turtle",
        write=write,
        extra_extensions={".ttl": {"format": "turtle"}, ".jsonld": {"format": "json-ld"},
                          ".nt": {"format": "nt"}},
        options=(
            WriterOption("format", "turtle, json-ld or nt (N-Triples); the file extension "
                         "follows (.ttl, .jsonld, .nt)", "turtle"),
            WriterOption("base", "IRI under which reports, code lists and properties are "
                         "named (absolute, ending in / # or :)", DEFAULT_BASE),
            WriterOption("license", "the data's licence: an SPDX identifier (CC-BY-4.0) or "
                         "an IRI (dcterms:license)", ""),
        ),
        extension_for=extension,
    ))
