"""``hpkg update``: dry run, applied, rejected (exit 1), malformed (exit 2 with line:column); nothing changed when
it should not be. Through click's CliRunner on an on-disk store, and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import hpkg.cli.update  # noqa: F401 - registers the command (until hpkg.cli imports it)
from hpkg.build import build
from hpkg.cli import main
from hpkg.project import shipped_only
from hpkg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
DATA = "https://w3id.org/hpkg/id/graph/data"
TARGET = "https://w3id.org/hpkg/id/target/fdi-registered-kcn-kkt-hai-phong-2024"
LABEL = (f'INSERT DATA {{ GRAPH <{DATA}> {{ <{TARGET}> <http://www.w3.org/2004/02/skos/core#altLabel> '
         f'"FDI target"@en }} }}')
BREAKS = f"DELETE WHERE {{ GRAPH ?g {{ <{TARGET}> <https://w3id.org/hpkg/ontology#minValue> ?v }} }}"
MALFORMED = f"INSERT DATA {{\n  GRAPH <{DATA}> {{\n    <{TARGET}> <http://e/p> }} }}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / "store"
    store = OxigraphStore(path)
    build(store, project=shipped_only(), validate=False)
    store.close()
    return path


@pytest.fixture
def store_path(built, tmp_path) -> Path:
    """A private on-disk copy of the built store (a checkpoint: cheap)."""
    src = ox.Store.read_only(str(built))
    target = tmp_path / "store"
    src.backup(str(target))
    del src
    return target


def quads(path: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(path)))


def run(store_path: Path, *args: str):
    env = {"HPKG_HOME": "", "HPKG_STORE": str(store_path)}
    return CliRunner().invoke(main, ["--store", str(store_path), "update", *args], env=env, catch_exceptions=False)


def test_dry_run_changes_nothing(store_path):
    before = quads(store_path)
    r = run(store_path, "--dry-run", LABEL)
    assert r.exit_code == 0, r.output
    assert "would insert 1 quad(s), would delete 0 quad(s)" in r.output
    assert quads(store_path) == before


def test_applied(store_path):
    before = quads(store_path)
    r = run(store_path, LABEL)
    assert r.exit_code == 0, r.output
    assert "inserted 1 quad(s), deleted 0 quad(s)" in r.output
    assert len(quads(store_path) - before) == 1


def test_applied_from_a_file_json(store_path, tmp_path):
    f = tmp_path / "label.ru"
    f.write_text(LABEL, encoding="utf-8")
    r = run(store_path, "--format", "json", str(f))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["applied"] and out["conforms"] and out["inserted"] == 1 and out["results"] == []


def test_rejected_exit_1_with_report(store_path):
    before = quads(store_path)
    r = run(store_path, "--format", "json", BREAKS)
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert not out["applied"] and not out["conforms"] and out["deleted"] >= 1
    assert any(x["focus"].endswith("/obs/fdi-registered-kcn-kkt-hai-phong-2024") for x in out["results"])
    assert quads(store_path) == before


def test_rejected_by_the_reference_engine(store_path):
    before = quads(store_path)
    r = run(store_path, "--engine", "pyshacl", BREAKS)
    assert r.exit_code == 1
    assert "does not conform" in r.stdout
    assert quads(store_path) == before


def test_syntax_error_exit_2_with_position(store_path):
    before = quads(store_path)
    r = run(store_path, MALFORMED)
    assert r.exit_code == 2
    assert "line 3, column" in r.output
    assert quads(store_path) == before


def test_real_process_rejected_update_leaves_the_store_unchanged(store_path):
    before = quads(store_path)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("HPKG_HOME", None)
    code = "import sys, hpkg.cli.update; from hpkg.cli import main; sys.argv[0] = 'hpkg'; main()"
    p = subprocess.run([sys.executable, "-c", code, "--store", str(store_path), "update", BREAKS],
                       env=env, cwd=store_path.parent, capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    assert "does not conform" in p.stdout and "store is unchanged" in p.stderr
    assert "Traceback" not in p.stderr
    assert quads(store_path) == before
    assert sorted(x.name for x in store_path.parent.iterdir()) == ["store"]
