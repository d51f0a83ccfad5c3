"""hpkg.cli.opendata: ``hpkg catalog``, ``hpkg import`` and ``hpkg link`` through the command line (in this process)."""

from __future__ import annotations

from hpkg.opendata.catalog import validate_catalog
from hpkg.rdfio import parse_rdf
from hpkg.store import open_store

from ..conftest import ROOT, TEST_DATA
from .test_catalog import DCAT, SHAPES

IMP = TEST_DATA / "import"
BASE = "https://w3id.org/hpkg/id/"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"


def test_cli_catalog(cli, tmp_path):
    out = tmp_path / "catalog.ttl"
    r = cli("--memory", "catalog", "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    quads = parse_rdf(out)
    assert any(q.object.value == DCAT + "Catalog" for q in quads)
    assert any(q.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint" for q in quads)
    conforms, text = validate_catalog([q.triple for q in quads], SHAPES)
    assert conforms, text



def test_cli_import_on_disk_store(cli, tmp_path):
    st = str(tmp_path / "store")
    assert cli("--store", st, "build", "--no-export").returncode == 0
    r = cli("--store", st, "import", str(IMP / "mixed.csv"), "--metadata", str(IMP / "mixed.csv-metadata.json"),
            "--strict")
    assert r.returncode == 2
    assert "row 6: rejected: unknown indicator" in r.stderr.decode()
    assert "row 2: valid, not imported" in r.stderr.decode()
    with open_store(st, read_only=True) as s:
        assert BASE + "graph/import/mixed" not in s.graphs()
    r = cli("--store", st, "import", str(IMP / "mixed.csv"), "--metadata", str(IMP / "mixed.csv-metadata.json"))
    assert r.returncode == 1  # some rows rejected, the others imported
    out = r.stdout.decode()
    assert "3 row(s) imported, 4 rejected" in out and "row 8: rejected: duplicate" in out
    r = cli("--store", st, "import", str(IMP / "clean.csv"), "--metadata", str(IMP / "clean.csv-metadata.json"),
            "--strict")
    assert r.returncode == 0, r.stderr.decode()
    with open_store(st, read_only=True) as s:
        assert {BASE + "graph/import/mixed", BASE + "graph/import/clean"} <= set(s.graphs())


def test_cli_link_writes_files_loads_the_store_and_reports_quality(cli, tmp_path):
    out = tmp_path / "links"
    # In the repository (a project), the gold set of tests/data/linking is the default one to report quality on.
    r = cli("--store", str(tmp_path / "store"), "link", "--out", str(out), env={"HPKG_HOME": str(ROOT)})
    assert r.returncode == 0, r.stderr.decode()
    text = r.stdout.decode()
    assert "wikidata" in text and "precision 1.000" in text and "recall" in text
    assert (out / "links.ttl").is_file() and (out / "links.sssom.tsv").is_file()
    q = cli("--store", str(tmp_path / "store"), "query", "--format", "csv",
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://w3id.org/hpkg/id/graph/links> {{ ?s <{OWL_SAMEAS}> ?o }} }}")
    assert q.stdout.decode().split()[-1] == "4"


def test_cli_link_bad_reference_file_fails_cleanly(cli, tmp_path):
    bad = tmp_path / "ref.csv"
    bad.write_text("id,labels,kind\nx:1,Foo,planet\n", encoding="utf-8")
    r = cli("--memory", "link", "--out", str(tmp_path / "o"), "--reference", str(bad))
    assert r.returncode == 2
    assert "unknown kind 'planet'" in r.stderr.decode()
    assert not (tmp_path / "o").exists()
