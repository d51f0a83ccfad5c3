"""``hpkg search TEXT [--type T] [--limit N] [--format table|json]`` (hpkg.cli.reconcile)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import hpkg.cli.reconcile  # noqa: F401  (registers the command on hpkg.cli.main)
from hpkg.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/hpkg/id/"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HPKG_HOME", str(ROOT))
    monkeypatch.delenv("HPKG_STORE", raising=False)
    monkeypatch.delenv("HPKG_BASE", raising=False)

    def _run(*args: str):
        return CliRunner().invoke(main, ["--memory", "search", *args], catch_exceptions=False)

    return _run


def test_search_json(run) -> None:
    r = run("hai d", "--format", "json", "--limit", "3")
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)
    assert len(hits) <= 3 and hits[0]["id"] == BASE + "place/hai-duong" and hits[0]["type"] == "province-63"


def test_search_table_with_a_type(run) -> None:
    r = run("Han Quoc", "--type", "country")
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0].split()
    assert first[0] == "100.0" and first[-1] == BASE + "place/han-quoc"
    assert all(" country " in line for line in r.output.splitlines())


def test_search_refuses_an_unknown_type_and_says_when_nothing_is_found(run) -> None:
    r = CliRunner().invoke(main, ["--memory", "search", "x", "--type", "Person"])
    assert r.exit_code == 2 and "province-63" in r.output
    r = run("qqqqqqqqqqqq")
    assert r.exit_code == 0 and "nothing found" in r.output
