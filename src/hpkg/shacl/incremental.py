"""Incremental validation of a write: each shape is validated only on the focus nodes the write can affect.

Model: RDF4J's ShaclSail (validate a transaction by its effect). Given the after-state (a private view,
:mod:`hpkg.store.snapshot`) and the net effect Δ = Δ+ ∪ Δ− of the write (:mod:`hpkg.shacl.delta`):

**What a shape reads.** Evaluating a shape on a focus node reads triples by walking from the focus node along
a set of *directed predicates*: F (read forward, subject → object) and I (read backward, object → subject),
collected from the shapes graph (:func:`shape_reach`): the paths of the shape and of every shape it nests
(``sh:property``, ``sh:node``, ``sh:and/or/not/xone``, ``sh:qualifiedValueShape``, recursively); ``sh:class``
and ``sh:targetClass`` read ``rdf:type`` and ``rdfs:subClassOf`` forward; ``sh:targetSubjectsOf p`` reads p
forward, ``sh:targetObjectsOf p`` backward; ``sh:equals/disjoint/lessThan/lessThanOrEquals p`` read p forward;
``sh:closed`` reads every outgoing triple of the nodes it checks; SHACL-SPARQL constraints and SPARQL targets
read the triple patterns and property paths of their parsed algebra (rdflib's ``prepareQuery``; never regexes
on the text): a pattern is read from its end nearer to ``$this`` in the query's join graph (terms linked by
patterns, breadth-first distance) — ``$this p ?x`` forward only, ``C p ?x`` with ``?x`` nearer backward only,
a pattern whose ends are equally near both ways — because a solution binds ``$this`` to the focus node and
maps a shortest chain of patterns from ``$this`` onto data edges walked in exactly those directions. A shape is a
*wildcard* (validated in full) when that cannot be analysed: a
variable predicate, a negated property set, a pattern not connected to ``$this`` through other patterns
(it joins by value, e.g. in a FILTER), ``SERVICE``, ``$shapesGraph``, or a component this module does not know.

**Which focus nodes.** For a shape and a changed triple e = (s p o): s is a *relevant endpoint* if p ∈ F (or the
shape is closed), o if p ∈ I. The affected focus nodes are the shape's targets ∩ { ?this | ?this (F | ^I){0,L} ?u }
for u a relevant endpoint, evaluated on the after-state (``VALUES ?u``, chunked), where L (:attr:`Reach.depth`)
is the farthest a shape reads from its focus node: the lengths of its paths and of the paths of what it nests,
plus the longest chain of patterns of its SPARQL queries (``*`` where a path is unbounded). ``rdfs:subClassOf``
(read by ``sh:class`` and ``sh:targetClass``) is not walked: a write that changes it is validated in full.
Which of those nodes are targets is found by index look-ups on each candidate, never by a query over a shape's
targets (whose cost grows with the store while the candidates are a handful): its ``rdf:type`` in every graph
against the subclass set of each target class (the hierarchy read once per write), ``sh:targetNode`` as a set,
``sh:targetSubjectsOf/ObjectsOf p`` as one quad with the candidate as subject or object; a SPARQL target is
asked with ``?this`` pre-bound to the candidate where that gives the same answer. The targets found are exact,
so the compiled queries get them as ``VALUES`` alone (blank nodes and literals are joined with the targets
again: an anchor binds a superset, and the store may have normalised a literal).

**SHACL-SPARQL at the focus node: patterns, not walks.** The walk treats a query's patterns one by one, so a
query that joins ``$this`` to other nodes through a shared value (``$this refArea ?a . ?y refArea ?a``) walks
through the hub ``?a`` to every node that shares it and the shape is validated in full. The SHACL-SPARQL
constraints and SPARQL targets evaluated on the focus node itself (the top shape's, its property shapes', what a
node shape nests without a path) are therefore taken out of the walk (``shape_reach(…, split=True)``) and
inverted as whole queries by :mod:`hpkg.shacl.affected`: their affected focus nodes are the answers of each
matched pattern's relaxed query, asked of the after-state for inserted triples and of the store before the
write for deleted ones (``before``; without it, a deletion those queries read validates the shape in full).
A query that cannot be inverted is walked as before.

**Why after-state reachability is sound, deletions included.** Say the result of focus node f differs between
the before-state B and the after-state A. Then f's evaluation (in B or in A) reads a changed triple: it walks
from f to the relevant endpoint u of that triple along F/I edges. Among all changed triples read in B or A, take
one whose walk is shortest; no edge on that walk is a changed triple (it would be read, and nearer). So every
edge of the walk is unchanged: in B and in A alike, and it is at most L edges long. Hence f reaches u in A, and
f is found. A deleted edge
(s p o) has both endpoints recorded in Δ−, so it contributes its relevant endpoints like an inserted one; the
walk to them does not use the deleted edge (that would be a shorter changed edge), so it exists in A. Walks
pass through literals (``?x p "v" ^q ?y``), so literal endpoints are kept.

Blank nodes cannot be written in SPARQL: a blank node u (a relevant endpoint, or an affected focus node) is
given by an *anchor* pattern that binds a superset of it (the named node and predicate it hangs off, up to a
few blank levels, or its own outgoing triple); a superset of the focus nodes is always sound (every node
validated is a real target, checked on the real after-state). The template blank nodes of the update
are not the view's (Oxigraph made its own): they are matched to the view's blank nodes by the triples that
connect them to the named nodes of Δ+; a new blank node connected to nothing named makes the write validated
in full.

Shapes left to pyshacl (``compiled.fallback``): pyshacl gets only the affected focus nodes (as
``sh:targetNode``) and the triples its reads can reach from them (CONSTRUCT over the shape's predicates), with
the ontology — never a copy of the store (unless the shape is a wildcard).

What is reported: the violations of the affected focus nodes in the after-state. When the store conformed
before, that equals a full validation of the after-state (the tests check it); violations already in the store
on nodes the write does not affect are not reported (the write is not blamed for them).
"""

from __future__ import annotations

import itertools
import logging
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from hpkg.errors import HpkgError
from hpkg.namespaces import ONTOLOGY_IRI, SH, sparql_prologue
from hpkg.shacl.affected import NotAnalysable, QueryPatterns, affected, analyse
from hpkg.shacl.compiler import (
    NON_CONSTRAINT,
    SUPPORTED,
    CompiledShapes,
    compile_shapes,
    shape_results,
    with_subclass_sets,
)
from hpkg.shacl.delta import Delta
from hpkg.shacl.paths import Unsupported, path_sparql
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.report import ValidationReport, Violation, report_graph
from hpkg.shacl.sparql import substitutable
from hpkg.store import OxigraphStore
from hpkg.terms import to_oxigraph, to_oxigraph_triple

Term = ox.NamedNode | ox.BlankNode | ox.Literal
log = logging.getLogger(__name__)

#: VALUES rows per query.
CHUNK = 400
#: Relevant endpoints above this: the shape is validated in full (cheaper than walking from them all).
ENDPOINT_LIMIT = 20_000
#: Quads an inverted SHACL-SPARQL query (:mod:`hpkg.shacl.affected`) may read per write before the shape is
#: validated in full instead.
PATTERN_BUDGET = 200_000
#: Nodes within the shape's reach above this: the shape is validated in full (a walk through hubs such as an
#: area or a period shared by thousands of observations costs more than checking the shape's targets).
WALK_LIMIT = 3_000


# ------------------------------------------------------------------------------------------- what a shape reads


@dataclass
class Reach:
    """The directed predicates a shape reads (IRIs), whether it is closed, and why it is a wildcard (if it is)."""

    forward: set[str] = field(default_factory=set)
    inverse: set[str] = field(default_factory=set)
    closed: bool = False
    wildcard: str | None = None
    #: The longest walk (in edges) from the focus node to where the shape reads a triple; None: unbounded.
    depth: int | None = 0
    #: With ``split``: the SHACL-SPARQL queries evaluated on the focus node itself (its constraints, its property
    #: shapes', its SPARQL targets) whose patterns are inverted (:mod:`hpkg.shacl.affected`) instead of walked.
    queries: list[QueryPatterns] = field(default_factory=list)

    def path(self) -> str | None:
        """The SPARQL path ``(F | ^I)`` (None when the shape reads no predicate)."""
        steps = [f"<{p}>" for p in sorted(self.forward)] + [f"^<{p}>" for p in sorted(self.inverse)]
        return "(" + "|".join(steps) + ")" if steps else None


_SHAPE_LINKS = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_COMPARE_PROPS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
_KNOWN = SUPPORTED | NON_CONSTRAINT | {SH.qualifiedValueShapesDisjoint, SH.select, SH.prefixes}


def _path_dirs(g: Graph, path: Node, reach: Reach, inverse: bool = False) -> None:
    """Add the directed predicates of a SHACL path (``inverse`` flips them)."""
    if isinstance(path, URIRef):
        (reach.inverse if inverse else reach.forward).add(str(path))
        return
    if (path, RDF.first, None) in g:
        for p in Collection(g, path):
            _path_dirs(g, p, reach, inverse)
        return
    inner = g.value(path, SH.inversePath)
    if inner is not None:
        _path_dirs(g, inner, reach, not inverse)
        return
    for pred in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = g.value(path, pred)
        if inner is not None:
            _path_dirs(g, inner, reach, inverse)
            return
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        for p in Collection(g, alt):
            _path_dirs(g, p, reach, inverse)
        return
    reach.wildcard = f"unknown path form {path}"


def _prefix_lines(g: Graph, node: Node) -> str:
    lines = set()
    for ont in g.objects(node, SH.prefixes):
        for decl in g.objects(ont, SH.declare):
            pfx, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if pfx is not None and ns is not None:
                lines.add(f"PREFIX {pfx}: <{ns}>")
    return "\n".join(sorted(lines))


def _sparql_reads(text: str, reach: Reach) -> int | None:
    """Add what a SHACL-SPARQL query (``$this`` already ``?this``) reads, from its parsed algebra; the longest
    walk from ``?this`` to a read (None: unbounded, a ``*`` or ``+`` path on the way)."""
    try:
        algebra = prepareQuery(text).algebra
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds; any of them: cannot analyse
        reach.wildcard = f"cannot parse a SHACL-SPARQL query: {e}"
        return None
    patterns: list[tuple[object, object, object]] = []
    scopes = itertools.count(1)

    def name(term: object, rename: dict[str, str]) -> object:
        if isinstance(term, Variable | BNode):
            key = str(term)
            return ("v", rename.get(key, key))
        return ("c", term)

    def walk(node: object, rename: dict[str, str], top: bool) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                reach.wildcard = "SERVICE in a SHACL-SPARQL query"
                return
            if node.name == "Project" and not top:
                # A sub-select: its variables are its own, except those it projects.
                keep = {str(v) for v in dict.get(node, "PV") or []}
                scope = next(scopes)
                inner = dict(rename)
                for v in dict.get(node, "_vars") or []:
                    if str(v) not in keep:
                        inner[str(v)] = f"{v}@{scope}"
                walk(dict.get(node, "p"), inner, False)
                return
            if node.name in ("BGP", "TriplesBlock"):
                for t in dict.get(node, "triples") or []:
                    s, p, o = t
                    patterns.append((name(s, rename), p if not isinstance(p, Variable) else name(p, rename),
                                     name(o, rename)))
            for k, v in node.items():
                if k in ("_vars", "triples", "PV"):
                    continue
                walk(v, rename, top and node.name in ("SelectQuery",))
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v, rename, top)

    walk(algebra, {}, True)
    if reach.wildcard:
        return None
    # The query's join graph: terms (variables, constants) linked by the patterns, a pattern as long as its
    # path. A pattern is read from its end nearer to ?this: a solution binds ?this to the focus node, and the
    # images of a shortest chain of patterns from ?this are data edges walked in the directions given to them.
    this = ("v", "this")
    weights: list[int | None] = [_path_length(p) for _, p, _ in patterns]
    links: dict[object, list[tuple[object, int | None]]] = {}
    for (a, _, b), w in zip(patterns, weights, strict=True):
        links.setdefault(a, []).append((b, w))
        links.setdefault(b, []).append((a, w))
    inf = 10**9
    dist: dict[object, int] = {this: 0}
    frontier: list[object] = [this]
    while frontier:  # Bellman-Ford style relaxation: the graphs are a few dozen terms
        nxt: list[object] = []
        for x in frontier:
            for y, w in links.get(x, ()):
                d = inf if w is None or dist[x] >= inf else dist[x] + w
                if d < dist.get(y, inf + 1):
                    dist[y] = d
                    nxt.append(y)
        frontier = nxt
    depth: int | None = 0
    for (s, p, o), w in zip(patterns, weights, strict=True):
        if isinstance(p, tuple) or isinstance(p, NegatedPath):
            reach.wildcard = "a variable predicate or a negated property set in a SHACL-SPARQL query"
            return None
        if isinstance(p, CompValue):
            reach.wildcard = "an unanalysed property path in a SHACL-SPARQL query"
            return None
        if s not in dist:
            reach.wildcard = "a SHACL-SPARQL pattern not connected to $this"
            return None
        sub = Reach()
        _sparql_path(p, sub, False)
        if sub.wildcard:
            reach.wildcard = sub.wildcard
            return None
        if dist[s] <= dist[o]:  # read from the subject side
            reach.forward |= sub.forward
            reach.inverse |= sub.inverse
        if dist[o] <= dist[s]:  # read from the object side
            reach.forward |= sub.inverse
            reach.inverse |= sub.forward
        near = min(dist[s], dist[o])
        if w is None or near >= inf:
            depth = None
        elif depth is not None:
            depth = max(depth, near + w - 1)
    return depth


def _path_length(p: object) -> int | None:
    """The most edges a SPARQL path walks (None: unbounded); a variable predicate counts one."""
    if isinstance(p, SequencePath):
        lengths = [_path_length(a) for a in p.args]
        return None if None in lengths else sum(x for x in lengths if x is not None)
    if isinstance(p, AlternativePath):
        lengths = [_path_length(a) for a in p.args]
        return None if None in lengths else max(x for x in lengths if x is not None)
    if isinstance(p, InvPath):
        return _path_length(p.arg)
    if isinstance(p, MulPath):
        return _path_length(p.path) if p.mod == "?" else None
    return 1


def _shacl_path_length(g: Graph, path: Node) -> int | None:
    """The most edges a SHACL path walks (None: unbounded)."""
    if isinstance(path, URIRef):
        return 1
    if (path, RDF.first, None) in g:
        lengths = [_shacl_path_length(g, x) for x in Collection(g, path)]
        return None if None in lengths else sum(x for x in lengths if x is not None)
    inner = g.value(path, SH.inversePath)
    if inner is not None:
        return _shacl_path_length(g, inner)
    inner = g.value(path, SH.zeroOrOnePath)
    if inner is not None:
        return _shacl_path_length(g, inner)
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        lengths = [_shacl_path_length(g, x) for x in Collection(g, alt)]
        return None if None in lengths else max(x for x in lengths if x is not None)
    return None  # zeroOrMore / oneOrMore (or unknown: a wildcard already)


def _sparql_path(p: object, reach: Reach, inverse: bool) -> None:
    if isinstance(p, URIRef):
        (reach.inverse if inverse else reach.forward).add(str(p))
    elif isinstance(p, InvPath):
        _sparql_path(p.arg, reach, not inverse)
    elif isinstance(p, SequencePath | AlternativePath):
        for a in p.args:
            _sparql_path(a, reach, inverse)
    elif isinstance(p, MulPath):
        _sparql_path(p.path, reach, inverse)
    elif isinstance(p, Path):
        reach.wildcard = f"property path {p!r}"
    else:
        reach.wildcard = f"predicate {p!r}"


_REACH_CACHE: weakref.WeakKeyDictionary[CompiledShapes, dict[tuple[Node, bool], Reach]] = (
    weakref.WeakKeyDictionary())
_COMPILED_CACHE: weakref.WeakKeyDictionary[Graph, CompiledShapes] = weakref.WeakKeyDictionary()


def compiled_for(shapes: Graph) -> CompiledShapes:
    """The compiled shapes of ``shapes``, compiled once per shapes graph object (the server passes the same one)."""
    c = _COMPILED_CACHE.get(shapes)
    if c is None or len(c.graph) != len(shapes):
        c = _COMPILED_CACHE[shapes] = compile_shapes(shapes)
    return c


def shape_reach(compiled: CompiledShapes, node: Node, *, split: bool = False) -> Reach:
    """What the top-level shape ``node`` (and all it nests) reads (computed once per compiled shapes).

    With ``split``, the SHACL-SPARQL queries evaluated on the focus node itself are not walked but kept in
    :attr:`Reach.queries` (when their patterns can be inverted); the walk covers the rest of the shape."""
    cache = _REACH_CACHE.setdefault(compiled, {})
    key = (node, split)
    if key not in cache:
        cache[key] = _shape_reach(compiled, node, split)
    return cache[key]


def _analysed(text: str, split: bool, at_focus: bool, reach: Reach) -> bool:
    """Keep the query's patterns in ``reach.queries`` when it is evaluated on the focus node and analysable."""
    if not (split and at_focus):
        return False
    try:
        reach.queries.append(analyse(text))
    except NotAnalysable as e:
        log.debug("walking a SHACL-SPARQL query instead of inverting it: %s", e)
        return False
    return True


def _shape_reach(compiled: CompiledShapes, node: Node, split: bool = False) -> Reach:
    g = compiled.graph
    reach = Reach()
    sparql_depth: dict[Node, int | None] = {}
    seen: set[tuple[Node, bool]] = set()
    # (shape, whether it is evaluated on the focus node itself: the top shape, its property shapes, and what a
    # node shape nests without a path; the rest is evaluated on value nodes, further away)
    todo: list[tuple[Node, bool]] = [(node, True)]
    while todo and reach.wildcard is None:
        s, at_focus = todo.pop()
        if (s, at_focus) in seen:
            continue
        seen.add((s, at_focus))
        unknown = set(g.predicates(s, None)) - _KNOWN
        if unknown:
            reach.wildcard = f"components {sorted(map(str, unknown))}"
            break
        raw_path = g.value(s, SH.path)
        if raw_path is not None:
            _path_dirs(g, raw_path, reach)
        if (s, SH.targetClass, None) in g or (s, SH["class"], None) in g:
            # rdfs:subClassOf is read too, but a change to it makes the write validated in full (see plan())
            reach.forward.add(str(RDF.type))
        reach.forward |= {str(p) for p in g.objects(s, SH.targetSubjectsOf)}
        reach.inverse |= {str(p) for p in g.objects(s, SH.targetObjectsOf)}
        for pred in _COMPARE_PROPS:
            reach.forward |= {str(p) for p in g.objects(s, pred)}
        if (s, SH.closed, Literal(True)) in g:
            reach.closed = True
        for t in g.objects(s, SH.target):
            select = g.value(t, SH.select)
            if select is None:
                reach.wildcard = "a target type without sh:select"
                break
            text = _prefix_lines(g, t) + "\n" + str(select)
            if _analysed(text, split, at_focus and s == node, reach):
                continue
            d = _sparql_reads(text, reach)
            sparql_depth[s] = None if d is None or s in sparql_depth and sparql_depth[s] is None else max(
                d, sparql_depth.get(s) or 0)
        for c in g.objects(s, SH.sparql):
            if (c, SH.deactivated, Literal(True)) in g:
                continue
            select = g.value(c, SH.select)
            if select is None:
                reach.wildcard = "sh:sparql without sh:select"
                break
            text = re.sub(r"\$this\b", "?this", str(select))
            if raw_path is not None:
                text = re.sub(r"\$PATH\b", path_sparql(g, raw_path), text)
            if isinstance(s, URIRef):
                text = re.sub(r"\$currentShape\b", f"<{s}>", text)
            if re.search(r"\$(currentShape|shapesGraph|PATH)\b", text):
                reach.wildcard = "$currentShape/$shapesGraph/$PATH it cannot substitute"
                break
            if _analysed(_prefix_lines(g, c) + "\n" + text, split, at_focus, reach):
                continue
            d = _sparql_reads(_prefix_lines(g, c) + "\n" + text, reach)
            sparql_depth[s] = None if d is None or s in sparql_depth and sparql_depth[s] is None else max(
                d, sparql_depth.get(s) or 0)
        same = at_focus and raw_path is None  # a node shape's nested shapes see its focus node
        todo.extend((p, at_focus) for p in g.objects(s, SH.property))
        for pred in _SHAPE_LINKS:
            if pred != SH.property:
                todo.extend((n, same) for n in g.objects(s, pred))
        for pred in _SHAPE_LISTS:
            for lst in g.objects(s, pred):
                todo.extend((n, same) for n in Collection(g, lst))
    if reach.wildcard is None:
        reach.depth = _depth(g, node, 0, sparql_depth, ())
    return reach


def _depth(g: Graph, s: Node, k: int, sparql_depth: dict[Node, int | None], stack: tuple[Node, ...]) -> int | None:
    """The longest walk from the focus node to a read of shape ``s`` evaluated at distance ``k`` (None: unbounded).

    A shape reads along its path (up to the value nodes, at ``k`` + the path's length: ``sh:class`` reads their
    ``rdf:type`` there), at ``k`` (``sh:equals``…, ``sh:closed``, targets), at ``k`` + the walk of its SPARQL
    queries, and wherever the shapes it nests read, evaluated at the value nodes.
    """
    if s in stack:
        return None  # a recursive shape: no bound
    raw_path = g.value(s, SH.path)
    length = 0 if raw_path is None else _shacl_path_length(g, raw_path)
    if length is None:
        return None
    v = k + length
    best = v
    if s in sparql_depth:
        d = sparql_depth[s]
        if d is None:
            return None
        best = max(best, k + d)
    children = [(c, k) for c in g.objects(s, SH.property)]
    children += [(c, v) for pred in (SH.node, SH["not"], SH.qualifiedValueShape) for c in g.objects(s, pred)]
    children += [(c, v) for pred in _SHAPE_LISTS for lst in g.objects(s, pred) for c in Collection(g, lst)]
    for c, at in children:
        d = _depth(g, c, at, sparql_depth, (*stack, s))
        if d is None:
            return None
        best = max(best, d)
    return best


# ------------------------------------------------------------------------------------------------ blank nodes


def _sparql_term(t: ox.NamedNode | ox.Literal) -> str:
    return str(t)


def anchor(store: ox.Store, b: ox.BlankNode, var: str, depth: int = 0) -> str | None:
    """A pattern that binds ``?var`` to a superset of {b} (blank nodes cannot be written in SPARQL)."""
    for q in store.quads_for_pattern(None, None, b, None):
        if isinstance(q.subject, ox.NamedNode):
            return f"{_sparql_term(q.subject)} {_sparql_term(q.predicate)} ?{var} . FILTER(isBlank(?{var}))"
    if depth < 3:
        for q in store.quads_for_pattern(None, None, b, None):
            if isinstance(q.subject, ox.BlankNode) and q.subject != b:
                up = anchor(store, q.subject, f"{var}_{depth}", depth + 1)
                if up is not None:
                    return f"{up} ?{var}_{depth} {_sparql_term(q.predicate)} ?{var} . FILTER(isBlank(?{var}))"
    best: ox.Quad | None = None
    for q in store.quads_for_pattern(b, None, None, None):
        if isinstance(q.object, ox.Literal | ox.NamedNode) and (best is None or isinstance(q.object, ox.Literal)):
            best = q
            if isinstance(q.object, ox.Literal) and q.predicate.value != str(RDF.type):
                break
    if best is not None:
        return (f"?{var} {_sparql_term(best.predicate)} {_sparql_term(best.object)} . "  # type: ignore[arg-type]
                f"FILTER(isBlank(?{var}))")
    return None


def match_fresh(view: ox.Store, delta: Delta) -> dict[ox.BlankNode, set[ox.BlankNode]] | None:
    """For each template blank node of Δ+, the view's blank nodes it may be; None if one hangs off nothing named."""
    fresh = {b for q in delta.inserted for b in (q.subject, q.object) if b in delta.fresh}
    if not fresh:
        return {}
    # keys and sources are fresh blank nodes (checked with ``in fresh``), typed loosely as quad positions are
    cands: dict[Any, set[Any]] = {}
    edges = [q for q in delta.inserted if q.subject in fresh or q.object in fresh]
    changed = True
    while changed:
        changed = False
        for q in edges:
            s, p, o = q.subject, q.predicate, q.object
            if s in fresh and o not in fresh or s in fresh and o in cands:
                sources: list[Any] = [o] if o not in fresh else list(cands[o])
                found = {x.subject for src in sources for x in view.quads_for_pattern(None, p, src, None)
                         if isinstance(x.subject, ox.BlankNode)}
                if s not in cands or not found <= cands[s]:
                    cands[s] = cands.get(s, set()) | found
                    changed = True
            if o in fresh and s not in fresh or o in fresh and s in cands:
                sources = [s] if s not in fresh else list(cands[s])
                found = {x.object for src in sources for x in view.quads_for_pattern(src, p, None, None)
                         if isinstance(x.object, ox.BlankNode)}
                if o not in cands or not found <= cands[o]:
                    cands[o] = cands.get(o, set()) | found
                    changed = True
    if set(cands) != fresh:
        return None
    return cands


# -------------------------------------------------------------------------------------------------- validation


@dataclass
class Plan:
    """How a write is validated: per shape, the affected focus nodes (None = in full), and why."""

    full: str | None = None
    shapes: dict[Node, list[Term] | None] = field(default_factory=dict)
    reasons: dict[Node, str] = field(default_factory=dict)


def _values(var: str, terms: Iterable[Term]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(str(t) for t in terms) + " }"


def _alternatives(var: str, named: list[Term], anchors: list[str]) -> list[str]:
    """Groups binding ``?var``, each in braces: VALUES chunks for named terms and literals, one group per
    blank-node anchor."""
    groups = [_values(var, named[i : i + CHUNK]) for i in range(0, len(named), CHUNK)]
    groups.extend(anchors)
    return [g if g.startswith("{") else "{ " + g + " }" for g in groups]


_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))


@dataclass(frozen=True)
class SelectTarget:
    """A SPARQL target (``sh:target [ sh:select … ]``): its ``SELECT``, the ``PREFIX`` lines it is read with,
    and whether it may be asked with ``?this`` pre-bound (:func:`hpkg.shacl.sparql.substitutable`)."""

    prologue: str
    select: str
    prebind: bool


@dataclass(frozen=True)
class TargetSpec:
    """A top-level shape's targets, in the form a few candidates are tested with (:meth:`IncrementalValidator.
    _affected`); ``opaque``: a target form not listed here (the shape is then validated in full)."""

    classes: tuple[str, ...] = ()
    nodes: frozenset[Term] = frozenset()
    subjects_of: tuple[ox.NamedNode, ...] = ()
    objects_of: tuple[ox.NamedNode, ...] = ()
    selects: tuple[SelectTarget, ...] = ()
    opaque: bool = False


_SPEC_CACHE: weakref.WeakKeyDictionary[CompiledShapes, dict[Node, TargetSpec]] = weakref.WeakKeyDictionary()


def target_spec(compiled: CompiledShapes, node: Node) -> TargetSpec:
    """The targets of the top-level shape ``node`` (compiled or left to pyshacl), read once per compiled shapes:
    the same as the compiler's target patterns (:meth:`hpkg.shacl.compiler.CompiledShapes._compile`), plus the
    implicit class target of a shape that is also a class."""
    cache = _SPEC_CACHE.setdefault(compiled, {})
    if node not in cache:
        cache[node] = _target_spec(compiled, node)
    return cache[node]


def _target_spec(compiled: CompiledShapes, node: Node) -> TargetSpec:
    g = compiled.graph
    classes = list(g.objects(node, SH.targetClass))
    if any((node, RDF.type, c) in g for c in (RDFS.Class, OWL.Class)):
        classes.append(node)
    if not all(isinstance(c, URIRef) for c in classes):
        return TargetSpec(opaque=True)
    try:
        nodes = frozenset(to_oxigraph(n) for n in g.objects(node, SH.targetNode))
    except TypeError:
        return TargetSpec(opaque=True)
    preds = [list(g.objects(node, p)) for p in (SH.targetSubjectsOf, SH.targetObjectsOf)]
    if not all(isinstance(p, URIRef) for ps in preds for p in ps):
        return TargetSpec(opaque=True)
    head = sparql_prologue(dict(sorted(compiled.prefixes.items()))) if compiled.prefixes else ""
    selects = []
    for t in g.objects(node, SH.target):
        select = g.value(t, SH.select)
        if select is None:
            return TargetSpec(opaque=True)
        lines = _prefix_lines(g, t)
        prologue = head + (lines + "\n" if lines else "")
        selects.append(SelectTarget(prologue, str(select), substitutable(prologue + str(select))))
    return TargetSpec(
        classes=tuple(sorted(str(c) for c in classes)),
        nodes=nodes,
        subjects_of=tuple(ox.NamedNode(str(p)) for p in preds[0]),
        objects_of=tuple(ox.NamedNode(str(p)) for p in preds[1]),
        selects=tuple(selects),
    )


class IncrementalValidator:
    """Validate the after-state ``view`` of a write on what the write ``delta`` can affect."""

    def __init__(self, view: OxigraphStore, delta: Delta, compiled: CompiledShapes, *, ontology: Graph,
                 before: OxigraphStore | None = None) -> None:
        self.view = view
        #: The store before the write (the real store, unchanged until the commit), holding the ontology as the
        #: view does: where a deleted triple's relaxed queries run. None: shapes that need it are walked.
        self.before = before
        self.delta = delta
        self.compiled = compiled
        self.ontology = ontology
        #: The class hierarchy of the after-state (read once, on first use): class → its direct subclasses.
        self._hierarchy: dict[Term, list[Term]] | None = None
        self._subclass_cache: dict[str, list[str]] = {}
        #: The rdf:type objects of the candidates looked up so far (every graph).
        self._type_cache: dict[Term, frozenset[Term]] = {}
        query = with_subclass_sets(lambda q: view.query(q).rows(), self.subclasses)
        head = sparql_prologue(dict(sorted(compiled.prefixes.items()))) if compiled.prefixes else ""
        self.query = (lambda q: query(head + q)) if head else query
        self.fallback_head = head

    def subclasses(self, c: str) -> list[str]:
        """The IRIs of class ``c`` and of its subclasses in the after-state (``?k rdfs:subClassOf* <c>`` over every
        graph, named nodes only, as :func:`hpkg.shacl.compiler.with_subclass_sets` finds them): the hierarchy is
        read once per write (one look-up of ``rdfs:subClassOf``, the ontology's few hundred triples), instead of
        one query per class."""
        if c not in self._subclass_cache:
            if self._hierarchy is None:
                self._hierarchy = {}
                for q in self.view.reader.quads_for_pattern(None, _SUBCLASS_OF, None, None):
                    if not isinstance(q.object, ox.Literal):
                        self._hierarchy.setdefault(q.object, []).append(q.subject)  # type: ignore[arg-type]
            top = ox.NamedNode(c)
            seen: set[Term] = {top}
            todo: list[Term] = [top]
            while todo:  # the path walks through blank nodes too; only named classes are kept
                for sub in self._hierarchy.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            self._subclass_cache[c] = sorted(t.value for t in seen if isinstance(t, ox.NamedNode))
        return self._subclass_cache[c]

    def _types(self, t: Term) -> frozenset[Term]:
        if t not in self._type_cache:
            found: set[Term] = set()
            if not isinstance(t, ox.Literal):
                for q in self.view.reader.quads_for_pattern(t, _TYPE, None, None):
                    if not isinstance(q.object, ox.Triple):
                        found.add(q.object)
            self._type_cache[t] = frozenset(found)
        return self._type_cache[t]

    def _indexed_target(self, spec: TargetSpec, t: Term) -> bool:
        """Whether ``t`` is a target of the shape by its class, node, subjects-of or objects-of targets (index
        look-ups on the after-state, every graph: the union default graph the shapes are evaluated on)."""
        if t in spec.nodes:
            return True
        store = self.view.reader
        for p in spec.objects_of:
            if next(iter(store.quads_for_pattern(None, p, t, None)), None) is not None:
                return True
        if isinstance(t, ox.Literal):
            return False  # a literal is never a subject
        for p in spec.subjects_of:
            if next(iter(store.quads_for_pattern(t, p, None, None)), None) is not None:
                return True
        if spec.classes:
            types = self._types(t)
            if types and any(ox.NamedNode(k) in types for c in spec.classes for k in self.subclasses(c)):
                return True
        return False

    def _select_targets(self, target: SelectTarget, candidates: list[Term]) -> set[Term] | None:
        """The candidates a SPARQL target selects: asked once per candidate with ``?this`` pre-bound when that
        gives the same answer (:func:`hpkg.shacl.sparql.substitutable`: Oxigraph then starts from the candidate;
        joined with ``VALUES`` outside it, it evaluates the whole target first: 0.8 s at 1M triples for the FIA
        totals), otherwise with ``VALUES`` (or the whole target set once, for many candidates); None: that is
        most of its targets (validate the shape in full)."""
        found: set[Term] = set()
        if target.prebind and len(candidates) <= CHUNK:
            this = ox.Variable("this")
            text = target.prologue + target.select
            for t in candidates:
                try:
                    rows = self.view.reader.query(text, use_default_graph_as_union=True, substitutions={this: t})
                except (SyntaxError, ValueError, RuntimeError, OSError) as e:
                    raise HpkgError(f"a SPARQL target failed on the private view: {e}") from None
                if isinstance(rows, ox.QuerySolutions) and next(iter(rows), None) is not None:
                    found.add(t)
            return found
        sub = "{ " + target.select.strip() + " }"
        if len(candidates) > CHUNK:
            # the target set once, intersected here (not the target pattern once per chunk)
            every = {row["this"] for row in self.view.query(
                f"{target.prologue}SELECT DISTINCT ?this WHERE {{ {sub} }}").rows() if row.get("this") is not None}
            found = {t for t in candidates if t in every}
            return None if len(found) > len(every) // 2 else found
        named, anchors = self._anchors("this", candidates)
        for group in _alternatives("this", named, anchors):
            for row in self.view.query(f"{target.prologue}SELECT DISTINCT ?this WHERE {{ {group} {sub} }}").rows():
                hit = row.get("this")
                if hit is not None:
                    found.add(hit)
        return found

    def _changed(self) -> tuple[list[ox.Quad], list[ox.Quad]] | None:
        """The inserted and the deleted quads, template blank nodes replaced by the view's candidates."""
        fresh_map = match_fresh(self.view.engine, self.delta)
        if fresh_map is None:
            return None
        inserted: list[ox.Quad] = []
        for q in self.delta.inserted:
            subjects = fresh_map.get(q.subject, {q.subject})  # type: ignore[arg-type]
            objects = fresh_map.get(q.object, {q.object})  # type: ignore[arg-type]
            inserted.extend(ox.Quad(s, q.predicate, o, q.graph_name) for s in subjects for o in objects)
        return inserted, list(self.delta.deleted)

    def _by_patterns(self, reach: Reach, inserted: list[ox.Quad], deleted: list[ox.Quad]) -> set[Term] | None:
        """The focus nodes the change can affect through the shape's inverted SHACL-SPARQL queries
        (:mod:`hpkg.shacl.affected`): inserted triples asked of the view, deleted ones of the store before the
        write; None when that is not bounded (validate the shape in full)."""
        out: set[Term] = set()
        for qp in reach.queries:
            preds = qp.predicates()
            for quads, state in ((inserted, self.view), (deleted, self.before)):
                relevant = [q for q in quads if preds is None or q.predicate.value in preds]
                if not relevant:
                    continue
                if state is None:
                    return None
                found = affected(qp, relevant, state.reader, budget=PATTERN_BUDGET)
                if found is None:
                    return None
                out |= found
                if len(out) > WALK_LIMIT:
                    return None
        return out

    def plan(self) -> Plan:
        """The affected focus nodes of every shape (compiled and fallback)."""
        plan = Plan()
        d = self.delta
        if d.full or not d.exact:
            plan.full = "the write's effect is too large to list" if d.full else "the computed effect disagreed"
            return plan
        if any(q.predicate.value == str(RDFS.subClassOf) for q in itertools.chain(d.inserted, d.deleted)):
            plan.full = "the class hierarchy changed"
            return plan
        split = self._changed()
        if split is None:
            plan.full = "a new blank node hangs off no named node"
            return plan
        inserted, deleted = split
        changed = inserted + deleted
        shapes = [s.node for s in self.compiled.compiled if s.targets] + list(self.compiled.fallback)
        for node in shapes:
            reach = shape_reach(self.compiled, node, split=True)
            if reach.wildcard:
                plan.shapes[node] = None
                plan.reasons[node] = reach.wildcard
                continue
            ends: set[Term] = set()
            for q in changed:
                p = q.predicate.value
                if p in reach.forward or reach.closed:
                    ends.add(q.subject)  # type: ignore[arg-type]
                if p in reach.inverse:
                    ends.add(q.object)  # type: ignore[arg-type]
            if len(ends) > ENDPOINT_LIMIT:
                plan.shapes[node] = None
                plan.reasons[node] = f"{len(ends)} changed nodes"
                continue
            try:
                extra = self._by_patterns(reach, inserted, deleted) if reach.queries else set()
                if extra is None:
                    plan.shapes[node] = None
                    plan.reasons[node] = "its SPARQL reaches too many focus nodes"
                    continue
                plan.shapes[node] = self._affected(node, reach, ends, extra)
                if plan.shapes[node] is None:
                    plan.reasons[node] = "the write reaches most of its targets"
            except _Unanchored as e:
                plan.shapes[node] = None
                plan.reasons[node] = str(e)
        return plan

    def _anchors(self, var: str, nodes: Iterable[Term]) -> tuple[list[Term], list[str]]:
        named: list[Term] = []
        anchors: list[str] = []
        for t in nodes:
            if isinstance(t, ox.BlankNode):
                a = anchor(self.view.engine, t, var)
                if a is None:
                    if next(iter(self.view.engine.quads_for_pattern(t, None, None, None)), None) is None and \
                            next(iter(self.view.engine.quads_for_pattern(None, None, t, None)), None) is None:
                        continue  # gone from the after-state: nothing can reach it, it is no focus node
                    raise _Unanchored("a changed blank node without an anchor")
                anchors.append("{ " + a + " }")
            else:
                named.append(t)
        return named, sorted(set(anchors))

    def _affected(self, node: Node, reach: Reach, ends: set[Term], extra: set[Term]) -> list[Term] | None:
        """The targets within the shape's reach of ``ends``, or among ``extra`` (found by its inverted queries),
        exactly (the focus nodes the compiled queries are then given as they are); None when the shape is to be
        validated in full.

        The candidates are a few nodes, the targets perhaps most of the store: each candidate is tested by index
        look-ups (its ``rdf:type`` against the target classes' subclass sets, ``sh:targetNode`` as a set,
        ``sh:targetSubjectsOf/ObjectsOf`` as one quad with the candidate in subject or object position) rather
        than by a query over the targets, whose cost grows with the store. SPARQL targets keep a query, with the
        candidate pre-bound (:meth:`_select_targets`)."""
        if not ends and not extra:
            return []
        walked = self._walk_back(reach, ends) if ends else set()
        if walked is None:
            return None
        spec = target_spec(self.compiled, node)
        if spec.opaque:
            return None
        candidates = sorted(walked | extra, key=str)
        out = [t for t in candidates if self._indexed_target(spec, t)]
        indexed = set(out)
        rest = [t for t in candidates if t not in indexed] if spec.selects else []
        for target in spec.selects:
            if not rest:
                break
            hit = self._select_targets(target, rest)
            if hit is None:
                return None
            out.extend(t for t in rest if t in hit)
            rest = [t for t in rest if t not in hit]
        return out

    def _walk_back(self, reach: Reach, ends: set[Term]) -> set[Term] | None:
        """Every node that reaches one of ``ends`` by a walk the shape can make (index look-ups, breadth first:
        each node once; SPARQL's ``(p|^q)?/(p|^q)?`` sequences enumerate the same nodes over and over)."""
        store = self.view.engine
        forward = [ox.NamedNode(p) for p in sorted(reach.forward)]
        inverse = [ox.NamedNode(p) for p in sorted(reach.inverse)]
        seen: set[Term] = set(ends)
        frontier = list(ends)
        level = 0
        while frontier and (reach.depth is None or level < reach.depth):
            level += 1
            nxt: list[Term] = []
            for n in frontier:
                found: list[Any] = []  # subjects and objects of quads: terms (or quoted triples, never here)
                for p in forward:  # x p n: x walks p forward to n
                    found.extend(q.subject for q in store.quads_for_pattern(None, p, n, None))
                if not isinstance(n, ox.Literal):
                    for p in inverse:  # n p x: x walks p backward to n
                        found.extend(q.object for q in store.quads_for_pattern(n, p, None, None))
                for x in found:
                    if x not in seen:
                        seen.add(x)
                        nxt.append(x)
            if len(seen) > WALK_LIMIT:
                return None  # the write reaches too far: validating the shape in full is cheaper
            frontier = nxt
        return seen

    def _focus(self, nodes: list[Term], targets: list[str]) -> list[str]:
        """Groups binding ``?this`` to the focus nodes ``nodes`` (targets of the shape, found exactly): IRIs by
        ``VALUES`` alone; literals (the store may have normalised them) and blank nodes (bound by an anchor, a
        superset) joined with the shape's ``targets`` again."""
        iris = [t for t in nodes if isinstance(t, ox.NamedNode)]
        out = ["{ " + _values("this", iris[i : i + CHUNK]) + " }" for i in range(0, len(iris), CHUNK)]
        others = [t for t in nodes if not isinstance(t, ox.NamedNode)]
        if others:
            named, anchors = self._anchors("this", others)
            target_group = " UNION ".join(f"{{ {t} }}" for t in targets)
            for group in _alternatives("this", named, anchors):
                out.append(f"{group} {{ {target_group} }}")
        return out

    def validate(self) -> tuple[ValidationReport, Plan]:
        """The report on the affected focus nodes (the plan says which they were)."""
        plan = self.plan()
        if plan.full is not None:
            from hpkg.shacl.runner import validate_fast

            return validate_fast(self.view, shapes=self.compiled.graph, ontology=self.ontology), plan
        violations: list[Violation] = []
        for shape in self.compiled.compiled:
            if shape.node not in plan.shapes:
                continue
            nodes = plan.shapes[shape.node]
            if nodes is None:
                focus_groups = [" UNION ".join(f"{{ {t} }}" for t in shape.targets)]
            elif not nodes:
                continue
            else:
                try:
                    focus_groups = self._focus(nodes, shape.targets)
                except _Unanchored:
                    focus_groups = [" UNION ".join(f"{{ {t} }}" for t in shape.targets)]
            for focus in focus_groups:
                violations.extend(shape_results(self.compiled, shape, focus, self.query))
        for node in self.compiled.fallback:
            violations.extend(self._fallback(node, plan.shapes.get(node)))
        violations = _dedupe(violations)
        return ValidationReport(conforms=not violations, violations=violations, report_graph=report_graph(violations),
                                triples_checked=len(self.delta.inserted) + len(self.delta.deleted)), plan

    def _fallback(self, node: Node, nodes: list[Term] | None) -> list[Violation]:
        """A shape left to pyshacl, on its affected focus nodes (None: all its targets) and the triples it can
        read from them (:mod:`hpkg.shacl.fallback`); the whole view only when its reads cannot be bounded."""
        if nodes is not None and not nodes:
            return []
        from hpkg.shacl.fallback import fallback_input

        run = fallback_input(self.compiled, node, self.view, focus=nodes)
        log.info("shape %s is left to pyshacl (%s): %s", node, run.reason,
                 f"{run.focus} focus nodes, {len(run.data)} triples" if run.bounded else f"in full, {len(run.data)} triples")
        if run.focus == 0:
            return []
        return validate_graph(run.data, shapes=run.shapes, ontology=self.ontology).violations


_SUBGRAPH_CACHE: weakref.WeakKeyDictionary[CompiledShapes, dict[Node, list[tuple[Node, Node, Node]]]] = (
    weakref.WeakKeyDictionary())
_TARGET_PREDS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}


def _shape_subgraph(compiled: CompiledShapes, node: Node) -> list[tuple[Node, Node, Node]]:
    """The triples of the shapes graph that describe ``node`` (everything reachable from it), without targets."""
    cache = _SUBGRAPH_CACHE.setdefault(compiled, {})
    if node not in cache:
        g = compiled.graph
        out: list[tuple[Node, Node, Node]] = []
        seen = {node}
        todo = [node]
        while todo:
            s = todo.pop()
            for _, p, o in g.triples((s, None, None)):
                if p in _TARGET_PREDS:
                    continue
                out.append((s, p, o))
                if o not in seen and not isinstance(o, Literal) and (o, None, None) in g:
                    seen.add(o)
                    todo.append(o)
        cache[node] = out
    return cache[node]


class _Unanchored(Exception):
    pass


def _to_rdflib(t: Term) -> Node:
    from hpkg.terms import to_rdflib

    out = to_rdflib(t)
    assert out is not None
    return out


def _dedupe(violations: list[Violation]) -> list[Violation]:
    """Drop the repeats of a focus node validated twice by one shape (an anchor can bind a named node's blank
    nodes in two chunks); distinct results with one key (two qualified shapes, say) are all kept."""
    seen: set[object] = set()
    out = []
    for v in violations:
        k = (v.key(), v.shape, v.value, tuple(sorted(v.messages.items())))
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def ensure_ontology(view: OxigraphStore, ontology: Graph) -> None:
    """Put the ontology in the view's ontology graph when the store does not hold it (as :func:`validate_fast`
    does, in the private view instead of a copy)."""
    if ONTOLOGY_IRI not in view.graphs():
        graph = ox.NamedNode(ONTOLOGY_IRI)
        triples = (to_oxigraph_triple(s, p, o) for s, p, o in ontology)
        view.add_quads(ox.Quad(tr.subject, tr.predicate, tr.object, graph) for tr in triples)


def validate_change(view: OxigraphStore, delta: Delta, *, shapes: Graph, ontology: Graph,
                    compiled: CompiledShapes | None = None, before: OxigraphStore | None = None
                    ) -> tuple[ValidationReport, Plan]:
    """Validate the after-state ``view`` of a write whose net effect is ``delta``, shape by shape on what it affects.

    ``before`` is the store the view was made from, unchanged (it answers the queries about deleted triples);
    without it, shapes whose SPARQL a deletion reaches are validated in full."""
    had_ontology = ONTOLOGY_IRI in view.graphs()
    ensure_ontology(view, ontology)
    compiled = compiled if compiled is not None else compiled_for(shapes)
    # the before-state must be what the view was, ontology included
    before = before if had_ontology and before is not None and before is not view else None
    return IncrementalValidator(view, delta, compiled, ontology=ontology, before=before).validate()


__all__ = ["IncrementalValidator", "Plan", "Reach", "Unsupported", "shape_reach", "validate_change"]
