"""Validate files or a store against the project's shapes, with the compiled engine or pyshacl.

:func:`validate` is the one entry point; ``engine`` is ``fast`` (the shapes compiled to SPARQL and run in
the store, :mod:`hpkg.shacl.compiler`) or ``pyshacl`` (the reference, :mod:`hpkg.shacl.reference`); both give
the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.iri import base_iri
from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.project import Project, open_project
from hpkg.rdfio import parse_rdf
from hpkg.shacl.compiler import compile_shapes, validate_compiled
from hpkg.shacl.fallback import validate_fallback
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.report import ValidationReport, report_graph
from hpkg.store import OxigraphStore, Store
from hpkg.terms import quads_to_graph, to_oxigraph_triple

ENGINES = ("fast", "pyshacl")


def load_shapes(project: Project | None = None) -> Graph:
    """All shapes (shipped, then the project's) as one rdflib graph."""
    project = project or open_project()
    return quads_to_graph(q for f in project.shape_files() for q in parse_rdf(f))


def load_ontology(project: Project | None = None) -> Graph:
    """The ontology as an rdflib graph."""
    project = project or open_project()
    return quads_to_graph(parse_rdf(project.ontology_file))


def read_files(paths: Sequence[str | Path], *, base: str | None = None, graph: Graph | None = None) -> Graph:
    """Parse RDF files into one rdflib graph (errors name file:line:column)."""
    g = graph if graph is not None else Graph()
    for p in paths:
        quads_to_graph(parse_rdf(p, base_iri=base or base_iri()), g)
    return g


def check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise HpkgError(f"unknown validation engine {engine!r}; known: {', '.join(ENGINES)}")


def validate(
    target: Store | Sequence[str | Path],
    *,
    project: Project | None = None,
    engine: str = "fast",
    with_data: bool = False,
    base: str | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate a store (everything in it) or RDF files against the project's shapes.

    For files, ``with_data`` adds the ontology and the project's data so that references resolve.
    ``shapes``/``ontology`` default to the project's (pass them to avoid re-reading them).
    """
    check_engine(engine)
    project = project or open_project()
    shapes = shapes if shapes is not None else load_shapes(project)
    ontology = ontology if ontology is not None else load_ontology(project)
    if isinstance(target, Store):
        if engine == "pyshacl":
            return validate_graph(target.to_rdflib_graph(), shapes=shapes, ontology=ontology)
        return validate_fast(target, shapes=shapes, ontology=ontology)
    base = base or base_iri()
    extra: list[Path] = []
    if with_data:  # the ontology holds individuals too (the DSD)
        extra = [project.ontology_file, *(f.path for f in project.data_files(base))]

    def parsed() -> Graph:
        return read_files([*target, *extra], base=base)

    if engine == "pyshacl":
        return validate_graph(parsed(), shapes=shapes, ontology=ontology)
    staged = OxigraphStore(None)
    for p in [*target, *extra]:
        staged.load_file(p, base_iri=base)
    # Shapes left to pyshacl see the files as parsed, not as stored (the store normalises some datatypes).
    return validate_fast(staged, shapes=shapes, ontology=ontology, fallback_data=parsed)


def validate_fast(
    store: Store,
    *,
    shapes: Graph,
    ontology: Graph,
    fallback_data: Callable[[], Graph] | None = None,
) -> ValidationReport:
    """Validate a store with the compiled SPARQL engine; pyshacl's results.

    Like pyshacl's ``ont_graph``, the ontology is part of the data graph; when the store does not hold the
    ontology graph, the store is copied into memory with the ontology added (the store is never written).
    ``fallback_data`` gives the data as parsed (before the store normalised it) when it came from files: then
    shapes whose results depend on that normalisation are left to pyshacl on it.
    """
    target = store
    if not store.runs_shapes or ONTOLOGY_IRI not in store.graphs():
        # (a remote store whose SPARQL gives wrong answers to the compiled shapes, e.g. Virtuoso, is copied too)
        target = OxigraphStore(None)
        target.add_quads(store.quads())
    if ONTOLOGY_IRI not in target.graphs():
        graph = ox.NamedNode(ONTOLOGY_IRI)
        triples = (to_oxigraph_triple(s, p, o) for s, p, o in ontology)
        target.add_quads(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    compiled = compile_shapes(shapes, exact_datatypes=fallback_data is not None)
    violations = validate_compiled(compiled, lambda q: target.query(q).rows())
    # Shapes left to pyshacl: each on its focus nodes and what it can read from them, never the whole store.
    violations.extend(validate_fallback(compiled, target, ontology=ontology, parsed=fallback_data))
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        report_graph=report_graph(violations),
        triples_checked=target.count(),
    )
