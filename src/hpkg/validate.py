"""SHACL validation with pyshacl against the shapes in ``shapes/``.

The ontology is passed as pyshacl's ``ont_graph`` so that ``sh:class`` and ``sh:targetClass``
see the class hierarchy (an ``hpkg:CoastalEconomicZone`` is an ``hpkg:Zone``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from hpkg.config import base_iri, project_root
from hpkg.errors import HpkgError
from hpkg.store import Store, parse_rdf
from hpkg.terms import quads_to_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str | None
    component: str
    severity: str
    shape: str | None
    value: str | None
    messages: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: The value and focus node as engine terms, when the fast engine made the result (for the report graph).
    value_term: object = field(default=None, hash=False, compare=False, repr=False)
    focus_term: object = field(default=None, hash=False, compare=False, repr=False)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (falls back to any language, then to the constraint component)."""
        return self.messages.get(lang) or next(iter(self.messages.values()), self.component)

    def key(self) -> tuple[str, str | None, str, str]:
        """What identifies a result across validators: focus node, path, component, severity."""
        return (self.focus, self.path, self.component, self.severity)


@dataclass
class ValidationReport:
    """The outcome of validating a graph: ``conforms`` and the list of results."""

    conforms: bool
    violations: list[Violation]
    report_graph: Graph
    triples_checked: int = 0

    @property
    def text(self) -> str:
        """A human summary, one line per result."""
        if self.conforms:
            return f"conforms: {self.triples_checked} triples checked, no violations"
        lines = [f"does not conform: {len(self.violations)} result(s)"]
        for v in sorted(self.violations, key=lambda v: (v.focus, v.path or "", v.component)):
            sev = _short(v.severity)
            path = f" path={_short(v.path)}" if v.path else ""
            lines.append(f"- [{sev}] {v.focus}{path} ({_short(v.component)}): {v.message('en')}")
            if "vi" in v.messages:
                lines.append(f"    vi: {v.messages['vi']}")
        return "\n".join(lines)


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for ns, p in ((str(SH), "sh:"), ("https://w3id.org/hpkg/ontology#", "hpkg:")):
        if iri.startswith(ns):
            return p + iri[len(ns) :]
    return iri


def shape_files(root: Path | None = None) -> list[Path]:
    """The SHACL files under ``shapes/``, sorted."""
    root = root or project_root()
    files = sorted((root / "shapes").glob("*.ttl"))
    if not files:
        raise HpkgError(f"no SHACL shapes found under {root / 'shapes'}")
    return files


def load_shapes(root: Path | None = None) -> Graph:
    """All shapes in ``shapes/`` as one rdflib graph."""
    return quads_to_graph(q for f in shape_files(root) for q in parse_rdf(f))


def load_ontology(root: Path | None = None) -> Graph:
    """The ontology (``ontology/hpkg.ttl``) as an rdflib graph."""
    root = root or project_root()
    return quads_to_graph(parse_rdf(root / "ontology" / "hpkg.ttl"))


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    root: Path | None = None,
) -> ValidationReport:
    """Validate an rdflib graph with pyshacl (SHACL Core + SHACL-SPARQL)."""
    shapes = shapes if shapes is not None else load_shapes(root)
    ontology = ontology if ontology is not None else load_ontology(root)
    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations_from_report(report_graph),
        report_graph=report_graph,
        triples_checked=len(data),
    )


def path_key(g: Graph, path: Node | None) -> str | None:
    """A result path as :meth:`Violation.key` writes it: the IRI, or a complex path in SPARQL syntax."""
    from hpkg.shacl_fast import path_key as _path_key

    return _path_key(g, path)


def violations_from_report(report: Graph) -> list[Violation]:
    """The results of a SHACL validation report graph: the ``sh:result`` values of its ``sh:ValidationReport``.

    Results nested in another one (``sh:detail``, e.g. from ``sh:node``) are not listed on their own.
    pyshacl (0.40.1) drops the language tag of a SPARQL constraint's ``sh:message`` when it fills in
    ``{?var}``; the tag is restored from the message template it was formatted from.
    """
    out = []
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(rep, SH.result):
            templates = [
                m
                for src in (report.value(r, SH.sourceConstraint), report.value(r, SH.sourceShape))
                if src is not None
                for m in report.objects(src, SH.message)
                if isinstance(m, Literal) and m.language
            ]
            msgs: dict[str, str] = {}
            for m in report.objects(r, SH.resultMessage):
                lang = getattr(m, "language", None) or _template_language(str(m), templates) or "en"
                msgs.setdefault(lang, str(m))
            out.append(
                Violation(
                    focus=_s(report.value(r, SH.focusNode)),
                    path=path_key(report, report.value(r, SH.resultPath)),
                    component=_s(report.value(r, SH.sourceConstraintComponent)),
                    severity=_s(report.value(r, SH.resultSeverity)),
                    shape=_opt(report.value(r, SH.sourceShape)),
                    value=_opt(report.value(r, SH.value)),
                    messages=msgs,
                )
            )
    return out


_PLACEHOLDER = re.compile(r"\\\{\\[?$]\w+\\\}")  # an re.escape()d {?var} or {$var}


def _template_language(text: str, templates: list[Literal]) -> str | None:
    """The language of the ``sh:message`` template that ``text`` was formatted from, if any."""
    for t in templates:
        if re.fullmatch(_PLACEHOLDER.sub(".*?", re.escape(str(t))), text, re.S):
            return t.language
    return None


def _s(n: Node | None) -> str:
    return "" if n is None else str(n)


def _opt(n: Node | None) -> str | None:
    if n is None:
        return None
    return str(n) if isinstance(n, URIRef) or not hasattr(n, "n3") else str(n)


def read_files(paths: Sequence[str | Path], *, base: str | None = None) -> Graph:
    """Parse RDF files into one rdflib graph (errors name file:line:column)."""
    g = Graph()
    for p in paths:
        quads_to_graph(parse_rdf(p, base_iri=base or base_iri()), g)
    return g


ENGINES = ("fast", "pyshacl")


def validate_files(
    paths: Sequence[str | Path],
    *,
    with_data: bool = False,
    root: Path | None = None,
    base: str | None = None,
    engine: str = "fast",
) -> ValidationReport:
    """Validate RDF files; with ``with_data`` the curated data is added so references resolve.

    ``engine`` is ``fast`` (shapes compiled to SPARQL, :mod:`hpkg.shacl_fast`) or ``pyshacl``; both give the
    same results.
    """
    _check_engine(engine)
    base = base or base_iri()
    extra: list[Path] = []
    if with_data:
        from hpkg.build import data_files, ontology_file

        extra = [ontology_file(root), *data_files(root)]  # the ontology holds individuals too (the DSD)
    if engine == "pyshacl":
        g = read_files(paths, base=base)
        quads_to_graph((q for f in extra for q in parse_rdf(f, base_iri=base)), g)
        return validate_graph(g, root=root)
    from hpkg.store import OxigraphStore

    staged = OxigraphStore(None)
    for p in [*paths, *extra]:
        staged.load_file(p, base_iri=base)

    def original() -> Graph:
        # Shapes left to pyshacl see the files as parsed, not as stored (the store normalises some datatypes).
        g = read_files(paths, base=base)
        return quads_to_graph((q for f in extra for q in parse_rdf(f, base_iri=base)), g)

    return validate_fast(staged, root=root, fallback_data=original)


def validate_store(store: Store, *, root: Path | None = None, engine: str = "fast") -> ValidationReport:
    """Validate everything in a store (all graphs merged, the ontology added as pyshacl's ``ont_graph`` is)."""
    _check_engine(engine)
    if engine == "pyshacl":
        return validate_graph(store.to_rdflib_graph(), root=root)
    return validate_fast(store, root=root)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise HpkgError(f"unknown validation engine {engine!r}; known: {', '.join(ENGINES)}")


def validate_fast(
    store: Store,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    root: Path | None = None,
    fallback_data: Callable[[], Graph] | None = None,
) -> ValidationReport:
    """Validate a store with the compiled SPARQL engine (:mod:`hpkg.shacl_fast`), pyshacl's results.

    Like pyshacl's ``ont_graph``, the ontology is part of the data graph; when the store does not hold the
    ontology graph, the store is copied into memory with the ontology added (the store is never written).
    ``fallback_data`` gives the data as parsed (before the store normalised it) when it came from files: then
    shapes whose results depend on that normalisation are left to pyshacl on it.
    """
    from hpkg.config import ONTOLOGY_IRI
    from hpkg.shacl_fast import compile_shapes, fallback_shapes_graph, validate_compiled
    from hpkg.store import OxigraphStore
    from hpkg.terms import to_oxigraph

    shapes = shapes if shapes is not None else load_shapes(root)
    ontology = ontology if ontology is not None else load_ontology(root)
    target = store
    if ONTOLOGY_IRI not in store.graphs():
        target = OxigraphStore(None)
        target.add_quads(store.quads())
        target.add_quads(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(ONTOLOGY_IRI))  # type: ignore[arg-type]
            for s, p, o in ontology
        )
    compiled = compile_shapes(shapes, exact_datatypes=fallback_data is not None)
    violations = validate_compiled(compiled, lambda q: target.query(q).rows())
    if compiled.fallback:
        data = fallback_data() if fallback_data is not None else target.to_rdflib_graph()
        rep = validate_graph(data, shapes=fallback_shapes_graph(compiled), ontology=ontology)
        violations.extend(rep.violations)
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        report_graph=report_graph(violations),
        triples_checked=target.count(),
    )


def report_graph(violations: Sequence[Violation]) -> Graph:
    """A SHACL validation report graph (``sh:ValidationReport``) for the results."""
    from rdflib import RDF, BNode, Literal

    from hpkg.terms import to_rdflib

    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not violations)))
    for v in violations:
        r = BNode()
        g.add((rep, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        focus = to_rdflib(v.focus_term) if v.focus_term is not None else URIRef(v.focus)  # type: ignore[arg-type]
        g.add((r, SH.focusNode, focus))
        if v.path and not v.path.startswith(("(", "<", "^")):
            g.add((r, SH.resultPath, URIRef(v.path)))
        g.add((r, SH.sourceConstraintComponent, URIRef(v.component)))
        g.add((r, SH.resultSeverity, URIRef(v.severity)))
        if v.shape and not v.shape.startswith(("N", "_")) and ":" in v.shape:
            g.add((r, SH.sourceShape, URIRef(v.shape)))
        if v.value_term is not None:
            g.add((r, SH.value, to_rdflib(v.value_term)))  # type: ignore[arg-type]
        for lang, text in v.messages.items():
            g.add((r, SH.resultMessage, Literal(text, lang=lang)))
    return g
