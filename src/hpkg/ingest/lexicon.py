"""The indicator lexicon, read from the graph: phrases of the CL_INDICATOR concepts and the places and zones.

Nothing here is a phrase: every indicator phrase is a ``skos:prefLabel``, ``skos:altLabel`` or
``skos:hiddenLabel`` of a concept of the indicator code list (``data/concepts.ttl``), read with SPARQL from
the built graph. Phrases are compared folded (:func:`hpkg.opendata.normalize.fold_lower`: diacritics, đ,
case and punctuation), so "luỹ kế" meets "lũy kế" and "von FDI" meets "vốn FDI". The units an indicator is
stated in come from the graph as well (the units of its observations and targets, its own
``sdmx-attribute:unitMeasure``, else its broader concept's); an indicator without any accepts every unit.

The gazetteer holds the labels of the graph's zones, places and organisations with the linker's
normalisation keys (:func:`hpkg.opendata.normalize.normalize`), so an area written in a text meets the
graph's entity it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from hpkg.describe import values_clause
from hpkg.ingest.numbers import fold_same_length
from hpkg.namespaces import PREFIXES
from hpkg.opendata.normalize import fold_lower, normalize
from hpkg.store.base import Store, bound

_PREFIX_DECL = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

#: Unit notations of the graph (units.ttl) -> the unit codes of :mod:`hpkg.ingest.numbers`.
UNIT_NOTATIONS = {"USD": "USD", "VND": "VND", "PERCENT": "percent", "PERSON": "person", "PROJECT": "project",
                  "VND/MO": "VND/month", "EVENT": "count", "NUM": "count", "HA": "ha", "ENTERPRISE": "enterprise"}


@dataclass(frozen=True)
class Phrase:
    """One indicator phrase: the indicator's notation, the label as written, its folded words, its label kind."""

    notation: str
    label: str
    lang: str
    kind: str  # prefLabel | altLabel | hiddenLabel
    pattern: re.Pattern[str]

    @property
    def length(self) -> int:
        """The phrase's length in folded characters (longer phrases are more specific)."""
        return len(self.pattern.pattern)


@dataclass(frozen=True)
class Match:
    """A phrase found in a text: ``start``/``end`` offsets into the text."""

    start: int
    end: int
    phrase: Phrase


@dataclass(frozen=True)
class Entity:
    """A zone, place or organisation of the graph with its comparison keys and kind."""

    iri: str
    kind: str  # zone-group | economic-zone | industrial-park | municipality | province | country | organisation
    labels: tuple[str, ...]
    #: for an organisation managing exactly one zone group (a zone authority): that group's IRI
    manages: str | None = None


@dataclass
class Lexicon:
    """The indicator phrases, indicator units and entity gazetteer of one graph."""

    phrases: list[Phrase] = field(default_factory=list)
    units: dict[str, frozenset[str]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # notation -> lang -> prefLabel
    entities: list[Entity] = field(default_factory=list)
    iris: dict[str, str] = field(default_factory=dict)  # notation -> concept IRI
    unit_iris: dict[str, str] = field(default_factory=dict)  # unit code -> unit IRI
    #: notation -> the notations of its skos:related indicators (a project count -> the capital of those projects)
    related: dict[str, frozenset[str]] = field(default_factory=dict)
    #: notation -> its skos:broader indicator's notation
    broader: dict[str, str] = field(default_factory=dict)
    #: the labels (folded patterns) of the CL_ACTIVITY_KIND concepts, by notation: "EVENT" (what an activity count
    #: counts: "chương trình", "hội nghị", "events") and "INVESTMENT_PROMOTION" (the words of its clause)
    activity_words: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    _spread: dict[str, int] = field(default_factory=dict, repr=False)
    _words_of: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def find(self, text: str, folded: str | None = None) -> list[Match]:
        """Every phrase occurrence in ``text`` (overlaps kept; the caller picks)."""
        folded = folded if folded is not None else fold_same_length(text)
        out = [Match(m.start(), m.end(), p) for p in self.phrases for m in p.pattern.finditer(folded)]
        return sorted(out, key=lambda m: (m.start, -(m.end - m.start)))

    def accepts(self, notation: str, unit: str) -> bool:
        """Whether a figure in ``unit`` can be a value of the indicator (money units stand for each other)."""
        units = self.units.get(notation)
        if not units:
            return True
        money = {"USD", "VND"}
        counts = {"count", "project", "enterprise"}
        return (unit in units or (unit in money and bool(units & money))
                or (unit == "count" and bool(units & counts)))

    def names_activity(self, notation: str, folded: str) -> bool:
        """Whether ``folded`` text holds a label of the CL_ACTIVITY_KIND concept ``notation``."""
        return any(p.search(folded) for p in self.activity_words.get(notation, ()))

    def notations(self) -> set[str]:
        """The notations of every indicator."""
        return set(self.labels)

    def word_spread(self) -> dict[str, int]:
        """Per folded word of the labels, how many indicators have it in a label: "vốn", "tổng", "FDI" name many
        indicators (they say what kind of figure it is, not which one), "thu hút", "cấp mới", "lấp đầy" few."""
        if not self._spread:
            spread: dict[str, set[str]] = {}
            for p in self.phrases:
                for w in label_words(p.label):
                    spread.setdefault(w, set()).add(p.notation)
            self._spread.update({w: len(n) for w, n in spread.items()})
        return self._spread

    def label_words_of(self, notation: str) -> set[str]:
        """The folded words of every label of an indicator."""
        if notation not in self._words_of:
            self._words_of[notation] = {w for p in self.phrases if p.notation == notation for w in label_words(p.label)}
        return self._words_of[notation]

    def is_generic(self, phrase: Phrase) -> bool:
        """A phrase all of whose words name :data:`GENERIC_SPREAD` or more indicators ("tổng vốn đăng ký", "vốn FDI",
        "registered capital"): it says a figure is capital, not whose; a specific phrase of the same clause ("nhà đầu
        tư trong nước", "cấp mới") tells which."""
        spread = self.word_spread()
        return all(spread.get(w, 0) >= GENERIC_SPREAD for w in label_words(phrase.label))


#: a phrase whose every word is in the labels of this many indicators or more is generic (:meth:`Lexicon.is_generic`)
GENERIC_SPREAD = 3


def label_words(label: str) -> list[str]:
    """The folded words of a label ("Vốn FDI" -> ["von", "fdi"])."""
    return re.findall(r"[a-z0-9]+", fold_lower(label))


def phrase_pattern(label: str) -> re.Pattern[str] | None:
    """A regex over folded text for a label: its folded words, any punctuation/space between them."""
    words = fold_lower(label).split()
    if not words:
        return None
    return re.compile(r"(?<![a-z0-9])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?![a-z0-9])")


def load_lexicon(store: Store) -> Lexicon:
    """The lexicon of the graph in ``store`` (a built hpkg graph)."""
    lex = Lexicon()
    rows = store.query(_PREFIX_DECL + """
        SELECT ?c ?notation ?label ?prop WHERE {
          ?scheme skos:notation "CL_INDICATOR" . ?c skos:inScheme ?scheme ; skos:notation ?notation .
          VALUES ?prop { skos:prefLabel skos:altLabel skos:hiddenLabel }
          ?c ?prop ?label .
        }""").rows()
    seen: set[tuple[str, str]] = set()
    for r in rows:
        notation, label, prop = bound(r, "notation").value, bound(r, "label"), bound(r, "prop").value
        lex.iris[notation] = bound(r, "c").value
        kind = prop.rsplit("#", 1)[-1]
        lang = (label.language or "") if isinstance(label, ox.Literal) else ""
        if kind == "prefLabel":
            lex.labels.setdefault(notation, {})[lang] = label.value
        pat = phrase_pattern(label.value)
        if pat is None or (notation, pat.pattern) in seen:
            continue
        seen.add((notation, pat.pattern))
        lex.phrases.append(Phrase(notation, label.value, lang, kind, pat))
    units: dict[str, set[str]] = {}
    for r in store.query(_PREFIX_DECL + """
        SELECT DISTINCT ?notation ?u ?unit WHERE {
          ?c skos:notation ?notation .
          { ?x hpkg:indicator ?c ; sdmx-attribute:unitMeasure ?u } UNION
          { ?x hpkg:targetIndicator ?c ; sdmx-attribute:unitMeasure ?u } UNION
          { ?c sdmx-attribute:unitMeasure ?u }
          OPTIONAL { ?u skos:notation ?unit }
        }""").rows():
        unit = r["unit"]
        code = UNIT_NOTATIONS.get(unit.value if unit is not None else bound(r, "u").value.rsplit("/", 1)[-1])
        if code:
            units.setdefault(bound(r, "notation").value, set()).add(code)
    for r in store.query(_PREFIX_DECL + """
        SELECT ?notation ?broader WHERE {
          ?scheme skos:notation "CL_INDICATOR" . ?c skos:inScheme ?scheme ; skos:notation ?notation ;
             skos:broader/skos:notation ?broader .
        }""").rows():
        n, b = bound(r, "notation").value, bound(r, "broader").value
        lex.broader[n] = b
        if n not in units and b in units:
            units[n] = set(units[b])
    lex.units = {k: frozenset(v) for k, v in units.items()}
    related: dict[str, set[str]] = {}
    for r in store.query(_PREFIX_DECL + """
        SELECT ?n ?m WHERE {
          ?scheme skos:notation "CL_INDICATOR" . ?c skos:inScheme ?scheme ; skos:notation ?n .
          ?d skos:inScheme ?scheme ; skos:notation ?m . { ?c skos:related ?d } UNION { ?d skos:related ?c }
        }""").rows():
        related.setdefault(bound(r, "n").value, set()).add(bound(r, "m").value)
    lex.related = {k: frozenset(v) for k, v in related.items()}
    for r in store.query(_PREFIX_DECL + "SELECT ?u ?n WHERE { ?u a qudt:Unit ; skos:notation ?n }").rows():
        code = UNIT_NOTATIONS.get(bound(r, "n").value)
        if code and code not in lex.unit_iris:
            lex.unit_iris[code] = bound(r, "u").value
    for r in store.query(_PREFIX_DECL + """
        SELECT ?n ?label WHERE {
          ?scheme skos:notation "CL_ACTIVITY_KIND" . ?c skos:inScheme ?scheme ; skos:notation ?n .
          VALUES ?prop { skos:prefLabel skos:altLabel skos:hiddenLabel } ?c ?prop ?label .
        } ORDER BY ?n ?label""").rows():
        if (pat := phrase_pattern(bound(r, "label").value)) is not None:
            lex.activity_words.setdefault(bound(r, "n").value, []).append(pat)
    lex.entities = load_entities(store)
    return lex


_KIND_OF_CLASS = {
    "ZoneGroup": "zone-group", "CoastalEconomicZone": "economic-zone", "EconomicZone": "economic-zone",
    "IndustrialPark": "industrial-park", "IndustrialZone": "industrial-park", "AdministrativeUnit": "municipality",
    "Country": "country", "ZoneAuthority": "organisation", "GovernmentBody": "organisation", "Investor": "organisation",
    "Organization": "organisation", "Enterprise": "organisation",
}


def load_entities(store: Store) -> list[Entity]:
    """The zones, places and organisations of the graph with their labels."""
    # the classes first (a scan of rdf:type's index): joining every typed node with its labels read the 61k
    # observations and evidence quotes of the FIA reports too (1.1 s); the union of three bound properties
    # lets the store follow the labels from each entity (25 ms)
    classes = [c for c in (bound(r, "c") for r in store.query("SELECT DISTINCT ?c WHERE { [] a ?c }").rows())
               if isinstance(c, ox.NamedNode) and c.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] in _KIND_OF_CLASS]
    rows = store.query(_PREFIX_DECL + f"""
        SELECT ?e ?class ?label WHERE {{
          {values_clause("class", classes)}
          ?e a ?class .
          {{ ?e rdfs:label ?label }} UNION {{ ?e skos:prefLabel ?label }} UNION {{ ?e skos:altLabel ?label }}
          FILTER(isIRI(?e) && isLiteral(?label))
        }}""").rows() if classes else []
    by: dict[str, tuple[str, list[str]]] = {}
    for r in rows:
        cls = bound(r, "class").value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        kind = _KIND_OF_CLASS.get(cls)
        if kind is None:
            continue
        iri = bound(r, "e").value
        entry = by.setdefault(iri, (kind, []))
        if entry[0] == "organisation" and kind != "organisation":
            by[iri] = (kind, entry[1])
        if bound(r, "label").value not in by[iri][1]:
            by[iri][1].append(bound(r, "label").value)
    managed: dict[str, set[str]] = {}
    for r in store.query(_PREFIX_DECL + "SELECT ?z ?org WHERE { ?z a hpkg:ZoneGroup ; hpkg:managedBy ?org }").rows():
        managed.setdefault(bound(r, "org").value, set()).add(bound(r, "z").value)
    return [Entity(iri, kind, tuple(labels), next(iter(managed[iri])) if len(managed.get(iri, ())) == 1 else None)
            for iri, (kind, labels) in sorted(by.items())]


def area_keys(label: str) -> set[str]:
    """Comparison keys of a place or zone name: the linker's normalisation after dropping determiners and
    the prepositions of "các khu công nghiệp, khu kinh tế của Hải Phòng" (so it meets
    "Các khu công nghiệp, khu kinh tế Hải Phòng") and English plurals/possessives."""
    folded = re.sub(r"\btren dia ban\b", " ", fold_lower(re.sub(r"\([^)]*\)", " ", label)))
    words = [w for w in folded.split() if w not in _FUNCTION_WORDS]
    words = [_SINGULAR.get(w, w) for w in words]
    return set(normalize(" ".join(words)).keys)


_FUNCTION_WORDS = frozenset({"cac", "nhung", "cua", "tai", "thuoc", "the", "of", "in", "s", "and", "va"})
_SINGULAR = {"parks": "park", "zones": "zone"}
