"""Reader throughput of ``hpkg serve``: with a writer sending guarded updates vs without; and vs ``oxigraph serve``.

    python bench/load_readers.py --size 100k --clients 8 --requests 2000

One store is built for the run: the shipped graph plus ``hpkg generate`` data of about ``--size`` triples. Then,
on 127.0.0.1, each scenario sends the same ``--requests`` queries (the named queries of ``bench/queries/`` and the
shipped graph, in turn) from ``--clients`` concurrent clients and counts the queries answered per second:

1. ``hpkg serve`` with updates on (queries on threads, as a server that takes writes runs them), no writer;
2. the same server while one writer sends guarded SPARQL updates back to back (a one-triple insert, then its
   delete, each validated against the shapes) — the ratio 2/1 is "readers are not blocked by writes" (target ≥ 0.8);
3. ``hpkg serve`` read-only (query worker processes, the default for a public endpoint);
4. ``oxigraph serve --union-default-graph`` (the ``oxigraph`` PyPI package) on a copy of the same RocksDB store —
   the ratio 3/4 is hpkg's protocol layer against Oxigraph's own server on the same engine and data.

Ratios are measured in the same run, on the same machine; results go to ``bench/results/load_readers.json``
and ``.md``. Stops by itself: a fixed request count per scenario and a ``--max-seconds`` cap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402
from load_server import free_port, load, percentile  # noqa: E402

from hpkg.build import build  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.generate import generate, sizes_for  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.query import named_queries  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402

TOKEN = "bench-readers-token"
DATA_GRAPH = "https://w3id.org/hpkg/id/graph/data"
ZONE = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
LABEL = f'<{ZONE}> <http://www.w3.org/2004/02/skos/core#altLabel> "bench writer label"@en'
WRITES = [f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ {LABEL} }} }}", f"DELETE DATA {{ GRAPH <{DATA_GRAPH}> {{ {LABEL} }} }}"]


def parse_size(text: str) -> int:
    text = text.lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


def build_store(path: Path, size: int, work: Path) -> int:
    """The shipped graph plus generated data of about ``size`` triples; the number of quads."""
    data = work / "generated.nt.gz"
    generate(data, seed=1, **sizes_for(size))
    store = OxigraphStore(path)
    try:
        build(store, project=shipped_only(), exports_dir=None, validate=False)
        store.load_file(data, graph="https://w3id.org/hpkg/id/graph/generated")
        store.optimize()
        return store.count()
    finally:
        store.close()


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {log.read_text()[-2000:]}")


def start_hpkg(store: Path, port: int, log: Path, *, updates: bool) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("HPKG_HOME", None)
    env.pop("HPKG_UPDATE_TOKEN", None)
    if updates:
        env["HPKG_UPDATE_TOKEN"] = TOKEN
    proc = subprocess.Popen([sys.executable, "-m", "hpkg", "serve", "--store", str(store), "--port", str(port),
                             "--max-results", "100000", "--access-log", os.devnull],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=log.parent)
    wait_for(f"http://127.0.0.1:{port}/health", proc, log)
    return proc


def start_oxigraph(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    proc = subprocess.Popen([exe, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, log)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Writer(threading.Thread):
    """Guarded updates back to back (insert the label, delete it, …) until stopped; their latencies."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.halt = threading.Event()
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=600) as c:
            i = 0
            while not self.halt.is_set():
                t = time.perf_counter()
                r = c.post("/sparql/update", content=WRITES[i % 2].encode(),
                           headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
                self.latencies.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    self.failures[str(r.status_code)] = self.failures.get(str(r.status_code), 0) + 1
                i += 1


def answer_size(result: object) -> int | bool:
    """The number of rows of a SELECT answer, the value of an ASK answer."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    assert isinstance(result, ox.QuerySolutions)
    return len(list(result))


def summary(result: dict) -> dict:
    lat = result["latencies"]
    return {"sent": len(lat), "failed": sum(result["failures"].values()), "failures": result["failures"],
            "elapsed_s": round(result["elapsed_s"], 3), "qps": round(len(lat) / result["elapsed_s"], 1),
            "p50_ms": round(percentile(lat, 50), 2), "p95_ms": round(percentile(lat, 95), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="100k", help="generated triples (100k, 1M)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--max-seconds", type=float, default=300.0)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    size = parse_size(args.size)

    queries = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "queries").glob("*.rq"))]
    named = named_queries(shipped_only())
    queries += [q.sparql for q in named.values()]
    scenarios: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-readers-") as tmp:
        work = Path(tmp)
        store = work / "store"
        t = time.perf_counter()
        quads = build_store(store, size, work)
        print(f"store: {quads} quads in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        oxi_store = work / "oxigraph-store"
        ox.Store.read_only(str(store)).backup(str(oxi_store))
        # answers must agree before they are timed: the same engine, the same data, the same counts
        engine = ox.Store.read_only(str(store))
        answers = [engine.query(q, use_default_graph_as_union=True) for q in queries]
        kept = [i for i, a in enumerate(answers) if isinstance(a, (ox.QuerySolutions, ox.QueryBoolean))]
        skipped = len(queries) - len(kept)  # CONSTRUCT/DESCRIBE named queries: their answer is not a table
        expected = [answer_size(answers[i]) for i in kept]
        queries = [queries[i] for i in kept]
        del engine, answers

        def run(name: str, url: str, path: str) -> dict:
            targets = [(path, {"query": q}) for q in queries]
            with httpx.Client(base_url=url, timeout=120) as c:
                for q, n in zip(queries, expected, strict=True):  # warm-up, and the answers are the same
                    r = c.get(path, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
                    doc = r.json() if r.status_code == 200 else {}
                    got = len(doc["results"]["bindings"]) if "results" in doc else doc.get("boolean")
                    if r.status_code != 200 or got != n:
                        raise SystemExit(f"{name}: {r.status_code}, {got} rows instead of {n}: {r.text[:300]}")
            result = summary(asyncio.run(load(url, targets, args.clients, args.requests, args.max_seconds)))
            print(f"  {name}: {result}", file=sys.stderr)
            return result

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_hpkg(store, port, work / "hpkg-updates.log", updates=True)
        try:
            scenarios["hpkg_updates_on"] = run("hpkg serve, updates on, no writer", url, "/sparql")
            # one guarded write first: the shapes are read on the first write, not while timing
            Writer(url).halt.set()
            httpx.post(url + "/sparql/update", content=WRITES[0].encode(), timeout=600,
                       headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
            httpx.post(url + "/sparql/update", content=WRITES[1].encode(), timeout=600,
                       headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
            writer = Writer(url)
            writer.start()
            scenarios["hpkg_updates_on_with_writer"] = run("hpkg serve, updates on, with a writer", url, "/sparql")
            writer.halt.set()
            writer.join(timeout=600)
            w = writer.latencies
            scenarios["writer"] = {"updates": len(w), "failures": writer.failures,
                                   "p50_ms": round(percentile(w, 50), 1), "p95_ms": round(percentile(w, 95), 1),
                                   "mean_ms": round(statistics.fmean(w), 1) if w else None}
        finally:
            stop(proc)
        port = free_port()
        proc = start_hpkg(store, port, work / "hpkg-read-only.log", updates=False)
        try:
            scenarios["hpkg_read_only"] = run("hpkg serve, read-only", f"http://127.0.0.1:{port}", "/sparql")
        finally:
            stop(proc)
        port = free_port()
        proc = start_oxigraph(oxi_store, port, work / "oxigraph.log")
        try:
            scenarios["oxigraph_serve"] = run("oxigraph serve", f"http://127.0.0.1:{port}", "/query")
        finally:
            stop(proc)

    s = scenarios
    ratios = {
        "with_writer_to_without": round(s["hpkg_updates_on_with_writer"]["qps"] / s["hpkg_updates_on"]["qps"], 2),
        "hpkg_read_only_to_oxigraph": round(s["hpkg_read_only"]["qps"] / s["oxigraph_serve"]["qps"], 2),
        "hpkg_updates_on_to_oxigraph": round(s["hpkg_updates_on"]["qps"] / s["oxigraph_serve"]["qps"], 2),
    }
    report = {
        "benchmark": "load_readers",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "params": {"size": args.size, "quads": quads, "clients": args.clients, "requests": args.requests,
                   "queries": len(queries), "skipped_graph_queries": skipped, "oxigraph": ox.__version__ if hasattr(ox, "__version__") else None},
        "scenarios": scenarios,
        "ratios": ratios,
        "targets": {"with_writer_to_without": 0.8},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "load_readers.json", (json.dumps(report, indent=2) + "\n").encode())
    rows = [("hpkg serve, updates on (query threads), no writer", "hpkg_updates_on"),
            ("same, while a writer sends guarded updates", "hpkg_updates_on_with_writer"),
            ("hpkg serve, read-only (query processes)", "hpkg_read_only"),
            ("oxigraph serve --union-default-graph, same store copy", "oxigraph_serve")]
    met = "met" if ratios["with_writer_to_without"] >= 0.8 else "missed"
    md = [
        "# Reader throughput: with a writer, and against oxigraph serve",
        "",
        f"`python bench/load_readers.py --size {args.size} --clients {args.clients} --requests {args.requests}` on "
        f"{report['when']} ({report['machine']['cpus']} CPUs, Python {report['machine']['python']}, load average "
        f"{report['machine']['load_average_at_end'][0]} at the end; clients, servers and writer share the machine). "
        f"Store: the shipped graph + generated data, {quads} quads; {len(queries)} named queries in turn "
        "(`bench/queries/` and the shipped ones), each checked to give the same row count on every server first.",
        "",
        "| scenario | queries/s | p50 / p95 ms | sent / failed |",
        "|---|---|---|---|",
        *[f"| {label} | {s[k]['qps']} | {s[k]['p50_ms']} / {s[k]['p95_ms']} | {s[k]['sent']} / {s[k]['failed']} |"
          for label, k in rows],
        "",
        f"Writer: {s['writer']['updates']} guarded updates (one-triple insert, then its delete) during the run, "
        f"p50 {s['writer']['p50_ms']} ms, p95 {s['writer']['p95_ms']} ms, failures {s['writer']['failures'] or 0}.",
        "",
        "| ratio | value | target |",
        "|---|---|---|",
        f"| readers with the writer / without | {ratios['with_writer_to_without']}x | >= 0.8x ({met}) |",
        f"| hpkg serve read-only / oxigraph serve | {ratios['hpkg_read_only_to_oxigraph']}x | (0.77x measured before) |",
        f"| hpkg serve updates on / oxigraph serve | {ratios['hpkg_updates_on_to_oxigraph']}x | |",
        "",
    ]
    write_atomic(args.out / "load_readers.md", "\n".join(md).encode())
    print("\n".join(md))


if __name__ == "__main__":
    main()
