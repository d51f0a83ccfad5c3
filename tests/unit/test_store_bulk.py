"""hpkg load: bulk loads into the on-disk store, one transaction per file; query --timeout for real."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest

from hpkg.errors import RdfSyntaxError
from hpkg.generate import generate
from hpkg.load import default_graph_for, load_files
from hpkg.store import OxigraphStore

from .conftest import cli_env

SMALL = {"provinces": 2, "zones": 4, "projects": 40, "years": 3}


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth")
    generate(d / "s.nt.gz", **SMALL)
    return d / "s.nt.gz"


def _snapshot(store):
    return sorted(str(q) for q in store.quads())


def _broken_copy(src, dst, line):
    """``src`` (gzipped N-Triples) with line ``line`` replaced by garbage, written to ``dst``."""
    lines = gzip.decompress(src.read_bytes()).splitlines(keepends=True)
    lines[line - 1] = b"<https://example.org/s> <https://example.org/p> this is not RDF .\n"
    data = b"".join(lines)
    dst.write_bytes(gzip.compress(data) if dst.suffix == ".gz" else data)
    return len(lines)


@pytest.mark.parametrize("limit", ["0", str(1 << 30)], ids=["checked-bulk-load", "one-transaction"])
def test_cli_load_then_broken_file_leaves_store_as_it_was(cli, tmp_path, synth, limit):
    env = cli_env(HPKG_LOAD_TRANSACTION_LIMIT=limit)
    r = cli("--store", "st", "load", str(synth), env=env)
    assert r.returncode == 0, r.stderr
    graph = default_graph_for(synth)
    assert f"into <{graph}>".encode() in r.stdout
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        before = _snapshot(s)
        assert s.graphs() == [graph]
    n = _broken_copy(synth, tmp_path / "broken.nt.gz", 900)
    assert n > 900
    r = cli("--store", "st", "load", "broken.nt.gz", "--graph", graph, env=env)
    assert r.returncode == 2
    assert b"broken.nt.gz:900:" in r.stderr
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        assert _snapshot(s) == before


def test_load_formats_quads_keep_their_graphs(tmp_path, synth):
    quads = list(ox.parse(gzip.open(synth), format=ox.RdfFormat.N_TRIPLES))[:500]
    g = ox.NamedNode("https://example.org/graph/q")
    (tmp_path / "x.nq").write_bytes(ox.serialize([ox.Quad(q.subject, q.predicate, q.object, g) for q in quads],
                                                 format=ox.RdfFormat.N_QUADS))
    (tmp_path / "x.trig").write_bytes(ox.serialize([ox.Quad(q.subject, q.predicate, q.object, g) for q in quads],
                                                   format=ox.RdfFormat.TRIG))
    (tmp_path / "x.ttl").write_bytes(ox.serialize([q.triple for q in quads], format=ox.RdfFormat.TURTLE))
    with OxigraphStore(tmp_path / "st") as s:
        report = load_files(s, [tmp_path / "x.nq", tmp_path / "x.trig", tmp_path / "x.ttl"])
        assert [n for _, _, n in report.files] == [500, 500, 500]
        assert report.optimized
        assert s.count(g.value) == 500
        assert s.count(default_graph_for(tmp_path / "x.ttl")) == 500


def test_check_pass_names_the_line_for_every_size(tmp_path, synth):
    n = _broken_copy(synth, tmp_path / "b.nt", 1234)
    assert n > 1234
    import hpkg.store as store_mod

    with OxigraphStore(tmp_path / "st") as s:
        old = store_mod.TRANSACTION_LIMIT
        store_mod.TRANSACTION_LIMIT = 0
        try:
            with pytest.raises(RdfSyntaxError) as e:
                load_files(s, [tmp_path / "b.nt"])
        finally:
            store_mod.TRANSACTION_LIMIT = old
        assert e.value.line == 1234
        assert s.count() == 0


def test_query_timeout_stops_the_query(cli, tmp_path, synth):
    assert cli("--store", "st", "load", str(synth)).returncode == 0
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = cli("--store", "st", "query", "--timeout", "1", slow)
    assert r.returncode == 2
    assert b"did not finish within 1 s" in r.stderr
    ok = cli("--store", "st", "query", "--timeout", "60", "--format", "csv",
             "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://purl.org/linked-data/cube#Observation> }")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == [b"n", str(10 * SMALL["zones"] * SMALL["years"]).encode()]
    bad = cli("--store", "st", "query", "--timeout", "5", "SELECT WHERE {")
    assert bad.returncode == 2 and b"error" in bad.stderr
