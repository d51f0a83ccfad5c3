"""Linking with open government data: official identifiers, administrative change, CSVW table import and a
DCAT-AP catalog.

Modules: :mod:`~hpkg.opendata.normalize` (Vietnamese label normalisation), :mod:`~hpkg.opendata.reference`
(official lists from packages and curated files), :mod:`~hpkg.opendata.link` (matching and its evaluation),
:mod:`~hpkg.opendata.sssom` (the linkset as RDF and as an SSSOM table), :mod:`~hpkg.opendata.csvw_import`
(CSV on the Web tables -> Data Cube observations) and :mod:`~hpkg.opendata.catalog` (DCAT-AP 3 and VoID).
"""
