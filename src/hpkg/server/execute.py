"""Run a SPARQL query under the server's limits and serialise the answer.

:func:`answer` runs one :class:`Job` and serialises the result while checking the deadline and the
result-size cap at every solution or triple it reads. Where it runs:

* :class:`hpkg.server.workers.ProcessQueryRunner` (read-only server): in worker processes that are
  killed at the time limit;
* :class:`QueryRunner` (server with updates on, or an in-memory store): in a daemon thread (the engine
  releases the GIL) while the request awaits it with a time-out. At the limit the client gets 503 at
  once and the thread is abandoned; a query whose answer streams stops soon after, one that must
  finish a long sort or aggregate before its first row runs on in its thread until it does.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.namespaces import XSD
from hpkg.rdfio import serialize as serialize_rdf
from hpkg.rdfio import serialize_results
from hpkg.server.media import BOOLEAN_TYPES, GRAPH_TYPES, TABULAR_TYPES, NotAcceptable, choose_format
from hpkg.server.threads import detach
from hpkg.store import QueryResult, Store

XSD_STRING = XSD + "string"


class QueryTimeout(HpkgError):
    """The query ran past the server's time limit."""


class ResultTooLarge(HpkgError):
    """The answer has more rows or triples than the server's cap."""


def error_status(e: HpkgError) -> int:
    """The HTTP status of a query that failed with ``e``: 406, 503 (time-out), 422 (too large), else 400."""
    if isinstance(e, NotAcceptable):
        return 406
    if isinstance(e, QueryTimeout):
        return 503
    if isinstance(e, ResultTooLarge):
        return 422
    return 400


@dataclass
class Answer:
    """A serialised query result."""

    kind: str
    media_type: str
    body: bytes
    count: int


def term_json(term: object) -> dict[str, object]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                      "object": term_json(term.object)},
        }
    raise TypeError(f"unsupported term {term!r}")


class Limits:
    """A deadline and a size cap, checked as results are read."""

    def __init__(self, timeout: float, max_results: int) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.max_results = max_results

    def check(self, n: int) -> None:
        """Raise when ``n`` results are too many or the time is up."""
        if n > self.max_results:
            raise ResultTooLarge(
                f"the result has more than {self.max_results} rows or triples (the server's cap); "
                "narrow the query or add a LIMIT"
            )
        if time.monotonic() > self.deadline:
            raise QueryTimeout(f"the query ran longer than the server's limit of {self.timeout:g} s")


def serialize(result: QueryResult, fmt: str | None, accept: str | None, limits: Limits) -> Answer:
    """Read ``result`` under ``limits``; serialise it as ``format=`` or ``Accept`` asks (:func:`choose_format`)."""
    media = choose_format(result.kind, fmt, accept)
    if result.kind == "ask":
        body = result.serialize_results(BOOLEAN_TYPES[media])
        return Answer("ask", media, body, 1)
    if result.kind == "graph":
        triples = []
        for t in result.stream_triples():
            triples.append(t)
            limits.check(len(triples))
        body = serialize_rdf(triples, GRAPH_TYPES[media])
        return Answer("graph", media, body, len(triples))
    bindings: list[dict[str, dict[str, object]]] = []
    variables = result.variables
    for sol in result.solutions():
        row = {}
        for v in variables:
            term = sol[v]
            if term is not None:
                row[v] = term_json(term)
        bindings.append(row)
        limits.check(len(bindings))
    doc = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False,
                     separators=(",", ":")).encode()
    tabular = TABULAR_TYPES[media]
    if tabular != ox.QueryResultsFormat.JSON:
        doc = serialize_results(ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON), tabular)
    return Answer("select", media, doc, len(bindings))


def query_store(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None,
    union_default_graph: bool,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
) -> QueryResult:
    """``store.query`` with the protocol dataset and the endpoint's URL as the service-defined BASE."""
    return store.query(sparql, union_default_graph=union_default_graph, default_graphs=list(default_graphs) or None,
                       named_graphs=list(named_graphs) or None, base_iri=base_iri)


@dataclass(frozen=True)
class Job:
    """One query to run: the text, the answer format asked for, the protocol dataset, the base IRI."""

    sparql: str
    fmt: str | None
    accept: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None


def answer(store: Store, job: Job, limits: Limits) -> Answer:
    """Run ``job`` on ``store`` and serialise the answer under ``limits`` (blocking)."""
    # A protocol dataset with named graphs only has an empty default graph (the store's own
    # default graph, which hpkg leaves empty), not the union of all graphs.
    result = query_store(store, job.sparql, base_iri=job.base_iri, union_default_graph=not job.named_graphs,
                         default_graphs=job.default_graphs, named_graphs=job.named_graphs)
    try:
        return serialize(result, job.fmt, job.accept, limits)
    except (ValueError, OSError, SyntaxError) as e:
        raise HpkgError(f"query failed: {e}") from None


class QueryRunner:
    """Runs queries on daemon worker threads with a time-out (see the module docstring).

    At most ``workers`` queries run at once; a query abandoned at its time-out keeps its slot until
    its thread ends, so runaway queries cannot pile up. Daemon threads never hold up shutdown.
    """

    def __init__(self, store: Store, *, timeout: float, max_results: int, workers: int = 4) -> None:
        self.store = store
        self.timeout = timeout
        self.max_results = max_results
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None

    def _run(self, job: Job, limits: Limits) -> Answer:
        return answer(self.store, job, limits)

    async def run(
        self,
        sparql: str,
        *,
        fmt: str | None = None,
        accept: str | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Answer:
        """Run ``sparql`` and serialise its answer, or raise (syntax error, time-out, too large, 406)."""
        job = Job(sparql, fmt, accept, tuple(default_graphs), tuple(named_graphs), base_iri)
        limits = Limits(self.timeout, self.max_results)
        timeout_message = f"the query ran longer than the server's limit of {self.timeout:g} s"
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        slots = self._slots
        try:
            await asyncio.wait_for(slots.acquire(), timeout=self.timeout)
        except TimeoutError:
            raise QueryTimeout(f"{timeout_message} (waiting for a free query worker)") from None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Answer] = loop.create_future()

        def finish(outcome: Answer | BaseException) -> None:
            slots.release()
            if not future.done():
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

        def work() -> None:
            # The result is made, read and dropped in this thread; what leaves it is bytes or a detached
            # exception (its frames cleared here, so no result rides along to the event loop: threads.py).
            outcome: Answer | BaseException
            try:
                outcome = self._run(job, limits)
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting request
                outcome = detach(e)
            try:
                loop.call_soon_threadsafe(finish, outcome)
            except RuntimeError:  # the event loop is gone (server shutting down)
                pass

        threading.Thread(target=work, name="hpkg-query", daemon=True).start()
        remaining = max(0.001, limits.deadline - time.monotonic())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=remaining)
        except TimeoutError:
            # Nobody will read the abandoned query's outcome: cancel the future so that ``finish`` drops it
            # instead of leaving an exception no one retrieves (which asyncio logs with its traceback).
            future.cancel()
            raise QueryTimeout(timeout_message) from None
        except asyncio.CancelledError:
            future.cancel()  # the request was cancelled (the client went away)
            raise

    async def start(self) -> None:
        """Nothing to start: a thread is made for each query."""

    def describe(self) -> dict[str, str | int]:
        """For ``/health``: the kind of workers and how many queries may run at once."""
        return {"kind": "thread", "workers": self.workers}

    def close(self) -> None:
        """Nothing to release: abandoned queries run on daemon threads."""
