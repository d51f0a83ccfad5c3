"""The W3C Entity Reconciliation API 0.2 at ``/reconcile``, and ``/search`` (JSON or an HTML page).

* ``GET /reconcile`` — the service manifest; with ``queries=`` (GET or a POST form field) a batch of
  reconciliation queries; with ``extend=`` a data extension query;
* ``/reconcile/suggest/{entity,type,property}?prefix=…&cursor=…`` — the suggest services;
* ``/reconcile/extend/propose?type=…`` — the properties data extension offers for a type;
* ``/reconcile/preview?id=…`` — a small HTML preview; ``/reconcile/view?id=…`` — 303 to the entity's page;
* ``/reconcile/openapi.json`` — an OpenAPI 3.0 description of the service;
* ``/search?q=…&type=…`` — ranked, accent-insensitive, prefix-aware search.

Bad input is refused: ``queries``/``extend`` that is not JSON or not of the specification's schema -> 400
with the schema error; an unknown type -> 400 listing the known types; a batch over ``batchSize`` ->
413; a query with neither a query string nor properties -> 400. Every answer carries
``Access-Control-Allow-Origin: *`` (the application's CORS middleware answers preflight requests).

The name index (:mod:`hpkg.reconcile`) is built once per server, on first use, in a worker thread
(pyoxigraph results are consumed in the thread that made them), and again after an update.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import parse_qs, quote

import jsonschema
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from hpkg import __version__
from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.reconcile.extend import UnknownProperty, extend, propose_properties
from hpkg.reconcile.index import PROPERTIES, TYPES, Entity, build_index
from hpkg.reconcile.match import MAX_TEXT, Matcher, Scored, UnknownType, check_types, reconcile, search
from hpkg.server import negotiate
from hpkg.server.state import ServerState, state
from hpkg.server.threads import in_thread

#: The largest batch of reconciliation queries one request may carry (more -> 413).
BATCH_SIZE = 100
#: Candidates per query when the query gives no ``limit``.
DEFAULT_LIMIT = 10
#: Suggestions per page of the suggest services.
SUGGEST_PAGE = 10
#: The longest query string, search text or suggest prefix the service takes (longer -> 400).
MAX_QUERY = MAX_TEXT
CORS = {"Access-Control-Allow-Origin": "*"}

# The specification's schemas for the two JSON inputs (reconciliation-api/specs, 0.2/schemas, commit 8d66bdba,
# W3C Community Final Specification Agreement): copied here because the server validates with them.
QUERY_BATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "definitions": {
        "property_value": {"oneOf": [
            {"type": "string"}, {"type": "number"}, {"type": "boolean"},
            {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
             "required": ["id"]},
        ]},
    },
    "patternProperties": {
        "^.*$": {
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "type": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "limit": {"type": "number"},
                "properties": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"pid": {"type": "string"}, "v": {"oneOf": [
                        {"$ref": "#/definitions/property_value"},
                        {"type": "array", "items": {"$ref": "#/definitions/property_value"}},
                    ]}},
                    "required": ["pid", "v"],
                }},
                "type_strict": {"type": "string", "enum": ["any", "should", "all"]},
            },
            "anyOf": [
                {"required": ["query"]},
                {"required": ["properties"], "properties": {"properties": {"type": "array", "minItems": 1}}},
            ],
            "additionalProperties": False,
        },
    },
}
EXTEND_QUERY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ids": {"type": "array", "items": {"type": "string"}},
        "properties": {"type": "array", "items": {
            "type": "object", "properties": {"id": {"type": "string"}, "settings": {"type": "object"}},
            "required": ["id"]}},
    },
    "required": ["ids", "properties"],
}

_WORDS = {
    "vi": {"search": "Tìm kiếm", "results": "kết quả", "none": "Không tìm thấy gì.", "type": "Loại",
           "all_types": "Mọi loại", "score": "Điểm", "hint": "Gõ có dấu hay không dấu đều được, ví dụ “hai d”."},
    "en": {"search": "Search", "results": "results", "none": "Nothing found.", "type": "Type",
           "all_types": "All types", "score": "Score", "hint": "With or without diacritics, e.g. “hai d”."},
}


class BadInput(Exception):
    """A request the service refuses: its status and a JSON body."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"status": "error", "error": message, **extra}


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=CORS)


def _error(e: BadInput) -> JSONResponse:
    return _json(e.body, e.status)


# ---------------------------------------------------------------- the index, once per server


async def matcher_of(request: Request) -> Matcher:
    """The server's name matcher, built on first use (and after an update changed the store)."""
    st: ServerState = state(request)
    cached = st.reconcile_matcher
    if cached is not None and cached[0] is st.counts:
        return cached[1]
    async with st.reconcile_lock:
        cached = st.reconcile_matcher
        if cached is not None and cached[0] is st.counts:
            return cached[1]
        counts = st.counts
        matcher = await in_thread(lambda: Matcher(build_index(st.store, st.settings.base)))
        st.reconcile_matcher = (counts, matcher)
        return matcher


def _site(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def view_url(request: Request, e: Entity) -> str:
    """Where a person reads about ``e``: its page when the graph has it, else its official IRI or a preview."""
    st = state(request)
    path = st.settings.path_for_iri(e.id)
    if e.in_graph and path is not None:
        return f"/page/{path}"
    if path is None:
        return e.id
    return f"/reconcile/preview?id={quote(e.id, safe='')}"


def _types(e: Entity) -> list[dict[str, str]]:
    return [{"id": t, "name": TYPES[t].name} for t in e.types]


# ---------------------------------------------------------------- manifest


def manifest(request: Request) -> dict[str, Any]:
    """The service manifest."""
    site = _site(request)
    st = state(request)
    return {
        "versions": ["0.2"],
        "name": "hpkg: Hai Phong economic-zone knowledge graph (provinces, countries, zones, organisations, "
                "indicators, sectors)",
        "identifierSpace": st.settings.base,
        "schemaSpace": ONTOLOGY_IRI + "#",
        "documentation": f"{site}/reconcile/openapi.json",
        "serviceVersion": __version__,
        "defaultTypes": [{"id": t.id, "name": t.name} for t in TYPES.values()],
        "view": {"url": f"{site}/reconcile/view?id={{{{id}}}}"},
        "preview": {"url": f"{site}/reconcile/preview?id={{{{id}}}}", "width": 420, "height": 180},
        "suggest": {
            "entity": {"service_url": f"{site}/reconcile", "service_path": "/suggest/entity"},
            "type": {"service_url": f"{site}/reconcile", "service_path": "/suggest/type"},
            "property": {"service_url": f"{site}/reconcile", "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": f"{site}/reconcile", "service_path": "/extend/propose"},
            "property_settings": [{"name": "limit", "label": "Limit", "type": "number", "default": 0,
                                   "help_text": "The most values to return per entity (0: all)"},
                                  {"name": "year", "label": "Year", "type": "text", "default": "",
                                   "help_text": "For FDI amounts: only this year (e.g. 2024; empty: every year)"}],
        },
        "batchSize": BATCH_SIZE,
    }


# ---------------------------------------------------------------- reconciliation queries


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _load(raw: str, schema: dict[str, Any], what: str) -> Any:
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise BadInput(400, f"{what} is not JSON: {e}") from None
    except ValueError as e:  # NaN, Infinity: Python reads them, JSON has none
        raise BadInput(400, f"{what} is not JSON: {e}") from None
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        raise BadInput(400, f"{what} does not conform to the Reconciliation API 0.2 schema at {where}: "
                            f"{e.message}", schema_error=e.message, path=list(e.absolute_path)) from None
    return data


def _check_length(text: str, what: str) -> None:
    if len(text) > MAX_QUERY:
        raise BadInput(400, f"{what} is longer than {MAX_QUERY} characters")


def parse_queries(raw: str) -> dict[str, dict[str, Any]]:
    """Validate a ``queries`` batch: JSON, the specification's schema, known types, a query or properties."""
    batch: dict[str, dict[str, Any]] = _load(raw, QUERY_BATCH_SCHEMA, "queries")  # the schema: {id: query}
    if len(batch) > BATCH_SIZE:
        raise BadInput(413, f"a batch of {len(batch)} queries is over this service's batchSize of {BATCH_SIZE}",
                       batchSize=BATCH_SIZE)
    for qid, q in batch.items():
        types = q.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        try:
            check_types(types)
        except UnknownType as e:
            raise BadInput(400, f"query {qid!r}: {e}", known_types=list(TYPES)) from None
        q["_types"] = types
        if not str(q.get("query", "")).strip() and not q.get("properties"):
            raise BadInput(400, f"query {qid!r} has an empty query string and no properties")
        _check_length(q.get("query", ""), f"query {qid!r}")
    return batch


def _result(s: Scored) -> dict[str, Any]:
    e = s.entity
    return {
        "id": e.id,
        "name": e.name,
        "score": s.score,
        "match": s.match,
        "description": e.description,
        "type": _types(e),
        "features": [{"id": k, "value": v} for k, v in s.features.items()],
    }


def run_queries(matcher: Matcher, batch: dict[str, dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Answer a validated batch."""
    out = {}
    for qid, q in batch.items():
        limit = q.get("limit")
        limit = int(limit) if isinstance(limit, int | float) and limit >= 1 else DEFAULT_LIMIT
        found = reconcile(matcher, q.get("query"), types=q["_types"], type_strict=q.get("type_strict", "any"),
                          properties=q.get("properties", []), limit=limit)
        out[qid] = {"result": [_result(s) for s in found]}
    return out


async def _form(request: Request) -> dict[str, str]:
    """The fields of a POSTed ``application/x-www-form-urlencoded`` body (the last value of each)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if not body:
        return {}
    if media not in ("application/x-www-form-urlencoded", ""):
        raise BadInput(415, f"POST the fields as application/x-www-form-urlencoded, not {media}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(400, "the form is not UTF-8") from None
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


async def reconcile_endpoint(request: Request) -> Response:
    """``/reconcile``: the manifest, a batch of queries (``queries=``) or a data extension (``extend=``)."""
    params: dict[str, str] = dict(request.query_params)
    try:
        if request.method == "POST":
            params.update(await _form(request))
        if "queries" in params:
            batch = parse_queries(params["queries"])
            matcher = await matcher_of(request)
            return _json(await in_thread(run_queries, matcher, batch))
        if "extend" in params:
            query = _load(params["extend"], EXTEND_QUERY_SCHEMA, "extend")
            matcher = await matcher_of(request)
            try:
                return _json(await in_thread(extend, matcher.index, query["ids"], query["properties"]))
            except UnknownProperty as e:
                raise BadInput(400, str(e), known_properties=list(PROPERTIES)) from None
        if request.method == "POST":
            raise BadInput(400, "a POST to /reconcile needs a 'queries' or an 'extend' form field")
    except BadInput as e:
        return _error(e)
    return _json(manifest(request))


# ---------------------------------------------------------------- suggest, propose, preview, view


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(400, f"{name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise BadInput(400, f"{name} must not be negative")
    return value


def _prefix(request: Request) -> str:
    prefix = request.query_params.get("prefix")
    if prefix is None:
        raise BadInput(400, "the suggest services need a 'prefix' parameter")
    _check_length(prefix, "prefix")
    return prefix


def _known_type(raw: str | None) -> list[str]:
    if not raw:
        return []
    try:
        check_types([raw])
    except UnknownType as e:
        raise BadInput(400, str(e), known_types=list(TYPES)) from None
    return [raw]


def _folded_prefix(prefix: str, *texts: str) -> bool:
    from hpkg.opendata.normalize import fold_lower

    p = fold_lower(prefix)
    return not p or any(fold_lower(t).startswith(p) or f" {p}" in f" {fold_lower(t)}" for t in texts)


async def suggest_entity(request: Request) -> Response:
    """Suggest entities for a prefix (``type`` narrows, ``cursor`` pages)."""
    try:
        prefix, cursor = _prefix(request), _int(request, "cursor", 0)
        types = _known_type(request.query_params.get("type"))
    except BadInput as e:
        return _error(e)
    matcher = await matcher_of(request)
    found = await in_thread(search, matcher, prefix, types=types, limit=cursor + SUGGEST_PAGE)
    return _json({"result": [
        {"id": s.entity.id, "name": s.entity.name, "description": s.entity.description, "notable": _types(s.entity)}
        for s in found[cursor:cursor + SUGGEST_PAGE]
    ]})


async def suggest_type(request: Request) -> Response:
    """Suggest types for a prefix."""
    try:
        prefix, cursor = _prefix(request), _int(request, "cursor", 0)
    except BadInput as e:
        return _error(e)
    found = [{"id": t.id, "name": t.name, "description": t.description} for t in TYPES.values()
             if _folded_prefix(prefix, t.id, t.name, t.description)]
    return _json({"result": found[cursor:cursor + SUGGEST_PAGE]})


async def suggest_property(request: Request) -> Response:
    """Suggest properties for a prefix (``type`` narrows)."""
    try:
        prefix, cursor = _prefix(request), _int(request, "cursor", 0)
        types = _known_type(request.query_params.get("type"))
    except BadInput as e:
        return _error(e)
    found = [{"id": p.id, "name": p.name, "description": p.description} for p in PROPERTIES.values()
             if (not types or types[0] in p.types) and _folded_prefix(prefix, p.id, p.name)]
    return _json({"result": found[cursor:cursor + SUGGEST_PAGE]})


async def propose(request: Request) -> Response:
    """The properties data extension offers for a type."""
    try:
        type_id = request.query_params.get("type") or None
        limit = _int(request, "limit", 0) or None
        props = propose_properties(type_id, limit)
    except UnknownType as e:
        return _error(BadInput(400, str(e), known_types=list(TYPES)))
    except BadInput as e:
        return _error(e)
    body: dict[str, Any] = {"properties": props}
    if type_id:
        body["type"] = type_id
    if limit:
        body["limit"] = limit
    return _json(body)


def _entity_param(request: Request, matcher: Matcher) -> Entity:
    eid = request.query_params.get("id")
    if not eid:
        raise BadInput(400, "an 'id' parameter is needed")
    e = matcher.index.get(eid)
    if e is None:
        raise BadInput(404, f"no entity {eid!r} in this service")
    return e


async def preview(request: Request) -> Response:
    """A small HTML card of an entity (for the iframe the manifest sizes)."""
    matcher = await matcher_of(request)
    try:
        e = _entity_param(request, matcher)
    except BadInput as err:
        return HTMLResponse(f"<!doctype html><p>{html.escape(str(err))}</p>", status_code=err.status, headers=CORS)
    esc = html.escape
    other = "".join(f"<li>{esc(label)}</li>" for label in e.labels[1:6])
    codes = ", ".join(esc(c) for c in e.codes)
    body = (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + esc(e.name) + "</title>"
        "<style>body{font:14px/1.4 sans-serif;margin:.5rem}h1{font-size:1.1rem;margin:0 0 .3rem}"
        "p,ul{margin:.2rem 0}small{color:#5c6b7a}</style></head><body>"
        f"<h1><a href=\"{esc(view_url(request, e))}\" target=\"_blank\">{esc(e.name)}</a></h1>"
        f"<p>{esc(e.description)}</p>"
        + (f"<p><small>{codes}</small></p>" if codes else "")
        + (f"<ul>{other}</ul>" if other else "")
        + f"<p><small>{esc(e.id)}</small></p></body></html>"
    )
    return HTMLResponse(body, headers=CORS)


async def view(request: Request) -> Response:
    """303 See Other to where a person reads about the entity."""
    matcher = await matcher_of(request)
    try:
        e = _entity_param(request, matcher)
    except BadInput as err:
        return _error(err)
    return RedirectResponse(view_url(request, e), status_code=303, headers=CORS)


# ---------------------------------------------------------------- /search


def _hit(request: Request, s: Scored, lang: str | None = None) -> dict[str, Any]:
    e = s.entity
    return {"id": e.id, "name": e.label(lang), "score": s.score, "type": _types(e), "description": e.description,
            "url": view_url(request, e)}


async def search_endpoint(request: Request) -> Response:
    """``/search?q=…&type=…&limit=…``: JSON by default, the HTML results page for ``Accept: text/html``."""
    q = request.query_params.get("q", "")
    fmt = request.query_params.get("format")
    if fmt is not None and fmt not in ("json", "html"):
        return _error(BadInput(400, f"format must be json or html, not {fmt!r}"))
    media = fmt
    if media is None:
        chosen = negotiate.choose(request.headers.get("accept"), ["application/json", "text/html"])
        media = "html" if chosen == "text/html" else "json"
    try:
        types = _known_type(request.query_params.get("type"))
        limit = min(_int(request, "limit", 20), 100) or 20
        _check_length(q, "q")
    except BadInput as e:
        if media == "html":
            return HTMLResponse(f"<!doctype html><p>{html.escape(str(e))}</p>", status_code=e.status, headers=CORS)
        return _error(e)
    matcher = await matcher_of(request)
    found = await in_thread(search, matcher, q, types=types, limit=limit) if q.strip() else []
    if media == "json":
        return _json({"query": q, "type": types[0] if types else None,
                      "results": [_hit(request, s) for s in found]})
    from hpkg.server.i18n import page_language
    from hpkg.server.pages import render

    lang = page_language(request)
    resp = render(request, "search.html", {
        "q": q, "type": types[0] if types else "", "types": list(TYPES.values()),
        "hits": [_hit(request, s, lang) for s in found], "w": _WORDS[lang],
    }, lang=lang)
    resp.headers.update(CORS)
    return resp


# ---------------------------------------------------------------- OpenAPI


def openapi(request: Request) -> dict[str, Any]:
    """An OpenAPI 3.0 description of the service (what ``/reconcile/openapi.json`` serves)."""
    site = _site(request)
    err = {"description": "refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    json_ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}

    def param(name: str, required: bool = False, schema: dict[str, Any] | None = None, desc: str = "") -> dict[str, Any]:
        return {"name": name, "in": "query", "required": required, "description": desc,
                "schema": schema or {"type": "string"}}

    type_enum = {"type": "string", "enum": list(TYPES)}
    # an empty type is no type (what the search page's "all types" sends)
    type_or_none = {"type": "string", "enum": ["", *TYPES]}
    id_param = param("id", True, {"type": "string", "minLength": 1})
    queries_param = {"name": "queries", "in": "query", "required": False,
                     "description": "A reconciliation query batch (JSON), at most batchSize queries",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryBatch"}}}}
    extend_param = {"name": "extend", "in": "query", "required": False, "description": "A data extension query (JSON)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExtendQuery"}}}}
    reconcile_responses = {
        "200": {"description": "the manifest, a result batch or a data extension response",
                "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": err, "413": err,
    }
    suggest = {"parameters": [param("prefix", True), param("cursor", schema={"type": "integer", "minimum": 0})],
               "responses": {"200": {"description": "suggestions", "content": {"application/json": {"schema": {
                   "$ref": "#/components/schemas/Suggestions"}}}}, "400": err}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "hpkg reconciliation service (W3C Entity Reconciliation API 0.2)", "version": __version__,
                 "description": "Reconcile names of Vietnamese provinces (63- and 34-province lists), countries, "
                                "zones, organisations, indicators and sectors with the Hai Phong economic-zone "
                                "knowledge graph."},
        "servers": [{"url": site}],
        "paths": {
            "/reconcile": {
                "get": {"summary": "Manifest, reconciliation queries or data extension",
                        "parameters": [queries_param, extend_param], "responses": reconcile_responses},
                "post": {"summary": "Reconciliation queries or data extension (form fields)",
                         "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                             "schema": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                                        "properties": {
                                 "queries": {"$ref": "#/components/schemas/QueryBatch"},
                                 "extend": {"$ref": "#/components/schemas/ExtendQuery"}}},
                             "encoding": {"queries": {"contentType": "application/json"},
                                          "extend": {"contentType": "application/json"}}}}},
                         "responses": reconcile_responses},
            },
            "/reconcile/suggest/entity": {"get": {**suggest, "parameters": [*suggest["parameters"],
                                                                            param("type", schema=type_or_none)]}},
            "/reconcile/suggest/type": {"get": suggest},
            "/reconcile/suggest/property": {"get": {**suggest, "parameters": [*suggest["parameters"],
                                                                              param("type", schema=type_or_none)]}},
            "/reconcile/extend/propose": {"get": {
                "parameters": [param("type", schema=type_or_none), param("limit", schema={"type": "integer",
                                                                                      "minimum": 0})],
                "responses": {"200": {"description": "property proposals", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Proposals"}}}}, "400": err}}},
            "/reconcile/preview": {"get": {"parameters": [id_param], "responses": {
                "200": {"description": "an HTML card", "content": {"text/html": {"schema": {"type": "string"}}}},
                "400": {"description": "no id", "content": {"text/html": {"schema": {"type": "string"}}}},
                "404": {"description": "unknown id", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
            "/reconcile/view": {"get": {"parameters": [id_param], "responses": {
                "303": {"description": "to the entity's page"}, "400": err, "404": err}}},
            "/reconcile/openapi.json": {"get": {"responses": {"200": json_ok}}},
            "/search": {"get": {
                "parameters": [param("q"), param("type", schema=type_or_none),
                               param("limit", schema={"type": "integer", "minimum": 0}),
                               param("format", schema={"type": "string", "enum": ["json", "html"]})],
                "responses": {"200": {"description": "ranked hits", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}},
                    "text/html": {"schema": {"type": "string"}}}},
                    "400": {"description": "refused (an HTML page when HTML was asked for)", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
                        "text/html": {"schema": {"type": "string"}}}}}}},
        },
        "components": {"schemas": {
            # the specification's query schemas, in OpenAPI 3.0's dialect (no patternProperties)
            "PropertyValue": {"oneOf": [
                {"type": "string"}, {"type": "number"}, {"type": "boolean"},
                {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"},
                                                                      "name": {"type": "string"}}}]},
            "Query": {"type": "object", "additionalProperties": False, "properties": {
                "query": {"type": "string", "pattern": "\\S"},
                "type": {"oneOf": [type_enum, {"type": "array", "items": type_enum}]},
                "limit": {"type": "number"},
                "properties": {"type": "array", "items": {"type": "object", "required": ["pid", "v"], "properties": {
                    "pid": {"type": "string", "enum": list(PROPERTIES)},
                    "v": {"oneOf": [{"$ref": "#/components/schemas/PropertyValue"},
                                    {"type": "array", "items": {"$ref": "#/components/schemas/PropertyValue"}}]}}}},
                "type_strict": {"type": "string", "enum": ["any", "should", "all"]}},
                "anyOf": [{"required": ["query"]},
                          {"required": ["properties"], "properties": {"properties": {"minItems": 1}}}]},
            "QueryBatch": {"type": "object", "maxProperties": BATCH_SIZE,
                           "additionalProperties": {"$ref": "#/components/schemas/Query"}},
            "ExtendQuery": {"type": "object", "required": ["ids", "properties"], "properties": {
                "ids": {"type": "array", "items": {"type": "string"}},
                "properties": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"}, "settings": {"type": "object"}}}}}},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Suggestions": {"type": "object", "required": ["result"], "properties": {"result": {
                "type": "array", "items": {"type": "object", "required": ["id", "name"],
                                           "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                          "description": {"type": "string"}}}}}},
            "Proposals": {"type": "object", "required": ["properties"], "properties": {
                "properties": {"type": "array", "items": {"type": "object", "required": ["id", "name"],
                                                          "properties": {"id": {"type": "string"},
                                                                         "name": {"type": "string"}}}},
                "type": {"type": "string"}, "limit": {"type": "number"}}},
            "SearchResults": {"type": "object", "required": ["query", "results"], "properties": {
                "query": {"type": "string"},
                "results": {"type": "array", "items": {"type": "object", "required": ["id", "name", "score"],
                                                       "properties": {"id": {"type": "string"},
                                                                      "name": {"type": "string"},
                                                                      "score": {"type": "number"}}}}}},
        }},
    }


async def openapi_endpoint(request: Request) -> Response:
    """``/reconcile/openapi.json``."""
    return _json(openapi(request))


def routes() -> list[Route]:
    """The reconciliation and search routes (added to the application's route list)."""
    return [
        Route("/reconcile", reconcile_endpoint, methods=["GET", "POST"]),
        Route("/reconcile/suggest/entity", suggest_entity, methods=["GET"]),
        Route("/reconcile/suggest/type", suggest_type, methods=["GET"]),
        Route("/reconcile/suggest/property", suggest_property, methods=["GET"]),
        Route("/reconcile/extend/propose", propose, methods=["GET"]),
        Route("/reconcile/preview", preview, methods=["GET"]),
        Route("/reconcile/view", view, methods=["GET"]),
        Route("/reconcile/openapi.json", openapi_endpoint, methods=["GET"]),
        Route("/search", search_endpoint, methods=["GET"]),
    ]
