"""The shipped data (``hpkg/graph/data``) against its source article (the shipped copy in ``hpkg/graph/sources``):
verbatim evidence, every figure present, provenance everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from hpkg.iri import base_iri, fold, graph_iri, slugify

from ..conftest import SEED

PREFIXES = """
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def _paragraphs() -> list[str]:
    return [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]


def test_every_evidence_quote_is_verbatim_at_its_paragraph(built_store):
    rows = built_store.query(
        PREFIXES + "SELECT ?q ?text ?p ?s WHERE { ?q a hpkg:EvidenceQuote ; prov:value ?text ; "
        "hpkg:paragraph ?p ; hpkg:sentence ?s }"
    ).rows()
    paragraphs = _paragraphs()
    assert len(rows) == 15
    covered = {i: "" for i in range(1, len(paragraphs) + 1)}
    for r in sorted(rows, key=lambda r: (int(r["p"].value), int(r["s"].value))):
        para = paragraphs[int(r["p"].value) - 1]
        assert r["text"].value in para, r["q"]
        assert r["text"].language == "vi"
        covered[int(r["p"].value)] += r["text"].value + " "
    # Together the quotes cover every paragraph of the article, whole.
    for i, para in enumerate(paragraphs, 1):
        assert covered[i].strip() == para


def test_every_quote_supports_at_least_one_fact(built_store):
    unused = built_store.query(
        PREFIXES + "SELECT ?q WHERE { ?q a hpkg:EvidenceQuote FILTER NOT EXISTS { ?f hpkg:evidence ?q } }"
    ).rows()
    assert [r["q"].value.rsplit("/", 1)[1] for r in unused] == []


def _vn_number(token: str) -> Decimal:
    """Vietnamese number: dot groups thousands, comma is the decimal mark."""
    return Decimal(token.replace(".", "").replace(",", "."))


def test_every_figure_of_the_article_is_in_the_graph(built_store):
    numbers = set()
    for r in built_store.query(
        f"SELECT ?v WHERE {{ GRAPH <{graph_iri('data')}> {{ ?s ?p ?v FILTER(isNumeric(?v)) }} }}"
    ).rows():
        numbers.add(Decimal(r["v"].value))
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"\d{1,2}/\d{1,2}/\d{4}|Ngày \d{1,2}/\d{1,2}|\d+-NQ/TW|\d+/20", " ", text)  # dates, act numbers, ranks
    missing = []
    for token in re.findall(r"\d+(?:[.,]\d+)*", text):
        value = _vn_number(token)
        if 2019 <= value <= 2030 and value == value.to_integral():
            continue  # years: checked through periods below
        if not any(value * scale in numbers for scale in (1, 1_000_000, 1_000_000_000)):
            missing.append(token)
    assert missing == []


@pytest.mark.parametrize(
    ("notation", "value", "unit", "qualifier", "percent_of_target"),
    [
        ("FDI_REG", "4350000000", "CCY_USD", "EXACT", "242"),
        ("FDI_CUM", "30300000000", "CCY_USD", "EXACT", None),
        ("FDI_PROJ_CUM", "594", "PROJECT", "EXACT", None),
        ("PROJ_SHARE", "77", "PERCENT", "EXACT", None),
        ("REVENUE", "33500000000", "CCY_USD", "APPROX", "105"),
        ("EXPORTS", "28500000000", "CCY_USD", "ESTIMATE", "109"),
        ("IMPORTS", "22800000000", "CCY_USD", "ESTIMATE", "107"),
        ("BUDGET", "12350000000000", "CCY_VND", "ESTIMATE", "104"),
        ("WORKFORCE", "210000", "PERSON", "MIN", None),
        ("INCOME_AVG", "11500000", "VND/MO", "APPROX", None),
    ],
)
def test_observation_matches_the_article(built_store, notation, value, unit, qualifier, percent_of_target):
    rows = built_store.query(
        PREFIXES
        + f"""SELECT ?v ?unit ?qual ?pct ?period WHERE {{
          ?o a qb:Observation ; hpkg:indicator/skos:notation "{notation}" ; sdmx-measure:obsValue ?v ;
             sdmx-attribute:unitMeasure ?u ; hpkg:valueQualifier/skos:notation ?qual ;
             <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod>/dcterms:identifier ?period .
          OPTIONAL {{ ?u skos:notation ?unit }}
          OPTIONAL {{ ?o hpkg:percentOfTarget ?pct }}
        }}"""
    ).rows()
    assert len(rows) == 1
    r = rows[0]
    assert Decimal(r["v"].value) == Decimal(value)
    assert r["v"].datatype.value == "http://www.w3.org/2001/XMLSchema#decimal"
    assert r["unit"].value == unit.replace("CCY_", "")
    assert r["qual"].value == qualifier
    assert r["period"].value == "2024"
    assert (r["pct"] and Decimal(r["pct"].value)) == (percent_of_target and Decimal(percent_of_target))


def test_fact_nodes_carry_provenance(built_store):
    rows = built_store.query(
        PREFIXES
        + f"""SELECT ?s ?c WHERE {{ GRAPH <{graph_iri('data')}> {{
              ?s a ?c .
              VALUES ?c {{ qb:Observation hpkg:Target hpkg:Plan hpkg:MasterPlan hpkg:Ranking hpkg:Resolution
                          hpkg:PolicyMeasure hpkg:InvestmentProject hpkg:InvestmentPromotionProgramme
                          hpkg:ZoneAuthority hpkg:GovernmentBody hpkg:Investor hpkg:ZoneGroup
                          hpkg:CoastalEconomicZone }}
              FILTER NOT EXISTS {{ ?s prov:wasDerivedFrom ?doc ; hpkg:evidence ?q }}
            }} }}"""
    ).rows()
    assert rows == []


def test_source_document_is_described(built_store):
    rows = built_store.query(
        PREFIXES + """SELECT ?issued ?lang ?title WHERE { ?d a hpkg:SourceDocument ; dcterms:issued ?issued ;
            dcterms:language ?lang ; dcterms:title ?title ; dcterms:identifier "000_60cf227c69ab6101" }"""
    ).rows()
    assert len(rows) == 1
    assert rows[0]["issued"].value == "2025-01-06"
    assert rows[0]["lang"].value.endswith("/vi")


def test_entity_iris_are_slugs_folded_from_vietnamese_labels(built_store):
    base = base_iri()
    rows = built_store.query(
        PREFIXES + f"""SELECT ?s (GROUP_CONCAT(?l; separator="|") AS ?labels) WHERE {{
            GRAPH <{graph_iri('data')}> {{ ?s rdfs:label|skos:altLabel ?l FILTER(lang(?l) = "vi") }}
            FILTER(REGEX(STR(?s), "^{base}(zone|org|place|person)/[^/]+$"))
        }} GROUP BY ?s"""
    ).rows()
    assert len(rows) >= 10
    for r in rows:
        local = r["s"].value.rsplit("/", 1)[1]
        # The slug of a label, or of its name without a parenthesised qualifier plus a
        # disambiguating suffix ("Thành phố Hải Phòng (từ 1/7/2025)" -> thanh-pho-hai-phong-2025).
        slugs = {slugify(re.sub(r"\(.*?\)", "", lbl)) for lbl in r["labels"].value.split("|")}
        assert any(local == s or local.startswith(s + "-") for s in slugs), (r["s"].value, slugs)


def test_slugify_folds_vietnamese():
    assert slugify("Đình Vũ") == "dinh-vu"
    assert slugify("Khu kinh tế Đình Vũ - Cát Hải") == "khu-kinh-te-dinh-vu-cat-hai"
    assert fold("Hải Phòng") == "Hai Phong"
    assert slugify("  TP. Hải Phòng ") == "tp-hai-phong"
