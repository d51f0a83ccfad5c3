"""hpkg.opendata.catalog: a DCAT-AP 3 description that conforms to the official DCAT-AP 3.0.1 SHACL shapes, and VoID."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hpkg.opendata.catalog import catalog_quads, validate_catalog, void_description
from hpkg.rdfio import parse_rdf

from ..conftest import ROOT

#: DCAT-AP 3.0.1's mandatory shapes and the classes of values, copied unchanged (tests/conformance/dcat-ap-3.0.1/);
#: tests/unit/test_dcat_ap.py adds the recommended and controlled-vocabulary shapes.
DCAT_AP = ROOT / "tests" / "conformance" / "dcat-ap-3.0.1"
SHAPES = [DCAT_AP / "shapes.ttl", DCAT_AP / "range.ttl"]
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def catalog(built_store):
    return catalog_quads(built_store)


def test_catalog_conforms_to_dcat_ap_3(catalog):
    conforms, text = validate_catalog(catalog, SHAPES)
    assert conforms, text


def test_catalog_without_title_does_not_conform(catalog):
    broken = [t for t in catalog if not (t.predicate.value == DCT + "title" and t.subject.value.endswith("/catalog"))]
    conforms, text = validate_catalog(broken, SHAPES)
    assert not conforms and "title" in text


def test_catalog_content(catalog):
    def objs(s_suffix, p):
        return {t.object for t in catalog if t.subject.value.endswith(s_suffix) and t.predicate.value == p}

    dists = objs("dataset/hpkg", DCAT + "distribution")
    assert len(dists) == 7  # six export formats and the SPARQL endpoint
    media = {t.object.value for t in catalog if t.predicate.value == DCAT + "mediaType"}
    assert "https://www.iana.org/assignments/media-types/text/turtle" in media
    kw = objs("dataset/hpkg", DCAT + "keyword")
    assert {k.language for k in kw} == {"vi", "en"}
    assert objs("service/sparql", DCAT + "endpointURL") == {ox.NamedNode("https://w3id.org/hpkg/sparql")}
    temporal = {t.object.value for t in catalog if t.predicate.value in (DCAT + "startDate", DCAT + "endDate")}
    assert temporal == {"2024-01-01", "2025-12-31"}
    assert objs("dataset/hpkg", DCT + "license") and objs("dataset/hpkg", DCAT + "contactPoint")


def test_void_description(built_store):
    void = void_description(built_store)
    preds = {t.predicate.value.rsplit("#", 1)[-1] for t in void}
    assert {"sparqlEndpoint", "dataDump", "triples", "subset", "linkPredicate", "vocabulary"} <= preds


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml"])
def test_void_serialisations_parse(built_store, fmt):
    from hpkg.formats import rdf_format
    from hpkg.opendata.catalog import serialize_void

    data = serialize_void(built_store, fmt)
    quads = parse_rdf(data, fmt=rdf_format(fmt))
    assert any(q.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint" for q in quads)


def test_void_description_agrees_with_the_stored_description(built_store):
    """/.well-known/void and a SPARQL query must not give two different sizes for the same dataset."""
    from hpkg.iri import base_iri, graph_iri

    VOID = "http://rdfs.org/ns/void#"  # noqa: N806

    void = set(void_description(built_store))
    stored = {q.triple for q in built_store.quads(graph_iri("meta")) if q.predicate.value.startswith(VOID)}
    assert stored and stored <= void
    ds = ox.NamedNode(f"{base_iri()}dataset/hpkg")
    sizes = {t.object for t in void if t.subject == ds and t.predicate.value == "http://rdfs.org/ns/void#triples"}
    assert len(sizes) == 1
