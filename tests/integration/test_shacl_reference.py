"""The fast SHACL engine against pyshacl, the reference implementation, on whole graphs: the shipped graph,
stricter shapes on it, and generated data with every kind of injected violation (also through ``hpkg validate
--engine``). Results must be exactly pyshacl's (focus node, path, component, severity).

Slow, as pyshacl is; the same comparison on small graphs, and the compiler's own checks: tests/unit/test_shacl_compiler.py.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from rdflib import Graph

from hpkg.build import stage
from hpkg.generate import VIOLATION_KINDS, generate
from hpkg.namespaces import SH
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, load_shapes
from hpkg.shacl.compiler import compile_shapes
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.runner import validate_fast
from hpkg.terms import quads_to_graph

from ..conftest import TEST_DATA, shipped_project

pytestmark = pytest.mark.slow

RICH = TEST_DATA / "shacl" / "rich-shapes.ttl"
FALLBACK = TEST_DATA / "shacl" / "fallback-shapes.ttl"
PROJECT = shipped_project()
ONTOLOGY = load_ontology(PROJECT)


def keys(report):
    return Counter(v.key() for v in report.violations)


def both(store, shapes):
    """(fast, pyshacl) reports for a store; pyshacl gets the same data as an rdflib graph."""
    fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    ref = validate_graph(store.to_rdflib_graph(), shapes=shapes, ontology=ONTOLOGY)
    return fast, ref


def test_project_shapes_on_the_curated_graph(built_store, pyshacl_shipped_report):
    fast = validate_fast(built_store, shapes=load_shapes(PROJECT), ontology=ONTOLOGY)
    ref = pyshacl_shipped_report
    assert keys(fast) == keys(ref)
    assert fast.conforms == ref.conforms
    assert ref.conforms, ref.text  # the shipped graph conforms for the reference engine too


def test_rich_shapes_on_the_curated_data():
    staged, _ = stage(PROJECT)
    shapes = quads_to_graph(parse_rdf(RICH))
    fast, ref = both(staged, shapes)
    assert keys(fast) == keys(ref)
    assert ref.violations  # the rich shapes are stricter than the data: there is something to compare


def test_rich_shapes_on_generated_data_find_every_injected_violation(synthetic_store):
    store, report = synthetic_store
    shapes = quads_to_graph(parse_rdf(RICH))
    compiled = compile_shapes(shapes)
    assert compiled.fallback == []  # every shape, sh:or and SHACL-SPARQL included, runs as SPARQL
    fast, ref = both(store, shapes)
    assert keys(fast) == keys(ref)
    found = {v.focus for v in fast.violations}
    assert set(report.violations) == set(VIOLATION_KINDS)
    for kind, nodes in report.violations.items():
        assert set(nodes) <= found, kind
    # and nothing else: every result is about an injected node
    injected = {n for nodes in report.violations.values() for n in nodes}
    assert found <= injected


def test_uncompiled_shapes_go_to_pyshacl_alone(synthetic_store):
    store, _ = synthetic_store
    shapes = quads_to_graph(parse_rdf(RICH))
    quads_to_graph(parse_rdf(FALLBACK), shapes)
    compiled = compile_shapes(shapes)
    assert [str(s) for s in compiled.fallback] == ["https://w3id.org/hpkg/ontology#ZoneGroup"]
    fast, ref = both(store, shapes)
    assert keys(fast) == keys(ref)
    assert any(k[2].endswith("MinCountConstraintComponent") and "group" in k[0] for k in keys(fast))


def test_cli_engines_agree_and_report_graph_is_shacl(cli, tmp_path):
    generate(tmp_path / "v.nt", provinces=2, zones=3, projects=6, years=2, violations=1, seed=2)
    out = {}
    for engine in ("fast", "pyshacl"):
        r = cli("validate", "--engine", engine, "--with-data", "--format", "json", "v.nt")
        assert r.returncode == 1, r.stderr
        out[engine] = Counter((v["focus"], v["path"], v["component"], v["severity"])
                              for v in json.loads(r.stdout)["results"])
    assert out["fast"] == out["pyshacl"]
    ttl = cli("validate", "--format", "turtle", "v.nt", "--with-data")
    g = Graph().parse(data=ttl.stdout.decode(), format="turtle")
    assert len(list(g.subjects(SH.resultSeverity, None))) == sum(out["fast"].values())
