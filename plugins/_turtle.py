"""Turtle written the way rdflib 7's ``TurtleSerializer`` writes it, byte for byte, without
rdflib's per-triple overhead: an internal helper of the RDF writer (gongkai.plugins.rdf_writer).

rdflib's serializer spends ~60 µs a triple (a store lookup per subject, a qname computed per
term, a write per token). The graphs the RDF writer makes are simple — every subject an IRI,
no blank nodes, no lists — so its output follows a few rules, reproduced here from
rdflib/plugins/serializers/turtle.py (7.x):

* the ``@prefix`` lines of the namespaces some term was written with (a literal's datatype
  counts), sorted by prefix; then a blank line and each subject's statement followed by one;
* subjects in the order of ``orderSubjects``: members of ``rdfs:Class`` first, then by the
  number of triples naming the subject as object, then by IRI;
* predicates ``rdf:type`` (written ``a``), ``rdfs:label``, then the rest by IRI; objects sorted
  (rdflib's term order), ``;`` and ``,`` lists indented by 4 and 8 spaces;
* an IRI as a prefixed name when ``split_uri`` cuts it where a namespace bound in the graph ends
  (``NamespaceManager.compute_qname``, ``TurtleSerializer.get_pname``), else ``<IRI>``;
* literals as ``Literal._literal_n3(use_plain=True)``: integers, booleans and decimals bare,
  strings quoted by ``Literal._quote_encode``.

Where a graph leaves those rules — a predicate in a namespace no prefix is bound to (rdflib
would invent ``ns1:``, numbered in its store's hash order), an IRI rdflib refuses, objects its
term order cannot tell apart — :class:`Unsupported` is raised and the caller has rdflib write
that graph: the output is never silently different. tests/test_turtle.py compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from unicodedata import category

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"
RDF_NIL = RDF_NS + "nil"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = XSD + "integer", XSD + "decimal", XSD + "boolean"
XMLNS = "http://www.w3.org/XML/1998/namespace"

#: A literal: (lexical form, language or "", datatype IRI or ""); an IRI is a ``str``.
Literal = tuple[str, str, str]
Term = str | Literal
#: subject -> predicate -> objects (a dict used as an insertion-ordered set).
Triples = dict[str, dict[str, dict[Term, None]]]

# rdflib.namespace: the Unicode categories of name characters, and where a local name starts.
_NAME_START = frozenset(("Ll", "Lu", "Lo", "Lt", "Nl"))
_SPLIT_START = _NAME_START | {"Nd"}
_NAME = _NAME_START | {"Mc", "Me", "Mn", "Lm", "Nd"}
_ALLOWED_NAME_CHARS = frozenset("\u00b7\u0387-._%()")
_INVALID_IRI_CHARS = '<>" {}|\\^`'
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: A decimal's lexical form rdflib writes bare (a finite value, no exponent).
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: Cached qnames of IRIs seen before: cleared when it grows this big (memory stays flat).
_CACHE_SIZE = 200_000


class Unsupported(Exception):
    """A graph these rules do not cover: rdflib must write it."""


def split_uri(uri: str) -> tuple[str, str]:
    """rdflib.namespace.split_uri, as written there: namespace and local name."""
    if uri.startswith(XMLNS):
        return XMLNS, uri.split(XMLNS)[1]
    length = len(uri)
    for i in range(length):
        c = uri[-i - 1]
        if category(c) not in _NAME:
            if c in _ALLOWED_NAME_CHARS:
                continue
            for j in range(-1 - i, length):
                if category(uri[j]) in _SPLIT_START or uri[j] == "_":
                    ns = uri[:j]
                    if not ns:
                        break
                    return ns, uri[j:]
            break
    raise ValueError(f"Can't split {uri!r}")


def quote(text: str) -> str:
    """rdflib.term.Literal._quote_encode: triple quotes for text with a line feed."""
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'


class Namespaces:
    """The prefixes bound in a graph (rdflib's ``Graph.namespaces()``) and the qnames they give.

    One per base IRI and process: what an IRI is written as does not depend on the report.
    """

    def __init__(self, bound: Iterable[tuple[str, str]]):
        self.namespace_of = dict(bound)
        self.prefix_of = {ns: prefix for prefix, ns in self.namespace_of.items()}
        if any(p.startswith("_") for p in self.prefix_of.values()):
            raise Unsupported("a prefix rdflib would rename")  # TurtleSerializer.addNamespace
        # A bound namespace that ends inside a local name would make compute_qname cut an IRI
        # elsewhere than split_uri (get_longest_namespace): ours all end in / # or :.
        if any(ns != XMLNS and ns[-1:] not in ("/", "#", ":") for ns in self.prefix_of):
            raise Unsupported("a namespace that does not end in / # or :")
        self._qnames: dict[str, tuple[str, str] | None] = {}

    def qname(self, iri: str) -> tuple[str, str] | None:
        """(prefix, "prefix:local") as get_pname gives it (without inventing a prefix)."""
        try:
            return self._qnames[iri]
        except KeyError:
            pass
        if len(self._qnames) >= _CACHE_SIZE:
            self._qnames.clear()
        found = self._qnames[iri] = self._compute(iri)
        return found

    def _compute(self, iri: str) -> tuple[str, str] | None:
        if any(c in iri for c in _INVALID_IRI_CHARS):
            raise Unsupported(f"an IRI rdflib refuses: {iri!r}")
        try:
            ns, local = split_uri(iri)
            prefix = self.prefix_of.get(ns)
        except ValueError:
            prefix = None
        if prefix is None:  # get_pname's second chance: the IRI is itself a namespace
            ns, local, prefix = iri, "", self.prefix_of.get(iri)
            if prefix is None:
                return None
        local = _BAD_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):  # a prefixed name cannot end with "."
            return None
        return prefix, f"{prefix}:{local}"

    def predicate(self, iri: str) -> tuple[str, str] | None:
        """A predicate's qname; rdflib would bind a new prefix for an unbound namespace."""
        found = self.qname(iri)
        if found is None and iri != RDF_TYPE and iri != RDF_NIL:
            try:
                ns = split_uri(iri)[0]
            except ValueError:
                return None
            if ns not in self.prefix_of:
                raise Unsupported(f"a predicate in a namespace with no prefix: {iri}")
        return found


class Shared:
    """Triples many documents share (the vocabulary), with what does not change from one
    document to the next worked out once: the prefixes they use, the references they make,
    each subject's statement."""

    def __init__(self, spo: Triples, ns: Namespaces):
        self.spo, self.ns = spo, ns
        self.used = used_prefixes(spo, ns)
        self.refs = references(spo)
        self._text: dict[str, str] = {}

    def statement(self, subject: str) -> str:
        text = self._text.get(subject)
        if text is None:
            text = self._text[subject] = statement(subject, self.spo[subject], self.ns)
        return text


def document(own: Triples, ns: Namespaces, shared: Shared | None = None) -> str:
    """The Turtle of ``own``'s triples and ``shared``'s (a triple in both counts once)."""
    used = used_prefixes(own, ns) | (shared.used if shared else set())
    head = "".join(f"@prefix {p}: <{ns.namespace_of[p]}> .\n" for p in sorted(used))
    common = shared.spo if shared else {}
    refs = references(own, common)
    body = []
    for s in _subjects(own, common, refs, shared.refs if shared else {}):
        if s not in own:
            text = shared.statement(s)  # type: ignore[union-attr]
        elif s in common:
            text = statement(s, _union(common[s], own[s]), ns)
        else:
            text = statement(s, own[s], ns)
        body.append(f"\n{text} .\n")
    # rdflib encodes its output as UTF-8 with errors replaced (a lone surrogate: "?").
    return (head + "".join(body) + "\n").encode("utf-8", "replace").decode("utf-8")


def used_prefixes(spo: Triples, ns: Namespaces) -> set[str]:
    """The prefixes rdflib's preprocess registers: every term's qname, every datatype's."""
    used: set[str] = set()
    qname, predicate = ns.qname, ns.predicate
    for s, po in spo.items():
        found = qname(s)
        if found:
            used.add(found[0])
        for p, objects in po.items():
            if p != RDF_TYPE:  # written "a"
                found = predicate(p)
                if found:
                    used.add(found[0])
            for o in objects:
                found = qname(o) if type(o) is str else qname(o[2]) if o[2] else None
                if found:
                    used.add(found[0])
    return used


def references(spo: Triples, common: Triples | None = None) -> dict[str, int]:
    """How many triples name each IRI as object (those also in ``common`` left out)."""
    refs: dict[str, int] = {}
    get = refs.get
    for s, po in spo.items():
        theirs = common.get(s) if common else None
        for p, objects in po.items():
            seen = theirs.get(p, ()) if theirs else ()
            for o in objects:
                if type(o) is str and o not in seen:
                    refs[o] = get(o, 0) + 1
    return refs


def _subjects(own: Triples, common: Triples, refs: Mapping[str, int],
              common_refs: Mapping[str, int]) -> list[str]:
    """orderSubjects: rdfs:Class members, then by references as an object, then by IRI."""
    subjects = [*own, *(s for s in common if s not in own)]
    classes = sorted(s for s in subjects if RDFS_CLASS in own.get(s, {}).get(RDF_TYPE, ())
                     or RDFS_CLASS in common.get(s, {}).get(RDF_TYPE, ()))
    seen = set(classes)
    rest = sorted((refs.get(s, 0) + common_refs.get(s, 0), s) for s in subjects
                  if s not in seen)
    return classes + [s for _, s in rest]


def _union(a: Mapping[str, Mapping[Term, None]], b: Mapping[str, Mapping[Term, None]]
           ) -> dict[str, dict[Term, None]]:
    merged = {p: dict(o) for p, o in a.items()}
    for p, objects in b.items():
        merged.setdefault(p, {}).update(objects)
    return merged


def statement(subject: str, po: Mapping[str, Mapping[Term, None]], ns: Namespaces) -> str:
    """One subject's statement, without the final " .": its predicates and their objects."""
    head = [p for p in (RDF_TYPE, RDFS_LABEL) if p in po]
    order = head + sorted(p for p in po if p != RDF_TYPE and p != RDFS_LABEL)
    lines = [f"{_verb(p, ns)} {_objects(po[p], ns)}" for p in order]
    return f"{_iri(subject, ns)} " + " ;\n    ".join(lines)


def _verb(p: str, ns: Namespaces) -> str:
    if p == RDF_NIL:
        return "()"
    if p == RDF_TYPE:
        return "a"
    found = ns.predicate(p)
    return found[1] if found else f"<{p}>"


def _iri(iri: str, ns: Namespaces) -> str:
    if iri == RDF_NIL:
        return "()"
    found = ns.qname(iri)
    return found[1] if found else f"<{iri}>"


def _objects(objects: Mapping[Term, None], ns: Namespaces) -> str:
    if len(objects) == 1:
        (o,) = objects
        return _iri(o, ns) if type(o) is str else literal(o, ns)
    return ",\n        ".join(_iri(o, ns) if type(o) is str else literal(o, ns)
                              for o in sort_objects(objects))


def sort_objects(objects: Iterable[Term]) -> list[Term]:
    """Objects in rdflib's term order: IRIs by their text; anything else compared by rdflib
    (literals by datatype, language and value), which must tell every two apart."""
    objects = list(objects)
    if all(type(o) is str for o in objects):
        return sorted(objects)
    terms = sorted(((rdflib_term(o), o) for o in objects), key=lambda t: t[0])
    if any(not a < b for (a, _), (b, _) in pairwise(terms)):
        raise Unsupported("objects rdflib's term order does not tell apart")
    return [o for _, o in terms]


def rdflib_term(term: Term):
    """The term as rdflib's URIRef or Literal."""
    from rdflib import Literal as RdflibLiteral
    from rdflib import URIRef

    if type(term) is str:
        return URIRef(term)
    lexical, lang, datatype = term
    return RdflibLiteral(lexical, lang=lang or None, datatype=URIRef(datatype) if datatype
                         else None)


def literal(term: Literal, ns: Namespaces) -> str:
    """Literal._literal_n3(use_plain=True) with the datatype as a qname."""
    lexical, lang, datatype = term
    if lang:
        return f"{quote(lexical)}@{lang}"
    if not datatype:
        return quote(lexical)
    if datatype in (XSD_INTEGER, XSD_BOOLEAN):  # made from a Python int or bool
        return lexical
    if datatype == XSD_DECIMAL and _PLAIN_DECIMAL.fullmatch(lexical):
        return lexical if "." in lexical else lexical + ".0"
    # Rare forms (dates, years, an infinite decimal): rdflib's own code, with our qnames.
    found = ns.qname
    return rdflib_term(term)._literal_n3(use_plain=True, qname_callback=lambda dt: (
        found(dt) or (None, None))[1])

