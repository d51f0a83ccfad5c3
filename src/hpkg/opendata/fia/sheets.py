"""Reading an FIA workbook: every sheet as a grid of cached cell values, with A1 cell references.

python-calamine reads both the old binary ``.xls`` (where xlrd fails on ``FDI.2015.xls``) and ``.xlsx``, and
returns a formula cell's cached value, which is what the report shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from hpkg.errors import HpkgError

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name and its rows (row 1 of the spreadsheet is ``rows[0]``)."""

    name: str
    rows: list[list[Cell]]

    def cell(self, row: int, col: int) -> Cell:
        """The value at 0-based ``row``/``col`` (``None`` outside the grid or for an empty cell)."""
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            value = self.rows[row][col]
            return None if value == "" else value
        return None

    def text(self, row: int, col: int) -> str:
        """The cell as stripped text (``""`` for an empty or non-text cell)."""
        value = self.cell(row, col)
        return value.strip() if isinstance(value, str) else ""


def column_letter(col: int) -> str:
    """``0`` -> ``A``, ``25`` -> ``Z``, ``26`` -> ``AA``."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def cell_ref(row: int, col: int) -> str:
    """The A1 reference of 0-based ``row``/``col``: ``(152, 8)`` -> ``I153``."""
    return f"{column_letter(col)}{row + 1}"


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of the workbook at ``path``; an unreadable file is an :class:`HpkgError` naming it."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in wb.sheet_names:
            grid: list[list[Cell]] = [list(row) for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            sheets.append(Sheet(name, grid))
        return sheets
    except FileNotFoundError:
        raise HpkgError(f"{path}: no such file") from None
    except Exception as e:  # calamine raises its own error types for every kind of unreadable file
        raise HpkgError(f"{path}: not a spreadsheet calamine can read ({type(e).__name__}: {e})") from None
