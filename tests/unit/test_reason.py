"""hpkg.reason without running the reasoner: what HermiT is given (HermiT itself: tests/integration/test_reason.py)."""

from __future__ import annotations

from hpkg.reason import reasoning_input


def test_reasoning_input_declares_individuals_and_drops_cube_metaclasses(built_store):
    nt = reasoning_input(built_store).decode()
    assert "<http://www.w3.org/2002/07/owl#NamedIndividual>" in nt
    assert "#type> <http://purl.org/linked-data/cube#DimensionProperty>" not in nt
