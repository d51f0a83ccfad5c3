"""Start the real ``hpkg serve`` process for tests: a built on-disk store, a free loopback port, a log."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from hpkg.build import build
from hpkg.store import open_store

from ..conftest import cli_env, free_port, shipped_project
from .w3c_protocol import data_graphs

KASEI = "http://kasei.us/2009/09/sparql/data/"


def build_store(path: Path, *, w3c_data: bool = True) -> Path:
    """The shipped graph built (and SHACL-validated) into an on-disk store at ``path``.

    With ``w3c_data`` the W3C protocol test graphs (data1.nt …) are added under the names the case
    table gives them (their kasei.us IRIs).
    """
    with open_store(path) as store:
        build(store, project=shipped_project(path.parent), exports_dir=None)
        if w3c_data:
            for data_file, graph in data_graphs().items():
                store.load(data_file, graph=graph)
    return path


@dataclass
class RunningServer:
    """A running ``hpkg serve`` process."""

    url: str
    proc: subprocess.Popen
    store: Path
    log: Path
    access_log: Path

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_server(tmp: Path, store: Path, *args: str, env: dict[str, str] | None = None,
                 port: int | None = None) -> RunningServer:
    """Run ``python -m hpkg serve --store STORE --port P ARGS`` and wait until ``/health`` answers."""
    port = port or free_port()
    log = tmp / f"server-{port}.log"
    access = tmp / f"access-{port}.jsonl"
    environment = cli_env()
    environment.pop("HPKG_UPDATE_TOKEN", None)
    environment.update(env or {})
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hpkg", "serve", "--store", str(store), "--host", "127.0.0.1",
             "--port", str(port), "--access-log", str(access), *args],
            cwd=tmp, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hpkg serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return RunningServer(url, proc, store, log, access)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"hpkg serve did not answer within 60 s:\n{log.read_text()}")

