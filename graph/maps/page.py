"""Cooperation maps for trainers: one self-contained, offline HTML page per map.

:func:`map_data` turns a (filtered) networkx view into the plain data a page needs (positions computed
here, seeded; labels in English, French and German; sources), :func:`render_html` pours it into the
template in ``graph/templates/`` with vis-network inlined (read from the installed pyvis package), and
:func:`make_map` runs the whole way from a project to a file, as ``coopmap map`` does.

The page makes no request to any other host (a Content-Security-Policy forbids it), loads from
``file://``, and writes every text from the data as text, never as HTML. It holds only what the view
for its audience holds: the view drops every fact, attribute and source above the audience's TLP level,
and nothing else is read from the RDF graph but the labels of the concept schemes.
"""

from __future__ import annotations

import base64
import colorsys
import hashlib
import html
import json
import re
from pathlib import Path

from graph.core.errors import CoopmapError, NotFound
from graph.core.i18n import I18N
from graph.network.routing import actor_name

__all__ = ["SIZE_MEASURES", "COLOUR_BY", "MAX_ACTORS", "HIDDEN_KINDS", "vis_assets", "scheme_labels", "centrality",
           "map_data", "render_html", "narrow", "make_map",
           "link_styles", "LINK_FAMILIES", "documents_and_contacts", "I18N", "SCRIPT_MODULES", "page_script"]

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Node size measures (``--size-by``): the metrics of ``coopmap centrality`` (graph.network.analysis.METRICS), or none.
SIZE_MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "pagerank", "none")
COLOUR_BY = ("level", "kind")
#: Above this many actors a map is refused: filter first.
MAX_ACTORS = 50_000

LEVEL_ORDER = ("national", "regional", "eu", "international")
LEVEL_COLOURS = {"national": "#4e79a7", "regional": "#f28e2b", "eu": "#e5c027", "international": "#59a14f"}

#: Actor kinds grouped into families; a family has one shape and one hue.
FAMILIES = {
    "government": ("square", 215, ["state", "government", "ministry", "directorate", "foreign-authority"]),
    "enforcement": ("triangle", 0, ["police", "police-unit", "judicial-authority", "inspectorate"]),
    "services": ("dot", 140, ["public-agency", "support-service", "facility"]),
    "civil-society": ("hexagon", 280, ["ngo", "research-body", "human-rights-institution", "private-sector"]),
    "coordination": ("diamond", 30, ["coordination-body", "monitoring-body", "network", "joint-centre"]),
    "organisations": ("star", 185, ["eu-institution", "eu-agency", "agency-unit", "intergovernmental-organisation",
                                    "international-organisation"]),
    "funding": ("triangleDown", 55, ["funding-programme"]),
}
FAMILY_LABELS = I18N["family_labels"]
#: Edge kinds of the view that are not in the link-kind scheme (see graph.network.view.STRUCTURAL_KINDS).
STRUCTURAL_LABELS = I18N["structural_labels"]
#: Link kinds drawn only when ticked in the page (or asked for with ``--link-kind``): every national
#: institution -> its state would otherwise bury the map in lines to one node.
HIDDEN_KINDS = ("institution-of",)
#: Link families: one colour each; within a family the line style (and the hover text) tells kinds apart.
LINK_FAMILIES = {
    "referral": ("#c62828", ("notifies", "refers-victims-to", "signposts-to", "places-victims-with",
                             "reports-irregular-stay-to", "transmits-reports-to", "requests-mutual-legal-assistance-from")),
    "information": ("#1f6fb4", ("exchanges-information-with", "exchanges-information-via", "cooperates-with",
                                "partners-with", "coordinates", "assists", "represents")),
    "oversight": ("#7b4ea3", ("supervises", "evaluates", "recommends", "recognises", "implements")),
    "support": ("#2e8b57", ("funds", "trains")),
    "structure": ("#8d99a6", ("unit-of", "member-of", "party-to", "institution-of")),
    "other": ("#a0662d", ()),
}
#: Line styles within a family, in the family's order (vis-network ``dashes``).
DASHES = (False, [10, 5], [3, 4], [12, 4, 3, 4], [6, 3], [2, 7], [14, 3, 3, 3, 3, 3], [20, 6])
PATH_COLOUR = "#ff8f00"


def link_styles(kinds, referral=None) -> dict:
    """``{kind: {"family", "colour", "dash"}}`` for the link ``kinds``: an unknown referral kind joins the
    referral family, any other unknown kind the ``other`` family.

    Examples
    --------
    >>> s = link_styles(["notifies", "refers-victims-to", "trains", "new-kind"])
    >>> s["notifies"]["colour"] == s["refers-victims-to"]["colour"], s["notifies"]["dash"], s["new-kind"]["family"]
    (True, False, 'other')
    """
    referral = referral or {}
    out, used = {}, {}
    for k in sorted(kinds, key=lambda k: next((i for fam in LINK_FAMILIES.values() for i, x in enumerate(fam[1]) if x == k), 99)):
        fam = next((f for f, (_, ks) in LINK_FAMILIES.items() if k in ks), "referral" if referral.get(k) else "other")
        i = used.get(fam, 0)
        used[fam] = i + 1
        out[k] = {"family": fam, "colour": LINK_FAMILIES[fam][0], "dash": DASHES[i % len(DASHES)]}
    return dict(sorted(out.items()))


#: Scheme names in the page -> scheme slugs in ontology/schemes.ttl.
SCHEMES = {"kind": "actor-kind", "level": "level", "mandate": "mandate", "crime": "crime-area", "link": "link-kind",
           "phase": "phase", "condition": "case-condition", "availability": "availability", "status": "status",
           "role": "role"}
TITLES = I18N["titles"]
SIZE_LABELS = I18N["size_labels"]


# ---------------------------------------------------------------------------- assets and labels


def vis_assets() -> tuple[str, str]:
    """vis-network 9.1.2's JavaScript and CSS, read from the installed pyvis package (not imported)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise CoopmapError("Maps need the 'pyvis' package (for its copy of vis-network): pip install pyvis==0.3.2")
    lib = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError:
        raise CoopmapError(f"vis-network 9.1.2 not found in {lib}: reinstall pyvis==0.3.2.") from None
    if re.search(r"</script|<!--", js, re.I) or re.search(r"</style", css, re.I):
        raise CoopmapError(f"{lib} holds text that cannot be inlined in a page: reinstall pyvis==0.3.2.")
    return js, css


_Q_SCHEME_LABELS = """SELECT ?s ?n ?l WHERE { ?c skos:inScheme ?scheme ; skos:notation ?n ; skos:prefLabel ?l .
  BIND(STRAFTER(STR(?scheme), "https://w3id.org/coopmap/scheme/") AS ?s) FILTER(?s != "") }"""


def scheme_labels(project=None, store=None) -> dict:
    """``{scheme slug: {notation: {lang: label}}}`` for every concept scheme, cached beside the compiled graph
    (read from ``store`` instead, uncached, when one is given: a shared triple store's dataset)."""
    from graph.kb.store import open_store, select

    path = None
    if store is None:
        from graph.kb.build import compiled

        path = compiled(project) / "scheme-labels.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    from graph.core.files import atomic_write

    out = {}
    for r in select(store if store is not None else open_store(project), _Q_SCHEME_LABELS, lang=True):
        text, lang = r["l"] if isinstance(r["l"], tuple) else (r["l"], "en")
        out.setdefault(r["s"], {}).setdefault(r["n"], {})[lang] = text
    # the same order whether read from the store (query order) or from the cache: sorted, both times
    text = json.dumps(out, ensure_ascii=False, sort_keys=True)
    if path is not None:
        atomic_write(path, text)
    return json.loads(text)


# ---------------------------------------------------------------------------- measures


def centrality(G, by: str = "degree", as_of=None, network=None) -> dict:
    """``{node: score}`` of the measure ``by`` (one of :data:`SIZE_MEASURES`), for node sizes.

    The scores are :func:`graph.network.analysis.centrality`'s (the same as ``coopmap centrality``: ties in
    force on ``as_of``, parallel facts counted once, betweenness sampled on very large graphs);
    ``none`` gives every actor the same size. ``network`` is the referral network of ``G`` on ``as_of``
    (:func:`graph.network.analysis.centrality_graph`) when the caller already built it.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(link_kinds={"notifies": {"referral": True}})
    >>> G.add_edges_from([("a", "b", {"kind": "notifies"}), ("b", "c", {"kind": "notifies"})])
    [0, 0]
    >>> for n in G:
    ...     G.nodes[n].update(label=n)
    >>> centrality(G, "betweenness")["b"] > centrality(G, "betweenness")["a"]
    True
    """
    from graph.network.analysis import centrality as rank

    if by not in SIZE_MEASURES:
        raise CoopmapError(f"Unknown size measure '{by}'. Choose one of: {', '.join(SIZE_MEASURES)}.")
    if by == "none" or not len(G):
        return {n: 1 for n in G}
    scores = {n: 0.0 for n in G}
    scores.update((r["iri"], r["score"]) for r in rank(G, by, top=None, as_of=as_of, network=network)["rows"])
    return scores


# ---------------------------------------------------------------------------- colours


def _hsl(h, s, l):
    r, g, b = colorsys.hls_to_rgb(h / 360, l, s)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _kind_styles():
    shapes, families, colours = {}, {}, {}
    for fam, (shape, hue, kinds) in FAMILIES.items():
        for i, k in enumerate(kinds):
            shapes[k], families[k] = shape, fam
            colours[k] = _hsl(hue + 12 * i, 0.62, 0.42 + 0.32 * i / max(len(kinds) - 1, 1))
    return shapes, families, colours


# ---------------------------------------------------------------------------- page data


def _compact(rec, keep=()):
    """``rec`` without its empty values (the page reads a missing key as empty), except ``keep``."""
    return {k: v for k, v in rec.items() if k in keep or not (v is None or v is False or (not v and type(v) in _EMPTY_TYPES))}


_EMPTY_TYPES = (str, list, dict)


def _labels(G, iri):
    d = G.nodes[iri] if iri in G else None
    if not d:
        return None
    return dict(d.get("labels") or {}) or {"en": d.get("label") or iri.rsplit("/", 1)[-1]}


def _scheme_i18n(G, labels):
    out = {}
    for short, slug in SCHEMES.items():
        sch = {n: {"en": v.get("label") or n} for n, v in (G.graph.get("schemes", {}).get(slug) or {}).items()}
        for n, langs in (labels.get(slug) or {}).items():
            sch.setdefault(n, {}).update(langs)
        out[short] = sch
    for k, lab in STRUCTURAL_LABELS.items():
        out["link"][k] = dict(lab)
    for k, v in (G.graph.get("link_kinds") or {}).items():
        out["link"].setdefault(k, {"en": v.get("label") or k})
    return out


def map_data(G, labels=None, *, lang="en", colour_by="level", size_by="degree", path=None, tour=None,
             title=None, seed=1, strategy=None, start_tour=False, notice=None, hidden_kinds=HIDDEN_KINDS,
             as_of=None, focus=None, projector=False, documents=None, contacts=None) -> dict:
    """The data of a map page: actors with positions, links, legend, labels in three languages.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view (:func:`graph.network.view.load_view`), usually narrowed by :func:`graph.network.view.filter_view`; not
        changed. Every actor and every link in it is drawn (the view's mirror edges once).
    labels : dict, optional
        Scheme labels in every language (:func:`scheme_labels`); English from ``G.graph`` otherwise.
    lang : str
        Language the page opens in (``en``, ``fr``, ``de``); the page can switch.
    colour_by, size_by : str
        ``level`` or ``kind``; one of :data:`SIZE_MEASURES`.
    as_of : str, optional
        Date the node sizes are computed for (default today).
    focus : str, optional
        An actor IRI to mark (the centre of a ``--focus`` map).
    projector : bool
        Open in projector mode (no chrome, large labels on the most important actors).
    documents : dict, optional
        ``{document identifier: title}``, shown instead of identifiers.
    contacts : dict, optional
        ``{actor IRI: [how to reach it, as text]}`` for the directory and the panel.
    hidden_kinds : tuple of str
        Link kinds in the page but not ticked at first; the layout and node sizes ignore them.
    path : dict, optional
        ``{"nodes": [iri], "edges": [(u, v, key)]}`` to highlight.
    tour : dict, optional
        ``{"title": {lang: text}, "steps": [{"caption": {lang: text}, "nodes": [iri], "edges": [(u, v, key)]}]}``.
    strategy : str, optional
        ``full``, ``fast`` or ``clustered`` (see :mod:`graph.maps.layout`); by size when omitted.

    Returns
    -------
    dict
        JSON-ready; node ids are their index in IRI order, so the same graph gives the same data.
    """
    from graph.maps.layout import (FONT_SIZE, MAX_ACRONYM, MAX_LABEL_CHARS, MAX_LABEL_W, choose_strategy, cluster_layout,
                                   label_box, layout, short_labels)

    if colour_by not in COLOUR_BY:
        raise CoopmapError(f"Unknown colour scheme '{colour_by}'. Choose one of: {', '.join(COLOUR_BY)}.")
    if lang not in ("en", "fr", "de"):
        raise CoopmapError(f"Unknown language '{lang}'. Choose one of: en, fr, de.")
    strategy = strategy or choose_strategy(len(G))
    schemes = _scheme_i18n(G, labels or {})
    shapes, families, kind_colours = _kind_styles()
    order = sorted(G.nodes)
    ids = {n: i for i, n in enumerate(order)}
    notices = [notice] if notice else []
    import networkx as nx

    hidden = set(hidden_kinds or ())
    D = G
    if hidden:  # the graph the layout and sizes read: a plain graph, as views of views are slow to walk
        D = nx.MultiDiGraph(**G.graph)
        D.add_nodes_from(G.nodes(data=True))
        succ, pred = D._succ, D._pred  # filled directly, sharing G's (read-only) edge dicts: 10x faster
        for u, nbrs in G._succ.items():
            for v, kd in nbrs.items():
                kept = {k: d for k, d in kd.items() if d.get("kind") not in hidden}
                if kept:
                    succ[u][v] = pred[v][u] = kept
    from graph.network.analysis import centrality_graph

    network = centrality_graph(D, "all", as_of) if len(D) else None  # one referral network for both measures
    values = centrality(D, size_by, as_of=as_of, network=network)
    top = max(values.values(), default=0) or 1
    lo, hi = (7, 24) if strategy == "full" else (5, 16)
    sizes = {n: round(lo + (hi - lo) * (max(values.get(n, 0), 0) / top) ** 0.5, 1) for n in order}

    source_ids, source_list = {}, []

    def src(items):
        out = []
        for s in items or ():
            key = (s.get("document"), s.get("locator"), s.get("quote"))
            if key not in source_ids:
                source_ids[key] = len(source_list)
                source_list.append({"document": key[0], "locator": key[1], "quote": key[2]})
            out.append(source_ids[key])
        return out

    nodes = []
    for n in order:
        d = G.nodes[n]
        country = d.get("country")
        rec = {"id": ids[n], "iri": n, "labels": _labels(G, n), "acr": d.get("acronym") or "",
               "alt": list(d.get("alt_labels") or []), "kind": d.get("kind"), "level": d.get("level"),
               "country": _labels(G, country) if country else None,
               "parent": _labels(G, d["parent"]) if d.get("parent") else None,
               "mandates": list(d.get("mandates") or []), "crime": list(d.get("crime_areas") or []),
               "phases": list(d.get("phases") or []), "src": src(d.get("sources")), "size": sizes[n]}
        if d.get("access") not in (None, "clear"):
            rec["tlp"] = d["access"]
        if contacts and contacts.get(n):
            rec["reach"] = contacts[n]
        nodes.append(_compact(rec, keep=("id", "iri", "labels")))
    for lg in ("en", "fr", "de"):  # short labels per language, told apart among the actors of this map
        names = {r["id"]: r["labels"].get(lg) or r["labels"].get("en") or next(iter(r["labels"].values()))
                 for r in nodes}
        short = short_labels(names, {r["id"]: r.get("acr", "") for r in nodes},
                             {r["id"]: r.get("alt", []) for r in nodes})
        for r in nodes:
            r.setdefault("short", {})[lg] = short[r["id"]]
    # importance for projector labels: referral betweenness, then degree, then name
    btw = values if size_by == "betweenness" else centrality(D, "betweenness", as_of=as_of, network=network)
    # (placeholders last; ties broken by the number of referral steps, then of links)
    steps, deg = {n: 0 for n in order}, {n: 0 for n in order}
    structural = ("unit-of", "institution-of", "member-of", "party-to")
    for u, nbrs in D._succ.items():  # plain loops: a large map has 10^5 edges
        for v, kd in nbrs.items():
            deg[u] += len(kd)
            deg[v] += len(kd)
            for d in kd.values():
                if d.get("step", d.get("referral")) and d.get("kind") not in structural:
                    steps[u] += 1
                    steps[v] += 1
    ranked = sorted(order, key=lambda n: (bool(G.nodes[n].get("placeholder")), -round(btw.get(n, 0), 9),
                                          -steps.get(n, 0), -deg.get(n, 0), n))
    for i, n in enumerate(ranked):
        nodes[ids[n]]["imp"] = i

    # links: each drawn once (mirrors skipped); parallel links between the same two actors get curves
    edges, edge_ids, pairs = [], {}, {}
    stated = [(k, u, v, d) for u, nbrs in G._succ.items() for v, kd in nbrs.items() for k, d in kd.items()
              if not d.get("mirror")]
    stated.sort(key=lambda e: e[:3])
    for k, u, v, d in stated:
        eid = len(edges)
        edge_ids[(u, v, k)] = eid
        pairs.setdefault((min(u, v), max(u, v)), []).append(eid)
        # the record without its empty values (the page reads a missing key as empty), built directly: 10^5 links
        rec = {"id": eid, "iri": k, "from": ids[u], "to": ids[v], "kind": d.get("kind")}
        if d.get("symmetric"):
            rec["sym"] = True
        if d.get("referral"):
            rec["ref"] = True
        for key, attr in (("cond", "condition"), ("when", "applies_when"), ("phases", "phases")):
            value = d.get(attr)
            if value:
                rec[key] = list(value) if key != "cond" else value
        if d.get("legal_basis"):
            rec["basis"] = [b.get("title") or b.get("iri") for b in d["legal_basis"]]
        if d.get("availability"):
            hours = sorted({a.get("hours") for a in d["availability"] if a.get("hours")})
            if hours:
                rec["avail"] = hours
        for key in ("status", "start", "end"):
            if d.get(key):
                rec[key] = d[key]
        if d.get("sources"):
            rec["src"] = src(d["sources"])
        if d.get("role"):
            rec["role"] = d["role"]
        if d.get("vagueness"):
            rec["vague"] = d["vagueness"]
        if d.get("access") not in (None, "clear"):
            rec["tlp"] = d["access"]
        edges.append(rec)
    for (a, _b), group in pairs.items():
        if len(group) < 2:
            continue
        for j, eid in enumerate(group[1:], start=1):
            r = 0.18 * ((j + 1) // 2) * (1 if j % 2 else -1)
            e = edges[eid]
            edges[eid]["curve"] = r if order[e["from"]] == a else -r

    def edge_id(u, v, k):
        eid = edge_ids.get((u, v, k), edge_ids.get((v, u, k)))
        if eid is None:
            raise NotFound(f"The link {k} between {u} and {v} is not on this map.")
        return eid

    # positions
    clusters = None
    if strategy in ("fast", "clustered"):
        def key(n, d):
            return (d.get("level") or "", d.get("country") if d.get("level") == "national" else "")

        groups, centres, pos = cluster_layout(D, key, seed=seed)
        clusters = []
        index = {}
        for i, (gk, members) in enumerate(groups):
            level, country = gk
            lab = {}
            for lg in ("en", "fr", "de"):
                lv = (schemes["level"].get(level) or {}).get(lg) or level or "?"
                cn = (_labels(G, country) or {}) if country else {}
                lab[lg] = f"{cn.get(lg) or cn.get('en') or country.rsplit('/', 1)[-1]} · {lv}" if country else lv
            clusters.append({"id": i, "level": level, "label": lab, "x": centres[gk][0], "y": centres[gk][1],
                             "n": len(members)})
            for m in members:
                index[m] = i
        if strategy == "clustered":
            rank = {m: j for _, members in groups for j, m in enumerate(members)}
            for rec in nodes:
                rec["cl"] = index[rec["iri"]]
                rec["ci"] = rank[rec["iri"]]
        else:
            clusters = None
    else:
        boxes = {}
        for rec in nodes:
            boxes[rec["iri"]] = label_box(max(rec["short"].values(), key=len), rec["size"])
        pos = layout(D, boxes, seed=seed)
    for rec in nodes:
        rec["x"], rec["y"] = pos[rec["iri"]]

    referral = {k: bool(v.get("referral")) for k, v in (G.graph.get("link_kinds") or {}).items()}
    for e in edges:
        referral.setdefault(e["kind"], bool(e.get("ref")))
    link_kinds = sorted({e["kind"] for e in edges if e["kind"]} | set(schemes["link"]))
    styles = link_styles(link_kinds, referral)
    link_colours = {k: v["colour"] for k, v in styles.items()}
    phase_rank = {n: v.get("rank") for n, v in (G.graph.get("schemes", {}).get("phase") or {}).items()}

    path_data = None
    if path:
        path_data = {"nodes": [ids[n] for n in path["nodes"]], "edges": [edge_id(*e) for e in path["edges"]]}
    tour_data = None
    if tour:
        steps = []
        for s in tour["steps"]:  # a step draws what it highlights: the two ends of each of its links too
            es = sorted({edge_id(*e) for e in s.get("edges", ())})
            ns = {ids[n] for n in s.get("nodes", ()) if n in ids} | {x for e in es for x in (edges[e]["from"], edges[e]["to"])}
            step = {"caption": s.get("caption") or "", "nodes": sorted(ns), "edges": es}
            for extra in ("chapter", "source"):
                if s.get(extra):
                    step[extra] = s[extra]
            steps.append(step)
        tour_data = {"title": tour.get("title") or "", "steps": steps}

    if isinstance(title, str):
        title = {"en": title}
    size_label = SIZE_LABELS[size_by]
    return {
        "meta": {"title": title or dict(TITLES), "lang": lang, "colour_by": colour_by, "size_by": size_by,
                 "hidden_kinds": sorted(hidden & {e["kind"] for e in edges}),
                 "label": {"acronym": MAX_ACRONYM, "chars": MAX_LABEL_CHARS, "width": MAX_LABEL_W, "font": FONT_SIZE},
                 "size_label": size_label, "size_label_short": size_by, "strategy": strategy,
                 "audience": G.graph.get("audience", "clear"), "seed": seed, "focus": ids.get(focus),
                 "start_tour": bool(start_tour), "projector": bool(projector),
                 "notice": notices[0] if notices else None, "counts": {"actors": len(nodes), "links": len(edges)}},
        "schemes": schemes,
        "order": {"level": {k: i for i, k in enumerate(LEVEL_ORDER)},
                  "phase": {k: r for k, r in phase_rank.items() if r is not None}},
        "colours": {"level": dict(LEVEL_COLOURS), "kind": kind_colours, "link": link_colours, "path": PATH_COLOUR},
        "link_styles": styles, "link_families": {f: c for f, (c, _) in LINK_FAMILIES.items()},
        "documents": {d: (documents or {}).get(d) for d in sorted({x["document"] for x in source_list if x["document"]})
                      if (documents or {}).get(d)},
        "ui": I18N["ui"],
        "shapes": shapes, "families": families, "family_order": list(FAMILIES) + ["other"],
        "family_labels": FAMILY_LABELS, "referral": referral,
        "sources": source_list, "nodes": nodes, "edges": edges, "clusters": clusters,
        "path": path_data, "tour": tour_data,
    }


# ---------------------------------------------------------------------------- page


def _json_for_script(data) -> str:
    """JSON that cannot end the ``<script>`` element it sits in, whatever the data says.

    Examples
    --------
    >>> _json_for_script({"a": "</script><img src=x onerror=alert(1)>"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


#: The page's script, in modules joined in this order into one function scope at build time.
SCRIPT_MODULES = ("map-pure.js", "map-base.js", "map-draw.js", "map-panel.js", "map-view.js", "map-editor.js", "map-boot.js")


def page_script() -> str:
    """The page's one script: :data:`SCRIPT_MODULES` joined inside one strict-mode function."""
    parts = []
    for name in SCRIPT_MODULES:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        if re.search(r"</script", text, re.I):
            raise CoopmapError(f"{name} holds '</script': it cannot be inlined in a page.")
        parts.append(f"// ---- {name}\n" + text)
    return "(function () {\n'use strict';\n" + "\n".join(parts) + "\n})();\n"


def render_html(data: dict) -> str:
    """The map page for ``data`` (:func:`map_data`): one HTML document with everything inlined.

    Scripts run only if their hash is in the page's Content-Security-Policy, which also forbids every
    request to any other host: a stray ``<img onerror>`` could neither run nor load anything.
    """
    vis_js, vis_css = vis_assets()
    map_js = page_script()
    map_css = (TEMPLATES / "map.css").read_text(encoding="utf-8")
    page = (TEMPLATES / "map.html").read_text(encoding="utf-8")
    csp = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(map_js) +
           "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'")
    title = data["meta"]["title"]
    title = title if isinstance(title, str) else (title.get(data["meta"]["lang"]) or title.get("en") or "")
    parts = {"LANG": data["meta"]["lang"], "CSP": csp, "TITLE": html.escape(title), "VIS_CSS": vis_css,
             "MAP_CSS": map_css, "VIS_JS": vis_js, "MAP_JS": map_js, "DATA": _json_for_script(data)}
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], page)


# ---------------------------------------------------------------------------- from a project to a file


def _pick(G, scheme, values, option):
    """Notations for the user's ``values`` (notation or English label, any case) in ``scheme``."""
    if not values:
        return None
    from graph.kb.resolve import fold

    if scheme == "link-kind":
        choices = {k: v.get("label") or k for k, v in (G.graph.get("link_kinds") or {}).items()}
    else:
        choices = {k: v.get("label") or k for k, v in (G.graph.get("schemes", {}).get(scheme) or {}).items()}
    out = []
    for value in values:
        hit = [k for k, label in choices.items() if fold(value) in (fold(k), fold(label))]
        if not hit:
            raise CoopmapError(f"Unknown {option} '{value}'. Choose one of: {', '.join(sorted(choices))}.")
        out.append(hit[0])
    return out


def narrow(G, *, level=None, kind=None, mandate=None, crime_area=None, link_kind=None, as_of=None,
           focus=None, depth=1):
    """Filter ``G`` (unchanged) with :func:`graph.network.view.filter_view`, then keep ``depth`` hops around ``focus``.

    Filter values may be notations or English labels; several values of one filter are alternatives.
    The neighbourhood follows links in either direction, but not the kinds of :data:`HIDDEN_KINDS`
    unless ``link_kind`` asks for them (else every institution is two hops from every other, through
    its state).
    """
    import networkx as nx

    from graph.network.view import filter_view

    filters = dict(level=_pick(G, "level", level, "level"), kind=_pick(G, "actor-kind", kind, "kind"),
                   mandate=_pick(G, "mandate", mandate, "mandate"),
                   crime_area=_pick(G, "crime-area", crime_area, "crime area"),
                   link_kind=_pick(G, "link-kind", link_kind, "link kind"), as_of=as_of)
    H = filter_view(G, **filters) if any(v is not None for v in filters.values()) else G
    if focus is not None:
        if focus not in H:
            raise NotFound(f"{actor_name(G, focus)} is not on this map: the filters leave it out.")
        if depth < 0:
            raise CoopmapError(f"`depth` must be 0 or more, not {depth}.")
        F = H if link_kind else nx.subgraph_view(
            H, filter_edge=lambda u, v, k: H.edges[u, v, k].get("kind") not in HIDDEN_KINDS)
        H = H.subgraph(nx.ego_graph(F, focus, radius=depth, undirected=True)).copy()
    return H


_Q_DOCUMENTS = """SELECT ?id ?title WHERE { ?d a coop:SourceDocument ; dcterms:identifier ?id ; dcterms:title ?title .
  FILTER(lang(?title) = "en" || lang(?title) = "") $VIS_d }"""
_Q_CONTACTS = """SELECT ?a ?c ?p ?v WHERE { ?a schema:contactPoint ?c . ?c ?p ?v . $VIS_c $VIS_a
  FILTER(?p IN (schema:name, schema:contactType, schema:telephone, schema:email, schema:url, schema:address,
                coop:statedOn)) }"""
_CONTACT_ORDER = ("name", "contactType", "telephone", "email", "url", "address", "statedOn")


def documents_and_contacts(project=None, audience="clear", actors=(), store=None):
    """``({document identifier: title}, {actor IRI: [contact point as text]})`` for ``audience``.

    Only what ``audience`` may see; contact points of the ``actors`` only, each one line ("name: telephone ·
    e-mail · web · address (stated YYYY-MM)"), in a stable order. Without ``store``, the directory of every
    actor is cached per audience beside the compiled graph (``directory-<audience>.json``), like the scheme
    labels: a map of a large graph then does not load the whole dataset again.
    """
    from graph.core.access import check_audience

    check_audience(audience)  # it names a cache file
    path = None
    if store is None:
        from graph.kb.build import compiled

        path = compiled(project) / f"directory-{audience}.json"
    if path is not None and path.exists():
        docs, contacts = json.loads(path.read_text(encoding="utf-8"))
    else:
        docs, contacts = _directory(store, project, audience)
        if path is not None:
            from graph.core.files import atomic_write

            atomic_write(path, json.dumps([docs, contacts], ensure_ascii=False))
    keep = set(actors)
    return docs, {a: lines for a, lines in contacts.items() if a in keep}


def _directory(store, project, audience):
    """Document titles and contact lines of every actor, read from ``store`` (the compiled dataset when None)."""
    from graph.core.access import visible_filter
    from graph.kb.store import open_store, select

    store = store if store is not None else open_store(project)
    docs = {r["id"]: r["title"] for r in select(store, _Q_DOCUMENTS.replace("$VIS_d", visible_filter("d", audience)))}
    points = {}
    q = _Q_CONTACTS.replace("$VIS_c", visible_filter("c", audience)).replace("$VIS_a", visible_filter("a", audience))
    for r in select(store, q):
        points.setdefault(r["a"], {}).setdefault(r["c"], {}).setdefault(r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                                                                        set()).add(str(r["v"]))
    contacts = {}
    for a, cps in sorted(points.items()):
        lines = []
        for _c, props in sorted(cps.items()):
            def get(k, props=props):
                return ", ".join(sorted(props.get(k, ())))
            head = get("name") or get("contactType")
            body = " · ".join(x for x in (get("telephone"), get("email"), get("url"), get("address")) if x)
            line = (head + ": " if head and body else head) + body
            if get("statedOn"):
                line += f" ({get('statedOn')})"
            lines.append(line)
        contacts[a] = lines
    return dict(sorted(docs.items())), contacts


def _tour_pngs(png, n):
    """The image files of a tour of ``n`` steps: ``DIR/step-01.png``… or, for ``NAME.png``, ``NAME-01.png``…"""
    png = Path(png)
    if png.suffix.lower() == ".png":
        return [png.with_name(f"{png.stem}-{i:02d}.png") for i in range(1, n + 1)]
    return [png / f"step-{i:02d}.png" for i in range(1, n + 1)]


def make_map(project=None, *, output=None, png=None, svg=None, audience="clear", focus=None, depth=1, level=None,
             kind=None, mandate=None, crime_area=None, link_kind=None, as_of=None, path=None, size_by="degree",
             colour_by="level", lang="en", tour=None, title=None, seed=1, strategy=None, projector=False, G=None,
             store=None) -> dict:
    """Build a map from ``project`` and write it to ``output`` (HTML), ``png`` and/or ``svg``; what ``coopmap map`` does.

    ``focus`` and the two ends of ``path`` are actor names (any label, any language, or an acronym).
    ``tour`` is ``"path:A:B"``, ``"phases"`` or a tour file (see :mod:`graph.maps.tour`); without it the
    presentation walks the ``path`` if one is given, else the referral phases (maps of up to 500 actors).
    The images show the map alone (no toolbar), a compact legend, the title and a source line; with
    ``tour``, ``png`` gets one image per step (``png`` a folder: ``step-01.png``…; or ``NAME.png``:
    ``NAME-01.png``…). ``projector`` opens the page in projector mode. Files are written whole or not at all.

    Returns
    -------
    dict
        ``output``, ``png`` (a list of files with a tour), ``svg``, ``actors``, ``links``, ``strategy``, ``bytes``.

    Raises
    ------
    CoopmapError, NotFound
        On an unknown option value or name, a path that does not exist, or a graph too large to draw.
    """
    import tempfile

    from graph.core.files import atomic_write
    from graph.maps.layout import choose_strategy
    from graph.maps.tour import load_tour, path_tour, phase_tour, referral_path
    from graph.network.view import load_view, name_index

    if not output and not png and not svg:
        raise CoopmapError("Say where to write the map: `output` (an .html file), `png` and/or `svg`.")
    if G is None:  # the view and ``store`` are given together when the facts come from a shared triple store
        G = load_view(project, audience)
    index = []  # names of the actors this audience may see; built on first use (seconds on huge graphs)

    def resolve(name):
        if not index:
            index.append(name_index(G))
        return index[0].resolve(name)

    H = narrow(G, level=level, kind=kind, mandate=mandate, crime_area=crime_area, link_kind=link_kind, as_of=as_of,
               focus=resolve(focus) if focus else None, depth=depth)
    if not len(H):
        raise CoopmapError("No actor passes these filters: loosen `level`, `kind`, `mandate`, `crime_area` or `as_of`.")
    if len(H) > MAX_ACTORS:
        raise CoopmapError(f"{len(H):,} actors is too many for one map (at most {MAX_ACTORS:,}): narrow it with "
                           "`level`, `kind`, `mandate`, `crime_area`, or `focus` with `depth`.")
    hl = None
    if path:
        hl = referral_path(H, resolve(path[0]), resolve(path[1]), as_of=as_of)
    labels = scheme_labels(project, store=store)
    docs, contacts = documents_and_contacts(project, audience, H.nodes, store=store)
    if tour:
        tour_data = load_tour(tour, H, resolve, labels, as_of=as_of, documents=docs)
    elif hl:  # the highlighted path, hop by hop
        tour_data = path_tour(H, hl, labels, documents=docs)
    elif (strategy or choose_strategy(len(H))) == "full":  # the story of a case, when the data has phases
        try:
            tour_data = phase_tour(H, labels, documents=docs)
        except NotFound:
            tour_data = None
    else:
        tour_data = None
    data = map_data(H, labels, lang=lang, colour_by=colour_by, size_by=size_by, path=hl, tour=tour_data,
                    title=title or _auto_title(G, labels, level, kind, mandate, focus and resolve(focus)),
                    seed=seed, strategy=strategy, start_tour=False, hidden_kinds=() if link_kind else HIDDEN_KINDS,
                    as_of=as_of, focus=resolve(focus) if focus else None, projector=projector, documents=docs,
                    contacts=contacts)
    page = render_html(data)
    written = {"output": None, "png": None, "svg": None, "actors": len(data["nodes"]), "links": len(data["edges"]),
               "strategy": data["meta"]["strategy"], "bytes": len(page.encode("utf-8"))}
    if output:
        atomic_write(Path(output), page)
        written["output"] = str(output)
    if svg:
        from graph.maps.still import render_svg

        atomic_write(Path(svg), render_svg(data))
        written["svg"] = str(svg)
    if png:
        from graph.maps.browser import screenshot, screenshot_steps

        with tempfile.TemporaryDirectory(prefix="coopmap-map-") as d:
            html_file = Path(output) if output else Path(d) / "map.html"
            if not output:
                html_file.write_text(page, encoding="utf-8")
            if tour and tour_data:
                files = _tour_pngs(png, len(tour_data["steps"]))
                files[0].parent.mkdir(parents=True, exist_ok=True)
                screenshot_steps(html_file, files)
                written["png"] = [str(f) for f in files]
            else:
                screenshot(html_file, png)
                written["png"] = str(png)
    return written


def _auto_title(G, labels, level, kind, mandate, focus):
    out = {}
    for lg in ("en", "fr", "de"):
        bits = []
        for slug, values in (("level", level), ("actor-kind", kind), ("mandate", mandate)):
            for v in _pick(G, slug, values, slug) or ():
                bits.append((labels.get(slug, {}).get(v) or {}).get(lg) or v)
        if focus:
            lab = _labels(G, focus) or {}
            bits.insert(0, lab.get(lg) or lab.get("en") or focus)
        out[lg] = TITLES[lg] + (": " + ", ".join(bits) if bits else "")
    return out
