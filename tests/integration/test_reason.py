"""Reasoning with owlready2 + HermiT on the real ontology and data (Java runs for real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpkg.build import build
from hpkg.reason import reason, reasoning_input
from hpkg.store import OxigraphStore

FIXTURES = Path(__file__).parent / "data" / "reason"
ZONE = "http://example.org/fixture/zone/dinh-vu"


@pytest.fixture(scope="module")
def shipped_report(built_store):
    return reason(built_store)


def test_shipped_graph_is_consistent(shipped_report):
    assert shipped_report.consistent
    assert shipped_report.unsatisfiable == []
    assert shipped_report.individuals > 100
    assert "consistent" in shipped_report.text


def _store_with(fixture: str, root: Path) -> OxigraphStore:
    store = OxigraphStore(None)
    build(store, root=root, validate=False, exports_dir=None)
    store.load(FIXTURES / fixture, graph="http://example.org/fixture")
    return store


def test_individual_in_disjoint_classes_is_reported_by_name(root):
    report = reason(_store_with("zone-is-also-investor.ttl", root))
    assert not report.consistent
    assert any(ZONE in p and "disjoint" in p for p in report.problems), report.problems
    assert "INCONSISTENT" in report.text and ZONE in report.text


def test_two_values_of_a_functional_property_are_reported(root):
    report = reason(_store_with("two-statuses.ttl", root))
    assert not report.consistent
    assert any("http://example.org/fixture/zone/x" in p and "functional" in p for p in report.problems)


def test_reasoning_input_declares_individuals_and_drops_cube_metaclasses(built_store):
    nt = reasoning_input(built_store).decode()
    assert "<http://www.w3.org/2002/07/owl#NamedIndividual>" in nt
    assert "#type> <http://purl.org/linked-data/cube#DimensionProperty>" not in nt


def test_inferred_types_from_domain_and_range(root):
    store = OxigraphStore(None)
    build(store, root=root, validate=False, exports_dir=None)
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
