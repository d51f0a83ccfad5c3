"""``hpkg serve`` read-only: the real server process, queried by SPARQLWrapper, rdflib's SPARQLStore and httpx."""

from __future__ import annotations

import csv
import io
import json
import time

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from ..conftest import CONFORMANCE, SHIPPED, free_port, shipped_project
from .serverkit import KASEI, build_store, start_server
from .w3c_protocol import cases_for, check_table_covers_manifest, run_case

ID = "https://w3id.org/hpkg/id/"
ZONE = ID + "zone/kcn-kkt-hai-phong"
OBS = ID + "obs/fdi-registered-kcn-kkt-hai-phong-2024"
HPKG = Namespace("https://w3id.org/hpkg/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MAX_RESULTS = 1000
MAX_BODY = 65536


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    store = build_store(tmp / "store")
    srv = start_server(tmp, store, "--max-results", str(MAX_RESULTS), "--max-body", str(MAX_BODY), "--timeout", "3")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


COUNT_OBS = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"


def expected_observations() -> int:
    """The observations in the data files (the server holds the store, so count from the source)."""
    g = Graph()
    for f in (SHIPPED / "data").glob("*.ttl"):
        g.parse(f, format="turtle", publicID=ID)
    return len(set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              URIRef("http://purl.org/linked-data/cube#Observation"))))


# --- real clients --------------------------------------------------------------------------------


def test_sparqlwrapper_select_json_and_xml(server):
    n_obs = expected_observations()
    for fmt in (JSON, XML):
        sw = SPARQLWrapper(server.url + "/sparql")
        sw.setQuery(COUNT_OBS)
        sw.setReturnFormat(fmt)
        res = sw.query().convert()
        if fmt == JSON:
            assert int(res["results"]["bindings"][0]["n"]["value"]) == n_obs
        else:
            values = [e.firstChild.data for e in res.getElementsByTagName("literal")]
            assert values == [str(n_obs)]


def test_sparqlwrapper_post_csv_ask_and_construct(server):
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setMethod("POST")
    sw.setQuery(f"SELECT ?label WHERE {{ <{ZONE}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label")
    sw.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(sw.query().convert().decode())))
    assert rows[0] == ["label"] and "Các khu công nghiệp, khu kinh tế Hải Phòng" in [r[0] for r in rows[1:]]

    sw.setQuery(f"ASK {{ <{ZONE}> a <{HPKG.ZoneGroup}> }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True

    sw.setQuery(f"CONSTRUCT {{ <{ZONE}> ?p ?o }} WHERE {{ <{ZONE}> ?p ?o }}")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert (URIRef(ZONE), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Hai Phong's industrial parks and economic zones", lang="en")) in g


def test_sparqlwrapper_reports_a_malformed_query(server):
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        sw.query()


def test_rdflib_sparqlstore(server):
    store = SPARQLStore(query_endpoint=server.url + "/sparql", returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(f"SELECT ?v WHERE {{ <{OBS}> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }}"))
    assert [float(r.v) for r in rows] == [4350000000.0]
    assert g.query(f"ASK {{ <{OBS}> ?p ?o }}").askAnswer is True
    built = g.query(f"CONSTRUCT {{ <{OBS}> ?p ?o }} WHERE {{ <{OBS}> ?p ?o }}").graph
    assert (URIRef(OBS), HPKG.percentOfTarget, None) in built
    xml_store = SPARQLStore(query_endpoint=server.url + "/sparql", returnFormat="xml")
    assert len(list(Graph(store=xml_store).query("SELECT ?g WHERE { GRAPH ?g { } }"))) >= 3


# --- every content type, by Accept and by format= ------------------------------------------------

SELECT = f"SELECT ?p ?o WHERE {{ <{OBS}> ?p ?o }} ORDER BY ?p ?o"
CONSTRUCT = f"CONSTRUCT {{ <{OBS}> ?p ?o }} WHERE {{ <{OBS}> ?p ?o }}"

TABULAR = [
    ("application/sparql-results+json", "json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "xml", ox.QueryResultsFormat.XML),
    ("text/csv", "csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
]
GRAPHS = [
    ("text/turtle", "turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "xml", ox.RdfFormat.RDF_XML),
]


def _n_triples_of_obs(http) -> int:
    r = http.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ <{OBS}> ?p ?o }}"},
                 headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(("media", "name", "fmt"), TABULAR, ids=[t[1] for t in TABULAR])
def test_select_in_every_results_format(http, media, name, fmt):
    n = _n_triples_of_obs(http)
    by_accept = http.get("/sparql", params={"query": SELECT}, headers={"Accept": media})
    by_param = http.post("/sparql", data={"query": SELECT, "format": name})
    for r in (by_accept, by_param):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == media
        if fmt == ox.QueryResultsFormat.CSV:  # lossy: no parser in Oxigraph; read it as CSV
            rows = list(csv.reader(io.StringIO(r.text)))
            assert rows[0] == ["p", "o"] and len(rows) - 1 == n
        else:
            assert len(list(ox.parse_query_results(r.content, format=fmt))) == n
    assert by_accept.content == by_param.content


@pytest.mark.parametrize(("media", "name", "fmt"), GRAPHS, ids=[t[1] for t in GRAPHS])
def test_construct_in_every_rdf_format(http, media, name, fmt):
    n = _n_triples_of_obs(http)
    direct = http.post("/sparql", content=CONSTRUCT.encode(),
                       headers={"Content-Type": "application/sparql-query", "Accept": media})
    by_param = http.get("/sparql", params={"query": CONSTRUCT, "format": name})
    for r in (direct, by_param):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == media
        assert len(list(ox.parse(r.content, format=fmt))) == n


def test_describe_and_ask(http):
    r = http.get("/sparql", params={"query": f"DESCRIBE <{ZONE}>"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert any(t.subject == ox.NamedNode(ZONE) for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
    for media, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                       ("application/sparql-results+xml", ox.QueryResultsFormat.XML)):
        r = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": media})
        assert bool(ox.parse_query_results(r.content, format=fmt)) is True


def test_default_and_named_graph_parameters(http):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**params) -> int:
        r = http.get("/sparql", params={"query": q, **params}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    everything = count()
    only_data1 = count(**{"default-graph-uri": KASEI + "data1.rdf"})
    ontology = count(**{"default-graph-uri": "https://w3id.org/hpkg/ontology"})
    assert only_data1 == 1
    assert 0 < ontology < everything
    r = http.get("/sparql", params=[("query", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
                                    ("named-graph-uri", KASEI + "data1.rdf"), ("named-graph-uri", KASEI + "data2.rdf")],
                 headers={"Accept": "application/sparql-results+json"})
    assert sorted(b["g"]["value"] for b in r.json()["results"]["bindings"]) == [KASEI + "data1.rdf",
                                                                               KASEI + "data2.rdf"]


# --- errors --------------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "SPARQL syntax error" in r.text and "1:" in r.text


def test_graph_parameters_must_be_iris(http):
    r = http.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "default-graph-uri" in r.text


def test_unsupported_accept_is_406(http):
    r = http.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    r = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "image/png, text/html"})
    assert r.status_code == 406
    # a generic SPARQL client asking for results formats gets a graph in the default RDF format
    r = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = http.get("/sparql", params={"query": SELECT, "format": "pdf"})
    assert r.status_code == 406


def test_wrong_method_and_media_type(http):
    assert http.put("/sparql", params={"query": "ASK {}"}).status_code == 405
    r = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 415


def test_request_body_over_the_limit_is_413(http):
    big = "ASK { } #" + "x" * (MAX_BODY + 10)
    r = http.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert str(MAX_BODY) in r.text
    # without a Content-Length (chunked): counted as it streams in
    chunks = iter([b"ASK { } #", b"x" * MAX_BODY, b"y" * 100])
    r = http.post("/sparql", content=chunks, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_result_over_the_cap_is_422(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 422
    assert f"more than {MAX_RESULTS}" in r.text
    r = http.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
    assert r.status_code == 422
    ok = http.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}"},
                  headers={"Accept": "text/csv"})
    assert ok.status_code == 200 and len(ok.text.strip().splitlines()) == MAX_RESULTS + 1


def test_updates_are_off_without_the_token(http):
    r = http.post("/sparql/update", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update",
                                                                  "Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert "HPKG_UPDATE_TOKEN" in r.text
    assert http.get("/rdf-graphs", params={"default": ""}).status_code == 403
    assert http.put("/rdf-graphs", params={"graph": "http://example.org/g"}, content=b"",
                    headers={"Content-Type": "text/turtle"}).status_code == 403
    assert http.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 400
    before = _n_triples_of_obs(http)
    assert before > 0


# --- service description, CORS, health, access log ------------------------------------------------


def test_service_description(http, server):
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    svc = g.value(predicate=SD.endpoint, object=URIRef(server.url + "/sparql"))
    assert svc is not None
    assert (svc, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (svc, SD.supportedLanguage, SD.SPARQL11Update) not in g
    names = set(g.objects(None, SD.name))
    assert URIRef("https://w3id.org/hpkg/ontology") in names
    assert http.get("/sparql", headers={"Accept": "text/html"}).status_code == 303


def test_cors(http):
    r = http.options("/sparql", headers={"Origin": "http://tool.example", "Access-Control-Request-Method": "POST",
                                        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://tool.example"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_health_and_access_log(http, server):
    h = http.get("/health").json()
    assert h["status"] == "ok" and h["updates_enabled"] is False
    assert h["triples"] > 2000 and "https://w3id.org/hpkg/ontology" in h["graphs"]
    assert h["limits"] == {"query_timeout_s": 3.0, "max_results": MAX_RESULTS, "max_body_bytes": MAX_BODY}
    http.get("/sparql", params={"query": "ASK {}", "tag": "access-log-check"})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        records = [json.loads(line) for line in server.access_log.read_text().splitlines()]
        mine = [r for r in records if "access-log-check" in r["query"]]
        if mine:
            break
        time.sleep(0.05)
    assert mine[0]["method"] == "GET" and mine[0]["path"] == "/sparql" and mine[0]["status"] == 200
    assert {"time", "client", "bytes", "ms", "user_agent"} <= set(mine[0])


# --- dereferenceable IRIs and pages ----------------------------------------------------------------


@pytest.mark.parametrize(("media", "ext", "fmt"), [
    ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
    ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
])
def test_entity_iri_303_to_rdf(http, media, ext, fmt):
    r = http.get("/id/obs/fdi-registered-kcn-kkt-hai-phong-2024", headers={"Accept": media})
    assert r.status_code == 303
    assert r.headers["location"] == f"/data/obs/fdi-registered-kcn-kkt-hai-phong-2024.{ext}"
    doc = http.get(r.headers["location"])
    assert doc.status_code == 200 and doc.headers["content-type"].startswith(media)
    triples = [q.triple for q in ox.parse(doc.content, format=fmt)]
    obs = ox.NamedNode(OBS)
    assert any(t.subject == obs and t.predicate.value.endswith("obsValue") for t in triples)
    # provenance: the evidence sentence, quoted
    assert any(t.predicate.value == "http://www.w3.org/ns/prov#value" and "4,35 tỷ USD" in t.object.value
               for t in triples)
    # labels of what it links to (the unit)
    assert ox.Triple(ox.NamedNode("http://qudt.org/vocab/unit/CCY_USD"),
                     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                     ox.Literal("US dollar", language="en")) in triples


def test_entity_iri_303_to_html_page_in_both_languages(http):
    r = http.get("/id/zone/kcn-kkt-hai-phong", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"})
    assert r.status_code == 303 and r.headers["location"] == "/page/zone/kcn-kkt-hai-phong?lang=en"
    en = http.get(r.headers["location"])
    assert en.status_code == 200 and en.headers["content-language"] == "en"
    assert "Hai Phong&#39;s industrial parks and economic zones" in en.text or \
        "Hai Phong's industrial parks and economic zones" in en.text
    assert 'id="observations"' in en.text and "US dollar" in en.text
    assert "4,350,000,000" in en.text
    assert "/data/zone/kcn-kkt-hai-phong.ttl" in en.text
    vi = http.get("/page/zone/kcn-kkt-hai-phong", headers={"Accept-Language": "vi"})
    assert vi.headers["content-language"] == "vi"
    assert "Số liệu" in vi.text and "4.350.000.000" in vi.text and "đô la Mỹ" in vi.text
    assert 'href="/page/zone/kcn-kkt-hai-phong?lang=en"' in vi.text


def test_unknown_iri_is_404(http):
    r = http.get("/id/zone/no-such-zone", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<html" in r.text and "no-such-zone" in r.text
    assert http.get("/id/zone/no-such-zone", headers={"Accept": "text/turtle"}).status_code == 404
    assert http.get("/data/zone/no-such-zone.ttl").status_code == 404
    assert http.get("/no/such/path", headers={"Accept": "text/html"}).status_code == 404
    for bad in ("/id/zone/a%3Eb", "/page/zone/a%20b", "/data/x%3E.ttl", "/id/"):  # not IRIs: 404, not 500
        assert http.get(bad).status_code == 404, bad


def test_ontology_iri(http):
    r = http.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == "/ontology.ttl"
    ttl = http.get("/ontology.ttl")
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (HPKG.Zone, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in g
    r = http.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 303
    page = http.get("/ontology.html", params={"lang": "en"})
    assert page.status_code == 200 and 'id="Zone"' in page.text
    labels = {str(o) for o in g.objects(HPKG.Zone, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    for label in labels:
        assert label in page.text


def test_query_page_is_served_with_its_own_assets(http):
    page = http.get("/")
    assert page.status_code == 200
    assert 'data-name="fdi-vs-plan"' in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in page.text
        assert http.get(asset).status_code == 200
    assert "http://" not in page.text.split("<textarea")[0].replace("http://www.w3.org", "")
    assert "https://cdn" not in page.text and "//cdn" not in http.get("/static/app.js").text


# --- time-out (last: the abandoned query keeps a worker busy until the server stops) ---------------


def test_query_over_the_time_limit_is_503_not_a_hang(http):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    r = http.get("/sparql", params={"query": heavy}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert "limit of 3 s" in r.text
    assert elapsed < 10
    assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    # the runaway query's worker process was killed and replaced, not left running
    workers = http.get("/health").json()["query_workers"]
    assert workers["kind"] == "process" and workers["restarts"] >= 1


# --- W3C SPARQL 1.1 Protocol and Service Description test suites ------------------------------------


def test_case_table_covers_the_whole_protocol_manifest():
    check_table_covers_manifest()


@pytest.mark.parametrize("case", cases_for("readonly"), ids=lambda c: c.name)
def test_w3c_protocol(server, case):
    run_case(case, server.url, server="readonly")


SD_MANIFEST = CONFORMANCE / "sparql11-service-description" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
SD_FEATURES = {SD.DereferencesURIs, SD.UnionDefaultGraph, SD.RequiresDataset, SD.EmptyGraphs, SD.BasicFederatedQuery}


def _sd_graph(server) -> tuple[httpx.Response, Graph]:
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"})
    media = r.headers["content-type"].split(";")[0]
    return r, Graph().parse(data=r.text, format={"text/turtle": "turtle", "application/rdf+xml": "xml"}[media])


def _sd_returns_rdf(server) -> None:
    r, g = _sd_graph(server)
    assert r.status_code == 200 and len(g) > 0


def _sd_has_endpoint_triple(server) -> None:
    _, g = _sd_graph(server)
    assert (None, SD.endpoint, URIRef(server.url + "/sparql")) in g


def _sd_conforms_to_schema(server) -> None:
    """The shape the SD spec gives: one sd:Service with an endpoint, languages and features from sd:."""
    _, g = _sd_graph(server)
    services = [s for s in g.subjects(RDF.type, SD.Service)
                if (s, SD.endpoint, URIRef(server.url + "/sparql")) in g]
    assert len(services) == 1
    svc = services[0]
    assert set(g.objects(svc, SD.supportedLanguage)) <= SD_LANGUAGES
    assert set(g.objects(svc, SD.supportedLanguage))
    assert set(g.objects(svc, SD.feature)) <= SD_FEATURES
    for fmt in g.objects(svc, SD.resultFormat):
        assert str(fmt).startswith("http://www.w3.org/ns/formats/")
    for ds in g.objects(svc, SD.defaultDataset):
        assert (ds, RDF.type, SD.Dataset) in g
        for ng in g.objects(ds, SD.namedGraph):
            assert (ng, RDF.type, SD.NamedGraph) in g and isinstance(g.value(ng, SD.name), URIRef)


SD_CHECKS = {"returns-rdf": _sd_returns_rdf, "has-endpoint-triple": _sd_has_endpoint_triple,
             "conforms-to-schema": _sd_conforms_to_schema}


def _sd_entries() -> list[str]:
    g = Graph().parse(SD_MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    return [str(t).rsplit("#", 1)[1] for t in Collection(g, g.value(manifest, MF.entries))]


@pytest.mark.parametrize("name", _sd_entries())
def test_w3c_service_description(server, name):
    SD_CHECKS[name](server)  # an entry without a check fails with KeyError: the suite grew


def test_base_option_makes_the_iris_themselves_dereferenceable(tmp_path):
    """Built and served with the server's own address as the base, an IRI in the data is its own URL."""
    from hpkg.store import open_store

    port = free_port()
    base = f"http://127.0.0.1:{port}/id/"
    with open_store(tmp_path / "store") as s:
        from hpkg.build import build

        build(s, project=shipped_project(tmp_path), base=base, exports_dir=None)
    srv = start_server(tmp_path, tmp_path / "store", "--base", base, port=port)
    try:
        iri = base + "zone/kcn-kkt-hai-phong"
        r = httpx.get(iri, headers={"Accept": "application/n-triples"}, follow_redirects=True)
        assert r.status_code == 200
        subjects = {q.subject for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)}
        assert ox.NamedNode(iri) in subjects
        page = httpx.get(iri, headers={"Accept": "text/html"}, follow_redirects=True)
        assert page.status_code == 200 and 'href="/page/place/hai-phong?lang=' in page.text
    finally:
        srv.stop()


def test_well_known_void(server, http):
    void = Namespace("http://rdfs.org/ns/void#")
    r = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    ds = URIRef(ID + "dataset/hpkg")
    assert (ds, RDF.type, void.Dataset) in g
    # The endpoint is advertised at this server's own address, so a VoID crawler can query it.
    assert (ds, void.sparqlEndpoint, URIRef(server.url.rstrip("/") + "/sparql")) in g
    assert int(g.value(ds, void.triples)) > 2000
    assert set(g.subjects(RDF.type, void.Linkset))
    r = http.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and Graph().parse(data=r.text, format="json-ld")
    assert http.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
