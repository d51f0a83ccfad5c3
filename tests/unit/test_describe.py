"""hpkg.describe: an entity's description from a real in-memory store (small graphs written here)."""

from __future__ import annotations

import pyoxigraph as ox

from hpkg.describe import describe_entity, entity_exists
from hpkg.store import OxigraphStore

TTL = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix hpkg: <https://w3id.org/hpkg/ontology#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix ex: <http://example.org/> .

ex:area rdfs:label "Vùng thử"@vi , "Test area"@en ; ex:near ex:other ; ex:note [ rdfs:label "a blank value" ] .
ex:other rdfs:label "Other"@en .
ex:doc rdfs:label "Report"@en ; dcterms:issued "2024-01-02" ; ex:unrelated "not copied" .
ex:cell-1 a hpkg:EvidenceQuote ; rdfs:label "Cell A1"@en ; prov:value "12"@vi ; dcterms:isPartOf ex:doc .
ex:obs-1 a qb:Observation ; sdmx-dimension:refArea ex:area ; hpkg:indicator ex:ind ; sdmx-measure:obsValue 12 ;
    prov:wasDerivedFrom ex:doc ; hpkg:evidence ex:cell-1 .
ex:ind skos:notation "FDI_REG" ; rdfs:label "Registered"@en .
ex:pointer ex:points ex:area ; rdfs:label "Pointer"@en .
ex:far rdfs:label "Far"@en .
"""

EX = "http://example.org/"


def store() -> OxigraphStore:
    s = OxigraphStore(None)
    s.load(TTL.encode(), fmt=ox.RdfFormat.TURTLE)
    return s


def spo(triples: list[ox.Triple]) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in triples}


def test_the_description_holds_own_inbound_observations_provenance_and_labels():
    got = spo(describe_entity(store(), EX + "area"))
    iri = lambda local: f"<{EX}{local}>"  # noqa: E731
    # own triples and the blank node's
    assert (iri("area"), "<http://www.w3.org/2000/01/rdf-schema#label>", '"Test area"@en') in got
    assert any(s.startswith("_:") and o == '"a blank value"' for s, _, o in got)
    # what points at it, with the pointer's label
    assert (iri("pointer"), iri("points"), iri("area")) in got
    assert (iri("pointer"), "<http://www.w3.org/2000/01/rdf-schema#label>", '"Pointer"@en') in got
    # the observation whole, its indicator's notation and label, its evidence and the evidence's document
    assert (iri("obs-1"), "<http://purl.org/linked-data/sdmx/2009/measure#obsValue>",
            '"12"^^<http://www.w3.org/2001/XMLSchema#integer>') in got
    assert (iri("ind"), "<http://www.w3.org/2004/02/skos/core#notation>", '"FDI_REG"') in got
    assert (iri("cell-1"), "<http://www.w3.org/ns/prov#value>", '"12"@vi') in got
    assert (iri("doc"), "<http://purl.org/dc/terms/issued>", '"2024-01-02"') in got
    assert (iri("doc"), "<http://www.w3.org/2000/01/rdf-schema#label>", '"Report"@en') in got
    # labels of what it links to; nothing else of its neighbours
    assert (iri("other"), "<http://www.w3.org/2000/01/rdf-schema#label>", '"Other"@en') in got
    assert not any(p == iri("unrelated") for _, p, _ in got)
    assert not any(s == iri("far") for s, _, _ in got)


def test_the_entity_comes_first_and_the_order_is_stable():
    s = store()
    a = describe_entity(s, EX + "area")
    assert a[0].subject == ox.NamedNode(EX + "area")
    assert a == describe_entity(s, EX + "area")
    assert len(a) == len(set(a))


def test_inbound_and_observations_are_bounded():
    s = store()
    s.load("".join(f"<{EX}o{i}> a <http://purl.org/linked-data/cube#Observation> ; <{EX}d> <{EX}area> .\n"
                   for i in range(30)).encode(), fmt=ox.RdfFormat.TURTLE)
    got = describe_entity(s, EX + "area", max_inbound=5)
    inbound = [t for t in got if t.object == ox.NamedNode(EX + "area")]
    assert len(inbound) <= 5 + 5  # at most 5 pointers, and the (at most 5) observations' own refArea triples
    observations = {t.subject for t in got if t.object == ox.NamedNode("http://purl.org/linked-data/cube#Observation")}
    assert 1 <= len(observations) <= 5


def test_an_entity_with_nothing_is_empty_and_unknown():
    assert describe_entity(store(), EX + "nothing") == []
    assert not entity_exists(store(), EX + "nothing")
    assert entity_exists(store(), EX + "other")
