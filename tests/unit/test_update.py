"""hpkg.update, validated updates in the library: checked against the SHACL shapes on a copy, then committed or refused."""

from __future__ import annotations

import pytest

from hpkg.build import build
from hpkg.errors import QuerySyntaxError
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, load_shapes
from hpkg.store import OxigraphStore
from hpkg.store.updates import replace_graph
from hpkg.update import UpdateRejected, apply_validated_update, check_update

from ..conftest import shipped_project

PROJECT = shipped_project()
#: Read once, as the server does (apply_validated_update takes them); check_update reads the project's itself.
SHAPES_AND_ONTOLOGY = {"shapes": load_shapes(PROJECT), "ontology": load_ontology(PROJECT)}

OBS_WITHOUT_UNIT = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
INSERT DATA { GRAPH <https://w3id.org/hpkg/id/graph/data> {
  <https://w3id.org/hpkg/id/obs/test-no-unit> a qb:Observation ; sdmx-measure:obsValue 1.0 .
} }
"""
LABEL = """
INSERT DATA { GRAPH <https://w3id.org/hpkg/id/graph/data> {
  <https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong> <http://www.w3.org/2004/02/skos/core#altLabel> "HP zones"@en .
} }
"""


@pytest.fixture
def store():
    s = OxigraphStore(None)
    build(s, project=PROJECT, exports_dir=None, validate=False)
    return s


def _snapshot(s: OxigraphStore) -> list[str]:
    return sorted(map(str, s.quads()))


def test_update_that_breaks_a_shape_is_refused_and_changes_nothing(store):
    before = _snapshot(store)
    with pytest.raises(UpdateRejected) as e:
        apply_validated_update(store, OBS_WITHOUT_UNIT, project=PROJECT, **SHAPES_AND_ONTOLOGY)
    assert not e.value.report.conforms
    assert any(v.focus == "https://w3id.org/hpkg/id/obs/test-no-unit" and v.path and v.path.endswith("unitMeasure")
               for v in e.value.report.violations)
    assert _snapshot(store) == before


def test_conforming_update_lands(store):
    n = store.count()
    report = apply_validated_update(store, LABEL, project=PROJECT, **SHAPES_AND_ONTOLOGY)
    assert report.conforms
    assert store.count() == n + 1


def test_malformed_update_changes_nothing(store):
    before = _snapshot(store)
    with pytest.raises(QuerySyntaxError):
        apply_validated_update(store, "INSERT DATA { <http://e/x> <http://e/p> }", project=PROJECT, **SHAPES_AND_ONTOLOGY)
    assert _snapshot(store) == before


def test_check_update_leaves_the_store_alone(store):
    before = _snapshot(store)
    outcome = check_update(store, LABEL, project=PROJECT)
    assert outcome.report.conforms and outcome.after == outcome.before + 1
    assert _snapshot(store) == before


def test_graph_replacement_keeps_blank_nodes_and_literals(store):
    quads = parse_rdf(b'_:b <http://e/p> "x"@vi .\n_:b <http://e/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                      fmt="nt", graph="http://e/g")
    apply_validated_update(store, replace_graph("http://e/g", quads), project=PROJECT, **SHAPES_AND_ONTOLOGY)
    assert store.count("http://e/g") == 2
    apply_validated_update(store, replace_graph("http://e/g", quads[:1]), project=PROJECT, **SHAPES_AND_ONTOLOGY)
    assert store.count("http://e/g") == 1


def test_server_counts_follow_the_write_without_counting_the_store():
    """The server keeps its triple counts from a guarded write's per-graph effect (a count of a big store is a
    scan); a graph that appears or empties makes it count again."""
    from rdflib import Graph

    from hpkg.server.state import Counts
    from hpkg.update import apply_update

    store = OxigraphStore(None)
    g = "http://e/g"
    store.update(f"INSERT DATA {{ GRAPH <{g}> {{ <http://e/a> <http://e/p> 1, 2 }} <http://e/a> <http://e/p> 3 }}")
    counts = Counts.of(store)
    empty = Graph()
    outcome = apply_update(store, f"DELETE DATA {{ GRAPH <{g}> {{ <http://e/a> <http://e/p> 1 }} }} ; "
                           "INSERT DATA { <http://e/b> <http://e/p> 4 }", shapes=empty, ontology=empty)
    assert outcome.graph_changes == {g: -1, "": 1}
    assert counts.after(outcome.graph_changes) == Counts.of(store)
    counts = Counts.of(store)
    outcome = apply_update(store, f"DELETE DATA {{ GRAPH <{g}> {{ <http://e/a> <http://e/p> 2 }} }}",
                           shapes=empty, ontology=empty)
    assert outcome.graph_changes == {g: -1}
    assert counts.after(outcome.graph_changes) is None  # the graph emptied: count again
    outcome = apply_update(store, f"DROP SILENT GRAPH <{g}>", shapes=empty, ontology=empty)
    assert outcome.graph_changes is None  # graph management: count again
