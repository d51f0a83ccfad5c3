"""Writing one FIA report as Turtle: its source document, data sets, observations, cells, periods and areas.

The Turtle uses relative IRIs, resolved against the graph's base when ``hpkg build`` loads ``data/fia/`` into
``{base}graph/fia`` (as every shipped data file does), and it is written in a fixed order, so importing the same
spreadsheet again writes the same bytes. The exact shape of an observation is documented in ``docs/fia.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from hpkg.opendata.fia import names
from hpkg.opendata.fia.importer import Area, Observation, Report
from hpkg.opendata.fia.tables import UNIT_OF
from hpkg.opendata.reference import package_release

#: The repository the copies of the reports were taken from (sources/fia/README.md).
REPOSITORY = "https://github.com/HungNT1st/CS571_Project"
REPOSITORY_COMMIT = "7d6415f82851f9c024dd4a540064472727c8dfe2"
PUBLISHER = "org/cuc-dau-tu-nuoc-ngoai"
VSIC_SCHEME = "concept/vsic-2018"

#: Indicator notation -> the CL_INDICATOR concept (concepts.ttl).
INDICATORS = {
    "FDI_REG": "fdi-registered", "FDI_REG_NEW": "fdi-registered-new", "FDI_REG_ADJ": "fdi-registered-adjusted",
    "FDI_CONTRIB": "fdi-contributions", "FDI_DISB": "fdi-disbursed", "PROJ_NEW": "projects-new",
    "PROJ_ADJ": "projects-adjusted", "CONTRIB_COUNT": "contributions-count", "FDI_CUM": "fdi-cumulative",
    "FDI_PROJ_CUM": "fdi-projects-cumulative", "FDI_EXPORTS": "fdi-exports", "FDI_IMPORTS": "fdi-imports",
}
UNITS = {"PROJ_NEW": "<unit/project>", "PROJ_ADJ": "<unit/project>", "FDI_PROJ_CUM": "<unit/project>",
         "CONTRIB_COUNT": "unit:NUM"}

TABLE_TITLES = {
    "national": ("Tổng hợp cả nước", "National summary"),
    "by-sector": ("Theo ngành", "By sector"),
    "by-partner": ("Theo đối tác", "By partner"),
    "by-province": ("Theo địa phương", "By province"),
    "cumulative-by-sector": ("Luỹ kế theo ngành", "Cumulative stock by sector"),
    "cumulative-by-partner": ("Luỹ kế theo đối tác", "Cumulative stock by partner"),
    "cumulative-by-province": ("Luỹ kế theo địa phương", "Cumulative stock by province"),
}

PREFIXES = """@prefix hpkg:           <https://w3id.org/hpkg/ontology#> .
@prefix rdfs:           <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:            <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:           <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:           <http://www.w3.org/ns/prov#> .
@prefix dcterms:        <http://purl.org/dc/terms/> .
@prefix time:           <http://www.w3.org/2006/time#> .
@prefix schema:         <https://schema.org/> .
@prefix org:            <http://www.w3.org/ns/org#> .
@prefix qb:             <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure:   <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix unit:           <http://qudt.org/vocab/unit/> .
@prefix eucountry:      <http://publications.europa.eu/resource/authority/country/> .
@prefix ind:            <concept/indicator/> .
"""


def lit(text: str, lang: str | None = None) -> str:
    """A Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def decimal(value: Decimal) -> str:
    """An xsd:decimal in Turtle's short form (always with a decimal point): ``3188`` -> ``3188.0``."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def date_vi(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def interval_iri(begin: dt.date | None, end: dt.date) -> str:
    return f"<period/{begin.isoformat()}--{end.isoformat()}>" if begin else f"<period/until-{end.isoformat()}>"


def cell_iri(report: Report, sheet: str, cell: str) -> str:
    return f"<source/fia/{report.key}/cell/{quote(sheet, safe='')}!{cell}>"


def area_iri(area: Area) -> str:
    if area.kind == "unit":
        return f"<code/dvhc-63/{area.key}>"
    if area.kind == "partner":
        return f"eucountry:{area.key}"
    if area.kind == "oil-gas":
        return "<place/dau-khi>"
    return "<place/viet-nam>"


def area_slug(area: Area) -> str:
    if area.kind == "unit":
        return names.units()[area.key].slug
    if area.kind == "partner":
        return area.key.lower()
    return names.OIL_AND_GAS if area.kind == "oil-gas" else "viet-nam"


def area_labels(area: Area) -> tuple[str, str]:
    if area.kind == "unit":
        u = names.units()[area.key]
        return u.short, u.short
    if area.kind == "partner":
        p = names.partners()[area.key]
        return area.printed or p.name_vi, p.name_en
    if area.kind == "oil-gas":
        return "Dầu khí", "Offshore oil and gas"
    return "Việt Nam", "Vietnam"


def observation_iri(report: Report, o: Observation) -> str:
    where = o.sector.lower() if o.sector else area_slug(o.area)
    return f"<obs/fia/{report.key}/{o.table}/{where}/{o.indicator}>"


def _period_label(begin: dt.date | None, end: dt.date) -> tuple[str, str]:
    if begin is None:
        return f"luỹ kế đến {date_vi(end)}", f"cumulative to {end.isoformat()}"
    return f"{date_vi(begin)}–{date_vi(end)}", f"{begin.isoformat()} to {end.isoformat()}"


def _instant(d: dt.date) -> str:
    return (f"<period/{d.isoformat()}> a time:Instant ; rdfs:label {lit(date_vi(d), 'vi')} , "
            f"{lit(d.isoformat(), 'en')} ; time:inXSDDate {lit(d.isoformat())}^^xsd:date .\n")


def _calendar(report: Report) -> tuple[str, str, str, dt.date, dt.date]:
    """The report's calendar period: (IRI, label vi, label en, begin, end) — the year, or the first half-year."""
    y = report.year
    if report.half_year:
        return (f"<period/{y}-h1>", f"6 tháng đầu năm {y}", f"First half of {y}", dt.date(y, 1, 1),
                dt.date(y, 6, 30))
    return f"<period/{y}>", str(y), str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)


def _periods(report: Report) -> Iterable[str]:
    cal_iri, cal_vi, cal_en, cal_begin, cal_end = _calendar(report)
    ident = f"{report.year}-H1" if report.half_year else str(report.year)
    yield (f"{cal_iri} a time:ProperInterval ; rdfs:label {lit(cal_vi, 'vi')} , {lit(cal_en, 'en')} ; "
           f"dcterms:identifier {lit(ident)} ;\n    time:hasBeginning <period/{cal_begin.isoformat()}> ; "
           f"time:hasEnd <period/{cal_end.isoformat()}> .\n")
    instants = {cal_begin, cal_end}
    seen: set[tuple[dt.date | None, dt.date]] = set()
    for o in report.observations:
        key = (o.begin, o.end)
        if key in seen or (o.begin, o.end) == (cal_begin, cal_end):
            continue
        seen.add(key)
    for begin, end in sorted(seen, key=lambda k: (k[0] or dt.date.min, k[1])):
        vi, en = _period_label(begin, end)
        lines = [f"{interval_iri(begin, end)} a time:ProperInterval ; rdfs:label {lit(vi, 'vi')} , {lit(en, 'en')} ;"]
        if begin is None:
            lines.append("    rdfs:comment \"Các dự án còn hiệu lực luỹ kế đến ngày này; báo cáo không nêu ngày bắt "
                         "đầu.\"@vi , \"Projects in force accumulated up to this day; the report states no "
                         "beginning.\"@en ;")
            lines.append(f"    time:hasEnd <period/{end.isoformat()}> .")
        else:
            rel = ("time:intervalEquals" if (begin, end) == (cal_begin, cal_end) else "time:intervalStarts"
                   if begin == cal_begin else "time:intervalDuring")
            lines.append(f"    time:hasBeginning <period/{begin.isoformat()}> ; time:hasEnd <period/{end.isoformat()}> ;")
            lines.append(f"    {rel} {cal_iri} .")
            instants.add(begin)
        instants.add(end)
        yield "\n".join(lines) + "\n"
    for d in sorted(instants):
        yield _instant(d)


def _source(report: Report) -> str:
    file = report.path.name
    what_vi = f"6 tháng đầu năm {report.year}" if report.half_year else f"năm {report.year}"
    what_en = f"first half of {report.year}" if report.half_year else str(report.year)
    copy = f"{REPOSITORY}/blob/{REPOSITORY_COMMIT}/data/{quote(file)}"
    lines = [
        f"<source/fia/{report.key}> a hpkg:SourceDocument , prov:Entity ;",
        f"    rdfs:label {lit(f'Báo cáo nhanh đầu tư nước ngoài {what_vi} ({file})', 'vi')} ,",
        f"        {lit(f'Foreign Investment Agency quick report, {what_en} ({file})', 'en')} ;",
        f"    dcterms:title {lit(f'Báo cáo nhanh đầu tư nước ngoài {what_vi}', 'vi')} ,",
        f"        {lit(f'Quick report on foreign investment, {what_en}', 'en')} ;",
        "    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/vi> ;",
        f"    dcterms:publisher <{PUBLISHER}> ; dcterms:creator <{PUBLISHER}> ;",
        f"    dcterms:temporal {_calendar(report)[0]} ;",
        f"    dcterms:source <{copy}> ;",
        f"    schema:encodingFormat {lit('application/vnd.ms-excel' if file.endswith('.xls') else 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')} ;",
        f"    rdfs:comment {lit(f'Bản sao nguyên vẹn trong sources/fia/{file}, lấy từ kho {REPOSITORY} (thư mục data/, commit {REPOSITORY_COMMIT}).', 'vi')} ,",
        f"        {lit(f'Unchanged copy in sources/fia/{file}, obtained from the repository {REPOSITORY} (folder data/, commit {REPOSITORY_COMMIT}).', 'en')}",
    ]
    if report.issued:
        lines[-1] += " ;"
        lines.append(f"    dcterms:issued {lit(report.issued.isoformat())}^^xsd:date")
    return "\n".join(lines) + " .\n"


def _publisher(report: Report) -> str:
    lines = [
        f"<{PUBLISHER}> a org:Organization ;",
        "    rdfs:label \"Cục Đầu tư nước ngoài\"@vi , \"Foreign Investment Agency\"@en ;",
        "    skos:prefLabel \"Cục Đầu tư nước ngoài\"@vi , \"Foreign Investment Agency\"@en ;",
        "    skos:altLabel \"Cục ĐTNN\"@vi , \"FIA\"@en ;",
        "    rdfs:comment \"Cục Đầu tư nước ngoài, Bộ Kế hoạch và Đầu tư: cơ quan công bố các báo cáo nhanh đầu tư nước "
        "ngoài.\"@vi , \"The Foreign Investment Agency of the Ministry of Planning and Investment, publisher of the quick "
        "reports on foreign investment.\"@en ;",
        f"    prov:wasDerivedFrom <source/fia/{report.key}>",
    ]
    if report.publisher_cell:
        sheet, cell, _ = report.publisher_cell
        lines[-1] += f" ; hpkg:evidence {cell_iri(report, sheet, cell)}"
    return "\n".join(lines) + " .\n"


def _cell(report: Report, sheet: str, cell: str, text: str) -> str:
    ref = f"{sheet}!{cell}"
    return (f"{cell_iri(report, sheet, cell)} a hpkg:EvidenceQuote ; rdfs:label {lit(f'Ô {ref}', 'vi')} , "
            f"{lit(f'Cell {ref}', 'en')} ;\n    prov:value {lit(text, 'vi')} ; dcterms:isPartOf <source/fia/{report.key}> .\n")


def _datasets(report: Report) -> Iterable[str]:
    what_vi = f"6 tháng đầu năm {report.year}" if report.half_year else f"năm {report.year}"
    what_en = f"first half of {report.year}" if report.half_year else str(report.year)
    for t in sorted({o.table for o in report.observations}):
        vi, en = TABLE_TITLES[t]
        title_vi = f"Đầu tư nước ngoài {what_vi}: {vi.lower()} (Cục Đầu tư nước ngoài)"
        title_en = f"Foreign investment, {what_en}: {en.lower()} (Foreign Investment Agency)"
        yield (f"<dataset/fia/{report.key}/{t}> a qb:DataSet ;\n    rdfs:label {lit(title_vi, 'vi')} , {lit(title_en, 'en')} ;\n"
               f"    dcterms:title {lit(title_vi, 'vi')} , {lit(title_en, 'en')} ;\n"
               f"    qb:structure hpkg:dsd-zone-indicators ; dcterms:publisher <{PUBLISHER}> ;\n"
               f"    prov:wasDerivedFrom <source/fia/{report.key}> .\n")


def _areas(report: Report) -> Iterable[str]:
    printed: dict[tuple[str, str], set[str]] = {}
    for o in report.observations:
        if o.area.kind in ("unit", "partner", "oil-gas"):
            printed.setdefault((o.area.kind, o.area.key), set()).add(o.area.printed)
    for (kind, key), seen in sorted(printed.items()):
        if kind == "unit":
            u = names.units()[key]
            alt = sorted(p for p in seen if p and p != u.name)
            lines = [
                f"<code/dvhc-63/{key}> a skos:Concept , hpkg:AdministrativeUnitCode , hpkg:AdministrativeUnit ;",
                f"    rdfs:label {lit(f'{u.name} (mã {key})', 'vi')} , {lit(f'{u.short} (code {key})', 'en')} ;",
                f"    skos:prefLabel {lit(u.name, 'vi')} , {lit(u.short, 'en')} ;",
                f"    skos:inScheme <code/dvhc-63> ; skos:notation {lit(key)} ; hpkg:locatedIn <place/viet-nam> ;",
                f"    prov:wasDerivedFrom <{package_release('vietnamadminunits')[1]}>",
            ]
            if alt:
                lines[-1] += " ;"
                lines.append("    skos:altLabel " + " , ".join(lit(a, "vi") for a in alt))
            yield "\n".join(lines) + " .\n"
        elif kind == "partner":
            p = names.partners()[key]
            klass = "hpkg:Territory" if p.territory else "schema:Country"
            vi = p.name_vi if p.name_vi != p.name_en else sorted(seen)[0]
            alt = sorted(s for s in seen if s and s != vi)
            lines = [
                f"eucountry:{key} a {klass} ;",
                f"    rdfs:label {lit(vi, 'vi')} , {lit(p.name_en, 'en')} ;",
                f"    skos:prefLabel {lit(vi, 'vi')} , {lit(p.name_en, 'en')} ;",
                f"    hpkg:iso3166Alpha2 {lit(p.alpha2)} ; hpkg:iso3166Alpha3 {lit(p.alpha3)} ; "
                f"hpkg:iso3166Numeric {lit(p.numeric)} ;",
                f"    prov:wasDerivedFrom <{package_release('pycountry')[1]}>",
            ]
            if alt:
                lines[-1] += " ;"
                lines.append("    skos:altLabel " + " , ".join(lit(a, "vi") for a in alt))
            yield "\n".join(lines) + " .\n"
        else:
            yield ("<place/dau-khi> a schema:Place ;\n"
                   "    rdfs:label \"Dầu khí (ngoài khơi)\"@vi , \"Offshore oil and gas\"@en ;\n"
                   "    skos:prefLabel \"Dầu khí (ngoài khơi)\"@vi , \"Offshore oil and gas\"@en ;\n"
                   "    skos:altLabel \"Dầu khí\"@vi ;\n"
                   "    rdfs:comment \"Các dự án dầu khí ngoài khơi, mà báo cáo của Cục Đầu tư nước ngoài liệt kê cùng "
                   "các tỉnh; không phải một tỉnh.\"@vi , \"The offshore oil and gas projects, which the Foreign "
                   "Investment Agency's reports list among the provinces; not a province.\"@en ;\n"
                   "    hpkg:locatedIn <place/viet-nam> .\n")


def _sectors(report: Report) -> Iterable[str]:
    used = sorted({o.sector for o in report.observations if o.sector})
    if not used:
        return
    yield (f"<{VSIC_SCHEME}> a skos:ConceptScheme ;\n"
           "    skos:notation \"CL_VSIC_2018_SECTION\" ;\n"
           "    skos:prefLabel \"Ngành kinh tế cấp 1 (VSIC 2018)\"@vi , \"Sections of the Vietnamese standard "
           "industrial classification (VSIC 2018)\"@en ;\n"
           "    rdfs:label \"Ngành kinh tế cấp 1 (VSIC 2018)\"@vi , \"Sections of the Vietnamese standard "
           "industrial classification (VSIC 2018)\"@en ;\n"
           "    rdfs:comment \"Các ngành cấp 1 của Hệ thống ngành kinh tế Việt Nam (Quyết định 27/2018/QĐ-TTg) mà "
           "các báo cáo của Cục Đầu tư nước ngoài dùng.\"@vi , \"The sections of the Vietnamese standard industrial "
           "classification (Decision 27/2018/QĐ-TTg) that the Foreign Investment Agency's reports use.\"@en ;\n"
           "    skos:hasTopConcept " + " , ".join(f"<{VSIC_SCHEME}/{s}>" for s in used) + " .\n")
    for s in used:
        vi, en = names.SECTIONS[s]
        yield (f"<{VSIC_SCHEME}/{s}> a skos:Concept ; skos:inScheme <{VSIC_SCHEME}> , <concept/sector> ;\n"
               f"    skos:topConceptOf <{VSIC_SCHEME}> ; skos:notation {lit(s)} ;\n"
               f"    skos:prefLabel {lit(vi, 'vi')} , {lit(en, 'en')} .\n")


def _observation(report: Report, o: Observation) -> str:
    area_vi, area_en = area_labels(o.area)
    if o.sector:
        area_vi, area_en = names.SECTIONS[o.sector][0], names.SECTIONS[o.sector][1]
    p_vi, p_en = _period_label(o.begin, o.end)
    unit = UNITS.get(o.indicator, "unit:CCY_USD")
    sector = f"<{VSIC_SCHEME}/{o.sector}>" if o.sector else "<concept/sector/all>"
    value = decimal(o.value)
    return (f"{observation_iri(report, o)} a qb:Observation ;\n"
            f"    rdfs:label {lit(f'{o.indicator} {area_vi}, {p_vi}: {value}', 'vi')} , "
            f"{lit(f'{o.indicator} {area_en}, {p_en}: {value}', 'en')} ;\n"
            f"    qb:dataSet <dataset/fia/{report.key}/{o.table}> ;\n"
            f"    hpkg:indicator ind:{INDICATORS[o.indicator]} ; sdmx-dimension:refArea {area_iri(o.area)} ;\n"
            f"    sdmx-dimension:refPeriod {interval_iri(o.begin, o.end) if (o.begin, o.end) != _calendar(report)[3:] else _calendar(report)[0]} ;"
            f" hpkg:sector {sector} ;\n"
            f"    sdmx-measure:obsValue {value} ; sdmx-attribute:unitMeasure {unit} ; "
            f"hpkg:valueQualifier <concept/qualifier/exact> ;\n"
            f"    prov:wasDerivedFrom <source/fia/{report.key}> ; hpkg:evidence {cell_iri(report, o.sheet, o.cell)} .\n")


def turtle(report: Report) -> bytes:
    """The report as Turtle (UTF-8), the same bytes for the same spreadsheet."""
    parts = [f"# Generated by `hpkg import fia` from sources/fia/{report.path.name} (Foreign Investment Agency,\n"
             "# Cục Đầu tư nước ngoài). Do not edit: import the spreadsheet again. Shape: docs/fia.md.\n\n",
             PREFIXES, "\n", _source(report), "\n", _publisher(report), "\n"]
    parts += [p + "\n" for p in _datasets(report)]
    parts += list(_periods(report))
    parts.append("\n")
    parts += [p for p in _areas(report)]
    parts.append("\n")
    parts += [p for p in _sectors(report)]
    parts.append("\n")
    cells: dict[tuple[str, str], str] = {}
    if report.publisher_cell:
        cells[report.publisher_cell[:2]] = report.publisher_cell[2]
    for o in report.observations:
        parts.append(_observation(report, o))
        cells[(o.sheet, o.cell)] = o.text
    parts.append("\n")
    for (sheet, cell), text in cells.items():
        parts.append(_cell(report, sheet, cell, text))
    return "".join(parts).encode("utf-8")


def unit_of(indicator: str) -> str:
    """The base unit of an indicator's values (``usd`` or ``count``)."""
    return UNIT_OF[indicator]
