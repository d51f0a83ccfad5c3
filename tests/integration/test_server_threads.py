"""``hpkg serve`` with updates on (queries on threads): results never cross threads, readers never wait for a write.

pyoxigraph's lazy results must be made, read and dropped in one thread (``hpkg.server.threads``); before the
fix, junk input (an ``Accept`` the server cannot meet, an unknown ``format=``) left the query's result in the
traceback of the error handed to the event loop, and the server's log filled with
``PyQuerySolutions is unsendable, but is being dropped on another thread``.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from .serverkit import RunningServer, build_store, start_server

TOKEN = "threads-token-8d2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = "application/sparql-update"
DATA_GRAPH = "https://w3id.org/hpkg/id/graph/data"
ZONE = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"

#: A query of every result kind, each also asked in a way the server must refuse.
QUERIES = {
    "select": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 200",
    "select-all": "SELECT * WHERE { ?s ?p ?o }",
    "ask": "ASK { ?s a ?c }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 300",
    "describe": f"DESCRIBE <{ZONE}>",
    "describe-where": "DESCRIBE ?s WHERE { ?s a ?c } LIMIT 5",
    "error-at-run-time": 'SELECT (STRDT("x", "not an iri") AS ?x) (1/0 AS ?y) WHERE { ?s ?p ?o } LIMIT 3',
}
JUNK_QUERIES = ["SELECT * WHERE { ?s ?p }", "CONSTRUCT WHERE", "ASK {", "DESCRIBE", "\x00\xff", "SELECT ?x {} }",
                "PREFIX : <nope> SELECT * { :a :b :c }", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"]
ACCEPTS = [None, "application/sparql-results+json", "text/csv", "application/n-triples", "text/turtle",
           "foo/bar", "*/*;q=0", "application/json;q=abc", "\x7f", ",,,", "text/*", "image/png"]
FORMATS = [None, "json", "xml", "zzz", "turtle", ""]
#: Streamed rows past the time limit, and an aggregate that must finish before its first row.
STREAMED_TIMEOUT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# (7·10^7 rows, about 6 s of CPU: 13x past the limit, yet it ends soon after in its thread; ?a ?b ?c . ?d a ?f, 6·10^6
# rows, took 0.49 s once the store got faster and was answered within the 0.5 s limit)
AGGREGATE_TIMEOUT = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f . "
                     "?g a <http://www.w3.org/2004/02/skos/core#ConceptScheme> }")
#: Guarded writes: one that lands, one malformed, one with no effect, one that breaks a shape.
WRITES = (b"INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", b"DELETE WHERE { ?s ?p",
          b"DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }",
          f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <{ZONE}> a <http://purl.org/linked-data/cube#Observation> }} }}"
          .encode())
#: A short update with a large effect: a copy of part of the data graph, every copied node a focus node.
COPY = (f"INSERT {{ GRAPH <http://example.org/copy> {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT ?s ?p ?o "
        f"WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o LIMIT 400 }} }}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-threads")
    store = build_store(tmp / "store", w3c_data=False)
    srv = start_server(tmp, store, "--timeout", "0.5", "--max-results", "100000000",
                       env={"HPKG_UPDATE_TOKEN": TOKEN})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def log_problems(server: RunningServer) -> list[str]:
    """The lines of the server's log that say a result crossed threads or that show a traceback."""
    text = server.log.read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if "unsendable" in line or "Traceback" in line
            or "exception was never retrieved" in line]


def disconnect_mid_answer(server: RunningServer, query: str, read: int) -> None:
    """Send ``GET /sparql?query=…`` on a raw socket, read ``read`` bytes of the answer, hang up."""
    host, port = server.url.removeprefix("http://").split(":")
    target = str(httpx.URL("/sparql", params={"query": query}))
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/csv\r\n\r\n".encode())
        if read:
            s.recv(read)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST, not FIN


def test_results_never_cross_threads_whatever_the_input(server, http):
    statuses: dict[int, int] = {}

    def tally(r: httpx.Response) -> None:
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        assert r.status_code < 500 or r.status_code == 503, (r.request.url, r.status_code, r.text)

    # past the time limit: streamed (stopped at the next row) and not (runs on in its thread, then is dropped there)
    for q in (STREAMED_TIMEOUT, AGGREGATE_TIMEOUT):
        r = http.get("/sparql", params={"query": q})
        assert r.status_code == 503, r.text
    # clients that hang up before the answer, or part-way through it
    for read in (0, 1, 0, 64):
        disconnect_mid_answer(server, QUERIES["select-all"], read)
        disconnect_mid_answer(server, STREAMED_TIMEOUT, read)
    # every kind of result, asked for in every way (most refused), on GET and POST, many times over, so that the
    # garbage collector runs now in a query thread, now on the event loop
    for round_ in range(3):
        for q in [*QUERIES.values(), *JUNK_QUERIES]:
            for accept in ACCEPTS:
                headers = {} if accept is None else {"Accept": accept}
                tally(http.get("/sparql", params={"query": q}, headers=headers))
            for fmt in FORMATS:
                params = {"query": q} if fmt is None else {"query": q, "format": fmt}
                tally(http.post("/sparql", data=params))
            tally(http.post("/sparql", content=q.encode("utf-8", "surrogatepass"),
                            headers={"Content-Type": "application/sparql-query", "Accept": "x/y"}))
        # the Graph Store Protocol's reads and the guarded writes, good and bad
        for accept in ACCEPTS:
            headers = {**AUTH, **({} if accept is None else {"Accept": accept})}
            tally(http.get("/rdf-graphs", params={"graph": DATA_GRAPH}, headers=headers))
            tally(http.head("/rdf-graphs", params={"default": ""}, headers=headers))
        writes = () if round_ else WRITES
        for body in writes:  # guarded writes are slow (validation): once
            tally(http.post("/sparql/update", content=body, headers={"Content-Type": UPDATE, **AUTH}))
        if not round_:
            tally(http.put("/rdf-graphs", params={"graph": "http://example.org/g"}, content=b"<a> <b> .",
                           headers={"Content-Type": "text/turtle", **AUTH}))
        for path in ("/health", "/page/zone/kcn-kkt-hai-phong", "/data/zone/kcn-kkt-hai-phong.ttl",
                     "/.well-known/void", "/ontology", "/id/zone/kcn-kkt-hai-phong", "/id/nothing-here"):
            tally(http.get(path, headers={"Accept": "application/n-triples"}))
    assert statuses.get(200, 0) > 100 and statuses.get(406, 0) > 100 and statuses.get(400, 0) > 100, statuses
    assert http.get("/health").status_code == 200
    assert log_problems(server) == []


def test_queries_are_answered_while_a_guarded_write_is_being_validated(server, http):
    """A guarded write with a large effect holds no lock the readers need: queries sent while it is being validated
    (its private view exists beside the store and its answer has not come) are answered before it ends. The view
    is kept between writes (docs/validation.md), so an earlier write may have left it: what marks this write as in
    progress is that its answer has not come yet."""
    views = Path(server.store).parent

    def view_exists() -> bool:
        return any(p.name.startswith(f".{server.store.name}.view-") for p in views.iterdir())

    def validating() -> bool:
        return view_exists() and "write" not in done

    done: dict[str, httpx.Response] = {}

    def write() -> None:
        with httpx.Client(base_url=server.url, timeout=600) as c:
            done["write"] = c.post("/sparql/update", content=COPY.encode(), headers={"Content-Type": UPDATE, **AUTH})

    writer = threading.Thread(target=write)
    writer.start()
    answered_during_validation = 0
    queries = 0
    try:
        while writer.is_alive():
            if not validating():
                time.sleep(0.01)
                continue
            q = QUERIES["ask"] if queries % 2 else "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
            r = http.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
            queries += 1
            assert r.status_code == 200, r.text
            if validating() and "write" not in done:
                answered_during_validation += 1
    finally:
        writer.join()
    assert done["write"].status_code in (200, 422), done["write"].text
    assert answered_during_validation >= 1, f"{queries} queries, none answered while the write was validated"
    assert log_problems(server) == []
