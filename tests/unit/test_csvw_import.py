"""hpkg.opendata.csvw_import: CSVW tables -> Data Cube observations with row-level provenance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hpkg.build import build
from hpkg.errors import HpkgError
from hpkg.opendata.csvw_import import ImportRejected, import_table
from hpkg.store import OxigraphStore

from ..conftest import TEST_DATA

IMP = TEST_DATA / "import"
BASE = "https://w3id.org/hpkg/id/"


@pytest.fixture
def store(project):
    s = OxigraphStore(None)
    build(s, project=project, exports_dir=None, validate=False)
    return s


def _values(store, graph):
    rows = store.query(f"""PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?o ?v WHERE {{ GRAPH <{graph}> {{ ?o sdmx-measure:obsValue ?v }} }}""").rows()
    return {r["o"].value.rsplit("/", 1)[-1]: Decimal(r["v"].value) for r in rows}


def test_every_row_imported_or_rejected_with_reason(store):
    r = import_table(store, IMP / "mixed.csv", IMP / "mixed.csv-metadata.json")
    assert [n for n, _ in r.imported] == [2, 3, 4]
    reasons = dict(r.rejected)
    assert set(reasons) == {5, 6, 7, 8}
    assert "not a number" in reasons[5]
    assert "unknown indicator 'NOT_AN_INDICATOR'" in reasons[6]
    assert "unknown area" in reasons[7]
    assert "duplicate observation" in reasons[8] and "row 2" in reasons[8]
    assert "row 5: rejected" in r.text


def test_vietnamese_number_formats_and_units(store):
    r = import_table(store, IMP / "mixed.csv", IMP / "mixed.csv-metadata.json")
    v = _values(store, r.graph)
    assert v["fdi-reg-zone-kcn-kkt-hai-phong-2023-t"] == Decimal("1234500000")  # thousands dot
    assert v["budget-zone-kcn-kkt-hai-phong-2023-t"] == Decimal("12350")  # "12.350"
    assert v["proj-share-zone-kcn-kkt-hai-phong-2023-ht-mfg-log"] == Decimal("4.35")  # "4,35"
    r2 = import_table(store, IMP / "clean.csv", IMP / "clean.csv-metadata.json")
    v2 = _values(store, r2.graph)
    assert v2["fdi-reg-zone-kcn-kkt-hai-phong-2022-t"] == Decimal("1750000000")  # 1,75 × 10^9 declared unitMult
    units = {x["u"].value for x in store.query(f"""SELECT ?u WHERE {{ GRAPH <{r2.graph}> {{
        ?o <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }} }}""").rows()}
    assert units == {"http://qudt.org/vocab/unit/CCY_USD"}


def test_observations_follow_the_curated_structure_and_provenance(store):
    r = import_table(store, IMP / "clean.csv", IMP / "clean.csv-metadata.json")
    ok = store.query(f"""
        PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX time: <http://www.w3.org/2006/time#> PREFIX dcterms: <http://purl.org/dc/terms/>
        ASK {{ GRAPH <{r.graph}> {{
          ?o a qb:Observation ; qb:dataSet ?ds ; hpkg:indicator ?i ; sdmx-dimension:refArea <{BASE}zone/kcn-kkt-hai-phong> ;
             sdmx-dimension:refPeriod ?p ; hpkg:sector <{BASE}concept/sector/all> ; hpkg:valueQualifier ?q ;
             prov:wasDerivedFrom <{BASE}source/table/clean.csv> ; hpkg:evidence <{BASE}source/table/clean.csv#row=2> .
          ?ds qb:structure hpkg:dsd-zone-indicators .
          <{BASE}source/table/clean.csv> a hpkg:SourceDocument .
          <{BASE}source/table/clean.csv#row=2> a hpkg:EvidenceQuote ; prov:value "FDI_REG;zone/kcn-kkt-hai-phong;2022;1,75" ;
             dcterms:isPartOf <{BASE}source/table/clean.csv> .
          ?p a time:ProperInterval . }}
          ?i skos:notation "FDI_REG" }}""")
    assert ok.boolean


def test_reimport_does_not_duplicate(store):
    r = import_table(store, IMP / "clean.csv", IMP / "clean.csv-metadata.json")
    n = store.count(r.graph)
    before = store.count()
    import_table(store, IMP / "clean.csv", IMP / "clean.csv-metadata.json")
    assert store.count(r.graph) == n and store.count() == before


def test_strict_rejection_leaves_the_store_unchanged(store):
    before = sorted(map(str, store.quads()))
    with pytest.raises(ImportRejected) as e:
        import_table(store, IMP / "mixed.csv", IMP / "mixed.csv-metadata.json", strict=True)
    assert len(e.value.report.rejected) == 4
    assert sorted(map(str, store.quads())) == before


def test_bad_metadata_is_a_clear_error(store, tmp_path):
    meta = tmp_path / "x.csv-metadata.json"
    meta.write_text('{"@context": "http://www.w3.org/ns/csvw", "url": "x.csv", "tableSchema": {"columns": '
                    '[{"name": "a", "titles": "a"}]}}', encoding="utf-8")
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(HpkgError, match="no column for indicator, area, period, value"):
        import_table(store, tmp_path / "x.csv", meta)


def test_import_into_an_empty_store_is_a_clear_error():
    with pytest.raises(HpkgError, match="run 'hpkg build' first"):
        import_table(OxigraphStore(None), IMP / "clean.csv", IMP / "clean.csv-metadata.json")
