"""Seeded layouts for maps: where each actor is drawn, computed once in Python so the page opens still.

The browser never runs a physics simulation: positions come from here, so the same data and seed give
the same picture, and a map of a few hundred actors is drawn at once. Three strategies, by size:

``full``
    Each connected component is laid out with a seeded Fruchterman-Reingold force layout and spread
    evenly over a disc (:func:`even_out`: hubs no longer crush their neighbours together), components
    are packed in rows, the whole is stretched to a 16:10 frame sized from the label boxes, then the
    boxes are pushed apart until no two overlap (:func:`remove_overlaps`).
``fast``
    Actors are grouped by level and country (:func:`cluster_layout`): a force layout places the groups,
    each group's actors sit on a sunflower spiral around its centre, best connected first. Linear in
    the number of actors; the page hides edges while dragging or zooming.
``clustered``
    The same grouped layout, but the page first shows one node per group, and a group's actors on demand.
"""

from __future__ import annotations

import math

__all__ = ["STRATEGIES", "choose_strategy", "short_label", "short_labels", "label_box", "layout", "even_out", "remove_overlaps",
           "cluster_layout", "sunflower"]

#: Upper bounds (number of actors) of the ``full`` and ``fast`` strategies; above: ``clustered`` (a labelled
#: overview of groups with their counts; ``fast``, every actor at once, is only drawn when asked for).
STRATEGIES = {"full": 500, "fast": 500}

#: Label font metrics in layout units (= screen pixels at zoom 1), for a 12 px sans-serif font; the page
#: wraps labels at ``MAX_LABEL_W`` (vis-network ``widthConstraint``).
CHAR_W, LINE_H, MAX_LABEL_W, FONT_SIZE = 7.6, 15.0, 100.0, 12
#: Acronyms up to this long label their node; otherwise the name, cut at ``MAX_LABEL_CHARS``.
MAX_ACRONYM, MAX_LABEL_CHARS = 12, 26


def short_label(name: str, acronym: str = "") -> str:
    """The text drawn on a node (the page applies the same rule in each language).

    Examples
    --------
    >>> short_label("Inspectorate of Labour and Mines", "ITM")
    'ITM'
    >>> short_label("Europol", "European Union Agency for Law Enforcement Cooperation")
    'Europol'
    >>> short_label("A very long name that goes on and on and on")
    'A very long name that goe…'
    """
    if acronym and len(acronym) <= MAX_ACRONYM:
        return acronym
    return name if len(name) <= MAX_LABEL_CHARS else name[:MAX_LABEL_CHARS - 1].rstrip() + "…"


#: Words that never tell two actors apart (dropped from short labels), in the three languages.
STOPWORDS = frozenset("""of the and for on in a an to with between at by responsible
de du des la le les et pour en aux au d l à chargé chargée
der die das und für von im in zur zum des den dem""".split())
#: Long head words shortened in short labels (the word that distinguishes the actor is kept whole).
ABBREVIATIONS = {"ministry": "Min.", "ministère": "Min.", "ministerium": "Min.", "department": "Dept.",
                 "directorate": "Dir.", "international": "Int.", "national": "Nat.", "organisation": "Org.",
                 "organization": "Org.", "government": "Gov.", "general": "Gen.", "european": "Eur.",
                 "luxembourg": "Lux.", "association": "Assoc.", "committee": "Cttee", "service": "Serv."}
#: A short label is at most this long (one or two lines under the node).
SHORT_CHARS = 26


def _words(name):
    import re

    out = []
    for w in re.findall(r"[\w'’.\-–/]+", name):
        if w.lower() in STOPWORDS or w in ("–", "-"):
            continue
        out.append(w)
    return out


def short_labels(names: dict, acronyms: dict | None = None, alts: dict | None = None, limit: int = SHORT_CHARS) -> dict:
    """The text drawn on each node: its acronym, else a name that fits and keeps the word telling it apart.

    ``names`` is ``{node: name}`` (one language), ``acronyms`` ``{node: acronym}``, ``alts`` ``{node: [other
    stored names]}``. In order: the acronym; the name if it has at most ``limit`` characters; the longest
    other stored name that fits and no other actor bears; else the name's words, head words shortened
    ("Min."), filled up to ``limit`` but always up to the first word that no other name shares at that
    place (so two "Ministry of Family Affairs, …" stay apart), the rest cut with "…".

    Examples
    --------
    >>> out = short_labels({1: "Ministry of Family Affairs, Integration and the Greater Region",
    ...                     2: "Ministry of Family Affairs, Solidarity, Living Together and Reception of Refugees",
    ...                     3: "Inspectorate of Labour and Mines", 4: "Europol", 5: "InfoTraite support service"},
    ...                    {3: "ITM"}, {5: ["InfoTraite"]})
    >>> out[1], out[2], out[3], out[4], out[5]
    ('Min. Family Affairs Integration…', 'Min. Family Affairs Solidarity…', 'ITM', 'Europol', 'InfoTraite support service')
    """
    acronyms, alts = acronyms or {}, alts or {}
    out, shared, words, folded, taken = {}, None, {}, None, None
    for n, name in names.items():
        acr = acronyms.get(n) or ""
        if acr and len(acr) <= MAX_ACRONYM:
            out[n] = acr
            continue
        if folded is None:  # what only long names without an acronym need: read once, when first needed
            words = {m: _words(x) for m, x in names.items()}
            folded = {m: [w.lower().strip(",.;:") for w in ws] for m, ws in words.items()}
            taken = {}
            for m, x in names.items():
                for a in [x, *alts.get(m, ())]:
                    taken.setdefault(a.casefold(), set()).add(m)
        if len(name) <= limit or not words[n]:
            out[n] = name if len(name) <= limit else name[:limit - 1].rstrip() + "…"
            continue
        fits = sorted((a for a in alts.get(n, ()) if 2 < len(a) <= limit and taken.get(a.casefold()) == {n}),
                      key=lambda a: (-len(a), a))
        if fits:
            out[n] = fits[0][:1].upper() + fits[0][1:]
            continue
        every = " ".join(ABBREVIATIONS.get(w.lower(), w) for w in words[n])
        if len(every) <= limit:  # every word fits once head words are shortened
            out[n] = every
            continue
        mine = folded[n]
        if shared is None:
            shared = _longest_shared_starts(folded)
        k = min(max(1, shared[n] + 1), len(mine))  # the first place where my words differ from every other name's
        ws = list(words[n])
        for i in range(len(ws)):  # shorten head words, never the distinguishing one
            if i != k - 1:
                ws[i] = ABBREVIATIONS.get(ws[i].lower(), ws[i])
        text = " ".join(ws[:k])
        if len(text) > limit + 6 and k > 2:  # too long: the head word, then the distinguishing word
            text = ws[0] + " … " + ws[k - 1]
        j = k
        while j < len(ws) and len(text) + 1 + len(ws[j]) <= limit:
            text += " " + ws[j]
            j += 1
        out[n] = text.rstrip(",;:") + ("…" if j < len(ws) else "")
    return out


def _longest_shared_starts(folded: dict) -> dict:
    """``{node: how many first words its name shares with the other name that shares the most}``, in
    O(n log n): in the names sorted by their words, the name sharing the longest start with one is a neighbour.

    >>> _longest_shared_starts({1: ["min", "family", "a"], 2: ["min", "family", "b"], 3: ["europol"]})
    {1: 2, 2: 2, 3: 0}
    """
    order = sorted(folded, key=lambda n: folded[n])
    out = {n: 0 for n in folded}

    def common(a, b):
        i, m = 0, min(len(a), len(b))
        while i < m and a[i] == b[i]:
            i += 1
        return i

    for x, y in zip(order, order[1:]):
        c = common(folded[x], folded[y])
        out[x], out[y] = max(out[x], c), max(out[y], c)
    return out


def _wrap(label: str):
    """Widths of the lines ``label`` wraps into at ``MAX_LABEL_W`` (greedy, by words)."""
    lines, cur = [], 0.0
    for word in label.split():
        w = len(word) * CHAR_W
        if cur and cur + CHAR_W + w > MAX_LABEL_W:
            lines.append(cur)
            cur = w
        else:
            cur = cur + CHAR_W + w if cur else w
    lines.append(cur)
    return lines


def choose_strategy(n_nodes: int) -> str:
    """``full``, ``fast`` or ``clustered`` for a graph of ``n_nodes`` actors.

    Examples
    --------
    >>> choose_strategy(150), choose_strategy(2000), choose_strategy(20000)
    ('full', 'clustered', 'clustered')
    """
    if n_nodes <= STRATEGIES["full"]:
        return "full"
    if n_nodes <= STRATEGIES["fast"]:
        return "fast"
    return "clustered"


def label_box(label: str, size: float) -> tuple[float, float]:
    """Half width and half height of a node of radius ``size`` with ``label`` wrapped beneath it.

    Examples
    --------
    >>> [round(x, 1) for x in label_box("ITM", 10)]
    [15.4, 22.0]
    """
    lines = _wrap(label)
    return max(max(lines), 2 * size) / 2 + 4, (2 * size + 5 + len(lines) * LINE_H) / 2 + 2


def _components_layout(U, seed):
    """Positions in [0, 1]-ish boxes for each component of the undirected graph ``U``, packed in rows."""
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    placed, boxes = {}, []
    for comp in comps:
        n = len(comp)
        if n == 1:
            pos = {comp[0]: (0.0, 0.0)}
        elif n == 2:
            pos = {comp[0]: (-0.5, 0.0), comp[1]: (0.5, 0.0)}
        else:
            H = U.subgraph(comp)
            pos = nx.spring_layout(H, pos=nx.circular_layout(sorted(H)), seed=seed, iterations=150,
                                   k=1.5 / math.sqrt(n), method="force")
            if n > 8:
                pos = even_out(pos)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        # scale so that a component's area grows with its number of nodes
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        side = math.sqrt(n) * 1.0
        f = side / span
        pos = {k: ((x - min(xs)) * f, (y - min(ys)) * f) for k, (x, y) in pos.items()}
        boxes.append((pos, (max(xs) - min(xs)) * f + 1.0, (max(ys) - min(ys)) * f + 1.0))
    # shelf packing: the biggest component first, the others in rows beneath it, as wide as it is
    total = sum(b[1] * b[2] for b in boxes)
    row_w = max(boxes[0][1], math.sqrt(total) * 1.3) if len(boxes[0][0]) < 0.5 * len(U) else boxes[0][1]
    x = y = row_h = 0.0
    for pos, w, h in boxes:
        if x > 0 and x + w > row_w:
            x, y, row_h = 0.0, y + row_h, 0.0
        for k, (px, py) in pos.items():
            placed[k] = (px + x, py + y)
        x += w
        row_h = max(row_h, h)
    return placed


def even_out(pos: dict) -> dict:
    """Spread a hub-and-spoke layout evenly over a disc, keeping each node's direction and radial order.

    A force layout packs the neighbours of a hub into a dense core and leaves the rim empty; giving the
    k-th nearest of n nodes to the centre the radius sqrt((k + 0.5) / n) makes the density uniform, so
    labels fit without pushing the core apart.

    Examples
    --------
    >>> out = even_out({"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.0, 1.0), "d": (-1.0, 0.0), "e": (0.0, -1.0)})
    >>> [round(math.hypot(*out[k]), 2) for k in "abcde"]
    [0.32, 0.55, 0.71, 0.84, 0.95]
    """
    keys = sorted(pos)
    n = len(keys)
    cx = sum(pos[k][0] for k in keys) / n
    cy = sum(pos[k][1] for k in keys) / n
    radius = {k: math.hypot(pos[k][0] - cx, pos[k][1] - cy) for k in keys}
    out = {}
    golden = math.pi * (3 - math.sqrt(5))
    for rank, k in enumerate(sorted(keys, key=lambda k: (radius[k], k))):
        r = math.sqrt((rank + 0.5) / n)
        if radius[k] > 1e-9:
            dx, dy = (pos[k][0] - cx) / radius[k], (pos[k][1] - cy) / radius[k]
        else:  # at the very centre: any direction, but a deterministic one
            dx, dy = math.cos(rank * golden), math.sin(rank * golden)
        out[k] = (dx * r, dy * r)
    return out


def remove_overlaps(pos: dict, boxes: dict, iterations: int = 500, prefer_x: float = 1.0) -> dict:
    """Push apart nodes whose boxes overlap, along the axis of least overlap; a new dict.

    Parameters
    ----------
    pos : dict
        ``{node: (x, y)}``.
    boxes : dict
        ``{node: (half_width, half_height)}`` (see :func:`label_box`).
    prefer_x : float
        Above 1, overlaps are resolved sideways more often than up and down (for a wide frame).

    Examples
    --------
    >>> out = remove_overlaps({"a": (0, 0), "b": (1, 0)}, {"a": (10, 10), "b": (10, 10)})
    >>> abs(out["a"][0] - out["b"][0]) >= 20
    True
    """
    import numpy as np

    keys = list(pos)
    if len(keys) < 2:
        return dict(pos)
    P = np.array([pos[k] for k in keys], dtype=float)
    B = np.array([boxes[k] for k in keys], dtype=float)
    idx = np.arange(len(keys))
    for _ in range(iterations):
        dx = P[:, None, 0] - P[None, :, 0]
        dy = P[:, None, 1] - P[None, :, 1]
        ox = B[:, None, 0] + B[None, :, 0] - np.abs(dx)
        oy = B[:, None, 1] + B[None, :, 1] - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        hit[idx, idx] = False
        if not hit.any():
            break
        # tie-break identical positions deterministically
        sx = np.where(dx == 0, np.sign(idx[:, None] - idx[None, :]), np.sign(dx))
        sy = np.where(dy == 0, np.sign(idx[:, None] - idx[None, :]), np.sign(dy))
        along_x = ox * (B[:, None, 1] + B[None, :, 1]) < prefer_x * oy * (B[:, None, 0] + B[None, :, 0])
        mx = np.where(hit & along_x, sx * (ox + 0.5), 0.0)  # + 0.5: end apart, not just touching
        my = np.where(hit & ~along_x, sy * (oy + 0.5), 0.0)
        cnt = np.sqrt(np.maximum(hit.sum(axis=1), 1))
        P[:, 0] += 0.5 * mx.sum(axis=1) / cnt
        P[:, 1] += 0.5 * my.sum(axis=1) / cnt
    return {k: (float(P[i, 0]), float(P[i, 1])) for i, k in enumerate(keys)}


def layout(G, boxes: dict, seed: int = 1, aspect: float = 1.6) -> dict:
    """Seeded positions ``{node: (x, y)}`` in screen units for the actors of ``G`` (unchanged).

    Parameters
    ----------
    G : networkx graph
        Directions and parallel edges are ignored.
    boxes : dict
        ``{node: (half_width, half_height)}`` of each node with its label.
    seed : int
        Seed of the force layout: the same graph and seed give the same positions.
    aspect : float
        Width / height of the frame the picture is fitted into.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(4)
    >>> boxes = {n: (20.0, 15.0) for n in G}
    >>> layout(G, boxes, seed=3) == layout(G, boxes, seed=3)
    True
    """
    import networkx as nx

    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    if not len(U):
        return {}
    raw = _components_layout(U, seed)
    # frame: total box area times a margin, with the requested aspect ratio
    area = sum(4 * w * h for w, h in boxes.values()) * 1.3
    height = math.sqrt(area / aspect)
    width = height * aspect
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    sx = width / ((max(xs) - min(xs)) or 1.0)
    sy = height / ((max(ys) - min(ys)) or 1.0)
    # stretch to the frame, but never more than twice as much one way as the other
    s = min(sx, sy)
    sx, sy = min(sx, 2 * s), min(sy, 2 * s)
    pos = {k: ((x - min(xs)) * sx, (y - min(ys)) * sy) for k, (x, y) in raw.items()}
    pos = remove_overlaps(pos, boxes)
    cx = sum(p[0] for p in pos.values()) / len(pos)
    cy = sum(p[1] for p in pos.values()) / len(pos)
    return {k: (round(x - cx, 1), round(y - cy, 1)) for k, (x, y) in pos.items()}


def sunflower(n: int, spacing: float = 40.0):
    """``n`` points on a Vogel (sunflower) spiral around (0, 0), about ``spacing`` apart.

    Examples
    --------
    >>> pts = sunflower(3)
    >>> len(pts), pts[0]
    (3, (0.0, 0.0))
    """
    golden = math.pi * (3 - math.sqrt(5))
    return [(round(spacing * math.sqrt(i) * math.cos(i * golden), 1),
             round(spacing * math.sqrt(i) * math.sin(i * golden), 1)) for i in range(n)]


def cluster_layout(G, key, seed: int = 1, spacing: float = 40.0):
    """Group the actors of ``G`` by ``key(node, data)`` and place the groups and their members.

    Returns
    -------
    groups : list of (group_key, [nodes])
        Sorted by size, largest first, then by key; members best connected first.
    centres : dict
        ``{group_key: (x, y)}``, the groups spread so that their members' spirals do not overlap.
    pos : dict
        ``{node: (x, y)}``: each member on a sunflower spiral around its group's centre.
    """
    import networkx as nx

    members = {}
    for n, d in G.nodes(data=True):
        members.setdefault(key(n, d), []).append(n)
    degree = dict(G.degree())
    groups = sorted(((k, sorted(v, key=lambda n: (-degree[n], n))) for k, v in members.items()),
                    key=lambda kv: (-len(kv[1]), str(kv[0])))
    of = {n: k for k, ns in groups for n in ns}
    Q = nx.Graph()
    Q.add_nodes_from(k for k, _ in groups)
    for u, v in G.edges():
        a, b = of[u], of[v]
        if a != b:
            Q.add_edge(a, b, weight=Q.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    radius = {k: spacing * math.sqrt(len(ns)) + spacing for k, ns in groups}
    boxes = {k: (r, r) for k, r in radius.items()}
    raw = nx.spring_layout(Q, seed=seed, iterations=60) if len(Q) > 1 else {groups[0][0]: (0.0, 0.0)}
    scale = math.sqrt(sum(4 * r * r for r in radius.values())) * 0.8
    centres = remove_overlaps({k: (float(x) * scale, float(y) * scale) for k, (x, y) in raw.items()}, boxes)
    pos = {}
    for k, ns in groups:
        cx, cy = centres[k]
        for n, (x, y) in zip(ns, sunflower(len(ns), spacing)):
            pos[n] = (round(cx + x, 1), round(cy + y, 1))
    return groups, {k: (round(x, 1), round(y, 1)) for k, (x, y) in centres.items()}, pos
