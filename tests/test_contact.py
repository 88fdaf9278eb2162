"""`contact` and `path`: case-dependent routing on tiny hand-built graphs, then on the real data against
what the source documents say."""

import pytest

from graph.kb.store import select
from viewgraphs import around_the_clock, office_hours, view_graph

ACTOR = "https://w3id.org/coopmap/id/actor/"


def run(G, source, need, **kw):
    from graph.network.contact import contact

    return contact(G, source, need, **kw)


def targets(result):
    return [(a["actor"], a["hops"]) for a in result["answers"]]


# ---------------------------------------------------------------- hand-built graphs


@pytest.fixture()
def referral():
    """itm -> police -> shelter (child only) ; itm -> ngo (signposts) ; ngo office hours only ; police -> ngo2
    (independent of cooperation) ; itm funds rich (not a referral kind)."""
    return view_graph(
        {"itm": {}, "police": {"mandates": ["investigation"]},
         "shelter": {"mandates": ["victim-support"], "kind": "support-service"},
         "ngo": {"mandates": ["victim-support"], "kind": "ngo", "availability": [office_hours(), around_the_clock("planned")]},
         "ngo2": {"mandates": ["victim-support"], "kind": "ngo"},
         "rich": {"mandates": ["victim-support"]}},
        [("itm", "notifies", "police", {"phases": ["identification"], "applies_when": ["labour-exploitation"]}),
         ("police", "refers-victims-to", "shelter", {"applies_when": ["child"], "phases": ["first-assistance"]}),
         ("itm", "signposts-to", "ngo", {"phases": ["identification"]}),
         ("police", "refers-victims-to", "ngo2", {"independent_of": ["cooperates"], "phases": ["first-assistance"]}),
         ("itm", "funds", "rich", {})])


def test_ranked_by_hops_then_points_then_phase_then_name(referral):
    from graph.network.routing import case_conditions

    r = run(referral, "itm", "victim-support")
    # ngo: 1 hop; ngo2 and shelter: 2 hops, the second with one more unresolved condition (child)
    assert targets(r) == [("NGO", 1), ("NGO2", 2), ("SHELTER", 2)]
    assert [a["tie_break_points"] for a in r["answers"]] == [0, 1, 2]
    r = run(referral, "itm", "victim-support", case=case_conditions(victim="child", exploitation="labour"))
    assert [a["tie_break_points"] for a in r["answers"]] == [0, 0, 0]
    # equal hops and points: the earlier referral phase, then the name, decides; here both are first-assistance
    assert targets(r) == [("NGO", 1), ("NGO2", 2), ("SHELTER", 2)]
    assert "rich" not in {a["iri"] for a in r["answers"]}, "funding is not a referral step"


def test_case_excludes_and_explains(referral):
    from graph.network.routing import case_conditions

    r = run(referral, "itm", "victim-support", case=case_conditions(victim="adult", cooperates="no"))
    assert targets(r) == [("NGO", 1), ("NGO2", 2)]
    (ex,) = r["excluded"]
    assert ex["actor"] == "SHELTER" and ex["hops_now"] is None and ex["hops_ignoring_case"] == 2
    assert ex["path"][1]["excluded_because"] == "applies only when child, and the case is adult"
    step = r["answers"][1]["path"][1]
    assert "does not depend on cooperates (holds although the case is does-not-cooperate)" in step["notes"]
    assert step["phase"] == "first-assistance" and step["legal_basis"] == [] and step["sources"]


def test_night_leaves_out_office_hours_only_steps(referral):
    r = run(referral, "itm", "victim-support", when="night")
    assert "NGO" not in [a["actor"] for a in r["answers"]]
    ex = {e["actor"]: e for e in r["excluded"]}["NGO"]
    assert "office hours only" in ex["path"][0]["excluded_because"]
    assert ex["path"][0]["availability"] == "office-hours"
    assert "planned, not in force: 24-7 availability" in ex["path"][0]["notes"]
    assert "availability at night not stated" in r["answers"][0]["path"][0]["notes"]
    day = run(referral, "itm", "victim-support", when="office-hours")
    assert targets(day)[0] == ("NGO", 1)


def test_a_24_7_statement_in_force_keeps_the_step_at_night():
    G = view_graph({"a": {}, "b": {"mandates": ["victim-support"], "availability": [office_hours(), around_the_clock(start="2024-03")]}},
                   [("a", "refers-victims-to", "b", {})])
    assert targets(run(G, "a", "victim-support", when="night", as_of="2024-04")) == [("B", 1)]
    assert targets(run(G, "a", "victim-support", when="night", as_of="2024-02")) == []


def test_planned_and_dated_steps(referral):
    G = view_graph({"a": {}, "b": {"mandates": ["investigation"]}, "c": {"mandates": ["investigation"]}},
                   [("a", "notifies", "b", {"status": "planned"}), ("a", "notifies", "c", {"start": "2024", "end": "2025-06"})])
    assert targets(run(G, "a", "investigation", as_of="2023-12-31")) == []
    assert targets(run(G, "a", "investigation", as_of="2025-06-30")) == [("C", 1)]
    r = run(G, "a", "investigation", as_of="2025-07")
    assert {e["actor"]: e["path"][0]["excluded_because"] for e in r["excluded"]} == {
        "C": "not in force on that date (valid 2024 to 2025-06)"}


def test_without_recomputes_and_lists_what_is_lost(referral):
    r = run(referral, "itm", "victim-support", without=["police"])
    assert targets(r) == [("NGO", 1)]
    lost = {x["actor"]: x["why"] for x in r["without"]["lost"]}
    assert lost == {"NGO2": "no route left", "SHELTER": "no route left"}
    r = run(referral, "itm", "victim-support", without=["ngo"])
    assert {x["actor"]: x["why"] for x in r["without"]["lost"]} == {"NGO": "is itself unavailable"}


def test_no_path_lists_holders_and_the_nearest_actor_that_can_reach_them():
    G = view_graph({"me": {}, "committee": {"kind": "coordination-body"}, "peer": {}, "x": {},
                    "far": {"mandates": ["prosecution"]}, "far2": {"mandates": ["prosecution"]}},
                   [("me", "member-of", "committee", {}), ("peer", "member-of", "committee", {}),
                    ("peer", "notifies", "x", {}), ("x", "notifies", "far", {})])
    r = run(G, "me", "prosecution")
    assert r["answers"] == [] and r["no_path"]["holders"] == ["FAR", "FAR2"]
    assert r["no_path"]["nearest"] == "PEER" and r["no_path"]["relations_away"] == 2
    assert r["no_path"]["connection"] == ["ME", "COMMITTEE", "PEER"]
    assert [s["to"] for s in r["no_path"]["route"]] == ["X", "FAR"]


def test_contact_never_changes_the_graph(referral):
    import copy

    before = copy.deepcopy(list(referral.edges(keys=True, data=True)))
    run(referral, "itm", "victim-support", when="night", without=["police"])
    assert list(referral.edges(keys=True, data=True)) == before


def test_contact_agrees_with_networkx_hop_counts_on_a_random_graph():
    """Ignoring case and hours, the hops of every answer equal networkx's shortest path length."""
    import random

    import networkx as nx

    rng = random.Random(5)
    actors = {f"n{i}": {"mandates": ["victim-support"] if rng.random() < 0.3 else []} for i in range(60)}
    links = [(f"n{rng.randrange(60)}", rng.choice(["notifies", "refers-victims-to", "funds", "exchanges-information-with"]),
              f"n{rng.randrange(60)}", {}) for _ in range(150)]
    G = view_graph(actors, [l for l in links if l[0] != l[2]])
    R = nx.DiGraph([(u, v) for u, v, d in G.edges(data=True) if d["referral"]])
    R.add_nodes_from(G)
    expected = nx.single_source_shortest_path_length(R, "n0")
    r = run(G, "n0", "victim-support")
    assert {a["iri"]: a["hops"] for a in r["answers"]} == {
        n: h for n, h in expected.items() if "victim-support" in G.nodes[n]["mandates"]}


# ---------------------------------------------------------------- the real data, against the documents


@pytest.fixture(scope="session")
def G(project):
    from graph.network.view import load_view

    return load_view(project)


def in_document(store, source):
    """Whether a step's source quote is verbatim in its document (graph.kb.sources, as `coopmap validate` checks)."""
    from graph.kb.sources import find_quote, sources_dir

    name = select(store, "SELECT ?f WHERE { ?d dcterms:identifier ?id ; coop:fileName ?f FILTER(?id = '%s') }"
                  % source["document"])[0]["f"]
    if not (sources_dir() / name).exists():
        pytest.skip("the source documents are not beside the repository")
    return find_quote(source["quote"], name)


def test_labour_inspectorate_to_victim_support_matches_the_documents(G, store):
    from graph.network.routing import case_conditions

    r = run(G, ACTOR + "lu-itm", "victim-support", case=case_conditions(exploitation="labour"))
    answer = {a["iri"]: a for a in r["answers"]}[ACTOR + "lu-infotraite"]
    # Q16, endnote 112: the ITM does not hand victims over to InfoTraite but informs them of its existence.
    assert answer["hops"] == 1 and answer["rank"] <= 2
    step = answer["path"][0]
    assert step["kind"] == "signposts-to" and step["phase"] == "identification"
    assert "informed of their existence" in " ".join(s["quote"] for s in step["sources"])
    assert all(in_document(store, s) for s in step["sources"])
    # every 1-hop answer is a direct referral link out of the ITM in the RDF to a victim-support holder
    direct = select(store, """SELECT DISTINCT ?to WHERE { ?l coop:from actor:lu-itm ; coop:to ?to ; coop:linkKind ?k .
        ?k coop:referral true . ?to coop:mandate mandate:victim-support
        FILTER NOT EXISTS { ?l coop:status status:planned } }""")
    assert {a["iri"] for a in r["answers"] if a["hops"] == 1} == {d["to"] for d in direct}


def test_labour_inspectorate_notifies_the_prosecutor_first(G, store):
    # Q16, endnote 107: "it notifies the Public Prosecutor's Office and the Grand Ducal Police"
    r = run(G, ACTOR + "lu-itm", "prosecution")
    first = {a["iri"]: a for a in r["answers"]}[ACTOR + "lu-public-prosecutor"]
    assert first["hops"] == 1 and first["rank"] == 1
    kinds = {first["path"][0]["kind"]} | {a["kind"] for a in first["path"][0]["also"]}
    assert "notifies" in kinds
    notes = first["path"][0]["notes"]
    assert "applies only if labour-exploitation (not stated for this case)" in notes
    quote = next(s for st in [first["path"][0], *first["path"][0]["also"]] for s in st["sources"] if "107" in s["locator"])
    assert "it notifies the Public Prosecutor's Office" in quote["quote"]
    assert in_document(store, quote)


def test_judicial_police_reaches_the_international_channels(G, store):
    r = run(G, ACTOR + "lu-judicial-police", "international-police-cooperation")
    reached = {a["iri"] for a in r["answers"]}
    # the channels the RDF names for the Judicial Police, its parent or its state (exchanges information via X)
    channels = select(store, """SELECT DISTINCT ?x WHERE {
        { actor:lu-judicial-police (org:unitOf|org:subOrganizationOf|coop:country) ?who } UNION { BIND(actor:lu-judicial-police AS ?who) }
        ?l coop:from ?who ; coop:to ?x ; coop:linkKind lk:exchanges-information-via .
        ?x coop:mandate mandate:international-police-cooperation }""")
    assert channels and {c["x"] for c in channels} <= reached
    levels = {a["level"] for a in r["answers"]}
    assert {"eu", "international"} <= levels
    assert any(s["kind"] == "exchanges-information-via" for a in r["answers"] for s in a["path"])


def test_as_of_before_and_after_a_dated_link_differ(G, store):
    rows = select(store, """SELECT ?l ?f ?t ?start ?m WHERE { ?l a coop:Link ; coop:from ?f ; coop:to ?t ;
        coop:linkKind/coop:referral true ; schema:startDate ?start . ?t coop:mandate/skos:notation ?m
        FILTER NOT EXISTS { ?l coop:status ?s FILTER(?s != status:in-force) }
        FILTER NOT EXISTS { ?l2 coop:from ?f ; coop:to ?t . FILTER(?l2 != ?l) } }""")
    assert rows, "the real data has dated referral links"
    from graph.core.periods import period

    for row in rows:
        first = period(row["start"])[0]
        before = run(G, row["f"], row["m"], as_of=f"{first.year - 1}")
        after = run(G, row["f"], row["m"], as_of=first.isoformat())
        hops_after = {a["iri"]: a["hops"] for a in after["answers"]}
        assert hops_after.get(row["t"]) == 1, row
        assert {a["iri"]: a["hops"] for a in before["answers"]}.get(row["t"]) != 1, row
        assert targets(before) != targets(after)


def test_night_excludes_actors_reachable_in_office_hours_only(G, store):
    only_office = select(store, """SELECT ?a WHERE { ?a coop:availability ?av . ?av coop:hours avail:office-hours ;
        coop:status status:in-force . FILTER NOT EXISTS { ?a coop:availability ?o . ?o coop:hours avail:24-7 ;
        coop:status status:in-force } }""")
    assert only_office, "the real data has an office-hours-only actor (InfoTraite, Q14 b)"
    r = run(G, ACTOR + "lu-itm", "victim-support", when="night")
    for a in r["answers"]:
        assert all(s["to_iri"] not in {o["a"] for o in only_office} for s in a["path"])
    day = run(G, ACTOR + "lu-itm", "victim-support", when="office-hours")
    assert {a["iri"] for a in day["answers"]} > {a["iri"] for a in r["answers"]}


# ---------------------------------------------------------------- path


def test_path_lists_all_shortest_paths_like_networkx():
    import networkx as nx

    from graph.network.paths import shortest_paths

    G = view_graph({n: {} for n in "abcde"},
                   [("a", "notifies", "b", {}), ("a", "notifies", "c", {}), ("b", "notifies", "d", {}),
                    ("c", "exchanges-information-with", "d", {}), ("d", "funds", "e", {}), ("a", "funds", "e", {"status": "ended"})])
    r = shortest_paths(G, "a", "d")
    assert r["directed"] and r["hops"] == 2
    assert sorted(p["iris"] for p in r["paths"]) == sorted(nx.all_shortest_paths(nx.DiGraph(G), "a", "d"))
    r = shortest_paths(G, "a", "e")
    assert r["hops"] == 3, "the ended funding link is not followed"
    r = shortest_paths(G, "e", "a")
    assert not r["directed"] and r["hops"] == 3
    with pytest.raises(Exception, match="No path between A and E along notifies"):
        shortest_paths(G, "a", "e", kinds=["notifies"])


def test_path_from_the_judicial_police_abroad_shows_the_channels(G, store):
    from graph.network.paths import shortest_paths

    # authorities abroad that the RDF says are reached through mutual legal assistance
    abroad = select(store, """SELECT DISTINCT ?a ?via WHERE { ?a coop:actorKind kind:foreign-authority .
        ?l coop:to ?a ; coop:from ?via ; coop:linkKind lk:requests-mutual-legal-assistance-from }""")
    assert abroad
    for row in abroad:
        r = shortest_paths(G, ACTOR + "lu-judicial-police", row["a"])
        assert r["channels"], f"no international channel on the way to {row['a']}"
        last = r["paths"][0]["steps"][-1]
        assert last["from_iri"] == row["via"]
        assert [l["kind"] for l in last["links"]] == ["requests-mutual-legal-assistance-from"]
