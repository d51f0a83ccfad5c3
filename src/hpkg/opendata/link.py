"""Match the graph's places, countries, currencies and zones to official identifiers.

Candidates come from :mod:`hpkg.opendata.reference`. A mention (an entity of the graph, or a row of the
gold set) is compared with every candidate of a compatible kind (:data:`~hpkg.opendata.normalize.COMPATIBLE`)
whose validity overlaps the mention's: every normalised label key of one against every key of the other
with ``rapidfuzz.fuzz.ratio`` (normalised Indel similarity, 0-100). Per target scheme (Wikidata, ISO
3166-1, GeoNames, the 63-province list …) the best candidate at or above the threshold is linked; a tie
between different candidates is reported as ambiguous and not linked.

The link predicate comes from the candidate list (e.g. ``skos:closeMatch`` for a GeoNames populated
place, the curated predicate for Wikidata); ``owl:sameAs`` is kept only when the normalised labels are
equal, otherwise it becomes ``skos:exactMatch``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from rapidfuzz import fuzz, process

from hpkg.errors import HpkgError
from hpkg.iri import graph_iri
from hpkg.namespaces import PREFIXES, prefix_subset, sparql_prologue
from hpkg.opendata.normalize import COMPATIBLE, KINDS, normalize
from hpkg.opendata.reference import Candidate, all_candidates
from hpkg.project import Project, open_project
from hpkg.store import OxigraphStore, bound

DEFAULT_THRESHOLD = 0.9


@dataclass(frozen=True)
class Mention:
    """Something to link: an IRI (or a gold-set id), its labels, its kind and its validity."""

    id: str
    labels: tuple[str, ...]
    kind: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def label(self) -> str:
        """The first label (for reports)."""
        return self.labels[0] if self.labels else self.id


@dataclass(frozen=True)
class Mapping:
    """One accepted link, with why it was made and how sure the matcher is."""

    subject: Mention
    candidate: Candidate
    predicate: str
    confidence: float
    subject_key: str
    object_key: str

    @property
    def justification(self) -> str:
        """A human sentence: which labels matched, how, and which constraints held."""
        how = "equal" if self.confidence >= 1.0 else f"similar (rapidfuzz ratio {self.confidence * 100:.1f})"
        valid = ""
        if self.candidate.valid_from or self.candidate.valid_to:
            valid = f"; validity {self.candidate.valid_from or '…'}–{self.candidate.valid_to or '…'} overlaps the subject's"
        note = f"; {self.candidate.note}" if self.candidate.note else ""
        return (f"normalised labels {how}: '{self.subject_key}' ~ '{self.object_key}'; kinds "
                f"{self.subject.kind} -> {self.candidate.kind}{valid}{note}")


#: A mention, a target scheme, and the candidates of that scheme that tied for it (not linked).
Ambiguity: TypeAlias = tuple[Mention, str, list[Candidate]]


@dataclass
class LinkResult:
    """What a matching run produced."""

    mappings: list[Mapping]
    ambiguous: list[Ambiguity] = field(default_factory=list)
    unmatched: list[Mention] = field(default_factory=list)
    threshold: float = DEFAULT_THRESHOLD


def _overlaps(m: Mention, c: Candidate) -> bool:
    if m.valid_from and c.valid_to and m.valid_from > c.valid_to:
        return False
    if c.valid_from and m.valid_to and c.valid_from > m.valid_to:
        return False
    return True


class Matcher:
    """An index of candidates by kind, searched with rapidfuzz."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        self._keys: dict[str, list[str]] = defaultdict(list)
        self._owner: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for i, c in enumerate(self.candidates):
            seen: set[str] = set()
            for label in c.labels:
                norm = normalize(label)
                for key in norm.keys:
                    if key not in seen:
                        seen.add(key)
                        self._keys[c.kind].append(key)
                        self._owner[c.kind].append((i, key, 1 if norm.qualified else 0))

    def match(self, mention: Mention, threshold: float = DEFAULT_THRESHOLD) -> tuple[list[Mapping], list[Ambiguity]]:
        """The accepted mappings of one mention, and the schemes where the best candidates tied."""
        if mention.kind not in COMPATIBLE:
            raise HpkgError(f"unknown kind {mention.kind!r}; known: {', '.join(KINDS)}")
        cutoff = threshold * 100
        # per scheme: the best (score, -penalty) and the candidates that reach it
        best: dict[str, tuple[tuple[float, int], dict[str, tuple[Candidate, str, str]]]] = {}
        for kind in sorted(COMPATIBLE[mention.kind]):
            choices = self._keys.get(kind, [])
            if not choices:
                continue
            for label in mention.labels:
                for mkey in normalize(label).keys:
                    for _choice, score, idx in process.extract(
                        mkey, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                    ):
                        ci, ckey, penalty = self._owner[kind][idx]
                        cand = self.candidates[ci]
                        if not _overlaps(mention, cand):
                            continue
                        rank = (score, -penalty)
                        top, found = best.get(cand.scheme, ((-1.0, 0), {}))
                        if rank > top:
                            best[cand.scheme] = (rank, {cand.curie: (cand, mkey, ckey)})
                        elif rank == top:
                            found.setdefault(cand.curie, (cand, mkey, ckey))
        mappings: list[Mapping] = []
        ambiguous: list[Ambiguity] = []
        for scheme in sorted(best):
            (score, _), found = best[scheme]
            if len(found) > 1:
                # A code equal to one of the mention's labels (e.g. "USD") settles a tie of names.
                by_code = {k: v for k, v in found.items() if v[0].notation and v[0].notation in mention.labels}
                if len(by_code) == 1:
                    found = by_code
            if len(found) > 1:
                ambiguous.append((mention, scheme, [c for c, _, _ in found.values()]))
                continue
            cand, mkey, ckey = next(iter(found.values()))
            confidence = round(score / 100, 4)
            predicate = cand.predicate
            if predicate == "owl:sameAs" and confidence < 1.0:
                predicate = "skos:exactMatch"
            mappings.append(Mapping(mention, cand, predicate, confidence, mkey, ckey))
        return mappings, ambiguous


def match_all(mentions: Iterable[Mention], candidates: Sequence[Candidate],
              threshold: float = DEFAULT_THRESHOLD) -> LinkResult:
    """Match every mention; mappings sorted by subject then object."""
    if not 0 < threshold <= 1:
        raise HpkgError(f"the threshold must be in (0, 1], not {threshold}")
    matcher = Matcher(candidates)
    result = LinkResult([], threshold=threshold)
    for m in mentions:
        found, amb = matcher.match(m, threshold)
        result.mappings.extend(found)
        result.ambiguous.extend(amb)
        if not found:
            result.unmatched.append(m)
    result.mappings.sort(key=lambda x: (x.subject.id, x.candidate.curie))
    return result


# ---------------------------------------------------------------- mentions from the graph

_MENTION_QUERY = sparql_prologue(prefix_subset("hpkg", "rdfs", "skos", "schema", "qudt", "time")) + """
SELECT ?s ?type ?label ?pref ?main ?from ?to WHERE {
  VALUES ?type { schema:Country hpkg:Territory hpkg:AdministrativeUnit qudt:Unit hpkg:IndustrialPark hpkg:EcoIndustrialPark
                 hpkg:EconomicZone hpkg:CoastalEconomicZone }
  ?s a ?type .
  FILTER (isIRI(?s))
  { ?s rdfs:label ?label } UNION { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label }
  UNION { ?s skos:notation ?label }
  OPTIONAL { ?s skos:prefLabel ?pref FILTER (lang(?pref) = "vi") }
  OPTIONAL { ?s rdfs:label ?main FILTER (lang(?main) = "vi") }
  OPTIONAL { ?s hpkg:validDuring ?iv .
             OPTIONAL { ?iv time:hasBeginning/time:inXSDDate ?from }
             OPTIONAL { ?iv time:hasEnd/time:inXSDDate ?to } }
}
"""

_KIND_OF_TYPE = {
    PREFIXES["schema"] + "Country": "country",
    # a territory is matched as an ISO 3166-1 entry, like a country (the kind names the code list, not a status)
    PREFIXES["hpkg"] + "Territory": "country",
    PREFIXES["hpkg"] + "IndustrialPark": "industrial-park",
    PREFIXES["hpkg"] + "EcoIndustrialPark": "industrial-park",
    PREFIXES["hpkg"] + "EconomicZone": "economic-zone",
    PREFIXES["hpkg"] + "CoastalEconomicZone": "economic-zone",
}


@dataclass
class _Entity:
    """What the mention query found about one IRI, gathered over its rows."""

    kind: str
    labels: list[str] = field(default_factory=list)
    main: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def mentions_from_store(store: OxigraphStore, graph: str | None = None) -> list[Mention]:
    """The linkable entities of a graph: countries, administrative units, currency units and zones."""
    rows = store.query(_MENTION_QUERY, default_graphs=[graph] if graph else None).rows()
    by_iri: dict[str, _Entity] = {}
    for r in rows:
        iri = bound(r, "s").value
        t = bound(r, "type").value
        if t.endswith("qudt/Unit"):
            if not iri.startswith(PREFIXES["unit"] + "CCY_"):
                continue
            kind = "currency"
        elif t.endswith("#AdministrativeUnit"):
            pref = r["pref"].value if r["pref"] is not None else ""
            hint = normalize(pref).kind_hint if pref else None
            kind = "municipality" if hint == "municipality" else "province"
        else:
            kind = _KIND_OF_TYPE[t]
        e = by_iri.setdefault(iri, _Entity(kind))
        if r["main"] is not None:
            e.main = r["main"].value
        label = bound(r, "label").value
        if label not in e.labels:
            e.labels.append(label)
        if r["from"] is not None:
            e.valid_from = dt.date.fromisoformat(r["from"].value)
        if r["to"] is not None:
            e.valid_to = dt.date.fromisoformat(r["to"].value)
    out = []
    for iri, e in sorted(by_iri.items()):
        # the Vietnamese rdfs:label first (it names the subject in reports and the SSSOM table)
        labels = sorted(e.labels, key=lambda x: (x != e.main, x))
        out.append(Mention(iri, tuple(labels), e.kind, e.valid_from, e.valid_to))
    return out


def curated_store(project: Project | None = None, base: str | None = None) -> OxigraphStore:
    """The curated data (without the linkset, ``data/links``) in a fresh in-memory store."""
    project = project or open_project()
    store = OxigraphStore(None)
    links = graph_iri("links", base)
    for f in project.data_files(base):
        if f.graph != links:
            store.load(f.path, graph=graph_iri("data", base), base_iri=base)
    return store


def link(project: Project | None = None, *, base: str | None = None, threshold: float = DEFAULT_THRESHOLD,
         extra_reference: Iterable[str | Path] = ()) -> LinkResult:
    """Link the curated data (shipped and the project's) to every reference list."""
    from hpkg.iri import base_iri

    base = base or base_iri()
    store = curated_store(project, base)
    mentions = mentions_from_store(store, graph_iri("data", base))
    return match_all(mentions, all_candidates(project, extra_reference), threshold)


# ---------------------------------------------------------------- evaluation on a labelled gold set


@dataclass
class Evaluation:
    """Precision and recall of the matcher on a gold set."""

    threshold: float
    pairs: int
    positives: int
    negatives: int
    tp: int
    fp: int
    fn: int
    errors: list[str]

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def text(self) -> str:
        """A short report."""
        lines = [
            f"gold set: {self.pairs} labelled pairs ({self.positives} matches, {self.negatives} non-matches), "
            f"threshold {self.threshold}",
            f"precision {self.precision:.3f} ({self.tp} of {self.tp + self.fp} predicted links correct), "
            f"recall {self.recall:.3f} ({self.tp} of {self.tp + self.fn} true links found)",
        ]
        lines += [f"  {e}" for e in self.errors]
        return "\n".join(lines)


def read_gold(path: str | Path) -> list[dict[str, str]]:
    """The gold CSV: ``mention,kind,valid_from,valid_to,object_id,match,note`` (labels split on ``|``)."""
    path = Path(path)
    if not path.is_file():
        raise HpkgError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, r in enumerate(rows, start=2):
        if r.get("match") not in ("1", "0"):
            raise HpkgError(f"{path}:{i}: the match column must be 1 or 0, not {r.get('match')!r}")
        if r.get("kind") not in COMPATIBLE:
            raise HpkgError(f"{path}:{i}: unknown kind {r.get('kind')!r}; known: {', '.join(KINDS)}")
    return rows


#: A gold-set mention: its labels, kind and validity as written.
GoldKey: TypeAlias = tuple[tuple[str, ...], str, str, str]


def evaluate(gold: str | Path, *, threshold: float = DEFAULT_THRESHOLD, project: Project | None = None,
             extra_reference: Iterable[str | Path] = (), base: str | None = None) -> Evaluation:
    """Run the matcher on the gold set's mentions and score it.

    A predicted link is judged when the gold set has a row for its mention and its target scheme: it is
    a true positive when that row says ``1``, a false positive otherwise (also when the gold set names
    another candidate of that scheme). Every gold ``1`` not predicted is a false negative.
    """
    rows = read_gold(gold)
    mentions: dict[GoldKey, Mention] = {}
    truth: dict[GoldKey, dict[str, str]] = defaultdict(dict)
    for r in rows:
        labels = tuple(x.strip() for x in r["mention"].split("|") if x.strip())
        key = (labels, r["kind"], r.get("valid_from", ""), r.get("valid_to", ""))
        if key not in mentions:
            mentions[key] = Mention(
                f"gold:{len(mentions) + 1}", labels, r["kind"],
                dt.date.fromisoformat(r["valid_from"]) if r.get("valid_from") else None,
                dt.date.fromisoformat(r["valid_to"]) if r.get("valid_to") else None,
            )
        obj = r["object_id"].strip()
        truth[key][obj] = r["match"]
    result = match_all(mentions.values(), all_candidates(project, extra_reference), threshold)
    predicted: dict[str, set[str]] = defaultdict(set)
    for m in result.mappings:
        predicted[m.subject.id].add(m.candidate.curie)
    tp = fp = fn = 0
    errors: list[str] = []
    for key, mention in mentions.items():
        judged = truth[key]
        schemes = {c.split(":", 1)[0] for c in judged}
        for obj in sorted(predicted[mention.id]):
            if obj.split(":", 1)[0] not in schemes:
                continue
            if judged.get(obj) == "1":
                tp += 1
            else:
                fp += 1
                errors.append(f"false positive: {mention.label!r} ({mention.kind}) -> {obj}")
        for obj, label in sorted(judged.items()):
            if label == "1" and obj not in predicted[mention.id]:
                fn += 1
                errors.append(f"false negative: {mention.label!r} ({mention.kind}) -> {obj}")
    positives = sum(1 for r in rows if r["match"] == "1")
    return Evaluation(threshold, len(rows), positives, len(rows) - positives, tp, fp, fn, errors)
