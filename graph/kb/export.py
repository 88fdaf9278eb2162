"""Export the compiled graph (ontology + data + derived triples) in a standard RDF format."""

from __future__ import annotations

__all__ = ["EXPORT_FORMATS", "export"]

#: CLI name -> (pyoxigraph format name, keeps named graphs)
EXPORT_FORMATS = {"ttl": ("TURTLE", False), "nt": ("N_TRIPLES", False), "jsonld": ("JSON_LD", True),
                  "trig": ("TRIG", True), "nq": ("N_QUADS", True), "xml": ("RDF_XML", False)}


def export(store, fmt: str = "ttl", include_inferred: bool = False, audience: str = "clear") -> bytes:
    """Serialise the dataset.

    Graph formats (ttl, nt, xml) merge the named graphs; dataset formats (trig, jsonld, nq) keep them
    (ontology, data, derived and, when asked, inferred). Inferred triples are left out unless
    ``include_inferred``. Resources above ``audience`` (their ``dcterms:accessRights``) are dropped with
    every triple they are the subject or object of.
    """
    import pyoxigraph as ox

    from graph.core.errors import CoopmapError
    from graph.core.access import hidden_query
    from graph.core.prefixes import GRAPH_IRIS as GRAPHS, PREFIXES

    if fmt not in EXPORT_FORMATS:
        raise CoopmapError(f"Unknown export format '{fmt}'. Choose one of: {', '.join(EXPORT_FORMATS)}.")
    name, dataset = EXPORT_FORMATS[fmt]
    hidden = {r[0] for r in store.query(hidden_query(audience), use_default_graph_as_union=True)}  # access policy
    frontier = list(hidden)
    while frontier:  # blank nodes (citations, nested values) hanging from a hidden resource are hidden too
        node = frontier.pop()
        for q in store.quads_for_pattern(node, None, None, None):
            if isinstance(q.object, ox.BlankNode) and q.object not in hidden:
                hidden.add(q.object)
                frontier.append(q.object)
    inferred = ox.NamedNode(str(GRAPHS["inferred"]))

    def keep(q):
        if not include_inferred and q.graph_name == inferred:
            return False
        return q.subject not in hidden and q.object not in hidden

    quads = (q for q in store.quads_for_pattern(None, None, None, None) if keep(q))
    if dataset:
        items = quads
    else:
        items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    return ox.serialize(items, format=getattr(ox.RdfFormat, name), prefixes=PREFIXES)
