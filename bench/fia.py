"""How long the FIA reports take to import and to build (a benchmark, not part of the test run).

    python bench/fia.py [--repeat 1] [--baseline main]

Measures, in one run and on this machine:

* importing the ten reports (``hpkg.opendata.fia.import_reports`` into a temporary folder), against a baseline
  of reading the same workbooks' cells with python-calamine alone;
* ``hpkg build`` of the shipped graph with ``data/fia/`` (parse, SHACL validation, writing an on-disk store,
  the six exports), against the same build without it (``skip_graphs={"fia"}``), phase by phase.

* the same build with data/fia by the code (and shapes) of ``--baseline`` (a git revision, default ``main``;
  ``none`` skips it), extracted with ``git archive`` and run in a subprocess in the same run: the before/after
  ratios;
* ``hpkg validate`` of the built on-disk store (the compiled engine over everything it holds), both revisions.

Wall-clock and CPU (process) seconds are both reported: on a shared machine the wall clock includes waiting for
the cores. Writes ``bench/results/fia.json`` and ``bench/results/fia.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
#: The code measured: this checkout's, or (``HPKG_BENCH_SRC``) a baseline revision's extracted by ``--baseline``.
SRC = Path(os.environ.get("HPKG_BENCH_SRC", ROOT / "src"))
sys.path.insert(0, str(SRC))

from hpkg.build import stage  # noqa: E402
from hpkg.export import export_all  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.opendata.fia import import_reports  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.shacl import validate  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402

RESULTS = ROOT / "bench" / "results"
REPORTS = sorted((ROOT / "src" / "hpkg" / "graph" / "sources" / "fia").glob("FDI.*.xls*"))


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def read_cells() -> int:
    from python_calamine import CalamineWorkbook

    n = 0
    for p in REPORTS:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            n += sum(len(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return n


def build_phases(with_fia: bool, folder: Path) -> dict[str, Any]:
    """The build's phases as ``hpkg.build.build`` runs them (parse, validate, write the store, exports), then
    ``hpkg validate`` of the built store."""
    project = replace(shipped_only(folder), skip_graphs=frozenset() if with_fia else frozenset({"fia"}))
    out: dict[str, Any] = {}
    (staged, _), out["parse_wall"], out["parse_cpu"] = timed(lambda: stage(project))
    report, out["validate_wall"], out["validate_cpu"] = timed(lambda: validate(staged, project=project))
    store = OxigraphStore(folder / "store")

    def write() -> None:
        if hasattr(store, "add_store"):  # as this revision's hpkg.build.build writes the staged graph
            store.add_store(staged.reader, replace_graphs=staged.graphs())
        else:  # the code before it
            store.add_quads(list(staged.quads()), replace_graphs=staged.graphs())

    _, out["store_wall"], out["store_cpu"] = timed(write)
    def exports() -> None:
        try:  # as this revision's hpkg.build.build: from the staged graph when the store holds just that
            from hpkg.build import _export_source
        except ImportError:  # the code before it exported the store
            export_all(store, folder / "dist")
            return
        export_all(_export_source(store, staged, {g: staged.count(g) for g in staged.graphs()}), folder / "dist")

    _, out["exports_wall"], out["exports_cpu"] = timed(exports)
    out["triples"] = staged.count()
    out["results"] = len(report.violations)
    out["total_wall"] = sum(out[k] for k in out if k.endswith("_wall"))
    out["total_cpu"] = sum(out[k] for k in out if k.endswith("_cpu"))
    again, out["validate_store_wall"], out["validate_store_cpu"] = timed(lambda: validate(store, project=project))
    out["validate_store_results"] = len(again.violations)
    out["store_digest"] = digest(store.reader.quads_for_pattern(None, None, None, None))
    store.close()
    out["export_digests"] = {p.name: digest(ox.parse(path=str(p))) for p in sorted((folder / "dist").iterdir())}
    return out


def digest(quads: Iterable[ox.Quad]) -> str:
    """A digest of a dataset that two runs share exactly when the datasets are isomorphic (canonical blank nodes)."""
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return hashlib.sha256("\n".join(sorted(map(str, ds))).encode()).hexdigest()


def baseline_phases(rev: str) -> dict[str, Any]:
    """:func:`build_phases` with data/fia, run over the code (and graph) of git revision ``rev`` in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {**os.environ, "HPKG_BENCH_SRC": str(Path(tmp) / "src")}
        done = subprocess.run([sys.executable, __file__, "--phases-only"], check=True, capture_output=True,
                              text=True, env=env)
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement (the fastest is kept)")
    ap.add_argument("--baseline", default="main", help="git revision measured as 'before' ('none': skip)")
    ap.add_argument("--phases-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    import hpkg

    if not Path(hpkg.__file__).resolve().is_relative_to(SRC.resolve()):
        raise SystemExit(f"measuring {hpkg.__file__}, not the code in {SRC}")
    if args.phases_only:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(build_phases(True, Path(tmp))))
        return
    runs: dict[str, list[Any]] = {"read": [], "import": [], "build_without": [], "build_with": []}
    for _ in range(args.repeat):
        runs["read"].append(timed(read_cells))
        with tempfile.TemporaryDirectory() as tmp:
            runs["import"].append(timed(lambda: import_reports(REPORTS, Path(tmp) / "fia")))
        with tempfile.TemporaryDirectory() as tmp:
            runs["build_without"].append(build_phases(False, Path(tmp)))
        with tempfile.TemporaryDirectory() as tmp:
            runs["build_with"].append(build_phases(True, Path(tmp)))
    before = None if args.baseline == "none" else baseline_phases(args.baseline)
    read = min(runs["read"], key=lambda r: r[1])
    imp = min(runs["import"], key=lambda r: r[1])
    without = min(runs["build_without"], key=lambda r: r["total_wall"])
    with_ = min(runs["build_with"], key=lambda r: r["total_wall"])
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "reports": len(REPORTS),
        "read_cells": {"cells": read[0], "wall": read[1], "cpu": read[2]},
        "import": {"observations": sum(len(r.observations) for r in imp[0].reports), "wall": imp[1],
                   "cpu": imp[2], "ratio_to_reading_wall": imp[1] / read[1]},
        "build_without_fia": without,
        "build_with_fia": with_,
        "build_ratio_wall": with_["total_wall"] / without["total_wall"],
        "build_ratio_cpu": with_["total_cpu"] / without["total_cpu"],
        "limits": {"import_s": 10, "build_s": 30},
        "baseline": args.baseline,
        "build_with_fia_baseline": before,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_atomic(RESULTS / "fia.json", (json.dumps(result, indent=2) + "\n").encode())
    rows = ["| phase | without data/fia (wall / CPU s) | with data/fia (wall / CPU s) |", "|---|---|---|"]
    for phase in ("parse", "validate", "store", "exports", "total"):
        rows.append(f"| {phase} | {without[phase + '_wall']:.1f} / {without[phase + '_cpu']:.1f} | "
                    f"{with_[phase + '_wall']:.1f} / {with_[phase + '_cpu']:.1f} |")
    compare: list[str] = []
    if before is not None:
        compare = [f"Before / after: the same build with data/fia by `{args.baseline}`'s code and shapes, measured in "
                   "the same run (a subprocess), then this revision's:", "",
                   "| phase | before (wall / CPU s) | after (wall / CPU s) | before / after (CPU) |", "|---|---|---|---|"]
        for phase in ("parse", "validate", "store", "exports", "total", "validate_store"):
            b, a = before[phase + "_cpu"], with_[phase + "_cpu"]
            compare.append(f"| {phase.replace('validate_store', '`hpkg validate` of the built store')} | "
                           f"{before[phase + '_wall']:.1f} / {b:.1f} | {with_[phase + '_wall']:.1f} / {a:.1f} | "
                           f"{b / a:.1f}× |")
        same = before["store_digest"] == with_["store_digest"]
        same_exports = before["export_digests"] == with_["export_digests"]
        compare += ["", f"Same quads in the store (canonical blank nodes, SHA-256 of the sorted N-Quads): {same}. "
                    f"Each export isomorphic to the baseline's: {same_exports}. SHACL results before / after: "
                    f"{before['results']} / {with_['results']} (build), {before['validate_store_results']} / "
                    f"{with_['validate_store_results']} (`hpkg validate` of the store).", ""]
    md = "\n".join([
        "# FIA reports: import and build (`bench/fia.py`)", "",
        f"Machine: Python {result['machine']['python']}, {result['machine']['cpus']} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['load_avg'])} at the end of the run (a shared machine: "
        "wall-clock time includes waiting for a core).", "",
        f"* Reading the ten workbooks' {read[0]} cells with calamine: {read[1]:.1f} s wall, {read[2]:.1f} s CPU.",
        f"* `import_reports` of the ten ({result['import']['observations']} observations, Turtle written): "
        f"{imp[1]:.1f} s wall, {imp[2]:.1f} s CPU — {result['import']['ratio_to_reading_wall']:.1f}× reading alone "
        "(limit 10 s).", "",
        f"Build of the shipped graph ({without['triples']} triples without data/fia, {with_['triples']} with it), "
        "on-disk store, validation and the six exports included (limit 30 s):", "", *rows, "",
        f"With / without: {result['build_ratio_wall']:.1f}× wall, {result['build_ratio_cpu']:.1f}× CPU. "
        f"SHACL results with data/fia: {with_['results']} (the 2015 warning).", "", *compare,
    ])
    write_atomic(RESULTS / "fia.md", md.encode())
    print(md)


if __name__ == "__main__":
    main()
