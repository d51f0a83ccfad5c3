"""``/api``: the named queries as a web API (grlc-style), on the real ``hpkg serve`` process over a built on-disk
store, asked by httpx; the OpenAPI description checked by a bounded schemathesis run against the live server.

The project served adds one query of its own, written for this test, with an IRI parameter."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from hpkg.iri import DEFAULT_BASE, graph_iri
from hpkg.store import OxigraphStore

from ..conftest import SHIPPED, make_project
from ..unit.test_graph_queries import QUERIES, article
from .serverkit import build_store, start_server

ZONE = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
ZONE_LABEL = """# vi: Nhãn tiếng Việt của một thực thể là gì?
# en: What is the Vietnamese label of an entity?
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?_entity_iri rdfs:label ?label FILTER (lang(?label) = "vi") }
"""
BAD_PARAM = """# vi: Truy vấn có tham số không gán được
# en: A query whose parameter cannot be bound
SELECT ?s WHERE { VALUES ?_a { 1 2 } ?s ?p ?_a }
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    store = build_store(tmp / "store", w3c_data=False)
    # one FIA report, for /api/fdi-province-rank (the build of the tests leaves data/fia/ out)
    fia = OxigraphStore(store)
    fia.load_file(SHIPPED / "data" / "fia" / "fia-2023.ttl", graph=graph_iri("fia"), base_iri=DEFAULT_BASE)
    fia.close()
    proj = make_project(tmp / "proj", {"queries/entity-label.rq": ZONE_LABEL,
                                              "queries/bad-param.rq": BAD_PARAM})
    srv = start_server(tmp, store, env={"HPKG_HOME": str(proj)})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_api_lists_every_named_query_with_its_parameters(http):
    r = http.get("/api")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    listed = {q["name"]: q for q in r.json()}
    assert set(listed) == set(QUERIES) | {"entity-label", "bad-param"}
    for name, q in QUERIES.items():
        assert listed[name]["description"] == q.question_en
        assert listed[name]["url"] == f"/api/{name}"
    assert [(p["name"], p["required"], p["type"]) for p in listed["figures-in-year"]["parameters"]] == [
        ("year", True, "xsd:integer"), ("indicator", False, "string")]
    assert listed["entity-label"]["parameters"] == [
        {"name": "entity", "required": True, "type": "iri", "variable": "?_entity_iri"}]
    assert listed["fdi-vs-plan"]["parameters"] == []
    # a query whose parameters cannot be bound is listed with the reason, left out of the OpenAPI description
    assert listed["bad-param"]["parameters"] is None
    assert "cannot be a VALUES variable" in listed["bad-param"]["error"]
    r = http.get("/api/bad-param", params={"a": "1"})
    assert r.status_code == 400 and "cannot be a VALUES variable" in r.text


def test_api_answers_csv_json_tsv_and_xml_per_accept(http):
    params = {"year": "2024", "indicator": "FDI_REG"}
    r = http.get("/api/figures-in-year", params=params, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(row["indicator"], Decimal(row["value"])) for row in rows] == [("FDI_REG", article("4,35 tỷ USD"))]
    r = http.get("/api/figures-in-year", params=params, headers={"Accept": "application/json"})
    assert r.status_code == 200
    [b] = r.json()["results"]["bindings"]
    assert Decimal(b["value"]["value"]) == article("4,35 tỷ USD")
    for accept, fmt in (("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML)):
        r = http.get("/api/figures-in-year", params=params, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        sols = list(ox.parse_query_results(r.content, format=fmt))
        assert [s["indicator"].value for s in sols] == ["FDI_REG"]
    r = http.get("/api/figures-in-year.csv", params={"year": "2024"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 10  # the article's ten 2024 figures


def test_api_fdi_province_rank_answers_csv_and_json(http):
    r = http.get("/api/fdi-province-rank", params={"year": "2023"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0] == "rank,code,province,fdi_registered_usd,new_projects"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    # the report's sheet "Thang 12 2023": Hồ Chí Minh I152 = 5851.950882490772, Hải Phòng I153, C153 = 119
    assert [(row["rank"], row["code"]) for row in rows[:2]] == [("1", "79"), ("2", "31")]
    assert float(rows[1]["fdi_registered_usd"]) == pytest.approx(3262.3127726800003e6, rel=1e-12)
    assert rows[1]["new_projects"] == "119"
    r = http.get("/api/fdi-province-rank", params={"year": "2023"}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    data = r.json()
    assert data["head"]["vars"] == ["rank", "code", "province", "fdi_registered_usd", "new_projects"]
    assert data["results"]["bindings"][0]["province"]["value"] == "Thành phố Hồ Chí Minh"
    assert len(data["results"]["bindings"]) == len(rows)
    r = http.get("/api/fdi-province-rank")
    assert r.status_code == 400 and "year (required, xsd:integer)" in r.text


def test_api_iri_parameter_and_a_query_without_parameters(http):
    r = http.get("/api/entity-label", params={"entity": ZONE}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert [row["label"] for row in csv.DictReader(io.StringIO(r.text))] == ["Các khu công nghiệp, khu kinh tế Hải Phòng"]
    r = http.get("/api/fdi-exceeded-plan", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/api/figures-in-year", {}, 400, "needs the parameter 'year'; its parameters: year (required, xsd:integer)"),
    ("/api/figures-in-year", {"year": "2024", "partner": "JPN"}, 400, "has no parameter 'partner'"),
    ("/api/figures-in-year", {"year": "2024 } UNION { ?s ?p ?o"}, 400, "is not an integer"),
    ("/api/entity-label", {"entity": ZONE + "> } UNION { ?s ?p ?o } #"}, 400, "not an absolute IRI"),
    ("/api/no-such-query", {}, 404, "no named query 'no-such-query'"),
])
def test_api_bad_parameters_are_400_with_the_list_of_parameters(http, path, params, status, message):
    r = http.get(path, params=params)
    assert r.status_code == status
    assert message in r.text


def test_api_a_string_that_tries_to_escape_its_literal_matches_nothing(http):
    r = http.get("/api/figures-in-year", params={"year": "2024", "indicator": 'FDI_REG" || true || "'},
                 headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert r.text.splitlines()[1:] == []


def test_api_openapi_describes_every_query_and_its_parameters(http):
    r = http.get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {f"/api/{n}" for n in [*QUERIES, "entity-label"]}
    op = doc["paths"]["/api/figures-in-year"]["get"]
    assert [(p["name"], p["in"], p["required"], p["schema"]) for p in op["parameters"]] == [
        ("year", "query", True, {"type": "integer"}), ("indicator", "query", False, {"type": "string"})]
    assert "text/csv" in op["responses"]["200"]["content"]
    assert "text/turtle" in doc["paths"]["/api/data-cube-slice"]["get"]["responses"]["200"]["content"]


def test_schemathesis_finds_no_server_error_on_the_api(server, tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if st is None:
        pytest.skip("schemathesis is not installed")
    run = subprocess.run(
        [st, "run", server.url + "/api/openapi.json", "--checks",
         "not_a_server_error,status_code_conformance,content_type_conformance",
         "--include-path-regex", "^/api/(figures-in-year|entity-label|fdi-vs-plan)$",
         "--max-examples", "15", "--workers", "1", "--seed", "7", "--request-timeout", "20",
         "--phases", "examples,coverage,fuzzing", "--no-color", "--max-time", "40"],
        cwd=tmp_path, capture_output=True, text=True, timeout=400,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
