"""Full validation with the full shipped shapes: the compiled engine against pyshacl, measured in the same run.

    python bench/validate_full.py [--compiled 25k,100k,1M] [--pyshacl 25k,100k] [--out bench/results]

For each size a synthetic graph is generated (``hpkg generate``, 3 injected violations of each kind, seed 1;
cached in ``bench/.cache`` like ``bench/run.py``'s) and validated against every shape of
``src/hpkg/graph/shapes/*.ttl`` — loaded with :func:`hpkg.shacl.load_shapes` of the shipped project, as
``hpkg validate`` loads them; no benchmark shapes, no placeholders — with the shipped ontology:

* compiled: the graph loaded into an on-disk store (``hpkg load``'s checked bulk load, plus the ontology, the
  code lists and the units), then :func:`hpkg.shacl.runner.validate_fast` on it (the time of ``validate_fast``
  alone; the load is timed apart); then every compiled shape timed on its own (which shapes cost the time);
* pyshacl: the same files parsed into an rdflib graph (timed apart), then pyshacl (``hpkg.shacl.reference``).

Each step runs in its own Python process, so that its peak memory (``ru_maxrss``) is its own. Where both ran,
the results are compared as multisets of (focus node, path, component, value, severity); the script exits 1
when they differ (after writing the results). Results: ``bench/results/validate_full.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from _common import cpu_seconds as _cpu  # noqa: E402
from _common import label, parse_size, progress, start_timing, tasks_of, worker_main  # noqa: E402
from _common import run_task as _run_task  # noqa: E402
from run import BASE, extra_files  # noqa: E402

VIOLATIONS = 3
EMPTY = "''"
SEED = 1


def _shapes_and_ontology():  # noqa: ANN202 - bench helper
    from hpkg.project import shipped_only
    from hpkg.shacl import load_ontology, load_shapes

    project = shipped_only()
    return load_shapes(project), load_ontology(project), [str(p.relative_to(ROOT)) for p in project.shape_files()]


def _value(v: str | None) -> str:
    """A result's value, numbers in one canonical form: the store keeps "379600000.0"^^xsd:decimal as
    "379600000", pyshacl the lexical form of the file (the same RDF term by value)."""
    if v is None:
        return ""
    try:
        d = Decimal(v)
    except InvalidOperation:
        return v
    return str(d.normalize()) if d.is_finite() else v


def _keys(violations) -> list[list[str]]:
    return sorted([v.focus, v.path or "", v.component, _value(v.value), v.severity] for v in violations)


# ------------------------------------------------------------------------------ worker tasks (own processes)

def task_load(file: str, store: str) -> dict:
    from hpkg.store import OxigraphStore
    from hpkg.store.bulk import load_files

    s = OxigraphStore(store)
    t = time.perf_counter()
    report = load_files(s, [file], optimize=False)
    for path, graph in extra_files():
        load_files(s, [path], graph=graph, optimize=False, base=BASE)
    s.optimize()
    secs = time.perf_counter() - t
    quads = s.count()
    s.close()
    return {"seconds": secs, "quads": quads, "file_quads": report.quads}


def task_compiled(store: str, keys_out: str) -> dict:
    from hpkg.namespaces import sparql_prologue
    from hpkg.shacl.compiler import compile_shapes, shape_results, with_subclass_sets
    from hpkg.shacl.runner import validate_fast
    from hpkg.store import OxigraphStore

    s = OxigraphStore(store, read_only=True)
    shapes, ontology, files = _shapes_and_ontology()
    compiled = compile_shapes(shapes)
    t, cpu = time.perf_counter(), _cpu()
    report = validate_fast(s, shapes=shapes, ontology=ontology)
    secs, cpu = time.perf_counter() - t, _cpu() - cpu
    Path(keys_out).write_text(json.dumps(_keys(report.violations)))
    rss_validate = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Which shapes cost the time: each compiled top-level shape on its own (after the timed run).
    head = sparql_prologue(dict(sorted(compiled.prefixes.items()))) if compiled.prefixes else ""
    query = with_subclass_sets(lambda q: s.query(head + q).rows())  # as validate_compiled does
    per_shape = {}
    for shape in compiled.compiled:
        if not shape.targets:
            continue
        focus = " UNION ".join(f"{{ {x} }}" for x in shape.targets)
        t0, c0 = time.perf_counter(), _cpu()
        n = len(shape_results(compiled, shape, focus, query))
        per_shape[str(shape.node).rsplit("#", 1)[-1]] = {"seconds": time.perf_counter() - t0,
                                                          "cpu_seconds": _cpu() - c0, "results": n}
    return {"seconds": secs, "cpu_seconds": cpu, "results": len(report.violations), "triples": report.triples_checked,
            "shapes": len(compiled.compiled), "fallback": [str(x) for x in compiled.fallback], "shape_files": files,
            "max_rss_mb_validate": rss_validate, "per_shape": per_shape}


def task_pyshacl(file: str, keys_out: str) -> dict:
    import gzip

    import pyoxigraph as ox

    from hpkg.shacl.reference import validate_graph
    from hpkg.terms import quads_to_graph

    shapes, ontology, _ = _shapes_and_ontology()
    t = time.perf_counter()
    with gzip.open(file, "rb") as f:
        g = quads_to_graph(ox.parse(f, format=ox.RdfFormat.N_TRIPLES))
    # The ontology is data too (it holds the DSD individual), as in the store and in `hpkg validate --with-data`:
    # pyshacl's ont_graph brings in only the class and property definitions.
    for path, _graph in extra_files():
        quads_to_graph(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE), g)
    parse_s = time.perf_counter() - t
    progress(parse_seconds=parse_s, triples=len(g))  # what a stopped run still reports (--pyshacl-cpu-limit)
    start_timing()
    t, cpu = time.perf_counter(), _cpu()
    report = validate_graph(g, shapes=shapes, ontology=ontology)
    secs, cpu = time.perf_counter() - t, _cpu() - cpu
    Path(keys_out).write_text(json.dumps(_keys(report.violations)))
    return {"seconds": secs, "cpu_seconds": cpu, "parse_seconds": parse_s, "results": len(report.violations), "triples": len(g)}


TASKS = tasks_of(dict(globals()))


def run_task(name: str, *args: object, timeout: float = 7200, cpu_limit: float | None = None) -> dict:
    """One task in its own Python process (bench/_common.py); stopped past ``cpu_limit`` CPU seconds."""
    return _run_task(__file__, name, *args, timeout=timeout, cpu_limit=cpu_limit, hide=("per_shape", "shape_files"))


# ------------------------------------------------------------------------------------------------- driver

def dataset(n: int) -> Path:
    from hpkg.generate import generate, sizes_for

    cache = BENCH / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    version = hashlib.sha256((ROOT / "src" / "hpkg" / "generate.py").read_bytes()).hexdigest()[:8]
    file = cache / f"synthetic-{label(n)}-seed{SEED}-v{VIOLATIONS}-{version}.nt.gz"  # the name bench/run.py uses
    if not file.exists() or not Path(str(file) + ".violations.json").exists():
        print(f"generating {label(n)}", file=sys.stderr)
        generate(file, seed=SEED, violations=VIOLATIONS, **sizes_for(n))
    return file


def compare(a: list[list[str]], b: list[list[str]]) -> dict:
    ca, cb = Counter(map(tuple, a)), Counter(map(tuple, b))
    only_a, only_b = ca - cb, cb - ca
    return {"identical": not only_a and not only_b, "only_compiled": [list(k) for k in list(only_a)[:20]],
            "only_pyshacl": [list(k) for k in list(only_b)[:20]],
            "differences": sum(only_a.values()) + sum(only_b.values())}


def fmt_s(x: float | None) -> str:
    return "–" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s")


def _time(r: dict) -> str:
    more = "> " if r.get("stopped") else ""
    return more + fmt_s(r.get("seconds")) + (f" ({more}{fmt_s(r['cpu_seconds'])} CPU)" if "cpu_seconds" in r else "")


def _limit_option(meta: dict) -> str:
    limit = meta.get("pyshacl_cpu_limit")
    return f" --pyshacl-cpu-limit {limit:g}" if limit else ""


def markdown(meta: dict, results: list[dict]) -> str:
    runs = meta.get("runs") or [f"`python bench/validate_full.py --compiled {meta['compiled'] or EMPTY} --pyshacl "
                                f"{meta['pyshacl'] or EMPTY}{_limit_option(meta)}` ({meta['date']})"]
    lines = ["# Full validation: compiled engine vs pyshacl, the full shipped shapes", "",
             f"On {meta['cpus']} CPUs (shared with other work), Python {meta['python']}; "
             + ("run: " if len(runs) == 1 else "combined from these runs: ") + "; ".join(runs) + ".", "",
             *([meta["note"], ""] if meta.get("note") else []),
             f"Shapes: every file of the shipped shapes ({len(meta['shape_files'])} files, "
             f"{meta['shapes']} top-level shapes, {meta['fallback']} left to pyshacl), loaded by "
             "`hpkg.shacl.load_shapes` of the shipped project; data: `hpkg generate` (seed 1, 3 injected violations "
             "of each kind) with the shipped ontology, code lists and units. Time: the validation call alone "
             "(load and parse timed apart); memory: peak RSS of the process that validated (its own process, "
             "which also loaded the shapes; the store is on disk for the compiled engine). Results compared as "
             "multisets of (focus node, path, component, value, severity).", "",
             "Times are wall clock (CPU time of the validating process in brackets, where recorded): the 2 cores "
             "were shared with other jobs (load average about 10), which slows both engines.", "",
             "| size | triples | compiled | peak RSS compiled | pyshacl | pyshacl parse | peak RSS pyshacl | "
             "pyshacl / compiled | results | identical |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        c, p = r.get("compiled"), r.get("pyshacl")
        more = "> " if p and p.get("stopped") else ""
        ratio = f"**{more}{p['seconds'] / c['seconds']:.1f}×**" if c and p and "seconds" in p else "–"
        if c and p and "cpu_seconds" in c and "cpu_seconds" in p:
            ratio += f" ({more}{p['cpu_seconds'] / c['cpu_seconds']:.0f}× CPU)"
        ident = "–" if "comparison" not in r else ("yes" if r["comparison"]["identical"]
                                                  else f"NO ({r['comparison']['differences']} differ)")
        cells = [r["label"], f"{r['triples']:,}" if r.get("triples") is not None else "–"]
        cells += [_time(c), f"{c['max_rss_mb']:.0f} MB"] if c else ["not run", "–"]
        cells += ([_time(p), fmt_s(p.get("parse_seconds")), f"{p['max_rss_mb']:.0f} MB"] if p
                  else ["not run", "–", "–"])
        cells += [ratio, str((c or {}).get("results", (p or {}).get("results", "–"))), ident]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "What was and was not measured:", ""]
    for r in results:
        ran = [k for k in ("compiled", "pyshacl") if r.get(k)]
        stopped = r.get("pyshacl", {}).get("stopped")
        lines.append(f"* {r['label']}: " + " and ".join(ran) + (" (pyshacl not run: it takes too long at this "
                                                               "size on this machine)" if "pyshacl" not in ran
                                                               else "") +
                     (f" — pyshacl was stopped unfinished ({stopped}): its time is a lower bound, its results "
                      "were not compared" if stopped else ""))
    big = max((r for r in results if r.get("compiled", {}).get("per_shape")), key=lambda r: r["triples"],
              default=None)
    if big is not None:
        top = sorted(big["compiled"]["per_shape"].items(), key=lambda kv: -kv[1]["seconds"])[:6]
        total = sum(v["seconds"] for v in big["compiled"]["per_shape"].values())
        lines += ["", f"Where the compiled engine spends its time at {big['label']} (each shape run on its own, "
                  f"after the timed run; all shapes: {fmt_s(total)}):", "",
                  "| shape | time | share | results |", "|---|---:|---:|---:|"]
        for name, v in top:
            lines.append(f"| {name} | {_time(v)} | {100 * v['seconds'] / total:.0f}% | {v['results']} |")
    lines += ["", "Targets (issue 9): ≥ 20× faster than pyshacl with identical results, ≤ 1 GB peak at 1M. "
              "The speed ratio is measured at the sizes where pyshacl ran (not at 1M, where it was not run); "
              "the memory target is read from the compiled engine's 1M row."]
    return "\n".join(lines) + "\n"


def combine(parts: list[str], out: Path, note: str | None) -> None:
    """One table from several runs (the machine's time ran out for one run of everything): per size, the
    compiled and pyshacl entries of the last run that has them, compared by their kept result keys."""
    by_size: dict[int, dict] = {}
    runs, meta = [], {}
    for part in parts:
        js, _, keys = part.partition("=")
        saved = json.loads(Path(js).read_text())
        meta = {**saved["meta"], **meta} if meta else dict(saved["meta"])
        m = saved["meta"]
        runs.append(f"`python bench/validate_full.py --compiled {m['compiled'] or EMPTY} --pyshacl "
                    f"{m['pyshacl'] or EMPTY}{_limit_option(m)}` ({m['date']})")
        for r in saved["results"]:
            row = by_size.setdefault(r["size"], {"size": r["size"], "label": r["label"], "file": r["file"]})
            for engine in ("compiled", "pyshacl"):
                if engine in r:
                    row[engine] = r[engine]
                    row[f"{engine}_keys"] = str(Path(keys) / f"{engine}-{r['size']}.json")
                    row["triples"] = r["triples"]
            if "load" in r:
                row["load"] = r["load"]
    results = []
    for n in sorted(by_size):
        row = by_size[n]
        ck, pk = row.pop("compiled_keys", None), row.pop("pyshacl_keys", None)
        if ck and pk:
            row["comparison"] = compare(json.loads(Path(ck).read_text()), json.loads(Path(pk).read_text()))
        results.append(row)
    meta["runs"] = runs
    if note:
        meta["note"] = note
    (out / "validate_full.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    (out / "validate_full.md").write_text(markdown(meta, results))
    print(markdown(meta, results))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compiled", default="25k,100k,1M", help="Sizes the compiled engine validates.")
    ap.add_argument("--pyshacl", default="25k,100k", help="Sizes pyshacl validates (it is slow: not 1M here).")
    ap.add_argument("--pyshacl-cpu-limit", type=float, default=None, metavar="SECONDS",
                    help="Stop the pyshacl worker when its CPU time passes SECONDS; its row then says \"stopped\" "
                         "and its time is a lower bound (its results are not compared).")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--keys", default=None, metavar="DIR", help="Keep each engine's result keys in DIR.")
    ap.add_argument("--combine", nargs="+", metavar="JSON=KEYS",
                    help="Write OUT/validate_full.{json,md} from earlier runs' JSON and key folders (later ones win).")
    ap.add_argument("--note", default=None, help="With --combine: a note for the md (what was run how).")
    ap.add_argument("--report", action="store_true", help="Only rewrite validate_full.md from validate_full.json.")
    args = ap.parse_args()
    if args.pyshacl_cpu_limit is not None and not args.pyshacl_cpu_limit > 0:
        ap.error(f"--pyshacl-cpu-limit must be a positive number of seconds, not {args.pyshacl_cpu_limit:g}")
    if args.combine:
        combine(args.combine, Path(args.out), args.note)
        return
    if args.report:
        saved = json.loads((Path(args.out) / "validate_full.json").read_text())
        (Path(args.out) / "validate_full.md").write_text(markdown(saved["meta"], saved["results"]))
        return
    compiled_sizes = {parse_size(x) for x in args.compiled.split(",") if x.strip()}
    pyshacl_sizes = {parse_size(x) for x in args.pyshacl.split(",") if x.strip()}
    _, _, files = _shapes_and_ontology()
    from hpkg.shacl import load_shapes
    from hpkg.shacl.compiler import compile_shapes

    compiled = compile_shapes(load_shapes())
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": __import__("os").cpu_count(),
            "python": sys.version.split()[0], "compiled": args.compiled, "pyshacl": args.pyshacl,
            "pyshacl_cpu_limit": args.pyshacl_cpu_limit,
            "shape_files": files, "shapes": len(compiled.compiled), "fallback": len(compiled.fallback)}
    results = []
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ok = True
    with tempfile.TemporaryDirectory(prefix="hpkg-validate-full-") as tmp:
        keys = Path(args.keys) if args.keys else Path(tmp)
        keys.mkdir(parents=True, exist_ok=True)
        for n in sorted(compiled_sizes | pyshacl_sizes):
            file = dataset(n)
            print(f"== {label(n)} ==", file=sys.stderr)
            r: dict = {"size": n, "label": label(n), "file": file.name}
            ck, pk = keys / f"compiled-{n}.json", keys / f"pyshacl-{n}.json"
            for stale in (ck, pk):  # a --keys folder may hold an earlier run's keys: never compare with those
                stale.unlink(missing_ok=True)
            if n in compiled_sizes:
                store = Path(tmp) / f"store-{n}"
                r["load"] = run_task("load", str(file), str(store))
                r["compiled"] = run_task("compiled", str(store), str(ck))
                r["triples"] = r["compiled"]["triples"]
                subprocess.run(["rm", "-rf", str(store)], check=False)
            if n in pyshacl_sizes:
                r["pyshacl"] = run_task("pyshacl", str(file), str(pk), cpu_limit=args.pyshacl_cpu_limit)
                r.setdefault("triples", r["pyshacl"].get("triples"))
            if ck.exists() and pk.exists():
                r["comparison"] = compare(json.loads(ck.read_text()), json.loads(pk.read_text()))
                ok = ok and r["comparison"]["identical"]
            results.append(r)
            (out / "validate_full.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
            (out / "validate_full.md").write_text(markdown(meta, results))
    print(markdown(meta, results))
    if not ok:
        print("the engines' results differ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if not worker_main(TASKS):
        main()
