"""Thread confinement of pyoxigraph results: each one is made, read and dropped in the thread that ran its query.

pyoxigraph's lazy results (``QuerySolutions``, ``QueryTriples``, the iterators of ``quads_for_pattern`` and
``named_graphs``) are *unsendable*: dropping one in another thread than the one that made it logs
``… is unsendable, but is being dropped on another thread`` (and leaks it); reading one there raises. The server
runs queries and writes on worker threads and answers on the event loop's thread, so two things must never
reach the event loop:

* a lazy result returned by the work (:func:`in_thread` refuses one: the work must return lists, counts, bytes);
* an exception whose traceback still holds the frames of the work, whose local variables may be such a result.
  Those frames are dropped wherever the exception is dropped, and an exception kept in a variable of its own
  frame is a reference cycle that the garbage collector frees in whichever thread it happens to run in.
  :func:`detach` clears the frames (in the worker thread, so their locals are dropped there); the traceback
  still names every file and line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from functools import partial
from types import GeneratorType
from typing import ParamSpec, TypeVar

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from hpkg.store import QueryResult

P = ParamSpec("P")
R = TypeVar("R")



def _iterator_types() -> tuple[type, ...]:
    # QuadIter and GraphNameIter are not in pyoxigraph's type stubs: take their types from an empty store.
    probe = ox.Store()
    return type(probe.quads_for_pattern(None, None, None, None)), type(probe.named_graphs())


#: The pyoxigraph types that must stay in their thread, :class:`QueryResult` (which wraps one) and generators
#: (which may read one when the event loop iterates them).
LAZY: tuple[type, ...] = (ox.QuerySolutions, ox.QueryTriples, *_iterator_types(), QueryResult, GeneratorType)


class LazyResultError(TypeError):
    """Work on a worker thread returned a lazy pyoxigraph result instead of reading it there."""


def detach(exc: BaseException) -> BaseException:
    """Clear the frames of ``exc``'s traceback and of the exceptions chained to it; ``exc`` itself.

    Call it in the thread that raised ``exc``, before handing ``exc`` to another thread. The frame that is
    still running (the caller's) cannot be cleared and is skipped.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        traceback.clear_frames(e.__traceback__)
        todo += [e.__cause__, e.__context__]
        if isinstance(e, BaseExceptionGroup):
            todo += list(e.exceptions)
    return exc


def confined(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)`` for a worker thread: a lazy result is refused, an exception leaves detached."""
    try:
        out = fn(*args, **kwargs)
    except BaseException as e:
        detach(e)
        raise
    if isinstance(out, LAZY):
        name = type(out).__name__
        del out  # dropped here, in its own thread
        raise LazyResultError(f"{getattr(fn, '__qualname__', fn)!r} returned a lazy {name}: read it in the thread")
    return out


async def in_thread(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on Starlette's thread pool, confined (:func:`confined`); its value or its (detached) exception."""
    return await run_in_threadpool(partial(confined, fn, *args, **kwargs))
