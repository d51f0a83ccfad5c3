"""Every namespace hpkg uses, in one place: the prefix map and the CURIE converter built from it.

``PREFIXES`` is what Turtle/TriG output declares and what SPARQL queries get offered; ``CONVERTER`` (a
:class:`curies.Converter` over the same map) is the one way to shorten an IRI to ``prefix:local`` and back.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    # the evidence of ingested reports: W3C Web Annotation selectors, SPDX checksums, Dublin Core's literal publisher
    "oa": "http://www.w3.org/ns/oa#",
    "spdx": "http://spdx.org/rdf/terms#",
    "dce": "http://purl.org/dc/elements/1.1/",
}

# The namespaces the code names terms in. ``NS + "local"`` is a plain ``str`` (for pyoxigraph and SPARQL
# text); ``NS.local`` / ``NS["local"]`` is an rdflib ``URIRef`` (for rdflib graphs). A ``URIRef`` never
# equals a ``str``, so pyoxigraph code compares IRIs with ``NS + "local"``.
HPKG = Namespace(PREFIXES["hpkg"])
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
OWL = Namespace(PREFIXES["owl"])
XSD = Namespace(PREFIXES["xsd"])
SH = Namespace(PREFIXES["sh"])
QB = Namespace(PREFIXES["qb"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
PROV = Namespace(PREFIXES["prov"])
VOID = Namespace(PREFIXES["void"])
SD = Namespace(PREFIXES["sd"])

# Vocabularies of the linkset and the catalog (hpkg.opendata) that the graph's own Turtle does not declare.
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
#: The EU Publications Office authority tables (``…/country/VNM``, ``…/language/VIE``, ``…/file-type/…``).
EU_AUTHORITY = Namespace("http://publications.europa.eu/resource/authority/")
#: Wikidata entities (``wd:Q881``).
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

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
    short = conv.compress(iri, strict=False, passthrough=False)
    if short is None or short.endswith(":"):
        return iri
    return short


def prefix_subset(*names: str) -> dict[str, str]:
    """The entries of :data:`PREFIXES` called ``names`` (for a document that declares only a few)."""
    return {name: PREFIXES[name] for name in names}


def sparql_prologue(prefixes: Mapping[str, str] | None = None) -> str:
    """``PREFIX p: <ns>`` lines for a SPARQL query (none or empty: every prefix of :data:`PREFIXES`)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or PREFIXES).items())
