"""hpkg.server.fdi: a unit's FDI table by report, from a small graph written here (real in-memory store)."""

from __future__ import annotations

import pyoxigraph as ox

from hpkg.describe import MAX_INBOUND, describe_entity
from hpkg.server.config import ServerSettings
from hpkg.server.fdi import fdi_table
from hpkg.server.views import Linker
from hpkg.store import OxigraphStore

BASE = "http://example.org/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
QB_OBSERVATION = "http://purl.org/linked-data/cube#Observation"


def obs(area: str, year: str, notation: str, value: str, cell: str | None = None) -> str:
    ev = f" ; hpkg:evidence <source/{year}/cell/{cell}>" if cell else ""
    return (f"<obs/{area}/{year}/{notation}> a qb:Observation ; sdmx-dimension:refArea <code/{area}> ; "
            f"hpkg:indicator <ind/{notation}> ; qb:dataSet <dataset/{year}> ; sdmx-measure:obsValue {value} ; "
            f"prov:wasDerivedFrom <source/{year}>{ev} .\n"
            + (f"<source/{year}/cell/{cell}> rdfs:label \"Cell {cell}\"@en , \"Ô {cell}\"@vi .\n" if cell else ""))


TTL = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hpkg: <https://w3id.org/hpkg/ontology#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
<ind/FDI_REG> skos:notation "FDI_REG" .
<ind/PROJ_NEW> skos:notation "PROJ_NEW" .
<ind/FDI_CUM> skos:notation "FDI_CUM" .
<source/2023> rdfs:label "Report 2023"@en , "Báo cáo 2023"@vi ; dcterms:temporal <period/2023> .
<source/2022> rdfs:label "Report 2022"@en ; dcterms:temporal <period/2022> .
<period/2023> dcterms:identifier "2023" ; time:hasBeginning [ time:inXSDDate "2023-01-01"^^xsd:date ] .
<period/2022> dcterms:identifier "2022" ; time:hasBeginning [ time:inXSDDate "2022-01-01"^^xsd:date ] .
<code/new> dcterms:replaces <code/a> , <code/b> .
""" + "".join([
    obs("a", "2023", "FDI_REG", "1000.5", "I1"), obs("a", "2023", "PROJ_NEW", "3.0", "C1"),
    obs("b", "2023", "FDI_REG", "2000", "I2"),
    obs("a", "2022", "FDI_REG", "700", "I9"), obs("b", "2022", "FDI_REG", "300", "I8"),
    obs("a", "2022", "FDI_CUM", "99999"),
])


def setup() -> tuple[OxigraphStore, Linker]:
    s = OxigraphStore(None)
    s.load(TTL.encode(), fmt=ox.RdfFormat.TURTLE, base_iri=BASE)
    return s, Linker(ServerSettings(base=BASE), "en")


def own(store: OxigraphStore, iri: str) -> list[ox.Triple]:
    return store.query(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}").triples()


def test_an_old_unit_has_one_row_per_report_in_order_with_its_cells():
    s, link = setup()
    t = fdi_table(s, BASE + "code/a", own(s, BASE + "code/a"), link, lambda i: i)
    assert t is not None and not t.parts
    assert [r.period for r in t.rows] == ["2022", "2023"]
    last = t.rows[1]
    assert last.report.text == "Report 2023" and last.report.href == "/page/source/2023?lang=en"
    assert last.cells["total"].value == 1000.5 and last.cells["total"].text == "1,000.5"
    assert last.cells["new_projects"].text == "3"
    assert [c.text for c in last.cells["total"].cells] == ["Cell I1"]
    assert last.cells["total"].cells[0].href == "/page/source/2023/cell/I1?lang=en"
    assert last.cells["added_capital"].value is None and last.cells["added_capital"].text == ""
    # the cumulative stock is not a column: left to the page's general table
    assert BASE + "obs/a/2022/FDI_CUM" not in t.observations
    assert BASE + "obs/a/2023/FDI_REG" in t.observations
    assert t.series() == [{"report": "2022", "value": 700.0, "text": "700"},
                          {"report": "2023", "value": 1000.5, "text": "1,000.5"}]


def test_a_2025_unit_sums_the_units_it_replaces_and_says_which_cells():
    s, link = setup()
    t = fdi_table(s, BASE + "code/new", own(s, BASE + "code/new"), link, lambda i: i.rsplit("/", 1)[1].upper())
    assert t is not None
    assert [p.iri for p in t.parts] == [BASE + "code/a", BASE + "code/b"]
    total = t.rows[1].cells["total"]
    assert total.value == 3000.5 and total.parts == 2
    assert [c.text for c in total.cells] == ["A: Cell I1", "B: Cell I2"]
    projects = t.rows[1].cells["new_projects"]
    assert projects.value == 3 and projects.parts == 1  # only one of the two units has the figure
    assert t.rows[0].cells["total"].value == 1000.0


def test_vietnamese_labels_and_numbers():
    s, _ = setup()
    t = fdi_table(s, BASE + "code/a", own(s, BASE + "code/a"), Linker(ServerSettings(base=BASE), "vi"), lambda i: i)
    assert t is not None
    assert t.rows[1].report.text == "Báo cáo 2023"
    assert t.rows[1].cells["total"].text == "1.000,5"
    assert t.rows[1].cells["total"].cells[0].text == "Ô I1"


def test_a_unit_without_figures_has_no_table():
    s, link = setup()
    assert fdi_table(s, BASE + "code/none", [], link, lambda i: i) is None


def test_the_table_read_from_the_unit_s_description_is_the_table_asked_for():
    # the page passes the description it has already read (describe_entity): the same table, one query less
    s, link = setup()
    for unit in ("code/a", "code/b", "code/new", "code/none"):
        iri = BASE + unit
        described = describe_entity(s, iri)
        asked = fdi_table(s, iri, own(s, iri), link, lambda i: i)
        assert fdi_table(s, iri, own(s, iri), link, lambda i: i, described) == asked
    assert asked is None  # code/none
    t = fdi_table(s, BASE + "code/a", own(s, BASE + "code/a"), link, lambda i: i, describe_entity(s, BASE + "code/a"))
    assert t is not None and t.rows[1].cells["total"].value == 1000.5


def test_a_description_without_the_observations_is_not_read_as_no_figures():
    # a description holds at most MAX_INBOUND observations; one that may lack some is not trusted
    s, link = setup()
    iri = BASE + "code/a"
    many = [ox.Triple(ox.NamedNode(f"{BASE}obs/x{i}"), ox.NamedNode(RDF_TYPE), ox.NamedNode(QB_OBSERVATION))
            for i in range(MAX_INBOUND)]
    t = fdi_table(s, iri, own(s, iri), link, lambda i: i, many)
    assert t is not None and [r.period for r in t.rows] == ["2022", "2023"]
