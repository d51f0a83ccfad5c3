"""The named queries as a web API, as grlc offers them: ``/api`` lists them, ``/api/openapi.json`` describes them
in OpenAPI 3, and ``/api/NAME?year=2023`` runs one with its parameters bound (:mod:`hpkg.params`).

The answer's format follows ``Accept`` as on ``/sparql`` (SPARQL JSON first, then XML, CSV, TSV; RDF formats for a
CONSTRUCT), or a suffix: ``/api/NAME.csv``, ``.tsv``, ``.json``, ``.xml``. Every query-string field is a
parameter of the query, so an unknown one is an error (400) that lists the query's parameters, as is a
missing required one or a value that does not fit its type.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hpkg import __version__
from hpkg.errors import HpkgError
from hpkg.params import ParameterError, query_form
from hpkg.query import NamedQuery, named_queries
from hpkg.server.execute import error_status
from hpkg.server.media import offers_for
from hpkg.server.state import state, text_error

#: ``/api/NAME.EXT`` -> the ``format=`` name of the answer.
SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".xml": "xml"}


def _queries(request: Request) -> dict[str, NamedQuery]:
    return named_queries(state(request).settings.project)


def _entry(q: NamedQuery) -> dict[str, object]:
    """One query as ``/api`` lists it."""
    try:
        params: list[dict[str, object]] | None = [p.to_json() for p in q.parameters.values()]
        error = None
    except ParameterError as e:
        params, error = None, str(e)
    out: dict[str, object] = {"name": q.name, "description": q.question_en, "description_vi": q.question_vi,
                              "url": f"/api/{q.name}", "origin": q.origin, "parameters": params}
    if error:
        out["error"] = error
    return out


async def api_index(request: Request) -> Response:
    """``/api``: every named query with its description and parameters (JSON)."""
    return JSONResponse([_entry(q) for q in _queries(request).values()], headers={"Vary": "Accept"})


def openapi(queries: dict[str, NamedQuery]) -> dict[str, object]:
    """An OpenAPI 3.0 description of the named queries, one GET operation per query."""
    paths: dict[str, object] = {}
    for q in queries.values():
        try:
            params = list(q.parameters.values())
        except ParameterError:
            continue
        content = {m: {"schema": {"type": "object"} if m.endswith(("results+json", "/json")) else {}}
                   for m in offers_for(query_form(q.sparql))}
        paths[f"/api/{q.name}"] = {
            "get": {
                "operationId": q.name,
                "summary": q.question_en,
                "description": q.question_vi,
                "parameters": [
                    {"name": p.name, "in": "query", "required": p.required,
                     "description": f"{p.type}; SPARQL variable ?{p.variable}", "schema": p.json_schema()}
                    for p in params
                ],
                "responses": {
                    "200": {"description": "The query's answer, in the format Accept asks for", "content": content},
                    "400": {"description": "A missing, unknown or ill-typed parameter (the message lists the "
                                           "query's parameters)", "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "406": {"description": "No offered format suits Accept"},
                    "503": {"description": "The query ran past the server's time limit"},
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "hpkg named queries", "version": __version__,
                 "description": "The named SPARQL queries of the Hai Phong economic-zone knowledge graph; "
                                "parameters follow the grlc convention (?_name required, ?__name optional)."},
        "paths": paths,
    }


async def api_openapi(request: Request) -> Response:
    """``/api/openapi.json``: the OpenAPI 3 description."""
    return JSONResponse(openapi(_queries(request)))


async def api_query(request: Request) -> Response:
    """``/api/NAME``: run the named query with the query string as its parameters."""
    name = request.path_params["name"]
    fmt = None
    queries = _queries(request)
    for suffix, f in SUFFIXES.items():
        if name.endswith(suffix) and name[: -len(suffix)] in queries:
            name, fmt = name[: -len(suffix)], f
    q = queries.get(name)
    if q is None:
        return text_error(404, f"no named query {name!r}; /api lists them")
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in values:
            return text_error(400, f"parameter {key!r} given twice")
        values[key] = value
    try:
        sparql = q.bind(values)
    except ParameterError as e:
        return text_error(400, str(e))
    st = state(request)
    try:
        answer = await st.runner.run(sparql, fmt=fmt, accept=request.headers.get("accept"))
    except HpkgError as e:  # syntax error, 406, time-out, too large
        return text_error(error_status(e), str(e))
    media = answer.media_type
    if media.startswith("text/") or media.endswith(("+json", "/json", "+xml", "/xml")):
        media += "; charset=utf-8"
    return Response(answer.body, headers={"Content-Type": media, "Vary": "Accept"})


def routes() -> list[Route]:
    """The API's routes, for :func:`hpkg.server.app.create_app`."""
    return [
        Route("/api", api_index, methods=["GET"]),
        Route("/api/", api_index, methods=["GET"]),
        Route("/api/openapi.json", api_openapi, methods=["GET"]),
        Route("/api/{name}", api_query, methods=["GET"]),
    ]
