"""``hpkg.server.threads``: pyoxigraph results stay in the thread that made them (a real in-memory store)."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time
import traceback

import pyoxigraph as ox
import pytest
from starlette.concurrency import run_in_threadpool

from hpkg.server.threads import LAZY, LazyResultError, in_thread

EX = "http://example.org/"


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.extend([ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i))) for i in range(50)])
    return s


def fails_holding_a_result(store: ox.Store) -> None:
    result = store.query("SELECT * WHERE { ?s ?p ?o }")
    next(iter(result))
    raise ValueError("failed while reading the result")


def raised(fn, store: ox.Store) -> BaseException:
    """The exception ``fn(fails_holding_a_result, store)`` raised on the event loop (kept out of the loop's task)."""
    box: list[BaseException] = []

    async def main() -> None:
        try:
            await fn(fails_holding_a_result, store)
        except ValueError as e:
            box.append(e)

    asyncio.run(main())
    return box.pop()


def frame_locals(exc: BaseException) -> list[object]:
    """Every local variable of every frame in ``exc``'s traceback."""
    out: list[object] = []
    tb = exc.__traceback__
    while tb is not None:
        out += list(tb.tb_frame.f_locals.values())
        tb = tb.tb_next
    return out


def test_without_in_thread_the_traceback_carries_the_result_to_the_event_loop(store, monkeypatch):
    # the control: what the server did before. The result travels with the exception and is dropped on the
    # event loop's thread, which pyoxigraph reports as an unraisable RuntimeError (caught here, not left in the log).
    exc = raised(run_in_threadpool, store)
    assert any(isinstance(v, ox.QuerySolutions) for v in frame_locals(exc))
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}"))
    del exc
    for _ in range(100):  # the event loop's worker machinery may let go of the exception a moment later
        gc.collect()
        if unraisable:
            break
        time.sleep(0.02)
    assert any("QuerySolutions is unsendable" in u for u in unraisable), unraisable


def test_an_exception_leaves_the_thread_without_the_result(store):
    exc = raised(in_thread, store)
    assert "failed while reading the result" in str(exc)
    assert "fails_holding_a_result" in "".join(traceback.format_tb(exc.__traceback__))  # still names the lines
    assert not any(isinstance(v, LAZY) for v in frame_locals(exc))


@pytest.mark.parametrize("lazy", ["solutions", "triples", "quads", "graphs", "generator"])
def test_a_lazy_result_is_refused_as_a_return_value(store, lazy):
    def work() -> object:
        if lazy == "solutions":
            return store.query("SELECT * WHERE { ?s ?p ?o }")
        if lazy == "triples":
            return store.query("CONSTRUCT WHERE { ?s ?p ?o }")
        if lazy == "quads":
            return store.quads_for_pattern(None, None, None)
        if lazy == "graphs":
            return store.named_graphs()
        return (q for q in store.quads_for_pattern(None, None, None))

    with pytest.raises(LazyResultError, match="read it in the thread"):
        asyncio.run(in_thread(work))


def test_read_results_pass(store):
    rows = asyncio.run(in_thread(lambda: [s["s"].value for s in store.query("SELECT ?s WHERE { ?s ?p ?o }")]))
    assert sorted(rows) == sorted(f"{EX}s{i}" for i in range(50))
    assert threading.current_thread() is threading.main_thread()
