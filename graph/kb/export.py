"""Export the compiled graph (ontology + data + derived triples) in a standard RDF format, with a VoID/DCAT description.

Exports are byte-reproducible: the same data gives the same bytes (triples sorted, no blank nodes,
citations with stable IRIs, no timestamps). JSON-LD is compacted with the project's ``@context``
(:func:`context_document`, published as ``docs/context.jsonld``).
"""

from __future__ import annotations

import json
from functools import lru_cache

__all__ = ["EXPORT_FORMATS", "DATASET_IRI", "LICENSE", "export", "describe_dataset", "context_document",
           "to_jsonld"]

#: CLI name -> (pyoxigraph format name, keeps named graphs)
EXPORT_FORMATS = {"ttl": ("TURTLE", False), "nt": ("N_TRIPLES", False), "jsonld": ("JSON_LD", True),
                  "trig": ("TRIG", True), "nq": ("N_QUADS", True), "xml": ("RDF_XML", False)}

DATASET_IRI = "https://w3id.org/coopmap/id/dataset"
PUBLISHER_IRI = "https://w3id.org/coopmap/id/publisher/coopmap-contributors"
#: The licence of the data and the ontology (the code is under the licence in pyproject.toml).
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

_DCAT = "http://www.w3.org/ns/dcat#"
_VOID = "http://rdfs.org/ns/void#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_DCT = "http://purl.org/dc/terms/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


@lru_cache(maxsize=1)
def _prefixes():
    from graph.core.prefixes import PREFIXES

    return {**PREFIXES, "dcat": _DCAT, "void": _VOID, "foaf": _FOAF,
            "ftype": "https://w3id.org/coopmap/scheme/figure-type/",
            "citation": "https://w3id.org/coopmap/id/citation/"}


def context_document() -> dict:
    """The published JSON-LD context: ``{"@context": {prefix: namespace, …}}`` (sorted)."""
    return {"@context": dict(sorted(_prefixes().items()))}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("coopmap")
    except Exception:  # pragma: no cover - not installed
        return "0.0.0"


def describe_dataset(quads, version: str | None = None) -> list:
    """VoID/DCAT triples describing the exported ``quads``: title, licence, publisher, version, sources, counts.

    Counts are of the distinct triples exported (the description itself not included). Sources are the
    ``coop:SourceDocument`` resources; none of the five documents states a public URL for itself, so
    none is given (``dcat:landingPage`` is added only where a document has ``schema:url``).
    """
    import pyoxigraph as ox

    N, L = ox.NamedNode, ox.Literal
    ds = N(DATASET_IRI)
    rdf_type = N(_RDF + "type")
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    subjects = {t[0] for t in triples}
    classes = {}
    for s, p, o in triples:
        if p == rdf_type and isinstance(o, ox.NamedNode):
            classes.setdefault(o.value, set()).add(s)
    docs = sorted({s for s, p, o in triples if p == rdf_type and o.value == "https://w3id.org/coopmap/def#SourceDocument"},
                  key=lambda n: n.value)
    urls = {s: o for s, p, o in triples if p.value == "https://schema.org/url"}
    vocabularies = sorted({ns for ns in _prefixes().values()
                           if not ns.startswith("https://w3id.org/coopmap/id/")
                           and any(p.value.startswith(ns) for p in {t[1] for t in triples})})
    integer = N(_XSD + "integer")
    out = [(ds, rdf_type, N(_DCAT + "Dataset")), (ds, rdf_type, N(_VOID + "Dataset")),
           (ds, N(_DCT + "title"), L("coopmap: institutions against trafficking in human beings and migrant smuggling, "
                                     "and their cooperation links", language="en")),
           (ds, N(_DCT + "description"), L("A knowledge graph of the institutions that prevent and combat trafficking in "
                                           "human beings and migrant smuggling (Luxembourg, Benelux, EU, international) and "
                                           "of their cooperation links; every fact cites a public source document with a "
                                           "locator and a verbatim quote.", language="en")),
           (ds, N(_DCT + "license"), N(LICENSE)),
           (ds, N(_DCT + "publisher"), N(PUBLISHER_IRI)),
           (N(PUBLISHER_IRI), rdf_type, N(_FOAF + "Agent")),
           (N(PUBLISHER_IRI), N(_FOAF + "name"), L("coopmap contributors")),
           (ds, N(_DCAT + "version"), L(version or _version())),
           (ds, N(_OWL_VERSION), L(version or _version())),
           (ds, N(_DCT + "conformsTo"), N("https://w3id.org/coopmap/def")),
           (ds, N(_VOID + "uriSpace"), L("https://w3id.org/coopmap/id/")),
           (ds, N(_VOID + "triples"), L(str(len(triples)), datatype=integer)),
           (ds, N(_VOID + "distinctSubjects"), L(str(len(subjects)), datatype=integer)),
           (ds, N(_VOID + "properties"), L(str(len({t[1] for t in triples})), datatype=integer))]
    for ns in vocabularies:
        out.append((ds, N(_VOID + "vocabulary"), N(ns)))
    for doc in docs:
        out.append((ds, N(_DCT + "source"), doc))
        if doc in urls:
            out.append((doc, N(_DCAT + "landingPage"), urls[doc]))
    for cls in sorted(c for c in classes if c.startswith(("https://w3id.org/coopmap/def#", "http://www.w3.org/ns/org#",
                                                          "http://data.europa.eu/eli/", "https://schema.org/"))):
        part = N(f"{DATASET_IRI}/class/{_curie(cls).replace(':', '-')}")
        out += [(ds, N(_VOID + "classPartition"), part), (part, N(_VOID + "class"), N(cls)),
                (part, N(_VOID + "entities"), L(str(len(classes[cls])), datatype=integer))]
    return [ox.Triple(*t) for t in out]


_OWL_VERSION = "http://www.w3.org/2002/07/owl#versionInfo"


def _curie(iri: str) -> str:
    """``actor:lu-itm`` for an IRI under a known prefix (the longest namespace wins), else the IRI."""
    prefixes = _prefixes()
    best = max((n for n, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda n: len(prefixes[n]), default=None)
    if best is None or iri[len(prefixes[best]):].startswith("//"):
        return iri
    return f"{best}:{iri[len(prefixes[best]):]}"


def _sort_key(q):
    g = getattr(q, "graph_name", None)
    gv = "" if g is None or type(g).__name__ == "DefaultGraph" else str(g)
    return (gv, str(q.subject), str(q.predicate), str(q.object))


def export(store, fmt: str = "ttl", include_inferred: bool = False, audience: str = "clear",
           describe: bool = False) -> bytes:
    """Serialise the dataset.

    Graph formats (ttl, nt, xml) merge the named graphs; dataset formats (trig, jsonld, nq) keep them
    (ontology, data, derived and, when asked, inferred) and put the dataset description in the default
    graph. Inferred triples are left out unless ``include_inferred``. Resources above ``audience`` (their
    ``dcterms:accessRights``) are dropped with every triple they are the subject or object of, citations
    included. With ``describe`` (what ``coopmap export`` publishes) a VoID/DCAT description of the dataset is
    added (:func:`describe_dataset`); internal callers (the audience-filtered copy SPARQL reads) leave it out.
    The output is sorted, so the same data always gives the same bytes.
    """
    import pyoxigraph as ox
    cite = ox.NamedNode("https://w3id.org/coopmap/def#citation")  # a hidden fact's citations go with it

    from graph.core.errors import CoopmapError
    from graph.core.access import AUDIENCES
    from graph.core.prefixes import GRAPH_IRIS as GRAPHS, PREFIXES

    if fmt not in EXPORT_FORMATS:
        raise CoopmapError(f"Unknown export format '{fmt}'. Choose one of: {', '.join(EXPORT_FORMATS)}.")
    name, dataset = EXPORT_FORMATS[fmt]
    rank = AUDIENCES.index(audience)
    hidden = {r[0] for r in store.query(f"""SELECT ?s WHERE {{ ?s <http://purl.org/dc/terms/accessRights>/<{PREFIXES['coop']}rank> ?r
                                            FILTER(?r > {rank}) }}""", use_default_graph_as_union=True)}
    frontier = list(hidden)
    while frontier:  # citations (and blank nodes) hanging from a hidden resource are hidden too
        node = frontier.pop()
        for q in store.quads_for_pattern(node, None, None, None):
            if (isinstance(q.object, ox.BlankNode) or q.predicate == cite) and q.object not in hidden:
                hidden.add(q.object)
                frontier.append(q.object)
    inferred = ox.NamedNode(str(GRAPHS["inferred"]))

    def keep(q):
        if not include_inferred and q.graph_name == inferred:
            return False
        return q.subject not in hidden and q.object not in hidden

    quads = sorted((q for q in store.quads_for_pattern(None, None, None, None) if keep(q)), key=_sort_key)
    description = describe_dataset(quads) if describe else []
    if dataset:
        items = quads + [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in description]
        items.sort(key=_sort_key)
    else:
        items = sorted(set(ox.Triple(q.subject, q.predicate, q.object) for q in quads) | set(description),
                       key=_sort_key)
    if fmt == "jsonld":
        return to_jsonld(items)
    return ox.serialize(items, format=getattr(ox.RdfFormat, name), prefixes=_prefixes())


def _jsonld_object(o):
    import pyoxigraph as ox

    if isinstance(o, ox.NamedNode):
        return {"@id": _curie(o.value)}
    if isinstance(o, ox.BlankNode):
        return {"@id": f"_:{o.value}"}
    if o.language:
        return {"@value": o.value, "@language": o.language}
    dt = o.datatype.value
    if dt == _XSD + "string":
        return o.value
    if dt == _XSD + "boolean":
        return o.value == "true"
    if dt == _XSD + "integer" and o.value.lstrip("-").isdigit() and o.value == str(int(o.value)):
        return int(o.value)
    return {"@value": o.value, "@type": _curie(dt)}


def _node_objects(triples):
    nodes = {}
    for t in triples:
        s = t.subject.value if type(t.subject).__name__ == "NamedNode" else f"_:{t.subject.value}"
        node = nodes.setdefault(s, {"@id": _curie(s) if not s.startswith("_:") else s})
        if t.predicate.value == _RDF + "type" and type(t.object).__name__ == "NamedNode":
            node.setdefault("@type", []).append(_curie(t.object.value))
        else:
            node.setdefault(_curie(t.predicate.value), []).append(_jsonld_object(t.object))
    return [nodes[k] for k in sorted(nodes)]


def to_jsonld(items) -> bytes:
    """Compacted JSON-LD (the project's prefixes as ``@context``) of sorted triples or quads; named graphs kept."""
    import pyoxigraph as ox

    graphs = {}
    for q in items:
        g = getattr(q, "graph_name", None)
        key = "" if g is None or isinstance(g, ox.DefaultGraph) else g.value
        graphs.setdefault(key, []).append(q)
    body = _node_objects(graphs.pop("", []))
    for g in sorted(graphs):
        body.append({"@id": g, "@graph": _node_objects(graphs[g])})
    doc = {"@context": context_document()["@context"], "@graph": body}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
