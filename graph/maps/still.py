"""Still images of a map without a browser: an SVG drawn from the page data (:func:`graph.maps.page.map_data`).

The SVG shows what a still PNG shows: the map alone, a compact legend, the title and a source line. It is
written from the computed positions, so the same data gives the same file; every text is escaped.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["render_svg"]

_W, _H = 1600, 1000


def _t(value, lang):
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or next(iter(value.values()), "")
    return value or ""


def _shape(shape, x, y, r, fill):
    style = f'fill="{fill}" stroke="#3d4651" stroke-width="1"'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    if shape in ("triangle", "triangleDown", "diamond", "star", "hexagon"):
        if shape == "triangle":
            pts = [(x, y - r), (x + r * 0.87, y + r / 2), (x - r * 0.87, y + r / 2)]
        elif shape == "triangleDown":
            pts = [(x, y + r), (x + r * 0.87, y - r / 2), (x - r * 0.87, y - r / 2)]
        elif shape == "diamond":
            pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        elif shape == "hexagon":
            pts = [(x + r * math.cos(math.pi / 3 * i), y + r * math.sin(math.pi / 3 * i)) for i in range(6)]
        else:
            pts = [(x + (r if i % 2 == 0 else r * 0.45) * math.sin(math.pi / 5 * i),
                    y - (r if i % 2 == 0 else r * 0.45) * math.cos(math.pi / 5 * i)) for i in range(10)]
        return '<polygon points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + f'" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def render_svg(data: dict, lang: str | None = None) -> str:
    """An SVG still of the map ``data``: actors, links by family (colour) and kind (line style), labels,
    title, a compact legend and a source line. Links of the kinds the page hides at first are left out."""
    lang = lang or data["meta"]["lang"]
    ui = data["ui"].get(lang) or data["ui"]["en"]
    nodes = [n for n in data["nodes"] if "x" in n]
    if not nodes:
        raise ValueError("a still needs actor positions (strategies full and fast)")
    hidden = set(data["meta"].get("hidden_kinds") or ())
    xs, ys = [n["x"] for n in nodes], [n["y"] for n in nodes]
    pad = 60
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad + 30
    # the map sits right of the legend column, under the title, above the source line
    area = (260, 50, _W - 20, _H - 40)
    s = min((area[2] - area[0]) / (x1 - x0), (area[3] - area[1]) / (y1 - y0))
    ox = area[0] + ((area[2] - area[0]) - (x1 - x0) * s) / 2
    oy = area[1] + ((area[3] - area[1]) - (y1 - y0) * s) / 2

    def P(x, y):
        return ox + (x - x0) * s, oy + (y - y0) * s

    by_id = {n["id"]: n for n in nodes}
    styles = data["link_styles"]
    colours = data["colours"][data["meta"]["colour_by"]]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" '
           'font-family="DejaVu Sans, Arial, sans-serif">', '<rect width="100%" height="100%" fill="#ffffff"/>', "<defs>"]
    for fam, colour in data["link_families"].items():
        out.append(f'<marker id="arrow-{fam}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
                   f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    out.append("</defs>")
    for e in data["edges"]:
        if e["kind"] in hidden or e["from"] not in by_id or e["to"] not in by_id:
            continue
        st = styles.get(e["kind"]) or {"family": "other", "colour": "#a0662d", "dash": False}
        a, b = by_id[e["from"]], by_id[e["to"]]
        (ax, ay), (bx, by) = P(a["x"], a["y"]), P(b["x"], b["y"])
        d = math.hypot(bx - ax, by - ay) or 1
        rb = b.get("size", 8) * s + 2
        bx2, by2 = bx - (bx - ax) / d * rb, by - (by - ay) / d * rb
        dash = f' stroke-dasharray="{",".join(str(x) for x in st["dash"])}"' if st["dash"] else ""
        arrow = "" if e.get("sym") else f' marker-end="url(#arrow-{st["family"]})"'
        out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx2:.1f}" y2="{by2:.1f}" stroke="{st["colour"]}" '
                   f'stroke-width="1.4" stroke-opacity="0.8"{dash}{arrow}/>')
    for n in nodes:
        x, y = P(n["x"], n["y"])
        r = max(3.0, n.get("size", 8) * s)
        key = n.get("kind") if data["meta"]["colour_by"] == "kind" else n.get("level")
        out.append(_shape(data["shapes"].get(n.get("kind"), "dot"), x, y, r, colours.get(key, "#9aa5b1")))
        label = escape(_t(n.get("short"), lang) or n.get("acr") or _t(n["labels"], lang))
        out.append(f'<text x="{x:.1f}" y="{y + r + 11:.1f}" font-size="11" text-anchor="middle" fill="#1d2430" '
                   f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{label}</text>')
    # title, compact legend, source line
    audience = data["meta"].get("audience") or "clear"
    mark = f"TLP:{audience.upper()} — " if audience != "clear" else ""  # FIRST's TLP 2.0: restricted output says so
    title = escape(mark + _t(data["meta"]["title"], lang))
    out.append(f'<text x="20" y="32" font-size="22" font-weight="bold" fill="#1d2430">{title}</text>')
    y = 70
    out.append(f'<text x="20" y="{y}" font-size="12" font-weight="bold" fill="#5b6675">{escape(ui["colour"])}</text>')
    scheme = "kind" if data["meta"]["colour_by"] == "kind" else "level"
    present = sorted({(n.get(scheme) or "") for n in nodes} - {""},
                     key=lambda v: (data["order"].get(scheme, {}).get(v, 99), v))
    for v in present:
        y += 18
        out.append(f'<circle cx="27" cy="{y - 4}" r="6" fill="{colours.get(v, "#9aa5b1")}" stroke="#3d4651"/>')
        name = escape(_t(data["schemes"][scheme].get(v, v), lang))
        out.append(f'<text x="40" y="{y}" font-size="12" fill="#1d2430">{name}</text>')
    y += 28
    out.append(f'<text x="20" y="{y}" font-size="12" font-weight="bold" fill="#5b6675">{escape(ui["link_families"])}</text>')
    used = {(styles.get(e["kind"]) or {}).get("family", "other") for e in data["edges"] if e["kind"] not in hidden}
    for fam, colour in data["link_families"].items():
        if fam not in used:
            continue
        y += 18
        out.append(f'<line x1="20" y1="{y - 4}" x2="36" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="40" y="{y}" font-size="12" fill="#1d2430">{escape(ui["family_" + fam])}</text>')
    docs = sorted({(data.get("documents") or {}).get(x["document"]) or x["document"] for x in data["sources"] if x["document"]})
    line = f'{ui["source_line"]}: ' + " · ".join(docs) + f' — {ui["made_with"]}'
    if len(line) > 260:
        line = line[:259] + "…"
    out.append(f'<text x="20" y="{_H - 12}" font-size="10" fill="#5b6675">{escape(line)}</text>')
    out.append("</svg>\n")
    return "\n".join(out)
