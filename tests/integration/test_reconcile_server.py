"""The reconciliation service of a real ``hpkg serve`` process, tested as its users use it.

Every answer is validated against the JSON schemas of the W3C Entity Reconciliation API 0.2 (copied
unchanged into ``tests/conformance/reconciliation-0.2``); the specification's valid example requests are
accepted and its invalid ones refused with 400; the bad-input cases of issue 11; CORS; a real client
(the ``reconciler`` package reconciling a pandas DataFrame of names as spreadsheets write them); and a
bounded schemathesis run against the service's OpenAPI description.

The server is started here with ``subprocess`` (build a store, then ``hpkg serve``) so that this file
depends on nothing but the command line.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT / "tests" / "conformance" / "reconciliation-0.2"
SCHEMAS = CONFORMANCE / "schemas"
EXAMPLES = CONFORMANCE / "examples"
BASE = "https://w3id.org/hpkg/id/"
USA = "http://publications.europa.eu/resource/authority/country/USA"


# ---------------------------------------------------------------- the specification's schemas


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources.append((doc["$id"].rstrip("#"), Resource.from_contents(doc, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=REGISTRY)


def conforms(name: str, data: object) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def examples(kind: str, validity: str) -> list[Path]:
    return sorted((EXAMPLES / kind / validity).glob("*.json"))


@pytest.mark.parametrize(("kind", "schema"), [("manifest", "manifest.json"),
                                              ("reconciliation-query-batch", "reconciliation-query-batch.json"),
                                              ("reconciliation-result-batch", "reconciliation-result-batch.json"),
                                              ("data-extension-response", "data-extension-response.json")])
def test_the_schemas_tell_the_examples_apart(kind: str, schema: str) -> None:
    """The validators used below accept the specification's valid examples and reject its invalid ones."""
    for path in examples(kind, "valid"):
        conforms(schema, json.loads(path.read_text(encoding="utf-8")))
    for path in examples(kind, "invalid"):
        assert not validator(schema).is_valid(json.loads(path.read_text(encoding="utf-8"))), path.name


# ---------------------------------------------------------------- a real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HPKG_STORE", "HPKG_BASE", "HPKG_UPDATE_TOKEN")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["HPKG_HOME"] = str(ROOT)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory, {})


TOKEN = "reconcile-test-token"


@pytest.fixture(scope="module")
def updatable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory, {"HPKG_UPDATE_TOKEN": TOKEN})


def _serve(tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str]) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("reconcile-server")
    store = tmp / "store"
    built = subprocess.run([sys.executable, "-m", "hpkg", "--store", str(store), "build", "--no-export"],
                           cwd=tmp, env=_env(), capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    port = _free_port()
    log = tmp / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "hpkg", "--store", str(store), "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", "1"],
                                cwd=tmp, env={**_env(), **extra_env}, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"hpkg serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"hpkg serve did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def post(server: str, **fields: object) -> httpx.Response:
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return httpx.post(server + "/reconcile", data=data, timeout=30)


def get(server: str, path: str, **params: object) -> httpx.Response:
    q = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return httpx.get(server + path, params=q, timeout=30)


# ---------------------------------------------------------------- manifest and queries


def test_manifest(server: str) -> None:
    r = get(server, "/reconcile")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    m = r.json()
    conforms("manifest.json", m)
    assert m["versions"] == ["0.2"] and m["identifierSpace"] == BASE
    assert {t["id"] for t in m["defaultTypes"]} >= {"province-63", "province-34", "country", "zone", "organisation",
                                                    "indicator", "sector"}
    assert m["batchSize"] == 100
    for key in ("view", "preview"):
        assert m[key]["url"].startswith(server) and "{{id}}" in m[key]["url"]
    assert set(m["suggest"]) == {"entity", "type", "property"}
    assert m["extend"]["propose_properties"]["service_path"] == "/extend/propose"


QUERIES = {
    "q0": {"query": "TP. Hồ Chí Minh", "type": "province-63"},
    "q1": {"query": "HẢI PHÒNG", "type": ["province-34"], "limit": 3},
    "q2": {"query": "Hàn Quốc", "type": "country"},
    "q3": {"query": "Hải Phòng", "type": "province", "properties": [{"pid": "iso3166_2", "v": "VN-HP"}]},
    "q4": {"properties": [{"pid": "gso_code", "v": "31"}], "type": "province-34"},
    "q5": {"query": "Hai Phong", "type": ["province-63", "province-34"], "type_strict": "any"},
    # as OpenRefine sends them: a type with type_strict "should", a limit, properties from other columns
    "q6": {"query": "Ha Noi", "type": "province-34", "type_strict": "should", "limit": 6, "properties": []},
    "q7": {"query": "Korea", "type": "country", "type_strict": "should", "limit": 6,
           "properties": [{"pid": "iso3166_1_alpha2", "v": "KR"}]},
}


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_reconciliation_queries(server: str, method: str) -> None:
    r = post(server, queries=QUERIES) if method == "POST" else get(server, "/reconcile", queries=QUERIES)
    assert r.status_code == 200, r.text
    batch = r.json()
    conforms("reconciliation-result-batch.json", batch)
    assert set(batch) == set(QUERIES)
    top = {qid: batch[qid]["result"][0] for qid in batch}
    assert top["q0"]["id"] == BASE + "code/dvhc-63/79" and top["q0"]["match"] is True
    assert top["q1"]["id"] == BASE + "place/hai-phong-2025" and top["q1"]["match"] is True
    assert len(batch["q1"]["result"]) <= 3
    assert top["q2"]["id"] == BASE + "place/han-quoc" and top["q2"]["match"] is True
    assert top["q3"]["id"] == BASE + "place/hai-phong" and top["q3"]["match"] is True
    assert top["q4"]["id"] == BASE + "place/hai-phong-2025" and top["q4"]["match"] is True
    assert top["q6"]["id"] == BASE + "code/dvhc-34/01" and top["q6"]["match"] is True
    assert len(batch["q6"]["result"]) <= 6
    assert top["q7"]["id"] == BASE + "place/han-quoc" and top["q7"]["match"] is True
    assert {"id": "property:iso3166_1_alpha2", "value": True} in top["q7"]["features"]
    # the same name on both lists: two candidates, no match
    assert [c["match"] for c in batch["q5"]["result"][:2]] == [False, False]
    for result in batch.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        for c in result["result"]:
            assert {"id", "name", "score", "match", "description", "type", "features"} <= set(c)


@pytest.mark.parametrize("path", examples("reconciliation-query-batch", "valid"), ids=lambda p: p.name)
def test_the_specifications_valid_query_batches_are_accepted(server: str, path: Path) -> None:
    batch = json.loads(path.read_text(encoding="utf-8"))
    r = post(server, queries=batch)
    if r.status_code == 400:
        # the examples name a type of another service (DifferentiatedPerson): refused as an unknown type,
        # never as a schema error
        assert "unknown type" in r.json()["error"] and "schema_error" not in r.json(), r.text
        for q in batch.values():
            if "type" in q:
                q["type"] = "province-63"
        r = post(server, queries=batch)
    assert r.status_code == 200, r.text
    conforms("reconciliation-result-batch.json", r.json())
    assert set(r.json()) == set(batch)


@pytest.mark.parametrize("path", examples("reconciliation-query-batch", "invalid"), ids=lambda p: p.name)
def test_the_specifications_invalid_query_batches_are_refused(server: str, path: Path) -> None:
    r = post(server, queries=path.read_text(encoding="utf-8"))
    assert r.status_code == 400
    body = r.json()
    assert "schema" in body["error"] and body["schema_error"]


# ---------------------------------------------------------------- bad input


def test_bad_input(server: str) -> None:
    r = post(server, queries='{"q0": {"query": "Hai Phong"')
    assert r.status_code == 400 and "not JSON" in r.json()["error"]
    r = post(server, queries={"q0": {"query": "Hai Phong", "typo": 1}})
    assert r.status_code == 400 and "Additional properties" in r.json()["schema_error"]
    r = post(server, queries={"q0": {"query": "Hai Phong", "type": "Person"}})
    assert r.status_code == 400
    assert r.json()["known_types"][:2] == ["province-63", "province-34"] and "province-63" in r.json()["error"]
    r = post(server, queries={str(i): {"query": "Hai Phong"} for i in range(101)})
    assert r.status_code == 413 and r.json()["batchSize"] == 100
    r = post(server, queries={"q0": {"query": "   "}})
    assert r.status_code == 400 and "empty query string" in r.json()["error"]
    r = post(server, extend="{ids: []}")
    assert r.status_code == 400 and "not JSON" in r.json()["error"]
    r = post(server, extend={"ids": ["x"]})
    assert r.status_code == 400 and "'properties' is a required property" in r.json()["schema_error"]
    r = httpx.post(server + "/reconcile", timeout=10)
    assert r.status_code == 400
    r = httpx.post(server + "/reconcile", content=b"{}", headers={"content-type": "application/json"}, timeout=10)
    assert r.status_code == 415
    for path in ("/reconcile/suggest/entity", "/reconcile/suggest/type", "/reconcile/suggest/property"):
        assert get(server, path).status_code == 400, "prefix is required"
    assert get(server, "/reconcile/suggest/entity", prefix="ha", cursor="x").status_code == 400
    assert get(server, "/reconcile/suggest/entity", prefix="ha", type="Person").status_code == 400
    assert get(server, "/reconcile/extend/propose", type="Person").status_code == 400
    assert get(server, "/reconcile/preview").status_code == 400
    assert get(server, "/reconcile/preview", id="nope").status_code == 404
    assert get(server, "/search", q="x", type="Person").status_code == 400
    assert get(server, "/search", q="x", format="xml").status_code == 400
    assert get(server, "/reconcile/suggest/entity", prefix="ha", cursor="").status_code == 400
    r = post(server, queries='{"q0": {"query": "Hai Phong", "limit": Infinity}}')
    assert r.status_code == 400 and "Infinity is not JSON" in r.json()["error"]
    r = post(server, queries={"q0": {"query": "Hai Phong " * 40}})
    assert r.status_code == 400 and "longer than 300" in r.json()["error"]
    assert get(server, "/search", q="x" * 301).status_code == 400
    assert get(server, "/reconcile/suggest/entity", prefix="x" * 301).status_code == 400


# ---------------------------------------------------------------- suggest, preview, view, extend


def test_suggest(server: str) -> None:
    r = get(server, "/reconcile/suggest/entity", prefix="hai d")
    assert r.status_code == 200
    conforms("suggest-entities-response.json", r.json())
    assert r.json()["result"][0]["id"] == BASE + "place/hai-duong"
    first = get(server, "/reconcile/suggest/entity", prefix="ha", type="province-63").json()["result"]
    second = get(server, "/reconcile/suggest/entity", prefix="ha", type="province-63", cursor="3").json()["result"]
    # Hà Giang, Hà Nam, Hà Nội, Hà Tĩnh, Hải Dương, Hải Phòng, Hậu Giang
    assert len(first) == 7 and second == first[3:]
    assert len(get(server, "/reconcile/suggest/entity", prefix="a").json()["result"]) == 10, "one page is 10"
    r = get(server, "/reconcile/suggest/type", prefix="prov")
    conforms("suggest-types-response.json", r.json())
    assert {t["id"] for t in r.json()["result"]} == {"province-63", "province-34", "province"}
    r = get(server, "/reconcile/suggest/property", prefix="iso", type="country")
    conforms("suggest-properties-response.json", r.json())
    assert {p["id"] for p in r.json()["result"]} == {"iso3166_1_alpha2", "iso3166_1_alpha3", "iso3166_1_numeric"}


def test_preview_and_view(server: str) -> None:
    m = get(server, "/reconcile").json()
    r = httpx.get(m["preview"]["url"].replace("{{id}}", BASE + "place/hai-phong"), timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Hải Phòng" in r.text and "VN-HP" in r.text
    r = httpx.get(m["view"]["url"].replace("{{id}}", BASE + "place/hai-phong"), timeout=10)
    assert r.status_code == 303 and r.headers["location"] == "/page/place/hai-phong"
    assert httpx.get(server + r.headers["location"], timeout=10).status_code == 200
    r = httpx.get(m["view"]["url"].replace("{{id}}", USA), timeout=10)
    assert r.status_code == 303 and r.headers["location"] == USA
    r = httpx.get(m["view"]["url"].replace("{{id}}", BASE + "code/dvhc-63/01"), timeout=10, follow_redirects=True)
    assert r.status_code == 200 and "Hà Nội" in r.text


def test_data_extension(server: str) -> None:
    r = get(server, "/reconcile/extend/propose", type="province-63")
    conforms("data-extension-property-proposal.json", r.json())
    assert r.json()["type"] == "province-63"
    assert {"gso_code", "iso3166_2", "successor_2025"} <= {p["id"] for p in r.json()["properties"]}
    ids = [BASE + "place/hai-duong", BASE + "code/dvhc-63/77", BASE + "place/han-quoc"]
    query = {"ids": ids, "properties": [{"id": "gso_code"}, {"id": "iso3166_2"}, {"id": "successor_2025"},
                                        {"id": "iso3166_1_alpha2"}, {"id": "valid_to"},
                                        {"id": "label_vi", "settings": {"limit": 1}}]}
    for r in (post(server, extend=query), get(server, "/reconcile", extend=query)):
        assert r.status_code == 200, r.text
        conforms("data-extension-response.json", r.json())
        rows = r.json()["rows"]
        assert rows[ids[0]]["gso_code"] == [{"str": "30"}]
        assert rows[ids[0]]["successor_2025"] == [{"id": BASE + "place/hai-phong-2025",
                                                   "name": "Hải Phòng (từ 1/7/2025)"}]
        assert rows[ids[1]]["successor_2025"][0]["id"] == BASE + "code/dvhc-34/79"
        assert rows[ids[2]]["iso3166_1_alpha2"] == [{"str": "KR"}]
    zones = BASE + "zone/kcn-kkt-hai-phong"
    r = post(server, extend={"ids": [zones], "properties": [{"id": "fdi_registered", "settings": {"year": "2024"}}]})
    conforms("data-extension-response.json", r.json())
    assert r.json()["rows"][zones]["fdi_registered"] == [{"float": 4.35e9}]


@pytest.mark.parametrize("path", examples("data-extension-query", "valid"), ids=lambda p: p.name)
def test_the_specifications_extension_queries_are_accepted(server: str, path: Path) -> None:
    r = post(server, extend=path.read_text(encoding="utf-8"))
    assert r.status_code == 200, r.text
    conforms("data-extension-response.json", r.json())


# ---------------------------------------------------------------- CORS


CORS_PATHS = ["/reconcile", "/reconcile/suggest/entity?prefix=ha", "/reconcile/suggest/type?prefix=c",
              "/reconcile/suggest/property?prefix=g", "/reconcile/extend/propose?type=country",
              f"/reconcile/preview?id={BASE}place/hai-phong", "/reconcile/openapi.json", "/search?q=hai",
              "/reconcile?queries=%7B%7D", "/reconcile?queries=bad"]


@pytest.mark.parametrize("path", CORS_PATHS)
def test_cors_on_every_endpoint(server: str, path: str) -> None:
    for headers in ({}, {"Origin": "https://openrefine.example"}):
        r = httpx.get(server + path, headers=headers, timeout=10)
        assert r.headers.get("access-control-allow-origin") == "*", (path, headers, r.status_code)
    pre = httpx.options(server + path.split("?")[0], headers={"Origin": "https://openrefine.example",
                                                               "Access-Control-Request-Method": "POST"}, timeout=10)
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]


# ---------------------------------------------------------------- /search


def test_search_json_and_html(server: str) -> None:
    r = get(server, "/search", q="hai d")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json()["results"][0]["id"] == BASE + "place/hai-duong"
    r = get(server, "/search", q="Han Quoc", type="country")
    assert r.json()["results"][0]["name"] == "Hàn Quốc"
    r = httpx.get(server + "/search", params={"q": "south korea", "lang": "en"}, headers={"Accept": "text/html"},
                  timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "/page/place/han-quoc" in r.text and 'id="search-results"' in r.text
    assert get(server, "/search", q="hai phong", format="html").headers["content-type"].startswith("text/html")
    assert get(server, "/search").json()["results"] == []
    home = httpx.get(server + "/", headers={"Accept": "text/html"}, timeout=10)
    assert 'action="/search"' in home.text, "a search box on every page"


# ---------------------------------------------------------------- a real client: reconciler + pandas


def test_reconciler_reconciles_a_spreadsheet(server: str) -> None:
    pd = pytest.importorskip("pandas")
    reconciler = pytest.importorskip("reconciler")
    provinces = pd.DataFrame({"tinh": ["TP. Hồ Chí Minh", "Ha Noi", "HẢI PHÒNG", "Bà Rịa-Vũng Tàu", "Tỉnh Hải Dương",
                                       "Da Nang", "Thua Thien Hue", "BINH DUONG", "Quang Ninh", "Hai Phong"]})
    out = reconciler.reconcile(provinces["tinh"], type_id="province-63",
                               reconciliation_endpoint=server + "/reconcile")
    got = dict(zip(out["input_value"], zip(out["id"], out["match"], strict=True), strict=True))
    code = {"TP. Hồ Chí Minh": "79", "Ha Noi": "01", "Bà Rịa-Vũng Tàu": "77", "Da Nang": "48",
            "Thua Thien Hue": "46", "BINH DUONG": "74", "Quang Ninh": "22"}
    for name, gso in code.items():
        assert got[name] == (BASE + f"code/dvhc-63/{gso}", True), name
    assert got["HẢI PHÒNG"] == got["Hai Phong"] == (BASE + "place/hai-phong", True)
    assert got["Tỉnh Hải Dương"] == (BASE + "place/hai-duong", True)
    assert set(out["type_id"]) == {"province-63"}

    countries = pd.DataFrame({"quoc_gia": ["Hàn Quốc", "Hoa Kỳ", "South Korea", "Đài Loan", "Nhật Bản", "Trung Quốc",
                                           "Singapore", "Hong Kong", "Thai Lan", "Đức", "Viet Nam", "USA"]})
    out = reconciler.reconcile(countries["quoc_gia"], type_id="country", top_res="all",
                               reconciliation_endpoint=server + "/reconcile")
    best = out.groupby("input_value").head(1)
    got = dict(zip(best["input_value"], zip(best["id"], best["match"], strict=True), strict=True))
    eu = "http://publications.europa.eu/resource/authority/country/"
    assert got["Hàn Quốc"] == got["South Korea"] == (BASE + "place/han-quoc", True)
    assert got["Hoa Kỳ"] == got["USA"] == (USA, True)
    assert got["Đài Loan"] == (BASE + "place/dai-loan", True)
    assert got["Nhật Bản"] == (BASE + "place/nhat-ban", True)
    assert got["Trung Quốc"] == (BASE + "place/trung-quoc", True)
    assert got["Viet Nam"] == (BASE + "place/viet-nam", True)
    assert got["Singapore"] == (eu + "SGP", True)
    assert got["Hong Kong"] == (eu + "HKG", True)
    assert got["Thai Lan"] == (eu + "THA", True)
    assert got["Đức"] == (eu + "DEU", True)


def test_a_batch_of_100_queries_in_a_second(server: str) -> None:
    names = ["Ha Noi", "Hai Phong", "TP HCM", "Da Nang", "Can Tho", "Han Quoc", "Nhat Ban", "Hoa Ky", "Dai Loan",
             "Hai Duong"]
    batch = {f"q{i}": {"query": names[i % len(names)] + ("" if i < 50 else " "), "limit": 5} for i in range(100)}
    post(server, queries={"w": {"query": "warm up"}})
    start = time.perf_counter()
    r = post(server, queries=batch)
    elapsed = time.perf_counter() - start
    assert r.status_code == 200 and len(r.json()) == 100
    assert elapsed <= 1.0, f"a batch of 100 took {elapsed:.2f} s"


# ---------------------------------------------------------------- the OpenAPI description, fuzzed


def test_openapi_description(server: str) -> None:
    doc = get(server, "/reconcile/openapi.json").json()
    assert doc["openapi"].startswith("3.0")
    assert {"/reconcile", "/reconcile/suggest/entity", "/reconcile/preview", "/search"} <= set(doc["paths"])


def test_schemathesis_finds_no_server_error_and_no_schema_violation(server: str, tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if st is None:
        pytest.skip("schemathesis is not installed")
    run = subprocess.run(
        [st, "run", server + "/reconcile/openapi.json", "--checks",
         "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
         "--max-examples", "30", "--workers", "1", "--seed", "11", "--request-timeout", "20",
         "--phases", "examples,coverage,fuzzing", "--no-color", "--max-time", "40"],
        cwd=tmp_path, capture_output=True, text=True, timeout=400,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_the_index_follows_updates(updatable_server: str) -> None:
    q = {"q": {"query": "Xu Dong", "type": "province-63"}}
    before = post(updatable_server, queries=q).json()["q"]["result"]
    assert not before or not before[0]["match"]
    update = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> INSERT DATA { GRAPH <' + BASE + 'graph/data> { <'
              + BASE + 'place/hai-duong> skos:altLabel "Xứ Đông"@vi } }')
    r = httpx.post(updatable_server + "/sparql/update", data={"update": update},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert r.status_code in (200, 204), r.text
    after = post(updatable_server, queries=q).json()["q"]["result"]
    assert (after[0]["id"], after[0]["match"]) == (BASE + "place/hai-duong", True)
