"""Bounded load test of ``hpkg serve`` on loopback (a benchmark, not part of the test run).

    python bench/load_server.py --clients 8 --requests 2000

Builds the graph into a temporary on-disk store (or uses ``--store``), measures the baseline (the
same queries run in-process on pyoxigraph, answer serialised as SPARQL JSON), starts the real
server process on a free 127.0.0.1 port, then sends a fixed number of requests from N concurrent
clients (the named queries in turn, and with ``--pages`` the entity pages and RDF documents too).
Reports throughput, p50/p95/p99 latency, failures, and the server/baseline latency ratio; writes
``bench/results/load_server.json`` and ``.md``. Stops by itself: a fixed request count, and a
``--max-seconds`` cap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402

from hpkg.build import build  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.query import named_queries  # noqa: E402
from hpkg.store import open_store  # noqa: E402

PAGES = ["/page/zone/kcn-kkt-hai-phong?lang=en", "/data/zone/kcn-kkt-hai-phong.ttl",
         "/data/obs/fdi-registered-kcn-kkt-hai-phong-2024.jsonld"]


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseline(store_path: Path, queries: list[str], runs: int) -> list[float]:
    """In-process latencies (ms): pyoxigraph query + SPARQL JSON serialisation, no HTTP."""
    import pyoxigraph as ox

    store = open_store(store_path, read_only=True)
    try:
        engine = store.engine  # type: ignore[attr-defined]
        out = []
        for i in range(runs):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            r = engine.query(q, use_default_graph_as_union=True)
            if isinstance(r, ox.QuerySolutions):
                r.serialize(format=ox.QueryResultsFormat.JSON)
            out.append((time.perf_counter() - t) * 1000)
        return out
    finally:
        store.close()


def start_server(store_path: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["HPKG_HOME"] = str(ROOT)
    env.pop("HPKG_UPDATE_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hpkg", "serve", "--store", str(store_path), "--port", str(port),
         "--max-results", "100000", "--access-log", str(log.with_suffix(".access.jsonl"))],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


async def load(url: str, targets: list[tuple[str, dict]], clients: int, total: int, max_seconds: float) -> dict:
    """``total`` requests from ``clients`` concurrent clients; latencies and failures."""
    latencies: list[float] = []
    failures: dict[str, int] = {}
    next_index = 0
    stop_at = time.monotonic() + max_seconds

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < total and time.monotonic() < stop_at:
            i = next_index
            next_index += 1
            path, params = targets[i % len(targets)]
            t = time.perf_counter()
            try:
                r = await c.get(path, params=params, headers={"Accept": "application/sparql-results+json, */*;q=0.5"})
                await r.aread()
                ok = r.status_code == 200
                key = str(r.status_code)
            except httpx.HTTPError as e:
                ok, key = False, type(e).__name__
            latencies.append((time.perf_counter() - t) * 1000)
            if not ok:
                failures[key] = failures.get(key, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:
        await asyncio.gather(*(client(c) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {"latencies": latencies, "failures": failures, "elapsed_s": elapsed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--store", type=Path, default=None, help="an existing store (default: build one in a temp dir)")
    ap.add_argument("--pages", action="store_true", help="mix in entity pages and RDF documents")
    ap.add_argument("--max-seconds", type=float, default=300.0, help="stop sending after this long, whatever is left")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="hpkg-bench-") as tmp:
        store_path = args.store
        if store_path is None:
            store_path = Path(tmp) / "store"
            with open_store(store_path) as s:
                build(s, project=shipped_only(), exports_dir=None)
        named = named_queries(shipped_only())
        queries = [q.sparql for q in named.values()]
        if not queries:
            raise SystemExit("no named queries in the shipped graph (src/hpkg/graph/queries/)")
        base = baseline(store_path, queries, max(200, len(queries) * 20))
        targets: list[tuple[str, dict]] = [("/sparql", {"query": q}) for q in queries]
        if args.pages:
            targets += [(p.split("?")[0], dict([p.split("?")[1].split("=")]) if "?" in p else {}) for p in PAGES]
        port = free_port()
        log = Path(tmp) / "server.log"
        proc = start_server(store_path, port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            n_seq = min(200, max(20, args.requests // 10))
            sequential = asyncio.run(load(url, targets, 1, n_seq, args.max_seconds))
            result = asyncio.run(load(url, targets, args.clients, args.requests, args.max_seconds))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    lat = result["latencies"]
    sent = len(lat)
    failed = sum(result["failures"].values())
    report = {
        "benchmark": "load_server",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "params": {"clients": args.clients, "requests": args.requests, "pages": args.pages,
                   "named_queries": list(named), "targets": len(targets)},
        "sent": sent,
        "failed": failed,
        "failures": result["failures"],
        "elapsed_s": round(result["elapsed_s"], 3),
        "throughput_rps": round(sent / result["elapsed_s"], 1),
        "latency_ms": {"p50": round(percentile(lat, 50), 2), "p95": round(percentile(lat, 95), 2),
                       "p99": round(percentile(lat, 99), 2), "max": round(max(lat), 2),
                       "mean": round(statistics.fmean(lat), 2)},
        "baseline_in_process_ms": {"p50": round(percentile(base, 50), 3), "p95": round(percentile(base, 95), 3),
                                   "runs": len(base)},
    }
    seq = sequential["latencies"]
    report["one_client"] = {"sent": len(seq), "failed": sum(sequential["failures"].values()),
                            "p50_ms": round(percentile(seq, 50), 2), "p95_ms": round(percentile(seq, 95), 2)}
    report["ratio_p50_server_to_baseline"] = round(report["latency_ms"]["p50"] / report["baseline_in_process_ms"]["p50"], 1)
    report["ratio_p50_one_client_to_baseline"] = round(report["one_client"]["p50_ms"]
                                                       / report["baseline_in_process_ms"]["p50"], 1)
    failed += report["one_client"]["failed"]
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "load_server.json", (json.dumps(report, indent=2) + "\n").encode())
    md = [
        "# hpkg serve: bounded load test",
        "",
        f"`python bench/load_server.py --clients {args.clients} --requests {args.requests}"
        f"{' --pages' if args.pages else ''}` on {report['when']} "
        f"({report['machine']['cpus']} CPUs, Python {report['machine']['python']}; clients and server share the machine).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests sent / failed | {sent} / {failed} |",
        f"| concurrent clients | {args.clients} |",
        f"| throughput | {report['throughput_rps']} req/s |",
        f"| latency p50 / p95 / p99 / max | {report['latency_ms']['p50']} / {report['latency_ms']['p95']} / "
        f"{report['latency_ms']['p99']} / {report['latency_ms']['max']} ms |",
        f"| baseline: same queries in-process (pyoxigraph + JSON), p50 / p95 | "
        f"{report['baseline_in_process_ms']['p50']} / {report['baseline_in_process_ms']['p95']} ms |",
        f"| server p50 / baseline p50 | {report['ratio_p50_server_to_baseline']}x |",
        f"| one client, sequential ({report['one_client']['sent']} requests first): p50 / p95 | "
        f"{report['one_client']['p50_ms']} / {report['one_client']['p95_ms']} ms "
        f"({report['ratio_p50_one_client_to_baseline']}x baseline) |",
        "",
        f"Queries: the named queries in turn ({', '.join(named)}).",
        "Under load the latency is mostly queueing: the clients, the server, its query worker processes and the",
        "load generator share the machine's cores. The one-client row is the cost of HTTP, the protocol and the",
        "hand-over to a query worker process per request.",
        "",
    ]
    write_atomic(args.out / "load_server.md", "\n".join(md).encode())
    print("\n".join(md))
    if failed:
        raise SystemExit(f"{failed} request(s) failed: {result['failures']} {sequential['failures']}")


if __name__ == "__main__":
    main()
