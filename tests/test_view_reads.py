"""The view reads its largest projections with pattern reads instead of SELECTs (#15): on the real graph each
gives exactly what the SELECT it replaced gave, order included where the view keeps it (labels by language,
the first row of a link), and fast row reading keeps :func:`graph.kb.rows.term_value`'s values."""

import pyoxigraph as ox
import pytest

from graph.kb.rows import QUERY_PREFIXES, select, term_value
from graph.network import view as V

#: The SELECTs the pattern reads replaced, as they were.
LABELS = """SELECT ?a ?p ?l WHERE { ?a a coop:Actor ; ?p ?l . VALUES ?p { skos:prefLabel skos:altLabel } }"""
CONCEPTS = """SELECT ?a ?p ?n WHERE { ?a a coop:Actor ; ?p ?c . ?c skos:notation ?n .
  VALUES ?p { coop:actorKind coop:level coop:mandate coop:crimeArea coop:phase schema:areaServed } }"""
LINKS = """SELECT ?l ?from ?to ?kind ?access ?status ?start ?end WHERE {
  ?l a coop:Link ; coop:linkKind/skos:notation ?kind ; coop:from ?from ; coop:to ?to . $VIS_l
  OPTIONAL { ?l dcterms:accessRights/skos:notation ?access }
  OPTIONAL { ?l coop:status/skos:notation ?status }
  OPTIONAL { ?l schema:startDate ?start } OPTIONAL { ?l schema:endDate ?end } }"""
LINK_MULTI = """SELECT ?l ?p ?n WHERE { ?l a coop:Link ; ?p ?c . ?c skos:notation ?n .
  VALUES ?p { coop:appliesWhen coop:independentOf coop:phase coop:crimeArea coop:serves schema:areaServed } }"""


@pytest.fixture(scope="module")
def notation(store):
    return V._objects(store, V._SKOS + "notation")


def _grouped(rows, key, value):
    out = {}
    for r in rows:
        out.setdefault(r[key], []).append(r[value])
    return out


@pytest.mark.parametrize("prop", ["prefLabel", "altLabel"])
def test_labels_come_in_the_order_the_select_gave(store, prop):
    rows = [r for r in select(store, LABELS, lang=True) if r["p"].endswith(prop)]
    read = V._objects(store, V._SKOS + prop, lang=True)
    assert {a: read[a] for a in _grouped(rows, "a", "l")} == _grouped(rows, "a", "l")
    assert [list(v) for v in read.values()]  # not vacuous


def test_actor_concepts_are_the_selects(store, notation):
    rows = select(store, CONCEPTS)
    for prop, _ in V._ACTOR_CONCEPTS:
        want = _grouped([r for r in rows if r["p"] == prop], "a", "n")
        got = V._notations(store, prop, notation)
        assert {a: sorted(got[a]) for a in want} == {a: sorted(ns) for a, ns in want.items()}, prop


def test_link_extras_are_the_selects(store, notation):
    want = {}
    for r in select(store, LINK_MULTI):
        want.setdefault(r["l"], {}).setdefault(r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(r["n"])
    got = V._link_extras(store, V._typed(store, V._COOP + "Link"), notation)
    assert {k: {p: sorted(v) for p, v in d.items()} for k, d in got.items()} == \
        {k: {p: sorted(v) for p, v in d.items()} for k, d in want.items()}


@pytest.mark.parametrize("audience", ["clear", "amber", "red"])
def test_link_rows_are_the_selects(store, notation, audience):
    want = sorted(select(store, V._q(LINKS, audience)), key=lambda r: r["l"])
    assert V._link_rows(store, audience, V._typed(store, V._COOP + "Link"), notation) == want
    assert want


def test_select_reads_every_term_as_term_value_does(store):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    rows = select(store, query, lang=True)
    res = store.query(QUERY_PREFIXES + query, use_default_graph_as_union=True)
    expected = [{n: (t.value, t.language) if isinstance(t, ox.Literal) and t.language else term_value(t)
                 for n, t in zip(("s", "p", "o"), sol)} for sol in res]
    assert rows == expected
    assert any(isinstance(r["o"], tuple) for r in rows) and any(isinstance(r["o"], int) for r in rows)
