"""`hpkg catalog` against the official DCAT-AP 3.0.1 SHACL shapes: no result at any severity, without inference.

The shapes are the unchanged copies in tests/conformance/dcat-ap-3.0.1/ (see its README). Each file is checked on
its own, and shapes.ttl with range.ttl together. One kind of result is expected and named here: the vocabulary
shapes warn that a publisher should be in the EU corporate-bodies table, which lists EU institutions and a few
international organisations (DCAT-AP's usage note: other organisations use national or local vocabularies). The
publisher is hpkg's contributors, in no such table; claiming otherwise would be false. Anything else fails.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import hpkg.project
from hpkg.build import build
from hpkg.opendata.catalog import catalog_results, write_catalog
from hpkg.rdfio import parse_rdf
from hpkg.store import OxigraphStore

DCAT_AP = Path(__file__).resolve().parents[1] / "conformance" / "dcat-ap-3.0.1"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
EU = "http://publications.europa.eu/resource/authority/"

CHECKS = {
    "shapes": ["shapes.ttl"],
    "range": ["range.ttl"],
    "shapes+range": ["shapes.ttl", "range.ttl"],
    "recommended": ["shapes_recommended.ttl"],
    "mdr-vocabularies": ["mdr-vocabularies.shape.ttl"],
}


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    s = OxigraphStore(None)
    build(s, project=hpkg.project.shipped_only())
    return s


@pytest.fixture(scope="module")
def catalog(store, tmp_path_factory) -> list[ox.Triple]:
    """What `hpkg catalog` writes (catalog and VoID description), read back from the Turtle file."""
    out = write_catalog(store, tmp_path_factory.mktemp("catalog") / "catalog.ttl")
    return [q.triple for q in parse_rdf(out)]


def corporate_body_warning(r: dict, catalog: list[ox.Triple]) -> bool:
    """The one expected result: dct:publisher (hpkg's contributors) is not in the EU corporate-bodies table."""
    publishers = {t.object.value for t in catalog if t.predicate.value == DCT + "publisher"}
    return (r["severity"] == "Warning" and r["path"] == DCT + "publisher" and r["value"] in publishers
            and r["value"].endswith("/agent/hpkg-contributors"))


def show(results: list[dict]) -> str:
    return "\n".join(f"{r['severity']}: {r['focus']} {r['path']} = {r['value']} ({r['shape']}): {r['message']}"
                     for r in results)


@pytest.mark.parametrize("check", CHECKS)
def test_catalog_has_no_dcat_ap_3_0_1_result(catalog, check):
    results = catalog_results(catalog, [DCAT_AP / f for f in CHECKS[check]], inference="none")
    unexpected = [r for r in results if not corporate_body_warning(r, catalog)]
    assert not unexpected, f"{len(unexpected)} result(s) against {CHECKS[check]}:\n{show(unexpected)}"


def test_only_the_corporate_body_warnings_remain(catalog):
    """Exactly one per resource with a publisher (catalog, two datasets, service), all warnings, none hidden."""
    results = catalog_results(catalog, DCAT_AP / "mdr-vocabularies.shape.ttl")
    focus = sorted(r["focus"].rsplit("/id/", 1)[-1] for r in results)
    assert focus == ["catalog", "dataset/hpkg", "linkset/hpkg", "service/sparql"], show(results)
    assert all(corporate_body_warning(r, catalog) for r in results), show(results)


def test_every_eu_term_carries_its_authority_table(catalog):
    """Each EU vocabulary term used is a skos:Concept with a label, in its table, itself a titled concept scheme."""
    used = {t.object.value for t in catalog if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(EU)
            and "/" in t.object.value[len(EU):]}  # a term, not a table
    assert {EU + "language/VIE", EU + "file-type/RDF_TURTLE", EU + "country/VNM", EU + "data-theme/ECON",
            EU + "access-right/PUBLIC", EU + "planned-availability/EXPERIMENTAL"} <= used

    def objs(s, p):
        return {t.object.value for t in catalog if t.subject.value == s and t.predicate.value == p}

    for term in used:
        table = term.rsplit("/", 1)[0]
        assert objs(term, SKOS + "inScheme") == {table}, term
        assert SKOS + "Concept" in objs(term, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), term
        assert objs(term, SKOS + "prefLabel"), term
        assert objs(table, DCT + "title"), table


def test_a_term_without_its_table_is_reported(catalog):
    """The checks bite: drop skos:inScheme from the Vietnamese language and the vocabulary shapes say so."""
    broken = [t for t in catalog if not (t.subject.value == EU + "language/VIE" and t.predicate.value == SKOS + "inScheme")]
    results = catalog_results(broken, DCAT_AP / "mdr-vocabularies.shape.ttl")
    assert any(r["path"] == DCT + "language" and r["value"] == EU + "language/VIE" and r["severity"] == "Violation"
               for r in results), show(results)


def test_a_missing_recommended_property_is_reported(catalog):
    broken = [t for t in catalog if t.predicate.value != DCAT + "bbox"]
    results = catalog_results(broken, DCAT_AP / "shapes_recommended.ttl")
    assert [(r["focus"], r["path"], r["severity"]) for r in results] == [(EU + "country/VNM", DCAT + "bbox", "Warning")]


def test_coverage_comes_from_the_data(catalog):
    def objs(p):
        return {t.object.value for t in catalog if t.predicate.value == p}

    assert objs(DCAT + "startDate") == {"2024-01-01"} and objs(DCAT + "endDate") == {"2025-12-31"}
    assert objs(DCT + "spatial") == {EU + "country/VNM"}
