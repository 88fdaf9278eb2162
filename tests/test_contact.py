"""`contact` and `path`: case-dependent routing on tiny hand-built graphs, then on the real data against
what the source documents say."""

import pytest

from graph.kb.store import select
from viewgraphs import around_the_clock, office_hours, view_graph

ACTOR = "https://w3id.org/coopmap/id/actor/"


def run(G, source, need, case=frozenset(), **kw):
    """contact() as a plain dict (its JSON form), every answer explained."""
    from graph.network.contact import contact

    kw.setdefault("top", None)
    return contact(G, source, need, case=case, **kw).to_dict()


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
    # the planned step is listed too (issue 13: planned services are shown, with their status)
    assert {e["actor"]: e["path"][0]["excluded_because"] for e in r["excluded"]} == {
        "B": "planned, not yet in force", "C": "not in force on that date (valid 2024 to 2025-06)"}


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
    # every 1-hop answer is a direct referral link out of the ITM in the RDF to a victim-support holder,
    # whose own sentence serves victim support (coop:serves; issue 13: a step serves what its text gives it)
    direct = select(store, """SELECT DISTINCT ?to WHERE { ?l coop:from actor:lu-itm ; coop:to ?to ; coop:linkKind ?k ;
        coop:serves mandate:victim-support . ?k coop:referral true . ?to coop:mandate mandate:victim-support
        FILTER NOT EXISTS { ?l coop:status status:planned } }""")
    assert direct
    assert {a["iri"] for a in r["answers"] if a["hops"] == 1} == {d["to"] for d in direct}


def test_labour_inspectorate_notifies_the_prosecutor_first(G, store):
    # Q16, endnote 107: "it notifies the Public Prosecutor's Office and the Grand Ducal Police"
    r = run(G, ACTOR + "lu-itm", "prosecution")
    first = {a["iri"]: a for a in r["answers"]}[ACTOR + "lu-public-prosecutor"]
    assert first["hops"] == 1 and first["rank"] == 1
    kinds = {first["path"][0]["kind"]} | {a["kind"] for a in first["path"][0]["also"]}
    assert "notifies" in kinds
    # the step that serves prosecution carries the hop; the notification (which serves the investigation) is
    # listed beside it, with its own unsettled condition
    assert "prosecution" in first["path"][0]["serves"]
    notify = next(st for st in [first["path"][0], *first["path"][0]["also"]] if st["kind"] == "notifies")
    assert "applies only if labour-exploitation (not stated for this case)" in notify["notes"]
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

    G = view_graph({n: {} for n in "abcdef"},
                   [("a", "notifies", "b", {}), ("a", "notifies", "c", {}), ("b", "notifies", "d", {}),
                    ("c", "exchanges-information-with", "d", {}), ("d", "notifies", "e", {}),
                    ("a", "notifies", "e", {"status": "ended"}), ("a", "funds", "f", {})])
    r = shortest_paths(G, "a", "d")
    assert r["directed"] and r["hops"] == 2
    assert sorted(p["iris"] for p in r["paths"]) == sorted(nx.all_shortest_paths(nx.DiGraph(G), "a", "d"))
    r = shortest_paths(G, "a", "e")
    assert r["hops"] == 3, "the ended notification is not followed"
    r = shortest_paths(G, "e", "a")
    assert not r["directed"] and r["hops"] == 3
    with pytest.raises(Exception, match="No path between A and F along notifies"):
        shortest_paths(G, "a", "f", kinds=["notifies"])
    # funding is context, not a referral step: it carries no path (issue 13, one semantics everywhere)
    with pytest.raises(Exception, match="No path between A and F"):
        shortest_paths(G, "a", "f")


def test_path_abroad_shows_the_channels(G, store):
    from graph.network.paths import shortest_paths

    # authorities abroad that the RDF says are reached through mutual legal assistance, from who requests it
    # (issue 13: the Judicial Police no longer reaches them through the organisation chart and the state;
    # the documents state no step from the Judicial Police to the investigating judge)
    abroad = select(store, """SELECT DISTINCT ?a ?via WHERE { ?a coop:actorKind kind:foreign-authority .
        ?l coop:to ?a ; coop:from ?via ; coop:linkKind lk:requests-mutual-legal-assistance-from }""")
    assert abroad
    for row in abroad:
        r = shortest_paths(G, row["via"], row["a"])
        assert r["channels"], f"no international channel on the way to {row['a']}"
        last = r["paths"][0]["steps"][-1]
        assert last["from_iri"] == row["via"]
        assert [l["kind"] for l in last["links"]] == ["requests-mutual-legal-assistance-from"]


# ---------------------------------------------------------------- referral semantics (issue 13)


@pytest.fixture()
def chart():
    """An organisation chart and a state around a few referral steps:

    itm -notifies-> police ; police <-unit-of- jp (operational: internal hop allowed) ; jp -refers-> ngo
    ministry <-unit-of- directorate (not operational) ; itm -notifies-> directorate ; ministry -refers-> shelter
    itm -notifies-> lu (a state) -refers-> far ; itm -notifies-> ph (placeholder) -refers-> far2
    minister -member-of-> committee (holds policy-coordination) ; committee -notifies-> x
    """
    return view_graph(
        {"itm": {"kind": "inspectorate"}, "police": {"kind": "police", "mandates": ["investigation"]},
         "jp": {"kind": "police-unit", "mandates": ["investigation", "victim-identification"], "parent": "police"},
         "ngo": {"kind": "ngo", "mandates": ["victim-support"]},
         "ministry": {"kind": "ministry"}, "directorate": {"kind": "directorate", "parent": "ministry"},
         "shelter": {"kind": "facility", "mandates": ["victim-support"]},
         "lu": {"kind": "state"}, "far": {"mandates": ["victim-support"]},
         "ph": {"kind": "public-agency", "placeholder": True, "stands_for": "an unnamed Luxembourg authority",
                "mandates": ["prosecution"]},
         "far2": {"mandates": ["victim-support", "prosecution"]},
         "minister": {"kind": "ministry"}, "committee": {"kind": "coordination-body", "mandates": ["policy-coordination"]},
         "x": {"mandates": ["victim-support"]}},
        [("itm", "notifies", "police", {"serves": ["investigation"]}),
         ("jp", "unit-of", "police", {"key": "jp"}),
         ("jp", "refers-victims-to", "ngo", {"serves": ["victim-support"], "vagueness": "inferred from a report"}),
         ("directorate", "unit-of", "ministry", {"key": "directorate"}),
         ("itm", "notifies", "directorate", {"serves": ["victim-support"]}),
         ("ministry", "refers-victims-to", "shelter", {"serves": ["victim-support"]}),
         ("itm", "notifies", "lu", {"serves": ["victim-support"]}),
         ("lu", "refers-victims-to", "far", {"serves": ["victim-support"]}),
         ("itm", "notifies", "ph", {"serves": ["prosecution"]}),
         ("ph", "refers-victims-to", "far2", {"serves": ["victim-support"]}),
         ("minister", "member-of", "committee", {}),
         ("committee", "notifies", "x", {"serves": ["victim-support"]})])


def test_structure_never_carries_a_route_between_organisations(chart):
    r = run(chart, "itm", "victim-support")
    got = {a["iri"]: a for a in r["answers"]}
    # police -> jp is an internal hop inside one operational organisation, shown as such
    assert got["ngo"]["hops"] == 3 and [s["mode"] for s in got["ngo"]["path"]] == ["referral", "internal", "referral"]
    assert "internal (same organisation)" in got["ngo"]["path"][1]["notes"]
    # directorate -> ministry is an organisation chart, not a hand-over: the shelter is not reached that way
    assert "shelter" not in got
    # a state and a placeholder never relay
    assert "far" not in got and "far2" not in got


def test_a_placeholder_may_be_an_answer_and_is_named_by_what_it_stands_for(chart):
    r = run(chart, "itm", "prosecution")
    assert [(a["actor"], a["placeholder"]) for a in r["answers"]] == [("an unnamed Luxembourg authority", True)]


def test_membership_only_as_the_last_hop(chart):
    r = run(chart, "minister", "policy-coordination")
    assert [(a["iri"], a["path"][0]["mode"]) for a in r["answers"]] == [("committee", "membership")]
    assert run(chart, "minister", "victim-support")["answers"] == [], "a body is no relay through its members"


def test_the_last_step_must_serve_the_need(chart):
    # itm notifies police for the investigation: police holds investigation and is an answer for it ...
    assert [a["iri"] for a in run(chart, "itm", "investigation")["answers"]][:1] == ["police"]
    # ... but the notification is no channel for victim identification; the internal hop may follow a step
    # that serves the need only
    assert "jp" not in {a["iri"] for a in run(chart, "itm", "victim-identification")["answers"]}


def test_one_internal_hop_at_most():
    G = view_graph({"a": {"kind": "inspectorate"}, "p": {"kind": "police"}, "u1": {"kind": "police-unit"},
                    "u2": {"kind": "police-unit", "mandates": ["investigation"]}},
                   [("a", "notifies", "u1", {}), ("u1", "unit-of", "p", {"key": "u1"}), ("u2", "unit-of", "p", {"key": "u2"})])
    assert run(G, "a", "investigation")["answers"] == []
    G.add_edge("u1", "u2", key="l9", **{**G.edges["a", "u1", "link0"], "kind": "notifies"})
    assert targets(run(G, "a", "investigation")) == [("U2", 2)]


def test_the_asker_is_never_an_answer_and_is_told_it_holds_the_need():
    G = view_graph({"a": {"mandates": ["victim-support"]}, "b": {"mandates": ["victim-support"]}},
                   [("a", "refers-victims-to", "b", {}), ("b", "refers-victims-to", "a", {})])
    from graph.network.contact import contact, render_contact

    r = contact(G, "a", "victim-support")
    assert r.asker_holds and [a.iri for a in r.answers] == ["b"]
    text = render_contact(r).splitlines()
    assert "hold this mandate yourself" in text[1] and text[2].startswith("1. B")


def test_region_leaves_out_steps_whose_stated_area_does_not_cover_it():
    G = view_graph({"jp": {}, "ccpd": {"mandates": ["international-police-cooperation"]},
                    "interpol": {"mandates": ["international-police-cooperation"], "area": ["worldwide"]}},
                   [("jp", "exchanges-information-via", "ccpd", {"area": ["greater-region"]}),
                    ("jp", "exchanges-information-via", "interpol", {})])
    G.graph["schemes"]["area"] = {"worldwide": {}, "eu": {"broader": "worldwide"}, "non-eu": {"broader": "worldwide"},
                                  "greater-region": {"broader": "eu"}, "benelux": {"broader": "eu"},
                                  "lu": {"broader": "benelux"}}
    assert [a["iri"] for a in run(G, "jp", "international-police-cooperation", region="non-eu")["answers"]] == ["interpol"]
    border = run(G, "jp", "international-police-cooperation", region="greater-region")
    assert [a["iri"] for a in border["answers"]] == ["ccpd", "interpol"], "the channel stated for the region first"
    r = run(G, "jp", "international-police-cooperation", region="non-eu")
    assert "serves greater-region, not non-eu" in r["excluded"][0]["path"][0]["excluded_because"]
    from graph.core.errors import CoopmapError

    with pytest.raises(CoopmapError, match="Unknown region 'mars'. Choose one of: lu, benelux"):
        run(G, "jp", "international-police-cooperation", region="mars")


def test_an_option_that_changed_nothing_is_said_to(referral):
    from graph.network.contact import contact, render_contact

    r = contact(referral, "itm", "victim-support", nationality="eu", victim="child")
    assert r.unchanged == [{"option": "nationality", "value": "eu"}]
    assert "nationality eu changed nothing" in render_contact(r)


def test_a_planned_step_whose_window_passed_says_so():
    G = view_graph({"a": {}, "b": {"mandates": ["investigation"]}},
                   [("a", "notifies", "b", {"status": "planned", "start": "2016", "end": "2020"})])
    r = run(G, "a", "investigation", as_of="2026-12-03")
    assert r["excluded"][0]["path"][0]["excluded_because"] == "planned for 2016–2020; no later source says it happened"


def test_vague_steps_are_marked_in_text_and_json(chart):
    from graph.network.contact import contact, render_contact

    r = contact(chart, "itm", "victim-support")
    (step,) = [s for a in r.answers for s in a.path if s.vagueness]
    assert step.to_dict()["inferred"] is True and step.to_dict()["vagueness"] == "inferred from a report"
    assert "inferred: inferred from a report" in render_contact(r)
    assert "inferred: inferred from a report" in render_contact(r, explain=True)


def test_errors_speak_in_parameter_names(referral):
    from graph.core.errors import CoopmapError

    with pytest.raises(CoopmapError) as e:
        run(referral, "itm", "victim-support", without=["itm"])
    assert "--" not in str(e.value) and "without" in str(e.value)


@pytest.mark.parametrize("seed", range(6))
def test_path_finds_the_same_shortest_paths_as_networkx_on_the_referral_graph(seed):
    """The path search that stops at the target's level gives exactly networkx's shortest paths on the
    whole referral network (random graphs with steps, context links, ended steps and a state)."""
    import random

    import networkx as nx

    from graph.network.paths import referral_graph, shortest_paths

    rng = random.Random(seed)
    names = [f"n{i}" for i in range(30)]
    kinds = ["notifies", "exchanges-information-with", "funds", "refers-victims-to"]
    edges = [(rng.choice(names), rng.choice(kinds), rng.choice(names), {"status": "ended"} if rng.random() < 0.1 else {})
             for _ in range(70)]
    G = view_graph({n: {"kind": "state"} if n == "n7" else {} for n in names}, [e for e in edges if e[0] != e[2]])
    R = referral_graph(G, source="n0")
    for target in names[1:]:
        try:
            expected = sorted(nx.all_shortest_paths(R, "n0", target))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            continue
        R_t = referral_graph(G, source="n0", target=target)
        expected = sorted(nx.all_shortest_paths(R_t, "n0", target))
        got = shortest_paths(G, "n0", target, limit=10_000)
        assert got["directed"] and sorted(p["iris"] for p in got["paths"]) == expected, target
