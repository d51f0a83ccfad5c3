"""Scoring names against the index, the ``match`` rule, property disambiguation and prefix search.

Names are compared under the linker's normalisation (:func:`hpkg.opendata.normalize.normalize`):
diacritics and đ folded, lower case, punctuation to spaces, administrative and zone prefixes ("Thành phố",
"TP.", "Tỉnh", "KCN", "KKT", "Province", "City" …) stripped, a spaceless key ("Haiphong") and the English
exonym of a Vietnamese country name ("Hàn Quốc" -> "south korea"). A query key and a name key score:

======================================================  =====
equal                                                     100
an official code equal to the query as typed              100
  (GSO ``31``, ISO ``VN-HP``, ``KR``/``KOR``, ``FDI_REG``;
  never folded: "Mỹ" is not ``MY``; a code of up to three
  letters only in capitals: "my" is Mỹ typed plainly)
a keyword of the official list equal (``hcm``, ``hn``)    100
one character typed wrong, missing, extra or swapped       90
  (both keys at least 4 characters)
the same words in another order ("Nam Hà" is not Hà Nam)   85
the query is a prefix of the name, or each of its words    60–85
  a prefix of the name's words ("hai d" -> Hải Dương)
otherwise ``0.85 × rapidfuzz.fuzz.ratio``                   ≤ 85
======================================================  =====

An entity scores its best name. Then:

* a prefix that announces another kind than the entity's ("KCN …" for a country, "Tỉnh …" for a
  zone) costs 20 points; the query as typed, prefixes kept, is compared too, without that cost
  ("Ban quản lý khu kinh tế" names an organisation);
* a zone name whose prefix was stripped ("KCN, KKT Hải Phòng" -> "hai phong") costs 15 points against a
  query without a zone prefix, so "Hải Phòng" is the city and "KCN Hải Phòng" the zones;
* ``type_strict="should"`` (what OpenRefine sends) costs 15 points to entities of none of the query's types (``any``, the
  default, and ``all`` filter instead);
* each property value (``pid``/``v``) the entity has costs 0 and adds 5 (at most 100 in all),
  each one it does not have but has another value for costs 30, each property it has no value of costs 10.
  Without a query string, entities are found by their property values alone (100 × the share of agreeing
  properties).

**The match rule**: ``match`` is true for the best candidate only, when its score is at least
:data:`MATCH_SCORE` (90) **and** it is at least :data:`MATCH_GAP` (10) points ahead of the next
candidate (of the types asked for); never for two near-equal candidates. So an exact name or code
matches when no other entity has it; a one-character typo matches only when nothing else is as close.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from hpkg.opendata.normalize import fold_lower, normalize
from hpkg.reconcile.index import PROPERTIES, TYPES, Entity, NameIndex

#: Query text beyond this many characters is not compared (names are short; fuzzy matching costs length²).
MAX_TEXT = 300
#: The least score of a ``match: true``.
MATCH_SCORE = 90.0
#: How far ahead of the next candidate a ``match: true`` must be.
MATCH_GAP = 10.0

#: What being of none of the query's types costs under ``type_strict="should"``.
SHOULD_COST = 15.0
#: What a prefix announcing another kind costs ("KCN Hàn Quốc" for a country).
KIND_COST = 20.0
#: What a zone name's prefix costs when the query has none ("KCN, KKT Hải Phòng" for "Hải Phòng").
ZONE_LABEL_COST = 15.0
_ZONE_KINDS = {"industrial-park", "economic-zone"}
_KIND_TYPES = {
    "province": {"province"},
    "municipality": {"province"},
    "industrial-park": {"zone"},
    "economic-zone": {"zone"},
}


@dataclass
class Scored:
    """A candidate for a query: the entity, its score, whether it is a match, and why."""

    entity: Entity
    score: float
    match: bool = False
    matched_name: str = ""
    name_score: float = 0.0
    features: dict[str, float | bool] = field(default_factory=dict)


class UnknownType(ValueError):
    """A type id that the service does not know (the message lists the known ones)."""

    def __init__(self, type_id: str) -> None:
        super().__init__(f"unknown type {type_id!r}; known types: {', '.join(TYPES)}")
        self.type_id = type_id


def _tokens_prefix(q: str, key: str) -> bool:
    qt, kt = q.split(), key.split()
    return 1 < len(qt) <= len(kt) and all(b.startswith(a) for a, b in zip(qt, kt, strict=False))


def pair_score(q: str, key: str) -> float:
    """The score of a query key against a name key (both normalised; see the module docstring)."""
    if q == key:
        return 100.0
    if sorted(q.split()) == sorted(key.split()):
        return 85.0
    if min(len(q), len(key)) >= 4 and OSA.distance(q, key, score_cutoff=1) <= 1:
        return 90.0
    best = 0.85 * fuzz.ratio(q, key)
    if q and (key.startswith(q) or _tokens_prefix(q, key)):
        best = max(best, 60.0 + 25.0 * len(q) / max(len(key), 1))
    return round(best, 2)


class Matcher:
    """The index's name keys, searched with rapidfuzz."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.keys: list[str] = []
        self.owner: list[tuple[Entity, str]] = []
        self.zone_key: list[bool] = []
        self.codes: dict[str, list[Entity]] = {}
        self.aliases: dict[str, list[Entity]] = {}
        self.values: dict[tuple[str, str], list[Entity]] = {}
        seen: set[tuple[str, str]] = set()
        for e in index.entities.values():
            for label in e.labels:
                norm = normalize(label)
                whole = fold_lower(label)
                # A key of one or two letters is what is left when a name ends in an affix word ("Hà Tĩnh" ->
                # "ha"); the label folded as a whole stands for it (and is compared without the zone cost).
                keys = [(k, norm.kind_hint in _ZONE_KINDS) for k in norm.keys if len(k) > 2 or k == whole]
                for key, zone in [*keys, (whole, False)]:
                    if key and (e.id, key) not in seen:
                        seen.add((e.id, key))
                        self.keys.append(key)
                        self.owner.append((e, label))
                        self.zone_key.append(zone)
            for code in e.codes:
                self.codes.setdefault(code.upper(), []).append(e)
            for alias in e.aliases:
                self.aliases.setdefault(alias, []).append(e)
            for pid, vals in e.props.items():
                for v in vals:
                    self.values.setdefault((pid, _value_key(pid, v)), []).append(e)

    def name_scores(self, text: str) -> dict[str, tuple[float, str]]:
        """entity id -> (best score, the name that scored it) for the query text."""
        out: dict[str, tuple[float, str]] = {}

        def put(e: Entity, score: float, name: str) -> None:
            if score > out.get(e.id, (-1.0, ""))[0]:
                out[e.id] = (score, name)

        raw = text.strip()
        # "KR", "KOR", "MY" are codes only in capitals ("my" is Mỹ without its diacritics); "vn-hp", "31" either way
        if raw.isupper() or not (raw.isalpha() and len(raw) <= 3):
            for e in self.codes.get(raw.upper(), []):
                put(e, 100.0, raw.upper())
        norm = normalize(raw)
        for alias in _alias_keys(raw, norm.keys):
            for e in self.aliases.get(alias, []):
                put(e, 100.0, raw)
        zone_query = norm.kind_hint in _ZONE_KINDS
        for q in norm.keys:
            hits = process.extract(q, self.keys, scorer=fuzz.ratio, score_cutoff=50, limit=None)
            seen = {idx for _, _, idx in hits}
            seen.update(i for i, k in enumerate(self.keys) if k.startswith(q[:2]) and i not in seen)
            for idx in seen:
                s = pair_score(q, self.keys[idx])
                if self.zone_key[idx] and not zone_query:
                    s -= ZONE_LABEL_COST
                if s >= 40:
                    e, label = self.owner[idx]
                    put(e, s, label)
        if norm.kind_hint in _KIND_TYPES:
            wanted = _KIND_TYPES[norm.kind_hint]
            for eid, (s, name) in list(out.items()):
                if not wanted.intersection(self.index.entities[eid].types):
                    out[eid] = (s - KIND_COST, name)
        # the query as typed, prefixes kept ("Ban quản lý khu kinh tế" is an organisation, not a zone): no kind cost
        whole = fold_lower(raw)
        if whole and whole not in norm.keys:
            for idx, key in enumerate(self.keys):
                if key[:1] == whole[:1]:
                    s = pair_score(whole, key)
                    if s >= 40:
                        e, label = self.owner[idx]
                        put(e, s, label)
        return out


_ALIAS_PREFIXES = ("thanhpho", "tinh", "tp")


def _alias_keys(raw: str, keys: Sequence[str]) -> set[str]:
    """The spaceless forms a list keyword (``hcm``, ``hn``) is compared with: "TPHCM", "TP. HCM", "hcm"."""
    spaceless = fold_lower(raw).replace(" ", "")
    out = {spaceless, *(k.replace(" ", "") for k in keys)}
    for prefix in _ALIAS_PREFIXES:
        if spaceless.startswith(prefix) and len(spaceless) > len(prefix) + 1:
            out.add(spaceless[len(prefix):])
    return out


def _value_key(pid: str, value: object) -> str:
    if isinstance(value, dict):
        value = value.get("id") or value.get("name") or ""
    text = str(value).strip()
    if pid == "gso_code" and text.isdigit():
        return text.zfill(2)
    if pid == "iso3166_1_numeric" and text.isdigit():
        return text.zfill(3)
    if PROPERTIES.get(pid) and PROPERTIES[pid].kind == "entity":
        return text
    return fold_lower(text) if pid.startswith("label_") else text.upper()


def _values(v: object) -> list[object]:
    return list(v) if isinstance(v, list) else [v]


def check_types(types: Sequence[str]) -> None:
    """Raise :class:`UnknownType` for the first type id that is not one of :data:`TYPES`."""
    for t in types:
        if t not in TYPES:
            raise UnknownType(t)


def _type_ok(e: Entity, types: Sequence[str], strict: str) -> bool:
    if not types or strict == "should":
        return True
    if strict == "all":
        return all(t in e.types for t in types)
    return any(t in e.types for t in types)


def reconcile(matcher: Matcher, query: str | None, *, types: Sequence[str] = (), type_strict: str = "any",
              properties: Sequence[Mapping[str, Any]] = (), limit: int | None = None) -> list[Scored]:
    """The candidates for one reconciliation query, best first, with ``match`` set by the rule."""
    check_types(types)
    index = matcher.index
    text = (query or "").strip()[:MAX_TEXT]
    props = [(str(p.get("pid", "")), _values(p.get("v"))) for p in properties]
    scores: dict[str, tuple[float, str]] = matcher.name_scores(text) if text else {}
    if not text:
        for pid, vals in props:
            for v in vals:
                for e in matcher.values.get((pid, _value_key(pid, v)), []):
                    scores.setdefault(e.id, (0.0, ""))
    out: list[Scored] = []
    for eid, (name_score, name) in scores.items():
        e = index.entities[eid]
        if not _type_ok(e, types, type_strict):
            continue
        features: dict[str, float | bool] = {"name_score": name_score}
        score = name_score
        if types and type_strict == "should" and not any(t in e.types for t in types):
            score -= SHOULD_COST
        agree = 0
        for pid, vals in props:
            have = {_value_key(pid, x) for x in e.props.get(pid, [])}
            ok = bool(have) and any(_value_key(pid, v) in have for v in vals)
            features[f"property:{pid}"] = ok
            if ok:
                agree += 1
                score = min(100.0, score + 5.0)
            elif have:
                score -= 30.0
            else:
                score -= 10.0
        if not text:
            score = 100.0 * agree / max(len(props), 1)
            if agree == 0:
                continue
        out.append(Scored(e, round(max(score, 0.0), 2), False, name, name_score, features))
    out.sort(key=lambda s: (-s.score, s.entity.name, s.entity.id))
    if out and out[0].score >= MATCH_SCORE and (len(out) == 1 or out[0].score - out[1].score >= MATCH_GAP):
        out[0].match = True
    for s in out:
        s.features["match_rule"] = s.match
    return out[:limit] if limit else out


#: The least score a search hit needs (a prefix of a name scores at least 60).
SEARCH_SCORE = 60.0


def search(matcher: Matcher, text: str, *, types: Sequence[str] = (), limit: int = 20) -> list[Scored]:
    """Ranked, accent-insensitive, prefix-aware search (what ``/search`` and ``hpkg search`` answer)."""
    found = reconcile(matcher, text, types=types, limit=None) if text.strip() else []
    return [s for s in found if s.score >= SEARCH_SCORE][:limit]
