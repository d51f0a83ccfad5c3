"""The fixed cost of one request: ``hpkg serve`` against ``oxigraph serve`` on trivial queries, side by side.

    python bench/http_overhead.py [--size 10k] [--rounds 6] [--requests 150] [--variant-path DIR]

One store is built (``bench/load_readers.py``'s: the shipped graph plus generated data), copied for each
server, and the servers run at once: ``hpkg serve`` with updates on (queries on threads), ``hpkg serve``
read-only (query worker processes), ``oxigraph serve``, and with ``--variant-path DIR`` a second ``hpkg serve``
with updates on whose ``PYTHONPATH`` also holds DIR (e.g. ``pip install --target DIR httptools uvloop``, which
uvicorn uses when it finds them): the same hpkg code on another HTTP stack. In rounds that alternate between the
servers (each round starting one further on), one client sends ``--requests`` sequential requests of each
query (``ASK {}``, a ``LIMIT 10``), then ``--clients`` clients as many concurrent ones; per server: the
one-client median and p95 latency, the concurrent throughput, and the server's CPU time per request (its
process tree, from ``/proc``). What is left when the engine has almost nothing to do is the protocol layer.
Results: ``bench/results/http_overhead.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import load_readers as lr  # noqa: E402
from _common import parse_size, percentile, proc_cpu_seconds, process_tree  # noqa: E402
from load_server import free_port, load  # noqa: E402

from hpkg.fileio import write_atomic  # noqa: E402

QUERIES = {"ask": "ASK {}", "limit10": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10"}
ACCEPT = {"Accept": "application/sparql-results+json"}


def start_variant(store: Path, port: int, log: Path, extra: Path) -> subprocess.Popen[bytes]:
    """``hpkg serve`` with updates on, ``extra`` on its PYTHONPATH."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(extra)
    try:
        return lr.start_hpkg(store, port, log, updates=True, workers=4)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="10k", help="generated triples beside the shipped graph")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--requests", type=int, default=150, help="requests per query, server and round (each kind)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--variant-path", type=Path, default=None,
                    help="a folder of extra packages for a second hpkg serve (updates on)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    if args.variant_path is not None and not args.variant_path.is_dir():
        ap.error(f"--variant-path {args.variant_path}: no such folder")
    if min(args.rounds, args.requests, args.clients) < 1:
        ap.error("--rounds, --requests and --clients must be at least 1")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_start = os.getloadavg()[0]
    servers: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-http-") as tmp:
        work = Path(tmp)
        store = work / "store"
        built = lr.run_task("build", parse_size(args.size), str(store), str(work))
        import pyoxigraph as ox

        kinds = ["hpkg serve, updates on", "hpkg serve, read-only", "oxigraph serve"]
        if args.variant_path:
            kinds.append(f"hpkg serve, updates on, PYTHONPATH {args.variant_path}")
        procs: list[subprocess.Popen[bytes]] = []
        try:
            for i, kind in enumerate(kinds):
                copy = work / f"copy-{i}"
                ox.Store.read_only(str(store)).backup(str(copy))
                port = free_port()
                log = work / f"server-{i}.log"
                if kind == "oxigraph serve":
                    proc, path = lr.start_oxigraph(copy, port, log), "/query"
                elif kind.endswith("read-only"):
                    proc, path = lr.start_hpkg(copy, port, log, updates=False, workers=4), "/sparql"
                elif "PYTHONPATH" in kind:
                    proc, path = start_variant(copy, port, log, args.variant_path), "/sparql"
                else:
                    proc, path = lr.start_hpkg(copy, port, log, updates=True, workers=4), "/sparql"
                procs.append(proc)
                servers[kind] = {"url": f"http://127.0.0.1:{port}", "path": path, "proc": proc,
                                 "one_client": {q: [] for q in QUERIES}, "qps": {q: [] for q in QUERIES},
                                 "cpu": 0.0, "requests": 0}
            for r in range(args.rounds):
                print(f"  round {r + 1}/{args.rounds}", file=sys.stderr)
                for kind in kinds[r % len(kinds):] + kinds[:r % len(kinds)]:
                    s = servers[kind]
                    before = {p: proc_cpu_seconds([p]) for p in process_tree(s["proc"].pid)}
                    with httpx.Client(base_url=s["url"], timeout=60) as c:
                        for name, q in QUERIES.items():
                            for _ in range(args.requests):
                                t = time.perf_counter()
                                resp = c.get(s["path"], params={"query": q}, headers=ACCEPT)
                                s["one_client"][name].append((time.perf_counter() - t) * 1000)
                                if resp.status_code != 200:
                                    raise SystemExit(f"{kind}: {resp.status_code} {resp.text[:300]}")
                    for name, q in QUERIES.items():
                        out = asyncio.run(load(s["url"], [(s["path"], {"query": q})], args.clients, args.requests, 120))
                        if out["failures"]:
                            raise SystemExit(f"{kind}: failures {out['failures']}")
                        s["qps"][name].append(len(out["latencies"]) / out["elapsed_s"])
                    s["cpu"] += sum(proc_cpu_seconds([p]) - before.get(p, 0.0) for p in process_tree(s["proc"].pid))
                    s["requests"] += 2 * len(QUERIES) * args.requests
        finally:
            for proc in procs:
                lr.stop(proc)
        shutil.rmtree(store, ignore_errors=True)
    results = {}
    for kind, s in servers.items():
        results[kind] = {
            "server_cpu_ms_per_request": round(1000 * s["cpu"] / s["requests"], 3),
            **{f"{q}_one_client_p50_ms": round(statistics.median(v), 2) for q, v in s["one_client"].items()},
            **{f"{q}_one_client_p95_ms": round(percentile(v, 95), 2) for q, v in s["one_client"].items()},
            **{f"{q}_qps": round(statistics.median(v), 1) for q, v in s["qps"].items()},
            "rounds_qps": {q: [round(x) for x in v] for q, v in s["qps"].items()},
        }
    report = {"benchmark": "http_overhead", "command": "python bench/http_overhead.py " + shlex.join(sys.argv[1:]),
              "when": started, "quads": built["quads"],
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)]},
              "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "out"},
              "variant_packages": sorted(d.name.removesuffix(".dist-info") for d in args.variant_path.glob("*.dist-info"))
              if args.variant_path else [],
              "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "http_overhead.json", (json.dumps(report, indent=2) + "\n").encode())
    oxi = results["oxigraph serve"]["server_cpu_ms_per_request"]
    md = ["# The fixed cost of a request: hpkg serve against oxigraph serve", "",
          f"`{report['command']}` on {started} ({report['machine']['cpus']} CPUs, Python "
          f"{report['machine']['python']}, load average {report['machine']['load_average'][0]} at the start, "
          f"{report['machine']['load_average'][1]} at the end); store: {built['quads']:,} quads, a copy per server, "
          f"the servers side by side, {args.rounds} alternating rounds. Per round and server: {args.requests} "
          f"sequential requests of each query from one client, then {args.requests} from {args.clients} "
          "concurrent clients. Queries: `ASK {}` and a `LIMIT 10` over all graphs (JSON results)."
          + (f" The variant's folder holds {', '.join(report['variant_packages']) or 'no packages'} (uvicorn uses "
             "httptools and uvloop when it finds them)." if args.variant_path else ""), "",
          "| server | server CPU per request | / oxigraph | ASK p50 / p95 (one client) | LIMIT 10 p50 / p95 | "
          f"ASK q/s ({args.clients} clients, median round) | LIMIT 10 q/s |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, r in results.items():
        md.append(f"| {kind} | {r['server_cpu_ms_per_request']} ms | {r['server_cpu_ms_per_request'] / oxi:.1f}x | "
                  f"{r['ask_one_client_p50_ms']} / {r['ask_one_client_p95_ms']} ms | "
                  f"{r['limit10_one_client_p50_ms']} / {r['limit10_one_client_p95_ms']} ms | {r['ask_qps']} | "
                  f"{r['limit10_qps']} |")
    md.append("")
    write_atomic(args.out / "http_overhead.md", "\n".join(md).encode())
    print("\n".join(md))


if __name__ == "__main__":
    main()
