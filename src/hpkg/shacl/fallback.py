"""Shapes the compiler leaves to pyshacl, validated on what they can read — never on a copy of the whole store.

A shape goes to pyshacl (``CompiledShapes.fallback``, with the reason in ``CompiledShapes.reasons``) when the
compiler cannot translate it faithfully. pyshacl then gets, per such shape:

* **the shape's focus nodes**, computed in the store (its targets as SPARQL, as the compiler writes them) and
  given to pyshacl as ``sh:targetNode`` in place of the shape's own targets (so the subgraph cannot make a
  node a target that is none in the store);
* **the triples the shape can read from them**: every triple *out of* a node within the shape's reach, and
  the triples *into* it along the predicates the shape reads backwards, where the reach is the set of nodes
  ``?this (F | ^I){0,L} ?x`` with F/I the predicates the shape reads forwards/backwards and L the longest walk
  from its focus node to a read (:func:`hpkg.shacl.incremental.shape_reach`: its paths, those of the shapes it
  nests, ``sh:class``/``sh:targetClass`` through ``rdf:type``, and the triple patterns and property paths of
  its SHACL-SPARQL queries from their parsed algebra), plus every ``rdfs:subClassOf`` triple.

Why that is enough: evaluating a shape on a focus node f reads only triples met walking from f along F
forwards and I backwards, at most L steps (the argument is the incremental validator's, which checks the same
reach); each such triple is out of a node of the reach (read forwards) or into one along a predicate of I.
Taking *all* the triples out of a reached node (not only along F) covers ``sh:closed`` and is a superset,
and a superset of what a shape reads gives pyshacl the same answer. The subgraph is built by one CONSTRUCT
in the store, so it works on a remote SPARQL store too.

When the reach cannot be analysed (``wildcard``: a variable predicate, a custom constraint component, a
pattern not connected to ``$this``…) or the targets cannot be written in SPARQL, the shape is validated on
the whole data — said so in the warning. Every fallback logs a warning (``hpkg.shacl.fallback``; Python's
default handler prints it on stderr, so the CLI shows it) naming the shape, why it fell back and how much
data pyshacl got.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from hpkg.namespaces import SH
from hpkg.shacl.compiler import STORE_NORMALISED_DATATYPES, CompiledShapes, fallback_shapes_graph
from hpkg.shacl.paths import Unsupported, nt
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.report import Violation
from hpkg.store import OxigraphStore, Store
from hpkg.terms import to_rdflib

log = logging.getLogger(__name__)
_Term = ox.NamedNode | ox.BlankNode | ox.Literal

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_SUBCLASS = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


@dataclass
class FallbackInput:
    """What pyshacl gets for one shape: the data, the shapes graph (that shape's targets only), and how."""

    shape: Node
    reason: str
    data: Graph
    shapes: Graph
    focus: int | None  # None: the shape kept its own targets (validated on the whole data)
    bounded: bool


def target_query(compiled: CompiledShapes, node: Node) -> str | None:
    """``SELECT DISTINCT ?this`` over the shape's targets (None when they cannot be written in SPARQL)."""
    g = compiled.graph
    groups: list[str] = []
    prefixes: dict[str, str] = {}
    try:
        for t in g.objects(node, SH.target):
            select = g.value(t, SH.select)
            if select is None or (t, RDF.type, SH.SPARQLTargetType) in g:
                return None
            for ont in g.objects(t, SH.prefixes):
                for decl in g.objects(ont, SH.declare):
                    pfx, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                    if pfx is not None and ns is not None:
                        if prefixes.setdefault(str(pfx), str(ns)) != str(ns):
                            return None
            groups.append("{ " + str(select).strip() + " }")
        classes = list(g.objects(node, SH.targetClass))
        if any((node, RDF.type, c) in g for c in (RDFS.Class, OWL.Class)):
            classes.append(node)  # an implicit class target
        groups += [f"?this {_SUBCLASS} {nt(c)} ." for c in classes]
        nodes = list(g.objects(node, SH.targetNode))
        if nodes:
            groups.append("VALUES ?this { " + " ".join(nt(n) for n in nodes) + " }")
        groups += [f"?this {nt(p)} [] ." for p in g.objects(node, SH.targetSubjectsOf)]
        groups += [f"[] {nt(p)} ?this ." for p in g.objects(node, SH.targetObjectsOf)]
    except Unsupported:  # a blank node where a constant is needed
        return None
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    if not groups:
        return f"{head}SELECT DISTINCT ?this WHERE {{ FILTER(false) }}"
    return f"{head}SELECT DISTINCT ?this WHERE {{ " + " UNION ".join(f"{{ {x} }}" for x in groups) + " }"


def _reach_query(focus_query: str, forward: list[str], inverse: list[str], depth: int | None) -> tuple[str, str]:
    """The CONSTRUCT of the triples out of (and, along ``inverse``, into) every node within the shape's reach."""
    head, _, select = focus_query.partition("SELECT DISTINCT ?this WHERE ")
    steps = [f"<{p}>" for p in forward] + [f"^<{p}>" for p in inverse]
    if not steps or depth == 0:
        walk = "BIND(?this AS ?x)"
    else:
        step = "(" + "|".join(steps) + ")"
        path = f"{step}*" if depth is None else "/".join([f"{step}?"] * depth)
        walk = f"?this {path} ?x"
    reached = f"{{ SELECT DISTINCT ?x WHERE {{ {{ SELECT DISTINCT ?this WHERE {select} }} {walk} }} }}"
    into = ""
    if inverse:
        into = " UNION { VALUES ?ip { " + " ".join(f"<{p}>" for p in inverse) + " } ?s ?ip ?x }"
    data = f"{head}CONSTRUCT {{ ?x ?p ?o . ?s ?ip ?x }} WHERE {{ {reached} {{ ?x ?p ?o }}{into} }}"
    hierarchy = f"CONSTRUCT {{ ?a <{RDFS.subClassOf}> ?b }} WHERE {{ ?a <{RDFS.subClassOf}> ?b }}"
    return data, hierarchy


def _graph(triples: list[ox.Triple], into: Graph | None = None) -> Graph:
    g = into if into is not None else Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


def _own_targets(compiled: CompiledShapes, *nodes: Node) -> Graph:
    """The shapes graph in which only ``nodes`` keep their targets."""
    g = fallback_shapes_graph(compiled)
    keep = set(nodes)
    for s, p, o in list(g):
        if p in _TARGETS and s not in keep:
            g.remove((s, p, o))
    return g


def fallback_input(compiled: CompiledShapes, node: Node, store: Store, *,
                   focus: list[_Term] | None = None) -> FallbackInput:
    """The data and shapes pyshacl gets for the fallback shape ``node`` over ``store`` (which holds the
    ontology, as :func:`hpkg.shacl.runner.validate_fast` arranges). ``focus``: the focus nodes, when the caller
    knows them (the incremental validator: those a write can affect); default: the shape's targets."""
    from hpkg.shacl.incremental import _shape_subgraph, shape_reach  # incremental imports the compiler too

    reason = compiled.reasons.get(node, "not compiled")
    reach = shape_reach(compiled, node)
    targets = target_query(compiled, node)
    if reach.wildcard is not None or (targets is None and focus is None):
        why = reach.wildcard or "its targets cannot be written in SPARQL"
        return FallbackInput(node, f"{reason}; what it reads cannot be bounded ({why})", store.to_rdflib_graph(),
                             _own_targets(compiled, node), None, False)

    def rows(q: str) -> list[_Term]:
        return [t for r in store.query(q).rows() if isinstance(t := r.get("this"), ox.NamedNode | ox.BlankNode |
                                                                 ox.Literal)]

    nodes = focus if focus is not None else rows(targets or "")
    if not nodes:
        return FallbackInput(node, reason, Graph(), Graph(), 0, True)
    shapes = Graph()
    for triple in _shape_subgraph(compiled, node):
        shapes.add(triple)
    forward, inverse = sorted(reach.forward), sorted(reach.inverse)
    if isinstance(store, OxigraphStore):
        data = _walk(store.engine, nodes, forward, inverse, reach.depth)
        explicit = True
    else:  # a remote store: one CONSTRUCT from the targets (blank nodes cannot be sent back in a query)
        data_q, hierarchy_q = _reach_query(targets or "", forward, inverse, reach.depth)
        data = _graph(store.query(data_q).triples())
        _graph(store.query(hierarchy_q).triples(), data)
        # a remote store's blank node labels hold within one answer only: then keep the shape's own targets
        explicit = not any(isinstance(n, ox.BlankNode) for n in nodes)
    if explicit:
        for n in nodes:
            shapes.add((node, SH.targetNode, to_rdflib(n)))
    else:
        for p, o in compiled.graph.predicate_objects(node):
            if p in _TARGETS:
                shapes.add((node, p, o))
    return FallbackInput(node, reason, data, shapes, len(nodes), True)


def _walk(store: ox.Store, nodes: list[_Term], forward: list[str], inverse: list[str], depth: int | None) -> Graph:
    """The triples out of (and, along ``inverse``, into) every node within ``depth`` steps of ``nodes``,
    walking ``forward`` predicates forwards and ``inverse`` ones backwards; and every rdfs:subClassOf."""
    fwd = [ox.NamedNode(p) for p in forward]
    inv = [ox.NamedNode(p) for p in inverse]
    seen: set[_Term] = set(nodes)
    frontier: list[_Term] = list(nodes)
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        nxt: list[_Term] = []
        for n in frontier:
            found: list[_Term] = []
            if not isinstance(n, ox.Literal):
                found += [o for p in fwd for q in store.quads_for_pattern(n, p, None, None)
                          if isinstance(o := q.object, ox.NamedNode | ox.BlankNode | ox.Literal)]
            found += [s for p in inv for q in store.quads_for_pattern(None, p, n, None)
                      if isinstance(s := q.subject, ox.NamedNode | ox.BlankNode)]
            for x in found:
                if x not in seen:
                    seen.add(x)
                    nxt.append(x)
        frontier = nxt
    g = Graph()
    add = g.add
    for x in seen:
        quads = [] if isinstance(x, ox.Literal) else list(store.quads_for_pattern(x, None, None, None))
        quads += [q for p in inv for q in store.quads_for_pattern(None, p, x, None)]
        for q in quads:
            add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None):
        add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def reads_stored_datatypes(compiled: CompiledShapes, node: Node) -> bool:
    """Whether the shape (or one it nests) tests a datatype the store normalises (``xsd:positiveInteger``…)."""
    from hpkg.shacl.incremental import _shape_subgraph

    return any(p == SH.datatype and o in STORE_NORMALISED_DATATYPES for _, p, o in _shape_subgraph(compiled, node))


def validate_fallback(compiled: CompiledShapes, store: Store, *, ontology: Graph,
                      parsed: Callable[[], Graph] | None = None) -> list[Violation]:
    """pyshacl's results for every fallback shape, each on what it can read (see the module's docstring).

    ``parsed``: the data as parsed from files (the store normalised some literals): the fallback shapes that test
    a datatype the store normalises are validated on it, whole; the others like any fallback shape, in the store.
    """
    out: list[Violation] = []
    exact = [n for n in compiled.fallback if parsed is not None and reads_stored_datatypes(compiled, n)]
    if exact and parsed is not None:
        data = parsed()
        for node in exact:
            log.warning("hpkg: shape %s is validated by pyshacl, not compiled (%s): on the %d triples of the files as "
                        "parsed (it tests a datatype the store would have normalised)", _name(node),
                        compiled.reasons.get(node, "not compiled"), len(data))
        out.extend(validate_graph(data, shapes=_own_targets(compiled, *exact), ontology=ontology).violations)
    for node in compiled.fallback:
        if node in exact:
            continue
        run = fallback_input(compiled, node, store)
        if run.bounded:
            log.warning("hpkg: shape %s is validated by pyshacl, not compiled (%s): on its %d focus nodes and the "
                        "%d triples its paths and queries can reach", _name(node), run.reason, run.focus or 0,
                        len(run.data))
        else:
            log.warning("hpkg: shape %s is validated by pyshacl, not compiled (%s): on all %d triples",
                        _name(node), run.reason, len(run.data))
        if run.focus == 0:
            continue
        out.extend(validate_graph(run.data, shapes=run.shapes, ontology=ontology).violations)
    return out


def _name(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else str(node)
