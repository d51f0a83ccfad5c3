"""Open a graph: the single entry point every command goes through.

Backends: an in-memory Oxigraph store, and an on-disk Oxigraph store (the default, at
``.hpkg/store``). Every backend offers the same small interface (:class:`Store`) so that a remote
SPARQL 1.1 endpoint is one more subclass, not a rewrite.

Every write is atomic: a load or update either lands whole or leaves the store as it was.
"""

from __future__ import annotations

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from hpkg.config import DEFAULT_STORE, PREFIXES
from hpkg.errors import HpkgError, QuerySyntaxError, RdfSyntaxError
from hpkg.formats import RESULT_FORMATS, guess_rdf_format, rdf_format
from hpkg.terms import quads_to_dataset, quads_to_graph

#: Files smaller than this (bytes on disk) that cannot be bulk-loaded into a fresh graph are loaded in one
#: ``Store.load`` transaction; larger ones are syntax-checked in a streaming pass, then bulk-loaded (:mod:`hpkg.load`).
#: ``HPKG_LOAD_TRANSACTION_LIMIT`` overrides it.
TRANSACTION_LIMIT = int(os.environ.get("HPKG_LOAD_TRANSACTION_LIMIT", 8 * 1024 * 1024))


class _ProgressReader(io.RawIOBase):
    """A binary reader that reports how many bytes of the underlying file were read to a progress bar."""

    def __init__(self, raw: io.BufferedIOBase, progress: object | None, weight: float = 1.0) -> None:
        self._raw = raw
        self._progress = progress
        self._weight = weight

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        n = self._raw.readinto(b)
        if self._progress is not None and n:
            self._progress.update(n * self._weight)  # type: ignore[attr-defined]
        return n


def open_rdf_file(path: str | Path, progress: object | None = None, weight: float = 1.0) -> io.BufferedReader:
    """A binary reader of an RDF file (gunzipped when it ends in ``.gz``), counting raw bytes on ``progress``."""
    import gzip

    raw: io.BufferedIOBase = open(path, "rb")  # noqa: SIM115 - returned to the caller
    if progress is None or getattr(progress, "disable", False):
        counted: io.BufferedIOBase = raw  # no bar to feed: no extra layer
    else:
        counted = io.BufferedReader(_ProgressReader(raw, progress, weight), buffer_size=1 << 20)
    if str(path).endswith(".gz"):
        return io.BufferedReader(gzip.GzipFile(fileobj=counted, mode="rb"), buffer_size=1 << 20)  # type: ignore[arg-type]
    return counted


def check_rdf_file(
    path: str | Path,
    *,
    fmt: ox.RdfFormat,
    base_iri: str | None = None,
    progress: object | None = None,
    weight: float = 1.0,
) -> int:
    """Parse a file without keeping it (constant memory); the number of quads, or :class:`RdfSyntaxError`."""
    n = 0
    with open_rdf_file(path, progress, weight) as f:
        try:
            for _ in ox.parse(f, format=fmt, base_iri=base_iri):
                n += 1
        except SyntaxError as e:
            raise RdfSyntaxError(str(path), e.lineno, e.offset, _parser_message(e)) from None
    return n


class QueryResult:
    """The answer to a SPARQL query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    Solutions and triples are streamed from the engine; read them once.
    """

    def __init__(self, raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> None:
        self.raw = raw
        if isinstance(raw, ox.QuerySolutions):
            self.kind = "select"
            self.variables = [v.value for v in raw.variables]
        elif isinstance(raw, ox.QueryBoolean):
            self.kind = "ask"
            self.variables = []
        else:
            self.kind = "graph"
            self.variables = []

    @property
    def boolean(self) -> bool:
        """The answer of an ASK query."""
        if self.kind != "ask":
            raise HpkgError("not an ASK query result")
        return bool(self.raw)

    def rows(self) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]]:
        """The solutions of a SELECT query, one dict per row (unbound variables are ``None``)."""
        if self.kind != "select":
            raise HpkgError("not a SELECT query result")
        variables = self.variables
        return [dict(zip(variables, sol, strict=True)) for sol in self.raw]

    def triples(self) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        if self.kind != "graph":
            raise HpkgError("not a CONSTRUCT/DESCRIBE query result")
        return list(self.raw)

    def serialize(self, fmt: str) -> bytes:
        """SELECT/ASK as ``json``, ``xml``, ``csv``, ``tsv``; CONSTRUCT/DESCRIBE as any RDF format name."""
        if self.kind == "graph":
            rf = rdf_format(fmt)
            prefixes = PREFIXES if rf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
            return ox.serialize(self.raw, format=rf, prefixes=prefixes) if prefixes else ox.serialize(self.raw, format=rf)
        try:
            rfmt = RESULT_FORMATS[fmt]
        except KeyError:
            raise HpkgError(f"unknown results format {fmt!r}; known: {', '.join(RESULT_FORMATS)}") from None
        return self.raw.serialize(format=rfmt)


def _named(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def parse_rdf(
    source: str | Path | bytes,
    *,
    fmt: ox.RdfFormat | str | None = None,
    base_iri: str | None = None,
    graph: str | None = None,
    name: str | None = None,
) -> list[ox.Quad]:
    """Parse RDF (a file path or bytes) to quads, or raise :class:`RdfSyntaxError` with file:line:column.

    Triples go into ``graph`` (default graph when ``None``); quads keep their own graph.
    Gzip-compressed files (``.gz``) are read transparently.
    """
    if isinstance(fmt, str):
        fmt = rdf_format(fmt)
    label = name or (str(source) if isinstance(source, (str, Path)) else "<input>")
    if isinstance(source, (str, Path)):
        path = Path(source)
        if fmt is None:
            fmt = guess_rdf_format(path)
        if not path.is_file():
            raise HpkgError(f"{path}: no such file")
        if path.suffix == ".gz":
            import gzip

            data: bytes | io.BufferedIOBase = gzip.open(path, "rb")
        else:
            data = path.read_bytes()
    else:
        if fmt is None:
            raise HpkgError(f"{label}: the RDF format must be given for data that is not a file")
        data = source
    to_graph = _named(graph)
    try:
        quads = []
        for q in ox.parse(data, format=fmt, base_iri=base_iri):
            if isinstance(q.graph_name, ox.DefaultGraph) and graph is not None:
                q = ox.Quad(q.subject, q.predicate, q.object, to_graph)
            quads.append(q)
        return quads
    except SyntaxError as e:
        raise RdfSyntaxError(label, e.lineno, e.offset, _parser_message(e)) from None
    finally:
        if hasattr(data, "close"):
            data.close()


def _parser_message(e: SyntaxError) -> str:
    return e.msg if e.msg else str(e)


class Store(ABC):
    """A graph store: a default graph plus named graphs, queried and updated with SPARQL 1.1."""

    #: A short human description, e.g. ``oxigraph:.hpkg/store``.
    description: str = ""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query. By default the default graph is the union of all graphs.

        ``base_iri`` resolves relative IRIs in the query (a SPARQL endpoint's service-defined BASE).
        """

    @abstractmethod
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 update in one transaction (``base_iri`` resolves its relative IRIs)."""

    @abstractmethod
    def add_quads(self, quads: Iterable[ox.Quad], *, replace_graphs: Sequence[str] = ()) -> None:
        """Atomically drop ``replace_graphs`` and add ``quads``: all of it lands, or none."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one named graph."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """How many quads: all, or in one named graph."""

    def scalar(self, sparql: str) -> int:
        """The integer value of the first variable of the first row of a SELECT (e.g. a COUNT)."""
        rows = self.query(sparql).rows()
        if not rows:
            return 0
        value = next(iter(rows[0].values()))
        return int(value.value) if value is not None else 0

    def load(
        self,
        source: str | Path | bytes,
        *,
        fmt: ox.RdfFormat | str | None = None,
        graph: str | None = None,
        base_iri: str | None = None,
        replace: bool = False,
    ) -> int:
        """Parse then add RDF in one transaction; a syntax error leaves the store untouched.

        Returns the number of quads read. With ``replace`` the target graph is emptied first
        (in the same transaction).
        """
        quads = parse_rdf(source, fmt=fmt, base_iri=base_iri, graph=graph)
        self.add_quads(quads, replace_graphs=[graph] if (replace and graph) else [])
        return len(quads)

    def load_file(
        self,
        path: str | Path,
        *,
        fmt: ox.RdfFormat | None = None,
        graph: str | None = None,
        base_iri: str | None = None,
        replace: bool = False,
        progress: object | None = None,
    ) -> int:
        """Load one (possibly large, possibly gzipped) file in one transaction; the number of quads read.

        The default parses the whole file, then adds it atomically; backends override it with a faster way.
        """
        fmt = fmt or guess_rdf_format(path)
        n = self.load(path, fmt=fmt, graph=graph, base_iri=base_iri, replace=replace)
        if progress is not None:
            progress.update(Path(path).stat().st_size)  # type: ignore[attr-defined]
        return n

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialise the store (or one graph). Triple formats get the union of all graphs."""
        rf = rdf_format(fmt)
        quads = self.quads(graph)
        prefixes = PREFIXES if rf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if rf.supports_datasets:
            data: Iterable = quads
        else:
            data = _distinct_triples(quads)
        if prefixes:
            return ox.serialize(data, format=rf, prefixes=prefixes)
        return ox.serialize(data, format=rf)

    def to_rdflib_graph(self, graph: str | None = None) -> Graph:
        """The union of all graphs (or one graph) as an rdflib Graph, for pyshacl and owlready2."""
        return quads_to_graph(self.quads(graph))

    def to_rdflib_dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset (graph names kept)."""
        return quads_to_dataset(self.quads())

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (flush, unlock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _distinct_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for q in quads:
        t = q.triple
        if t not in seen:
            seen.add(t)
            yield t


class OxigraphStore(Store):
    """An embedded Oxigraph store: in memory (``path=None``) or on disk (RocksDB folder)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
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
        except OSError as e:
            raise HpkgError(
                f"cannot open the store at {self.path}: {e}. Is another hpkg process (e.g. 'hpkg serve') using it?"
            ) from None

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph store (for benchmarks and bulk tools)."""
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
        kwargs: dict = {"base_iri": base_iri}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = union_default_graph
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return QueryResult(self._store.query(sparql, **kwargs))
        except SyntaxError as e:
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        except ValueError as e:
            raise HpkgError(f"query failed: {e}") from None

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as e:
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        except (ValueError, OSError) as e:
            raise HpkgError(f"update failed (nothing was changed): {e}") from None

    def add_quads(self, quads: Iterable[ox.Quad], *, replace_graphs: Sequence[str] = ()) -> None:
        quads = list(quads)
        if not replace_graphs:
            # Store.extend is atomic: all quads land or none do.
            self._store.extend(quads)
            return
        # Dropping graphs and inserting must be one transaction: one SPARQL update does both.
        drops = " ".join(f"DROP SILENT GRAPH <{g}> ;" for g in replace_graphs)
        body = _insert_data(quads)
        self.update(f"{drops} {body}" if body else drops.rstrip(" ;"))

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
        progress: object | None = None,
    ) -> int:
        """One file, one transaction: small files with ``Store.load``, big ones checked then bulk-loaded.

        See :mod:`hpkg.load` for why and what is guaranteed.
        """
        path = Path(path)
        fmt = fmt or guess_rdf_format(path)
        size = path.stat().st_size
        fresh = (self.path is not None and not replace and not fmt.supports_datasets and graph is not None
                 and next(iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))), None) is None)
        if not fresh and (self.path is None or size < TRANSACTION_LIMIT or replace):
            # One transaction (the file is held in memory): a syntax error leaves the store as it was.
            n = self.load(path, fmt=fmt, graph=graph, base_iri=base_iri, replace=replace)
            if progress is not None:
                progress.update(size)  # type: ignore[attr-defined]
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
                raise RdfSyntaxError(str(path), e.lineno, e.offset, _parser_message(e)) from None
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
                kwargs: dict = {"format": fmt, "base_iri": base_iri, "lenient": True}
                if graph is not None and not fmt.supports_datasets:
                    kwargs["to_graph"] = ox.NamedNode(graph)
                self._store.bulk_load(f, **kwargs)
        except (OSError, SyntaxError, ValueError) as e:
            raise HpkgError(f"{path}: loading failed part-way (disk or I/O error): {e}") from None
        return n

    def optimize(self) -> None:
        """Compact the on-disk store (after a bulk load)."""
        self._store.optimize()

    def close(self) -> None:
        if self.path is not None and not self.read_only and hasattr(self, "_store"):
            self._store.flush()
        self.__dict__.pop("_store", None)


def _insert_data(quads: Sequence[ox.Quad]) -> str:
    """An ``INSERT DATA`` update for the quads (blank nodes keep their identity within it)."""
    if not quads:
        return ""
    by_graph: dict[str | None, list[str]] = {}
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        by_graph.setdefault(g, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = []
    for g, triples in by_graph.items():
        body = "\n".join(triples)
        parts.append(f"GRAPH <{g}> {{\n{body}\n}}" if g else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def default_store_path() -> Path:
    """``HPKG_STORE`` or ``.hpkg/store``."""
    return Path(os.environ.get("HPKG_STORE", DEFAULT_STORE))


def open_store(
    spec: str | Path | None = None,
    *,
    memory: bool = False,
    read_only: bool = False,
    update_url: str | None = None,
    gsp_url: str | None = None,
) -> Store:
    """Open the store named by ``spec``: a folder path (on-disk Oxigraph), a remote SPARQL 1.1 endpoint
    (``sparql+http://host:port/query``, see :mod:`hpkg.store_sparql`), or an in-memory store.

    ``spec`` defaults to ``HPKG_STORE`` or ``.hpkg/store``. ``update_url``/``gsp_url`` override the remote
    store's update and Graph Store Protocol URLs (else ``HPKG_UPDATE_URL``/``HPKG_GSP_URL``, else derived).
    """
    if memory:
        return OxigraphStore(None)
    spec = spec if spec is not None else default_store_path()
    text = str(spec)
    if text.startswith(("sparql+http://", "sparql+https://")):
        from hpkg.store_sparql import SparqlStore

        return SparqlStore(text, read_only=read_only, update_url=update_url, gsp_url=gsp_url)
    if "://" in text:
        raise HpkgError(
            f"unsupported store {text!r}; use a folder path, sparql+http(s)://host:port/query or --memory"
        )
    return OxigraphStore(Path(text), read_only=read_only)
