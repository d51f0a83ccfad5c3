"""Recognising the tables of an FIA quick report by their titles, and mapping each year's header layout.

A report's workbook holds (sheet names vary by year):

* the national summary (*Phụ lục I*, title "BÁO CÁO NHANH …"): one row per indicator, the report's year in
  the column whose header names it ("Năm 2023", "12 tháng năm 2015", "06 tháng năm 2024");
* the period's flows (*Phụ lục II*) and the cumulative stock (*Phụ lục III*), each a series of tables titled
  "… THEO NGÀNH" (by sector), "… THEO ĐỐI TÁC" (by partner), "… THEO ĐỊA PHƯƠNG" (by province), "… THEO
  VÙNG" (by region) and "… THEO HÌNH THỨC …" (by form of investment), each followed by its period line
  ("Tính từ 01/01/2023 đến 20/12/2023" or "(Lũy kế các dự án còn hiệu lực đến ngày 20/12/2023)").

Tables are told apart by their titles, never by the name column's header (2016 heads its province table
"Nước đăng ký"). The region and form tables are recognised and skipped: the region tables repeat province
names under region headings and must not be read as the province table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from hpkg.errors import HpkgError
from hpkg.opendata.fia.sheets import Sheet
from hpkg.opendata.normalize import fold_lower

#: Table kinds that are imported; the others are recognised only to be skipped.
IMPORTED_KINDS = ("national", "by-sector", "by-partner", "by-province",
                  "cumulative-by-sector", "cumulative-by-partner", "cumulative-by-province")
#: What a title's "THEO …" names.
_TITLE_KINDS = (("theo nganh", "by-sector"), ("theo doi tac", "by-partner"), ("theo dia phuong", "by-province"),
                ("theo vung", "by-region"), ("theo hinh thuc", "by-form"))
_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")

#: Base units per indicator: "usd" (amounts, stated in million USD or USD) or "count".
UNIT_OF = {
    "FDI_REG_NEW": "usd", "FDI_REG_ADJ": "usd", "FDI_CONTRIB": "usd", "FDI_REG": "usd", "FDI_DISB": "usd",
    "FDI_CUM": "usd", "FDI_EXPORTS": "usd", "FDI_IMPORTS": "usd",
    "PROJ_NEW": "count", "PROJ_ADJ": "count", "CONTRIB_COUNT": "count", "FDI_PROJ_CUM": "count",
}


class LayoutError(HpkgError):
    """A workbook or table whose layout is not that of an FIA report (exit 2, nothing written)."""


@dataclass(frozen=True)
class Column:
    """A value column: the indicator it holds and the factor to base units (1e6 for million USD)."""

    index: int
    indicator: str
    factor: int
    header: str


@dataclass
class Table:
    """One recognised table of a sheet."""

    sheet: Sheet
    kind: str
    title: str
    title_row: int
    period_text: str
    begin: dt.date | None
    end: dt.date
    name_col: int = 1
    header_row: int = 0
    first_row: int = 0
    last_row: int = 0  # exclusive
    columns: list[Column] = field(default_factory=list)


def _dates(text: str) -> list[dt.date]:
    out = []
    for d, m, y in _DATE.findall(text):
        try:
            out.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            raise LayoutError(f"not a date: {d}/{m}/{y} in {text!r}") from None
    return out


def _title_kind(text: str) -> str | None:
    key = fold_lower(text)
    if len(key) < 20 or not any(w in key for w in ("dau tu", "fdi")):
        return None
    for words, kind in _TITLE_KINDS:
        if words in key:
            return kind
    return None


def _is_total(sheet: Sheet, row: int) -> bool:
    return fold_lower(sheet.text(row, 0)).startswith("tong")


def _header_text(sheet: Sheet, rows: list[int], col: int) -> str:
    return " ".join(sheet.text(r, col) for r in rows if sheet.text(r, col))


def _column_indicator(header: str, cumulative: bool) -> tuple[str, int, bool] | None:
    """(indicator, factor, unit stated) for a value column's header; None for a column to ignore."""
    key = fold_lower(header)
    if not key:
        return None
    if "cung ky" in key or re.fullmatch(r"\d+t \d{4}", key) or key in ("tt", "stt"):
        return None  # the same period of the previous year, and the ratio to it
    million = "trieu usd" in key
    usd = million or bool(re.search(r"\busd\b", key))
    factor = 1_000_000 if million or not usd else 1
    if cumulative:
        if key.startswith("so du an"):
            return "FDI_PROJ_CUM", 1, True
        if "von dau tu dang ky" in key:
            return "FDI_CUM", factor, usd
        return "?", 0, False
    if key.startswith("tong von") or "cap moi va tang them" in key:
        return "FDI_REG", factor, usd
    if "so luot gop von" in key:
        return "CONTRIB_COUNT", 1, True
    if "gia tri gop von" in key or "von gop" in key:
        return "FDI_CONTRIB", factor, usd
    if "so du an cap moi" in key:
        return "PROJ_NEW", 1, True
    if "so luot du an" in key and ("tang von" in key or "dieu chinh" in key):
        return "PROJ_ADJ", 1, True
    if "von dang ky tang them" in key or "von dang ky dieu chinh" in key:
        return "FDI_REG_ADJ", factor, usd
    if "von dang ky cap moi" in key:
        return "FDI_REG_NEW", factor, usd
    return "?", 0, False


def _map_columns(sheet: Sheet, table: Table, header_rows: list[int], where: str) -> None:
    width = max(len(sheet.rows[r]) for r in header_rows)
    found: dict[str, list[tuple[Column, bool]]] = {}
    for col in range(table.name_col + 1, width):
        header = _header_text(sheet, header_rows, col)
        if not header:
            continue
        mapped = _column_indicator(header, table.kind.startswith("cumulative"))
        if mapped is None:
            continue
        indicator, factor, stated = mapped
        if indicator == "?":
            raise LayoutError(f"{where}: table {table.title!r}: column {col + 1} headed {header!r} is not a "
                              "column of a known FIA layout")
        found.setdefault(indicator, []).append((Column(col, indicator, factor, header), stated))
    for indicator, cands in found.items():
        # 2015-2019 give new and added capital twice, in USD and in million USD: the million-USD column is the
        # one the report's totals are computed from. A column with no unit is in million USD, the report's unit.
        def rank(item: tuple[Column, bool]) -> int:
            col, stated = item
            return 0 if (stated and col.factor == 1_000_000) else 1 if not stated else 2
        best = min(rank(c) for c in cands)
        chosen = [c for c in cands if rank(c) == best]
        if len(chosen) > 1:
            raise LayoutError(f"{where}: table {table.title!r}: {len(chosen)} columns for {indicator} "
                              f"({', '.join(c.header for c, _ in chosen)})")
        table.columns.append(chosen[0][0])
    table.columns.sort(key=lambda c: c.index)
    if not table.columns:
        raise LayoutError(f"{where}: table {table.title!r}: no value column recognised")


def find_tables(sheets: list[Sheet], source: str) -> list[Table]:
    """Every FIA table of the workbook, in sheet order (a :class:`LayoutError` for an unknown layout)."""
    tables: list[Table] = []
    for sheet in sheets:
        titles: list[tuple[int, str, str]] = []
        for r in range(len(sheet.rows)):
            for c in range(3):
                text = sheet.text(r, c)
                kind = _title_kind(text) if text else None
                if kind:
                    titles.append((r, text, kind))
                    break
                if text and fold_lower(text).startswith("bao cao nhanh"):
                    titles.append((r, text, "national"))
                    break
        for i, (r, title, kind) in enumerate(titles):
            where = f"{source}, sheet {sheet.name!r}"
            stop = titles[i + 1][0] if i + 1 < len(titles) else len(sheet.rows)
            tables.append(_national(sheet, r, title, stop, where) if kind == "national"
                          else _flow_or_stock(sheet, r, title, kind, stop, where))
    return tables


def _flow_or_stock(sheet: Sheet, r: int, title: str, kind: str, stop: int, where: str) -> Table:
    period_text = ""
    for rr in range(r + 1, min(r + 4, stop)):
        text = next((sheet.text(rr, c) for c in range(3) if sheet.text(rr, c)), "")
        if _dates(text):
            period_text = text
            break
    if not period_text:
        raise LayoutError(f"{where}: table {title!r} (row {r + 1}) states no period")
    dates = _dates(period_text)
    cumulative = "luy ke" in fold_lower(period_text)
    if cumulative and len(dates) == 1:
        begin, end = None, dates[0]
    elif not cumulative and len(dates) == 2:
        begin, end = dates
    else:
        raise LayoutError(f"{where}: table {title!r}: period {period_text!r} is neither 'từ … đến …' nor 'lũy kế "
                          "đến …'")
    table = Table(sheet, ("cumulative-" if cumulative else "") + kind, title, r, period_text, begin, end)
    header = next((rr for rr in range(r + 1, min(r + 8, stop)) if fold_lower(sheet.text(rr, 0)) in ("tt", "stt")),
                  None)
    if header is None:
        raise LayoutError(f"{where}: table {title!r} (row {r + 1}) has no header row ('TT' / 'STT')")
    header_rows = [header]
    nxt = header + 1
    if not sheet.text(nxt, 0) and sheet.cell(nxt, 0) is None and sum(
            1 for c in range(2, len(sheet.rows[nxt]) if nxt < len(sheet.rows) else 0) if sheet.text(nxt, c)) >= 2:
        header_rows.append(nxt)  # 2016: a group header ("Cấp mới", "Tăng vốn" …) over the column headers
    table.header_row = header
    table.first_row = header_rows[-1] + 1
    if kind in ("by-sector", "by-partner", "by-province"):
        _map_columns(sheet, table, header_rows, where)
    last = table.first_row
    while last < stop and not _is_total(sheet, last):
        last += 1
    table.last_row = last
    return table


#: The national summary's rows by their number (TT), with a word their label must contain.
NATIONAL_ROWS = {
    "1": ("FDI_DISB", "von thuc hien"),
    "2": ("FDI_REG", "von dang ky"),
    "2.1": ("FDI_REG_NEW", "cap moi"),
    "2.2": ("FDI_REG_ADJ", ""),
    "2.3": ("FDI_CONTRIB", "gop von"),
    "3.1": ("PROJ_NEW", "cap moi"),
    "3.2": ("PROJ_ADJ", ""),
    "3.3": ("CONTRIB_COUNT", "gop von"),
    "4.1": ("FDI_EXPORTS", "ke ca dau tho"),
    "5": ("FDI_IMPORTS", "nhap khau"),
}


def national_number(value: object) -> str:
    """A row number of the national summary as text: ``1.0`` -> ``1``, ``'2.1.'`` -> ``2.1``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().rstrip(".") if value is not None else ""


def _national(sheet: Sheet, r: int, title: str, stop: int, where: str) -> Table:
    header = next((rr for rr in range(r + 1, min(r + 8, stop)) if fold_lower(sheet.text(rr, 0)) == "tt"), None)
    if header is None:
        raise LayoutError(f"{where}: national summary {title!r} has no header row ('TT')")
    m = re.search(r"\b(20\d\d)\b", title)
    if not m:
        raise LayoutError(f"{where}: national summary {title!r} names no year")
    year = m.group(1)
    value_col = next((c for c in range(3, len(sheet.rows[header])) if year in sheet.text(header, c)), None)
    if value_col is None:
        raise LayoutError(f"{where}: national summary: no column headed with the report's year {year}")
    table = Table(sheet, "national", title, r, sheet.text(header, value_col), None, dt.date(int(year), 12, 31))
    table.header_row = header
    table.first_row = header + 1
    last = table.first_row
    while last < stop and fold_lower(sheet.text(last, 0)) not in ("ghi chu", "ghi chu:"):
        last += 1
    table.last_row = last
    table.columns = [Column(value_col, "", 1_000_000, sheet.text(header, value_col))]
    return table
