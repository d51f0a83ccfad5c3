"""Entities named in a report: organisations, zones, places and candidate investment projects.

:func:`find_entities` returns the mentions of the JSON contract's ``"entities"`` list (issue 12, part 4)::

    {"start", "end", "quote", "kind": "organisation" | "zone" | "project" | "place", "iri", "status"}

``iri`` is the graph's entity the mention names (``status`` ``known``), else ``null`` (``new``: proposed in the
review sheet). A project mention has besides ``"investor"`` and ``"zone"`` (the ``start`` offsets of its
investor's and zone's mentions, ``null`` when not stated), ``"facts"`` (the ``start`` offsets of its money
figures in ``"facts"``), ``"sector"`` (the IRI of the ``CL_SECTOR`` concept named in its sentence) and
``"country"`` (the investor's country where the sentence states it).

What is found:

* **organisations**: the graph's organisations by their labels (the linker's folding; names shorter than six
  characters such as "LG" only as written, case and word boundaries kept), Vietnamese company-name forms
  ("Công ty TNHH …", "Công ty Cổ phần …", "Tổng công ty …", "Tập đoàn …") and English ones ("… Co., Ltd",
  "… Corporation", "… Group", "… JSC", "… Inc."), followed by the name's capitalised words; and the
  capitalised words right before an investment verb ("LG Display đầu tư thêm …", "Foxconn invests …"). A
  name is linked when its key (:func:`org_key`: folded, legal-form words dropped, so "Tập đoàn LG", "LG Group"
  and "LG" meet) is a key of a graph organisation;
* **zones**: "KCN …", "Khu công nghiệp …", "KKT …", "Khu kinh tế …" with a capitalised name after them or a
  place ("… của thành phố", "… Hải Phòng"), zone groups ("các khu công nghiệp, khu kinh tế"), linked by the
  zone keys of :func:`hpkg.ingest.lexicon.area_keys`;
* **places**: the graph's places and names with an administrative prefix ("tỉnh Bình Thuận");
* **projects**: an organisation followed by an investment verb ("đầu tư", "rót vốn", "tăng vốn", "invests")
  or written as "dự án (đầu tư) của …" / "…'s project", with the money figures after it in the sentence and
  the zone named after the verb. A project whose investor (and zone, when both are known) is the investor
  (and zone) of a project of the graph is that project (``known``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hpkg.ingest.lexicon import _PREFIX_DECL, Entity, Lexicon, area_keys, phrase_pattern
from hpkg.ingest.numbers import Quantity, fold_same_length
from hpkg.ingest.sentences import Sentence
from hpkg.opendata.normalize import fold_lower
from hpkg.store.base import Store, bound

ENTITY_KINDS = ("organisation", "zone", "project", "place")


@dataclass
class EntityMention:
    """An organisation, zone, place or project candidate written in the text."""

    start: int
    end: int
    quote: str
    kind: str  # organisation | zone | place | project
    iri: str | None
    fine_kind: str = ""
    #: the zone group an authority named here manages (the area of the figures it reports)
    manages: str | None = None
    #: a project's investor and zone (start offsets of their mentions), money figures (start offsets),
    #: sector and investor's country (IRIs)
    investor: int | None = None
    zone: int | None = None
    facts: list[int] = field(default_factory=list)
    sector: str | None = None
    country: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The mention as the contract's JSON object."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "quote": self.quote, "kind": self.kind,
                               "iri": self.iri, "status": "known" if self.iri else "new"}
        if self.kind == "project":
            out.update(investor=self.investor, zone=self.zone, facts=list(self.facts), sector=self.sector,
                       country=self.country)
        return out


# ------------------------------------------------------------------ the graph's projects and sectors
@dataclass(frozen=True)
class ProjectContext:
    """The graph's projects (investor IRI -> (project IRI, zone IRI or None)) and sector phrases."""

    projects: dict[str, list[tuple[str, str | None]]]
    sectors: list[tuple[re.Pattern[str], str]]


@lru_cache(maxsize=4)
def project_context(store: Store) -> ProjectContext:
    """The projects and the ``CL_SECTOR`` labels of the graph in ``store``, read once per store."""
    projects: dict[str, list[tuple[str, str | None]]] = {}
    for r in store.query(_PREFIX_DECL + """
        SELECT ?p ?inv ?zone WHERE { ?p a hpkg:InvestmentProject ; hpkg:investor ?inv .
                                     OPTIONAL { ?p hpkg:locatedInZone ?zone } }""").rows():
        zone = r["zone"]
        projects.setdefault(bound(r, "inv").value, []).append((bound(r, "p").value, zone.value if zone else None))
    sectors: list[tuple[re.Pattern[str], str]] = []
    for r in store.query(_PREFIX_DECL + """
        SELECT ?c ?label WHERE { ?s skos:notation "CL_SECTOR" . ?c skos:inScheme ?s ; skos:notation ?n .
                                 VALUES ?p { skos:prefLabel skos:altLabel } ?c ?p ?label }""").rows():
        pat = phrase_pattern(bound(r, "label").value)
        if pat is not None:
            sectors.append((pat, bound(r, "c").value))
    sectors.sort(key=lambda x: -len(x[0].pattern))
    return ProjectContext(projects, sectors)


# ------------------------------------------------------------------ organisation names
#: Legal-form and group words dropped from an organisation's key (folded, lower-case).
_LEGAL_WORDS = re.compile(
    r"(?<![a-z0-9])(?:tong cong ty|cong ty|cty|tap doan|tnhh|co phan|cp|mtv|mot thanh vien|hai thanh vien tro len|"
    r"hai thanh vien|trach nhiem huu han|joint stock company|company limited|co ltd|co|ltd|limited|corporation|"
    r"corp|inc|jsc|plc|group|company)(?![a-z0-9])")


def org_key(name: str) -> str:
    """An organisation name's comparison key: folded, without its legal-form words or parentheses."""
    folded = fold_lower(re.sub(r"\([^)]*\)", " ", name))
    return " ".join(_LEGAL_WORDS.sub(" ", folded).split())


_UPPER_TOKEN = re.compile(r"[^\W_][\w&'’.\-]*")
_VI_FORM = re.compile(r"(?<!\w)(?:(?:Tổng công ty|Tổng Công ty|Công ty|Cty|CÔNG TY)(?:\s+(?:TNHH|Cổ phần|cổ phần|CP|"
                      r"Trách nhiệm hữu hạn|trách nhiệm hữu hạn))?(?:\s+(?:MTV|Một thành viên|một thành viên|"
                      r"Hai thành viên trở lên|hai thành viên trở lên))?|[Tt]ập đoàn)\s+")
_EN_FORM = re.compile(r"\s+(?:Co\.,?\s*Ltd\.?|Company Limited|Co\.|Corporation|Corp\.?|Group|Inc\.?|JSC|Ltd\.?|"
                      r"Limited|Holdings|plc)(?![\w])")
_EN_STOP = frozenset({"The", "A", "An", "In", "On", "At", "By", "Its", "This", "That", "South", "North"})
_INVEST_VERB = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:da|se|vua|tiep tuc|du kien|chinh thuc|cung|has|have|will|plans to|is|also|"
    r"recently)\s+)*(?<![a-z0-9])(?:dau tu|rot von|rot|tang von|mo rong|invest(?:s|ed|ing)?|pour(?:s|ed)?|committed)"
    r"(?![a-z])")
_PROJECT_OF = re.compile(r"(?:(?:cac\s+)?du an(?:\s+dau tu)?(?:\s+moi)?\s+(?:cua|do)\s+)$")
_EN_PROJECT = re.compile(r"^(?:'s|’s)\s+(?:new\s+)?(?:project|plant|factory|investment)")


_NAME_STOP = frozenset("tại vào của đã sẽ vừa với ở cho trong là có được đang tiếp đầu rót tăng và in at to of has will "
                       "invests invested".split())


def _name_after(text: str, pos: int, limit: int = 8, lower: int = 0) -> int | None:
    """The end of the run of capitalised words (or numbers) that starts right after ``pos`` (one space); with
    ``lower``, up to that many lower-case words may stand between capitalised ones ("Điện tử Minh Anh")."""
    m = re.match(r"[ \t]+", text[pos:])
    if m is None:
        return None
    at, end, n = pos + m.end(), None, 0
    while n < limit:
        tok = _UPPER_TOKEN.match(text, at)
        if tok is not None and end is not None and lower and tok.group()[0].islower():
            # lower-case words inside a Vietnamese company name, when a capitalised word follows them
            probe, skipped = at, 0
            while (t := _UPPER_TOKEN.match(text, probe)) is not None and t.group()[0].islower() \
                    and t.group() not in _NAME_STOP and skipped < lower:
                gap = re.match(r"[ \t]+", text[t.end():])
                if gap is None:
                    break
                probe, skipped = t.end() + gap.end(), skipped + 1
            t = _UPPER_TOKEN.match(text, probe)
            if skipped and t is not None and t.group()[0].isupper():
                at, tok = probe, t
        if tok is None or not (tok.group()[0].isupper() or tok.group()[0].isdigit()):
            break
        word = tok.group().rstrip(".,")
        if word.endswith("’s") or word.endswith("'s"):
            word = word[:-2]
        end, n = tok.start() + len(word), n + 1
        if len(word) < len(tok.group()):
            break
        gap = re.match(r"[ \t]+(?:[-–&][ \t]+)?", text[end:])
        if gap is None:
            break
        at = end + gap.end()
    return end


def _name_before(text: str, pos: int, limit: int = 6) -> int | None:
    """The start of the run of capitalised words ending right before ``pos`` (spaces between)."""
    start = None
    at = pos
    for _ in range(limit):
        m = re.search(r"([^\W_][\w&'’.\-]*)[ \t]*$", text[max(0, at - 60):at])
        if m is None:
            break
        word = m.group(1)
        if not (word[0].isupper() or word[0].isdigit()):
            break
        s = at - (len(m.group(0)))
        before = text[max(0, s - 1):s]
        start = s
        if before not in (" ", "\t"):
            break
        at = s
    return start


def _org_index(lex: Lexicon) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in lex.entities:
        if e.kind != "organisation":
            continue
        for label in e.labels:
            if key := org_key(label):
                out.setdefault(key, e)
    return out


def _find_organisations(text: str, folded: str, lex: Lexicon, taken: list[EntityMention]) -> list[EntityMention]:
    index = _org_index(lex)
    found: list[EntityMention] = []

    def add(start: int, end: int) -> None:
        quote = text[start:end].rstrip(" ,.")
        end = start + len(quote)
        if not org_key(quote) or any(t.start <= start < t.end or start <= t.start < end for t in taken):
            return
        e = index.get(org_key(quote))
        found.append(EntityMention(start, end, quote, "organisation", e.iri if e else None, "organisation",
                                   e.manages if e else None))

    for m in _VI_FORM.finditer(text):
        end = _name_after(text, m.end() - 1, lower=2)
        if end is not None:
            add(m.start(), end)
    for m in _EN_FORM.finditer(text):
        start = _name_before(text, m.start())
        if start is not None:
            while (w := re.match(r"(\w+)\s+", text[start:m.start()])) and w.group(1) in _EN_STOP:
                start += w.end()
            if start < m.start():
                add(start, m.end())
    # the graph's short names as written ("LG", "HEZA"); a capitalised word after one makes another name
    # ("LG Display")
    for e in lex.entities:
        if e.kind != "organisation":
            continue
        for label in e.labels:
            if len(label) >= 6 or not label.strip():
                continue
            for m in re.finditer(rf"(?<![\w]){re.escape(label)}(?![\w])", text):
                end = _name_after(text, m.end(), limit=3) or m.end()
                add(m.start(), end)
    # the capitalised words right before an investment verb: "Foxconn đầu tư thêm …"
    for m in _INVEST_VERB.finditer(folded):
        start = _name_before(text, m.start())
        if start is not None and not any(f.start <= start < f.end for f in found):
            add(start, m.start())
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[EntityMention] = []
    for f in found:
        if not any(k.start <= f.start < k.end for k in kept):
            kept.append(f)
    return kept


# ------------------------------------------------------------------ areas
_ZONE_WORD = r"(?:khu cong nghiep|khu kinh te|khu che xuat|cum cong nghiep|kcn|kkt|kcx|ccn)"
_ZONE_RX = re.compile(rf"(?<![a-z0-9])(?:(cac|nhung)\s+)?{_ZONE_WORD}(?:\s*(?:,|va|&)\s*{_ZONE_WORD})*")
_ZONE_NAME_LINK = re.compile(r"\s*(?:cua|tai|thuoc|tren dia ban|o)?\s*(?:(thanh pho|tp\.?|tinh)(?![a-z]))?\s*")
_ADMIN = re.compile(r"(?<!\w)(tỉnh|thành phố|tp\.|tp|thị xã|huyện|quận|province of|city of)[ \t]+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w-]*")
_ORG_BEFORE = re.compile(r"(?:ban quan ly|bql|ban qlkkt)\s*$")
_CITY_WORD = re.compile(r"(?:thanh pho|tp)$")


@dataclass
class _AreaIndex:
    keys: dict[str, list[tuple[Entity, int]]]


def _area_index(entities: list[Entity]) -> _AreaIndex:
    keys: dict[str, list[tuple[Entity, int]]] = {}
    for e in entities:
        if e.kind == "organisation":
            continue
        count: dict[str, int] = {}
        for label in e.labels:
            unqualified = "(" not in label
            for k in area_keys(label):
                count[k] = count.get(k, 0) + (2 if unqualified else 1)
        for k, n in count.items():
            keys.setdefault(k, []).append((e, n))
    return _AreaIndex(keys)


_COMPATIBLE = {"zone-group": {"zone-group"}, "economic-zone": {"economic-zone", "zone-group"},
               "industrial-park": {"industrial-park"}, "place": {"municipality", "province"}}


def _resolve(index: _AreaIndex, name: str, kind: str) -> Entity | None:
    best: tuple[int, Entity] | None = None
    for k in area_keys(name):
        for e, n in index.keys.get(k, []):
            if e.kind in _COMPATIBLE[kind] and (best is None or n > best[0]):
                best = (n, e)
    return best[1] if best else None


def _find_areas(text: str, folded: str, lex: Lexicon) -> list[EntityMention]:
    index = _area_index(lex.entities)
    gaz: list[EntityMention] = []
    for e in lex.entities:
        for label in e.labels:
            pat = phrase_pattern(re.sub(r"\([^)]*\)", " ", label))
            if pat is None or (e.kind == "organisation" and len(label) < 6):
                continue  # short names ("LG", "HEZA") are matched as written, by _find_organisations
            for m in pat.finditer(folded):
                kind = "organisation" if e.kind == "organisation" else "zone" if "zone" in e.kind else "place"
                gaz.append(EntityMention(m.start(), m.end(), text[m.start():m.end()], kind, e.iri, e.kind, e.manages))
    # places written with an administrative prefix, in the graph or not: "tỉnh Bình Thuận", "TP. Hải Phòng"
    for m in _ADMIN.finditer(text):
        end, n_words, pos = m.end(), 0, m.end()
        for w in _WORD.finditer(text, pos):
            if w.start() != pos or not w.group()[0].isupper() or n_words == 4:
                break
            end, n_words, pos = w.end(), n_words + 1, w.end() + 1
        if n_words:
            kind = "province" if m.group(1).lower() in ("tỉnh", "province of") else "municipality"
            linked = _resolve(index, text[m.start():end], "place")
            gaz = [g for g in gaz if not (m.start() <= g.start < end and g.kind == "place")]
            gaz.append(EntityMention(m.start(), end, text[m.start():end], "place", linked.iri if linked else None,
                                     kind))
    # longest first, no overlaps between the gazetteer's own matches
    gaz.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[EntityMention] = []
    for g in gaz:
        if not any(k.start <= g.start < k.end for k in kept):
            kept.append(g)
    orgs = [k for k in kept if k.kind == "organisation"]
    places = [g for g in gaz if g.fine_kind in ("municipality", "province")]  # also inside organisation names
    zones: list[EntityMention] = []
    for m in _ZONE_RX.finditer(folded):
        s, zone_end = m.span()
        if any(o.start <= s < o.end for o in orgs) or _ORG_BEFORE.search(folded[max(0, s - 14):s]):
            continue
        if any(k.start <= s < k.end and k.kind == "zone" for k in kept):
            continue
        words = folded[s:zone_end]
        group = bool(m.group(1)) or ("," in words or " va " in words)
        kind = "zone-group" if group else ("economic-zone" if re.search(r"kinh te|kkt", words) else
                                           "industrial-park")
        link = _ZONE_NAME_LINK.match(folded, zone_end)
        name_end = zone_end
        place: EntityMention | None = None
        if link:
            after = link.end()
            nxt = next((p for p in places if p.start == after), None)
            if nxt is not None:
                place, name_end = nxt, nxt.end
            elif link.group(1):
                name_end = link.start() + len(link.group(0).rstrip())
        if place is None and not group and (named := _name_after(text, zone_end)) is not None:
            # a named zone: "KCN Tràng Duệ", "Khu công nghiệp Nam Đình Vũ"
            name_end = named
            linked = _resolve(index, text[s:name_end], kind)
            zones.append(EntityMention(s, name_end, text[s:name_end], "zone", linked.iri if linked else None, kind))
            continue
        if place is None:
            before = [p for p in places if p.end <= s]
            place = before[-1] if before else None
        entity = None
        if place is not None:
            place_label = text[place.start:place.end]
            entity = _resolve(index, f"{folded[s:zone_end]} {place_label}", kind)
        zones.append(EntityMention(s, name_end, text[s:name_end], "zone", entity.iri if entity else None, kind))
    out = [k for k in kept if not any(z.start <= k.start < z.end for z in zones)] + zones
    return sorted(out, key=lambda x: x.start)




_EN_ZONE = re.compile(r"\s+(Industrial Park|Industrial Zone|Coastal Economic Zone|Economic Zone|Export Processing Zone|"
                      r"IP|EZ)(?![\w])")


def _english_zones(text: str, lex: Lexicon, taken: list[EntityMention]) -> list[EntityMention]:
    """English zone names: "Dinh Vu Industrial Park", "Nam Dinh Vu IP"."""
    index = _area_index(lex.entities)
    out: list[EntityMention] = []
    for m in _EN_ZONE.finditer(text):
        start = _name_before(text, m.start())
        if start is None or any(t.start <= start < t.end or start <= t.start < m.end() for t in taken):
            continue
        while (w := re.match(r"(\w+)\s+", text[start:m.start()])) and w.group(1) in _EN_STOP:
            start += w.end()
        kind = "industrial-park" if "Industrial" in m.group(1) or m.group(1) == "IP" else "economic-zone"
        linked = _resolve(index, text[start:m.end()], kind)
        out.append(EntityMention(start, m.end(), text[start:m.end()], "zone", linked.iri if linked else None, kind))
    return out


# ------------------------------------------------------------------ projects
_MONEY = ("USD", "VND")
_CLAUSE_END = re.compile(r"[;]|\.\s")


def _find_projects(text: str, folded: str, mentions: list[EntityMention], quantities: list[Quantity],
                   sentences: list[Sentence], ctx: ProjectContext) -> list[EntityMention]:
    out: list[EntityMention] = []
    orgs = [m for m in mentions if m.kind == "organisation"]
    for org in orgs:
        sent = next((s for s in sentences if s.start <= org.start < s.end), None)
        if sent is None:
            continue
        verb = _INVEST_VERB.match(folded, org.end)
        of = _PROJECT_OF.search(folded, sent.start, org.start) or _EN_PROJECT.match(text[org.end:org.end + 30])
        if verb is None and of is None:
            continue
        after = verb.end() if verb is not None else org.end
        nxt = next((o.start for o in orgs if o.start > org.start and o.start >= after), sent.end)
        stop = min(nxt, sent.end)
        money = [q for q in quantities if after <= q.start < stop and q.unit in _MONEY]
        zone = next((z for z in mentions if z.kind == "zone" and after <= z.start < stop), None)
        if not money and zone is None:
            continue
        if verb is None and not money:
            continue
        end = max([org.end, *(q.end for q in money[:1]), *([zone.end] if zone else [])])
        start = org.start
        country = next((p.iri for p in mentions if p.kind == "place" and p.fine_kind == "country"
                        and sent.start <= p.start < sent.end and p.iri), None)
        sector = next((iri for pat, iri in ctx.sectors if pat.search(folded, sent.start, sent.end)), None)
        iri = None
        if org.iri is not None:
            zone_iri = zone.iri if zone is not None else None
            for project, pz in ctx.projects.get(org.iri, []):
                if zone_iri is None or pz is None or pz == zone_iri:
                    iri = project
                    break
        out.append(EntityMention(start, end, text[start:end], "project", iri, "project", investor=org.start,
                                 zone=zone.start if zone else None, facts=[q.start for q in money],
                                 sector=sector, country=country))
    return out


def find_entities(text: str, folded: str, lex: Lexicon, quantities: list[Quantity] | None = None,
                  sentences: list[Sentence] | None = None, store: Store | None = None) -> list[EntityMention]:
    """Every organisation, zone, place and project candidate of ``text`` (``folded`` its
    :func:`~hpkg.ingest.numbers.fold_same_length`), in text order (a project after its investor)."""
    from hpkg.ingest.sentences import split_sentences

    mentions = _find_areas(text, folded, lex)
    mentions += _english_zones(text, lex, mentions)
    orgs = _find_organisations(text, folded, lex, mentions)
    place_keys = {k for e in lex.entities if e.kind != "organisation" for label in e.labels for k in area_keys(label)}
    orgs = [o for o in orgs if o.iri is not None or not (area_keys(o.quote) & place_keys)]
    mentions = sorted([*mentions, *orgs], key=lambda x: x.start)
    if quantities is not None:
        ctx = project_context(store) if store is not None else ProjectContext({}, [])
        sents = sentences if sentences is not None else split_sentences(text)
        mentions += _find_projects(text, folded, mentions, quantities, sents, ctx)
    return sorted(mentions, key=lambda x: (x.start, x.kind == "project"))


def mention_at(mentions: list[EntityMention], start: int, kind: str | None = None) -> EntityMention | None:
    """The mention starting at ``start`` (of ``kind``), if any."""
    return next((m for m in mentions if m.start == start and (kind is None or m.kind == kind)), None)


__all__ = ["ENTITY_KINDS", "EntityMention", "ProjectContext", "find_entities", "fold_same_length", "mention_at",
           "org_key", "project_context"]
