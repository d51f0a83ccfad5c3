"""Building the graph: staging, validation before writing, atomic store update, exports, dataset description."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

from hpkg.build import BuildError, build
from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.iri import base_iri, graph_iri
from hpkg.errors import RdfSyntaxError
from hpkg.formats import EXPORT_FORMATS
from hpkg.store import open_store

BAD_OBSERVATION = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<obs/without-unit> a qb:Observation ; rdfs:label "Quan sát thiếu đơn vị"@vi , "Observation without unit"@en .
"""


def _project_copy(root: Path, tmp: Path) -> Path:
    for d in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(root / d, tmp / d)
    return tmp


def test_build_into_on_disk_store_writes_graphs_and_exports(root, tmp_path):
    with open_store(tmp_path / "store") as store:
        report = build(store, root=root, exports_dir=tmp_path / "dist")
        assert report.validation is not None and report.validation.conforms
        assert set(store.graphs()) == {ONTOLOGY_IRI, graph_iri("data"), graph_iri("links"), graph_iri("meta")}
        assert report.triples == store.count()
    union = {t for t in rdflib.Dataset().parse(tmp_path / "dist" / "hpkg.nq", format="nquads").triples((None,) * 3)}
    for fmt, ext in EXPORT_FORMATS.items():
        path = tmp_path / "dist" / f"hpkg.{ext}"
        parsed = rdflib.Dataset() if fmt in ("nq", "trig", "jsonld") else rdflib.Graph()
        parsed.parse(path, format={"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig",
                                   "jsonld": "json-ld", "xml": "xml"}[fmt])
        n = sum(len(c) for c in parsed.graphs()) if isinstance(parsed, rdflib.Dataset) else len(parsed)
        assert n >= len(union) - 5, (fmt, n)  # blank-node dedup may differ by a handful, nothing more
    # Rebuilding replaces the graphs instead of duplicating them.
    with open_store(tmp_path / "store") as store:
        before = store.count()
        build(store, root=root, exports_dir=None)
        assert store.count() == before


def test_description_counts_the_triples_it_describes(built_store):
    rows = built_store.query(
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        f"SELECT ?n ?license WHERE {{ <{base_iri()}dataset/hpkg> a void:Dataset ; void:triples ?n ; "
        "dcterms:license ?license ; void:subset ?x }"
    ).rows()
    assert rows
    described = sum(built_store.count(g) for g in (graph_iri("data"), graph_iri("links"), ONTOLOGY_IRI))
    assert int(rows[0]["n"].value) == described
    assert "creativecommons.org" in rows[0]["license"].value


def test_malformed_data_file_stops_the_build_and_leaves_the_store_as_it_was(root, tmp_path):
    proj = _project_copy(root, tmp_path / "proj")
    with open_store(tmp_path / "store") as store:
        build(store, root=proj, exports_dir=None)
        before = sorted(map(str, store.quads()))
        bad = proj / "data" / "zz-broken.ttl"
        bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n', encoding="utf-8")
        with pytest.raises(RdfSyntaxError) as e:
            build(store, root=proj, exports_dir=tmp_path / "dist")
        assert e.value.file == str(bad) and e.value.line == 3
        assert sorted(map(str, store.quads())) == before
        assert not (tmp_path / "dist").exists()


def test_shape_violation_stops_the_build_and_writes_nothing(root, tmp_path):
    proj = _project_copy(root, tmp_path / "proj")
    (proj / "data" / "zz-bad-observation.ttl").write_text(BAD_OBSERVATION, encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        with pytest.raises(BuildError) as e:
            build(store, root=proj, exports_dir=tmp_path / "dist")
        assert store.count() == 0
    assert e.value.report is not None and not e.value.report.conforms
    assert any(v.focus.endswith("/obs/without-unit") for v in e.value.report.violations)


def test_base_iri_is_configurable(root):
    with open_store(memory=True) as store:
        build(store, root=root, base="http://example.org/hp/", exports_dir=None)
        assert store.scalar(
            "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/hp/zone/kcn-kkt-hai-phong> ?p ?o }"
        ) > 5
        assert store.scalar(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/hpkg/id/')) }"
        ) == 0
