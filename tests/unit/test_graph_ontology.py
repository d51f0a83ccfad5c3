"""The shipped ontology (``hpkg/graph/ontology/hpkg.ttl``) reads like documentation: header metadata, labels in vi and en, comments, disjointness."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from hpkg.namespaces import HPKG, ONTOLOGY_IRI
from hpkg.shacl import load_ontology


@pytest.fixture(scope="module")
def onto(project):
    return load_ontology(project)


def test_header_has_version_license_and_creators(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(o, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, URIRef("http://purl.org/dc/terms/license")) is not None
    assert onto.value(o, URIRef("http://purl.org/dc/terms/creator")) is not None


def _terms(onto):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({s for k in kinds for s in onto.subjects(RDF.type, k) if isinstance(s, URIRef)})


def test_every_class_and_property_has_vi_and_en_labels_and_a_comment(onto):
    missing = []
    for term in _terms(onto):
        langs = {lbl.language for lbl in onto.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        comments = {c.language for c in onto.objects(term, RDFS.comment) if isinstance(c, Literal)}
        if not {"vi", "en"} <= langs or not {"vi", "en"} <= comments:
            missing.append(str(term))
    assert missing == []


def test_core_domain_is_modelled(onto):
    for local in ("ZoneAuthority", "EconomicZone", "IndustrialPark", "EcoIndustrialPark", "CoastalEconomicZone",
                  "Investor", "InvestmentProject", "Resolution", "Plan", "Target", "InvestmentPromotionProgramme",
                  "Ranking", "SourceDocument", "EvidenceQuote"):
        assert (HPKG[local], RDF.type, OWL.Class) in onto, local


def test_hpkg_classes_align_with_standard_vocabularies(onto):
    """Every hpkg class is a subclass of a class from a standard vocabulary (directly or via another hpkg class)."""
    for c in onto.subjects(RDF.type, OWL.Class):
        if not str(c).startswith(str(HPKG)):
            continue
        supers = set(onto.transitive_objects(c, RDFS.subClassOf)) - {c}
        assert any(not str(s).startswith(str(HPKG)) for s in supers), c


def test_data_structure_definition_declares_required_components(onto):
    qb = "http://purl.org/linked-data/cube#"
    dsd = HPKG["dsd-zone-indicators"]
    comps = list(onto.objects(dsd, URIRef(qb + "component")))
    dims = {onto.value(c, URIRef(qb + "dimension")) for c in comps} - {None}
    assert {HPKG.indicator, HPKG.sector,
            URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea"),
            URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")} == dims
    measures = {onto.value(c, URIRef(qb + "measure")) for c in comps} - {None}
    assert measures == {URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")}
