"""The built wheel, installed into a fresh virtualenv, answers the tour from an empty folder outside any checkout.

This is the CI step of "install anywhere": build the wheel from this checkout, ``pip install`` it (core only,
then with the ``server`` extra) into a new venv in a temporary folder, and run the commands there, with no
PYTHONPATH and no HPKG_HOME, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
NOTICE = "using the graph shipped with hpkg alone"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HPKG_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, env=clean_env())
    (found,) = out.glob("hpkg-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    v = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(v)], check=True)
    r = subprocess.run([str(v / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, env=clean_env())
    assert r.returncode == 0, r.stderr.decode()
    return v


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("empty-folder")


def hpkg(venv: Path, *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "hpkg"), *args], cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=timeout)


def test_the_wheel_carries_the_shipped_graph(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ("hpkg/graph/ontology/hpkg.ttl", "hpkg/graph/data/observations.ttl", "hpkg/graph/data/links/links.ttl",
                 "hpkg/graph/shapes/common.ttl", "hpkg/graph/queries/fdi-vs-plan.rq",
                 "hpkg/graph/sources/000_60cf227c69ab6101.txt", "hpkg/graph/sources/README.md",
                 "hpkg/server/templates/base.html", "hpkg/py.typed"):
        assert path in names, path
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_it_runs_from_the_venv_not_from_the_checkout(venv, empty):
    r = subprocess.run([str(venv / "bin" / "python"), "-c", "import hpkg; print(hpkg.__file__, hpkg.__version__)"],
                       cwd=empty, env=clean_env(), capture_output=True, text=True, check=True)
    location, version = r.stdout.split()
    assert Path(location).is_relative_to(venv)
    assert version != "0+unknown"


def no_violation(report: str) -> bool:
    """The graph conforms, or its only results are warnings (the FIA's 2015 summary is 1.5% off its provinces)."""
    return "conforms: " in report or ", 0 violation(s)" in report


def test_the_tour_from_an_empty_folder(venv, empty):
    r = hpkg(venv, "build", cwd=empty)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(NOTICE) == 1
    assert no_violation(r.stdout + r.stderr), r.stdout + r.stderr
    assert (empty / ".hpkg" / "store").is_dir() and (empty / "dist" / "hpkg.ttl").is_file()

    r = hpkg(venv, "query", "fdi-vs-plan", "--format", "csv", cwd=empty)
    assert r.returncode == 0, r.stderr
    assert "4350000000" in r.stdout and "1800000000" in r.stdout

    r = hpkg(venv, "validate", cwd=empty)  # the store
    assert r.returncode == 0 and no_violation(r.stdout), r.stdout + r.stderr
    r = hpkg(venv, "validate", "dist/hpkg.ttl", cwd=empty)  # a file
    assert r.returncode == 0 and no_violation(r.stdout), r.stdout + r.stderr

    r = hpkg(venv, "queries", cwd=empty)
    assert r.returncode == 0 and "fdi-vs-plan" in r.stdout.splitlines()


def test_a_bad_file_is_refused_with_its_position(venv, empty):
    (empty / "bad.ttl").write_text("<a> <b> <c> .\n<a> <b> \n", encoding="utf-8")
    r = hpkg(venv, "validate", "bad.ttl", cwd=empty)
    assert r.returncode == 2
    assert "bad.ttl:" in r.stderr and "Traceback" not in r.stderr


def test_serve_without_the_server_extra_names_it(venv, empty):
    r = hpkg(venv, "serve", "--port", str(free_port()), cwd=empty, timeout=60)
    assert r.returncode == 2
    assert "hpkg serve needs the server extra: pip install 'hpkg[server]'" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_users_project_extends_the_shipped_graph(venv, tmp_path):
    r = hpkg(venv, "init", "proj", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    proj = tmp_path / "proj"
    (proj / "data" / "labels.ttl").write_text(
        '<zone/kcn-dinh-vu> <http://www.w3.org/2004/02/skos/core#altLabel> "KCN Đình Vũ (dự án)"@vi .\n',
        encoding="utf-8")
    (proj / "queries" / "dinh-vu-labels.rq").write_text(
        "# en: Alternative labels of Dinh Vu?\n"
        "SELECT ?l WHERE { <https://w3id.org/hpkg/id/zone/kcn-dinh-vu> "
        "<http://www.w3.org/2004/02/skos/core#altLabel> ?l }\n", encoding="utf-8")
    r = hpkg(venv, "build", "--no-export", cwd=proj / "data")
    assert r.returncode == 0, r.stderr
    assert NOTICE not in r.stderr
    r = hpkg(venv, "query", "dinh-vu-labels", "--format", "csv", cwd=proj)
    assert r.returncode == 0 and "KCN Đình Vũ (dự án)" in r.stdout
    r = hpkg(venv, "queries", cwd=proj)
    assert "dinh-vu-labels  [project]" in r.stdout.splitlines()


def test_serve_with_the_server_extra_answers_health(venv, wheel, empty):
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"{wheel}[server]"], capture_output=True,
                       env=clean_env())
    assert r.returncode == 0, r.stderr.decode()
    port = free_port()
    proc = subprocess.Popen([str(venv / "bin" / "hpkg"), "serve", "--port", str(port)], cwd=empty, env=clean_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = None
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                    assert resp.status == 200
                    body = json.loads(resp.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                time.sleep(0.1)
        assert body is not None, "hpkg serve did not answer /health"
        assert body["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
