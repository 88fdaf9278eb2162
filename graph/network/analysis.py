"""Who brokers the network and where it would break: centrality rankings and gaps, each explained.

Both read the view restricted to the facts in force on a date (:func:`graph.network.paths.live_view`). The
maths is networkx's own; this module only chooses the graph, adds the explanation and the evidence.

The graph the metrics read
--------------------------
The referral network of ``contact`` and ``path`` (:func:`graph.network.paths.referral_graph`): one arc
``u -> v`` when a referral step in force goes from ``u`` to ``v`` (symmetric steps count both ways), or an
internal unit <-> parent hop inside one operational organisation. Structural relations (unit of a
ministry or government, institution of a state, membership, agreement) are not ties. Placeholders and
states are left out by default (``include_placeholders=True`` keeps them, as ends only: they never
relay). Parallel facts do not add weight: a second source for the same tie is evidence, not a stronger tie.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError
from graph.network.paths import CHANNEL_MANDATES, is_channel, live_view, referral_graph
from graph.network.routing import actor_name, availability_of, can_relay, is_step

__all__ = ["METRICS", "SCOPES", "EXACT_BETWEENNESS_LIMIT", "BETWEENNESS_BUDGET", "CAPACITY", "centrality_graph",
           "centrality", "gaps", "render_centrality", "render_gaps"]

#: What each metric means for a coordinator, in one plain sentence.
METRICS = {
    "degree": "how many actors it deals with directly, in either direction (share of all others).",
    "betweenness": "brokers between otherwise separate groups: how often it lies on the shortest route between two others.",
    "closeness": "how few steps the others need to reach it (networkx counts incoming distances).",
    "eigenvector": "connected to well-connected actors: influence through its contacts (links read both ways).",
    "pagerank": "where information and referrals tend to end up when following links at random.",
}
SCOPES = ("national", "regional", "eu", "international", "all")

#: Up to this many actors, betweenness is exact; above, it is estimated from a seeded sample of sources
#: (networkx's ``k``): ``k = max(16, BETWEENNESS_BUDGET // actors)`` source actors, seed ``BETWEENNESS_SEED``.
#: Each sampled source costs one search over the whole graph, so the budget keeps the time about flat:
#: 200 sources at 1,000 actors, 16 at 20,000 (a rough ranking: the top brokers, not exact scores; the
#: relative error of a score is of the order of 1/sqrt(k), which the output states).
EXACT_BETWEENNESS_LIMIT = 1000
BETWEENNESS_BUDGET = 200_000
BETWEENNESS_SEED = 42


def centrality_graph(G, scope="all", as_of=None, include_placeholders=False):
    """The simple ``DiGraph`` the metrics read: actors of ``scope`` (a level or ``all``) and the referral ties
    among them in force (:func:`graph.network.paths.referral_graph`)."""
    import networkx as nx

    if scope not in SCOPES:
        raise CoopmapError(f"Unknown scope '{scope}'. Choose one of: {', '.join(SCOPES)}.")
    R = referral_graph(G, as_of=as_of, include_placeholders=include_placeholders)
    if scope == "all":
        return R  # the metrics ignore its arc attributes
    D = nx.DiGraph()
    keep = [n for n in R if G.nodes[n].get("level") == scope]
    D.add_nodes_from(keep)
    keep = set(keep)
    D.add_edges_from((u, v) for u, v in R.edges if u in keep and v in keep)
    return D


def centrality(G, metric="degree", scope="all", top=10, as_of=None, include_placeholders=False, network=None):
    """Rank the actors of ``scope`` by ``metric``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The view; not changed.
    metric : {"degree", "betweenness", "closeness", "eigenvector", "pagerank"}
    scope : {"national", "regional", "eu", "international", "all"}
        Actors of one level (and the ties among them), or all.
    top : int or None
        How many to return (``None``: all).
    as_of : str, optional
    include_placeholders : bool
        Keep placeholders and states (as ends of ties only: they never relay).
    network : networkx.DiGraph, optional
        :func:`centrality_graph` of ``G`` for the same ``scope``, ``as_of`` and ``include_placeholders``, when
        the caller already built it (a map sizes and labels actors by two measures of one network).

    Returns
    -------
    dict
        ``metric``, ``meaning`` (one sentence), ``scope``, ``actors`` / ``ties`` (graph size), ``method``
        (says whether betweenness was sampled), ``rows`` (rank, actor, iri, level, kind, score).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for u, v in [("a", "hub"), ("b", "hub"), ("hub", "c")]:
    ...     _ = G.add_edge(u, v, kind="notifies", step=True, start=None, end=None, status=None)
    >>> for n in G:
    ...     G.nodes[n].update(label=n, level="national", kind="police")
    >>> [r["actor"] for r in centrality(G, "betweenness", top=1)["rows"]]
    ['hub']
    """
    import networkx as nx

    if metric not in METRICS:
        raise CoopmapError(f"Unknown metric '{metric}'. Choose one of: {', '.join(METRICS)}.")
    D = network if network is not None else centrality_graph(G, scope, as_of, include_placeholders)
    n = D.number_of_nodes()
    method = "exact"
    if n == 0:
        scores = {}
    elif metric == "degree":
        scores = nx.degree_centrality(D)
    elif metric == "betweenness":
        if n > EXACT_BETWEENNESS_LIMIT:
            k = min(n, max(16, BETWEENNESS_BUDGET // n))
            scores = nx.betweenness_centrality(D, k=k, seed=BETWEENNESS_SEED)
            method = (f"estimated from k={k} sampled source actors (seed {BETWEENNESS_SEED}) because the graph has "
                      f"{n} actors, more than {EXACT_BETWEENNESS_LIMIT}; expect a relative error of the order of "
                      f"1/sqrt(k) = {1 / k ** 0.5:.0%} on each score")
        else:
            scores = nx.betweenness_centrality(D)
    elif metric == "closeness":
        scores = nx.closeness_centrality(D)
    elif metric == "eigenvector":
        scores = nx.eigenvector_centrality(D.to_undirected(), max_iter=1000, tol=1e-08)
        method = "exact, on the graph with directions ignored (on a directed graph with dead ends it is undefined)"
    else:
        scores = nx.pagerank(D)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], actor_name(G, kv[0]).casefold()))
    rows = [{"rank": i, "actor": actor_name(G, a), "iri": a, "level": G.nodes[a].get("level"),
             "kind": G.nodes[a].get("kind"), "score": round(s, 6)}
            for i, (a, s) in enumerate(ranked[:top] if top else ranked, 1)]
    return {"metric": metric, "meaning": METRICS[metric], "scope": scope, "actors": n, "ties": D.number_of_edges(),
            "method": method, "placeholders": "included" if include_placeholders else "left out", "rows": rows}


def _evidence_of_tie(G, H, u, v):
    out = []
    for a, b in ((u, v), (v, u)):
        if H.has_edge(a, b):
            for k, d in H[a][b].items():
                if not d.get("mirror") and (is_step(d) or d.get("kind") == "unit-of"):
                    out.append({"link": k, "reads": f"{actor_name(G, a)} {d.get('reads')} {actor_name(G, b)}",
                                "sources": d.get("sources") or []})
    return out


def _own_units(G, a, actors):
    """Whether every actor of ``actors`` is a unit (at any depth) of ``a``: losing ``a`` then cuts off only its
    own organisation chart, which is not a single point of failure of the network."""
    for n in actors:
        p, seen = G.nodes[n].get("parent"), set()
        while p is not None and p != a and p not in seen:
            seen.add(p)
            p = G.nodes[p].get("parent") if p in G else None
        if p != a:
            return False
    return True


#: Sentences that say an actor's capacity runs short ("often occupied", "bottlenecks can occur").
CAPACITY = r"often occupied|fully occupied|bottleneck|overloaded|lack of (?:staff|capacity|places)"


def _capacity_findings(G, H):
    """Actors a cited sentence says run short of capacity: the actor the sentence is cited for, or, for a
    link's sentence, whichever end the sentence names."""
    import re

    from graph.kb.resolve import fold

    pattern = re.compile(CAPACITY, re.IGNORECASE)
    found = {}

    def names(n):
        d = G.nodes[n]
        return [x for x in (d.get("label"), d.get("acronym"), *(d.get("labels") or {}).values()) if x]

    def named(n, quote):
        return any(fold(x) in fold(quote) for x in names(n))

    for n, d in H.nodes(data=True):
        for src in d.get("sources") or ():
            if pattern.search(src["quote"]):
                found.setdefault(n, []).append(src)
    for u, v, d in H.edges(data=True):
        if d.get("mirror"):
            continue
        for src in d.get("sources") or ():
            if pattern.search(src["quote"]):
                for n in (u, v):
                    if named(n, src["quote"]) and src not in found.setdefault(n, []):
                        found[n].append(src)
    out = []
    for n in sorted(found, key=lambda n: actor_name(G, n).casefold()):
        if not found[n]:
            continue
        words = sorted({m.group(0).lower() for s in found[n] for m in [pattern.search(s["quote"])] if m})
        out.append({"gap": "capacity", "subject": actor_name(G, n), "iri": n,
                    "evidence": f"the sources say its capacity runs short ({', '.join(words)})",
                    "details": [], "sources": found[n]})
    return out


def gaps(G, as_of=None, include_placeholders=False):
    """Where the referral network is fragile, each finding with its evidence.

    Findings (``gap`` field): ``only-named-support-service`` (one named support service holds victim
    support, with its hours), ``capacity`` (an actor a cited sentence says runs short: "often occupied",
    "bottlenecks can occur"), ``articulation-point`` (an actor whose loss cuts others off from the rest, with
    who is cut off; a parent whose loss cuts off only its own units is not one), ``bridge`` (a tie whose
    loss does the same, with the facts behind it), ``single-holder`` (a mandate only one actor holds),
    ``no-international-route`` (a national actor with no directed referral route to an international
    channel: an actor holding a mandate of :data:`graph.network.paths.CHANNEL_MANDATES`, or one that
    requests mutual legal assistance), ``office-hours-only`` (a referral step whose receiver is reachable
    in office hours only) and ``isolated`` (an actor with no referral tie at all). Ties are those of the
    referral network (:func:`graph.network.paths.referral_graph`), read both ways for the first two;
    placeholders and states are left out unless ``include_placeholders``.

    Returns
    -------
    list of dict
        ``gap``, ``subject``, ``iri``, ``evidence`` (a sentence), ``details`` and ``sources``.
    """
    import networkx as nx

    from graph.core.periods import parse_as_of
    from graph.network.routing import assess

    H = live_view(G, as_of=as_of)
    R = referral_graph(G, as_of=as_of, include_placeholders=include_placeholders)
    U = nx.Graph()
    U.add_nodes_from(R.nodes)
    U.add_edges_from(R.edges)
    period = parse_as_of(as_of)
    out = []
    # the only named support service, and its hours
    named = sorted(n for n, d in H.nodes(data=True) if d.get("kind") == "support-service"
                   and "victim-support" in (d.get("mandates") or ()) and not d.get("placeholder"))
    support = [n for n in named if n in R and R.in_degree(n) > 0]
    if len(support) == 1:
        n = support[0]
        items = H.nodes[n].get("availability") or []
        live = [a for a in items if a.get("status") not in ("planned", "ended")]
        hours = sorted({a["hours"] for a in live})
        planned = sorted({a["hours"] for a in items if a.get("status") == "planned"})
        when = (f"; reachable {', '.join(h.replace('-', ' ') for h in hours)} only" if hours == ["office-hours"] else
                f"; reachable {', '.join(hours)}" if hours else "; hours not stated")
        when += "".join(f" (stated {a['stated_on']})" for a in live if a.get("stated_on"))
        if planned:
            when += f"; {', '.join(planned)} planned, not in force"
        others = [f"{actor_name(G, m)} (no referral step reaches it)" for m in named if m != n]
        others += sorted(f"{actor_name(G, m)} (unnamed)" for m, d in H.nodes(data=True) if d.get("placeholder")
                         and "victim-support" in (d.get("mandates") or ()) and d.get("kind") == "support-service")
        out.append({"gap": "only-named-support-service", "subject": actor_name(G, n), "iri": n,
                    "evidence": f"the only named support service for victims that a referral step reaches{when}",
                    "details": others, "sources": [s for a in live + [a for a in items if a not in live]
                                                   for s in a.get("sources", [])]})
    out += _capacity_findings(G, H)
    comp_of = {}
    for comp in nx.connected_components(U):
        for n in comp:
            comp_of[n] = comp
    for a in sorted(nx.articulation_points(U), key=lambda n: actor_name(G, n).casefold()):
        rest = U.subgraph(comp_of[a] - {a})
        parts = sorted(nx.connected_components(rest), key=len, reverse=True)
        cut_nodes = [n for p in parts[1:] for n in p]
        if _own_units(G, a, cut_nodes):
            continue
        cut = sorted(actor_name(G, n) for n in cut_nodes)
        out.append({"gap": "articulation-point", "subject": actor_name(G, a), "iri": a,
                    "evidence": f"without it, {len(cut)} actor(s) lose every referral tie to the other {len(parts[0])}",
                    "details": cut, "sources": []})
    for u, v in sorted(nx.bridges(U), key=lambda e: (actor_name(G, e[0]).casefold(), actor_name(G, e[1]).casefold())):
        ev = _evidence_of_tie(G, H, u, v)
        if len({e["link"] for e in ev}) > 1:
            continue  # several independent facts: losing one does not cut the tie
        if U.degree(v) == 1 or U.degree(u) == 1:
            side = {v} if U.degree(v) == 1 else {u}
        else:
            cut = nx.restricted_view(U, [], [(u, v)])
            side = min(nx.node_connected_component(cut, u), nx.node_connected_component(cut, v), key=len)
        other = u if v in side else v
        if _own_units(G, other, side):
            continue  # a unit hanging on its own parent: the organisation chart, not a fragile channel
        out.append({"gap": "bridge", "subject": f"{actor_name(G, u)} -- {actor_name(G, v)}", "iri": ev[0]["link"] if ev else None,
                    "evidence": f"the only tie: {ev[0]['reads'] if ev else 'unknown'}; without it {len(side)} actor(s) are cut off",
                    "details": sorted(actor_name(G, n) for n in side), "sources": [s for e in ev for s in e["sources"]]})
    holders = {}
    for n, d in H.nodes(data=True):
        if n not in R:
            continue
        for m in d.get("mandates") or ():
            holders.setdefault(m, []).append(n)
    for m, hs in sorted(holders.items()):
        if len(hs) == 1:
            out.append({"gap": "single-holder", "subject": m, "iri": hs[0],
                        "evidence": f"only {actor_name(G, hs[0])} holds the mandate '{m}'", "details": [actor_name(G, hs[0])],
                        "sources": G.nodes[hs[0]].get("sources") or []})
    # international channels and who reaches them along usable referral steps
    usable = {}

    def ok(u, v):
        if (u, v) not in usable:
            usable[(u, v)] = "referral" not in R[u][v]["modes"] or any(
                is_step(d) and assess(G, u, v, d, as_of=period)["usable"] for d in H[u][v].values())
        return usable[(u, v)]

    Rok = nx.subgraph_view(R, filter_edge=ok)
    channels = {n for n in R if is_channel(G, n)}
    channels |= {u for u, v, d in H.edges(data=True) if u in R and d.get("kind") == "requests-mutual-legal-assistance-from"}
    reaching = set(channels)
    for c in channels:
        reaching |= nx.ancestors(Rok, c)
    names = "; ".join(sorted(actor_name(G, c) for c in channels)) or "none in the graph"
    for n in sorted(R, key=lambda n: actor_name(G, n).casefold()):
        d = G.nodes[n]
        if d.get("level") == "national" and can_relay(G, n) and n not in reaching:
            out.append({"gap": "no-international-route", "subject": actor_name(G, n), "iri": n,
                        "evidence": "no referral route to any international channel "
                                    f"({', '.join(sorted(CHANNEL_MANDATES))}, mutual legal assistance)",
                        "details": [names], "sources": []})
    for u, v, k, d in sorted(H.edges(keys=True, data=True), key=lambda e: e[2]):
        if not is_step(d) or d.get("mirror"):
            continue
        av = availability_of(G, u, v, d, period)
        if av["hours"] == "office-hours":
            ev = av["statements"]
            out.append({"gap": "office-hours-only", "subject": f"{actor_name(G, u)} {d.get('reads')} {actor_name(G, v)}",
                        "iri": k, "evidence": f"{actor_name(G, v) if av['basis'] == 'actor' else 'this link'} is reachable "
                                              "in office hours only" + "".join(f" (stated {a['stated_on']})" for a in ev if a.get("stated_on")),
                        "details": [f"{a['hours']}, {a.get('status') or 'status not stated'}" for a in ev + av["other"]],
                        "sources": [s for a in ev for s in a.get("sources", [])]})
    for n in sorted(R, key=lambda n: actor_name(G, n).casefold()):
        if U.degree(n) == 0:
            out.append({"gap": "isolated", "subject": actor_name(G, n), "iri": n, "evidence": "no referral tie to any other actor",
                        "details": [], "sources": G.nodes[n].get("sources") or []})
    return out


def render_centrality(result) -> str:
    """A centrality ranking as text, with the meaning of the metric."""
    from graph.render.text import render_table

    head = [f"{result['metric']} centrality, scope {result['scope']} ({result['actors']} actors, {result['ties']} ties)",
            f"meaning: {result['meaning']}", f"method: {result['method']}", ""]
    return "\n".join(head) + render_table(result["rows"], ["rank", "actor", "level", "kind", "score"])


def render_gaps(rows) -> str:
    """Gap findings as text, grouped by kind of gap."""
    if not rows:
        return "No gaps found: no single point of failure, every mandate has two holders or more, every national actor reaches an international channel."
    out = []
    for gap in dict.fromkeys(r["gap"] for r in rows):
        items = [r for r in rows if r["gap"] == gap]
        out += ["", f"{gap} ({len(items)})"]
        for r in items:
            out.append(f"  {r['subject']}: {r['evidence']}")
            if r["details"] and gap in ("articulation-point", "bridge"):
                shown = r["details"][:8]
                out.append("     cut off: " + "; ".join(shown) + (f"; … ({len(r['details']) - 8} more)" if len(r["details"]) > 8 else ""))
            elif r["details"] and gap == "office-hours-only":
                out.append("     statements: " + "; ".join(r["details"]))
            elif r["details"] and gap == "only-named-support-service":
                out.append("     others: " + "; ".join(r["details"]))
            for s in r["sources"][:3]:
                out.append(f"     source: {s['document']}, {s['locator']}: \u201c{s['quote']}\u201d")
    return "\n".join(out).lstrip()
