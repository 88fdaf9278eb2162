"""Load run of `coopmap serve` on loopback: 50 concurrent clients for 30 s, mixing pages, contact and SPARQL.

Not a unit test: run it on its own, on a machine as quiet as you can get::

    python3 bench/bench_server.py                      # writes bench/results/server.md
    python3 bench/bench_server.py --clients 10 --seconds 10 --out /tmp/server.md

The server runs in its own process (``coopmap serve --rate-limit 0``, one uvicorn worker, the default
2 SPARQL worker processes) on a free 127.0.0.1 port; the clients are asyncio tasks with keep-alive
connections (httpx) in this process. Every answer must be 200 (a 303 for the search redirect): any other
status or a transport error counts as an error. Figures: requests per second, p50/p95/max latency overall
and per kind of request.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (kind, weight, path, params, expected status)
MIX = [
    ("page: actor", 3, "/actor/lu-itm", {}, 200),
    ("page: actor (fr)", 1, "/actor/lu-judicial-police", {"lang": "fr"}, 200),
    ("page: search", 2, "/actors", {"q": "police"}, 200),
    ("page: home", 1, "/", {}, 200),
    ("page: gaps", 1, "/gaps", {}, 200),
    ("page: centrality", 1, "/centrality", {"metric": "betweenness"}, 200),
    ("contact", 3, "/contact", {"from": "ITM", "need": "victim-support"}, 200),
    ("contact (case)", 2, "/contact", {"from": "Judicial Police", "need": "investigation", "when": "night",
                                       "exploitation": "labour"}, 200),
    ("sparql: catalogue", 3, "/sparql", {"example": None}, 200),
    ("sparql: describe", 1, "/sparql", {"query": "DESCRIBE <https://w3id.org/coopmap/id/actor/lu-itm>"}, 200),
]


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def start_server(port, env):
    cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--port", str(port), "--rate-limit", "0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import urllib.request

    for _ in range(1200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server did not start: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not answer within 300 s")


async def client(http, deadline, queries, log, rng):
    kinds = [m for m in MIX for _ in range(m[1])]
    while time.monotonic() < deadline:
        kind, _, path, params, expected = rng.choice(kinds)
        if "example" in params:
            params = {"query": rng.choice(queries)}
        t = time.perf_counter()
        try:
            r = await http.get(path, params=params, headers={"accept": "text/html" if not path.startswith("/sparql")
                                                               else "application/sparql-results+json"})
            await r.aread()
            ok = r.status_code == expected
            status = r.status_code
        except Exception as e:  # noqa: BLE001 - a transport error is an error of the run
            ok, status = False, type(e).__name__
        log.append((kind, time.perf_counter() - t, ok, status))


async def run_load(base, clients, seconds, queries, seed=1):
    import httpx

    log = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        # warm-up: every kind once, so the first figures do not include loading the view and the query workers
        for _kind, _, path, params, _ in MIX:
            if "example" in params:  # the first query may compute the entailments: minutes on a busy machine
                for q in queries:
                    await http.get(path, params={"query": q}, timeout=900)
            else:
                await http.get(path, params=params, timeout=900)
        deadline = time.monotonic() + seconds
        rng = random.Random(seed)
        started = time.monotonic()
        await asyncio.gather(*(client(http, deadline, queries, log, random.Random(rng.random())) for _ in range(clients)))
        elapsed = time.monotonic() - started
    return log, elapsed


def report(log, elapsed, clients, seconds, args_text):
    lat = [x[1] for x in log]
    errors = [x for x in log if not x[2]]
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?", "?", "?")
    lines = [
        "# `coopmap serve` load run",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M} UTC on {platform.node()}: Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s) shared with other work, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end. "
        f"Command: `python3 bench/bench_server.py{args_text}`.",
        "",
        f"{clients} concurrent clients (asyncio + httpx keep-alive, in the benchmark's process) for {seconds:g} s against "
        "`coopmap serve --rate-limit 0` in its own process on 127.0.0.1 (one uvicorn worker; SPARQL in the 2 default "
        "worker processes). The mix (weights): " + ", ".join(f"{k} {w}" for k, w, *_ in MIX) + ". SPARQL: the whole example "
        "catalogue, picked at random. One warm-up request of each kind (and each catalogue query) comes first, so the "
        "figures are the steady state: the view and the query workers loaded, and the server's memo of answers "
        "(per audience; the graph is read-only while served) filled for these questions.",
        "",
        f"**{len(log):,} requests in {elapsed:.1f} s: {len(log) / elapsed:.1f} requests/s; errors: {len(errors)}.** "
        f"Latency p50 {percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f} ms, "
        f"max {max(lat) * 1000:.0f} ms.",
        "",
        "| request | count | errors | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, *_ in MIX:
        xs = [x for x in log if x[0] == kind]
        if xs:
            ls = [x[1] for x in xs]
            lines.append(f"| {kind} | {len(xs):,} | {sum(not x[2] for x in xs)} | {percentile(ls, 50) * 1000:.0f} | "
                         f"{percentile(ls, 95) * 1000:.0f} | {max(ls) * 1000:.0f} |")
    if errors:
        lines += ["", "Errors (first 10): " + "; ".join(f"{k}: {s}" for k, _, _, s in errors[:10])]
    lines += ["", f"Latency is what a client waits with {clients} requests in flight: mostly queueing behind the "
                  "others on 2 shared cores, not the time of one request alone."]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "server.md"))
    args = ap.parse_args()
    from graph.server.live import free_port
    from graph.sparql.examples import examples

    queries = [e.text for e in examples()]
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    proc = start_server(port, env)
    try:
        log, elapsed = asyncio.run(run_load(f"http://127.0.0.1:{port}", args.clients, args.seconds, queries))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
    extra = "" if (args.clients, args.seconds) == (50, 30) else f" --clients {args.clients} --seconds {args.seconds:g}"
    text = report(log, elapsed, args.clients, args.seconds, extra)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(text)
    errors = sum(not x[2] for x in log)
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
