"""Fixtures of the integration layer: SPARQL servers of other makes (real Oxigraph and Virtuoso processes),
pyshacl on the whole graph."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import TESTS, free_port


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server (``oxigraph serve``, from the PyPI package) on 127.0.0.1; yields its base URL."""
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
    data = urllib.parse.urlencode({"update": "DROP SILENT ALL"}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{oxigraph_server}/update", data=data), timeout=10)
    return f"sparql+{oxigraph_server}/query"


@pytest.fixture(scope="session")
def pyshacl_shipped_report(built_store, project):
    """pyshacl, the reference engine, on the built shipped graph with the shipped shapes (slow: once a session)."""
    from hpkg.shacl import validate

    return validate(built_store, project=project, engine="pyshacl")


# --------------------------------------------------------------------------- Virtuoso Open Source 7.2

#: Graphs a fresh Virtuoso database holds for itself (its RDF views, LDP and service description).
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                          "http://localuriqaserver/sparql")


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, and what ``hpkg --store`` needs to use it."""

    url: str
    sql_port: int
    folder: Path

    @property
    def store(self) -> str:
        return f"sparql+{self.url}/sparql"

    @property
    def options(self) -> tuple[str, ...]:
        """The global options of ``hpkg`` for this server (query, update and Graph Store URLs)."""
        return ("--store", self.store, "--update-url", f"{self.url}/sparql",
                "--gsp-url", f"{self.url}/sparql-graph-crud-auth")

    @property
    def env(self) -> dict[str, str]:
        """The environment for the authenticated Graph Store (Virtuoso asks for HTTP Digest)."""
        return {"HPKG_SPARQL_USER": "dba", "HPKG_SPARQL_PASSWORD": "dba", "HPKG_SPARQL_AUTH": "digest"}


def _virtuoso_binaries() -> tuple[str, str] | None:
    server = shutil.which("virtuoso-t")
    if server is None:
        return None
    isql = shutil.which("isql-vt") or str(Path(server).with_name("isql"))
    return (server, isql) if Path(isql).exists() else None


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Virtuoso]:
    """A real Virtuoso 7.2 server on 127.0.0.1 (two free ports, a fresh database in a temporary folder).

    The SPARQL user may update (``GRANT SPARQL_UPDATE``); the Graph Store is the authenticated one, as ``dba``.
    Skipped when ``virtuoso-t`` is not installed, unless ``CI`` is set: there a missing server is a failure.
    """
    binaries = _virtuoso_binaries()
    if binaries is None:
        reason = "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin; scripts/setup.sh does it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    server, isql = binaries
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = (TESTS / "virtuoso" / "virtuoso.ini").read_text(encoding="utf-8")
    (folder / "virtuoso.ini").write_text(
        ini.replace("{sql_port}", str(sql_port)).replace("{http_port}", str(http_port)), encoding="utf-8")
    proc = subprocess.Popen([server, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2)
                break
            except OSError:
                log = folder / "virtuoso.log"
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Virtuoso did not start: {log.read_text(errors='replace') if log.exists() else ''}")
                time.sleep(0.1)
        grant = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba",
             'exec=GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";'
             ' GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";'],
            capture_output=True, timeout=60)
        if grant.returncode != 0:
            pytest.fail(f"isql could not grant SPARQL_UPDATE: {grant.stdout.decode()} {grant.stderr.decode()}")
        yield Virtuoso(url, sql_port, folder)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def virtuoso(virtuoso_server) -> Virtuoso:
    """The shared Virtuoso server with every graph but its own dropped."""
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    req = urllib.request.Request(f"{virtuoso_server.url}/sparql?{query}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        rows = json.load(resp)["results"]["bindings"]
    graphs = [r["g"]["value"] for r in rows if r["g"]["value"] not in VIRTUOSO_SYSTEM_GRAPHS]
    if graphs:
        data = urllib.parse.urlencode({"update": " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{virtuoso_server.url}/sparql", data=data), timeout=60)
    return virtuoso_server
