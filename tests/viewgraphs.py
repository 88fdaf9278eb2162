"""Tiny hand-built graphs shaped like the networkx view (graph.network.view), for algorithm tests."""

import networkx as nx

LINK_KINDS = {
    "notifies": (False, True), "refers-victims-to": (False, True), "signposts-to": (False, True),
    "exchanges-information-with": (True, True), "exchanges-information-via": (False, True),
    "requests-mutual-legal-assistance-from": (False, True), "funds": (False, False), "partners-with": (True, False),
    "unit-of": (True, False), "institution-of": (False, False), "member-of": (False, False),
}
PHASES = {"prevention": 0, "identification": 1, "first-assistance": 2, "long-term-assistance": 3, "return": 4,
          "proceedings": 5}
MANDATES = ["victim-support", "investigation", "prosecution", "labour-inspection", "international-police-cooperation",
            "judicial-cooperation", "victim-identification", "policy-coordination"]


def view_graph(actors, links):
    """``actors``: {name: dict(level=, kind=, mandates=[], availability=[...], start=, end=)};
    ``links``: [(from, kind, to, dict(extra edge attributes, key=...))]. Symmetric kinds get a mirror.
    Steps serve no stated need unless ``serves=[...]`` is given (an empty list serves any need)."""
    G = nx.MultiDiGraph(audience="clear")
    G.graph["schemes"] = {"phase": {p: {"label": p, "rank": r} for p, r in PHASES.items()},
                          "mandate": {m: {"label": m.replace("-", " "), "rank": None} for m in MANDATES}}
    G.graph["link_kinds"] = {k: {"label": k, "reads": k, "inverse": k, "symmetric": s, "referral": r}
                             for k, (s, r) in LINK_KINDS.items()}
    for name, a in actors.items():
        G.add_node(name, label=name.upper(), labels={"en": name.upper()}, acronym="", alt_labels=[],
                   kind=a.get("kind", "police"), level=a.get("level", "national"), country=None,
                   mandates=sorted(a.get("mandates", [])), crime_areas=[], phases=[], area=a.get("area", []),
                   parent=a.get("parent"), access="clear", placeholder=a.get("placeholder", False),
                   stands_for=a.get("stands_for"), vagueness=None, contact_points=a.get("contact_points", []),
                   start=a.get("start"), end=a.get("end"), availability=a.get("availability", []), sources=[])
    for i, (u, kind, v, extra) in enumerate(links):
        sym, ref = LINK_KINDS[kind]
        extra = dict(extra)
        key = extra.pop("key", f"link{i}")
        d = {"origin": "link", "kind": kind, "kind_label": kind, "reads": kind.replace("-", " "), "symmetric": sym,
             "referral": ref, "step": ref, "mirror": False, "condition": None, "applies_when": [], "independent_of": [],
             "serves": [], "area": [], "vagueness": None,
             "phases": [], "crime_areas": [], "legal_basis": [], "availability": [], "status": None, "start": None,
             "end": None, "stated_on": None, "access": "clear",
             "sources": [{"document": "doc", "locator": f"p. {i}", "quote": f"quote {i}"}]}
        d.update(extra)
        G.add_edge(u, v, key=key, **d)
        if sym:
            G.add_edge(v, u, key=key, **{**d, "mirror": True})
    return G


def office_hours(status="in-force", start=None):
    return {"iri": f"avl-oh-{status}-{start}", "hours": "office-hours", "status": status, "start": start, "end": None,
            "stated_on": None, "sources": []}


def around_the_clock(status="in-force", start=None):
    return {"iri": f"avl-247-{status}-{start}", "hours": "24-7", "status": status, "start": start, "end": None,
            "stated_on": None, "sources": []}
