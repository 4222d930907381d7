"""Turtle written the way rdflib 7's ``TurtleSerializer`` writes it, byte for byte, without
rdflib's per-triple overhead (and N-Triples, simpler): an internal helper of the RDF writer
(gongkai.plugins.rdf_writer).

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
that graph: the output is never silently different. tests/test_rdf_turtle.py compares the two
on every kind of report and on random graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations
from unicodedata import category

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"
RDF_NIL = RDF_NS + "nil"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = XSD + "integer", XSD + "decimal", XSD + "boolean"
XMLNS = "http://www.w3.org/XML/1998/namespace"

#: A literal: (lexical form, language or "", datatype IRI or ""), the lexical form as rdflib's
#: ``Literal`` normalises it (an integer or boolean's made from a Python int or bool); an IRI
#: is a ``str``.
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
#: Between a subject's predicates, and between a predicate's objects (indent 4 and 8).
_NEXT_PREDICATE, _NEXT_OBJECT = " ;\n    ", ",\n        "
#: How many entries a cache keeps: cleared when it grows this big, so a worker's memory stays
#: flat (an observation's IRI is new in every report: about a hundred reports' worth).
_CACHE_SIZE = 20_000


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
    """The prefixes bound in a graph (rdflib's ``Graph.namespaces()``) and how each term is
    written with them.

    One per base IRI and process: how a term is written does not depend on the report. Each
    ``term``/``verb``/``literal`` gives (the prefix it uses or None, its text), cached.
    """

    def __init__(self, bound: Iterable[tuple[str, str]]):
        self.namespace_of = dict(bound)
        self.prefix_of = {ns: prefix for prefix, ns in self.namespace_of.items()}
        if len(self.prefix_of) != len(self.namespace_of):
            raise Unsupported("a namespace bound to two prefixes")  # rdflib's store decides
        if any(p.startswith("_") for p in self.prefix_of.values()):
            raise Unsupported("a prefix rdflib would rename")  # TurtleSerializer.addNamespace
        # A bound namespace that ends inside a local name would make compute_qname cut an IRI
        # elsewhere than split_uri (get_longest_namespace): ours all end in / # or :.
        if any(ns != XMLNS and ns[-1:] not in ("/", "#", ":") for ns in self.prefix_of):
            raise Unsupported("a namespace that does not end in / # or :")
        self._terms: dict[str, tuple[str | None, str]] = {}
        self._verbs: dict[str, tuple[str | None, str]] = {}
        self._literals: dict[Literal, tuple[str | None, str]] = {}
        self._orders: dict[tuple[str, ...], list[str]] = {}
        #: (predicate, its one object) -> :meth:`pair`'s answer; read directly by
        #: :func:`statement`, the hot loop (a method call per predicate costs a tenth).
        self.pairs: dict[tuple[str, Term], tuple[tuple[str | None, ...], str]] = {}

    def term(self, iri: str) -> tuple[str | None, str]:
        """A subject or object IRI (TurtleSerializer.label)."""
        found = self._terms.get(iri)
        if found is None:  # (a miss: the IRI's first time)
            if len(self._terms) >= _CACHE_SIZE:
                self._terms.clear()
            qname = self.qname(iri)
            text = "()" if iri == RDF_NIL else qname[1] if qname else f"<{iri}>"
            found = self._terms[iri] = (qname[0] if qname else None, text)
        return found

    def verb(self, iri: str) -> tuple[str | None, str]:
        """A predicate: ``a``, else as a term; rdflib would bind a new prefix (``ns1``) for
        one in a namespace no prefix is bound to."""
        found = self._verbs.get(iri)
        if found is None:
            if iri == RDF_TYPE:
                found = (None, "a")
            else:
                found = self.term(iri)
                if found[0] is None and iri != RDF_NIL:
                    try:
                        namespace = split_uri(iri)[0]
                    except ValueError:
                        namespace = None
                    if namespace is not None and namespace not in self.prefix_of:
                        raise Unsupported(f"a predicate in a namespace with no prefix: {iri}")
            self._verbs[iri] = found
        return found

    def literal(self, term: Literal) -> tuple[str | None, str]:
        """A literal, and its datatype's prefix (rdflib's preprocess registers it)."""
        found = self._literals.get(term)
        if found is None:
            if len(self._literals) >= _CACHE_SIZE:
                self._literals.clear()
            qname = self.qname(term[2]) if term[2] else None
            found = self._literals[term] = (qname[0] if qname else None,
                                            literal(term, self))
        return found

    def pair(self, p: str, o: Term) -> tuple[tuple[str | None, ...], str]:
        """A predicate and its one object: (their prefixes, "verb object")."""
        if len(self.pairs) >= _CACHE_SIZE:
            self.pairs.clear()
        verb, (prefix, text) = self.verb(p), self.term(o) if type(o) is str else self.literal(o)
        found = self.pairs[p, o] = ((verb[0], prefix), f"{verb[1]} {text}")
        return found

    def several(self, p: str, objects: Iterable[Term]) -> tuple[tuple[str | None, ...], str]:
        """A predicate and its objects, sorted (not cached: they are seldom the same)."""
        verb = self.verb(p)
        written = [self.term(o) if type(o) is str else self.literal(o)
                   for o in sort_objects(objects)]
        return ((verb[0], *(w[0] for w in written)),
                f"{verb[1]} {_NEXT_OBJECT.join(w[1] for w in written)}")

    def order(self, predicates: tuple[str, ...]) -> list[str]:
        """sortProperties: rdf:type, rdfs:label, then the others by IRI."""
        found = self._orders.get(predicates)
        if found is None:
            if len(self._orders) >= _CACHE_SIZE:
                self._orders.clear()
            head = [p for p in (RDF_TYPE, RDFS_LABEL) if p in predicates]
            found = self._orders[predicates] = head + sorted(
                p for p in predicates if p != RDF_TYPE and p != RDFS_LABEL)
        return found

    def qname(self, iri: str) -> tuple[str, str] | None:
        """(prefix, "prefix:local") as get_pname gives it without inventing a prefix."""
        if any(c in iri for c in _INVALID_IRI_CHARS):
            raise Unsupported(f"an IRI rdflib refuses: {iri!r}")
        try:
            ns, local = split_uri(iri)
            prefix = self.prefix_of.get(ns)
        except ValueError:
            prefix = None
        if prefix is None:  # get_pname's second chance: the IRI is itself a namespace
            local, prefix = "", self.prefix_of.get(iri)
            if prefix is None:
                return None
        local = _BAD_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):  # a prefixed name cannot end with "."
            return None
        return prefix, f"{prefix}:{local}"


class Shared:
    """Triples many documents share (the vocabulary), with what does not change from one
    document to the next worked out once: the references they make, each subject's statement
    and the prefixes those use; their N-Triples lines."""

    def __init__(self, spo: Triples, ns: Namespaces):
        self.spo, self.ns = spo, ns
        self.refs = references(spo)
        self.used: set[str | None] = set()
        self.text = {s: statement(s, po, ns, self.used) for s, po in spo.items()}
        self.lines = frozenset(nt_lines(spo, ns))


def document(own: Triples, ns: Namespaces, shared: Shared | None = None) -> str:
    """The Turtle of ``own``'s triples and ``shared``'s (a triple in both counts once)."""
    common = shared.spo if shared else {}
    used: set[str | None] = set(shared.used) if shared else set()
    refs = references(own, common)
    body = []
    for s in _subjects(own, common, refs, shared.refs if shared else {}):
        if s not in own:
            text = shared.text[s]  # type: ignore[union-attr]
        elif s in common:
            text = statement(s, _union(common[s], own[s]), ns, used)
        else:
            text = statement(s, own[s], ns, used)
        body.append(f"\n{text} .\n")
    head = "".join(f"@prefix {p}: <{ns.namespace_of[p]}> .\n" for p in sorted(
        p for p in used if p is not None))
    text = head + "".join(body) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # rdflib encodes with errors replaced: a lone surrogate is "?"
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


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
    get, common_get = refs.get, common_refs.get
    rest = sorted((get(s, 0) + common_get(s, 0), s) for s in subjects if s not in seen)
    return classes + [s for _, s in rest]


def _union(a: Mapping[str, Mapping[Term, None]], b: Mapping[str, Mapping[Term, None]]
           ) -> dict[str, dict[Term, None]]:
    merged = {p: dict(o) for p, o in a.items()}
    for p, objects in b.items():
        merged.setdefault(p, {}).update(objects)
    return merged


def statement(subject: str, po: Mapping[str, Mapping[Term, None]], ns: Namespaces,
              used: set[str | None]) -> str:
    """One subject's statement, without the final " .": its predicates and their objects.
    Adds the prefixes it uses to ``used`` (None among them: ignore it)."""
    prefix, text = ns.term(subject)
    used.add(prefix)
    parts = [text]
    pairs, pair = ns.pairs, ns.pair
    for p in ns.order(tuple(po)):
        objects = po[p]
        if len(objects) == 1:
            for o in objects:
                found = pairs.get((p, o)) or pair(p, o)
        else:
            found = ns.several(p, objects)
        used.update(found[0])
        parts.append(found[1])
    return f"{parts[0]} {_NEXT_PREDICATE.join(parts[1:])}"


def sort_objects(objects: Iterable[Term]) -> list[Term]:
    """Objects in rdflib's term order: IRIs by their text; anything else compared by rdflib
    (literals by datatype, language and value), which must tell every two apart."""
    objects = list(objects)
    if all(type(o) is str for o in objects):
        return sorted(objects)
    terms = sorted(((rdflib_term(o), o) for o in objects), key=lambda t: t[0])
    # Sorted in a strict total order, the store's order does not show: check every pair.
    if any(not a < b for (a, _), (b, _) in combinations(terms, 2)):
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


# -- N-Triples ---------------------------------------------------------------------------------


def ntriples(own: Triples, ns: Namespaces, shared: Shared | None = None) -> str:
    """N-Triples of ``own``'s triples and ``shared``'s, one line each, sorted: rdflib's
    ``serialize(format="nt")`` lines (rdflib.plugins.serializers.nt), in order."""
    lines = set(nt_lines(own, ns))
    if shared:
        lines |= shared.lines
    text = "".join(sorted(lines))
    try:
        text.encode("utf-8")  # rdflib encodes strictly: a lone surrogate is its error to raise
    except UnicodeEncodeError:
        raise Unsupported("text UTF-8 cannot encode") from None
    return text


def nt_lines(spo: Triples, ns: Namespaces) -> Iterator[str]:
    term = ns.term  # (which refuses an IRI rdflib would refuse)
    for s, po in spo.items():
        term(s)
        for p, objects in po.items():
            term(p)
            for o in objects:
                if type(o) is str:
                    term(o)
                    yield f"<{s}> <{p}> <{o}> .\n"
                else:
                    yield f"<{s}> <{p}> {_nt_literal(o)} .\n"


def _nt_literal(term: Literal) -> str:
    """nt._quoteLiteral: always quoted, the datatype in full."""
    lexical, lang, datatype = term
    quoted = ('"' + lexical.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
              .replace("\r", "\\r") + '"')
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted
