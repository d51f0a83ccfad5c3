"""What every request handler shares: the store, the settings, the query runner, cached counts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from hpkg.server.config import ServerSettings
from hpkg.server.execute import QueryRunner
from hpkg.server.workers import ProcessQueryRunner
from hpkg.store import Store

if TYPE_CHECKING:
    from hpkg.reconcile.match import Matcher


@dataclass
class Counts:
    """Triple counts, taken at start-up and after every update (cheap for ``/health`` and the service description)."""

    total: int = 0
    graphs: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store) -> Counts:
        """Count the store."""
        return cls(total=store.count(), graphs={g: store.count(g) for g in store.graphs()})

    def after(self, changes: dict[str, int]) -> Counts | None:
        """The counts after a write that changed these graphs by these many quads ("" the default graph), without
        counting the store; None when a named graph appears or empties (its listing may change: count again)."""
        graphs = dict(self.graphs)
        for g, n in changes.items():
            if not g or not n:
                continue
            if g not in graphs or graphs[g] + n <= 0:
                return None
            graphs[g] += n
        return Counts(total=self.total + sum(changes.values()), graphs=graphs)


@dataclass
class ServerState:
    """The application's state (``request.app.state.hpkg``)."""

    store: Store
    settings: ServerSettings
    runner: QueryRunner | ProcessQueryRunner
    counts: Counts
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _validation: tuple[Graph, Graph] | None = None
    #: the reconciliation service's name matcher and the counts it was built at (:func:`hpkg.server.reconcile.matcher_of`)
    reconcile_matcher: tuple[Counts, Matcher] | None = None
    reconcile_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: the counts and the body of ``/geo/provinces-2025.geojson`` (:mod:`hpkg.server.geo`), kept until a write
    geojson: tuple[Counts, bytes] | None = None

    def validation_graphs(self) -> tuple[Graph, Graph]:
        """The SHACL shapes and the ontology that updates are checked with, read once (the project's)."""
        if self._validation is None:
            from hpkg.shacl import load_ontology, load_shapes

            self._validation = (load_shapes(self.settings.project), load_ontology(self.settings.project))
        return self._validation


def state(request: Request) -> ServerState:
    """The server state of the application handling ``request``."""
    return cast(ServerState, request.app.state.hpkg)  # starlette's State is an untyped attribute bag


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error answer (what SPARQL clients print)."""
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)
