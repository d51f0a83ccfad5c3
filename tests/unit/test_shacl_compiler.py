"""hpkg.shacl.compiler (the fast engine, run by hpkg.shacl.runner): the shapes compiled to SPARQL find what they
should, the ones it cannot compile are left to pyshacl, and on small graphs it gives exactly pyshacl's results
(hpkg.shacl.reference): focus node, path, component, severity.

The same comparison on whole graphs (the shipped one, generated data; slow, as pyshacl is):
tests/integration/test_shacl_reference.py.
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, URIRef

from hpkg.generate import VIOLATION_KINDS
from hpkg.namespaces import SH
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, validate
from hpkg.shacl.compiler import compile_shapes, fallback_shapes_graph
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.runner import validate_fast
from hpkg.store import OxigraphStore
from hpkg.terms import quads_to_graph

from ..conftest import TEST_DATA, shipped_project

RICH = TEST_DATA / "shacl" / "rich-shapes.ttl"
FALLBACK = TEST_DATA / "shacl" / "fallback-shapes.ttl"
SHACL = TEST_DATA / "shacl"
PROJECT = shipped_project()
ONTOLOGY = load_ontology(PROJECT)


def keys(report):
    return Counter(v.key() for v in report.violations)


def both(store, shapes):
    """(fast, pyshacl) reports for a store; pyshacl gets the same data as an rdflib graph."""
    fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    ref = validate_graph(store.to_rdflib_graph(), shapes=shapes, ontology=ONTOLOGY)
    return fast, ref


def test_rich_shapes_compile_to_sparql_alone_and_find_every_injected_violation(synthetic_store):
    store, report = synthetic_store
    shapes = quads_to_graph(parse_rdf(RICH))
    compiled = compile_shapes(shapes)
    assert compiled.fallback == []  # every shape, sh:or and SHACL-SPARQL included, runs as SPARQL
    fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    found = {v.focus for v in fast.violations}
    assert set(report.violations) == set(VIOLATION_KINDS)
    for kind, nodes in report.violations.items():
        assert set(nodes) <= found, kind
    # and nothing else: every result is about an injected node
    injected = {n for nodes in report.violations.values() for n in nodes}
    assert found <= injected


def test_shapes_that_do_not_compile_are_left_to_pyshacl(synthetic_store):
    store, _ = synthetic_store
    shapes = quads_to_graph(parse_rdf(RICH))
    quads_to_graph(parse_rdf(FALLBACK), shapes)
    compiled = compile_shapes(shapes)
    assert [str(s) for s in compiled.fallback] == ["https://w3id.org/hpkg/ontology#ZoneGroup"]
    assert (URIRef("https://w3id.org/hpkg/ontology#ZoneGroup"), RDF.type, SH.NodeShape) in fallback_shapes_graph(compiled)
    fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    assert any(k[2].endswith("MinCountConstraintComponent") and "group" in k[0] for k in keys(fast))


def test_paths_datatypes_closed_and_nested_shapes_through_files():
    # validate() on files reads the files themselves: derived integer datatypes must not be lost in the store.
    # (These shapes alone, with the shipped ontology: not added to the shipped shapes as a project's would be.)
    shapes = quads_to_graph(parse_rdf(SHACL / "paths-shapes.ttl"))
    files = [SHACL / "paths-data.ttl"]
    fast = validate(files, project=PROJECT, engine="fast", shapes=shapes, ontology=ONTOLOGY)
    ref = validate(files, project=PROJECT, engine="pyshacl", shapes=shapes, ontology=ONTOLOGY)
    assert keys(fast) == keys(ref)
    components = {k[2].split("#")[1] for k in keys(ref)}
    assert {"ClosedConstraintComponent", "NodeConstraintComponent", "DatatypeConstraintComponent",
            "MinCountConstraintComponent", "UniqueLangConstraintComponent", "PatternConstraintComponent",
            "MaxCountConstraintComponent", "InConstraintComponent", "NotConstraintComponent",
            "XoneConstraintComponent", "OrConstraintComponent", "QualifiedMinCountConstraintComponent",
            "QualifiedMaxCountConstraintComponent", "SPARQLConstraintComponent"} <= components
    assert any(k[0] == "https://example.org/a2" and k[2].endswith("MinCountConstraintComponent") for k in keys(ref))
    assert any(k[1] and k[1].startswith(("(", "^", "<")) for k in keys(ref))  # complex paths compared in SPARQL form


def test_store_data_compiles_every_paths_shape(tmp_path):
    shapes = quads_to_graph(parse_rdf(SHACL / "paths-shapes.ttl"))
    assert [str(n) for n in compile_shapes(shapes).fallback] == ["https://example.org/ScopeShape"]
    store = OxigraphStore(None)
    store.load_file(SHACL / "paths-data.ttl")
    fast, ref = both(store, shapes)
    assert keys(fast) == keys(ref)


ILL_FORMED_SUBSELECT = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Total ;
  sh:sparql [ sh:select '''
    SELECT $this WHERE {
      $this <http://example.org/key> ?k .
      { SELECT ?k WHERE { ?part a <http://example.org/Part> ; <http://example.org/key> ?k } }
    }''' ] .
"""
WELL_FORMED_SUBSELECT = ILL_FORMED_SUBSELECT.replace("{ SELECT ?k WHERE", "{ SELECT $this ?k WHERE")
SUBSELECT_DATA = """
@prefix ex: <http://example.org/> .
ex:t a ex:Total ; ex:key 1 .
ex:p a ex:Part ; ex:key 1 .
ex:u a ex:Total ; ex:key 2 .
"""


def test_a_subselect_that_does_not_project_this_is_refused_by_both_engines():
    """Regression: pyshacl's refusal of such a shape (SHACL 5.3.1.1) came back as an AttributeError; the
    compiled engine ran it. Both now refuse it with a message naming the rule."""
    import pytest
    from rdflib import Graph

    from hpkg.errors import HpkgError

    shapes = Graph().parse(data=ILL_FORMED_SUBSELECT, format="turtle")
    data = Graph().parse(data=SUBSELECT_DATA, format="turtle")
    with pytest.raises(HpkgError, match="project"):
        compile_shapes(shapes).compiled  # noqa: B018 - compiling is the test
    with pytest.raises(HpkgError, match="pre-bound"):
        validate_graph(data, shapes=shapes, ontology=Graph())


def test_a_subselect_that_projects_this_unbound_joins_as_written():
    """A sub-select projecting $this without binding it (as TotalEqualsPartsShape does, so that Oxigraph
    joins the parts once): both engines give every focus node with a matching part, the same ones."""
    from rdflib import Graph

    shapes = Graph().parse(data=WELL_FORMED_SUBSELECT, format="turtle")
    data = Graph().parse(data=SUBSELECT_DATA, format="turtle")
    reference = validate_graph(data, shapes=shapes, ontology=Graph())
    import pyoxigraph as ox

    store = OxigraphStore(None)
    store.load(SUBSELECT_DATA.encode(), fmt=ox.RdfFormat.TURTLE)
    fast = validate_fast(store, shapes=shapes, ontology=Graph())
    assert sorted(v.focus for v in reference.violations) == ["http://example.org/t"]
    assert sorted(v.focus for v in fast.violations) == ["http://example.org/t"]
