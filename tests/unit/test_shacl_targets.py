"""The targets of a write's candidates, found by index look-ups (hpkg.shacl.incremental.IncrementalValidator).

The validator tests the few nodes a write can affect against each shape's targets with index look-ups
(``rdf:type`` and the subclass sets, ``sh:targetNode``, ``sh:targetSubjectsOf/ObjectsOf``) and SPARQL targets
with ``?this`` pre-bound. Each write below is validated incrementally and, on a copy with the update applied, in
full: the results must be equal, and the plan must name exactly the targets among the changed nodes.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, URIRef

from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.shacl import validate
from hpkg.shacl.delta import apply_operations, parse_update
from hpkg.shacl.incremental import IncrementalValidator, compiled_for, ensure_ontology, target_spec, validate_change
from hpkg.shacl.sparql import substitutable
from hpkg.store import OxigraphStore
from hpkg.store.snapshot import after_state

EX = "http://example.org/"
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .

ex:ClassShape a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:p ; sh:maxCount 1 ] .
ex:NodeTargetShape a sh:NodeShape ; sh:targetNode ex:n ;
    sh:property [ sh:path ex:q ; sh:maxCount 1 ] .
ex:SubjectsShape a sh:NodeShape ; sh:targetSubjectsOf ex:r ;
    sh:property [ sh:path ex:r ; sh:datatype xsd:integer ] .
ex:ObjectsShape a sh:NodeShape ; sh:targetObjectsOf ex:s ; sh:nodeKind sh:IRI .
ex:SelectShape a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ;
        sh:select "SELECT ?this WHERE {{ ?this <{EX}t> ?x . FILTER NOT EXISTS {{ ?this a <{EX}Exempt> }} }}" ] ;
    sh:property [ sh:path ex:t ; sh:maxCount 1 ] .
ex:LimitedSelectShape a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ;
        sh:select "SELECT ?this WHERE {{ ?this <{EX}w> ?x }} ORDER BY ?this LIMIT 100" ] ;
    sh:property [ sh:path ex:w ; sh:maxCount 1 ] .
"""
#: B is a subclass of A through a blank node; C a subclass of B: both are targets of ClassShape.
ONTOLOGY = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <{EX}> .
ex:B rdfs:subClassOf [ rdfs:subClassOf ex:A ] .
ex:C rdfs:subClassOf ex:B .
"""
DATA = f"""
PREFIX ex: <{EX}>
INSERT DATA {{
  GRAPH ex:g1 {{ ex:x a ex:A ; ex:p 1 . ex:typed-elsewhere a ex:C . ex:n ex:q 1 . ex:m ex:r 1 .
                ex:sel ex:t 1 . ex:exempt a ex:Exempt ; ex:t 1 . ex:o ex:s ex:v . ex:lim ex:w 1 .
                ex:holder ex:u [ ex:t 1 ] . ex:untyped ex:p 1, 2 . }}
  GRAPH ex:g2 {{ ex:typed-elsewhere ex:p 1 . }}
}}"""


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    return Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=ONTOLOGY, format="turtle")


@pytest.fixture
def store(graphs) -> OxigraphStore:
    s = OxigraphStore(None)
    s.update(DATA)
    shapes, ontology = graphs  # the ontology (the hierarchy) goes into the view, as for a store that lacks it
    assert validate(s, shapes=shapes, ontology=ontology).conforms
    return s


def run(store: OxigraphStore, update: str, graphs: tuple[Graph, Graph]):
    """(incremental report, its plan, the full report of the after-state)."""
    shapes, ontology = graphs
    with after_state(store) as view:
        delta = apply_operations(view.engine, parse_update(update))
        report, plan = validate_change(view, delta, shapes=shapes, ontology=ontology, before=store)
    after = OxigraphStore(None)
    after.engine.extend(store.reader)
    after.update(update)
    full = validate(after, shapes=shapes, ontology=ontology)
    assert plan.full is None, plan.full
    return report, plan, full


def keys(report) -> Counter:
    return Counter(v.key() for v in report.violations)


def planned(plan, shape: str) -> set[str]:
    nodes = plan.shapes.get(URIRef(EX + shape))
    assert nodes is not None, f"{shape} validated in full: {plan.reasons.get(URIRef(EX + shape))}"
    return {str(t) for t in nodes}


def test_a_subclass_instance_is_a_target_through_a_blank_class(store, graphs):
    report, plan, full = run(store, f"INSERT DATA {{ <{EX}y> a <{EX}C> ; <{EX}p> 1, 2 }}", graphs)
    assert keys(report) == keys(full) and not report.conforms
    assert [v.focus for v in report.violations] == [f"{EX}y"]
    assert planned(plan, "ClassShape") == {f"<{EX}y>"}


def test_a_node_typed_only_in_another_named_graph_is_a_target(store, graphs):
    update = f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}typed-elsewhere> <{EX}p> 2 }} }}"
    report, plan, full = run(store, update, graphs)
    assert keys(report) == keys(full) and not report.conforms
    assert planned(plan, "ClassShape") == {f"<{EX}typed-elsewhere>"}


def test_a_node_that_loses_its_type_is_no_target(store, graphs):
    update = f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}x> a <{EX}A> }} }} ; INSERT DATA {{ <{EX}x> <{EX}p> 2 }}"
    report, plan, full = run(store, update, graphs)
    assert report.conforms and full.conforms
    assert planned(plan, "ClassShape") == set()


def test_a_node_that_gains_a_subclass_type_becomes_a_target(store, graphs):
    report, plan, full = run(store, f"INSERT DATA {{ <{EX}untyped> a <{EX}B> }}", graphs)
    assert keys(report) == keys(full) and not report.conforms
    assert planned(plan, "ClassShape") == {f"<{EX}untyped>"}


def test_target_node(store, graphs):
    report, plan, full = run(store, f"INSERT DATA {{ <{EX}n> <{EX}q> 2 . <{EX}other> <{EX}q> 1, 2 }}", graphs)
    assert keys(report) == keys(full) and [v.focus for v in report.violations] == [f"{EX}n"]
    assert planned(plan, "NodeTargetShape") == {f"<{EX}n>"}


def test_target_subjects_of(store, graphs):
    report, plan, full = run(store, f'INSERT DATA {{ <{EX}k> <{EX}r> "one" }}', graphs)
    assert keys(report) == keys(full) and [v.focus for v in report.violations] == [f"{EX}k"]
    assert planned(plan, "SubjectsShape") == {f"<{EX}k>"}
    # losing its last r: no longer a target, and nothing to report
    report, plan, full = run(store, f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}m> <{EX}r> 1 }} }}", graphs)
    assert report.conforms and full.conforms and planned(plan, "SubjectsShape") == set()


def test_target_objects_of_a_literal_too(store, graphs):
    report, plan, full = run(store, f'INSERT DATA {{ <{EX}o> <{EX}s> "not an IRI" }}', graphs)
    assert keys(report) == keys(full) and not report.conforms
    assert [v.focus for v in report.violations] == ["not an IRI"]
    assert '"not an IRI"' in planned(plan, "ObjectsShape")


def test_sparql_target_with_this_prebound(store, graphs):
    shapes, _ = graphs
    spec = target_spec(compiled_for(shapes), URIRef(EX + "SelectShape"))
    assert [s.prebind for s in spec.selects] == [True]
    update = f"INSERT DATA {{ <{EX}sel> <{EX}t> 2 . <{EX}exempt> <{EX}t> 2 }}"
    report, plan, full = run(store, update, graphs)
    assert keys(report) == keys(full) and [v.focus for v in report.violations] == [f"{EX}sel"]
    assert planned(plan, "SelectShape") == {f"<{EX}sel>"}  # the exempt node is filtered out by the target


def test_sparql_target_on_a_blank_node(store, graphs):
    update = f"PREFIX ex: <{EX}> INSERT {{ ?b ex:t 2 }} WHERE {{ GRAPH ?g {{ ex:holder ex:u ?b }} }}"
    report, plan, full = run(store, update, graphs)
    assert keys(report) == keys(full) and not report.conforms
    assert len(planned(plan, "SelectShape")) == 1


def test_sparql_target_that_cannot_be_prebound_is_asked_with_values(store, graphs):
    shapes, _ = graphs
    spec = target_spec(compiled_for(shapes), URIRef(EX + "LimitedSelectShape"))
    assert [s.prebind for s in spec.selects] == [False]  # a LIMIT applies after the binding
    report, plan, full = run(store, f"INSERT DATA {{ <{EX}lim> <{EX}w> 2 }}", graphs)
    assert keys(report) == keys(full) and [v.focus for v in report.violations] == [f"{EX}lim"]
    assert planned(plan, "LimitedSelectShape") == {f"<{EX}lim>"}


def test_the_subclass_sets_come_from_the_hierarchy_of_the_after_state(store, graphs):
    shapes, ontology = graphs
    with after_state(store) as view:
        ensure_ontology(view, ontology)
        assert ONTOLOGY_IRI in view.graphs()
        delta = apply_operations(view.engine, parse_update(f"INSERT DATA {{ <{EX}z> a <{EX}C> }}"))
        v = IncrementalValidator(view, delta, compiled_for(shapes), ontology=ontology)
        assert v.subclasses(EX + "A") == [EX + "A", EX + "B", EX + "C"]  # the blank class walked, not kept
        assert v.subclasses(EX + "C") == [EX + "C"]


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?this WHERE { ?this a ?c . FILTER NOT EXISTS { ?this a <http://e/X> } }", True),
    ("SELECT DISTINCT ?this WHERE { ?this a ?c } ORDER BY ?this", True),
    ("SELECT ?this WHERE { ?this a ?c } LIMIT 3", False),
    ("SELECT ?this WHERE { ?this a ?c } GROUP BY ?this HAVING (COUNT(?c) > 1)", False),
    ("SELECT ?this WHERE { ?x a ?c OPTIONAL { ?this <http://e/p> ?x } }", False),
    ("SELECT ?this WHERE { { ?this a ?c } UNION { ?x <http://e/p> ?c } }", False),
    ("SELECT ?x WHERE { ?x a ?c }", False),
    ("SELECT ?this WHERE { ?this a", False),
])
def test_substitutable(text, expected):
    assert substitutable(text) is expected


def test_a_shape_that_is_a_class_targets_its_instances():
    """An implicit class target (the shape is also an rdfs:Class): left to pyshacl, given the write's instances."""
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix ex: <{EX}> .
        ex:K a sh:NodeShape , rdfs:Class ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .
    """, format="turtle")
    assert compiled_for(shapes).fallback == [URIRef(EX + "K")]
    store = OxigraphStore(None)
    store.update(f"INSERT DATA {{ <{EX}k1> a <{EX}K> ; <{EX}p> 1 }}")
    report, plan, full = run(store, f"INSERT DATA {{ <{EX}k1> <{EX}p> 2 . <{EX}k2> <{EX}p> 1, 2 }}",
                             (shapes, Graph()))
    assert keys(report) == keys(full) and [v.focus for v in report.violations] == [f"{EX}k1"]
    assert planned(plan, "K") == {f"<{EX}k1>"}
