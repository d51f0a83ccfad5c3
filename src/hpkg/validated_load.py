"""Validated loads (``hpkg load --validate``): files land only if the store with them conforms to the shapes.

The files are loaded into a private view of the store (:mod:`hpkg.store.snapshot`), their quads are the write's
effect (Δ+; with ``replace`` the target graphs' old quads are Δ−), and the view is validated incrementally
(:mod:`hpkg.shacl.incremental`): the loaded files together with what the store holds, each shape only on the
focus nodes the files can affect. Only then are the files loaded into the store, as ``hpkg load`` does (one
transaction per file). A failing load leaves the store as it was.

Files with more quads than :data:`hpkg.shacl.delta.EFFECT_LIMIT` are validated with the whole view instead (the
effect is not listed). Blank nodes of the files are matched to the view's as an update's template blank nodes
are. A remote store has no private view: ``--validate`` is refused there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph

from hpkg.errors import HpkgError, RdfSyntaxError
from hpkg.formats import guess_rdf_format
from hpkg.iri import base_iri
from hpkg.project import Project, open_project
from hpkg.rdfio import open_rdf_file, parser_message
from hpkg.shacl import ValidationReport, load_ontology, load_shapes, validate
from hpkg.shacl.delta import EFFECT_LIMIT, Delta
from hpkg.shacl.incremental import validate_change
from hpkg.store import OxigraphStore, Store
from hpkg.store.bulk import LoadReport, default_graph_for, load_files
from hpkg.store.snapshot import after_state, can_snapshot


@dataclass
class LoadOutcome:
    """A validated load: the report, the load report (None when it was refused) and the quads it adds/removes."""

    report: ValidationReport
    load: LoadReport | None
    inserted: int
    deleted: int


class LoadRejected(HpkgError):
    """The files would make the store violate the shapes; nothing was loaded."""

    def __init__(self, outcome: LoadOutcome) -> None:
        super().__init__(f"the files would violate the shapes; nothing was loaded\n{outcome.report.text}")
        self.outcome = outcome
        self.report = outcome.report


def _parse(f: IO[bytes], fmt: ox.RdfFormat, base: str, *, limit: int) -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for q in ox.parse(f, format=fmt, base_iri=base):
        out.append(q)
        if len(out) >= limit:
            break
    return out


def _file_effect(view: ox.Store, paths: list[Path], *, graph: str | None, replace: bool, base: str) -> Delta:
    """The quads the files add (and, with ``replace``, the target graphs' quads they remove), before loading."""
    delta = Delta()
    bnodes: dict[str, ox.BlankNode] = {}
    count = 0
    for p in paths:
        fmt = guess_rdf_format(p)
        target = None if fmt.supports_datasets else ox.NamedNode(graph or default_graph_for(p, base))
        if replace and target is not None:
            for q in view.quads_for_pattern(None, None, None, target):
                delta.deleted.add(q)
                count += 1
        try:
            with open_rdf_file(p) as f:
                quads = list(_parse(f, fmt, base, limit=EFFECT_LIMIT + 1 - count))
        except SyntaxError as e:
            raise RdfSyntaxError(str(p), e.lineno, e.offset, parser_message(e)) from None
        for q in quads:
            if target is not None:
                q = ox.Quad(q.subject, q.predicate, q.object, target)
            count += 1
            if count > EFFECT_LIMIT:
                delta.full = True
                return delta
            s, o = q.subject, q.object
            if isinstance(s, ox.BlankNode):
                s = bnodes.setdefault(f"{p}:{s.value}", ox.BlankNode())
                delta.fresh.add(s)
            if isinstance(o, ox.BlankNode):
                o = bnodes.setdefault(f"{p}:{o.value}", ox.BlankNode())
                delta.fresh.add(o)
            q = ox.Quad(s, q.predicate, o, q.graph_name)
            if q in delta.deleted:
                delta.deleted.discard(q)  # replaced by itself: no change
            elif q.subject in delta.fresh or q.object in delta.fresh or q not in view:
                delta.inserted.add(q)
    return delta


def check_load(
    store: Store,
    paths: list[str | Path],
    *,
    graph: str | None = None,
    replace: bool = False,
    base: str | None = None,
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "fast",
) -> LoadOutcome:
    """Load ``paths`` into a private view of ``store`` and validate it; ``store`` is not changed."""
    if not can_snapshot(store):
        raise HpkgError(f"--validate needs an embedded Oxigraph store, not {store.description}")
    base = base or base_iri()
    files = [Path(p) for p in paths]
    for p in files:
        if not p.is_file():
            raise HpkgError(f"{p}: no such file")
    project = project or open_project()
    shapes = shapes if shapes is not None else load_shapes(project)
    ontology = ontology if ontology is not None else load_ontology(project)
    with after_state(store) as view:
        delta = _file_effect(view.engine, files, graph=graph, replace=replace, base=base)
        load_files(view, list(files), graph=graph, replace=replace, optimize=False, base=base)
        if delta.full:
            delta.inserted.clear()
            delta.deleted.clear()
        if engine == "pyshacl":
            report = validate(view, project=project, engine="pyshacl", shapes=shapes, ontology=ontology)
        else:
            report, _ = validate_change(view, delta, shapes=shapes, ontology=ontology,
                                        before=store if isinstance(store, OxigraphStore) else None)
    return LoadOutcome(report, None, len(delta.inserted), len(delta.deleted))


def load_validated(
    store: Store,
    paths: list[str | Path],
    *,
    graph: str | None = None,
    replace: bool = False,
    optimize: bool = True,
    base: str | None = None,
    project: Project | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "fast",
) -> LoadOutcome:
    """Validate, then load only files that leave the store conforming; :class:`LoadRejected` otherwise."""
    outcome = check_load(store, paths, graph=graph, replace=replace, base=base, project=project, shapes=shapes,
                         ontology=ontology, engine=engine)
    if outcome.report.blocking:
        raise LoadRejected(outcome)
    outcome.load = load_files(store, list(paths), graph=graph, replace=replace, optimize=optimize, base=base)
    return outcome
