"""The ASGI application: routes, middleware (CORS, body limit, access log) and shared state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from hpkg.server import api, geo, ingest, pages, reconcile
from hpkg.server.config import ServerSettings
from hpkg.server.execute import QueryRunner
from hpkg.server.graphstore import graph_store
from hpkg.server.limits import AccessLogMiddleware, BodyLimitMiddleware, access_logger
from hpkg.server.sparql import sparql_query
from hpkg.server.state import Counts, ServerState, text_error
from hpkg.server.update import sparql_update
from hpkg.server.workers import ProcessQueryRunner
from hpkg.store import OxigraphStore, Store

STATIC = Path(__file__).parent / "static"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return pages.not_found(request)
    return text_error(exc.status_code, str(exc.detail), dict(exc.headers or {}))


def make_runner(store: Store, settings: ServerSettings) -> QueryRunner | ProcessQueryRunner:
    """Worker processes (killed at the time limit) for a read-only on-disk store; threads otherwise.

    A server with updates on (or over an in-memory store) must query the very store it writes to,
    so its queries run on threads in its own process.
    """
    timeout, max_results, workers = settings.query_timeout, settings.max_results, settings.workers
    if (
        settings.process_workers
        and isinstance(store, OxigraphStore)
        and store.path is not None
        and store.read_only
        and not settings.updates_enabled
    ):
        return ProcessQueryRunner(store.path, timeout=timeout, max_results=max_results, workers=workers)
    return QueryRunner(store, timeout=timeout, max_results=max_results, workers=workers)


def create_app(store: Store, settings: ServerSettings) -> Starlette:
    """The hpkg web application over ``store`` (which the caller opened and closes)."""
    runner = make_runner(store, settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.hpkg = ServerState(store=store, settings=settings, runner=runner, counts=Counts.of(store))
        await runner.start()
        try:
            yield
        finally:
            runner.close()

    routes = [
        Route("/", pages.index, methods=["GET"]),
        Route("/health", pages.health, methods=["GET"]),
        Route("/sparql", sparql_query, methods=["GET", "POST"]),
        Route("/sparql/", sparql_query, methods=["GET", "POST"]),
        Route("/sparql/update", sparql_update, methods=["GET", "POST"]),
        Route("/rdf-graphs", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/id/{path:path}", pages.dereference, methods=["GET"]),
        Route("/page/{path:path}", pages.entity_page, methods=["GET"]),
        Route("/data/{path:path}", pages.entity_data, methods=["GET"]),
        Route("/.well-known/void", pages.well_known_void, methods=["GET"]),
        Route("/ontology", pages.ontology, methods=["GET"]),
        Route("/ontology.{ext}", pages.ontology_document, methods=["GET"]),
        *api.routes(),  # /api (the named queries, grlc-style), /api/openapi.json, /api/NAME?param=value
        Route("/ingest", ingest.page, methods=["GET"]),
        Route("/ingest/extract", ingest.extract_api, methods=["POST"]),
        Route("/ingest/accept", ingest.accept_api, methods=["POST"]),
        *geo.routes(),  # /geo/provinces-2025.geojson (the 34 units' boundaries, for the query page's map)
        *reconcile.routes(),  # /reconcile (W3C Reconciliation API 0.2), /search
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    middleware = [
        Middleware(AccessLogMiddleware, logger=access_logger(settings.access_log)),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Accept", "Accept-Language", "Content-Type", "Authorization"],
            expose_headers=["Content-Type", "Content-Length", "Location", "Vary"],
            max_age=86400,
        ),
        Middleware(BodyLimitMiddleware, max_body=settings.max_body),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={HTTPException: _http_error})
