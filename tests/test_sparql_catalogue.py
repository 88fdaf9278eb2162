"""The example catalogue (queries/*.rq): headers, and every answer checked against the data without SPARQL.

Each query runs once through the real pipeline (check, worker, Oxigraph); its answer is compared with an
independent computation: a traversal of the rdflib graph in Python, the networkx view
(:mod:`graph.network.view`), or a fact the source documents state. The whole catalogue also runs on the rdflib
store and must give the same answers.
"""

from collections import Counter

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from graph.sparql.examples import LANGS, QUERIES_DIR, examples

COOP = Namespace("https://w3id.org/coopmap/def#")
ACTOR = Namespace("https://w3id.org/coopmap/id/actor/")
SDO = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DOC = Namespace("https://w3id.org/coopmap/id/document/")
CATALOGUE = examples()
NAMES = [e.name for e in CATALOGUE]


def test_the_catalogue_has_at_least_twenty_documented_queries():
    assert len(list(QUERIES_DIR.glob("*.rq"))) == len(CATALOGUE) >= 20
    for e in CATALOGUE:
        assert all(e.titles[lang].strip() for lang in LANGS), e.name
        assert len({e.titles[lang] for lang in LANGS}) == 3, f"{e.name}: titles not translated"
        assert e.note, f"{e.name}: no note on the expected answer"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def facts(project):
    """The facts the public sees, parsed by rdflib straight from the compiled file (no SPARQL)."""
    import pyoxigraph as ox

    from graph.kb.inference import _to_rdflib, visible_file

    g = Graph()
    for q in ox.parse(path=str(visible_file(project, "clear")), format=ox.RdfFormat.N_QUADS):
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    assert len(g) > 1000
    return g


@pytest.fixture(scope="module")
def answers(project):
    """Every catalogue answer from the default (Oxigraph) store, run once."""
    from graph.sparql.query import run_query

    return {e.name: run_query(e.text, project=project) for e in CATALOGUE}


def rows(answers, name):
    """The answer as dicts of plain values: IRIs and literal texts as str, unbound as None."""
    r = answers[name]
    return [{v: (t[1] if t else None) for v, t in zip(r.variables, row)} for row in r.rows]


def en(g, s):
    for o in g.objects(s, SKOS.prefLabel):
        if isinstance(o, Literal) and o.language == "en":
            return str(o)
    return None


def notation(g, concept):
    value = g.value(concept, SKOS.notation) if concept is not None else None
    return str(value) if value is not None else None


def actors(g):
    return set(g.subjects(RDF.type, COOP.Actor))


def split(text):
    return frozenset(x for x in (text or "").split(", ") if x)


# ---------------------------------------------------------------- generic checks


@pytest.mark.parametrize("name", NAMES)
def test_answer_has_the_declared_shape(answers, name):
    e = next(x for x in CATALOGUE if x.name == name)
    r = answers[name]
    assert not r.truncated
    if e.shape == "rows":
        assert r.form == "SELECT" and list(r.variables) == list(e.columns)
        assert r.rows, f"{name}: no rows on the real data"
    elif e.shape == "boolean":
        assert r.form == "ASK" and r.boolean is not None
    else:
        assert r.is_graph and r.triples


def _normalised(result, example):
    if result.form == "ASK":
        return result.boolean
    variables, rows_ = result.bindings()
    out = Counter()
    for row in rows_:
        cells = []
        for v, t in zip(variables, row):
            if v in example.list_columns and t is not None:
                t = (t[0], split(t[1]), t[2], t[3])
            cells.append(t)
        out[tuple(cells)] += 1
    return out


def test_both_stores_give_the_same_answers(project, answers):
    from graph.sparql.query import run_query

    for e in CATALOGUE:
        other = run_query(e.text, project=project, store="rdflib")
        assert other.store == "rdflib" and answers[e.name].store == "oxigraph"
        assert _normalised(other, e) == _normalised(answers[e.name], e), e.name


# ---------------------------------------------------------------- one test per query


def test_actors_by_level_kind_mandate(answers, facts):
    g = facts
    expected = set()
    for a in actors(g):
        level = notation(g, g.value(a, COOP.level))
        if en(g, a) and level:
            expected.add((str(a), en(g, a), level, notation(g, g.value(a, COOP.actorKind)),
                          frozenset(notation(g, m) for m in g.objects(a, COOP.mandate))))
    got = {(r["actor"], r["name"], r["level"], r["kind"], split(r["mandates"]))
           for r in rows(answers, "actors-by-level-kind-mandate")}
    assert got == expected


def test_actor_counts_by_level_and_kind(answers, facts):
    g = facts
    expected = Counter((notation(g, g.value(a, COOP.level)), notation(g, g.value(a, COOP.actorKind)))
                       for a in actors(g) if g.value(a, COOP.level) and g.value(a, COOP.actorKind))
    got = {(r["level"], r["kind"]): int(r["actors"]) for r in rows(answers, "actor-counts-by-level-and-kind")}
    assert got == dict(expected)


def test_actors_with_mandate(answers, facts):
    g = facts
    mandate = URIRef("https://w3id.org/coopmap/scheme/mandate/victim-support")
    expected = {str(a) for a in g.subjects(COOP.mandate, mandate) if a in actors(g) and en(g, a)}
    assert {r["actor"] for r in rows(answers, "actors-with-mandate")} == expected


def _hierarchy(g):
    D = nx.DiGraph()
    for p in (ORG.unitOf, ORG.subOrganizationOf):
        D.add_edges_from((str(s), str(o)) for s, o in g.subject_objects(p))
    return D


def test_sub_units_and_parents(answers, facts):
    D = _hierarchy(facts)
    labelled = {str(a) for a in actors(facts) if en(facts, a)}
    expected = {(u, a) for u in D for a in nx.descendants(D, u) if u in labelled and a in labelled}
    got = {(r["unit"], r["parent"]) for r in rows(answers, "sub-units-and-parents")}
    assert got == expected and any(len(nx.descendants(D, u)) > 1 for u in D), "no two-step chain to test"


def test_sub_organisations_inferred_match_the_transitive_closure(answers, facts, project):
    from graph.sparql.query import run_query

    D = _hierarchy(facts)
    expected = {(u, a) for u in D for a in nx.descendants(D, u)}
    assert {(r["unit"], r["parent"]) for r in rows(answers, "sub-organisations-inferred")} == expected
    text = next(e.text for e in CATALOGUE if e.name == "sub-organisations-inferred")
    assert run_query(text, project=project, inference=False).rows == []


def test_committee_members_and_chairs(answers, facts):
    g = facts
    expected = set()
    for m in g.subjects(RDF.type, ORG.Membership):
        body, member, role = g.value(m, ORG.organization), g.value(m, ORG.member), g.value(m, ORG.role)
        if en(g, body) and en(g, member) and notation(g, role):
            expected.add((str(body), str(member), notation(g, role)))
    got = [(r["body"], r["member"], r["role"]) for r in rows(answers, "committee-members-and-chairs")]
    assert Counter(got) == Counter(expected)


def test_monitoring_committee_chair(answers, facts):
    g = facts
    committee = ACTOR["lu-monitoring-committee"]
    memberships = [m for m in g.subjects(ORG.organization, committee)
                   if g.value(m, ORG.role) == URIRef("https://w3id.org/coopmap/scheme/role/chair")]
    expected = {(str(g.value(m, ORG.member)), str(g.value(m, COOP.legalBasis))) for m in memberships}
    got = rows(answers, "monitoring-committee-chair")
    assert {(r["chair"], r["basis"]) for r in got} == expected
    # The grand-ducal regulation of 10 March 2014 makes the Minister of Justice the chair.
    assert str(ACTOR["lu-ministry-justice"]) in {r["chair"] for r in got}
    assert all("Article" in (r["basisTitle"] or "") for r in got)


def test_who_notifies_or_refers_whom(answers, view):
    expected = {k: d for u, v, k, d in view.edges(keys=True, data=True)
                if d["origin"] == "link" and d["referral"] and not d["mirror"]}
    got = rows(answers, "who-notifies-or-refers-whom")
    assert {r["link"] for r in got} == set(expected) and len(got) == len(expected)
    for r in got:
        assert r["kind"] == expected[r["link"]]["kind"]
        assert split(r["appliesWhen"]) == frozenset(expected[r["link"]]["applies_when"])
    ends = {(u, v) for u, v, k, d in view.edges(keys=True, data=True) if k in expected and not d["mirror"]}
    assert {(r["from"], r["to"]) for r in got} == ends


def test_whom_the_itm_notifies(answers, view):
    itm = str(ACTOR["lu-itm"])
    expected = {v for _, v, d in view.out_edges(itm, data=True) if d["kind"] == "notifies" and not d["mirror"]}
    got = {r["target"] for r in rows(answers, "whom-the-itm-notifies")}
    assert got == expected
    # EMN study, Q16: "it notifies the Public Prosecutor's Office and the Grand Ducal Police"
    assert {str(ACTOR["lu-public-prosecutor"]), str(ACTOR["lu-police"])} <= got


def test_links_from_one_document(answers, facts):
    g = facts
    doc = DOC["emn-lu-2024-thb-international"]
    expected = Counter()
    for link in g.subjects(RDF.type, COOP.Link):
        for c in g.objects(link, COOP.citation):
            if g.value(c, PROV.entity) == doc:
                expected[(str(link), str(g.value(c, COOP.locator)), str(g.value(c, COOP.quote)))] += 1
    got = Counter((r["link"], r["locator"], r["quote"]) for r in rows(answers, "links-from-one-document"))
    assert got == expected


def test_agreements_parties_dates(answers, facts):
    g = facts
    expected = set()
    for i, party in g.subject_objects(COOP.party):
        titles = [o for o in g.objects(i, ELI.title) if o.language == "en"]
        if titles and en(g, party):
            date = g.value(i, ELI.date_document)
            expected |= {(str(i), str(t), str(date) if date else None, str(party)) for t in titles}
    got = {(r["instrument"], r["title"], r["date"], r["party"]) for r in rows(answers, "agreements-parties-dates")}
    assert got == expected


def test_instruments_that_establish_bodies(answers, facts):
    g = facts
    expected = {(str(i), str(g.value(i, ELI.is_part_of) or i), str(b)) for i, b in g.subject_objects(COOP.establishes)}
    got = {(r["instrument"], r["act"], r["body"]) for r in rows(answers, "instruments-that-establish-bodies")}
    assert got == expected
    assert str(ACTOR["lu-monitoring-committee"]) in {b for _, _, b in got}  # Law of 8 May 2009, Article 10


def test_international_channels_from_a_national_actor(answers, view):
    kinds = {"exchanges-information-via", "exchanges-information-with", "requests-mutual-legal-assistance-from",
             "unit-of"}
    H = nx.DiGraph()
    H.add_edges_from((u, v) for u, v, d in view.edges(data=True) if d["kind"] in kinds)
    start = str(ACTOR["state-lu"])
    assert view.nodes[start]["level"] == "national"
    expected = {n for n in nx.descendants(H, start) if view.nodes[n]["level"] != "national"}
    got = rows(answers, "international-channels-from-national-actor")
    assert {r["channel"] for r in got} == expected
    assert all(r["level"] == view.nodes[r["channel"]]["level"] for r in got)


def test_figures_by_year(answers, facts):
    g = facts
    expected = set()
    for f in g.subjects(RDF.type, COOP.Figure):
        start, end = g.value(f, SDO.startDate), g.value(f, SDO.endDate)
        if start is not None and end is not None and str(start)[:4] == str(end)[:4]:
            expected.add((str(f), notation(g, g.value(f, COOP.measure)), str(start)[:4], float(g.value(f, SDO.value))))
    got = {(r["figure"], r["measure"], r["year"], float(r["value"])) for r in rows(answers, "figures-by-year")}
    assert got == expected


def test_changes_between_two_dates(answers, facts):
    from graph.core.periods import period

    g = facts
    lo, hi = period("2019-01-01")[0], period("2020-12-31")[1]
    figures = set(g.subjects(RDF.type, COOP.Figure))
    expected = set()
    for p, event in ((SDO.startDate, "started"), (SDO.endDate, "ended"), (ELI.date_document, "adopted")):
        for s, date in g.subject_objects(p):
            first, last = period(str(date))
            if s not in figures and first <= hi and last >= lo:
                expected.add((str(s), event, str(date)))
    got = {(r["fact"], r["event"], r["date"]) for r in rows(answers, "changes-between-two-dates")}
    assert got == expected


def test_facts_lacking_a_date(answers, facts):
    g = facts
    dated = {s for p in (SDO.startDate, SDO.endDate, COOP.statedOn) for s in g.subjects(p, None)}
    expected = {(str(s), kind) for cls, kind in ((COOP.Link, "link"), (ORG.Membership, "membership"))
                for s in g.subjects(RDF.type, cls) if s not in dated}
    assert {(r["fact"], r["type"]) for r in rows(answers, "facts-lacking-a-date")} == expected


def test_actors_without_international_link(answers, view):
    level = nx.get_node_attributes(view, "level")
    linked_abroad = set()
    for u, v, d in view.edges(data=True):
        if d["origin"] == "link":
            if level[v] != "national":
                linked_abroad.add(u)
            if level[u] != "national":
                linked_abroad.add(v)
    expected = {n for n, lv in level.items() if lv == "national" and n not in linked_abroad}
    assert {r["actor"] for r in rows(answers, "actors-without-international-link")} == expected


def test_legal_basis_between_two_actors(answers, facts):
    g = facts
    x, y = ACTOR["lu-police"], ACTOR["ccpd"]
    expected = set()
    for link in g.subjects(RDF.type, COOP.Link):
        if {g.value(link, COOP["from"]), g.value(link, COOP.to)} == {x, y}:
            bases = list(g.objects(link, COOP.legalBasis)) or [None]
            expected |= {(str(link), str(b) if b else None) for b in bases}
    got = rows(answers, "legal-basis-between-two-actors")
    assert {(r["link"], r["basis"]) for r in got} == expected
    # EMN study, Q13: the CCPD was created by the agreement between Belgium, France, Germany and Luxembourg
    assert "https://w3id.org/coopmap/id/instrument/ccpd-agreement" in {r["basis"] for r in got}


def test_states_that_created_the_ccpd(answers, facts):
    g = facts
    ccpd = ACTOR["ccpd"]
    expected = {str(p) for i in g.subjects(COOP.establishes, ccpd) for p in g.objects(i, COOP.party)}
    got = rows(answers, "states-that-created-the-ccpd")
    assert {r["state"] for r in got} == expected
    # EMN study, Q13: "created by an agreement signed between Belgium, France, Germany and Luxembourg",
    # "functions since 2003"
    assert {str(ACTOR[s]) for s in ("state-be", "state-fr", "state-de", "state-lu")} <= expected
    assert {r["since"] for r in got} == {str(g.value(ccpd, SDO.startDate))} == {"2003"}


def test_links_by_kind(answers, facts):
    g = facts
    expected = Counter(notation(g, g.value(link, COOP.linkKind)) for link in g.subjects(RDF.type, COOP.Link))
    assert {r["kind"]: int(r["links"]) for r in rows(answers, "links-by-kind")} == dict(expected)


def test_partners_of_an_actor_inferred(answers, view, project):
    from graph.sparql.query import run_query

    jp = str(ACTOR["lu-judicial-police"])
    expected = {v for _, v, d in view.out_edges(jp, data=True) if d["origin"] == "link"}
    expected |= {u for u, _, d in view.in_edges(jp, data=True) if d["origin"] == "link"}
    assert {r["partner"] for r in rows(answers, "partners-of-an-actor-inferred")} == expected
    text = next(e.text for e in CATALOGUE if e.name == "partners-of-an-actor-inferred")
    assert run_query(text, project=project, inference=False).rows == []


def test_direct_links_of_an_actor(answers, facts):
    g = facts
    itm = ACTOR["lu-itm"]
    props = set(g.objects(None, COOP.directProperty))
    expected = {(s, p, o) for s, p, o in g if p in props and itm in (s, o)}
    ends = {x for s, _, o in expected for x in (s, o)}
    expected |= {(a, SKOS.prefLabel, Literal(en(g, a), lang="en")) for a in ends}
    from graph.kb.inference import _to_rdflib
    from graph.sparql.results import _to_ox

    got = {tuple(_to_rdflib(_to_ox(t)) for t in tr) for tr in answers["direct-links-of-an-actor"].triples}
    assert got == expected and len(expected) > 3


def test_is_the_itm_on_the_monitoring_committee(answers, facts):
    g = facts
    expected = any(g.value(m, ORG.organization) == ACTOR["lu-monitoring-committee"]
                   for m in g.subjects(ORG.member, ACTOR["lu-itm"]))
    assert answers["is-the-itm-on-the-monitoring-committee"].boolean is expected is True
