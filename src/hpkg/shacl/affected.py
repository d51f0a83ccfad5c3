"""Which focus nodes a change can affect through a SHACL-SPARQL query: the query's own patterns, inverted.

:mod:`hpkg.shacl.incremental` finds the focus nodes of a write by walking back from the changed nodes along the
predicates a shape reads. For a SHACL-SPARQL query that joins the focus node to other nodes through a shared
value (``$this refArea ?area . ?yearly refArea ?area``: every observation of an area), that walk reaches the
whole area, period or indicator (a hub) and the shape is validated in full on every write. Here the query's
patterns are used *together*, as the query itself joins them.

**The relaxed query of a pattern.** The query's graph pattern is split into groups: a group's *mandatory*
patterns are the triple patterns of its basic graph patterns (joined, filtered or extended); every
``OPTIONAL``, ``UNION`` branch, ``MINUS`` and ``(NOT) EXISTS`` is a child group. For a triple pattern ``tp`` of a
group G, its relaxed query R(tp) is the conjunction of the mandatory patterns of G and of every group enclosing
G — filters, ``BIND``, ``VALUES`` and sibling groups dropped (each drop only widens the answer). Property paths
are expanded when they are sequences, inverses or alternatives of IRIs; anything else (``*``, ``+``, ``?``,
negated sets, sub-selects, ``GRAPH``, ``SERVICE``, an aggregate not grouped by ``$this``) makes the query
*not analysable*, and the caller falls back to the walk. A top query that groups by ``$this`` (``GROUP BY $this
… HAVING …``: the shipped consistency rules) is analysed as its grouped pattern: every group of focus node f
aggregates only solutions with ``$this`` = f, so f's answer is a function of the solutions of the grouped
pattern with ``$this`` = f (``HAVING`` is a filter on them, dropped: it only narrows), and the argument below
for those solutions covers it.

**Why it is sound.** Say the query's answer for focus node f differs between the before-state B and the
after-state A. Evaluate it group by group: either the solutions of the top group's mandatory patterns differ (a
solution μ in one state and not the other), or they are the same and, for one of them, a child group's solutions
differ, and so on down. At the group where they first differ, there is a solution μ in one state S (A or B)
and not in the other, covering the mandatory patterns of that group and of its ancestors, with all their images
in S; one image e = μ(tp) is a changed triple: e ∈ Δ+ when S = A (it is not in B), e ∈ Δ− when S = B. So f is
an answer of R(tp), with tp's variables bound to e's terms, evaluated on A for an inserted e and on B (the real
store, unchanged until the commit) for a deleted e. :func:`affected` evaluates those queries (a pattern whose
``$this`` is bound by e itself gives f directly). Nothing is asked of the data that the proof does not need,
so a superset of the affected focus nodes comes back, never fewer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from hpkg.shacl.sparql import subselect
from hpkg.terms import Term, to_oxigraph

#: A pattern position: ("v", variable name) or ("c", a constant term); a predicate's constant is a set of IRIs.
Slot = tuple[str, object]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class NotAnalysable(Exception):
    """The query uses a form whose patterns cannot be inverted here (the caller walks instead)."""


@dataclass(frozen=True)
class Pattern:
    """One triple pattern: subject, predicate (a set of IRIs, or a variable) and object slots."""

    s: Slot
    p: Slot
    o: Slot


@dataclass
class QueryPatterns:
    """The triple patterns of a query and, for each, the patterns of its relaxed query (itself included)."""

    patterns: list[Pattern] = field(default_factory=list)
    context: list[tuple[int, ...]] = field(default_factory=list)

    def predicates(self) -> set[str] | None:
        """Every predicate IRI a pattern can match (None: a pattern has a variable predicate)."""
        out: set[str] = set()
        for pt in self.patterns:
            if pt.p[0] == "v":
                return None
            out |= pt.p[1]  # type: ignore[arg-type]  # a constant predicate slot holds a frozenset of IRIs
        return out


class _Collector:
    def __init__(self) -> None:
        self.patterns: list[Pattern] = []
        self.group_of: list[int] = []
        self.parents: list[int | None] = []
        self.fresh = itertools.count()
        #: the sub-selects being read, innermost last: (projected variables, prefix of their own variables)
        self.scopes: list[tuple[frozenset[str], str]] = []

    def name(self, var: str) -> str:
        """A variable's name in the flat pattern list: a sub-select's variables that it does not project are
        its own (SPARQL scoping), so they get a prefix no other variable has."""
        for projected, prefix in reversed(self.scopes):
            if var not in projected:
                return prefix + var
        return var

    def group(self, parent: int | None) -> int:
        self.parents.append(parent)
        return len(self.parents) - 1

    def slot(self, term: object) -> Slot:
        if isinstance(term, Variable):
            return ("v", self.name(str(term)))
        if isinstance(term, BNode):
            return ("v", f"_b{term}")
        if isinstance(term, URIRef | Literal):
            return ("c", to_oxigraph(term))
        raise NotAnalysable(f"a term {term!r}")

    def triple(self, g: int, s: object, p: object, o: object) -> None:
        if isinstance(p, URIRef):
            self.patterns.append(Pattern(self.slot(s), ("c", frozenset({str(p)})), self.slot(o)))
            self.group_of.append(g)
        elif isinstance(p, Variable):
            self.patterns.append(Pattern(self.slot(s), ("v", self.name(str(p))), self.slot(o)))
            self.group_of.append(g)
        elif isinstance(p, InvPath):
            self.triple(g, o, p.arg, s)
        elif isinstance(p, SequencePath):
            terms: list[object] = [s] + [Variable(f"_p{next(self.fresh)}") for _ in p.args[1:]] + [o]
            for k, step in enumerate(p.args):
                self.triple(g, terms[k], step, terms[k + 1])
        elif isinstance(p, AlternativePath) and all(isinstance(a, URIRef) for a in p.args):
            self.patterns.append(Pattern(self.slot(s), ("c", frozenset(str(a) for a in p.args)), self.slot(o)))
            self.group_of.append(g)
        else:
            raise NotAnalysable(f"the property path {p!r}")

    def triples(self, g: int, raw: object) -> None:
        flat: list[object] = []
        for t in raw or []:  # type: ignore[attr-defined]  # rdflib gives lists of (s, p, o[, p, o…])
            flat.extend(t)
        if len(flat) % 3:
            raise NotAnalysable("a triples block that is not triples")
        for k in range(0, len(flat), 3):
            self.triple(g, flat[k], flat[k + 1], flat[k + 2])

    def expr(self, node: object, g: int) -> None:
        """The (NOT) EXISTS groups of an expression: child groups of ``g``."""
        if isinstance(node, CompValue):
            if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                self.any(node["graph"], self.group(g), top=False)
                return
            for k, v in node.items():
                if k != "_vars":
                    self.expr(v, g)
        elif isinstance(node, list | tuple):
            for v in node:
                self.expr(v, g)

    def any(self, node: object, g: int, *, top: bool) -> None:  # noqa: C901 - one branch per algebra form
        if not isinstance(node, CompValue):
            raise NotAnalysable(f"an algebra node {node!r}")
        name = node.name
        get = dict.get
        if name in ("Filter", "Bind") and "p" not in node:  # a FILTER or BIND left untranslated (inside EXISTS)
            self.expr(get(node, "expr"), g)
        elif name == "SelectQuery":
            self.any(node["p"], g, top=True)
        elif name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy"):
            if name == "Project" and not top:
                raise NotAnalysable("a sub-select")
            self.any(node["p"], g, top=top)
        elif name == "BGP":
            for s, p, o in get(node, "triples") or []:
                self.triple(g, s, p, o)
        elif name == "Join":
            self.any(node["p1"], g, top=False)
            self.any(node["p2"], g, top=False)
        elif name == "LeftJoin":
            self.any(node["p1"], g, top=False)
            child = self.group(g)
            self.any(node["p2"], child, top=False)
            self.expr(get(node, "expr"), child)
        elif name in ("Filter", "Extend"):
            self.any(node["p"], g, top=False)
            self.expr(get(node, "expr"), g)
        elif name == "Union":
            self.any(node["p1"], self.group(g), top=False)
            self.any(node["p2"], self.group(g), top=False)
        elif name == "Minus":
            self.any(node["p1"], g, top=False)
            self.any(node["p2"], self.group(g), top=False)
        elif name == "ToMultiSet":
            inner = get(node, "p")
            if not (isinstance(inner, CompValue) and inner.name == "values"):
                self.subselect(inner, g)
        elif name == "values":
            pass  # inline data only narrows the answer: dropped
        elif name == "AggregateJoin":  # only in the top query: an aggregate in a sub-select stops at its Project
            for agg in get(node, "A") or []:
                self.expr(agg, g)
            self.any(node["p"], g, top=False)
        elif name == "Group":
            keys = get(node, "expr") or []
            if not any(isinstance(k, Variable) and str(k) == "this" for k in keys):
                raise NotAnalysable("an aggregate not grouped by $this")
            self.any(node["p"], g, top=False)
        # the untranslated groups rdflib leaves inside EXISTS
        elif name == "GroupGraphPatternSub":
            for part in get(node, "part") or []:
                self.any(part, g, top=False)
        elif name == "TriplesBlock":
            self.triples(g, get(node, "triples"))
        elif name == "OptionalGraphPattern":
            self.any(node["graph"], self.group(g), top=False)
        elif name == "GroupOrUnionGraphPattern":
            for member in node["graph"]:
                self.any(member, self.group(g), top=False)
        elif name == "MinusGraphPattern":
            self.any(node["graph"], self.group(g), top=False)
        elif name == "InlineData":
            pass
        else:
            raise NotAnalysable(f"{name} in the query")

    def subselect(self, inner: object, g: int) -> None:
        """A sub-select without aggregates: its patterns join the group it is in. DISTINCT, LIMIT and ORDER BY
        only narrow its answer, so they are dropped (the patterns reach at least every node they could)."""
        node = subselect(inner)
        if node is None:
            raise NotAnalysable(f"a sub-select {inner!r}")
        if _has(node["p"], ("AggregateJoin", "Group")):
            raise NotAnalysable("an aggregate in a sub-select")
        projected = frozenset(str(v) for v in node.get("PV") or [])
        self.scopes.append((projected, f"_s{next(self.fresh)}_"))
        try:
            self.any(node["p"], g, top=False)
        finally:
            self.scopes.pop()


def _has(node: object, names: tuple[str, ...]) -> bool:
    """Whether an algebra node holds a node of one of ``names`` (not looking into nested sub-selects)."""
    if isinstance(node, CompValue):
        if node.name in names:
            return True
        if node.name == "ToMultiSet":
            return False
        return any(_has(v, names) for k, v in node.items() if k != "_vars")
    if isinstance(node, list | tuple):
        return any(_has(v, names) for v in node)
    return False


def analyse(text: str) -> QueryPatterns:
    """The triple patterns of a SELECT (``$this`` written ``?this``) and their relaxed queries."""
    try:
        algebra = prepareQuery(text).algebra
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds; any of them: cannot analyse
        raise NotAnalysable(f"cannot parse the query: {e}") from None
    c = _Collector()
    c.any(algebra, c.group(None), top=True)
    out = QueryPatterns(patterns=c.patterns)
    members: dict[int, list[int]] = {}
    for i, g in enumerate(c.group_of):
        members.setdefault(g, []).append(i)
    for g in c.group_of:
        ctx: list[int] = []
        at: int | None = g
        while at is not None:
            ctx.extend(members.get(at, []))
            at = c.parents[at]
        out.context.append(tuple(sorted(ctx)))
    return out


# ------------------------------------------------------------------------------------------------- matching


def _may_equal(constant: object, term: Term) -> bool:
    """Whether a pattern's constant can match ``term`` (typed literals: the store may normalise them)."""
    if constant == term:
        return True
    if isinstance(constant, ox.Literal) and isinstance(term, ox.Literal):
        return not ({constant.datatype.value, term.datatype.value} <= {_XSD_STRING, _LANG_STRING})
    return False


def bind(pt: Pattern, q: ox.Quad) -> dict[str, Term] | None:
    """The variables of ``pt`` bound by matching the triple of ``q`` (None: it cannot match)."""
    b: dict[str, Term] = {}
    pred = q.predicate
    for slot, term in ((pt.s, q.subject), (pt.p, pred), (pt.o, q.object)):
        kind, val = slot
        if kind == "c":
            if slot is pt.p:
                if pred.value not in val:  # type: ignore[operator]  # a frozenset of IRIs
                    return None
            elif not _may_equal(val, term):  # type: ignore[arg-type]  # quad terms
                return None
        else:
            name = str(val)
            if name in b and b[name] != term:
                return None
            b[name] = term  # type: ignore[assignment]  # quad terms (never quoted triples here)
    return b


def affected(qp: QueryPatterns, changed: Iterable[ox.Quad], state: ox.Store, *, budget: int = 200_000
             ) -> set[Term] | None:
    """The focus nodes whose answer to the query the ``changed`` triples can change, all of them found in
    ``state`` (the after-state for inserted triples, the before-state for deleted ones); None when finding them
    would read more than ``budget`` quads (validate in full instead).

    Each changed triple e matched by a pattern tp gives the relaxed query R(tp) with tp's subject bound to e's
    subject (or, when that subject is a constant, every variable tp binds): a wider query than R(tp) with all of
    tp bound (tp itself stays in it, so it is still joined to e's other end), and the same for every pattern of
    one group, so the triples of one node make one query."""
    direct: set[Term] = set()
    seeds: set[tuple[tuple[int, ...], tuple[tuple[str, Term], ...]]] = set()
    for q in changed:
        for i, pt in enumerate(qp.patterns):
            b = bind(pt, q)
            if b is None:
                continue
            if "this" in b:
                direct.add(b["this"])
                continue
            if pt.s[0] == "v":
                b = {str(pt.s[1]): b[str(pt.s[1])]}
            seeds.add((qp.context[i], tuple(sorted(b.items()))))
    # a relaxed query over more patterns answers a subset of one over fewer with the same binding (a group's
    # context contains its parent's): keep the smallest
    by_binding: dict[tuple[tuple[str, Term], ...], list[tuple[int, ...]]] = {}
    for ctx, binding in seeds:
        by_binding.setdefault(binding, []).append(ctx)
    seeds = {(ctx, binding) for binding, ctxs in by_binding.items() for ctx in ctxs
             if not any(other != ctx and set(other) <= set(ctx) for other in ctxs)}
    out = set(direct)
    left = [budget]
    counts: dict[tuple[object, object], int] = {}  # look-up sizes, shared by the seeds (hubs recur)
    done: set[tuple[tuple[int, ...], tuple[tuple[str, Term], ...]]] = set()  # sub-joins already explored
    for ctx, binding in sorted(seeds, key=str):
        found = _solve(state, [qp.patterns[k] for k in ctx], dict(binding), out, left, counts, done)
        if found is None:
            return None
    return out


#: A bound object's look-up is counted up to this many quads to order the joins.
PROBE_LIMIT = 256


def _vars(pt: Pattern) -> set[str]:
    return {str(v) for k, v in (pt.s, pt.p, pt.o) if k == "v"}


def _solve(store: ox.Store, patterns: list[Pattern], binding: dict[str, Term], found: set[Term],
           left: list[int], counts: dict[tuple[object, object], int] | None = None,
           done: set[tuple[tuple[int, ...], tuple[tuple[str, Term], ...]]] | None = None) -> bool | None:
    """Add to ``found`` every ``?this`` of a solution of ``patterns`` extending ``binding`` (index nested loops
    over ``store``, every graph: the union default graph the shapes are evaluated on); None when over budget.

    ``done`` (shared by the calls that add to one ``found``): the sub-joins explored to the end, each as the
    patterns left and the binding of their variables (and of ``?this``). What a sub-join adds to ``found``
    depends on nothing else, so one met again adds nothing new and is skipped: the seeds of a write that
    deletes 77 observations of one area reach the same hub (the area's other observations) through different
    observations, and it is walked once, not 77 times.

    Evaluated here rather than by the store's query engine: with the union default graph Oxigraph joins such a
    query by scanning each predicate (hundreds of milliseconds), while index look-ups from the bound terms take
    a few (measured in ``bench/update_latency.py``)."""
    if not any("this" in _vars(pt) for pt in patterns):
        return None  # nothing of the query ties it to the focus node: every focus node
    sizes: dict[tuple[object, object], int] = {} if counts is None else counts

    def term(slot: Slot, b: dict[str, Term]) -> object:
        kind, val = slot
        return val if kind == "c" else b.get(str(val))

    def lookups(pt: Pattern, b: dict[str, Term]) -> list[tuple[object, object, object]]:
        s, o = term(pt.s, b), term(pt.o, b)
        p = term(pt.p, b)
        preds = [ox.NamedNode(x) for x in sorted(p)] if isinstance(p, frozenset) else [p]
        return [(s, pr, o) for pr in preds]

    def estimate(pt: Pattern, b: dict[str, Term], cap: int) -> int:
        """How many quads the pattern's look-up returns (counted up to ``cap``) when its subject is unbound: a
        bound object is counted, a pattern bound by its predicate alone comes last."""
        o = term(pt.o, b)
        if o is None:
            return PROBE_LIMIT * 4
        key = (term(pt.p, b), o)
        if key in sizes:  # counted before up to PROBE_LIMIT: the order of the joins only, never their answer
            return min(sizes[key], cap)
        n = 0
        for _, p_, o_ in lookups(pt, b):
            for _ in itertools.islice(store.quads_for_pattern(None, p_, o_, None), PROBE_LIMIT - n):  # type: ignore[arg-type]
                n += 1
        left[0] -= n
        sizes[key] = n
        return min(n, cap)

    def choose(remaining: list[Pattern], b: dict[str, Term]) -> int:
        for j, pt in enumerate(remaining):
            if term(pt.s, b) is not None and term(pt.o, b) is not None:  # a membership test: prunes first
                return j
        for j, pt in enumerate(remaining):
            if term(pt.s, b) is not None:  # a bound subject: nearly one quad, no count needed
                return j
        best, cost = 0, PROBE_LIMIT * 4 + 1
        for j, pt in enumerate(remaining):
            c = estimate(pt, b, min(cost, PROBE_LIMIT))
            if c < cost:
                best, cost = j, c
        return best

    explored = done if done is not None else set()
    scope: dict[tuple[int, ...], frozenset[str]] = {}  # the variables of the patterns left, by their ids

    def dfs(remaining: list[Pattern], b: dict[str, Term]) -> bool:
        this = b.get("this")
        if this is not None and this in found:
            return True
        if not remaining:
            if this is not None:
                found.add(this)
            return True
        if left[0] < 0:
            return False
        ids = tuple(sorted(id(pt) for pt in remaining))
        names = scope.get(ids)
        if names is None:
            names = scope[ids] = frozenset().union(*(_vars(pt) for pt in remaining)) | {"this"}
        key = (ids, tuple(sorted((k, v) for k, v in b.items() if k in names)))
        if key in explored:
            return True
        k = choose(remaining, b)
        pt, rest = remaining[k], remaining[:k] + remaining[k + 1 :]
        for s, p, o in lookups(pt, b):
            if isinstance(s, ox.Literal) or (p is not None and not isinstance(p, ox.NamedNode)):
                continue  # a literal cannot be a subject, nor anything but an IRI a predicate
            for q in store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
                left[0] -= 1
                nb = dict(b)
                ok = True
                for slot, t in ((pt.s, q.subject), (pt.p, q.predicate), (pt.o, q.object)):
                    if slot[0] == "v":
                        name = str(slot[1])
                        if nb.get(name, t) != t:
                            ok = False
                            break
                        nb[name] = t  # type: ignore[assignment]  # quad terms
                if ok and not dfs(rest, nb):
                    return False
        explored.add(key)
        return True

    return True if dfs(patterns, binding) else None


__all__ = ["NotAnalysable", "Pattern", "QueryPatterns", "affected", "analyse", "bind"]
