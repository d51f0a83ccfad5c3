"""From a report's text to candidate facts: figures with their indicator, period, area, qualifier and relation.

:func:`extract` returns a :class:`Document` whose :meth:`Document.to_json` is the contract of issue 12::

    {"document": {"path", "sha256", "language", "title", "published"},
     "facts": [{"start", "end", "quote", "value", "unit", "indicator", "period", "area", "area_iri",
                "qualifier", "relation", "confidence", "status"}],
     "entities": [{"start", "end", "quote", "kind", "iri", "status"}]}

Per figure (:mod:`hpkg.ingest.numbers`) in its sentence (:mod:`hpkg.ingest.sentences`):

* ``qualifier``: the words right before the number — estimate ("ước đạt", "ước tính", "dự kiến",
  "estimated"; "ước tăng 7%" too), approximate ("khoảng", "gần", "xấp xỉ", "about", "nearly"), lower-bound ("hơn", "trên",
  "over", "more than"), upper-bound ("dưới", "chưa đến", "under", "less than"), else exact. A range gives
  two facts with the same offsets: its lower end (lower-bound) and its upper end (upper-bound).
* ``relation``: a percentage followed by "kế hoạch"/"chỉ tiêu"/"of the plan" is ``percent-of-plan``; after
  "tăng"/"giảm"/"up"/"down" it is ``change-on-previous-period`` (negative for a fall); "gấp N lần", "N times",
  "bằng N% so với cùng kỳ" are ``ratio-to-previous-period``; after "chiếm"/"accounting for" ``share-of``.
  ``of`` is the start offset of the closest figure before it in the sentence that is not itself a relation (a
  share too: "nộp 15.000 tỷ đồng, chiếm 80% tổng thu"; ``null`` when another indicator is named between them or
  there is none), else the next figure after it, else — when the sentence states none, not for shares — the
  figure the previous sentence is about (:func:`_relate_back`); a relation takes that figure's indicator. A change in percent of a level that has a growth-rate indicator ("GRDP tăng 7%") is that indicator
  (:func:`_growth_indicator`), not a relation.
* ``indicator``: the notation of the CL_INDICATOR concept whose phrase (:mod:`hpkg.ingest.lexicon`) follows
  the figure directly ("4,35 tỷ USD vốn FDI", "$1.2bn in FDI"), is its counted noun ("220,000 workers") or,
  else, ends closest before it after the previous figure;
  only indicators stated in the figure's unit (or in no unit yet) count, and a generic phrase (its words name
  many indicators, :meth:`~hpkg.ingest.lexicon.Lexicon.is_generic`) gives way to a specific one of its clause;
  phrases that only qualify the enterprises ("doanh nghiệp FDI") do not count (:func:`attributive`). Else, for
  a count, the indicator of its head noun and modifiers (:func:`_count_indicator`); for another figure not in
  money, the indicator whose labels name what the figure counts and share most words with the sentence before
  it; else one from the figures around it (:func:`_from_context`); else ``null``. An amount right after a count
  of projects is of those projects: the indicator the count's is ``skos:related`` to
  (:func:`_of_counted_projects`). Tables written as text: :func:`hpkg.ingest.numbers.find_table_figures`.
* ``period``: a period written in the figure's clause (no comma between) — "7 tháng đầu năm 2023" ->
  ``2023-01..2023-07``, "6 tháng đầu năm 2024" -> ``2024-H1``, "quý I/2024" -> ``2024-Q1``, "tháng 7/2023"
  -> ``2023-07``, "giai đoạn 2021-2025" -> ``2021..2025``, "tính đến ngày 31/5/2024" -> ``2024-01..2024-05``, "luỹ kế", "đến nay", "to date" -> ``to-date`` —
  else the sentence's first period ("Năm 2024, …"), else the previous sentence's in the paragraph, else the
  last one of the document before it (a report is mostly about one period), else null.
* ``area``: the zone or place written closest before the figure in the sentence, else the previous figure's
  in the same paragraph. A zone authority named there ("Ban Quản lý Khu kinh tế Hải Phòng đặt ra mục tiêu …")
  stands for the one zone group it manages in the graph (``area`` is then the authority's name as written). Zone phrases without a name ("các khu công nghiệp, khu kinh tế", "… của thành
  phố") take the city last named. ``area_iri`` is the graph's zone or place with the same normalised name
  (:func:`hpkg.ingest.lexicon.area_keys`, the linker's normalisation) and a compatible kind.
* ``status``: ``known`` when the graph holds an observation (a target, for a figure in a plan clause; the
  plan attainment or change, for a relation) with the same indicator, area and period and a value within
  0.5%; ``conflict`` when it holds a different value; ``new`` otherwise (and whenever one of the three is
  unknown). A ``to-date`` figure is compared under the year of its sentence.
* ``confidence``: 0.4, plus 0.25 for an indicator, 0.15 for a period, 0.15 for a linked area (0.05 for an
  unlinked one), 0.05 when the graph knows the figure — a ranking aid for the review sheet, not a probability.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypedDict

import pyoxigraph as ox

from hpkg.ingest.entities import EntityMention, find_entities
from hpkg.ingest.lexicon import _PREFIX_DECL, GENERIC_SPREAD, Lexicon, Match, load_lexicon
from hpkg.ingest.numbers import COUNT_MODIFIERS, Quantity, find_quantities, find_table_figures, fold_same_length
from hpkg.ingest.sentences import Sentence, split_sentences
from hpkg.store.base import Store, bound

FACT_KEYS = ("start", "end", "quote", "value", "unit", "indicator", "period", "area", "area_iri", "qualifier",
             "relation", "confidence", "status")
RELATION_KINDS = ("percent-of-plan", "change-on-previous-period", "ratio-to-previous-period", "share-of")
QUALIFIERS = ("exact", "estimate", "approximate", "lower-bound", "upper-bound")
FACT_KINDS = ("observation", "activity-count", "investment-total")


class Relation(TypedDict):
    """A fact's ``relation``: one of :data:`RELATION_KINDS` and the start offset of the figure it is of."""

    kind: str
    of: int | None


@dataclass
class Fact:
    """A candidate figure (the JSON keys of :data:`FACT_KEYS`) and what the review sheet shows besides."""

    start: int
    end: int
    quote: str
    value: int | float
    unit: str
    indicator: str | None = None
    period: str | None = None
    area: str | None = None
    area_iri: str | None = None
    qualifier: str = "exact"
    relation: Relation | None = None
    confidence: float = 0.0
    status: str = "new"
    #: not in the JSON: the sentence, the year a to-date figure is compared under, the graph's value on conflict
    sentence: Sentence | None = None
    context_year: str | None = None
    plan: bool = False
    graph_value: float | None = None
    number_start: int = 0
    #: what the figure is a fact of (:data:`FACT_KINDS`): an observation of an indicator, the number of events of
    #: an investment-promotion programme ("46 chương trình hội nghị tiếp xúc đầu tư"), or the total investment of
    #: a project candidate ("các dự án của tập đoàn LG (… trên 10,59 tỷ USD)"); shown in the review sheet
    fact_kind: str = "observation"
    #: an investment total's project (start offset of its mention), an activity count's participant (the IRI of the
    #: organisation named before it) and the programme it is part of ("46 …, trong đó, có 9 …": start offset)
    project: int | None = None
    participant: str | None = None
    part_of: int | None = None
    #: what the reviewer should know: a year taken from the document, why a row cannot be accepted as it is
    note: str | None = None
    #: not in the JSON: the figure only restates or counts the one before it ("VND12.5 trillion ($492 million) for
    #: 41 new projects"): a relation after them is of that one (:func:`_from_context`)
    subordinate: bool = False

    def to_json(self) -> dict[str, Any]:
        """The fact as the contract's JSON object."""
        return {k: getattr(self, k) for k in FACT_KEYS}


@dataclass
class Document:
    """One ingested text and its candidates."""

    text: str
    path: str | None
    sha256: str
    language: str
    title: str | None
    published: str | None
    facts: list[Fact] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    source_url: str | None = None
    publisher: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for this document."""
        return {
            "document": {"path": self.path, "sha256": self.sha256, "language": self.language, "title": self.title,
                         "published": self.published},
            "facts": [f.to_json() for f in self.facts],
            "entities": [e.to_json() for e in self.entities],
        }


# ------------------------------------------------------------------ language
_VI_CHARS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def detect_language(text: str) -> str:
    """``vi`` when Vietnamese letters make up at least 10% of the letters, else ``en``."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return "vi"
    return "vi" if sum(c in _VI_CHARS for c in letters) / len(letters) >= 0.10 else "en"


# ------------------------------------------------------------------ the graph
@lru_cache(maxsize=1)
def shipped_store() -> Store:
    """The shipped graph, built once in memory (unvalidated: it is the package's own data)."""
    from hpkg.build import build
    from hpkg.project import shipped_only
    from hpkg.store import OxigraphStore

    store = OxigraphStore(None)
    build(store, project=shipped_only(), validate=False)
    return store


Key = tuple[str, str, str]  # (indicator notation, area IRI, period identifier)


@dataclass
class Known:
    """What the graph states for one key: observation values, plan attainments, changes, and the plan's figures."""

    values: list[float] = field(default_factory=list)
    percent_of_target: list[float] = field(default_factory=list)
    change: list[float] = field(default_factory=list)
    targets: dict[str, list[float]] = field(default_factory=dict)


class GraphFigures:
    """What the graph already states, asked for one key at a time when a candidate needs it.

    Reading every observation up front cost 1.5 s on the shipped graph (67k observations of the FIA reports) for
    the dozen keys a report has; one indexed query per key costs about a millisecond. The answers are kept for
    one extraction only, so a store that was written to since is read afresh.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[Key, Known] = {}

    def __getitem__(self, key: Key) -> Known:
        if (known := self._known.get(key)) is None:
            known = self._known[key] = self._read(key)
        return known

    def _read(self, key: Key) -> Known:
        n, area, pid = (str(ox.Literal(key[0])), str(ox.NamedNode(key[1])), str(ox.Literal(key[2])))
        k = Known()
        # the area first: it is the most selective bound term (Oxigraph joins in the written order)
        for r in self._store.query(_PREFIX_DECL + f"""
            SELECT ?v ?pct ?chg WHERE {{
              ?o sdmx-dimension:refArea {area} ; a qb:Observation ; hpkg:indicator/skos:notation ?n ;
                 sdmx-dimension:refPeriod/dcterms:identifier ?pid ; sdmx-measure:obsValue ?v .
              FILTER(STR(?n) = {n} && STR(?pid) = {pid})
              OPTIONAL {{ ?o hpkg:percentOfTarget ?pct }} OPTIONAL {{ ?o hpkg:changeOnPreviousPeriod ?chg }}
            }}""").rows():
            k.values.append(float(bound(r, "v").value))
            if (pct := r["pct"]) is not None:
                k.percent_of_target.append(float(pct.value))
            if (chg := r["chg"]) is not None:
                k.change.append(float(chg.value))
        for r in self._store.query(_PREFIX_DECL + f"""
            SELECT ?v ?min ?max WHERE {{
              ?t hpkg:targetArea {area} ; a hpkg:Target ; hpkg:targetIndicator/skos:notation ?n ;
                 hpkg:targetPeriod/dcterms:identifier ?pid .
              FILTER(STR(?n) = {n} && STR(?pid) = {pid})
              OPTIONAL {{ ?t hpkg:targetValue ?v }} OPTIONAL {{ ?t hpkg:minValue ?min }} OPTIONAL {{ ?t hpkg:maxValue ?max }}
            }}""").rows():
            for name in ("v", "min", "max"):
                if (term := r[name]) is not None:
                    k.targets.setdefault(name, []).append(float(term.value))
        return k


@lru_cache(maxsize=4)
def graph_lexicon(store: Store) -> Lexicon:
    """The lexicon of the graph in ``store``, read once per store."""
    return load_lexicon(store)


# ------------------------------------------------------------------ word lists (folded text)
_QUALIFIER_RX = [
    ("estimate", r"(?:uoc|du kien|du bao|uoc tinh) (?:tang|giam)(?: truong)?|uoc dat|uoc tinh|uoc khoang|du kien|du bao|uoc|estimated|an estimated|expected|forecast|projected"),
    ("upper-bound", r"chua den|chua toi|khong qua|duoi|under|less than|fewer than|below|up to"),
    ("lower-bound", r"hon|tren|vuot|over|more than|above|exceeding|in excess of|at least|upwards of"),
    ("approximate", r"khoang|gan|xap xi|tam|chung|about|around|nearly|approximately|roughly|almost|some"),
]
_ESTIMATE_IN_CLAUSE = re.compile(r"(?<![a-z])(?:uoc dat|uoc tinh|uoc khoang|du kien|du bao|estimated|expected|forecast|"
                                 r"projected)(?![a-z])"
                                 # "ước xuất siêu 7 tỷ USD": "ước" before any verb, not "hiệp ước", "ước mơ" …
                                 r"|(?<![a-z])(?<!\bhiep )(?<!\bcong )(?<!\bmong )(?<!\bquy )(?<!\bdieu )uoc"
                                 r"(?= [a-z])(?! (?:mo|muon|vong|nguyen|nguyen|luong)(?![a-z]))")
# "dự kiến thu hút 2,5 tỷ USD vốn FDI và 8.000 tỷ đồng vốn trong nước": a figure joined to the one before by "và"
# with no verb of its own shares that figure's verb, so its estimate
_SHARED_VERB = re.compile(r"(?:\s+[^\s\d,;:.()]+){0,4}?\s+(?:va|and)\s*")
_ELLIPTIC_CONJUNCT = re.compile(r"(?<![a-z]),?\s*(?:and|while)\s+(?:[a-z'-]+\s+){1,3}at\s*$")
_FILLER = r"(?:\s+(?:dat|la|duoc|toi|co|muc|con|len|xuong|dat muc|at|of|reached|totalled|totaling|to|by|was|were))*"
_QUALIFIER = [(q, re.compile(rf"(?<![a-z0-9])(?:{p}){_FILLER}\s*$")) for q, p in _QUALIFIER_RX]

_PLAN_AFTER = re.compile(r"\s*(?:so voi\s+)?(?:ke hoach|chi tieu|muc tieu|du toan|of (?:the |its |this )?"
                         r"(?:year's |annual |yearly |full-year )?(?:plan|target|estimate|goal))")
_CHANGE_BEFORE = re.compile(r"(?<![a-z])(tang truong|tang|giam|up|down|rose|grew|increased|decreased|fell|declined|"
                            r"slips|slipped|dips|dipped|drops|dropped|falls|rises|climbs|climbed|jumps|jumped|surges|"
                            r"surged|growth of|increase of|decrease of|drop of|rise of)(?:\s+(?:them|khoang|hon|gan|by|about|"
                            r"nearly|over|more than|tren|chi|some))*\s*$")
_RATIO_BASE_AFTER = re.compile(r"\s*(?:so voi|compared (?:to|with)|of)\s+(?:cung ky|nam truoc|nam \d{4}|the same period|"
                               r"last year|the previous year|a year earlier)")
_BANG_BEFORE = re.compile(r"(?<![a-z])(?:bang|equal to|equivalent to)\s*$")
_SHARE_BEFORE = re.compile(r"(?<![a-z])(?:chiem|accounting for|accounted for|accounts for|account for|making up|"
                           r"made up|share of|took|takes|taking)(?:\s+(?:toi|khoang|hon|gan|tren|duoi|xap xi|chua den|uoc|about|over|"
                           r"nearly|under|almost|den|a|around|roughly|some|more than|less than))*\s*$")
# "… đóng góp gần 42% tổng thu", "80% tổng vốn": a percent of a total is a share
_SHARE_AFTER = re.compile(r"\s*(?:of (?:the |its |their )?total|(?:cua )?tong(?! cong)\s|cua ca nuoc|ca nuoc)")
_PLAN_WORDS = re.compile(r"(?<![a-z])(?:ke hoach|chi tieu|muc tieu|du toan|target|plan|goal)(?![a-z])")
_DECREASE = ("giam", "down", "fell", "decreased", "declined", "decrease of", "drop of", "slips", "slipped", "dips",
             "dipped", "drops", "dropped", "falls")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTHS_EN = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december"], 1)}
_MONTH_WORDS = {"muoi hai": 12, "muoi mot": 11, "muoi": 10, "chin": 9, "tam": 8, "bay": 7}
_NUM_WORDS_EN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "eleven": 11}
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![a-z0-9])(\d{1,2}) thang (?:dau )?nam (\d{4})"), "months"),
    (re.compile(r"(?<![a-z0-9])(?:nua|6 thang) (dau|cuoi) nam (\d{4})"), "half"),
    (re.compile(r"(?<![a-z0-9])quy (iv|iii|ii|i|[1-4])\s*(?:/|nam|-)\s*(\d{4})"), "quarter"),
    (re.compile(r"(?<![a-z0-9])thang (\d{1,2})\s*(?:/|nam|-)\s*(\d{4})"), "month"),
    (re.compile(r"(?<![a-z0-9])(?:giai doan|thoi ky|period|from)?\s*((?:19|20)\d{2})\s*(?:-|–|den|to)\s*((?:19|20)\d{2})"
                r"(?![\d/])"), "years"),
    (re.compile(r"(?<![a-z0-9])(first|second) half of (\d{4})|(?<![a-z0-9])h([12])[ /-](\d{4})"), "half-en"),
    (re.compile(r"(?<![a-z0-9])(first|second|third|fourth) quarter of (\d{4})|(?<![a-z0-9])q([1-4])[ /-](\d{4})"),
     "quarter-en"),
    (re.compile(r"(?<![a-z0-9])(?:the )?last (\w+) months of (\d{4})"), "last-months-en"),
    (re.compile(r"(?<![a-z0-9])(\d{1,2}) thang cuoi nam (\d{4})"), "last-months"),
    (re.compile(r"(?<![a-z0-9])first (\w+) months of (\d{4})"), "months-en"),
    (re.compile(r"(?<![a-z0-9])(" + "|".join(_MONTHS_EN) + r") (\d{4})"), "month-en"),
    # "tính đến ngày 31/5/2024, thành phố thu hút …": the year so far, January to the month of the date
    (re.compile(r"(?<![a-z0-9])(?:tinh )?(?:den|toi) (?:het )?(?:ngay )?\d{1,2}/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"),
     "year-to-month"),
    (re.compile(r"(?<![a-z0-9])(?:nam|year|in|of|for|during)\s+((?:19|20)\d{2})(?![\d/])"), "year"),
    (re.compile(r"(?<![a-z0-9])(?:luy ke|den nay|tinh den nay|tu truoc den nay|cumulative|cumulatively|to date|so far)"
                r"(?![a-z])"), "to-date"),
    # periods without their year ("6 tháng đầu năm", "in the first half"): the year is the document's
    # (:func:`_document_year`), the candidate says so in its note and has a lower confidence
    (re.compile(r"(?<![a-z0-9])(\d{1,2}) thang (?:dau )?nam(?: nay)?(?!\s*(?:nay\s*)?\d)"), "months?"),
    (re.compile(r"(?<![a-z0-9])(?:nua|6 thang) (dau|cuoi) nam(?: nay)?(?!\s*(?:nay\s*)?\d)"), "half?"),
    # "Thu hút FDI 9 tháng đạt …", "xuất khẩu 9 tháng ước đạt …": the first months of the year
    (re.compile(r"(?<![a-z0-9/])(?:trong )?(\d{1,2}) thang(?! (?:dau )?nam)(?![a-z0-9/])(?!\s*/?\s*\d)"
                r"(?!\s+(?:toi|sau|tiep|cuoi|ke tiep))"), "months?"),  # not "3 tháng tới" (the next three)
    (re.compile(r"(?<![a-z0-9])quy (iv|iii|ii|i|[1-4])(?![a-z0-9])(?!\s*(?:/|nam|-)\s*\d)"), "quarter?"),
    (re.compile(r"(?<![a-z0-9])(?:the )?(first|second) half(?: of (?:the|this) year)?(?! of \d)(?![a-z])"), "half-en?"),
    (re.compile(r"(?<![a-z0-9])(?:the )?first (\w+) months(?: of (?:the|this) year)?(?! of \d)(?![a-z])"),
     "months-en?"),
    # "in seven months", "over the past eight months": the first months of the year
    (re.compile(r"(?<![a-z0-9])(?:in|over|during) (?:the )?(?:past |first )?(\w+) months(?! of \d)(?![a-z])"),
     "months-en?"),
    (re.compile(r"(?<![a-z0-9])(?:the )?last (\w+) months(?: of (?:the|this) year)(?![a-z])"), "last-months-en?"),
    (re.compile(r"(?<![a-z0-9])(\d{1,2}) thang cuoi nam(?: nay)?(?!\s*(?:nay\s*)?\d)"), "last-months?"),
    # "xuất khẩu tháng 10 ước đạt …", "tháng Mười": a month of the document's year
    (re.compile(r"(?<![a-z0-9])thang (\d{1,2}|muoi hai|muoi mot|muoi|chin|tam|bay)(?![a-z0-9/])"
                r"(?!\s*(?:/|nam|-)\s*\d)(?! (?:dau|cuoi|qua|truoc|toi|sau|gan))"), "month?"),
    (re.compile(r"(?<![a-z0-9])(?:the )?(first|second|third|fourth) quarter(?: of (?:the|this) year)?(?! of \d)"
                r"(?![a-z])"), "quarter-en?"),
    (re.compile(r"(?<![a-z0-9])(?:ca nam|nam nay|(?:the )?(?:full|whole) year|this year)(?!\s*(?:nay\s*)?\d)"
                r"(?![a-z])"), "year?"),
]
_ASIDE_BEFORE = re.compile(r"(?<![a-z])rieng(?: trong| tai| cho)?\s+$")
_ASIDE_AFTER = re.compile(r"\s+(?:alone|only)(?![a-z])")
#: the stand-in year of a period written without one, replaced by :func:`_document_year`'s
_NO_YEAR = "0000"
_COMPARISON_BASE = re.compile(r"(?<![a-z])(?:so voi|compared (?:to|with)|than|from|hon|on)(?:\s+(?:cung ky|the same period))?"
                              r"\s*$")  # a word: not the "on" of "cộng dồn"
_CLAUSE_BREAK = re.compile(r"[,;:(\[]")
_PLAN_BREAK = re.compile(r"[,;:)\]]")  # "kế hoạch năm (từ 1,8-2,3 tỷ USD)": the bracket belongs to the plan


@dataclass(frozen=True)
class _Period:
    start: int
    end: int
    value: str
    #: written without its year (the year is the document's)
    yearless: bool = False


def _period_value(kind: str, m: re.Match[str]) -> str | None:
    g: tuple[str, ...] = m.groups()
    if kind.endswith("?"):  # no year written: the stand-in year, the same patterns as with one
        kind = kind[:-1]
        if kind in ("half-en", "quarter-en"):
            g = (g[0], _NO_YEAR, "", "")
        else:
            g = (*g, _NO_YEAR)
    if kind == "months":
        n, y = int(g[0]), g[1]
        if not 1 <= n <= 12:
            return None
        return f"{y}-H1" if n == 6 else f"{y}-Q1" if n == 3 else f"{y}" if n == 12 else f"{y}-01..{y}-{n:02d}"
    if kind == "half":
        return f"{g[1]}-H1" if g[0] == "dau" else f"{g[1]}-H2"
    if kind == "quarter":
        q = _ROMAN.get(g[0]) or int(g[0])
        return f"{g[1]}-Q{q}"
    if kind == "month":
        mo = _MONTH_WORDS.get(g[0]) or int(g[0])
        return f"{g[1]}-{mo:02d}" if 1 <= mo <= 12 else None
    if kind == "years":
        return f"{g[0]}..{g[1]}" if g[0] < g[1] else None
    if kind == "half-en":
        return f"{g[1]}-H{1 if g[0] == 'first' else 2}" if g[0] else f"{g[3]}-H{g[2]}"
    if kind == "quarter-en":
        if g[0]:
            return f"{g[1]}-Q{['first', 'second', 'third', 'fourth'].index(g[0]) + 1}"
        return f"{g[3]}-Q{g[2]}"
    if kind in ("last-months", "last-months-en"):
        last = _NUM_WORDS_EN.get(g[0]) if kind.endswith("en") else int(g[0]) if g[0].isdigit() else None
        if last is None or not 1 <= last <= 11:
            return None
        return f"{g[1]}-H2" if last == 6 else f"{g[1]}-Q4" if last == 3 else f"{g[1]}-{13 - last:02d}..{g[1]}-12"
    if kind == "months-en":
        months = _NUM_WORDS_EN.get(g[0])
        return None if months is None else f"{g[1]}-H1" if months == 6 else f"{g[1]}-01..{g[1]}-{months:02d}"
    if kind == "month-en":
        return f"{g[1]}-{_MONTHS_EN[g[0]]:02d}"
    if kind == "year":
        return g[0]
    if kind == "year-to-month":
        mo = int(g[0])
        return None if not 1 <= mo <= 12 else g[1] if mo == 12 else f"{g[1]}-01" if mo == 1 else f"{g[1]}-01..{g[1]}-{mo:02d}"
    return "to-date"


def _find_periods(folded: str, start: int, end: int) -> list[_Period]:
    found: list[_Period] = []
    for rx, kind in _PERIODS:
        for m in rx.finditer(folded, start, end):
            if any(p.start <= m.start() < p.end or m.start() <= p.start < m.end() for p in found):
                continue
            if _COMPARISON_BASE.search(folded[max(start, m.start() - 24):m.start()]):
                continue  # "so với năm 2023" is the comparison base, not the figure's period
            v = _period_value(kind, m)
            if v:
                found.append(_Period(m.start(), m.end(), v, kind.endswith("?")))
    return sorted(found, key=lambda p: p.start)


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _document_year(period: str, title: str | None, published: str | None,
                   fallback: str | None, text_year: str | None = None) -> tuple[str, str] | None:
    """The year of a period written without one, and where it came from: a year in the title, else the
    publication date's (the year before when a part of a year ends more than a month after the publication:
    "6 tháng đầu năm" published in January; the whole year, "cả năm", is the publication's), else the last year
    the text stated before it, else the first year the text states (after it); ``None`` when there is none."""
    if title and (m := _YEAR.search(title)):
        return m.group(1), "the title"
    if published and len(published) >= 7 and published[:4].isdigit():
        year, month = int(published[:4]), int(published[5:7])
        last = period_end_month(period.replace(_NO_YEAR, str(year)))
        if period != _NO_YEAR and last is not None and last > month + 1:
            year -= 1  # "6 tháng đầu năm" published in January is last year's ("cả năm" is this year's)
        return str(year), "the publication date"
    if fallback:
        return fallback, "the year stated before it in the text"
    if text_year:
        return text_year, "the first year the text states"
    return None


def period_end_month(period: str) -> int | None:
    """The last month of a period identifier (``2024-H1`` -> 6, ``2024-01..2024-07`` -> 7, ``2024`` -> 12)."""
    m = re.match(r"^\d{4}(?:-(\d{2})(?:\.\.\d{4}-(\d{2}))?|-H([12])|-Q([1-4]))?$", period)
    if m is None:
        return None
    if m.group(2):
        return int(m.group(2))
    if m.group(1):
        return int(m.group(1))
    if m.group(3):
        return 6 if m.group(3) == "1" else 12
    if m.group(4):
        return 3 * int(m.group(4))
    return 12


def _year_of(period: str | None) -> str | None:
    return period[:4] if period and period[:4].isdigit() else None


# ------------------------------------------------------------------ indicators
_JOIN_AFTER = re.compile(r"\s*(?:(?:of|in|worth of|to|into|cua|cho|vao)\s+(?:the\s+)?)?")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text))


#: an indicator phrase that only qualifies an enterprise noun ("doanh nghiệp FDI", "doanh nghiệp có vốn đầu tư nước
#: ngoài", "FDI firms", "foreign-invested enterprises"): it says whose figure it is, not what the figure measures
_ATTRIBUTIVE_BEFORE = re.compile(r"(?<![a-z])(?:doanh nghiep|cong ty|khu vuc)\s+(?:co|thuoc|su dung)\s*$")
_ENTERPRISE_BEFORE = re.compile(r"(?<![a-z])(?:doanh nghiep|cong ty|khu vuc)\s*$")
_ATTRIBUTIVE_AFTER = re.compile(r"\s*(?:-?\s*invested\s+)?(?:firms?|enterprises?|companies|company|businesses)(?![a-z])")
_COUNT_UNITS = ("project", "count", "enterprise")


def attributive(text: str, folded: str, m: Match) -> bool:
    """Whether the phrase at ``m`` only qualifies an enterprise noun: "doanh nghiệp có vốn đầu tư nước ngoài", an
    abbreviation right after the noun ("doanh nghiệp FDI", "khu vực FDI"), or a noun after it ("FDI firms");
    not a verb phrase after the noun ("các doanh nghiệp xuất khẩu …")."""
    return bool(_ATTRIBUTIVE_BEFORE.search(folded, max(0, m.start - 24), m.start)
                or (text[m.start:m.end].isupper() and _ENTERPRISE_BEFORE.search(folded, max(0, m.start - 24),
                                                                                 m.start))
                or _ATTRIBUTIVE_AFTER.match(folded, m.end))


_COORDINATION = re.compile(r",|(?<![a-z])(?:va|and)(?![a-z])")
_POSSESSIVE = re.compile(r"\s+cua\s+(?:cac\s+|nhung\s+)?(?:[a-z]+\s+){0,2}")


def _closest(matches: list[Match]) -> Match:
    """The phrase closest before a figure among ``matches``: the one ending last, the longest of those."""
    return max(matches, key=lambda m: (m.end, m.end - m.start))


def _clause_start(folded: str, start: int, end: int) -> int:
    return max([start, *(m.end() for m in _CLAUSE_BREAK.finditer(folded, start, end))])


def _pick_indicator(lex: Lexicon, folded: str, q: Quantity, sent: Sentence, window_start: int,
                    matches: list[Match]) -> str | None:
    """The indicator a figure's words name (see the module docstring): a phrase right after the figure or its
    counted noun; else the phrase closest before it — but a generic one ("tổng vốn đăng ký") gives way to a
    specific one of the same clause ("nhà đầu tư trong nước"); else, for a count, :func:`_count_indicator`."""
    in_sentence = [m for m in matches if sent.start <= m.start and m.end <= sent.end
                   and lex.accepts(m.phrase.notation, q.unit)]
    # a phrase right after the figure: "4,35 tỷ USD vốn đầu tư trực tiếp nước ngoài", "$1.2bn in FDI"
    after = [m for m in in_sentence if m.start >= q.end and _JOIN_AFTER.fullmatch(folded[q.end:m.start])]
    # or the counted noun of the quote itself: "220,000 workers", "210.000 lao động", or a phrase starting with it
    # ("25 dự án mới", "12 dự án cấp mới": the quote ends at the noun, the phrase goes on)
    after += [m for m in in_sentence if q.number_start < m.start < q.end
              and (m.end <= q.end or q.unit not in ("USD", "VND"))]
    if after:
        return max(after, key=lambda m: m.end - m.start).phrase.notation
    before = [m for m in in_sentence if window_start <= m.start and m.end <= q.number_start]
    if before:
        best = _closest(before)
        # "Vốn thực hiện của các dự án đầu tư nước ngoài ước đạt …": the phrase after "của" says whose figure it
        # is; the phrase it follows says what it measures
        # (not a list's last item: "vốn cấp mới, điều chỉnh và góp vốn của nhà đầu tư nước ngoài" is the total)
        owner = [m for m in before if m.end <= best.start and _POSSESSIVE.fullmatch(folded, m.end, best.start)
                 and not _COORDINATION.search(folded, max(sent.start, window_start), m.start)]
        if owner:
            best = _closest(owner)
        if lex.is_generic(best.phrase):
            clause = _clause_start(folded, max(sent.start, window_start), q.number_start)
            specific = [m for m in before if m.start >= clause and not lex.is_generic(m.phrase)]
            if specific:
                best = _closest(specific)
        return best.phrase.notation
    if q.unit in ("USD", "VND"):
        return None  # too many indicators are amounts for shared words to tell them apart
    if q.unit in _COUNT_UNITS:
        return (_count_indicator(lex, folded, q, sent, window_start)
                or _count_of_amount_phrase(lex, folded, q, sent, window_start, matches))
    # fall back: the indicator sharing most words with the sentence so far among those stated in this unit or in
    # no known unit yet
    counted = {w for w in _words(folded[q.start:q.end]) if not w.isdigit()}  # "lao động" of "210.000 lao động"
    context = _words(folded[sent.start:q.start]) - counted
    best_score: tuple[int, int, str] | None = None
    for notation in sorted(lex.notations()):
        units = lex.units.get(notation)
        if units and q.unit not in units:
            continue
        words = lex.label_words_of(notation)
        if not counted <= words:  # the indicator must count what the figure counts
            continue
        score = (len(words & context), 1 if units else 0)
        if score[0] >= (1 if counted else 2) and (best_score is None or score > best_score[:2]):
            best_score = (*score, notation)
    return best_score[2] if best_score else None


def _count_indicator(lex: Lexicon, folded: str, q: Quantity, sent: Sentence, window_start: int) -> str | None:
    """The indicator of a count from its head noun and its modifiers: among the indicators stated in a count whose
    labels hold the counted noun ("dự án" of "24 dự án", "lượt" of "41 lượt"), the one whose other label words
    are written around the number, in its clause ("cấp mới 24 dự án", "điều chỉnh 41 lượt", "68 dự án FDI còn
    hiệu lực"), each word weighing 1 / the number of indicators it names; a word naming many ("FDI", "vốn") cannot
    decide alone, and a tie is ``None``."""
    quoted = {w for w in _words(folded[q.number_start:q.end]) if not w.isdigit()}
    counted = quoted - set(COUNT_MODIFIERS)  # "projects" of "498 valid FDI projects"; "valid FDI" modify it
    if not counted:
        return None
    start = _clause_start(folded, max(sent.start, window_start), q.number_start)
    if start > max(sent.start, window_start) and folded[start - 1] == ":":
        # "Góp vốn, mua cổ phần: 1.200 lượt": a heading before a colon names what the count is of
        start = max(sent.start, window_start)
    after_end = next((m.start() for m in _CLAUSE_BREAK.finditer(folded, q.end, sent.end)), sent.end)
    context = (_words(folded[start:q.number_start]) | _words(folded[q.end:min(after_end, q.end + 48)])
               | quoted) - counted
    spread = lex.word_spread()
    scored: list[tuple[float, str]] = []
    for notation in sorted(lex.notations()):
        if not lex.units.get(notation) or not lex.accepts(notation, q.unit):
            continue
        words = lex.label_words_of(notation)
        if not counted <= words:  # the indicator must count what the figure counts
            continue
        shared = words & context
        if not any(spread.get(w, 0) < GENERIC_SPREAD for w in shared):
            continue
        scored.append((sum(1 / spread.get(w, 1) for w in shared), notation))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _count_of_amount_phrase(lex: Lexicon, folded: str, q: Quantity, sent: Sentence, window_start: int,
                            matches: list[Match]) -> str | None:
    """A count after a phrase of an amount in its clause ("capital additions to 60 operating projects", "tăng vốn
    cho 12 dự án"): the count indicator ``skos:related`` to that amount's indicator, when there is one."""
    start = _clause_start(folded, max(sent.start, window_start), q.number_start)
    before = [m for m in matches if start <= m.start and m.end <= q.number_start]
    # or the verb phrase right after it ("14 projects increased their capital by $95 million")
    after = [m for m in matches if q.end <= m.start <= q.end + 12 and not _CLAUSE_BREAK.search(folded, q.end, m.start)]
    if not before and not after:
        return None
    closest = (_closest(before) if before
               else min(after, key=lambda m: (m.start, -(m.end - m.start)))).phrase.notation
    counts = sorted(n for n in lex.related.get(closest, ()) if lex.accepts(n, q.unit)
                    and lex.units.get(n, frozenset()) & set(_COUNT_UNITS))
    return counts[0] if len(counts) == 1 else None


# ------------------------------------------------------------------ the pipeline
def extract(text: str, *, graph_store: Store | None = None, lang: str | None = None, path: str | None = None,
            title: str | None = None, published: str | None = None, source_url: str | None = None,
            publisher: str | None = None, data: bytes | None = None) -> Document:
    """Candidate facts of ``text`` against the graph in ``graph_store`` (default: the shipped graph).

    ``data`` are the file's bytes for the document's sha256 (default: the text in UTF-8). Offsets index the
    text after NFC normalisation (the same string for ordinary text).
    """
    text = unicodedata.normalize("NFC", text)
    store = graph_store if graph_store is not None else shipped_store()
    lex, figures = graph_lexicon(store), GraphFigures(store)
    language = lang or detect_language(text)
    sha = hashlib.sha256(data if data is not None else text.encode("utf-8")).hexdigest()
    if title is None:
        first = text.strip().split("\n", 1)
        if len(first) == 2 and 0 < len(first[0].strip()) <= 200 and not first[0].rstrip().endswith((".", ":")):
            title = first[0].strip()
    doc = Document(text, path, sha, language, title, published, source_url=source_url, publisher=publisher)
    folded = fold_same_length(text)
    sentences = split_sentences(text)
    quantities = find_quantities(text, language)
    # tables written as text: a bare number takes the unit of its row's unit column (numbers.find_table_figures)
    table = [t for t in find_table_figures(text, language)
             if not any(q.start < t.quantity.end and t.quantity.start < q.end for q in quantities)]
    index_of = {t.quantity.start: t.index_of for t in table if t.index_of is not None}
    quantities = sorted([*quantities, *(t.quantity for t in table)], key=lambda q: q.start)
    phrases = lex.find(text, folded)
    qualifying = [m for m in phrases if attributive(text, folded, m)]
    matches = [m for m in phrases if not any(a.start <= m.start and m.end <= a.end for a in qualifying)]
    doc.entities = find_entities(text, folded, lex, quantities, sentences, store)
    areas = [m for m in doc.entities if m.kind == "zone" or m.fine_kind in ("municipality", "province") or m.manages]
    # who or where a breakdown's amount is of: a partner country, an organisation, a province ("Bắc Giang dẫn đầu
    # với …")
    partners = [m for m in doc.entities if m.fine_kind in ("country", "province", "municipality")
                or m.kind == "organisation"]
    last_period: str | None = None
    last_paragraph = 0
    last_area: EntityMention | None = None
    inferred: dict[str, str] = {}  # a period whose year the text does not state -> the note saying where it is from
    stated: set[str] = set()
    # the first year the text states: the year of a headline's "Quý I …" or "… in the first half" when neither
    # the title nor the publication date states one (the headline comes before the body that says it)
    text_year = next((y for p in _find_periods(folded, 0, len(folded)) if not p.yearless
                      and (y := _year_of(p.value))), None)
    for sent in sentences:
        if sent.paragraph != last_paragraph:
            last_area, last_paragraph = None, sent.paragraph
            para_period = None
        qs = [q for q in quantities if sent.start <= q.start < sent.end]
        periods = []
        for p in _find_periods(folded, sent.start, sent.end):
            if p.yearless:
                found = _document_year(p.value, title, published, _year_of(last_period), text_year)
                if found is None:
                    continue
                year, source = found
                p = _Period(p.start, p.end, p.value.replace(_NO_YEAR, year), True)
                written = text[p.start:p.end]
                inferred.setdefault(p.value, f"period: \"{written}\" states no year; {year} is taken from {source}")
            else:
                stated.add(p.value)
            periods.append(p)
        # the sentence's period: its first one, unless that one belongs to a plan clause ("… and the plan for
        # 2025 sets revenue at …" is not the period of the sentence's other figures)
        lead = next((p for p in periods if p.value != "to-date"
                     and not _PLAN_WORDS.search(folded[max(sent.start, p.start - 24):p.start])), None)
        topical = lead.value if lead else None
        # "Riêng tháng 6/2024, …", "… in the first quarter alone": a part of the report's period, set aside for
        # this sentence only; the sentences after it go on with the period before it
        aside = lead is not None and bool(_ASIDE_BEFORE.search(folded, max(sent.start, lead.start - 16), lead.start)
                                          or _ASIDE_AFTER.match(folded, lead.end))
        if topical is None:
            topical = para_period or last_period
        context_year = _year_of(topical) or _year_of(last_period) or (published[:4] if published else None)
        prev_end = sent.start
        sentence_facts: list[Fact] = []
        for q in qs:
            fact = _fact(q, sent, folded, prev_end, sentence_facts, periods, topical, context_year, areas,
                         last_area, lex, matches, doc.facts, partners)
            if not (fact.relation and fact.relation["of"] is None and fact.relation["kind"] != "share-of"):
                prev_end = q.end  # a relation before its figure: the figure's indicator may be written before both
            if fact.area is not None:
                last_area = next((a for a in areas if a.quote == fact.area and _area_iri(a) == fact.area_iri),
                                 last_area)
            sentence_facts.extend(_split_range(fact, q))
        for f in sentence_facts:
            base = next((e for e in sentence_facts if e.start == index_of.get(f.start)), None)
            if base is not None:  # "So với cùng kỳ (%)": the row's figure as a percent of the same period
                f.relation = Relation(kind="ratio-to-previous-period", of=base.start)
                f.indicator, f.area, f.area_iri, f.period = base.indicator, base.area, base.area_iri, base.period
        _relate_forward(sentence_facts)
        _relate_back(sentence_facts, doc.facts)
        for f in sentence_facts:
            if f.period in inferred and f.period not in stated:
                f.note = inferred[f.period]
            _status(f, figures)
            _confidence(f)
        doc.facts.extend(sentence_facts)
        if topical and not aside:
            para_period = topical
            last_period = topical
    _fact_kinds(doc, folded, lex)
    return doc


_PART_OF = re.compile(r"(?<![a-z])(?:trong do|trong so do|of which|including)(?![a-z])")
_PART_OF_TOTAL = re.compile(r"\s*(?:of (?:the|this) total|trong tong so)(?![a-z])")


def _fact_kinds(doc: Document, folded: str, lex: Lexicon) -> None:
    """Figures that are not observations of an indicator: counts of investment-promotion events (an activity of
    the organisation named before them: the counted noun a label of the ``EVENT`` concept of CL_ACTIVITY_KIND,
    "46 chương trình hội nghị …", its clause naming ``INVESTMENT_PROMOTION``, "… tiếp xúc đầu tư") and the money
    figures, without an indicator, of a project candidate (its investment total)."""
    orgs = [e for e in doc.entities if e.kind == "organisation"]
    projects = [e for e in doc.entities if e.kind == "project"]
    last_count: Fact | None = None
    for f in doc.facts:
        sent = f.sentence
        if f.indicator is None and f.relation is None and f.unit == "count" and sent is not None:
            clause_end = next((m.start() for m in re.finditer(r"[,;.(]", folded[f.end:sent.end])), sent.end - f.end)
            words = folded[f.number_start:f.end + clause_end]
            counted = folded[f.number_start:f.end]
            if lex.names_activity("EVENT", counted) and lex.names_activity("INVESTMENT_PROMOTION", words):
                f.fact_kind = "activity-count"
                before = [o for o in orgs if sent.start <= o.start and o.end <= f.start]
                if before:
                    f.participant = before[-1].iri
                if (last_count is not None and last_count.sentence is sent
                        and _PART_OF.search(folded, last_count.end, f.start)):
                    f.part_of = last_count.start
                last_count = f
                _confidence(f)
                continue
        if f.indicator is None and f.relation is None and f.unit in ("USD", "VND") and not f.plan:
            project = next((p for p in projects if f.start in p.facts), None)
            if project is not None:
                f.fact_kind, f.project = "investment-total", project.start
                _confidence(f)


def _fact(q: Quantity, sent: Sentence, folded: str, prev_end: int, earlier: list[Fact], periods: list[_Period],
          topical: str | None, context_year: str | None, areas: list[EntityMention],
          last_area: EntityMention | None, lex: Lexicon, matches: list[Match],
          document_facts: list[Fact] | None = None, partners: list[EntityMention] | None = None) -> Fact:
    f = Fact(q.start, q.end, q.quote, q.value, q.unit, sentence=sent, context_year=context_year,
             number_start=q.number_start)
    before = folded[max(sent.start, q.start - 48):q.start] if q.unit != "ratio" else \
        folded[max(sent.start, q.number_start - 48):q.number_start]
    prior = next((e for e in reversed(earlier) if e.relation is None), None)  # the last figure not a relation
    # qualifier
    if q.unit != "ratio":
        for name, rx in _QUALIFIER:
            if rx.search(before):
                f.qualifier = name
                break
        # "Dự kiến cả năm 2025, doanh thu đạt trên 40 tỷ USD": an estimate that is also a bound is an estimate
        # (one qualifier per figure; the value is not yet measured, which matters more than its side)
        if f.qualifier != "estimate" and _ESTIMATE_IN_CLAUSE.search(folded, max(sent.start, prev_end),
                                                                    q.number_start):
            window = folded[max(sent.start, prev_end):q.number_start]
            if ";" not in window:
                f.qualifier = "estimate"
        # "exports were estimated at $10 billion, and imports at $8 billion": a conjunct without a verb of its own
        # shares the verb, so the qualifier, of the figure before it
        if f.qualifier == "exact" and (_ELLIPTIC_CONJUNCT.search(folded, max(sent.start, q.start - 48), q.start) or (
                prior is not None and _SHARED_VERB.fullmatch(folded, prior.end, q.start))):
            shared = prior
            if shared is not None and shared.qualifier == "estimate":
                f.qualifier = "estimate"
    # relation
    after = folded[q.end:min(sent.end, q.end + 48)]
    kind: str | None = None
    if q.unit == "percent":
        if _PLAN_AFTER.match(after):
            kind = "percent-of-plan"
        elif (cm := _CHANGE_BEFORE.search(before)) is not None:
            kind = "change-on-previous-period"
            if cm.group(1) in _DECREASE and isinstance(f.value, int | float):
                f.value = -f.value
        elif _BANG_BEFORE.search(before) and _RATIO_BASE_AFTER.match(after):
            kind = "ratio-to-previous-period"
        elif _SHARE_BEFORE.search(before) or _SHARE_AFTER.match(after):
            kind = "share-of"
    elif q.unit == "ratio":
        kind = "percent-of-plan" if _PLAN_AFTER.match(after) else "ratio-to-previous-period"
    if kind == "change-on-previous-period" and (growth := _growth_indicator(lex, folded, q, sent, prev_end,
                                                                           matches)) is not None:
        # "GRDP ước tăng 7%", "GRDP grew by 6.5%": the growth rate is an indicator of its own, not a change of
        # a figure (the value stays positive only if it was; a fall is a negative growth rate)
        kind = None
        f.relation = None
        growth_of: str | None = growth
    else:
        growth_of = None
    if kind is not None:
        # a share is of the figure before it as the other relations are ("nộp 15.000 tỷ đồng, chiếm 80% tổng thu":
        # the 15.000 tỷ đồng is 80% of the total), unless another indicator is named between them ("4,35 tỷ USD …,
        # trong đó các dự án thuộc lĩnh vực … chiếm 77%" is a share of projects, of no figure of the text)
        base = next((e for e in reversed(earlier) if e.relation is None and e.unit != "percent"
                     and not e.subordinate), None)
        if base is not None and kind != "percent-of-plan" and any(
                base.end <= m.start and m.end <= q.number_start and m.phrase.notation != base.indicator
                and not any(e.subordinate and e.start <= m.start < e.end for e in earlier)  # "41 new projects"
                for m in matches):
            # another indicator is named between the earlier figure and this one ("xuất khẩu đạt 6,3 tỷ USD, …
            # trong khi nhập khẩu chỉ bằng 56% so với cùng kỳ, khoảng 3,4 tỷ USD"): the relation is of a later
            # figure (:func:`_relate_forward`)
            base = None
        f.relation = Relation(kind=kind, of=base.start if base else None)
        whole = _whole_named(lex, folded, q, matches) if kind == "share-of" else None
        if whole is not None and (base is None or base.indicator is None) and (
                base is None or lex.accepts(whole, base.unit)):
            # "…, chiếm 13% tổng vốn đầu tư đăng ký", "took 10% of the new capital": the whole the share is of
            # names the indicator its part (the amount before it, when that named none) is of
            f.indicator = whole
            if base is not None:
                base.indicator = whole
        if base is not None:
            f.indicator = base.indicator
            f.area, f.area_iri, f.period, f.context_year = base.area, base.area_iri, base.period, base.context_year
            return f
    picked = _pick_indicator(lex, folded, q, sent, prev_end, matches)
    if picked is None and earlier and earlier[-1].indicator is None:
        # "Về đầu tư trong nước, tỉnh chấp thuận 47 dự án với tổng vốn 18.300 tỷ đồng": a figure that named no
        # indicator did not use the phrase before it; the next one may
        since = max([sent.start, *(e.end for e in earlier if e.indicator is not None)])
        picked = _pick_indicator(lex, folded, q, sent, since, matches)
    named_whole = f.indicator  # a share of a named whole, of no figure before it ("took 10% of the new capital")
    f.indicator = growth_of or _of_counted_projects(lex, picked, q, folded, earlier, sent, matches) or named_whole
    if prior is not None and prior.unit in ("USD", "VND") and (
            (q.unit in ("USD", "VND") and q.unit != prior.unit and _EQUIVALENT.fullmatch(folded, prior.end,
                                                                                       q.start))
            or (q.unit in _COUNT_UNITS and _AMOUNT_OF_COUNT.fullmatch(folded, prior.end, q.number_start))):
        f.subordinate = True
        if q.unit in ("USD", "VND"):
            f.indicator = prior.indicator  # "VND12.5 trillion ($492 million)": the same figure in another currency
    if f.indicator is None:
        f.indicator = _from_context(lex, folded, q, sent, earlier, document_facts or [], matches, [
            p for p in partners or [] if sent.start <= p.start and p.end <= q.number_start])
    if f.unit == "count" and f.indicator is not None:
        # "điều chỉnh 41 lượt": a count of an indicator stated in projects is a count of projects
        units = lex.units.get(f.indicator, frozenset())
        if len(units) == 1 and next(iter(units)) in ("project", "enterprise"):
            f.unit = next(iter(units))
    # a figure in a plan clause ("kế hoạch năm (từ 1,8-2,3 tỷ USD)", "mục tiêu … 3-3,5 tỷ USD")
    clause_start = max([sent.start, prev_end, *(m.end() for m in _CLAUSE_BREAK.finditer(folded, sent.start,
                                                                                       q.number_start))])
    plan_start = max([sent.start, prev_end, *(m.end() for m in _PLAN_BREAK.finditer(folded, sent.start,
                                                                                    q.number_start))])
    f.plan = kind is None and bool(_PLAN_WORDS.search(folded[plan_start:q.number_start]))
    if f.plan and f.indicator is None:
        # "bằng 242% kế hoạch năm (từ 1,8-2,3 tỷ USD)": the plan of the figure the attainment is of
        attained = next((e for e in reversed(earlier) if e.relation and e.relation["kind"] == "percent-of-plan"), None)
        if attained is not None:
            f.indicator = attained.indicator
    # period: in the figure's clause, else the sentence's, else the paragraph's
    in_clause = [p for p in periods if p.end <= q.number_start and p.start >= clause_start - 12
                 and not _CLAUSE_BREAK.search(folded[p.end:q.number_start])]
    after_clause = [p for p in periods if p.start >= q.end and not _CLAUSE_BREAK.search(folded[q.end:p.start])
                    and p.start - q.end <= 40]
    chosen = in_clause[-1] if in_clause else after_clause[0] if after_clause else None
    f.period = chosen.value if chosen else topical
    # a cumulative figure: a "luỹ kế"/"đến nay" earlier in the sentence with no other period after it holds for
    # every figure up to the next period ("luỹ kế đến nay là 30,3 tỷ USD với tổng cộng 594 dự án"; "Tính đến
    # hết tháng 9/2025, luỹ kế … hơn 30 tỷ USD vốn FDI")
    before_q = [p for p in periods if p.end <= q.number_start]
    if before_q and before_q[-1].value == "to-date":
        f.period = "to-date"
    if f.period == "to-date" and f.indicator is not None:
        last_to_date: list[_Period] = []
        for p in before_q:  # the run of to-date periods since the last other one ("Luỹ kế đến nay, …")
            last_to_date = [*last_to_date, p] if p.value == "to-date" else []
        if any(_CUMULATIVE.search(folded, p.start, p.end) for p in last_to_date):
            f.indicator = _cumulative_indicator(lex, f.indicator, q.unit)
    # area
    cands = [a for a in areas if sent.start <= a.start and a.end <= q.number_start]
    area = cands[-1] if cands else last_area
    if area is not None:
        f.area, f.area_iri = area.quote, _area_iri(area)
    return f


_CUMULATIVE = re.compile(r"luy ke|cumulative|cumulatively")
_WHOLE_BEFORE = re.compile(r"\s*(?:cua\s+|of\s+(?:the\s+|its\s+|their\s+)?)?")


def _whole_named(lex: Lexicon, folded: str, q: Quantity, matches: list[Match]) -> str | None:
    """The indicator a phrase right after a share names as its whole ("14% tổng vốn đăng ký", "10% of the new
    capital"), or ``None``."""
    after = [m for m in matches if q.end <= m.start <= q.end + 16 and _WHOLE_BEFORE.fullmatch(folded, q.end, m.start)]
    if not after:
        return None
    return max(after, key=lambda m: m.end - m.start).phrase.notation


_GROWTH_WORDS = re.compile(r"(?<![a-z])(?:tang truong|tang|growth|grew)(?![a-z])")


def _growth_indicator(lex: Lexicon, folded: str, q: Quantity, sent: Sentence, window_start: int,
                      matches: list[Match]) -> str | None:
    """The growth-rate indicator of the level named before a change in percent ("GRDP ước tăng 7%" ->
    GRDP_GROWTH): an indicator stated in percent one of whose labels is a label of the level's indicator with a
    growth word ("tăng trưởng GRDP", "GRDP growth"); ``None`` when the level has none (revenue, exports)."""
    start = max(sent.start, window_start)
    before = [m for m in matches if start <= m.start and m.end <= q.number_start
              and not re.search(r"[;]", folded[m.end:q.number_start])]
    if not before:
        return None
    level = _closest(before)
    if lex.accepts(level.phrase.notation, "percent") and lex.units.get(level.phrase.notation):
        return level.phrase.notation if _GROWTH_WORDS.search(fold_same_length(level.phrase.label).lower()) else None
    level_words = _words(fold_same_length(level.phrase.label).lower())
    found = {p.notation for p in lex.phrases
             if p.notation != level.phrase.notation and "percent" in lex.units.get(p.notation, frozenset())
             and _GROWTH_WORDS.search(label := fold_same_length(p.label).lower())
             and level_words <= _words(label) and not _PLAN_WORDS.search(label)}
    return next(iter(found)) if len(found) == 1 else None


def _of_counted_projects(lex: Lexicon, notation: str | None, q: Quantity, folded: str,
                         earlier: list[Fact], sent: Sentence, matches: list[Match]) -> str | None:
    """An amount right after a count of projects in the same clause ("cấp mới 30 dự án với vốn đăng ký 250 triệu
    USD", "12 existing projects added $90 million") is the capital of those projects: the amount indicator the
    count's indicator is ``skos:related`` to, when the phrase found names none or only its broader indicator."""
    if q.unit not in ("USD", "VND") or not earlier:
        return notation
    prev = earlier[-1]
    if (prev.relation is not None or prev.indicator is None or prev.unit not in ("project", "count", "enterprise")
            or prev.end > q.number_start or re.search(r"[;.]", folded[prev.end:q.number_start])
            or q.number_start - prev.end > 80):  # "900 projects with foreign capital still valid, with total …"
        return notation
    related = sorted(n for n in lex.related.get(prev.indicator, ()) if lex.units.get(n) and lex.accepts(n, q.unit))
    if len(related) != 1:
        return notation
    if notation is None:
        # "Ở khu vực trong nước, 38 dự án được chấp thuận với tổng vốn …": a specific phrase of the amount's unit
        # before the count, naming another indicator than the projects' capital, says whose projects they are
        named = [m for m in matches if sent.start <= m.start and m.end <= prev.number_start
                 and lex.accepts(m.phrase.notation, q.unit) and not lex.is_generic(m.phrase)]
        if named:
            last = _closest(named).phrase.notation
            if last not in (related[0], lex.broader.get(related[0])) and lex.units.get(last) \
                    and lex.broader.get(last) != lex.broader.get(related[0]):  # not a sibling ("new … existing")
                return last
    if notation is None or notation == lex.broader.get(related[0]) \
            or _cumulative_indicator(lex, notation, q.unit) == related[0]:
        return related[0]  # "68 dự án FDI còn hiệu lực với tổng vốn 8 tỷ USD": the capital of cumulative projects
    return notation


_EQUIVALENT = re.compile(r"\s*\(\s*(?:~|≈|khoang|tuong duong|about|around|approximately|or|nearly)?\s*")
_AMOUNT_OF_COUNT = re.compile(r"\s*(?:\)\s*)?(?:across|for|from|with|in|of|by|cho|voi|cua|tu|tren)"
                              r"(?:\s+(?:tong cong|tong so|ca thay|a total of|in total|some))?\s*$")


def _from_context(lex: Lexicon, folded: str, q: Quantity, sent: Sentence, earlier: list[Fact], before: list[Fact],
                  matches: list[Match], partners: list[EntityMention]) -> str | None:
    """The indicator of a figure whose own words name none, from the figures around it:

    * a count right after an amount it is the count of ("$845 million across 17 projects"): the count indicator
      ``skos:related`` to the amount's;
    * a part of a whole ("187 dự án mới. Trong số đó có 24 dự án FDI …", "of which 12 projects"): the whole's
      indicator, when the part is in the whole's unit;
    * an amount in a sentence that names no indicator stated in money but a partner (a country or an
      organisation) before it, after a money figure of the paragraph in the same currency ("… thu hút 312 triệu
      USD vốn FDI. Hàn Quốc dẫn đầu với 140 triệu USD"): the paragraph's first such figure's indicator (a
      breakdown of the paragraph's topic; "Thành phố chi 500 tỷ đồng cho cầu mới" is not one).
    """
    prev = next((e for e in reversed(earlier) if e.relation is None), None)
    if q.unit in _COUNT_UNITS and prev is not None and prev.indicator and prev.unit in ("USD", "VND") \
            and _AMOUNT_OF_COUNT.fullmatch(folded, prev.end, q.number_start):
        counts = sorted(n for n in lex.related.get(prev.indicator, ()) if lex.accepts(n, q.unit)
                        and lex.units.get(n, frozenset()) & set(_COUNT_UNITS))
        if len(counts) == 1:
            return counts[0]
    paragraph = [e for e in before if e.sentence is not None and e.sentence.paragraph == sent.paragraph]
    candidates = [*paragraph, *earlier]
    whole = next((e for e in reversed(candidates[-6:]) if e.relation is None and e.unit == q.unit and e.indicator
                  and not e.plan), None)
    if whole is not None and q.unit not in ("percent", "ratio") \
            and _PART_OF.search(folded, whole.end, q.number_start):
        return whole.indicator
    # the paragraph's topic: its first money figure ("… thu hút 650 triệu USD vốn FDI. Trong đó … điều chỉnh 240
    # triệu USD. Nhà đầu tư Nhật Bản dẫn đầu với 280 triệu USD": of the 650, not of the last part)
    def topic_of(facts: list[Fact]) -> Fact | None:
        return next((e for e in facts if e.relation is None and e.unit in ("USD", "VND") and e.indicator
                     and not e.plan and not e.subordinate and e.fact_kind == "observation"
                     and e.sentence is not sent), None)

    topic = topic_of(candidates)
    opening = paragraph[0].sentence if paragraph and paragraph[0].sentence is not None else sent
    para_start = opening.start
    # a place named as such, capitalised ("Đáng chú ý" is no mention of Italy); an organisation's amount may be
    # its project's
    places = [p for p in partners if p.kind != "organisation" and p.quote[:1].isupper()]
    if places and (topic is None or _PART_OF.search(folded, para_start, para_start + 24)
                   or _PART_OF_TOTAL.match(folded, para_start)):
        # a paragraph without a money figure of its own before the breakdown ("Theo đối tác, … Singapore dẫn đầu
        # với 3,41 tỷ USD"), or one opening as a part of what came before ("Trong đó, …", "Of the total, …"),
        # breaks down the report's total: its first money figure
        topic = topic_of(before) or topic
    # no phrase of an amount since the figure before it in its sentence ("…, chiếm 14% tổng vốn đăng ký; Hà Nội xếp
    # thứ ba với 800 triệu USD": the phrase of the share is not this amount's)
    since = max([sent.start, *(e.end for e in earlier if e.sentence is sent)])
    if q.unit in ("USD", "VND") and topic is not None and topic.unit == q.unit and partners \
            and not any(since <= m.start and m.end <= q.number_start and lex.accepts(m.phrase.notation, q.unit)
                        for m in matches):
        return topic.indicator
    return None


def _cumulative_indicator(lex: Lexicon, notation: str, unit: str) -> str:
    """The cumulative counterpart of an indicator (the one labelled "luỹ kế"/"cumulative" stated in the figure's
    unit: FDI_REG -> FDI_CUM), or the indicator itself when it is already cumulative or has none."""
    def cumulative(n: str, kinds: tuple[str, ...] = ("prefLabel", "altLabel", "hiddenLabel")) -> bool:
        return any(p.notation == n and p.kind in kinds and _CUMULATIVE.search(fold_same_length(p.label).lower())
                   for p in lex.phrases)

    if cumulative(notation):
        return notation  # already cumulative, or accumulated under a phrase of its own ("vốn thực hiện luỹ kế")
    # the counterpart: an indicator that is cumulative by its name, not one with a cumulative phrase
    found = sorted(n for n in lex.notations() if cumulative(n, ("prefLabel",)) and lex.units.get(n)
                   and lex.accepts(n, unit))
    return found[0] if len(found) == 1 else notation


def _area_iri(mention: EntityMention) -> str | None:
    return mention.manages if mention.kind == "organisation" else mention.iri


def _split_range(f: Fact, q: Quantity) -> list[Fact]:
    if q.high is None:
        return [f]
    from dataclasses import replace

    return [replace(f, value=q.value, qualifier="lower-bound"), replace(f, value=q.high, qualifier="upper-bound")]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def _status(f: Fact, g: GraphFigures) -> None:
    period = f.context_year if f.period == "to-date" else f.period
    if not (f.indicator and f.area_iri and period):
        return
    k = g[(f.indicator, f.area_iri, period)]
    kind = f.relation["kind"] if f.relation else None
    known: list[float] | None
    if kind == "percent-of-plan":
        known = k.percent_of_target
    elif kind == "change-on-previous-period":
        known = k.change
    elif kind == "ratio-to-previous-period":
        known = None
    elif f.plan:
        known = k.targets.get("min" if f.qualifier == "lower-bound" else "max" if f.qualifier == "upper-bound" else "v")
    else:
        known = k.values
    if not known:
        return
    if any(_close(float(f.value), v) for v in known):
        f.status = "known"
    else:
        f.status, f.graph_value = "conflict", known[0]


def _relate_forward(facts: list[Fact]) -> None:
    """A relation stated before its figure ("gấp 2,3 lần so với cùng kỳ, đạt 1,2 tỷ USD"; "chỉ bằng 56% so với
    cùng kỳ, khoảng 3,4 tỷ USD") is of the next figure of the sentence that is not itself a relation."""
    for i, f in enumerate(facts):
        if f.relation is None or f.relation["of"] is not None or f.relation["kind"] == "share-of":
            continue
        # not the plan a percent of plan is of ("đạt 45% chỉ tiêu năm là 2-2,5 tỷ USD": of the figure, not the plan)
        base = next((e for e in facts[i + 1:] if e.relation is None and e.unit not in ("percent", "ratio")
                     and not (e.plan and f.relation["kind"] == "percent-of-plan")), None)
        if base is None:
            continue
        f.relation = Relation(kind=f.relation["kind"], of=base.start)
        f.indicator = base.indicator
        f.area, f.area_iri, f.period, f.context_year = base.area, base.area_iri, base.period, base.context_year


def _relate_back(facts: list[Fact], before: list[Fact]) -> None:
    """A relation whose sentence states no figure for it ("Kết quả này bằng 80% so với cùng kỳ.", "That is 40% of
    the annual target.") is of the figure the previous sentence with figures is about: its first figure that is
    not a relation, else the figure its own relation is of. A plan figure of the sentence that took the
    relation's indicator takes the new one too."""
    if not before:
        return
    last = before[-1].sentence
    previous = [f for f in before if f.sentence is last]
    base = next((f for f in previous if f.relation is None and f.unit not in ("percent", "ratio")), None)
    if base is None:
        of = next((f.relation["of"] for f in previous if f.relation and f.relation["of"] is not None), None)
        base = next((f for f in before if f.start == of and f.relation is None), None)
    if base is None:
        return
    for i, f in enumerate(facts):
        if f.relation is None or f.relation["of"] is not None or f.relation["kind"] == "share-of":
            continue
        old = f.indicator
        f.relation = Relation(kind=f.relation["kind"], of=base.start)
        f.indicator = base.indicator
        f.area, f.area_iri, f.period, f.context_year = base.area, base.area_iri, base.period, base.context_year
        for plan in facts[i + 1:]:
            if plan.plan and plan.relation is None and plan.indicator == old:
                plan.indicator = base.indicator


def _confidence(f: Fact) -> None:
    c = 0.4 + (0.25 if f.indicator or f.fact_kind != "observation" else 0) + (0.15 if f.period else 0)
    c -= 0.1 if f.note and f.note.startswith("period:") else 0
    c += 0.15 if f.area_iri else 0.05 if f.area else 0
    c += 0.05 if f.status == "known" else 0
    f.confidence = round(min(c, 1.0), 2)
