"""SHACL property paths as SPARQL property paths, and how a result path is written in a report key."""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from hpkg.namespaces import SH


class Unsupported(Exception):
    """A shape uses a feature the compiler does not translate (it goes to pyshacl)."""


def nt(term: Node) -> str:
    """An rdflib term in SPARQL/N-Triples syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise Unsupported(f"a blank node as a constant: {term}")


def path_sparql(g: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise Unsupported(f"bad path {path!r}")
    if (path, RDF.first, None) in g:
        items = list(Collection(g, path))
        return "(" + "/".join(path_sparql(g, p) for p in items) + ")"
    for pred, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = g.value(path, pred)
        if inner is not None:
            s = path_sparql(g, inner)
            return fmt.format(s if s.startswith(("<", "(")) else f"({s})")
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_sparql(g, p) for p in Collection(g, alt)) + ")"
    raise Unsupported(f"unknown path form {path}")


def path_key(g: Graph, path: Node | None) -> str | None:
    """How a result path is written in :meth:`Violation.key`: the IRI, or the SPARQL form of a complex path."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    try:
        return path_sparql(g, path)
    except Unsupported:
        return str(path)

