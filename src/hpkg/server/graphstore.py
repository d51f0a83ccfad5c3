"""``/rdf-graphs``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

``?default`` names the store's default graph, ``?graph=IRI`` a named graph. GET/HEAD read a graph;
PUT replaces it, POST adds to it, DELETE removes it. All of it is behind the update guard, and
every write is a SPARQL Update checked against the SHACL shapes before it lands.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from hpkg.errors import RdfSyntaxError
from hpkg.rdfio import parse_rdf, serialize
from hpkg.server import negotiate
from hpkg.server.guard import check_token, run_validated
from hpkg.server.media import GRAPH_TYPES
from hpkg.server.protocol import media_type
from hpkg.server.state import state, text_error
from hpkg.server.threads import in_thread
from hpkg.store import Store
from hpkg.store.updates import add_to_graph, drop_graph, replace_graph

#: Request bodies the store can read, by media type.
RDF_IN: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/n3": ox.RdfFormat.N3,
}
GRAPH_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


class TargetError(Exception):
    """The request does not name exactly one graph."""


def target_graph(request: Request) -> str | None:
    """``None`` for ``?default``, the IRI for ``?graph=IRI``; raises :class:`TargetError` otherwise."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    graphs = params.get("graph", [])
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise TargetError("name one graph: ?default or ?graph=IRI")
    if graphs:
        try:
            ox.NamedNode(graphs[0])
        except ValueError as e:
            raise TargetError(f"?graph must be an absolute IRI: {e}") from None
        return graphs[0]
    return None


def graph_triples(store: Store, graph: str | None) -> list[ox.Triple]:
    """The triples of one graph (``None``: the store's own default graph)."""
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    if graph is None:
        return store.query(q, union_default_graph=False).triples()
    return store.query(q, default_graphs=[graph]).triples()


async def graph_store(request: Request) -> Response:
    """Dispatch a Graph Store Protocol request."""
    denied = check_token(request)
    if denied is not None:
        return denied
    try:
        graph = target_graph(request)
    except TargetError as e:
        return text_error(400, str(e))
    st = state(request)
    exists = graph is None or graph in await in_thread(st.store.graphs)
    method = request.method
    if method in ("GET", "HEAD"):
        if not exists:
            return text_error(404, f"no graph <{graph}> in the store")
        media = negotiate.choose(request.headers.get("accept"), GRAPH_OFFERS)
        if media is None:
            return text_error(406, f"graphs are available as {', '.join(GRAPH_OFFERS)}")
        triples = await in_thread(graph_triples, st.store, graph)
        body = serialize(triples, GRAPH_TYPES[media])
        return Response(body, headers={"Content-Type": media + "; charset=utf-8", "Vary": "Accept"})
    if method == "DELETE":
        if not exists:
            return text_error(404, f"no graph <{graph}> in the store")
        result = await run_validated(request, drop_graph(graph))
        return result if isinstance(result, Response) else Response(status_code=204)
    if method in ("PUT", "POST"):
        mt, _ = media_type(request)
        fmt = RDF_IN.get(mt)
        if fmt is None:
            return text_error(415, f"unsupported Content-Type {mt!r}; send one of {', '.join(RDF_IN)}")
        body = await request.body()
        base = graph or str(request.url.replace(query="", fragment=""))
        try:
            quads = parse_rdf(body, fmt=fmt, base_iri=base, graph=graph, name="request body")
        except RdfSyntaxError as e:
            return text_error(400, str(e))
        update = replace_graph(graph, quads) if method == "PUT" else add_to_graph(graph, quads)
        if not update:
            return Response(status_code=204)
        result = await run_validated(request, update)
        if isinstance(result, Response):
            return result
        return Response(status_code=204 if exists else 201)
    return text_error(405, "use GET, HEAD, PUT, POST or DELETE", {"Allow": "GET, HEAD, PUT, POST, DELETE"})
