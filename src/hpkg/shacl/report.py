"""SHACL validation results as hpkg reports them, whichever engine made them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from hpkg.namespaces import SH, shorten
from hpkg.shacl.paths import path_key
from hpkg.terms import Term, to_rdflib


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
    value_term: Term | None = field(default=None, hash=False, compare=False, repr=False)
    focus_term: Term | None = field(default=None, hash=False, compare=False, repr=False)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (falls back to any language, then to the constraint component)."""
        return self.messages.get(lang) or next(iter(self.messages.values()), self.component)

    def key(self) -> tuple[str, str | None, str, str]:
        """What identifies a result across validators: focus node, path, component, severity."""
        return (self.focus, self.path, self.component, self.severity)


class ResultJson(TypedDict):
    """One result in a report's JSON form."""

    focus: str
    path: str | None
    component: str
    severity: str
    shape: str | None
    value: str | None
    messages: dict[str, str]


class ReportJson(TypedDict):
    """A report's JSON form (``hpkg validate --format json`` and the server's 422 answer)."""

    conforms: bool
    results: list[ResultJson]


_VIOLATION = str(SH.Violation)


@dataclass
class ValidationReport:
    """The outcome of validating a graph: ``conforms`` and the list of results."""

    conforms: bool
    violations: list[Violation]
    report_graph: Graph
    triples_checked: int = 0

    def as_json(self) -> ReportJson:
        """The report as JSON-ready data: ``conforms`` and one object per result."""
        return ReportJson(conforms=self.conforms, results=[
            ResultJson(focus=v.focus, path=v.path, component=v.component, severity=v.severity, shape=v.shape,
                       value=v.value, messages=v.messages)
            for v in self.violations
        ])

    @property
    def blocking(self) -> bool:
        """Whether a result has severity ``sh:Violation``: what stops a build, a load or a guarded write.

        ``sh:Warning`` and ``sh:Info`` results make ``conforms`` false, as SHACL defines it, but are reported
        without stopping anything (the FIA's own reports round, so a sum rule is a warning).
        """
        return any(v.severity == _VIOLATION for v in self.violations)

    @property
    def text(self) -> str:
        """A human summary, one line per result."""
        if self.conforms:
            return f"conforms: {self.triples_checked} triples checked, no violations"
        severe = sum(v.severity == _VIOLATION for v in self.violations)
        lines = [f"does not conform: {len(self.violations)} result(s), {severe} violation(s)"]
        for v in sorted(self.violations, key=lambda v: (v.focus, v.path or "", v.component)):
            sev = shorten(v.severity)
            path = f" path={shorten(v.path)}" if v.path else ""
            lines.append(f"- [{sev}] {v.focus}{path} ({shorten(v.component)}): {v.message('en')}")
            if "vi" in v.messages:
                lines.append(f"    vi: {v.messages['vi']}")
        return "\n".join(lines)


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
    return None if n is None else str(n)


def report_graph(violations: Sequence[Violation]) -> Graph:
    """A SHACL validation report graph (``sh:ValidationReport``) for the results."""
    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not violations)))
    for v in violations:
        r = BNode()
        g.add((rep, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        focus = to_rdflib(v.focus_term) if v.focus_term is not None else URIRef(v.focus)
        g.add((r, SH.focusNode, focus))
        if v.path and not v.path.startswith(("(", "<", "^")):
            g.add((r, SH.resultPath, URIRef(v.path)))
        g.add((r, SH.sourceConstraintComponent, URIRef(v.component)))
        g.add((r, SH.resultSeverity, URIRef(v.severity)))
        if v.shape and not v.shape.startswith(("N", "_")) and ":" in v.shape:
            g.add((r, SH.sourceShape, URIRef(v.shape)))
        if v.value_term is not None:
            g.add((r, SH.value, to_rdflib(v.value_term)))
        for lang, text in v.messages.items():
            g.add((r, SH.resultMessage, Literal(text, lang=lang)))
    return g
