"""Reading one FIA report into observations and rejects (no RDF here: :mod:`hpkg.opendata.fia.rdf` writes it).

Every row of a province, partner or sector table (and every indicator row of the national summary) is either
turned into observations, one per value cell, or rejected with its file, sheet, row and reason; a number cell
that holds text is rejected with its cell reference and the row's other cells are still imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hpkg.opendata.fia import names
from hpkg.opendata.fia.sheets import Sheet, cell_ref, read_workbook
from hpkg.opendata.fia.tables import (
    IMPORTED_KINDS,
    NATIONAL_ROWS,
    UNIT_OF,
    LayoutError,
    Table,
    find_tables,
    national_number,
)
from hpkg.opendata.normalize import fold_lower

_ISSUED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Area:
    """What a row is about: a pre-2025 unit (``unit``, GSO code), a partner (``partner``, ISO alpha-3), the
    offshore oil and gas area (``oil-gas``) or all of Vietnam (``vietnam``)."""

    kind: str
    key: str
    printed: str = ""


@dataclass(frozen=True)
class Observation:
    table: str
    area: Area
    sector: str | None  # a VSIC section letter, or None for all sectors
    indicator: str
    value: Decimal
    begin: dt.date | None
    end: dt.date
    sheet: str
    cell: str
    text: str  # the cell as the spreadsheet stores it


@dataclass(frozen=True)
class Reject:
    file: str
    sheet: str
    row: int  # 1-based
    cell: str  # "" for a whole row
    why: str


@dataclass
class TableSummary:
    sheet: str
    kind: str
    rows: int = 0  # rows with a name (or a numbered row without one)
    imported: int = 0  # rows that gave at least one observation
    observations: int = 0
    rejected: int = 0  # rows rejected whole (a cell rejected alone is in the report, the row still imported)


@dataclass
class Report:
    """One report read: its key (``2023``, ``2024-h1``), period, issue date, observations and rejects."""

    path: Path
    key: str
    year: int
    half_year: bool
    begin: dt.date
    end: dt.date
    issued: dt.date | None
    publisher_cell: tuple[str, str, str] | None  # (sheet, cell, text) naming the FIA
    observations: list[Observation] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    tables: list[TableSummary] = field(default_factory=list)
    skipped: list[TableSummary] = field(default_factory=list)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


#: Base-unit money values are kept to the cent. The reports state million USD with at most 8 decimals (a cent);
#: further digits are the binary float noise of the spreadsheets' own sums (3262.3127726800003 million USD).
CENT = Decimal("0.01")


def to_base(number: Decimal, factor: int) -> Decimal:
    """A money cell in base units, to the cent: ``Decimal("3262.3127726800003")`` x 10^6 -> ``3262312772.68``."""
    return (number * factor).quantize(CENT)


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _area(kind: str, name: str) -> Area | str:
    """The area of a row of a table of ``kind``, or why it has none."""
    base = kind.removeprefix("cumulative-")
    if base == "by-province":
        code = names.match_province(name)
        if code is None:
            return f"unknown province {name!r}: not a unit of the 63-province list (code/dvhc-63)"
        return Area("oil-gas", names.OIL_AND_GAS, name) if code == names.OIL_AND_GAS else Area("unit", code, name)
    if base == "by-partner":
        why = names.not_a_partner(name)
        if why:
            return f"partner {name!r} is {why}"
        alpha3 = names.match_partner(name)
        if alpha3 is None:
            return f"unknown partner {name!r}: no ISO 3166-1 country or territory has this name"
        return Area("partner", alpha3, name)
    return Area("vietnam", "VNM", "")


def _read_table(path: Path, table: Table, report: Report, summary: TableSummary) -> None:
    sheet = table.sheet
    seen: dict[tuple[str, str | None], int] = {}
    base = table.kind.removeprefix("cumulative-")
    for r in range(table.first_row, table.last_row):
        name = sheet.text(r, table.name_col)
        values = [(c, sheet.cell(r, c.index)) for c in table.columns]
        if not name:
            if any(v is not None for _, v in values) and _number(sheet.cell(r, 0)) is not None:
                summary.rows += 1
                summary.rejected += 1
                report.rejects.append(Reject(path.name, sheet.name, r + 1, "", "a numbered row with no name"))
            continue
        summary.rows += 1
        sector: str | None = None
        if base == "by-sector":
            sector = names.match_sector(name)
            if sector is None:
                summary.rejected += 1
                report.rejects.append(Reject(path.name, sheet.name, r + 1, cell_ref(r, table.name_col),
                                             f"unknown sector {name!r}: not a VSIC 2018 section name"))
                continue
        area = _area(table.kind, name)
        if isinstance(area, str):
            summary.rejected += 1
            report.rejects.append(Reject(path.name, sheet.name, r + 1, cell_ref(r, table.name_col), area))
            continue
        key = (area.key, sector)
        if key in seen:
            summary.rejected += 1
            report.rejects.append(Reject(path.name, sheet.name, r + 1, cell_ref(r, table.name_col),
                                         f"{name!r} is the same {base.removeprefix('by-')} as row {seen[key]}"))
            continue
        seen[key] = r + 1
        wrote = 0
        for col, raw in values:
            if raw is None:
                continue
            ref = cell_ref(r, col.index)
            number = _number(raw)
            if number is None:
                report.rejects.append(Reject(path.name, sheet.name, r + 1, ref,
                                             f"{col.indicator}: {raw!r} in a number column is not a number"))
                continue
            report.observations.append(Observation(
                table.kind, area, sector, col.indicator, to_base(number, col.factor) if UNIT_OF[col.indicator] == "usd"
                else number, table.begin, table.end, sheet.name, ref, _cell_text(raw)))
            wrote += 1
        summary.observations += wrote
        if wrote:
            summary.imported += 1
            continue
        summary.rejected += 1  # its text cells are in the report already; a row with no value at all is added
        if not any(raw is not None for _, raw in values):
            report.rejects.append(Reject(path.name, sheet.name, r + 1, "", f"{name!r}: no value in any column"))


def _read_national(path: Path, table: Table, report: Report, summary: TableSummary) -> None:
    sheet = table.sheet
    col = table.columns[0]
    unstarred_begin = dt.date(report.year, 1, 1)
    unstarred_end = dt.date(report.year, 6, 30) if report.half_year else dt.date(report.year, 12, 31)
    for r in range(table.first_row, table.last_row):
        number_text = national_number(sheet.cell(r, 0))
        label = sheet.text(r, 1)
        raw = sheet.cell(r, col.index)
        if not number_text or raw is None:
            continue  # a section heading ("Số dự án*", "Xuất khẩu") or a blank row
        summary.rows += 1
        row = NATIONAL_ROWS.get(number_text)
        if row is None or row[1] not in fold_lower(label):
            summary.rejected += 1
            why = (f"row {number_text} {label!r}: no indicator of the graph for it" if row is None
                   else f"row {number_text} is {label!r}, not the expected {row[0]}")
            report.rejects.append(Reject(path.name, sheet.name, r + 1, cell_ref(r, 1), why))
            continue
        indicator = row[0]
        number = _number(raw)
        ref = cell_ref(r, col.index)
        if number is None:
            summary.rejected += 1
            report.rejects.append(Reject(path.name, sheet.name, r + 1, ref,
                                         f"{indicator}: {raw!r} in a number column is not a number"))
            continue
        # figures marked * are "from 1/1 to the 20th of the reporting month" (the flow tables' period);
        # disbursement, exports and imports are the year's (or the half-year's) as the column header names it
        starred = indicator not in ("FDI_DISB", "FDI_EXPORTS", "FDI_IMPORTS")
        begin, end = (report.begin, report.end) if starred else (unstarred_begin, unstarred_end)
        value = to_base(number, col.factor) if UNIT_OF[indicator] == "usd" else number
        report.observations.append(Observation("national", Area("vietnam", "VNM"), None, indicator, value, begin, end,
                                               sheet.name, ref, _cell_text(raw)))
        summary.observations += 1
        summary.imported += 1


def _issued_and_publisher(sheets: list[Sheet]) -> tuple[dt.date | None, tuple[str, str, str] | None]:
    issued = None
    publisher = None
    for sheet in sheets:
        for r in range(min(len(sheet.rows), 8)):
            for c in range(min(len(sheet.rows[r]), 8)):
                text = sheet.text(r, c)
                m = _ISSUED.search(text) if text else None
                if m and issued is None:
                    issued = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                if text and fold_lower(text) == "cuc dau tu nuoc ngoai" and publisher is None and text.isupper():
                    publisher = (sheet.name, cell_ref(r, c), text)
        if issued:
            break
    return issued, publisher


def read_report(path: Path) -> Report:
    """Read one FIA quick report (a :class:`LayoutError` when it is not one, naming the file and sheet)."""
    sheets = read_workbook(path)
    tables = find_tables(sheets, str(path))
    flows = [t for t in tables if t.kind in ("by-sector", "by-partner", "by-province")]
    national = [t for t in tables if t.kind == "national"]
    if not flows or not national:
        raise LayoutError(f"{path}: not an FIA quick report: no national summary and flow tables found in sheets "
                          f"{', '.join(repr(s.name) for s in sheets)}")
    periods = {(t.begin, t.end) for t in flows}
    if len(periods) != 1:
        raise LayoutError(f"{path}, sheet {flows[0].sheet.name!r}: the flow tables state different periods")
    begin, end = periods.pop()
    assert begin is not None
    half = end.month <= 6
    issued, publisher = _issued_and_publisher(sheets)
    report = Report(path, f"{end.year}-h1" if half else str(end.year), end.year, half, begin, end, issued, publisher)
    for t in tables:
        summary = TableSummary(t.sheet.name, t.kind)
        if t.kind not in IMPORTED_KINDS:
            report.skipped.append(summary)
            continue
        report.tables.append(summary)
        if t.kind == "national":
            _read_national(path, t, report, summary)
        else:
            _read_table(path, t, report, summary)
    kinds = Counter(t.kind for t in report.tables)
    doubled = [k for k, n in kinds.items() if n > 1]
    if doubled:
        raise LayoutError(f"{path}: more than one table of kind {', '.join(doubled)}")
    return report
