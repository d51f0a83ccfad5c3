"""Reasoning with owlready2 + HermiT on the real ontology and data (Java runs for real).

What needs no Java (the reasoner's input) is in ``tests/unit/test_reason.py``.
"""

from __future__ import annotations

import pytest

from hpkg.build import build
from hpkg.project import Project
from hpkg.reason import reason
from hpkg.store import OxigraphStore

from ..conftest import TEST_DATA

FIXTURES = TEST_DATA / "reason"
ZONE = "http://example.org/fixture/zone/dinh-vu"


@pytest.fixture(scope="module")
def shipped_report(built_store):
    return reason(built_store)


def test_shipped_graph_is_consistent(shipped_report):
    assert shipped_report.consistent
    assert shipped_report.unsatisfiable == []
    assert shipped_report.individuals > 100
    assert "consistent" in shipped_report.text


def _store_with(fixture: str, project: Project) -> OxigraphStore:
    store = OxigraphStore(None)
    build(store, project=project, validate=False, exports_dir=None)
    store.load(FIXTURES / fixture, graph="http://example.org/fixture")
    return store


def test_individual_in_disjoint_classes_is_reported_by_name(project):
    report = reason(_store_with("zone-is-also-investor.ttl", project))
    assert not report.consistent
    assert any(ZONE in p and "disjoint" in p for p in report.problems), report.problems
    assert "INCONSISTENT" in report.text and ZONE in report.text


def test_two_values_of_a_functional_property_are_reported(project):
    report = reason(_store_with("two-statuses.ttl", project))
    assert not report.consistent
    assert any("http://example.org/fixture/zone/x" in p and "functional" in p for p in report.problems)


def test_inferred_types_from_domain_and_range(project):
    store = OxigraphStore(None)
    build(store, project=project, validate=False, exports_dir=None)
    # An untyped project: HermiT infers hpkg:InvestmentProject from the domain of hpkg:investor.
    store.load(
        b"<http://example.org/fixture/p> <https://w3id.org/hpkg/ontology#investor> "
        b"<http://example.org/fixture/i> .\n"
        b"<http://example.org/fixture/i> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        b"<https://w3id.org/hpkg/ontology#Investor> .\n",
        fmt="nt",
        graph="http://example.org/fixture",
    )
    report = reason(store)
    assert report.consistent
    assert "https://w3id.org/hpkg/ontology#InvestmentProject" in report.inferred["http://example.org/fixture/p"]


def test_graph_with_links_is_consistent_for_hermit(built_store, shipped_report):
    """owl:sameAs to Wikidata and the SSSOM owl:Axiom resources do not make the graph inconsistent."""
    assert built_store.count("https://w3id.org/hpkg/id/graph/links") > 0  # the shipped graph holds the linkset
    assert built_store.query("ASK { ?m a <http://www.w3.org/2002/07/owl#Axiom> ; "
                             "<https://w3id.org/sssom/confidence> ?c }").boolean
    report = shipped_report  # HermiT on the whole shipped graph, links included
    assert report.consistent and not report.unsatisfiable, report.text


def test_cli_reason_reports_the_graph_consistent(cli, tmp_path):
    store = str(tmp_path / "store")
    assert cli("--store", store, "build", "--no-export").returncode == 0
    r = cli("--store", store, "reason")
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"consistent" in r.stdout and b"INCONSISTENT" not in r.stdout
