"""Incremental validation of writes (hpkg.shacl.incremental, hpkg.update): its verdict equals a full validation.

The shipped graph conforms; every write below is validated incrementally (only the focus nodes it can affect)
and, on a copy with the same update applied, in full with the compiled engine: the two result sets (compared
by ``Violation.key()``) must be equal, every time.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from hpkg.build import build
from hpkg.project import shipped_only
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, load_shapes, validate
from hpkg.shacl.compiler import compile_shapes
from hpkg.shacl.incremental import shape_reach
from hpkg.store import OxigraphStore
from hpkg.store.updates import insert_data
from hpkg.update import UpdateRejected, apply_validated_update, check_update

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "data" / "shapes").glob("*.ttl"))
FIXTURE_GRAPH = "https://w3id.org/hpkg/id/graph/fixture"
HPKG = "https://w3id.org/hpkg/ontology#"
SHAPES_NS = "https://w3id.org/hpkg/shapes#"
TARGET = "https://w3id.org/hpkg/id/target/fdi-registered-kcn-kkt-hai-phong-2024"
OBSERVATION = "https://w3id.org/hpkg/id/obs/fdi-registered-kcn-kkt-hai-phong-2024"


@pytest.fixture(scope="module")
def project():
    return shipped_only()


@pytest.fixture(scope="module")
def graphs(project):
    return load_shapes(project), load_ontology(project)


@pytest.fixture(scope="module")
def shipped(project):
    """The shipped graph, built in memory (never modified: updates run on copies)."""
    store = OxigraphStore(None)
    build(store, project=project)
    return store


def copy_of(store: OxigraphStore) -> OxigraphStore:
    c = OxigraphStore(None)
    c.engine.extend(store.engine)
    return c


_BNODE_ID = re.compile(r"^(_:)?N?[0-9a-f]{8,32}$")  # Oxigraph prints u128 ids without leading zeros


def keys(report) -> Counter:
    """The results' keys, blank-node identifiers blanked out (the two runs of an update make their own)."""
    return Counter(tuple("_:b" if isinstance(x, str) and _BNODE_ID.match(x) else x for x in v.key())
                   for v in report.violations)


def both_verdicts(store, update, project, graphs):
    """(incremental report, full report of the after-state)."""
    shapes, ontology = graphs
    outcome = check_update(store, update, project=project, shapes=shapes, ontology=ontology)
    after = copy_of(store)
    after.update(update)
    full = validate(after, project=project, shapes=shapes, ontology=ontology)
    return outcome.report, full


def test_the_shipped_graph_conforms(shipped, project, graphs):
    shapes, ontology = graphs
    assert validate(shipped, project=project, shapes=shapes, ontology=ontology).conforms


#: A few fixtures, one per kind of shape (core constraints, SHACL-SPARQL, blank nodes, a conforming world); every
#: fixture, and random updates, are in tests/integration/test_shacl_incremental_proof.py.
QUICK = ["valid-world", "observation-missing-unit", "compared-target-period-disagrees", "zone-two-statuses",
         "fact-missing-evidence"]


@pytest.mark.parametrize("name", QUICK)
def test_fixture_insert_incremental_equals_full(name, shipped, project, graphs):
    fixture = ROOT / "tests" / "data" / "shapes" / f"{name}.ttl"
    update = insert_data(list(parse_rdf(fixture)), graph=FIXTURE_GRAPH)
    incremental, full = both_verdicts(shipped, update, project, graphs)
    assert keys(incremental) == keys(full)
    assert incremental.conforms == full.conforms


DELETES_BREAKING_ANOTHER_NODE = {
    "target loses its minValue": f"DELETE WHERE {{ GRAPH ?g {{ <{TARGET}> <{HPKG}minValue> ?v }} }}",
    "target deleted": f"DELETE WHERE {{ GRAPH ?g {{ <{TARGET}> ?p ?o }} }}",
    # the observation now points at another target (other indicator and unit): the fallback shape breaks
    "observation retargeted": (f"DELETE {{ GRAPH ?g {{ <{OBSERVATION}> <{HPKG}comparedToTarget> ?t }} }} "
                               f"INSERT {{ GRAPH ?g {{ <{OBSERVATION}> <{HPKG}comparedToTarget> "
                               f"<https://w3id.org/hpkg/id/target/revenue-kcn-kkt-hai-phong-2024> }} }} "
                               f"WHERE {{ GRAPH ?g {{ <{OBSERVATION}> <{HPKG}comparedToTarget> ?t }} }}"),
}


@pytest.mark.parametrize("name", sorted(DELETES_BREAKING_ANOTHER_NODE))
def test_delete_breaking_the_observation_that_points_at_it(name, shipped, project, graphs):
    incremental, full = both_verdicts(shipped, DELETES_BREAKING_ANOTHER_NODE[name], project, graphs)
    assert not full.conforms
    assert keys(incremental) == keys(full)


def test_deleting_the_minvalue_is_blamed_on_the_observation(shipped, project, graphs):
    shapes, ontology = graphs
    store = copy_of(shipped)
    before = set(store.engine)
    with pytest.raises(UpdateRejected) as e:
        apply_validated_update(store, DELETES_BREAKING_ANOTHER_NODE["target loses its minValue"], project=project,
                               shapes=shapes, ontology=ontology)
    assert any(v.focus == OBSERVATION for v in e.value.report.violations)
    assert set(store.engine) == before


def test_conforming_update_lands_with_counts(shipped, project, graphs):
    shapes, ontology = graphs
    store = copy_of(shipped)
    update = (f"INSERT DATA {{ GRAPH <https://w3id.org/hpkg/id/graph/data> {{ <{TARGET}> "
              f"<http://www.w3.org/2004/02/skos/core#altLabel> \"FDI target\"@en }} }}")
    outcome = check_update(store, update, project=project, shapes=shapes, ontology=ontology)
    assert outcome.report.conforms and (outcome.inserted, outcome.deleted) == (1, 0)
    assert outcome.after == outcome.before + 1
    apply_validated_update(store, update, project=project, shapes=shapes, ontology=ontology)
    assert len(store.engine) == len(shipped.engine) + 1


# ------------------------------------------------------------------------------------------ what a shape reads


def test_reach_of_sparql_constraints(graphs):
    compiled = compile_shapes(graphs[0])
    percent = shape_reach(compiled, ox_node(SHAPES_NS + "PercentOfTargetAgreesShape"))
    assert percent.wildcard is None
    # $this p ?x is read from the focus node only: forward; ?target's own values: forward from ?target
    assert HPKG + "comparedToTarget" in percent.forward and HPKG + "comparedToTarget" not in percent.inverse
    assert HPKG + "minValue" in percent.forward
    assert "http://purl.org/linked-data/sdmx/2009/measure#obsValue" not in percent.inverse
    # a variable predicate (FILTER NOT EXISTS { ?s ?p ?o }) cannot be analysed: that shape is validated in full
    links = shape_reach(compiled, ox_node(SHAPES_NS + "MappingShape"))
    assert links.wildcard and "variable predicate" in links.wildcard
    # it is the only one among the shipped shapes
    wildcards = [s.node for s in compiled.compiled if shape_reach(compiled, s.node).wildcard]
    assert wildcards == [ox_node(SHAPES_NS + "MappingShape")]


def ox_node(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def test_reach_leaf_constants_and_disconnected_patterns():
    from rdflib import Graph

    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix e: <http://e/> .
        e:S1 a sh:NodeShape ; sh:targetClass e:C ; sh:sparql [ sh:select
            "SELECT $this WHERE { $this <http://e/p> ?x . ?x a <http://e/K> . <http://e/Hub> <http://e/q> ?x }" ] .
        e:S2 a sh:NodeShape ; sh:targetClass e:C ; sh:sparql [ sh:select
            "SELECT $this WHERE { $this <http://e/p> ?x . ?y <http://e/q> ?z FILTER(?x = ?z) }" ] .
        e:S3 a sh:NodeShape ; sh:targetClass e:C ; sh:property [ sh:path ( e:a [ sh:inversePath e:b ] ) ;
            sh:class e:D ] .
    """, format="turtle")
    compiled = compile_shapes(g)
    s1 = shape_reach(compiled, ox_node("http://e/S1"))
    assert s1.wildcard is None
    assert "http://e/p" in s1.forward and "http://e/p" not in s1.inverse  # read from $this
    assert "http://e/q" in s1.inverse and "http://e/q" not in s1.forward  # read from ?x, nearer than e:Hub
    s2 = shape_reach(compiled, ox_node("http://e/S2"))
    assert s2.wildcard and "not connected" in s2.wildcard
    s3 = shape_reach(compiled, ox_node("http://e/S3"))
    assert {"http://e/a", str(ox_node("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))} <= s3.forward
    assert s3.inverse == {"http://e/b"}


# ------------------------------------------------------------------------------------------- property test


# ------------------------------------------------------------------------------------------- on-disk store


@pytest.fixture
def disk_store(tmp_path, project):
    store = OxigraphStore(tmp_path / "store")
    build(store, project=project, validate=False)
    yield store
    store.close()


def test_on_disk_snapshot_commit_and_rejection(disk_store, tmp_path, project, graphs):
    shapes, ontology = graphs
    before = set(disk_store.engine)
    with pytest.raises(UpdateRejected):
        apply_validated_update(disk_store, DELETES_BREAKING_ANOTHER_NODE["target deleted"], project=project,
                               shapes=shapes, ontology=ontology)
    assert set(disk_store.engine) == before  # the same quads, blank nodes included
    # at most the one private view kept for the next write beside the store
    assert len([p for p in tmp_path.iterdir() if p.name != "store"]) <= 1
    update = (f"INSERT DATA {{ GRAPH <https://w3id.org/hpkg/id/graph/data> {{ <{TARGET}> "
              f"<http://www.w3.org/2004/02/skos/core#altLabel> \"FDI target\"@en }} }}")
    report = apply_validated_update(disk_store, update, project=project, shapes=shapes, ontology=ontology)
    assert report.conforms
    assert set(disk_store.engine) - before == {ox.Quad(
        ox.NamedNode(TARGET), ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
        ox.Literal("FDI target", language="en"), ox.NamedNode("https://w3id.org/hpkg/id/graph/data"))}
    disk_store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # the kept view goes with the store


def test_kept_view_equals_the_store_after_commits_and_rejections(disk_store, tmp_path, project, graphs):
    """The view lent to the next guarded write is the store itself again after a committed write and after a
    rejected one (rolled back quad for quad); a write through the store behind its back makes a new one."""
    from hpkg.store.snapshot import kept_view

    shapes, ontology = graphs
    alt = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    made = []
    for k in range(2):
        apply_validated_update(disk_store, f"INSERT DATA {{ GRAPH <https://w3id.org/hpkg/id/graph/data> {{ "
                               f"<{TARGET}> {alt} \"kept view {k}\"@en }} }}", project=project, shapes=shapes,
                               ontology=ontology)
        with pytest.raises(UpdateRejected):
            apply_validated_update(disk_store, DELETES_BREAKING_ANOTHER_NODE["target deleted"], project=project,
                                   shapes=shapes, ontology=ontology)
        with kept_view(disk_store) as lease:
            made.append(lease.view.path)
            assert set(lease.view.reader) == set(disk_store.reader)
            lease.committed()  # nothing was written: the view still equals the store
    assert made[0] == made[1]  # the same view, lent again
    disk_store.update(f"INSERT DATA {{ <{TARGET}> {alt} \"behind its back\"@en }}")
    with kept_view(disk_store) as lease:
        assert lease.view.path != made[0]
        assert set(lease.view.reader) == set(disk_store.reader)


def test_pyshacl_engine_is_the_reference(shipped, project, graphs):
    shapes, ontology = graphs
    update = DELETES_BREAKING_ANOTHER_NODE["target loses its minValue"]
    fast = check_update(shipped, update, project=project, shapes=shapes, ontology=ontology)
    ref = check_update(shipped, update, project=project, shapes=shapes, ontology=ontology, engine="pyshacl")
    assert keys(fast.report) == keys(ref.report) and not ref.report.conforms


# ------------------------------------------------------------------------- shapes joined through a hub (issue 9)
#
# CumulativeNotBelowYear, YearOnYearChangeAgrees (an area, a period, an indicator shared by thousands of
# observations) and MappingShape (a variable predicate, ``?s ?p ?o``) are validated on the focus nodes their own SPARQL
# patterns, inverted, reach from the change (hpkg.shacl.affected); each write here breaks a constraint on
# *another* node than the one written, and the incremental verdict must equal a full validation.

SYN = "https://w3id.org/hpkg/synthetic/"
PFX = ("PREFIX hpkg: <https://w3id.org/hpkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
       "PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> "
       "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> "
       "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX owl: <http://www.w3.org/2002/07/owl#> ")


@pytest.fixture(scope="module")
def generated(tmp_path_factory, project):
    """A small generated graph (no injected violation) with the ontology (its own graph), code lists and units."""
    from hpkg.generate import generate
    from hpkg.namespaces import ONTOLOGY_IRI
    from hpkg.project import shipped_root

    d = tmp_path_factory.mktemp("hub")
    generate(d / "g.nt", provinces=2, zones=3, projects=6, years=3, violations=0, seed=3)
    store = OxigraphStore(None)
    store.load_file(d / "g.nt")
    store.load_file(shipped_root() / "ontology" / "hpkg.ttl", graph=ONTOLOGY_IRI)
    for name in ("concepts.ttl", "units.ttl"):
        store.load_file(shipped_root() / "data" / name, base_iri="https://w3id.org/hpkg/id/")
    return store


@pytest.fixture(scope="module")
def generated_baseline(generated, project, graphs) -> Counter:
    """The violations the generated graph starts with: the code lists' own, outside the generated data (the code
    lists refer to curated data that is not loaded); an incremental verdict does not report them."""
    shapes, ontology = graphs
    return keys(validate(generated, project=project, shapes=shapes, ontology=ontology))


def test_the_generated_data_conforms(generated_baseline):
    assert not [k for k in generated_baseline if k[0].startswith(SYN)]


@pytest.fixture(scope="module")
def with_change(generated):
    """The generated graph with a stated (right) change on the previous year: zone 1's FDI in 2006 on 2005."""
    store = copy_of(generated)
    store.update(PFX + f"INSERT {{ {_yearly(1, 2006)} hpkg:changeOnPreviousPeriod ?c }} "
                 f"WHERE {{ {_yearly(1, 2006)} sdmx-measure:obsValue ?v . {_yearly(1, 2005)} sdmx-measure:obsValue ?p "
                 f"BIND (ROUND(10000 * (?v - ?p) / ?p) / 100 AS ?c) }}")
    assert len(list(store.engine.quads_for_pattern(None, ox.NamedNode(HPKG + "changeOnPreviousPeriod"), None))) >= 1
    return store


def hub_verdicts(store, update, project, graphs, baseline):
    incremental, full = both_verdicts(store, update, project, graphs)
    return keys(incremental), keys(full) - baseline


def _yearly(zone: int, year: int) -> str:
    return f"<{SYN}obs/fdi-registered-{zone:04d}-{year}>"


HUB_WRITES = {
    # the year's FDI raised above the cumulative total: the cumulative observation (not written) breaks
    "yearly value above the cumulative": (
        PFX + f"DELETE {{ {_yearly(1, 2006)} sdmx-measure:obsValue ?v }} "
        f"INSERT {{ {_yearly(1, 2006)} sdmx-measure:obsValue 1000000000000000.0 }} "
        f"WHERE {{ {_yearly(1, 2006)} sdmx-measure:obsValue ?v }}"),
    # the previous year's value changed: the observation stating a change on it (2006) breaks
    "previous year's value changed": (
        PFX + f"DELETE {{ {_yearly(1, 2005)} sdmx-measure:obsValue ?v }} "
        f"INSERT {{ {_yearly(1, 2005)} sdmx-measure:obsValue ?w }} "
        f"WHERE {{ {_yearly(1, 2005)} sdmx-measure:obsValue ?v BIND (?v * 3 AS ?w) }}"),
    # the previous year's observation deleted whole: nothing to compare with any more (conforms)
    "previous year deleted": PFX + f"DELETE WHERE {{ {_yearly(1, 2005)} ?p ?o }}",
}


@pytest.mark.parametrize("name", sorted(HUB_WRITES))
def test_hub_shape_write_incremental_equals_full(name, with_change, generated_baseline, project, graphs):
    update = HUB_WRITES[name]
    incremental, full = hub_verdicts(with_change, update, project, graphs, generated_baseline)
    assert incremental == full
    if name != "previous year deleted":
        assert full


def test_removing_the_yearly_upper_bound_breaks_the_cumulative(generated, generated_baseline, project, graphs):
    """A stated upper bound on the year's figure exempts the cumulative total; deleting that qualifier (a
    delete on the yearly observation) breaks the cumulative observation, found from the store before the write."""
    store = copy_of(generated)
    # (its stated percentage of the plan goes too: it would disagree with the new value)
    store.update(PFX + f"DELETE {{ {_yearly(2, 2007)} sdmx-measure:obsValue ?v ; hpkg:valueQualifier ?q ; "
                 f"hpkg:percentOfTarget ?pct }} "
                 f"INSERT {{ {_yearly(2, 2007)} sdmx-measure:obsValue 1000000000000000.0 ; "
                 f"hpkg:valueQualifier <https://w3id.org/hpkg/id/concept/qualifier/upper-bound> }} "
                 f"WHERE {{ {_yearly(2, 2007)} sdmx-measure:obsValue ?v ; hpkg:valueQualifier ?q ; "
                 f"hpkg:percentOfTarget ?pct }}")
    shapes, ontology = graphs
    assert keys(validate(store, project=project, shapes=shapes, ontology=ontology)) == generated_baseline
    update = (PFX + f"DELETE {{ {_yearly(2, 2007)} hpkg:valueQualifier ?q }} "
              f"INSERT {{ {_yearly(2, 2007)} hpkg:valueQualifier <https://w3id.org/hpkg/id/concept/qualifier/exact> }} "
              f"WHERE {{ {_yearly(2, 2007)} hpkg:valueQualifier ?q }}")
    incremental, full = hub_verdicts(store, update, project, graphs, generated_baseline)
    assert incremental == full
    assert {k[0] for k in incremental} == {f"{SYN}obs/fdi-cumulative-0002-2007"}


def test_one_observation_validates_the_hub_shapes_on_few_nodes(generated, project, graphs):
    """Inserting one complete observation plans every shape on a handful of focus nodes: none in full."""
    from hpkg.shacl.delta import apply_operations, parse_update
    from hpkg.shacl.incremental import validate_change
    from hpkg.store.snapshot import after_state

    shapes, ontology = graphs
    update = (PFX + f"INSERT DATA {{ <{SYN}obs/hub-test> a <http://purl.org/linked-data/cube#Observation> ; "
              f"hpkg:indicator <https://w3id.org/hpkg/id/concept/indicator/fdi-cumulative> ; "
              f"sdmx-dimension:refArea <{SYN}zone/zone-0001> ; sdmx-dimension:refPeriod <{SYN}period/2006> ; "
              f"hpkg:sector <https://w3id.org/hpkg/id/concept/sector/all> ; sdmx-measure:obsValue 1.0 ; "
              f"<http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> <http://qudt.org/vocab/unit/CCY_USD> ; "
              f"hpkg:changeOnPreviousPeriod 5.0 }}")
    with after_state(generated) as view:
        delta = apply_operations(view.engine, parse_update(update))
        report, plan = validate_change(view, delta, shapes=shapes, ontology=ontology, before=generated)
    assert plan.full is None
    assert not [str(n) for n, nodes in plan.shapes.items() if nodes is None]
    for name in ("CumulativeNotBelowYearShape", "YearOnYearChangeAgreesShape"):
        nodes = plan.shapes[ox_node(SHAPES_NS + name)]
        assert nodes is not None and ox.NamedNode(f"{SYN}obs/hub-test") in nodes and len(nodes) <= 5
    assert any(v.focus == f"{SYN}obs/hub-test" for v in report.violations)  # value below the year's FDI


# ---------------------------------------------------------------- aggregates grouped by $this (the FIA rules)
#
# TotalEqualsPartsShape and UnitsAddUpToCountryShape are SHACL-SPARQL constraints with GROUP BY $this … HAVING:
# their grouped pattern is inverted (hpkg.shacl.affected) instead of walked through the hubs (a data set, an area,
# a period: every observation of the store). Each write below changes a *part* and breaks the *total*, a node the
# write does not touch; the incremental verdict must equal a full validation.

IND = "https://w3id.org/hpkg/id/concept/indicator/"
OBS_VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
_NOT_CLONED = ("hpkg:indicator", "hpkg:comparedToTarget", "sdmx-measure:obsValue", "hpkg:percentOfTarget", "hpkg:changeOnPreviousPeriod",
               "<http://www.w3.org/2000/01/rdf-schema#label>", "sdmx-dimension:refArea")
TOTAL = _yearly(1, 2006)  # the generator's registered FDI: the table's total
PART = f"<{SYN}obs/fia-part-new>"
COUNTRY_TOTAL = f"<{SYN}obs/fia-country>"
PROVINCE_PART = f"<{SYN}obs/fia-province-01>"


def _clone(new: str, area: str, indicator: str, value: str) -> str:
    """An update adding ``new``: zone 1's 2006 FDI observation with another area, indicator and value."""
    return (PFX + f"INSERT {{ {new} ?p ?o . {new} hpkg:indicator <{indicator}> ; sdmx-dimension:refArea {area} ; "
            f"sdmx-measure:obsValue ?value ; <http://www.w3.org/2000/01/rdf-schema#label> "
            f"\"Quan sát thử {new[-12:-1]}\"@vi , \"Test observation {new[-12:-1]}\"@en }} "
            f"WHERE {{ {_yearly(1, 2006)} ?p ?o ; sdmx-measure:obsValue ?v ; sdmx-dimension:refArea ?zone "
            f"FILTER (?p NOT IN ({', '.join(_NOT_CLONED)})) BIND ({value} AS ?value) }}")


@pytest.fixture(scope="module")
def with_tables(generated, generated_baseline, project, graphs):
    """The generated graph with two consistent tables: zone 1's registered FDI in 2006 (the generator's) with its
    three parts, and a national total equal to two provinces' figures."""
    store = copy_of(generated)
    zone = f"<{SYN}zone/zone-0001>"
    for part, share in ((PART, "?v * 0.5"), (f"<{SYN}obs/fia-part-adj>", "?v * 0.25"),
                        (f"<{SYN}obs/fia-part-contrib>", "?v * 0.25")):
        store.update(_clone(part, zone, IND + {"new": "fdi-registered-new", "adj": "fdi-registered-adjusted",
                                                "contrib": "fdi-contributions"}[part.rsplit("-", 1)[1][:-1]], share))
    rows = store.query(f"SELECT ?c ?p WHERE {{ ?c a <https://schema.org/Country> . ?p <{HPKG}locatedIn> ?c }} "
                       "ORDER BY ?c ?p").rows()
    country = rows[0]
    provinces = [r["p"].value for r in rows if r["c"] == country["c"]]
    assert len(provinces) >= 2
    store.update(_clone(PROVINCE_PART, f"<{provinces[0]}>", IND + "fdi-registered", "?v * 0.75"))
    store.update(_clone(f"<{SYN}obs/fia-province-02>", f"<{provinces[1]}>", IND + "fdi-registered", "?v * 0.25"))
    store.update(_clone(COUNTRY_TOTAL, f"<{country['c'].value}>", IND + "fdi-registered", "?v"))
    shapes, ontology = graphs
    assert keys(validate(store, project=project, shapes=shapes, ontology=ontology)) == generated_baseline
    return store


def _set_value(obs: str, value: str) -> str:
    return (PFX + f"DELETE {{ {obs} sdmx-measure:obsValue ?v }} INSERT {{ {obs} sdmx-measure:obsValue {value} }} "
            f"WHERE {{ {obs} sdmx-measure:obsValue ?v }}")


AGGREGATE_WRITES = {
    # a part's value changed: the total (not written) no longer equals its parts
    "part value changed": (_set_value(PART, "1.0"), TOTAL, "TotalEqualsPartsShape"),
    # a part deleted whole (asked of the store before the write): the total breaks
    "part deleted": (PFX + f"DELETE WHERE {{ {PART} ?p ?o }}", TOTAL, "TotalEqualsPartsShape"),
    # a new part inserted: the sum grows past the total
    "part inserted": (_clone(f"<{SYN}obs/fia-part-new-2>", f"<{SYN}zone/zone-0001>", IND + "fdi-registered-new",
                             "?v * 0.1"), TOTAL, "TotalEqualsPartsShape"),
    # a province's figure changed: the national total (a warning) no longer adds up
    "province value changed": (_set_value(PROVINCE_PART, "1.0"), COUNTRY_TOTAL, "UnitsAddUpToCountryShape"),
    # a province no longer located in the country (a change on the place, not on an observation)
    "province moved out": (None, COUNTRY_TOTAL, "UnitsAddUpToCountryShape"),
}


@pytest.mark.parametrize("name", sorted(AGGREGATE_WRITES))
def test_aggregate_shape_write_breaks_the_total(name, with_tables, generated_baseline, project, graphs):
    update, broken, shape = AGGREGATE_WRITES[name]
    if update is None:
        (row,) = with_tables.query(f"SELECT ?a WHERE {{ {PROVINCE_PART} "
                                   "<http://purl.org/linked-data/sdmx/2009/dimension#refArea> ?a }").rows()
        update = PFX + f"DELETE WHERE {{ <{row['a'].value}> hpkg:locatedIn ?c }}"
    incremental, full = hub_verdicts(with_tables, update, project, graphs, generated_baseline)
    assert incremental == full
    severity = "Warning" if shape == "UnitsAddUpToCountryShape" else "Violation"
    hits = [k for k in incremental if k[0] == broken[1:-1] and k[1] == OBS_VALUE
            and k[2].endswith("SPARQLConstraintComponent")]
    assert hits and all(k[3].endswith(severity) for k in hits), incremental


def test_aggregate_shapes_are_inverted_not_walked(graphs):
    """The FIA rules (GROUP BY $this) are inverted; an aggregate not grouped by $this is not analysable."""
    from hpkg.shacl.affected import NotAnalysable, analyse

    compiled = compile_shapes(graphs[0])
    for name in ("TotalEqualsPartsShape", "UnitsAddUpToCountryShape"):
        reach = shape_reach(compiled, ox_node(SHAPES_NS + name), split=True)
        assert reach.wildcard is None and len(reach.queries) >= 1
    qp = analyse("SELECT ?this (SUM(?v) AS ?s) WHERE { ?this <http://ex/p> ?a . ?y <http://ex/p> ?a ; "
                 "<http://ex/v> ?v } GROUP BY ?this HAVING (SUM(?v) > 1)")
    assert len(qp.patterns) == 3
    with pytest.raises(NotAnalysable):
        analyse("SELECT (SUM(?v) AS ?s) WHERE { ?this <http://ex/p> ?v }")
    with pytest.raises(NotAnalysable):
        analyse("SELECT ?a (SUM(?v) AS ?s) WHERE { ?this <http://ex/p> ?a ; <http://ex/v> ?v } GROUP BY ?a")


def test_one_observation_plans_the_aggregate_shapes_on_few_nodes(with_tables, project, graphs):
    """A new part of the table plans the FIA rules on a handful of focus nodes, not in full."""
    from hpkg.shacl.delta import apply_operations, parse_update
    from hpkg.shacl.incremental import validate_change
    from hpkg.store.snapshot import after_state

    shapes, ontology = graphs
    update, _, _ = AGGREGATE_WRITES["part inserted"]
    with after_state(with_tables) as view:
        delta = apply_operations(view.engine, parse_update(update))
        report, plan = validate_change(view, delta, shapes=shapes, ontology=ontology, before=with_tables)
    assert plan.full is None
    for name in ("TotalEqualsPartsShape", "UnitsAddUpToCountryShape"):
        nodes = plan.shapes.get(ox_node(SHAPES_NS + name), [])
        assert nodes is not None and len(nodes) <= 5, name
    assert ox.NamedNode(TOTAL[1:-1]) in (plan.shapes[ox_node(SHAPES_NS + "TotalEqualsPartsShape")] or [])
    assert any(v.focus == TOTAL[1:-1] for v in report.violations)


def test_a_subselect_is_inverted_with_its_own_variables():
    """A plain sub-select (as in TotalEqualsPartsShape) joins its group; the variables it does not project are
    its own, so an inner ?y does not meet an outer ?y; an aggregate inside a sub-select is not analysable."""
    from hpkg.shacl.affected import NotAnalysable, analyse

    qp = analyse("SELECT ?this WHERE { ?this <http://ex/a> ?a ; <http://ex/b> ?y . "
                 "{ SELECT ?this ?a WHERE { ?y <http://ex/a> ?a ; <http://ex/c> ?z } } }")
    slots = [(pt.s, pt.o) for pt in qp.patterns]
    assert len(slots) == 4
    outer_y = slots[1][1]
    inner = [s for s, _ in slots[2:]]
    assert outer_y == ("v", "y") and all(s[0] == "v" and s[1] != "y" and s[1].endswith("y") for s in inner)
    assert slots[2][1] == ("v", "a")  # projected: the join variable keeps its name
    assert all(set(c) == {0, 1, 2, 3} for c in qp.context)  # one group: every pattern relaxes to all four
    with pytest.raises(NotAnalysable, match="aggregate"):
        analyse("SELECT ?this WHERE { ?this <http://ex/a> ?a . "
                "{ SELECT ?a (COUNT(?y) AS ?n) WHERE { ?y <http://ex/a> ?a } GROUP BY ?a } }")
