"""Fixtures of the integration layer: a SPARQL server of another make (a real process), pyshacl on the whole graph."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import free_port


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
