"""Citations are skolemized in bulk (#15) exactly as one quad at a time did, odd shapes included: a citation
of a citation (either order), a blank node cited twice, a citation without locator, a document without id."""

import pyoxigraph as ox

from graph.kb.derived import citation_iri, skolemize_citations

COOP, PROV = "https://w3id.org/coopmap/def#", "http://www.w3.org/ns/prov#"
G, LG = ox.NamedNode("https://w3id.org/coopmap/graph/data"), ox.NamedNode("https://w3id.org/coopmap/graph/derived")
ID = ox.NamedNode("http://purl.org/dc/terms/identifier")


def _one_at_a_time(store, g, label_graph):
    """The quad-at-a-time skolemization this replaced, kept as the reference."""
    ids = {q.subject: q.object.value for q in store.quads_for_pattern(None, ID, None, None)}
    cite, entity, locator, quote = (ox.NamedNode(COOP + "citation"), ox.NamedNode(PROV + "entity"),
                                    ox.NamedNode(COOP + "locator"), ox.NamedNode(COOP + "quote"))
    blanks = [q for q in store.quads_for_pattern(None, cite, None, g) if isinstance(q.object, ox.BlankNode)]
    for q in blanks:
        b = q.object

        def one(p, b=b):
            vals = [x.object.value for x in store.quads_for_pattern(b, p, None, g)]
            return vals[0] if vals else ""

        doc_v, loc_v, quote_v = one(entity), one(locator), one(quote)
        iri = ox.NamedNode(citation_iri(q.subject.value, doc_v, loc_v, quote_v))
        inner = list(store.quads_for_pattern(b, None, None, g))
        for x in inner:
            store.remove(x)
        store.remove(q)
        store.add(ox.Quad(q.subject, q.predicate, iri, g))
        for x in inner:
            store.add(ox.Quad(iri, x.predicate, x.object, g))
        doc = ox.NamedNode(doc_v) if doc_v else None
        text = f"{ids.get(doc, doc_v.rsplit('/', 1)[-1])}, {loc_v}"
        store.add(ox.Quad(iri, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal(text, language="en"), label_graph))
    return len(blanks)


def _quads():
    n = lambda s: ox.NamedNode("https://w3id.org/coopmap/id/" + s)  # noqa: E731
    c, e, loc, quote = (ox.NamedNode(COOP + x) for x in ("citation", "entity", "locator", "quote"))
    e = ox.NamedNode(PROV + "entity")
    b = {k: ox.BlankNode(k) for k in ("plain", "outer", "inner", "twice", "bare", "first", "second", "again", "its")}
    return [ox.Quad(*t, G) for t in [
        (n("document/d"), ID, ox.Literal("D-1")),
        (n("actor/a"), c, b["plain"]), (b["plain"], e, n("document/d")), (b["plain"], loc, ox.Literal("p. 1")),
        (b["plain"], quote, ox.Literal("A quote", language="en")),
        # a citation of a citation, the outer one listed first, then the inner one first
        (n("link/l"), c, b["outer"]), (b["outer"], e, n("document/other")), (b["outer"], c, b["inner"]),
        (b["inner"], e, n("document/d")), (b["inner"], quote, ox.Literal("inner")),
        (b["first"], c, b["second"]), (n("link/m"), c, b["first"]), (b["first"], e, n("document/d")),
        (b["second"], loc, ox.Literal("Q2")),
        # one blank cited by two facts, and a citation with nothing in it
        (n("actor/a"), c, b["twice"]), (n("actor/b"), c, b["twice"]), (b["twice"], e, n("document/d")),
        (b["twice"], c, b["plain"]),
        (n("actor/b"), c, b["bare"]),
        # a blank cited twice that cites a third, in between (the store lists the newest first)
        (n("actor/c"), c, b["again"]), (b["again"], c, b["its"]), (n("actor/d"), c, b["again"]),
        (b["again"], e, n("document/d")), (b["its"], loc, ox.Literal("Q3")),
    ]]


def test_bulk_skolemization_leaves_what_one_at_a_time_left():
    stores = []
    for run in (_one_at_a_time, lambda s, g, lg: skolemize_citations(s, g.value, lg.value)):
        store = ox.Store()
        for q in _quads():
            store.add(q)
        stores.append((run(store, G, LG), set(store)))
    assert stores[0] == stores[1]
    assert stores[0][0] >= 8
