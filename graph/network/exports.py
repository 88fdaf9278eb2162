"""The networkx view in the interchange formats of network tools: GraphML, GEXF, node-link JSON and Kumu-style CSV.

Every format carries the same flat graph (:func:`flat_view`): one node per actor and one edge per fact
(the mirror of a symmetric fact is left out; ``symmetric`` says it reads both ways), with plain scalar
attributes (lists joined with ``|``, as Kumu reads multiple values). The caller narrows the view first
(``--as-of``, ``--audience``). Output is sorted and carries no timestamp, so the same data gives the same
bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

__all__ = ["NETWORK_FORMATS", "NODE_COLUMNS", "EDGE_COLUMNS", "SOURCE_COLUMNS", "SEP", "flat_view", "to_graphml",
           "to_gexf", "to_node_link", "csv_tables", "write_csv", "gexf_styles", "export_network"]

NETWORK_FORMATS = ("graphml", "gexf", "json", "csv")
#: Separator of multiple values in one cell or attribute (Kumu's).
SEP = "|"

#: (attribute of the flat graph, CSV header) for actors; ``id`` is the IRI. Kumu reads Label and Type.
NODE_COLUMNS = (("id", "ID"), ("label", "Label"), ("kind", "Type"), ("level", "Level"), ("acronym", "Acronym"),
                ("label_fr", "Label (fr)"), ("label_de", "Label (de)"), ("alt_labels", "Other names"),
                ("country", "Country"), ("parent", "Parent"), ("mandates", "Mandates"), ("crime_areas", "Crime areas"),
                ("phases", "Phases"), ("area", "Area"), ("placeholder", "Placeholder"), ("stands_for", "Stands for"),
                ("vagueness", "Vagueness"), ("access", "Access"), ("valid_from", "Valid from"), ("valid_to", "Valid to"))
#: (attribute, CSV header) for facts. Kumu reads From, To, Type and Direction.
EDGE_COLUMNS = (("id", "ID"), ("source", "From"), ("target", "To"), ("kind", "Type"), ("direction", "Direction"),
                ("kind_label", "Label"), ("origin", "Origin"), ("referral", "Referral"), ("status", "Status"),
                ("valid_from", "Valid from"), ("valid_to", "Valid to"), ("stated_on", "Stated on"),
                ("condition", "Condition"), ("applies_when", "Applies when"), ("independent_of", "Independent of"),
                ("phases", "Phases"), ("crime_areas", "Crime areas"), ("serves", "Serves"), ("area", "Area"),
                ("legal_basis", "Legal basis"), ("role", "Role"), ("vagueness", "Vagueness"), ("access", "Access"))
SOURCE_COLUMNS = ("ID", "Document", "Locator", "Quote")

_NODE_ATTRS = {"label", "kind", "level", "acronym", "country", "parent", "access", "stands_for", "vagueness"}
_LIST_ATTRS = {"alt_labels", "mandates", "crime_areas", "phases", "applies_when", "independent_of", "serves", "area"}


def _join(values):
    return SEP.join(str(v) for v in values)


def _put(rec, key, value):
    if value is None or value == "" or value == [] or value == ():
        return
    rec[key] = _join(value) if isinstance(value, (list, tuple)) else value


def flat_view(G):
    """The view ``G`` with scalar attributes only, no mirror edges, nodes and edges in sorted order.

    Node attributes are those of :data:`NODE_COLUMNS` (less ``id``); edge attributes those of
    :data:`EDGE_COLUMNS` (less ``id``, ``source``, ``target``; the edge key is the fact's IRI). Empty
    values are left out. ``direction`` is Kumu's: ``mutual`` for a symmetric fact, else ``directed``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", labels={"en": "A", "fr": "A-fr"}, mandates=["x", "y"], kind="police", start=None)
    >>> G.add_node("b", label="B", labels={"en": "B"}, kind="ngo")
    >>> _ = G.add_edge("a", "b", key="l", kind="exchanges-with", symmetric=True, mirror=False, legal_basis=[])
    >>> _ = G.add_edge("b", "a", key="l", kind="exchanges-with", symmetric=True, mirror=True)
    >>> H = flat_view(G)
    >>> H.nodes["a"]
    {'label': 'A', 'kind': 'police', 'label_fr': 'A-fr', 'mandates': 'x|y'}
    >>> list(H.edges(keys=True, data=True))
    [('a', 'b', 'l', {'kind': 'exchanges-with', 'direction': 'mutual'})]
    """
    import networkx as nx

    H = nx.MultiDiGraph()
    for n in sorted(G):
        d = G.nodes[n]
        rec = {}
        for attr, _ in NODE_COLUMNS[1:]:
            if attr in _NODE_ATTRS or attr in _LIST_ATTRS:
                _put(rec, attr, d.get(attr))
            elif attr.startswith("label_"):
                _put(rec, attr, (d.get("labels") or {}).get(attr[6:]))
            elif attr == "valid_from":
                _put(rec, attr, d.get("start"))
            elif attr == "valid_to":
                _put(rec, attr, d.get("end"))
            elif attr == "placeholder":
                if d.get("placeholder"):
                    rec[attr] = True
        H.add_node(n, **rec)
    edges = sorted(((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if not d.get("mirror")),
                   key=lambda e: (str(e[2]), e[0], e[1]))
    for u, v, k, d in edges:
        rec = {}
        for attr, _ in EDGE_COLUMNS[3:]:
            if attr == "direction":
                rec[attr] = "mutual" if d.get("symmetric") else "directed"
            elif attr == "legal_basis":
                _put(rec, attr, [b["iri"] for b in d.get("legal_basis") or ()])
            elif attr == "valid_from":
                _put(rec, attr, d.get("start"))
            elif attr == "valid_to":
                _put(rec, attr, d.get("end"))
            elif attr == "referral":
                if d.get("referral") is not None:
                    rec[attr] = bool(d["referral"])
            else:
                _put(rec, attr, d.get(attr))
        if "kind" not in d:
            rec.pop("direction", None)
        H.add_edge(u, v, key=k, **rec)
    return H


def to_graphml(H) -> bytes:
    """GraphML of a flat graph (read back with ``networkx.read_graphml(..., force_multigraph=True)``)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(H, buf, edge_id_from_attribute=None, named_key_ids=True)
    return buf.getvalue()


def _hex_rgb(colour):
    colour = colour.lstrip("#")
    return {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}


def to_gexf(H, colours=None, sizes=None) -> bytes:
    """GEXF 1.2 of a flat graph, with ``viz`` colours (``{node: "#rrggbb"}``) and sizes (``{node: float}``).

    The writer's date stamp is removed, so the bytes depend on the data only.
    """
    import networkx as nx

    G = H.copy()
    for n in G:
        viz = {}
        if colours and n in colours:
            viz["color"] = _hex_rgb(colours[n])
        if sizes and n in sizes:
            viz["size"] = float(sizes[n])
        if viz:
            G.nodes[n]["viz"] = viz
    buf = io.BytesIO()
    nx.write_gexf(G, buf, version="1.2draft")
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue())


def to_node_link(H) -> bytes:
    """networkx node-link JSON (``{"nodes": [...], "links": [...]}``) for d3; ``networkx.node_link_graph`` reads it."""
    import networkx as nx

    data = nx.node_link_data(H, edges="links")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _safe(value):
    """A cell a spreadsheet will not run as a formula: a leading ``= + - @`` gets a ``'`` (undone on import)."""
    text = "" if value is None else (("true" if value else "false") if isinstance(value, bool) else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_tables(G, H=None) -> dict:
    """``{"actors.csv": text, "links.csv": text, "sources.csv": text}``: Kumu's element/connection layout.

    ``sources.csv`` has one row per citation of an actor or fact (ID, Document, Locator, Quote).
    """
    H = H if H is not None else flat_view(G)
    out = {}
    rows = [[_safe(n if a == "id" else H.nodes[n].get(a)) for a, _ in NODE_COLUMNS] for n in H]
    out["actors.csv"] = _csv([h for _, h in NODE_COLUMNS], rows)
    rows = []
    for u, v, k, d in H.edges(keys=True, data=True):
        full = {"id": k, "source": u, "target": v, **d}
        rows.append([_safe(full.get(a)) for a, _ in EDGE_COLUMNS])
    out["links.csv"] = _csv([h for _, h in EDGE_COLUMNS], rows)
    cited = {}
    for n in H:
        for s in G.nodes[n].get("sources") or ():
            cited.setdefault(n, []).append(s)
    for u, v, k, d in G.edges(keys=True, data=True):
        if H.has_edge(u, v, key=k) and k not in cited:
            cited[k] = list(d.get("sources") or ())
    rows = []
    for iri in sorted(cited):
        seen = set()
        for s in cited[iri]:
            key = (s["document"], s["locator"], s["quote"])
            if key not in seen:
                seen.add(key)
                rows.append([iri, *(_safe(x) for x in key)])
    out["sources.csv"] = _csv(list(SOURCE_COLUMNS), rows)
    return out


def _csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_csv(tables: dict, target) -> Path:
    """Write :func:`csv_tables` into a folder, or into a zip when ``target`` ends in ``.zip``."""
    from graph.core.files import atomic_write

    target = Path(target)
    if target.suffix == ".zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name in sorted(tables):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, tables[name].encode("utf-8"))
        atomic_write(target, buf.getvalue())
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        atomic_write(target / name, text.encode("utf-8"))
    return target


def gexf_styles(G, level_colours: dict, as_of=None, lo: float = 4.0, hi: float = 30.0):
    """``(colours, sizes)`` for :func:`to_gexf`: colour by level (``level_colours``, the map's), size by degree.

    Sizes grow with the square root of the degree centrality of ``coopmap centrality`` (as on the map).
    """
    from graph.network.analysis import centrality

    scores = {n: 0.0 for n in G}
    if len(G):
        scores.update((r["iri"], r["score"]) for r in centrality(G, "degree", top=None, as_of=as_of)["rows"])
    top = max(scores.values(), default=0) or 1.0
    sizes = {n: round(lo + (hi - lo) * (max(s, 0) / top) ** 0.5, 1) for n, s in scores.items()}
    colours = {n: level_colours[d.get("level")] for n, d in G.nodes(data=True) if d.get("level") in level_colours}
    return colours, sizes


def export_network(G, fmt: str, colours=None, sizes=None):
    """The view ``G`` (already narrowed by date and audience) as bytes of ``fmt``, or CSV tables for ``csv``."""
    from graph.core.errors import CoopmapError

    if fmt not in NETWORK_FORMATS:
        raise CoopmapError(f"Unknown network format '{fmt}'. Choose one of: {', '.join(NETWORK_FORMATS)}.")
    H = flat_view(G)
    if fmt == "graphml":
        return to_graphml(H)
    if fmt == "gexf":
        return to_gexf(H, colours, sizes)
    if fmt == "json":
        return to_node_link(H)
    return csv_tables(G, H)
