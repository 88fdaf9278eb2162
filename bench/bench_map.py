"""Benchmark of ``coopmap map``: generation time, file size and time until the page is drawn and
responsive in headless Chromium, for the real graph and synthetic graphs of 200, 2,000 and 20,000 actors.

Run: ``python bench/bench_map.py`` (about two minutes; ``--sizes 200,2000`` for fewer). Writes
``bench/results/map.md``. Synthetic data comes from :mod:`graph.network.synthetic` (seed 1), compiled without
validation into a private cache; the real graph is compiled (and validated) like ``coopmap`` does.

Measured, for each graph:

- *compile + view*: compiling the Turtle and projecting the networkx view (done once, then cached);
- *generate*: ``graph.maps.page.make_map`` from the cached view to the written HTML file (median of runs);
- *ready*: from navigation start to the first drawing of the network (``performance.now()`` when
  vis-network fires ``afterDrawing``, physics being off, so the picture is final then);
- *interactive*: from navigation start until a task queued after the first drawing runs, i.e. the
  main thread is free to answer the user;
- *filter*: time for one in-page filter change (hide one level) to update the vis data sets;
- *search*: time to list the matches of a query typed in the search box (any label, any language).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure_page(browser, html, runs=3):
    from graph.maps.browser import open_map

    out = []
    for _ in range(runs):
        page, log = open_map(browser, html, 1280, 720, 1, timeout=300)
        t = page.evaluate("""() => new Promise(resolve => {
            const ready = window.coopmap.readyAt;
            setTimeout(() => resolve({ready, interactive: performance.now()}), 0); })""")
        t["drawn"] = page.evaluate("window.coopmap.nodes.length")
        t["filter"] = page.evaluate("""() => { const lv = window.coopmap.data.nodes.map(n => n.level || '');
            const levels = Array.from(new Set(lv)); const drop = levels[levels.length - 1];
            const t0 = performance.now(); window.coopmap.setFilter('level', levels.filter(l => l !== drop));
            return performance.now() - t0; }""")
        t["search"] = page.evaluate("""q => { const s = document.getElementById('search'); const t0 = performance.now();
            s.value = q; s.dispatchEvent(new Event('input'));
            if (!document.querySelectorAll('#search-results li[role=option]').length) throw new Error('no match for ' + q);
            return performance.now() - t0; }""", "synthetic police" if "syn-" in html.name else "pol")
        t["errors"] = len(log["console_errors"]) + len(log["page_errors"]) + len(log["blocked"])
        page.context.close()
        out.append(t)
    return {k: statistics.median(r[k] for r in out) for k in out[0]}


def run(sizes, runs, out_path):
    from graph.maps.browser import chromium
    from graph.kb.build import Project, build
    from graph.core.errors import ValidationError
    from graph.maps.page import make_map
    from graph.network.synthetic import generate
    from graph.network.view import load_view

    tmp = Path(tempfile.mkdtemp(prefix="coopmap-bench-map-"))
    cache = tmp / "cache"
    cases = [("real (Luxembourg)", Project(cache_root=cache), True)]
    for n in sizes:
        cases.append((f"synthetic {n:,}", Project(data_dir=generate(n, seed=1, out_dir=tmp / f"syn-{n}"), cache_root=cache), False))
    rows = []
    with chromium() as browser:
        version = browser.version
        for name, project, validate in cases:
            t0 = time.perf_counter()
            try:
                build(project, validate=validate)
            except ValidationError:  # the data is being edited: measure it anyway, and say so
                build(project, validate=False)
                name += " (not valid at the time)"
            G = load_view(project)
            prep = time.perf_counter() - t0
            html = tmp / f"{'real' if validate else 'syn-' + str(len(G))}.html"
            gen = []
            for _ in range(runs):
                t0 = time.perf_counter()
                r = make_map(project, output=html)
                gen.append(time.perf_counter() - t0)
            page = measure_page(browser, html, runs)
            rows.append({"graph": name, "actors": r["actors"], "links": r["links"], "strategy": r["strategy"],
                         "prep": prep, "generate": statistics.median(gen), "mb": r["bytes"] / 1e6, **page})
            print(rows[-1], flush=True)
    lines = [
        "# `coopmap map` benchmark", "",
        f"Run with `python bench/bench_map.py` on {time.strftime('%Y-%m-%d')}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, Chromium {version} (headless, 1280x720). "
        f"Medians of {runs} runs. Times in the browser are from navigation start. Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine slows every figure).", "",
        "| graph | actors | links drawn | strategy | compile + view (s) | generate (s) | file (MB) | ready (ms) "
        "| interactive (ms) | filter (ms) | search (ms) | nodes drawn at first | errors |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['graph']} | {r['actors']:,} | {r['links']:,} | {r['strategy']} | {r['prep']:.1f} | "
                     f"{r['generate']:.2f} | {r['mb']:.1f} | {r['ready']:.0f} | {r['interactive']:.0f} | "
                     f"{r['filter']:.0f} | {r['search']:.0f} | {r['drawn']:,} | {r['errors']} |")
    lines += ["", "Strategies (graph/maplayout.py): **full** up to 500 actors (seeded Fruchterman-Reingold "
              "per component, spread evenly, labels pushed apart, every actor drawn); **fast** up to 3,000 "
              "(actors grouped by level and country on sunflower spirals, every actor drawn, edges hidden while "
              "dragging); **clustered** above (one node per level/country group; a group's actors are shown on "
              "click). Physics is always off: positions come from Python, so the first drawing is the final picture. "
              "Maps of more than 50,000 actors are refused with advice to filter.", ""]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out_path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000,20000", help="synthetic sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "map.md")
    args = parser.parse_args(argv)
    run([int(s) for s in args.sizes.split(",") if s], args.runs, args.out)


if __name__ == "__main__":
    main()
