"""All shortest referral paths between two actors in the view, explained hop by hop.

A path follows the same referral network as ``contact`` (:mod:`graph.network.routing`): referral steps in
force, at most one internal unit <-> parent hop inside one operational organisation, a membership only as
the last hop, and no placeholder or state as a relay. Structural relations never carry a path between
organisations.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError, NotFound
from graph.network.routing import BLOCKING_STATUS, actor_name, can_relay, describe_step, is_internal, is_step

__all__ = ["CHANNEL_MANDATES", "is_channel", "live_view", "referral_graph", "referral_arcs", "shortest_paths", "render_paths",
           "path_rows", "PATH_COLUMNS"]

#: Mandates that make an actor an international channel (Europol, INTERPOL, CCPD, mutual legal assistance).
CHANNEL_MANDATES = frozenset({"international-police-cooperation", "judicial-cooperation"})


def is_channel(G, n) -> bool:
    """Whether actor ``n`` is an international channel (holds a mandate of :data:`CHANNEL_MANDATES`)."""
    return bool(CHANNEL_MANDATES & set(G.nodes[n].get("mandates") or ()))


def live_view(G, kinds=None, as_of=None, removed=()):
    """A read-only view of ``G`` (no copy) with the facts in force on ``as_of`` and of the given ``kinds``.

    Edges whose status is planned or ended are hidden too. ``kinds`` are edge-kind notations
    (link kinds, ``unit-of``, ``institution-of``, ``member-of``, ``party-to``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="l1", kind="notifies", start="2030", end=None, status=None)
    'l1'
    >>> G.add_edge("a", "b", key="l2", kind="funds", start=None, end=None, status=None)
    'l2'
    >>> sorted(k for _, _, k in live_view(G, as_of="2025-01-01").edges(keys=True))
    ['l2']
    >>> sorted(k for _, _, k in live_view(G, kinds=["notifies"], as_of="2031").edges(keys=True))
    ['l1']
    """
    import networkx as nx

    from graph.core.periods import in_force, parse_as_of

    period = parse_as_of(as_of)
    kinds = set(kinds) if kinds else None
    known = set(G.graph.get("link_kinds", {}))
    if kinds and known and kinds - known:
        raise CoopmapError(f"Unknown link kind(s): {', '.join(sorted(kinds - known))}. "
                           f"Choose from: {', '.join(sorted(known))}.")
    removed = set(removed)
    node_ok = {}

    def keep_node(n):
        ok = node_ok.get(n)
        if ok is None:
            d = G.nodes[n]
            ok = node_ok[n] = n not in removed and (
                (d.get("start") is None and d.get("end") is None) or in_force(d.get("start"), d.get("end"), period))
        return ok

    def keep_edge(u, v, k):
        d = G.edges[u, v, k]
        if kinds is not None and d.get("kind") not in kinds:
            return False
        if d.get("status") in BLOCKING_STATUS:
            return False
        return (d.get("start") is None and d.get("end") is None) or in_force(d.get("start"), d.get("end"), period)

    return nx.subgraph_view(G, filter_node=keep_node, filter_edge=keep_edge)


def _mode(G, u, v, d, kinds, target):
    """How edge ``u -> v`` may be used on a path: ``referral``, ``internal``, ``membership`` or None."""
    kind = d.get("kind")
    if kinds is not None and kind not in kinds:
        return None
    if is_step(d) or ("step" not in d and G.graph.get("link_kinds", {}).get(kind, {}).get("referral")):
        return "referral"
    if kind == "unit-of" and is_internal(G, u, v, d):
        return "internal"
    if kind == "member-of" and v == target:
        return "membership"
    return None


def referral_graph(G, as_of=None, kinds=None, source=None, target=None, include_placeholders=False, removed=()):
    """The referral network as a simple ``networkx.DiGraph``: an arc ``u -> v`` (attribute ``modes``) when a
    fact in force lets a route go from ``u`` to ``v`` (a referral step; an internal unit <-> parent hop in an
    operational organisation; a membership, only into ``target``). Placeholders and states keep no arc
    out (they never relay), except ``source``; with ``include_placeholders`` False they are left out
    altogether (unless they are ``source`` or ``target``). Used by paths, centrality and gaps alike.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lu", kind="state")
    >>> _ = G.add_edge("a", "lu", key="l1", kind="notifies", step=True)
    >>> _ = G.add_edge("lu", "b", key="l2", kind="notifies", step=True)
    >>> _ = G.add_edge("a", "b", key="l3", kind="funds", step=False)
    >>> sorted(referral_graph(G, include_placeholders=True).edges)
    [('a', 'lu')]
    """
    import networkx as nx

    order, arcs_of = referral_arcs(G, as_of, kinds, source, target, include_placeholders, removed)
    R = nx.DiGraph()
    R.add_nodes_from(order)  # in the view's order: sampled betweenness picks its sources by position
    R.add_edges_from((u, v, {"modes": modes}) for u in order for v, modes in arcs_of(u))
    return R


def referral_arcs(G, as_of=None, kinds=None, source=None, target=None, include_placeholders=False, removed=()):
    """The referral network of :func:`referral_graph`, read on demand: ``(actors, arcs_of)`` where ``actors``
    are its nodes in the view's order and ``arcs_of(u)`` lists ``(v, modes)`` for the arcs out of ``u`` (in
    the view's order). A search that stops early (a path to one actor) reads only the arcs it meets."""
    from graph.core.periods import parse_as_of
    from graph.network.routing import date_checker

    dated = date_checker(parse_as_of(as_of))
    kinds = set(kinds) if kinds else None
    removed = set(removed)
    nodes, succ = G._node, G._succ
    live = {n for n, d in nodes.items() if n not in removed and dated(d)}
    relays = {n for n in live if can_relay(G, n)}
    order = [n for n in G if n in live and (include_placeholders or n in relays or n in (source, target))]
    keep = set(order)

    def arcs_of(u):
        if u not in keep or (u != source and u not in relays):
            return []
        out = {}
        for v, kd in succ[u].items():
            if v == u or v not in keep:
                continue
            for d in kd.values():
                if d.get("status") in BLOCKING_STATUS or not dated(d):
                    continue
                mode = _mode(G, u, v, d, kinds, target)
                if mode is not None:
                    out.setdefault(v, set()).add(mode)
        return list(out.items())

    return order, arcs_of


def _shortest_directed(order, arcs_of, source, target, limit=10000):
    """All shortest paths ``source`` -> ``target`` along ``arcs_of`` (at most ``limit``) and the modes of the
    arcs met, by a breadth-first search that stops at the target's level."""
    modes, pred, seen = {}, {source: []}, {source: 0}
    if source not in order or target not in order:
        return [], modes
    level, frontier = 0, [source]
    while frontier and target not in pred:
        level += 1
        nxt = []
        for u in frontier:
            for v, m in arcs_of(u):
                if v not in seen:
                    seen[v], pred[v] = level, [u]
                    nxt.append(v)
                elif seen[v] == level:
                    pred[v].append(u)
                else:
                    continue
                modes[(u, v)] = m
        frontier = nxt
    if target not in pred:
        return [], modes
    paths, stack = [], [(target, [target])]
    while stack and len(paths) < limit:  # depth first, predecessors in the order they were found
        node, tail = stack.pop()
        if node == source:
            paths.append(tail[::-1])
            continue
        stack.extend((p, tail + [p]) for p in reversed(pred[node]))
    return paths, modes


def _internal_hops(modes, p):
    return sum(1 for u, v in zip(p, p[1:]) if modes[(u, v)] == {"internal"})


def shortest_paths(G, source, target, kinds=None, as_of=None, limit=20):
    """All shortest referral paths from ``source`` to ``target`` (at most ``limit``), hop by hop.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The view; not changed.
    source, target : str
        Actor IRIs.
    kinds : iterable of str, optional
        Edge kinds that may be followed (default: every referral step kind, the internal unit <-> parent
        hop and a membership as last hop).
    as_of : str, optional
        Date; default today. Facts not in force then, and planned or ended ones, are not followed.
    limit : int
        Most paths returned (``count`` says how many there are, up to 10,000 counted).

    Returns
    -------
    dict
        ``query``, ``hops``, ``count``, ``paths`` (each ``{"actors": [...], "steps": [...]}`` where a step
        lists the edges that carry the hop as ``links``, each with its mode and vagueness note),
        ``directed`` (False when only a path ignoring directions exists) and ``channels`` (international
        channels met on the way).

    Raises
    ------
    NotFound
        ``"No path between A and B."`` when they are not connected even ignoring directions.
    """
    import itertools

    import networkx as nx

    from graph.core.periods import today

    for n in (source, target):
        if n not in G:
            raise NotFound(f"No actor {n} in the view.")
    as_of = as_of or today()
    known = set(G.graph.get("link_kinds", {}))
    if kinds and known and set(kinds) - known:
        raise CoopmapError(f"Unknown link kind(s): {', '.join(sorted(set(kinds) - known))}. "
                           f"Choose from: {', '.join(sorted(known))}.")
    H = live_view(G, None, as_of)
    order, arcs_of = referral_arcs(G, as_of, kinds, source, target)
    paths_found, modes = _shortest_directed(set(order), arcs_of, source, target)
    found = [p for p in paths_found if _internal_hops(modes, p) <= 1]
    directed = True
    if not found:
        directed = False
        R = referral_graph(G, as_of, kinds, source, target)
        U = R.to_undirected(as_view=True)
        try:
            found = list(itertools.islice(nx.all_shortest_paths(U, source, target), 10000))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            raise NotFound(f"No path between {actor_name(G, source)} and {actor_name(G, target)}"
                           + (f" along {', '.join(sorted(kinds))}" if kinds else "") + f" as of {as_of}.") from None
    found.sort(key=lambda p: [actor_name(G, n).casefold() for n in p])
    first = found[0]

    def links(u, v):
        if not H.has_edge(u, v):
            return []
        return [describe_step(G, u, v, k, as_of=None, mode=m) for k in sorted(H[u][v])
                for m in [_mode(G, u, v, H[u][v][k], set(kinds) if kinds else None, target)] if m]

    paths = []
    for p in found[:limit]:
        steps = []
        for i, (u, v) in enumerate(zip(p, p[1:]), 1):
            forward = links(u, v)
            back = links(v, u) if not directed else []
            steps.append({"step": i, "from": actor_name(G, u), "from_iri": u, "to": actor_name(G, v), "to_iri": v,
                          "links": forward, "links_other_way": back})
        paths.append({"actors": [actor_name(G, n) for n in p], "iris": list(p), "steps": steps})
    channels = sorted({actor_name(G, n) for p in found[:limit] for n in p[1:-1] if is_channel(G, n)}
                      | ({actor_name(G, target)} if is_channel(G, target) else set()))
    return {"query": {"from": actor_name(G, source), "from_iri": source, "to": actor_name(G, target), "to_iri": target,
                      "kinds": sorted(kinds) if kinds else "referral", "as_of": as_of},
            "hops": len(first) - 1, "count": len(found), "truncated": len(found) > limit, "directed": directed,
            "channels": channels, "paths": paths}


#: Columns of the CSV form: one row per edge of every hop of every path.
PATH_COLUMNS = ["path", "step", "from", "reads", "to", "kind", "mode", "phase", "legal_basis", "condition", "vagueness",
                "link", "sources"]


def path_rows(result):
    """One flat row per edge of every hop (for CSV)."""
    rows = []
    for i, p in enumerate(result["paths"], 1):
        for s in p["steps"]:
            for l in s["links"] + s["links_other_way"]:
                rows.append({"path": i, "step": s["step"], "from": l["from"], "reads": l["reads"], "to": l["to"],
                             "kind": l["kind"], "mode": l["mode"], "phase": l["phase"],
                             "legal_basis": [b["title"] for b in l["legal_basis"]],
                             "condition": l["condition"], "vagueness": l["vagueness"], "link": l["link"],
                             "sources": [f"{x['document']}, {x['locator']}" for x in l["sources"]]})
    return rows


def render_paths(result) -> str:
    """The answer of :func:`shortest_paths` as readable text."""
    q = result["query"]
    kinds = q["kinds"] if isinstance(q["kinds"], str) else ", ".join(q["kinds"])
    out = [f"Shortest referral paths from {q['from']} to {q['to']} (kinds: {kinds}; as of {q['as_of']})",
           f"{result['count']} path(s) of {result['hops']} hop(s)"
           + (f"; showing {len(result['paths'])}" if result["truncated"] else "")]
    if not result["directed"]:
        out.append("No path follows the links' directions; these ignore them (arrows show the stated direction).")
    if result["channels"]:
        out.append(f"International channels on the way: {'; '.join(result['channels'])}")
    for i, p in enumerate(result["paths"], 1):
        out += ["", f"Path {i}: " + " -> ".join(p["actors"])]
        for s in p["steps"]:
            out.append(f"  {s['step']}. {s['from']} -> {s['to']}")
            for l in s["links"] + s["links_other_way"]:
                arrow = "" if l in s["links"] else "  (stated the other way)"
                basis = "; ".join(b["title"] for b in l["legal_basis"]) or "not stated"
                internal = "  [internal (same organisation)]" if l["mode"] == "internal" else ""
                out.append(f"     {l['from']} {l['reads']} {l['to']}{arrow}{internal}")
                out.append(f"        kind: {l['kind']}; phase: {l['phase']}; legal basis: {basis}"
                           + (f"; since {l['start']}" if l["start"] else "") + (f"; until {l['end']}" if l["end"] else ""))
                if l["condition"]:
                    out.append(f"        when: {l['condition']}")
                if l.get("vagueness"):
                    out.append(f"        inferred: {l['vagueness']}")
                if l.get("planned"):
                    out.append(f"        {l['planned']}")
                for src in l["sources"]:
                    out.append(f"        source: {src['document']}, {src['locator']}: \u201c{src['quote']}\u201d")
    return "\n".join(out)
