"""hpkg.store.bulk: bulk loads into the on-disk store, one transaction per file (``hpkg load``: test_cli_scale.py)."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest

from hpkg.errors import RdfSyntaxError
from hpkg.store import OxigraphStore
from hpkg.store.bulk import default_graph_for, load_files

from ..conftest import broken_copy


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
    n = broken_copy(synth, tmp_path / "b.nt", 1234)
    assert n > 1234
    import hpkg.store.oxigraph as store_mod

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
