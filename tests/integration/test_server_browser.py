"""The query page and the entity pages in a real headless Chromium (Debian's, driven by Playwright).

Set ``HPKG_SCREENSHOT_DOCS=1`` to also refresh ``docs/query-page.png`` for the README.
"""

from __future__ import annotations

import os
import shutil

import pytest

from ..conftest import ROOT
from .serverkit import build_store, chromium, recording_page, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-browser")
    store = build_store(tmp / "store", w3c_data=False)
    srv = start_server(tmp, store)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    with recording_page(browser, height=900) as pg:
        yield pg


def test_query_page_runs_a_named_query_and_draws_a_chart(server, page, tmp_path):
    page.goto(server.url + "/?lang=en")
    button = page.locator("#q-fdi-vs-plan")
    assert "FDI" in button.inner_text()
    button.click()
    page.wait_for_selector("#results tbody tr", timeout=15000)
    headers = page.locator("#results thead th").all_inner_texts()
    assert "fdiBillionUSD" in headers
    cells = page.locator("#results tbody tr").first.locator("td").all_inner_texts()
    assert "4.35" in cells
    page.wait_for_selector("#chart svg rect.bar", timeout=15000)
    bars = page.locator("#chart svg rect.bar")
    assert bars.count() >= 2
    labels = page.locator("#chart svg text.value").all_text_contents()
    assert "4.35" in labels and "1.8" in labels
    csv_href = page.get_attribute("#download-csv", "href")
    assert csv_href.startswith("/sparql?") and "format=csv" in csv_href
    csv_text = page.request.get(server.url + csv_href).text()
    assert csv_text.splitlines()[0].startswith("area,period,fdiBillionUSD")
    json_href = page.get_attribute("#download-json", "href")
    assert page.request.get(server.url + json_href).json()["head"]["vars"][0] == "area"
    shot = tmp_path / "query-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("HPKG_SCREENSHOT_DOCS") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "query-page.png")
    # offline: every request went to the server itself
    assert page.requests and all(u.startswith(server.url) for u in page.requests), page.requests


def test_query_errors_are_shown(server, page):
    page.goto(server.url + "/?lang=vi")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])", timeout=15000)
    assert "400" in page.inner_text("#error") and "SPARQL syntax error" in page.inner_text("#error")


def test_entity_page_switches_language_and_links_related_entities(server, page, tmp_path):
    page.goto(server.url + "/id/zone/kcn-kkt-hai-phong")
    assert "/page/zone/kcn-kkt-hai-phong?lang=en" in page.url  # 303 by Accept-Language of the browser
    assert page.locator("h1").inner_text() == "Hai Phong's industrial parks and economic zones"
    assert page.locator("#observations tbody tr").count() >= 5
    assert "US dollar" in page.inner_text("#observations")
    page.click("#lang-vi")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Các khu công nghiệp, khu kinh tế Hải Phòng"
    assert "đô la Mỹ" in page.inner_text("#observations")
    page.locator("table.props a[href^='/page/org/ban-quan-ly-khu-kinh-te-hai-phong']").first.click()
    assert "/page/org/ban-quan-ly-khu-kinh-te-hai-phong" in page.url
    page.screenshot(path=str(tmp_path / "org-page.png"), full_page=True)
    page.goto(server.url + "/data/zone/kcn-kkt-hai-phong.ttl")
    assert "kcn-kkt-hai-phong" in page.content()


def test_ontology_page_and_404_page(server, page):
    page.goto(server.url + "/ontology")
    assert "/ontology.html" in page.url
    assert page.locator("section.term#Zone").count() == 1
    response = page.goto(server.url + "/id/zone/no-such-zone")
    assert response.status == 404
    assert "404" in page.locator("h1").inner_text()
