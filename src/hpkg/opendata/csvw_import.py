"""Import a statistics table described with W3C CSV on the Web (CSVW) metadata as Data Cube observations.

The ``csvw`` package reads the metadata and the table: dialect (delimiter, header …) and datatypes,
including Vietnamese number formats declared in the metadata (``{"base": "decimal", "format":
{"decimalChar": ",", "groupChar": "."}}`` reads "4,35" as 4.35 and "12.350" as 12350).

Each column says what it holds with its CSVW ``propertyUrl`` (prefixed names use hpkg's prefixes):

==============================  ==================================================================
``hpkg:indicator``              indicator notation (``FDI_REG`` …), looked up by ``skos:notation``
``sdmx-dimension:refArea``      the area's IRI (``valueUrl`` template, relative to the base)
``sdmx-dimension:refPeriod``    a year (``xsd:gYear``) -> ``period/YYYY`` (an OWL-Time interval)
``hpkg:sector``                 sector notation (optional; ``_T``, all sectors, when absent)
``sdmx-measure:obsValue``       the value (a decimal)
``sdmx-attribute:unitMeasure``  unit notation (``USD``, ``PERCENT`` …), optional when declared
``hpkg:valueQualifier``         qualifier notation (``EXACT``, ``ESTIMATE`` …), optional
==============================  ==================================================================

Units may instead be declared once, as a common property of the value column or the table:
``"sdmx-attribute:unitMeasure": {"@id": "http://qudt.org/vocab/unit/CCY_USD"}``; a scale with
``"sdmx-attribute:unitMult": 9`` (values in thousands of millions; stored in base units, like the curated data).

Observations join the dataset structure of the curated data (``hpkg:dsd-zone-indicators``) in a dataset
of their own, with deterministic IRIs, in the named graph ``{base}graph/import/{table}``, which an import
replaces whole: importing a table again does not duplicate anything. Provenance goes down to the row: the
table is an ``hpkg:SourceDocument`` and each row an ``hpkg:EvidenceQuote`` named ``<table-url#row=N>``
(RFC 7111; N counts the header line as row 1, as CSVW's row URLs do) whose ``prov:value`` is the record.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeAlias

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.iri import base_iri, graph_iri, slugify
from hpkg.namespaces import PREFIXES
from hpkg.store import Store, bound

HPKG = PREFIXES["hpkg"]
ROLES = {
    HPKG + "indicator": "indicator",
    PREFIXES["sdmx-dimension"] + "refArea": "area",
    PREFIXES["sdmx-dimension"] + "refPeriod": "period",
    HPKG + "sector": "sector",
    PREFIXES["sdmx-measure"] + "obsValue": "value",
    PREFIXES["sdmx-attribute"] + "unitMeasure": "unit",
    HPKG + "valueQualifier": "qualifier",
}
UNIT_PROP = "sdmx-attribute:unitMeasure"
MULT_PROP = "sdmx-attribute:unitMult"


class ImportRejected(HpkgError):
    """``--strict`` and some rows were rejected: nothing was written. ``report`` says which and why."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.rejected)} row(s) rejected; with --strict nothing was imported\n"
                         + report.text)
        self.report = report


@dataclass
class ImportReport:
    """Every row of the table: imported (with its observation IRI) or rejected (with the reason)."""

    table: str
    graph: str
    dataset: str
    imported: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False

    @property
    def text(self) -> str:
        """One line per row, then a summary."""
        verb = "imported" if self.written else "valid, not imported"
        rows = sorted([(n, f"row {n}: {verb} {iri}") for n, iri in self.imported]
                      + [(n, f"row {n}: rejected: {why}") for n, why in self.rejected])
        lines = [t for _, t in rows]
        lines.append(f"{self.table}: {len(self.imported)} row(s) imported, {len(self.rejected)} rejected"
                     + (f", into graph <{self.graph}>" if self.written else ", nothing written"))
        return "\n".join(lines)


def _expand(name: str) -> str:
    if "://" in name:
        return name
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return name


def _iri_value(v: object) -> str | None:
    if isinstance(v, dict):
        v = v.get("@id")
    return _expand(str(v)) if v else None


def _lookup(store: Store, scheme_path: str, base: str) -> dict[str, str]:
    """notation -> concept IRI for the concepts of one scheme of the graph."""
    rows = store.query(
        f"SELECT ?c ?n WHERE {{ ?c <{PREFIXES['skos']}inScheme> <{base}{scheme_path}> ; "
        f"<{PREFIXES['skos']}notation> ?n }}"
    ).rows()
    return {bound(r, "n").value: bound(r, "c").value for r in rows}


def _units(store: Store) -> dict[str, str]:
    rows = store.query(
        f"SELECT ?u ?n WHERE {{ ?u a <{PREFIXES['qudt']}Unit> ; <{PREFIXES['skos']}notation> ?n }}"
    ).rows()
    return {bound(r, "n").value: bound(r, "u").value for r in rows}


def _lang_values(v: object) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in v if isinstance(v, list) else [v]:
        if isinstance(item, dict):
            out.setdefault(item.get("@language", ""), str(item.get("@value", "")))
        elif item:
            out.setdefault("", str(item))
    return out


def import_table(
    store: Store,
    table: str | Path,
    metadata: str | Path,
    *,
    strict: bool = False,
    base: str | None = None,
) -> ImportReport:
    """Import ``table`` described by the CSVW ``metadata`` into ``store`` (see the module docstring).

    Raises :class:`ImportRejected` (nothing written) when ``strict`` and any row is rejected, and
    :class:`HpkgError` when the metadata or table cannot be used at all.
    """
    import csvw

    base = base or base_iri()
    table, metadata = Path(table), Path(metadata)
    for p in (table, metadata):
        if not p.is_file():
            raise HpkgError(f"{p}: no such file")
    try:
        t = csvw.Table.from_file(metadata)
    except Exception as e:  # the csvw package raises many kinds of errors for bad metadata
        raise HpkgError(f"{metadata}: not usable CSVW table metadata: {e}") from None

    roles: dict[str, str] = {}
    value_col = None
    for col in t.tableSchema.columns:
        if col.propertyUrl is None:
            continue
        role = ROLES.get(_expand(str(col.propertyUrl.uri)))
        if role:
            roles[role] = col.name
            if role == "value":
                value_col = col
    missing = [r for r in ("indicator", "area", "period", "value") if r not in roles]
    if missing:
        raise HpkgError(f"{metadata}: no column for {', '.join(missing)}; declare each with a propertyUrl "
                        f"({', '.join(sorted(k for k in ROLES))})")
    assert value_col is not None  # found with roles["value"]
    area_template = next(c.valueUrl for c in t.tableSchema.columns if c.name == roles["area"])
    declared_unit = _iri_value(value_col.common_props.get(UNIT_PROP) or t.common_props.get(UNIT_PROP))
    mult = value_col.common_props.get(MULT_PROP, t.common_props.get(MULT_PROP, 0))
    try:
        scale = decimal.Decimal(10) ** int(mult)
    except (TypeError, ValueError):
        raise HpkgError(f"{metadata}: {MULT_PROP} must be an integer power of ten, not {mult!r}") from None

    slug = slugify(table.stem)
    url = str(t.url) if t.url and "://" in str(t.url) else f"{base}source/table/{table.name}"
    graph = graph_iri(f"import/{slug}", base)
    dataset = f"{base}dataset/import/{slug}"
    report = ImportReport(str(table), graph, dataset)

    indicators = _lookup(store, "concept/indicator", base)
    sectors = _lookup(store, "concept/sector", base)
    qualifiers = _lookup(store, "concept/qualifier", base)
    units = _units(store)
    if not indicators or not units:
        raise HpkgError("the store has no indicator code list or units to import against; run 'hpkg build' first")
    if declared_unit and declared_unit not in units.values():
        raise HpkgError(f"{metadata}: the declared unit <{declared_unit}> is not a qudt:Unit of the graph; "
                        f"known: {', '.join(sorted(units))}")
    known_areas = {bound(r, "s").value for r in store.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(isIRI(?s)) }").rows()}

    raw: dict[int, list[str]] = {}
    with table.open(encoding=t.dialect.encoding or "utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=t.dialect.delimiter, quotechar=t.dialect.quoteChar or '"')
        for cells in reader:
            raw[reader.line_num] = cells
    delim = t.dialect.delimiter

    quads: list[_Spo] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    periods: set[str] = set()

    def n(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(PREFIXES[prefix] + local)

    a = n("rdf", "type")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid values come back as strings; each is reported per row
        try:
            rows = list(t.iterdicts(fname=str(table), with_metadata=True, strict=False))
        except Exception as e:
            raise HpkgError(f"{table}: cannot read the table with its metadata: {e}") from None
    for _fname, rownum, row in rows:
        try:
            obs_iri, triples, period = _row(
                row, rownum, roles, indicators, sectors, qualifiers, units, declared_unit, scale, area_template,
                known_areas, base, slug, dataset, url, raw.get(rownum, []), delim, seen,
            )
        except _Reject as e:
            report.rejected.append((rownum, str(e)))
            continue
        quads.extend(triples)
        periods.add(period)
        report.imported.append((rownum, obs_iri))

    if strict and report.rejected:
        raise ImportRejected(report)
    if not report.imported and report.rejected:
        return report

    ds = ox.NamedNode(dataset)
    doc = ox.NamedNode(url)
    titles = _lang_values(t.common_props.get("dc:title") or t.common_props.get("dcterms:title") or "")
    title_vi = titles.get("vi") or titles.get("") or table.name
    title_en = titles.get("en") or titles.get("") or table.name
    quads += [
        (ds, a, n("qb", "DataSet")),
        (ds, n("rdfs", "label"), ox.Literal(title_vi, language="vi")),
        (ds, n("rdfs", "label"), ox.Literal(title_en, language="en")),
        (ds, n("dcterms", "title"), ox.Literal(title_vi, language="vi")),
        (ds, n("dcterms", "title"), ox.Literal(title_en, language="en")),
        (ds, n("qb", "structure"), n("hpkg", "dsd-zone-indicators")),
        (ds, n("prov", "wasDerivedFrom"), doc),
        (doc, a, n("hpkg", "SourceDocument")),
        (doc, n("rdfs", "label"), ox.Literal(f"Bảng số liệu {table.name}", language="vi")),
        (doc, n("rdfs", "label"), ox.Literal(f"Statistics table {table.name}", language="en")),
        (doc, n("dcterms", "title"), ox.Literal(title_vi, language="vi")),
        (doc, n("dcterms", "format"), ox.Literal("text/csv")),
        (doc, n("dcterms", "conformsTo"), ox.NamedNode("http://www.w3.org/ns/csvw")),
    ]
    for key in ("dc:publisher", "dcterms:publisher", "dc:source", "dcterms:source"):
        for v in _lang_values(t.common_props.get(key, "")).values():
            prop = n("dcterms", key.split(":")[1])
            quads.append((doc, prop, ox.NamedNode(v) if "://" in v else ox.Literal(v)))
    for year in sorted(periods):
        quads += _year_interval(year, base)

    g = ox.NamedNode(graph)
    store.add_quads([ox.Quad(s, p, o, g) for s, p, o in quads], replace_graphs=[graph])
    report.written = True
    return report


class _Reject(Exception):
    pass


#: One triple of the import before it goes into the import's graph.
_Spo: TypeAlias = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


class _UriTemplate(Protocol):
    """A column's ``valueUrl`` as the (untyped) csvw package gives it: a URI template."""

    def expand(self, **values: str) -> str: ...


def _row(row: dict[str, object], rownum: int, roles: dict[str, str], indicators: dict[str, str],
         sectors: dict[str, str], qualifiers: dict[str, str], units: dict[str, str], declared_unit: str | None,
         scale: decimal.Decimal, area_template: _UriTemplate | None, known_areas: set[str], base: str, slug: str,
         dataset: str, url: str, raw: list[str], delim: str,
         seen: dict[tuple[str, str, str, str], int]) -> tuple[str, list[_Spo], str]:
    def cell(role: str) -> object:
        col = roles.get(role)
        v = row.get(col) if col else None
        return v.strip() if isinstance(v, str) else v

    def required(role: str) -> object:
        v = cell(role)
        if v is None or v == "":
            raise _Reject(f"empty {role} (column {roles[role]!r})")
        return v

    ind = str(required("indicator"))
    if ind not in indicators:
        raise _Reject(f"unknown indicator {ind!r}; known: {', '.join(sorted(indicators))}")
    area_raw = str(required("area"))
    area = area_template.expand(**{k: ("" if v is None else str(v)) for k, v in row.items()}) \
        if area_template is not None else area_raw
    area = area if "://" in area else base + area.lstrip("/")
    if area not in known_areas:
        raise _Reject(f"unknown area <{area}>: not an entity of the graph")
    period_raw = required("period")
    period = str(period_raw)[:4] if isinstance(period_raw, (dt.date, dt.datetime)) else str(period_raw)
    if not (len(period) == 4 and period.isdigit()):
        raise _Reject(f"period {period_raw!r} is not a year (xsd:gYear)")
    value = required("value")
    if not isinstance(value, (decimal.Decimal, int, float)):
        raise _Reject(f"{value!r} in column {roles['value']!r} is not a number in the declared format")
    value = decimal.Decimal(value) * scale
    sector_code = str(cell("sector") or "_T")
    if sector_code not in sectors:
        raise _Reject(f"unknown sector {sector_code!r}; known: {', '.join(sorted(sectors))}")
    unit_code = cell("unit")
    if unit_code:
        if str(unit_code) not in units:
            raise _Reject(f"unknown unit {unit_code!r}; known: {', '.join(sorted(units))}")
        unit = units[str(unit_code)]
    elif declared_unit:
        unit = declared_unit
    else:
        raise _Reject("no unit: neither a unit column value nor a unit declared in the metadata")
    qual_code = str(cell("qualifier") or "EXACT")
    if qual_code not in qualifiers:
        raise _Reject(f"unknown value qualifier {qual_code!r}; known: {', '.join(sorted(qualifiers))}")
    key = (ind, area, period, sector_code)
    if key in seen:
        raise _Reject(f"duplicate observation: same indicator, area, period and sector as row {seen[key]}")
    seen[key] = rownum

    obs_iri = (f"{base}obs/import/{slug}/{slugify(ind)}-{slugify(area[len(base):] if area.startswith(base) else area)}"
               f"-{period}-{slugify(sector_code) or 't'}")
    obs = ox.NamedNode(obs_iri)
    rowres = ox.NamedNode(f"{url}#row={rownum}")
    p = PREFIXES

    def n(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(p[prefix] + local)

    text = f"{value.normalize():f}"
    triples: list[_Spo] = [
        (obs, n("rdf", "type"), n("qb", "Observation")),
        (obs, n("rdfs", "label"), ox.Literal(f"{ind} {period}: {text} (bảng {slug}, dòng {rownum})", language="vi")),
        (obs, n("rdfs", "label"), ox.Literal(f"{ind} {period}: {text} (table {slug}, row {rownum})", language="en")),
        (obs, n("qb", "dataSet"), ox.NamedNode(dataset)),
        (obs, n("hpkg", "indicator"), ox.NamedNode(indicators[ind])),
        (obs, n("sdmx-dimension", "refArea"), ox.NamedNode(area)),
        (obs, n("sdmx-dimension", "refPeriod"), ox.NamedNode(f"{base}period/{period}")),
        (obs, n("hpkg", "sector"), ox.NamedNode(sectors[sector_code])),
        (obs, n("sdmx-measure", "obsValue"), ox.Literal(text, datatype=n("xsd", "decimal"))),
        (obs, n("sdmx-attribute", "unitMeasure"), ox.NamedNode(unit)),
        (obs, n("hpkg", "valueQualifier"), ox.NamedNode(qualifiers[qual_code])),
        (obs, n("prov", "wasDerivedFrom"), ox.NamedNode(url)),
        (obs, n("hpkg", "evidence"), rowres),
        (rowres, n("rdf", "type"), n("hpkg", "EvidenceQuote")),
        (rowres, n("rdfs", "label"), ox.Literal(f"Dòng {rownum} của bảng {slug}", language="vi")),
        (rowres, n("rdfs", "label"), ox.Literal(f"Row {rownum} of table {slug}", language="en")),
        (rowres, n("dcterms", "isPartOf"), ox.NamedNode(url)),
        (rowres, n("prov", "value"), ox.Literal(delim.join(raw))),
    ]
    return obs_iri, triples, period


def _year_interval(year: str, base: str) -> list[_Spo]:
    p = PREFIXES

    def n(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(p[prefix] + local)

    iv = ox.NamedNode(f"{base}period/{year}")
    start = ox.NamedNode(f"{base}period/{year}-01-01")
    end = ox.NamedNode(f"{base}period/{year}-12-31")
    out: list[_Spo] = [
        (iv, n("rdf", "type"), n("time", "ProperInterval")),
        (iv, n("rdfs", "label"), ox.Literal(year, language="vi")),
        (iv, n("rdfs", "label"), ox.Literal(year, language="en")),
        (iv, n("dcterms", "identifier"), ox.Literal(year)),
        (iv, n("time", "hasBeginning"), start),
        (iv, n("time", "hasEnd"), end),
    ]
    for inst, day in ((start, f"{year}-01-01"), (end, f"{year}-12-31")):
        d = dt.date.fromisoformat(day)
        out += [
            (inst, n("rdf", "type"), n("time", "Instant")),
            (inst, n("rdfs", "label"), ox.Literal(f"{d.day}/{d.month}/{d.year}", language="vi")),
            (inst, n("rdfs", "label"), ox.Literal(day, language="en")),
            (inst, n("time", "inXSDDate"), ox.Literal(day, datatype=n("xsd", "date"))),
        ]
    return out
