"""Case-dependent routing: which steps of the view a coordinator can take for a given case, and why.

A *case* is a set of case-condition notations (``child``, ``third-country-national``,
``labour-exploitation``, ``does-not-cooperate``...). Each edge is judged against the case, the time of
day and the date by :func:`assess`:

- only edges of a referral kind (``referral=True``: notifications, referrals, information exchange,
  reporting, and internal hand-over between an organisation and its units) are steps;
- a step whose status is ``planned`` or ``ended`` is not usable (it is reported, not followed);
- ``coop:appliesWhen``: every condition must hold. A condition the case states is met; a condition
  that contradicts the case (the link needs ``child``, the case is ``adult``) excludes the step; a
  condition the case does not settle leaves the step usable but *conditional*, and it costs the route
  one tie-break point;
- ``coop:independentOf``: noted on the step ("does not depend on the victim cooperating");
- a step from an institution to its state (``institution-of``) costs one point and says that the
  sources name the state, not the authority;
- availability: the link's own availability statements, else those of the actor being contacted, in
  force on the date (status not planned/ended, dates overlapping). At ``night`` a step whose receiver is
  reachable in office hours only is excluded, and one whose hours are not stated costs one point.
"""

from __future__ import annotations

from graph.core.periods import in_force

__all__ = ["CASE_OPTIONS", "EXCLUSIVE", "HOP", "RANKING_RULE", "case_conditions", "availability_of", "assess",
           "describe_step", "best_routes", "BLOCKING_STATUS", "loose_parents", "path_to", "search", "actor_name", "phase_rank"]

#: Command-line case options -> case-condition notations.
CASE_OPTIONS = {
    "victim": {"child": "child", "adult": "adult"},
    "nationality": {"eu": "eu-national", "third-country": "third-country-national"},
    "exploitation": {"sexual": "sexual-exploitation", "labour": "labour-exploitation",
                     "criminal": "criminal-exploitation"},
    "cooperates": {"yes": "cooperates", "no": "does-not-cooperate"},
}

#: Groups of mutually exclusive case conditions: stating one rules out the others of its group.
EXCLUSIVE = [frozenset(v.values()) for v in CASE_OPTIONS.values()]

#: The cost of one hop; tie-break points are far smaller, so fewer hops always wins.
HOP = 1000

RANKING_RULE = ("Ranked by the number of hops from you (fewest first). Equal hops: fewer tie-break points first "
                "(1 point per step that depends on a case condition you did not state, 1 per step whose hours are "
                "not stated when you ask about the night, 1 per step through a state as a whole because the "
                "sources do not name the authority), then the earliest referral phase of the last step "
                "(identification, first assistance, long-term assistance, return, proceedings), then the name.")

BLOCKING_STATUS = {"planned": "planned, not yet in force", "ended": "ended"}


def case_conditions(victim=None, nationality=None, exploitation=None, cooperates=None, extra=()):
    """The case as a frozenset of case-condition notations.

    Examples
    --------
    >>> sorted(case_conditions(victim="child", cooperates="no"))
    ['child', 'does-not-cooperate']
    """
    out = set(extra)
    for option, value in (("victim", victim), ("nationality", nationality), ("exploitation", exploitation),
                          ("cooperates", cooperates)):
        if value is None:
            continue
        choices = CASE_OPTIONS[option]
        if value not in choices:
            from graph.core.errors import CoopmapError

            raise CoopmapError(f"Unknown --{option} '{value}'. Choose one of: {', '.join(choices)}.")
        out.add(choices[value])
    return frozenset(out)


def _dated(item, when):
    return when is None or (item.get("start") is None and item.get("end") is None) or \
        in_force(item.get("start"), item.get("end"), when)


def _in_force(item, when):
    return item.get("status") not in BLOCKING_STATUS and _dated(item, when)


def availability_of(G, u, v, d, as_of=None):
    """When the step ``u -> v`` (edge data ``d``) can be used.

    Returns
    -------
    dict
        ``hours``: ``"24-7"``, ``"office-hours"`` or ``None`` (not stated); ``basis``: ``"link"`` or
        ``"actor"`` (whose statements decided); ``statements``: those in force; ``other``: planned or
        out-of-date statements, reported for context (e.g. a 24/7 hotline announced but not in force).
    """
    for basis, items in (("link", d.get("availability") or ()), ("actor", G.nodes[v].get("availability") or ())):
        if not items:
            continue
        live = [a for a in items if _in_force(a, as_of)]
        other = [a for a in items if a not in live]
        hours = {a["hours"] for a in live}
        value = "24-7" if "24-7" in hours else ("office-hours" if "office-hours" in hours else None)
        return {"hours": value, "basis": basis, "statements": live, "other": other}
    return {"hours": None, "basis": None, "statements": [], "other": []}


_NOT_REFERRAL = {}
_PLAIN = {"usable": True, "reason": None, "points": 0, "notes": [], "availability": None}


def assess(G, u, v, d, case=frozenset(), when=None, as_of=None, relaxed=False):
    """Judge one edge as a step for this case.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    u, v : node
    d : dict
        The edge's attributes.
    case : frozenset of str
        Case-condition notations (:func:`case_conditions`).
    when : {None, "office-hours", "night"}
    as_of : tuple, optional
        A period from :func:`graph.core.periods.parse_as_of`: steps and availability statements not in force
        then do not count.
    relaxed : bool
        Ignore the case and the time of day (used to show what the case excluded).

    Returns
    -------
    dict
        ``usable`` (bool), ``reason`` (why not, or None), ``points`` (tie-break points), ``notes``
        (list of plain sentences) and ``availability`` (:func:`availability_of`, computed when the time
        of day is asked about, else None). Treat it as read-only: some results are shared.
    """
    if not d.get("referral"):
        kind = d.get("kind")
        res = _NOT_REFERRAL.get(kind)
        if res is None:
            res = _NOT_REFERRAL[kind] = {"usable": False, "reason": f"'{kind}' is not a referral kind", "points": 0,
                                         "notes": [], "availability": None}
        return res
    status = d.get("status")
    if status in BLOCKING_STATUS:
        return {"usable": False, "reason": f"this step is {BLOCKING_STATUS[status]}", "points": 0, "notes": [],
                "availability": None}
    if as_of is not None and not _dated(d, as_of):
        return {"usable": False, "points": 0, "notes": [], "availability": None,
                "reason": f"not in force on that date (valid {d.get('start') or '…'} to {d.get('end') or '…'})"}
    if (when != "night" or relaxed) and not d.get("applies_when") and not d.get("independent_of") \
            and d.get("kind") != "institution-of":
        return _PLAIN  # the common case: nothing to judge or note
    res = {"usable": False, "reason": None, "points": 0, "notes": [], "availability": None}
    notes = res["notes"]
    for c in d.get("applies_when") or ():
        if c in case:
            notes.append(f"applies: the case is {c}")
            continue
        clash = [x for x in case for group in EXCLUSIVE if c in group and x in group]
        if clash and not relaxed:
            res["reason"] = f"applies only when {c}, and the case is {', '.join(sorted(clash))}"
            return res
        notes.append(f"applies only if {c} (not stated for this case)")
        res["points"] += 1
    for c in d.get("independent_of") or ():
        related = sorted(x for x in case for group in EXCLUSIVE if c in group and x in group)
        notes.append(f"does not depend on {c}" + (f" (holds although the case is {', '.join(related)})"
                                                   if related and c not in case else ""))
    if d.get("kind") == "institution-of":
        notes.append(f"the next step is stated for {actor_name(G, v)} as a whole: the sources do not name the "
                     "authority that acts")
        res["points"] += 1
    if when == "night" and not relaxed:
        av = res["availability"] = availability_of(G, u, v, d, as_of)
        if av["hours"] == "office-hours":
            res["reason"] = f"reachable in office hours only (stated for the {av['basis']})"
            return res
        if av["hours"] is None:
            notes.append("availability at night not stated")
            res["points"] += 1
    res["usable"] = True
    return res


def search(adj, starts, ok, removed=frozenset()):
    """Breadth-first search from ``starts`` over ``adj`` (``G._succ`` forwards, ``G._pred`` backwards),
    stepping from ``a`` to ``b`` only when ``ok(a, b, edges)``: ``{node: the node it was reached from}``
    (starts map to None). Neighbours are visited in the view's order (sorted IRIs)."""
    parents = {s: None for s in starts}
    frontier = list(starts)
    while frontier:
        nxt = []
        for a in frontier:
            for b, edges in adj[a].items():
                if b not in parents and b not in removed and ok(a, b, edges):
                    parents[b] = a
                    nxt.append(b)
        frontier = nxt
    return parents


def loose_parents(G, source, removed=frozenset()):
    """Breadth-first search from ``source`` over referral steps that are not planned or ended, ignoring the
    case, the time of day and the dates: ``{node: parent}`` (``source`` maps to None)."""
    return search(G._succ, [source], lambda u, v, edges: any(
        d.get("referral") and d.get("status") not in BLOCKING_STATUS for d in edges.values()), removed)


def path_to(parents, target):
    """The path from the search's source to ``target`` from a ``{node: parent}`` map."""
    path = [target]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    return path[::-1]


def best_routes(G, source, case=frozenset(), when=None, as_of=None, removed=frozenset()):
    """Fewest hops, then fewest tie-break points, from ``source`` to every actor it can reach.

    A Dijkstra search on the cost ``(hops, points)`` compared as a pair, which is the same as a weight
    of :data:`HOP` plus the points per step: a path with fewer hops always wins. Each hop costs the
    points of its best usable edge (:func:`assess`). Equal costs keep the route found first, exploring
    neighbours in the order of the view (sorted IRIs).

    Returns
    -------
    tuple of dict
        ``({node: (hops, points)}, {node: parent})``; the source maps to ``(0, 0)`` and ``None``.
    """
    import heapq

    adj, nodes = G._adj, G._node  # the plain dicts behind G.adj and G.nodes: this loop is the hot path
    dist, parent, done, node_ok = {source: (0, 0)}, {source: None}, set(), {}
    heap, count = [(0, 0, 0, source)], 1
    while heap:
        hops, pts, _, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, edges in adj[u].items():
            if v in done or v in removed:
                continue
            ok = node_ok.get(v)
            if ok is None:
                ok = node_ok[v] = _dated(nodes[v], as_of)
            if not ok:
                continue
            best = None
            for d in edges.values():
                if not d.get("referral"):
                    continue
                a = assess(G, u, v, d, case, when, as_of)
                if a["usable"] and (best is None or a["points"] < best):
                    best = a["points"]
            if best is None:
                continue
            cand = (hops + 1, pts + best)
            if v not in dist or cand < dist[v]:
                dist[v], parent[v] = cand, u
                heapq.heappush(heap, (cand[0], cand[1], count, v))
                count += 1
    return dist, parent


def actor_name(G, n):
    """'ITM (Inspectorate of Labour and Mines)': acronym and English name of node ``n``."""
    d = G.nodes[n]
    a, label = d.get("acronym"), d.get("label") or n.rsplit("/", 1)[-1]
    return f"{a} ({label})" if a and a.casefold() != label.casefold() else label


def describe_step(G, u, v, k, assessment=None, as_of=None):
    """One edge as a self-contained, sourced record: who, what, when, under which law, why it counts.

    With an ``assessment`` (:func:`assess`) the record also says when the step can be used (its
    availability on ``as_of``, with the statements behind it), the notes and, if so, why it is excluded.
    """
    d = G.edges[u, v, k]
    reads = d.get("reads") or d.get("kind")
    phases = d.get("phases") or []
    rec = {"from": actor_name(G, u), "from_iri": u, "to": actor_name(G, v), "to_iri": v, "kind": d.get("kind"),
           "reads": reads, "link": k, "origin": d.get("origin"), "mirror": d.get("mirror", False),
           "phase": ", ".join(phases) if phases else "not stated",
           "legal_basis": d.get("legal_basis") or [], "condition": d.get("condition"),
           "applies_when": d.get("applies_when") or [], "independent_of": d.get("independent_of") or [],
           "status": d.get("status"), "start": d.get("start"), "end": d.get("end"), "stated_on": d.get("stated_on"),
           "sources": d.get("sources") or []}
    if d.get("role"):
        rec["role"] = d["role"]
    if assessment is not None:
        av = assessment.get("availability") or availability_of(G, u, v, d, as_of)
        rec["availability"] = av.get("hours") or "not stated"
        rec["availability_evidence"] = [{"hours": a["hours"], "status": a.get("status"), "start": a.get("start"),
                                         "stated_on": a.get("stated_on"), "sources": a.get("sources", [])}
                                        for a in av.get("statements", []) + av.get("other", [])]
        planned = sorted({a["hours"] for a in av.get("other", []) if a.get("status") == "planned"})
        rec["notes"] = list(assessment.get("notes", [])) + (
            [f"planned, not in force: {', '.join(planned)} availability"] if planned else [])
        if not assessment.get("usable"):
            rec["excluded_because"] = assessment.get("reason")
    return rec


def phase_rank(G, phases):
    """The lowest ``coop:rank`` of the given referral phases (99 when none)."""
    ranks = G.graph.get("schemes", {}).get("phase", {})
    values = [ranks[p]["rank"] for p in phases if p in ranks and ranks[p].get("rank") is not None]
    return min(values) if values else 99
