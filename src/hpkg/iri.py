"""Readable, stable IRIs: slugs folded from Vietnamese ("Đình Vũ" -> ``dinh-vu``)."""

from __future__ import annotations

import re
import unicodedata

from hpkg.config import base_iri

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (and đ/Đ -> d/D), keeping case and spacing."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def slugify(text: str) -> str:
    """A lower-case ASCII slug: ``"Khu kinh tế Đình Vũ - Cát Hải"`` -> ``khu-kinh-te-dinh-vu-cat-hai``."""
    return _NON_ALNUM.sub("-", fold(text).lower()).strip("-")


def entity_iri(kind: str, label: str, base: str | None = None) -> str:
    """The IRI of an entity of ``kind`` (``zone``, ``org`` …) named ``label`` under the base."""
    return f"{base or base_iri()}{kind}/{slugify(label)}"
