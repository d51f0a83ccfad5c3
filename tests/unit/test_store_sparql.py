"""hpkg.store.sparql: a remote SPARQL 1.1 store is configured from its URL and the environment (no server here;
the same commands against a real one are in ``tests/integration/test_remote_store.py``)."""

from __future__ import annotations

import pytest

from hpkg.errors import HpkgError
from hpkg.store import open_store
from hpkg.store.sparql import SparqlStore

from ..conftest import free_port


def test_remote_urls_and_credentials_come_from_the_environment(monkeypatch):
    s = SparqlStore("sparql+https://kg.example.org/ds/query")
    assert (s.query_url, s.update_url, s.gsp_url) == (
        "https://kg.example.org/ds/query", "https://kg.example.org/ds/update", "https://kg.example.org/ds/store")
    monkeypatch.setenv("HPKG_UPDATE_URL", "https://kg.example.org/ds/statements")
    monkeypatch.setenv("HPKG_SPARQL_TOKEN", "t0k3n")
    s = SparqlStore("sparql+http://h:7200/repositories/hpkg", gsp_url="http://h:7200/repositories/hpkg/rdf-graphs/service")
    assert s.update_url == "https://kg.example.org/ds/statements"
    assert s.gsp_url.endswith("/rdf-graphs/service")
    assert s._client.headers["Authorization"] == "Bearer t0k3n"
    with pytest.raises(HpkgError, match="HPKG_SPARQL_USER"):
        SparqlStore("sparql+http://user:secret@h/query")


def test_open_store_picks_the_backend_from_the_spec():
    assert isinstance(open_store("sparql+http://127.0.0.1:1/query"), SparqlStore)
    with pytest.raises(HpkgError, match="unsupported store"):
        open_store("ftp://example.org/store")


def test_unreachable_server_is_a_clear_error(cli):
    r = cli("--store", f"sparql+http://127.0.0.1:{free_port()}/query", "stats")
    assert r.returncode == 2
    assert b"cannot reach the SPARQL store" in r.stderr
