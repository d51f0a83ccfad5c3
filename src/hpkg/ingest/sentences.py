"""A Vietnamese-aware sentence splitter: a documented rule set, with offsets.

underthesea's ``sent_tokenize`` is the obvious library, but it is not a dependency of hpkg yet (a heavy
one: it pulls in scikit-learn and downloads models); plugging it in behind :func:`split_sentences` is
the next step. Until then these rules, which the tests pin down, split press text:

1. A blank line ends a paragraph (numbered from 1) and its sentence. A line break ends a sentence too
   (headlines, list items and table rows written as text are one line each) unless the next line starts
   with a lower-case letter (a hard-wrapped sentence goes on).
2. ``.``, ``!``, ``?``, ``…`` and ``...`` end a sentence when whitespace follows and the next word starts
   with an upper-case letter, a digit or an opening quote/bracket. So a lower-case word after an ellipsis
   ("Đài Loan (Trung Quốc)… giúp kết nối") continues the sentence.
3. Closing quotes and brackets right after the stop belong to the sentence that ends (``… nói.”``).
4. A period inside a token never ends a sentence: decimals and thousands ("4,35", "210.000", "1.950,55"),
   "Th.S", "U.S.", "e.g." (no whitespace follows the inner periods).
5. A period after a known abbreviation (:data:`ABBREVIATIONS`: "TP.", "TS.", "ThS.", "PGS.", "GS.", "Q.",
   "P.", "Mr.", "Dr.", "No.", "Co.", "Ltd." …) or after a single letter or a dotted initialism
   ("Nguyễn V. An", "U.S. exports") does not end a sentence.

Offsets are Python string indices into the text; a sentence's text is ``text[start:end]``, without the
surrounding whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Abbreviations whose period does not end a sentence (compared case-sensitively, without the period).
ABBREVIATIONS = frozenset({
    # Vietnamese: administrative units, titles, degrees
    "TP", "Tp", "tp", "TX", "Q", "P", "H", "T", "X", "TT", "TS", "ThS", "Th.S", "PGS", "GS", "PGS.TS", "GS.TS",
    "BS", "KS", "CN", "NXB", "Cty", "ĐT", "Đ/c", "đ/c", "Tr", "tr", "St",
    # English
    "Mr", "Mrs", "Ms", "Dr", "Prof", "No", "Nos", "Co", "Corp", "Ltd", "Inc", "Jr", "Sr", "vs", "etc", "approx",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Fig", "Vol", "p", "pp",
})

_STOP = re.compile(r"(?:\.\.\.|[.!?…])[\"'”’»)\]]*")
_OPENERS = "\"'“‘«([–-"
_INITIALISM = re.compile(r"^(?:[A-Za-zÀ-ỹĐđ]\.)*[A-Za-zÀ-ỹĐđ]$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text[start:end]``, its paragraph (from 1) and its number within the paragraph (from 1)."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int


def _token_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return text[i:pos]


def _ends_here(text: str, stop_start: int, stop_end: int) -> bool:
    if stop_end < len(text) and not text[stop_end].isspace():
        return False
    j = stop_end
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] == "\n":
        return True
    nxt = text[j]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if text[stop_start] == ".":
        token = _token_before(text, stop_start).lstrip(_OPENERS)
        if token in ABBREVIATIONS or _INITIALISM.match(token):
            return False
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with offsets, paragraph and sentence numbers (see the module rules)."""
    out: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]*\S[^\n]*(?:\n[ \t]*\S[^\n]*)*", text):
        paragraph += 1
        index = 0
        pstart, pend = para.span()
        cuts: list[int] = []
        for stop in _STOP.finditer(text, pstart, pend):
            if _ends_here(text[:pend], stop.start(), stop.end()):
                cuts.append(stop.end())
        for nl in re.finditer(r"\n[ \t]*(\S)", text[pstart:pend]):
            if not nl.group(1).islower():  # rule 1; a lower-case next line continues a wrapped sentence
                cuts.append(pstart + nl.start())
        cut = pstart
        for c in [*sorted(set(cuts)), pend]:
            s, e = _trimmed(text, cut, c)
            if s < e:
                index += 1
                out.append(Sentence(s, e, text[s:e], paragraph, index))
            cut = c
    return out


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding character ``offset``."""
    for s in sentences:
        if s.start <= offset < s.end:
            return s
    return None
