"""The embedded Oxigraph store: in memory, or on disk (a RocksDB folder, by default ``.hpkg/store``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from hpkg.errors import HpkgError, QuerySyntaxError, RdfSyntaxError
from hpkg.formats import guess_rdf_format
from hpkg.rdfio import Progress, StoreDumper, check_rdf_file, insert_data_from, open_rdf_file, parser_message
from hpkg.store.base import TRANSACTION_LIMIT, QueryResult, Store
from hpkg.store.updates import insert_data


def view_prefix(path: Path) -> str:
    """The name prefix of the private views (:mod:`hpkg.store.snapshot`) made beside the store at ``path``."""
    return f".{path.name}.view-"


def remove_stale_views(path: Path) -> None:
    """Delete the private views a killed process left beside the store at ``path``.

    Call it only with the store open for writing: RocksDB's lock then proves no other process has it open, and
    only a process with the store open for writing makes views, so every view found is a dead process's.
    """
    prefix = view_prefix(path)
    for p in path.resolve().parent.glob(prefix + "*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


class OxigraphStore(Store):
    """An embedded Oxigraph store: in memory (``path=None``) or on disk (RocksDB folder)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        #: Bumped by every write through this object (and by any raw access to :attr:`engine`, which may write):
        #: a private view kept for the next guarded write (:mod:`hpkg.store.snapshot`) is valid only while the
        #: store is at the generation the view was made or settled at.
        self.generation = 0
        if self.path is None:
            self._store = ox.Store()
            self.description = "oxigraph:memory"
            return
        self.description = f"oxigraph:{self.path}"
        try:
            if read_only:
                if not self.path.exists():
                    raise HpkgError(f"no store at {self.path}; run 'hpkg build' first")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                remove_stale_views(self.path)
        except OSError as e:
            raise HpkgError(
                f"cannot open the store at {self.path}: {e}. Is another hpkg process (e.g. 'hpkg serve') using it?"
            ) from None

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph store (for benchmarks and bulk tools); raw access may write, so it counts as
        a write for the views kept of this store (use :attr:`reader` to only read)."""
        self.generation += 1
        return self._store

    @property
    def reader(self) -> ox.Store:
        """The underlying pyoxigraph store, for reading only."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        if default_graphs:
            dataset = [ox.NamedNode(g) for g in default_graphs]
        named: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(g) for g in named_graphs] if named_graphs else None
        try:
            return QueryResult(self._store.query(
                sparql, base_iri=base_iri, default_graph=dataset, named_graphs=named,
                use_default_graph_as_union=dataset is None and union_default_graph,
            ))
        except SyntaxError as e:
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        except ValueError as e:
            raise HpkgError(f"query failed: {e}") from None

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self.generation += 1
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as e:
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        except (ValueError, OSError, RuntimeError) as e:  # RuntimeError: e.g. DROP GRAPH of a graph that is not there
            raise HpkgError(f"update failed (nothing was changed): {e}") from None

    def add_quads(self, quads: Iterable[ox.Quad], *, replace_graphs: Sequence[str] = ()) -> None:
        self.generation += 1
        quads = list(quads)
        if not replace_graphs:
            # Store.extend is atomic: all quads land or none do.
            self._store.extend(quads)
            return
        # Dropping graphs and inserting must be one transaction: one SPARQL update does both.
        drops = " ".join(f"DROP SILENT GRAPH <{g}> ;" for g in replace_graphs)
        body = insert_data(quads)
        self.update(f"{drops} {body}" if body else drops.rstrip(" ;"))

    def add_store(self, source: ox.Store, *, replace_graphs: Sequence[str] = ()) -> None:
        # One SPARQL update (one transaction) as add_quads, but its text is written by Oxigraph (N-Triples per
        # graph) instead of term by term in Python.
        if any(not isinstance(g, ox.NamedNode) for g in source.named_graphs()):
            super().add_store(source, replace_graphs=replace_graphs)
            return
        self.generation += 1
        if not any(next(iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))), None) is not None
                   for g in replace_graphs):
            # Nothing to drop (a first build): one Store.load transaction of the N-Quads, twice as fast on disk as
            # the update (its blank nodes are fresh, as INSERT DATA's are).
            self._store.load(StoreDumper(source).dump("nq"), format=ox.RdfFormat.N_QUADS)
            return
        # A rebuild: each replaced graph without blank nodes is changed by its difference only (a rebuild of
        # unchanged FIA reports deletes and inserts nothing, where dropping and re-inserting 277k quads cost as much
        # as the first load); a graph with blank nodes cannot be compared quad by quad (its labels are fresh on
        # every parse), so it is dropped and inserted whole. All in one update: one transaction.
        removed, added, whole = ox.Store(), ox.Store(), ox.Store()
        drops: list[str] = []
        source_graphs = {g.value for g in source.named_graphs() if isinstance(g, ox.NamedNode)}
        for g in dict.fromkeys([*replace_graphs, *sorted(source_graphs)]):
            try:
                name = ox.NamedNode(g)
            except ValueError as e:
                raise HpkgError(f"not a graph name (nothing was changed): {g!r}: {e}") from None
            if g not in source_graphs:  # a graph the build no longer writes: dropped whole
                drops.append(f"DROP SILENT GRAPH <{g}> ;")
                continue
            new = list(source.quads_for_pattern(None, None, None, name))
            old = list(self._store.quads_for_pattern(None, None, None, name)) if g in replace_graphs else []
            if _has_blank_node(new) or _has_blank_node(old):
                drops.append(f"DROP SILENT GRAPH <{g}> ;")
                whole.extend(new)
                continue
            old_set, new_set = set(old), set(new)
            removed.extend(q for q in old if q not in new_set)
            added.extend(q for q in new if q not in old_set)
        parts = [*drops]
        if len(removed):
            parts.append(insert_data_from(removed, "DELETE") + " ;")
        for extra in (added, whole):
            if len(extra):
                parts.append(insert_data_from(extra) + " ;")
        if parts:
            self.update(" ".join(parts).rstrip(" ;"))

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialise the store (or one graph) inside Oxigraph (:class:`hpkg.rdfio.StoreDumper`)."""
        return StoreDumper(self._store).dump(fmt, graph)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph is None:
            return iter(self._store.quads_for_pattern(None, None, None, None))
        return iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return self.scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def load_file(
        self,
        path: str | Path,
        *,
        fmt: ox.RdfFormat | None = None,
        graph: str | None = None,
        base_iri: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """One file, one transaction: small files with ``Store.load``, big ones checked then bulk-loaded.

        See :mod:`hpkg.store.bulk` for why and what is guaranteed.
        """
        self.generation += 1
        path = Path(path)
        fmt = fmt or guess_rdf_format(path)
        size = path.stat().st_size
        fresh = (self.path is not None and not replace and not fmt.supports_datasets and graph is not None
                 and next(iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))), None) is None)
        if not fresh and (self.path is None or size < TRANSACTION_LIMIT or replace):
            # One transaction (the file is held in memory): a syntax error leaves the store as it was.
            n = self.load(path, fmt=fmt, graph=graph, base_iri=base_iri, replace=replace)
            if progress is not None:
                progress.update(size)
            return n
        if fresh:
            # A fresh graph: bulk-load straight into it; if anything fails, dropping the graph restores the store.
            assert graph is not None
            target = ox.NamedNode(graph)
            try:
                with open_rdf_file(path, progress) as f:
                    self._store.bulk_load(f, format=fmt, base_iri=base_iri, to_graph=target)
            except SyntaxError as e:
                self._store.remove_graph(target)
                raise RdfSyntaxError(str(path), e.lineno, e.offset, parser_message(e)) from None
            except (OSError, ValueError) as e:
                self._store.remove_graph(target)
                raise HpkgError(f"{path}: loading failed, nothing was kept: {e}") from None
            return self.count(graph)
        # Quads, or triples added to a graph that already has some: check the whole file first (streaming,
        # nothing written), then bulk-load the file now known to parse.
        n = check_rdf_file(path, fmt=fmt, base_iri=base_iri, progress=progress, weight=0.5)
        try:
            with open_rdf_file(path, progress, 0.5) as f:
                # lenient: IRIs were already validated by the check pass.
                to_graph = ox.NamedNode(graph) if graph is not None and not fmt.supports_datasets else None
                self._store.bulk_load(f, format=fmt, base_iri=base_iri, to_graph=to_graph, lenient=True)
        except (OSError, SyntaxError, ValueError) as e:
            raise HpkgError(f"{path}: loading failed part-way (disk or I/O error): {e}") from None
        return n

    def optimize(self) -> None:
        """Compact the on-disk store (after a bulk load)."""
        self._store.optimize()

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when the store is closed (a kept private view removes its folder)."""
        self.__dict__.setdefault("_close_hooks", []).append(callback)

    def close(self) -> None:
        for callback in self.__dict__.pop("_close_hooks", []):
            callback()
        if self.path is not None and not self.read_only and hasattr(self, "_store"):
            self._store.flush()
        self.__dict__.pop("_store", None)


def _has_blank_node(quads: Sequence[ox.Quad]) -> bool:
    return any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)
