"""hpkg.store.oxigraph (through hpkg.store.open_store): on-disk persistence, atomic loads, clear errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hpkg.errors import HpkgError, QuerySyntaxError, RdfSyntaxError
from hpkg.store import OxigraphStore, open_store

from ..conftest import TEST_DATA

DATA = TEST_DATA / "rdf"


def test_on_disk_store_persists_between_opens(tmp_path):
    path = tmp_path / "store"
    with open_store(path) as s:
        assert s.load(DATA / "small.ttl", graph="http://example.org/g") == 2
    with open_store(path, read_only=True) as s:
        assert s.count() == 2
        assert s.graphs() == ["http://example.org/g"]
        rows = s.query("SELECT ?o WHERE { <http://example.org/b> ?p ?o }").rows()
        assert rows[0]["o"] == ox.Literal("two", language="vi")


def test_malformed_rdf_names_file_line_and_column_and_loads_nothing(tmp_path):
    with open_store(tmp_path / "store") as s:
        s.load(DATA / "small.ttl")
        before = sorted(map(str, s.quads()))
        with pytest.raises(RdfSyntaxError) as e:
            s.load(DATA / "broken.ttl")
        assert e.value.file.endswith("broken.ttl")
        assert e.value.line == 4
        assert e.value.column is not None
        assert str(e.value).startswith(f"{DATA / 'broken.ttl'}:4:")
        assert sorted(map(str, s.quads())) == before


def test_replace_graph_is_one_transaction():
    s = OxigraphStore(None)
    s.load(DATA / "small.ttl", graph="http://example.org/g")
    s.load(DATA / "small.ttl", graph="http://example.org/g", replace=True)
    assert s.count("http://example.org/g") == 2
    with pytest.raises(RdfSyntaxError):
        s.load(DATA / "broken.ttl", graph="http://example.org/g", replace=True)
    assert s.count("http://example.org/g") == 2


def test_query_syntax_error_has_position():
    s = OxigraphStore(None)
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        s.query("SELECT * WHERE { ?s ?p }")


def test_update_failure_changes_nothing():
    s = OxigraphStore(None)
    s.load(DATA / "small.ttl")
    with pytest.raises(QuerySyntaxError):
        s.update("INSERT DATA { <http://e/x> <http://e/p> 1 } ; DELETE WHERE { ?s ?p }")
    assert s.count() == 2


def test_union_default_graph_and_explicit_graphs():
    s = OxigraphStore(None)
    s.load(DATA / "small.ttl", graph="http://example.org/g1")
    s.load(b"<http://e/x> <http://e/p> <http://e/y> .", fmt="nt", graph="http://example.org/g2")
    assert s.scalar("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 3
    assert s.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=["http://example.org/g2"]).rows()[0][
        "n"
    ].value == "1"


def test_store_in_use_gives_clear_error(tmp_path):
    with open_store(tmp_path / "store"):
        with pytest.raises(HpkgError, match="another hpkg process"):
            open_store(tmp_path / "store")


def test_add_store_replaces_the_graphs_it_is_given_and_keeps_the_others(tmp_path):
    e = "http://example.org/"
    g1, g2, kept = (ox.NamedNode(e + n) for n in ("g1", "g2", "kept"))
    s, p = ox.NamedNode(e + "s"), ox.NamedNode(e + "p")
    with OxigraphStore(tmp_path / "store") as store:
        store.add_quads([ox.Quad(s, p, ox.Literal("old"), g1), ox.Quad(s, p, ox.Literal("other"), kept)])
        source = ox.Store()
        b = ox.BlankNode()
        source.extend([ox.Quad(s, p, ox.Literal('new "one"', language="vi"), g1), ox.Quad(s, p, b, g2),
                       ox.Quad(b, p, ox.Literal("blank"), g2)])
        store.add_store(source, replace_graphs=[g1.value, g2.value])
        assert {q.object.value for q in store.quads(g1.value)} == {'new "one"'}
        assert store.count(g2.value) == 2 and store.count(kept.value) == 1
        assert store.scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g2.value}> {{ <{s.value}> <{p.value}> ?b . "
                            f"?b <{p.value}> \"blank\" }} }}") == 1  # the blank node still links the two triples


def test_add_store_that_fails_changes_nothing(tmp_path):
    e = "http://example.org/"
    g = ox.NamedNode(e + "g")
    with OxigraphStore(tmp_path / "store") as store:
        store.add_quads([ox.Quad(ox.NamedNode(e + "s"), ox.NamedNode(e + "p"), ox.Literal("old"), g)])
        source = ox.Store()
        source.add(ox.Quad(ox.NamedNode(e + "s"), ox.NamedNode(e + "p"), ox.Literal("new"), g))
        with pytest.raises(HpkgError, match="not a graph name"):  # a bad graph name: refused before any write
            store.add_store(source, replace_graphs=[g.value, "bad> ; DELETE WHERE { ?s ?p"])
        assert [q.object.value for q in store.quads(g.value)] == ["old"]


def test_add_store_into_graphs_that_are_not_there_yet(tmp_path):
    """The first build's path (one Store.load of N-Quads): the same quads, blank nodes still linked, others kept."""
    e = "http://example.org/"
    g, kept = ox.NamedNode(e + "g"), ox.NamedNode(e + "kept")
    s, p = ox.NamedNode(e + "s"), ox.NamedNode(e + "p")
    with OxigraphStore(tmp_path / "store") as store:
        store.add_quads([ox.Quad(s, p, ox.Literal("other"), kept)])
        source = ox.Store()
        b = ox.BlankNode()
        source.extend([ox.Quad(s, p, b, g), ox.Quad(b, p, ox.Literal('a "quoted" word', language="vi"), g)])
        store.add_store(source, replace_graphs=[g.value])
        assert store.count(g.value) == 2 and store.count(kept.value) == 1
        assert store.scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g.value}> {{ <{s.value}> <{p.value}> ?b . "
                            f"?b <{p.value}> ?o FILTER(isBlank(?b)) }} }}") == 1


def test_a_rebuild_writes_only_the_difference_of_each_graph_and_ends_as_the_source(tmp_path):
    """A rebuild (the graphs are there): a graph without blank nodes changes by its difference only, one with blank
    nodes is replaced whole, a graph the source no longer has is dropped, a graph not replaced is kept; the end state
    is the source's, as a drop-and-insert would leave it (regression: the rebuild with the FIA reports, 283k quads,
    dropped and inserted everything: 38 s)."""
    e = "http://example.org/"
    same, changed, blank, stale, kept = (ox.NamedNode(e + n) for n in ("same", "changed", "blank", "stale", "kept"))
    s, p = ox.NamedNode(e + "s"), ox.NamedNode(e + "p")

    def lit(v: str) -> ox.Literal:
        return ox.Literal(v)

    with OxigraphStore(tmp_path / "store") as store:
        b_old = ox.BlankNode()
        store.add_quads([ox.Quad(s, p, lit("a"), same), ox.Quad(s, p, lit("b"), same),
                         ox.Quad(s, p, lit("gone"), changed), ox.Quad(s, p, lit("stays"), changed),
                         ox.Quad(s, p, b_old, blank), ox.Quad(b_old, p, lit("old"), blank),
                         ox.Quad(s, p, lit("x"), stale), ox.Quad(s, p, lit("mine"), kept)])
        source = ox.Store()
        b = ox.BlankNode()
        source.extend([ox.Quad(s, p, lit("a"), same), ox.Quad(s, p, lit("b"), same),
                       ox.Quad(s, p, lit("stays"), changed), ox.Quad(s, p, lit('new "one"'), changed),
                       ox.Quad(s, p, b, blank), ox.Quad(b, p, lit("new"), blank)])
        before = store.generation
        store.add_store(source, replace_graphs=[same.value, changed.value, blank.value, stale.value])
        assert store.generation > before
        values = {g: sorted(q.object.value for q in store.quads(g.value) if isinstance(q.object, ox.Literal))
                  for g in (same, changed, blank, stale, kept)}
        assert values == {same: ["a", "b"], changed: ['new "one"', "stays"], blank: ["new"], stale: [], kept: ["mine"]}
        assert store.count(blank.value) == 2
        assert store.scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{blank.value}> {{ <{s.value}> <{p.value}> ?b . "
                            f"?b <{p.value}> \"new\" }} }}") == 1  # the new blank node links its two triples
        # again, unchanged: the same quads (the blank-node graph is rewritten whole, with fresh labels)
        quads = sorted(str(q) for q in store.quads() if q.graph_name != blank)
        store.add_store(source, replace_graphs=[same.value, changed.value, blank.value])
        assert sorted(str(q) for q in store.quads() if q.graph_name != blank) == quads
        assert store.count(blank.value) == 2
