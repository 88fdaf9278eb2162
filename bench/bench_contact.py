"""Benchmark `coopmap contact` and `coopmap path`: the real data, and a 20,000-actor synthetic graph.

Run it on its own (not part of the tests)::

    python3 bench/bench_contact.py            # writes bench/results/contact.md
    python3 bench/bench_contact.py --actors 5000 --runs 3 --out /tmp/contact.md

Figures: the whole process (``coopmap ...`` in a fresh interpreter, warm cache: compiled graph and
pickled view already on disk), best and median of ``--runs``; and, for the synthetic graph, the time
inside one process once the view is loaded. Targets (issue 3): real data well under 0.5 s whole
process; synthetic contact and path under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def coopmap_cmd():
    exe = shutil.which("coopmap")
    return [exe] if exe else [sys.executable, "-m", "cli"]


def timed_runs(args, env, runs, cmd=None):
    """``(wall, cpu)`` seconds of ``runs`` fresh processes, after one warm-up run that also fills the caches.

    CPU is the child's user + system time: on a busy machine it moves less than the wall clock."""
    import resource

    cmd = (cmd or coopmap_cmd()) + args
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if first.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{first.stdout}\n{first.stderr}")
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True, cwd=ROOT)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def heavy_imports(args, env):
    """Which of rdflib / pyoxigraph the command imports (it should import neither on a warm cache)."""
    code = ("import sys, cli\n"
            "try:\n    cli.main(%r, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(' '.join(m for m in ('rdflib', 'pyoxigraph') if m in sys.modules) or 'none')" % (args,))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else f"error: {out.stderr[-300:]}"


def fmt(runs):
    wall, cpu = runs
    return (f"{min(wall):.3f} s best, {statistics.median(wall):.3f} s median | "
            f"{min(cpu):.3f} s best, {statistics.median(cpu):.3f} s median (n={len(wall)})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=20000, help="size of the synthetic graph (default 20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "coopmap-bench"),
                        help="cache folder for the compiled graphs (default: $TMPDIR/coopmap-bench)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "contact.md"))
    args = parser.parse_args(argv)

    from graph.kb.build import Project, build
    from graph.network.synthetic import generate
    from graph.network.view import load_view

    cache = Path(args.cache)
    lines = ["# `coopmap contact` / `coopmap path` benchmark", "",
             f"Run {dt.datetime.now().isoformat(timespec='minutes')} on {platform.node()}: Python "
             f"{platform.python_version()}, {os.cpu_count()} CPU(s), load average "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at start. Command: `python3 bench/bench_contact.py"
             f"{'' if argv is None else ' ' + ' '.join(argv)}`.", "",
             "Whole process = a fresh `coopmap …` process on a warm cache (compiled graph and pickled view on disk).", ""]

    # ---- real data
    env = {**os.environ, "COOPMAP_CACHE": str(cache / "real")}
    env.pop("COOPMAP_DATA", None)
    t = time.perf_counter()
    G = load_view(Project(cache_root=cache / "real"))
    cold = time.perf_counter() - t
    real_cmds = [["contact", "--from", "ITM", "--need", "victim-support"],
                 ["contact", "--from", "ITM", "--need", "victim-support", "--exploitation", "labour", "--when", "night"],
                 ["contact", "--from", "Judicial Police", "--need", "international-police-cooperation", "--format", "json"],
                 ["path", "ITM", "Public Prosecutor's Office"]]
    lines += ["## Real data", "",
              f"{G.number_of_nodes()} actors, {G.number_of_edges()} edges in the view; compiling the view once "
              f"(first run, includes the build if needed): {cold:.2f} s.", "",
              "| command | whole process: wall clock | CPU (user+sys) | rdflib / pyoxigraph imported |", "|---|---|---|---|"]
    bare = timed_runs(["-c", "pass"], env, args.runs, cmd=[sys.executable])
    for cmd in real_cmds:
        lines.append(f"| `coopmap {' '.join(repr(c) if ' ' in c else c for c in cmd)}` | {fmt(timed_runs(cmd, env, args.runs))} "
                     f"| {heavy_imports(cmd, env)} |")
    lines.append(f"| `python3 -c pass` (interpreter start-up, for reference) | {fmt(bare)} | |")
    floor = timed_runs(["-c", "import click, networkx"], env, args.runs, cmd=[sys.executable])
    lines.append(f"| `python3 -c 'import click, networkx'` (the floor: unpickling the view needs networkx) | {fmt(floor)} | |")
    print("\n".join(lines))

    # ---- synthetic
    data = cache / f"synthetic-{args.actors}-{args.seed}"
    if not (data / "links.ttl").exists():
        generate(args.actors, args.seed, data)
    project = Project(data_dir=data, cache_root=cache / "synthetic")
    t = time.perf_counter()
    build(project, validate=False)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    S = load_view(project)
    t_view = time.perf_counter() - t
    env = {**os.environ, "COOPMAP_CACHE": str(cache / "synthetic"), "COOPMAP_DATA": str(data)}

    from graph.network.analysis import centrality
    from graph.network.contact import contact
    from graph.network.paths import shortest_paths
    from graph.network.routing import case_conditions

    nodes = sorted(S.nodes)
    sources = [n for n in nodes if S.nodes[n]["kind"] in ("police-unit", "inspectorate") and S.out_degree(n) > 5][:3]
    far = [n for n in nodes if S.nodes[n]["level"] == "international"][-1]
    inproc = []
    for src in sources:
        for label, kw in (("contact", {}), ("contact, child, night", {"case": case_conditions(victim="child"), "when": "night"}),
                          ("contact --without", {"without": [next(iter(S.successors(src)))]})):
            t = time.perf_counter()
            r = contact(S, src, "victim-support", top=10, **kw)
            inproc.append((label, S.nodes[src]["acronym"], time.perf_counter() - t, f"{r['reachable']} holders reachable"))
        t = time.perf_counter()
        r = shortest_paths(S, src, far)
        inproc.append(("path", f"{S.nodes[src]['acronym']} -> {S.nodes[far]['acronym']}", time.perf_counter() - t,
                       f"{r['count']} path(s) of {r['hops']} hops"))
    t = time.perf_counter()
    b = centrality(S, "betweenness", top=10)
    t_btw = time.perf_counter() - t

    lines += ["", f"## Synthetic graph ({args.actors} actors, seed {args.seed})", "",
              f"`python -m graph.network.synthetic {args.actors} DIR --seed {args.seed}`: {S.number_of_nodes()} actors visible at "
              f"TLP:CLEAR, {S.number_of_edges()} edges. Compile (no validation): {t_build:.1f} s (0 when cached); "
              f"view load: {t_view:.2f} s (build + pickle the first time, unpickle after).", "",
              "In one process, view loaded:", "", "| query | from | time | answer |", "|---|---|---|---|"]
    lines += [f"| {q} | {s} | {t:.3f} s | {a} |" for q, s, t, a in inproc]
    lines += ["", f"Betweenness ({b['method']}): {t_btw:.2f} s.", "", "Whole process, warm cache:", "",
              "| command | whole process: wall clock | CPU (user+sys) |", "|---|---|---|"]
    src = S.nodes[sources[0]]["acronym"]
    for cmd in (["contact", "--from", src, "--need", "victim-support"],
                ["contact", "--from", src, "--need", "victim-support", "--victim", "child", "--when", "night"],
                ["path", src, S.nodes[far]["acronym"]]):
        lines.append(f"| `coopmap {' '.join(cmd)}` | {fmt(timed_runs(cmd, env, max(3, args.runs // 2)))} |")
    lines += ["", "Targets: real data well under 0.5 s whole process; synthetic contact and path under 2 s.", ""]
    text = "\n".join(lines)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    print("\n".join(lines[lines.index("## Synthetic graph (%d actors, seed %d)" % (args.actors, args.seed)):]))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
