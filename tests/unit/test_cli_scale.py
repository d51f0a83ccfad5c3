"""hpkg.cli.scale: ``hpkg generate`` and ``hpkg load`` through the command line (in this process)."""

from __future__ import annotations

import pytest

from hpkg.store import OxigraphStore
from hpkg.store.bulk import default_graph_for

from ..conftest import broken_copy, quad_snapshot


def test_cli_generate(cli, tmp_path):
    r = cli("generate", "--provinces", "2", "--zones", "4", "--projects", "10", "--years", "2", "--seed", "3",
            "--violations", "1", "-o", "g.nt.gz")
    assert r.returncode == 0, r.stderr
    assert b"wrote" in r.stdout and b"violations.json" in r.stdout
    assert (tmp_path / "g.nt.gz").is_file() and (tmp_path / "g.nt.gz.violations.json").is_file()
    bad = cli("generate", "-o", "g.ttl")
    assert bad.returncode == 2 and b"N-Triples" in bad.stderr


@pytest.mark.parametrize("limit", [0, 1 << 30], ids=["checked-bulk-load", "one-transaction"])
def test_cli_load_then_broken_file_leaves_store_as_it_was(cli, tmp_path, synth, limit, monkeypatch):
    # HPKG_LOAD_TRANSACTION_LIMIT is read once, at import: set in this process, it is the module's value
    # (the variable itself, through a real process: tests/integration/test_cli_process.py).
    monkeypatch.setattr("hpkg.store.oxigraph.TRANSACTION_LIMIT", limit)
    r = cli("--store", "st", "load", str(synth))
    assert r.returncode == 0, r.stderr
    graph = default_graph_for(synth)
    assert f"into <{graph}>".encode() in r.stdout
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        before = quad_snapshot(s)
        assert s.graphs() == [graph]
    n = broken_copy(synth, tmp_path / "broken.nt.gz", 900)
    assert n > 900
    r = cli("--store", "st", "load", "broken.nt.gz", "--graph", graph)
    assert r.returncode == 2
    assert b"broken.nt.gz:900:" in r.stderr
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        assert quad_snapshot(s) == before
