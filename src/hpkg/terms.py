"""Conversions between pyoxigraph terms (the engine) and rdflib terms (pyshacl, owlready2 glue)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from hpkg.namespaces import XSD

_XSD_STRING = XSD + "string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> Node | None:
    """One pyoxigraph term as an rdflib term (``None`` for the default graph)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
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


def quads_to_graph(quads: Iterable[ox.Quad], graph: Graph | None = None) -> Graph:
    """Merge the triples of ``quads`` (graph names dropped) into an rdflib graph."""
    g = graph if graph is not None else Graph()
    add = g.add
    for q in quads:
        add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g

