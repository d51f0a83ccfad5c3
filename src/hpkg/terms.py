"""Conversions between pyoxigraph terms (the engine) and rdflib terms (pyshacl, owlready2 glue)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from hpkg.namespaces import XSD

_XSD_STRING = XSD + "string"

#: An RDF term as hpkg handles it in pyoxigraph (hpkg's data holds no RDF 1.2 triple terms).
Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal


def term_value(term: Term | ox.Triple) -> str:
    """A named node's IRI, a blank node's id, a literal's text; a triple term's N-Triples form."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def to_rdflib(term: Term | ox.Triple) -> URIRef | BNode | Literal:
    """One pyoxigraph term as an rdflib term (rdflib has no triple terms: :class:`TypeError`)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Term:
    """One rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph_triple(s: Node, p: Node, o: Node) -> ox.Triple:
    """One rdflib triple as a pyoxigraph triple (:class:`TypeError` for a literal subject or a non-IRI predicate)."""
    subject, predicate = to_oxigraph(s), to_oxigraph(p)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
    return ox.Triple(subject, predicate, to_oxigraph(o))


def quads_to_graph(quads: Iterable[ox.Quad], graph: Graph | None = None) -> Graph:
    """Merge the triples of ``quads`` (graph names dropped) into an rdflib graph."""
    g = graph if graph is not None else Graph()
    add = g.add
    for q in quads:
        add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g

