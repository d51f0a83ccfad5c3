"""The Foreign Investment Agency's quick reports (2015 – first half of 2024) as Data Cube observations.

``import_reports(paths, out_dir)`` reads every report first (a file that is not an FIA report, or a table whose
layout is not recognised, stops everything before anything is written), then writes one Turtle file per report
(``fia-2023.ttl``, ``fia-2024-h1.ttl``) and the reject report (TSV: file, sheet, row, cell, why), each atomically.

Modules, one concern each: :mod:`.sheets` (reading a workbook), :mod:`.tables` (recognising the tables and
their header layouts), :mod:`.names` (provinces, partners, sectors), :mod:`.importer` (rows to observations and
rejects) and :mod:`.rdf` (Turtle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hpkg.fileio import write_atomic
from hpkg.opendata.fia.importer import Reject, Report, read_report
from hpkg.opendata.fia.rdf import turtle
from hpkg.opendata.fia.tables import LayoutError
from hpkg.progress import progress

__all__ = ["ImportResult", "LayoutError", "Report", "import_reports", "read_reports", "rejects_tsv"]

REJECT_COLUMNS = ("file", "sheet", "row", "cell", "why")


@dataclass
class ImportResult:
    reports: list[Report]
    written: list[Path]
    rejects_path: Path | None

    @property
    def rejects(self) -> list[Reject]:
        return [r for rep in self.reports for r in rep.rejects]


def read_reports(paths: Sequence[str | Path]) -> list[Report]:
    """Read every report (raises :class:`LayoutError` / :class:`hpkg.errors.HpkgError` on the first bad file)."""
    reports = [read_report(Path(p)) for p in progress(paths, desc="reading FIA reports", unit="file")]
    keys: dict[str, Path] = {}
    for r in reports:
        if r.key in keys:
            raise LayoutError(f"{r.path} and {keys[r.key]} are both the report for {r.key}")
        keys[r.key] = r.path
    return reports


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def rejects_tsv(reports: Sequence[Report]) -> bytes:
    """The reject report of ``reports``: a header line, then one line per rejected row or cell."""
    lines = ["\t".join(REJECT_COLUMNS)]
    for rep in reports:
        for r in rep.rejects:
            lines.append("\t".join(_clean(v) for v in (r.file, r.sheet, str(r.row), r.cell, r.why)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_reports(paths: Sequence[str | Path], out_dir: str | Path, rejects: str | Path | None = None) -> ImportResult:
    """Read ``paths`` and write ``out_dir/fia-KEY.ttl`` per report and the reject report (default
    ``out_dir/rejects.tsv``); nothing is written when any file cannot be read as an FIA report."""
    reports = read_reports(paths)
    out = Path(out_dir)
    written = [write_atomic(out / f"fia-{r.key}.ttl", turtle(r)) for r in reports]
    rejects_path = write_atomic(Path(rejects) if rejects else out / "rejects.tsv", rejects_tsv(reports))
    return ImportResult(reports, written, rejects_path)
