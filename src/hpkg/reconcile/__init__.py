"""Reconciliation and search: match names as people write them to the graph's entities and the official lists.

* :mod:`hpkg.reconcile.index` — the in-memory name index (the graph's labels and codes, plus the official
  63- and 34-province lists and ISO 3166-1 countries the linker uses);
* :mod:`hpkg.reconcile.match` — scoring, the ``match`` rule, property disambiguation, prefix search;
* :mod:`hpkg.reconcile.extend` — data extension: property proposals and values for ids.

The library never imports the server or the command line; ``hpkg serve`` exposes it as the W3C Entity
Reconciliation API 0.2 (``/reconcile``) and ``/search``, ``hpkg search`` on the command line.
"""

from hpkg.reconcile.index import PROPERTIES, TYPES, Entity, NameIndex, build_index
from hpkg.reconcile.match import MATCH_GAP, MATCH_SCORE, Matcher, Scored, UnknownType, reconcile, search

__all__ = ["MATCH_GAP", "MATCH_SCORE", "PROPERTIES", "TYPES", "Entity", "NameIndex", "Matcher", "Scored", "UnknownType", "build_index",
           "reconcile", "search"]
