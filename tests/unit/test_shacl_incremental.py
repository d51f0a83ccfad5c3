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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # the private view is gone
    update = (f"INSERT DATA {{ GRAPH <https://w3id.org/hpkg/id/graph/data> {{ <{TARGET}> "
              f"<http://www.w3.org/2004/02/skos/core#altLabel> \"FDI target\"@en }} }}")
    report = apply_validated_update(disk_store, update, project=project, shapes=shapes, ontology=ontology)
    assert report.conforms
    assert set(disk_store.engine) - before == {ox.Quad(
        ox.NamedNode(TARGET), ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
        ox.Literal("FDI target", language="en"), ox.NamedNode("https://w3id.org/hpkg/id/graph/data"))}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_pyshacl_engine_is_the_reference(shipped, project, graphs):
    shapes, ontology = graphs
    update = DELETES_BREAKING_ANOTHER_NODE["target loses its minValue"]
    fast = check_update(shipped, update, project=project, shapes=shapes, ontology=ontology)
    ref = check_update(shipped, update, project=project, shapes=shapes, ontology=ontology, engine="pyshacl")
    assert keys(fast.report) == keys(ref.report) and not ref.report.conforms
