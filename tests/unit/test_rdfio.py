"""hpkg.rdfio: parsing RDF files and bytes (format from the name, gzip), errors that name file:line:column."""

from __future__ import annotations

import gzip
from collections.abc import Iterable

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from hpkg.errors import HpkgError, RdfSyntaxError
from hpkg.formats import EXPORT_FORMATS, rdf_format
from hpkg.rdfio import (
    StoreDumper,
    check_rdf_file,
    copy_store,
    insert_data_from,
    load_into,
    parse_rdf,
    serialize,
    union_store,
)
from hpkg.terms import quads_to_graph

from ..conftest import TEST_DATA

DATA = TEST_DATA / "rdf"


def test_gzip_and_format_guessing(tmp_path):
    p = tmp_path / "x.nt.gz"
    p.write_bytes(gzip.compress(b"<http://e/a> <http://e/p> \"1\" .\n"))
    assert len(parse_rdf(p)) == 1
    with pytest.raises(HpkgError, match="cannot tell the RDF format"):
        parse_rdf(tmp_path / "x.unknown")


def test_parse_and_check_name_the_line_of_a_syntax_error():
    with pytest.raises(RdfSyntaxError) as e:
        parse_rdf(DATA / "broken.ttl")
    assert e.value.file.endswith("broken.ttl") and e.value.line == 4
    with pytest.raises(RdfSyntaxError) as e:
        check_rdf_file(DATA / "broken.ttl", fmt=ox.RdfFormat.TURTLE)
    assert e.value.line == 4
    assert check_rdf_file(DATA / "small.ttl", fmt=ox.RdfFormat.TURTLE) == len(parse_rdf(DATA / "small.ttl")) == 2


def test_relative_iris_resolve_against_the_base_and_graph_names_the_graph():
    (q,) = parse_rdf(b"<zone/x> <p> <o> .", fmt="turtle", base_iri="http://example.org/kg/", graph="http://e/g")
    assert q.subject.value == "http://example.org/kg/zone/x"
    assert q.graph_name.value == "http://e/g"


def _tricky_store() -> ox.Store:
    """Two named graphs sharing a triple, the default graph, a blank node, and literals that need escaping."""
    e = "http://example.org/"
    g1, g2 = ox.NamedNode(e + "g1"), ox.NamedNode(e + "g2")
    s, p, b = ox.NamedNode(e + "s"), ox.NamedNode(e + "p"), ox.BlankNode("b1")
    literals = [
        ox.Literal('quote " and backslash \\ and \\u0022 as text'),
        ox.Literal("line\nbreak\r\ttab"),
        ox.Literal("Hải Phòng", language="vi"),
        ox.Literal("12.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ]
    store = ox.Store()
    store.extend([ox.Quad(s, p, lit, g1) for lit in literals])
    store.extend([
        ox.Quad(s, p, literals[0], g2),  # the same triple in another graph: once in a triple format
        ox.Quad(s, ox.NamedNode(e + "q"), b, g2),
        ox.Quad(b, p, ox.Literal("in a blank node"), g2),
        ox.Quad(s, ox.NamedNode(e + "r"), ox.Literal("default graph"), ox.DefaultGraph()),
    ])
    return store


def _canonical(quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> list[str]:
    ds = ox.Dataset(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(map(str, ds))


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_store_dumper_writes_what_serialize_writes(fmt):
    """The fast dump (inside Oxigraph) and the term-by-term serialiser give isomorphic output in every format."""
    store = _tricky_store()
    rf = rdf_format(fmt)
    fast = StoreDumper(store).dump(fmt)
    slow = serialize(store.quads_for_pattern(None, None, None, None), rf)
    assert _canonical(ox.parse(fast, format=rf)) == _canonical(ox.parse(slow, format=rf))
    n = len(_canonical(ox.parse(fast, format=rf)))
    assert n == (8 if rf.supports_datasets else 7)  # the shared triple once in a triple format


def test_store_dumper_turtle_is_isomorphic_to_rdflib_and_keeps_the_prefixes():
    store = _tricky_store()
    out = StoreDumper(store).dump("turtle")
    assert b"@prefix hpkg: <https://w3id.org/hpkg/ontology#>" in out
    expected = quads_to_graph(store.quads_for_pattern(None, None, None, None))
    assert isomorphic(rdflib.Graph().parse(data=out, format="turtle"), expected)


def test_store_dumper_one_graph():
    store = _tricky_store()
    out = StoreDumper(store).dump("nt", graph="http://example.org/g1")
    assert len(list(ox.parse(out, format=ox.RdfFormat.N_TRIPLES))) == 4
    out = StoreDumper(store).dump("nq", graph="http://example.org/g2")
    assert {q.graph_name.value for q in ox.parse(out, format=ox.RdfFormat.N_QUADS)} == {"http://example.org/g2"}


def test_insert_data_from_gives_the_same_quads_back():
    """The INSERT DATA text written by Oxigraph's N-Triples serialiser is read back as the same dataset."""
    source = _tricky_store()
    target = ox.Store()
    target.update(insert_data_from(source))
    assert _canonical(target.quads_for_pattern(None, None, None, None)) == _canonical(
        source.quads_for_pattern(None, None, None, None))
    assert insert_data_from(ox.Store()) == ""


def test_copy_and_union_store():
    store = _tricky_store()
    assert _canonical(copy_store(store).quads_for_pattern(None, None, None, None)) == _canonical(
        store.quads_for_pattern(None, None, None, None))
    union = union_store(store)
    assert len(union) == 7 and not list(union.named_graphs())


def test_load_into_keeps_file_line_column_and_loads_nothing_from_a_broken_file(tmp_path):
    """The fast path (Oxigraph parses and stores the file) names the error's place as parse_rdf does."""
    store = ox.Store()
    assert load_into(store, DATA / "small.ttl", graph="http://e/g") == 2
    assert {q.graph_name.value for q in store} == {"http://e/g"}
    with pytest.raises(RdfSyntaxError) as e:
        load_into(store, DATA / "broken.ttl", graph="http://e/h")
    assert e.value.file.endswith("broken.ttl") and (e.value.line, e.value.column) == (4, 11)
    assert len(store) == 2  # one transaction: nothing of the broken file
    with pytest.raises(HpkgError, match="no such file"):
        load_into(store, tmp_path / "missing.ttl")
    gz = tmp_path / "small.ttl.gz"
    gz.write_bytes(gzip.compress((DATA / "small.ttl").read_bytes()))
    assert load_into(ox.Store(), gz) == 2


def test_store_dumper_gives_the_same_bytes_every_time():
    """Exporting the same store twice gives the same file (blank node labels kept, so the same order)."""
    store = _tricky_store()
    for fmt in EXPORT_FORMATS:
        assert StoreDumper(store).dump(fmt) == StoreDumper(store).dump(fmt), fmt
        assert StoreDumper(copy_store(store)).dump(fmt) == StoreDumper(copy_store(store)).dump(fmt), fmt
