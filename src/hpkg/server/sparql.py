"""The SPARQL 1.1 Protocol query endpoint (``/sparql``) and its service description."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hpkg.errors import HpkgError
from hpkg.namespaces import DCTERMS, RDF, SD, VOID, XSD, prefix_subset
from hpkg.rdfio import serialize
from hpkg.server import negotiate
from hpkg.server.execute import error_status
from hpkg.server.media import GRAPH_TYPES
from hpkg.server.protocol import ProtocolError, read_operation
from hpkg.server.state import state, text_error
from hpkg.terms import term_value

#: The W3C's unique URIs for file formats (the result formats offered), only named here.
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode(RDF + "type")
XSD_INTEGER = ox.NamedNode(XSD + "integer")


async def sparql_query(request: Request) -> Response:
    """GET or POST a query; GET without one returns the service description."""
    try:
        op = await read_operation(request, "query", "application/sparql-query")
        if op.all("update") or request.headers.get("content-type", "").startswith("application/sparql-update"):
            raise ProtocolError(400, "this is the query endpoint; POST updates to /sparql/update")
        queries = op.all("query")
        if not queries:
            if request.method == "GET":
                return service_description(request)
            raise ProtocolError(400, "no query: give the parameter 'query' (or POST application/sparql-query)")
        sparql = op.one("query")
        fmt = op.one("format") or op.one("output")
        for name in ("default-graph-uri", "named-graph-uri"):
            for g in op.all(name):
                try:
                    ox.NamedNode(g)
                except ValueError as e:
                    raise ProtocolError(400, f"{name} must be an absolute IRI: {g!r} ({e})") from None
    except ProtocolError as e:
        return text_error(e.status, e.message)
    st = state(request)
    accept = request.headers.get("accept")
    try:
        answer = await st.runner.run(
            sparql or "",
            fmt=fmt,
            accept=accept,
            default_graphs=op.all("default-graph-uri"),
            named_graphs=op.all("named-graph-uri"),
            base_iri=str(request.url.replace(query="", fragment="")),
        )
    except HpkgError as e:  # syntax error, 406, time-out, too large
        return text_error(error_status(e), str(e))
    media = answer.media_type
    if media.startswith("text/") or media.endswith(("+json", "/json", "+xml", "/xml")):
        media += "; charset=utf-8"
    return Response(answer.body, headers={"Content-Type": media, "Vary": "Accept"})


def service_description_triples(request: Request) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint (sd: vocabulary, with VoID counts)."""
    st = state(request)
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    svc = ox.BlankNode("service")
    ds = ox.BlankNode("dataset")
    dg = ox.BlankNode("defaultGraph")

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    t = [
        ox.Triple(svc, RDF_TYPE, sd("Service")),
        ox.Triple(svc, sd("endpoint"), endpoint),
        ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(svc, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(svc, ox.NamedNode(DCTERMS + "title"), ox.Literal("hpkg SPARQL endpoint", language="en")),
        ox.Triple(svc, ox.NamedNode(DCTERMS + "title"), ox.Literal("Điểm truy vấn SPARQL của hpkg", language="vi")),
        ox.Triple(svc, sd("defaultDataset"), ds),
        ox.Triple(ds, RDF_TYPE, sd("Dataset")),
        ox.Triple(ds, sd("defaultGraph"), dg),
        ox.Triple(dg, RDF_TYPE, sd("Graph")),
        ox.Triple(dg, ox.NamedNode(VOID + "triples"), ox.Literal(str(st.counts.total), datatype=XSD_INTEGER)),
    ]
    if st.settings.updates_enabled:
        # updates have their own endpoint, described as a second service over the same dataset
        upd = ox.BlankNode("updateService")
        t += [
            ox.Triple(upd, RDF_TYPE, sd("Service")),
            ox.Triple(upd, sd("endpoint"), ox.NamedNode(endpoint.value.rstrip("/") + "/update")),
            ox.Triple(upd, sd("supportedLanguage"), sd("SPARQL11Update")),
            ox.Triple(upd, sd("defaultDataset"), ds),
        ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        t.append(ox.Triple(svc, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
    for i, (g, n) in enumerate(sorted(st.counts.graphs.items())):
        ng = ox.BlankNode(f"named{i}")
        gr = ox.BlankNode(f"graph{i}")
        t += [
            ox.Triple(ds, sd("namedGraph"), ng),
            ox.Triple(ng, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(ng, sd("name"), ox.NamedNode(g)),
            ox.Triple(ng, sd("graph"), gr),
            ox.Triple(gr, RDF_TYPE, sd("Graph")),
            ox.Triple(gr, ox.NamedNode(VOID + "triples"), ox.Literal(str(n), datatype=XSD_INTEGER)),
        ]
    return t


def service_description(request: Request) -> Response:
    """The service description in the RDF format the client prefers (Turtle by default)."""
    offers = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
    media = negotiate.choose(request.headers.get("accept"), offers)
    if media is None:
        return text_error(406, f"the service description is available as {', '.join(offers[:-1])}")
    if media == "text/html":
        return RedirectResponse("/", status_code=303, headers={"Vary": "Accept"})
    fmt = GRAPH_TYPES[media]
    triples = sorted(service_description_triples(request),
                     key=lambda t: (term_value(t.subject) != "service", str(t.subject), str(t.predicate)))
    prefixes = prefix_subset("sd", "void", "dcterms") | {"formats": FORMATS}
    body = serialize(triples, fmt, prefixes)
    return Response(body, headers={"Content-Type": media + "; charset=utf-8", "Vary": "Accept"})
