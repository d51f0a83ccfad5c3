"""The ontology's documentation page: its header, then every class and property with vi/en labels."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from hpkg.namespaces import ONTOLOGY_IRI, PREFIXES, shorten
from hpkg.server.views import Labels, Linker
from hpkg.store import Store
from hpkg.terms import term_value

KINDS = (
    ("classes", "owl:Class"),
    ("object_properties", "owl:ObjectProperty"),
    ("datatype_properties", "owl:DatatypeProperty"),
    ("annotation_properties", "owl:AnnotationProperty"),
)


@dataclass
class Term:
    """One class or property of the ontology."""

    iri: str
    anchor: str
    curie: str
    label: dict[str, str] = field(default_factory=dict)
    comment: dict[str, str] = field(default_factory=dict)
    parents: list[tuple[str, str]] = field(default_factory=list)
    domain: list[tuple[str, str]] = field(default_factory=list)
    range: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class OntologyView:
    """What the ontology page shows."""

    iri: str
    title: str
    comment: str
    version: str
    sections: list[tuple[str, list[Term]]]


def ontology_view(store: Store, link: Linker) -> OntologyView:
    """Read the ontology graph of ``store`` into a page."""
    lang = link.lang
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[ONTOLOGY_IRI]).triples()
    labels = Labels(triples)
    by_s: dict[str, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_s.setdefault(t.subject.value, []).append(t)

    def texts(iri: str, p: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in by_s.get(iri, []):
            if t.predicate.value == p and isinstance(t.object, ox.Literal):
                out.setdefault(t.object.language or "", t.object.value)
        return out

    def refs(iri: str, p: str) -> list[tuple[str, str]]:
        return [
            (labels.get(t.object.value, lang) if t.object.value.startswith(PREFIXES["hpkg"]) else shorten(t.object.value),
             link.href(t.object.value))
            for t in by_s.get(iri, [])
            if t.predicate.value == p and isinstance(t.object, ox.NamedNode)
        ]

    rdf_type = PREFIXES["rdf"] + "type"
    sections = []
    for key, kind in KINDS:
        kind_iri = PREFIXES["owl"] + kind.split(":")[1]
        terms = []
        for iri, ts in by_s.items():
            if not iri.startswith(PREFIXES["hpkg"]):
                continue
            if not any(t.predicate.value == rdf_type and term_value(t.object) == kind_iri for t in ts):
                continue
            terms.append(Term(
                iri=iri, anchor=iri[len(PREFIXES["hpkg"]):], curie=shorten(iri),
                label=texts(iri, PREFIXES["rdfs"] + "label"), comment=texts(iri, PREFIXES["rdfs"] + "comment"),
                parents=refs(iri, PREFIXES["rdfs"] + ("subClassOf" if key == "classes" else "subPropertyOf")),
                domain=refs(iri, PREFIXES["rdfs"] + "domain"), range=refs(iri, PREFIXES["rdfs"] + "range"),
            ))
        terms.sort(key=lambda t: t.anchor.lower())
        sections.append((key, terms))
    title = texts(ONTOLOGY_IRI, PREFIXES["dcterms"] + "title")
    comment = texts(ONTOLOGY_IRI, PREFIXES["rdfs"] + "comment")
    version = texts(ONTOLOGY_IRI, PREFIXES["owl"] + "versionInfo")

    def pick(d: dict[str, str]) -> str:
        return d.get(lang) or d.get("en") or d.get("") or next(iter(d.values()), "")

    return OntologyView(ONTOLOGY_IRI, pick(title) or "hpkg", pick(comment), pick(version), sections)
