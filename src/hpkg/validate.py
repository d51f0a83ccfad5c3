"""SHACL validation with pyshacl against the shapes in ``shapes/``.

The ontology is passed as pyshacl's ``ont_graph`` so that ``sh:class`` and ``sh:targetClass``
see the class hierarchy (an ``hpkg:CoastalEconomicZone`` is an ``hpkg:Zone``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
                    path=_opt(report.value(r, SH.resultPath)),
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


def validate_files(
    paths: Sequence[str | Path], *, with_data: bool = False, root: Path | None = None, base: str | None = None
) -> ValidationReport:
    """Validate RDF files; with ``with_data`` the curated data is added so references resolve."""
    g = read_files(paths, base=base)
    if with_data:
        from hpkg.build import data_files, ontology_file

        files = [ontology_file(root), *data_files(root)]  # the ontology holds individuals too (the DSD)
        quads_to_graph((q for f in files for q in parse_rdf(f, base_iri=base or base_iri())), g)
    return validate_graph(g, root=root)


def validate_store(store: Store, *, root: Path | None = None) -> ValidationReport:
    """Validate everything in a store (all graphs merged)."""
    return validate_graph(store.to_rdflib_graph(), root=root)
