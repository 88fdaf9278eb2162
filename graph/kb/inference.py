"""The datasets user queries see: the facts an audience may see, and their RDFS / OWL-RL entailments.

Both are files in the compiled cache directory, so they follow the data's fingerprint and are computed
once: ``visible-<audience>.nq`` (the compiled graph without the facts above the audience) and
``inferred-<audience>.nq``, the entailments found in it, in their own named graph
``GRAPHS["inferred"]``. ``graph.nq`` itself never contains entailments: ``coopmap export`` leaves them
out unless asked (``--inferred``), and :func:`graph.kb.store.open_store` never loads them.

The ontology reuses W3C ORG without importing it; the few ORG axioms that make its hierarchy usable
(``org:unitOf`` ⊑ ``org:subOrganizationOf`` ⊑ ``org:transitiveSubOrganizationOf``, which is transitive;
the inverses; the organisation subclasses) are stated here, from the ORG recommendation, and added to
the inferred graph with what follows from them.

The entailments are computed by SPARQL rules (:data:`RULES`, the OWL 2 RL rules of the vocabulary
coopmap uses) run in Oxigraph until nothing new follows: half a second on the real data, where owlrl,
still available as ``reasoner="owlrl"``, takes half a minute for the same triples.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

__all__ = ["ORG_AXIOMS", "RULES", "CHECKS", "REASONERS", "entailments", "visible_file", "has_inferred", "inferred_file", "ensure_inferred", "load_nquads"]

#: The W3C ORG axioms (https://www.w3.org/TR/vocab-org/) coopmap's inference relies on.
ORG_AXIOMS = """
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
org:FormalOrganization rdfs:subClassOf org:Organization .
org:OrganizationalUnit rdfs:subClassOf org:Organization .
org:OrganizationalCollaboration rdfs:subClassOf org:Organization .
org:subOrganizationOf owl:inverseOf org:hasSubOrganization ;
    rdfs:subPropertyOf org:transitiveSubOrganizationOf .
org:transitiveSubOrganizationOf a owl:TransitiveProperty .
org:unitOf owl:inverseOf org:hasUnit ; rdfs:subPropertyOf org:subOrganizationOf .
org:hasUnit rdfs:subPropertyOf org:hasSubOrganization .
org:memberOf owl:inverseOf org:hasMember .
org:member owl:inverseOf org:hasMembership .
"""

_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BUILTIN = (_OWL, _RDF, _RDFS, _XSD)
_REFLEXIVE_NOISE = {_OWL + "sameAs", _RDFS + "subClassOf", _RDFS + "subPropertyOf", _OWL + "equivalentClass",
                    _OWL + "equivalentProperty"}
_TRIVIAL_CLASSES = {_OWL + "Thing", _RDFS + "Resource"}
_CLASS_VALUED = {_RDF + "type", _RDFS + "subClassOf", _RDFS + "domain", _RDFS + "range"}
_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"


def load_nquads(paths):
    """A pyoxigraph ``Store`` holding the N-Quads files ``paths``, blank-node labels kept.

    ``Store.bulk_load`` renames blank nodes per file; the inferred graph refers to the citations' blank
    nodes of ``graph.nq`` by label, so both files must be read with their labels.
    """
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        store.bulk_extend(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    return store


def _to_rdflib(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _to_ox(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or _XSD + "string")))
    raise TypeError(term)


def _keep(s, p, o):
    """False for the entailments no one asks for: x sameAs x, everything is an owl:Thing (and every
    property's domain and range is owl:Thing), …"""
    import pyoxigraph as ox

    if isinstance(s, ox.Literal):
        return False
    if p.value in _REFLEXIVE_NOISE and s == o:
        return False
    if isinstance(o, ox.NamedNode) and o.value in _TRIVIAL_CLASSES and p.value in _CLASS_VALUED:
        return False
    if isinstance(s, ox.NamedNode) and s.value.startswith(_BUILTIN):
        return False  # facts about OWL/RDFS themselves (owl:Nothing subClassOf every class, …)
    return True


#: The reasoners :func:`entailments` knows: SPARQL rules run in Oxigraph (the default) and owlrl.
REASONERS = ("rules", "owlrl")

_P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
      "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n")

#: The entailment rules of the default reasoner, named as in the OWL 2 RL profile (tables 4 to 9 of
#: https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules): the RDFS
#: core (sub-classes, sub-properties, domains, ranges), equivalence, inverse, symmetric, transitive and
#: (inverse-)functional properties, and ``owl:sameAs``. Each is one SPARQL ``INSERT … WHERE`` run over
#: the default graph until none adds a triple. Literals never become subjects.
RULES = {
    "scm-sco": "INSERT { ?a rdfs:subClassOf ?c } WHERE { ?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?c }",
    "scm-spo": "INSERT { ?a rdfs:subPropertyOf ?c } WHERE { ?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?c }",
    "scm-eqc1": "INSERT { ?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?a } WHERE { ?a owl:equivalentClass ?b }",
    "scm-eqc2": "INSERT { ?a owl:equivalentClass ?b } WHERE { ?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?a }",
    "scm-eqp1": "INSERT { ?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?a } WHERE { ?a owl:equivalentProperty ?b }",
    "scm-eqp2": "INSERT { ?a owl:equivalentProperty ?b } WHERE { ?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?a }",
    "scm-dom1": "INSERT { ?p rdfs:domain ?c2 } WHERE { ?p rdfs:domain ?c1 . ?c1 rdfs:subClassOf ?c2 }",
    "scm-dom2": "INSERT { ?p1 rdfs:domain ?c } WHERE { ?p2 rdfs:domain ?c . ?p1 rdfs:subPropertyOf ?p2 }",
    "scm-rng1": "INSERT { ?p rdfs:range ?c2 } WHERE { ?p rdfs:range ?c1 . ?c1 rdfs:subClassOf ?c2 }",
    "scm-rng2": "INSERT { ?p1 rdfs:range ?c } WHERE { ?p2 rdfs:range ?c . ?p1 rdfs:subPropertyOf ?p2 }",
    "cax-sco": "INSERT { ?x a ?c2 } WHERE { ?c1 rdfs:subClassOf ?c2 . ?x a ?c1 }",
    "prp-dom": "INSERT { ?x a ?c } WHERE { ?p rdfs:domain ?c . ?x ?p ?y }",
    "prp-rng": "INSERT { ?y a ?c } WHERE { ?p rdfs:range ?c . ?x ?p ?y FILTER(!isLiteral(?y)) }",
    "prp-spo1": "INSERT { ?x ?p2 ?y } WHERE { ?p1 rdfs:subPropertyOf ?p2 . ?x ?p1 ?y }",
    "prp-inv1": "INSERT { ?y ?p2 ?x } WHERE { ?p1 owl:inverseOf ?p2 . ?x ?p1 ?y FILTER(!isLiteral(?y)) }",
    "prp-inv2": "INSERT { ?y ?p1 ?x } WHERE { ?p1 owl:inverseOf ?p2 . ?x ?p2 ?y FILTER(!isLiteral(?y)) }",
    "prp-symp": "INSERT { ?y ?p ?x } WHERE { ?p a owl:SymmetricProperty . ?x ?p ?y FILTER(!isLiteral(?y)) }",
    "prp-trp": "INSERT { ?x ?p ?z } WHERE { ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z }",
    "prp-fp": "INSERT { ?y1 owl:sameAs ?y2 } WHERE { ?p a owl:FunctionalProperty . ?x ?p ?y1 , ?y2 "
              "FILTER(?y1 != ?y2 && !isLiteral(?y1) && !isLiteral(?y2)) }",
    "prp-ifp": "INSERT { ?x1 owl:sameAs ?x2 } WHERE { ?p a owl:InverseFunctionalProperty . ?x1 ?p ?y . ?x2 ?p ?y "
               "FILTER(?x1 != ?x2) }",
    "eq-sym": "INSERT { ?y owl:sameAs ?x } WHERE { ?x owl:sameAs ?y FILTER(!isLiteral(?y)) }",
    "eq-trans": "INSERT { ?x owl:sameAs ?z } WHERE { ?x owl:sameAs ?y . ?y owl:sameAs ?z }",
    "eq-rep-s": "INSERT { ?s2 ?p ?o } WHERE { ?s owl:sameAs ?s2 FILTER(?s != ?s2) ?s ?p ?o }",
    "eq-rep-p": "INSERT { ?s ?p2 ?o } WHERE { ?p owl:sameAs ?p2 FILTER(?p != ?p2 && isIRI(?p2)) ?s ?p ?o }",
    "eq-rep-o": "INSERT { ?s ?p ?o2 } WHERE { ?o owl:sameAs ?o2 FILTER(?o != ?o2) ?s ?p ?o }",
}

#: Consistency checks run on the closure (OWL 2 RL's ``false`` rules that apply to the vocabulary
#: used): each SELECT returns one row per problem, with a ``?message``.
CHECKS = {
    "prp-fp (literal)": "SELECT ?message WHERE { ?p a owl:FunctionalProperty . ?x ?p ?y1 , ?y2 "
                        "FILTER(isLiteral(?y1) && isLiteral(?y2) && STR(?y1) < STR(?y2)) "
                        "BIND(CONCAT(STR(?x), ' has two values of the functional property ', STR(?p), ': \"', "
                        "STR(?y1), '\" and \"', STR(?y2), '\"') AS ?message) }",
    "cls-nothing2": "SELECT ?message WHERE { ?x a owl:Nothing BIND(CONCAT(STR(?x), ' is a member of owl:Nothing') AS ?message) }",
    "cax-dw": "SELECT ?message WHERE { ?c1 owl:disjointWith ?c2 . ?x a ?c1 , ?c2 "
              "BIND(CONCAT(STR(?x), ' is in the disjoint classes ', STR(?c1), ' and ', STR(?c2)) AS ?message) }",
    "prp-irp": "SELECT ?message WHERE { ?p a owl:IrreflexiveProperty . ?x ?p ?x "
               "BIND(CONCAT(STR(?x), ' is related to itself by the irreflexive ', STR(?p)) AS ?message) }",
    "prp-asyp": "SELECT ?message WHERE { ?p a owl:AsymmetricProperty . ?x ?p ?y . ?y ?p ?x "
                "BIND(CONCAT(STR(?x), ' and ', STR(?y), ' are related both ways by the asymmetric ', STR(?p)) AS ?message) }",
}


def _asserted(store, graphs):
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS

    asserted = set()
    skip = ox.NamedNode(GRAPH_IRIS["inferred"])
    for name in ([ox.NamedNode(str(x)) for x in graphs] if graphs else [None]):
        for q in store.quads_for_pattern(None, None, None, name):
            if q.graph_name != skip:
                asserted.add(ox.Triple(q.subject, q.predicate, q.object))
    return asserted


def entailments(store, graphs=None, reasoner: str = "rules"):
    """The RDFS / OWL-RL entailments of the union of ``graphs`` of ``store`` (all graphs by default).

    Parameters
    ----------
    store : pyoxigraph.Store
        The compiled dataset; it is read, never changed.
    graphs : list of str, optional
        Graph IRIs to reason over.
    reasoner : {"rules", "owlrl"}
        ``"rules"`` (default): the SPARQL rules of :data:`RULES`, run in Oxigraph to a fixpoint, in
        milliseconds. ``"owlrl"``: the complete OWL 2 RL closure of the owlrl package, in pure Python
        (tens of seconds on the real data); both give the same entailments on coopmap's vocabulary, as
        ``tests/test_sparql_inference.py`` checks.

    Returns
    -------
    triples : list of pyoxigraph.Triple
        Triples that follow (with :data:`ORG_AXIOMS`) and are not already asserted, without trivial
        ones (reflexive ``owl:sameAs``, ``rdf:type owl:Thing``, facts about the OWL vocabulary itself).
    messages : list of str
        Inconsistencies found (empty for a consistent graph).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.bulk_extend(ox.parse(b"<urn:a> <http://www.w3.org/ns/org#unitOf> <urn:b> .", format=ox.RdfFormat.N_TRIPLES))
    >>> sorted(t.predicate.value.split("#")[1] for t in entailments(store)[0] if t.subject.value == "urn:a")
    ['subOrganizationOf', 'transitiveSubOrganizationOf']
    """
    if reasoner == "owlrl":
        return _owlrl_entailments(store, graphs)
    if reasoner != "rules":
        from graph.core.errors import CoopmapError

        raise CoopmapError(f"Unknown reasoner '{reasoner}'. Choose one of: {', '.join(REASONERS)}.")
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS

    # The asserted triples stay in named graphs (the default graph's under a stand-in name), and their
    # merge goes into the default graph, where the rules run: what the default graph holds in the end
    # and no named graph holds is what follows.
    skip, stand_in = ox.NamedNode(GRAPH_IRIS["inferred"]), ox.NamedNode("urn:coopmap:graph:asserted-default")
    work = ox.Store()
    for name in ([ox.NamedNode(str(x)) for x in graphs] if graphs else [None]):
        work.bulk_extend(q if q.graph_name != ox.DefaultGraph() else ox.Quad(q.subject, q.predicate, q.object, stand_in)
                         for q in store.quads_for_pattern(None, None, None, name) if q.graph_name != skip)
    work.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    work.bulk_extend(ox.parse(ORG_AXIOMS.encode(), format=ox.RdfFormat.TURTLE))
    rules = [_P + r for r in RULES.values()]
    size = -1
    while size != len(work):
        size = len(work)
        for rule in rules:
            work.update(rule)
    messages = sorted({sol["message"].value for check in CHECKS.values() for sol in work.query(_P + check)})
    out = []
    for sol in work.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"):
        s, p, o = sol[0], sol[1], sol[2]
        if _keep(s, p, o):
            out.append(ox.Triple(s, p, o))
    return out, messages


def _owlrl_entailments(store, graphs=None):
    """:func:`entailments` by owlrl (OWL 2 RL in pure Python)."""
    import owlrl
    import pyoxigraph as ox
    from rdflib import Graph

    g = Graph()
    asserted = _asserted(store, graphs)
    for t in asserted:
        g.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    g.parse(data=ORG_AXIOMS, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    from rdflib import RDF, URIRef

    errors = set(g.subjects(RDF.type, URIRef(_ERRNS + "ErrorMessage")))
    messages = sorted(str(m) for e in errors for m in g.objects(e, URIRef(_ERRNS + "error")))
    out = []
    for s, p, o in g:
        if s in errors:
            continue
        try:
            t = ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))
        except (TypeError, ValueError):
            continue  # a literal in subject position, or a term oxigraph cannot hold
        if t not in asserted and _keep(t.subject, t.predicate, t.object):
            out.append(t)
    return out, messages


_LOCK = threading.Lock()


def _write_atomic(target: Path, data: bytes):
    from graph.core.files import atomic_write

    atomic_write(target, data)


def _audience(audience):
    from graph.core.errors import CoopmapError
    from graph.core.access import AUDIENCES

    if audience not in AUDIENCES:
        raise CoopmapError(f"Unknown audience '{audience}'. Choose one of: {', '.join(AUDIENCES)}.")
    return audience


def visible_file(project=None, audience: str = "clear") -> Path:
    """``visible-<audience>.nq``: the compiled graph without the facts above ``audience``.

    Resources whose ``dcterms:accessRights`` ranks above the audience go, with every triple they are the
    subject or object of (the rule of :func:`graph.kb.export.export`), and the derived graph is derived
    again from what remains, so a hidden link leaves no direct triple behind.
    """
    import pyoxigraph as ox

    from graph.kb.build import _derive, compiled
    from graph.kb.export import export
    from graph.core.prefixes import GRAPH_IRIS

    cache = compiled(project)
    target = cache / f"visible-{_audience(audience)}.nq"
    with _LOCK:
        if target.exists():
            return target
        source = load_nquads([cache / "graph.nq"])
        kept = export(source, "nq", include_inferred=False, audience=audience)
        if kept.count(b"\n") == len(source):  # nothing is above the audience: the compiled graph as it is
            _write_atomic(target, (cache / "graph.nq").read_bytes())
            return target
        derived = ox.NamedNode(GRAPH_IRIS["derived"])
        store = ox.Store()
        store.bulk_extend(q for q in ox.parse(kept, format=ox.RdfFormat.N_QUADS) if q.graph_name != derived)
        _derive(store)
        _write_atomic(target, ox.serialize(store, format=ox.RdfFormat.N_QUADS))
    return target


def has_inferred(project=None, audience: str = "clear") -> bool:
    """Whether the entailments for ``audience`` are already computed (so a query will not wait for them)."""
    from graph.kb.build import compiled

    return (compiled(project) / f"inferred-{_audience(audience)}.nq").exists()


def inferred_file(project=None, audience: str = "clear", reasoner: str = "rules") -> Path:
    """``inferred-<audience>.nq``: the entailments of :func:`visible_file`, computed first when missing.

    Written atomically, with ``inferred-<audience>.json`` beside it (count, reasoner, inconsistency
    messages). ``reasoner="owlrl"`` (see :func:`entailments`) writes ``inferred-<audience>-owlrl.nq``.
    """
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS
    from graph.core.progress import progress

    source = visible_file(project, audience)
    target = source.parent / (f"inferred-{audience}.nq" if reasoner == "rules" else f"inferred-{audience}-{reasoner}.nq")
    with _LOCK:
        if target.exists():
            return target
        with progress(f"Computing the entailments ({reasoner})"):
            triples, messages = entailments(load_nquads([source]), reasoner=reasoner)
        g = ox.NamedNode(GRAPH_IRIS["inferred"])
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        import json

        _write_atomic(target.with_suffix(".json"),
                      json.dumps({"triples": len(quads), "reasoner": reasoner, "inconsistencies": messages}, indent=1).encode())
        _write_atomic(target, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return target


@lru_cache(maxsize=4)
def _store_with_inferred(visible: str, inferred: str):
    return load_nquads([visible, inferred])


def ensure_inferred(project=None, audience: str = "clear"):
    """The facts ``audience`` may see and their entailments graph, as a pyoxigraph ``Store`` (cached).

    A separate store from :func:`graph.kb.store.open_store`, whose answers never include entailments.
    """
    inferred = inferred_file(project, audience)
    return _store_with_inferred(str(visible_file(project, audience)), str(inferred))
