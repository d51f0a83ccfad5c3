"""bench/_common.py: a task runs in its own process and returns its JSON; a CPU-limited task is recorded as stopped."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def common():
    spec = importlib.util.spec_from_file_location("_common", ROOT / "bench" / "_common.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def script(tmp_path):
    """A bench script of four tiny tasks, written as the bench scripts are."""
    path = tmp_path / "tiny_bench.py"
    path.write_text(textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT / "bench")!r})
        from _common import progress, start_timing, tasks_of, worker_main

        def task_echo(x, name):
            return {{"doubled": 2 * x, "name": name, "pid": os.getpid()}}

        def task_spin():
            progress(parsed=7)
            start_timing()
            while True:
                pass

        def task_fail():
            raise ValueError("broken on purpose")

        def task_sleep():
            time.sleep(60)
            return {{}}

        TASKS = tasks_of(globals())
        if __name__ == "__main__":
            assert worker_main(TASKS)
    """))
    return path


def test_run_task_returns_the_workers_json_from_another_process(common, script):
    r = common.run_task(script, "echo", 21, "x", quiet=True)
    assert r["doubled"] == 42 and r["name"] == "x"
    assert r["pid"] != os.getpid()
    assert r["max_rss_mb"] > 1 and r["wall_seconds"] > 0 and r["process_cpu_seconds"] > 0
    assert "stopped" not in r


def test_a_task_past_its_cpu_limit_is_stopped_and_keeps_what_it_recorded(common, script):
    r = common.run_task(script, "spin", cpu_limit=1, timeout=120, quiet=True)
    assert r["stopped"] == "CPU limit of 1 s reached"
    assert r["parsed"] == 7  # recorded with progress() before it was stopped
    assert r["process_cpu_seconds"] > 0.8  # rusage may read a little under the kernel's own count
    assert 0.5 < r["cpu_seconds"] <= r["process_cpu_seconds"]  # the timed part: from start_timing() on
    assert r["seconds"] >= r["cpu_seconds"] * 0.9  # one thread: wall time is at least its CPU time
    assert "timing_started_wall" not in r and "timing_started_cpu" not in r


def test_a_failing_task_raises_with_its_stderr(common, script):
    with pytest.raises(RuntimeError, match="broken on purpose"):
        common.run_task(script, "fail", quiet=True)


def test_a_task_past_its_wall_timeout_is_killed(common, script):
    with pytest.raises(subprocess.TimeoutExpired):
        common.run_task(script, "sleep", timeout=1, quiet=True)


def test_sizes_and_percentiles(common):
    assert [common.parse_size(x) for x in ("100k", "1M", "2.5k", "700")] == [100_000, 1_000_000, 2_500, 700]
    assert [common.label(n) for n in (100_000, 1_000_000, 25_000)] == ["100k", "1M", "25k"]
    assert common.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert common.percentile(list(map(float, range(1, 101))), 95) == 95.0


def test_cpu_time_of_a_process_tree_from_proc(common):
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert child.pid in common.process_tree(os.getpid())
        assert common.proc_cpu_seconds([os.getpid()]) > 0
        assert common.proc_cpu_seconds([2 ** 22 + 12345]) == 0  # no such process: counts nothing
    finally:
        child.kill()
        child.wait()
