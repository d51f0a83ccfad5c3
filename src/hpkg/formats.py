"""RDF and SPARQL-results format names, as users type them, mapped to pyoxigraph's formats."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hpkg.errors import HpkgError

#: Export/serialisation formats by the names users type (first name of each is the canonical one).
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

#: The formats ``hpkg export`` and ``hpkg build`` write, with their file extensions.
EXPORT_FORMATS: dict[str, str] = {
    "turtle": "ttl",
    "nt": "nt",
    "nq": "nq",
    "trig": "trig",
    "jsonld": "jsonld",
    "xml": "rdf",
}

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}

_EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


def rdf_format(name: str) -> ox.RdfFormat:
    """The RDF format called ``name`` (``turtle``, ``nt``, ``nq``, ``trig``, ``jsonld``, ``xml`` …)."""
    try:
        return RDF_FORMATS[name.lower()]
    except KeyError:
        raise HpkgError(f"unknown RDF format {name!r}; known: {', '.join(sorted(RDF_FORMATS))}") from None


def guess_rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF format of a file from its extension (``.gz`` is looked through)."""
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return _EXTENSIONS[suffixes[-1]]
    raise HpkgError(
        f"{path}: cannot tell the RDF format from the file name; known extensions: {', '.join(sorted(_EXTENSIONS))}"
    )
