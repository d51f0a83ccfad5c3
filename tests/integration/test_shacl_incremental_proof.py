"""The proof that the incremental verdict of a write equals a full validation of its result (issue 9, part 6):
every broken fixture inserted onto the shipped graph, and random small updates (inserts and deletes, including
deletes that break a constraint on another node). Slow (each case validates the graph twice), so it runs with
the integration layer in `make test`, not in `make check`; tests/unit/test_shacl_incremental.py keeps a few cases.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hpkg.build import build
from hpkg.project import shipped_only
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, load_shapes
from hpkg.store import OxigraphStore
from hpkg.store.updates import insert_data

from ..unit.test_shacl_incremental import FIXTURE_GRAPH, FIXTURES, HPKG, both_verdicts, keys


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


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fixture_insert_incremental_equals_full(fixture, shipped, project, graphs):
    update = insert_data(list(parse_rdf(fixture)), graph=FIXTURE_GRAPH)
    incremental, full = both_verdicts(shipped, update, project, graphs)
    assert keys(incremental) == keys(full)
    assert incremental.conforms == full.conforms


def _pool(shipped) -> list[ox.Quad]:
    return sorted((q for q in shipped.engine if isinstance(q.graph_name, ox.NamedNode)
                   and "ontology" not in q.graph_name.value), key=str)


def _fixture_pool() -> list[ox.Quad]:
    out = []
    for f in FIXTURES[::3]:
        out.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(FIXTURE_GRAPH)) for q in parse_rdf(f)
                   if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode))
    return sorted(set(out), key=str)


def _data(quads: list[ox.Quad]) -> str:
    return "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example validates the graph twice
@given(data=st.data())
def test_random_small_updates_incremental_equals_full(data, shipped, project, graphs):
    pool = _pool(shipped)
    fixtures = _fixture_pool()
    named = [q for q in pool if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)]
    ops = []
    deletes = data.draw(st.lists(st.sampled_from(named), max_size=3, unique=True))
    if deletes:
        ops.append("DELETE DATA { " + _data(deletes) + " }")
    inserts = data.draw(st.lists(st.sampled_from(fixtures + named), max_size=4, unique=True))
    if inserts:
        ops.append("INSERT DATA { " + _data(inserts) + " }")
    if data.draw(st.booleans()):
        # DELETE WHERE on one subject's property: reaches blank nodes and breaks whoever points at the subject
        q = data.draw(st.sampled_from(pool))
        if isinstance(q.subject, ox.NamedNode):
            ops.append(f"DELETE WHERE {{ GRAPH ?g {{ {q.subject} {q.predicate} ?o }} }}")
    if data.draw(st.booleans()):
        # a blank node hanging off a named node
        s = data.draw(st.sampled_from(named)).subject
        ops.append(f"INSERT DATA {{ GRAPH <{FIXTURE_GRAPH}> {{ {s} <{HPKG}evidence> [ a <{HPKG}EvidenceQuote> ] }} }}")
    if not ops:
        return
    update = " ;\n".join(ops)
    incremental, full = both_verdicts(shipped, update, project, graphs)
    assert keys(incremental) == keys(full), update


