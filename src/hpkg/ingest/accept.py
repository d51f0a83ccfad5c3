"""``hpkg ingest accept REVIEW.tsv``: the reviewed rows of a sheet become evidenced facts in the project's ``data/``.

The sheet is the one ``hpkg ingest --format tsv`` writes (:data:`SHEET_COLUMNS`, :func:`sheet_rows`): the reviewer marks
each row ``accept`` or ``reject`` in the ``decision`` column and may edit ``value``, ``unit``, ``indicator``,
``period``, ``area_iri``, ``qualifier`` and ``relation``/``relation_of``. A row left blank is not accepted. Per
document of the sheet :func:`accept_sheet` returns one Turtle file holding

* the report as a ``hpkg:SourceDocument`` (title, ``dcterms:issued``, publisher, ``schema:url``, language,
  ``spdx:checksum`` of the stored text, ``dcterms:identifier`` the stored file's name in the project's
  ``sources/``);
* per accepted figure an ``hpkg:EvidenceQuote`` (also an ``oa:Annotation``) with its sentence (``prov:value``,
  paragraph and sentence number) and ``oa:hasTarget`` a ``oa:SpecificResource`` of the document selected by an
  ``oa:TextQuoteSelector`` (``oa:exact``/``oa:prefix``/``oa:suffix``) and an ``oa:TextPositionSelector``
  (``oa:start``/``oa:end``, Unicode code points into the stored text);
* a ``qb:DataSet`` of the report and one ``qb:Observation`` per (indicator, area, period): the same figure
  stated twice (a headline and its paragraph) is one observation with two evidence quotes; a plan attainment
  ("bằng 242% kế hoạch") is its ``hpkg:percentOfTarget`` with ``hpkg:comparedToTarget`` the plan's target (one
  accepted from the same report, else the graph's, else a new target without a value); a change ("tăng 13,5%")
  its ``hpkg:changeOnPreviousPeriod``; a ratio to the previous period ("gấp 2,3 lần", "bằng 56% so với cùng kỳ")
  becomes the equivalent change ((r − 1)·100, p − 100);
* figures of a plan clause (the sheet's ``plan`` column) as ``hpkg:Target`` (a range: ``hpkg:minValue`` and
  ``hpkg:maxValue``), and the OWL-Time intervals of periods the graph does not have yet;
* figures that are not observations (the sheet's ``fact`` column): counts of promotion events as
  ``hpkg:InvestmentPromotionProgramme`` (``activity-count``), a project's total as its ``hpkg:registeredCapital``
  (``investment-total``; for a known project with the same amount, one more source of it);
* new organisations, zones (``hpkg:IndustrialPark``/``hpkg:EconomicZone``) and projects.

The sheet marks ``reject`` up front, with the reason in ``note``, the rows that cannot be accepted as they stand
(:func:`sheet_rows`). Accepting the same text again (same sha256) replaces the earlier accept's files
(:attr:`Accepted.replaces`).

Checks, all before anything is written (:class:`hpkg.errors.HpkgError`, exit 2, naming ``sheet:row``): a decision
other than accept/reject, a value that does not parse, an unknown indicator, unit, qualifier or period, an accepted
figure without indicator, area or period, a quote that is not the text at its offsets (the text changed since the
sheet was made), a relation whose figure is not accepted, two accepted rows giving different values for one
observation. Then the new triples, with the project's whole graph, must pass the shapes (compiled engine).
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.ingest.lexicon import _PREFIX_DECL, Lexicon, area_keys, load_lexicon
from hpkg.ingest.sentences import sentence_at, split_sentences
from hpkg.iri import base_iri, graph_iri, slugify
from hpkg.namespaces import PREFIXES
from hpkg.project import Project
from hpkg.store.base import Store, bound

if TYPE_CHECKING:
    from hpkg.ingest.extract import Document, Fact
    from hpkg.shacl import ValidationReport

#: The columns ``accept`` needs; the others of the sheet are shown to the reviewer only.
REQUIRED_COLUMNS = ("decision", "path", "start", "end", "quote", "value", "unit", "indicator", "period", "area_iri",
                    "qualifier", "relation", "relation_of")
DECISIONS = ("accept", "reject", "")
QUALIFIERS = ("exact", "estimate", "approximate", "lower-bound", "upper-bound")
RELATIONS = ("percent-of-plan", "change-on-previous-period", "ratio-to-previous-period", "share-of")
#: The columns of the review sheet ``hpkg ingest --format tsv`` writes (and the ``/ingest`` page builds).
SHEET_COLUMNS = ("decision", "path", "start", "end", "quote", "value", "unit", "indicator", "period", "area",
                 "area_iri", "qualifier", "relation", "relation_of", "confidence", "status", "graph_value", "sentence",
                 # what accept needs besides: a plan figure (a target), the year of a to-date figure, the metadata
                 "plan", "to_date_year", "sha256", "language", "title", "published", "publisher", "source_url",
                 # entity rows (kind organisation / zone / project; "figure" for the rows above): the linked IRI
                 # (editable), and a project's investor and zone (start offsets of their rows), figures (start
                 # offsets, space-separated), sector and investor's country (IRIs)
                 "kind", "iri", "investor", "zone", "facts", "sector", "country",
                 # what a figure is a fact of (observation, activity-count, investment-total), an investment
                 # total's project (start offset of its row), an activity count's participant (IRI) and the
                 # programme it is part of (start offset), and what the reviewer should know (a year taken from
                 # the document; why a row is marked reject up front)
                 "fact", "project", "participant", "part_of", "note")
FACT_KINDS = ("observation", "activity-count", "investment-total")
#: The entity kinds that get a row of their own in the sheet.
SHEET_ENTITY_KINDS = ("organisation", "zone", "project")
#: Characters of context kept in ``oa:prefix`` / ``oa:suffix``.
CONTEXT = 32
#: The prefixes of the written Turtle: the project's and the two vocabularies of the evidence.
OA = PREFIXES["oa"]
SPDX = PREFIXES["spdx"]
_QUALIFIER_CODE = {"exact": "exact", "estimate": "estimate", "approximate": "approximate",
                   "lower-bound": "lower-bound", "upper-bound": "upper-bound"}
_PERIOD = re.compile(r"^(?:(?P<y>\d{4})|(?P<ym>\d{4})-(?P<m>0[1-9]|1[0-2])|(?P<yh>\d{4})-H(?P<h>[12])|"
                     r"(?P<yq>\d{4})-Q(?P<q>[1-4])|(?P<a>\d{4})-(?P<am>0[1-9]|1[0-2])\.\.(?P<b>\d{4})-(?P<bm>0[1-9]|1[0-2])|"
                     r"(?P<ya>\d{4})\.\.(?P<yb>\d{4})|(?P<todate>to-date))$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Interval:
    """A period of the sheet as an OWL-Time interval: identifier (``2023-01-2023-07``), first and last day."""

    identifier: str
    begin: str
    end: str


def period_interval(period: str) -> Interval | None:
    """The interval of a period written as the ingest contract writes it, ``None`` for ``to-date`` or garbage."""
    m = _PERIOD.match(period)
    if m is None or m["todate"]:
        return None

    def last(y: str, mo: int) -> str:
        return f"{y}-{mo:02d}-{calendar.monthrange(int(y), mo)[1]:02d}"

    if m["y"]:
        return Interval(m["y"], f"{m['y']}-01-01", f"{m['y']}-12-31")
    if m["ym"]:
        return Interval(period, f"{m['ym']}-{m['m']}-01", last(m["ym"], int(m["m"])))
    if m["yh"]:
        first = 1 if m["h"] == "1" else 7
        return Interval(period, f"{m['yh']}-{first:02d}-01", last(m["yh"], first + 5))
    if m["yq"]:
        first = 3 * int(m["q"]) - 2
        return Interval(period, f"{m['yq']}-{first:02d}-01", last(m["yq"], first + 2))
    if m["a"]:
        return Interval(period.replace("..", "-"), f"{m['a']}-{m['am']}-01", last(m["b"], int(m["bm"])))
    return Interval(f"{m['ya']}-{m['yb']}", f"{m['ya']}-01-01", f"{m['yb']}-12-31")


@dataclass
class Row:
    """One row of the review sheet, as the reviewer left it."""

    line: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "").strip()


@dataclass
class Figure:
    """An accepted row, checked: offsets, value in base units, and what it says."""

    row: Row
    start: int
    end: int
    quote: str
    value: Decimal
    unit: str
    indicator: str
    interval: Interval  # the period (to-date resolved to its year)
    area: str
    qualifier: str
    relation: str | None
    relation_of: int | None
    plan: bool


@dataclass
class Observation:
    """One observation being written: its dimensions, value and the figures stating it."""

    key: tuple[str, str, str]
    figure: Figure
    evidence: list[Figure] = field(default_factory=list)
    percent_of_target: Figure | None = None
    change: tuple[Decimal, Figure] | None = None


@dataclass
class Accepted:
    """What :func:`accept_sheet` made for one document: where its files go and their content."""

    document: str  # the report's path as the sheet gives it
    name: str  # the stored text's file name stem, also the data file's
    data_path: Path
    text_path: Path
    turtle: bytes
    text: bytes
    observations: int
    targets: int
    rejected: int
    undecided: int
    #: the new organisations and projects written (IRIs)
    organisations: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    #: the new triples (for the data graph), as written in :attr:`turtle`
    triples: list[ox.Triple] = field(default_factory=list)
    #: the files of an earlier accept of the same report (same sha256) that this one replaces: the caller
    #: removes those that are not overwritten
    replaces: list[Path] = field(default_factory=list)
    activities: int = 0
    zones: list[str] = field(default_factory=list)


def read_sheet(path: str | Path) -> list[Row]:
    """The rows of a review sheet; :class:`HpkgError` for a missing file or column."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise HpkgError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise HpkgError(f"{path}: not UTF-8 text (byte {e.start}); give the TSV sheet hpkg ingest --format tsv wrote") \
            from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise HpkgError(f"{path}: empty; give the TSV sheet hpkg ingest --format tsv wrote")
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise HpkgError(f"{path}:1: not a review sheet: the column(s) {', '.join(missing)} are missing "
                        "(make the sheet with hpkg ingest FILE --format tsv)")
    rows: list[Row] = []
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(Row(n, dict(zip(header, cells, strict=False))))
    return rows


def parse_value(cell: str, unit: str) -> Decimal:
    """A value cell: a number in base units ("4350000000", "13.5"), or a figure as written ("4,35 tỷ USD")."""
    s = cell.strip().replace("_", "").replace(" ", "")
    if _PLAIN_NUMBER.match(s):
        d = Decimal(s)
        if d.is_finite():
            return d
    from hpkg.ingest.numbers import parse_quantity

    q = parse_quantity(cell.strip())
    if q is not None and q.start == 0 and q.end == len(cell.strip()) and q.high is None and q.unit == unit:
        return Decimal(str(q.value))
    raise ValueError(cell)


def _int(row: Row, sheet: str, key: str) -> int:
    try:
        v = int(row.get(key))
    except ValueError:
        raise HpkgError(f"{sheet}:{row.line}: {key} {row.get(key)!r} is not a character offset") from None
    if v < 0:
        raise HpkgError(f"{sheet}:{row.line}: {key} {v} is negative")
    return v


def check_row(row: Row, sheet: str, text: str, notations: set[str], units: set[str],
              new_zones: dict[str, str] | None = None) -> Figure:
    """An accepted row as a :class:`Figure`, or :class:`HpkgError` naming ``sheet:row`` and what is wrong.

    ``new_zones`` maps the quote of an accepted new zone row to the IRI it gets: a figure whose ``area`` is that
    zone and whose ``area_iri`` is empty is filed under it."""
    where = f"{sheet}:{row.line}"
    start, end, quote = _quoted(row, sheet, text)
    relation = row.get("relation") or None
    if relation is not None and relation not in RELATIONS:
        raise HpkgError(f"{where}: unknown relation {relation!r}; one of {', '.join(RELATIONS)} or empty")
    unit = row.get("unit")
    if unit not in units and not (unit == "ratio" and relation == "ratio-to-previous-period"):
        raise HpkgError(f"{where}: unknown unit {unit!r}; one of {', '.join(sorted(units))}")
    try:
        value = parse_value(row.get("value"), unit)
    except ValueError:
        raise HpkgError(f"{where}: the value {row.get('value')!r} does not parse: give a number in base units "
                        f"(4350000000) or the figure as written (4,35 tỷ USD) in {unit}") from None
    indicator = row.get("indicator")
    if not indicator:
        raise HpkgError(f"{where}: accepted without an indicator: write the skos:notation of a CL_INDICATOR "
                        f"concept in the indicator column, or reject the row")
    if indicator not in notations:
        raise HpkgError(f"{where}: unknown indicator {indicator!r}; known: {', '.join(sorted(notations))}")
    qualifier = _qualifier_of(row, where)
    interval = _period_of(row, where)
    area = row.get("area_iri") or (new_zones or {}).get(row.get("area"), "")
    if not area:
        raise HpkgError(f"{where}: accepted without an area: write the IRI of a zone or place in area_iri, "
                        "or reject the row")
    rel_of: int | None = None
    if row.get("relation_of"):
        rel_of = _int(row, sheet, "relation_of")
    plan = row.get("plan").lower() in ("yes", "true", "1", "plan")
    return Figure(row, start, end, quote, value, unit, indicator, interval, area, qualifier, relation, rel_of, plan)


@dataclass
class Activity:
    """An accepted count of investment-promotion events: an ``hpkg:InvestmentPromotionProgramme``."""

    row: Row
    start: int
    end: int
    quote: str
    count: int
    interval: Interval
    participant: str | None
    part_of: int | None


@dataclass
class Total:
    """An accepted investment total of a project row: the project's ``schema:MonetaryAmount``."""

    row: Row
    start: int
    end: int
    quote: str
    value: Decimal
    unit: str
    qualifier: str
    project: Row


def _quoted(row: Row, sheet: str, text: str) -> tuple[int, int, str]:
    start, end = _int(row, sheet, "start"), _int(row, sheet, "end")
    quote = row.cells.get("quote", "")
    if end > len(text) or text[start:end] != quote:
        found = text[start:end] if end <= len(text) else "(past the end of the text)"
        raise HpkgError(f"{sheet}:{row.line}: the quote {quote!r} is not the text at {start}..{end} ({found!r}): the "
                        "report changed since the sheet was made; make the sheet again (hpkg ingest FILE --format tsv)")
    return start, end, quote


def _qualifier_of(row: Row, where: str) -> str:
    qualifier = row.get("qualifier") or "exact"
    if qualifier not in QUALIFIERS:
        raise HpkgError(f"{where}: unknown qualifier {qualifier!r}; one of {', '.join(QUALIFIERS)}")
    return qualifier


def _period_of(row: Row, where: str) -> Interval:
    period = row.get("period")
    if period == "to-date":
        period = row.get("to_date_year")
    interval = period_interval(period) if period else None
    if interval is None:
        raise HpkgError(f"{where}: the period {row.get('period')!r} is not one of YYYY, YYYY-MM, YYYY-H1, YYYY-Q1, "
                        "YYYY-MM..YYYY-MM, YYYY..YYYY (a to-date figure needs its year in to_date_year)")
    return interval


def check_activity_row(row: Row, sheet: str, text: str) -> Activity:
    """An accepted ``activity-count`` row, or :class:`HpkgError` naming ``sheet:row``."""
    where = f"{sheet}:{row.line}"
    start, end, quote = _quoted(row, sheet, text)
    try:
        value = parse_value(row.get("value"), "count")
    except ValueError:
        value = Decimal(-1)
    if value < 0 or value != value.to_integral_value():
        raise HpkgError(f"{where}: the number of events {row.get('value')!r} is not a whole number")
    participant = row.get("participant") or None
    if participant is not None and not _IRI.match(participant):
        raise HpkgError(f"{where}: participant {participant!r} is not an absolute http(s) IRI (an organisation)")
    part_of = _int(row, sheet, "part_of") if row.get("part_of") else None
    return Activity(row, start, end, quote, int(value), _period_of(row, where), participant, part_of)


def check_total_row(row: Row, sheet: str, text: str, rows: list[Row]) -> Total:
    """An accepted ``investment-total`` row (its project row must be accepted), or :class:`HpkgError`."""
    where = f"{sheet}:{row.line}"
    start, end, quote = _quoted(row, sheet, text)
    unit = row.get("unit")
    if unit not in ("USD", "VND"):
        raise HpkgError(f"{where}: an investment total is in USD or VND, not {unit!r}")
    try:
        value = parse_value(row.get("value"), unit)
    except ValueError:
        raise HpkgError(f"{where}: the value {row.get('value')!r} does not parse: give a number in base units "
                        f"or the figure as written in {unit}") from None
    qualifier = _qualifier_of(row, where)
    project = next((r for r in rows if r.get("kind") == "project" and r.get("start") == row.get("project")), None)
    if project is None:
        raise HpkgError(f"{where}: an investment total needs its project: the project column {row.get('project')!r} "
                        "names no project row of the sheet; set fact to observation (with an indicator) or reject it")
    if project.get("decision").lower() != "accept":
        raise HpkgError(f"{where}: the total's project (row {project.line}) is not accepted: accept it or reject "
                        "this row")
    return Total(row, start, end, quote, value, unit, qualifier, project)


@dataclass
class EntityRow:
    """An accepted organisation, zone or project row, checked."""

    row: Row
    kind: str
    start: int
    end: int
    quote: str
    iri: str | None


_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def check_entity_row(row: Row, sheet: str, text: str) -> EntityRow:
    """An accepted entity row as an :class:`EntityRow`, or :class:`HpkgError` naming ``sheet:row``."""
    where = f"{sheet}:{row.line}"
    kind = row.get("kind")
    if kind not in ("organisation", "zone", "project"):
        raise HpkgError(f"{where}: unknown kind {kind!r}; one of figure, organisation, zone, project")
    start, end, quote = _quoted(row, sheet, text)
    iri = row.get("iri") or None
    if iri is not None and not _IRI.match(iri):
        raise HpkgError(f"{where}: iri {iri!r} is not an absolute http(s) IRI; leave it empty for a new entity")
    for col in ("sector", "country"):
        if row.get(col) and not _IRI.match(row.get(col)):
            raise HpkgError(f"{where}: {col} {row.get(col)!r} is not an absolute http(s) IRI")
    return EntityRow(row, kind, start, end, quote, iri)


def document_name(path: str, sha256: str) -> str:
    """The stored text's name: the report's file name as a slug and the start of its checksum."""
    stem = slugify(Path(path).stem)[:48].strip("-") or "report"
    return f"{stem}-{sha256[:12]}"


def _read_report(path: str, sheet: Path) -> tuple[str, Path]:
    candidates = [Path(path)] if Path(path).is_absolute() else [Path(path), sheet.parent / path]
    for p in candidates:
        if p.is_file():
            return nfc(read_report(str(p))[0]), p
    raise HpkgError(f"{sheet}: the report {path!r} of the sheet is not found (looked at "
                    f"{', '.join(str(c) for c in candidates)})")


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.005") * max(abs(b), Decimal("1e-9"))


class _Writer:
    """The triples of one accepted document."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.triples: list[ox.Triple] = []
        self.organisations: list[str] = []
        self.projects: list[str] = []
        self.zones: list[str] = []

    def iri(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + local)

    def add(self, s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        prefix, local = p.split(":", 1)
        self.triples.append(ox.Triple(s, ox.NamedNode(PREFIXES[prefix] + local), o))

    def a(self, s: ox.NamedNode | ox.BlankNode, *classes: str) -> None:
        for c in classes:
            prefix, local = c.split(":", 1)
            self.add(s, "rdf:type", ox.NamedNode(PREFIXES[prefix] + local))


def _lit(value: str, lang: str | None = None, dt: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    if dt:
        prefix, local = dt.split(":", 1)
        return ox.Literal(value, datatype=ox.NamedNode(PREFIXES[prefix] + local))
    return ox.Literal(value)


def _dec(d: Decimal) -> ox.Literal:
    text = format(d.normalize(), "f")
    if "." not in text:
        text += ".0"
    return _lit(text, dt="xsd:decimal")


@dataclass
class SheetMetadata:
    """What the command line gives about the report, over what the sheet says."""

    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    lang: str | None = None


def accept_sheet(sheet: str | Path, project: Project, meta: SheetMetadata | None = None) -> list[Accepted]:
    """Check the sheet's accepted rows and make the data file and stored text of each of its documents.

    Nothing is written here: the caller writes :attr:`Accepted.text` then :attr:`Accepted.turtle`. The new
    triples are validated with the project's graph first; :class:`HpkgError` on any problem.
    """

    sheet = Path(sheet)
    return accept_rows(read_sheet(sheet), project, meta, sheet)


def accept_rows(rows: list[Row], project: Project, meta: SheetMetadata | None, sheet: Path,
                texts: dict[str, str] | None = None) -> list[Accepted]:
    """:func:`accept_sheet` on rows already read (``sheet`` names them in messages; the ``/ingest`` page passes
    the pasted text in ``texts``, path -> text, instead of a file)."""
    from hpkg.build import stage
    from hpkg.shacl import validate

    meta = meta or SheetMetadata()
    for r in rows:
        if r.get("decision").lower() not in DECISIONS:
            raise HpkgError(f"{sheet}:{r.line}: decision {r.get('decision')!r}: write accept or reject (or leave it "
                            "empty for undecided)")
    accepted_rows = [r for r in rows if r.get("decision").lower() == "accept"]
    if not accepted_rows:
        raise NothingAccepted(f"{sheet}: no row is marked accept ({len(rows)} rows: "
                              f"{sum(r.get('decision').lower() == 'reject' for r in rows)} rejected, "
                              f"{sum(not r.get('decision') for r in rows)} undecided); nothing was written")
    if project.root is None:
        raise HpkgError("hpkg ingest accept writes into a project's data/ and sources/: run it in a project "
                        "(hpkg init DIR) or give --project DIR")
    base = base_iri()
    earlier = _earlier_accepts(project.root, rows, texts, sheet)
    staged, _ = stage(project, base, exclude=[p for paths in earlier.values() for p in paths])
    lex = load_lexicon(staged)
    units = set(lex.unit_iris)
    notations = set(lex.iris)
    by_doc: dict[str, list[Row]] = {}
    for r in rows:
        by_doc.setdefault(r.get("path"), []).append(r)
    out: list[Accepted] = []
    for path, doc_rows in by_doc.items():
        acc = [r for r in doc_rows if r.get("decision").lower() == "accept"]
        if not acc:
            continue
        if texts is not None and path in texts:
            text, found_sha = nfc(texts[path]), None
        else:
            text, found = _read_report(path, sheet)
            found_sha = hashlib.sha256(found.read_bytes()).hexdigest()
        for r in acc:
            if r.get("kind") in ("", "figure") and (r.get("fact") or "observation") not in FACT_KINDS:
                raise HpkgError(f"{sheet}:{r.line}: unknown fact {r.get('fact')!r}; one of {', '.join(FACT_KINDS)}")
        entities = [check_entity_row(r, str(sheet), text) for r in acc if r.get("kind") not in ("", "figure")]
        new_zones = {e.quote: _zone_iri(base, e.quote) for e in entities if e.kind == "zone" and not e.iri}
        figure_rows = [r for r in acc if r.get("kind") in ("", "figure")]
        figures = [check_row(r, str(sheet), text, notations, units, new_zones) for r in figure_rows
                   if (r.get("fact") or "observation") == "observation"]
        activities = [check_activity_row(r, str(sheet), text) for r in figure_rows if r.get("fact") == "activity-count"]
        totals = [check_total_row(r, str(sheet), text, doc_rows) for r in figure_rows
                  if r.get("fact") == "investment-total"]
        first = acc[0]
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if first.get("sha256") and first.get("sha256") != found_sha and first.get("sha256") != sha:
            raise HpkgError(f"{sheet}:{first.line}: {path} changed since the sheet was made (its sha256 differs); "
                            "make the sheet again (hpkg ingest FILE --format tsv)")
        name = document_name(path, sha)
        data_path = project.root / "data" / f"ingest-{name}.ttl"
        language = meta.lang or first.get("language") or _language(text)
        title = meta.title or first.get("title") or _headline(text)
        if not title:
            raise HpkgError(f"{path}: the report has no headline to take a title from: give --title")
        published = meta.published or first.get("published") or None
        publisher = meta.publisher or first.get("publisher") or None
        source_url = meta.source_url or first.get("source_url") or None
        writer = _Writer(base)
        n_obs, n_targets = _document_triples(writer, staged, lex, text, name, figures, language=language, title=title,
                                             published=published, publisher=publisher, source_url=source_url,
                                             sha256=sha, sheet=str(sheet), entities=entities,
                                             rows=doc_rows, activities=activities, totals=totals)
        out.append(Accepted(path, name, data_path, project.root / "sources" / f"{name}.txt",
                            _turtle(writer.triples, path, sheet), text.encode("utf-8"), n_obs, n_targets,
                            sum(r.get("decision").lower() == "reject" for r in doc_rows),
                            sum(not r.get("decision") for r in doc_rows)))
        out[-1].organisations, out[-1].projects = writer.organisations, writer.projects
        out[-1].triples, out[-1].zones, out[-1].activities = writer.triples, writer.zones, len(activities)
        out[-1].replaces = earlier.get(sha, [])
        data_graph = ox.NamedNode(graph_iri("data", base))
        staged.add_quads(ox.Quad(t.subject, t.predicate, t.object, data_graph) for t in writer.triples)
    report = validate(staged, project=project)
    if report.blocking:
        raise NotConforming(f"{sheet}: the accepted rows do not pass the shapes; nothing was written\n{report.text}",
                            report)
    return out


def _earlier_accepts(root: Path, rows: list[Row], texts: dict[str, str] | None,
                     sheet: Path) -> dict[str, list[Path]]:
    """The data files and stored texts of earlier accepts of the sheet's reports, by the text's sha256: a data file
    ``data/ingest-*-<sha256[:12]>.ttl`` whose stored text ``sources/*-<sha256[:12]>.txt`` has that very sha256."""
    out: dict[str, list[Path]] = {}
    paths = {r.get("path") for r in rows if r.get("decision").lower() == "accept"}
    for path in paths:
        try:
            text = nfc(texts[path]) if texts is not None and path in texts else _read_report(path, sheet)[0]
        except HpkgError:
            continue  # reported where the report is read
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for src in sorted((root / "sources").glob(f"*-{sha[:12]}.txt")):
            if hashlib.sha256(src.read_bytes()).hexdigest() != sha:
                continue
            data = root / "data" / f"ingest-{src.stem}.ttl"
            out.setdefault(sha, []).extend([src, *([data] if data.exists() else [])])
    return out


def _zone_iri(base: str, quote: str) -> str:
    return f"{base}zone/{slugify(quote)[:80]}"


class NotConforming(HpkgError):
    """The accepted rows, with the project's graph, do not pass the shapes (the report is attached)."""

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report


class NothingAccepted(HpkgError):
    """A sheet without any accepted row: nothing to write (a message, not a failure of the sheet)."""


def _language(text: str) -> str:
    from hpkg.ingest.extract import detect_language

    return detect_language(text)


def _headline(text: str) -> str | None:
    first = text.strip().split("\n", 1)
    if len(first) == 2 and 0 < len(first[0].strip()) <= 200 and not first[0].rstrip().endswith((".", ":")):
        return first[0].strip().lstrip("#").strip()
    return None


def _turtle(triples: list[ox.Triple], path: str, sheet: Path) -> bytes:
    from hpkg.rdfio import serialize

    header = (f"# Accepted with hpkg ingest accept from the review sheet {sheet.name} (report {Path(path).name}).\n"
              "# Every figure has its source document and an evidence quote with W3C Web Annotation selectors into\n"
              "# the stored text (sources/). Edit the sheet and accept again rather than this file.\n")
    return header.encode("utf-8") + serialize(triples, "turtle")


def _graph_targets(store: Store) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for r in store.query(_PREFIX_DECL + """
        SELECT ?t ?n ?area ?pid WHERE {
          ?t a hpkg:Target ; hpkg:targetIndicator/skos:notation ?n ; hpkg:targetArea ?area ;
             hpkg:targetPeriod/dcterms:identifier ?pid .
        }""").rows():
        out.setdefault((bound(r, "n").value, bound(r, "area").value, bound(r, "pid").value), bound(r, "t").value)
    return out


def _known_periods(store: Store) -> set[str]:
    return {bound(r, "p").value for r in store.query(
        f"SELECT ?p WHERE {{ ?p a <{PREFIXES['time']}ProperInterval> }}").rows()}


def _document_triples(w: _Writer, store: Store, lex: Lexicon, text: str, name: str, figures: list[Figure], *,
                      language: str, title: str, published: str | None, publisher: str | None,
                      source_url: str | None, sha256: str, sheet: str,
                      entities: list[EntityRow] | None = None, rows: list[Row] | None = None,
                      activities: list[Activity] | None = None, totals: list[Total] | None = None) -> tuple[int, int]:
    doc = w.iri(f"source/{name}")
    # -- the document
    w.a(doc, "hpkg:SourceDocument")
    w.add(doc, "rdfs:label", _lit(f"Tài liệu nguồn: {title}", "vi"))
    w.add(doc, "rdfs:label", _lit(f"Source document: {title}", "en"))
    w.add(doc, "dcterms:title", _lit(title, language))
    w.add(doc, "dcterms:language", ox.NamedNode(f"http://id.loc.gov/vocabulary/iso639-1/{language}"))
    w.add(doc, "dcterms:type", ox.NamedNode("http://purl.org/dc/dcmitype/Text"))
    w.add(doc, "dcterms:identifier", _lit(name))
    if published:
        w.add(doc, "dcterms:issued", _lit(published, dt="xsd:date"))
    if source_url:
        w.add(doc, "schema:url", ox.NamedNode(source_url))
    if publisher:
        org = _organisation(lex, publisher)
        if org is not None:
            w.add(doc, "dcterms:publisher", ox.NamedNode(org))
        elif re.match(r"^https?://\S+$", publisher):
            w.add(doc, "dcterms:publisher", ox.NamedNode(publisher))
        else:  # a name the graph does not know: Dublin Core's literal publisher, not a guessed IRI
            w.add(doc, "dce:publisher", _lit(publisher))
    checksum = w.iri(f"source/{name}/checksum")
    w.add(doc, "spdx:checksum", checksum)
    w.a(checksum, "spdx:Checksum")
    w.add(checksum, "spdx:algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
    w.add(checksum, "spdx:checksumValue", _lit(sha256, dt="xsd:hexBinary"))
    # -- the evidence of every accepted figure
    sentences = split_sentences(text)
    quotes: dict[tuple[int, int], ox.NamedNode] = {}
    # known entities and zones add nothing; new organisations and projects get their evidence
    spans: list[Figure | EntityRow | Activity | Total] = [*figures, *(e for e in entities or [] if not e.iri),
                                                           *(activities or []), *(totals or [])]
    for f in spans:
        if (f.start, f.end) in quotes:
            continue
        q = w.iri(f"source/{name}/q{f.start}-{f.end}")
        quotes[(f.start, f.end)] = q
        sent = sentence_at(sentences, f.start)
        w.a(q, "hpkg:EvidenceQuote", "oa:Annotation")
        where_vi = f" (đoạn {sent.paragraph}, câu {sent.index})" if sent else ""
        where_en = f" (paragraph {sent.paragraph}, sentence {sent.index})" if sent else ""
        w.add(q, "rdfs:label", _lit(f"Trích dẫn “{f.quote}”{where_vi}", "vi"))
        w.add(q, "rdfs:label", _lit(f"Quote “{f.quote}”{where_en}", "en"))
        w.add(q, "dcterms:isPartOf", doc)
        if sent is not None:
            w.add(q, "prov:value", _lit(sent.text, language))
            w.add(q, "hpkg:paragraph", _lit(str(sent.paragraph), dt="xsd:integer"))
            w.add(q, "hpkg:sentence", _lit(str(sent.index), dt="xsd:integer"))
        target = w.iri(f"source/{name}/q{f.start}-{f.end}/target")
        w.add(q, "oa:hasTarget", target)
        w.a(target, "oa:SpecificResource")
        w.add(target, "oa:hasSource", doc)
        tq = w.iri(f"source/{name}/q{f.start}-{f.end}/quote")
        w.add(target, "oa:hasSelector", tq)
        w.a(tq, "oa:TextQuoteSelector")
        w.add(tq, "oa:exact", _lit(text[f.start:f.end]))
        if f.start:
            w.add(tq, "oa:prefix", _lit(text[max(0, f.start - CONTEXT):f.start]))
        if f.end < len(text):
            w.add(tq, "oa:suffix", _lit(text[f.end:f.end + CONTEXT]))
        tp = w.iri(f"source/{name}/q{f.start}-{f.end}/position")
        w.add(target, "oa:hasSelector", tp)
        w.a(tp, "oa:TextPositionSelector")
        w.add(tp, "oa:start", _lit(str(f.start), dt="xsd:integer"))
        w.add(tp, "oa:end", _lit(str(f.end), dt="xsd:integer"))
    # -- observations, relations and targets
    sheet_where = {id(f): f"{sheet}:{f.row.line}" for f in figures}
    observations: dict[tuple[str, str, str], Observation] = {}
    by_start: dict[int, Observation] = {}
    for f in figures:
        if f.relation not in (None, "share-of") or f.plan:
            continue
        key = (f.indicator, f.area, f.interval.identifier)
        o = observations.get(key)
        if o is None:
            o = observations[key] = Observation(key, f)
        elif not (_close(f.value, o.figure.value) and f.unit == o.figure.unit and f.qualifier == o.figure.qualifier):
            raise HpkgError(f"{sheet_where[id(f)]}: {f.quote!r} gives {f.indicator} {f.interval.identifier} another value, unit "
                            f"or qualifier than row {o.figure.row.line} ({o.figure.quote!r}); reject one of them")
        o.evidence.append(f)
        by_start[f.start] = o
    targets: dict[tuple[str, str, str], dict[str, Figure]] = {}
    for f in figures:
        if not f.plan or f.relation is not None:
            continue
        slot = {"lower-bound": "minValue", "upper-bound": "maxValue"}.get(f.qualifier, "targetValue")
        t = targets.setdefault((f.indicator, f.area, f.interval.identifier), {})
        if slot in t and not _close(t[slot].value, f.value):
            raise HpkgError(f"{sheet_where[id(f)]}: {f.quote!r} gives the target {f.indicator} {f.interval.identifier} another "
                            f"value than row {t[slot].row.line}; reject one of them")
        t[slot] = f
    for f in figures:
        if f.relation in (None, "share-of"):
            continue
        base = by_start.get(f.relation_of) if f.relation_of is not None else None
        if base is None:
            raise HpkgError(f"{sheet_where[id(f)]}: {f.quote!r} is a {f.relation} of the figure at "
                            f"{f.relation_of}, which is not an accepted observation: accept that row or reject "
                            "this one")
        if f.relation == "percent-of-plan":
            if f.unit != "percent":
                raise HpkgError(f"{sheet_where[id(f)]}: a percent-of-plan is in percent, not {f.unit}")
            if base.percent_of_target is not None and not _close(base.percent_of_target.value, f.value):
                raise HpkgError(f"{sheet_where[id(f)]}: another attainment of the plan than row "
                                f"{base.percent_of_target.row.line} for {base.key[0]} {base.key[2]}; reject one")
            base.percent_of_target = f
        else:
            if f.relation == "ratio-to-previous-period":
                change = (f.value - 1) * 100 if f.unit == "ratio" else f.value - 100
            else:
                if f.unit != "percent":
                    raise HpkgError(f"{sheet_where[id(f)]}: a change on the previous period is in percent, "
                                    f"not {f.unit}")
                change = f.value
            if base.change is not None and not _close(base.change[0], change):
                raise HpkgError(f"{sheet_where[id(f)]}: another change on the previous period than row "
                                f"{base.change[1].row.line} for {base.key[0]} {base.key[2]}; reject one")
            base.change = (change, f)
        base.evidence.append(f)
    dataset = w.iri(f"dataset/{name}")
    if observations:
        w.a(dataset, "qb:DataSet")
        w.add(dataset, "rdfs:label", _lit(f"Số liệu của tài liệu: {title}", "vi"))
        w.add(dataset, "rdfs:label", _lit(f"Figures of the document: {title}", "en"))
        w.add(dataset, "qb:structure", ox.NamedNode(PREFIXES["hpkg"] + "dsd-zone-indicators"))
        w.add(dataset, "prov:wasDerivedFrom", doc)
    periods: dict[str, Interval] = {}
    graph_targets = _graph_targets(store)
    target_nodes: dict[tuple[str, str, str], ox.NamedNode] = {}

    def label(notation: str, lang: str) -> str:
        return lex.labels.get(notation, {}).get(lang) or notation

    def provenance(s: ox.NamedNode, evidence: Iterable[Figure | Activity]) -> None:
        w.add(s, "prov:wasDerivedFrom", doc)
        for e in evidence:
            w.add(s, "hpkg:evidence", quotes[(e.start, e.end)])

    def target_node(key: tuple[str, str, str], unit: str, evidence: list[Figure], interval: Interval) -> ox.NamedNode:
        if key in target_nodes:
            return target_nodes[key]
        notation, area, pid = key
        t = w.iri(f"target/{name}-{slugify(notation)}-{slugify(pid)}")
        target_nodes[key] = t
        w.a(t, "hpkg:Target")
        w.add(t, "rdfs:label", _lit(f"Kế hoạch {label(notation, 'vi')} {pid}", "vi"))
        w.add(t, "rdfs:label", _lit(f"Target: {label(notation, 'en')} {pid}", "en"))
        w.add(t, "hpkg:targetIndicator", ox.NamedNode(lex.iris[notation]))
        w.add(t, "hpkg:targetArea", ox.NamedNode(area))
        w.add(t, "hpkg:targetPeriod", w.iri(f"period/{pid}"))
        w.add(t, "sdmx-attribute:unitMeasure", ox.NamedNode(lex.unit_iris[unit]))
        periods[pid] = interval
        provenance(t, evidence)
        return t

    for key, slots in targets.items():
        some = next(iter(slots.values()))
        tn = target_node(key, some.unit, list(slots.values()), some.interval)
        for slot, f in slots.items():
            w.add(tn, f"hpkg:{slot}", _dec(f.value))
    obs_at: dict[int, ox.NamedNode] = {}
    for key, o in observations.items():
        notation, area, pid = key
        f = o.figure
        s = w.iri(f"obs/{name}-{slugify(notation)}-{slugify(pid)}")
        for e in o.evidence:
            obs_at.setdefault(e.start, s)
        w.a(s, "qb:Observation")
        w.add(s, "rdfs:label", _lit(f"{label(notation, 'vi')} {pid}: {f.quote}", "vi"))
        w.add(s, "rdfs:label", _lit(f"{label(notation, 'en')} {pid}: {_decimal_text(f.value)} {f.unit}", "en"))
        w.add(s, "qb:dataSet", dataset)
        w.add(s, "hpkg:indicator", ox.NamedNode(lex.iris[notation]))
        w.add(s, "sdmx-dimension:refArea", ox.NamedNode(area))
        w.add(s, "sdmx-dimension:refPeriod", w.iri(f"period/{pid}"))
        w.add(s, "hpkg:sector", w.iri("concept/sector/all"))
        w.add(s, "sdmx-measure:obsValue", _dec(f.value))
        w.add(s, "sdmx-attribute:unitMeasure", ox.NamedNode(lex.unit_iris[f.unit]))
        w.add(s, "hpkg:valueQualifier", w.iri(f"concept/qualifier/{_QUALIFIER_CODE[f.qualifier]}"))
        if f.qualifier == "estimate":
            w.add(s, "sdmx-attribute:obsStatus", ox.NamedNode(PREFIXES["sdmx-code"] + "obsStatus-E"))
        periods[pid] = f.interval
        if o.percent_of_target is not None:
            w.add(s, "hpkg:percentOfTarget", _dec(o.percent_of_target.value))
            if key in targets:
                tnode = target_nodes[key]
            elif key in graph_targets:
                tnode = ox.NamedNode(graph_targets[key])
            else:
                tnode = target_node(key, f.unit, [o.percent_of_target], f.interval)
            w.add(s, "hpkg:comparedToTarget", tnode)
        if o.change is not None:
            w.add(s, "hpkg:changeOnPreviousPeriod", _dec(o.change[0]))
        provenance(s, o.evidence)
    if entities:
        _entity_triples(w, store, lex, name, doc, entities, rows or [], quotes, obs_at, sheet, totals or [])
    events: dict[int, ox.NamedNode] = {}
    for a in activities or []:
        node = events[a.start] = w.iri(f"event/{name}-{a.start}")
        pid = a.interval.identifier
        phrase = _phrase(text, a.start)
        w.a(node, "hpkg:InvestmentPromotionProgramme")
        w.add(node, "rdfs:label", _lit(f"{phrase} ({pid})", "vi"))
        w.add(node, "rdfs:label", _lit(f"{a.count} investment-promotion events ({pid}): {phrase}", "en"))
        w.add(node, "hpkg:numberOfEvents", _lit(str(a.count), dt="xsd:integer"))
        if a.participant:
            w.add(node, "hpkg:participant", ox.NamedNode(a.participant))
        w.add(node, "dcterms:temporal", w.iri(f"period/{pid}"))
        periods[pid] = a.interval
        provenance(node, [a])
    for a in activities or []:
        if a.part_of is not None and a.part_of in events:
            w.add(events[a.part_of], "schema:subEvent", events[a.start])
    # -- periods the graph does not have yet (OWL-Time)
    known = _known_periods(store)
    for pid, interval in sorted(periods.items()):
        p = w.iri(f"period/{pid}")
        if p.value in known:
            continue
        w.a(p, "time:ProperInterval")
        w.add(p, "rdfs:label", _lit(pid, "vi"))
        w.add(p, "rdfs:label", _lit(pid, "en"))
        w.add(p, "dcterms:identifier", _lit(pid))
        for prop, day in (("time:hasBeginning", interval.begin), ("time:hasEnd", interval.end)):
            i = w.iri(f"period/{day}")
            w.add(p, prop, i)
            w.a(i, "time:Instant")
            y, m, d = day.split("-")
            w.add(i, "rdfs:label", _lit(f"{int(d)}/{int(m)}/{y}", "vi"))
            w.add(i, "rdfs:label", _lit(day, "en"))
            w.add(i, "time:inXSDDate", _lit(day, dt="xsd:date"))
    return len(observations), len(target_nodes)


def _phrase(text: str, start: int, limit: int = 100) -> str:
    """The words from ``start`` to the end of their clause ("46 chương trình hội nghị tiếp xúc đầu tư")."""
    m = re.compile(r"[,;.(\n]").search(text, start)
    end = min(m.start() if m else len(text), start + limit)
    return text[start:end].strip()


_ZONE_CLASS = [(re.compile(r"khu kinh te ven bien|coastal economic zone"), "hpkg:CoastalEconomicZone"),
               (re.compile(r"^(?:cac )?(?:kkt|khu kinh te)|economic zone|\bez$"), "hpkg:EconomicZone"),
               (re.compile(r"^(?:cac )?(?:kcn|khu cong nghiep)|industrial (?:park|zone)|\bip$"), "hpkg:IndustrialPark")]


def zone_class(quote: str) -> str | None:
    """The ontology class of a zone written as ``quote`` ("KCN Tràng Duệ" -> ``hpkg:IndustrialPark``)."""
    from hpkg.ingest.numbers import fold_same_length

    folded = fold_same_length(quote).lower()
    return next((c for rx, c in _ZONE_CLASS if rx.search(folded)), None)


def _entity_triples(w: _Writer, store: Store, lex: Lexicon, name: str, doc: ox.NamedNode, entities: list[EntityRow],
                    rows: list[Row], quotes: dict[tuple[int, int], ox.NamedNode],
                    obs_at: dict[int, ox.NamedNode], sheet: str, totals: list[Total]) -> None:
    """New organisations (``org:Organization``), zones (``hpkg:IndustrialPark``/``hpkg:EconomicZone``) and projects
    (``hpkg:InvestmentProject`` with investor, zone, sector and registered capital, ``dcterms:relation`` the
    observation of that capital when accepted); the investment totals of known projects."""
    accepted = {(e.kind, e.start): e for e in entities}
    by_start = {(r.get("kind") or "figure", r.get("start")): r for r in rows}
    total_at = {t.project.get("start"): t for t in totals}
    for e in entities:
        if e.kind != "zone" or e.iri:
            continue
        cls = zone_class(e.quote)
        if cls is None or _unnamed_zone(e.quote) is not None:
            raise HpkgError(f"{sheet}:{e.row.line}: {e.quote!r} names no industrial park or economic zone to create "
                            "(a zone group needs its authority): write the IRI of a graph zone in iri, or reject it")
        node = ox.NamedNode(_zone_iri(w.base, e.quote))
        if node.value in w.zones or store.query(f"ASK {{ <{node.value}> ?p ?o }}").boolean:
            w.add(node, "hpkg:evidence", quotes[(e.start, e.end)])
            continue
        w.zones.append(node.value)
        w.a(node, cls)
        w.add(node, "rdfs:label", _lit(e.quote, "vi"))
        w.add(node, "rdfs:label", _lit(e.quote, "en"))
        w.add(node, "prov:wasDerivedFrom", doc)
        w.add(node, "hpkg:evidence", quotes[(e.start, e.end)])
    for e in entities:
        if e.kind == "project" and e.iri and (t := total_at.get(str(e.start))) is not None:
            _known_total(w, store, lex, e.iri, t, doc, quotes, sheet, name)
    org_iri: dict[int, str] = {}
    new_orgs: dict[int, ox.NamedNode] = {}
    investors: set[str] = set()
    for e in entities:
        if e.kind != "organisation":
            continue
        if e.iri:
            org_iri[e.start] = e.iri
            continue
        node = w.iri(f"org/{slugify(e.quote)[:80]}")
        org_iri[e.start] = node.value
        new_orgs[e.start] = node
        if node.value in w.organisations:
            w.add(node, "hpkg:evidence", quotes[(e.start, e.end)])
            continue
        w.organisations.append(node.value)
        w.a(node, "org:Organization")
        w.add(node, "rdfs:label", _lit(e.quote, "vi"))
        w.add(node, "rdfs:label", _lit(e.quote, "en"))
        w.add(node, "skos:prefLabel", _lit(e.quote, "vi"))
        w.add(node, "prov:wasDerivedFrom", doc)
        w.add(node, "hpkg:evidence", quotes[(e.start, e.end)])

    def where(e: EntityRow) -> str:
        return f"{sheet}:{e.row.line}"

    for e in entities:
        if e.kind != "project" or e.iri:
            continue
        inv = e.row.get("investor")
        investor = org_iri.get(int(inv)) if inv.isdigit() else None
        if investor is None:
            inv_row = by_start.get(("organisation", inv))
            if inv_row is not None and inv_row.get("iri"):
                investor = inv_row.get("iri")
            else:
                line = f" (row {inv_row.line})" if inv_row is not None else ""
                raise HpkgError(f"{where(e)}: the project's investor{line} is not accepted: accept the investor's "
                                "organisation row (or give its iri), or reject the project")
        zone_col = e.row.get("zone")
        zone = None
        if zone_col:
            z = accepted.get(("zone", int(zone_col))) if zone_col.isdigit() else None
            z_row = by_start.get(("zone", zone_col))
            zone = (z.iri or _zone_iri(w.base, z.quote)) if z is not None else \
                (z_row.get("iri") or None) if z_row is not None else None
        inv_label = next((x.quote for x in entities if x.kind == "organisation" and org_iri.get(x.start) == investor),
                         e.quote)
        node = w.iri(f"project/{name}-{e.start}")
        w.projects.append(node.value)
        w.a(node, "hpkg:InvestmentProject")
        w.add(node, "rdfs:label", _lit(f"Dự án đầu tư của {inv_label}: {e.quote}", "vi"))
        w.add(node, "rdfs:label", _lit(f"Investment project of {inv_label}: {e.quote}", "en"))
        w.add(node, "hpkg:investor", ox.NamedNode(investor))
        if inv.isdigit() and int(inv) in new_orgs:
            org = new_orgs[int(inv)]
            if org.value not in investors:  # typed once
                investors.add(org.value)
                w.a(org, "hpkg:Investor")
                if e.row.get("country"):
                    w.add(org, "hpkg:countryOfOrigin", ox.NamedNode(e.row.get("country")))
        if zone:
            w.add(node, "hpkg:locatedInZone", ox.NamedNode(zone))
        if e.row.get("sector"):
            w.add(node, "hpkg:sector", ox.NamedNode(e.row.get("sector")))
        starts = [x for x in e.row.get("facts").split() if x.isdigit()]
        capital = by_start.get(("figure", starts[0])) if starts else None
        if capital is not None and capital.get("decision").lower() != "accept":
            capital = None  # a rejected figure never reaches the graph, not even as a project's capital
        if capital is not None:
            unit = capital.get("unit")
            try:
                value = parse_value(capital.get("value"), unit)
            except ValueError:
                raise HpkgError(f"{sheet}:{capital.line}: the value {capital.get('value')!r} of the project's "
                                "capital does not parse") from None
            if unit not in ("USD", "VND") or unit not in lex.unit_iris:
                raise HpkgError(f"{sheet}:{capital.line}: a project's capital is in USD or VND, not {unit!r}")
            amount = w.iri(f"project/{name}-{e.start}/capital")
            w.add(node, "hpkg:registeredCapital", amount)
            w.a(amount, "schema:MonetaryAmount")
            w.add(amount, "rdfs:label", _lit(f"Vốn đầu tư: {capital.cells.get('quote', '')}", "vi"))
            w.add(amount, "rdfs:label", _lit(f"Capital: {_decimal_text(value)} {unit}", "en"))
            qualifier = capital.get("qualifier") or "exact"
            prop = {"lower-bound": "schema:minValue", "upper-bound": "schema:maxValue"}.get(qualifier, "schema:value")
            w.add(amount, prop, _dec(value))
            w.add(amount, "sdmx-attribute:unitMeasure", ox.NamedNode(lex.unit_iris[unit]))
            if qualifier in _QUALIFIER_CODE:
                w.add(amount, "hpkg:valueQualifier", w.iri(f"concept/qualifier/{_QUALIFIER_CODE[qualifier]}"))
            w.add(amount, "prov:wasDerivedFrom", doc)
            w.add(amount, "hpkg:evidence", quotes[(e.start, e.end)])
            if (obs := obs_at.get(int(starts[0]))) is not None:
                w.add(node, "dcterms:relation", obs)
        w.add(node, "prov:wasDerivedFrom", doc)
        w.add(node, "hpkg:evidence", quotes[(e.start, e.end)])


def _known_total(w: _Writer, store: Store, lex: Lexicon, project: str, t: Total, doc: ox.NamedNode,
                 quotes: dict[tuple[int, int], ox.NamedNode], sheet: str, name: str) -> None:
    """The investment total of a project the graph holds: a further source of its capital when the graph states
    the same amount, its capital when the graph states none; another amount is a conflict (exit 2)."""
    prop = {"lower-bound": "minValue", "upper-bound": "maxValue"}.get(t.qualifier, "value")
    rows = store.query(f"""SELECT ?a ?v WHERE {{ <{project}> <{PREFIXES['hpkg']}registeredCapital> ?a .
        OPTIONAL {{ ?a <{PREFIXES['schema']}{prop}> ?v }} }}""").rows()
    if rows:
        a, v = bound(rows[0], "a"), rows[0]["v"]
        if v is None or not _close(Decimal(v.value), t.value):
            known = f"{v.value} ({prop})" if v is not None else f"no {prop}"
            raise HpkgError(f"{sheet}:{t.row.line}: {t.quote!r} conflicts with the capital the graph holds for "
                            f"{project}: {known}; correct the row or reject it")
        amount = ox.NamedNode(a.value)
    else:
        amount = w.iri(f"project/{name}-{t.start}/capital")
        w.add(ox.NamedNode(project), "hpkg:registeredCapital", amount)
        w.a(amount, "schema:MonetaryAmount")
        w.add(amount, "rdfs:label", _lit(f"Vốn đầu tư: {t.quote}", "vi"))
        w.add(amount, "rdfs:label", _lit(f"Capital: {_decimal_text(t.value)} {t.unit}", "en"))
        w.add(amount, f"schema:{prop}", _dec(t.value))
        w.add(amount, "sdmx-attribute:unitMeasure", ox.NamedNode(lex.unit_iris[t.unit]))
        w.add(amount, "hpkg:valueQualifier", w.iri(f"concept/qualifier/{_QUALIFIER_CODE[t.qualifier]}"))
    w.add(amount, "prov:wasDerivedFrom", doc)
    w.add(amount, "hpkg:evidence", quotes[(t.start, t.end)])


def _decimal_text(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _organisation(lex: Lexicon, name: str) -> str | None:
    keys = area_keys(name)
    for e in lex.entities:
        if e.kind == "organisation" and any(area_keys(lab) & keys for lab in e.labels):
            return e.iri
    return None


def read_report(path: str) -> tuple[str, bytes]:
    """The text of a plain-text or Markdown report and its bytes; :class:`HpkgError` for an empty or binary file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise HpkgError(f"{path}: cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise HpkgError(f"{path}: the file is empty; give a plain-text or Markdown report")
    if b"\x00" in data[:8192]:
        raise HpkgError(f"{path}: a binary file, not text; give a plain-text or Markdown report (UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise HpkgError(f"{path}: not UTF-8 text (byte {e.start}); give a plain-text or Markdown report") from None
    if not text.strip():
        raise HpkgError(f"{path}: the file holds no text")
    return text, data


def nfc(text: str) -> str:
    """The text as the selectors index it (NFC)."""
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------ the review sheet
def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def sheet_rows(docs: Iterable[Document]) -> list[dict[str, str]]:
    """The review sheet's rows (:data:`SHEET_COLUMNS` -> cell) of the documents: one per candidate figure, then
    one per organisation, zone and project mention; ``decision`` empty."""
    from hpkg.ingest.sentences import sentence_at as _at

    out: list[dict[str, str]] = []
    for doc in docs:
        refused: set[int] = set()
        creatable = {e.quote for e in doc.entities if e.kind == "zone" and not e.iri and _unnamed_zone(e.quote) is None}
        meta = {"path": doc.path, "sha256": doc.sha256, "language": doc.language, "title": doc.title,
                "published": doc.published, "publisher": doc.publisher, "source_url": doc.source_url}
        for f in doc.facts:
            rel = f.relation
            cells: dict[str, object] = {
                "start": f.start, "end": f.end, "quote": f.quote, "value": f.value, "unit": f.unit,
                "indicator": f.indicator, "period": f.period, "area": f.area, "area_iri": f.area_iri,
                "qualifier": f.qualifier, "relation": rel["kind"] if rel else None, "relation_of": rel["of"] if rel else None,
                "confidence": f.confidence, "status": f.status, "graph_value": f.graph_value,
                "sentence": f.sentence.text if f.sentence else None, "plan": "yes" if f.plan else None,
                "to_date_year": f.context_year if f.period == "to-date" else None, "kind": "figure",
                "fact": f.fact_kind, "project": f.project, "participant": f.participant, "part_of": f.part_of,
                "note": f.note, **meta}
            why = _cannot_accept(f, refused, creatable)
            if why is not None:
                refused.add(f.start)
                cells["decision"] = "reject"
                cells["note"] = f"{why}{'; ' + f.note if f.note else ''}"
            out.append({c: _cell(cells.get(c)) for c in SHEET_COLUMNS})
        sentences = split_sentences(doc.text) if doc.entities else []
        for e in doc.entities:
            if e.kind not in SHEET_ENTITY_KINDS:
                continue
            sent = _at(sentences, e.start)
            cells = {"start": e.start, "end": e.end, "quote": e.quote, "kind": e.kind, "iri": e.iri,
                     "status": "known" if e.iri else "new", "sentence": sent.text if sent else None, **meta}
            if e.kind == "project":
                cells.update(investor=e.investor, zone=e.zone, facts=" ".join(str(s) for s in e.facts),
                             sector=e.sector, country=e.country)
            if e.kind == "zone" and not e.iri and (why := _unnamed_zone(e.quote)) is not None:
                cells.update(decision="reject", note=why)
            out.append({c: _cell(cells.get(c)) for c in SHEET_COLUMNS})
    return out


def _cannot_accept(f: Fact, refused: set[int], new_zones: set[str]) -> str | None:
    """Why a candidate figure cannot be accepted as the extractor left it (its row is marked reject up front, the
    reason in ``note``), or ``None``."""
    if f.fact_kind == "activity-count":
        return None if f.period else "cannot be accepted as it is: no period (write one and mark accept)"
    if f.fact_kind == "investment-total":
        return None
    rel = f.relation
    if rel is not None and rel["kind"] != "share-of":
        if rel["of"] is None:
            return "cannot be accepted as it is: the figure it relates to is not found (write relation_of)"
        if rel["of"] in refused:
            return f"cannot be accepted as it is: the figure it relates to (at {rel['of']}) is marked reject"
    area = f.area_iri or (f.area if f.area in new_zones else None)  # a new zone: created when its row is accepted
    missing = [name for name, v in (("indicator", f.indicator), ("area_iri", area),
                                    ("period", f.context_year if f.period == "to-date" else f.period)) if not v]
    if missing:
        return f"cannot be accepted as it is: no {' and no '.join(missing)} (fill it in and mark accept)"
    return None


def _unnamed_zone(quote: str) -> str | None:
    """Why an unlinked zone mention cannot become a new zone: a zone group, or no name after the type words."""
    from hpkg.ingest.numbers import fold_same_length

    words = re.sub(r"^(?:các\s+)?(?:khu công nghiệp|khu kinh tế|kcn|kkt)\s*", "", quote, flags=re.IGNORECASE)
    if zone_class(quote) is None or "," in quote or not any(c.isupper() for c in words) or \
            re.search(r"\b(?:va|and)\b", fold_same_length(quote).lower()):
        return ("cannot be created: a zone group or a zone without its name (write the IRI of a graph zone in iri "
                "and mark accept)")
    return None


def sheet_tsv(docs: Iterable[Document]) -> str:
    """The review sheet as TSV text (a header line, then :func:`sheet_rows`)."""
    lines = ["\t".join(SHEET_COLUMNS)]
    lines += ["\t".join(r[c] for c in SHEET_COLUMNS) for r in sheet_rows(docs)]
    return "\n".join(lines) + "\n"
