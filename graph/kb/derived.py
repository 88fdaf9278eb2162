"""Triples the compiler adds for researchers: stable citation IRIs, one label predicate, effective availability, years.

Called by :mod:`graph.kb.build` when the dataset is loaded:

- :func:`skolemize_citations` (after validation) replaces each citation's blank node (``coop:citation [ … ]``
  in the Turtle files) by an IRI derived from the fact it supports and the document, locator and quote,
  so that a citation can be referenced and two exports of the same data are byte-identical;
- :func:`derive` adds to the derived graph ``rdfs:label`` for every named resource (from its
  specialised title predicate; an article reads with its act: "Article 19, Directive 2011/36/EU"),
  ``coop:effectiveAvailability`` for every link (the rule routing and ``gaps`` apply) and ``coop:year``
  for every dated instrument.
"""

from __future__ import annotations

from graph.render.facts import act_short_title

import hashlib
import re

__all__ = ["CITATION_NS", "citation_iri", "skolemize_citations", "finalize_citations", "derive", "act_short_title",
           "LABEL_SOURCES"]

CITATION_NS = "https://w3id.org/coopmap/id/citation/"
_ID = "https://w3id.org/coopmap/id/"
_COOP = "https://w3id.org/coopmap/def#"
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ELI = "http://data.europa.eu/eli/ontology#"
_AVAIL = "https://w3id.org/coopmap/scheme/availability/"
_STATUS = "https://w3id.org/coopmap/scheme/status/"

#: The specialised name predicates, in order of preference, copied to ``rdfs:label``.
LABEL_SOURCES = ("http://www.w3.org/2004/02/skos/core#prefLabel", _ELI + "title", "https://schema.org/name",
                 "http://purl.org/dc/terms/title")


def citation_iri(subject: str, document: str, locator: str, quote: str) -> str:
    """The stable IRI of a citation: the cited fact's path under ``id/`` and a hash of all four parts.

    >>> citation_iri("https://w3id.org/coopmap/id/actor/lu-itm", "https://w3id.org/coopmap/id/document/d",
    ...              "Q1", "a quote")
    'https://w3id.org/coopmap/id/citation/actor/lu-itm/20b44beac6'
    """
    digest = hashlib.sha256("\x1f".join((subject, document, locator, quote)).encode("utf-8")).hexdigest()[:10]
    path = subject[len(_ID):] if subject.startswith(_ID) else hashlib.sha256(subject.encode()).hexdigest()[:12]
    return f"{CITATION_NS}{path}/{digest}"


def skolemize_citations(store, graph_iri, label_graph=None) -> int:
    """Replace every citation blank node of ``graph_iri`` by its :func:`citation_iri`; return how many.

    Called by :func:`graph.kb.build.build` after validation (whose messages point at the fact a blank
    citation hangs from). With ``label_graph`` each citation also gets ``rdfs:label`` "document id,
    locator" there. The old quads are removed one by one and the new ones added in one bulk write.
    """
    import pyoxigraph as ox

    g = ox.NamedNode(str(graph_iri))
    cite = ox.NamedNode(_COOP + "citation")
    blanks = [q for q in store.quads_for_pattern(None, cite, None, g) if isinstance(q.object, ox.BlankNode)]
    label = _citation_labeller(store, label_graph)
    new, cited = [], set()
    for q in blanks:
        if q.object in cited:  # a citation of a citation: write what replaced the inner one first
            store.bulk_extend(new)
            new = []
        if isinstance(q.subject, ox.BlankNode):
            cited.add(q.subject)
        new.extend(_skolemize_one(store, q, g, label))
    store.bulk_extend(new)
    return len(blanks)


def _citation_labeller(store, label_graph):
    """``(iri, document, locator) -> [label quad]`` for :func:`skolemize_citations` (no quad without ``label_graph``)."""
    import pyoxigraph as ox

    if label_graph is None:
        return lambda iri, doc_v, loc_v: ()
    ids = {q.subject: q.object.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/identifier"), None, None)}
    label, lg = ox.NamedNode(_RDFS_LABEL), ox.NamedNode(str(label_graph))

    def quads(iri, doc_v, loc_v):
        doc = ox.NamedNode(doc_v) if doc_v else None
        text = f"{ids.get(doc, doc_v.rsplit('/', 1)[-1])}, {loc_v}"
        return (ox.Quad(iri, label, ox.Literal(text, language="en"), lg),)

    return quads


def _skolemize_one(store, q, g, label):
    """Remove the citation ``q`` and its blank node's quads from ``store``; the quads that replace them.

    Nothing is added here: :func:`skolemize_citations` writes them in bulk, first whenever a later citation
    could read them (its blank node is the subject of an earlier one), so each reads the store as it would
    after adding its predecessors' quads one by one.
    """
    from pyoxigraph import NamedNode, Quad

    inner = list(store.quads_for_pattern(q.object, None, None, g))
    terms = [(x.predicate, x.object) for x in inner]
    first = {}
    for p, o in terms:
        first.setdefault(p.value, o)
    doc_v, loc_v, quote_v = (first[k].value if k in first else "" for k in _CITATION_PARTS)
    iri = NamedNode(citation_iri(q.subject.value, doc_v, loc_v, quote_v))
    for x in inner:
        store.remove(x)
    store.remove(q)
    new = [Quad(q.subject, q.predicate, iri, g)]
    new.extend(Quad(iri, p, o, g) for p, o in terms)
    new.extend(label(iri, doc_v, loc_v))
    return new


#: What a citation's IRI is made of, besides the fact it supports: document, locator, quote.
_CITATION_PARTS = (_PROV + "entity", _COOP + "locator", _COOP + "quote")


def finalize_citations(store) -> int:
    """:func:`skolemize_citations` on the data graph, labels in the derived graph: what the compiler runs before caching."""
    from graph.core.prefixes import GRAPH_IRIS

    return skolemize_citations(store, GRAPH_IRIS["data"], label_graph=GRAPH_IRIS["derived"])


_Q_ARTICLES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?a ?t ?act ?actTitle WHERE { ?a a eli:LegalResourceSubdivision ; eli:title ?t ; eli:is_part_of ?act .
  ?act eli:title ?actTitle . FILTER(lang(?t) = lang(?actTitle)) }"""
_Q_MEMBERSHIPS = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?m ?member ?org ?role WHERE { ?m a org:Membership ; org:member/skos:prefLabel ?member ;
  org:organization/skos:prefLabel ?org . FILTER(lang(?member) = 'en' && lang(?org) = 'en')
  OPTIONAL { ?m org:role/skos:prefLabel ?role FILTER(lang(?role) = 'en') } }"""
_Q_AVAILABILITY = """PREFIX coop: <https://w3id.org/coopmap/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?a ?who ?hours ?status ?stated WHERE { ?a a coop:Availability ; coop:hours/skos:prefLabel ?hours .
  FILTER(lang(?hours) = 'en')
  OPTIONAL { ?x coop:availability ?a ; skos:prefLabel ?w FILTER(lang(?w) = 'en') }
  OPTIONAL { ?x2 coop:availability ?a ; <http://www.w3.org/2000/01/rdf-schema#label> ?w2 FILTER(lang(?w2) = 'en') }
  BIND(COALESCE(?w, ?w2, "") AS ?who)
  OPTIONAL { ?a coop:status/skos:prefLabel ?status FILTER(lang(?status) = 'en') }
  OPTIONAL { ?a coop:statedOn ?stated } }"""
_Q_AVAIL = """PREFIX coop: <https://w3id.org/coopmap/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?hours ?status WHERE { ?s coop:availability ?a .
  OPTIONAL { ?a coop:hours ?h } OPTIONAL { ?a coop:status ?status }
  BIND(COALESCE(?h, ?a) AS ?hours) }"""
_Q_YEARS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?i ?d WHERE { { ?i eli:date_document ?d } UNION { ?i eli:is_part_of ?act . ?act eli:date_document ?d
  FILTER NOT EXISTS { ?i eli:date_document ?own } } }"""


def _select(store, query):
    res = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [dict(zip(names, sol)) for sol in res]


def _names(store):
    """{IRI: {name predicate: [literal]}} for the :data:`LABEL_SOURCES`, read from every graph (as a query would)."""
    import pyoxigraph as ox

    by_subject = {}
    for p in LABEL_SOURCES:
        for q in store.quads_for_pattern(None, ox.NamedNode(p), None, None):
            if type(q.subject) is ox.NamedNode and type(q.object) is ox.Literal:
                by_subject.setdefault(q.subject, {}).setdefault(p, []).append(q.object)
    return by_subject


def _link_targets(store):
    """(link, target) IRIs of every ``coop:Link``, read from every graph (as a query would)."""
    import pyoxigraph as ox

    links = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_COOP + "Link"), None)}
    return [(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, ox.NamedNode(_COOP + "to"), None, None)
            if q.subject in links]


def _effective_availability(store):
    """link -> availability concept, by the rule of :func:`graph.network.routing.availability_of`."""
    stated = {}
    for r in _select(store, _Q_AVAIL):
        stated.setdefault(r["s"].value, []).append((r["hours"].value, r["status"].value if r["status"] else None))

    def decide(items):
        live = {h for h, st in items if st not in (_STATUS + "planned", _STATUS + "ended")}
        for h in ("24-7", "office-hours"):
            if _AVAIL + h in live:
                return _AVAIL + h
        return _AVAIL + "unspecified"

    out = {}
    for link, to in _link_targets(store):
        items = stated.get(link) or stated.get(to)
        out[link] = decide(items) if items else _AVAIL + "unspecified"
    return out


def derive(store, graph_iri) -> int:
    """Add the labels, effective availabilities and years to ``graph_iri``; return how many triples."""
    import pyoxigraph as ox

    g = ox.NamedNode(str(graph_iri))
    label = ox.NamedNode(_RDFS_LABEL)
    have = {(q.subject, q.object) for q in store.quads_for_pattern(None, label, None, None)}
    labelled = {s for s, _ in have}
    new = []

    # an article reads with its act: "Article 19, Directive 2011/36/EU"
    articles = set()
    for r in _select(store, _Q_ARTICLES):
        articles.add(r["a"])
        text = f"{r['t'].value}, {act_short_title(r['actTitle'].value)}"
        new.append((r["a"], label, ox.Literal(text, language=r["t"].language)))
    # the specialised name predicates, first one found per resource
    for s, preds in _names(store).items():
        if s in labelled or s in articles:
            continue
        for p in LABEL_SOURCES:
            if p in preds:
                new.extend((s, label, lit) for lit in preds[p])
                break
    # memberships and availability statements: composed from the labels of what they join (en)
    for r in _select(store, _Q_MEMBERSHIPS):
        if r["m"] not in labelled:
            role = f" ({r['role'].value})" if r["role"] else ""
            new.append((r["m"], label, ox.Literal(f"{r['member'].value}, member of {r['org'].value}{role}", language="en")))
    for r in _select(store, _Q_AVAILABILITY):
        if r["a"] not in labelled:
            extra = ", ".join(x for x in ((r["status"].value if r["status"] else ""),
                                          (f"stated {r['stated'].value}" if r["stated"] else "")) if x)
            text = f"{r['who'].value}: {r['hours'].value}" + (f" ({extra})" if extra else "")
            new.append((r["a"], label, ox.Literal(text, language="en")))
    # effective availability of every link
    eff = ox.NamedNode(_COOP + "effectiveAvailability")
    for link, concept in sorted(_effective_availability(store).items()):
        new.append((ox.NamedNode(link), eff, ox.NamedNode(concept)))
    # the year of every dated instrument (an article: its act's)
    year = ox.NamedNode(_COOP + "year")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    seen = set()
    for r in _select(store, _Q_YEARS):
        if r["i"] in seen:
            continue
        seen.add(r["i"])
        m = re.match(r"-?\d{4}", r["d"].value)
        if m:
            new.append((r["i"], year, ox.Literal(str(int(m.group(0))), datatype=integer)))
    store.bulk_extend(ox.Quad(s, p, o, g) for s, p, o in new)
    return len(new)
