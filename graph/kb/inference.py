"""The datasets user queries see: the facts an audience may see, and their RDFS / OWL-RL entailments.

Both are files in the compiled cache directory, so they follow the data's fingerprint and are computed
once: ``visible-<audience>.nq`` (the compiled graph without the facts above the audience) and
``inferred-<audience>.nq``, the entailments owlrl finds in it, in their own named graph
``GRAPHS["inferred"]``. ``graph.nq`` itself never contains entailments: ``coopmap export`` leaves them
out unless asked (``--inferred``), and :func:`graph.kb.store.open_store` never loads them.

The ontology reuses W3C ORG without importing it; the few ORG axioms that make its hierarchy usable
(``org:unitOf`` ⊑ ``org:subOrganizationOf`` ⊑ ``org:transitiveSubOrganizationOf``, which is transitive;
the inverses; the organisation subclasses) are stated here, from the ORG recommendation, and added to
the inferred graph with what follows from them.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

__all__ = ["ORG_AXIOMS", "entailments", "visible_file", "has_inferred", "inferred_file", "ensure_inferred", "load_nquads"]

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
    """False for the entailments no one asks for: x sameAs x, everything is an owl:Thing, …"""
    import pyoxigraph as ox

    if isinstance(s, ox.Literal):
        return False
    if p.value in _REFLEXIVE_NOISE and s == o:
        return False
    if isinstance(o, ox.NamedNode) and o.value in _TRIVIAL_CLASSES and p.value in (_RDF + "type", _RDFS + "subClassOf"):
        return False
    if isinstance(s, ox.NamedNode) and s.value.startswith(_BUILTIN):
        return False  # facts about OWL/RDFS themselves (owl:Nothing subClassOf every class, …)
    return True


def entailments(store, graphs=None):
    """The RDFS / OWL-RL entailments of the union of ``graphs`` of ``store`` (all graphs by default).

    Parameters
    ----------
    store : pyoxigraph.Store
        The compiled dataset; it is read, never changed.
    graphs : list of str, optional
        Graph IRIs to reason over.

    Returns
    -------
    triples : list of pyoxigraph.Triple
        Triples that follow (with :data:`ORG_AXIOMS`) and are not already asserted, without trivial
        ones (reflexive ``owl:sameAs``, ``rdf:type owl:Thing``, facts about the OWL vocabulary itself).
    messages : list of str
        Inconsistencies owlrl reported (empty for a consistent graph).
    """
    import owlrl
    import pyoxigraph as ox
    from rdflib import Graph

    from graph.core.prefixes import GRAPH_IRIS

    g = Graph()
    asserted = set()
    skip = ox.NamedNode(GRAPH_IRIS["inferred"])
    for name in ([ox.NamedNode(str(x)) for x in graphs] if graphs else [None]):
        for q in store.quads_for_pattern(None, None, None, name):
            if q.graph_name != skip:
                asserted.add(ox.Triple(q.subject, q.predicate, q.object))
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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        kept = export(load_nquads([cache / "graph.nq"]), "nq", include_inferred=False, audience=audience)
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


def inferred_file(project=None, audience: str = "clear") -> Path:
    """``inferred-<audience>.nq``: the entailments of :func:`visible_file`, computed first when missing.

    Written atomically, with ``inferred-<audience>.json`` beside it (count, owlrl's inconsistency
    messages).
    """
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS

    source = visible_file(project, audience)
    target = source.parent / f"inferred-{audience}.nq"
    with _LOCK:
        if target.exists():
            return target
        triples, messages = entailments(load_nquads([source]))
        g = ox.NamedNode(GRAPH_IRIS["inferred"])
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        _write_atomic(target.with_suffix(".json"),
                      json.dumps({"triples": len(quads), "inconsistencies": messages}, indent=1).encode())
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
