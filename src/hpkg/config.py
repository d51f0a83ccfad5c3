"""Where things are and what they are called: project folders, base IRI, graph names, namespaces."""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Namespace

ONTOLOGY_IRI = "https://w3id.org/hpkg/ontology"
HPKG = Namespace(ONTOLOGY_IRI + "#")
DEFAULT_BASE = "https://w3id.org/hpkg/id/"
DEFAULT_STORE = ".hpkg/store"

#: Prefixes used when writing Turtle/TriG and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "hpkg": str(HPKG),
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


def project_root() -> Path:
    """The folder holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``.

    ``HPKG_HOME`` wins; otherwise the checkout this package was installed from; otherwise the
    current directory.
    """
    env = os.environ.get("HPKG_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "ontology" / "hpkg.ttl").is_file():
        return here
    return Path.cwd()


def base_iri() -> str:
    """The base of every entity IRI in the graph (``HPKG_BASE``, default ``https://w3id.org/hpkg/id/``)."""
    base = os.environ.get("HPKG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def graph_iri(name: str, base: str | None = None) -> str:
    """The IRI of one of the store's named graphs: ``data``, ``meta`` … (the ontology has its own IRI)."""
    return f"{base or base_iri()}graph/{name}"
