"""Who to contact: the actors holding a mandate, ranked by how a coordinator reaches them, step by step.

:func:`contact` is the one entry point; it returns a :class:`ContactAnswer` (typed, with ``to_dict()``
giving exactly the JSON the command prints) and :func:`render_contact` words it. Routes follow referral
steps only (see :mod:`graph.network.routing` for what a step is and how the case, the time of day, the
date and the region change it). Every answer says who, why (each step with its condition and legal
basis), how to reach them (a contact point, or that the sources give none) and one source; inferred or
vague steps carry their note. Each case option given is also tried without it: one that changed nothing
is said to have changed nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from graph.core.errors import CoopmapError
from graph.network.routing import (RANKING_RULE, actor_name, assess, can_relay,
                                   case_conditions, check_region, describe_step, is_step, phase_rank, search,
                                   search_routes)

__all__ = ["Step", "Answer", "ContactAnswer", "contact", "check_mandate", "render_contact", "contact_rows",
           "CONTACT_COLUMNS", "DEFAULT_TOP"]

#: How many answers are explained by default.
DEFAULT_TOP = 3


@dataclass
class Step:
    """One hop of a route: who hands what to whom, under which condition and law, with its sources."""

    step: int
    from_name: str
    from_iri: str
    to: str
    to_iri: str
    kind: str
    reads: str
    mode: str  # referral, internal, membership
    link: str
    phase: str
    legal_basis: list
    condition: str | None
    applies_when: list
    independent_of: list
    serves: list
    area: list
    vagueness: str | None
    status: str | None
    start: str | None
    end: str | None
    stated_on: str | None
    sources: list
    availability: str | None = None
    availability_evidence: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    planned: str | None = None
    role: str | None = None
    excluded_because: str | None = None
    also: list = field(default_factory=list)

    @property
    def inferred(self) -> bool:
        """True when the data marks this step as vague or inferred (``coop:vagueness``)."""
        return bool(self.vagueness)

    @classmethod
    def from_record(cls, number, rec, also=()):
        rec = dict(rec)
        rec["from_name"] = rec.pop("from")
        for k in ("origin", "mirror"):
            rec.pop(k, None)
        return cls(step=number, also=[Step.from_record(number, a) for a in also], **rec)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["from"] = d.pop("from_name")
        d["inferred"] = self.inferred
        d["also"] = [a.to_dict() for a in self.also]
        return d


@dataclass
class Answer:
    """One ranked answer: the actor holding the need and the route to it."""

    rank: int
    actor: str
    iri: str
    placeholder: bool
    level: str | None
    kind: str | None
    hops: int
    tie_break_points: int
    path: list  # of Step
    contact_points: list
    availability: list
    first_contact: dict | None = None  # on a route of several steps: whom you hand over to first

    @property
    def vague(self) -> bool:
        return any(s.inferred for s in self.path)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["path"] = [s.to_dict() for s in self.path]
        d["vague"] = self.vague
        return d


@dataclass
class ContactAnswer:
    """The whole answer of :func:`contact`."""

    query: dict
    ranking_rule: str
    asker_holds: bool
    reachable: int
    answers: list  # of Answer
    excluded: list
    excluded_count: int
    unreachable: list
    no_path: dict | None
    without: dict | None
    unchanged: list  # case options that changed nothing: [{"option", "value"}]

    def __getitem__(self, key):
        """Dict-style access to the JSON form (``result["reachable"]``), for callers of the former dict result."""
        return self.to_dict()[key]

    def text(self, explain: bool = False) -> str:
        """The answer as a coordinator reads it (:func:`render_contact`)."""
        return render_contact(self, explain=explain)

    def rows(self) -> list[dict]:
        """One row per step of every answer (what CSV holds)."""
        return contact_rows(self)

    def render(self, fmt: str = "table", explain: bool = False) -> str:
        """``table`` (text), ``json`` (:meth:`to_dict`) or ``csv`` (spreadsheet-safe cells)."""
        import json

        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)
        if fmt == "csv":
            from graph.render.text import render

            return render(self.rows(), "csv", CONTACT_COLUMNS)
        return self.text(explain=explain)

    def to_dict(self) -> dict:
        return {"query": self.query, "ranking_rule": self.ranking_rule, "asker_holds": self.asker_holds,
                "reachable": self.reachable, "answers": [a.to_dict() for a in self.answers],
                "excluded": [{**e, "path": [s.to_dict() for s in e["path"]]} for e in self.excluded],
                "excluded_count": self.excluded_count, "unreachable": self.unreachable,
                "no_path": None if self.no_path is None else {
                    **self.no_path, "route": [s.to_dict() for s in self.no_path.get("route", [])]},
                "without": self.without, "unchanged": self.unchanged}


def check_mandate(G, need: str) -> str:
    """The mandate notation ``need`` names (notation or English label, any case), else an error listing choices."""
    from graph.kb.resolve import fold

    choices = G.graph.get("schemes", {}).get("mandate", {})
    for notation, info in choices.items():
        if fold(need) in (fold(notation), fold(info.get("label") or "")):
            return notation
    raise CoopmapError(f"Unknown mandate '{need}'. Choose one of: {', '.join(sorted(choices))}.")


def _resolve(G, name):
    from graph.network.view import resolve_name

    if name in G:
        return name
    return resolve_name(G, name)


def _best_edge(G, u, v, mode, case, when, as_of, region, need=None):
    """The key and assessment of the edge that carries hop ``u -> v`` in ``mode``, and the other usable ones."""
    edges = sorted(G[u][v].items())
    if mode == "internal":
        k = next(k for k, d in edges if d.get("kind") == "unit-of")
        return k, None, []
    if mode == "membership":
        k = next(k for k, d in edges if d.get("kind") == "member-of")
        return k, None, []
    judged = [(a, k, d) for k, d in edges if is_step(d)
              for a in [assess(G, u, v, d, case, when, as_of, region=region)] if a["usable"]]
    serving = lambda j: need is None or need in (j[2].get("serves") or (need,))  # noqa: E731
    judged.sort(key=lambda j: (not serving(j), j[0]["points"], j[2].get("mirror", False), j[1]))
    (a, k, _), rest = judged[0], judged[1:]
    return k, a, [(k2, a2) for a2, k2, _ in rest]


def _steps(G, route, need, case, when, as_of, region):
    """Explain each hop of ``route`` (``(u, v, mode)`` triples)."""
    steps = []
    for i, (u, v, mode) in enumerate(route, 1):
        k, a, rest = _best_edge(G, u, v, mode, case, when, as_of, region, need if i == len(route) else None)
        rec = describe_step(G, u, v, k, a, as_of, mode=mode)
        also = [describe_step(G, u, v, k2, a2, as_of) for k2, a2 in rest]
        steps.append(Step.from_record(i, rec, also))
    return steps


def _excluded_steps(G, route, case, when, as_of, region, need):
    """Explain a route found without the case, hour, date and region, marking the steps they rule out."""
    steps = []
    for i, (u, v, mode) in enumerate(route, 1):
        if mode != "referral":
            k, a, _ = _best_edge(G, u, v, mode, case, when, as_of, region)
            dead = not (G.edges[u, v, k].get("start") is None and G.edges[u, v, k].get("end") is None) and \
                not assess(G, u, v, {**G.edges[u, v, k], "step": True}, as_of=as_of)["usable"]
            rec = describe_step(G, u, v, k, None, as_of, mode=mode)
            if dead:
                rec["excluded_because"] = "not in force on that date"
            steps.append(Step.from_record(i, rec))
            continue
        edges = [(k, d) for k, d in G[u][v].items() if is_step(d)
                 and (i < len(route) or need in (d.get("serves") or (need,)))]
        strict = {k: assess(G, u, v, d, case, when, as_of, region=region) for k, d in edges}
        loose = {k: assess(G, u, v, d, case, when, None, relaxed=True) for k, d in edges}
        k = sorted((k for k in loose if loose[k]["usable"]), key=lambda k: (not strict[k]["usable"], k))[0]
        steps.append(Step.from_record(i, describe_step(G, u, v, k, strict[k], as_of)))
    return steps


def _nearest(G, source, holders, case, when, as_of, removed, region, need):
    """When no holder is reachable: the actor closest to ``source`` (by any relation, either direction)
    that has a usable referral route to one of them, with that route and the relations leading to it."""
    succ, pred = G._succ, G._pred
    nxt = search(pred, holders, lambda v, u, edges: (v in holders or can_relay(G, v)) and any(
        is_step(d) and assess(G, u, v, d, case, when, as_of, region=region)["usable"] for d in edges.values()), removed)
    back, frontier, found = {source: None}, [source], None
    while frontier and found is None:
        new = []
        for u in frontier:
            for v in sorted(set(succ[u]) | set(pred[u])):
                if v in back or v in removed:
                    continue
                back[v] = u
                new.append(v)
        reachers = sorted((actor_name(G, n).casefold(), n) for n in new
                          if n in nxt and nxt[n] is not None and can_relay(G, n))
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
    hops = [(a, b, "referral") for a, b in zip(route, route[1:])]
    return {"nearest": actor_name(G, found), "nearest_iri": found, "relations_away": len(connection) - 1,
            "connection": [actor_name(G, x) for x in reversed(connection)], "holder": actor_name(G, route[-1]),
            "holder_iri": route[-1], "route": _steps(G, hops, need, case, when, as_of, region)}


def _rank(G, source, need, case, when, period, removed, region):
    """Every reachable holder but the asker as ``(placeholder, hops, points, phase rank, name, iri, route)``,
    best first (:data:`graph.network.routing.RANKING_RULE`)."""
    found = search_routes(G, source, need, case, when, period, removed, region)
    ranked = []
    for h, (hops, points, route) in found.items():
        if need not in (G.nodes[h].get("mandates") or ()):
            continue
        u, v, mode = route[-1]
        last = []
        if mode == "referral":
            k, _, _ = _best_edge(G, u, v, mode, case, when, period, region, need)
            last = G.edges[u, v, k].get("phases") or []
        ranked.append((region is not None and not _states_region(G, route, region),
                       bool(G.nodes[h].get("placeholder")), hops, points, phase_rank(G, last),
                       actor_name(G, h).casefold(), h, route))
    ranked.sort(key=lambda r: r[:6])
    return [r[1:] for r in ranked]


def _states_region(G, route, region):
    """Whether a step of ``route`` (or the actor it reaches) is stated to serve exactly ``region``."""
    for u, v, _mode in route:
        areas = set(G.nodes[v].get("area") or ())
        for d in G._adj[u][v].values():
            if is_step(d):
                areas.update(d.get("area") or ())
        if region in areas:
            return True
    return False


def _signature(ranked):
    return [(r[5], r[1], r[2], tuple(r[6])) for r in ranked]


def _holder_availability(G, h, period):
    """The availability statements of actor ``h``, each with whether it is in force and, if planned, how it reads."""
    from graph.core.periods import in_force
    from graph.network.routing import planned_note

    out = []
    for a in G.nodes[h].get("availability") or ():
        live = a.get("status") not in ("planned", "ended") and (
            (a.get("start") is None and a.get("end") is None) or in_force(a.get("start"), a.get("end"), period))
        out.append({"hours": a["hours"], "status": a.get("status") or "in-force", "in_force": live,
                    "start": a.get("start"), "end": a.get("end"), "stated_on": a.get("stated_on"),
                    "planned": planned_note(a, period), "vagueness": a.get("vagueness"),
                    "sources": a.get("sources") or []})
    return out


def contact(G, asker, need, *, victim=None, nationality=None, exploitation=None, cooperates=None, when=None,
            region=None, as_of=None, without=(), top=DEFAULT_TOP, case=frozenset()):
    """Rank the actors holding mandate ``need`` by how ``asker`` reaches them along referral steps.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The view (:func:`graph.network.view.load_view`); not changed.
    asker : str
        The actor asking: IRI or any name or acronym.
    need : str
        A mandate notation or label (``victim-support``, ``investigation``...).
    victim, nationality, exploitation, cooperates : str, optional
        The case (:data:`graph.network.routing.CASE_OPTIONS`): steps whose own conditions rule them out
        are not taken; unsettled conditions cost a tie-break point.
    when : {None, "office-hours", "night"}
        Time of day; at night office-hours-only steps are excluded.
    region : {None, "lu", "benelux", "greater-region", "eu", "non-eu"}
        Where the request goes: steps whose stated area does not cover it are excluded.
    as_of : str, optional
        Date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``); default today. Facts not in force then are ignored.
    without : iterable of str
        Actors (IRIs or names) to treat as unavailable: the answer says what is lost.
    top : int or None
        Explain only the first ``top`` answers and excluded holders (``reachable`` still counts all).
    case : frozenset of str
        Extra case-condition notations (added to those of the options).

    Returns
    -------
    ContactAnswer

    Raises
    ------
    NotFound
        When ``asker`` or an actor of ``without`` is not in the view.
    CoopmapError
        For an unknown need, region or case value, or when ``without`` names the asker.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("itm", label="ITM", mandates=[])
    >>> G.add_node("ngo", label="NGO", mandates=["victim-support"])
    >>> G.add_edge("itm", "ngo", key="l1", kind="refers-victims-to", reads="refers victims to", step=True,
    ...            applies_when=["child"], serves=["victim-support"], sources=[])
    'l1'
    >>> [a.actor for a in contact(G, "itm", "victim-support").answers]
    ['NGO']
    >>> contact(G, "itm", "victim-support", victim="adult").answers
    []
    """
    from graph.core.periods import parse_as_of, today

    if need not in G.graph.get("schemes", {}).get("mandate", {need: None}):
        need = check_mandate(G, need)
    check_region(region)
    if when not in (None, "office-hours", "night"):
        raise CoopmapError(f"Unknown when '{when}'. Choose one of: office-hours, night.")
    options = {"victim": victim, "nationality": nationality, "exploitation": exploitation, "cooperates": cooperates}
    full_case = case_conditions(**options, extra=case)
    source = _resolve(G, asker)
    removed_list = [_resolve(G, n) for n in without]
    removed = frozenset(removed_list)
    if source in removed:
        raise CoopmapError("`without` names the actor you are asking from; drop it from `without`.")
    as_of = as_of or today()
    period = parse_as_of(as_of)
    ranked = _rank(G, source, need, full_case, when, period, removed, region)
    answers = []
    for i, (_ph, hops, points, _phase, _name, h, route) in enumerate(ranked[:top] if top else ranked, 1):
        nd = G.nodes[h]
        answers.append(Answer(rank=i, actor=actor_name(G, h), iri=h, placeholder=bool(nd.get("placeholder")),
                              level=nd.get("level"), kind=nd.get("kind"), hops=hops, tie_break_points=points,
                              path=_steps(G, route, need, full_case, when, period, region),
                              contact_points=list(nd.get("contact_points") or []),
                              availability=_holder_availability(G, h, period),
                              first_contact=None if hops < 2 else {
                                  "actor": actor_name(G, route[0][1]), "iri": route[0][1],
                                  "contact_points": list(G.nodes[route[0][1]].get("contact_points") or [])}))
    mandates = G.graph.get("schemes", {}).get("mandate", {})
    holders = [n for n, d in G.nodes(data=True) if need in (d.get("mandates") or ()) and n not in removed
               and n != source]
    query = {"from": actor_name(G, source), "from_iri": source, "need": need,
             "need_label": mandates.get(need, {}).get("label", need), "case": sorted(full_case),
             "options": {k: v for k, v in {**options, "when": when, "region": region}.items() if v is not None},
             "when": when, "region": region, "as_of": as_of, "without": [actor_name(G, n) for n in removed_list]}

    # what the case, the hour, the date or the region excluded: routes that exist when they are ignored
    loose = search_routes(G, source, need, full_case, when, period, removed, region, relaxed=True)
    reached = {r[5]: r[1] for r in ranked}
    excluded = []
    for h in holders:
        if h in loose:
            hops, _pts, route = loose[h]
            if h not in reached or reached[h] > hops:
                excluded.append((hops, actor_name(G, h).casefold(), h, route))
    excluded.sort()
    excluded_out = [{"actor": actor_name(G, h), "iri": h, "hops_ignoring_case": hops, "hops_now": reached.get(h),
                     "path": _excluded_steps(G, route, full_case, when, period, region, need)}
                    for hops, _name, h, route in (excluded[:top] if top else excluded)]
    no_path = None
    if not ranked:
        no_path = {"holders": sorted(actor_name(G, h) for h in holders),
                   **_nearest(G, source, holders, full_case, when, period, removed, region, need)}
    without_out = None
    if removed:
        base = _rank(G, source, need, full_case, when, period, frozenset(), region)
        now = {r[5]: r for r in ranked}
        lost, longer = [], []
        for _ph, hops, points, _p, _n, h, _route in base:
            b = now.get(h)
            if b is None:
                why = "is itself unavailable" if h in removed else "no route left"
                lost.append({"actor": actor_name(G, h), "iri": h, "hops_before": hops, "why": why})
            elif (b[1], b[2]) > (hops, points):
                longer.append({"actor": actor_name(G, h), "iri": h, "hops_before": hops, "hops_now": b[1]})
        without_out = {"removed": [actor_name(G, n) for n in removed_list], "lost": lost, "longer": longer,
                       "answers_before": len(base), "answers_now": len(ranked)}
    # each case option given, tried without it: did it change anything?
    unchanged = []
    sig = _signature(ranked)
    for option, value in query["options"].items():
        kw = {**options, option: None} if option in options else dict(options)
        c = case_conditions(**kw, extra=case) if option in options else full_case
        w = None if option == "when" else when
        r = None if option == "region" else region
        if _signature(_rank(G, source, need, c, w, period, removed, r)) == sig:
            unchanged.append({"option": option, "value": value})
    return ContactAnswer(query=query, ranking_rule=RANKING_RULE,
                         asker_holds=need in (G.nodes[source].get("mandates") or ()), reachable=len(ranked),
                         answers=answers, excluded=excluded_out, excluded_count=len(excluded),
                         unreachable=sorted(actor_name(G, h) for h in holders if h not in reached), no_path=no_path,
                         without=without_out, unchanged=unchanged)


# ---------------------------------------------------------------- rendering

#: Columns of the CSV form: one row per step.
CONTACT_COLUMNS = ["rank", "target", "hops", "step", "from", "reads", "to", "mode", "phase", "legal_basis",
                   "condition", "availability", "vagueness", "notes", "link", "sources"]


def contact_rows(result):
    """One flat row per step of every ranked answer (for CSV)."""
    rows = []
    for a in result.answers:
        for s in a.path:
            rows.append({"rank": a.rank, "target": a.actor, "hops": a.hops, "step": s.step, "from": s.from_name,
                         "reads": s.reads, "to": s.to, "mode": s.mode, "phase": s.phase,
                         "legal_basis": [b["title"] for b in s.legal_basis], "condition": s.condition,
                         "availability": s.availability, "vagueness": s.vagueness, "notes": s.notes, "link": s.link,
                         "sources": [f"{x['document']}, {x['locator']}" for x in s.sources]})
    return rows


def _option_text(o):
    return f"{o['option']} {o['value']}"


def _reach(cps):
    if not cps:
        return "no contact point in the sources"
    out = []
    for c in cps[:2]:
        bits = [b for b in (c.get("telephone"), c.get("email"), c.get("url"), c.get("address")) if b]
        label = c.get("name") or c.get("type") or "contact point"
        out.append(f"{label}: {', '.join(bits) or 'no details'}" + (f" (stated {c['stated_on']})" if c.get("stated_on") else ""))
    return "; ".join(out)


def _availability_text(items):
    parts = []
    for a in sorted(items, key=lambda a: not a["in_force"]):
        hours = "24/7" if a["hours"] == "24-7" else a["hours"].replace("-", " ")
        when = f"stated {a['stated_on']}" if a.get("stated_on") else "date not stated"
        if a["in_force"]:
            parts.append(f"{hours} ({when})")
        elif a["status"] == "planned":
            parts.append(f"{hours} {a['planned'] or 'planned'} ({when})")
    return "; ".join(dict.fromkeys(parts))


def _why(s):
    bits = [s.phase] if s.phase and s.phase != "not stated" else []
    if s.mode == "internal":
        bits.append("internal (same organisation)")
    if s.role:
        bits.append(f"role: {s.role}")
    if s.condition:
        bits.append(f"when: {s.condition}")
    basis = "; ".join(b["title"] for b in s.legal_basis)
    bits.append(f"legal basis: {basis}" if basis else "legal basis not stated in the sources")
    return f"{s.from_name} {s.reads} {s.to} ({'; '.join(bits)})"


def _step_lines(s, indent="     "):
    basis = "; ".join(b["title"] for b in s.legal_basis) or "not stated in the sources"
    lines = [f"{indent}{s.step}. {s.from_name} {s.reads} {s.to}" + (" [internal (same organisation)]" if s.mode == "internal" else ""),
             f"{indent}   phase: {s.phase}    legal basis: {basis}"]
    if s.condition:
        lines.append(f"{indent}   when: {s.condition}")
    if s.serves:
        lines.append(f"{indent}   serves: {', '.join(s.serves)}" + (f"; area: {', '.join(s.area)}" if s.area else ""))
    if s.availability is not None:
        lines.append(f"{indent}   availability: {s.availability}")
    for n in s.notes:
        if n != "internal (same organisation)":
            lines.append(f"{indent}   note: {n}")
    if s.vagueness:
        lines.append(f"{indent}   inferred: {s.vagueness}")
    if s.planned:
        lines.append(f"{indent}   {s.planned}")
    if s.excluded_because:
        lines.append(f"{indent}   EXCLUDED: {s.excluded_because}")
    for a in s.also:
        lines.append(f"{indent}   also: {a.from_name} {a.reads} {a.to} ({a.link.rsplit('/', 1)[-1]})")
    for src in s.sources:
        lines.append(f"{indent}   source: {src['document']}, {src['locator']}: \u201c{src['quote']}\u201d")
    return lines


def _header(result):
    q = result.query
    opts = ", ".join(f"{k} {v}" for k, v in q["options"].items()) or "no case options"
    return (f"Who to contact from {q['from']} for {q['need_label']} ({q['need']}): {opts}; as of {q['as_of']}"
            + (f"; without {', '.join(q['without'])}" if q["without"] else ""))


def _answer_block(a):
    where = ", ".join(x for x in (a.level, a.kind) if x)
    lines = [f"{a.rank}. {a.actor}  [{where}]  {a.hops} step(s)" + (" (unnamed in the sources)" if a.placeholder else "")]
    for s in a.path:
        lines.append(f"   {'why' if s.step == 1 else 'then'}: {_why(s)}")
        if s.vagueness:
            lines.append(f"        inferred: {s.vagueness}")
        for n in s.notes:
            if n.startswith(("applies only if", "availability at night")):
                lines.append(f"        note: {n}")
    if a.first_contact:
        lines.append(f"   first contact: {a.first_contact['actor']}: {_reach(a.first_contact['contact_points'])}")
    lines.append(f"   reach: {_reach(a.contact_points)}")
    av = _availability_text(a.availability)
    if av:
        lines.append(f"   available: {av}")
    last = a.path[-1] if a.path else None
    if last and last.sources:
        src = last.sources[0]
        lines.append(f"   source: {src['document']}, {src['locator']}")
    return lines


def render_contact(result, explain=False) -> str:
    """The answer of :func:`contact` as text: one short block per answer (the first in the first five
    lines), or with ``explain`` every step in full, all sources and the ranking rule."""
    q = result.query
    out = [_header(result)]
    if result.asker_holds:
        out.append(f"You ({q['from']}) hold this mandate yourself; the answers below are the others who hold it.")
    if explain:
        out += ["", result.ranking_rule, ""]
    for a in result.answers:
        if explain:
            where = ", ".join(x for x in (a.level, a.kind) if x)
            out.append(f"{a.rank}. {a.actor}  [{where}]  {a.hops} step(s), {a.tie_break_points} tie-break point(s)")
            for s in a.path:
                out += _step_lines(s)
            out.append(f"     reach: {_reach(a.contact_points)}")
            for c in a.contact_points:
                for src in c.get("sources") or []:
                    out.append(f"        source: {src['document']}, {src['locator']}: \u201c{src['quote']}\u201d")
            av = _availability_text(a.availability)
            if av:
                out.append(f"     available: {av}")
            for item in a.availability:
                if item.get("vagueness"):
                    out.append(f"        inferred: {item['vagueness']}")
        else:
            out += _answer_block(a)
        out.append("")
    if not result.answers:
        out.append(f"No route from {q['from']} reaches another actor holding '{q['need']}' for this case.")
        np = result.no_path or {}
        holders = np.get("holders") or []
        if holders:
            out.append(f"Held by: {'; '.join(holders[:20])}" + (f"; and {len(holders) - 20} more" if len(holders) > 20 else ""))
        else:
            out.append("No other actor in the graph holds this mandate.")
        if np.get("nearest"):
            out.append(f"Nearest actor that can reach one of them: {np['nearest']}, {np['relations_away']} relation(s) "
                       f"from you ({' - '.join(np['connection'])}); its route to {np['holder']}:")
            for s in np["route"]:
                out += _step_lines(s, "       ")
        elif holders:
            out.append(np.get("note", ""))
        out.append("")
    for o in result.unchanged:
        out.append(f"{_option_text(o)} changed nothing: the answers are the same without it.")
    if len(result.answers) < result.reachable:
        out.append(f"{result.reachable - len(result.answers)} more reachable holder(s) not shown.")
    if result.excluded:
        out.append("Left out or pushed back by the case, the time of day, the date or the region:")
        for e in result.excluded:
            now = f"now {e['hops_now']} step(s)" if e["hops_now"] is not None else "now unreachable"
            why = "; ".join(f"step {s.step}, {s.from_name} {s.reads} {s.to}: {s.excluded_because}"
                            + "".join(f"; {n}" for n in s.notes if n.startswith("planned, not in force"))
                            for s in e["path"] if s.excluded_because)
            out.append(f"  {e['actor']}: {e['hops_ignoring_case']} step(s) ignoring them, {now}" + (f" ({why})" if why else ""))
        if result.excluded_count > len(result.excluded):
            out.append(f"  {result.excluded_count - len(result.excluded)} more not shown.")
    if explain and result.answers and result.unreachable:
        names = result.unreachable
        out.append(f"Also hold the mandate, but no usable route: {'; '.join(names[:10])}"
                   + (f"; and {len(names) - 10} more" if len(names) > 10 else ""))
    w = result.without
    if w:
        out.append(f"Without {', '.join(w['removed'])}: {w['answers_now']} of {w['answers_before']} reachable.")
        for x in w["lost"]:
            out.append(f"  lost: {x['actor']} ({x['why']}; was {x['hops_before']} step(s))")
        for x in w["longer"]:
            out.append(f"  longer: {x['actor']} ({x['hops_before']} -> {x['hops_now']} steps)")
        if not w["lost"] and not w["longer"]:
            out.append("  nothing is lost: every answer keeps a route as short as before.")
    return "\n".join(out).rstrip()
