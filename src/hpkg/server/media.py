"""The media types of SPARQL answers, and the ``format=`` names clients use for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.server import negotiate

#: Result media types by kind of query, in the server's order of preference.
TABULAR_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
BOOLEAN_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}

#: ``format=`` parameter values (as YASGUI, Fuseki and Virtuoso accept them) -> media type, by kind.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "tabular": {
        "json": "application/sparql-results+json",
        "srj": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "srx": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "ntriples": "application/n-triples",
        "n-triples": "application/n-triples",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "json": "application/ld+json",
        "xml": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
        "rdf": "application/rdf+xml",
    },
}


class NotAcceptable(HpkgError):
    """No offered format suits the client's ``Accept`` (or ``format``)."""

    def __init__(self, kind: str, offers: Sequence[str]) -> None:
        what = {"select": "a SELECT", "ask": "an ASK", "graph": "a CONSTRUCT/DESCRIBE"}.get(kind, kind)
        super().__init__(f"cannot serve {what} result in the requested format; available: {', '.join(offers)}")
        self.offers = list(offers)


def offers_for(kind: str) -> list[str]:
    """The media types a result of ``kind`` (select, ask, graph) can be served in."""
    by_kind: dict[str, Mapping[str, object]] = {"select": TABULAR_TYPES, "ask": BOOLEAN_TYPES, "graph": GRAPH_TYPES}
    return list(by_kind[kind])


def choose_format(kind: str, fmt: str | None, accept: str | None) -> str:
    """The media type for a result of ``kind``: from ``format=`` when given, else by ``Accept``."""
    offers = offers_for(kind)
    if fmt:
        group = "graph" if kind == "graph" else "tabular"
        media = FORMAT_NAMES[group].get(fmt.lower()) or (fmt.lower() if "/" in fmt else None)
        if media not in offers:
            raise NotAcceptable(kind, [*FORMAT_NAMES[group], *offers])
        return media
    media = negotiate.choose(accept, offers)
    if media is None:
        # A generic SPARQL client (rdflib's SPARQLStore, for one) asks for the formats of one kind of
        # result whatever the query form; answer it in this kind's default format (RFC 9110 allows
        # disregarding Accept). An Accept that names no format of any kind still gets 406.
        other = [m for k in ("select", "graph") if k != ("graph" if kind == "graph" else "select")
                 for m in offers_for(k)]
        if negotiate.choose(accept, other) is not None:
            return offers[0]
        raise NotAcceptable(kind, offers)
    return media
