"""Linking with open government data (hpkg.opendata: link, normalize, reference, sssom): normalisation,
reference lists, matching, gold-set quality, the linkset as RDF and SSSOM (``hpkg link``: test_cli_opendata.py;
HermiT on the linked graph: tests/integration/test_reason.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from hpkg.errors import HpkgError
from hpkg.opendata import reference
from hpkg.opendata.link import Mention, evaluate, link, match_all
from hpkg.opendata.normalize import normalize
from hpkg.opendata.reference import admin_units, all_candidates, countries, wikidata
from hpkg.opendata.sssom import linkset_quads, read_sssom, sssom_tsv, turtle
from hpkg.rdfio import parse_rdf
from hpkg.shacl import load_ontology, load_shapes
from hpkg.store import OxigraphStore

from ..conftest import SHIPPED, TEST_DATA

GOLD = TEST_DATA / "linking" / "gold.csv"
ZONES = TEST_DATA / "linking" / "zones.csv"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"


@pytest.fixture(scope="module")
def candidates(project):
    return all_candidates(project, [ZONES])


@pytest.fixture(scope="module")
def linked(project):
    return link(project)


@pytest.mark.parametrize(
    ("label", "key", "hint"),
    [
        ("TP. Hải Phòng", "hai phong", "municipality"),
        ("Thành phố Hải Phòng", "hai phong", "municipality"),
        ("tỉnh Hải Dương", "hai duong", "province"),
        ("KCN Đình Vũ", "dinh vu", "industrial-park"),
        ("Khu công nghiệp Đình Vũ", "dinh vu", "industrial-park"),
        ("KKT Đình Vũ - Cát Hải", "dinh vu cat hai", "economic-zone"),
        ("Khu kinh tế Đình Vũ – Cát Hải", "dinh vu cat hai", "economic-zone"),
        ("Đài Loan (Trung Quốc)", "dai loan", None),
    ],
)
def test_normalize_strips_vietnamese_prefixes_and_diacritics(label, key, hint):
    n = normalize(label)
    assert n.key == key
    assert n.kind_hint == hint


def test_normalize_exonyms_and_spacing():
    assert "haiphong" in normalize("Hải Phòng").keys  # meets the English exonym "Haiphong"
    assert "japan" in normalize("Nhật Bản").keys
    assert normalize("Đồng").key == "dong"  # đ/Đ folded


def test_reference_package_ships_old_and_new_codes():
    units = {c.curie: c for c in admin_units()}
    assert sum(1 for c in units.values() if c.scheme == "dvhc63") == 63
    assert sum(1 for c in units.values() if c.scheme == "dvhc34") == 34
    assert "Hải Dương" in units["dvhc63:30"].labels and "dvhc34:30" not in units
    assert units["dvhc63:31"].valid_to == dt.date(2025, 6, 30)
    assert units["dvhc34:31"].valid_from == dt.date(2025, 7, 1)
    assert {c.curie for c in countries()} >= {"eucountry:VNM", "eucountry:KOR", "eucountry:TWN"}


def test_wikidata_only_from_curated_file_with_a_source_per_row(tmp_path, project, monkeypatch):
    assert reference.wikidata_file(project) == SHIPPED / "data" / "reference" / "wikidata.csv"
    qids = {c.curie for c in wikidata(project)}
    assert qids == {f"wikidata:{q}" for q in ("Q881", "Q72818", "Q36729", "Q884", "Q17", "Q148", "Q865")}
    bad = tmp_path / "wikidata.csv"
    bad.write_text("qid,labels,kind,predicate,valid_from,valid_to,source,note\n"
                   "Q1,Somewhere,country,owl:sameAs,,,,\n", encoding="utf-8")
    # the curated file ships with hpkg (a project has none of its own): point the reader at a bad copy
    monkeypatch.setattr(reference, "wikidata_file", lambda project=None: bad)
    with pytest.raises(HpkgError, match="has no source"):
        wikidata(project)


def test_type_constraints_and_validity(candidates):
    mentions = [
        Mention("m:japan", ("Japan",), "country"),
        Mention("m:ip", ("Dinh Vu",), "industrial-park"),
        Mention("m:ez", ("Dinh Vu - Cat Hai",), "economic-zone"),
        Mention("m:hd", ("Tỉnh Hải Dương",), "province", None, dt.date(2025, 6, 30)),
        Mention("m:hp-new", ("Haiphong",), "municipality", dt.date(2025, 7, 1), None),
    ]
    got = {(m.subject.id, m.candidate.curie) for m in match_all(mentions, candidates, 0.9).mappings}
    assert ("m:japan", "eucountry:JPN") in got
    assert not any(s == "m:japan" and o.startswith("iso3166-2:") for s, o in got)  # never Jiangxi
    assert ("m:ip", "testzone:kcn-dinh-vu") in got and ("m:ip", "testzone:kkt-dinh-vu-cat-hai") not in got
    assert ("m:ez", "testzone:kkt-dinh-vu-cat-hai") in got and ("m:ez", "testzone:kcn-dinh-vu") not in got
    assert ("m:hd", "dvhc63:30") in got and ("m:hd", "dvhc63:31") not in got
    assert ("m:hd", "geonames:1581326/") not in got  # the city of Hải Dương is not the province
    assert ("m:hp-new", "dvhc34:31") in got and ("m:hp-new", "dvhc63:31") not in got


def test_threshold_controls_fuzzy_links(candidates):
    m = [Mention("m:typo", ("Hai Phongg",), "municipality", None, dt.date(2025, 6, 30))]
    assert any(x.candidate.curie == "dvhc63:31" for x in match_all(m, candidates, 0.9).mappings)
    assert not match_all(m, candidates, 1.0).mappings
    with pytest.raises(HpkgError):
        match_all(m, candidates, 1.5)


def test_gold_set_has_hard_negatives_and_measured_quality(project):
    import csv

    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    assert len(rows) >= 60
    negatives = {(r["mention"], r["object_id"]) for r in rows if r["match"] == "0"}
    assert ("Tỉnh Hải Dương", "dvhc63:31") in negatives
    assert ("Dinh Vu", "testzone:kkt-dinh-vu-cat-hai") in negatives
    assert ("Japan", "iso3166-2:CN-JX") in negatives
    e = evaluate(GOLD, threshold=0.9, project=project, extra_reference=[ZONES])
    assert e.pairs == len(rows)
    assert e.tp + e.fn == sum(1 for r in rows if r["match"] == "1")
    # measured on this gold set (README): precision 1.0, recall 53/54
    assert e.precision >= 0.95 and e.recall >= 0.95, e.text
    loose = evaluate(GOLD, threshold=0.5, project=project, extra_reference=[ZONES])
    assert loose.precision < e.precision  # a low threshold lets wrong links in


def test_graph_links_every_place_country_and_currency(linked):
    by_subject: dict[str, set[str]] = {}
    for m in linked.mappings:
        by_subject.setdefault(m.subject.id.rsplit("/", 1)[-1], set()).add(m.candidate.curie)
    assert {"eucountry:VNM", "wikidata:Q881", "geonames:1562822/"} <= by_subject["viet-nam"]
    assert {"dvhc63:31", "iso3166-2:VN-HP", "wikidata:Q72818"} <= by_subject["hai-phong"]
    assert "dvhc34:31" not in by_subject["hai-phong"]
    assert {"dvhc34:31", "wikidata:Q72818"} <= by_subject["hai-phong-2025"]
    assert {"dvhc63:30", "wikidata:Q36729", "iso3166-2:VN-61"} <= by_subject["hai-duong"]
    assert "eucurrency:USD" in by_subject["CCY_USD"] and "eucurrency:VND" in by_subject["CCY_VND"]
    preds = {(m.subject.id.rsplit("/", 1)[-1], m.candidate.curie): m.predicate for m in linked.mappings}
    assert preds[("viet-nam", "wikidata:Q881")] == "owl:sameAs"
    assert preds[("dai-loan", "wikidata:Q865")] == "skos:closeMatch"  # territory vs state: not identity
    assert preds[("hai-phong", "geonames:1581298/")] == "skos:closeMatch"  # unit vs populated place
    assert all(m.justification and 0 < m.confidence <= 1 for m in linked.mappings)


def test_linkset_rdf_has_a_mapping_resource_per_link_and_void(linked):
    quads = linkset_quads(linked)
    store = OxigraphStore(None)
    store.add_quads(quads)
    n = store.scalar("SELECT (COUNT(?m) AS ?n) WHERE { ?m a <http://www.w3.org/2002/07/owl#Axiom> ; "
                     "<https://w3id.org/sssom/confidence> ?c ; <https://w3id.org/sssom/comment> ?j }")
    assert n == len(linked.mappings)
    total = store.scalar("SELECT (SUM(?t) AS ?n) WHERE { ?l a <http://rdfs.org/ns/void#Linkset> ; "
                         "<http://rdfs.org/ns/void#triples> ?t }")
    assert total == len(linked.mappings)
    # the Turtle is base-relative and loads under another base
    other = parse_rdf(turtle(quads), fmt="turtle", base_iri="http://example.org/kg/")
    assert any(q.subject.value.startswith("http://example.org/kg/place/viet-nam") and q.predicate.value == OWL_SAMEAS
               for q in other)


def test_sssom_table_round_trips(tmp_path, linked):
    p = tmp_path / "links.sssom.tsv"
    p.write_bytes(sssom_tsv(linked))
    meta, rows = read_sssom(p)
    assert meta["mapping_set_id"].endswith("linkset/hpkg") and meta["license"].startswith("https://creativecommons")
    assert len(rows) == len(linked.mappings)
    prefixes = set(meta["curie_map"])
    for r in rows:
        for col in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            assert r[col].split(":", 1)[0] in prefixes, r[col]
        assert 0 < float(r["confidence"]) <= 1


def test_committed_linkset_is_up_to_date(linked):
    """The shipped data/links (loaded by `hpkg build`) holds exactly the links `hpkg link` makes today.

    Compared link by link rather than byte by byte: the files also record the reference packages' versions.
    """
    preds = {"http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#exactMatch",
             "http://www.w3.org/2004/02/skos/core#closeMatch"}

    def links(quads):
        return {(q.subject.value, q.predicate.value, q.object.value) for q in quads if q.predicate.value in preds
                and not q.subject.value.startswith("https://w3id.org/hpkg/id/linkset/")}

    committed = parse_rdf(SHIPPED / "data" / "links" / "links.ttl", base_iri="https://w3id.org/hpkg/id/")
    assert links(committed) == links(linkset_quads(linked)), (
        "src/hpkg/graph/data/links is stale: run `hpkg link --out src/hpkg/graph/data/links` "
        "(in the repository, a project, a plain `hpkg link` writes the project's own data/links instead)")
    _meta, rows = read_sssom(SHIPPED / "data" / "links" / "links.sssom.tsv")
    fresh = sssom_tsv(linked).decode("utf-8").splitlines()
    header = fresh.index(next(x for x in fresh if x.startswith("subject_id")))
    assert len(rows) == len(fresh) - header - 1


def test_build_puts_links_in_their_own_graph(built_store):
    graphs = built_store.graphs()
    assert "https://w3id.org/hpkg/id/graph/links" in graphs
    n = built_store.scalar("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/hpkg/id/graph/data> "
                           f"{{ ?s <{OWL_SAMEAS}> ?o }} }}")
    assert n == 0


def test_shapes_reject_a_link_without_confidence_or_assertion(linked, project):
    """Validated as ``hpkg build`` validates the linkset (the default engine; pyshacl agrees on the shipped
    graph, links included: tests/integration/test_shacl_reference.py)."""
    from hpkg.shacl import validate

    def validate_quads(qs):
        # the linkset with the shipped data it links from and to (the code lists are shipped data, no longer
        # repeated in the linkset)
        store = OxigraphStore(None)
        store.add_quads(qs)
        for f in sorted((SHIPPED / "data").glob("*.ttl")):
            store.load_file(f, base_iri="https://w3id.org/hpkg/id/", graph="https://w3id.org/hpkg/id/graph/data")
        return validate(store, project=project, shapes=shapes, ontology=ontology)

    quads = linkset_quads(linked)
    conf = "https://w3id.org/sssom/confidence"
    victim = next(q.subject for q in quads if q.predicate.value == conf)
    broken = [q for q in quads if not (q.subject == victim and q.predicate.value == conf)]
    # keep the mapping of another link but drop the link triple it describes
    target = next(q for q in quads if q.predicate.value == OWL_SAMEAS)
    broken = [q for q in broken if q != target]
    shapes, ontology = load_shapes(project), load_ontology(project)
    report = validate_quads(broken)
    assert not report.conforms
    messages = " ".join(v.message("en") for v in report.violations)
    assert "exactly one confidence" in messages
    assert "does not assert" in messages
    assert validate_quads(quads).conforms
