"""Figures in Vietnamese and English text: numbers, scales, compound amounts, ranges and units, in base units.

:func:`find_quantities` scans a text and returns every *figure* — a number stated with a unit or a scale —
as a :class:`Quantity` with its exact offsets (Python string indices), its value in base units and a unit
code from :data:`UNITS`::

    "4,35 tỷ USD"              -> 4350000000 USD
    "1.950,55 triệu USD"       -> 1950550000 USD
    "12.350 tỷ đồng" / "VNĐ"   -> 12350000000000 VND
    "1 tỷ 252 triệu USD"       -> 1252000000 USD          (compound amount)
    "1,8-2,3 tỷ USD"           -> 1800000000 .. 2300000000 (a range: ``value`` and ``high``)
    "gấp 2,3 lần"              -> 2.3 ratio
    "$1.2 billion"             -> 1200000000 USD
    "210.000 người"            -> 210000 person
    "242%"                     -> 242 percent
    "11,5 triệu đồng/tháng"    -> 11500000 VND/month

Rules, in order:

* Number formats. Vietnamese writes ``.`` between thousands and ``,`` before decimals ("1.950,55"); English
  the reverse ("1,950.55"). A token with both separators takes the last one as the decimal mark; a
  separator followed by other than three digits is a decimal mark; a token with several groups of three
  is grouped thousands; only "12.350" / "4,350" (one separator, three digits) depend on the language
  (``lang``: ``vi`` — the default — reads "12.350" as 12350 and "4,350" as 4.35, ``en`` the reverse).
* Scales: nghìn/ngàn (10^3), triệu (10^6), tỷ/tỉ (10^9), nghìn tỷ/ngàn tỷ (10^12); thousand, million,
  billion, trillion, and bn/mn/mln (k, m, b only glued to a currency-prefixed number: "$3m").
  "tỷ lệ"/"tỷ trọng" (rate, share) are not scales. A compound amount adds smaller scales that follow
  ("1 tỷ 252 triệu"). A range ("1,8-2,3", "từ 3 đến 3,5", "between 1.8 and 2.3") gives its lower end in
  ``value`` and the upper one in ``high``; an end without a scale takes the other end's scale.
* Units (after the scale, or a currency before the number: "$", "US$", "USD 5 million"): see
  :data:`UNITS` and the word lists below. A currency followed by "/tháng", "mỗi tháng", "per month" is a
  monthly amount (``VND/month``; "/người/tháng", "per worker per month" too), by "/ha", "per hectare" an amount
  per hectare (``USD/ha``), by "/m2" an amount per square metre, given per hectare (×10,000). "gấp N lần",
  "tăng N lần", "N times", "N-fold" is a ratio. A scaled number without a unit takes the currency of the
  figure that follows it closely ("28,5 tỷ và 22,8 tỷ USD"), otherwise it is a ``count``.
* Not figures: a number with neither unit nor scale (so bare years and list numbers); dates ("6/1",
  "20/8/2019", "01/01/2023", "7/2023", "2025-01-06"); years after "năm", "giai đoạn" …;
  a year-like number after "in", "by", "since", "until" ("grew by 8.2%" is a figure);
  ranks after "thứ", "hạng", "top", "No."; section numbers after "Điều", "khoản", "mục", "Chương",
  "Section", "Article"; document numbers ("50-NQ/TW"); phone numbers; numbers glued to letters ("G20",
  "COVID-19", "4.0" is unitless anyway).

Matching runs on a length-preserving folded, lower-cased copy of the text (diacritics and đ removed, one
character for one), so offsets found there are offsets into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from hpkg.iri import fold

#: The unit codes a figure can carry.
UNITS = ("USD", "VND", "person", "project", "enterprise", "percent", "ratio", "ha", "VND/month", "USD/ha",
         "USD/month", "VND/ha", "count")
CURRENCIES = ("USD", "VND")

Number = int | float


@dataclass(frozen=True)
class Quantity:
    """One figure: ``text[start:end]`` states it; ``value`` (and ``high`` for a range) in base units."""

    start: int
    end: int
    quote: str
    value: Number
    unit: str
    high: Number | None = None
    #: Offsets of the first number token (the relation and qualifier words are looked for around the quote).
    number_start: int = 0

    @property
    def is_range(self) -> bool:
        """True when the quote states a range ("1,8-2,3 tỷ USD")."""
        return self.high is not None


def fold_same_length(text: str) -> str:
    """Diacritics and đ folded and lower-cased, one character for one, so indices carry over to ``text``."""
    out = []
    for c in text:
        f = fold(c).lower()
        out.append(f if len(f) == 1 else c)
    return "".join(out)


def parse_number(token: str, lang: str | None = None) -> Decimal:
    """A number token ("1.950,55", "4,35", "210.000", "1,200.5") as a Decimal (see the module rules)."""
    has_dot, has_comma = "." in token, "," in token
    if has_dot and has_comma:
        dec = "," if token.rfind(",") > token.rfind(".") else "."
        grp = "." if dec == "," else ","
        return Decimal(token.replace(grp, "").replace(dec, "."))
    if not (has_dot or has_comma):
        return Decimal(token)
    sep = "." if has_dot else ","
    groups = token.split(sep)
    if len(groups) > 2:
        if all(len(g) == 3 for g in groups[1:]):
            return Decimal("".join(groups))
        raise ValueError(f"not a number: {token!r}")
    if len(groups[1]) != 3 or groups[0] == "0":
        return Decimal(groups[0] + "." + groups[1])
    thousands = "." if (lang or "vi") == "vi" else ","
    return Decimal("".join(groups)) if sep == thousands else Decimal(groups[0] + "." + groups[1])


def _is_number(token: str, lang: str | None) -> bool:
    try:
        parse_number(token, lang)
    except (ValueError, ArithmeticError):
        return False
    return True


def _num(d: Decimal) -> Number:
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


# ------------------------------------------------------------------ word lists (folded, lower-case)
_NUM = r"\d+(?:[.,]\d+)*"
_NUMBER = re.compile(rf"(?:(?<![\w.,/\-–])|(?<=usd)|(?<=vnd)){_NUM}(?!\d)")  # "VND12.5 trillion"
_NUMBER_AT = re.compile(rf"{_NUM}(?!\d)")
_COMPOUND_NEXT = re.compile(rf"\s+({_NUM})(?!\d)")

# scale words: (pattern, exponent); longest first. Followed by a non-letter.
_SCALES: list[tuple[str, int]] = [
    (r"nghin ty|ngan ty|trillion", 12),
    (r"ty(?! le| trong)|ti(?! le| trong)|billion|bn", 9),
    (r"trieu|million|mn|mln", 6),
    (r"nghin|ngan(?! sach| hang)|thousand", 3),
]
_SCALE = re.compile(r"\s*(" + "|".join(f"(?:{p})" for p, _ in _SCALES) + r")(?![a-z0-9])")
_GLUED_SCALE = re.compile(r"(k|m|b)(?![a-z0-9])")  # only after a currency prefix: "$3m"
_SCALE_EXP = [(re.compile(rf"(?:{p})$"), e) for p, e in _SCALES]

# units after the number (and scale): (pattern, unit). Longest first; followed by a non-letter.
_UNIT_WORDS: list[tuple[str, str]] = [
    (r"dong viet nam|dong|vnd|₫", "VND"),
    (r"do la my|do la|dola|usd|us\$|dollars?", "USD"),
    (r"%|phan tram|percent|per cent", "percent"),
    (r"nguoi|lao dong|cong nhan|people|persons|workers|employees", "person"),
    (r"luot du an|du an|projects?", "project"),
    (r"doanh nghiep|cong ty|enterprises?|companies|company|firms?|businesses", "enterprise"),
    (r"hecta|hec ta|hectares?|ha", "ha"),
    (r"chuong trinh|hoi nghi|su kien|luot|doan|khu cong nghiep|cum cong nghiep|kcn|nha dau tu|nha may|"
     r"giay chung nhan|programmes?|programs?|events?|conferences?|investors?|industrial parks?|factories|plants?",
     "count"),
]
#: words between an English number and its counted noun ("498 valid FDI projects", "17 new projects")
COUNT_MODIFIERS = ("new", "existing", "foreign", "domestic", "additional", "more", "active", "valid", "operating",
                   "licensed", "registered", "investment", "fdi", "ddi", "foreign-invested")
_UNIT = re.compile(r"(?:\s*|-(?=[a-z]))(?:(?:" + "|".join(COUNT_MODIFIERS) + r")\s+(?=[a-z])){0,3}(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UNIT_WORDS))
                   + r")(?![a-z0-9])")
_VND_D = re.compile(r"\s*d(?![a-z0-9])")  # "tỷ đ" — only when the original letter is đ
_PER = re.compile(r"\s*(?:/\s*(?:nguoi\s*/\s*)?|\s(?:moi|mot|per|a|an|each)\s+(?:(?:nguoi|person|worker)\s+(?:moi|mot|per|a|an|each)\s+)?)"
                  r"(thang|month|ha|hecta|hectares?|m2|m²|square met(?:re|er))(?![a-z0-9])")
_PREFIX_CCY = re.compile(r"(?:(us\$|\$)|(usd|vnd))\s?$")
_GLUED_CCY = re.compile(r"(?<![a-z])(?:usd|vnd)$")
_AFTER_AMOUNT = re.compile(r"(?:\d|ty|ti|trieu|nghin|ngan|billion|million|thousand|bn)\s*$")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|den|toi|to|and)\s*")
_RANGE_OPEN = re.compile(r"(?:tu|from|between)\s+$")
_RATIO_BEFORE = re.compile(r"(?:gap|tang|cao hon|bang|increase of|up)\s+$")
_RATIO_AFTER = re.compile(r"\s*(?:lan|times|-fold|fold|x)(?![a-z0-9])")

# words before a number that make it a year, a rank or a section number; matched on the lower-cased text
# with its diacritics (folded, "mức" (level) would be "mục" (section) and "thu" (collect) "thứ" (rank))
_NOT_FIGURE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:năm|giai đoạn|niên khoá|niên khóa|year|years|thứ|hạng|top|vị trí|no\.|number|"
    r"rank|ranked|điều|khoản|mục|điểm|chương|phần thứ|section|article|chapter|ngày|day|tháng)\s*)$")
# English prepositions before a year ("in 2024", "by 2030"): only a year-like number is not a figure there
# ("grew by 8.2%", "in 12 provinces" are figures)
_YEAR_BEFORE = re.compile(r"(?<!\w)(?:in|since|by|until)\s*$")
_YEAR_LIKE = re.compile(r"(?:19|20)\d{2}$")
_DATE = re.compile(
    r"(?<![\d.,])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{1,2}/\d{4}|\d{1,2}/\d{1,2})(?![\d/])")
_DOC_NUMBER = re.compile(r"\d+(?:/\d+)*-[a-z]{1,6}(?:/[a-z]{1,6})*(?![a-z])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)\d{1,3}(?:[\s.\-]?\d{3,4}){2}(?![\d,])")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?![a-z])")


def _masked_spans(folded: str) -> list[tuple[int, int]]:
    spans = [m.span() for rx in (_DATE, _DOC_NUMBER, _PHONE) for m in rx.finditer(folded)]
    return sorted(spans)


def _scale_exp(word: str) -> int:
    for rx, exp in _SCALE_EXP:
        if rx.match(word):
            return exp
    raise ValueError(word)


@dataclass
class _Scan:
    """A partial parse starting at a number token."""

    value: Decimal
    end: int
    scaled: bool
    exp: int = 0


def _read_amount(folded: str, pos: int, first: Decimal, lang: str | None, glued_ok: bool) -> _Scan:
    """The number at ``pos`` (already parsed as ``first``) with its scale and a compound tail."""
    value, end, scaled, first_exp = first, pos, False, 0
    m = _SCALE.match(folded, end)
    if m:
        exp = first_exp = _scale_exp(m.group(1))
        value, end, scaled = first * (Decimal(10) ** exp), m.end(), True
        # compound amounts: "1 tỷ 252 triệu 500 nghìn"
        while True:
            nm = _COMPOUND_NEXT.match(folded, end)
            if not nm:
                break
            sm = _SCALE.match(folded, nm.end())
            if not sm or _scale_exp(sm.group(1)) >= exp:
                break
            exp = _scale_exp(sm.group(1))
            value += parse_number(nm.group(1), lang) * (Decimal(10) ** exp)
            end = sm.end()
    elif glued_ok:
        gm = _GLUED_SCALE.match(folded, end)
        if gm:
            exp = {"k": 3, "m": 6, "b": 9}[gm.group(1)]
            first_exp = exp
            value, end, scaled = first * (Decimal(10) ** exp), gm.end(), True
    return _Scan(value, end, scaled, first_exp)


def _read_unit(text: str, folded: str, pos: int) -> tuple[str | None, int]:
    m = _UNIT.match(folded, pos)
    if m:
        unit = next(_UNIT_WORDS[int(k[1:])][1] for k, v in m.groupdict().items() if v is not None)
        return unit, m.end()
    m = _VND_D.match(folded, pos)
    if m and text[m.end() - 1] in "đĐ":
        return "VND", m.end()
    return None, pos


def _read_per(folded: str, pos: int, unit: str) -> tuple[str, int, int]:
    """A currency amount per month, per hectare or per square metre ("180 USD/m2": 1,800,000 USD/ha, the
    graph's unit of land rent), with the factor to the per-unit's base ("/người/tháng" is per month)."""
    m = _PER.match(folded, pos)
    if not m:
        return unit, pos, 1
    if m.group(1) in ("thang", "month"):
        return f"{unit}/month", m.end(), 1
    return f"{unit}/ha", m.end(), 1 if m.group(1).startswith("h") else 10_000


def find_quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """Every figure in ``text``, in order (see the module docstring for the rules)."""
    folded = fold_same_length(text)
    lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    masked = _masked_spans(folded)
    found: list[Quantity] = []
    pending: list[tuple[int, int, Decimal, Decimal | None, int]] = []  # scaled figures without a unit
    consumed_to = 0
    for m in _NUMBER.finditer(folded):
        s, e = m.span()
        if s < consumed_to or any(a <= s < b for a, b in masked):
            continue
        if s > 0 and folded[s - 1].isalpha() and not _GLUED_CCY.search(folded, max(0, s - 4), s):
            continue  # "G20" is a name; "VND12.5 trillion" is an amount
        before = folded[max(0, s - 24):s]
        before_text = lowered[max(0, s - 24):s]
        try:
            first = parse_number(m.group(), lang)
        except (ValueError, ArithmeticError):
            continue
        start = s
        unit: str | None = None
        pm = _PREFIX_CCY.search(before)
        if pm and _AFTER_AMOUNT.search(before[:pm.start()]):
            pm = None  # "… tỷ USD 594 dự án": that USD belongs to the figure before
        if pm:
            unit = "USD" if (pm.group(1) or pm.group(2)) in ("$", "us$", "usd") else "VND"
            start = s - len(pm.group(0))
        elif (_NOT_FIGURE_BEFORE.search(before_text) or _ORDINAL.match(folded, e)
              or (_YEAR_BEFORE.search(before_text) and _YEAR_LIKE.match(m.group()))):
            continue
        # ratio: "gấp 2,3 lần", "2.3 times"
        rm = _RATIO_AFTER.match(folded, e)
        if rm and unit is None and (_RATIO_BEFORE.search(before) or rm.group(0).strip() in ("times", "-fold", "fold")):
            rb = _RATIO_BEFORE.search(before)
            rstart = s - len(rb.group(0)) if rb and rb.group(0).startswith("gap") else s
            found.append(Quantity(rstart, rm.end(), text[rstart:rm.end()], _num(first), "ratio", number_start=s))
            consumed_to = rm.end()
            continue
        low = _read_amount(folded, e, first, lang, glued_ok=unit is not None)
        high: _Scan | None = None
        end = low.end
        # a range: "1,8-2,3 tỷ USD", "từ 3 đến 3,5 tỷ USD", "between 1.8 and 2.3 billion"
        sep = _RANGE_SEP.match(folded, end)
        if sep and not (unit is not None and low.scaled):
            nm = _NUMBER_AT.match(folded, sep.end())
            dash = sep.group(0).strip() in ("-", "–", "—")
            if nm and (dash or _RANGE_OPEN.search(before)):
                second = parse_number(nm.group(), lang) if _is_number(nm.group(), lang) else None
                if second is not None:
                    cand = _read_amount(folded, nm.end(), second, lang, glued_ok=unit is not None)
                    u2, _ = _read_unit(text, folded, cand.end)
                    lowv = low.value if low.scaled or not cand.scaled else first * (Decimal(10) ** cand.exp)
                    if (cand.scaled or u2 or unit) and cand.value > lowv:
                        low = _Scan(lowv, low.end, low.scaled or cand.scaled, low.exp or cand.exp)
                        high, end = cand, cand.end
        if unit is None:
            unit, uend = _read_unit(text, folded, end)
            if unit:
                end = uend
        if unit in CURRENCIES:
            unit, end, per = _read_per(folded, end, unit)
            if per != 1:
                low = _Scan(low.value * per, low.end, low.scaled, low.exp)
                high = _Scan(high.value * per, high.end, high.scaled, high.exp) if high is not None else None
        if unit is None and not (low.scaled or (high and high.scaled)):
            continue
        hv = _num(high.value) if high is not None else None
        if unit is None:
            pending.append((start, end, low.value, high.value if high else None, s))
            consumed_to = end
            continue
        # unit-less scaled figures just before take this figure's currency ("28,5 tỷ và 22,8 tỷ USD")
        for ps, pe, pv, ph, pn in pending:
            gap = folded[pe:start]
            u = unit if (unit in CURRENCIES and len(gap) <= 40 and re.fullmatch(r"[\s,;]*(?:va|and|,|;)?[\s\w]*", gap)
                         and not re.search(r"\d", gap)) else "count"
            found.append(Quantity(ps, pe, text[ps:pe], _num(pv), u, _num(ph) if ph is not None else None, pn))
        pending = []
        found.append(Quantity(start, end, text[start:end], _num(low.value), unit, hv, s))
        consumed_to = end
    for ps, pe, pv, ph, pn in pending:
        found.append(Quantity(ps, pe, text[ps:pe], _num(pv), "count", _num(ph) if ph is not None else None, pn))
    return sorted(found, key=lambda q: q.start)


def parse_quantity(expression: str, lang: str | None = None) -> Quantity | None:
    """The figure an expression states ("4,35 tỷ USD"), or ``None``; the first one if it states several."""
    found = find_quantities(expression, lang)
    return found[0] if found else None


# ------------------------------------------------------------------ tables written as text
_UNIT_HEADER = re.compile(r"(?<![a-z])(?:don vi tinh|don vi|dvt|unit|units)(?![a-z])")
#: a column of the change on the same period, as an index in percent ("So với cùng kỳ (%)": 118,4 is 18.4% more)
_INDEX_HEADER = re.compile(r"(?<![a-z])(?:so voi cung ky|so cung ky|cung ky|same period|previous year|year earlier|"
                           r"yoy|y/y)(?![a-z])")
_BARE_NUMBER = re.compile(rf"{_NUM}")


@dataclass(frozen=True)
class TableFigure:
    """A figure of a table written as text whose cell holds only a number: its unit is in the row's unit column
    ("Đơn vị tính": "Triệu USD"); ``index_of`` is, for a cell of a "So với cùng kỳ (%)" column, the start offset of
    the row's first value cell (the figure that index compares with the same period)."""

    quantity: Quantity
    index_of: int | None = None


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one table line ``text[start:end]`` (separated by ``|``) as stripped offsets."""
    out: list[tuple[int, int]] = []
    pos = start
    for part in text[start:end].split("|"):
        s, e = pos, pos + len(part)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
        pos += len(part) + 1
    if out and out[0][0] == out[0][1] and text[start:end].lstrip().startswith("|"):
        out = out[1:]
    if out and out[-1][0] == out[-1][1]:
        out = out[:-1]
    return out


def find_table_figures(text: str, lang: str | None = None) -> list[TableFigure]:
    """The bare-number cells of the tables written as text in ``text`` (lines of ``|``-separated cells, the first
    one a header naming a unit column): "Vốn FDI đăng ký | Triệu USD | 4.125,0 | 118,4" is 4 125 000 000 USD and, in
    a column headed "So với cùng kỳ (%)", 118.4 percent of the same period. Cells stating their own unit ("62,4
    ha") are figures of :func:`find_quantities` already; a table without a unit column gives none here."""
    folded = fold_same_length(text)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out: list[TableFigure] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and text.count("|", *lines[j]) >= 2:
            j += 1
        if j - i < 2:
            i = max(j, i + 1)
            continue
        header = _cells(text, *lines[i])
        unit_col = next((k for k, (s, e) in enumerate(header) if _UNIT_HEADER.search(folded[s:e])), None)
        if unit_col is not None:
            index_cols = {k for k, (s, e) in enumerate(header) if _INDEX_HEADER.search(folded[s:e])}
            for start, end in lines[i + 1:j]:
                row = _cells(text, start, end)
                if len(row) != len(header) or re.fullmatch(r"[\s|:\-–]*", text[start:end]):
                    continue
                scale = parse_quantity("1 " + text[row[unit_col][0]:row[unit_col][1]], lang)
                first_value: int | None = None
                for k, (s, e) in enumerate(row):
                    if k in (0, unit_col) or not _BARE_NUMBER.fullmatch(text[s:e]):
                        continue
                    try:
                        number = parse_number(text[s:e], lang)
                    except (ValueError, ArithmeticError):
                        continue
                    if k in index_cols:
                        q = Quantity(s, e, text[s:e], _num(number), "percent", number_start=s)
                        out.append(TableFigure(q, first_value))
                    elif scale is not None and scale.unit != "ratio":
                        q = Quantity(s, e, text[s:e], _num(number * Decimal(str(scale.value))), scale.unit,
                                     number_start=s)
                        first_value = s if first_value is None else first_value
                        out.append(TableFigure(q))
        i = j
    return out
