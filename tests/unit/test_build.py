"""Building the graph: staging, validation before writing, atomic store update, exports, dataset description."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
import rdflib

from hpkg.build import BuildError, build, stage
from hpkg.errors import RdfSyntaxError
from hpkg.formats import EXPORT_FORMATS, rdf_format
from hpkg.iri import base_iri, graph_iri
from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.project import open_project
from hpkg.rdfio import serialize
from hpkg.store import open_store

BAD_OBSERVATION = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<obs/without-unit> a qb:Observation ; rdfs:label "Quan sát thiếu đơn vị"@vi , "Observation without unit"@en .
"""
BROKEN = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n'


def test_build_into_on_disk_store_writes_graphs_and_exports(project, tmp_path):
    with open_store(tmp_path / "store") as store:
        report = build(store, project=project, exports_dir=tmp_path / "dist")
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
        build(store, project=project, exports_dir=None)
        assert store.count() == before


def test_exports_hold_the_store_exactly_whether_written_from_the_staged_graph_or_from_the_store(project, tmp_path):
    """The exports of a build are written from the staged graph when the store holds just that, else from the
    store: a graph loaded into the store beside the build's is in the exports of the next build too."""
    def exported(dist):
        ds = rdflib.Dataset()
        ds.parse(dist / "hpkg.nq", format="nquads")
        return {str(g.identifier): len(g) for g in ds.graphs() if len(g)}

    def held(store):
        return {g: store.count(g) for g in store.graphs()}

    with open_store(tmp_path / "store") as store:
        build(store, project=project, exports_dir=tmp_path / "a")
        assert exported(tmp_path / "a") == held(store)
        store.add_quads([ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                                 ox.NamedNode("urn:x:extra"))])
        build(store, project=project, exports_dir=tmp_path / "b")
        assert exported(tmp_path / "b") == held(store) and "urn:x:extra" in held(store)
    first, second = exported(tmp_path / "a"), exported(tmp_path / "b")
    assert second == {**first, "urn:x:extra": 1}


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


def test_malformed_data_file_stops_the_build_and_leaves_the_store_as_it_was(new_project, tmp_path):
    proj = open_project(new_project())
    with open_store(tmp_path / "store") as store:
        build(store, project=proj, exports_dir=None)
        before = sorted(map(str, store.quads()))
        bad = proj.root / "data" / "zz-broken.ttl"
        bad.write_text(BROKEN, encoding="utf-8")
        with pytest.raises(RdfSyntaxError) as e:
            build(store, project=proj, exports_dir=tmp_path / "dist")
        assert e.value.file == str(bad) and e.value.line == 3
        assert sorted(map(str, store.quads())) == before
        assert not (tmp_path / "dist").exists()


def test_shape_violation_stops_the_build_and_writes_nothing(new_project, tmp_path):
    proj = open_project(new_project({"data/zz-bad-observation.ttl": BAD_OBSERVATION}))
    with open_store(tmp_path / "store") as store:
        with pytest.raises(BuildError) as e:
            build(store, project=proj, exports_dir=tmp_path / "dist")
        assert store.count() == 0
    assert e.value.report is not None and not e.value.report.conforms
    assert any(v.focus.endswith("/obs/without-unit") for v in e.value.report.violations)


def test_base_iri_is_configurable(project):
    with open_store(memory=True) as store:
        build(store, project=project, base="http://example.org/hp/", exports_dir=None)
        assert store.scalar(
            "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/hp/zone/kcn-kkt-hai-phong> ?p ?o }"
        ) > 5
        assert store.scalar(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/hpkg/id/')) }"
        ) == 0


EXTRA = '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<zone/kcn-kkt-hai-phong> skos:altLabel "{label}"@en .\n'


def _has_label(store, graph: str, label: str) -> bool:
    return store.query(f'ASK {{ GRAPH <{graph}> {{ ?s <http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@en }} }}').boolean


def test_project_data_extends_the_shipped_graph_one_graph_per_sub_folder(new_project, project, tmp_path):
    root = new_project({"data/mine.ttl": EXTRA.format(label="HP zones (mine)"),
                        "data/extra/more.ttl": EXTRA.format(label="HP zones (extra)")})
    proj = open_project(root)
    with open_store(tmp_path / "store") as store:
        report = build(store, project=proj, exports_dir=None)
        assert report.validation is not None and report.validation.conforms
        assert set(store.graphs()) == {ONTOLOGY_IRI, graph_iri("data"), graph_iri("links"), graph_iri("extra"),
                                       graph_iri("meta")}
        # relative IRIs resolve against the entity base: the project's triples are about the shipped zone
        assert _has_label(store, graph_iri("data"), "HP zones (mine)")
        assert _has_label(store, graph_iri("extra"), "HP zones (extra)")
        assert not _has_label(store, graph_iri("data"), "HP zones (extra)")
        loaded = [p for p, _ in report.files]
        assert {root / "data" / "mine.ttl", root / "data" / "extra" / "more.ttl"} <= set(loaded)
        assert {f.path for f in project.data_files()} <= set(loaded)  # and every shipped file
        sizes = {r["g"].value: int(r["n"].value) for r in store.query(
            "PREFIX void: <http://rdfs.org/ns/void#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
            f"SELECT ?g ?n WHERE {{ GRAPH <{graph_iri('meta')}> {{ ?d void:subset ?x . ?x sd:name ?g ; void:triples ?n }} }}"
        ).rows()}
        assert sizes[graph_iri("extra")] == store.count(graph_iri("extra")) == 1


def test_rebuild_drops_the_graph_of_a_removed_folder_and_keeps_graphs_it_did_not_build(new_project, tmp_path):
    root = new_project({"data/extra/more.ttl": EXTRA.format(label="HP zones (extra)")})
    proj = open_project(root)
    loaded = graph_iri("load/small")
    # (unvalidated builds: what is replaced does not depend on validation, which test_build checks elsewhere)
    with open_store(tmp_path / "store") as store:
        build(store, project=proj, exports_dir=None, validate=False)
        assert graph_iri("extra") in store.graphs()
        store.load(b'<http://example.org/a> <http://example.org/b> "c" .', fmt="nt", graph=loaded)  # as `hpkg load` does
        shutil.rmtree(root / "data" / "extra")
        build(store, project=proj, exports_dir=None, validate=False)
        assert graph_iri("extra") not in store.graphs()
        assert store.count(loaded) == 1
        assert set(store.graphs()) == {ONTOLOGY_IRI, graph_iri("data"), graph_iri("links"), graph_iri("meta"), loaded}


def test_project_shapes_are_checked_with_the_shipped_ones(new_project, tmp_path):
    strict = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hpkg: <https://w3id.org/hpkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/shapes#ZoneGroupNeedsFiveAltLabels> a sh:NodeShape ; sh:targetClass hpkg:ZoneGroup ;
    sh:property [ sh:path skos:altLabel ; sh:minCount 5 ; sh:message "five alternative labels"@en ] .
"""
    proj = open_project(new_project({"shapes/strict.ttl": strict}))
    with open_store(tmp_path / "store") as store:
        with pytest.raises(BuildError) as e:
            build(store, project=proj, exports_dir=None)
        assert store.count() == 0
    assert e.value.report is not None
    assert {v.focus for v in e.value.report.violations} == {base_iri() + "zone/kcn-kkt-hai-phong"}


def test_build_writes_the_staged_quads_and_exports_what_serialize_would(project, tmp_path):
    """The fast paths (INSERT DATA written by Oxigraph, exports dumped inside Oxigraph) change no quad."""

    def canonical(quads) -> list[str]:
        ds = ox.Dataset(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return sorted(map(str, ds))

    staged, _ = stage(project)
    with open_store(tmp_path / "store") as store:
        build(store, project=project, exports_dir=tmp_path / "dist")
        assert canonical(store.quads()) == canonical(staged.quads())
        for fmt, ext in EXPORT_FORMATS.items():
            rf = rdf_format(fmt)
            written = ox.parse(path=str(tmp_path / "dist" / f"hpkg.{ext}"), format=rf)
            assert canonical(written) == canonical(ox.parse(serialize(store.quads(), rf), format=rf)), fmt
