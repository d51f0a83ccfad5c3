"""Administrative change over time in the shipped graph (``data/admin-changes.ttl``): unit versions, the 2025
merger and the named queries about it."""

from __future__ import annotations

from hpkg.query import named_queries, run

BASE = "https://w3id.org/hpkg/id/"


def test_named_queries_have_questions_in_both_languages(project):
    qs = named_queries(project)
    for name in ("unit-on-date", "replaced-by"):
        assert qs[name].question_vi and qs[name].question_en


def test_unit_on_date_follows_the_merger(built_store, project):
    rows = run(built_store, "unit-on-date", project).rows()
    got = {(r["date"].value, r["zone"].value, r["unit"].value) for r in rows}
    zone = BASE + "zone/kcn-kkt-hai-phong"
    assert ("2024-12-31", zone, BASE + "place/hai-phong") in got
    assert ("2025-07-01", zone, BASE + "place/hai-phong-2025") in got
    assert ("2025-07-01", zone, BASE + "place/hai-phong") not in got
    codes = {(r["date"].value, r["code"].value) for r in rows if r["code"] is not None}
    assert ("2024-12-31", "31") in codes and ("2025-07-01", "31") in codes


def test_unit_on_date_with_an_edited_date(built_store, project):
    text = named_queries(project)["unit-on-date"].sparql.replace(
        '"2024-12-31"^^xsd:date "2025-07-01"^^xsd:date', '"2025-06-30"^^xsd:date')
    units = {r["unit"].value for r in built_store.query(text).rows()}
    assert units == {BASE + "place/hai-phong"}  # the last day of the pre-merger city


def test_replaced_by_names_the_merged_city_the_event_and_the_resolution(built_store, project):
    rows = run(built_store, "replaced-by", project).rows()
    by_unit = {r["unit"].value: r for r in rows}
    assert set(by_unit) == {BASE + "place/hai-phong", BASE + "place/hai-duong"}
    for r in by_unit.values():
        assert r["replacement"].value == BASE + "place/hai-phong-2025"
        assert r["date"].value == "2025-07-01"
        assert r["legalActId"].value == "202/2025/QH15"


def test_change_event_links_governments_and_places(built_store):
    ask = built_store.query(f"""
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX hpkg: <https://w3id.org/hpkg/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        ASK {{ ?e a org:ChangeEvent ;
                 org:originalOrganization ?g1 , ?g2 ; org:resultingOrganization ?g3 ;
                 prov:used <{BASE}place/hai-phong> , <{BASE}place/hai-duong> ;
                 prov:generated <{BASE}place/hai-phong-2025> ;
                 hpkg:legalBasis ?act .
               ?g1 hpkg:jurisdiction <{BASE}place/hai-phong> . ?g2 hpkg:jurisdiction <{BASE}place/hai-duong> .
               ?g3 hpkg:jurisdiction <{BASE}place/hai-phong-2025> .
               ?act a hpkg:Resolution ; eli:date_document "2025-06-12"^^<http://www.w3.org/2001/XMLSchema#date> ;
                    eli:passed_by ?na ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src .
               ?src a hpkg:SourceDocument }}""")
    assert ask.boolean


def test_2024_figures_refer_to_the_pre_merger_city(built_store):
    rows = built_store.query(f"""
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX hpkg: <https://w3id.org/hpkg/ontology#> PREFIX time: <http://www.w3.org/2006/time#>
        SELECT DISTINCT ?unit ?end WHERE {{
          ?o sdmx-dimension:refPeriod <{BASE}period/2024> ; sdmx-dimension:refArea ?area .
          ?area hpkg:locatedIn ?unit . ?unit hpkg:validDuring/time:hasEnd/time:inXSDDate ?end }}""").rows()
    assert [(r["unit"].value, r["end"].value) for r in rows] == [(BASE + "place/hai-phong", "2025-06-30")]
