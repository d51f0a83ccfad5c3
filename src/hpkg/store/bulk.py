"""Bulk-load large RDF files (N-Triples, N-Quads, Turtle, TriG, … optionally gzipped) into a store.

One file is one transaction: it lands whole or not at all.

pyoxigraph's ``Store.bulk_load`` is the fastest way in (it writes sorted RocksDB files directly), but it is
not transactional: a syntax error at line 900,000 could leave the lines before it in the store. ``Store.load``
is transactional but holds the whole file in memory. So an on-disk Oxigraph store loads a big file like this
(see :meth:`hpkg.store.oxigraph.OxigraphStore.load_file`):

* **triples into a fresh graph** (the default: one graph per file) — ``bulk_load`` straight into that graph;
  if anything fails (a syntax error, a full disk) the graph, which was empty before, is dropped, so the store
  is as it was, and the error names ``file:line:column``. No extra pass: as fast as the raw bulk load.
* **quads, or triples added to a graph that already has data** — first a streaming **check** pass (parse the
  whole file in constant memory, write nothing; a syntax error stops here with ``file:line:column``), then
  ``bulk_load`` the file now known to parse (with ``lenient``, as IRIs are already checked). The check costs
  about a quarter of the load time.

Readers that open the store while a bulk load runs may see part of it (bulk loads are not isolated).
Other small files (under :data:`hpkg.store.base.TRANSACTION_LIMIT` bytes) and ``--replace`` use one ``Store.load``
transaction. After loading, the store is compacted (``optimize``), which makes the following queries faster.
A remote store receives each file as one Graph Store Protocol request (one server transaction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hpkg.errors import HpkgError
from hpkg.formats import guess_rdf_format
from hpkg.iri import base_iri, graph_iri
from hpkg.progress import bar
from hpkg.store.base import Store


@dataclass
class LoadReport:
    """What a load did: quads read per file, and how long it took."""

    files: list[tuple[Path, str | None, int]] = field(default_factory=list)
    seconds: float = 0.0
    optimized: bool = False

    @property
    def quads(self) -> int:
        """All quads read."""
        return sum(n for _, _, n in self.files)


def default_graph_for(path: str | Path, base: str | None = None) -> str:
    """The graph a triples file goes to when none is given: ``{base}graph/load/<file name without extensions>``."""
    name = Path(path).name
    stem = name.split(".")[0] or "data"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower() or "data"
    return graph_iri(f"load/{slug}", base)


def load_files(
    store: Store,
    paths: list[str | Path],
    *,
    graph: str | None = None,
    replace: bool = False,
    optimize: bool = True,
    base: str | None = None,
) -> LoadReport:
    """Load each file in its own transaction (see the module docstring); stop at the first bad file.

    Triples go into ``graph`` (default: one graph per file, :func:`default_graph_for`); with ``replace`` that
    graph is emptied first, in the same transaction. Files already loaded stay loaded when a later one fails.
    """
    import time

    t0 = time.perf_counter()
    base = base or base_iri()
    files = [Path(p) for p in paths]
    for p in files:
        if not p.is_file():
            raise HpkgError(f"{p}: no such file")
        guess_rdf_format(p)
    report = LoadReport()
    total = sum(p.stat().st_size for p in files)
    with bar(desc="loading", total=total, unit="B", unit_scale=True) as progress:
        for p in files:
            fmt = guess_rdf_format(p)
            target = None if fmt.supports_datasets else (graph or default_graph_for(p, base))
            n = store.load_file(p, fmt=fmt, graph=target, base_iri=base, replace=replace, progress=progress)
            report.files.append((p, target, n))
    if optimize and hasattr(store, "optimize"):
        store.optimize()
        report.optimized = True
    report.seconds = time.perf_counter() - t0
    return report
