"""Validated updates: a SPARQL Update lands only if the graph it leaves behind conforms to the shapes.

The update is first run on an in-memory copy of the store; the copy is validated with the SHACL
shapes (:func:`hpkg.shacl.validate`); only a conforming result is applied to the real store, in one
transaction. A failing update leaves the store exactly as it was.

Callers that accept concurrent updates must serialise them (the HTTP server holds a lock), so that
the store does not change between the check and the commit. Updates whose result depends on the
moment they run (``NOW()``, ``RAND()``, ``UUID()``) are re-evaluated on commit; the shapes are
checked on the first evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.project import Project
from hpkg.shacl import ValidationReport, validate
from hpkg.store import OxigraphStore, Store


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
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> UpdateOutcome:
    """Run ``sparql`` on a copy of ``store`` and validate the result; ``store`` is not changed.

    ``shapes`` and ``ontology`` default to the project's (pass them to avoid re-reading them).
    """
    copy = staged_copy(store)
    before = len(copy.engine)
    copy.update(sparql, base_iri=base_iri)
    report = validate(copy, project=project, shapes=shapes, ontology=ontology)
    return UpdateOutcome(applied=False, report=report, before=before, after=len(copy.engine))


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
    outcome = check_update(store, sparql, base_iri=base_iri, project=project, shapes=shapes, ontology=ontology)
    if not outcome.report.conforms:
        raise UpdateRejected(outcome.report)
    store.update(sparql, base_iri=base_iri)
    return outcome.report
