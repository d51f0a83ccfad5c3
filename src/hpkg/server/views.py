"""View models for the HTML pages, built from the triples of an entity's description."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeAlias, TypedDict

import pyoxigraph as ox

from hpkg.namespaces import ONTOLOGY_IRI, PREFIXES, shorten
from hpkg.server.config import ServerSettings
from hpkg.terms import Term, term_value

#: Any term of a triple (hpkg's data has no triple terms, but a description could hold one).
AnyTerm: TypeAlias = Term | ox.Triple
#: An entity's description indexed by subject.
Index: TypeAlias = dict[AnyTerm, list[ox.Triple]]

RDF_TYPE = PREFIXES["rdf"] + "type"
LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title")
QB_OBSERVATION = PREFIXES["qb"] + "Observation"
HPKG = PREFIXES["hpkg"]
OBS_VALUE = PREFIXES["sdmx-measure"] + "obsValue"
UNIT = PREFIXES["sdmx-attribute"] + "unitMeasure"
PERIOD = PREFIXES["sdmx-dimension"] + "refPeriod"
PROV_VALUE = PREFIXES["prov"] + "value"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
IS_PART_OF = PREFIXES["dcterms"] + "isPartOf"
ISSUED = PREFIXES["dcterms"] + "issued"


@dataclass
class Value:
    """One value shown on a page: text, an optional link, and its language or datatype."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: list[tuple[str, list[Value]]] = field(default_factory=list)


class Labels:
    """Labels by IRI and language, with a fallback to the IRI's local name."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.by_iri: dict[str, dict[str, str]] = defaultdict(dict)
        for t in triples:
            if t.predicate.value in LABELS and isinstance(t.object, ox.Literal) and isinstance(t.subject, ox.NamedNode):
                langs = self.by_iri[t.subject.value]
                key = t.object.language or ""
                # rdfs:label first, then skos:prefLabel, then dcterms:title
                if key not in langs or LABELS.index(t.predicate.value) == 0:
                    langs[key] = t.object.value

    def get(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` (else English, Vietnamese, untagged, the local name)."""
        langs = self.by_iri.get(iri, {})
        for key in (lang, "en", "vi", ""):
            if key in langs:
                return langs[key]
        if langs:
            return next(iter(langs.values()))
        return local_name(iri)


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            tail = iri.rstrip(sep).rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


class Linker:
    """Where a page links an IRI: entity pages for the graph's IRIs, the ontology page for its terms."""

    def __init__(self, settings: ServerSettings, lang: str) -> None:
        self.settings = settings
        self.lang = lang

    def href(self, iri: str) -> str:
        """The link for ``iri``."""
        path = self.settings.path_for_iri(iri)
        if path is not None:
            return f"/page/{path}?lang={self.lang}"
        if iri.startswith(HPKG):
            return f"/ontology.html?lang={self.lang}#{iri[len(HPKG):]}"
        if iri == ONTOLOGY_IRI:
            return f"/ontology.html?lang={self.lang}"
        return iri


def format_number(text: str, lang: str) -> str:
    """A decimal in the reader's convention: 4,350,000,000.5 (en) or 4.350.000.000,5 (vi)."""
    try:
        value = float(text)
    except ValueError:
        return text
    s = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def render_term(term: AnyTerm, labels: Labels, link: Linker, index: Index, depth: int = 0) -> Value:
    """A term as a :class:`Value` (blank nodes expanded one level)."""
    if isinstance(term, ox.NamedNode):
        return Value(labels.get(term.value, link.lang), link.href(term.value), term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if not term.language else None
        if dt and dt.startswith(PREFIXES["xsd"]) and dt[len(PREFIXES["xsd"]):] in ("decimal", "double", "integer"):
            return Value(format_number(term.value, link.lang), datatype=shorten(dt))
        return Value(term.value, lang=term.language, datatype=shorten(dt) if dt and not dt.endswith("#string") else None)
    if isinstance(term, ox.BlankNode):
        nested = []
        if depth < 2:
            for t in index.get(term, []):
                nested.append((labels.get(t.predicate.value, link.lang),
                               [render_term(t.object, labels, link, index, depth + 1)]))
        return Value("", nested=nested)
    return Value(str(term))


class Quote(TypedDict):
    """An evidence sentence on a page."""

    quote: Value
    text: str
    doc: Value | None


class Source(TypedDict):
    """A source document the entity was derived from."""

    doc: Value
    issued: str | None


class ObservationRow(TypedDict):
    """One row of an entity page's observations table."""

    obs: Value
    indicator: Value | None
    period: Value | None
    value: Value | None
    unit: Value | None
    qualifier: Value | None
    percent_of_plan: Value | None
    evidence: list[Quote]


@dataclass
class EntityView:
    """What the entity page shows."""

    iri: str
    label: str
    types: list[Value]
    properties: list[tuple[Value, list[Value]]]
    inbound: list[tuple[Value, Value]]
    observations: list[ObservationRow]
    evidence: list[Quote]
    sources: list[Source]


def entity_view(iri: str, triples: list[ox.Triple], settings: ServerSettings, lang: str) -> EntityView:
    """Build the page of ``iri`` from its description."""
    labels = Labels(triples)
    link = Linker(settings, lang)
    index: Index = defaultdict(list)
    for t in triples:
        index[t.subject].append(t)
    me = ox.NamedNode(iri)
    own = index.get(me, [])
    types = [render_term(t.object, labels, link, index) for t in own if t.predicate.value == RDF_TYPE]
    grouped: dict[str, list[Value]] = {}
    for t in own:
        if t.predicate.value == RDF_TYPE:
            continue
        grouped.setdefault(t.predicate.value, []).append(render_term(t.object, labels, link, index))
    properties = [
        (Value(labels.get(p, lang), link.href(p), p), vals) for p, vals in grouped.items()
    ]
    observation_iris = [
        s for s, ts in index.items()
        if isinstance(s, ox.NamedNode)
        and any(t.predicate.value == RDF_TYPE and term_value(t.object) == QB_OBSERVATION for t in ts)
        and (s == me or any(t.object == me for t in ts))
    ]
    inbound = [
        (render_term(t.subject, labels, link, index), Value(labels.get(t.predicate.value, lang),
                                                             link.href(t.predicate.value), t.predicate.value))
        for t in triples
        if t.object == me and t.subject not in observation_iris
    ]
    observations = [observation_row(o, index, labels, link) for o in observation_iris]
    evidence = [quote(t.object, index, labels, link) for t in own if t.predicate.value == HPKG + "evidence"]
    sources = [
        Source(doc=render_term(t.object, labels, link, index),
               issued=next((term_value(x.object) for x in index.get(t.object, []) if x.predicate.value == ISSUED), None))
        for t in own if t.predicate.value == DERIVED
    ]
    return EntityView(iri, labels.get(iri, lang), types, properties, inbound, observations, evidence, sources)


def _first(index: Index, s: AnyTerm, p: str) -> AnyTerm | None:
    return next((t.object for t in index.get(s, []) if t.predicate.value == p), None)


def quote(q: AnyTerm, index: Index, labels: Labels, link: Linker) -> Quote:
    """An evidence sentence: its text, its label (paragraph/sentence) and its document."""
    text = _first(index, q, PROV_VALUE)
    doc = _first(index, q, IS_PART_OF)
    return Quote(
        quote=render_term(q, labels, link, index),
        text=term_value(text) if text is not None else "",
        doc=render_term(doc, labels, link, index) if doc is not None else None,
    )


def observation_row(obs: ox.NamedNode, index: Index, labels: Labels, link: Linker) -> ObservationRow:
    """One row of the observations table."""

    def cell(p: str) -> Value | None:
        o = _first(index, obs, p)
        return render_term(o, labels, link, index) if o is not None else None

    return ObservationRow(
        obs=render_term(obs, labels, link, index),
        indicator=cell(HPKG + "indicator"),
        period=cell(PERIOD),
        value=cell(OBS_VALUE),
        unit=cell(UNIT),
        qualifier=cell(HPKG + "valueQualifier"),
        percent_of_plan=cell(HPKG + "percentOfTarget"),
        evidence=[quote(t.object, index, labels, link) for t in index.get(obs, [])
                  if t.predicate.value == HPKG + "evidence"],
    )
