"""How long a province's page takes with the full FIA graph loaded (a benchmark, not part of the test run).

    python bench/province_page.py [--rounds 25]

Builds the shipped graph into an on-disk store and adds the ten FIA reports (``data/fia/``, ~277k triples, loaded
as ``hpkg build`` would put them in the ``fia`` graph, without validating them again), starts a real ``hpkg serve``
on 127.0.0.1 and asks, round after round and interleaved, for:

* ``/page/code/dvhc-63/31`` — Hải Phòng (pre-2025 unit): its FDI table by report and line chart;
* ``/page/code/dvhc-34/31`` — the Hải Phòng of 1 July 2025: the sums of its two old units;
* ``/page/zone/kcn-kkt-hai-phong`` — the baseline: an entity page with figures but no FDI table.

For each request it records the server's own time (the access log's ``ms``), the client's wall time and the
server process's CPU time (``/proc/PID/stat``, user + system; counted in 10 ms clock ticks, so the mean is
reported) spent on it. Medians, the 90th percentile and the
ratio to the baseline measured in the same run go to ``bench/results/province_page.{md,json}``; the target is
≤ 200 ms server time for the province page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402

from hpkg.build import build  # noqa: E402
from hpkg.fileio import write_atomic  # noqa: E402
from hpkg.iri import base_iri, graph_iri  # noqa: E402
from hpkg.project import shipped_only  # noqa: E402
from hpkg.store import open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PAGES = {
    "province (code/dvhc-63/31)": "/page/code/dvhc-63/31?lang=vi",
    "2025 unit (code/dvhc-34/31)": "/page/code/dvhc-34/31?lang=vi",
    "baseline: zone page (zone/kcn-kkt-hai-phong)": "/page/zone/kcn-kkt-hai-phong?lang=vi",
}
BASELINE = "baseline: zone page (zone/kcn-kkt-hai-phong)"
TARGET_MS = 200.0
TICK = os.sysconf("SC_CLK_TCK")


def make_store(path: Path) -> tuple[int, float]:
    """The shipped graph (without the FIA folder) built, then the ten reports loaded; (triples, CPU seconds)."""
    c = time.process_time()
    project = replace(shipped_only(path.parent), skip_graphs=frozenset({"fia"}))
    with open_store(path) as store:
        build(store, project=project, exports_dir=None)
        for report in sorted((ROOT / "src" / "hpkg" / "graph" / "data" / "fia").glob("fia-*.ttl")):
            store.load_file(report, graph=graph_iri("fia"), base_iri=base_iri())
        return store.count(), time.process_time() - c


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-page-") as tmp:
        tmpdir = Path(tmp)
        triples, load_cpu = make_store(tmpdir / "store")
        port, access = free_port(), tmpdir / "access.jsonl"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        env.pop("HPKG_UPDATE_TOKEN", None)
        log = open(tmpdir / "server.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen([sys.executable, "-m", "hpkg", "serve", "--store", str(tmpdir / "store"),
                                 "--host", "127.0.0.1", "--port", str(port), "--access-log", str(access)],
                                cwd=tmpdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        samples: dict[str, dict[str, list[float]]] = {k: {"server_ms": [], "wall_ms": [], "cpu_ms": []} for k in PAGES}
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("hpkg serve did not start:\n" + (tmpdir / "server.log").read_text())
                time.sleep(0.2)
            with httpx.Client(base_url=url, timeout=60) as client:
                for path in PAGES.values():  # warm-up
                    for _ in range(3):
                        client.get(path).raise_for_status()
                time.sleep(0.5)
                for _ in range(args.rounds):
                    for name, path in PAGES.items():
                        before_lines = access.read_text().count("\n")
                        c0, w0 = cpu_seconds(proc.pid), time.perf_counter()
                        r = client.get(path)
                        wall, cpu = time.perf_counter() - w0, cpu_seconds(proc.pid) - c0
                        r.raise_for_status()
                        if name != BASELINE:
                            assert 'id="fdi-table"' in r.text, name
                        for _ in range(50):  # the access log line is written after the answer
                            lines = access.read_text().splitlines()
                            if len(lines) > before_lines:
                                break
                            time.sleep(0.01)
                        entry = json.loads(lines[-1])
                        samples[name]["server_ms"].append(float(entry["ms"]))
                        samples[name]["wall_ms"].append(wall * 1000)
                        samples[name]["cpu_ms"].append(cpu * 1000)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()
    base = statistics.median(samples[BASELINE]["server_ms"])
    base_cpu = statistics.fmean(samples[BASELINE]["cpu_ms"]) or 1.0
    summary = {
        name: {
            "requests": len(s["server_ms"]),
            "server_ms_median": round(statistics.median(s["server_ms"]), 1),
            "server_ms_p90": round(p90(s["server_ms"]), 1),
            "wall_ms_median": round(statistics.median(s["wall_ms"]), 1),
            "cpu_ms_median": round(statistics.median(s["cpu_ms"]), 1),
            # the kernel counts CPU time in clock ticks (10 ms): the mean over the requests is the finer figure
            "cpu_ms_mean": round(statistics.fmean(s["cpu_ms"]), 1),
            "ratio_server_to_baseline": round(statistics.median(s["server_ms"]) / base, 2),
            "ratio_cpu_to_baseline": round(statistics.fmean(s["cpu_ms"]) / base_cpu, 2),
        }
        for name, s in samples.items()
    }
    province = summary["province (code/dvhc-63/31)"]
    result = {
        "benchmark": "province_page",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "store": {"triples": triples, "build_and_load_cpu_s": round(load_cpu, 1)},
        "rounds": args.rounds,
        "target_ms": TARGET_MS,
        "meets_target": province["server_ms_median"] <= TARGET_MS,
        "pages": summary,
        "samples": samples,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_atomic(RESULTS / "province_page.json", (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode())
    load = ", ".join(f"{x:.2f}" for x in result["machine"]["load_average"])
    lines = [
        "# Province page with the full FIA graph (`bench/province_page.py`)",
        "",
        f"Run {result['when']}; {triples:,} triples (shipped graph + the ten FIA reports) in an on-disk store; "
        f"a real `hpkg serve` on 127.0.0.1; {args.rounds} interleaved rounds after 3 warm-up requests per page; "
        f"load average at the end {load} on {os.cpu_count()} cores (a shared machine: compare the ratios).",
        "",
        "| page | requests | server ms (median) | server ms (p90) | client wall ms (median) | server CPU ms (mean) "
        "| × baseline (server ms) | × baseline (CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in summary.items():
        lines.append(f"| {name} | {s['requests']} | {s['server_ms_median']} | {s['server_ms_p90']} | "
                     f"{s['wall_ms_median']} | {s['cpu_ms_mean']} | {s['ratio_server_to_baseline']} | "
                     f"{s['ratio_cpu_to_baseline']} |")
    lines += ["", f"Target: the province page ≤ {TARGET_MS:.0f} ms server time — "
              f"{'met' if result['meets_target'] else 'NOT met'} (median {province['server_ms_median']} ms).", ""]
    write_atomic(RESULTS / "province_page.md", "\n".join(lines).encode())
    print("\n".join(lines))


if __name__ == "__main__":
    main()
