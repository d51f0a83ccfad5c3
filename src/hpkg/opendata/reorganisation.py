"""The 2025 reorganisation of Vietnam's province-level units (63 -> 34), generated from package data, and the
boundaries of the 34 new units, simplified to a size fit to ship.

Both files are generated, never edited by hand (``scripts/reorganisation_2025.py`` writes them; a test fails when
the committed files differ from what this module generates):

* ``data/reorganisation-2025.ttl``: the 63 units of the list in force until 30 June 2025 (``code/dvhc-63/NN``) and
  the 34 of the list in force from 1 July 2025 (``code/dvhc-34/NN``), with the General Statistics Office codes and
  names of ``vietnamadminunits`` (``admin_units_legacy``, ``admin_units``); which old units each new unit was
  formed from is that package's ``data/converter_2025.json`` (``DICT_PROVINCE``). Per new unit one
  ``org:ChangeEvent`` (W3C ORG, a ``prov:Activity``): ``prov:used`` the old units, ``prov:generated`` the new one,
  ``org:originalOrganization`` / ``org:resultingOrganization`` their governments, ``hpkg:legalBasis`` Resolution
  202/2025/QH15; the old code ``dcterms:isReplacedBy`` the new one. The record of ``DICT_PROVINCE`` is the event's
  evidence. Hải Phòng's event is the curated one of ``admin-changes.ttl`` (it gets the codes, not a second event).
* ``data/boundaries-2025.ttl``: one GeoSPARQL geometry (``geo:hasGeometry`` / ``geo:asWKT``, a CRS84
  ``geo:wktLiteral``) per new unit, from ``sources/provinces-2025/provinces-2025.geojson``, which is the
  simplification of the 34 GeoJSON files of ``thanglequoc/vietnamese-provinces-database`` (MIT) made by
  :func:`simplify_boundaries`.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.iri import DEFAULT_BASE
from hpkg.namespaces import PREFIXES, prefix_subset
from hpkg.rdfio import serialize

#: ``coverage_simplify`` tolerance in degrees (about 500 m), and the grid the result is snapped to (about 11 m).
TOLERANCE = 0.005
GRID = 1e-4
#: Where the boundaries come from (the shared copy's README names the repository, folder and commit).
BOUNDARIES_REPO = "https://github.com/thanglequoc/vietnamese-provinces-database"
BOUNDARIES_COMMIT = "cd58063299585146ded3981f2272946ef19ced54"
BOUNDARIES_FOLDER = "dataset-generation-scripts/resources/gis/geojson_11Mar2026"
BOUNDARIES_SOURCE = f"{BOUNDARIES_REPO}/tree/{BOUNDARIES_COMMIT}/{BOUNDARIES_FOLDER}"
#: The curated Hải Phòng merger (``admin-changes.ttl``) and the resolution every event rests on.
HAI_PHONG_NEW = "31"
HAI_PHONG_EVENT = "event/hop-nhat-hai-duong-hai-phong-2025"
RESOLUTION = "policy/nghi-quyet-202-2025-qh15"
MERGER_DAY = "period/2025-07-01"


@dataclass(frozen=True)
class Unit:
    """A province-level unit of one of the two official lists."""

    code: str
    name: str
    short: str
    key: str


@dataclass(frozen=True)
class NewUnit:
    """A unit of 1 July 2025 and the pre-2025 units it was formed from (in the package's order)."""

    unit: Unit
    formed_from: tuple[Unit, ...]


def _package() -> tuple[str, str]:
    from hpkg.opendata.reference import package_release

    return package_release("vietnamadminunits")


@lru_cache(maxsize=1)
def reorganisation() -> tuple[NewUnit, ...]:
    """The 34 new units, by code, each with the old units it was formed from (``DICT_PROVINCE``)."""
    from vietnamadminunits.database.main import query

    def units(table: str) -> dict[str, Unit]:
        rows = query(f"SELECT DISTINCT province, provinceShort, provinceCode, provinceKey FROM [{table}]")
        return {r["provinceKey"]: Unit(r["provinceCode"], r["province"], r["provinceShort"], r["provinceKey"])
                for r in rows}

    old, new = units("admin_units_legacy"), units("admin_units")
    data = json.loads((importlib.resources.files("vietnamadminunits") / "data" / "converter_2025.json")
                      .read_text(encoding="utf-8"))["DICT_PROVINCE"]
    if set(data) != set(new):
        raise HpkgError(f"vietnamadminunits: DICT_PROVINCE names {len(data)} new units, the 34-unit list {len(new)}")
    out = []
    for key, old_keys in data.items():
        missing = [k for k in old_keys if k not in old]
        if missing:
            raise HpkgError(f"vietnamadminunits: {key} is formed from unknown units {missing}")
        out.append(NewUnit(new[key], tuple(old[k] for k in old_keys)))
    return tuple(sorted(out, key=lambda n: n.unit.code))


def _record(key: str, old_keys: Sequence[str]) -> str:
    """The ``DICT_PROVINCE`` entry as the package's JSON writes it (the evidence of an event)."""
    return json.dumps({key: list(old_keys)}, ensure_ascii=False)[1:-1]


# ---------------------------------------------------------------- RDF


class _Graph:
    def __init__(self, base: str) -> None:
        self.base = base
        self.triples: list[ox.Triple] = []

    def iri(self, ref: str) -> ox.NamedNode:
        if "://" in ref:
            return ox.NamedNode(ref)
        prefix, sep, local = ref.partition(":")
        if sep and prefix in PREFIXES and not ref.startswith(("code/", "org/", "event/", "place/", "policy/")):
            return ox.NamedNode(PREFIXES[prefix] + local)
        return ox.NamedNode(self.base + ref)

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        self.triples.append(ox.Triple(self.iri(s), self.iri(p), o if isinstance(o, ox.Literal) else self.iri(o)))

    def labels(self, s: str, p: str, vi: str, en: str) -> None:
        self.add(s, p, ox.Literal(vi, language="vi"))
        self.add(s, p, ox.Literal(en, language="en"))


def _code(g: _Graph, scheme: str, u: Unit, source: str) -> str:
    """A GSO code concept, described as ``hpkg link`` describes the ones it links to (the same triples)."""
    c = f"code/{scheme}/{u.code}"
    g.add(c, "rdf:type", "hpkg:AdministrativeUnitCode")
    g.add(c, "rdf:type", "skos:Concept")
    g.add(c, "skos:notation", ox.Literal(u.code))
    g.labels(c, "skos:prefLabel", u.name, u.short)
    g.labels(c, "rdfs:label", f"{u.name} (mã {u.code})", f"{u.short} (code {u.code})")
    g.add(c, "skos:inScheme", f"code/{scheme}")
    g.add(c, "prov:wasDerivedFrom", source)
    return c


def _government(g: _Graph, scheme: str, u: Unit, event: str, doc: str, quote: str) -> str:
    before = scheme == "dvhc-63"
    o = f"org/chinh-quyen/{scheme}/{u.code}"
    g.add(o, "rdf:type", "org:Organization")  # not an hpkg:GovernmentBody: that needs an area as its jurisdiction
    when_vi, when_en = ("đến 30/6/2025", "until 30 June 2025") if before else ("từ 1/7/2025", "from 1 July 2025")
    g.labels(o, "rdfs:label", f"Chính quyền {u.name[0].lower()}{u.name[1:]} ({when_vi})",
             f"{u.short} government ({when_en})")
    g.add(o, "org:changedBy" if before else "org:resultedFrom", event)
    g.add(o, "prov:wasDerivedFrom", doc)
    g.add(o, "hpkg:evidence", quote)
    return o


def reorganisation_triples(base: str = DEFAULT_BASE) -> list[ox.Triple]:
    """The triples of ``data/reorganisation-2025.ttl``."""
    version, package = _package()
    doc = package + "#data/converter_2025.json"
    db = package + "#data/dataset.db"
    g = _Graph(base)
    g.add(db, "rdf:type", "prov:Entity")
    g.labels(db, "rdfs:label", f"vietnamadminunits {version}: cơ sở dữ liệu đơn vị hành chính (mã, tên)",
             f"vietnamadminunits {version}: the administrative-unit database (codes, names)")
    g.labels(db, "rdfs:comment",
             "Bảng admin_units_legacy (63 tỉnh, đến 30/6/2025) và admin_units (34 tỉnh, từ 1/7/2025), mã của Tổng "
             "cục Thống kê.",
             "Tables admin_units_legacy (63 provinces, until 30 June 2025) and admin_units (34 provinces, from 1 July "
             "2025), with the General Statistics Office codes.")
    g.add(db, "dcterms:isPartOf", package)
    g.add(doc, "rdf:type", "hpkg:SourceDocument")
    g.labels(doc, "rdfs:label", f"vietnamadminunits {version}: bảng chuyển đổi đơn vị hành chính cấp tỉnh 2025",
             f"vietnamadminunits {version}: the 2025 province-level conversion table")
    g.labels(doc, "dcterms:title", f"vietnamadminunits {version}, data/converter_2025.json (DICT_PROVINCE)",
             f"vietnamadminunits {version}, data/converter_2025.json (DICT_PROVINCE)")
    g.add(doc, "dcterms:language", "http://id.loc.gov/vocabulary/iso639-1/vi")
    g.add(doc, "dcterms:publisher", "https://github.com/tranngocminhhieu/vietnamadminunits")
    g.add(doc, "dcterms:isPartOf", package)
    g.labels(doc, "rdfs:comment",
             "Với mỗi đơn vị hành chính cấp tỉnh từ 1/7/2025 (khóa tên không dấu), các đơn vị trước 1/7/2025 hợp thành nó.",
             "For each province-level unit from 1 July 2025 (by its unaccented name key), the pre-2025 units it was "
             "formed from.")
    for scheme, old in (("dvhc-63", True), ("dvhc-34", False)):
        vi = ("Danh mục đơn vị hành chính cấp tỉnh (63 tỉnh, đến 30/6/2025)" if old
              else "Danh mục đơn vị hành chính cấp tỉnh (34 tỉnh, từ 1/7/2025)")
        en = ("Province-level administrative units (63-province list, until 30 June 2025)" if old
              else "Province-level administrative units (34-province list, from 1 July 2025)")
        cs = f"code/{scheme}"
        g.add(cs, "rdf:type", "skos:ConceptScheme")
        g.add(cs, "skos:notation", ox.Literal("CL_DVHC_63" if old else "CL_DVHC_34"))
        for pred in ("rdfs:label", "skos:prefLabel", "dcterms:title"):
            g.labels(cs, pred, vi, en)
        g.add(cs, "dcterms:publisher", ox.Literal("Tổng cục Thống kê (General Statistics Office of Vietnam)"))
        g.add(cs, "prov:wasDerivedFrom", db)
    for n in reorganisation():
        new_code = _code(g, "dvhc-34", n.unit, db)
        quote = f"{doc}/{n.unit.key}"
        g.add(quote, "rdf:type", "hpkg:EvidenceQuote")
        g.labels(quote, "rdfs:label", f"DICT_PROVINCE: {n.unit.key}", f"DICT_PROVINCE: {n.unit.key}")
        g.add(quote, "dcterms:isPartOf", doc)
        g.add(quote, "prov:value", ox.Literal(_record(n.unit.key, [u.key for u in n.formed_from]), language="vi"))
        names_vi = ", ".join(u.name for u in n.formed_from)
        names_en = ", ".join(u.short for u in n.formed_from)
        curated = n.unit.code == HAI_PHONG_NEW
        event = HAI_PHONG_EVENT if curated else f"event/sap-xep-dvhc-2025/{n.unit.code}"
        if not curated:
            g.add(event, "rdf:type", "org:ChangeEvent")
            if len(n.formed_from) == 1:
                label_vi, label_en = f"{n.unit.short} giữ nguyên (2025)", f"{n.unit.short} kept as it was (2025)"
            else:
                label_vi = f"Sắp xếp {names_vi} thành {n.unit.name} (2025)"
                label_en = f"{names_en} reorganised into {n.unit.short} (2025)"
            g.labels(event, "rdfs:label", label_vi, label_en)
            g.labels(event, "dcterms:description",
                     f"{n.unit.name} (mã {n.unit.code}, từ 1/7/2025) được hình thành từ: {names_vi}; theo Nghị quyết "
                     "202/2025/QH15.",
                     f"{n.unit.short} (code {n.unit.code}, from 1 July 2025) was formed from: {names_en}; under "
                     "Resolution 202/2025/QH15.")
            g.add(event, "time:hasTime", MERGER_DAY)
            g.add(event, "prov:startedAtTime",
                  ox.Literal("2025-07-01T00:00:00+07:00", datatype=ox.NamedNode(PREFIXES["xsd"] + "dateTime")))
            g.add(event, "hpkg:legalBasis", RESOLUTION)
            g.add(event, "org:resultingOrganization", _government(g, "dvhc-34", n.unit, event, doc, quote))
        g.add(event, "prov:generated", new_code)
        g.add(event, "prov:wasDerivedFrom", doc)
        g.add(event, "hpkg:evidence", quote)
        for u in n.formed_from:
            old_code = _code(g, "dvhc-63", u, db)
            g.add(old_code, "dcterms:isReplacedBy", new_code)
            g.add(new_code, "dcterms:replaces", old_code)
            g.add(event, "prov:used", old_code)
            if not curated:
                g.add(event, "org:originalOrganization", _government(g, "dvhc-63", u, event, doc, quote))
    return g.triples


# ---------------------------------------------------------------- boundaries


def _fold(text: str) -> str:
    """``Đắk Lắk`` -> ``dak_lak``: the ASCII folding of the boundary files' names."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _file_key(path: Path) -> str:
    """``13_hai_phong.geojson`` -> ``hai_phong``; ``1_thu_do_ha_noi`` -> ``ha_noi``; ``2_tinh_cao_bang`` -> ``cao_bang``."""
    return re.sub(r"^(tinh|thu_do)_", "", re.sub(r"^\d+_", "", path.stem))


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def boundary_files(folder: Path) -> dict[str, Path]:
    """The 34 GeoJSON files of ``folder`` by the GSO code of their unit (matched by name, never by ``matinh``)."""
    by_name = {_fold(n.unit.short): n.unit.code for n in reorganisation()}
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.geojson")):
        code = by_name.get(_file_key(path))
        if code is None:
            raise HpkgError(f"{path}: no unit of the 34-unit list is named {_file_key(path)!r}")
        if code in out:
            raise HpkgError(f"{path}: a second file for unit {code} ({out[code].name})")
        out[code] = path
    missing = sorted(set(by_name.values()) - set(out))
    if missing:
        raise HpkgError(f"{folder}: no boundary for the units {', '.join(missing)}")
    return out


def simplify_boundaries(folder: Path) -> dict[str, object]:
    """One FeatureCollection of the 34 units, simplified together so that shared borders stay shared.

    ``shapely.coverage_simplify`` (tolerance :data:`TOLERANCE`) simplifies the borders of the whole coverage once,
    not each polygon on its own, so neighbours keep one common edge; ``set_precision`` then snaps the result to a
    :data:`GRID`-degree grid, which keeps every polygon valid.
    """
    import shapely
    from shapely.geometry import mapping, shape

    files = boundary_files(folder)
    units = {n.unit.code: n.unit for n in reorganisation()}
    codes = sorted(files)
    geoms = []
    props = []
    for code in codes:
        doc = json.loads(files[code].read_text(encoding="utf-8"))
        [feature] = doc["features"]
        geoms.append(shape(feature["geometry"]))
        props.append(feature.get("properties") or {})
    simplified = shapely.coverage_simplify(geoms, TOLERANCE)
    features = []
    for code, geom, original, p in zip(codes, simplified, geoms, props, strict=True):
        snapped = shapely.set_precision(geom, GRID)
        if not snapped.is_valid or snapped.is_empty:
            raise HpkgError(f"{files[code]}: the simplified boundary is not a valid polygon")
        u = units[code]
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": u.name, "short": u.short, "source_file": files[code].name,
                           "source_sha256": sha256(files[code]), "matinh": p.get("matinh"),
                           "area_ratio": round(snapped.area / original.area, 4)},
            "geometry": mapping(snapped),
        })
    return {"type": "FeatureCollection", "features": features}


def boundary_triples(collection: dict[str, object], base: str = DEFAULT_BASE) -> list[ox.Triple]:
    """The triples of ``data/boundaries-2025.ttl``: a ``geo:Geometry`` with its WKT per unit."""
    import shapely
    from shapely.geometry import shape

    g = _Graph(base)
    src = BOUNDARIES_SOURCE
    g.add(src, "rdf:type", "hpkg:SourceDocument")
    g.labels(src, "rdfs:label", "Ranh giới 34 đơn vị hành chính cấp tỉnh (vietnamese-provinces-database)",
             "Boundaries of the 34 province-level units (vietnamese-provinces-database)")
    g.labels(src, "dcterms:title", "Ranh giới 34 tỉnh, thành phố từ 1/7/2025 (GeoJSON, 11/3/2026)",
             "Boundaries of the 34 provinces from 1 July 2025 (GeoJSON, 11 March 2026)")
    g.add(src, "dcterms:language", "http://id.loc.gov/vocabulary/iso639-1/vi")
    g.add(src, "dcterms:publisher", BOUNDARIES_REPO)
    g.add(src, "dcterms:license", "https://opensource.org/licenses/MIT")
    features = collection["features"]
    assert isinstance(features, list)
    for f in features:
        code = f["properties"]["code"]
        unit = f"code/dvhc-34/{code}"
        geom = f"{unit}/geometry"
        wkt = shapely.to_wkt(shape(f["geometry"]), rounding_precision=4, trim=True)
        g.add(unit, "rdf:type", "geo:Feature")
        g.add(unit, "geo:hasGeometry", geom)
        g.add(geom, "rdf:type", "geo:Geometry")
        g.labels(geom, "rdfs:label", f"Ranh giới {f['properties']['name']} (giản lược)",
                 f"Boundary of {f['properties']['short']} (simplified)")
        g.add(geom, "geo:asWKT", ox.Literal(wkt, datatype=ox.NamedNode(PREFIXES["geo"] + "wktLiteral")))
        g.add(geom, "prov:wasDerivedFrom", src)
        g.labels(geom, "rdfs:comment",
                 f"Từ {f['properties']['source_file']}, giản lược bằng shapely.coverage_simplify (dung sai {TOLERANCE}°) "
                 f"và làm tròn theo lưới {GRID}°.",
                 f"From {f['properties']['source_file']}, simplified with shapely.coverage_simplify (tolerance "
                 f"{TOLERANCE}°) and snapped to a {GRID}° grid.")
    return g.triples


# ---------------------------------------------------------------- files


def turtle(triples: Iterable[ox.Triple], header: str, base: str = DEFAULT_BASE) -> bytes:
    """Sorted Turtle with the base's IRIs relative (as the other data files), after a comment header."""
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = prefix_subset("rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "org", "time", "hpkg", "geo")
    body = serialize(ordered, ox.RdfFormat.TURTLE, prefixes).decode("utf-8")
    lines = [ln.replace("<" + base, "<") for ln in body.splitlines(keepends=True)]
    return ("".join(f"# {ln}".rstrip() + "\n" for ln in header.splitlines()) + "".join(lines)).encode("utf-8")


REORGANISATION_HEADER = """Generated by scripts/reorganisation_2025.py (hpkg.opendata.reorganisation) — do not edit by hand.
The 2025 reorganisation of the province-level units (63 -> 34, Resolution 202/2025/QH15), from the
vietnamadminunits package: the GSO codes and names of both lists, and per new unit one org:ChangeEvent that
used the old units and generated the new one (Hải Phòng's is the curated event of admin-changes.ttl)."""

BOUNDARIES_HEADER = """Generated by scripts/reorganisation_2025.py (hpkg.opendata.reorganisation) — do not edit by hand.
GeoSPARQL boundaries of the 34 province-level units of 1 July 2025, from sources/provinces-2025/ (simplified
from thanglequoc/vietnamese-provinces-database, MIT; see the README there)."""


def generated_files(sources: Path, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """The two generated data files' contents, by file name, from the shipped simplified boundaries."""
    collection = json.loads((sources / "provinces-2025.geojson").read_text(encoding="utf-8"))
    return {
        "reorganisation-2025.ttl": turtle(reorganisation_triples(base), REORGANISATION_HEADER, base),
        "boundaries-2025.ttl": turtle(boundary_triples(collection, base), BOUNDARIES_HEADER, base),
    }


def geojson_bytes(collection: dict[str, object]) -> bytes:
    """The simplified FeatureCollection as compact, stable JSON."""
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
