"""Bounded fuzz (hypothesis): 10,000 generated inputs against one running ``hpkg serve`` and against the parsers.

Queries, updates (with the update token), RDF bodies (Graph Store PUT/POST in several content types) and headers,
each generated from the grammar's pieces or by mutating a valid input. The run must end with no 5xx, no traceback
in the server's log, and, for every write the server refused, the store exactly as it was (a quad-set snapshot
before and after: the fuzz server's store is small, so a snapshot is cheap). The parsers (``hpkg.rdfio``,
``hpkg.shacl.delta``) must answer any input with quads or their own clear error, never another exception.

The counts (``EXAMPLES``) add up to 10,000; examples are derandomised (the same inputs on every run) and not
shrunk, to keep the run within CI's budget.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hpkg.errors import HpkgError, QuerySyntaxError, RdfSyntaxError
from hpkg.rdfio import parse_rdf
from hpkg.shacl.delta import parse_update
from hpkg.store import OxigraphStore

from .serverkit import RunningServer, start_server

TOKEN = "fuzz-token-61c0"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "http://example.org/"
#: How many inputs each test generates: 10,000 in all.
EXAMPLES = {"queries": 2500, "updates": 1000, "bodies": 1000, "headers": 1000, "rdfio": 3000, "delta": 1500}
assert sum(EXAMPLES.values()) == 10_000

SEED_DATA = f"""
@prefix ex: <{EX}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a ex:p ex:b , "một"@vi , "one"@en , 1 , 2.5 , true ; skos:prefLabel "A"@en .
ex:b ex:q [ ex:r "blank" ] ; ex:p ex:c .
ex:c ex:p ex:a .
""".encode()


def fuzz_settings(name: str) -> settings:
    return settings(max_examples=EXAMPLES[name], deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])


# ------------------------------------------------------------------------------------------ the running server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "store"
    store = OxigraphStore(path)
    store.load(SEED_DATA, fmt="turtle", graph=EX + "g1")
    store.load(SEED_DATA, fmt="turtle", graph=EX + "g2")
    store.close()
    srv = start_server(tmp, path, "--timeout", "5", env={"HPKG_UPDATE_TOKEN": TOKEN})
    yield srv
    srv.stop()
    text = srv.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and "unsendable" not in text, text[-4000:]


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def snapshot(http: httpx.Client) -> list[str]:
    """Every quad of the store (default graph and named graphs) as sorted text."""
    q = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    r = http.post("/sparql", data={"query": q}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200, r.text
    return sorted(r.text.splitlines()[1:])


def no_server_error(r: httpx.Response) -> None:
    assert r.status_code < 500, (r.request.method, str(r.request.url)[:300], r.status_code, r.text[:500])


def no_traceback(server: RunningServer) -> None:
    text = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and "unsendable" not in text, text[-4000:]


# ------------------------------------------------------------------------------------------ generators

IRIS = st.sampled_from([f"<{EX}a>", f"<{EX}b>", f"<{EX}p>", f"<{EX}g1>", "<relative>", "<>", "<http://[::1]/x>",
                        "<urn:x:y>", "<http://example.org/a b>", "<https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong>"])
PNAMES = st.sampled_from(["ex:a", "ex:p", "ex:", ":x", "skos:prefLabel", "rdf:type", "a", "undeclared:x"])
VARS = st.sampled_from(["?s", "?p", "?o", "?x", "$y", "?g", "?_", "?1"])
LITERALS = st.one_of(
    st.sampled_from(['"x"', '"một"@vi', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1", "-2.5e3", "true",
                     '"""long\nstring"""', "'single'", '"bad\\q"', '"x"@', "0x1"]),
    st.text(max_size=8).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    st.integers(-10**6, 10**6).map(str),
)
TERMS = st.one_of(IRIS, PNAMES, VARS, LITERALS, st.sampled_from(["[]", "_:b0", "( 1 2 )", "<<?s ?p ?o>>"]))
PROLOGUES = st.lists(st.sampled_from([f"PREFIX ex: <{EX}>", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
                                      "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>", "PREFIX : <#>",
                                      f"BASE <{EX}>", "PREFIX ex <x>"]), max_size=4).map("\n".join)


@st.composite
def triple_patterns(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 3))
    return " . ".join(f"{draw(TERMS)} {draw(st.one_of(PNAMES, VARS, IRIS))} {draw(TERMS)}" for _ in range(n))


EXPRESSIONS = st.sampled_from(["?o > 1", "isIRI(?s)", "LANG(?o) = 'en'", "REGEX(STR(?o), 'o', 'i')", "1/0",
                               "STRLEN(?o) < 3", "BOUND(?x)", "?o IN (1, 2)", "NOT EXISTS { ?o ?p ?s }",
                               "COALESCE(?x, 1)", "STRDT('x', <bad>)", "xsd:integer(?o)", "?o"])


@st.composite
def groups(draw: st.DrawFn, depth: int = 0) -> str:
    parts = [draw(triple_patterns())]
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "VALUES", "SUB"]))
        inner = draw(groups(depth + 1)) if depth < 2 else "{ }"
        parts.append({
            "FILTER": f"FILTER ({draw(EXPRESSIONS)})",
            "OPTIONAL": f"OPTIONAL {inner}",
            "UNION": f"{inner} UNION {{ {draw(triple_patterns())} }}",
            "MINUS": f"MINUS {inner}",
            "GRAPH": f"GRAPH {draw(st.one_of(VARS, IRIS))} {inner}",
            "BIND": f"BIND ({draw(EXPRESSIONS)} AS {draw(VARS)})",
            "VALUES": f"VALUES {draw(VARS)} {{ {draw(TERMS)} {draw(TERMS)} }}",
            "SUB": f"{{ SELECT * WHERE {inner} LIMIT 5 }}",
        }[kind])
    return "{ " + " . ".join(p for p in parts if p) + " }"


MODIFIERS = st.sampled_from(["", "LIMIT 10", "ORDER BY ?s LIMIT 3", "OFFSET 2 LIMIT 2", "GROUP BY ?s LIMIT 5",
                             "LIMIT -1", "ORDER BY DESC(?o) LIMIT 20", "HAVING (COUNT(*) > 1)"])


@st.composite
def queries(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(["SELECT", "SELECT DISTINCT", "ASK", "CONSTRUCT", "DESCRIBE", "SELECT COUNT"]))
    where = draw(groups())
    head = {
        "SELECT": f"SELECT {draw(st.sampled_from(['*', '?s', '?s ?o', '?nothing']))} WHERE",
        "SELECT DISTINCT": "SELECT DISTINCT ?s WHERE",
        "SELECT COUNT": "SELECT (COUNT(*) AS ?n) WHERE",
        "ASK": "ASK",
        "CONSTRUCT": f"CONSTRUCT {{ {draw(triple_patterns())} }} WHERE",
        "DESCRIBE": f"DESCRIBE {draw(st.one_of(VARS, IRIS))} WHERE",
    }[form]
    return f"{draw(PROLOGUES)}\n{head} {where} {draw(MODIFIERS) if form != 'ASK' else ''}"


def mutated(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid input with a few characters deleted, inserted, replaced or the text cut short."""
    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        text = draw(base)
        for _ in range(draw(st.integers(1, 3))):
            if not text:
                break
            i = draw(st.integers(0, len(text) - 1))
            op = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]))
            ch = draw(st.sampled_from(list("{}()<>\"'.;,?$:#@^\\ \n\x00") + ["é", "\u2028", "\ud7ff", "WHERE"]))
            text = {"delete": text[:i] + text[i + 1:], "insert": text[:i] + ch + text[i:],
                    "replace": text[:i] + ch + text[i + 1:], "truncate": text[:i],
                    "duplicate": text[:i] + text[i:i + 20] + text[i:]}[op]
        return text
    return mutate()


VALID_QUERIES = st.sampled_from([
    f"SELECT * WHERE {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }} LIMIT 5",
    f"PREFIX ex: <{EX}> ASK {{ ex:a ex:p ex:b }}",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 7",
    f"DESCRIBE <{EX}a>",
    'SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(LANG(?o) = "vi") } GROUP BY ?s',
])
ANY_QUERY = st.one_of(queries(), mutated(queries()), mutated(VALID_QUERIES), st.text(max_size=60))

GRAPHS = st.sampled_from([f"<{EX}g1>", f"<{EX}fuzz>", "<https://w3id.org/hpkg/id/graph/data>", "DEFAULT", "ALL",
                          "NAMED", "?g"])


@st.composite
def updates(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["INSERT DATA", "DELETE DATA", "DELETE WHERE", "MODIFY", "CLEAR", "DROP", "CREATE",
                                 "ADD", "COPY", "MOVE", "LOAD"]))
    data = " . ".join(f"{draw(st.one_of(IRIS, PNAMES))} {draw(st.one_of(IRIS, PNAMES))} {draw(TERMS)}"
                      for _ in range(draw(st.integers(0, 3))))
    in_graph = draw(st.booleans())
    body = f"GRAPH {draw(GRAPHS)} {{ {data} }}" if in_graph else data
    op = {
        "INSERT DATA": f"INSERT DATA {{ {body} }}",
        "DELETE DATA": f"DELETE DATA {{ {body} }}",
        "DELETE WHERE": f"DELETE WHERE {{ {body} }}",
        "MODIFY": f"{draw(st.sampled_from(['', f'WITH <{EX}g1>']))} DELETE {{ {draw(triple_patterns())} }} "
                  f"INSERT {{ {draw(triple_patterns())} }} WHERE {draw(groups())}",
        "CLEAR": f"CLEAR {draw(st.sampled_from(['', 'SILENT ']))}GRAPH {draw(GRAPHS)}",
        "DROP": f"DROP {draw(st.sampled_from(['', 'SILENT ']))}{draw(GRAPHS)}",
        "CREATE": f"CREATE GRAPH {draw(GRAPHS)}",
        "ADD": f"ADD {draw(GRAPHS)} TO {draw(GRAPHS)}",
        "COPY": f"COPY {draw(GRAPHS)} TO {draw(GRAPHS)}",
        "MOVE": f"MOVE {draw(GRAPHS)} TO {draw(GRAPHS)}",
        "LOAD": "LOAD <http://127.0.0.1:9/nothing.ttl>",  # refused by the guard; loopback, never fetched
    }[kind]
    more = f" ; {draw(updates())}" if draw(st.integers(0, 5)) == 0 else ""
    return f"{draw(PROLOGUES)}\n{op}{more}"


VALID_UPDATES = st.sampled_from([
    f'INSERT DATA {{ GRAPH <{EX}fuzz> {{ <{EX}x> <{EX}p> "fuzz" }} }}',
    f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}c> <{EX}p> <{EX}a> }} }}",
    f"PREFIX ex: <{EX}> DELETE {{ GRAPH ?g {{ ?s ex:q ?o }} }} WHERE {{ GRAPH ?g {{ ?s ex:q ?o }} }}",
    f"CLEAR SILENT GRAPH <{EX}fuzz>",
])
ANY_UPDATE = st.one_of(updates(), mutated(updates()), mutated(VALID_UPDATES), st.text(max_size=60))

VALID_BODIES: dict[str, bytes] = {
    "text/turtle": SEED_DATA,
    "application/n-triples": f'<{EX}a> <{EX}p> "x"@en .\n<{EX}b> <{EX}p> <{EX}a> .\n'.encode(),
    "application/ld+json": f'{{"@id": "{EX}a", "{EX}p": [{{"@value": "x", "@language": "en"}}, {{"@id": "{EX}b"}}]}}'
                           .encode(),
    "application/rdf+xml": (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                            f' xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}a"><ex:p xml:lang="en">x</ex:p>'
                            f'</rdf:Description></rdf:RDF>').encode(),
    "text/n3": f"@prefix ex: <{EX}> . ex:a ex:p ex:b .".encode(),
}
def sendable(value: str) -> bool:
    """A header value an HTTP client can put on the wire (h11 refuses control characters and edge whitespace):
    the fuzz test is about what the server does with odd values, not about what the client refuses to send."""
    return value == value.strip(" \t") and all(0x20 <= ord(c) < 0x7F or c == "\t" for c in value)


CONTENT_TYPES = st.sampled_from([*VALID_BODIES, "text/turtle; charset=utf-8", "application/x-turtle",
                                 "application/json", "text/plain", "", "multipart/form-data; boundary=x",
                                 "text/turtle;;;", "application/sparql-update"]).filter(sendable)


def mutated_bytes(data: bytes) -> st.SearchStrategy[bytes]:
    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        b = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            if not b:
                break
            i = draw(st.integers(0, len(b) - 1))
            op = draw(st.sampled_from(["delete", "insert", "flip", "truncate"]))
            if op == "delete":
                del b[i]
            elif op == "insert":
                b[i:i] = draw(st.sampled_from([b"<", b">", b'"', b"@", b".", b"{", b"\xff", b"\x00", b"\xe1\xbb",
                                               b"_:", b"^^", b"&amp;", b"<!ENTITY x SYSTEM 'file:///etc/passwd'>"]))
            elif op == "flip":
                b[i] ^= 1 << draw(st.integers(0, 7))
            else:
                del b[i:]
        return bytes(b)
    return mutate()


BODIES = st.one_of(st.sampled_from(list(VALID_BODIES.values())),
                   st.sampled_from(list(VALID_BODIES.values())).flatmap(mutated_bytes),
                   st.binary(max_size=80))


# ------------------------------------------------------------------------------------------ the server tests


@fuzz_settings("queries")
@given(query=ANY_QUERY, method=st.sampled_from(["GET", "POST-form", "POST-direct"]),
       accept=st.sampled_from([None, "application/sparql-results+json", "text/csv", "text/turtle", "*/*", "x/y"]))
def test_fuzzed_queries_never_fail_the_server(http, query, method, accept):
    headers = {} if accept is None else {"Accept": accept}
    if method == "GET":
        r = http.get("/sparql", params={"query": query}, headers=headers)
    elif method == "POST-form":
        r = http.post("/sparql", data={"query": query}, headers=headers)
    else:
        r = http.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                      headers={**headers, "Content-Type": "application/sparql-query"})
    no_server_error(r)


@fuzz_settings("updates")
@given(update=ANY_UPDATE, form=st.booleans())
def test_fuzzed_updates_never_fail_the_server_and_refused_ones_change_nothing(http, update, form):
    before = snapshot(http)
    if form:
        r = http.post("/sparql/update", data={"update": update}, headers=AUTH)
    else:
        r = http.post("/sparql/update", content=update.encode("utf-8", "surrogatepass"),
                      headers={"Content-Type": "application/sparql-update", **AUTH})
    no_server_error(r)
    if r.status_code != 200:
        assert snapshot(http) == before, (update, r.status_code, r.text[:300])


@fuzz_settings("bodies")
@given(body=BODIES, content_type=CONTENT_TYPES, method=st.sampled_from(["PUT", "POST"]),
       graph=st.sampled_from([{"graph": f"{EX}fuzz"}, {"graph": f"{EX}g2"}, {"default": ""}, {"graph": "not an iri"},
                              {}, {"graph": f"{EX}fuzz", "default": ""}]))
def test_fuzzed_graph_store_bodies_never_fail_the_server_and_refused_ones_change_nothing(
        http, body, content_type, method, graph):
    before = snapshot(http)
    r = http.request(method, "/rdf-graphs", params=graph, content=body,
                     headers={"Content-Type": content_type, **AUTH})
    no_server_error(r)
    if r.status_code >= 300:
        assert snapshot(http) == before, (body[:200], content_type, r.status_code, r.text[:300])


HEADER_VALUES = st.one_of(
    st.sampled_from(["text/turtle", "application/sparql-results+json;q=0.9, */*;q=0.1", "*/*;q=abc", ";;;", "*",
                     "text/html", "application/json, text/*;q=0", "x" * 2000, "Bearer", f"Bearer {TOKEN}x",
                     f"bearer {TOKEN}", "Basic Zm9vOmJhcg==", "", " ", "vi, en;q=0.5", "zz-ZZ"]),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40),
).filter(sendable)
PATHS = st.sampled_from(["/sparql", "/sparql/update", "/rdf-graphs?default", f"/rdf-graphs?graph={EX}g1", "/health",
                         "/", "/page/zone/kcn-kkt-hai-phong", "/data/zone/kcn-kkt-hai-phong.ttl", "/id/x/%00",
                         "/.well-known/void", "/ontology", "/ontology.zz", "/search?q=h%E1%BA%A3i", "/reconcile",
                         "/static/../../etc/passwd", "/sparql?query=ASK%7B%7D", "/data/%ff.ttl"])


@fuzz_settings("headers")
@given(path=PATHS, method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
       names=st.lists(st.sampled_from(["Accept", "Content-Type", "Authorization", "Accept-Language", "Origin",
                                       "Content-Encoding", "X-Junk"]), max_size=4, unique=True),
       data=st.data())
def test_fuzzed_headers_and_methods_never_fail_the_server(http, path, method, names, data):
    headers = {name: data.draw(HEADER_VALUES) for name in names}
    is_write = method in ("PUT", "POST", "DELETE")
    before = snapshot(http) if is_write else None
    body = data.draw(st.sampled_from([b"", b"ASK {}", SEED_DATA, b"update=CLEAR+ALL", b"\xff\xfe"]))
    r = http.request(method, path, content=body if method in ("POST", "PUT", "PATCH") else None, headers=headers)
    no_server_error(r)
    if is_write and r.status_code >= 300:
        assert snapshot(http) == before, (method, path, headers, r.status_code)


def test_the_fuzzed_server_logged_no_traceback(server, http):
    assert http.get("/health").status_code == 200
    no_traceback(server)


# ------------------------------------------------------------------------------------------ the parsers


RDF_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
               "text/n3": ox.RdfFormat.N3}


@fuzz_settings("rdfio")
@given(body=BODIES, fmt=st.sampled_from([*RDF_FORMATS.values(), ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS]),
       graph=st.sampled_from([None, f"{EX}g"]))
def test_fuzzed_rdf_gives_quads_or_a_positioned_error(body, fmt, graph):
    try:
        quads = parse_rdf(body, fmt=fmt, base_iri=f"{EX}base/", graph=graph, name="body")
    except RdfSyntaxError as e:
        assert str(e).startswith("body:"), str(e)
        return
    assert all(isinstance(q, ox.Quad) for q in quads)


@fuzz_settings("delta")
@given(update=ANY_UPDATE)
def test_fuzzed_updates_parse_or_give_a_clear_error(update):
    try:
        ops = parse_update(update, base_iri=f"{EX}base/")
    except QuerySyntaxError as e:
        assert str(e).startswith("SPARQL syntax error"), str(e)
        return
    except HpkgError as e:
        assert "LOAD" in str(e) or "operations" in str(e) or "WHERE group" in str(e), str(e)
        return
    assert all(op.kind for op in ops)
