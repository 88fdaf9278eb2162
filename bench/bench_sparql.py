"""Benchmark coopmap's SPARQL pipeline (checked, in a sandboxed forked child) against raw pyoxigraph, query by query.

The whole-process figures and the budgets of issue 15 are in ``python -m bench sparql``; this script
gives the per-query detail.

1. Every catalogue query on the real data, once loaded: the first run (the query text is parsed and
   checked for the first time) and the median of the next runs. Target: well under 100 ms.
2. Every catalogue query on a synthetic graph of 20,000 actors (:mod:`graph.network.synthetic`), without
   inference: the pipeline's median against raw pyoxigraph's median on the same query, over the same
   file, measured in the same run, interleaved. Target: within 3x.

Both sides keep the same row cap (10,000 rows) and read every term of every row they keep.

Run:  python bench/bench_sparql.py [--actors 20000] [--repeat 7] [--out bench/results/sparql.md]
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

LIMIT = 10_000


def _raw(store, text, prefixes):
    """Raw pyoxigraph: run, then read every term of up to LIMIT rows (or triples)."""
    import pyoxigraph as ox

    answer = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return 1
    out = []
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        for sol in answer:
            if len(out) >= LIMIT:
                break
            out.append([sol[n] for n in names])
    else:
        for t in answer:
            if len(out) >= LIMIT:
                break
            out.append((t.subject, t.predicate, t.object))
    return len(out)


#: For the synthetic graph: which synthetic actor stands in for each real actor a catalogue query names
#: (found by a raw query on the synthetic store), so that those queries do comparable work there.
STAND_INS = {
    "lu-itm": """SELECT ?a WHERE { ?l coop:linkKind lk:notifies ; coop:from ?a .
                 ?m org:member ?a ; org:organization ?c . ?c2 org:role role:chair ; org:organization ?c }
                 GROUP BY ?a ORDER BY DESC(COUNT(?l)) ?a LIMIT 1""",
    "lu-monitoring-committee": """SELECT ?c WHERE { ?m org:role role:chair ; org:organization ?c .
                 ?x org:member $lu-itm ; org:organization ?c } ORDER BY ?c LIMIT 1""",
    "state-lu": """SELECT ?a WHERE { ?a coop:level level:national ; coop:exchangesInformationVia ?x }
                 GROUP BY ?a ORDER BY DESC(COUNT(?x)) ?a LIMIT 1""",
    "lu-judicial-police": """SELECT ?a WHERE { ?l a coop:Link ; coop:from ?a } GROUP BY ?a ORDER BY DESC(COUNT(?l)) ?a LIMIT 1""",
    "lu-police": """SELECT ?x WHERE { ?l coop:legalBasis ?b ; coop:from ?x ; coop:to ?y } ORDER BY ?l LIMIT 1""",
    "ccpd": """SELECT ?y WHERE { ?l coop:legalBasis ?b ; coop:from $lu-police ; coop:to ?y .
                 OPTIONAL { ?i coop:establishes ?y } } ORDER BY DESC(BOUND(?i)) ?l LIMIT 1""",
}


def stand_ins(store):
    """``{real actor IRI: synthetic actor IRI}`` for the actors named in :data:`STAND_INS`."""
    from graph.core.prefixes import PREFIXES

    actor = PREFIXES["actor"]
    found = {}
    for name, query in STAND_INS.items():
        for real, synthetic in found.items():
            query = query.replace("$" + real[len(actor):], f"<{synthetic}>")
        sols = list(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
        if sols:
            found[actor + name] = next(iter(sols))[0].value
    return found


def substitute(text, mapping):
    """``text`` with every ``actor:name`` of ``mapping`` replaced by its stand-in IRI."""
    import re

    from graph.core.prefixes import PREFIXES

    def repl(m):
        iri = PREFIXES["actor"] + m.group(1)
        return f"<{mapping[iri]}>" if iri in mapping else m.group(0)

    return re.sub(r"\bactor:([\w-]+)", repl, text)


def _ms(seconds):
    return f"{seconds * 1000:.1f}"


def measure(files, inference, repeat, label, synthetic=False):
    """Per catalogue query: rows, first run, pipeline median, raw median (seconds)."""
    from graph.kb.inference import load_nquads
    from graph.core.prefixes import PREFIXES
    from graph.sparql.query import QueryPool, check_query
    from graph.sparql.examples import examples

    t0 = time.perf_counter()
    raw = load_nquads(files)
    raw_load = time.perf_counter() - t0
    check_query.cache_clear()
    mapping = stand_ins(raw) if synthetic else {}
    rows = []
    with QueryPool(files, size=1) as pool:
        t0 = time.perf_counter()
        pool.run("ASK {}", inference=inference)  # starts the worker: it loads the data
        worker_load = time.perf_counter() - t0
        for ex in examples():
            text = substitute(ex.text, mapping)
            t0 = time.perf_counter()
            check_query(text)
            result = pool.run(text, inference=inference, timeout=120, limit=LIMIT)
            first = time.perf_counter() - t0
            ours, theirs = [], []
            for _ in range(repeat):
                t0 = time.perf_counter()
                check_query(text)
                pool.run(text, inference=inference, timeout=120, limit=LIMIT)
                ours.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                n_raw = _raw(raw, text, PREFIXES)
                theirs.append(time.perf_counter() - t0)
            n = result.boolean if result.form == "ASK" else len(result)
            rows.append({"name": ex.name, "rows": n, "raw_rows": n_raw, "first": first,
                         "median": statistics.median(ours), "raw": statistics.median(theirs)})
            print(f"  {label}: {ex.name:45s} {str(n):>6} rows  first {_ms(first):>7} ms  median "
                  f"{_ms(statistics.median(ours)):>7} ms  raw {_ms(statistics.median(theirs)):>7} ms", flush=True)
    return {"rows": rows, "raw_load": raw_load, "worker_load": worker_load, "quads": len(raw), "stand_ins": mapping}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "sparql.md"))
    args = parser.parse_args(argv)

    from graph.kb.build import Project, build, default_project
    from graph.kb.inference import has_inferred
    from graph.sparql.query import dataset_files
    from graph.network.synthetic import generate

    print("real data:", flush=True)
    project = default_project()
    build(project)
    fresh = not has_inferred(project)
    t0 = time.perf_counter()
    real_files = dataset_files(project, inference=True)
    inference_time = time.perf_counter() - t0
    real = measure(real_files, True, args.repeat, "real")

    with tempfile.TemporaryDirectory(prefix="coopmap-bench-") as tmp:
        print(f"synthetic graph of {args.actors} actors:", flush=True)
        t0 = time.perf_counter()
        out = generate(args.actors, seed=args.seed, out_dir=Path(tmp) / "data")
        synth_project = Project(data_dir=out, cache_root=Path(tmp) / "cache")
        build(synth_project, validate=False)
        synth_files = dataset_files(synth_project, inference=False)
        prepare = time.perf_counter() - t0
        synth = measure(synth_files, False, args.repeat, "synthetic", synthetic=True)

    import pyoxigraph

    worst_real = max(r["median"] for r in real["rows"])
    worst_first = max(r["first"] for r in real["rows"])
    ratios = [r["median"] / r["raw"] for r in synth["rows"]]
    lines = [
        "# SPARQL benchmark",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M')} by `python bench/bench_sparql.py` "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}); "
        f"{args.repeat} timed runs per query, medians; row cap {LIMIT:,} on both sides.",
        "",
        "The pipeline is what `coopmap query` and `graph.sparql.query.run_query` do: check the query (a token scan, "
        "cached by text), fork a sandboxed child of the process holding the on-disk Oxigraph store, run it there, "
        "bring the rows back through a pipe. *Raw* is `pyoxigraph.Store.query` on a store holding the same file, reading every term of the "
        "same rows, in the same process.",
        "",
        "## Real data, once loaded (with inference)",
        "",
        f"{real['quads']:,} quads (asserted + inferred). Store opening (built once per data version): {_ms(real['worker_load'])} ms. "
        + (f"Entailments computed by the SPARQL rules in this run: {inference_time:.1f} s (once per version of the data)."
           if fresh else "Entailments already cached."),
        "",
        "| query | rows | first run (ms) | median (ms) | raw pyoxigraph (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['name']} | {r['rows']} | {_ms(r['first'])} | {_ms(r['median'])} | {_ms(r['raw'])} |"
              for r in real["rows"]]
    lines += ["", f"Slowest median: **{_ms(worst_real)} ms** (target: well under 100 ms: "
              f"{'met' if worst_real < 0.1 else 'NOT met'}). Slowest first run, parse included: {_ms(worst_first)} ms.",
              "", f"## Synthetic graph: {args.actors:,} actors (seed {args.seed}), no inference", "",
              f"{synth['quads']:,} quads. Generated, compiled and filtered in {prepare:.1f} s; worker start-up and "
              f"load: {synth['worker_load']:.1f} s; raw store load: {synth['raw_load']:.1f} s.", "",
              "Queries that name a real actor run with a synthetic stand-in of the same role (found by a raw query "
              "on the synthetic store): "
              + ", ".join(f"`{k.rsplit('/', 1)[-1]}` → `{v.rsplit('/', 1)[-1]}`" for k, v in synth["stand_ins"].items())
              + ".", "",
              "| query | rows | pipeline median (ms) | raw pyoxigraph (ms) | ratio |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r['name']} | {r['rows']} | {_ms(r['median'])} | {_ms(r['raw'])} | {r['median'] / r['raw']:.2f} |"
              for r in synth["rows"]]
    over = [r["name"] for r, q in zip(synth["rows"], ratios) if q > 3]
    lines += ["", f"Largest ratio: **{max(ratios):.2f}x**, median ratio {statistics.median(ratios):.2f}x "
              f"(target: within 3x: {'met for every query' if not over else 'NOT met for ' + ', '.join(over)})."]
    small = [r for r in synth["rows"] if r["raw"] < 0.002]
    if small:
        lines += ["", "Queries that raw Oxigraph answers in under 2 ms are dominated by the fixed cost of the "
                  "round trip to the worker process (about "
                  f"{_ms(statistics.median(r['median'] - r['raw'] for r in small))} ms): the price of a timeout "
                  "that really stops a query."]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tmp_out = Path(args.out + ".part")
    tmp_out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp_out.replace(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
