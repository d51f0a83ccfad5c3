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


# --------------------------------------------------------------------------- the text a remote store sends and reads


def test_query_form_skips_comments_prefixes_and_base():
    from hpkg.store.sparql import query_form

    text = "# vi: Có ... ASK?\n# en: a SELECT in a comment\nBASE <http://e/>\nPREFIX a: <http://e/a#>\nPREFIX : <x>\n"
    assert query_form(text + "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "construct"
    assert query_form(text + "ask { ?s ?p ?o }") == "ask"
    assert query_form("SELECT * WHERE {}") == "select"
    assert query_form("INSERT DATA {}") is None


def test_excerpt_shows_the_first_lines_after_prefixes_and_comments_and_says_what_it_left_out():
    from hpkg.store.sparql import excerpt

    text = "PREFIX a: <http://e/a#>\n# a comment\n" + "\n".join(f"<s{i}> <p> <o> ." for i in range(1000))
    shown = excerpt(text, 3)
    assert shown.splitlines()[:3] == ["    <s0> <p> <o> .", "    <s1> <p> <o> .", "    <s2> <p> <o> ."]
    assert "997 more lines, 2 PREFIX and comment lines left out" in shown and "<s3>" not in shown
    assert "x" * 200 + " …" in excerpt("x" * 5000)
    # a server's copy of the request (Virtuoso's) is not repeated
    assert excerpt("Virtuoso 37000 Error SP031: no\n\nSPARQL query:\nINSERT DATA { … }") == \
        "    Virtuoso 37000 Error SP031: no"


def test_blank_node_triples_go_as_insert_where_keeping_connected_ones_together():
    import pyoxigraph as ox

    from hpkg.store.updates import blank_node_groups, insert_where

    p, g = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/g")
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    quads = [ox.Quad(a, p, b, g), ox.Quad(c, p, ox.Literal("1"), g), ox.Quad(b, p, ox.Literal("2"), g)]
    groups = blank_node_groups(quads, size=1)
    assert sorted(len(x) for x in groups) == [1, 2]  # a-b stays together though the group size is 1
    assert [q for x in groups for q in x if q.subject == b][0] in next(x for x in groups if len(x) == 2)
    text = insert_where(quads)
    assert text.startswith("INSERT {") and text.endswith(" WHERE {}") and "INSERT DATA" not in text
    # the update means what INSERT DATA means: run it on the embedded store
    store = ox.Store()
    store.update(text)
    assert len(store) == 3 and len({q.subject for q in store if q.predicate == p and isinstance(q.subject, ox.BlankNode)}) == 3


def test_virtuoso_blank_node_names_become_valid_labels_the_same_name_the_same_label():
    import json

    import pyoxigraph as ox

    from hpkg.store.sparql import _fix_json_results

    body = json.dumps({"head": {"vars": ["x", "y"]}, "results": {"bindings": [
        {"x": {"type": "bnode", "value": "nodeID://b10000"}, "y": {"type": "bnode", "value": "nodeID://b10000"}},
        {"x": {"type": "bnode", "value": "odd name"}, "y": {"type": "bnode", "value": "ok_label"}}]}}).encode()
    rows = list(ox.parse_query_results(_fix_json_results(body), format=ox.QueryResultsFormat.JSON))
    assert rows[0]["x"] == rows[0]["y"] and rows[0]["x"].value == "vnode_b10000"
    assert rows[1]["x"] != rows[1]["y"] and rows[1]["y"].value == "ok_label"


def test_graphs_a_query_names_and_transitive_paths_are_found():
    from hpkg.store.sparql import graphs_named_in, transitive_paths

    q = "BASE <http://e/> PREFIX g: <http://e/graph/> SELECT * WHERE { GRAPH <a> { ?s ?p ?o } GRAPH g:b { ?s ?p ?o } }"
    assert graphs_named_in(q) == ["http://e/a", "http://e/graph/b"]
    assert transitive_paths("SELECT * WHERE { ?c <http://e/sub>* <http://e/C> }")
    assert transitive_paths("SELECT * WHERE { ?c (<http://e/a>/<http://e/b>)+ ?d }")
    assert not transitive_paths("SELECT (COUNT(*) AS ?n) WHERE { ?a <http://e/p> ?b BIND(?b*2 AS ?c) }")


def test_digest_authentication_is_chosen_by_the_environment(monkeypatch):
    import httpx

    monkeypatch.setenv("HPKG_SPARQL_USER", "dba")
    monkeypatch.setenv("HPKG_SPARQL_PASSWORD", "dba")
    assert isinstance(SparqlStore("sparql+http://h/sparql")._client.auth, httpx.BasicAuth)
    monkeypatch.setenv("HPKG_SPARQL_AUTH", "digest")
    assert isinstance(SparqlStore("sparql+http://h/sparql")._client.auth, httpx.DigestAuth)
    monkeypatch.setenv("HPKG_SPARQL_AUTH", "kerberos")
    with pytest.raises(HpkgError, match="basic or digest"):
        SparqlStore("sparql+http://h/sparql")


def test_wkt_literals_go_to_virtuoso_under_hpkg_datatype_and_come_back_unchanged():
    import json

    import pyoxigraph as ox

    from hpkg.store.sparql import VIRTUOSO_GEOMETRY, VIRTUOSO_WKT, WKT, _fix_json_results, _from_virtuoso, _to_virtuoso

    text = "MULTIPOLYGON (((106.6 20.8, 106.7 20.8, 106.6 20.8)))"
    s, p, g = ox.NamedNode("urn:x:b"), ox.NamedNode("http://www.opengis.net/ont/geosparql#asWKT"), ox.NamedNode("urn:x:g")
    quad = ox.Quad(s, p, ox.Literal(text, datatype=ox.NamedNode(WKT)), g)
    stored = _to_virtuoso(quad)
    assert stored.object == ox.Literal(text, datatype=ox.NamedNode(VIRTUOSO_WKT)) and stored.graph_name == g
    other = ox.Quad(s, p, ox.Literal("x", language="vi"), g)
    assert _to_virtuoso(other) == other
    assert _from_virtuoso(stored.triple, "http://h/sparql") == quad.triple
    body = json.dumps({"head": {"vars": ["w", "dt"]}, "results": {"bindings": [{
        "w": {"type": "typed-literal", "datatype": VIRTUOSO_WKT, "value": text},
        "dt": {"type": "uri", "value": VIRTUOSO_WKT}}]}}).encode()
    row = next(iter(ox.parse_query_results(_fix_json_results(body), format=ox.QueryResultsFormat.JSON)))
    assert row["w"] == ox.Literal(text, datatype=ox.NamedNode(WKT)) and row["dt"] == ox.NamedNode(WKT)
    # a geometry Virtuoso already rewrote (written by other means) cannot be given back: an error, not a literal
    rewritten = body.replace(VIRTUOSO_WKT.encode(), VIRTUOSO_GEOMETRY.encode())
    with pytest.raises(HpkgError, match="http://h/sparql.*rewrote"):
        _fix_json_results(rewritten, "http://h/sparql")
    with pytest.raises(HpkgError, match="rewrote"):
        _from_virtuoso(ox.Triple(s, p, ox.Literal("POINT(1 2)", datatype=ox.NamedNode(VIRTUOSO_GEOMETRY))), "")
