"""The same end-to-end CLI runs against the embedded on-disk store and a real Oxigraph SPARQL server (``oxigraph serve``).

The command line runs in this process (``cli``): the server is the real process here.
"""

from __future__ import annotations

import json

import pytest

from hpkg.generate import generate


@pytest.fixture(params=["disk", "sparql"])
def backend(request, tmp_path):
    """``--store`` for each backend: an on-disk folder, or the (emptied) Oxigraph server."""
    if request.param == "disk":
        return str(tmp_path / "store")
    return request.getfixturevalue("empty_remote")


def test_build_query_stats_export_validate(cli, backend, tmp_path):
    r = cli("--store", backend, "build", "--no-export")
    assert r.returncode == 0, r.stderr
    assert b"conforms" in r.stdout
    stats = json.loads(cli("--store", backend, "stats", "--json").stdout)
    assert "https://w3id.org/hpkg/ontology" in stats["graphs"]
    assert stats["triples"] == sum(stats["graphs"].values())
    q = cli("--store", backend, "query", "--format", "csv",
            "SELECT ?o WHERE { ?o a <https://w3id.org/hpkg/ontology#ZoneAuthority> }")
    assert q.returncode == 0, q.stderr
    assert b"ban-quan-ly-khu-kinh-te-hai-phong" in q.stdout
    c = cli("--store", backend, "query", "--format", "nt",
            "CONSTRUCT { ?s a ?c } WHERE { ?s a <https://w3id.org/hpkg/ontology#ZoneAuthority> ; a ?c }")
    assert c.returncode == 0 and b"ZoneAuthority" in c.stdout
    e = cli("--store", backend, "export", "--format", "nq", "-o", "out.nq")
    assert e.returncode == 0, e.stderr
    assert len((tmp_path / "out.nq").read_bytes().splitlines()) == stats["triples"]
    v = cli("--store", backend, "validate")
    assert v.returncode == 0 and b"conforms" in v.stdout
    bad = cli("--store", backend, "query", "SELECT WHERE {")
    assert bad.returncode == 2 and b"error" in bad.stderr


def test_load_then_validate_finds_injected_violations(cli, backend, tmp_path):
    report = generate(tmp_path / "v.nt.gz", provinces=2, zones=4, projects=20, years=2, violations=1)
    assert cli("--store", backend, "build", "--no-export").returncode == 0  # ontology, code lists, units
    r = cli("--store", backend, "load", "v.nt.gz")
    assert r.returncode == 0, r.stderr
    out = cli("--store", backend, "validate", "--format", "json")
    assert out.returncode == 1
    results = json.loads(out.stdout)["results"]
    found = {v["focus"] for v in results}
    injected = {n for nodes in report.violations.values() for n in nodes}
    assert set(report.violations["missing-unit"]) <= found  # (the other kinds need the full shape set)
    assert found <= injected  # and nothing else is wrong
    # a broken file: nothing reaches the store, the error names the line
    lines = (tmp_path / "b.nt").write_bytes(b"<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n" * 5
                                            + b"<https://e.org/a> <https://e.org/b> nope .\n")
    assert lines
    before = cli("--store", backend, "stats", "--json").stdout
    bad = cli("--store", backend, "load", "b.nt")
    assert bad.returncode == 2 and b"b.nt:6:" in bad.stderr
    assert cli("--store", backend, "stats", "--json").stdout == before


@pytest.fixture(params=["memory", "sparql"])
def any_store(request):
    from hpkg.store import open_store

    if request.param == "memory":
        return open_store(memory=True)
    return open_store(request.getfixturevalue("empty_remote"))


def test_base_iri_resolves_relative_iris_in_queries_and_updates(any_store):
    """The service-defined BASE (the SPARQL endpoint's URL) works the same on every backend."""
    base = "http://example.org/base/"
    any_store.update('INSERT DATA { <zone/x> <p> "1" }', base_iri=base)
    rows = any_store.query("SELECT ?s WHERE { ?s <p> ?o }", base_iri=base).rows()
    assert [r["s"].value for r in rows] == [base + "zone/x"]
    # The query's own BASE still wins over the service's.
    rows = any_store.query("BASE <http://example.org/base/zone/> SELECT ?o WHERE { <x> <../p> ?o }",
                           base_iri="http://elsewhere.example/").rows()
    assert [r["o"].value for r in rows] == ["1"]
