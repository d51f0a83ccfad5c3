"""The FIA named queries (``fdi-*.rq``) against cells read independently from the reports.

Every expected figure is read here from the spreadsheet in ``sources/fia/`` with python-calamine, by sheet and
cell reference (the references were found by reading the sheets by hand), never through the importer's table
finder. The store is the shipped graph (built without validation) plus the Turtle of the four reports these
tests need (2015, 2016, 2023 and the 2024 half-year) in ``graph/fia``, loaded once for the module.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import cache

import pyoxigraph as ox
import pytest
from python_calamine import CalamineWorkbook

from hpkg.build import build
from hpkg.iri import DEFAULT_BASE, graph_iri
from hpkg.query import run
from hpkg.store import OxigraphStore

from ..conftest import SHIPPED, TEST_DATA, shipped_project

SOURCES = SHIPPED / "sources" / "fia"
DATA = SHIPPED / "data" / "fia"
PROJECT = shipped_project()
LOADED = ("2015", "2016", "2023", "2024-h1")
FILES = {"2015": "FDI.2015.xls", "2016": "FDI.2016.xls", "2023": "FDI.2023.xlsx",
         "2024": "FDI.2024(first-6-months).xlsx"}

# Every cell the tests compare with (report, sheet, reference): what it holds, as read by hand from the sheet.
P23, P24, P15 = ("2023", "Thang 12 2023"), ("2024", "Thang 6 2024"), ("2015", "Thang 12 2015")
CELLS: dict[str, tuple[str, str, str]] = {
    # 2023, table by province: Hải Phòng (row 153), Hồ Chí Minh (152), Hải Dương (162)
    "hp23_proj_new": (*P23, "C153"), "hp23_new": (*P23, "D153"), "hp23_proj_adj": (*P23, "E153"),
    "hp23_adj": (*P23, "F153"), "hp23_contrib_n": (*P23, "G153"), "hp23_contrib": (*P23, "H153"),
    "hp23_reg": (*P23, "I153"), "hcm23_reg": (*P23, "I152"), "hd23_reg": (*P23, "I162"), "hd23_proj_new": (*P23, "C162"),
    # 2023, by partner (Singapore row 33, Japan 34) and by sector (manufacturing row 9)
    "sgp23_reg": (*P23, "I33"), "sgp23_proj_new": (*P23, "C33"), "jpn23_reg": (*P23, "I34"),
    "c23_reg": (*P23, "I9"), "c23_proj_new": (*P23, "C9"), "c23_adj": (*P23, "F9"),
    # 2023, cumulative by province: Hải Phòng
    "hp23_cum": ("2023", "Luy ke T12 2023", "D193"), "hp23_cum_n": ("2023", "Luy ke T12 2023", "C193"),
    # the 2024 half-year report: Hải Phòng (row 129), Hà Nội (128), Hải Dương (142), Singapore, manufacturing
    "hp24_proj_new": (*P24, "C129"), "hp24_new": (*P24, "D129"), "hp24_proj_adj": (*P24, "E129"),
    "hp24_adj": (*P24, "F129"), "hp24_contrib_n": (*P24, "G129"), "hp24_contrib": (*P24, "H129"),
    "hp24_reg": (*P24, "I129"), "hn24_reg": (*P24, "I128"), "hd24_reg": (*P24, "I142"), "hd24_proj_new": (*P24, "C142"),
    "sgp24_reg": (*P24, "I33"), "c24_reg": (*P24, "I9"), "c24_proj_new": (*P24, "C9"),
    "hp24_cum": ("2024", "Luy ke T6 2024", "D195"), "hp24_cum_n": ("2024", "Luy ke T6 2024", "C195"),
    # 2015 (.xls; million-USD columns E, H and I): Hải Phòng (row 118), Hà Nội (117), Hải Dương (124)
    "hp15_proj_new": (*P15, "C118"), "hp15_new": (*P15, "E118"), "hp15_proj_adj": (*P15, "F118"),
    "hp15_adj": (*P15, "H118"), "hp15_reg": (*P15, "I118"), "hn15_reg": (*P15, "I117"), "hd15_reg": (*P15, "I124"),
    # 2016: Hải Phòng's total registered (row 138, column K)
    "hp16_reg": ("2016", "Thang 12 2016", "K138"),
}


@cache
def _sheet(report: str, sheet: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(SOURCES / FILES[report]))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def raw(name: str) -> object:
    """The value of a cell of :data:`CELLS` as the spreadsheet holds it."""
    report, sheet, ref = CELLS[name]
    m = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    assert m, ref
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - ord("A") + 1
    return _sheet(report, sheet)[int(m.group(2)) - 1][col - 1]


def usd(name: str) -> float:
    """An amount cell (million USD) in USD."""
    v = raw(name)
    assert isinstance(v, float | int), (name, v)
    return float(v) * 1e6


def count(name: str) -> int:
    v = raw(name)
    assert isinstance(v, float | int) and float(v) == int(v), (name, v)
    return int(v)


def same(value: object, expected: float) -> bool:
    return isinstance(value, Decimal) and float(value) == pytest.approx(expected, rel=1e-12, abs=1e-4)


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    s = OxigraphStore(None)
    build(s, project=replace(PROJECT, skip_graphs=frozenset({"fia"})), validate=False)
    for key in LOADED:
        s.load_file(DATA / f"fia-{key}.ttl", graph=graph_iri("fia"), base_iri=DEFAULT_BASE)
    return s


def py(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.startswith("http://www.w3.org/2001/XMLSchema#") \
            and term.datatype.value.rsplit("#", 1)[1] in ("decimal", "integer", "double"):
        return Decimal(term.value)
    return term.value


def select(store: OxigraphStore, name: str, **params: str) -> tuple[list[str], list[dict[str, object]]]:
    result = run(store, name, PROJECT, params)
    assert result.kind == "select"
    return list(result.variables), [{k: py(v) for k, v in row.items()} for row in result.rows()]


def by(rows: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    out = {r[key]: r for r in rows}
    assert len(out) == len(rows), f"{key} is not unique"
    return out


# --------------------------------------------------------------------------- the cells themselves


def test_the_cells_are_at_least_30_from_several_reports_and_are_the_rows_they_name():
    assert len(CELLS) >= 30
    assert {c[0] for c in CELLS.values()} == {"2015", "2016", "2023", "2024"}
    # the rows' names, read from column B of the same sheets: the references point where the tests think
    names = {("2023", "Thang 12 2023", 153): "Hải Phòng", ("2023", "Thang 12 2023", 152): "TP. Hồ Chí Minh",
             ("2023", "Thang 12 2023", 162): "Hải Dương", ("2023", "Thang 12 2023", 33): "Singapore",
             ("2023", "Thang 12 2023", 34): "Nhật Bản", ("2023", "Thang 12 2023", 9): "Công nghiệp chế biến, chế tạo",
             ("2024", "Thang 6 2024", 129): "Hải Phòng", ("2024", "Thang 6 2024", 128): "Hà Nội",
             ("2024", "Thang 6 2024", 142): "Hải Dương", ("2015", "Thang 12 2015", 118): "Hải Phòng",
             ("2015", "Thang 12 2015", 117): "Hà Nội", ("2015", "Thang 12 2015", 124): "Hải Dương",
             ("2016", "Thang 12 2016", 138): "Hải Phòng"}
    for (report, sheet, row), name in names.items():
        assert str(_sheet(report, sheet)[row - 1][1]).strip() == name, (report, row)


# --------------------------------------------------------------------------- one query at a time


def test_fdi_by_province_2023_is_the_report_s_row(store):
    cols, rows = select(store, "fdi-by-province", year="2023")
    assert cols == ["code", "province", "new_projects", "fdi_new_usd", "adjusted_projects", "fdi_adjusted_usd",
                    "contributions", "fdi_contrib_usd", "fdi_registered_usd", "report", "period"]
    hp = by(rows, "code")["31"]
    assert hp["province"] == "Thành phố Hải Phòng"
    assert (hp["new_projects"], hp["adjusted_projects"], hp["contributions"]) == (
        count("hp23_proj_new"), count("hp23_proj_adj"), count("hp23_contrib_n"))
    for col, cell in [("fdi_new_usd", "hp23_new"), ("fdi_adjusted_usd", "hp23_adj"),
                      ("fdi_contrib_usd", "hp23_contrib"), ("fdi_registered_usd", "hp23_reg")]:
        assert same(hp[col], usd(cell)), col
    assert same(by(rows, "code")["79"]["fdi_registered_usd"], usd("hcm23_reg"))
    assert {r["report"] for r in rows} == {"2023"} and {r["period"] for r in rows} == {"2023-01-01/2023-12-20"}
    assert len(by(rows, "code")) == len(rows)


def test_fdi_by_province_2024_is_the_half_year_report_and_says_so(store):
    _, rows = select(store, "fdi-by-province", year="2024")
    assert {r["report"] for r in rows} == {"2024-H1"}
    assert {r["period"] for r in rows} == {"2024-01-01/2024-06-20"}
    hp = by(rows, "code")["31"]
    assert (hp["new_projects"], hp["adjusted_projects"], hp["contributions"]) == (
        count("hp24_proj_new"), count("hp24_proj_adj"), count("hp24_contrib_n"))
    for col, cell in [("fdi_new_usd", "hp24_new"), ("fdi_adjusted_usd", "hp24_adj"),
                      ("fdi_contrib_usd", "hp24_contrib"), ("fdi_registered_usd", "hp24_reg")]:
        assert same(hp[col], usd(cell)), col
    assert same(by(rows, "code")["01"]["fdi_registered_usd"], usd("hn24_reg"))


def test_fdi_by_province_2015_from_the_xls_has_no_contributions(store):
    _, rows = select(store, "fdi-by-province", year="2015")
    hp = by(rows, "code")["31"]
    assert (hp["new_projects"], hp["adjusted_projects"]) == (count("hp15_proj_new"), count("hp15_proj_adj"))
    assert same(hp["fdi_new_usd"], usd("hp15_new")) and same(hp["fdi_adjusted_usd"], usd("hp15_adj"))
    assert same(hp["fdi_registered_usd"], usd("hp15_reg"))
    assert same(by(rows, "code")["01"]["fdi_registered_usd"], usd("hn15_reg"))
    assert hp["contributions"] is None and hp["fdi_contrib_usd"] is None
    assert {r["period"] for r in rows} == {"2015-01-01/2015-12-31"}
    # the oil and gas area (sheet row 154) is a row of the table, without a code, listed last
    assert str(_sheet("2015", "Thang 12 2015")[153][1]).strip() == "Dầu khí"
    assert rows[-1]["code"] is None and "Dầu khí" in str(rows[-1]["province"])
    assert same(rows[-1]["fdi_registered_usd"], float(str(_sheet("2015", "Thang 12 2015")[153][8])) * 1e6)


def test_a_year_without_a_report_answers_nothing(store):
    assert select(store, "fdi-by-province", year="2030")[1] == []


def test_fdi_province_rank(store):
    cols, rows = select(store, "fdi-province-rank", year="2023")
    assert cols == ["rank", "code", "province", "fdi_registered_usd", "new_projects"]
    first, second = rows[0], rows[1]
    assert (first["rank"], first["code"]) == (1, "79") and same(first["fdi_registered_usd"], usd("hcm23_reg"))
    assert (second["rank"], second["code"]) == (2, "31") and same(second["fdi_registered_usd"], usd("hp23_reg"))
    assert second["new_projects"] == count("hp23_proj_new")
    assert all(r["code"] for r in rows)  # provinces only: not the oil and gas area
    totals = [r["fdi_registered_usd"] for r in rows]
    assert totals == sorted(totals, reverse=True)
    assert [r["rank"] for r in rows] == [1 + sum(t > x for t in totals) for x in totals]
    hp24 = by(select(store, "fdi-province-rank", year="2024")[1], "code")["31"]
    assert same(hp24["fdi_registered_usd"], usd("hp24_reg")) and hp24["new_projects"] == count("hp24_proj_new")


def test_fdi_by_partner(store):
    cols, rows = select(store, "fdi-by-partner", year="2023")
    assert cols[:4] == ["rank", "code", "partner", "partner_en"] and cols[-2:] == ["report", "period"]
    sgp, jpn = rows[0], rows[1]
    assert (sgp["rank"], sgp["code"], sgp["partner_en"]) == (1, "SGP", "Singapore")
    assert same(sgp["fdi_registered_usd"], usd("sgp23_reg")) and sgp["new_projects"] == count("sgp23_proj_new")
    assert (jpn["rank"], jpn["code"]) == (2, "JPN") and same(jpn["fdi_registered_usd"], usd("jpn23_reg"))
    sgp24 = by(select(store, "fdi-by-partner", year="2024")[1], "code")["SGP"]
    assert same(sgp24["fdi_registered_usd"], usd("sgp24_reg")) and sgp24["report"] == "2024-H1"


def test_fdi_by_sector(store):
    cols, rows = select(store, "fdi-by-sector", year="2023")
    assert cols[:4] == ["rank", "section", "sector", "sector_en"]
    c = by(rows, "section")["C"]
    assert (c["rank"], c["sector_en"]) == (1, "Manufacturing")
    assert same(c["fdi_registered_usd"], usd("c23_reg")) and c["new_projects"] == count("c23_proj_new")
    assert same(c["fdi_adjusted_usd"], usd("c23_adj"))
    c24 = by(select(store, "fdi-by-sector", year="2024")[1], "section")["C"]
    assert same(c24["fdi_registered_usd"], usd("c24_reg")) and c24["new_projects"] == count("c24_proj_new")
    assert c24["period"] == "2024-01-01/2024-06-20"


def test_fdi_province_trend(store):
    cols, rows = select(store, "fdi-province-trend", province="31")
    assert cols[:3] == ["code", "province", "report"]
    by_report = by(rows, "report")
    assert list(by_report) == ["2015", "2016", "2023", "2024-H1"]  # the reports loaded, in order
    assert same(by_report["2015"]["fdi_registered_usd"], usd("hp15_reg"))
    assert same(by_report["2016"]["fdi_registered_usd"], usd("hp16_reg"))
    assert same(by_report["2023"]["fdi_registered_usd"], usd("hp23_reg"))
    assert same(by_report["2024-H1"]["fdi_registered_usd"], usd("hp24_reg"))
    assert same(by_report["2023"]["fdi_in_force_usd"], usd("hp23_cum"))
    assert by_report["2023"]["projects_in_force"] == count("hp23_cum_n")
    assert same(by_report["2024-H1"]["fdi_in_force_usd"], usd("hp24_cum"))
    assert (by_report["2024-H1"]["period"], by_report["2024-H1"]["in_force_on"]) == ("2024-01-01/2024-06-20",
                                                                                    "2024-06-20")
    assert by_report["2023"]["period"] == "2023-01-01/2023-12-20"
    assert {r["province"] for r in rows} == {"Thành phố Hải Phòng"}
    assert select(store, "fdi-province-trend", province="99")[1] == []


def test_fdi_by_province_2025_adds_hai_duong_to_hai_phong(store):
    cols, rows = select(store, "fdi-by-province-2025", year="2023")
    assert cols == ["code", "province", "fdi_registered_usd", "new_projects"]
    hp = by(rows, "code")["31"]
    assert hp["province"] == "Thành phố Hải Phòng"
    assert same(hp["fdi_registered_usd"], usd("hp23_reg") + usd("hd23_reg"))
    assert hp["new_projects"] == count("hp23_proj_new") + count("hd23_proj_new")
    assert "30" not in by(rows, "code")  # Hải Dương is no unit of 2025
    assert len(rows) <= 34
    # a unit kept as it was: Hồ Chí Minh (79) was formed from three old units, all in the report
    hp24 = by(select(store, "fdi-by-province-2025", year="2024")[1], "code")["31"]
    assert same(hp24["fdi_registered_usd"], usd("hp24_reg") + usd("hd24_reg"))
    assert hp24["new_projects"] == count("hp24_proj_new") + count("hd24_proj_new")
    hp15 = by(select(store, "fdi-by-province-2025", year="2015")[1], "code")["31"]
    assert same(hp15["fdi_registered_usd"], usd("hp15_reg") + usd("hd15_reg"))


def test_fdi_ez_vs_city_shows_two_scopes_with_their_sources(store):
    cols, rows = select(store, "fdi-ez-vs-city")
    assert cols[:3] == ["indicator", "year", "unit"]
    got = by(rows, "indicator")
    assert set(got) == {"FDI_REG", "FDI_CUM", "FDI_PROJ_CUM"}
    reg = got["FDI_REG"]
    assert reg["year"] == 2024 and reg["ez_value"] == Decimal(4350000000)  # the article's "4,35 tỷ USD"
    assert same(reg["city_value"], usd("hp24_reg"))
    assert (reg["ez_period"], reg["city_period"]) == ("2024-01-01/2024-12-31", "2024-01-01/2024-06-20")
    assert reg["city_cell"] == "Cell Thang 6 2024!I129" and reg["unit"] == "USD"
    assert str(reg["ez_source"]).endswith("/source/bqlkkt-hai-phong-2025-01-06")
    assert str(reg["city_source"]).endswith("/source/fia/2024-h1")
    assert same(got["FDI_CUM"]["city_value"], usd("hp24_cum")) and got["FDI_CUM"]["city_period"] == "../2024-06-20"
    assert got["FDI_PROJ_CUM"]["city_value"] == count("hp24_cum_n") and got["FDI_PROJ_CUM"]["ez_value"] == 594
    assert {r["city"] for r in rows} == {"Thành phố Hải Phòng"}


# --------------------------------------------------------------------------- parameters on the command line


@pytest.mark.parametrize(("name", "param"), [
    ("fdi-by-province", "year"), ("fdi-province-trend", "province"), ("fdi-province-rank", "year"),
    ("fdi-by-partner", "year"), ("fdi-by-sector", "year"), ("fdi-by-province-2025", "year")])
def test_missing_or_unknown_parameter_exits_2_listing_the_parameters(cli, name, param):
    kind = "string" if param == "province" else "xsd:integer"
    for args, message in [((), f"needs the parameter '{param}'; its parameters: {param} (required, {kind})"),
                          (("-p", f"{param}=1", "-p", "partner=JPN"), "has no parameter 'partner'")]:
        p = cli("--memory", "query", name, *args)
        assert p.returncode == 2, p.stderr
        assert message in p.stderr.decode() and "Traceback" not in p.stderr.decode()


def test_fdi_ez_vs_city_has_no_parameters(cli):
    p = cli("--memory", "query", "fdi-ez-vs-city", "-p", "year=2024")
    assert p.returncode == 2 and "its parameters: none" in p.stderr.decode()


# --------------------------------------------------------------------------- rewrites answer as before


@pytest.fixture(scope="module")
def store_all() -> OxigraphStore:
    """The shipped graph with all ten reports (the rewrites are compared on every year)."""
    s = OxigraphStore(None)
    build(s, project=replace(PROJECT, skip_graphs=frozenset({"fia"})), validate=False)
    for path in sorted(DATA.glob("fia-*.ttl")):
        s.load_file(path, graph=graph_iri("fia"), base_iri=DEFAULT_BASE)
    return s


@pytest.mark.parametrize("name", ["fdi-by-province", "fdi-province-rank", "fdi-by-partner", "fdi-by-sector",
                                  "fdi-by-province-2025"])
def test_rewritten_queries_answer_as_before(store_all, name):
    """The shipped query answers, for every report, exactly the rows (values, datatypes, order) of the query it
    replaced (``tests/data/queries/NAME.before.rq``, run as a query file)."""
    before = TEST_DATA / "queries" / f"{name}.before.rq"
    for year in range(2015, 2025):
        new, old = (run(store_all, q, PROJECT, {"year": str(year)}) for q in (name, str(before)))
        assert list(new.variables) == list(old.variables)
        new_rows = [tuple(row[v] for v in new.variables) for row in new.rows()]
        old_rows = [tuple(row[v] for v in old.variables) for row in old.rows()]
        assert new_rows, (name, year)  # every report has the table
        assert new_rows == old_rows, (name, year)
