"""``hpkg init`` and a user's project through the command line: its data, shapes and queries extend the shipped
graph; outside a project the commands say once that they use the shipped graph alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hpkg.cli import main

ZONE_LABEL = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<zone/kcn-dinh-vu> skos:altLabel "Đình Vũ (nhãn của dự án thử)"@vi .
"""

MY_QUERY = """\
# vi: Nhãn phụ của KCN Đình Vũ?
# en: Alternative labels of the Dinh Vu industrial park?
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label WHERE { <https://w3id.org/hpkg/id/zone/kcn-dinh-vu> skos:altLabel ?label } ORDER BY ?label
"""

OVERRIDE = """\
# vi: Có bao nhiêu khu?
# en: How many zones (the project's own version)?
SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } LIMIT 1
"""

#: A project shape the shipped data already meets, and one it breaks (every zone needs a made-up property).
SHAPE_MET = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hpkg: <https://w3id.org/hpkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/shapes#ZoneLabelled> a sh:NodeShape ; sh:targetClass hpkg:Zone ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "a zone has a label"@en ] .
"""
SHAPE_BROKEN = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hpkg: <https://w3id.org/hpkg/ontology#> .
<https://example.org/shapes#ZoneHasMotto> a sh:NodeShape ; sh:targetNode <https://w3id.org/hpkg/id/zone/kcn-dinh-vu> ;
    sh:property [ sh:path <https://example.org/motto> ; sh:minCount 1 ; sh:message "a zone needs a motto"@en ] .
"""


@pytest.fixture
def runner(monkeypatch, tmp_path):
    for var in ("HPKG_HOME", "HPKG_STORE", "HPKG_BASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_init_then_build_validate_and_query_with_the_shipped_graph(runner, tmp_path):
    r = invoke(runner, "init", "proj")
    assert r.exit_code == 0, r.output
    assert "created" in r.output and "hpkg.toml" in r.output
    proj = tmp_path / "proj"
    (proj / "data" / "labels.ttl").write_text(ZONE_LABEL, encoding="utf-8")
    (proj / "queries" / "my-zone.rq").write_text(MY_QUERY, encoding="utf-8")
    (proj / "shapes" / "zones.ttl").write_text(SHAPE_MET, encoding="utf-8")
    os.chdir(proj / "data")  # found by walking up

    r = invoke(runner, "build", "--no-export")
    assert r.exit_code == 0, r.output
    assert "labels.ttl" in r.output and "observations.ttl" in r.output
    assert "conforms" in r.output
    assert "no hpkg.toml" not in r.stderr
    assert (proj / ".hpkg" / "store").is_dir()

    r = invoke(runner, "query", "my-zone", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert "Đình Vũ (nhãn của dự án thử)" in r.stdout

    r = invoke(runner, "query", "fdi-vs-plan", "--format", "csv")  # a shipped query still answers
    assert r.exit_code == 0 and "4350000000" in r.stdout

    r = invoke(runner, "validate", "labels.ttl", "--with-data")
    assert r.exit_code == 0, r.output


def test_a_project_shape_is_checked_with_the_shipped_shapes(runner, tmp_path):
    invoke(runner, "init", "proj")
    proj = tmp_path / "proj"
    (proj / "shapes" / "motto.ttl").write_text(SHAPE_BROKEN, encoding="utf-8")
    r = invoke(runner, "--project", str(proj), "build", "--no-export")
    assert r.exit_code == 1
    assert "a zone needs a motto" in r.output
    assert "nothing was written" in r.output


def test_queries_say_which_are_the_projects_and_which_override(runner, tmp_path):
    invoke(runner, "init", "proj")
    proj = tmp_path / "proj"
    (proj / "queries" / "my-zone.rq").write_text(MY_QUERY, encoding="utf-8")
    (proj / "queries" / "zones.rq").write_text(OVERRIDE, encoding="utf-8")
    r = invoke(runner, "--project", str(proj), "queries", "--lang", "en")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert "my-zone  [project]" in lines
    assert "zones  [project, overrides the shipped query]" in lines
    assert "fdi-vs-plan" in lines
    assert "  en: How many zones (the project's own version)?" in lines


def test_outside_a_project_the_notice_is_said_once_on_stderr(runner, tmp_path):
    r = invoke(runner, "--memory", "query", "ASK { ?s ?p ?o }")
    assert r.exit_code == 0
    assert r.stdout.strip() == "true"
    assert r.stderr.count("using the graph shipped with hpkg alone") == 1


def test_init_twice_is_exit_2_without_traceback(runner, tmp_path):
    assert invoke(runner, "init", "p").exit_code == 0
    r = runner.invoke(main, ["init", "p"])
    assert r.exit_code == 2
    assert "already an hpkg project" in r.stderr
    assert "Traceback" not in r.output


def test_project_option_naming_a_plain_folder_is_exit_2(runner, tmp_path):
    (tmp_path / "plain").mkdir()
    r = runner.invoke(main, ["--project", str(tmp_path / "plain"), "queries"])
    assert r.exit_code == 2
    assert "not an hpkg project" in r.stderr and "hpkg init" in r.stderr


def test_hpkg_home_selects_the_project(runner, tmp_path, monkeypatch):
    invoke(runner, "init", "proj")
    (tmp_path / "proj" / "queries" / "my-zone.rq").write_text(MY_QUERY, encoding="utf-8")
    monkeypatch.setenv("HPKG_HOME", str(tmp_path / "proj"))
    r = invoke(runner, "queries")
    assert "my-zone  [project]" in r.stdout.splitlines()


def test_the_repository_is_itself_a_project():
    root = Path(__file__).resolve().parents[2]
    from hpkg.project import open_project

    p = open_project(cwd=root / "tests")
    assert p.root == root and p.name == "hpkg"
