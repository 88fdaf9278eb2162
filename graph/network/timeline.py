"""What changed between two dates: actors, ties and availability statements that appeared or ended."""

from __future__ import annotations

from graph.core.errors import CoopmapError
from graph.network.routing import actor_name, is_step, planned_note

__all__ = ["diff", "DIFF_COLUMNS", "render_diff"]

DIFF_COLUMNS = ["change", "what", "subject", "start", "end", "status", "step", "iri", "sources"]


def _live(item, period):
    from graph.core.periods import in_force

    return in_force(item.get("start"), item.get("end"), period)


def diff(G, date_from, date_to):
    """The facts in force on one date and not the other, by validity dates (``start``/``end``).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The whole view (not filtered by date); not changed.
    date_from, date_to : str
        Dates (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), read as periods (:mod:`graph.core.periods`).

    Returns
    -------
    list of dict
        ``change`` (``appeared`` or ``ended``), ``what`` (``actor``, the edge's kind, or
        ``availability``), ``subject`` (a sentence), ``start``, ``end``, ``status`` (a fact that appears
        but is only *planned* says so, and whether its window has passed), ``step`` (a referral step of the
        network ``contact`` follows), ``iri`` and ``sources``. Facts without dates never change.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", availability=[{"iri": "av1", "hours": "24-7", "status": "in-force",
    ...            "start": "2024-03", "end": None, "sources": []}])
    >>> [(r["change"], r["subject"]) for r in diff(G, "2023", "2024-06")]
    [('appeared', 'A: reachable 24-7')]
    """
    from graph.core.periods import parse_as_of

    a, b = parse_as_of(date_from), parse_as_of(date_to)
    if a[0] > b[1]:
        raise CoopmapError(f"--from {date_from} is after --to {date_to}: swap them.")
    out = []

    def check(item, what, subject, iri, sources, step=False):
        if item.get("start") is None and item.get("end") is None:
            return
        before, after = _live(item, a), _live(item, b)
        if before != after:
            status = item.get("status")
            if status == "planned":
                status = planned_note(item, b)
            out.append({"change": "appeared" if after else "ended", "what": what, "subject": subject,
                        "start": item.get("start"), "end": item.get("end"), "status": status, "step": step,
                        "iri": iri, "sources": sources or []})

    for n, d in G.nodes(data=True):
        check(d, "actor", actor_name(G, n), n, d.get("sources"))
        for av in d.get("availability") or ():
            check(av, "availability", f"{actor_name(G, n)}: reachable {av['hours']}", av.get("iri"), av.get("sources"))
    seen = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("mirror") or (k, d.get("kind")) in seen:
            continue
        if d.get("origin") == "agreement":
            seen.add((k, d.get("kind")))
            subject = f"{d['instrument']['title']} (parties: {actor_name(G, u)} and others)"
        else:
            subject = f"{actor_name(G, u)} {d.get('reads')} {actor_name(G, v)}"
        if d.get("origin") == "structure":
            continue  # a unit's dates are its actor's: reported once, as the actor
        check(d, d.get("kind"), subject, k, d.get("sources"), is_step(d))
        for av in d.get("availability") or ():
            check(av, "availability", f"{subject}: {av['hours']}", av.get("iri"), av.get("sources"))
    out.sort(key=lambda r: (r["change"], str(r["start"] or r["end"]), r["subject"].casefold()))
    return out


def render_diff(rows, date_from, date_to) -> str:
    """The changes as text: what appeared, then what ended."""
    if not rows:
        return f"Nothing with dates appeared or ended between {date_from} and {date_to}."
    out = [f"Changes between {date_from} and {date_to} (by the validity dates the sources give)"]
    for change in ("appeared", "ended"):
        items = [r for r in rows if r["change"] == change]
        if not items:
            continue
        out += ["", f"{change} ({len(items)})"]
        for r in items:
            when = f"since {r['start']}" if change == "appeared" else f"until {r['end']}"
            status = f"; status: {r['status']}" if r["status"] and r["status"] != "in-force" else ""
            out.append(f"  [{r['what']}] {r['subject']} ({when}{status})")
            for s in r["sources"][:2]:
                out.append(f"     source: {s['document']}, {s['locator']}: \u201c{s['quote']}\u201d")
    return "\n".join(out)
