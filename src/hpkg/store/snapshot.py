"""A private, writable view of an Oxigraph store: the store "as it would be after the write", never the store.

pyoxigraph has no transaction API in Python, so a guarded update is first run on a view:

* an on-disk store: ``Store.backup`` makes a RocksDB checkpoint in a temporary folder beside the store (the same
  file system, so its immutable files are hard links: milliseconds, whatever the size), opened as a writable
  store of its own. Writes to it never touch the original; the folder is deleted on leaving the context (and,
  if the process was killed first, the next time the store is opened for writing);
* an in-memory store: a copy (``ox.Store()`` + ``extend``), small by nature;
* a remote SPARQL store has no view: :func:`after_state` raises :class:`NoSnapshot` and the caller keeps its
  older behaviour (copy the quads into memory).

Blank nodes keep their identity in the view (a checkpoint is the same database; the in-memory copy copies
the terms), so a blank node found in the view is the store's blank node.

**Kept views.** Making a checkpoint costs little, but a freshly opened RocksDB database answers its first
look-ups from cold caches, which costs more than the validation itself on a big store. :func:`kept_view` lends
a view that outlives the write: after the check, the caller either commits the same write on the store
(:meth:`Lease.committed`: the store is now what the view is) or rejects it (:meth:`Lease.rolled_back` puts the
view back with the write's exact inverse). The view is lent again only while the store is at the generation it
was settled at (:attr:`hpkg.store.oxigraph.OxigraphStore.generation`: any other write through the store, or raw
access to its engine, drops it); a write whose result cannot be replayed exactly (fresh blank nodes, an effect
too large to list, ``NOW()``/``RAND()``…) drops it too. The kept view's folder is removed when the store
object goes away or the process exits.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.store.base import Store
from hpkg.store.oxigraph import OxigraphStore, view_prefix


class NoSnapshot(HpkgError):
    """The store cannot give a private view (a remote SPARQL store)."""


def can_snapshot(store: Store) -> bool:
    """Whether :func:`after_state` can make a view of ``store``."""
    return isinstance(store, OxigraphStore) and not store.read_only


@contextmanager
def after_state(store: Store) -> Iterator[OxigraphStore]:
    """A writable private view of ``store`` (a checkpoint on disk, a copy in memory), removed on exit."""
    if not can_snapshot(store):
        raise NoSnapshot(f"cannot make a private view of {store.description}")
    assert isinstance(store, OxigraphStore)
    if store.path is None:
        view = OxigraphStore(None)
        view.engine.extend(store.reader.quads_for_pattern(None, None, None, None))
        try:
            yield view
        finally:
            view.__dict__.pop("_store", None)
        return
    parent = store.path.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=view_prefix(store.path), dir=parent))
    try:
        target = tmp / "store"
        try:
            store.reader.backup(str(target))
        except OSError as e:
            raise HpkgError(f"cannot make a private view of the store at {store.path}: {e}") from None
        view = OxigraphStore(target)
        view.description = f"oxigraph-view:{target}"
        try:
            yield view
        finally:
            view.__dict__.pop("_store", None)  # closes the checkpoint (no flush: it is thrown away)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class _Kept:
    view: OxigraphStore
    folder: Path | None
    generation: int
    busy: bool = False


_KEPT: weakref.WeakKeyDictionary[OxigraphStore, _Kept] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _discard(kept: _Kept) -> None:
    kept.view.__dict__.pop("_store", None)
    if kept.folder is not None:
        shutil.rmtree(kept.folder, ignore_errors=True)


@atexit.register
def _discard_all() -> None:
    with _LOCK:
        for kept in list(_KEPT.values()):
            _discard(kept)
        _KEPT.clear()


def _new_view(store: OxigraphStore) -> _Kept:
    if store.path is None:
        view = OxigraphStore(None)
        view.reader.extend(store.reader.quads_for_pattern(None, None, None, None))
        return _Kept(view, None, store.generation)
    folder = Path(tempfile.mkdtemp(prefix=f".{store.path.name}.view-", dir=store.path.resolve().parent))
    target = folder / "store"
    try:
        store.reader.backup(str(target))
    except OSError as e:
        shutil.rmtree(folder, ignore_errors=True)
        raise HpkgError(f"cannot make a private view of the store at {store.path}: {e}") from None
    view = OxigraphStore(target)
    view.description = f"oxigraph-view:{target}"
    kept = _Kept(view, folder, store.generation)
    weakref.finalize(store, _discard, kept)
    store.on_close(lambda: _forget(store, kept))
    return kept


def _forget(store: OxigraphStore, kept: _Kept) -> None:
    with _LOCK:
        if _KEPT.get(store) is kept:
            del _KEPT[store]
    _discard(kept)


class Lease:
    """A view lent for one guarded write; say how the write ended, or the view is thrown away."""

    def __init__(self, store: OxigraphStore, kept: _Kept) -> None:
        self.store = store
        self.kept = kept
        self.view = kept.view
        self._keep = False

    def committed(self) -> None:
        """The same write was applied to the store: the view (which holds it) equals the store again."""
        self.kept.generation = self.store.generation
        self._keep = True

    def rolled_back(self, inserted: Iterable[ox.Quad], deleted: Iterable[ox.Quad]) -> None:
        """The write was not applied: undo its exact effect on the view (quads, no blank node it made)."""
        try:
            view = self.view.reader
            for q in inserted:
                view.remove(q)
            view.extend(deleted)
        except (OSError, ValueError):
            return  # leave it to be thrown away
        self._keep = self.kept.generation == self.store.generation


@contextmanager
def kept_view(store: Store) -> Iterator[Lease]:
    """Lend the view kept of ``store`` (made now if there is none or it is stale); see the module docstring."""
    if not can_snapshot(store):
        raise NoSnapshot(f"cannot make a private view of {store.description}")
    assert isinstance(store, OxigraphStore)
    with _LOCK:
        kept = _KEPT.get(store)
        if kept is not None and (kept.busy or kept.generation != store.generation):
            if not kept.busy:
                _discard(kept)
            del _KEPT[store]
            kept = None
        if kept is None:
            kept = _new_view(store)
            _KEPT[store] = kept
        kept.busy = True
    lease = Lease(store, kept)
    try:
        yield lease
    finally:
        with _LOCK:
            kept.busy = False
            if not lease._keep or _KEPT.get(store) is not kept:
                if _KEPT.get(store) is kept:
                    del _KEPT[store]
                _discard(kept)
