"""Graph stores: one interface (:class:`Store`), three backends, one way to open them (:func:`open_store`).

* :mod:`hpkg.store.base` — the interface and query results;
* :mod:`hpkg.store.oxigraph` — the embedded Oxigraph store, in memory or on disk (the default);
* :mod:`hpkg.store.sparql` — any SPARQL 1.1 server (``sparql+http://…``);
* :mod:`hpkg.store.bulk` — loading big files, one transaction per file;
* :mod:`hpkg.store.updates` — SPARQL Update text for writes made of quads.
"""

from __future__ import annotations

import os
from pathlib import Path

from hpkg.errors import HpkgError
from hpkg.store.base import QueryResult, Row, Store, bound
from hpkg.store.oxigraph import OxigraphStore
from hpkg.terms import Term

__all__ = ["OxigraphStore", "QueryResult", "Row", "Store", "Term", "bound", "open_store"]


def open_store(
    spec: str | Path | None = None,
    *,
    default: Path | None = None,
    memory: bool = False,
    read_only: bool = False,
    update_url: str | None = None,
    gsp_url: str | None = None,
) -> Store:
    """Open the store named by ``spec``: a folder path (on-disk Oxigraph), a remote SPARQL 1.1 endpoint
    (``sparql+http://host:port/query``, see :mod:`hpkg.store.sparql`), or an in-memory store.

    ``spec`` defaults to ``HPKG_STORE``, else ``default`` (the project's ``.hpkg/store``).
    ``update_url``/``gsp_url`` override the remote store's update and Graph Store Protocol URLs (else
    ``HPKG_UPDATE_URL``/``HPKG_GSP_URL``, else derived).
    """
    if memory:
        return OxigraphStore(None)
    if spec is None:
        spec = os.environ.get("HPKG_STORE") or default
    if spec is None:
        raise HpkgError("no store given (--store, HPKG_STORE) and no project folder to put one in")
    text = str(spec)
    if text.startswith(("sparql+http://", "sparql+https://")):
        from hpkg.store.sparql import SparqlStore

        return SparqlStore(text, read_only=read_only, update_url=update_url, gsp_url=gsp_url)
    if "://" in text:
        raise HpkgError(
            f"unsupported store {text!r}; use a folder path, sparql+http(s)://host:port/query or --memory"
        )
    return OxigraphStore(Path(text), read_only=read_only)
