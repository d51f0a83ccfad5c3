"""``/ingest`` of ``hpkg serve``: the JSON API (real server, httpx) and the review page (headless Chromium).

The reports are sentences written for these tests.
"""

from __future__ import annotations

import httpx
import pytest

from hpkg.build import build
from hpkg.project import open_project
from hpkg.store import OxigraphStore, open_store

from ..conftest import make_project
from .serverkit import chromium, start_server

TOKEN = "ingest-token-7d2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ZONES = "https://w3id.org/hpkg/id/zone/kcn-kkt-hai-phong"
REPORT = ("Năm 2023, các khu công nghiệp, khu kinh tế của Hải Phòng thu hút 1,2 tỷ USD vốn FDI, tăng 20% so với cùng "
          "kỳ. Doanh thu của các doanh nghiệp trong khu ước đạt 3,1 tỷ USD.")
PAGE_REPORT = ("Năm 2022, các khu công nghiệp, khu kinh tế của Hải Phòng thu hút 1,0 tỷ USD vốn FDI. Doanh thu của "
               "các doanh nghiệp trong khu ước đạt 2,7 tỷ USD. Công ty TNHH Cơ khí Bình Minh đầu tư 40 triệu USD "
               "vào KCN Tràng Duệ.")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("ingest") / "proj")
    store = tmp_path_factory.mktemp("ingest-store") / "store"
    with open_store(store) as s:
        build(s, project=open_project(root), exports_dir=None)
    srv = start_server(root, store, env={"HPKG_UPDATE_TOKEN": TOKEN})
    srv.root = root
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


def values(http, year):
    r = http.get("/sparql", headers={"Accept": "application/sparql-results+json"}, params={"query": f"""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?v WHERE {{ ?o a qb:Observation ; sdmx-measure:obsValue ?v ;
                           sdmx-dimension:refPeriod/dcterms:identifier "{year}" }}"""})
    assert r.status_code == 200, r.text
    return sorted(float(b["v"]["value"]) for b in r.json()["results"]["bindings"])


def test_the_api_needs_the_token(http):
    assert http.post("/ingest/extract", json={"text": REPORT}).status_code == 401
    r = http.post("/ingest/extract", json={"text": REPORT}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    assert http.post("/ingest/accept", json={"text": REPORT, "decisions": []}).status_code == 401


def test_extract_gives_the_contract_and_the_rows(http):
    r = http.post("/ingest/extract", json={"text": REPORT, "title": "Kết quả 2023"}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"document", "facts", "entities", "rows", "text"}
    quotes = [f["quote"] for f in body["facts"]]
    assert quotes == ["1,2 tỷ USD", "20%", "3,1 tỷ USD"]
    assert {"kind": "zone", "iri": ZONES, "status": "known"}.items() <= body["entities"][0].items()
    assert [r["kind"] for r in body["rows"]][:3] == ["figure"] * 3
    assert all(REPORT[int(r["start"]):int(r["end"])] == r["quote"] for r in body["rows"])


def test_bad_bodies_are_400_not_tracebacks(http):
    assert http.post("/ingest/extract", content=b"{not json", headers=AUTH).status_code == 400
    assert http.post("/ingest/extract", json={"text": "  "}, headers=AUTH).status_code == 400
    r = http.post("/ingest/accept", json={"text": REPORT, "decisions": [{"row": 99, "decision": "accept"}]},
                  headers=AUTH)
    assert r.status_code == 400 and "row" in r.text


def test_a_non_conforming_accept_is_422_and_changes_nothing(http, server):
    rows = http.post("/ingest/extract", json={"text": REPORT}, headers=AUTH).json()["rows"]
    fdi = next(r for r in rows if r["quote"] == "1,2 tỷ USD")
    # an organisation is not an area: the shapes refuse the observation
    bad = [{"row": fdi["row"], "decision": "accept", "cells": {"area_iri": "https://w3id.org/hpkg/id/org/tap-doan-lg"}}]
    before = sorted(p.name for p in (server.root / "data").iterdir())
    r = http.post("/ingest/accept", json={"text": REPORT, "title": "Kết quả 2023", "decisions": bad},
                  headers={**AUTH, "Accept": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["conforms"] is False
    assert sorted(p.name for p in (server.root / "data").iterdir()) == before
    assert values(http, "2023") == []


def test_accept_writes_the_file_and_loads_the_accepted_rows_only(http, server):
    rows = http.post("/ingest/extract", json={"text": REPORT}, headers=AUTH).json()["rows"]
    by_quote = {r["quote"]: r["row"] for r in rows if r["kind"] == "figure"}
    decisions = [{"row": by_quote["1,2 tỷ USD"], "decision": "accept"},
                 {"row": by_quote["20%"], "decision": "accept"},
                 {"row": by_quote["3,1 tỷ USD"], "decision": "reject"}]
    r = http.post("/ingest/accept", json={"text": REPORT, "title": "Kết quả 2023", "published": "2024-01-05",
                                          "decisions": decisions}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"]["observations"] == 1 and body["rejected"] == 1
    assert body["triples_after"] > body["triples_before"]
    assert (server.root / body["data_file"]).is_file() and (server.root / body["source_file"]).is_file()
    assert (server.root / body["source_file"]).read_text(encoding="utf-8") == REPORT
    assert values(http, "2023") == [1.2e9]  # the rejected 3,1 tỷ USD never reached the store
    # the project now builds with the new file
    build(OxigraphStore(None), project=open_project(server.root), exports_dir=None)


def test_accepting_the_same_text_again_replaces_the_earlier_accept(http, server):
    """Regression: the page could only accept a report once; a second accept of the same text now replaces the
    first — its triples leave the store in the same validated update, its files are overwritten."""
    rows = http.post("/ingest/extract", json={"text": REPORT}, headers=AUTH).json()["rows"]
    by_quote = {r["quote"]: r["row"] for r in rows if r["kind"] == "figure"}
    decisions = [{"row": by_quote["1,2 tỷ USD"], "decision": "accept"},
                 {"row": by_quote["20%"], "decision": "reject"},
                 {"row": by_quote["3,1 tỷ USD"], "decision": "accept"}]
    before = sorted(p.name for p in (server.root / "data").iterdir())
    r = http.post("/ingest/accept", json={"text": REPORT, "title": "Kết quả 2023", "published": "2024-01-05",
                                          "decisions": decisions}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["replaced"] == [body["source_file"], body["data_file"]]
    assert sorted(p.name for p in (server.root / "data").iterdir()) == before  # overwritten, not added
    assert values(http, "2023") == [1.2e9, 3.1e9]  # the FDI once, not twice; the revenue accepted this time
    build(OxigraphStore(None), project=open_project(server.root), exports_dir=None)


# ------------------------------------------------------------------ the page in headless Chromium
@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_the_page_highlights_decides_and_submits(server, browser, http):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + "/ingest?lang=en")
    page.fill("#token", TOKEN)
    page.fill("#title", "Kết quả 2022")
    page.fill("#text", PAGE_REPORT)
    page.click("#extract")
    page.wait_for_selector("#highlighted mark.cand.figure", timeout=30000)
    marks = page.locator("#highlighted mark.cand.figure")
    assert "1,0 tỷ USD" in marks.all_inner_texts() and marks.first.is_visible()
    assert page.locator("#highlighted mark.cand.organisation").all_inner_texts() == ["Công ty TNHH Cơ khí Bình Minh"]
    assert page.locator("#highlighted").inner_text() == PAGE_REPORT
    accept_mark = page.locator("#highlighted mark.cand.figure", has_text="1,0 tỷ USD")
    reject_mark = page.locator("#highlighted mark.cand.figure", has_text="2,7 tỷ USD")
    page.check("#accept-" + accept_mark.get_attribute("data-row"))
    page.check("#reject-" + reject_mark.get_attribute("data-row"))
    assert accept_mark.get_attribute("data-decision") == "accept"
    page.click("#submit")
    page.wait_for_function("document.getElementById('ingest-result').textContent.length > 0", timeout=60000)
    result = page.locator("#ingest-result").inner_text()
    assert result.startswith("200"), result
    assert values(http, "2022") == [1.0e9]
    assert all(u.startswith(server.url) for u in requests)  # no CDN, no network
    context.close()
