"""Validated updates: a SPARQL Update lands only if the graph it leaves behind conforms to the shapes.

The update is first run on a private view of the store (:mod:`hpkg.store.snapshot`: a RocksDB checkpoint of an
on-disk store, made in milliseconds; a copy of an in-memory store), operation by operation, computing what each
inserts and deletes (:mod:`hpkg.shacl.delta`). The view is then validated *incrementally*
(:mod:`hpkg.shacl.incremental`): each shape only on the focus nodes the write can affect. Only when that
conforms is the update text run on the real store, once, in one transaction. A failing update leaves the store
exactly as it was. With ``engine="pyshacl"`` the whole view is validated by pyshacl (the reference).

A remote SPARQL store has no private view: there the store is copied into memory (one query), and the update is
checked on that copy the same way.

Callers that accept concurrent updates must serialise them (the HTTP server holds a lock), so that
the store does not change between the check and the commit. Updates whose result depends on the
moment they run (``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``) are re-evaluated on commit;
the shapes are checked on the first evaluation.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.project import Project, open_project
from hpkg.shacl import ValidationReport, load_ontology, load_shapes, validate
from hpkg.shacl.delta import Delta, apply_operations, parse_update, tokenize
from hpkg.shacl.incremental import validate_change
from hpkg.store import OxigraphStore, Store
from hpkg.store.snapshot import Lease, after_state, can_snapshot, kept_view


@dataclass
class UpdateOutcome:
    """What a validated update did: ``applied`` and the SHACL report, with the triple counts.

    ``inserted``/``deleted`` are the quads the update adds and removes (net, over all its operations);
    ``before``/``after`` the store's quad count (-1 when not counted: counting a big on-disk store is a scan).
    """

    applied: bool
    report: ValidationReport
    before: int
    after: int
    inserted: int = 0
    deleted: int = 0
    #: The net quad change per graph (a named graph's IRI; "" the default graph) when the update only inserts and
    #: deletes quads (no graph management) and its effect is listed; None otherwise. Lets a caller that keeps
    #: counts (the server) update them without counting the store.
    graph_changes: dict[str, int] | None = None


class UpdateRejected(HpkgError):
    """The update would leave a graph that violates the shapes; nothing was changed."""

    def __init__(self, report: ValidationReport, outcome: UpdateOutcome | None = None) -> None:
        super().__init__(f"the update would violate the shapes; nothing was changed\n{report.text}")
        self.report = report
        #: The check's outcome (with the quad counts the update would have inserted and deleted).
        self.outcome = outcome


def staged_copy(store: Store) -> OxigraphStore:
    """An in-memory copy of every quad of ``store`` (blank nodes keep their identity)."""
    copy = OxigraphStore(None)
    copy.engine.extend(store.quads())
    return copy


_VOLATILE = {"NOW", "RAND", "UUID", "STRUUID", "BNODE"}
#: Operations that only insert and delete quads (no graph is created or dropped).
_QUAD_OPERATIONS = {"InsertData", "DeleteData", "DeleteWhere", "Modify"}


def _replayable(sparql: str, delta: Delta) -> bool:
    """Whether running ``sparql`` on the store gives exactly the view's result (no fresh blank node, no function
    whose value depends on the moment, an effect known quad by quad): then the kept view stays valid."""
    if delta.fresh or delta.full or not delta.exact:
        return False
    words = {t.text.upper() for t in tokenize(sparql) if t.kind == "word"}
    return not words & _VOLATILE


def _check(store: Store, sparql: str, *, base_iri: str | None, project: Project | None, shapes: Graph | None,
           ontology: Graph | None, engine: str, count: bool, lease: Lease | None = None
           ) -> tuple[UpdateOutcome, Delta | None]:
    if not can_snapshot(store):  # a remote store: validated on an in-memory copy, incrementally as the embedded one
        store, lease = staged_copy(store), None
    if shapes is None or ontology is None:
        project = project or open_project()
        shapes = shapes if shapes is not None else load_shapes(project)
        ontology = ontology if ontology is not None else load_ontology(project)
    ops = parse_update(sparql, base_iri=base_iri)
    before = store.count() if count else -1
    with (nullcontext(lease.view) if lease is not None else after_state(store)) as view:
        delta = apply_operations(view.engine, ops, base_iri=base_iri)
        if engine == "pyshacl":
            report = validate(view, project=project, engine="pyshacl", shapes=shapes, ontology=ontology)
        else:
            report, _ = validate_change(view, delta, shapes=shapes, ontology=ontology,
                                        before=store if isinstance(store, OxigraphStore) else None)
    inserted, deleted = delta.counts()
    after = before + inserted - deleted if count else -1
    outcome = UpdateOutcome(False, report, before, after, inserted, deleted)
    if all(op.kind in _QUAD_OPERATIONS for op in ops) and delta.exact and not delta.full:
        changes: dict[str, int] = {}
        for quads, sign in ((delta.inserted, 1), (delta.deleted, -1)):
            for q in quads:
                g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                changes[g] = changes.get(g, 0) + sign
        outcome.graph_changes = changes
    return outcome, delta


def check_update(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None = None,
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "fast",
) -> UpdateOutcome:
    """Run ``sparql`` on a private view of ``store`` and validate the result; ``store`` is not changed.

    ``shapes`` and ontology`` default to the project's (pass them to avoid re-reading them).
    """
    return _check(store, sparql, base_iri=base_iri, project=project, shapes=shapes, ontology=ontology,
                  engine=engine, count=True)[0]


def apply_update(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None = None,
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "fast",
) -> UpdateOutcome:
    """Validate, then commit only a conforming update (the update text, run once); the outcome either way.

    Raises :class:`UpdateRejected` when it does not conform and :class:`hpkg.errors.QuerySyntaxError` when it is
    malformed; in both cases the store is unchanged.
    """
    if not (can_snapshot(store) and engine == "fast"):
        outcome, _ = _check(store, sparql, base_iri=base_iri, project=project, shapes=shapes, ontology=ontology,
                            engine=engine, count=False)
        if outcome.report.blocking:
            raise UpdateRejected(outcome.report, outcome)
        store.update(sparql, base_iri=base_iri)
        outcome.applied = True
        return outcome
    # the view is kept for the next write (warm caches): committed, or rolled back, it equals the store again
    # validation puts the ontology into a view of a store that lacks it: such a view is not the store
    had_ontology = ONTOLOGY_IRI in store.graphs()
    with kept_view(store) as lease:
        try:
            outcome, delta = _check(store, sparql, base_iri=base_iri, project=project, shapes=shapes,
                                    ontology=ontology, engine=engine, count=False, lease=lease)
        except HpkgError:
            raise  # the lease is not settled: the view (perhaps half-written) is thrown away
        assert delta is not None
        replay = _replayable(sparql, delta) and had_ontology
        if outcome.report.blocking:
            if replay:
                lease.rolled_back(delta.inserted, delta.deleted)
            raise UpdateRejected(outcome.report, outcome)
        store.update(sparql, base_iri=base_iri)
        if replay:
            lease.committed()
        outcome.applied = True
        return outcome


def apply_validated_update(
    store: Store,
    sparql: str,
    *,
    base_iri: str | None = None,
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Apply a SPARQL Update to ``store`` only if the resulting graph conforms to the shapes.

    Returns the (conforming) validation report; raises :class:`UpdateRejected` with the report when
    it does not conform, :class:`hpkg.errors.QuerySyntaxError` when the update is malformed. In
    both cases the store is unchanged.
    """
    return apply_update(store, sparql, base_iri=base_iri, project=project, shapes=shapes, ontology=ontology).report
