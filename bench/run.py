"""hpkg benchmarks: load, query and validation against the raw engines, measured in the same run.

    python bench/run.py --sizes 100k,1M [--with-10m] [--repeat 5] [--out bench/results]

For each size a synthetic graph is generated (``hpkg generate``, with injected violations) and then, each step
in its own subprocess (so that its peak memory, ``ru_maxrss``, is its own):

* load:   ``hpkg load`` (checked bulk load, one transaction) vs raw ``pyoxigraph`` ``bulk_load`` vs ``rdflib`` parse;
          ``optimize`` timed apart;
* query:  every named query (``queries/*.rq``) and every workload query (``bench/queries/*.rq``), median of
          ``--repeat`` runs, through hpkg (on-disk store) vs raw pyoxigraph on the same on-disk store, raw
          pyoxigraph on disk *before* ``optimize``, raw pyoxigraph in memory, and rdflib (up to ``--rdflib-max``);
* validate: ``hpkg validate`` (fast engine) vs pyshacl (up to ``--pyshacl-max``), results compared key for key,
          and every injected violation looked up in the results.

Results: ``bench/results/results.json``, ``results.md`` (the tables) and ``latency.png`` (latency vs size).
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402
from _common import label, parse_size, tasks_of, worker_main  # noqa: E402, F401 - label, parse_size: used by other scripts

from hpkg.project import shipped_root  # noqa: E402

#: The graph that ships with hpkg (src/hpkg/graph): its ontology, code lists, shapes and named queries.
GRAPH = shipped_root()
BASE = "https://w3id.org/hpkg/id/"
SHAPES = [*sorted((GRAPH / "shapes").glob("*.ttl")), *sorted((ROOT / "bench" / "shapes").glob("*.ttl"))]


def queries() -> dict[str, str]:
    """The shipped named queries (found at run time) and the benchmark's workload queries."""
    out = {}
    for folder, prefix in ((GRAPH / "queries", ""), (ROOT / "bench" / "queries", "bench:")):
        for p in sorted(folder.glob("*.rq")):
            out[prefix + p.stem] = p.read_text(encoding="utf-8")
    return out


def extra_files() -> list[tuple[Path, str | None]]:
    """What generated data is validated and queried with: the ontology, the code lists and the units."""
    from hpkg.namespaces import ONTOLOGY_IRI

    return [(GRAPH / "ontology" / "hpkg.ttl", ONTOLOGY_IRI), (GRAPH / "data" / "concepts.ttl", None),
            (GRAPH / "data" / "units.ttl", None)]


# --------------------------------------------------------------------------- worker tasks (run in subprocesses)

def task_load_hpkg(file: str, store: str) -> dict:
    from hpkg.store import OxigraphStore
    from hpkg.store.bulk import load_files

    s = OxigraphStore(store)
    t = time.perf_counter()
    report = load_files(s, [file], optimize=False)
    load_s = time.perf_counter() - t
    for path, graph in extra_files():
        load_files(s, [path], graph=graph, optimize=False, base=BASE)
    t = time.perf_counter()
    s.optimize()  # as 'hpkg load' does after its files
    opt_s = time.perf_counter() - t
    s.close()
    return {"seconds": load_s, "optimize_seconds": opt_s, "quads": report.quads}


def task_load_raw(file: str, store: str) -> dict:
    import gzip

    import pyoxigraph as ox

    s = ox.Store(store)
    t = time.perf_counter()
    with gzip.open(file, "rb") as f:
        s.bulk_load(f, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BASE + "graph/load/raw"))
    secs = time.perf_counter() - t
    from hpkg.namespaces import ONTOLOGY_IRI

    for path, graph in extra_files():
        s.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE,
               to_graph=ox.NamedNode(graph or ONTOLOGY_IRI + "-extra"))
    s.flush()
    return {"seconds": secs, "quads": len(s)}


def task_parse_rdflib(file: str) -> dict:
    import gzip

    from rdflib import Graph

    t = time.perf_counter()
    g = Graph()
    with gzip.open(file, "rb") as f:
        g.parse(f, format="nt")
    return {"seconds": time.perf_counter() - t, "quads": len(g)}


def _time_queries(run, repeat: int, only: dict[str, str] | None = None) -> dict:
    out = {}
    for name, text in (only if only is not None else queries()).items():
        times, rows = [], None
        for _ in range(repeat):
            t = time.perf_counter()
            rows = run(text)
            times.append(time.perf_counter() - t)
        out[name] = {"median": statistics.median(times), "rows": rows}
    return out


def _consume(result) -> int:
    """Read an hpkg QueryResult completely: the number of rows or triples (1 for ASK)."""
    if result.kind == "select":
        return len(result.rows())
    return 1 if result.kind == "ask" else len(result.triples())


def _read(result) -> int:
    """Consume a result completely: solutions or triples are counted, an ASK answer counts as one row."""
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return 1
    return len([tuple(sol) for sol in result])


def task_query_hpkg(store: str, repeat: int) -> dict:
    """hpkg and the raw engine on the *same* store handle, runs interleaved, so that load from other processes
    on the machine hits both alike: the ratio is the cost of hpkg's layer alone."""
    from hpkg.store import OxigraphStore

    s = OxigraphStore(store, read_only=True)
    raw = s.engine
    out: dict = {"hpkg": {}, "raw": {}}
    for name, text in queries().items():
        times: dict[str, list[float]] = {"hpkg": [], "raw": []}
        rows = 0
        for _ in range(repeat):
            t = time.perf_counter()
            rows = _consume(s.query(text))
            times["hpkg"].append(time.perf_counter() - t)
            t = time.perf_counter()
            _read(raw.query(text, use_default_graph_as_union=True))
            times["raw"].append(time.perf_counter() - t)
        for k in times:
            out[k][name] = {"median": statistics.median(times[k]), "rows": rows}
    return out


def task_query_raw(store: str, repeat: int, optimize: bool = False) -> dict:
    import pyoxigraph as ox

    out: dict = {}
    if optimize:
        s = ox.Store(store)
        t = time.perf_counter()
        s.optimize()
        out["optimize_seconds"] = time.perf_counter() - t
        del s
    s = ox.Store.read_only(store)
    # Like any user of the raw engine, read every value of every solution (hpkg builds a dict per row).
    out["queries"] = _time_queries(lambda q: _read(s.query(q, use_default_graph_as_union=True)), repeat)
    return out


def task_query_memory(file: str, repeat: int) -> dict:
    import gzip

    import pyoxigraph as ox

    s = ox.Store()
    with gzip.open(file, "rb") as f:
        s.bulk_load(f, format=ox.RdfFormat.N_TRIPLES)
    for path, _ in extra_files():
        s.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return {"queries": _time_queries(lambda q: _read(s.query(q)), repeat)}


def task_query_rdflib(file: str, repeat: int) -> dict:
    import gzip

    from rdflib import Graph

    g = Graph()
    with gzip.open(file, "rb") as f:
        g.parse(f, format="nt")
    for path, _ in extra_files():
        g.parse(path, format="turtle", publicID=BASE)
    def read(q: str) -> int:
        result = g.query(q)
        return 1 if result.type == "ASK" else len([tuple(row) for row in result])

    supported = {}
    for name, text in queries().items():
        try:
            read(text)
        except Exception as e:  # noqa: BLE001 - rdflib's engine fails on some valid SPARQL; record and go on
            print(f"rdflib cannot run {name}: {type(e).__name__}: {e}", file=sys.stderr)
        else:
            supported[name] = text
    return {"queries": _time_queries(read, repeat, supported)}


def _shapes():
    from hpkg.rdfio import parse_rdf
    from hpkg.terms import quads_to_graph

    return quads_to_graph(q for f in SHAPES for q in parse_rdf(f))


def task_validate_fast(store: str, keys_out: str) -> dict:
    from hpkg.project import shipped_only
    from hpkg.shacl import load_ontology
    from hpkg.shacl.compiler import compile_shapes
    from hpkg.shacl.runner import validate_fast
    from hpkg.store import OxigraphStore

    s = OxigraphStore(store, read_only=True)
    shapes = _shapes()
    t = time.perf_counter()
    report = validate_fast(s, shapes=shapes, ontology=load_ontology(shipped_only()))
    secs = time.perf_counter() - t
    Path(keys_out).write_text(json.dumps(sorted([x or "" for x in v.key()] for v in report.violations)))
    return {"seconds": secs, "results": len(report.violations), "fallback": len(compile_shapes(shapes).fallback)}


def task_validate_pyshacl(file: str, keys_out: str) -> dict:
    import gzip

    import pyoxigraph as ox

    from hpkg.project import shipped_only
    from hpkg.shacl import load_ontology
    from hpkg.shacl.reference import validate_graph
    from hpkg.terms import quads_to_graph

    t = time.perf_counter()
    with gzip.open(file, "rb") as f:
        g = quads_to_graph(ox.parse(f, format=ox.RdfFormat.N_TRIPLES))
    for path, _ in extra_files()[1:]:
        quads_to_graph(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE), g)
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    report = validate_graph(g, shapes=_shapes(), ontology=load_ontology(shipped_only()))
    secs = time.perf_counter() - t
    Path(keys_out).write_text(json.dumps(sorted([x or "" for x in v.key()] for v in report.violations)))
    return {"seconds": secs, "parse_seconds": parse_s, "results": len(report.violations)}


TASKS = tasks_of(globals())


def run_task(name: str, *args: object, timeout: float = 3600) -> dict:
    """Run one task in a fresh Python process; its JSON result (with wall time and peak memory)."""
    return _common.run_task(__file__, name, *args, timeout=timeout, hide=("queries",))


# --------------------------------------------------------------------------- driver

def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict:
    from hpkg.generate import generate, sizes_for

    cache = ROOT / "bench" / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    params = sizes_for(n)
    import hashlib

    version = hashlib.sha256((ROOT / "src" / "hpkg" / "generate.py").read_bytes()).hexdigest()[:8]
    file = cache / f"synthetic-{label(n)}-seed1-v{args.violations}-{version}.nt.gz"  # regenerated when the generator changes
    manifest = Path(str(file) + ".violations.json")
    if not file.exists() or not manifest.exists():
        print(f"generating {label(n)}: {params}", file=sys.stderr)
        generate(file, seed=1, violations=args.violations, **params)
    injected = json.loads(manifest.read_text())["violations"]
    r: dict = {"size": n, "label": label(n), "params": params, "file_mb": file.stat().st_size / 1e6}
    print(f"== {label(n)} ==", file=sys.stderr)
    hp, raw = work / f"hpkg-{n}", work / f"raw-{n}"
    # Loads: hpkg and raw alternately, twice each, best of two (the machine may be shared).
    loads: dict[str, list[dict]] = {"hpkg": [], "raw": []}
    for i in range(args.load_runs):
        last = i == args.load_runs - 1
        for kind, task, d in (("hpkg", "load_hpkg", hp), ("raw", "load_raw", raw)):
            target = d if last else work / f"{kind}-{n}-try{i}"
            loads[kind].append(run_task(task, str(file), str(target)))
            if not last:
                subprocess.run(["rm", "-rf", str(target)], check=False)
    r["load_hpkg"] = min(loads["hpkg"], key=lambda x: x["seconds"])
    r["load_raw"] = min(loads["raw"], key=lambda x: x["seconds"])
    r["load_runs"] = {k: [x["seconds"] for x in v] for k, v in loads.items()}
    r["triples"] = r["load_hpkg"]["quads"]
    if n <= args.rdflib_parse_max:
        r["load_rdflib"] = run_task("parse_rdflib", str(file))
    # The on-disk/in-memory gap: the raw store before optimize, then after; hpkg vs raw on one handle.
    r["query_raw_unoptimized"] = run_task("query_raw", str(raw), args.repeat, False)
    r["query_raw_optimized"] = run_task("query_raw", str(raw), args.repeat, True)
    both = run_task("query_hpkg", str(hp), args.repeat)
    r["query_hpkg"] = {"queries": both["hpkg"], "max_rss_mb": both["max_rss_mb"]}
    r["query_raw"] = {"queries": both["raw"], "max_rss_mb": both["max_rss_mb"]}
    r["query_memory"] = run_task("query_memory", str(file), args.repeat)
    if n <= args.rdflib_max:
        r["query_rdflib"] = run_task("query_rdflib", str(file), args.repeat)
    fast_keys, ref_keys = work / f"fast-{n}.json", work / f"ref-{n}.json"
    if args.skip_validate:
        for d in (hp, raw):
            subprocess.run(["rm", "-rf", str(d)], check=False)
        return r
    r["validate_fast"] = run_task("validate_fast", str(hp), str(fast_keys))
    found = {k[0] for k in json.loads(fast_keys.read_text())}
    r["validate_fast"]["injected_found"] = {kind: sum(x in found for x in nodes) for kind, nodes in injected.items()}
    r["validate_fast"]["injected"] = {kind: len(nodes) for kind, nodes in injected.items()}
    if n <= args.pyshacl_max:
        r["validate_pyshacl"] = run_task("validate_pyshacl", str(file), str(ref_keys), timeout=7200)
        r["validate_identical"] = json.loads(fast_keys.read_text()) == json.loads(ref_keys.read_text())
    for d in (hp, raw):
        subprocess.run(["rm", "-rf", str(d)], check=False)
    return r


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def markdown(results: list[dict]) -> str:
    lines = ["### Load", "",
             "| size | triples | hpkg load (1 transaction) | raw pyoxigraph bulk_load | hpkg / raw | rdflib parse | "
             "rdflib / hpkg | optimize | peak RSS hpkg / raw / rdflib |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        h, w, f = r["load_hpkg"], r["load_raw"], r.get("load_rdflib")
        rss = f"{h['max_rss_mb']:.0f} / {w['max_rss_mb']:.0f} / " + (f"{f['max_rss_mb']:.0f} MB" if f else "– MB")
        lines.append(
            f"| {r['label']} | {r['triples']:,} | {fmt_s(h['seconds'])} ({r['triples'] / h['seconds']:,.0f} t/s) | "
            f"{fmt_s(w['seconds'])} ({r['triples'] / w['seconds']:,.0f} t/s) | {ratio(h['seconds'], w['seconds'])} | "
            f"{fmt_s(f['seconds']) if f else '–'} | {ratio(f['seconds'], h['seconds']) if f else '–'} | "
            f"{fmt_s(h['optimize_seconds'])} | {rss} |")
    lines += ["", "### Queries (median latency)", "",
              "| size | query | rows | hpkg (disk) | raw pyoxigraph (same store) | hpkg / raw | raw disk, not optimized | "
              "raw disk, optimized | raw in memory | disk / memory | rdflib | rdflib / hpkg |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for name, q in r["query_hpkg"]["queries"].items():
            raw = r["query_raw"]["queries"][name]["median"]
            unopt = r["query_raw_unoptimized"]["queries"][name]["median"]
            opt = r["query_raw_optimized"]["queries"][name]["median"]
            mem = r["query_memory"]["queries"][name]["median"]
            rdf = r.get("query_rdflib", {}).get("queries", {}).get(name, {}).get("median")
            lines.append(f"| {r['label']} | {name} | {q['rows']:,} | {fmt_s(q['median'])} | {fmt_s(raw)} | "
                         f"{ratio(q['median'], raw)} | {fmt_s(unopt)} | {fmt_s(opt)} | {fmt_s(mem)} | {ratio(opt, mem)} | "
                         f"{fmt_s(rdf)} | {ratio(rdf, q['median'])} |")
    lines += ["", "Peak memory of the query processes (RSS): " + "; ".join(
        f"{r['label']}: hpkg + raw on one handle {r['query_hpkg']['max_rss_mb']:.0f} MB, "
        f"raw disk {r['query_raw_optimized']['max_rss_mb']:.0f} MB, "
        f"raw memory {r['query_memory']['max_rss_mb']:.0f} MB"
        + (f", rdflib {r['query_rdflib']['max_rss_mb']:.0f} MB" if "query_rdflib" in r else "") for r in results)]
    lines += ["", "### Validation", "",
              "| size | hpkg validate (fast) | pyshacl (+ parse) | pyshacl / hpkg | identical results | results | "
              "injected found | peak RSS hpkg / pyshacl |",
              "|---|---:|---:|---:|---|---:|---|---|"]
    for r in results:
        f, p = r.get("validate_fast"), r.get("validate_pyshacl")
        if not f:
            continue
        found = sum(f["injected_found"].values())
        total = sum(f["injected"].values())
        lines.append(
            f"| {r['label']} | {fmt_s(f['seconds'])} | "
            + (f"{fmt_s(p['seconds'])} (+{fmt_s(p['parse_seconds'])}) | {ratio(p['seconds'], f['seconds'])} | "
               f"{'yes' if r['validate_identical'] else 'NO'} | " if p else "not run | – | – | ")
            + f"{f['results']:,} | {found}/{total} | {f['max_rss_mb']:.0f} / "
            + (f"{p['max_rss_mb']:.0f} MB |" if p else "– |"))
    return "\n".join(lines) + "\n"


def plot(results: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results[0]["query_hpkg"]["queries"])
    cols = min(3, len(names))
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        # Sizes measured before a query existed (an --append of an older run) have no point for it.
        have = [r for r in results if name in r["query_hpkg"]["queries"]]
        sizes = [r["triples"] for r in have]
        series = {
            "hpkg (disk)": [r["query_hpkg"]["queries"][name]["median"] for r in have],
            "pyoxigraph (disk, same store)": [r["query_raw"]["queries"][name]["median"] for r in have],
            "pyoxigraph (disk, not optimized)": [r["query_raw_unoptimized"]["queries"][name]["median"] for r in have],
            "pyoxigraph (memory)": [r["query_memory"]["queries"][name]["median"] for r in have],
        }
        rd = [(r["triples"], r["query_rdflib"]["queries"][name]["median"])
              for r in have if name in r.get("query_rdflib", {}).get("queries", {})]
        for lab, ys in series.items():
            ax.plot(sizes, ys, marker="o", label=lab)
        if rd:
            ax.plot([x for x, _ in rd], [y for _, y in rd], marker="s", label="rdflib")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("triples")
        ax.set_ylabel("median latency (s)")
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100k,1M", help="Comma-separated graph sizes (triples), e.g. 100k,1M.")
    ap.add_argument("--with-10m", action="store_true", help="Add a 10M-triple run (rdflib and pyshacl skipped).")
    ap.add_argument("--repeat", type=int, default=5, help="Runs per query (the median is reported).")
    ap.add_argument("--violations", type=int, default=3, help="Injected violations of each kind.")
    ap.add_argument("--rdflib-max", default="100k", help="Largest size rdflib queries (it is 25-100x slower).")
    ap.add_argument("--rdflib-parse-max", default="1M", help="Largest size rdflib parses.")
    ap.add_argument("--pyshacl-max", default="1M", help="Largest size pyshacl validates.")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--load-runs", type=int, default=2, help="Loads of each kind (alternating; the best is kept).")
    ap.add_argument("--skip-validate", action="store_true",
                    help="No validation (with --append, the previous validation figures of a size are kept).")
    ap.add_argument("--append", action="store_true",
                    help="Keep the sizes already in OUT/results.json that this run does not measure again.")
    ap.add_argument("--report", action="store_true", help="Only rewrite results.md and latency.png from results.json.")
    args = ap.parse_args()
    if args.report:
        out = Path(args.out)
        results = json.loads((out / "results.json").read_text())["results"]
        (out / "results.md").write_text(markdown(results))
        plot(results, out / "latency.png")
        print(markdown(results))
        return
    args.rdflib_max = parse_size(args.rdflib_max)
    args.rdflib_parse_max = parse_size(args.rdflib_parse_max)
    args.pyshacl_max = parse_size(args.pyshacl_max)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_10m:
        sizes.append(10_000_000)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    previous: list[dict] = []
    kept: dict[int, dict] = {}
    if args.append and (out / "results.json").is_file():
        old = json.loads((out / "results.json").read_text())["results"]
        previous = [r for r in old if r["size"] not in sizes]
        kept = {r["size"]: {k: v for k, v in r.items() if k.startswith("validate")} for r in old}
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-", dir=os.environ.get("HPKG_BENCH_TMP")) as tmp:
        for n in sizes:
            result = bench_size(n, args, Path(tmp))
            if args.skip_validate:
                result.update(kept.get(n, {}))
            results.append(result)
            results = sorted([*previous, *[r for r in results if r["size"] not in {p["size"] for p in previous}]],
                             key=lambda r: r["size"])
            meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "repeat": args.repeat,
                    "shapes": [str(p.relative_to(ROOT)) for p in SHAPES], "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                                             time.gmtime())}
            (out / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
            (out / "results.md").write_text(markdown(results))
    plot(results, out / "latency.png")
    print(markdown(results))


if __name__ == "__main__":
    if not worker_main(TASKS):
        main()
