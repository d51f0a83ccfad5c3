"""A national-size synthetic graph in exactly the project's model, for load, query and validation at scale.

``generate(out, provinces=34, zones=400, projects=40000, years=20, seed=1)`` writes N-Triples (gzip when the
file name ends in ``.gz``) line by line, so memory stays constant whatever the size. The same seed always
gives the same bytes.

What it writes follows the patterns of ``data/*.ttl``: provinces (``hpkg:AdministrativeUnit``) with a zone
authority (``hpkg:ZoneAuthority``) and a zone group (``hpkg:ZoneGroup``) each; zones of every kind with a
``hpkg:zoneStatus``; investors with a ``hpkg:countryOfOrigin``; investment projects with a sector, a zone and a
``schema:MonetaryAmount`` as registered capital; an RDF Data Cube ``qb:DataSet`` (structure
``hpkg:dsd-zone-indicators``) with one observation for every indicator, zone and year; yearly plans per
province with a ``hpkg:Target`` (min/max) per zone for registered FDI, compared with the observation through
``hpkg:comparedToTarget``/``hpkg:percentOfTarget``; yearly rankings of the authorities; provenance
(``prov:wasDerivedFrom`` a synthetic source document, ``hpkg:evidence`` a synthetic quote); labels @vi and @en.

Every IRI the generator mints lives under :data:`SYNTHETIC_BASE`, never under the real data's base; only the
code lists (``{base}concept/…``) and units (QUDT, ``{base}unit/…``) of the real data are referenced, so
generated data is validated together with the ontology, ``data/concepts.ttl`` and ``data/units.ttl``.

``violations=N`` injects N violations of each kind in :data:`VIOLATION_KINDS`; the injected nodes are listed
in a JSON manifest written beside the output (``<out>.violations.json``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hpkg.errors import HpkgError
from hpkg.iri import base_iri
from hpkg.namespaces import PREFIXES
from hpkg.progress import bar
from hpkg.rdfio import Progress

SYNTHETIC_BASE = "https://w3id.org/hpkg/synthetic/"

#: The kinds of violation ``--violations N`` injects, with the node that is wrong and what is wrong with it.
VIOLATION_KINDS: dict[str, str] = {
    "missing-unit": "an observation without sdmx-attribute:unitMeasure",
    "negative-money": "a schema:MonetaryAmount with a negative schema:value",
    "min-gt-max": "a target whose hpkg:minValue is greater than its hpkg:maxValue",
    "rank-gt-total": "a ranking whose hpkg:rank is greater than hpkg:rankedAmong",
    "missing-vi-label": "a zone without an rdfs:label in Vietnamese",
    "attainment-inconsistent": "an observation whose hpkg:percentOfTarget does not match its value and target",
    "cumulative-lt-yearly": "a cumulative-FDI observation smaller than the FDI registered in the same year",
}

_XSD = PREFIXES["xsd"]
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_INDICATORS = (
    # (local name, unit, vi label, en label)
    ("fdi-registered", "usd", "Vốn FDI thu hút", "FDI attracted"),
    ("fdi-cumulative", "usd", "Tổng vốn FDI luỹ kế", "Cumulative FDI"),
    ("fdi-projects-cumulative", "project", "Số dự án FDI luỹ kế", "Cumulative FDI projects"),
    ("project-share", "percent", "Tỷ lệ dự án công nghệ cao, chế biến, chế tạo, logistics",
     "Share of high-tech, manufacturing and logistics projects"),
    ("revenue", "usd", "Doanh thu", "Revenue"),
    ("exports", "usd", "Xuất khẩu", "Exports"),
    ("imports", "usd", "Nhập khẩu", "Imports"),
    ("budget-contribution", "vnd", "Nộp ngân sách", "State-budget contribution"),
    ("workforce", "person", "Lao động", "Workforce"),
    ("average-income", "vnd-per-month", "Thu nhập bình quân", "Average income"),
)
_ZONE_KINDS = (
    ("EconomicZone", "Khu kinh tế", "Economic zone"),
    ("CoastalEconomicZone", "Khu kinh tế ven biển", "Coastal economic zone"),
    ("IndustrialPark", "Khu công nghiệp", "Industrial park"),
    ("EcoIndustrialPark", "Khu công nghiệp sinh thái", "Eco-industrial park"),
)
_STATUSES = ("planned", "under-construction", "operating")
_SECTORS = ("cong-nghe-cao", "che-bien-che-tao", "logistics", "chip-ban-dan", "tri-tue-nhan-tao")
_QUALIFIERS = ("exact", "estimate", "approximate", "lower-bound")
_RANKING_INDICES = ("par-index", "ddci")
_COUNTRIES = 24


@dataclass
class GenerateReport:
    """What :func:`generate` wrote."""

    path: str
    triples: int
    seed: int
    params: dict[str, int]
    violations: dict[str, list[str]] = field(default_factory=dict)
    manifest: str | None = None


def _esc(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )


class _Writer:
    """N-Triples line writer with term helpers."""

    def __init__(self, out: io.TextIOBase, base: str) -> None:
        self.out = out
        self.count = 0
        self.syn = SYNTHETIC_BASE
        self.base = base
        p = PREFIXES
        self.p = {k: v for k, v in p.items()}

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1

    def iri(self, local: str) -> str:
        return f"<{self.syn}{local}>"

    def real(self, local: str) -> str:
        return f"<{self.base}{local}>"

    def v(self, prefix: str, local: str) -> str:
        return f"<{self.p[prefix]}{local}>"

    @staticmethod
    def lang(text: str, tag: str) -> str:
        return f'"{_esc(text)}"@{tag}'

    @staticmethod
    def lit(text: str) -> str:
        return f'"{_esc(text)}"'

    @staticmethod
    def typed(text: str, dt: str) -> str:
        return f'"{text}"^^<{_XSD}{dt}>'

    def dec(self, value: float) -> str:
        return self.typed(f"{value:.1f}", "decimal")

    def integer(self, value: int, dt: str = "integer") -> str:
        return self.typed(str(value), dt)

    def labels(self, s: str, vi: str | None, en: str) -> None:
        rdfs = self.v("rdfs", "label")
        if vi is not None:
            self.t(s, rdfs, self.lang(vi, "vi"))
        self.t(s, rdfs, self.lang(en, "en"))


def estimate_triples(*, provinces: int, zones: int, projects: int, years: int) -> int:
    """About how many triples :func:`generate` writes for these sizes (to size benchmarks)."""
    per_obs = 14
    per_zone_year = len(_INDICATORS) * per_obs + 13 + 2  # observations + target + comparison
    per_project = 17
    per_province = 40 + years * (8 + 2 * 12)
    return (
        200
        + _COUNTRIES * 6
        + provinces * per_province
        + zones * (12 + years * per_zone_year)
        + max(1, projects // 8) * 8
        + projects * per_project
        + years * 7
    )


def sizes_for(triples: int, *, years: int = 20) -> dict[str, int]:
    """Generator sizes that give about ``triples`` triples, in the proportions of the national graph."""
    zone_unit = estimate_triples(provinces=34, zones=400, projects=40000, years=years)
    f = triples / zone_unit
    provinces = max(2, min(63, round(34 * f ** 0.5)))
    zones = max(provinces, round(400 * f))
    projects = max(10, round(40000 * f))
    return {"provinces": provinces, "zones": zones, "projects": projects, "years": years}


def _open_out(path: Path) -> tuple[str, io.TextIOBase, Callable[[], None]]:
    """A temporary file beside ``path`` (gzip when it ends in .gz); the caller renames it on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    raw = os.fdopen(fd, "wb")
    text: io.TextIOBase
    if path.suffix == ".gz":
        gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0, filename="")
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n", write_through=False)

        def close() -> None:
            text.close()
            raw.close()
    else:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")

        def close() -> None:
            text.close()

    return tmp, text, close


def generate(
    out: str | Path,
    *,
    provinces: int = 34,
    zones: int = 400,
    projects: int = 40000,
    years: int = 20,
    seed: int = 1,
    violations: int = 0,
    first_year: int = 2005,
    base: str | None = None,
) -> GenerateReport:
    """Write the synthetic graph to ``out`` (``.nt`` or ``.nt.gz``), atomically; see the module docstring."""
    out = Path(out)
    name = out.name[:-3] if out.name.endswith(".gz") else out.name
    if not name.endswith(".nt"):
        raise HpkgError(f"{out}: the generator writes N-Triples; name the file *.nt or *.nt.gz")
    for label, value, low in (("provinces", provinces, 1), ("zones", zones, 1), ("projects", projects, 0),
                              ("years", years, 1), ("violations", violations, 0)):
        if value < low:
            raise HpkgError(f"--{label} must be at least {low} (got {value})")
    if zones < provinces:
        raise HpkgError(f"--zones ({zones}) must be at least --provinces ({provinces}): each province has a zone")
    base = base or base_iri()
    rng = random.Random(seed)
    params = {"provinces": provinces, "zones": zones, "projects": projects, "years": years}
    injected: dict[str, list[str]] = {k: [] for k in VIOLATION_KINDS}
    tmp, text, close = _open_out(out)
    total = estimate_triples(**params)
    progress = bar(desc="generating", total=total, unit="triple", unit_scale=True)
    w = _Writer(text, base)
    try:
        _write_graph(w, rng, params, seed, violations, injected, first_year, progress)
        close()
        progress.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        progress.close()
        try:
            close()
        finally:
            Path(tmp).unlink(missing_ok=True)
        raise
    report = GenerateReport(path=str(out), triples=w.count, seed=seed, params=params,
                            violations={k: v for k, v in injected.items() if v})
    if violations:
        manifest = Path(str(out) + ".violations.json")
        from hpkg.fileio import write_atomic

        write_atomic(manifest, json.dumps({
            "file": out.name, "seed": seed, "params": params, "per_kind": violations,
            "kinds": VIOLATION_KINDS, "violations": report.violations,
        }, indent=2, ensure_ascii=False).encode("utf-8"))
        report.manifest = str(manifest)
    return report


def _pick_slots(rng: random.Random, population: int, n: int) -> set[int]:
    """``n`` distinct indices in ``range(population)`` (all of them when there are fewer)."""
    if n >= population:
        return set(range(population))
    return set(rng.sample(range(population), n))


def _write_graph(
    w: _Writer,
    rng: random.Random,
    params: dict[str, int],
    seed: int,
    violations: int,
    injected: dict[str, list[str]],
    first_year: int,
    progress: Progress,
) -> None:
    provinces, zones, projects, years = params["provinces"], params["zones"], params["projects"], params["years"]
    t, v, iri, real = w.t, w.v, w.iri, w.real
    a = _RDF_TYPE
    label = v("rdfs", "label")
    derived = v("prov", "wasDerivedFrom")
    evidence = v("hpkg", "evidence")
    last = [0]

    def tick() -> None:
        progress.update(w.count - last[0])
        last[0] = w.count

    # Which nodes get which injected violation (chosen up front, so the choice is deterministic).
    n_obs = zones * years
    # The zone-year kinds get distinct zone-years, so that no injected violation hides or causes another.
    zone_year_kinds = ("missing-unit", "min-gt-max", "attainment-inconsistent", "cumulative-lt-yearly")
    picked = sorted(_pick_slots(rng, n_obs, violations * len(zone_year_kinds))) if violations else []
    rng.shuffle(picked)
    bad = {kind: set(picked[i::len(zone_year_kinds)]) for i, kind in enumerate(zone_year_kinds)}
    bad["negative-money"] = _pick_slots(rng, projects, violations) if violations else set()
    bad["rank-gt-total"] = _pick_slots(rng, provinces * years, violations) if violations else set()
    bad["missing-vi-label"] = _pick_slots(rng, zones, violations) if violations else set()

    # --- the synthetic source document, the data set, the periods
    doc = iri(f"source/synthetic-{seed}")
    t(doc, a, v("hpkg", "SourceDocument"))
    t(doc, a, v("prov", "Entity"))
    w.labels(doc, f"Dữ liệu tổng hợp (seed {seed}) — không phải số liệu thật",
             f"Synthetic data (seed {seed}) — not real figures")
    t(doc, v("dcterms", "description"), w.lang(
        "Đồ thị tổng hợp do 'hpkg generate' sinh ra để đo hiệu năng; mọi số liệu đều là giả.", "vi"))
    t(doc, v("dcterms", "description"), w.lang(
        "A synthetic graph made by 'hpkg generate' for benchmarks; every figure is made up.", "en"))
    t(doc, v("dcterms", "title"), w.lang(f"Dữ liệu tổng hợp cho đo hiệu năng (seed {seed})", "vi"))
    t(doc, v("dcterms", "title"), w.lang(f"Synthetic data for benchmarks (seed {seed})", "en"))
    t(doc, v("dcterms", "language"), "<http://id.loc.gov/vocabulary/iso639-1/vi>")
    ds = iri(f"dataset/synthetic-{seed}")
    t(ds, a, v("qb", "DataSet"))
    w.labels(ds, "Chỉ số khu kinh tế (tổng hợp)", "Economic-zone indicators (synthetic)")
    t(ds, v("qb", "structure"), v("hpkg", "dsd-zone-indicators"))
    t(ds, derived, doc)
    year_list = [first_year + i for i in range(years)]
    for y in year_list:
        p = iri(f"period/{y}")
        t(p, a, v("time", "ProperInterval"))
        t(p, label, w.lang(str(y), "vi"))
        t(p, label, w.lang(str(y), "en"))
        t(p, v("dcterms", "identifier"), w.lit(str(y)))
        for edge, day in (("hasBeginning", f"{y}-01-01"), ("hasEnd", f"{y}-12-31")):
            inst = iri(f"period/{day}")
            t(p, v("time", edge), inst)
            t(inst, a, v("time", "Instant"))
            yy, mm, dd = day.split("-")
            t(inst, label, w.lang(f"{int(dd)}/{int(mm)}/{yy}", "vi"))
            t(inst, label, w.lang(day, "en"))
            t(inst, v("time", "inXSDDate"), w.typed(day, "date"))
    # --- countries (synthetic, so no real country is given made-up investors)
    countries = []
    for c in range(_COUNTRIES):
        ci = iri(f"place/country-{c + 1:02d}")
        countries.append(ci)
        t(ci, a, v("schema", "Country"))
        w.labels(ci, f"Quốc gia tổng hợp {c + 1}", f"Synthetic country {c + 1}")
    vn = countries[0]
    units = {
        "usd": v("unit", "CCY_USD"), "vnd": v("unit", "CCY_VND"), "percent": v("unit", "PERCENT"),
        "project": real("unit/project"), "person": real("unit/person"), "vnd-per-month": real("unit/vnd-per-month"),
    }
    ind_iri = {ind[0]: real(f"concept/indicator/{ind[0]}") for ind in _INDICATORS}
    sec_all = real("concept/sector/all")
    sec_group = real("concept/sector/cong-nghe-cao-che-bien-che-tao-logistics")
    tick()

    # --- provinces, their authority, zone group, evidence quote, plans and rankings
    zone_province = [i % provinces for i in range(zones)]
    for pi in range(provinces):
        n = pi + 1
        prov = iri(f"place/province-{n:02d}")
        auth = iri(f"org/authority-{n:02d}")
        grp = iri(f"zone/group-{n:02d}")
        quote = iri(f"source/synthetic-{seed}/p{n}-s1")
        t(prov, a, v("hpkg", "AdministrativeUnit"))
        w.labels(prov, f"Tỉnh tổng hợp {n}", f"Synthetic province {n}")
        t(prov, v("hpkg", "locatedIn"), vn)
        t(quote, a, v("hpkg", "EvidenceQuote"))
        w.labels(quote, f"Đoạn {n}, câu 1", f"Paragraph {n}, sentence 1")
        t(quote, v("dcterms", "isPartOf"), doc)
        t(quote, v("hpkg", "paragraph"), w.integer(n))
        t(quote, v("hpkg", "sentence"), w.integer(1))
        t(quote, v("prov", "value"), w.lang(
            f"Các khu công nghiệp, khu kinh tế của tỉnh tổng hợp {n} báo cáo số liệu hằng năm (dữ liệu giả).", "vi"))
        t(auth, a, v("hpkg", "ZoneAuthority"))
        w.labels(auth, f"Ban Quản lý Khu kinh tế tỉnh tổng hợp {n}", f"Economic Zone Authority of synthetic province {n}")
        t(auth, v("hpkg", "jurisdiction"), prov)
        t(auth, derived, doc)
        t(auth, evidence, quote)
        t(grp, a, v("hpkg", "ZoneGroup"))
        w.labels(grp, f"Các khu công nghiệp, khu kinh tế tỉnh tổng hợp {n}",
                 f"Industrial parks and economic zones of synthetic province {n}")
        t(grp, v("hpkg", "managedBy"), auth)
        t(grp, v("hpkg", "locatedIn"), prov)
        t(grp, derived, doc)
        t(grp, evidence, quote)
        for zi in range(pi, zones, provinces):
            t(grp, v("hpkg", "memberZone"), iri(f"zone/zone-{zi + 1:04d}"))
        for yi, y in enumerate(year_list):
            plan = iri(f"plan/plan-{n:02d}-{y}")
            t(plan, a, v("hpkg", "Plan"))
            w.labels(plan, f"Kế hoạch năm {y} của Ban Quản lý tỉnh tổng hợp {n}",
                     f"{y} plan of the authority of synthetic province {n}")
            t(plan, v("hpkg", "planPeriod"), iri(f"period/{y}"))
            t(plan, v("hpkg", "setBy"), auth)
            t(plan, derived, doc)
            t(plan, evidence, quote)
            for ri, rix in enumerate(_RANKING_INDICES):
                rk = iri(f"ranking/{rix}-{n:02d}-{y}")
                rank = (pi + yi + ri * 7) % provinces + 1
                among = provinces
                slot = pi * years + yi
                if ri == 0 and slot in bad["rank-gt-total"]:
                    rank = among + 1 + rng.randrange(5)
                    injected["rank-gt-total"].append(rk[1:-1])
                t(rk, a, v("hpkg", "Ranking"))
                w.labels(rk, f"Xếp hạng {rix} năm {y}: thứ {rank}/{among}", f"{rix} {y}: {rank} of {among}")
                t(rk, v("hpkg", "rankedEntity"), auth)
                t(rk, v("hpkg", "rankingIndex"), real(f"concept/ranking-index/{rix}"))
                t(rk, v("hpkg", "rank"), w.integer(rank))
                t(rk, v("hpkg", "rankedAmong"), w.integer(among))
                t(rk, v("hpkg", "rankingScope"), vn)
                t(rk, v("dcterms", "temporal"), iri(f"period/{y}"))
                t(rk, derived, doc)
                t(rk, evidence, quote)
        tick()

    # --- zones, their yearly observations and targets
    economic_zone_of: dict[int, int] = {}
    for zi in range(zones):
        kind = _ZONE_KINDS[zi // provinces % len(_ZONE_KINDS)] if zi >= provinces else _ZONE_KINDS[0]
        if kind[0] in ("EconomicZone", "CoastalEconomicZone") and zone_province[zi] not in economic_zone_of:
            economic_zone_of[zone_province[zi]] = zi
    obs_slot = 0
    for zi in range(zones):
        n = zi + 1
        pn = zone_province[zi] + 1
        kind = _ZONE_KINDS[zi // provinces % len(_ZONE_KINDS)] if zi >= provinces else _ZONE_KINDS[0]
        z = iri(f"zone/zone-{n:04d}")
        quote = iri(f"source/synthetic-{seed}/p{pn}-s1")
        auth = iri(f"org/authority-{pn:02d}")
        t(z, a, v("hpkg", kind[0]))
        if zi in bad["missing-vi-label"]:
            injected["missing-vi-label"].append(z[1:-1])
            w.labels(z, None, f"{kind[2]} {n} (synthetic province {pn})")
        else:
            w.labels(z, f"{kind[1]} tổng hợp {n} (tỉnh {pn})", f"{kind[2]} {n} (synthetic province {pn})")
        t(z, v("hpkg", "zoneStatus"), real(f"concept/zone-status/{_STATUSES[rng.randrange(3) if zi % 5 else 2]}"))
        t(z, v("hpkg", "managedBy"), auth)
        t(z, v("hpkg", "locatedIn"), iri(f"place/province-{pn:02d}"))
        if kind[0] in ("IndustrialPark", "EcoIndustrialPark") and zone_province[zi] in economic_zone_of:
            t(z, v("hpkg", "withinZone"), iri(f"zone/zone-{economic_zone_of[zone_province[zi]] + 1:04d}"))
        t(z, derived, doc)
        t(z, evidence, quote)
        size = rng.uniform(0.2, 5.0)
        cumulative = 0.0
        projects_cum = 0
        workforce = rng.randrange(2000, 40000)
        for y in year_list:
            slot = obs_slot
            obs_slot += 1
            fdi = round(size * rng.uniform(20e6, 400e6), -5)
            cumulative += fdi
            projects_cum += rng.randrange(1, 25)
            prev_workforce = workforce
            workforce = max(100, int(workforce * rng.uniform(0.95, 1.2)))
            revenue = round(size * rng.uniform(300e6, 4e9), -5)
            values = {
                "fdi-registered": fdi,
                "fdi-cumulative": cumulative,
                "fdi-projects-cumulative": float(projects_cum),
                "project-share": float(rng.randrange(40, 95)),
                "revenue": revenue,
                "exports": round(revenue * rng.uniform(0.5, 0.9), -5),
                "imports": round(revenue * rng.uniform(0.3, 0.7), -5),
                "budget-contribution": round(size * rng.uniform(50e9, 2e12), -6),
                "workforce": float(workforce),
                "average-income": round(rng.uniform(6e6, 16e6), -4),
            }
            if slot in bad["cumulative-lt-yearly"]:
                values["fdi-cumulative"] = round(fdi / 2, -5)
            # The yearly target for registered FDI (min/max), and the plan it belongs to.
            tgt = iri(f"target/fdi-registered-{n:04d}-{y}")
            low = round(fdi / rng.uniform(0.6, 2.5), -5)
            high = round(low * rng.uniform(1.1, 1.5), -5)
            base = low  # the stated % of target is value / planned minimum, as in the real data
            if slot in bad["min-gt-max"]:
                low, high = high, low
                injected["min-gt-max"].append(tgt[1:-1])
            t(tgt, a, v("hpkg", "Target"))
            w.labels(tgt, f"Chỉ tiêu thu hút FDI năm {y} của khu {n}", f"{y} FDI target of zone {n}")
            t(tgt, v("hpkg", "partOfPlan"), iri(f"plan/plan-{pn:02d}-{y}"))
            t(tgt, v("hpkg", "targetIndicator"), ind_iri["fdi-registered"])
            t(tgt, v("hpkg", "targetPeriod"), iri(f"period/{y}"))
            t(tgt, v("hpkg", "targetArea"), z)
            t(tgt, v("hpkg", "minValue"), w.dec(low))
            t(tgt, v("hpkg", "maxValue"), w.dec(high))
            t(tgt, v("sdmx-attribute", "unitMeasure"), units["usd"])
            t(tgt, v("hpkg", "setBy"), auth)
            t(tgt, derived, doc)
            t(tgt, evidence, quote)
            for ind, unit, vi, en in _INDICATORS:
                o = iri(f"obs/{ind}-{n:04d}-{y}")
                value = values[ind]
                t(o, a, v("qb", "Observation"))
                w.labels(o, f"{vi} năm {y}, khu {n}", f"{en} in {y}, zone {n}")
                t(o, v("qb", "dataSet"), ds)
                t(o, v("hpkg", "indicator"), ind_iri[ind])
                t(o, v("sdmx-dimension", "refArea"), z)
                t(o, v("sdmx-dimension", "refPeriod"), iri(f"period/{y}"))
                t(o, v("hpkg", "sector"), sec_group if ind == "project-share" else sec_all)
                t(o, v("sdmx-measure", "obsValue"), w.dec(value))
                if ind == "fdi-registered" and slot in bad["missing-unit"]:
                    injected["missing-unit"].append(o[1:-1])
                else:
                    t(o, v("sdmx-attribute", "unitMeasure"), units[unit])
                t(o, v("hpkg", "valueQualifier"), real(f"concept/qualifier/{_QUALIFIERS[0]}"))
                if ind == "fdi-registered" and slot in bad["min-gt-max"]:
                    pass  # an impossible plan range: nothing can be compared with it
                elif ind == "fdi-registered":
                    pct = round(value / base * 100, 1)
                    if slot in bad["attainment-inconsistent"]:
                        pct = round(pct + 50 + rng.uniform(0, 100), 1)
                        injected["attainment-inconsistent"].append(o[1:-1])
                    t(o, v("hpkg", "comparedToTarget"), tgt)
                    t(o, v("hpkg", "percentOfTarget"), w.dec(pct))
                elif ind == "fdi-cumulative" and slot in bad["cumulative-lt-yearly"]:
                    injected["cumulative-lt-yearly"].append(o[1:-1])
                elif ind == "workforce" and y != year_list[0]:
                    t(o, v("hpkg", "changeOnPreviousPeriod"), w.dec((workforce / prev_workforce - 1) * 100))
                t(o, derived, doc)
                t(o, evidence, quote)
        tick()

    # --- investors and projects
    n_investors = max(1, projects // 8)
    for ii in range(n_investors):
        inv = iri(f"org/investor-{ii + 1:05d}")
        t(inv, a, v("hpkg", "Investor"))
        w.labels(inv, f"Nhà đầu tư tổng hợp {ii + 1}", f"Synthetic investor {ii + 1}")
        t(inv, v("hpkg", "countryOfOrigin"), countries[rng.randrange(len(countries))])
        t(inv, derived, doc)
        t(inv, evidence, iri(f"source/synthetic-{seed}/p{ii % provinces + 1}-s1"))
        if ii % 1000 == 999:
            tick()
    for pj in range(projects):
        n = pj + 1
        zi = rng.randrange(zones)
        pn = zone_province[zi] + 1
        prj = iri(f"project/project-{n:06d}")
        cap = iri(f"project/project-{n:06d}/capital")
        quote = iri(f"source/synthetic-{seed}/p{pn}-s1")
        amount = round(rng.lognormvariate(16.5, 1.3), -3)
        t(prj, a, v("hpkg", "InvestmentProject"))
        w.labels(prj, f"Dự án tổng hợp {n}", f"Synthetic project {n}")
        t(prj, v("hpkg", "investor"), iri(f"org/investor-{rng.randrange(n_investors) + 1:05d}"))
        t(prj, v("hpkg", "locatedInZone"), iri(f"zone/zone-{zi + 1:04d}"))
        t(prj, v("hpkg", "sector"), real(f"concept/sector/{_SECTORS[rng.randrange(len(_SECTORS))]}"))
        t(prj, v("hpkg", "registeredCapital"), cap)
        t(prj, v("hpkg", "projectStatus"), w.lang("đang hoạt động", "vi"))
        t(prj, derived, doc)
        t(prj, evidence, quote)
        if pj in bad["negative-money"]:
            amount = -amount
            injected["negative-money"].append(cap[1:-1])
        t(cap, a, v("schema", "MonetaryAmount"))
        w.labels(cap, f"Vốn đăng ký của dự án tổng hợp {n}", f"Registered capital of synthetic project {n}")
        t(cap, v("schema", "value"), w.dec(amount))
        t(cap, v("sdmx-attribute", "unitMeasure"), units["usd"])  # the currency as a unit IRI, like every amount
        t(cap, v("hpkg", "valueQualifier"), real("concept/qualifier/exact"))
        t(cap, derived, doc)
        t(cap, evidence, quote)
        if pj % 1000 == 999:
            tick()
    tick()


def report_dict(report: GenerateReport) -> dict[str, Any]:
    """The report as plain data (for ``--json``)."""
    return asdict(report)
