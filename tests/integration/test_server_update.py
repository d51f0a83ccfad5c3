"""``hpkg serve`` with ``HPKG_UPDATE_TOKEN``: guarded, SHACL-validated SPARQL Update and Graph Store Protocol."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from .serverkit import build_store, start_server
from .w3c_protocol import cases_for, run_case

TOKEN = "test-token-5f1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SH = Namespace("http://www.w3.org/ns/shacl#")
DATA_GRAPH = "https://w3id.org/hpkg/id/graph/data"
ZONE = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
BAD_OBS = "https://w3id.org/hpkg/id/obs/test-without-unit"
OBS_WITHOUT_UNIT = f"""
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <{BAD_OBS}> a qb:Observation ; sdmx-measure:obsValue 1.0 . }} }}
"""
UPDATE = "application/sparql-update"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-update")
    store = build_store(tmp / "store", w3c_data=False)
    srv = start_server(tmp, store, env={"HPKG_UPDATE_TOKEN": TOKEN})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def count(http: httpx.Client, where: str = "?s ?p ?o") -> int:
    r = http.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                 headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_the_token_is_not_on_the_command_line(server):
    with open(f"/proc/{server.proc.pid}/cmdline", "rb") as f:
        assert TOKEN.encode() not in f.read()


def test_update_without_the_token_is_401(http):
    before = count(http)
    r = http.post("/sparql/update", content=b"CLEAR ALL", headers={"Content-Type": UPDATE})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert count(http) == before


def test_update_with_a_wrong_token_is_403(http):
    before = count(http)
    r = http.post("/sparql/update", content=b"CLEAR ALL",
                  headers={"Content-Type": UPDATE, "Authorization": "Bearer wrong"})
    assert r.status_code == 403
    assert count(http) == before


def test_update_that_breaks_a_shape_is_422_with_the_report_and_changes_nothing(http):
    before = count(http)
    r = http.post("/sparql/update", content=OBS_WITHOUT_UNIT.encode(),
                  headers={"Content-Type": UPDATE, "Accept": "text/turtle", **AUTH})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/turtle")
    report = Graph().parse(data=r.text, format="turtle")
    rep = next(report.subjects(RDF.type, SH.ValidationReport))
    assert str(report.value(rep, SH.conforms)) == "false"
    assert any(str(f) == BAD_OBS for f in report.objects(None, SH.focusNode))
    assert count(http) == before
    assert count(http, f"<{BAD_OBS}> ?p ?o") == 0

    r = http.post("/sparql/update", data={"update": OBS_WITHOUT_UNIT}, headers={"Accept": "application/json", **AUTH})
    assert r.status_code == 422
    body = r.json()
    assert body["conforms"] is False
    assert any(v["focus"] == BAD_OBS and "vi" in v["messages"] for v in body["results"])
    assert count(http) == before


def test_malformed_update_is_400(http):
    before = count(http)
    r = http.post("/sparql/update", content=b"INSERT DATA { <http://e/x> <http://e/p> }",
                  headers={"Content-Type": UPDATE, **AUTH})
    assert r.status_code == 400 and "SPARQL syntax error" in r.text
    assert count(http) == before


def test_valid_update_with_the_token_lands(http):
    before = count(http)
    update = (f'INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <{ZONE}> '
              f'<http://www.w3.org/2004/02/skos/core#altLabel> "Hai Phong zones (test)"@en }} }}')
    r = http.post("/sparql/update", content=update.encode(), headers={"Content-Type": UPDATE, **AUTH})
    assert r.status_code == 200, r.text
    assert r.json() == {"applied": True, "conforms": True, "triples_before": before, "triples_after": before + 1}
    assert count(http) == before + 1
    assert count(http, f'<{ZONE}> ?p "Hai Phong zones (test)"@en') == 1
    assert http.get("/health").json()["triples"] == before + 1
    sd = Graph().parse(data=http.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    upd = sd.value(predicate=SD.endpoint, object=URIRef(str(http.base_url.join("/sparql/update"))))
    assert upd is not None and (upd, SD.supportedLanguage, SD.SPARQL11Update) in sd


# --- Graph Store HTTP Protocol ---------------------------------------------------------------------

G = "http://example.org/graphs/test"
TTL = b'@prefix ex: <http://example.org/> .\nex:a ex:p "one"@en ; ex:q ex:b .\n'


def test_graph_store_needs_the_token(http):
    assert http.get("/rdf-graphs", params={"graph": G}).status_code == 401
    assert http.put("/rdf-graphs", params={"graph": G}, content=TTL,
                    headers={"Content-Type": "text/turtle", "Authorization": "Bearer nope"}).status_code == 403


def test_graph_store_put_get_post_head_delete(http):
    r = http.put("/rdf-graphs", params={"graph": G}, content=TTL, headers={"Content-Type": "text/turtle", **AUTH})
    assert r.status_code == 201, r.text
    r = http.get("/rdf-graphs", params={"graph": G}, headers={"Accept": "application/n-triples", **AUTH})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert len(r.text.strip().splitlines()) == 2
    r = http.post("/rdf-graphs", params={"graph": G},
                  content=b'<http://example.org/c> <http://example.org/p> "two" .\n',
                  headers={"Content-Type": "application/n-triples", **AUTH})
    assert r.status_code == 204
    assert count(http, f"GRAPH <{G}> {{ ?s ?p ?o }}") == 3
    r = http.put("/rdf-graphs", params={"graph": G}, content=TTL, headers={"Content-Type": "text/turtle", **AUTH})
    assert r.status_code == 204
    assert count(http, f"GRAPH <{G}> {{ ?s ?p ?o }}") == 2
    assert http.head("/rdf-graphs", params={"graph": G}, headers=AUTH).status_code == 200
    assert http.delete("/rdf-graphs", params={"graph": G}, headers=AUTH).status_code == 204
    assert http.get("/rdf-graphs", params={"graph": G}, headers=AUTH).status_code == 404
    assert http.delete("/rdf-graphs", params={"graph": G}, headers=AUTH).status_code == 404
    r = http.get("/rdf-graphs", params={"default": ""}, headers={"Accept": "text/turtle", **AUTH})
    assert r.status_code == 200


def test_graph_store_refuses_bad_data_and_shape_violations(http):
    before = count(http)
    r = http.put("/rdf-graphs", params={"graph": G}, content=b"@prefix ex: <http://example.org/> .\nex:a ex:p .\n",
                 headers={"Content-Type": "text/turtle", **AUTH})
    assert r.status_code == 400 and "request body:2:" in r.text
    bad = (f"<{BAD_OBS}> a <http://purl.org/linked-data/cube#Observation> .\n").encode()
    r = http.put("/rdf-graphs", params={"graph": G}, content=bad,
                 headers={"Content-Type": "text/turtle", "Accept": "application/json", **AUTH})
    assert r.status_code == 422
    assert json.loads(r.text)["conforms"] is False
    r = http.put("/rdf-graphs", params={"graph": G}, content=TTL, headers={"Content-Type": "image/png", **AUTH})
    assert r.status_code == 415
    assert http.get("/rdf-graphs", headers=AUTH).status_code == 400
    assert count(http) == before


# --- W3C protocol update cases (last: update_post_form clears the store) ------------------------------


@pytest.mark.parametrize("case", cases_for("update"), ids=lambda c: c.name)
def test_w3c_protocol_update(server, case):
    run_case(case, server.url, server="update", token=TOKEN)

