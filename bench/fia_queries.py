"""How long the FIA named queries take on the embedded store with the full FIA graph (a benchmark, not a test).

    python bench/fia_queries.py [--repeat 20]

Builds the shipped graph with all ten reports (``data/fia/``, about 277,000 triples; without validation, which
``bench/fia.py`` measures) into an on-disk Oxigraph store in a temporary folder, then runs each new named query
(bound as ``hpkg query NAME --param …`` binds it, through :func:`hpkg.query.run`, all rows read) ``--repeat``
times, interleaved with the baseline ``fdi-vs-plan`` (a small query on the same store), and reports the median
CPU time of each (``time.process_time``; wall time beside it) and its ratio to the baseline's median. Target:
≤ 100 ms each. Writes ``bench/results/fia_queries.json`` and ``bench/results/fia_queries.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hpkg.build import build  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.query import run  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BASELINE = ("fdi-vs-plan", {})
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("fdi-by-province", {"year": "2023"}),
    ("fdi-by-province", {"year": "2024"}),
    ("fdi-province-trend", {"province": "31"}),
    ("fdi-province-rank", {"year": "2023"}),
    ("fdi-by-partner", {"year": "2023"}),
    ("fdi-by-sector", {"year": "2023"}),
    ("fdi-by-province-2025", {"year": "2023"}),
    ("fdi-ez-vs-city", {}),
]
TARGET_MS = 100.0


def once(store: OxigraphStore, project, name: str, params: dict[str, str]) -> tuple[float, float, int]:
    w, c = time.perf_counter(), time.process_time()
    n = len(run(store, name, project, params).rows())
    return time.process_time() - c, time.perf_counter() - w, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-fiaq-") as tmp:
        project = replace(shipped_only(Path(tmp)), skip_graphs=frozenset())
        store = OxigraphStore(Path(tmp) / "store")
        report = build(store, project=project, validate=False)
        for name, params in [BASELINE, *QUERIES]:  # warm-up: caches, the parameter analysis
            once(store, project, name, params)
        times: dict[str, dict[str, list[float]]] = {}
        rows: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, params in [BASELINE, *QUERIES]:
                key = name + "".join(f" {k}={v}" for k, v in params.items())
                cpu, wall, n = once(store, project, name, params)
                times.setdefault(key, {"cpu": [], "wall": []})
                times[key]["cpu"].append(cpu)
                times[key]["wall"].append(wall)
                rows[key] = n
        store.close()
    base_key = BASELINE[0]
    base = statistics.median(times[base_key]["cpu"])
    out = []
    for key, t in times.items():
        cpu, wall = statistics.median(t["cpu"]) * 1000, statistics.median(t["wall"]) * 1000
        out.append({"query": key, "rows": rows[key], "cpu_ms": round(cpu, 2), "wall_ms": round(wall, 2),
                    "ratio_to_baseline": round(cpu / (base * 1000), 1), "within_target": cpu <= TARGET_MS})
    result = {"repeat": args.repeat, "triples": report.triples, "target_ms": TARGET_MS, "baseline": base_key,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg()},
              "queries": out}
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_atomic(RESULTS / "fia_queries.json", (json.dumps(result, indent=2) + "\n").encode())
    md = ["# The FIA named queries on the embedded store", "",
          f"`python bench/fia_queries.py --repeat {args.repeat}`: the shipped graph with all ten FIA reports "
          f"({report.triples} triples) in an on-disk Oxigraph store; each query bound and run through "
          f"`hpkg.query.run`, all rows read; medians of {args.repeat} runs, interleaved with the baseline "
          f"`{base_key}`. CPU time of this process (`time.process_time`), wall time beside it. Target: "
          f"≤ {TARGET_MS:.0f} ms each.", "",
          "| query | rows | CPU ms | wall ms | × baseline (CPU) | ≤ 100 ms |", "|---|---|---|---|---|---|"]
    for r in out:
        md.append(f"| `{r['query']}` | {r['rows']} | {r['cpu_ms']:.2f} | {r['wall_ms']:.2f} | "
                  f"{r['ratio_to_baseline']} | {'yes' if r['within_target'] else '**no**'} |")
    la = result["machine"]["load_avg"]
    md += ["", f"Machine: Python {result['machine']['python']}, {result['machine']['cpus']} CPUs, load average "
           f"{', '.join(f'{x:.1f}' for x in la)} at the end of the run (a shared machine)."]
    write_atomic(RESULTS / "fia_queries.md", ("\n".join(md) + "\n").encode())
    print("\n".join(md))


if __name__ == "__main__":
    main()
