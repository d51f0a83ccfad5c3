"""``hpkg load --validate``: files land only if the store with them conforms; the verdict equals a full validation."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from hpkg.build import build
from hpkg.cli import main
from hpkg.project import shipped_only
from hpkg.shacl import load_ontology, load_shapes, validate
from hpkg.store import OxigraphStore
from hpkg.store.bulk import load_files
from hpkg.validated_load import LoadRejected, check_load, load_validated

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "tests" / "data" / "shapes"
_BNODE_ID = re.compile(r"^(_:)?N?[0-9a-f]{8,32}$")


def keys(report) -> Counter:
    return Counter(tuple("_:b" if isinstance(x, str) and _BNODE_ID.match(x) else x for x in v.key())
                   for v in report.violations)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / "store"
    store = OxigraphStore(path)
    build(store, project=shipped_only(), validate=False)
    store.close()
    return path


@pytest.fixture
def store_path(built, tmp_path) -> Path:
    src = ox.Store.read_only(str(built))
    src.backup(str(tmp_path / "store"))
    del src
    return tmp_path / "store"


@pytest.mark.parametrize("name", ["valid-observation", "observation-missing-unit", "evidence-quote-paragraph-zero",
                                  "compared-target-unit-disagrees", "mapping-link-not-asserted"])
def test_check_load_equals_full_validation(name, store_path):
    project = shipped_only()
    shapes, ontology = load_shapes(project), load_ontology(project)
    store = OxigraphStore(store_path)
    try:
        before = set(store.engine)
        outcome = check_load(store, [SHAPES / f"{name}.ttl"], project=project, shapes=shapes, ontology=ontology)
        assert set(store.engine) == before
        copy = OxigraphStore(None)
        copy.engine.extend(store.engine)
        load_files(copy, [SHAPES / f"{name}.ttl"], optimize=False)
        full = validate(copy, project=project, shapes=shapes, ontology=ontology)
        assert keys(outcome.report) == keys(full)
        assert outcome.inserted == len(set(copy.engine) - before)
    finally:
        store.close()


def test_rejected_load_changes_nothing(store_path):
    store = OxigraphStore(store_path)
    try:
        before = set(store.engine)
        with pytest.raises(LoadRejected):
            load_validated(store, [SHAPES / "observation-missing-unit.ttl"], project=shipped_only())
        assert set(store.engine) == before
    finally:
        store.close()
    assert sorted(p.name for p in store_path.parent.iterdir()) == ["store"]


def run(store_path: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store_path), "load", *args], env={"HPKG_HOME": ""},
                              catch_exceptions=False)


def test_cli_load_validate(store_path):
    before = set(ox.Store.read_only(str(store_path)))
    r = run(store_path, "--validate", str(SHAPES / "observation-missing-unit.ttl"))
    assert r.exit_code == 1 and "does not conform" in r.stdout
    assert set(ox.Store.read_only(str(store_path))) == before
    r = run(store_path, "--validate", "--no-optimize", str(SHAPES / "valid-observation.ttl"))
    assert r.exit_code == 0, r.output
    assert "conforms" in r.stdout and "loaded" in r.stdout
    assert len(set(ox.Store.read_only(str(store_path))) - before) > 100


def test_blank_nodes_of_a_file_are_validated(store_path, tmp_path):
    f = tmp_path / "quote.ttl"
    f.write_text("<https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong> <https://w3id.org/hpkg/ontology#evidence> "
                 "[ a <https://w3id.org/hpkg/ontology#EvidenceQuote> ] .\n", encoding="utf-8")
    project = shipped_only()
    store = OxigraphStore(store_path)
    try:
        outcome = check_load(store, [f], project=project)
        copy = OxigraphStore(None)
        copy.engine.extend(store.engine)
        load_files(copy, [f], optimize=False)
        full = validate(copy, project=project)
        assert not full.conforms and keys(outcome.report) == keys(full)
        assert any(_BNODE_ID.match(v.focus) for v in outcome.report.violations)
    finally:
        store.close()
