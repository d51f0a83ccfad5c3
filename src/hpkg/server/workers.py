"""Query worker processes: a query past its time limit is killed, not just abandoned.

Used when the server is read-only over an on-disk store: each worker process opens the store
read-only (RocksDB allows any number of read-only handles), runs one query at a time and sends the
serialised answer back over a pipe. When a query runs past the limit the client gets 503 at once and
the worker process is killed and replaced, so a runaway query stops using the CPU. (A server with
updates on must see its own writes, so it runs queries on threads: :class:`hpkg.server.execute.QueryRunner`.)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path
from typing import cast

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.server.execute import Answer, Job, Limits, QueryTimeout, ResultTooLarge, answer
from hpkg.server.media import NotAcceptable

#: Exceptions a worker may send back, rebuilt by name in the server.
ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls for cls in (QuerySyntaxError, NotAcceptable, QueryTimeout, ResultTooLarge, HpkgError)
}


def worker_main(conn: Connection, store_path: str) -> None:
    """A worker's loop: open the store read-only, then answer jobs until the pipe closes."""
    from hpkg.store import OxigraphStore

    # Ctrl-C in a terminal reaches the whole process group; the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    store = OxigraphStore(Path(store_path), read_only=True)
    conn.send(("ready", None))
    while True:
        try:
            job, timeout, max_results = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", answer(store, job, Limits(timeout, max_results))))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the request
            name = type(e).__name__ if type(e).__name__ in ERRORS else "HpkgError"
            conn.send(("error", (name, str(e))))


def rebuild_error(name: str, message: str) -> Exception:
    """The exception a worker reported, with its message (whatever its constructor takes)."""
    cls = ERRORS.get(name, HpkgError)
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    return exc


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: SpawnContext, store_path: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, str(store_path)), daemon=True,
                                name="hpkg-query-worker")
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float = 60) -> Worker:
        """Block until the worker has opened the store."""
        if not self.conn.poll(timeout):
            self.kill()
            raise HpkgError(f"a query worker did not start within {timeout:g} s")
        try:
            status, _ = self.conn.recv()
        except (EOFError, OSError):
            status = "died"
        if status != "ready":
            raise HpkgError(f"a query worker failed to start (exit code {self.proc.exitcode})")
        return self

    def kill(self) -> None:
        """Stop the process at once."""
        self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class ProcessQueryRunner:
    """Runs queries in ``workers`` processes with a time-out that kills (same interface as ``QueryRunner``)."""

    def __init__(self, store_path: Path, *, timeout: float, max_results: int, workers: int = 2) -> None:
        self.store_path = store_path
        self.timeout = timeout
        self.max_results = max_results
        self.workers = workers
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[Worker] | None = None
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.restarts = 0

    def _spawn(self) -> Worker:
        w = Worker(self._ctx, self.store_path)
        self._all.add(w)
        return w

    def _recycle(self, worker: Worker) -> None:
        """Kill ``worker`` (it may still be busy) and put a fresh one in its place, in the background."""
        self._all.discard(worker)
        worker.kill()
        self.restarts += 1

        async def respawn() -> None:
            fresh = self._spawn()
            await asyncio.to_thread(fresh.wait_ready)
            assert self._idle is not None
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        """Start the worker processes (each opens the store) and wait until they are ready."""
        self._idle = asyncio.Queue()
        started = [self._spawn() for _ in range(self.workers)]
        for w in started:
            self._idle.put_nowait(await asyncio.to_thread(w.wait_ready))

    def describe(self) -> dict[str, str | int]:
        """For ``/health``: the kind of workers, how many, how many were killed and replaced."""
        return {"kind": "process", "workers": self.workers, "restarts": self.restarts}

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
        """Run ``sparql`` on a worker and return its serialised answer, or raise as ``QueryRunner`` does."""
        assert self._idle is not None, "start() the runner first"
        job = Job(sparql, fmt, accept, tuple(default_graphs), tuple(named_graphs), base_iri)
        limit = f"the query ran longer than the server's limit of {self.timeout:g} s"
        deadline = time.monotonic() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.timeout)
        except TimeoutError:
            raise QueryTimeout(f"{limit} (waiting for a free query worker)") from None
        try:
            worker.conn.send((job, max(0.001, deadline - time.monotonic()), self.max_results))
            status, payload = await asyncio.wait_for(asyncio.to_thread(worker.conn.recv),
                                                     timeout=max(0.001, deadline - time.monotonic()))
        except TimeoutError:
            self._recycle(worker)
            raise QueryTimeout(f"{limit}; the query was stopped") from None
        except (EOFError, OSError) as e:
            self._recycle(worker)
            raise HpkgError(f"the query worker failed: {e}") from None
        except BaseException:
            # cancelled while the worker is busy: its late answer must not reach the next request
            self._recycle(worker)
            raise
        self._idle.put_nowait(worker)
        if status == "ok":
            return cast(Answer, payload)  # the pipe carries ("ok", Answer) or ("error", (name, message))
        raise rebuild_error(*payload)

    def close(self) -> None:
        """Stop every worker process."""
        for w in list(self._all):
            w.kill()
        self._all.clear()
