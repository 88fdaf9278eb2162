"""Centrality equals networkx's own; gaps find a planted single point of failure and nothing in a robust
graph; diff reports what appeared or ended between two dates."""

import networkx as nx
import pytest

from graph.kb.store import select
from viewgraphs import office_hours, view_graph

ACTOR = "https://w3id.org/coopmap/id/actor/"
NX = {"degree": nx.degree_centrality, "betweenness": nx.betweenness_centrality,
      "closeness": nx.closeness_centrality, "pagerank": nx.pagerank,
      "eigenvector": lambda D: nx.eigenvector_centrality(D.to_undirected(), max_iter=1000, tol=1e-08)}


@pytest.fixture(scope="session")
def G(project):
    from graph.network.view import load_view

    return load_view(project)


OPERATIONAL = {"police", "police-unit", "judicial-authority", "inspectorate"}


def reference_digraph(G, level=None):
    """The simple directed graph the metrics should read, built here independently of graph.network.analysis:
    the referral network (issue 13) -- referral steps, and unit <-> parent between operational bodies --
    without placeholders and states."""
    D = nx.DiGraph()
    D.add_nodes_from(n for n, d in G.nodes(data=True) if (level is None or d["level"] == level)
                     and not d.get("placeholder") and d.get("kind") != "state")

    def tie(u, v, d):
        if d.get("step"):
            return True
        return d["kind"] == "unit-of" and {G.nodes[u]["kind"], G.nodes[v]["kind"]} <= OPERATIONAL

    D.add_edges_from((u, v) for u, v, d in G.edges(data=True)
                     if u in D and v in D and u != v and d.get("status") not in ("planned", "ended")
                     and d.get("start") is None and d.get("end") is None and tie(u, v, d))
    return D


def random_view(seed=3, n=40):
    import random

    rng = random.Random(seed)
    actors = {f"a{i}": {"level": rng.choice(["national", "eu"]), "kind": rng.choice(["police", "police-unit", "ministry"])}
              for i in range(n)}
    kinds = ["notifies", "exchanges-information-with", "funds", "unit-of", "member-of"]
    links = [(f"a{rng.randrange(n)}", rng.choice(kinds), f"a{rng.randrange(n)}", {}) for _ in range(90)]
    return view_graph(actors, [l for l in links if l[0] != l[2]])


@pytest.mark.parametrize("metric", sorted(NX))
@pytest.mark.parametrize("scope", ["all", "national"])
def test_centrality_equals_networkx_on_a_hand_built_graph(metric, scope):
    from graph.network.analysis import centrality

    G = random_view()
    expected = NX[metric](reference_digraph(G, None if scope == "all" else scope))
    got = centrality(G, metric, scope=scope, top=None)
    assert {r["iri"]: r["score"] for r in got["rows"]} == pytest.approx({k: round(v, 6) for k, v in expected.items()}, abs=1e-6)
    scores = [r["score"] for r in got["rows"]]
    assert scores == sorted(scores, reverse=True) and got["meaning"]


@pytest.mark.parametrize("metric", sorted(NX))
def test_centrality_equals_networkx_on_the_real_graph(G, metric):
    from graph.network.analysis import centrality

    dated = [d for _, _, d in G.edges(data=True) if d.get("start") or d.get("end")]
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("start") or d.get("end")])
    assert dated, "the real data has dated facts, left out here so the reference needs no date logic"
    # structural relations (institution of a state, membership, agreements, organisation charts) are no ties
    derived = [(u, v, k) for u, v, k, kind in H.edges(keys=True, data="kind") if kind == "institution-of"]
    assert derived, "the real view links national institutions to their state"
    expected = NX[metric](reference_digraph(H))
    top = centrality(H, metric, top=10)
    best = sorted(expected.items(), key=lambda kv: -kv[1])[:10]
    assert [r["score"] for r in top["rows"]] == pytest.approx([round(v, 6) for _, v in best], abs=1e-6)
    assert top["rows"][0]["iri"] in {k for k, v in expected.items() if v == best[0][1]}


def test_betweenness_is_sampled_above_the_limit_and_says_so(monkeypatch):
    import graph.network.analysis as analysis

    G = random_view(seed=9, n=60)
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 30)
    monkeypatch.setattr(analysis, "BETWEENNESS_BUDGET", 1200)  # 1200 // 60 actors = 20 sources
    got = analysis.centrality(G, "betweenness", top=None)
    assert got["method"].startswith("estimated from k=20 sampled source actors (seed 42)")
    assert "1/sqrt(k) = 22%" in got["method"]
    expected = nx.betweenness_centrality(reference_digraph(G), k=20, seed=42)
    assert {r["iri"]: r["score"] for r in got["rows"]} == pytest.approx({k: round(v, 6) for k, v in expected.items()}, abs=1e-6)
    assert analysis.centrality(G, "degree")["method"] == "exact"


def test_unknown_metric_and_scope():
    from graph.network.analysis import centrality
    from graph.core.errors import CoopmapError

    with pytest.raises(CoopmapError, match="Unknown metric 'fame'. Choose one of: degree, betweenness"):
        centrality(random_view(), "fame")
    with pytest.raises(CoopmapError, match="Unknown scope 'galactic'"):
        centrality(random_view(), scope="galactic")


# ---------------------------------------------------------------- gaps


def robust():
    """Every mandate held twice, a cycle (no cut vertex), every national actor reaches a channel, 24/7."""
    actors = {"police": {"mandates": ["investigation"]}, "unit": {"mandates": ["investigation"]},
              "ngo": {"mandates": ["victim-support"]}, "shelter": {"mandates": ["victim-support"]},
              "europol": {"level": "eu", "kind": "eu-agency", "mandates": ["international-police-cooperation"]},
              "interpol": {"level": "international", "mandates": ["international-police-cooperation"]}}
    ring = ["police", "unit", "ngo", "shelter", "europol", "interpol"]
    links = [(a, "exchanges-information-with", b, {}) for a, b in zip(ring, ring[1:] + ring[:1])]
    links += [("police", "notifies", "ngo", {}), ("unit", "notifies", "shelter", {})]
    return actors, links


def test_gaps_finds_nothing_in_a_robust_graph():
    from graph.network.analysis import gaps

    actors, links = robust()
    assert gaps(view_graph(actors, links)) == []


def test_gaps_finds_a_planted_single_point_of_failure():
    from graph.network.analysis import gaps

    actors, links = robust()
    # a second cluster that hangs on the police alone, through one link: cut vertex and bridge
    actors.update({"inspectorate": {"mandates": ["labour-inspection"]}, "shelter2": {"mandates": ["victim-support"]},
                   "lonely": {}})
    links += [("police", "notifies", "inspectorate", {"key": "the-only-tie"}),
              ("inspectorate", "refers-victims-to", "shelter2", {"availability": [office_hours()]})]
    found = gaps(view_graph(actors, links))
    by = {}
    for f in found:
        by.setdefault(f["gap"], []).append(f)
    assert {f["iri"] for f in by["articulation-point"]} == {"police", "inspectorate"}
    police = next(f for f in by["articulation-point"] if f["iri"] == "police")
    assert police["details"] == ["INSPECTORATE", "SHELTER2"]
    assert {f["iri"] for f in by["bridge"]} == {"the-only-tie", "link9"}
    assert [f["iri"] for f in by["single-holder"]] == ["inspectorate"]
    assert [f["iri"] for f in by["isolated"]] == ["lonely"]
    assert [f["iri"] for f in by["office-hours-only"]] == ["link9"]
    # the inspectorate and shelter2 cannot reach Europol or INTERPOL; the lonely actor neither
    assert {f["iri"] for f in by["no-international-route"]} == {"inspectorate", "shelter2", "lonely"}


def test_gaps_on_the_real_data_name_their_evidence(G, store):
    from graph.network.analysis import gaps

    found = gaps(G)
    assert found and all(f["evidence"] for f in found)
    # independent check of single holders: mandates with exactly one holder in the RDF
    # (placeholders and states are left out of gaps by default: issue 13)
    rows = select(store, """SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a coop:Actor ; coop:mandate/skos:notation ?m
        FILTER NOT EXISTS { ?a a coop:Placeholder } FILTER NOT EXISTS { ?a coop:actorKind kind:state } }
        GROUP BY ?m""")
    assert {f["subject"] for f in found if f["gap"] == "single-holder"} == {r["m"] for r in rows if r["n"] == 1}
    # InfoTraite is reachable in office hours only (Q14 b), endnotes 100-101)
    hours = [f for f in found if f["gap"] == "office-hours-only"]
    assert any(ACTOR + "lu-infotraite" in str(f["subject"]) or "InfoTraite" in f["subject"] for f in hours)


# ---------------------------------------------------------------- diff


def test_diff_on_a_hand_built_graph():
    from graph.core.errors import CoopmapError
    from graph.network.timeline import diff

    G = view_graph({"a": {"start": "2021"}, "b": {}},
                   [("a", "notifies", "b", {"start": "2022-05", "end": "2023"}), ("b", "funds", "a", {})])
    assert [(r["change"], r["what"]) for r in diff(G, "2020", "2022-06")] == [("appeared", "actor"), ("appeared", "notifies")]
    assert [(r["change"], r["what"]) for r in diff(G, "2022-06", "2024")] == [("ended", "notifies")]
    assert diff(G, "2024", "2025") == []
    with pytest.raises(CoopmapError, match="swap them"):
        diff(G, "2025", "2024")


def test_diff_shows_the_24_7_statement_of_2024(G, store):
    from graph.network.timeline import diff

    rows = select(store, """SELECT ?av ?start WHERE { ?a coop:availability ?av . ?av coop:hours avail:24-7 ;
        schema:startDate ?start }""")
    assert rows, "the data dates InfoTraite's 24/7 availability (Q16, endnote 115)"
    got = {r["iri"]: r for r in diff(G, "2023", "2024-12")}
    for row in rows:
        if row["start"] >= "2023-02":
            assert got[row["av"]]["change"] == "appeared" and got[row["av"]]["what"] == "availability"
    assert not any(r["iri"] in {x["av"] for x in rows} for r in diff(G, "2025", "2026"))
