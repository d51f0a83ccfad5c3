"""Shared fixtures: the project root, a built in-memory store, and a runner for the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpkg.build import build
from hpkg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_60cf227c69ab6101.txt"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_store() -> OxigraphStore:
    """The shipped graph, built and validated once for the session (in memory; do not modify)."""
    store = OxigraphStore(None)
    build(store, root=ROOT, exports_dir=None)
    return store


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["HPKG_HOME"] = str(ROOT)
    env.pop("HPKG_STORE", None)
    env.pop("HPKG_BASE", None)
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, input: bytes | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m hpkg ARGS`` as a real subprocess (the code under test, not an installed copy)."""
    return subprocess.run(
        [sys.executable, "-m", "hpkg", *args],
        cwd=cwd,
        env=env or cli_env(),
        input=input,
        capture_output=True,
        timeout=timeout,
    )


@pytest.fixture
def cli(tmp_path: Path):
    """``cli('build')`` runs the real command line in a temporary working directory."""

    def _run(*args: str, **kw) -> subprocess.CompletedProcess:
        return run_cli(*args, cwd=kw.pop("cwd", tmp_path), **kw)

    return _run
