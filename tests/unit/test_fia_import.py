"""``hpkg import fia``: the FIA's ten quick reports (sources/fia) as Data Cube observations.

The expected values below were read by hand from the spreadsheets (cell by cell, with their references), not
from what the importer writes; each is checked against the observation whose ``hpkg:evidence`` is that cell.
The small workbooks of the bad-input tests are written here, cell by cell, with made-up names and numbers.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import escape

import pyoxigraph as ox
import pytest

from hpkg.iri import DEFAULT_BASE
from hpkg.opendata.fia import import_reports, read_reports, rejects_tsv
from hpkg.opendata.fia.rdf import INDICATORS, turtle

from ..conftest import SHARED, SHIPPED, invoke

SOURCES = SHIPPED / "sources" / "fia"
DATA = SHIPPED / "data" / "fia"
REPORTS = sorted(SOURCES.glob("FDI.*.xls*"))
ORIGINALS = SHARED / "sources" / "fia"
BASE = DEFAULT_BASE
HPKG = "https://w3id.org/hpkg/ontology#"
PREFIXES = f"""PREFIX hpkg: <{HPKG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""

# (report, table, area slug or sector letter, indicator, value in base units, sheet, cell) — read by hand
CELLS: list[tuple[str, str, str, str, float, str, str]] = [
    ("2023", "by-province", "hai-phong", "FDI_REG", 3262.3127726800003e6, "Thang 12 2023", "I153"),
    ("2023", "by-province", "hai-phong", "PROJ_NEW", 119, "Thang 12 2023", "C153"),
    ("2023", "by-province", "hai-phong", "FDI_REG_NEW", 1478.70012444e6, "Thang 12 2023", "D153"),
    ("2023", "by-province", "hai-phong", "PROJ_ADJ", 51, "Thang 12 2023", "E153"),
    ("2023", "by-province", "hai-phong", "FDI_REG_ADJ", 1654.8340725e6, "Thang 12 2023", "F153"),
    ("2023", "by-province", "hai-phong", "CONTRIB_COUNT", 49, "Thang 12 2023", "G153"),
    ("2023", "by-province", "hai-phong", "FDI_CONTRIB", 128.77857574e6, "Thang 12 2023", "H153"),
    ("2023", "by-province", "ho-chi-minh", "FDI_REG", 5851.950882490772e6, "Thang 12 2023", "I152"),
    ("2023", "by-province", "hue", "FDI_REG_ADJ", -2.382e6, "Thang 12 2023", "F186"),
    ("2023", "by-province", "ba-ria-vung-tau", "FDI_REG_ADJ", 0, "Thang 12 2023", "F163"),
    ("2023", "cumulative-by-province", "hai-phong", "FDI_PROJ_CUM", 1107, "Luy ke T12 2023", "C193"),
    ("2023", "cumulative-by-province", "hai-phong", "FDI_CUM", 28682.484115109997e6, "Luy ke T12 2023", "D193"),
    ("2023", "national", "viet-nam", "FDI_DISB", 23183e6, "thang 12", "E9"),
    ("2023", "national", "viet-nam", "FDI_REG", 36607.626944828815e6, "thang 12", "E10"),
    ("2023", "national", "viet-nam", "PROJ_NEW", 3188, "thang 12", "E15"),
    ("2023", "national", "viet-nam", "FDI_EXPORTS", 258797.94173757362e6, "thang 12", "E19"),
    ("2023", "national", "viet-nam", "FDI_IMPORTS", 210012.69539100002e6, "thang 12", "E21"),
    ("2023", "by-sector", "c", "FDI_REG", 23504.98033193906e6, "Thang 12 2023", "I9"),
    ("2023", "by-sector", "c", "PROJ_NEW", 1075, "Thang 12 2023", "C9"),
    ("2023", "by-sector", "l", "FDI_REG", 4665.755538582343e6, "Thang 12 2023", "I10"),
    ("2023", "by-partner", "jpn", "FDI_REG", 6566.037661586865e6, "Thang 12 2023", "I34"),
    ("2023", "by-partner", "kor", "FDI_REG_ADJ", 2159.2529529339845e6, "Thang 12 2023", "F37"),
    ("2023", "by-partner", "usa", "FDI_REG", 626.3215399099975e6, "Thang 12 2023", "I42"),
    ("2023", "by-partner", "twn", "PROJ_NEW", 210, "Thang 12 2023", "C38"),
    ("2023", "by-partner", "vgb", "FDI_REG", 225.56767458e6, "Thang 12 2023", "I47"),
    ("2015", "by-province", "hai-phong", "FDI_REG", 902.729146e6, "Thang 12 2015", "I118"),
    ("2015", "by-province", "hai-phong", "FDI_REG_NEW", 654.164626e6, "Thang 12 2015", "E118"),
    ("2015", "by-province", "hai-phong", "PROJ_ADJ", 38, "Thang 12 2015", "F118"),
    ("2015", "by-province", "dau-khi", "FDI_REG", 15e6, "Thang 12 2015", "I154"),
    ("2015", "cumulative-by-province", "hai-phong", "FDI_CUM", 11651.309169e6, "Luy kế T12-2015 ", "D171"),
    ("2015", "national", "viet-nam", "FDI_DISB", 14500e6, "thang 12", "E7"),
    ("2016", "by-province", "hai-phong", "CONTRIB_COUNT", 27, "Thang 12 2016", "I138"),
    ("2016", "by-province", "hai-phong", "FDI_CONTRIB", 96.34304985253333e6, "Thang 12 2016", "J138"),
    ("2016", "by-province", "hai-phong", "FDI_REG", 2989.909976852533e6, "Thang 12 2016", "K138"),
    ("2019", "by-province", "hai-phong", "FDI_CONTRIB", 101.9318101494152e6, "Thang 12 2019", "K169"),
    ("2019", "by-province", "hai-phong", "FDI_REG", 1383.5404094619153e6, "Thang 12 2019", "L169"),
    ("2024-h1", "by-province", "hai-phong", "FDI_REG", 1137.32609322e6, "Thang 6 2024", "I129"),
    ("2024-h1", "cumulative-by-province", "hai-phong", "FDI_CUM", 29594.68671242e6, "Luy ke T6 2024", "D195"),
]


@pytest.fixture(scope="module")
def reports():
    return read_reports(REPORTS)


@pytest.fixture(scope="module")
def store(reports):
    """The ten reports' Turtle, as the importer writes it, parsed under the default base."""
    s = ox.Store()
    for rep in reports:
        s.load(turtle(rep), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return s


def rows(store, sparql: str):
    return list(store.query(PREFIXES + sparql))


def test_the_copies_are_the_reports_with_their_checksums():
    sums = dict(line.split("  ", 1)[::-1] for line in (SOURCES / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == [p.name for p in REPORTS] and len(REPORTS) == 10
    for p in REPORTS:
        assert hashlib.sha256(p.read_bytes()).hexdigest() == sums[p.name], p.name
    readme = (SHIPPED / "sources" / "README.md").read_text(encoding="utf-8")
    assert "Cục Đầu tư nước ngoài" in readme and "HungNT1st/CS571_Project" in readme
    if ORIGINALS.is_dir():  # the project's shared inputs, beside the checkout
        for p in [*REPORTS, SOURCES / "README.md", SOURCES / "SHA256SUMS"]:
            assert p.read_bytes() == (ORIGINALS / p.name).read_bytes(), p.name


@pytest.mark.parametrize(("report", "table", "where", "indicator", "value", "sheet", "cell"), CELLS,
                         ids=[f"{c[0]}-{c[5]}!{c[6]}" for c in CELLS])
def test_cell_read_by_hand_is_the_observation(store, report, table, where, indicator, value, sheet, cell):
    obs = f"{BASE}obs/fia/{report}/{table}/{where}/{indicator}"
    found = rows(store, f"""SELECT ?v ?cell ?text ?doc WHERE {{ <{obs}> sdmx-measure:obsValue ?v ;
        hpkg:indicator <{BASE}concept/indicator/{INDICATORS[indicator]}> ; hpkg:evidence ?cell ; prov:wasDerivedFrom ?doc .
        ?cell prov:value ?text ; dcterms:isPartOf ?doc . }}""")
    assert len(found) == 1, obs
    (r,) = found
    # money is kept to the cent (hpkg.opendata.fia.importer.to_base); counts exactly
    assert float(r["v"].value) == pytest.approx(value, rel=1e-12, abs=0.005)
    assert unquote(r["cell"].value).endswith(f"/cell/{sheet}!{cell}")
    assert r["doc"].value == f"{BASE}source/fia/{report}"


def test_there_are_at_least_30_cells_from_every_kind_of_table():
    assert len(CELLS) >= 30
    assert {c[1] for c in CELLS} == {"by-province", "cumulative-by-province", "national", "by-sector", "by-partner"}
    assert {c[0] for c in CELLS} >= {"2015", "2016", "2019", "2023", "2024-h1"}


def test_periods_are_the_reports_own(store):
    def period(obs: str) -> tuple[str | None, str]:
        (r,) = rows(store, f"""SELECT ?b ?e WHERE {{ <{BASE}obs/fia/{obs}> sdmx-dimension:refPeriod ?p .
            ?p a time:ProperInterval ; time:hasEnd/time:inXSDDate ?e .
            OPTIONAL {{ ?p time:hasBeginning/time:inXSDDate ?b }} }}""")
        return (r["b"].value if r["b"] else None), r["e"].value

    assert period("2023/by-province/hai-phong/FDI_REG") == ("2023-01-01", "2023-12-20")
    assert period("2023/cumulative-by-province/hai-phong/FDI_CUM") == (None, "2023-12-20")
    assert period("2016/by-province/hai-phong/FDI_REG") == ("2016-01-01", "2016-12-26")
    assert period("2016/cumulative-by-province/hai-phong/FDI_CUM") == (None, "2016-12-20")
    assert period("2024-h1/by-province/hai-phong/FDI_REG") == ("2024-01-01", "2024-06-20")
    # disbursement is the year's (the half-year's), as the national summary's column header names it
    assert period("2023/national/viet-nam/FDI_DISB") == ("2023-01-01", "2023-12-31")
    assert period("2024-h1/national/viet-nam/FDI_DISB") == ("2024-01-01", "2024-06-30")
    (r,) = rows(store, f"""SELECT ?id WHERE {{ <{BASE}period/2024-01-01--2024-06-20> time:intervalStarts ?h .
        ?h dcterms:identifier ?id }}""")
    assert r["id"].value == "2024-H1"


def test_provinces_are_the_63_units_with_the_printed_names_as_alt_labels(store):
    areas = {r["a"].value for r in rows(store, """SELECT DISTINCT ?a WHERE { ?o qb:dataSet ?d ;
        sdmx-dimension:refArea ?a . FILTER(CONTAINS(STR(?d), "by-province")) }""")}
    units = {a for a in areas if a.startswith(f"{BASE}code/dvhc-63/")}
    assert len(units) == 63 and areas - units == {f"{BASE}place/dau-khi"}
    alt = {(r["u"].value.rsplit("/", 1)[1], r["l"].value) for r in rows(store, """SELECT ?u ?l WHERE {
        ?u skos:altLabel ?l ; skos:inScheme ?s . FILTER(CONTAINS(STR(?s), "dvhc-63")) }""")}
    assert {("79", "TP. Hồ Chí Minh"), ("77", "Bà Rịa - Vũng Tàu"), ("46", "Thừa Thiên Huế")} <= alt
    (kor,) = rows(store, """SELECT ?l WHERE { <http://publications.europa.eu/resource/authority/country/KOR>
        skos:altLabel ?l }""")
    assert kor["l"].value == "Hàn Quốc"


def test_every_province_partner_and_sector_row_is_imported_or_rejected(reports):
    for rep in reports:
        for t in rep.tables:
            assert t.rows == t.imported + t.rejected, (rep.key, t.sheet, t.kind)
    table = {(rep.key, t.kind): t for rep in reports for t in rep.tables}
    # read by hand: the 2015 province table has 53 named rows (B112:B164), all provinces or "Dầu khí"
    assert (table["2015", "by-province"].rows, table["2015", "by-province"].rejected) == (53, 0)
    # the cumulative province tables list "Dầu khí" and 62 (2015, 2016) or all 63 provinces
    assert [table[rep.key, "cumulative-by-province"].imported for rep in reports] == [63, 63] + [64] * 8


def test_unmatched_partners_are_rejected_with_their_row_never_guessed(reports):
    text = rejects_tsv(reports).decode()
    assert text.splitlines()[0] == "file\tsheet\trow\tcell\twhy"
    assert "FDI.2023.xlsx\tThang 12 2023\t" in text
    assert "'British Isles' is an island group" in text
    assert "'Island of Nevis' is an island of Saint Kitts and Nevis" in text
    # the same partner printed twice in one table: the second row is rejected, naming the first
    assert "'Litva' is the same partner as row 74" in text


def test_import_twice_writes_the_same_bytes_as_shipped(tmp_path, reports):
    result = import_reports([REPORTS[-2]], tmp_path / "a")
    again = import_reports([REPORTS[-2]], tmp_path / "b")
    assert [p.read_bytes() for p in result.written] == [p.read_bytes() for p in again.written]
    assert result.written[0].read_bytes() == (DATA / "fia-2023.ttl").read_bytes()
    assert all((DATA / f"fia-{r.key}.ttl").read_bytes() == turtle(r) for r in reports)
    assert (DATA / "rejects.tsv").read_bytes() == rejects_tsv(reports)


# --------------------------------------------------------------------------- bad input, in small workbooks


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal .xlsx with inline strings, so that the tests need no spreadsheet writer."""
    def cell(r: int, c: int, v: object) -> str:
        ref = f"{chr(ord('A') + c)}{r + 1}"
        if v is None:
            return ""
        if isinstance(v, int | float):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'

    names = list(sheets)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/>' + "".join(
                       f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.'
                       'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(names)))
                   + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><sheets>' + "".join(
                       f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http:'
                   '//schemas.openxmlformats.org/package/2006/relationships">' + "".join(
                       f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
                   + "</Relationships>")
        for i, n in enumerate(names):
            body = "".join(f'<row r="{r + 1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>"
                           for r, row in enumerate(sheets[n]))
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                       '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + body
                       + "</sheetData></worksheet>")
    return path


HEADER = ["TT", "Địa phương", "Số dự án cấp mới", "Vốn đăng ký cấp mới (triệu USD)", "Tổng vốn đăng ký (triệu USD)"]


def small_report(rows_: list[list[object]], header: list[object] = HEADER) -> dict[str, list[list[object]]]:
    """A made-up two-sheet report: a national summary and one province table."""
    return {
        "tong hop": [["BÁO CÁO NHANH ĐẦU TƯ NƯỚC NGOÀI NĂM 2030"], [],
                     ["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2029", "Năm 2030"],
                     [1, "Vốn thực hiện", "triệu USD", 10, 12], ["Ghi chú:"]],
        "bang": [["THU HÚT ĐẦU TƯ NƯỚC NGOÀI NĂM 2030 THEO ĐỊA PHƯƠNG"], ["Tính từ 01/01/2030 đến 20/12/2030"], [],
                 header, *rows_, ["Tổng số", None, 5, 7.5, 7.5]],
    }


def test_a_number_cell_holding_text_is_rejected_with_its_cell_and_the_rest_imported(tmp_path):
    book = write_xlsx(tmp_path / "r.xlsx", small_report([[1, "Hải Phòng", 3, "nhiều", 5.5], [2, "Tỉnh Mới", 2, 2, 2]]))
    result = import_reports([book], tmp_path / "out")
    text = result.rejects_path.read_text(encoding="utf-8")
    assert "r.xlsx\tbang\t5\tD5\tFDI_REG_NEW: 'nhiều' in a number column is not a number" in text
    assert "r.xlsx\tbang\t6\tB6\tunknown province 'Tỉnh Mới'" in text
    ttl = result.written[0].read_text(encoding="utf-8")
    assert "<obs/fia/2030/by-province/hai-phong/FDI_REG>" in ttl
    assert "<obs/fia/2030/by-province/hai-phong/FDI_REG_NEW>" not in ttl


def test_an_unknown_header_stops_the_import_naming_file_and_sheet_and_writes_nothing(tmp_path):
    book = write_xlsx(tmp_path / "h.xlsx", small_report([[1, "Hải Phòng", 3, 2.5, 5.5]],
                                                         header=[*HEADER[:4], "Cột lạ"]))
    out = tmp_path / "out"
    ran = invoke("import", "fia", str(book), "--out", str(out), cwd=tmp_path)
    assert ran.returncode == 2
    err = ran.stderr.decode()
    assert "h.xlsx, sheet 'bang'" in err and "'Cột lạ'" in err and "Traceback" not in err
    assert not out.exists()


def test_a_file_that_is_not_an_fia_report_exits_2_and_writes_nothing(tmp_path):
    not_fia = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [["Bảng chấm công"], ["Tên", "Giờ"], ["An", 8]]})
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"this is not a spreadsheet")
    out = tmp_path / "out"
    for bad in (not_fia, garbage):
        ran = invoke("import", "fia", str(REPORTS[0]), str(bad), "--out", str(out), cwd=tmp_path)
        assert ran.returncode == 2, ran.stderr
        assert bad.name in ran.stderr.decode() and "Traceback" not in ran.stderr.decode()
        assert not out.exists()


def test_the_csvw_import_is_still_hpkg_import_table(tmp_path):
    ran = invoke("import", "no-such.csv", "--metadata", "no-such.json", cwd=tmp_path)
    assert ran.returncode == 2 and "no-such" in ran.stderr.decode()
    ran = invoke("import", "--help", cwd=tmp_path)
    assert ran.returncode == 0 and b"fia" in ran.stdout and b"csv" in ran.stdout


def test_money_is_kept_to_the_cent_without_the_float_noise_of_the_spreadsheet_sums():
    # regression: Hải Phòng's 2023 total (Thang 12 2023!I153, 3262.3127726800003 million USD as the float the
    # spreadsheet's own sum left) was written as 3262312772.6800003
    from decimal import Decimal

    from hpkg.opendata.fia.importer import to_base

    assert to_base(Decimal(repr(3262.3127726800003)), 10**6) == Decimal("3262312772.68")
    assert str(to_base(Decimal("1478.70012444"), 10**6)) == "1478700124.44"
    text = (SHIPPED / "data" / "fia" / "fia-2023.ttl").read_text(encoding="utf-8")
    assert "obsValue 3262312772.68 ;" in text and "3262312772.6800003" not in text
