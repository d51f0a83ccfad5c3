"""The fast SHACL engine gives exactly pyshacl's results (focus node, path, component, severity)."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from hpkg.build import stage
from hpkg.generate import VIOLATION_KINDS, generate
from hpkg.shacl_fast import compile_shapes
from hpkg.store import OxigraphStore
from hpkg.rdfio import parse_rdf
from hpkg.terms import quads_to_graph
from hpkg.validate import (
    SH,
    load_ontology,
    load_shapes,
    validate_fast,
    validate_files,
    validate_graph,
    validate_store,
)

from .conftest import ROOT, TEST_DATA

RICH = TEST_DATA / "shacl" / "rich-shapes.ttl"
FALLBACK = TEST_DATA / "shacl" / "fallback-shapes.ttl"
SHACL = TEST_DATA / "shacl"


def keys(report):
    return Counter(v.key() for v in report.violations)


def both(store, shapes):
    """(fast, pyshacl) reports for a store; pyshacl gets the same data as an rdflib graph."""
    ontology = load_ontology(ROOT)
    fast = validate_fast(store, shapes=shapes, ontology=ontology)
    ref = validate_graph(store.to_rdflib_graph(), shapes=shapes, ontology=ontology)
    return fast, ref


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    """Generated data with one injected violation of each kind, with the code lists and units it refers to."""
    d = tmp_path_factory.mktemp("synthetic")
    report = generate(d / "v.nt.gz", provinces=2, zones=4, projects=16, years=2, violations=1, seed=5)
    store = OxigraphStore(None)
    store.load_file(d / "v.nt.gz")
    for name in ("concepts.ttl", "units.ttl"):
        store.load_file(ROOT / "data" / name, base_iri="https://w3id.org/hpkg/id/")
    return store, report


def test_project_shapes_on_the_curated_graph(built_store):
    fast, ref = both(built_store, load_shapes(ROOT))
    assert keys(fast) == keys(ref)
    assert fast.conforms == ref.conforms


def test_rich_shapes_on_the_curated_data():
    staged, _ = stage(ROOT)
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


def test_paths_datatypes_closed_and_nested_shapes_through_files(tmp_path):
    # validate_files reads the files themselves: derived integer datatypes must not be lost in the store.
    root = tmp_path / "root"
    (root / "shapes").mkdir(parents=True)
    (root / "ontology").mkdir()
    shutil.copy(ROOT / "ontology" / "hpkg.ttl", root / "ontology" / "hpkg.ttl")
    shutil.copy(SHACL / "paths-shapes.ttl", root / "shapes" / "paths.ttl")
    files = [SHACL / "paths-data.ttl"]
    fast = validate_files(files, root=root, engine="fast")
    ref = validate_files(files, root=root, engine="pyshacl")
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
    from rdflib import Graph

    g = Graph().parse(data=ttl.stdout.decode(), format="turtle")
    assert len(list(g.subjects(SH.resultSeverity, None))) == sum(out["fast"].values())


def test_validate_store_defaults_to_the_fast_engine(built_store):
    report = validate_store(built_store)
    assert report.conforms
    assert validate_store(built_store, engine="pyshacl").conforms
