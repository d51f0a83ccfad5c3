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
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
        view.engine.extend(store.engine.quads_for_pattern(None, None, None, None))
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
            store.engine.backup(str(target))
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
