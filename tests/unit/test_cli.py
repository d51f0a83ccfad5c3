"""End to end through the real command line (subprocesses), on the on-disk store."""

from __future__ import annotations

import json
import shutil

import pytest
import rdflib

from .conftest import ROOT, cli_env, run_cli


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A working directory where `hpkg build` has run once (store in .hpkg/store, exports in dist/)."""
    wd = tmp_path_factory.mktemp("cli")
    r = run_cli("build", cwd=wd)
    assert r.returncode == 0, r.stderr.decode()
    return wd


def test_build_reports_validation_and_exports(workdir):
    assert (workdir / ".hpkg" / "store").is_dir()
    for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
        assert (workdir / "dist" / f"hpkg.{ext}").stat().st_size > 1000


def test_stats(workdir):
    r = run_cli("stats", "--json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["triples"] > 2000
    assert s["instances"]["http://purl.org/linked-data/cube#Observation"] == 10
    assert len(s["graphs"]) == 4  # ontology, data, links, meta


@pytest.mark.parametrize(("fmt", "rdflib_fmt"), [("turtle", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                                  ("trig", "trig"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_each_format_to_file_and_stdout(workdir, fmt, rdflib_fmt):
    out = workdir / f"export.{fmt}"
    r = run_cli("export", "--format", fmt, "-o", str(out), cwd=workdir)
    assert r.returncode == 0, r.stderr
    g = rdflib.Dataset() if fmt in ("nq", "trig", "jsonld") else rdflib.Graph()
    g.parse(out, format=rdflib_fmt)
    n = sum(len(c) for c in g.graphs()) if isinstance(g, rdflib.Dataset) else len(g)
    assert n > 2000
    r2 = run_cli("export", "--format", fmt, cwd=workdir)
    assert r2.returncode == 0 and r2.stdout == out.read_bytes()
    assert not list(workdir.glob(".export*.tmp"))


def test_validate_the_store(workdir):
    r = run_cli("validate", cwd=workdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"conforms" in r.stdout


def test_query_sparql_text_and_formats(workdir):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"
    r = run_cli("query", q, "--format", "json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"] == "10"
    r = run_cli("query", q, cwd=workdir)
    assert b"| 10" in r.stdout


def test_query_errors_exit_non_zero_with_a_clear_message(workdir):
    r = run_cli("query", "SELECT * WHERE { ?s ?p }", cwd=workdir)
    assert r.returncode == 2 and b"SPARQL syntax error" in r.stderr and b"1:" in r.stderr
    r = run_cli("query", "no-such-query", cwd=workdir)
    assert r.returncode == 2 and b"unknown named query 'no-such-query'; known:" in r.stderr
    assert b"Traceback" not in r.stderr


def test_reason_reports_the_graph_consistent(workdir):
    r = run_cli("reason", cwd=workdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"consistent" in r.stdout and b"INCONSISTENT" not in r.stdout


def test_memory_store_and_env_store(tmp_path, workdir):
    r = run_cli("--memory", "stats", "--json", cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["triples"] > 2000
    assert not (tmp_path / ".hpkg").exists()
    r = run_cli("stats", "--json", cwd=tmp_path, env=cli_env(HPKG_STORE=str(workdir / ".hpkg" / "store")))
    assert r.returncode == 0 and json.loads(r.stdout)["triples"] > 2000


def test_validate_malformed_file_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "x .\n', encoding="utf-8")
    r = run_cli("validate", str(bad), cwd=tmp_path)
    assert r.returncode == 2
    assert f"{bad}:2:".encode() in r.stderr


def test_failed_build_leaves_the_store_unchanged(tmp_path):
    proj = tmp_path / "proj"
    for d in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / d, proj / d)
    env = cli_env(HPKG_HOME=str(proj))
    assert run_cli("build", cwd=tmp_path, env=env).returncode == 0
    before = run_cli("export", "--format", "nq", cwd=tmp_path, env=env).stdout
    (proj / "data" / "observations.ttl").write_text(
        (proj / "data" / "observations.ttl").read_text(encoding="utf-8") + "\n<obs/x> a <oops", encoding="utf-8"
    )
    r = run_cli("build", cwd=tmp_path, env=env)
    assert r.returncode == 2 and b"observations.ttl:" in r.stderr
    assert run_cli("export", "--format", "nq", cwd=tmp_path, env=env).stdout == before


def test_diagram_is_up_to_date(root):
    from hpkg.diagram import to_dot
    from hpkg.validate import load_ontology

    assert (root / "docs" / "model.dot").read_text(encoding="utf-8") == to_dot(load_ontology(root)), (
        "docs/model.dot is stale: run `hpkg diagram`"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by scripts/setup.sh")
def test_diagram_command_renders_svg(tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(ROOT / "ontology", proj / "ontology")
    r = run_cli("diagram", cwd=tmp_path, env=cli_env(HPKG_HOME=str(proj)))
    assert r.returncode == 0, r.stderr
    assert (proj / "docs" / "model.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
