"""hpkg.generate: deterministic synthetic data in the project's model, with injected violations on request."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest

from hpkg.errors import HpkgError
from hpkg.generate import SYNTHETIC_BASE, VIOLATION_KINDS, generate

SMALL = {"provinces": 2, "zones": 5, "projects": 30, "years": 3}


def _quads(path):
    with gzip.open(path) if str(path).endswith(".gz") else open(path, "rb") as f:
        return list(ox.parse(f, format=ox.RdfFormat.N_TRIPLES))


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a = generate(tmp_path / "a.nt", seed=7, **SMALL)
    b = generate(tmp_path / "b.nt", seed=7, **SMALL)
    generate(tmp_path / "c.nt", seed=8, **SMALL)
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert (tmp_path / "a.nt").read_bytes() != (tmp_path / "c.nt").read_bytes()
    assert a.triples == b.triples == len(_quads(tmp_path / "a.nt"))


def test_gzip_by_extension_and_every_minted_iri_is_synthetic(tmp_path):
    out = tmp_path / "s.nt.gz"
    report = generate(out, **SMALL)
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    quads = _quads(out)
    assert len(quads) == report.triples
    subjects = {q.subject.value for q in quads}
    assert all(s.startswith(SYNTHETIC_BASE) for s in subjects)
    classes = {q.object.value.replace("#", "/").rsplit("/", 1)[-1] for q in quads if q.predicate.value.endswith("#type")}
    for c in ("Observation", "DataSet", "InvestmentProject", "Investor", "MonetaryAmount", "Target", "Plan",
              "ZoneAuthority", "ZoneGroup", "EvidenceQuote", "Ranking", "AdministrativeUnit", "Country"):
        assert c in classes
    # every indicator, zone and year has one observation
    obs = {q.subject for q in quads if q.object.value == "http://purl.org/linked-data/cube#Observation"}
    assert len(obs) == 10 * SMALL["zones"] * SMALL["years"]
    langs = {q.object.language for q in quads if q.predicate.value.endswith("#label")}
    assert langs == {"vi", "en"}


def test_violations_manifest_lists_n_of_each_kind(tmp_path):
    out = tmp_path / "v.nt"
    report = generate(out, violations=2, **SMALL)
    manifest = json.loads((tmp_path / "v.nt.violations.json").read_text())
    assert manifest["per_kind"] == 2
    assert set(manifest["violations"]) == set(VIOLATION_KINDS)
    assert all(len(v) == 2 for v in manifest["violations"].values())
    subjects = {q.subject.value for q in _quads(out)}
    for nodes in report.violations.values():
        assert set(nodes) <= subjects


def test_generated_data_conforms_to_the_project_shapes(tmp_path, project):
    from hpkg.shacl import validate

    generate(tmp_path / "g.nt.gz", seed=11, **SMALL)
    report = validate([tmp_path / "g.nt.gz"], project=project, with_data=True)
    assert report.conforms, report.text


def test_bad_arguments_are_refused_and_write_nothing(tmp_path):
    with pytest.raises(HpkgError, match="N-Triples"):
        generate(tmp_path / "x.ttl", **SMALL)
    with pytest.raises(HpkgError, match="zones"):
        generate(tmp_path / "x.nt", provinces=5, zones=2, projects=1, years=1)
    assert list(tmp_path.iterdir()) == []
