"""Every namespace hpkg uses, in one place: the prefix map and the CURIE converter built from it.

``PREFIXES`` is what Turtle/TriG output declares and what SPARQL queries get offered; ``CONVERTER`` (a
:class:`curies.Converter` over the same map) is the one way to shorten an IRI to ``prefix:local`` and back.
"""

from __future__ import annotations

from functools import lru_cache

import curies
from rdflib import Namespace

ONTOLOGY_IRI = "https://w3id.org/hpkg/ontology"

#: Prefixes used when writing Turtle/TriG and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "hpkg": ONTOLOGY_IRI + "#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-code": "http://purl.org/linked-data/sdmx/2009/code#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

HPKG = Namespace(PREFIXES["hpkg"])
SH = Namespace(PREFIXES["sh"])
QB = Namespace(PREFIXES["qb"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
PROV = Namespace(PREFIXES["prov"])
XSD = Namespace(PREFIXES["xsd"])

#: The one CURIE converter: ``CONVERTER.compress(iri)`` / ``CONVERTER.expand("sh:Violation")``.
CONVERTER = curies.Converter.from_prefix_map(PREFIXES)


@lru_cache(maxsize=8)
def converter(extra: tuple[tuple[str, str], ...] = ()) -> curies.Converter:
    """The shared converter, extended with ``extra`` (prefix, namespace) pairs (e.g. the base of the entities)."""
    if not extra:
        return CONVERTER
    return curies.Converter.from_prefix_map({**PREFIXES, **dict(extra)})


def shorten(iri: str | None, *, extra: dict[str, str] | None = None) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI itself (``""`` for ``None``)."""
    if iri is None:
        return ""
    conv = converter(tuple(sorted(extra.items()))) if extra else CONVERTER
    short = conv.compress(iri)
    if short is None or short.endswith(":"):
        return iri
    return short


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX p: <ns>`` lines for a SPARQL query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or PREFIXES).items())
