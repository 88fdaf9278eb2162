"""Render answers as a table, JSON or CSV: one place for every listing the CLI prints."""

from __future__ import annotations

import csv
import io
import json

__all__ = ["FORMATS", "render", "render_table"]

FORMATS = ("table", "json", "csv")


def _cell(value, width=None):
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = "; ".join(_cell(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, float):
        text = f"{value:.4g}"
    else:
        text = str(value)
    text = " ".join(text.split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def render_table(rows, columns=None, max_width=60) -> str:
    """Fixed-width text table of ``rows`` (dicts); long cells are cut with '…'.

    Examples
    --------
    >>> print(render_table([{"name": "ITM", "level": "national"}]))
    name  level
    ----  --------
    ITM   national
    """
    if not rows:
        return "(no rows)"
    columns = columns or list(rows[0])
    cells = [[_cell(r.get(c), max_width) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def render(rows, fmt="table", columns=None, meta=None) -> str:
    """``rows`` (a list of dicts) in ``fmt``: table, json (with ``meta`` beside the rows) or csv."""
    if fmt == "json":
        doc = {**(meta or {}), "rows": rows} if meta else rows
        return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        columns = columns or (list(rows[0]) if rows else [])
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue().rstrip("\n")
    return render_table(rows, columns)


def _source_lines(sources, indent="      "):
    return [f"{indent}source: {s['document']}, {s['locator']}: \u201c{s['quote']}\u201d" for s in sources]


def render_actor(rec) -> str:
    """One actor (from :func:`graph.network.describe.describe_actor`) as readable text, every fact with its sources."""
    out = [rec["name"] + (f"  [{', '.join(rec['acronyms'])}]" if rec["acronyms"] else ""), "=" * len(rec["name"])]
    other = {k: v for k, v in rec["labels"].items() if v != rec["name"]}
    if other:
        out.append("also: " + "; ".join(f"{v} ({k})" for k, v in sorted(other.items())))
    out.append(f"kind: {rec['kind']}    level: {rec['level']}" + (f"    country: {', '.join(rec['country'])}" if rec["country"] else ""))
    for label, key in (("part of", "parents"), ("units", "units"), ("mandates", "mandates"),
                       ("crime areas", "crime_areas"), ("referral phases", "phases")):
        if rec[key]:
            out.append(f"{label}: {', '.join(rec[key])}")
    if rec["since"]:
        out.append(f"since: {rec['since']}")
    out += [f"note: {c}" for c in rec["comment"]] + [f"vagueness: {v}" for v in rec["vagueness"]]
    out += _source_lines(rec["sources"], "  ")
    sections = [("Memberships", rec["memberships"], lambda m: f"{m['relation']} {m['actor']}" + (f" as {m['role']}" if m["role"] else "")
                 + (f", since {m['since']}" if m["since"] else "")),
                ("Links out", [l for l in rec["links"] if l["direction"] == "out"], None),
                ("Links in", [l for l in rec["links"] if l["direction"] == "in"], None),
                ("Instruments", rec["instruments"], lambda i: f"{i['relation']}: {i['title']}" + (f" ({i['date']})" if i["date"] else "")
                 + (f"; parties: {', '.join(i['parties'])}" if i["parties"] else "")),
                ("Availability", rec["availability"], lambda a: f"{a['hours']} ({a['status'] or 'status not stated'})"
                 + (f", since {a['since']}" if a["since"] else "") + (f", stated {a['stated_on']}" if a["stated_on"] else "")),
                ("Contact points", rec["contact_points"], lambda c: ", ".join(f"{k}: {v}" for k, v in c.items() if k not in ("iri", "sources", "stale"))
                 + ("  [STALE: not verified for over a year; check before use]" if c.get("stale") else "")),
                ("Figures", rec["figures"], lambda f: __import__("graph.render.facts", fromlist=["*"]).figure_line(f) + (f": {f['reading']}" if f["reading"] else "")),
                ("Activities", rec.get("activities", []), lambda a: __import__("graph.render.facts", fromlist=["*"]).activity_line(a))]  # (#18)
    for title, items, fmt in sections:
        if not items:
            continue
        out += ["", f"{title} ({len(items)})"]
        for it in items:
            if fmt is None:
                line = f"  {it['reads']} {it['actor']}"
                extra = [f"when: {it['condition']}" if it["condition"] else "",
                         f"applies when: {', '.join(it['applies_when'])}" if it["applies_when"] else "",
                         f"phase: {', '.join(it['phases'])}" if it["phases"] else "",
                         f"legal basis: {'; '.join(it['legal_basis'])}" if it["legal_basis"] else "",
                         f"availability: {', '.join(it['availability'])}" if it["availability"] else "",
                         f"status: {it['status']}" if it["status"] else "",
                         f"since {it['since']}" if it["since"] else "", f"until {it['until']}" if it["until"] else "",
                         f"stated {it['stated_on']}" if it["stated_on"] else ""]
                out.append(line)
                out += [f"      {e}" for e in extra if e]
            else:
                out.append("  " + fmt(it))
            out += _source_lines(it.get("sources", []))
    return "\n".join(out)
