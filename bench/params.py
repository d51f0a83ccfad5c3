"""What binding query parameters costs (a benchmark, not part of the test run).

    python bench/params.py --repeat 200

Builds the shipped graph in memory, then for each parameterised named query times, in the same run:

* the baseline: the query with the same values already written into its text (what a user would otherwise
  edit by hand), run on the embedded store;
* the query bound by :func:`hpkg.params.bind` (tokenising, checking, substituting) and run;
* ``bind`` alone.

Reports medians and the bound/baseline ratio; writes ``bench/results/params.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hpkg.build import build  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.params import bind  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.query import named_queries  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402

#: query -> (values, the same query with the values written in by hand)
CASES = {
    "figures-in-year": ({"year": "2024", "indicator": "FDI_REG"},
                        [("?_year_xsd_integer", '"2024"^^xsd:integer'), ("?__indicator", '"FDI_REG"')]),
    "reorganisation-2025": ({"code": "31"}, [("?__code", '"31"')]),
}


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    project = shipped_only(ROOT)
    store = OxigraphStore(None)
    build(store, project=project, validate=False, exports_dir=None)
    queries = named_queries(project)
    rows = []
    for name, (values, by_hand) in CASES.items():
        text = queries[name].sparql
        hand = text
        for var, term in by_hand:
            hand = hand.replace(var, term)
        bound = bind(text, values)
        assert store.query(bound).rows() == store.query(hand).rows(), name
        baseline = median_ms(lambda h=hand: store.query(h).rows(), args.repeat)
        with_bind = median_ms(lambda t=text, v=values: store.query(bind(t, v)).rows(), args.repeat)
        bind_only = median_ms(lambda t=text, v=values: bind(t, v), args.repeat)
        rows.append({"query": name, "values": values, "baseline_ms": round(baseline, 3),
                     "bound_ms": round(with_bind, 3), "bind_only_ms": round(bind_only, 3),
                     "ratio": round(with_bind / baseline, 3)})
    out = {"benchmark": "params", "repeat": args.repeat, "python": platform.python_version(),
           "machine": platform.machine(), "rows": rows}
    results = ROOT / "bench" / "results"
    write_atomic(results / "params.json", (json.dumps(out, indent=2, ensure_ascii=False) + "\n").encode())
    md = ["# Query parameters: binding cost", "",
          f"`python bench/params.py --repeat {args.repeat}` (shipped graph in memory; medians of {args.repeat} runs; "
          "baseline = the same query with the values written in by hand).", "",
          "| query | values | baseline ms | bound + run ms | bind only ms | ratio |", "|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| `{r['query']}` | {', '.join(f'{k}={v}' for k, v in r['values'].items())} | "
                  f"{r['baseline_ms']} | {r['bound_ms']} | {r['bind_only_ms']} | {r['ratio']} |")
    write_atomic(results / "params.md", ("\n".join(md) + "\n").encode())
    print("\n".join(md))


if __name__ == "__main__":
    main()
