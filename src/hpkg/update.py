"""Validated updates: a SPARQL Update lands only if the graph it leaves behind conforms to the shapes.

The update is first run on an in-memory copy of the store; the copy is validated with the SHACL
shapes (:mod:`hpkg.validate`); only a conforming result is applied to the real store, in one
transaction. A failing update leaves the store exactly as it was.

Callers that accept concurrent updates must serialise them (the HTTP server holds a lock), so that
the store does not change between the check and the commit. Updates whose result depends on the
moment they run (``NOW()``, ``RAND()``, ``UUID()``) are re-evaluated on commit; the shapes are
checked on the first evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.store import OxigraphStore, Store
from hpkg.terms import quads_to_graph
from hpkg.validate import ValidationReport, validate_graph


@dataclass
class UpdateOutcome:
    """What a validated update did: ``applied`` and the SHACL report, with the triple counts."""

    applied: bool
    report: ValidationReport
    before: int
    after: int


class UpdateRejected(HpkgError):
    """The update would leave a graph that violates the shapes; nothing was changed."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"the update would violate the shapes; nothing was changed\n{report.text}")
        self.report = report


def staged_copy(store: Store) -> OxigraphStore:
    """An in-memory copy of every quad of ``store`` (blank nodes keep their identity)."""
    copy = OxigraphStore(None)
    copy.engine.extend(store.quads())
    return copy


def check_update(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None = None,
    root: Path | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> UpdateOutcome:
    """Run ``sparql`` on a copy of ``store`` and validate the result; ``store`` is not changed.

    ``shapes`` and ``ontology`` default to those under ``root`` (pass them to avoid re-reading them).
    """
    copy = staged_copy(store)
    before = len(copy.engine)
    copy.update(sparql, base_iri=base_iri)
    report = validate_graph(quads_to_graph(copy.quads()), shapes=shapes, ontology=ontology, root=root)
    return UpdateOutcome(applied=False, report=report, before=before, after=len(copy.engine))


def apply_validated_update(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None = None,
    root: Path | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Apply a SPARQL Update to ``store`` only if the resulting graph conforms to the shapes.

    Returns the (conforming) validation report; raises :class:`UpdateRejected` with the report when
    it does not conform, :class:`hpkg.errors.QuerySyntaxError` when the update is malformed. In
    both cases the store is unchanged.
    """
    outcome = check_update(store, sparql, base_iri=base_iri, root=root, shapes=shapes, ontology=ontology)
    if not outcome.report.conforms:
        raise UpdateRejected(outcome.report)
    store.update(sparql, base_iri=base_iri)
    return outcome.report


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(t)


def insert_data(quads: Iterable[ox.Quad], graph: str | None = None) -> str:
    """An ``INSERT DATA`` operation for ``quads`` (into ``graph``, or each quad's own graph; ``""`` if none)."""
    by_graph: dict[str | None, list[str]] = {}
    for q in quads:
        g = graph if graph is not None else (q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None)
        by_graph.setdefault(g, []).append(f"{_term(q.subject)} {_term(q.predicate)} {_term(q.object)} .")
    if not by_graph:
        return ""
    parts = []
    for g, triples in by_graph.items():
        body = "\n".join(triples)
        parts.append(f"GRAPH <{g}> {{\n{body}\n}}" if g else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def replace_graph(graph: str | None, quads: Sequence[ox.Quad]) -> str:
    """An update that replaces ``graph`` (``None``: the default graph) with ``quads`` in one request."""
    drop = "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>"
    body = insert_data(quads, graph)
    return f"{drop} ;\n{body}" if body else drop


def add_to_graph(graph: str | None, quads: Sequence[ox.Quad]) -> str:
    """An update that adds ``quads`` to ``graph`` (``None``: the default graph); ``""`` when there are none."""
    return insert_data(quads, graph)


def drop_graph(graph: str | None) -> str:
    """An update that removes ``graph`` (``None``: empties the default graph)."""
    return "DROP SILENT DEFAULT" if graph is None else f"DROP GRAPH <{graph}>"
