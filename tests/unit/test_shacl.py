"""hpkg.shacl.validate, the one entry point: a store or files, the project's shapes, either engine."""

from __future__ import annotations

import pytest

from hpkg.errors import HpkgError
from hpkg.shacl import ENGINES, validate

from ..conftest import TEST_DATA


def test_validate_store_defaults_to_the_fast_engine(project, monkeypatch):
    from hpkg.shacl import runner
    from hpkg.store import OxigraphStore

    store = OxigraphStore(None)
    store.load(TEST_DATA / "shapes" / "observation-missing-unit.ttl")
    called = []
    fast = runner.validate_fast
    monkeypatch.setattr(runner, "validate_fast", lambda *a, **kw: called.append("fast") or fast(*a, **kw))
    report = validate(store, project=project)
    assert called == ["fast"] and not report.conforms
    # (the shipped graph, validated as stored: test_graph_shapes.py::test_shipped_graph_conforms;
    # pyshacl on the whole of it, slow: tests/integration/test_shacl_reference.py)


def test_either_engine_validates_a_store(project):
    from hpkg.store import OxigraphStore

    store = OxigraphStore(None)
    store.load(TEST_DATA / "shapes" / "observation-missing-unit.ttl")
    reports = {engine: validate(store, project=project, engine=engine) for engine in ENGINES}
    keys = {engine: sorted(v.key() for v in r.violations) for engine, r in reports.items()}
    assert keys["fast"] == keys["pyshacl"] and len(keys["fast"]) == 1
    assert not any(r.conforms for r in reports.values())


def test_unknown_engine_is_refused_with_the_known_ones(built_store, project):
    assert ENGINES == ("fast", "pyshacl")
    with pytest.raises(HpkgError, match="unknown validation engine 'rdf4j'; known: fast, pyshacl"):
        validate(built_store, project=project, engine="rdf4j")


def test_project_shapes_are_added_to_the_shipped_ones(new_project, project):
    from hpkg.project import open_project
    from hpkg.shacl import load_shapes

    strict = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
              "<https://example.org/shapes#S> a sh:NodeShape ; sh:targetNode <https://example.org/x> ; "
              "sh:property [ sh:path <https://example.org/p> ; sh:minCount 1 ] .\n")
    proj = open_project(new_project({"shapes/strict.ttl": strict}))
    shipped = load_shapes(project)
    both = load_shapes(proj)
    assert len(both) == len(shipped) + 5  # the five triples of strict.ttl
    valid = TEST_DATA / "shapes" / "valid-observation.ttl"
    assert validate([valid], project=project).conforms
    report = validate([valid], project=proj)
    assert [v.focus for v in report.violations] == ["https://example.org/x"]
