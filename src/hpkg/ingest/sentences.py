"""A Vietnamese-aware sentence splitter with offsets: underthesea proposes, documented rules repair.

:func:`split_sentences` first cuts the text into paragraphs and lines (rule 1), then hands each piece to
underthesea's ``sent_tokenize`` (a Punkt-style splitter that knows Vietnamese abbreviations; offline,
Apache-2.0) and checks every boundary it proposes against rules 2–6. Those rules are where underthesea
fails on press text (measured on the repository's texts and the development sets; each is a test in
``tests/unit/test_ingest_sentences.py``): it cuts before a closing quote or bracket (``… lắm.”`` /
``… 516.)``), after an English abbreviation before a number ("Issue No. 14", "Decree No. 31/2021"),
after a degree pair ("PGS.TS. Nguyễn B") and after a list number ("1. Mục một"); it does not cut at line
breaks. Where underthesea returns text that is not a substring of its input (never seen, but not
promised), that piece is split by rules 2–6 alone.

1. A blank line ends a paragraph (numbered from 1) and its sentence. A line break ends a sentence too
   (headlines, list items and table rows written as text are one line each) unless the next line starts
   with a lower-case letter (a hard-wrapped sentence goes on).
2. ``.``, ``!``, ``?``, ``…`` and ``...`` end a sentence only when whitespace follows and the next word starts
   with an upper-case letter, a digit or an opening quote/bracket. So a lower-case word after an ellipsis
   ("Đài Loan (Trung Quốc)… giúp kết nối") continues the sentence.
3. Closing quotes and brackets right after the stop belong to the sentence that ends (``… nói.”``).
4. A period inside a token never ends a sentence: decimals and thousands ("4,35", "210.000", "1.950,55"),
   "Th.S", "U.S.", "e.g." (no whitespace follows the inner periods).
5. A period after a known abbreviation (:data:`ABBREVIATIONS`: "TP.", "TS.", "ThS.", "PGS.TS.", "Q.",
   "P.", "Mr.", "Dr.", "No.", "Co.", "Ltd." …) or after a single letter or a dotted initialism
   ("Nguyễn V. An", "U.S. exports") does not end a sentence.
6. A list number ("1.", "2)", "IV.") is not a sentence: it starts the one that follows.

Offsets are Python string indices into the text; a sentence's text is ``text[start:end]``, without the
surrounding whitespace.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

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
_CLOSERS = "\"'”’»)]"
_LIST_NUMBER = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6}|[a-zđ])[.)]")
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


def _rule_cuts(text: str, start: int, end: int) -> list[int]:
    """Rules 2–5 alone: the ends of the sentences of ``text[start:end]`` (a line or wrapped lines)."""
    return [stop.end() for stop in _STOP.finditer(text, start, end) if _ends_here(text[:end], stop.start(), stop.end())]


def _stop_start(text: str, cut: int) -> int | None:
    """Where the stop that ends right before ``cut`` (closing quotes and brackets included) begins."""
    i = cut
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    if text.endswith("...", 0, i):
        return i - 3
    if i > 0 and text[i - 1] in ".!?…":
        return i - 1
    return None


@lru_cache(maxsize=1)
def _sent_tokenize() -> Callable[[str], list[str]]:
    """underthesea's ``sent_tokenize``, loaded once.

    ``import underthesea`` runs the toolkit's ``__init__``, which imports every pipeline (text normalisers,
    joblib, the model-hub client): 0.5–0.7 s of each ``hpkg ingest`` start-up, for a splitter whose module
    needs only ``json`` and its bundled ``punkt_params.json``. So the module is loaded from its file alone
    when it is where underthesea 9 keeps it (the package is found, not imported), and imported the ordinary
    way otherwise. A test checks that both give the same sentences.
    """
    spec = importlib.util.find_spec("underthesea")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "pipeline" / "sent_tokenize" / "__init__.py"
        sub = importlib.util.spec_from_file_location("hpkg._underthesea_sent_tokenize", path)
        if path.is_file() and sub is not None and sub.loader is not None:
            module = importlib.util.module_from_spec(sub)
            sub.loader.exec_module(module)
            fn: Callable[[str], list[str]] = module.sent_tokenize
            return fn
    from underthesea import sent_tokenize

    return cast("Callable[[str], list[str]]", sent_tokenize)


def _underthesea_cuts(text: str, start: int, end: int) -> list[int] | None:
    """underthesea's boundaries in ``text[start:end]``, each checked and repaired by rules 2–5.

    ``None`` when underthesea returns a piece that is not found in order in its input (offsets would be lost).
    """
    segment = text[start:end]
    cuts: list[int] = []
    pos = 0
    for piece in _sent_tokenize()(segment):
        found = segment.find(piece, pos)
        if found < 0:
            return None
        pos = found + len(piece)
        cut = start + pos
        while cut < end and text[cut] in _CLOSERS:  # rule 3: underthesea leaves a closing quote to the next one
            cut += 1
        stop = _stop_start(text, cut)
        if stop is not None and _ends_here(text[:end], stop, cut):  # rules 2, 4, 5 veto the rest
            cuts.append(cut)
    return cuts


def _without_list_numbers(text: str, start: int, cuts: list[int]) -> list[int]:
    """Rule 6: a piece that is only a list number ("1.", "IV.") is not a sentence; it joins the next."""
    kept: list[int] = []
    prev = start
    for cut in cuts:
        s, e = _trimmed(text, prev, cut)
        if not _LIST_NUMBER.fullmatch(text, s, e):
            kept.append(cut)
            prev = cut
    return kept


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with offsets, paragraph and sentence numbers (see the module rules)."""
    out: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]*\S[^\n]*(?:\n[ \t]*\S[^\n]*)*", text):
        paragraph += 1
        index = 0
        pstart, pend = para.span()
        lines = [pstart + nl.start() for nl in re.finditer(r"\n[ \t]*(\S)", text[pstart:pend])
                 if not nl.group(1).islower()]  # rule 1; a lower-case next line continues a wrapped sentence
        cuts: list[int] = []
        for lstart, lend in zip([pstart, *lines], [*lines, pend], strict=True):
            found = _underthesea_cuts(text, lstart, lend)
            cuts.extend(_rule_cuts(text, lstart, lend) if found is None else found)
            cuts.append(lend)
        cut = pstart
        for c in _without_list_numbers(text, pstart, sorted(set(cuts))):
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
