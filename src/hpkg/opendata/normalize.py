"""Label normalisation for matching Vietnamese (and English) names of places, zones and currencies.

``normalize("TP. Hải Phòng")`` folds diacritics and đ/Đ (:func:`hpkg.iri.fold`), lower-cases, drops
punctuation and parenthesised qualifiers, strips the administrative and zone prefixes/suffixes
("Thành phố", "TP.", "tỉnh", "KCN", "Khu công nghiệp", "KKT", "Khu kinh tế", "City", "Province",
"Industrial Park" …) and remembers the kind of thing each prefix announces. It returns every key the
label can be compared under: the folded form, a spaceless form (so "Haiphong" meets "Hai Phong")
and English exonyms of Vietnamese country names ("Nhật Bản" -> "japan"). ``qualified`` says that a
parenthesised qualifier was dropped ("US Dollar (Next day)"): the matcher prefers unqualified names on a tie.

The exonym table is hand-written: no maintained package maps Vietnamese country names to English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hpkg.iri import fold

#: Kinds of things the matcher links. A mention is only compared with candidates of a compatible kind.
KINDS = ("country", "province", "municipality", "populated-place", "currency", "industrial-park", "economic-zone")

#: mention kind -> the candidate kinds it may match (a country never matches a province; an industrial
#: park never an economic zone; a province is not the city of the same name, its capital).
COMPATIBLE: dict[str, frozenset[str]] = {
    "country": frozenset({"country"}),
    "province": frozenset({"province"}),
    "municipality": frozenset({"municipality", "populated-place"}),
    "populated-place": frozenset({"populated-place", "municipality"}),
    "currency": frozenset({"currency"}),
    "industrial-park": frozenset({"industrial-park"}),
    "economic-zone": frozenset({"economic-zone"}),
}

# Prefixes and suffixes, folded and lower-case, longest first, with the kind they announce and where they stand:
# Vietnamese words come before the name ("Tỉnh Hà Tĩnh", "KCN Đình Vũ"), English ones after it ("Hai Phong City",
# "Dinh Vu Industrial Park"). A Vietnamese word is never stripped from the end: "Hà Tĩnh" folds to "ha tinh",
# whose "tinh" is part of the name, not "Tỉnh" (province).
_AFFIXES: list[tuple[str, str | None, str]] = [
    ("thanh pho truc thuoc trung uong", "municipality", "prefix"),
    ("khu cong nghiep", "industrial-park", "prefix"),
    ("khu kinh te", "economic-zone", "prefix"),
    ("industrial park", "industrial-park", "suffix"),
    ("industrial zone", "industrial-park", "suffix"),
    ("coastal economic zone", "economic-zone", "suffix"),
    ("economic zone", "economic-zone", "suffix"),
    ("thanh pho", "municipality", "prefix"),
    ("municipality", "municipality", "suffix"),
    ("province", "province", "suffix"),
    ("city", "municipality", "suffix"),
    ("tinh", "province", "prefix"),
    ("sheng", "province", "suffix"),
    ("tp", "municipality", "prefix"),
    ("kcn", "industrial-park", "prefix"),
    ("kkt", "economic-zone", "prefix"),
    ("ip", "industrial-park", "suffix"),
    ("ez", "economic-zone", "suffix"),
]

#: Vietnamese and variant names -> English exonyms (folded, lower-case). Hand-written.
EXONYMS: dict[str, str] = {
    "viet nam": "vietnam",
    "han quoc": "south korea",
    "trieu tien": "north korea",
    "nhat ban": "japan",
    "trung quoc": "china",
    "dai loan": "taiwan",
    "hong kong": "hong kong",
    "hoa ky": "united states",
    "my": "united states",
    "thai lan": "thailand",
    "an do": "india",
    "duc": "germany",
    "phap": "france",
    "anh": "united kingdom",
    "nga": "russia",
    "uc": "australia",
    "ha lan": "netherlands",
    "tay ban nha": "spain",
    "y": "italy",
    "thuy si": "switzerland",
    "thuy dien": "sweden",
    "dan mach": "denmark",
    "phan lan": "finland",
    "na uy": "norway",
    "bi": "belgium",
    "ao": "austria",
    "campuchia": "cambodia",
    "lao": "laos",
    "sai gon": "ho chi minh",
    "saigon": "ho chi minh",
    "dong viet nam": "dong",
    "vietnamese dong": "dong",
    "do la my": "us dollar",
}

_PAREN = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Normalized:
    """A label's comparison keys and the kind its prefix announced (``None`` when it had none)."""

    label: str
    keys: tuple[str, ...]
    kind_hint: str | None
    qualified: bool = False

    @property
    def key(self) -> str:
        """The main key: folded, lower-case, affixes stripped."""
        return self.keys[0]


def fold_lower(text: str) -> str:
    """NFC, diacritics and đ/Đ folded, lower case, punctuation to single spaces."""
    text = unicodedata.normalize("NFC", text)
    return _NON_ALNUM.sub(" ", fold(text).lower()).strip()


def strip_affixes(key: str) -> tuple[str, str | None]:
    """Remove administrative/zone prefixes and suffixes; return the core and the kind they announced."""
    hint: str | None = None
    changed = True
    while changed and key:
        changed = False
        for affix, kind, where in _AFFIXES:
            if where == "prefix" and key.startswith(affix + " ") and len(key) > len(affix) + 1:
                key = key[len(affix) + 1 :]
            elif where == "suffix" and key.endswith(" " + affix) and len(key) > len(affix) + 1:
                key = key[: -len(affix) - 1]
            else:
                continue
            hint = hint or kind
            changed = True
            break
    return key.strip(), hint


def normalize(label: str) -> Normalized:
    """All comparison keys of ``label`` (see the module docstring)."""
    without_qualifier = _PAREN.sub(" ", label)
    folded = fold_lower(without_qualifier)
    core, hint = strip_affixes(folded)
    keys: list[str] = []
    for k in (core, core.replace(" ", ""), EXONYMS.get(core, ""), EXONYMS.get(folded, "")):
        if k and k not in keys:
            keys.append(k)
    if not keys:
        keys.append(folded)
    return Normalized(label=label, keys=tuple(keys), kind_hint=hint, qualified=without_qualifier != label)


def kind_from_label(label: str) -> str | None:
    """The kind a label's prefix announces: ``"Tỉnh Hải Dương"`` -> ``province``."""
    return normalize(label).kind_hint
