"""Guarded update latency (issue 9, part 7): a validated SPARQL Update against the same update unguarded.

    python bench/update_latency.py --sizes 100k,1M [--runs 50] [--out bench/results]
    python bench/update_latency.py --sizes 100k:50:10,1M:10:3    # runs per size (inserts : deletes)

For each size a synthetic graph (``hpkg generate``, seed 1, no injected violations) is loaded into an on-disk
store with the ontology (its own graph), the code lists and the units, as ``bench/run.py`` does, and optimised.
Then, with the full shipped shapes (``src/hpkg/graph/shapes/``), each of three updates is timed ``--runs`` times
guarded (:func:`hpkg.update.apply_update`: check on a private checkpoint, incremental validation, commit) and
unguarded (``store.update``, the baseline), alternately, in the same process:

* **insert**: ``INSERT DATA`` of one complete observation (a cumulative-FDI figure with all its dimensions,
  attributes, labels and provenance: 13 triples), a new IRI each run;
* **violating**: the same observation with a value below the same year's FDI: ``CumulativeNotBelowYearShape``
  rejects it (guarded: nothing is written; unguarded: it is written, then removed untimed);
* **delete**: ``DELETE … WHERE`` of every triple of 77 revenue observations (1,001 triples); the triples are put
  back untimed after each run (on the guarded store followed by one untimed guarded insert, which makes the kept
  view again: a plain write makes it stale). The deletes run after all the inserts: a view made again answers its
  first look-ups from cold caches, and interleaved, every insert would be timed on such a view.

The unguarded updates run on a copy of the store, so that the guarded store sees only guarded writes, as behind
``hpkg serve``: the private view it keeps (:func:`hpkg.store.snapshot.kept_view`) stays valid between writes.

Median and p95 (nearest rank) per update, and the ratio guarded / unguarded. Results:
``bench/results/update_latency.json`` and ``.md``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.generate import generate, sizes_for  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.shacl import load_ontology, load_shapes  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402
from hpkg.store.bulk import load_files  # noqa: E402
from hpkg.update import UpdateRejected, apply_update  # noqa: E402

SYN = "https://w3id.org/hpkg/synthetic/"
ID = "https://w3id.org/hpkg/id/"
PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
#: Revenue observations the delete removes whole (13 triples each: 1,001 triples).
DELETE_OBSERVATIONS = 77


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def observation(name: str, value: str) -> str:
    """INSERT DATA of one complete cumulative-FDI observation of zone 1 in 2005 (a copy of the generator's)."""
    o = f"<{SYN}obs/{name}>"
    return PREFIXES + f"""INSERT DATA {{
  {o} a qb:Observation ; rdfs:label "Quan sát đo độ trễ {name}"@vi , "Latency observation {name}"@en ;
    qb:dataSet <{SYN}dataset/synthetic-1> ; hpkg:indicator <{ID}concept/indicator/fdi-cumulative> ;
    sdmx-dimension:refArea <{SYN}zone/zone-0001> ; sdmx-dimension:refPeriod <{SYN}period/2005> ;
    hpkg:sector <{ID}concept/sector/all> ; sdmx-measure:obsValue "{value}"^^xsd:decimal ;
    sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/CCY_USD> ;
    hpkg:valueQualifier <{ID}concept/qualifier/exact> ;
    prov:wasDerivedFrom <{SYN}source/synthetic-1> ; hpkg:evidence <{SYN}source/synthetic-1/p1-s1> .
}}"""


DELETE = PREFIXES + f"""DELETE {{ GRAPH ?g {{ ?o ?p ?v }} }} WHERE {{
  {{ SELECT ?o WHERE {{ GRAPH ?h {{ ?o hpkg:indicator <{ID}concept/indicator/revenue> }} }}
    ORDER BY ?o LIMIT {DELETE_OBSERVATIONS} }}
  GRAPH ?g {{ ?o ?p ?v }}
}}"""
#: The quads DELETE removes (to put them back).
DELETED = DELETE.replace("DELETE { GRAPH ?g { ?o ?p ?v } } WHERE", "SELECT ?o ?p ?v ?g WHERE")


def build_store(n: int, work: Path) -> tuple[Path, int]:
    from run import BASE, extra_files, label  # bench/run.py: the same data set-up as the other benchmarks

    cache = ROOT / "bench" / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    file = cache / f"synthetic-{label(n)}-seed1-v0-latency.nt.gz"
    if not file.exists():
        generate(file, seed=1, violations=0, **sizes_for(n))
    path = work / f"store-{label(n)}"
    s = OxigraphStore(path)
    load_files(s, [file], optimize=False)
    for extra, graph in extra_files():
        load_files(s, [extra], graph=graph, optimize=False, base=BASE)
    s.optimize()
    count = s.count()
    s.close()
    return path, count


def timed(fn: object) -> tuple[float, float]:
    """(wall, CPU) seconds of ``fn()``: the CPU time (``time.process_time``, all threads of the process) is the
    figure a shared, loaded machine inflates least."""
    t, c = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t, time.process_time() - c


def bench_size(n: int, runs: int, work: Path, delete_runs: int | None = None) -> dict:
    from run import label

    path, triples = build_store(n, work)
    # the baseline writes its own copy: the guarded store sees only guarded writes, as behind 'hpkg serve'
    # (so the private view it keeps stays valid from one write to the next)
    shutil.copytree(path, work / f"baseline-{label(n)}")
    store, plain = OxigraphStore(path), OxigraphStore(work / f"baseline-{label(n)}")
    project = shipped_only()
    shapes, ontology = load_shapes(project), load_ontology(project)
    quads = [ox.Quad(r["o"], r["p"], r["v"], r["g"]) for r in plain.reader.query(DELETED)]  # type: ignore[index]
    deleted = quads

    def guarded(sparql: str) -> None:
        apply_update(store, sparql, shapes=shapes, ontology=ontology)

    def rejected(sparql: str) -> None:
        try:
            apply_update(store, sparql, shapes=shapes, ontology=ontology)
        except UpdateRejected:
            return
        raise AssertionError("the violating update was accepted")

    # one warm-up of each (compiles the shapes once, as a server does at start)
    guarded(observation("warm-up", "98800000.0"))
    rejected(observation("warm-up-bad", "1.0"))
    load_before = os.getloadavg()[0]
    times: dict[str, dict[str, list[tuple[float, float]]]] = {k: {"guarded": [], "unguarded": []}
                                                for k in ("insert", "violating", "delete")}
    for i in range(runs):
        times["insert"]["guarded"].append(timed(lambda i=i: guarded(observation(f"g{i}", "98800000.0"))))
        times["insert"]["unguarded"].append(timed(lambda i=i: plain.update(observation(f"u{i}", "98800000.0"))))
        times["violating"]["guarded"].append(timed(lambda i=i: rejected(observation(f"gb{i}", "1.0"))))
        times["violating"]["unguarded"].append(timed(lambda i=i: plain.update(observation(f"ub{i}", "1.0"))))
        plain.update(f"DELETE WHERE {{ <{SYN}obs/ub{i}> ?p ?v }}")
        print(f"  {label(n)} run {i + 1}/{runs}", file=sys.stderr, end="\r")
    # the deletes after all the inserts: each put-back makes the kept view stale, and a new view answers its first
    # look-ups from cold caches; interleaved, every insert would be timed on a view one write old
    for i in range(runs if delete_runs is None else delete_runs):
        times["delete"]["guarded"].append(timed(lambda: guarded(DELETE)))
        # put back untimed; a plain write makes the kept view stale, so one untimed guarded write makes it again
        # (guarding the put-back itself, 77 observations, would take longer than the whole run)
        store.add_quads(quads)
        guarded(observation(f"w{i}", "98800000.0"))
        times["delete"]["unguarded"].append(timed(lambda: plain.update(DELETE)))
        plain.add_quads(quads)
        print(f"  {label(n)} delete {i + 1}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    out: dict = {"size": n, "label": label(n), "triples": triples, "deleted_triples": len(deleted), "updates": {},
                 "load_average": [load_before, os.getloadavg()[0]]}

    def summary(xs: list[tuple[float, float]]) -> dict[str, float]:
        wall, cpu = [w for w, _ in xs], [c for _, c in xs]
        return {"median_ms": statistics.median(wall) * 1e3, "p95_ms": percentile(wall, 95) * 1e3,
                "cpu_median_ms": statistics.median(cpu) * 1e3, "cpu_p95_ms": percentile(cpu, 95) * 1e3}

    for k, d in times.items():
        g, u = summary(d["guarded"]), summary(d["unguarded"])
        out["updates"][k] = {
            "guarded": g,
            "unguarded": u,
            "ratio_median": g["median_ms"] / u["median_ms"],
            "ratio_cpu_median": g["cpu_median_ms"] / max(u["cpu_median_ms"], 1e-3),
            "runs": len(d["guarded"]),
        }
    store.close()
    plain.close()
    return out


def markdown(result: dict) -> str:
    lines = [
        "# Guarded update latency",
        "",
        f"Measured by `bench/update_latency.py` on {result['machine']} ({result['cpus']} CPUs, shared), "
        "the runs per update as in the table (`runs`), median and p95 (nearest rank) in milliseconds.",
        "",
        "Data: `hpkg generate` (seed 1, no injected violations) at each size, loaded into an on-disk store with the "
        "ontology (its own graph), `data/concepts.ttl` and `data/units.ttl`, optimised. Shapes: the full shipped "
        "shapes (`src/hpkg/graph/shapes/`, all files). Guarded = `hpkg.update.apply_update` (a private RocksDB "
        "checkpoint, the update's effect, incremental validation, commit); unguarded = the same update run on the "
        "store's copy (the baseline, same process, alternating with the guarded runs; the guarded store sees only "
        "guarded writes, as behind `hpkg serve`, so the private view it keeps stays valid between writes).",
        "",
        "* insert: `INSERT DATA` of one complete observation (13 triples);",
        "* violating: the same observation with a value below the year's FDI (rejected by "
        "`CumulativeNotBelowYearShape`; guarded writes nothing);",
        f"* delete: `DELETE … WHERE` of every triple of {DELETE_OBSERVATIONS} observations "
        "(the triple count per size is in the table), restored untimed after each run.",
        "",
        "Wall clock (ms):",
        "",
        "| size | triples | runs | update | guarded median | guarded p95 | unguarded median | unguarded p95 | ratio |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in result["sizes"]:
        for k, u in r["updates"].items():
            name = f"{k} ({r['deleted_triples']} triples)" if k == "delete" else k
            lines.append(f"| {r['label']} | {r['triples']:,} | {u['runs']} | {name} | {u['guarded']['median_ms']:.1f} | "
                         f"{u['guarded']['p95_ms']:.1f} | {u['unguarded']['median_ms']:.1f} | "
                         f"{u['unguarded']['p95_ms']:.1f} | {u['ratio_median']:.0f}× |")
    if all("cpu_median_ms" in u["guarded"] for r in result["sizes"] for u in r["updates"].values()):
        lines += ["", "CPU time of the process (ms, `time.process_time`; less inflated by the machine's load; the "
                  "load average at the start and end of each size in the last column):", "",
                  "| size | update | guarded median | guarded p95 | unguarded median | unguarded p95 | ratio | load |",
                  "|---|---|---:|---:|---:|---:|---:|---|"]
        for r in result["sizes"]:
            load = "–".join(f"{x:.1f}" for x in r.get("load_average", []))
            for k, u in r["updates"].items():
                g, b = u["guarded"], u["unguarded"]
                lines.append(f"| {r['label']} | {k} | {g['cpu_median_ms']:.1f} | {g['cpu_p95_ms']:.1f} | "
                             f"{b['cpu_median_ms']:.1f} | {b['cpu_p95_ms']:.1f} | {u['ratio_cpu_median']:.0f}× | {load} |")
    lines += ["", "Target (issue 9): a guarded one-observation insert at 1M triples ≤ 100 ms median and ≤ 3× the "
              "unguarded update.", ""]
    if result.get("note"):
        lines += [result["note"], ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--note", default="", help="a paragraph for the md (what the figures mean)")
    args = ap.parse_args()
    from run import parse_size

    result: dict = {"machine": platform.machine(), "cpus": os.cpu_count(), "runs": args.runs,
                    "python": platform.python_version(), "pyoxigraph": ox.__version__, "sizes": []}
    result["note"] = args.note
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hpkg-update-latency-") as tmp:
        for spec in args.sizes.split(","):
            size, *counts = spec.split(":")
            n = parse_size(size)
            print(f"== {size} ==", file=sys.stderr)
            r = bench_size(n, int(counts[0]) if counts else args.runs, Path(tmp),
                           int(counts[1]) if len(counts) > 1 else None)
            result["sizes"].append(r)
            # written after every size: a long run leaves its finished sizes behind
            write_atomic(out / "update_latency.json", (json.dumps(result, indent=2) + "\n").encode("utf-8"))
            write_atomic(out / "update_latency.md", markdown(result).encode("utf-8"))
    print(markdown(result))


if __name__ == "__main__":
    main()
