"""``hpkg ingest accept SHEET``: reviewed rows become evidenced observations in a project; the round trip.

The small report is a text written for these tests in the style of the press; the only real text is the shipped
source article (src/hpkg/graph/sources/), read from the package.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from hpkg.build import build
from hpkg.ingest.accept import period_interval
from hpkg.project import open_project
from hpkg.store import OxigraphStore
from tests.conftest import SEED

REPORT = (
    "Hải Phòng: vốn FDI vào các khu công nghiệp tăng mạnh\n"
    "\n"
    "Năm 2023, các khu công nghiệp, khu kinh tế của Hải Phòng thu hút 1,2 tỷ USD vốn FDI, tăng 20% so với cùng kỳ. "
    "Doanh thu của các doanh nghiệp trong khu ước đạt 3,1 tỷ USD.\n"
)
PREFIXES = """
PREFIX hpkg: <https://w3id.org/hpkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def sheet_rows(path):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


def write_sheet(path, header, rows):
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")


def decide(path, rule):
    """Mark every row of the sheet with ``rule(row as dict)`` -> accept / reject / '' (and edits in place)."""
    header, rows = sheet_rows(path)
    for r in rows:
        d = dict(zip(header, r, strict=True))
        decision = rule(d)
        for k, v in d.items():
            r[header.index(k)] = v
        r[header.index("decision")] = decision
    write_sheet(path, header, rows)


def project_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".hpkg" not in p.parts)


@pytest.fixture
def reviewed(new_project, cli):
    """A project holding the small report and its review sheet (nothing decided yet)."""
    root = new_project()
    (root / "report.txt").write_text(REPORT, encoding="utf-8")
    r = cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", "--published", "2025-01-10",
            "--publisher", "Ban Quản lý Khu kinh tế Hải Phòng", cwd=root)
    assert r.returncode == 0, r.stderr
    return root


def built(root):
    store = OxigraphStore(None)
    build(store, project=open_project(root), exports_dir=None)
    return store


# ------------------------------------------------------------------ the command line: a group with a default
def test_ingest_with_files_still_extracts(reviewed, cli):
    r = cli("ingest", "report.txt", "--format", "json", cwd=reviewed)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [f["quote"] for f in doc["facts"]] == ["1,2 tỷ USD", "20%", "3,1 tỷ USD"]


def test_a_file_named_accept_is_reached_with_a_path(reviewed, cli):
    shutil.copy(reviewed / "report.txt", reviewed / "accept")
    r = cli("ingest", "./accept", "--format", "json", cwd=reviewed)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["facts"][0]["value"] == 1_200_000_000


# ------------------------------------------------------------------ accept
def test_accept_writes_the_document_observations_and_selectors(reviewed, cli):
    decide(reviewed / "review.tsv", lambda d: "accept")
    r = cli("ingest", "accept", "review.tsv", "--title", "Vốn FDI năm 2023 (bài viết thử)", cwd=reviewed)
    assert r.returncode == 0, r.stderr
    (data,) = (reviewed / "data").glob("ingest-*.ttl")
    (text,) = (reviewed / "sources").glob("*.txt")
    assert text.read_text(encoding="utf-8") == REPORT
    store = built(reviewed)  # the project builds and validates with the new file
    obs = store.query(PREFIXES + """
        SELECT ?n ?v ?q ?chg WHERE {
          ?o a qb:Observation ; hpkg:indicator/skos:notation ?n ; sdmx-measure:obsValue ?v ;
             hpkg:valueQualifier/skos:notation ?q ; prov:wasDerivedFrom ?d .
          ?d dcterms:identifier "STEM" .
          OPTIONAL { ?o hpkg:changeOnPreviousPeriod ?chg }
        } ORDER BY ?n""".replace("STEM", text.stem)).rows()
    assert [(r["n"].value, float(r["v"].value), r["q"].value, r["chg"] and float(r["chg"].value)) for r in obs] == [
        ("FDI_REG", 1.2e9, "EXACT", 20.0), ("REVENUE", 3.1e9, "ESTIMATE", None)]
    # every selector pair selects, in the stored text, the very quote at its offsets
    stored = text.read_text(encoding="utf-8")
    sel = store.query(PREFIXES + """
        SELECT ?exact ?start ?end ?prefix ?sentence WHERE {
          ?a a hpkg:EvidenceQuote ; prov:value ?sentence ; oa:hasTarget ?t .
          ?t oa:hasSource ?d ; oa:hasSelector ?q , ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }""").rows()
    assert len(sel) == 3
    for s in sel:
        start, end = int(s["start"].value), int(s["end"].value)
        assert stored[start:end] == s["exact"].value
        assert stored[:start].endswith(s["prefix"].value)
        assert s["exact"].value in s["sentence"].value
    doc = store.query(PREFIXES + """
        SELECT ?title ?issued ?pub ?sum WHERE { ?d a hpkg:SourceDocument ; dcterms:identifier "STEM" ;
          dcterms:title ?title ; dcterms:issued ?issued ; dcterms:publisher ?pub ;
          <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue> ?sum }""".replace(
        "STEM", text.stem)).rows()
    import hashlib

    assert [(d["title"].value, d["issued"].value, d["pub"].value.rsplit("/", 1)[-1], d["sum"].value) for d in doc] == [
        ("Vốn FDI năm 2023 (bài viết thử)", "2025-01-10", "ban-quan-ly-khu-kinh-te-hai-phong",
         hashlib.sha256(REPORT.encode()).hexdigest())]
    assert data.read_text(encoding="utf-8").startswith("# Accepted with hpkg ingest accept")


def test_a_rejected_row_never_reaches_the_graph(reviewed, cli):
    decide(reviewed / "review.tsv", lambda d: "reject" if d["quote"] == "3,1 tỷ USD" else "accept")
    assert cli("ingest", "accept", "review.tsv", cwd=reviewed).returncode == 0
    store = built(reviewed)
    assert not store.query(PREFIXES + 'ASK { ?q oa:exact "3,1 tỷ USD" }').boolean
    assert not store.query(PREFIXES + """ASK { ?o hpkg:indicator/skos:notation "REVENUE" ;
        sdmx-measure:obsValue 3100000000.0 }""").boolean


def test_an_edited_value_is_used(reviewed, cli):
    def edit(d):
        if d["quote"] == "3,1 tỷ USD":
            d["value"] = "3,2 tỷ USD"  # the reviewer corrects the figure as written
        return "accept"

    decide(reviewed / "review.tsv", edit)
    assert cli("ingest", "accept", "review.tsv", cwd=reviewed).returncode == 0
    assert built(reviewed).query(PREFIXES + """ASK { ?o hpkg:indicator/skos:notation "REVENUE" ;
        sdmx-measure:obsValue 3200000000.0 }""").boolean


@pytest.mark.parametrize(("column", "value", "says"), [
    ("value", "ba tỷ", "does not parse"),
    ("indicator", "NOT_AN_INDICATOR", "unknown indicator 'NOT_AN_INDICATOR'"),
    ("indicator", "", "without an indicator"),
    ("period", "năm ngoái", "is not one of"),
    ("quote", "3,9 tỷ USD", "is not the text at"),
    ("fact", "event", "unknown fact 'event'"),
])
def test_a_bad_row_exits_2_naming_it_and_writes_nothing(reviewed, cli, column, value, says):
    def edit(d):
        if d["quote"] == "3,1 tỷ USD":
            d[column] = value
        return "accept"

    decide(reviewed / "review.tsv", edit)
    before = project_files(reviewed)
    r = cli("ingest", "accept", "review.tsv", cwd=reviewed)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "review.tsv:4:" in err and says in err, err
    assert "Traceback" not in err
    assert project_files(reviewed) == before


def test_a_sheet_without_accepted_rows_says_so(reviewed, cli):
    decide(reviewed / "review.tsv", lambda d: "reject" if d["quote"] == "20%" else "")
    before = project_files(reviewed)
    r = cli("ingest", "accept", "review.tsv", cwd=reviewed)
    assert r.returncode == 0
    assert "no row is marked accept" in r.stderr.decode() and "1 rejected, 4 undecided" in r.stderr.decode()  # 3 figures, 2 zone rows
    assert project_files(reviewed) == before


def test_an_unknown_decision_exits_2(reviewed, cli):
    decide(reviewed / "review.tsv", lambda d: "maybe")
    r = cli("ingest", "accept", "review.tsv", cwd=reviewed)
    assert r.returncode == 2 and "review.tsv:2: decision 'maybe'" in r.stderr.decode()


def test_accepting_a_report_again_replaces_the_earlier_accept(reviewed, cli):
    """Regression: a second accept of the same text (same sha256) exited 2; it now replaces what the first wrote —
    the same sheet gives the same files byte for byte, an edited sheet takes the earlier triples away."""
    decide(reviewed / "review.tsv", lambda d: "accept")
    assert cli("ingest", "accept", "review.tsv", cwd=reviewed).returncode == 0
    files = {f: (reviewed / f).read_bytes() for f in project_files(reviewed)}
    r = cli("ingest", "accept", "review.tsv", cwd=reviewed)
    assert r.returncode == 0, r.stderr
    assert "accepted before (same sha256): this accept replaces" in r.stderr.decode()
    assert {f: (reviewed / f).read_bytes() for f in project_files(reviewed)} == files  # idempotent
    # the report under another name: still the same text, so its earlier accept is replaced, not doubled
    shutil.copy(reviewed / "report.txt", reviewed / "renamed.txt")
    header, rows = sheet_rows(reviewed / "review.tsv")
    for row in rows:
        row[header.index("path")] = "renamed.txt"
        if row[header.index("quote")] == "3,1 tỷ USD":
            row[header.index("decision")] = "reject"
    write_sheet(reviewed / "review.tsv", header, rows)
    r = cli("ingest", "accept", "review.tsv", cwd=reviewed)
    assert r.returncode == 0, r.stderr
    assert len(list((reviewed / "data").glob("ingest-*.ttl"))) == 1
    assert len(list((reviewed / "sources").glob("*.txt"))) == 1
    store = built(reviewed)
    assert not store.query(PREFIXES + 'ASK { ?q oa:exact "3,1 tỷ USD" }').boolean
    assert store.query(PREFIXES + 'ASK { ?q oa:exact "1,2 tỷ USD" }').boolean


def test_accept_outside_a_project_is_refused(tmp_path, cli):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv").returncode == 0
    decide(tmp_path / "review.tsv", lambda d: "accept")
    r = cli("ingest", "accept", "review.tsv")
    assert r.returncode == 2 and "hpkg init" in r.stderr.decode()


@pytest.mark.parametrize(("period", "identifier", "begin", "end"), [
    ("2024", "2024", "2024-01-01", "2024-12-31"),
    ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
    ("2024-H2", "2024-H2", "2024-07-01", "2024-12-31"),
    ("2023-Q3", "2023-Q3", "2023-07-01", "2023-09-30"),
    ("2023-01..2023-07", "2023-01-2023-07", "2023-01-01", "2023-07-31"),
    ("2021..2025", "2021-2025", "2021-01-01", "2025-12-31"),
])
def test_periods_become_owl_time_intervals(period, identifier, begin, end):
    i = period_interval(period)
    assert i is not None and (i.identifier, i.begin, i.end) == (identifier, begin, end)


# ------------------------------------------------------------------ the round trip on the shipped article
def test_round_trip_on_the_shipped_article_reproduces_the_curated_observations(new_project, cli):
    """Ingest the article, mark every row accept as the sheet leaves it (only the rows it marks reject up front,
    with the reason, stay rejected: one zone mention without a name), accept, and the new observations, the two
    promotion programmes and LG's investment total equal the curated ones."""
    root = new_project()
    shutil.copy(SEED, root / "article.txt")
    assert cli("ingest", "article.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    refused = []

    def rule(d):
        if d["decision"]:
            refused.append((d["kind"], d["quote"], d["decision"], d["note"].split(":")[0]))
            return d["decision"]
        return "accept"

    decide(root / "review.tsv", rule)
    assert refused == [("zone", "khu công nghiệp", "reject", "cannot be created")]
    r = cli("ingest", "accept", "review.tsv", "--title", "Kết quả năm 2024 (bản nhập lại)", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "2 activities" in r.stderr.decode()
    (text,) = (root / "sources").glob("*.txt")
    store = built(root)
    query = PREFIXES + """
        SELECT ?n ?area ?pid ?v ?u ?q ?pct ?chg WHERE {
          ?o a qb:Observation ; prov:wasDerivedFrom ?d ; hpkg:indicator/skos:notation ?n ;
             sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod/dcterms:identifier ?pid ;
             sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure/skos:notation ?u ;
             hpkg:valueQualifier/skos:notation ?q .
          ?d dcterms:identifier "%s" .
          OPTIONAL { ?o hpkg:percentOfTarget ?pct } OPTIONAL { ?o hpkg:changeOnPreviousPeriod ?chg }
        }"""

    def observations(identifier):
        return {(r["n"].value, r["area"].value, r["pid"].value, float(r["v"].value), r["u"].value, r["q"].value,
                 r["pct"] and float(r["pct"].value), r["chg"] and float(r["chg"].value))
                for r in store.query(query % identifier).rows()}

    curated = observations("000_60cf227c69ab6101")
    assert len(curated) == 10
    assert observations(text.stem) == curated
    # the promotion programmes: count, period, participant and which is part of which
    activities = PREFIXES + """PREFIX schema: <https://schema.org/>
        SELECT ?n ?when ?who ?parent WHERE {
          ?e a hpkg:InvestmentPromotionProgramme ; hpkg:numberOfEvents ?n ; dcterms:temporal ?when ;
             hpkg:participant ?who ; prov:wasDerivedFrom ?d .
          ?d dcterms:identifier "%s" .
          OPTIONAL { ?p schema:subEvent ?e ; hpkg:numberOfEvents ?parent }
        }"""

    def programmes(identifier):
        return {(int(r["n"].value), r["when"].value, r["who"].value, r["parent"] and int(r["parent"].value))
                for r in store.query(activities % identifier).rows()}

    assert programmes("000_60cf227c69ab6101") == {
        (46, "https://w3id.org/hpkg/id/period/2024", "https://w3id.org/hpkg/id/org/ban-quan-ly-khu-kinh-te-hai-phong",
         None),
        (9, "https://w3id.org/hpkg/id/period/2024", "https://w3id.org/hpkg/id/org/ban-quan-ly-khu-kinh-te-hai-phong",
         46)}
    assert programmes(text.stem) == programmes("000_60cf227c69ab6101")
    # LG's total: the group's project's capital, a lower bound, now also stated (and quoted) by the new document
    lg = PREFIXES + """PREFIX schema: <https://schema.org/>
        SELECT ?min ?u ?q ?exact WHERE {
          ?p a hpkg:InvestmentProject ; hpkg:investor <https://w3id.org/hpkg/id/org/tap-doan-lg> ;
             hpkg:registeredCapital ?a .
          ?a schema:minValue ?min ; sdmx-attribute:unitMeasure/skos:notation ?u ; hpkg:valueQualifier/skos:notation ?q ;
             prov:wasDerivedFrom ?d ; hpkg:evidence ?quote .
          ?quote dcterms:isPartOf ?d ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
          ?d dcterms:identifier "%s" .
        }"""
    [new] = [(float(r["min"].value), r["u"].value, r["q"].value, r["exact"].value)
             for r in store.query(lg % text.stem).rows()]
    assert new == (10_590_000_000.0, "USD", "MIN", "10,59 tỷ USD")


# ------------------------------------------------------------------ organisations and projects
PROJECT_REPORT = (
    "Nhà đầu tư Nhật Bản mở rộng sản xuất tại Hải Phòng\n"
    "\n"
    "Năm 2024, Công ty TNHH Điện tử Minh Anh (Nhật Bản) đầu tư 250 triệu USD vào các khu công nghiệp, khu kinh tế "
    "của Hải Phòng để sản xuất chip bán dẫn. Công ty Cổ phần Thép Hoàng Long khởi công nhà máy mới.\n"
)


def test_accept_writes_new_organisations_and_a_project_with_its_capital(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(PROJECT_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    header, rows = sheet_rows(root / "review.tsv")
    kinds = {(r[header.index("kind")], r[header.index("quote")]) for r in rows}
    assert ("organisation", "Công ty TNHH Điện tử Minh Anh") in kinds
    assert ("organisation", "Công ty Cổ phần Thép Hoàng Long") in kinds
    assert any(k == "project" for k, _ in kinds)
    # accept the project, its investor and the figure (the reviewer completes its indicator and area); reject
    # the other company

    def rule(d):
        if d["kind"] == "figure":
            assert d["fact"] == "investment-total"  # the project's figure, without an indicator
            d["fact"] = "observation"  # the reviewer files it as an observation too
            d["indicator"], d["area_iri"] = "FDI_REG", "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
        return "reject" if d["quote"] == "Công ty Cổ phần Thép Hoàng Long" else "accept"

    decide(root / "review.tsv", rule)
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    assert r.returncode == 0, r.stderr
    store = built(root)
    rows = store.query(PREFIXES + """
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX schema: <https://schema.org/>
        SELECT ?p ?inv ?name ?zone ?v ?country ?sector WHERE {
          ?p a hpkg:InvestmentProject ; hpkg:investor ?inv ; hpkg:locatedInZone ?zone ; hpkg:sector ?sector ;
             hpkg:registeredCapital/schema:value ?v ; prov:wasDerivedFrom ?d .
          ?inv a org:Organization , hpkg:Investor ; skos:prefLabel ?name ; hpkg:countryOfOrigin ?country .
          ?d a hpkg:SourceDocument .
        }""").rows()
    assert [(r["name"].value, r["name"].language, r["zone"].value, float(r["v"].value), r["country"].value,
             r["sector"].value) for r in rows] == [
        ("Công ty TNHH Điện tử Minh Anh", "vi", "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong", 250_000_000.0,
         "https://w3id.org/hpkg/id/place/nhat-ban", "https://w3id.org/hpkg/id/concept/sector/chip-ban-dan")]
    # the project points at the observation of its capital
    [link] = store.query(PREFIXES + """SELECT ?v WHERE { ?p a hpkg:InvestmentProject ; dcterms:relation ?o .
        ?o a qb:Observation ; sdmx-measure:obsValue ?v }""").rows()
    assert float(link["v"].value) == 250_000_000.0
    names = {r["n"].value for r in store.query(PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?n WHERE { ?o a org:Organization ; skos:prefLabel ?n }""").rows()}
    assert "Công ty Cổ phần Thép Hoàng Long" not in names  # rejected: never in the graph


def test_a_project_whose_investor_is_rejected_exits_2_naming_the_row(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(PROJECT_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    decide(root / "review.tsv", lambda d: "reject" if d["kind"] in ("organisation", "figure") else "accept")
    before = project_files(root)
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 2 and "investor" in err and "review.tsv:" in err and "Traceback" not in err
    assert project_files(root) == before


def test_a_project_total_accepted_untouched_is_its_capital_not_an_observation(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(PROJECT_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    decide(root / "review.tsv", lambda d: d["decision"] or "accept")
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    assert r.returncode == 0, r.stderr
    store = built(root)
    [row] = store.query(PREFIXES + """PREFIX schema: <https://schema.org/>
        SELECT ?v ?q WHERE { ?p a hpkg:InvestmentProject ; hpkg:registeredCapital ?a ; prov:wasDerivedFrom ?d .
          ?a schema:value ?v ; hpkg:valueQualifier/skos:notation ?q . ?d dcterms:identifier ?id .
          FILTER(STRSTARTS(?id, "report-")) }""").rows()
    assert (float(row["v"].value), row["q"].value) == (250_000_000.0, "EXACT")
    assert not store.query(PREFIXES + """ASK { ?o a qb:Observation ; sdmx-measure:obsValue 250000000.0 }""").boolean


def test_a_project_capital_whose_figure_is_rejected_is_not_written(new_project, cli):
    """Regression: a project took its registered capital from its figure's row even when that row was rejected."""
    root = new_project()
    (root / "report.txt").write_text(PROJECT_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    decide(root / "review.tsv", lambda d: "reject" if d["kind"] == "figure" else "accept")
    assert cli("ingest", "accept", "review.tsv", cwd=root).returncode == 0
    store = built(root)
    assert store.query(PREFIXES + "ASK { ?p a hpkg:InvestmentProject ; prov:wasDerivedFrom ?d . "
                       "?d dcterms:identifier ?id . FILTER(STRSTARTS(?id, 'report-')) }").boolean
    assert not store.query(PREFIXES + "ASK { ?q oa:exact '250 triệu USD' }").boolean


ZONE_REPORT = (
    "Khu công nghiệp mới đón dự án đầu tiên\n"
    "\n"
    "Năm 2025, KCN Vĩnh Quang Xanh đã thu hút 120 triệu USD vốn FDI. Các khu công nghiệp, khu kinh tế của Hải Phòng "
    "cũng triển khai thêm khu công nghiệp sinh thái.\n"
)


def test_accept_creates_a_new_zone_and_files_its_figures_under_it(new_project, cli):
    """Regression: an accepted new zone was skipped; it is now an hpkg:IndustrialPark with its label as written and
    its evidence, and the figure whose area it is goes under it."""
    root = new_project()
    (root / "report.txt").write_text(ZONE_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    header, rows = sheet_rows(root / "review.tsv")
    zones = {r[header.index("quote")]: (r[header.index("iri")], r[header.index("decision")]) for r in rows
             if r[header.index("kind")] == "zone"}
    assert zones["KCN Vĩnh Quang Xanh"] == ("", "")
    assert zones["khu công nghiệp"][1] == "reject"  # no name: the sheet says it cannot be created
    decide(root / "review.tsv", lambda d: d["decision"] or "accept")
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "1 new zones" in r.stderr.decode()
    store = built(root)
    [z] = store.query(PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?z ?label ?exact WHERE { ?z a hpkg:IndustrialPark ; rdfs:label ?label ; prov:wasDerivedFrom ?d ;
          hpkg:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?exact . FILTER(LANG(?label) = "vi") }""").rows()
    assert (z["label"].value, z["exact"].value) == ("KCN Vĩnh Quang Xanh", "KCN Vĩnh Quang Xanh")
    area = z["z"].value
    [o] = store.query(PREFIXES + f"""SELECT ?v WHERE {{ ?o a qb:Observation ; sdmx-dimension:refArea <{area}> ;
        sdmx-measure:obsValue ?v }}""").rows()
    assert float(o["v"].value) == 120_000_000.0


def test_a_zone_without_a_name_cannot_be_created(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(ZONE_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    decide(root / "review.tsv", lambda d: "accept")  # overrides the sheet's reject of the unnamed zone
    before = project_files(root)
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 2 and "names no industrial park or economic zone" in err and "review.tsv:" in err, err
    assert "Traceback" not in err
    assert project_files(root) == before


def test_an_investment_total_without_its_project_exits_2(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(PROJECT_REPORT, encoding="utf-8")
    assert cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0
    decide(root / "review.tsv", lambda d: "reject" if d["kind"] == "project" else "accept")
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 2 and "the total's project" in err and "is not accepted" in err, err


def test_the_sheet_marks_reject_up_front_what_cannot_be_accepted_and_says_why(new_project, cli):
    root = new_project()
    (root / "report.txt").write_text(
        "Hải Phòng: sáu tháng đầu năm\n\nTrong 6 tháng đầu năm, các khu công nghiệp, khu kinh tế của Hải Phòng thu "
        "hút 2,1 tỷ USD vốn FDI. Thành phố chi 500 tỷ đồng cho cầu mới, tăng 40% so với cùng kỳ.\n", encoding="utf-8")
    r = cli("ingest", "report.txt", "--format", "tsv", "-o", "review.tsv", "--published", "2025-07-08", cwd=root)
    assert r.returncode == 0, r.stderr
    header, rows = sheet_rows(root / "review.tsv")
    by = {row[header.index("quote")]: dict(zip(header, row, strict=True)) for row in rows}
    fdi, bridges, change = by["2,1 tỷ USD"], by["500 tỷ đồng"], by["40%"]
    assert fdi["decision"] == "" and fdi["period"] == "2025-H1" and "taken from the publication date" in fdi["note"]
    assert bridges["decision"] == "reject" and "no indicator" in bridges["note"]
    assert change["decision"] == "reject" and "is marked reject" in change["note"]  # its figure cannot be accepted
    decide(root / "review.tsv", lambda d: d["decision"] or "accept")
    r = cli("ingest", "accept", "review.tsv", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "1 observations" in r.stderr.decode() and "2 rejected" in r.stderr.decode()


def test_a_total_of_a_known_project_that_disagrees_with_the_graph_exits_2(new_project, cli):
    root = new_project()
    shutil.copy(SEED, root / "article.txt")
    assert cli("ingest", "article.txt", "--format", "tsv", "-o", "review.tsv", cwd=root).returncode == 0

    def rule(d):
        if d["fact"] == "investment-total":
            d["value"] = "11 tỷ USD"  # the graph says more than 10,59 tỷ USD
        return "accept" if d["fact"] == "investment-total" or d["kind"] == "project" else "reject"

    decide(root / "review.tsv", rule)
    before = project_files(root)
    r = cli("ingest", "accept", "review.tsv", "--title", "Kết quả năm 2024", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 2 and "conflicts with the capital the graph holds" in err and "10590000000" in err, err
    assert project_files(root) == before
