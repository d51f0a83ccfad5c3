"""Regression tests for the corrections of the data against its sources (issue 8, part 9).

Each test is named after the correction it guards. The source is the article in
src/hpkg/graph/sources/000_60cf227c69ab6101.txt; broken-data fixtures are the shipped graph with one
statement changed by a SPARQL update, validated with the shipped shapes.
"""

from __future__ import annotations

import pytest

import hpkg.project
from hpkg.build import build
from hpkg.iri import base_iri
from hpkg.shacl import validate
from hpkg.store import OxigraphStore

BASE = base_iri()
PREFIXES = """
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX unit: <http://qudt.org/vocab/unit/>
"""


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    """The shipped graph, built and validated (the build raises if it does not conform)."""
    s = OxigraphStore(None)
    build(s, project=hpkg.project.shipped_only())
    return s


def expand(query: str) -> str:
    """``<@zone/x>`` is the IRI ``zone/x`` under the graph's base."""
    return PREFIXES + query.replace("<@", f"<{BASE}")


def ask(store: OxigraphStore, query: str) -> bool:
    return bool(store.query(expand(query)).boolean)


def rows(store: OxigraphStore, query: str) -> list[dict]:
    return [{k: (v.value if v is not None else None) for k, v in r.items()} for r in store.query(expand(query)).rows()]


def broken(update: str, engine: str = "fast"):
    """The shipped graph changed by ``update`` (a SPARQL update over all graphs), validated: the report."""
    s = OxigraphStore(None)
    build(s, project=hpkg.project.shipped_only(), validate=False)
    s.update(expand(update))
    return validate(s, project=hpkg.project.shipped_only(), engine=engine)


def results(report, path_local: str) -> list:
    return [v for v in report.violations if (v.path or "").endswith(path_local)]


# ---------------------------------------------------------------- Southern Hai Phong Coastal Economic Zone


def test_southern_coastal_zone_has_no_invented_status(store):
    """The article says a master plan will be drawn up (p9-s2), not that the zone is not yet established."""
    assert not ask(store, "ASK { <@zone/kkt-ven-bien-phia-nam-hai-phong> hpkg:zoneStatus ?s }")
    # what the article does say is kept: the zone, and the master plan being prepared, with its evidence
    plan = rows(store, """SELECT ?plan ?status WHERE {
        ?plan hpkg:concernsZone <@zone/kkt-ven-bien-phia-nam-hai-phong> ;
              hpkg:planStatus ?status ; hpkg:evidence <@source/bqlkkt-hai-phong-2025-01-06/p9-s2> .
        FILTER(lang(?status) = "en") }""")
    assert plan and plan[0]["status"] == "being prepared (2025)"
    assert ask(store, "ASK { <@zone/kkt-ven-bien-phia-nam-hai-phong> a hpkg:CoastalEconomicZone ; "
                      "hpkg:evidence <@source/bqlkkt-hai-phong-2025-01-06/p9-s2> }")


def test_southern_coastal_zone_status_still_at_most_one():
    report = broken("INSERT DATA { GRAPH <@graph/data> { <@zone/kkt-ven-bien-phia-nam-hai-phong> "
                    "hpkg:zoneStatus <@concept/zone-status/planned> , <@concept/zone-status/operating> } }")
    assert results(report, "#zoneStatus"), report.text


# ---------------------------------------------------------------- provenance of background facts


def test_viet_nam_and_background_labels_have_provenance(store):
    """Vietnam, the role 'Trưởng ban' and the QUDT units each name a source document described in the graph."""
    for iri in ("<@place/viet-nam>", "<@role/truong-ban>", "unit:CCY_USD", "unit:CCY_VND", "unit:PERCENT",
                "unit:MO", "unit:NUM"):
        assert ask(store, f"ASK {{ {iri} prov:wasDerivedFrom ?doc . ?doc a hpkg:SourceDocument ; rdfs:label ?l }}"), iri
    # Vietnam's names are ISO 3166-1's, as pycountry gives them; no unsourced label is left
    labels = {r["l"] for r in rows(store, "SELECT ?l WHERE { <@place/viet-nam> rdfs:label|skos:prefLabel|skos:altLabel ?l }")}
    assert labels == {"Việt Nam", "Vietnam", "Viet Nam"}
    assert ask(store, "ASK { <@place/viet-nam> prov:wasDerivedFrom <https://pypi.org/project/pycountry/26.2.16/> }")
    # the role rests on the sentence that names it
    assert ask(store, "ASK { <@role/truong-ban> hpkg:evidence <@source/bqlkkt-hai-phong-2025-01-06/p2-s1> }")


# ---------------------------------------------------------------- Đài Loan (Trung Quốc)


def test_dai_loan_is_a_territory_with_its_iso_codes(store):
    """The source writes 'Đài Loan (Trung Quốc)': a territory, not a country; ISO 3166-1 TW / TWN / 158."""
    assert not ask(store, "ASK { <@place/dai-loan> a schema:Country }")
    codes = rows(store, "SELECT ?a2 ?a3 ?n WHERE { <@place/dai-loan> a hpkg:Territory ; hpkg:iso3166Alpha2 ?a2 ; "
                        "hpkg:iso3166Alpha3 ?a3 ; hpkg:iso3166Numeric ?n }")
    assert codes == [{"a2": "TW", "a3": "TWN", "n": "158"}]
    assert ask(store, "ASK { <@place/dai-loan> skos:altLabel 'Đài Loan (Trung Quốc)'@vi ; "
                      "hpkg:evidence <@source/bqlkkt-hai-phong-2025-01-06/p6-s1> }")
    # its links are kept: the EU country table entry, GeoNames, and Wikidata's state as a close match only
    assert ask(store, "ASK { <@place/dai-loan> skos:exactMatch <http://publications.europa.eu/resource/authority/country/TWN> ; "
                      "skos:closeMatch <http://www.wikidata.org/entity/Q865> }")


def test_dai_loan_is_a_territory_and_the_market_queries_still_answer(store):
    from hpkg.query import run

    shipped = hpkg.project.shipped_only()
    markets = {r["marketEn"].value for r in run(store, "promotion-markets", shipped).rows() if r["marketEn"] is not None}
    assert {"South Korea", "Japan", "China", "Taiwan"} <= markets
    countries = {r["countryEn"].value for r in run(store, "investors-by-country", shipped).rows()
                 if r["countryEn"] is not None}
    assert "South Korea" in countries


def test_dai_loan_is_a_territory_not_also_a_country():
    report = broken("INSERT DATA { GRAPH <@graph/data> { <@place/dai-loan> a schema:Country } }")
    assert any(v.focus == f"{BASE}place/dai-loan" for v in report.violations), report.text


def test_dai_loan_is_a_territory_as_a_target_market():
    """A target market is a country or a territory; anything else is still rejected."""
    report = broken("INSERT DATA { GRAPH <@graph/data> { <@activity/x> a hpkg:InvestmentPromotionProgramme ; "
                    "hpkg:targetMarket <@zone/kcn-kkt-hai-phong> } }")
    assert any(v.focus == f"{BASE}activity/x" and (v.path or "").endswith("#targetMarket") for v in report.violations)


# ---------------------------------------------------------------- LG's 10.59 billion USD


def test_lg_capital_currency_is_an_iri(store):
    """'trên 10,59 tỷ USD' (p6-s2): the currency is the unit IRI, as every other amount's, not the string 'USD'."""
    amount = rows(store, """SELECT ?unit ?min WHERE { <@project/du-an-tap-doan-lg-tai-hai-phong/von-dau-tu>
        sdmx-attribute:unitMeasure ?unit ; schema:minValue ?min }""")
    assert amount == [{"unit": "http://qudt.org/vocab/unit/CCY_USD", "min": "10590000000"}]
    assert not ask(store, "ASK { ?amount schema:currency ?c }")
    assert not ask(store, "ASK { ?x sdmx-attribute:unitMeasure ?u FILTER(!isIRI(?u)) }")


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_lg_capital_currency_string_is_rejected(engine):
    report = broken("DELETE { GRAPH ?g { ?a sdmx-attribute:unitMeasure ?u } } INSERT { GRAPH ?g { ?a schema:currency 'USD' } } "
                    "WHERE { GRAPH ?g { ?a a schema:MonetaryAmount ; sdmx-attribute:unitMeasure ?u } }", engine=engine)
    paths = {(v.path or "").rsplit("/", 1)[-1] for v in report.violations}
    assert {"currency", "attribute#unitMeasure"} <= paths, report.text


def test_lg_capital_currency_string_as_unit_is_rejected():
    report = broken("DELETE { GRAPH ?g { ?a sdmx-attribute:unitMeasure ?u } } INSERT { GRAPH ?g { ?a sdmx-attribute:unitMeasure 'USD' } } "
                    "WHERE { GRAPH ?g { ?a a schema:MonetaryAmount ; sdmx-attribute:unitMeasure ?u } }")
    assert results(report, "#unitMeasure"), report.text


# ---------------------------------------------------------------- "bằng 242% kế hoạch" (1,8-2,3 tỷ USD)

FDI_2024 = "<@obs/fdi-registered-kcn-kkt-hai-phong-2024>"


def test_attainment_basis_of_242_percent_is_the_lower_bound(store):
    """4.35 / 1.8 = 241.7% rounds to the stated 242%; against the upper bound 2.3 it would be 189%."""
    r = rows(store, f"""SELECT ?code ?pct ?v ?min ?max WHERE {{
        {FDI_2024} hpkg:attainmentBasis/skos:notation ?code ; hpkg:percentOfTarget ?pct ;
            <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v ;
            hpkg:comparedToTarget [ hpkg:minValue ?min ; hpkg:maxValue ?max ] }}""")
    assert len(r) == 1 and r[0]["code"] == "LOWER_BOUND"
    v, lo, hi, pct = (float(r[0][k]) for k in ("v", "min", "max", "pct"))
    assert abs(100 * v / lo - pct) <= 0.5 and abs(100 * v / hi - pct) > 50
    # the basis is a concept of its scheme, labelled in both languages
    assert ask(store, "ASK { <@concept/attainment-basis/lower-bound> skos:inScheme <@concept/attainment-basis> ; "
                      "skos:prefLabel ?vi , ?en FILTER(lang(?vi) = 'vi' && lang(?en) = 'en') }")


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_attainment_basis_upper_bound_with_242_percent_is_rejected(engine):
    """Broken data: the basis says upper bound, but 242% is stated (4.35 / 2.3 = 189%)."""
    report = broken(f"""DELETE {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis ?b }} }}
        INSERT {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis <@concept/attainment-basis/upper-bound> }} }}
        WHERE {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis ?b }} }}""", engine=engine)
    bad = results(report, "#percentOfTarget")
    assert [v.focus for v in bad] == [f"{BASE}obs/fdi-registered-kcn-kkt-hai-phong-2024"], report.text
    assert "189.1" in bad[0].message("en") and "UPPER_BOUND" in bad[0].message("en")


def test_attainment_basis_lower_bound_rejects_a_wrong_percentage():
    """With the lower bound as basis the check is exact: 189% stated would not agree with 4.35 / 1.8."""
    report = broken(f"""DELETE {{ GRAPH ?g {{ {FDI_2024} hpkg:percentOfTarget ?p }} }}
        INSERT {{ GRAPH ?g {{ {FDI_2024} hpkg:percentOfTarget 189.0 }} }}
        WHERE {{ GRAPH ?g {{ {FDI_2024} hpkg:percentOfTarget ?p }} }}""")
    assert results(report, "#percentOfTarget"), report.text


def test_attainment_basis_must_name_a_plan_value_the_target_has():
    report = broken(f"""DELETE {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis ?b }} }}
        INSERT {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis <@concept/attainment-basis/point-target> }} }}
        WHERE {{ GRAPH ?g {{ {FDI_2024} hpkg:attainmentBasis ?b }} }}""")
    assert results(report, "#attainmentBasis"), report.text
