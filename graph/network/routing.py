"""Referral routing: which hops of the view a coordinator can take for a given case, and the best routes.

The view (:mod:`graph.network.view`) says, from the ontology, which link kinds are *referral steps*
(``step=True``: notifies, refers victims to, signposts to, places victims with, reports irregular stay
to, transmits reports to, exchanges information with/via, requests mutual legal assistance from). A route
is a chain of hops from the asker, each of one of three modes:

``referral``
    A referral step, usable for the case (:func:`assess`).
``internal``
    A unit <-> its own parent (``unit-of``) inside one operational organisation: both ends are police,
    police units, judicial authorities or inspectorates (:data:`OPERATIONAL_KINDS`), never a government,
    ministry, state, EU body, network or fund. At most one per route; shown as "internal (same organisation)".
``membership``
    A member reaching the body it sits on (``member-of``), and only as the **last** hop (the Ministry of
    Justice reaches the Monitoring Committee it chairs): a body is never a relay through its members.

``institution-of`` and ``party-to`` are never hops. Placeholders (``coop:Placeholder``: an unnamed
authority, "EU Member States") and states never relay: a route may end at one, never pass through it.
The last hop into an actor holding the needed mandate must *serve* that need (``coop:serves``), or be a
membership of it, or an internal hop whose organisation was reached by a step serving it.

Each referral step is judged against the case, the time of day, the date and the region by :func:`assess`:

- a step whose status is ``planned`` or ``ended`` is not usable; a planned step whose window has passed
  says so ("planned for 2016–2020; no later source says it happened");
- ``coop:appliesWhen``: a condition the case states is met; a condition its own data contradicts (the
  step needs ``child``, the case is ``adult``) excludes the step; a condition the case does not settle
  leaves it usable but *conditional*, one tie-break point;
- ``coop:independentOf``: noted on the step;
- a region: a step (or, when the step states none, its receiver) whose stated area does not cover the
  region is excluded (areas nest by ``skos:broader``: ``lu`` < ``benelux`` < ``eu`` < ``worldwide``;
  ``greater-region`` < ``eu``; ``non-eu`` < ``worldwide``);
- availability: at ``night`` a step whose receiver is reachable in office hours only is excluded, and one
  whose hours are not stated costs one point.
"""

from __future__ import annotations

from graph.core.periods import in_force

__all__ = ["CASE_OPTIONS", "EXCLUSIVE", "HOP", "RANKING_RULE", "OPERATIONAL_KINDS", "REGIONS", "BLOCKING_STATUS",
           "case_conditions", "check_region", "covers", "availability_of", "assess", "is_step", "can_relay",
           "is_internal", "planned_note", "describe_step", "search_routes", "hop_index", "date_checker", "route_of", "loose_parents", "path_to",
           "search", "actor_name", "phase_rank"]

#: Case options -> case-condition notations.
CASE_OPTIONS = {
    "victim": {"child": "child", "adult": "adult"},
    "nationality": {"eu": "eu-national", "third-country": "third-country-national"},
    "exploitation": {"sexual": "sexual-exploitation", "labour": "labour-exploitation",
                     "criminal": "criminal-exploitation"},
    "cooperates": {"yes": "cooperates", "no": "does-not-cooperate"},
}

#: Groups of mutually exclusive case conditions: stating one rules out the others of its group.
EXCLUSIVE = [frozenset(v.values()) for v in CASE_OPTIONS.values()]

#: Regions a request can be about (concepts of the area scheme).
REGIONS = ("lu", "benelux", "greater-region", "eu", "non-eu")

#: Actor kinds between which a unit <-> own parent hop is an internal hand-over (operational bodies).
OPERATIONAL_KINDS = frozenset({"police", "police-unit", "judicial-authority", "inspectorate"})

#: The cost of one hop; tie-break points are far smaller, so fewer hops always wins.
HOP = 1000

RANKING_RULE = ("When a region is given, routes stated to serve exactly that region first. Named actors before "
                "unnamed ones (placeholders). Then by the number of hops from you "
                "(fewest first). Equal hops: fewer tie-break points first (1 point per step that depends on a case "
                "condition you did not state, 1 per step whose hours are not stated when you ask about the night), "
                "then the earliest referral phase of the last step (identification, first assistance, long-term "
                "assistance, return, proceedings), then the name. Only referral steps carry a route; one internal "
                "hop between a unit and its parent in one operational organisation may be taken, and a membership "
                "only as the last hop; unnamed actors and states never relay; the last step must serve the need.")

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

            raise CoopmapError(f"Unknown {option} '{value}'. Choose one of: {', '.join(choices)}.")
        out.add(choices[value])
    return frozenset(out)


def check_region(region):
    """``region`` itself (or None), else an error naming the valid regions."""
    if region is not None and region not in REGIONS:
        from graph.core.errors import CoopmapError

        raise CoopmapError(f"Unknown region '{region}'. Choose one of: {', '.join(REGIONS)}.")
    return region


def _ancestors(G, region):
    areas = G.graph.get("schemes", {}).get("area", {})
    out, n = [region], region
    while n in areas and areas[n].get("broader") and areas[n]["broader"] not in out:
        n = areas[n]["broader"]
        out.append(n)
    return out


def covers(G, areas, region) -> bool:
    """Whether a step whose stated ``areas`` are these may serve a request about ``region``: no stated area,
    or one of them is ``region`` or a broader area of it (``skos:broader*``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(schemes={"area": {"lu": {"broader": "benelux"}, "benelux": {"broader": "eu"},
    ...                                        "eu": {"broader": "worldwide"}, "non-eu": {"broader": "worldwide"},
    ...                                        "greater-region": {"broader": "eu"}, "worldwide": {}}})
    >>> covers(G, ["worldwide"], "non-eu"), covers(G, ["greater-region"], "non-eu"), covers(G, [], "non-eu")
    (True, False, True)
    >>> covers(G, ["eu"], "lu"), covers(G, ["greater-region"], "greater-region")
    (True, True)
    """
    if region is None or not areas:
        return True
    return bool(set(areas) & set(_ancestors(G, region)))


def _dated(item, when):
    return when is None or (item.get("start") is None and item.get("end") is None) or \
        in_force(item.get("start"), item.get("end"), when)


def _in_force(item, when):
    return item.get("status") not in BLOCKING_STATUS and _dated(item, when)


def is_step(d) -> bool:
    """Whether an edge is of a referral-step kind (``step``, read from ``coop:referral`` by the view)."""
    return bool(d.get("step", d.get("referral")))


def can_relay(G, n) -> bool:
    """Whether a route may pass through actor ``n``: not a placeholder, not a state."""
    d = G.nodes[n]
    return not d.get("placeholder") and d.get("kind") != "state"


def is_internal(G, u, v, d) -> bool:
    """Whether edge ``u -> v`` is a unit <-> own parent hop inside one operational organisation."""
    return d.get("kind") == "unit-of" and G.nodes[u].get("kind") in OPERATIONAL_KINDS \
        and G.nodes[v].get("kind") in OPERATIONAL_KINDS


def _year(value):
    return str(value)[:4] if value else None


def planned_note(d, as_of=None):
    """How a planned item reads on ``as_of``: "planned, not yet in force", or, once its window (the item's
    own ``start``/``end``, else its plan's, from ``legal_basis``) has passed, "planned for 2016–2020; no
    later source says it happened". None when the item is not planned.

    Examples
    --------
    >>> from graph.core.periods import parse_as_of
    >>> planned_note({"status": "planned", "start": "2016", "end": "2020"}, parse_as_of("2026-12-03"))
    'planned for 2016–2020; no later source says it happened'
    >>> planned_note({"status": "planned", "start": "2016", "end": "2030"}, parse_as_of("2026"))
    'planned for 2016–2030, not yet in force'
    """
    if d.get("status") != "planned":
        return None
    start, end = d.get("start"), d.get("end")
    if start is None and end is None:
        for b in d.get("legal_basis") or ():
            if b.get("start") or b.get("end"):
                start, end = b.get("start"), b.get("end")
                break
    if start is None and end is None:
        return "planned, not yet in force"
    window = f"{_year(start) or '…'}–{_year(end) or '…'}"
    if end is not None and as_of is not None:
        from graph.core.periods import period

        if period(end)[1] < as_of[0]:
            return f"planned for {window}; no later source says it happened"
    return f"planned for {window}, not yet in force"


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


_NOT_STEP = {}
_PLAIN = {"usable": True, "reason": None, "points": 0, "notes": [], "availability": None}


def assess(G, u, v, d, case=frozenset(), when=None, as_of=None, relaxed=False, region=None):
    """Judge one edge as a referral step for this case.

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
        Ignore the case, the time of day, the region and the status (used to show what they excluded).
    region : str, optional
        A region of :data:`REGIONS`: steps whose stated area does not cover it are excluded.

    Returns
    -------
    dict
        ``usable`` (bool), ``reason`` (why not, or None), ``points`` (tie-break points), ``notes``
        (list of plain sentences) and ``availability`` (:func:`availability_of`, computed when the time
        of day is asked about, else None). Treat it as read-only: some results are shared.
    """
    if not is_step(d):
        kind = d.get("kind")
        res = _NOT_STEP.get(kind)
        if res is None:
            res = _NOT_STEP[kind] = {"usable": False, "reason": f"'{kind}' is not a referral step", "points": 0,
                                     "notes": [], "availability": None}
        return res
    status = d.get("status")
    if status in BLOCKING_STATUS and not relaxed:
        reason = planned_note(d, as_of) if status == "planned" else None
        return {"usable": False, "reason": reason or f"this step is {BLOCKING_STATUS[status]}", "points": 0,
                "notes": [], "availability": None}
    if as_of is not None and not _dated(d, as_of):
        return {"usable": False, "points": 0, "notes": [], "availability": None,
                "reason": f"not in force on that date (valid {d.get('start') or '…'} to {d.get('end') or '…'})"}
    if region is not None and not relaxed:
        areas = d.get("area") or G.nodes[v].get("area") or ()
        if not covers(G, areas, region):
            whose = "this step" if d.get("area") else actor_name(G, v)
            return {"usable": False, "points": 0, "notes": [], "availability": None,
                    "reason": f"{whose} serves {', '.join(areas)}, not {region}"}
    if (when != "night" or relaxed) and not d.get("applies_when") and not d.get("independent_of"):
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


def _live(item, as_of):
    return item.get("status") not in BLOCKING_STATUS and _dated(item, as_of)


def hop_index(G):
    """The hops a route may take out of each actor, read once from the view: ``{u: [(v, steps, units,
    members, plain, loose)]}`` with the edge dicts ``u -> v`` that are referral steps, unit <-> own parent
    edges inside one operational organisation, and memberships (pairs with none of them, and self-loops, are
    left out); ``plain`` is the pair's options when nothing about it depends on the query, ``loose`` its
    options when the query is relaxed and the pair's steps state no case condition (else None).

    Judging a hop for a case then looks only at the edges that can carry it, instead of every fact between
    two actors. For a view from :func:`graph.network.view.load_view` (read-only) the index is built once
    per process; for any other graph, on every call.
    """
    from graph.network.view import is_loaded_view

    cached = is_loaded_view(G)
    if cached:
        found = _INDEX.get(id(G))
        if found is not None and found[0] is G:
            return found[1]
    nodes = G._node
    out = {}
    for u, nbrs in G._succ.items():
        rows = []
        u_op = nodes[u].get("kind") in OPERATIONAL_KINDS
        for v, kd in nbrs.items():
            if v == u:
                continue
            steps, units, members = [], [], []
            for d in kd.values():
                if d.get("step", d.get("referral")):
                    steps.append(d)
                else:
                    kind = d.get("kind")
                    if kind == "unit-of" and u_op and nodes[v].get("kind") in OPERATIONAL_KINDS:
                        units.append(d)
                    elif kind == "member-of":
                        members.append(d)
            if steps or units or members:
                rows.append((v, tuple(steps), tuple(units), tuple(members), _plain_options(steps, units, members),
                             _loose_options(steps, units, members)))
        if rows:
            out[u] = rows
    if cached:
        _INDEX[id(G)] = (G, out)
    return out


_INDEX = {}


def _loose_options(steps, units, members):
    """The hop options of a pair when the case, the hour, the date, the region and the status are ignored
    (``relaxed``: what they excluded), for a pair whose steps state no case condition (else None)."""
    serves = {}
    for d in steps:
        if d.get("applies_when"):
            return None
        for n in d.get("serves") or ("*",):
            serves[n] = 0
    return (0 if steps else None), serves, bool(units), bool(members)


def _plain_options(steps, units, members):
    """The hop options of a pair whose steps state no condition, date, status, area or availability, and
    which has no internal or membership edge: the same for every case, date and region, by day (None for
    any other pair)."""
    if units or members:
        return None
    serves = {}
    for d in steps:
        if d.get("applies_when") or d.get("independent_of") or d.get("status") or d.get("area") \
                or d.get("start") is not None or d.get("end") is not None or d.get("availability"):
            return None
        for n in d.get("serves") or ("*",):
            serves[n] = 0
    return 0, serves, False, False


def date_checker(as_of):
    """``dated(item)``: whether an item's ``start``/``end`` overlap ``as_of`` (always True without a date),
    memoised by its pair of dates: a large view has few distinct dates and many items."""
    if as_of is None:
        return lambda item: True
    memo = {}

    def dated(item):
        key = (item.get("start"), item.get("end"))
        ok = memo.get(key)
        if ok is None:
            ok = memo[key] = (key[0] is None and key[1] is None) or in_force(key[0], key[1], as_of)
        return ok

    return dated


def _hop_options(G, u, v, case, when, as_of, region, relaxed, hops, dated):
    """The usable ways from ``u`` to ``v``: the fewest points of a usable step (or None), ``{need: fewest
    points of a usable step serving it}`` (``"*"`` for steps that state no need), and whether an internal
    hop and a membership are possible. ``hops`` is ``(steps, units, members)`` of the pair's row of
    :func:`hop_index`; ``dated`` the search's :func:`date_checker`."""
    steps, units, members = hops
    step_pts, serves = None, {}
    for d in steps:
        if d.get("applies_when") or (not relaxed and (when == "night" or region is not None
                                                       or d.get("status") in BLOCKING_STATUS)):
            a = assess(G, u, v, d, case, when, None if relaxed else as_of, relaxed, region)
            if not a["usable"]:
                continue
            pts = a["points"]
        elif relaxed or dated(d):  # nothing to judge but the date: usable, no point
            pts = 0
        else:
            continue
        if step_pts is None or pts < step_pts:
            step_pts = pts
        for n in d.get("serves") or ("*",):
            serves[n] = min(serves.get(n, pts), pts)
    internal = any(relaxed or (d.get("status") not in BLOCKING_STATUS and dated(d)) for d in units)
    member = any(relaxed or (d.get("status") not in BLOCKING_STATUS and dated(d)) for d in members)
    return step_pts, serves, internal, member


def search_routes(G, source, need=None, case=frozenset(), when=None, as_of=None, removed=frozenset(), region=None,
                  relaxed=False):
    """One search from ``source``: the best route to every actor it can reach, and the best route *ending
    as an answer for* ``need`` (last hop serving it, a membership, or an internal hand-over).

    A Dijkstra search over states ``(actor, internal hop used)`` on the cost ``(hops, points)``: fewer
    hops always win, then fewer tie-break points. Relays are never placeholders or states.

    Returns
    -------
    dict
        ``{actor: (hops, points, route)}`` for the actors reached *as an answer* (each route a list of
        ``(u, v, mode)`` hops, mode ``referral``, ``internal`` or ``membership``); with ``need=None``
        every actor reached along referral and internal hops.
    """
    import heapq

    nodes = G._node
    index = hop_index(G)
    dated = date_checker(None if relaxed else as_of)
    # which precomputed options of a pair hold for this query: the loose ones when relaxed; the plain ones
    # by day without a region (whatever the case and date)
    static_at = 5 if relaxed else (4 if when != "night" and region is None else None)
    start = (source, False)
    dist, parent, done = {start: (0, 0)}, {start: None}, set()
    heap, count = [(0, 0, 0, start)], 1
    opts_memo, relay = {}, {}
    # actors a route may not reach: left out, or not in force on the date (few: checked once, up front)
    blocked = set(removed) | (set() if relaxed else {n for n, d in nodes.items() if not dated(d)})
    answers = {}
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        hops, pts, _, state = pop(heap)
        if state in done:
            continue
        done.add(state)
        u, used = state
        if u != source:
            r = relay.get(u)
            if r is None:
                d = nodes[u]
                r = relay[u] = not d.get("placeholder") and d.get("kind") != "state"
            if not r:
                continue
        nh = hops + 1
        for row in index.get(u, ()):
            v = row[0]
            if v in blocked:
                continue
            opts = row[static_at] if static_at is not None else None
            if opts is None:
                opts = opts_memo.get((u, v))
                if opts is None:
                    opts = opts_memo[(u, v)] = _hop_options(G, u, v, case, when, as_of, region, relaxed, row[1:4], dated)
            step_pts, serves, internal, member = opts
            if step_pts is not None:
                cand = (nh, pts + step_pts)
                nxt = (v, used)
                old = dist.get(nxt)
                if old is None or cand < old:
                    dist[nxt], parent[nxt] = cand, (state, "referral")
                    push(heap, (nh, cand[1], count, nxt))
                    count += 1
                if v != source:
                    if need is None:
                        got = cand
                    elif need in serves or "*" in serves:
                        got = (nh, pts + min(serves.get(need, 99), serves.get("*", 99)))
                    else:
                        got = None
                    if got is not None and (v not in answers or got < answers[v][0]):
                        answers[v] = (got, (state, "referral"))
            if internal and not used:
                cand = (nh, pts)
                nxt = (v, True)
                old = dist.get(nxt)
                if old is None or cand < old:
                    dist[nxt], parent[nxt] = cand, (state, "internal")
                    push(heap, (nh, pts, count, nxt))
                    count += 1
                if v != source and (need is None or u == source or _arrived_serving(parent, state, need, opts_memo, index, static_at)) \
                        and (v not in answers or cand < answers[v][0]):
                    answers[v] = (cand, (state, "internal"))
            if member and need is not None and v != source and (v not in answers or (nh, pts) < answers[v][0]):
                answers[v] = ((nh, pts), (state, "membership"))
    out = {}
    for v, (cost, (state, mode)) in answers.items():
        route = [(state[0], v, mode)]
        s = state
        while parent[s] is not None:
            prev, m = parent[s]
            route.append((prev[0], s[0], m))
            s = prev
        out[v] = (cost[0], cost[1], route[::-1])
    return out


def _arrived_serving(parent, state, need, opts_memo, index, static_at):
    """Whether the referral step into ``state`` serves ``need`` (for an internal hop that ends a route)."""
    p = parent.get(state)
    if p is None:
        return False
    prev, mode = p
    if mode != "referral":
        return False
    opts = opts_memo.get((prev[0], state[0]))
    if opts is None:  # a pair whose options were read from the index, not memoised
        opts = next(row[static_at] for row in index[prev[0]] if row[0] == state[0])
    serves = opts[1]
    return need in serves or "*" in serves


def route_of(G, source, target, **kw):
    """The best route (list of ``(u, v, mode)``) from ``source`` to ``target`` along referral hops, or None."""
    found = search_routes(G, source, None, **kw).get(target)
    return found[2] if found else None


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
    """Breadth-first search from ``source`` over referral steps that are not planned or ended, through
    actors that may relay, ignoring the case, the time of day and the dates: ``{node: parent}``."""
    return search(G._succ, [source], lambda u, v, edges: (u == source or can_relay(G, u)) and any(
        is_step(d) and d.get("status") not in BLOCKING_STATUS for d in edges.values()), removed)


def path_to(parents, target):
    """The path from the search's source to ``target`` from a ``{node: parent}`` map."""
    path = [target]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    return path[::-1]


def actor_name(G, n):
    """'ITM (Inspectorate of Labour and Mines)': acronym and English name of node ``n``; for a placeholder,
    what it stands for ('an unnamed Luxembourg authority')."""
    d = G.nodes[n]
    if d.get("placeholder") and d.get("stands_for"):
        return d["stands_for"]
    a, label = d.get("acronym"), d.get("label") or n.rsplit("/", 1)[-1]
    return f"{a} ({label})" if a and a.casefold() != label.casefold() else label


def describe_step(G, u, v, k, assessment=None, as_of=None, mode=None):
    """One edge as a self-contained, sourced record: who, what, when, under which law, why it counts.

    With an ``assessment`` (:func:`assess`) the record also says when the step can be used (its
    availability on ``as_of``, with the statements behind it), the notes and, if so, why it is excluded.
    """
    d = G.edges[u, v, k]
    reads = d.get("reads") or d.get("kind")
    phases = d.get("phases") or []
    mode = mode or ("referral" if is_step(d) else ("internal" if is_internal(G, u, v, d) else
                                                   "membership" if d.get("kind") == "member-of" else "context"))
    rec = {"from": actor_name(G, u), "from_iri": u, "to": actor_name(G, v), "to_iri": v, "kind": d.get("kind"),
           "reads": reads, "mode": mode, "link": k, "origin": d.get("origin"), "mirror": d.get("mirror", False),
           "phase": ", ".join(phases) if phases else "not stated",
           "legal_basis": [{"iri": b["iri"], "title": b["title"]} for b in d.get("legal_basis") or []],
           "condition": d.get("condition"), "applies_when": list(d.get("applies_when") or []),
           "independent_of": list(d.get("independent_of") or []), "serves": list(d.get("serves") or []),
           "area": list(d.get("area") or []), "vagueness": d.get("vagueness"),
           "status": d.get("status"), "start": d.get("start"), "end": d.get("end"), "stated_on": d.get("stated_on"),
           "sources": list(d.get("sources") or [])}
    if d.get("status") == "planned":
        rec["planned"] = planned_note(d, as_of)
    if d.get("role"):
        rec["role"] = d["role"]
    if mode == "internal":
        rec["notes"] = ["internal (same organisation)"]
    if assessment is not None:
        av = assessment.get("availability") or availability_of(G, u, v, d, as_of)
        rec["availability"] = av.get("hours") or "not stated"
        rec["availability_evidence"] = [{"hours": a["hours"], "status": a.get("status"), "start": a.get("start"),
                                         "stated_on": a.get("stated_on"), "vagueness": a.get("vagueness"),
                                         "sources": a.get("sources", [])}
                                        for a in av.get("statements", []) + av.get("other", [])]
        planned = sorted({a["hours"] for a in av.get("other", []) if a.get("status") == "planned"})
        stated = sorted({a["stated_on"] for a in av.get("other", []) if a.get("status") == "planned" and a.get("stated_on")})
        rec["notes"] = rec.get("notes", []) + list(assessment.get("notes", [])) + (
            [f"planned, not in force: {', '.join(planned)} availability"
             + (f" (stated {', '.join(stated)})" if stated else "")] if planned else [])
        if not assessment.get("usable"):
            rec["excluded_because"] = assessment.get("reason")
    return rec


def phase_rank(G, phases):
    """The lowest ``coop:rank`` of the given referral phases (99 when none)."""
    ranks = G.graph.get("schemes", {}).get("phase", {})
    values = [ranks[p]["rank"] for p in phases if p in ranks and ranks[p].get("rank") is not None]
    return min(values) if values else 99
