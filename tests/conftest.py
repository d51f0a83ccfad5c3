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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server (``oxigraph serve``, from the PyPI package) on 127.0.0.1; yields its base URL."""
    import shutil
    import time
    import urllib.request

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        pytest.fail("the 'oxigraph' server is not installed (pip install -e '.[dev]')")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()}")
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def empty_remote(oxigraph_server):
    """The shared Oxigraph server, emptied: its ``sparql+http`` store spec."""
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"update": "DROP SILENT ALL"}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{oxigraph_server}/update", data=data), timeout=10)
    return f"sparql+{oxigraph_server}/query"
