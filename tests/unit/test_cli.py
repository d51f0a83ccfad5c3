"""The command line (hpkg.cli and hpkg.cli.core), run in this process with click's CliRunner: the project it
works on, build, validate, query, queries, export, stats, diagram, and the errors of serve.

Each test starts outside any project, in its temporary folder (see ``tests/conftest.py``). The same commands
as real processes (exit codes, no traceback, --timeout): tests/integration/test_cli_process.py."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, Graph, Literal, URIRef

from hpkg.namespaces import PREFIXES, SH

from ..conftest import ROOT, TEST_DATA, invoke, make_project
from .test_graph_queries import QUERIES, XSD, article
from .test_graph_shapes import EX, FIXTURES, HPKG, WITH_DATA

LABEL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<zone/kcn-kkt-hai-phong> skos:altLabel "HP zones (project)"@en .
"""
BROKEN = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n'
NOTICE = b"hpkg: no hpkg.toml here or above "


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A working directory where `hpkg build` has run once (store in .hpkg/store, exports in dist/)."""
    wd = tmp_path_factory.mktemp("cli")
    r = invoke("build", cwd=wd)
    assert r.returncode == 0, r.stderr.decode()
    return wd


def test_build_reports_validation_and_exports(workdir):
    assert (workdir / ".hpkg" / "store").is_dir()
    for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
        assert (workdir / "dist" / f"hpkg.{ext}").stat().st_size > 1000


def test_stats(workdir):
    r = invoke("stats", "--json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["triples"] > 2000
    assert s["instances"]["http://purl.org/linked-data/cube#Observation"] == 10
    assert len(s["graphs"]) == 4  # ontology, data, links, meta


@pytest.mark.parametrize(("fmt", "rdflib_fmt"), [("turtle", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                                  ("trig", "trig"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_each_format_to_file_and_stdout(workdir, fmt, rdflib_fmt):
    out = workdir / f"export.{fmt}"
    r = invoke("export", "--format", fmt, "-o", str(out), cwd=workdir)
    assert r.returncode == 0, r.stderr
    g = rdflib.Dataset() if fmt in ("nq", "trig", "jsonld") else rdflib.Graph()
    g.parse(out, format=rdflib_fmt)
    n = sum(len(c) for c in g.graphs()) if isinstance(g, rdflib.Dataset) else len(g)
    assert n > 2000
    r2 = invoke("export", "--format", fmt, cwd=workdir)
    assert r2.returncode == 0 and r2.stdout == out.read_bytes()
    assert not list(workdir.glob(".export*.tmp"))


def test_validate_the_store(workdir):
    r = invoke("validate", cwd=workdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"conforms" in r.stdout


def test_query_sparql_text_and_formats(workdir):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"
    r = invoke("query", q, "--format", "json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"] == "10"
    r = invoke("query", q, cwd=workdir)
    assert b"| 10" in r.stdout


def test_query_errors_exit_non_zero_with_a_clear_message(workdir):
    r = invoke("query", "SELECT * WHERE { ?s ?p }", cwd=workdir)
    assert r.returncode == 2 and b"SPARQL syntax error" in r.stderr and b"1:" in r.stderr
    r = invoke("query", "no-such-query", cwd=workdir)
    assert r.returncode == 2 and b"unknown named query 'no-such-query'; known:" in r.stderr
    assert b"Traceback" not in r.stderr


def test_memory_store_and_env_store(tmp_path, workdir):
    r = invoke("--memory", "stats", "--json", cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["triples"] > 2000
    assert not (tmp_path / ".hpkg").exists()
    r = invoke("stats", "--json", cwd=tmp_path, env={"HPKG_STORE": str(workdir / ".hpkg" / "store")})
    assert r.returncode == 0 and json.loads(r.stdout)["triples"] > 2000


def test_validate_exits_0_on_warnings_only(tmp_path):
    """Regression: a report with only sh:Warning results (the FIA's rounding) exited 1 and stopped `make demo`."""
    fixture = TEST_DATA / "shapes" / "table-provinces-do-not-add-up.ttl"
    r = invoke("validate", str(fixture), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"0 violation(s)" in r.stdout and b"sh:Warning" in r.stdout


def test_validate_malformed_file_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "x .\n', encoding="utf-8")
    r = invoke("validate", str(bad), cwd=tmp_path)
    assert r.returncode == 2
    assert f"{bad}:2:".encode() in r.stderr


def test_failed_build_leaves_the_store_unchanged(tmp_path):
    proj = make_project(tmp_path / "proj", {"data/observations.ttl": LABEL})
    env = {"HPKG_HOME": str(proj)}
    assert invoke("build", cwd=tmp_path, env=env).returncode == 0
    assert (proj / ".hpkg" / "store").is_dir()  # the project's store, not one in the current folder
    assert not (tmp_path / ".hpkg").exists()
    before = invoke("export", "--format", "nq", cwd=tmp_path, env=env).stdout
    assert "HP zones (project)" in before.decode()
    (proj / "data" / "observations.ttl").write_text(
        (proj / "data" / "observations.ttl").read_text(encoding="utf-8") + "\n<obs/x> a <oops", encoding="utf-8"
    )
    r = invoke("build", cwd=tmp_path, env=env)
    assert r.returncode == 2 and f"{proj / 'data' / 'observations.ttl'}:".encode() in r.stderr
    assert invoke("export", "--format", "nq", cwd=tmp_path, env=env).stdout == before


def test_diagram_is_up_to_date(project):
    from hpkg.diagram import to_dot
    from hpkg.shacl import load_ontology

    assert (ROOT / "docs" / "model.dot").read_text(encoding="utf-8") == to_dot(load_ontology(project)), (
        "docs/model.dot is stale: run `hpkg diagram` in the repository"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by scripts/setup.sh")
def test_diagram_command_renders_svg(tmp_path):
    proj = make_project(tmp_path / "proj")
    r = invoke("diagram", cwd=tmp_path, env={"HPKG_HOME": str(proj)})
    assert r.returncode == 0, r.stderr
    assert (proj / "docs" / "model.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert (proj / "docs" / "model.dot").read_text(encoding="utf-8") == (ROOT / "docs" / "model.dot").read_text(
        encoding="utf-8")


# --------------------------------------------------------------------------- hpkg query, hpkg queries

def _fdi_row_check(row: dict[str, str]) -> None:
    assert Decimal(row["fdiUSD"]) == Decimal(4350000000)
    assert Decimal(row["planMinUSD"]) == Decimal(1800000000)
    assert Decimal(row["planMaxUSD"]) == Decimal(2300000000)
    assert Decimal(row["statedPercentOfPlan"]) == Decimal(242)
    assert Decimal(row["percentOfPlanMin"]) == Decimal("241.67")


def test_cli_queries_lists_every_name_with_both_questions(cli):
    p = cli("queries")
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode()
    listed: dict[str, dict[str, str]] = {}
    current = None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = line.strip()
            listed[current] = {}
        else:
            m = re.match(r"\s+(vi|en|parameters): (.+)$", line)
            assert m and current, line
            listed[current][m.group(1)] = m.group(2)
    assert set(listed) == set(QUERIES)
    for name, q in QUERIES.items():
        expected = {"vi": q.question_vi, "en": q.question_en}
        if q.parameters:
            expected["parameters"] = ", ".join(p.describe() for p in q.parameters.values())
        assert listed[name] == expected
    assert listed["figures-in-year"]["parameters"] == "year (required, xsd:integer), indicator (optional, string)"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_cli_query_fdi_vs_plan_in_every_format(cli, fmt):
    p = cli("--memory", "query", "fdi-vs-plan", "--format", fmt)
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    elif fmt == "tsv":
        sols = ox.parse_query_results(out, format=ox.QueryResultsFormat.TSV)
        rows = [{v.value: s[v].value for v in sols.variables if s[v] is not None} for s in sols]
    elif fmt == "json":
        doc = json.loads(out)
        rows = [{k: b["value"] for k, b in r.items()} for r in doc["results"]["bindings"]]
        assert doc["results"]["bindings"][0]["fdiUSD"]["datatype"] == XSD + "decimal"
    elif fmt == "xml":
        ns = {"s": "http://www.w3.org/2005/sparql-results#"}
        tree = ET.fromstring(out)
        rows = [{b.get("name"): "".join(b.itertext()) for b in r.findall("s:binding", ns)}
                for r in tree.findall("s:results/s:result", ns)]
    else:
        lines = out.decode("utf-8").splitlines()
        header = [c.strip() for c in lines[1].strip("|").split("|")]
        values = [c.strip() for c in lines[3].strip("|").split("|")]
        rows = [dict(zip(header, values, strict=True))]
        assert lines[-1] == "1 row(s)"
    assert len(rows) == 1
    _fdi_row_check(rows[0])
    assert "khu công nghiệp" in rows[0]["area"]


def test_cli_query_on_a_built_on_disk_store(cli, workdir):
    store = str(workdir / ".hpkg" / "store")  # built by `hpkg build` (the workdir fixture), named by --store
    p = cli("--store", store, "query", "trade-balance", "--format", "json")
    assert p.returncode == 0, p.stderr.decode()
    b = json.loads(p.stdout)["results"]["bindings"][0]
    assert Decimal(b["balanceUSD"]["value"]) == article("28,5 tỷ USD") - article("22,8 tỷ USD")
    p = cli("--store", store, "query", "fdi-exceeded-plan", "--format", "json")
    assert p.returncode == 0 and json.loads(p.stdout)["boolean"] is True


def test_cli_construct_query_gives_rdf(cli):
    p = cli("--memory", "query", "data-cube-slice", "--format", "nt")
    assert p.returncode == 0, p.stderr.decode()
    triples = list(ox.parse(p.stdout, format=ox.RdfFormat.N_TRIPLES))
    assert any(t.object == ox.NamedNode("http://purl.org/linked-data/cube#Slice") for t in triples)


def test_cli_query_from_a_rq_file_and_from_sparql_text(cli, tmp_path):
    sparql = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?v WHERE { ?i skos:notation "FDI_CUM" . ?o hpkg:indicator ?i ; sdmx-measure:obsValue ?v }"""
    (tmp_path / "mine.rq").write_text(sparql, encoding="utf-8")
    for arg in ("mine.rq", str(tmp_path / "mine.rq"), sparql):
        p = cli("--memory", "query", arg, "--format", "csv")
        assert p.returncode == 0, (arg, p.stderr.decode())
        rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
        assert [Decimal(r["v"]) for r in rows] == [article("30,3 tỷ USD")]


def test_cli_unknown_query_name_fails_and_lists_the_known_names(cli):
    p = cli("--memory", "query", "fdi-vs-plann")
    assert p.returncode != 0
    err = p.stderr.decode()
    assert "fdi-vs-plann" in err
    for name in QUERIES:
        assert name in err
    assert p.stdout == b""


def test_cli_missing_rq_file_fails(cli):
    p = cli("--memory", "query", "no-such-file.rq")
    assert p.returncode != 0 and "no-such-file.rq" in p.stderr.decode()


def test_cli_sparql_syntax_error_fails_with_a_position(cli):
    p = cli("--memory", "query", "SELECT ?x WHERE { ?x ?p }")
    assert p.returncode != 0
    err = p.stderr.decode()
    assert re.search(r"\b1:\d+\b", err), err
    assert "Traceback" not in err


def test_cli_named_queries(cli):
    r = cli("--memory", "query", "replaced-by", "--format", "csv")
    assert r.returncode == 0, r.stderr.decode()
    assert "202/2025/QH15" in r.stdout.decode() and "hai-duong" in r.stdout.decode()


# --------------------------------------------------------------------------- hpkg validate


def test_cli_validate_reports_focus_and_messages(cli):
    p = cli("validate", str(FIXTURES / "observation-missing-unit.ttl"))
    out = p.stdout.decode()
    assert p.returncode == 1, out + p.stderr.decode()
    assert "does not conform: 1 result(s)" in out
    assert f"{EX}obs-fdi-2024" in out
    assert "An observation needs exactly one unit of measure" in out
    assert "vi: Quan sát cần đúng một đơn vị đo" in out


def test_cli_validate_valid_file_exits_0(cli):
    p = cli("validate", str(FIXTURES / "valid-world.ttl"))
    assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
    assert p.stdout.decode().startswith("conforms")


def test_cli_validate_several_files_fails_if_one_breaks(cli):
    p = cli("validate", str(FIXTURES / "valid-observation.ttl"), str(FIXTURES / "ranking-rank-above-total.ttl"))
    assert p.returncode == 1
    assert f"{EX}par-ranking-2024" in p.stdout.decode()


def test_cli_validate_json(cli):
    p = cli("validate", "--format", "json", str(FIXTURES / "cumulative-below-year.ttl"))
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    assert doc["conforms"] is False
    (r,) = doc["results"]
    assert r["focus"] == f"{EX}obs-fdi-cum-2024"
    assert r["path"] == PREFIXES["sdmx-measure"] + "obsValue"
    assert r["component"] == str(SH.SPARQLConstraintComponent)
    assert r["severity"] == str(SH.Violation)
    # The message names both values; the lexical form depends on the engine (pyshacl keeps "3000000000.0",
    # Oxigraph writes the canonical "3000000000").
    text = " ".join(r["messages"].values())
    assert re.search(r"\b3000000000(\.0)?\b", text) and re.search(r"\b4350000000(\.0)?\b", text), text
    p = cli("validate", "--format", "json", str(FIXTURES / "valid-observation.ttl"))
    assert p.returncode == 0
    assert json.loads(p.stdout) == {"conforms": True, "results": []}


def test_cli_validate_turtle_report(cli):
    p = cli("validate", "--format", "turtle", str(FIXTURES / "target-min-above-max.ttl"))
    assert p.returncode == 1
    g = Graph().parse(data=p.stdout.decode(), format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    (r,) = g.objects(report, SH.result)
    assert g.value(r, SH.focusNode) == URIRef(f"{EX}fdi-target-2024")
    assert g.value(r, SH.resultPath) == HPKG.minValue
    assert g.value(r, SH.sourceConstraintComponent) == SH.LessThanOrEqualsConstraintComponent


def test_cli_validate_with_data(cli):
    fixture = WITH_DATA / "workforce-2023-contradicts-change.ttl"
    p = cli("validate", "--with-data", str(fixture))
    assert p.returncode == 1
    assert "https://w3id.org/hpkg/id/obs/workforce-kcn-kkt-hai-phong-2024" in p.stdout.decode()
    p = cli("validate", "--with-data", str(WITH_DATA / "valid-workforce-2023.ttl"))
    assert p.returncode == 0, p.stdout.decode()


def test_cli_engines_agree_and_report_graph_is_shacl(cli):
    """``--engine`` picks the engine; both give the same results. (On generated data with the shipped data,
    ``--with-data``: tests/integration/test_shacl_reference.py.)"""
    files = [str(FIXTURES / f"{name}.ttl") for name in ("observation-missing-unit", "cumulative-below-year",
                                                        "target-min-above-max", "membership-member-not-an-agent")]
    out = {}
    for engine in ("fast", "pyshacl"):
        r = cli("validate", "--engine", engine, "--format", "json", *files)
        assert r.returncode == 1, r.stderr
        out[engine] = Counter((v["focus"], v["path"], v["component"], v["severity"])
                              for v in json.loads(r.stdout)["results"])
    assert out["fast"] == out["pyshacl"] and len(out["fast"]) >= 3
    ttl = cli("validate", "--format", "turtle", *files)
    g = Graph().parse(data=ttl.stdout.decode(), format="turtle")
    assert len(list(g.subjects(SH.resultSeverity, None))) == sum(out["fast"].values())
    bad = cli("validate", "--engine", "rdf4j", files[0])
    assert bad.returncode == 2 and b"rdf4j" in bad.stderr


# --------------------------------------------------------------------------- hpkg serve (what it says before serving)


def test_serve_without_a_store_says_what_to_do(cli, tmp_path):
    r = cli("serve", "--store", str(tmp_path / "missing"), "--port", "1")
    assert r.returncode == 2
    assert b"no store at" in r.stderr and b"hpkg build" in r.stderr
    assert not (tmp_path / "missing").exists()


# --------------------------------------------------------------------------- which project the commands work on


def test_regression_build_ignores_installed_checkout(tmp_path):
    """A build in a second project folder with a broken data file must fail with that file's path.

    It used to build the checkout hpkg was installed from instead, silently, and succeed.
    """
    proj = make_project(tmp_path / "second", {"data/zz-broken.ttl": BROKEN})
    broken = proj / "data" / "zz-broken.ttl"
    runs = {
        "in the project": invoke("build", "--no-export", cwd=proj),
        "below it": invoke("build", "--no-export", cwd=proj / "data"),
        "--project": invoke("--project", str(proj), "build", "--no-export", cwd=tmp_path),
        "HPKG_HOME": invoke("build", "--no-export", cwd=tmp_path, env={"HPKG_HOME": str(proj)}),
    }
    for how, r in runs.items():
        assert r.returncode == 2, (how, r.stdout, r.stderr)
        assert f"{broken}:3:".encode() in r.stderr, (how, r.stderr)
        assert NOTICE not in r.stderr, how


def test_in_a_project_the_store_and_exports_go_to_the_project(tmp_path):
    proj = make_project(tmp_path / "proj", {"data/mine.ttl": LABEL})
    r = invoke("build", cwd=proj / "queries")
    assert r.returncode == 0, r.stderr
    assert f"loaded {proj / 'data' / 'mine.ttl'} (1 triples)".encode() in r.stdout
    assert (proj / ".hpkg" / "store").is_dir() and (proj / "dist" / "hpkg.nq").is_file()
    assert not (proj / "queries" / ".hpkg").exists() and not (proj / "queries" / "dist").exists()
    assert "HP zones (project)" in (proj / "dist" / "hpkg.nq").read_text(encoding="utf-8")
    s = invoke("stats", "--json", cwd=proj)
    assert s.returncode == 0 and json.loads(s.stdout)["triples"] > 2000


def test_outside_a_project_the_shipped_graph_is_used_and_said_once(cli, tmp_path):
    r = cli("build", "--no-export")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(NOTICE) == 1
    assert f"here or above {tmp_path.resolve()}: using the graph shipped with hpkg alone".encode() in r.stderr
    assert (tmp_path / ".hpkg" / "store").is_dir()
    proj = make_project(tmp_path / "proj")
    r = cli("--memory", "stats", "--json", cwd=proj)
    assert r.returncode == 0 and NOTICE not in r.stderr


def test_project_that_is_not_one_is_a_clear_error(cli, tmp_path):
    r = cli("--project", str(tmp_path / "nowhere"), "stats")
    assert r.returncode == 2
    assert b"--project " in r.stderr and b"not an hpkg project (no hpkg.toml); create one with: hpkg init" in r.stderr


def test_regression_hpkg_home_that_is_not_a_project_is_named_as_such(cli, tmp_path):
    """HPKG_HOME naming a folder without hpkg.toml was reported as a bad --project, an option never given."""
    r = cli("stats", env={"HPKG_HOME": str(tmp_path)})
    assert r.returncode == 2
    assert f"error: HPKG_HOME {tmp_path.resolve()}: not an hpkg project".encode() in r.stderr
    assert b"--project" not in r.stderr
    # and HPKG_HOME still picks the project, below --project
    from .test_query import MINE

    proj = make_project(tmp_path / "proj", {"queries/count-observations.rq": MINE})
    r = invoke("queries", cwd=tmp_path, env={"HPKG_HOME": str(proj)})
    assert r.returncode == 0 and "count-observations  [project]" in r.stdout.decode().splitlines()
    r = invoke("--project", str(tmp_path / "nowhere"), "stats", cwd=tmp_path, env={"HPKG_HOME": str(proj)})
    assert r.returncode == 2 and b"--project " in r.stderr


def test_cli_queries_marks_the_project_queries(cli, tmp_path):
    from .test_query import MINE, OVERRIDE

    proj = make_project(tmp_path / "proj", {"queries/count-observations.rq": MINE, "queries/fdi-vs-plan.rq": OVERRIDE})
    out = cli("queries", cwd=proj).stdout.decode().splitlines()
    assert "count-observations  [project]" in out
    assert "fdi-vs-plan  [project, overrides the shipped query]" in out
    assert "trade-balance" in out
    r = cli("--memory", "query", "count-observations", "--format", "csv", cwd=proj)
    assert r.returncode == 0 and r.stdout.split() == [b"n", b"10"]


# --------------------------------------------------------------------------- hpkg query --param


def test_cli_query_with_parameters_answers_the_article_s_figure(cli):
    p = cli("--memory", "query", "figures-in-year", "--param", "year=2024", "-p", "indicator=FDI_CUM",
            "--format", "csv")
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert [(r["indicator"], Decimal(r["value"])) for r in rows] == [("FDI_CUM", article("30,3 tỷ USD"))]


@pytest.mark.parametrize(("args", "message"), [
    ((), "needs the parameter 'year'; its parameters: year (required, xsd:integer), indicator (optional, string)"),
    (("-p", "year=2024", "-p", "partner=JPN"), "has no parameter 'partner'; its parameters: year (required"),
    (("-p", "year=twenty"), "parameter 'year' (xsd:integer): 'twenty' is not an integer"),
    (("-p", "year"), "--param 'year': give NAME=VALUE"),
])
def test_cli_query_parameter_errors_exit_2_with_the_list_of_parameters(cli, args, message):
    p = cli("--memory", "query", "figures-in-year", *args)
    assert p.returncode == 2
    assert message in p.stderr.decode()
    assert p.stdout == b"" and b"Traceback" not in p.stderr


def test_cli_query_parameters_of_a_rq_file_and_through_the_timeout_worker(cli, tmp_path):
    (tmp_path / "mine.rq").write_text(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?label WHERE { ?c skos:notation ?_code ; skos:prefLabel ?label FILTER (lang(?label) = 'en') }",
        encoding="utf-8")
    p = cli("--memory", "query", "mine.rq", "-p", "code=FDI_REG", "--format", "csv")
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout.decode().splitlines() == ["label", "FDI attracted in the period"]
    p = cli("--memory", "query", "figures-in-year", "-p", "year=2024", "-p", "indicator=FDI_REG", "--format", "csv",
            "--timeout", "60")
    assert p.returncode == 0, p.stderr.decode()
    assert Decimal(next(csv.DictReader(io.StringIO(p.stdout.decode())))["value"]) == article("4,35 tỷ USD")


def test_cli_a_project_query_whose_parameter_cannot_be_bound_is_listed_with_the_error_and_refused(cli, tmp_path):
    bad = ("# vi: Truy vấn có tham số không gán được\n# en: A query whose parameter cannot be bound\n"
           "SELECT ?s WHERE { VALUES ?_a { 1 2 } ?s ?p ?_a }\n")
    proj = make_project(tmp_path / "proj", {"queries/bad-param.rq": bad})
    out = cli("queries", cwd=proj).stdout.decode()
    assert "bad-param  [project]\n" in out
    assert "  parameters: error: ?_a: a parameter cannot be a VALUES variable" in out
    r = cli("--memory", "query", "bad-param", "-p", "a=1", cwd=proj)
    assert r.returncode == 2 and b"cannot be a VALUES variable" in r.stderr and b"Traceback" not in r.stderr


def test_the_lazy_command_table_names_every_command_where_it_is_defined():
    """``COMMAND_MODULES`` (commands loaded on demand) lists each command the modules register, and its module."""
    import importlib

    from hpkg.cli.base import COMMAND_MODULES
    from hpkg.cli.base import main as group

    for module in {*COMMAND_MODULES.values()}:
        importlib.import_module(f"hpkg.cli.{module}")
    defined = {name: cmd.callback.__module__.rsplit(".", 1)[-1] for name, cmd in group.commands.items()
               if cmd.callback is not None}
    assert {n: m for n, m in defined.items() if m != "base"} == COMMAND_MODULES


def test_a_command_imports_only_its_own_module():
    """``hpkg ingest --help`` in a new process does not import the SHACL engine or the server."""
    import subprocess
    import sys

    code = ("import json, sys; from hpkg.cli import main; sys.argv = ['hpkg', 'ingest', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('hpkg.cli.', 'hpkg.shacl', 'hpkg.server')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    assert "hpkg.cli.ingest" in loaded
    assert not [m for m in loaded if m.startswith(("hpkg.shacl", "hpkg.server", "hpkg.cli.core", "hpkg.cli.serve"))]


def test_an_unknown_command_lists_the_known_ones(tmp_path):
    from hpkg.cli.base import COMMAND_MODULES

    result = invoke("valdiate", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "no command 'valdiate'" in err
    assert all(name in err for name in [*COMMAND_MODULES, "init"])
