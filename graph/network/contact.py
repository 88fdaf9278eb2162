"""Who to contact: the actors holding a mandate, ranked by how a coordinator reaches them, step by step.

The answer follows directed referral steps only (see :mod:`graph.network.routing` for what counts as a step and
how the case, the time of day and the date change it), and explains itself: every step names its
referral phase, legal basis, conditions, availability and sources; targets the case excluded are listed
with the step that excluded them; with ``without`` the answer is recomputed as if those actors were
unavailable and what is lost is listed.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError, NotFound
from graph.network.routing import (RANKING_RULE, actor_name, assess, best_routes, describe_step, loose_parents, path_to,
                      phase_rank, search)

__all__ = ["contact", "check_mandate", "render_contact", "contact_rows", "CONTACT_COLUMNS"]


def check_mandate(G, need: str) -> str:
    """The mandate notation ``need`` names (notation or English label, any case), else an error listing choices."""
    from graph.kb.resolve import fold

    choices = G.graph.get("schemes", {}).get("mandate", {})
    for notation, info in choices.items():
        if fold(need) in (fold(notation), fold(info.get("label") or "")):
            return notation
    raise CoopmapError(f"Unknown mandate '{need}'. Choose one of: {', '.join(sorted(choices))}.")


def _judged(G, u, v, case, when, as_of):
    """The usable edges ``u -> v`` as ``(assessment, key)``, best first."""
    judged = [(a, k) for k, a in ((k, assess(G, u, v, d, case, when, as_of)) for k, d in sorted(G[u][v].items()))
              if a["usable"]]
    judged.sort(key=lambda ak: (ak[0]["points"], G.edges[u, v, ak[1]].get("mirror", False), ak[1]))
    return judged


def _steps(G, path, case, when, as_of):
    """Explain each hop of ``path``: its best usable edge, and the other usable edges as ``also``."""
    steps = []
    for i, (u, v) in enumerate(zip(path, path[1:]), 1):
        judged = _judged(G, u, v, case, when, as_of)
        best, key = judged[0]
        rec = {"step": i, **describe_step(G, u, v, key, best, as_of)}
        rec["also"] = [describe_step(G, u, v, k, a, as_of) for a, k in judged[1:]]
        steps.append(rec)
    return steps


def _excluded_steps(G, path, case, when, as_of):
    """Explain a route found without the case, hour and date, marking the steps they rule out."""
    steps = []
    for i, (u, v) in enumerate(zip(path, path[1:]), 1):
        strict = {k: assess(G, u, v, d, case, when, as_of) for k, d in G[u][v].items()}
        loose = {k: assess(G, u, v, d, case, when, None, relaxed=True) for k, d in G[u][v].items()}
        k = sorted((k for k in loose if loose[k]["usable"]), key=lambda k: (not strict[k]["usable"], k))[0]
        steps.append({"step": i, **describe_step(G, u, v, k, strict[k], as_of)})
    return steps


def _nearest(G, source, holders, case, when, as_of, removed):
    """When no holder is reachable: the actor closest to ``source`` (by any relation, either direction)
    that has a usable referral route to one of them, with that route and the relations leading to it."""
    succ, pred = G._succ, G._pred  # plain adjacency dicts: both searches below visit the whole graph
    # who can reach a holder along usable steps (one backward search from all holders at once)
    nxt = search(pred, holders, lambda v, u, edges: any(
        d.get("referral") and assess(G, u, v, d, case, when, as_of)["usable"] for d in edges.values()), removed)
    # relations from the asking actor, any kind, any direction
    back, frontier, found = {source: None}, [source], None
    while frontier and found is None:
        new = []
        for u in frontier:
            for v in sorted(set(succ[u]) | set(pred[u])):
                if v in back or v in removed:
                    continue
                back[v] = u
                new.append(v)
        reachers = sorted((actor_name(G, n).casefold(), n) for n in new if n in nxt and nxt[n] is not None)
        found = reachers[0][1] if reachers else None
        frontier = new
    if found is None:
        return {"nearest": None, "note": "no actor connected to you has a referral route, usable for this case, "
                                         "time of day and date, to any holder"}
    connection, n = [], found
    while n is not None:
        connection.append(n)
        n = back[n]
    route, n = [found], found
    while nxt[n] is not None:
        n = nxt[n]
        route.append(n)
    return {"nearest": actor_name(G, found), "nearest_iri": found, "relations_away": len(connection) - 1,
            "connection": [actor_name(G, x) for x in reversed(connection)], "holder": actor_name(G, route[-1]),
            "holder_iri": route[-1], "route": _steps(G, route, case, when, as_of)}


def _rank(G, source, need, case, when, period, removed):
    """Every reachable holder as ``(hops, points, last phase rank, name, iri, path)``, best first."""
    dist, parent = best_routes(G, source, case, when, period, removed)
    holders = [n for n, d in G.nodes(data=True) if need in (d.get("mandates") or ()) and n not in removed]
    ranked = []
    for h in holders:
        if h not in dist:
            continue
        hops, points = dist[h]
        last = []
        if hops:
            u = parent[h]
            last = G.edges[u, h, _judged(G, u, h, case, when, period)[0][1]].get("phases") or []
        ranked.append((hops, points, phase_rank(G, last), actor_name(G, h).casefold(), h, parent))
    ranked.sort(key=lambda r: r[:4])
    return ranked, holders


def contact(G, source, need, case=frozenset(), when=None, as_of=None, without=(), top=None):
    """Rank the actors holding mandate ``need`` by how ``source`` reaches them along referral steps.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The view (:func:`graph.network.view.load_view`); not changed.
    source : str
        IRI of the actor asking.
    need : str
        A mandate notation (``victim-support``, ``investigation``...).
    case : frozenset of str
        Case conditions (:func:`graph.network.routing.case_conditions`).
    when : {None, "office-hours", "night"}
        Time of day; at night office-hours-only steps are excluded.
    as_of : str, optional
        Date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``); default today. Facts not in force then are ignored.
    without : iterable of str
        IRIs of actors to treat as unavailable.
    top : int, optional
        Explain only the first ``top`` answers and excluded holders (``reachable`` still counts all).

    Returns
    -------
    dict
        ``query``, ``ranking_rule``, ``reachable`` (how many holders have a route), ``answers`` (ranked,
        each with its ``path`` of explained steps), ``excluded`` (holders the case, the hour or the date
        pushed away, with the step responsible), ``unreachable`` (holders with no usable route),
        ``no_path`` (who holds the mandate and the nearest actor able to reach each, when nobody is
        reachable) and ``without`` (what is lost).

    Raises
    ------
    NotFound
        When ``source`` or an actor of ``without`` is not in the view.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("itm", label="ITM", mandates=[])
    >>> G.add_node("ngo", label="NGO", mandates=["victim-support"])
    >>> G.add_edge("itm", "ngo", key="l1", kind="refers-victims-to", reads="refers victims to", referral=True,
    ...            applies_when=["child"], sources=[])
    'l1'
    >>> [a["actor"] for a in contact(G, "itm", "victim-support")["answers"]]
    ['NGO']
    >>> contact(G, "itm", "victim-support", case=frozenset({"adult"}))["answers"]
    []
    """
    from graph.core.periods import parse_as_of, today

    for n in [source, *without]:
        if n not in G:
            raise NotFound(f"No actor {n} in the view (it may be above the '{G.graph.get('audience', 'clear')}' audience, "
                           f"or not in force on that date).")
    removed = frozenset(without)
    if source in removed:
        raise CoopmapError("--without names the actor you are asking from; drop it from --without.")
    as_of = as_of or today()
    period = parse_as_of(as_of)
    ranked, holders = _rank(G, source, need, case, when, period, removed)
    answers = []
    for i, (hops, points, phase, _name, h, parent) in enumerate(ranked[:top] if top else ranked, 1):
        answers.append({"rank": i, "actor": actor_name(G, h), "iri": h, "level": G.nodes[h].get("level"),
                        "kind": G.nodes[h].get("kind"), "hops": hops, "tie_break_points": points,
                        "path": _steps(G, path_to(parent, h), case, when, period),
                        "note": "you hold this mandate yourself" if h == source else None})
    mandates = G.graph.get("schemes", {}).get("mandate", {})
    result = {"query": {"from": actor_name(G, source), "from_iri": source, "need": need,
                        "need_label": mandates.get(need, {}).get("label", need), "case": sorted(case), "when": when,
                        "as_of": as_of, "without": [actor_name(G, n) for n in without]},
              "ranking_rule": RANKING_RULE, "reachable": len(ranked), "answers": answers, "excluded": [],
              "unreachable": [], "no_path": None, "without": None}

    # what the case, the hour or the date excluded: routes that exist when they are ignored
    loose = loose_parents(G, source, removed)
    reached = {r[4]: r[0] for r in ranked}
    excluded = []
    for h in holders:
        if h in loose:
            path = path_to(loose, h)
            if h not in reached or reached[h] > len(path) - 1:
                excluded.append((len(path) - 1, actor_name(G, h).casefold(), h, path))
    excluded.sort()
    result["excluded_count"] = len(excluded)
    for hops, _name, h, path in excluded[:top] if top else excluded:
        result["excluded"].append({"actor": actor_name(G, h), "iri": h, "hops_ignoring_case": hops,
                                   "hops_now": reached.get(h), "path": _excluded_steps(G, path, case, when, period)})
    result["unreachable"] = sorted(actor_name(G, h) for h in holders if h not in reached)
    if not ranked:
        result["no_path"] = {"holders": sorted(actor_name(G, h) for h in holders),
                             **_nearest(G, source, holders, case, when, period, removed)}
    if removed:
        base, _ = _rank(G, source, need, case, when, period, frozenset())
        now = {r[4]: r for r in ranked}
        lost, longer = [], []
        for hops, points, _p, _n, h, _path in base:
            b = now.get(h)
            if b is None:
                why = "is itself unavailable" if h in removed else "no route left"
                lost.append({"actor": actor_name(G, h), "iri": h, "hops_before": hops, "why": why})
            elif (b[0], b[1]) > (hops, points):
                longer.append({"actor": actor_name(G, h), "iri": h, "hops_before": hops, "hops_now": b[0]})
        result["without"] = {"removed": [actor_name(G, n) for n in without], "lost": lost, "longer": longer,
                             "answers_before": len(base), "answers_now": len(ranked)}
    return result


# ---------------------------------------------------------------- rendering

#: Columns of the CSV form: one row per step.
CONTACT_COLUMNS = ["rank", "target", "hops", "step", "from", "reads", "to", "phase", "legal_basis", "condition",
                   "availability", "notes", "link", "sources"]


def contact_rows(result):
    """One flat row per step of every ranked answer (for CSV)."""
    rows = []
    for a in result["answers"]:
        for s in a["path"] or [{"step": 0, "from": a["actor"], "reads": "holds the mandate itself", "to": a["actor"],
                                "phase": "", "legal_basis": [], "condition": None, "availability": "", "notes": [],
                                "link": "", "sources": []}]:
            rows.append({"rank": a["rank"], "target": a["actor"], "hops": a["hops"], "step": s["step"],
                         "from": s["from"], "reads": s["reads"], "to": s["to"], "phase": s["phase"],
                         "legal_basis": [b["title"] for b in s["legal_basis"]], "condition": s["condition"],
                         "availability": s.get("availability"), "notes": s.get("notes", []), "link": s["link"],
                         "sources": [f"{x['document']}, {x['locator']}" for x in s["sources"]]})
    return rows


def _step_lines(s, indent="     "):
    basis = "; ".join(b["title"] for b in s["legal_basis"]) or "not stated in the sources"
    lines = [f"{indent}{s['step']}. {s['from']} {s['reads']} {s['to']}",
             f"{indent}   phase: {s['phase']}    legal basis: {basis}"]
    if s.get("condition"):
        lines.append(f"{indent}   when: {s['condition']}")
    if s.get("availability") is not None:
        lines.append(f"{indent}   availability: {s['availability']}")
    for n in s.get("notes", []):
        lines.append(f"{indent}   note: {n}")
    if s.get("excluded_because"):
        lines.append(f"{indent}   EXCLUDED: {s['excluded_because']}")
    for a in s.get("also", []):
        lines.append(f"{indent}   also: {a['from']} {a['reads']} {a['to']} ({a['link'].rsplit('/', 1)[-1]})")
    for src in s["sources"]:
        lines.append(f"{indent}   source: {src['document']}, {src['locator']}: \u201c{src['quote']}\u201d")
    return lines


def render_contact(result) -> str:
    """The answer of :func:`contact` as readable text."""
    q = result["query"]
    case = ", ".join(q["case"]) or "no case conditions given"
    out = [f"Who to contact from {q['from']} for {q['need_label']} ({q['need']})",
           f"case: {case}; time: {q['when'] or 'any'}; as of {q['as_of']}"
           + (f"; without: {', '.join(q['without'])}" if q["without"] else ""), "", result["ranking_rule"], ""]
    for a in result["answers"]:
        head = f"{a['rank']}. {a['actor']}  [{a['level']}, {a['kind']}]  {a['hops']} hop(s)"
        if a["tie_break_points"]:
            head += f", {a['tie_break_points']} tie-break point(s)"
        out.append(head)
        if a.get("note"):
            out.append(f"     {a['note']}")
        for s in a["path"]:
            out += _step_lines(s)
        out.append("")
    if not result["answers"]:
        out.append(f"No route from {q['from']} reaches an actor holding '{q['need']}' for this case.")
        np = result["no_path"] or {}
        holders = np.get("holders") or []
        if holders:
            out.append(f"Held by: {'; '.join(holders[:20])}" + (f"; and {len(holders) - 20} more" if len(holders) > 20 else ""))
        else:
            out.append("No actor in the graph holds this mandate.")
        if np.get("nearest"):
            out.append(f"Nearest actor that can reach one of them: {np['nearest']}, {np['relations_away']} relation(s) "
                       f"from you ({' - '.join(np['connection'])}); its route to {np['holder']}:")
            for s in np["route"]:
                out += _step_lines(s, "       ")
        elif holders:
            out.append(np.get("note", ""))
        out.append("")
    if result["excluded"]:
        out.append("Left out or pushed back by the case, the time of day or the date:")
        for e in result["excluded"]:
            now = f"now {e['hops_now']} hop(s)" if e["hops_now"] is not None else "now unreachable"
            out.append(f"  {e['actor']}: {e['hops_ignoring_case']} hop(s) ignoring them, {now}")
            for s in e["path"]:
                if s.get("excluded_because"):
                    out.append(f"     step {s['step']}: {s['from']} {s['reads']} {s['to']}: {s['excluded_because']}")
        out.append("")
    if len(result["answers"]) < result["reachable"]:
        out.append(f"{result['reachable'] - len(result['answers'])} more reachable holder(s) not shown (raise --top).")
    if result["excluded_count"] > len(result["excluded"]):
        out.append(f"{result['excluded_count'] - len(result['excluded'])} more excluded holder(s) not shown.")
    if result["answers"] and result["unreachable"]:
        names = result["unreachable"]
        out.append(f"Also hold the mandate, but no usable route: {'; '.join(names[:10])}"
                   + (f"; and {len(names) - 10} more" if len(names) > 10 else ""))
        out.append("")
    w = result.get("without")
    if w:
        out.append(f"Without {', '.join(w['removed'])}: {w['answers_now']} of {w['answers_before']} reachable.")
        for x in w["lost"]:
            out.append(f"  lost: {x['actor']} ({x['why']}; was {x['hops_before']} hop(s))")
        for x in w["longer"]:
            out.append(f"  longer: {x['actor']} ({x['hops_before']} -> {x['hops_now']} hops)")
        if not w["lost"] and not w["longer"]:
            out.append("  nothing is lost: every answer keeps a route as short as before.")
    return "\n".join(out).rstrip()
