"""Reading and writing RDF: parse files or bytes to quads (errors at file:line:column), stream-check big files,
and serialise quads or triples in any format (Turtle and TriG with the project's prefixes).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

import pyoxigraph as ox

from hpkg.errors import HpkgError, RdfSyntaxError
from hpkg.formats import guess_rdf_format, rdf_format
from hpkg.namespaces import PREFIXES

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

T = TypeVar("T")


class Progress(Protocol):
    """What a progress bar offers (tqdm's ``update`` and ``disable``)."""

    @property
    def disable(self) -> bool | None: ...

    def update(self, n: float = 1) -> object: ...


class _ProgressReader(io.RawIOBase):
    """A binary reader that reports how many bytes of the underlying file were read to a progress bar."""

    def __init__(self, raw: io.BufferedIOBase, progress: Progress, weight: float = 1.0) -> None:
        self._raw = raw
        self._progress = progress
        self._weight = weight

    def _count(self, n: int) -> None:
        if n:
            self._progress.update(n * self._weight)

    def readable(self) -> bool:
        return True

    def readinto(self, b: WriteableBuffer, /) -> int:
        n = self._raw.readinto(b)
        self._count(n)
        return n

    def read(self, size: int = -1, /) -> bytes:
        data = self._raw.read(size)
        self._count(len(data))
        return data


def open_rdf_file(path: str | Path, progress: Progress | None = None, weight: float = 1.0) -> io.BufferedReader:
    """A binary reader of an RDF file (gunzipped when it ends in ``.gz``), counting raw bytes on ``progress``."""
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller
    counted = raw  # no bar to feed: no extra layer
    if progress is not None and not getattr(progress, "disable", False):
        counted = io.BufferedReader(_ProgressReader(raw, progress, weight), buffer_size=1 << 20)
    if str(path).endswith(".gz"):
        return io.BufferedReader(gzip.GzipFile(fileobj=counted, mode="rb"), buffer_size=1 << 20)
    return counted


def check_rdf_file(
    path: str | Path,
    *,
    fmt: ox.RdfFormat,
    base_iri: str | None = None,
    progress: Progress | None = None,
    weight: float = 1.0,
) -> int:
    """Parse a file without keeping it (constant memory); the number of quads, or :class:`RdfSyntaxError`."""
    n = 0
    with open_rdf_file(path, progress, weight) as f:
        try:
            for _ in ox.parse(f, format=fmt, base_iri=base_iri):
                n += 1
        except SyntaxError as e:
            raise RdfSyntaxError(str(path), e.lineno, e.offset, parser_message(e)) from None
    return n


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
        data: bytes | io.BufferedReader = (
            io.BufferedReader(gzip.open(path, "rb"), buffer_size=1 << 20) if path.suffix == ".gz" else path.read_bytes()
        )
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
        raise RdfSyntaxError(label, e.lineno, e.offset, parser_message(e)) from None
    finally:
        if isinstance(data, io.BufferedReader):
            data.close()


def load_into(
    store: ox.Store,
    path: str | Path,
    *,
    fmt: ox.RdfFormat | None = None,
    graph: str | None = None,
    base_iri: str | None = None,
) -> int:
    """Load a file straight into a pyoxigraph store, in one transaction (Oxigraph parses and stores it, no Python
    object per quad); the number of quads it added. A syntax error raises :class:`RdfSyntaxError` with
    file:line:column and leaves the store as it was.

    Triples go into ``graph`` (default graph when ``None``); quads keep their own graph. Gzipped files go
    through :func:`parse_rdf`.
    """
    path = Path(path)
    if not path.is_file():
        raise HpkgError(f"{path}: no such file")
    fmt = fmt or guess_rdf_format(path)
    before = len(store)
    if path.suffix == ".gz":
        store.extend(parse_rdf(path, fmt=fmt, base_iri=base_iri, graph=graph))
        return len(store) - before
    try:
        store.load(path=str(path), format=fmt, base_iri=base_iri, to_graph=_named(graph))
    except SyntaxError as e:
        raise RdfSyntaxError(str(path), e.lineno, e.offset, parser_message(e)) from None
    return len(store) - before


def parser_message(e: SyntaxError) -> str:
    return e.msg if e.msg else str(e)


def distinct_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for q in quads:
        t = q.triple
        if t not in seen:
            seen.add(t)
            yield t


def _only(kind: type[T], items: Iterable[object]) -> Iterator[T]:
    for x in items:
        if not isinstance(x, kind):
            raise TypeError(f"serialize() takes quads or triples, not a mix of both (got {x!r})")
        yield x


def _written(data: bytes | None) -> bytes:
    # pyoxigraph returns the serialisation as bytes whenever no output file is given
    assert data is not None
    return data


def serialize(data: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: str | ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """The one RDF serialiser: quads or triples (streamed, not held as a list) in ``fmt``; Turtle and TriG
    declare ``prefixes`` (default: the project's, :data:`hpkg.namespaces.PREFIXES`), other formats none.

    Quads written in a triple format lose their graph names (each triple once); triples written in a
    dataset format are in the default graph.
    """
    rf = rdf_format(fmt) if isinstance(fmt, str) else fmt
    items: Iterator[object] = iter(data)
    first = next(items, None)
    rest = items if first is None else chain((first,), items)
    body: Iterable[ox.Quad] | Iterable[ox.Triple]
    if isinstance(first, ox.Quad):
        quads = _only(ox.Quad, rest)
        body = quads if rf.supports_datasets else distinct_triples(quads)
    else:
        body = _only(ox.Triple, rest)
    if rf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return _written(ox.serialize(body, format=rf, prefixes=dict(PREFIXES if prefixes is None else prefixes)))
    return _written(ox.serialize(body, format=rf))


def serialize_results(results: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    """SELECT solutions or an ASK answer in a SPARQL results format (JSON, XML, CSV, TSV)."""
    return _written(results.serialize(format=fmt))


def _prefixes_for(rf: ox.RdfFormat, prefixes: Mapping[str, str] | None) -> dict[str, str] | None:
    if rf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return dict(PREFIXES if prefixes is None else prefixes)
    return None


def union_store(store: ox.Store) -> ox.Store:
    """An in-memory store whose default graph is the union of all of ``store``'s graphs (each triple once).

    Made inside Oxigraph (a CONSTRUCT over the union default graph, read back as N-Triples), never term by term in
    Python: the fast way to write a triple format of a whole dataset.
    """
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    union = ox.Store()
    # Store.load would rename the blank nodes at random, and the dump's order (by term ids) with them: parsed with
    # their labels kept, the same store always gives the same bytes.
    union.extend(ox.parse(_written(triples.serialize(format=ox.RdfFormat.N_TRIPLES)), format=ox.RdfFormat.N_TRIPLES))
    return union


def copy_store(store: ox.Store) -> ox.Store:
    """An in-memory copy of ``store`` (every graph, blank node labels kept), from an N-Quads dump read back."""
    copy = ox.Store()
    copy.extend(ox.parse(_written(store.dump(format=ox.RdfFormat.N_QUADS)), format=ox.RdfFormat.N_QUADS))  # labels kept
    return copy


class StoreDumper:
    """Serialise a pyoxigraph store in any format, inside Oxigraph (no Python object per term).

    The same content as :func:`serialize` of the store's quads: dataset formats (N-Quads, TriG, JSON-LD) keep
    the graph names, triple formats (Turtle, N-Triples, RDF/XML) get the union of all graphs, each triple once;
    Turtle and TriG declare ``prefixes`` (default: the project's). The union is made once per dumper, so writing
    several triple formats of one store reads it once.
    """

    def __init__(self, store: ox.Store, prefixes: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.prefixes = prefixes
        self._union: ox.Store | None = None

    def dump(self, fmt: str | ox.RdfFormat, graph: str | None = None) -> bytes:
        """The store (or one named graph) in ``fmt``."""
        rf = rdf_format(fmt) if isinstance(fmt, str) else fmt
        prefixes = _prefixes_for(rf, self.prefixes)
        if graph is not None:
            if rf.supports_datasets:  # Store.dump writes the whole dataset for these: keep the one graph's quads
                return serialize(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), rf, self.prefixes)
            return _written(self.store.dump(format=rf, from_graph=ox.NamedNode(graph), prefixes=prefixes))
        if rf.supports_datasets:
            return _written(self.store.dump(format=rf, prefixes=prefixes))
        if self._union is None:
            self._union = union_store(self.store)
        return _written(self._union.dump(format=rf, from_graph=ox.DefaultGraph(), prefixes=prefixes))


def insert_data_from(store: ox.Store, verb: Literal["INSERT", "DELETE"] = "INSERT") -> str:
    """An ``INSERT DATA`` (or, with ``verb="DELETE"``, ``DELETE DATA``) operation for every quad of ``store``,
    written by Oxigraph (N-Triples per graph).

    N-Triples is a subset of the SPARQL triple syntax (IRIs, blank node labels, literals with the same escapes),
    so each graph's dump is the body of its ``GRAPH`` block; ``""`` when the store is empty.
    """
    parts = []
    for g in sorted(store.named_graphs(), key=str):
        if not isinstance(g, ox.NamedNode):
            raise ValueError(f"a blank node graph name ({g}) cannot be written in INSERT DATA")
        body = _written(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)).decode()
        if body:
            parts.append(f"GRAPH {g} {{\n{body}}}")
    default = _written(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())).decode()
    if default:
        parts.append(default)
    return f"{verb} DATA {{\n" + "\n".join(parts) + "\n}" if parts else ""
