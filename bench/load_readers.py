"""Reader throughput of ``hpkg serve``: with a writer sending guarded updates vs without; and vs ``oxigraph serve``.

    python bench/load_readers.py --sizes 100k,1M --clients 8 --requests 300 --rounds 5 [--max-query-ms 50]

For each size one store is built (in its own process, ``bench/_common.py``): the shipped graph plus
``hpkg generate`` data of about that many triples, optimised. Every named query (``bench/queries/`` and the
shipped ones) is then run in-process on it (its own process again): the table queries (SELECT, ASK) whose median
(CPU time, which other work on the machine inflates less than the wall clock) is at most ``--max-query-ms`` make the workload — an interactive mix whose cost is the server's as much as the
engine's; the slower ones (listed in the results with their in-process times) would make every scenario a
measure of a few long engine runs, and the run unbounded at 1M on a 2-core machine. Then, on 127.0.0.1, each
scenario sends ``--requests`` queries (the workload in turn) from ``--clients`` concurrent clients, ``--rounds``
times; the three servers run at once, each on its own copy of the store, and the scenarios alternate round by
round (each round starting one further on), so that other work on a shared machine falls on all of them alike:

1. ``hpkg serve`` with updates on (queries on threads, as a server that takes writes runs them), no writer;
2. the same server while one writer sends guarded SPARQL updates back to back (a one-triple insert, then its
   delete, each validated against the shapes) — the ratio 2/1 is "readers are not blocked by writes" (target ≥ 0.8);
3. ``hpkg serve`` read-only (query worker processes, the default for a public endpoint);
4. ``oxigraph serve --union-default-graph`` (the ``oxigraph`` PyPI package, as tests/integration uses) on a copy
   of the same RocksDB store — the ratios 3/4 and 1/4 are hpkg's protocol layer against Oxigraph's own server on
   the same engine and data.

Each server's answers are checked first (the same row count as in-process, for every query of the workload).
Per scenario: queries answered per second, median and p95 latency, and CPU seconds of the server's process
tree and of the load generator (from ``/proc``), with the load average before and after each round. Ratios are
measured in the same run (all rounds together, and round by round). Results: ``bench/results/load_readers.json``
and ``.md`` (``--report --note FILE`` adds a reading to the md afterwards). Bounded: a fixed request count per
scenario and round, and ``--max-seconds`` per round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
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
from _common import (  # noqa: E402
    cpu_seconds,
    label,
    parse_size,
    percentile,
    proc_cpu_seconds,
    process_tree,
    tasks_of,
    worker_main,
)
from _common import run_task as _run_task  # noqa: E402
from load_server import free_port, load  # noqa: E402

from hpkg.fileio import write_atomic  # noqa: E402

TOKEN = "bench-readers-token"
DATA_GRAPH = "https://w3id.org/hpkg/id/graph/data"
ZONE = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
LABEL = f'<{ZONE}> <http://www.w3.org/2004/02/skos/core#altLabel> "bench writer label"@en'
WRITES = [f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ {LABEL} }} }}", f"DELETE DATA {{ GRAPH <{DATA_GRAPH}> {{ {LABEL} }} }}"]
UPDATE_HEADERS = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}


def named() -> dict[str, str]:
    """Every named query: the benchmark's workload queries and the shipped ones, by name."""
    from hpkg.project import shipped_only
    from hpkg.query import named_queries

    out = {"bench:" + p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "queries").glob("*.rq"))}
    out.update({k: q.sparql for k, q in named_queries(shipped_only()).items()})
    return out


# ------------------------------------------------------------------------------ worker tasks (own processes)

def task_build(size: int, store: str, work: str) -> dict:
    """The shipped graph plus generated data of about ``size`` triples, optimised; the number of quads."""
    from hpkg.build import build
    from hpkg.generate import generate, sizes_for
    from hpkg.project import shipped_only
    from hpkg.store import OxigraphStore

    t = time.perf_counter()
    data = Path(work) / "generated.nt.gz"
    generate(data, seed=1, **sizes_for(size))
    s = OxigraphStore(store)
    try:
        build(s, project=shipped_only(), exports_dir=None, validate=False)
        s.load_file(data, graph="https://w3id.org/hpkg/id/graph/generated")
        s.optimize()
        return {"quads": s.count(), "seconds": time.perf_counter() - t}
    finally:
        s.close()


def task_profile(store: str, max_ms: float) -> dict:
    """Every named query in-process on the store (pyoxigraph, the union default graph, every row read):
    its kind, rows and median time (3 runs; 1 when the first is already 10× over ``max_ms``)."""
    import pyoxigraph as ox

    s = ox.Store.read_only(store)
    empty = ox.Store()
    out = {}
    for name, text in named().items():
        if not isinstance(empty.query(text), (ox.QuerySolutions, ox.QueryBoolean)):  # its form, from no data
            out[name] = {"kind": "graph", "rows": None, "median_ms": None, "cpu_ms": None, "runs": 0}
            continue  # CONSTRUCT/DESCRIBE: their answer is not a table, never in the workload
        times, cpus, rows, kind = [], [], 0, ""
        for _ in range(3):
            t, c = time.perf_counter(), cpu_seconds()
            r = s.query(text, use_default_graph_as_union=True)
            if isinstance(r, ox.QueryBoolean):
                kind, rows = "ask", int(bool(r))
            elif isinstance(r, ox.QuerySolutions):
                kind, rows = "select", len([tuple(sol) for sol in r])
            else:
                kind, rows = "graph", sum(1 for _ in r)
            del r
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((cpu_seconds() - c) * 1000)
            if cpus[0] > 10 * max_ms:
                break
        out[name] = {"kind": kind, "rows": rows, "median_ms": statistics.median(times),
                     "cpu_ms": statistics.median(cpus), "runs": len(times)}
    return {"queries": out}


TASKS = tasks_of(dict(globals()))


def run_task(name: str, *args: object) -> dict:
    return _run_task(__file__, name, *args, timeout=3600, hide=("queries",))


# ------------------------------------------------------------------------------------------------- servers

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


def start_hpkg(store: Path, port: int, log: Path, *, updates: bool, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    for name in ("HPKG_HOME", "HPKG_UPDATE_TOKEN", "HPKG_QUERY_WORKERS"):
        env.pop(name, None)
    if updates:
        env["HPKG_UPDATE_TOKEN"] = TOKEN
    proc = subprocess.Popen([sys.executable, "-m", "hpkg", "serve", "--store", str(store), "--port", str(port),
                             "--max-results", "100000", "--workers", str(workers), "--access-log", os.devnull],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=log.parent)
    wait_for(f"http://127.0.0.1:{port}/health", proc, log)
    return proc


def oxigraph_exe() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def start_oxigraph(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([oxigraph_exe(), "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}",
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
        self.elapsed = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        with httpx.Client(base_url=self.url, timeout=600) as c:
            i = 0
            while not self.halt.is_set():
                t = time.perf_counter()
                r = c.post("/sparql/update", content=WRITES[i % 2].encode(), headers=UPDATE_HEADERS)
                self.latencies.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    self.failures[str(r.status_code)] = self.failures.get(str(r.status_code), 0) + 1
                i += 1
        self.elapsed = time.perf_counter() - started


def check_answers(name: str, url: str, path: str, queries: list[str], expected: list[int]) -> None:
    """Every query once (the warm-up): the server gives the in-process row count, or the run stops."""
    with httpx.Client(base_url=url, timeout=300) as c:
        for q, n in zip(queries, expected, strict=True):
            r = c.get(path, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
            doc = r.json() if r.status_code == 200 else {}
            got = len(doc["results"]["bindings"]) if "results" in doc else doc.get("boolean")
            if r.status_code != 200 or int(got) != n:  # type: ignore[arg-type]
                raise SystemExit(f"{name}: {r.status_code}, {got} rows instead of {n}: {r.text[:300]}")


class Scenario:
    """One server under the readers' load, measured in rounds: the latencies, failures, time and CPU of them all."""

    def __init__(self, name: str, url: str, path: str, server: subprocess.Popen[bytes]) -> None:
        self.name, self.url, self.path, self.server = name, url, path, server
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}
        self.rounds: list[dict] = []

    def round(self, queries: list[str], args: argparse.Namespace) -> dict:
        """``--requests`` queries from ``--clients`` clients; with the CPU time of the server's process tree
        (hpkg serve and its query worker processes; oxigraph serve) and of this process (the load generator)."""
        targets = [(self.path, {"query": q}) for q in queries]
        load_before = os.getloadavg()[0]
        before = {pid: proc_cpu_seconds([pid]) for pid in process_tree(self.server.pid)}
        client_cpu = cpu_seconds()
        out = asyncio.run(load(self.url, targets, args.clients, args.requests, args.max_seconds))
        tree = process_tree(self.server.pid)
        # a process that started during the round (a query worker) counts from 0; one that ended is not counted
        server_cpu = sum(proc_cpu_seconds([pid]) - before.get(pid, 0.0) for pid in tree)
        failed = sum(out["failures"].values())
        self.latencies += out["latencies"]
        for k, v in out["failures"].items():
            self.failures[k] = self.failures.get(k, 0) + v
        r = {"sent": len(out["latencies"]), "failed": failed, "elapsed_s": round(out["elapsed_s"], 3),
             "qps": round((len(out["latencies"]) - failed) / out["elapsed_s"], 1),
             "server_cpu_s": round(server_cpu, 2), "client_cpu_s": round(cpu_seconds() - client_cpu, 2),
             "server_processes": len(tree), "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        self.rounds.append(r)
        print(f"  {self.name}: {r}", file=sys.stderr)
        return r

    def summary(self) -> dict:
        sent = sum(r["sent"] for r in self.rounds)
        failed = sum(r["failed"] for r in self.rounds)
        elapsed = sum(r["elapsed_s"] for r in self.rounds)
        cpu = sum(r["server_cpu_s"] for r in self.rounds)
        lat = self.latencies
        return {"sent": sent, "failed": failed, "failures": self.failures, "elapsed_s": round(elapsed, 3),
                "qps": round((sent - failed) / elapsed, 1), "p50_ms": round(percentile(lat, 50), 2),
                "p95_ms": round(percentile(lat, 95), 2), "mean_ms": round(statistics.fmean(lat), 2) if lat else None,
                "server_cpu_s": round(cpu, 2), "server_cpu_ms_per_query": round(1000 * cpu / max(1, sent - failed), 2),
                "client_cpu_s": round(sum(r["client_cpu_s"] for r in self.rounds), 2),
                "rounds_qps": [r["qps"] for r in self.rounds]}


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict:
    print(f"== {label(n)} ==", file=sys.stderr)
    import pyoxigraph as ox

    store = work / f"store-{label(n)}"
    built = run_task("build", n, str(store), str(work))
    # each server its own copy (RocksDB checkpoints): the writer's server writes, the others only read
    copies = {k: work / f"{k}-store-{label(n)}" for k in ("read-only", "oxigraph")}
    for copy in copies.values():
        ox.Store.read_only(str(store)).backup(str(copy))
    profile = run_task("profile", str(store), args.max_query_ms)["queries"]
    texts = named()
    # chosen by CPU time, which other work on the machine inflates much less than the wall clock
    chosen = [k for k, v in profile.items() if v["kind"] in ("select", "ask") and v["cpu_ms"] <= args.max_query_ms]
    if not chosen:
        raise SystemExit(f"no named query answers within {args.max_query_ms} ms at {label(n)}")
    queries = [texts[k] for k in chosen]
    expected = [profile[k]["rows"] for k in chosen]
    mean_in_process = statistics.fmean(profile[k]["cpu_ms"] for k in chosen)

    procs: list[subprocess.Popen[bytes]] = []
    writers: list[Writer] = []
    try:
        # All three servers run at once, idle but for the one measured: the scenarios alternate round by round,
        # so that other work on the machine falls on all of them alike.
        ports = [free_port() for _ in range(3)]
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        procs.append(start_hpkg(store, ports[0], work / "hpkg-updates.log", updates=True, workers=args.workers))
        procs.append(start_hpkg(copies["read-only"], ports[1], work / "hpkg-read-only.log", updates=False,
                                workers=args.workers))
        procs.append(start_oxigraph(copies["oxigraph"], ports[2], work / "oxigraph.log"))
        check_answers("hpkg serve, updates on", urls[0], "/sparql", queries, expected)
        check_answers("hpkg serve, read-only", urls[1], "/sparql", queries, expected)
        check_answers("oxigraph serve", urls[2], "/query", queries, expected)
        for text in WRITES:  # one guarded write and its undo first: the shapes are read on the first write
            r = httpx.post(urls[0] + "/sparql/update", content=text.encode(), timeout=600, headers=UPDATE_HEADERS)
            if r.status_code != 200:
                raise SystemExit(f"the writer's update is refused ({r.status_code}): {r.text[:500]}")
        scenarios = {"hpkg_updates_on": Scenario("hpkg serve, updates on, no writer", urls[0], "/sparql", procs[0]),
                     "hpkg_updates_on_with_writer": Scenario("hpkg serve, updates on, with a writer", urls[0],
                                                             "/sparql", procs[0]),
                     "hpkg_read_only": Scenario("hpkg serve, read-only", urls[1], "/sparql", procs[1]),
                     "oxigraph_serve": Scenario("oxigraph serve", urls[2], "/query", procs[2])}
        order = list(scenarios)
        for i in range(args.rounds):
            print(f"  round {i + 1}/{args.rounds}", file=sys.stderr)
            for key in order[i % len(order):] + order[:i % len(order)]:  # each round starts one further on
                if key == "hpkg_updates_on_with_writer":
                    writer = Writer(urls[0])
                    writers.append(writer)
                    writer.start()
                    scenarios[key].round(queries, args)
                    writer.halt.set()
                    writer.join(timeout=600)
                else:
                    scenarios[key].round(queries, args)
    finally:
        for w in writers:
            w.halt.set()
        for proc in procs:
            stop(proc)
    for path in (store, *copies.values()):
        shutil.rmtree(path, ignore_errors=True)

    s = {k: v.summary() for k, v in scenarios.items()}
    w_lat = [x for w in writers for x in w.latencies]
    w_fail: dict[str, int] = {}
    for w in writers:
        for k, v in w.failures.items():
            w_fail[k] = w_fail.get(k, 0) + v
    w_time = sum(w.elapsed for w in writers)
    s["writer"] = {"updates": len(w_lat), "failures": w_fail,
                   "per_second": round(len(w_lat) / w_time, 1) if w_time else None,
                   "p50_ms": round(percentile(w_lat, 50), 1), "p95_ms": round(percentile(w_lat, 95), 1),
                   "mean_ms": round(statistics.fmean(w_lat), 1) if w_lat else None}

    def per_round(a: str, b: str) -> list[float]:
        return [round(x["qps"] / y["qps"], 2) for x, y in zip(scenarios[a].rounds, scenarios[b].rounds, strict=True)]

    def cpu_ratio(a: str, b: str) -> float:
        return round(s[a]["server_cpu_ms_per_query"] / s[b]["server_cpu_ms_per_query"], 2)

    pairs = {"with_writer_to_without": ("hpkg_updates_on_with_writer", "hpkg_updates_on"),
             "hpkg_read_only_to_oxigraph": ("hpkg_read_only", "oxigraph_serve"),
             "hpkg_updates_on_to_oxigraph": ("hpkg_updates_on", "oxigraph_serve")}
    ratios: dict[str, object] = {k: round(s[a]["qps"] / s[b]["qps"], 2) for k, (a, b) in pairs.items()}
    ratios["per_round"] = {k: per_round(a, b) for k, (a, b) in pairs.items()}
    ratios["server_cpu_per_query_hpkg_read_only_to_oxigraph"] = cpu_ratio("hpkg_read_only", "oxigraph_serve")
    ratios["server_cpu_per_query_hpkg_updates_on_to_oxigraph"] = cpu_ratio("hpkg_updates_on", "oxigraph_serve")
    return {"size": n, "label": label(n), "quads": built["quads"], "build_seconds": round(built["seconds"], 1),
            "workload": chosen, "workload_mean_in_process_ms": round(mean_in_process, 2),
            "left_out": {k: {"kind": v["kind"], "cpu_ms": None if v["cpu_ms"] is None else round(v["cpu_ms"], 1)}
                         for k, v in profile.items() if k not in chosen},
            "profile": profile, "scenarios": s, "rounds": {k: v.rounds for k, v in scenarios.items()},
            "ratios": ratios}


# ------------------------------------------------------------------------------------------------- report

ROWS = [("hpkg serve, updates on (query threads), no writer", "hpkg_updates_on"),
        ("same, while a writer sends guarded updates", "hpkg_updates_on_with_writer"),
        ("hpkg serve, read-only (query processes)", "hpkg_read_only"),
        ("oxigraph serve --union-default-graph, same store copy", "oxigraph_serve")]


def markdown(report: dict) -> str:
    m, p = report["machine"], report["params"]
    md = ["# Reader throughput: with a writer, and against oxigraph serve", "",
          f"`{report['command']}` on {report['when']} ({m['cpus']} CPUs, Python {m['python']}, oxigraph "
          f"{p['oxigraph']}; load average {m['load_average_at_start'][0]} at the start, "
          f"{m['load_average_at_end'][0]} at the end). Clients, servers and writer share the machine's cores with "
          "each other and with other work; the load average before and after each round is in the JSON.", "",
          f"Workload: the named queries (`bench/queries/` and the shipped ones) whose in-process median CPU time is at most "
          f"{p['max_query_ms']:g} ms at that size, SELECT and ASK, in turn; {p['clients']} concurrent clients. "
          f"The three servers run at once (each on its own copy of the store) and the four scenarios alternate: "
          f"{p['rounds']} rounds of {p['requests']} requests per scenario (at most {p['max_seconds']:g} s each), "
          "each round starting one scenario further on, so that other work on the machine falls on all alike; "
          f"hpkg serve with `--workers {p['workers']}`. Each server's answers were checked first (the in-process "
          "row count for every query). CPU: the server's process tree (hpkg serve and its query worker "
          "processes; oxigraph serve) over its rounds, from /proc, per answered query; client CPU: the load "
          "generator's process (with the writer's thread).", ""]
    for r in report["results"]:
        s, q = r["scenarios"], r["ratios"]
        met = "met" if q["with_writer_to_without"] >= 0.8 else "missed"

        def spread(key: str, q: dict = q) -> str:
            rounds = q.get("per_round", {}).get(key)
            return f" (rounds {min(rounds)}–{max(rounds)})" if rounds else ""

        md += [f"## {r['label']}: {r['quads']:,} quads", "",
               f"Workload: {len(r['workload'])} queries (mean in-process CPU time {r['workload_mean_in_process_ms']} "
               f"ms); left out (in-process CPU time): "
               + (", ".join(f"{k} ({v['cpu_ms']:g} ms)" for k, v in sorted(
                   ((k, v) for k, v in r["left_out"].items() if v["kind"] != "graph"), key=lambda kv: -kv[1]["cpu_ms"]))
                  or "none")
               + "; not tables (CONSTRUCT/DESCRIBE): "
               + (", ".join(k for k, v in r["left_out"].items() if v["kind"] == "graph") or "none") + ".", "",
               "| scenario | queries/s | p50 / p95 ms | server CPU s (per query ms) | client CPU s | sent / failed |",
               "|---|---:|---:|---:|---:|---:|",
               *[f"| {lab} | {s[k]['qps']} | {s[k]['p50_ms']} / {s[k]['p95_ms']} | {s[k]['server_cpu_s']} "
                 f"({s[k]['server_cpu_ms_per_query']}) | {s[k]['client_cpu_s']} | {s[k]['sent']} / {s[k]['failed']} |"
                 for lab, k in ROWS], "",
               f"Writer: {s['writer']['updates']} guarded updates ({s['writer']['per_second']}/s; a one-triple insert, "
               f"then its delete) during the run, p50 {s['writer']['p50_ms']} ms, p95 {s['writer']['p95_ms']} ms, "
               f"failures {s['writer']['failures'] or 0}.", "",
               "| ratio (all rounds' queries / all rounds' time) | value | target |", "|---|---:|---|",
               f"| readers with the writer / without | {q['with_writer_to_without']}x{spread('with_writer_to_without')} "
               f"| >= 0.8x ({met}) |",
               f"| hpkg serve read-only / oxigraph serve (queries/s) | {q['hpkg_read_only_to_oxigraph']}x"
               f"{spread('hpkg_read_only_to_oxigraph')} | (0.77x measured before, all queries) |",
               f"| hpkg serve updates on / oxigraph serve (queries/s) | {q['hpkg_updates_on_to_oxigraph']}x"
               f"{spread('hpkg_updates_on_to_oxigraph')} | |",
               f"| server CPU per query, hpkg read-only / oxigraph | "
               f"{q['server_cpu_per_query_hpkg_read_only_to_oxigraph']}x | |",
               f"| server CPU per query, hpkg updates on / oxigraph | "
               f"{q['server_cpu_per_query_hpkg_updates_on_to_oxigraph']}x | |", ""]
    if report.get("note"):
        md += [report["note"].rstrip(), ""]
    return "\n".join(md)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100k", help="generated triples, comma-separated (100k,1M)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=300, help="requests per scenario and round")
    ap.add_argument("--rounds", type=int, default=5, help="rounds: each runs every scenario once, in turn")
    ap.add_argument("--max-seconds", type=float, default=300.0, help="cap on each scenario's sending")
    ap.add_argument("--max-query-ms", type=float, default=50.0,
                    help="a named query is in the workload when its in-process median CPU time is at most this")
    ap.add_argument("--workers", type=int, default=4, help="hpkg serve --workers (queries at once)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--note", type=Path, default=None, help="a markdown file appended to the md (the reading)")
    ap.add_argument("--report", action="store_true", help="only rewrite the md from the JSON (with --note)")
    args = ap.parse_args()
    for name in ("clients", "requests", "rounds", "workers"):
        if getattr(args, name) < 1:
            ap.error(f"--{name} must be at least 1")
    if args.report:
        report = json.loads((args.out / "load_readers.json").read_text())
        if args.note:
            report["note"] = args.note.read_text(encoding="utf-8")
            write_atomic(args.out / "load_readers.json", (json.dumps(report, indent=2) + "\n").encode())
        write_atomic(args.out / "load_readers.md", markdown(report).encode())
        print(markdown(report))
        return
    sizes = [parse_size(x) for x in args.sizes.split(",") if x.strip()]
    if not Path(oxigraph_exe()).exists():
        raise SystemExit("the 'oxigraph' server is not installed (pip install -e '.[dev]')")
    version = subprocess.run([oxigraph_exe(), "--version"], capture_output=True, text=True).stdout.split()[-1:]
    report = {
        "benchmark": "load_readers",
        "command": "python bench/load_readers.py " + shlex.join(sys.argv[1:]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "params": {"sizes": args.sizes, "clients": args.clients, "requests": args.requests, "rounds": args.rounds,
                   "max_seconds": args.max_seconds, "max_query_ms": args.max_query_ms, "workers": args.workers,
                   "oxigraph": version[0] if version else None},
        "targets": {"with_writer_to_without": 0.8},
        "results": [],
    }
    if args.note:
        report["note"] = args.note.read_text(encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-readers-") as tmp:
        for n in sizes:
            report["results"].append(bench_size(n, args, Path(tmp)))
            report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            # written after every size: a long run leaves its finished sizes behind
            write_atomic(args.out / "load_readers.json", (json.dumps(report, indent=2) + "\n").encode())
            write_atomic(args.out / "load_readers.md", markdown(report).encode())
    print(markdown(report))


if __name__ == "__main__":
    if not worker_main(TASKS):
        main()
