"""A compile followed by a query in one process reads the compiler's in-memory store (#15): the view built from
it is the view built from ``graph.nq``, node and edge order included, and fast row reading changes no value."""

import pyoxigraph as ox
import pytest

from graph.kb.build import Project, build
from graph.kb.rows import QUERY_PREFIXES, select, term_value
from graph.kb.store import open_store
from graph.network.view import build_view


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """(the store open_store gives right after a compile, the same graph parsed from graph.nq)."""
    project = Project(cache_root=tmp_path_factory.mktemp("cache"))
    target = build(project, validate=False)
    kept = open_store(project)
    fresh = ox.Store()
    fresh.bulk_load(path=str(target / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return kept, fresh


def test_open_store_after_a_compile_holds_what_graph_nq_holds(stores):
    kept, fresh = stores
    assert kept is not fresh
    assert set(kept) == set(fresh)
    cite = ox.NamedNode("https://w3id.org/coopmap/def#citation")
    assert not [q for q in kept.quads_for_pattern(None, cite, None) if isinstance(q.object, ox.BlankNode)]


@pytest.mark.parametrize("audience", ["clear", "red"])
def test_view_of_the_compilers_store_is_the_view_of_graph_nq(stores, audience):
    a, b = (build_view(s, audience) for s in stores)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert a.graph == b.graph


def test_select_reads_every_term_as_term_value_does(stores):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    rows = select(stores[1], query, lang=True)
    res = stores[1].query(QUERY_PREFIXES + query, use_default_graph_as_union=True)
    expected = [{n: (t.value, t.language) if isinstance(t, ox.Literal) and t.language else term_value(t)
                 for n, t in zip(("s", "p", "o"), sol)} for sol in res]
    assert rows == expected
    assert any(isinstance(r["o"], tuple) for r in rows) and any(isinstance(r["o"], int) for r in rows)
