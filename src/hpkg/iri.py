"""The graph's own IRIs: the entity base, the named graphs, and readable slugs ("Đình Vũ" -> ``dinh-vu``)."""

from __future__ import annotations

import os
import re
import unicodedata

DEFAULT_BASE = "https://w3id.org/hpkg/id/"

#: The licence of the graph, its linkset and its catalog: CC BY 4.0, the licence of the source article.
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def base_iri() -> str:
    """The base of every entity IRI in the graph (``HPKG_BASE``, default ``https://w3id.org/hpkg/id/``)."""
    base = os.environ.get("HPKG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def graph_iri(name: str, base: str | None = None) -> str:
    """The IRI of one of the store's named graphs: ``data``, ``links``, ``meta`` … (the ontology has its own IRI)."""
    return f"{base or base_iri()}graph/{name}"


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (and đ/Đ -> d/D), keeping case and spacing."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def slugify(text: str) -> str:
    """A lower-case ASCII slug: ``"Khu kinh tế Đình Vũ - Cát Hải"`` -> ``khu-kinh-te-dinh-vu-cat-hai``."""
    return _NON_ALNUM.sub("-", fold(text).lower()).strip("-")
