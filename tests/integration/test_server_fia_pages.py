"""The FIA pages of a real ``hpkg serve``: the GeoJSON of the 34 units (httpx), the query page's bar chart and
choropleth map and a province's FDI table and line chart (headless Chromium, screenshots checked for drawn shapes).

The store holds the shipped graph and two FIA reports (2022 and 2023). The expected figures are read from the
store with SPARQL written here, independently of the pages' code.
"""

from __future__ import annotations

import io
import os

import httpx
import pytest
import shapely.geometry
from PIL import Image

from ..conftest import ROOT
from .serverkit import build_store, chromium, recording_page, start_server

REPORTS = ("2022", "2023")
BASE = "https://w3id.org/hpkg/id/"
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-fia")
    store = build_store(tmp / "store", w3c_data=False, fia_reports=REPORTS)
    srv = start_server(tmp, store)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    with recording_page(browser, height=1000) as pg:
        yield pg


def select(http, sparql: str) -> list[dict[str, str]]:
    r = http.post("/sparql", data={"query": PREFIXES + sparql}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def fdi_reg(http, area_code: str, year: str) -> float:
    """The FDI_REG figure of a pre-2025 unit in the report of ``year``, straight from the store."""
    rows = select(http, f"""SELECT DISTINCT ?v WHERE {{
        ?area skos:inScheme/skos:notation "CL_DVHC_63" ; skos:notation "{area_code}" .
        ?o sdmx-dimension:refArea ?area ; hpkg:indicator/skos:notation "FDI_REG" ; sdmx-measure:obsValue ?v ;
           qb:dataSet <{BASE}dataset/fia/{year}/by-province> }}""")
    assert len(rows) == 1, rows
    return float(rows[0]["v"])


def drawn_pixels(png: bytes) -> tuple[int, int]:
    """(pixels that are not the white background, distinct colours among them) of a screenshot."""
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = [raw[i:i + 3] for i in range(0, len(raw), 3)]
    pixels = [p for p in pixels if sum(p) < 3 * 245]
    return len(pixels), len(set(pixels))


# ------------------------------------------------------------------ GeoJSON (httpx)

def test_geojson_has_the_34_units_with_codes_names_and_polygons(http):
    r = http.get("/geo/provinces-2025.geojson")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geo+json"
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    features = doc["features"]
    assert len(features) == 34
    codes = {row["code"] for row in select(http, """SELECT DISTINCT ?code WHERE {
        ?u skos:inScheme/skos:notation "CL_DVHC_34" ; skos:notation ?code }""")}
    assert {f["properties"]["code"] for f in features} == codes
    assert len(codes) == 34
    hai_phong = next(f for f in features if f["properties"]["code"] == "31")
    assert hai_phong["properties"]["name"] == "Thành phố Hải Phòng"
    assert hai_phong["properties"]["name_en"] == "Hải Phòng"
    assert hai_phong["properties"]["iri"] == BASE + "code/dvhc-34/31"
    for f in features:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        shape = shapely.geometry.shape(f["geometry"])
        assert shape.is_valid and not shape.is_empty
        minx, miny, maxx, maxy = shape.bounds  # lon/lat (RFC 7946 order) inside Vietnam's box
        assert 102 <= minx <= maxx <= 118 and 6 <= miny <= maxy <= 24, f["properties"]["code"]
    # Hải Phòng's point: the city centre lies in the new unit 31
    assert shapely.geometry.shape(hai_phong["geometry"]).contains(shapely.geometry.Point(106.68, 20.86))
    # computed once: the second answer is the same bytes
    assert http.get("/geo/provinces-2025.geojson").content == r.content


# ------------------------------------------------------------------ the query page (Chromium)

def test_rank_query_draws_one_bar_per_row(server, page):
    page.goto(server.url + "/?lang=en")
    page.click("#q-fdi-province-rank")
    assert page.input_value("#param-year") == "2023"
    page.wait_for_selector("#chart svg.rank-chart rect.bar", timeout=30000)
    rows = page.locator("#results tbody tr")
    bars = page.locator("#chart svg.rank-chart rect.bar")
    assert rows.count() >= 50 and bars.count() == rows.count()
    headers = page.locator("#results thead th").all_inner_texts()
    assert headers == ["rank", "code", "province", "fdi_registered_usd", "new_projects"]
    # the longest bar is the first row's (rank 1), and Hải Phòng's bar says its figure
    widths = [float(w) for w in page.eval_on_selector_all("#chart rect.bar", "els => els.map(e => e.getAttribute('width'))")]
    assert widths[0] == max(widths)
    titles = page.eval_on_selector_all("#chart rect.bar title", "els => els.map(e => e.textContent)")
    assert any("Thành phố Hải Phòng" in t for t in titles)
    png = page.locator("#chart svg.rank-chart").screenshot()
    drawn, colours = drawn_pixels(png)
    assert drawn > 20_000 and colours >= 2
    # the year is a parameter: 2022's answer is another table
    page.fill("#param-year", "2022")
    page.click("#run")
    page.wait_for_function("document.querySelector('#download-csv').href.includes('year=2022')")
    page.wait_for_selector("#chart svg.rank-chart rect.bar", timeout=30000)
    assert page.locator("#chart rect.bar").count() == page.locator("#results tbody tr").count()
    assert all(u.startswith(server.url) for u in page.requests), page.requests


def test_rank_bars_carry_the_reports_figures(server, page, http):
    hai_phong = fdi_reg(http, "31", "2023")
    page.goto(server.url + "/?lang=en&q=fdi-province-rank")
    page.wait_for_selector("#chart rect.bar", timeout=30000)
    titles = page.eval_on_selector_all("#chart rect.bar title", "els => els.map(e => e.textContent)")
    assert any(t.endswith(f"Thành phố Hải Phòng: {round(hai_phong):,} USD") for t in titles), titles[:5]


def test_map_draws_the_34_units_coloured_with_a_legend(server, page, http):
    page.goto(server.url + "/?lang=en")
    page.click("#q-fdi-by-province-2025")
    page.wait_for_selector("#chart svg.map path.unit", timeout=30000)
    paths = page.locator("#chart svg.map path.unit")
    assert paths.count() == 34
    fills = page.eval_on_selector_all("#chart path.unit", "els => els.map(e => e.getAttribute('fill'))")
    assert len(set(fills)) >= 2
    assert all(d for d in page.eval_on_selector_all("#chart path.unit", "els => els.map(e => e.getAttribute('d'))"))
    # the table is kept beside the map, one row per unit with figures
    assert page.locator("#results tbody tr").count() >= 25
    # legend: the five classes and "no data"
    assert page.locator("#legend li.class").count() == 6
    assert "Total registered FDI (USD)" in page.inner_text("#legend")
    # Hải Phòng (31) = old Hải Phòng + Hải Dương, in its tooltip
    expected = fdi_reg(http, "31", "2023") + fdi_reg(http, "30", "2023")
    title = page.locator("#chart path.unit[data-code='31'] title").text_content()
    assert title == f"Hải Phòng (31): {round(expected):,} USD"
    png = page.locator("#chart svg.map").screenshot()
    if os.environ.get("HPKG_SCREENSHOT_DOCS") == "1":
        (ROOT / "docs" / "fdi-map.png").write_bytes(png)
    drawn, colours = drawn_pixels(png)
    assert drawn > 50_000 and colours >= 5
    assert all(u.startswith(server.url) for u in page.requests), page.requests


def test_map_speaks_vietnamese(server, page):
    page.goto(server.url + "/?lang=en&q=fdi-by-province-2025")
    page.wait_for_selector("#chart svg.map path.unit", timeout=30000)
    page.click("#lang-vi")  # the switch keeps the question
    assert page.locator("html").get_attribute("lang") == "vi"
    page.wait_for_selector("#chart svg.map path.unit", timeout=30000)
    title = page.locator("#chart path.unit[data-code='31'] title").text_content()
    assert title.startswith("Thành phố Hải Phòng (31): ") and title.endswith(" USD")
    assert "." in title.split(": ")[1]  # 4.479.041.600 USD
    assert "Tổng vốn FDI đăng ký (USD)" in page.inner_text("#legend")


# ------------------------------------------------------------------ the province pages (Chromium)

def test_hai_phong_page_shows_the_fdi_table_and_a_line_chart(server, page, http):
    page.goto(server.url + "/id/code/dvhc-63/31")
    assert "/page/code/dvhc-63/31?lang=en" in page.url
    rows = page.locator("#fdi-table tbody tr")
    assert rows.count() == len(REPORTS)
    assert [rows.nth(i).get_attribute("data-report") for i in range(rows.count())] == list(REPORTS)
    for i, year in enumerate(REPORTS):
        total = rows.nth(i).locator("td[data-key='total']")
        assert float(total.get_attribute("data-value")) == pytest.approx(fdi_reg(http, "31", year))
    last = rows.nth(1)
    assert last.locator("td[data-key='total']").inner_text().startswith("3,262,312,772.68")
    assert last.locator("td[data-key='new_projects']").inner_text().startswith("119")
    # the report and the cell are links
    assert last.locator("th a").get_attribute("href").startswith("/page/source/fia/2023")
    cell = last.locator("td[data-key='total'] a.cell")
    assert cell.inner_text() == "Cell Thang 12 2023!I153"
    # the line chart: one point per report
    page.wait_for_selector("#fdi-chart svg.line-chart circle.point")
    assert page.locator("#fdi-chart circle.point").count() == len(REPORTS)
    assert page.locator("#fdi-chart path.line").count() == 1
    drawn, colours = drawn_pixels(page.locator("#fdi-chart svg").screenshot())
    assert drawn > 2_000 and colours >= 2
    # the FDI figures are not repeated in the general table of figures
    assert "FDI_REG Hải Phòng" not in (page.inner_text("#observations") if page.locator("#observations").count() else "")
    # the cell's page exists (its IRI holds %20: regression, it was a 404)
    cell.click()
    assert page.locator("h1").inner_text() == "Cell Thang 12 2023!I153"
    assert all(u.startswith(server.url) for u in page.requests), page.requests


def test_hai_phong_page_in_vietnamese(server, page):
    page.goto(server.url + "/page/code/dvhc-63/31?lang=vi")
    assert "Tổng vốn đăng ký (USD)" in page.inner_text("#fdi-table thead")
    assert page.locator("#fdi-table tbody tr").nth(1).locator("td[data-key='total']").inner_text().startswith(
        "3.262.312.772,68")
    page.wait_for_selector("#fdi-chart circle.point")
    assert page.locator("#fdi-chart circle.point").count() == len(REPORTS)


def test_the_2025_unit_page_sums_its_old_units(server, page, http):
    page.goto(server.url + "/page/code/dvhc-34/31?lang=en")
    assert "Hải Dương" in page.inner_text("#fdi-sum") and "Hải Phòng" in page.inner_text("#fdi-sum")
    rows = page.locator("#fdi-table tbody tr")
    assert rows.count() == len(REPORTS)
    for i, year in enumerate(REPORTS):
        total = rows.nth(i).locator("td[data-key='total']")
        assert float(total.get_attribute("data-value")) == pytest.approx(
            fdi_reg(http, "31", year) + fdi_reg(http, "30", year))
        assert total.locator("a.cell").count() == 2  # one source cell per old unit
    assert page.locator("#fdi-chart circle.point").count() == len(REPORTS)


def test_a_page_without_fdi_has_no_table(server, http):
    r = http.get("/page/zone/kcn-kkt-hai-phong", params={"lang": "en"})
    assert r.status_code == 200
    assert 'id="fdi-table"' not in r.text and "province.js" not in r.text


# ------------------------------------------------------------------ the two queries the pictures read (httpx)

def test_the_rank_and_2025_queries_answer_with_the_reports_figures(http):
    totals = {row["code"]: float(row["v"]) for row in select(http, f"""SELECT DISTINCT ?code ?v WHERE {{
        ?area skos:inScheme/skos:notation "CL_DVHC_63" ; skos:notation ?code .
        ?o sdmx-dimension:refArea ?area ; hpkg:indicator/skos:notation "FDI_REG" ; sdmx-measure:obsValue ?v ;
           qb:dataSet <{BASE}dataset/fia/2023/by-province> }}""")}
    r = http.get("/api/fdi-province-rank", params={"year": "2023"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    lines = r.text.splitlines()
    assert lines[0] == "rank,code,province,fdi_registered_usd,new_projects"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == len(totals)
    by_code = {row[1]: row for row in rows}
    for code, total in totals.items():
        assert float(by_code[code][3]) == pytest.approx(total)
        assert int(by_code[code][0]) == 1 + sum(1 for v in totals.values() if v > total)
    assert by_code["31"][2] == "Thành phố Hải Phòng" and by_code["31"][4] == "119"
    r = http.get("/api/fdi-by-province-2025.csv", params={"year": "2023"})
    lines = r.text.splitlines()
    assert lines[0] == "code,province,fdi_registered_usd,new_projects"
    new = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert float(new["31"][2]) == pytest.approx(totals["31"] + totals["30"])
    assert new["31"][1] == "Thành phố Hải Phòng"
    assert float(new["01"][2]) == pytest.approx(totals["01"])  # Hà Nội was not merged
    assert len(new) <= 34
