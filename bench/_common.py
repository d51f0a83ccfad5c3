"""What the bench scripts share: sizes, percentiles, CPU time, and each measured step in its own Python process.

A script defines its steps as ``task_NAME`` functions that return a JSON-able dict, collects them with
:func:`tasks_of`, and ends with::

    if __name__ == "__main__":
        if not worker_main(TASKS):
            main()

The driver then calls :func:`run_task` (``run_task(__file__, "NAME", arg, …)``): the step runs in a fresh Python
process (so its peak memory is its own), and its dict comes back with the process's wall time, CPU time and
peak RSS. With ``cpu_limit`` the process is stopped by the kernel when its CPU time passes the limit
(``RLIMIT_CPU``); the row then says ``"stopped"`` and carries what the task recorded with :func:`progress` and
:func:`start_timing` before it was stopped, its times being lower bounds.
"""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

Task = Callable[..., dict[str, Any]]

#: Where a worker records its progress (set by :func:`run_task` for the worker process only).
PROGRESS_ENV = "HPKG_BENCH_PROGRESS"
WORKER = "_worker"


def parse_size(text: str) -> int:
    """``"100k"`` → 100000, ``"1M"`` → 1000000, ``"2500"`` → 2500."""
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def label(n: int) -> str:
    """A size as the results name it: ``1M``, ``100k``."""
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank: the smallest value with at least ``p`` % of the values at or below
    it); NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p * len(s) / 100) - 1))
    return s[k]


def cpu_seconds() -> float:
    """CPU seconds of this process so far (user + system, all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def proc_cpu_seconds(pids: Iterable[int]) -> float:
    """CPU seconds (user + system) of running processes, read from ``/proc``; a process that is gone counts 0."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state is field 3
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from ``/proc/*/stat``), at this moment."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


# ------------------------------------------------------------------------------------ inside a worker process

def progress(**fields: Any) -> None:
    """Record ``fields`` for the driver: a worker that is stopped still reports them. No-op outside a worker."""
    path = os.environ.get(PROGRESS_ENV)
    if not path:
        return
    p = Path(path)
    current = json.loads(p.read_text()) if p.exists() and p.stat().st_size else {}
    current.update(fields)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(current))
    tmp.replace(p)


def start_timing() -> None:
    """Mark the start of the timed part: a stopped worker's ``seconds``/``cpu_seconds`` are counted from here."""
    progress(timing_started_wall=time.time(), timing_started_cpu=cpu_seconds())


def tasks_of(namespace: Mapping[str, object]) -> dict[str, Task]:
    """The ``task_NAME`` functions of a module's namespace, by ``NAME``."""
    return {k[5:]: v for k, v in namespace.items() if k.startswith("task_") and callable(v)}  # type: ignore[misc]


def worker(tasks: Mapping[str, Task], name: str, args: list[Any]) -> None:
    """Run one task and print its result (with this process's peak RSS) as the last line of stdout."""
    result = tasks[name](*args)
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def worker_main(tasks: Mapping[str, Task], argv: list[str] | None = None) -> bool:
    """When this process was started by :func:`run_task`, run its task and return True; else False."""
    argv = sys.argv if argv is None else argv
    if len(argv) > 3 and argv[1] == WORKER:
        worker(tasks, argv[2], json.loads(argv[3]))
        return True
    return False


# ------------------------------------------------------------------------------------------------- the driver

def _limit_cpu(seconds: float) -> Callable[[], None]:
    soft = max(1, math.ceil(seconds))

    def apply() -> None:  # in the child, before exec: SIGXCPU at the soft limit, SIGKILL 10 s later; no core file
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 10))

    return apply


def run_task(script: str | Path, name: str, *args: object, timeout: float = 3600, cpu_limit: float | None = None,
             hide: Iterable[str] = (), quiet: bool = False) -> dict[str, Any]:
    """Run task ``name`` of ``script`` in a fresh Python process; its JSON result.

    Added to the result: ``wall_seconds`` (the whole process), ``process_cpu_seconds`` (its user + system time)
    and ``max_rss_mb`` (its peak RSS, if the task did not set it). A task that fails raises RuntimeError with
    the end of its stderr; past ``timeout`` wall seconds the process is killed and ``subprocess.TimeoutExpired``
    raised. Past ``cpu_limit`` CPU seconds the process is stopped and the result is what it recorded with
    :func:`progress`, plus ``"stopped"`` (why) and, if it called :func:`start_timing`, ``seconds`` and
    ``cpu_seconds`` of the timed part so far: lower bounds.
    """
    hidden = set(hide)
    with tempfile.TemporaryDirectory(prefix="hpkg-bench-task-") as tmp:
        out_path, err_path, prog_path = Path(tmp, "stdout"), Path(tmp, "stderr"), Path(tmp, "progress.json")
        env = {**os.environ, PROGRESS_ENV: str(prog_path)}
        t = time.perf_counter()
        with out_path.open("wb") as out, err_path.open("wb") as err:
            proc = subprocess.Popen([sys.executable, str(script), WORKER, name, json.dumps(list(args))],
                                    stdout=out, stderr=err, env=env,
                                    preexec_fn=_limit_cpu(cpu_limit) if cpu_limit is not None else None)
            deadline = time.monotonic() + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    proc.returncode = -signal.SIGKILL
                    raise subprocess.TimeoutExpired(proc.args, timeout)
                time.sleep(0.05)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        cpu = usage.ru_utime + usage.ru_stime
        stderr = err_path.read_text(errors="replace")
        # SIGXCPU at the soft limit; SIGKILL at the hard one (a task that ignores SIGXCPU)
        over = cpu_limit is not None and (code == -signal.SIGXCPU or (code == -signal.SIGKILL and cpu >= cpu_limit))
        if code == 0:
            result: dict[str, Any] = json.loads(out_path.read_text().strip().splitlines()[-1])
        elif over:
            assert cpu_limit is not None
            ended = time.time()
            result = json.loads(prog_path.read_text()) if prog_path.exists() else {}
            started_wall = result.pop("timing_started_wall", None)
            started_cpu = result.pop("timing_started_cpu", None)
            if started_wall is not None and started_cpu is not None:
                result["seconds"] = ended - started_wall
                result["cpu_seconds"] = cpu - started_cpu
            result["stopped"] = f"CPU limit of {cpu_limit:g} s reached"
        else:
            raise RuntimeError(f"{name} failed (exit {code}):\n{stderr[-3000:]}")
    result.setdefault("max_rss_mb", usage.ru_maxrss / 1024)
    result["wall_seconds"] = wall
    result["process_cpu_seconds"] = cpu
    if not quiet:
        shown = {k: v for k, v in result.items() if k not in hidden}
        print(f"  {name}: {json.dumps(shown)[:300]}", file=sys.stderr)
    return result
