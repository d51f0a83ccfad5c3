"""Start the real ``hpkg serve`` process for tests: a built on-disk store, a free loopback port, a log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from hpkg.build import build
from hpkg.iri import base_iri, graph_iri
from hpkg.project import shipped_root
from hpkg.store import open_store

from ..conftest import cli_env, free_port, shipped_project
from .w3c_protocol import data_graphs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

KASEI = "http://kasei.us/2009/09/sparql/data/"
#: Debian's chromium, driven by Playwright (scripts/setup.sh installs it; never `playwright install`).
CHROMIUM = Path(os.environ.get("HPKG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_store(path: Path, *, w3c_data: bool = True, fia_reports: tuple[str, ...] = ()) -> Path:
    """The shipped graph built (and SHACL-validated) into an on-disk store at ``path``.

    With ``w3c_data`` the W3C protocol test graphs (data1.nt …) are added under the names the case
    table gives them (their kasei.us IRIs). ``fia_reports`` (e.g. ``("2022", "2023")``) adds those FIA reports
    (``data/fia/fia-YEAR.ttl``) to the graph ``hpkg build`` puts them in, loaded as they are (the build the
    tests make leaves the FIA graph out; the reports are validated by their own tests).
    """
    with open_store(path) as store:
        build(store, project=shipped_project(path.parent), exports_dir=None)
        if w3c_data:
            for data_file, graph in data_graphs().items():
                store.load(data_file, graph=graph)
        for year in fia_reports:
            store.load_file(shipped_root() / "data" / "fia" / f"fia-{year}.ttl", graph=graph_iri("fia"),
                            base_iri=base_iri())
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium (Debian's), closed afterwards."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/setup.sh (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def recording_page(browser: Browser, *, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A page in a fresh browser context (English locale) whose ``requests`` lists every URL it asked for, so that a
    test can check that nothing was fetched from anywhere but the server."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()


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

