"""The store interface every backend offers, and the answer to a query.

Every write is atomic: a load or update either lands whole or leaves the store as it was.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal, TypeAlias

import pyoxigraph as ox
from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.formats import RESULT_FORMATS, guess_rdf_format, rdf_format
from hpkg.rdfio import Progress, parse_rdf, serialize, serialize_results
from hpkg.terms import Term, quads_to_graph

#: Files smaller than this (bytes on disk) that cannot be bulk-loaded into a fresh graph are loaded in one
#: ``Store.load`` transaction; larger ones are syntax-checked in a streaming pass, then bulk-loaded (:mod:`hpkg.store.bulk`).
#: ``HPKG_LOAD_TRANSACTION_LIMIT`` overrides it.
TRANSACTION_LIMIT = int(os.environ.get("HPKG_LOAD_TRANSACTION_LIMIT", 8 * 1024 * 1024))


#: One SELECT solution: variable name -> its term, ``None`` when unbound.
Row: TypeAlias = dict[str, Term | None]


def bound(row: Row, var: str) -> Term:
    """``row[var]`` for a variable the query always binds; :class:`HpkgError` if it is unbound after all."""
    term = row[var]
    if term is None:
        raise HpkgError(f"the query left ?{var} unbound")
    return term


class QueryResult:
    """The answer to a SPARQL query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    Solutions and triples are streamed from the engine; read them once. A remote store's CONSTRUCT
    answer arrives whole, as a list of triples.
    """

    kind: Literal["select", "ask", "graph"]

    def __init__(self, raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]) -> None:
        self.raw = raw
        self.variables: list[str] = []
        if isinstance(raw, ox.QuerySolutions):
            self.kind = "select"
            self.variables = [v.value for v in raw.variables]
        elif isinstance(raw, ox.QueryBoolean):
            self.kind = "ask"
        else:
            self.kind = "graph"

    @property
    def boolean(self) -> bool:
        """The answer of an ASK query."""
        if not isinstance(self.raw, ox.QueryBoolean):
            raise HpkgError("not an ASK query result")
        return bool(self.raw)

    def solutions(self) -> Iterator[ox.QuerySolution]:
        """The solutions of a SELECT query, streamed."""
        if not isinstance(self.raw, ox.QuerySolutions):
            raise HpkgError("not a SELECT query result")
        yield from self.raw

    def rows(self) -> list[Row]:
        """The solutions of a SELECT query, one dict per row (unbound variables are ``None``)."""
        variables = self.variables
        return [dict(zip(variables, sol, strict=True)) for sol in self.solutions()]

    def stream_triples(self) -> Iterator[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query, streamed."""
        if isinstance(self.raw, (ox.QuerySolutions, ox.QueryBoolean)):
            raise HpkgError("not a CONSTRUCT/DESCRIBE query result")
        yield from self.raw

    def triples(self) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        return list(self.stream_triples())

    def serialize_results(self, fmt: ox.QueryResultsFormat) -> bytes:
        """A SELECT or ASK result in a SPARQL results format."""
        if not isinstance(self.raw, (ox.QuerySolutions, ox.QueryBoolean)):
            raise HpkgError("not a SELECT/ASK query result")
        return serialize_results(self.raw, fmt)

    def serialize(self, fmt: str) -> bytes:
        """SELECT/ASK as ``json``, ``xml``, ``csv``, ``tsv``; CONSTRUCT/DESCRIBE as any RDF format name."""
        if self.kind == "graph":
            return serialize(self.stream_triples(), rdf_format(fmt))
        try:
            rfmt = RESULT_FORMATS[fmt]
        except KeyError:
            raise HpkgError(f"unknown results format {fmt!r}; known: {', '.join(RESULT_FORMATS)}") from None
        return self.serialize_results(rfmt)


class Store(ABC):
    """A graph store: a default graph plus named graphs, queried and updated with SPARQL 1.1."""

    #: A short human description, e.g. ``oxigraph:.hpkg/store``.
    description: str = ""

    @property
    def runs_shapes(self) -> bool:
        """Whether the compiled SHACL queries give right answers here (else they run on an in-memory copy)."""
        return True

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
        progress: Progress | None = None,
    ) -> int:
        """Load one (possibly large, possibly gzipped) file in one transaction; the number of quads read.

        The default parses the whole file, then adds it atomically; backends override it with a faster way.
        """
        fmt = fmt or guess_rdf_format(path)
        n = self.load(path, fmt=fmt, graph=graph, base_iri=base_iri, replace=replace)
        if progress is not None:
            progress.update(Path(path).stat().st_size)
        return n

    def add_store(self, source: ox.Store, *, replace_graphs: Sequence[str] = ()) -> None:
        """Atomically drop ``replace_graphs`` and add every quad of ``source`` (an in-memory store, e.g. a staged
        build): all of it lands, or none. Backends override it with a faster way."""
        self.add_quads(list(source.quads_for_pattern(None, None, None, None)), replace_graphs=replace_graphs)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialise the store (or one graph). Triple formats get the union of all graphs."""
        return serialize(self.quads(graph), rdf_format(fmt))

    def to_rdflib_graph(self, graph: str | None = None) -> Graph:
        """The union of all graphs (or one graph) as an rdflib Graph, for pyshacl and owlready2."""
        return quads_to_graph(self.quads(graph))

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (flush, unlock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
