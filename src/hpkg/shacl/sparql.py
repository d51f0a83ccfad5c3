"""SHACL-SPARQL queries read by their parse, never by regexes over their text.

Two tools the compiler (:mod:`hpkg.shacl.compiler`) needs to run a shape's ``sh:select`` inside the store:

* :func:`tokens` — a SPARQL lexer that knows comments, string literals and IRIs, so that the pre-bound
  variables are substituted (:func:`substitute`) and the ``SELECT`` clause is found (:func:`select_clause`)
  only where the query has them, never inside ``# a comment`` or ``"a string"``;
* :func:`scope_problem` — a walk over the query's algebra (rdflib's ``prepareQuery``) that finds where
  rdflib (pyshacl, the reference) and standard SPARQL 1.1 (Oxigraph, any SPARQL server) can answer
  differently. rdflib evaluates the right side of a join, an ``OPTIONAL``, a ``UNION`` branch under a join
  and the pattern of ``EXISTS`` with the bindings already made (and pyshacl pre-binds ``$this``
  everywhere), while SPARQL 1.1 evaluates a group on its own and joins afterwards. The two agree for
  patterns that only join; they can differ where a *non-monotone* part — a ``FILTER`` (``EXISTS``
  included), a ``BIND``, an ``OPTIONAL``, a ``MINUS``, a sub-select — uses a variable that its own
  operand does not bind but that is (or may be) bound outside it. Exactly those queries are left to pyshacl;
  everything else compiles.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

# ------------------------------------------------------------------------------------------------- the lexer

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)"
    r"|(?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:[\w.\-:%\\\u00B7-\uFFFF]*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, comment, var, pname, word, space, other
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL query, comments and whitespace included (their texts join back to ``text``)."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        yield Token(kind, m.group(), m.start(), m.end())


def substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with every *variable* named in ``values`` (``$name`` or ``?name``, the same variable in SPARQL)
    replaced by its text; the same letters in a comment, a string or an IRI are left alone.

    Text substitution is what SHACL itself specifies here: ``$PATH`` is replaced by the path's SPARQL syntax
    (SHACL 1.0, 5.3.2; a path is not a value a variable could be bound to), ``$currentShape`` is pre-bound to
    one IRI, and ``$this`` becomes ``?this`` (one spelling for every store) so that it joins the focus nodes'
    sub-select; done on tokens, it cannot touch anything but those variables.
    """
    out: list[str] = []
    for t in tokens(text):
        out.append(values.get(t.text[1:], t.text) if t.kind == "var" else t.text)
    return "".join(out)


def variables(text: str) -> set[str]:
    """The names of the variables the query text mentions (outside comments, strings and IRIs)."""
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def select_clause(text: str) -> tuple[int, int] | None:
    """Where to insert a projected variable (just after ``SELECT`` and ``DISTINCT``/``REDUCED``) and where the
    WHERE group's ``{`` is (the first ``{`` after ``SELECT`` outside parentheses); None without a SELECT."""
    insert = brace = None
    depth = 0
    seen_select = False
    for t in tokens(text):
        if t.kind in ("space", "comment"):
            continue
        word = t.text.upper() if t.kind == "word" else None
        if not seen_select:
            if word == "SELECT":
                seen_select = True
                insert = t.end
            continue
        if insert is not None and word in ("DISTINCT", "REDUCED") and brace is None and depth == 0:
            insert = t.end
            continue
        if t.kind == "other":
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
            elif t.text == "{" and depth == 0:
                brace = t.start
                break
    if insert is None or brace is None:
        return None
    return insert, brace


# -------------------------------------------------------------------------------------------- the algebra walk


class QueryError(Exception):
    """The query does not parse, or is not a SELECT."""


def parse_select(text: str) -> CompValue:
    """The algebra of a SELECT query (rdflib); :class:`QueryError` when it does not parse or is no SELECT."""
    try:
        algebra = prepareQuery(text).algebra
    except Exception as e:  # noqa: BLE001 - rdflib's parser raises many kinds (ParseException, KeyError…)
        raise QueryError(f"does not parse: {e}") from e
    if algebra.name != "SelectQuery":
        raise QueryError(f"is a {algebra.name}, not a SELECT")
    return algebra


def projected(algebra: CompValue) -> set[str]:
    """The variables a SELECT projects."""
    return {str(v) for v in algebra.get("PV") or []}


_MODIFIERS = ("Distinct", "Reduced", "Slice", "OrderBy", "Group", "ToMultiSet")


def _vars_in(node: object) -> set[str]:
    """Every variable mentioned anywhere under ``node`` (patterns, expressions, EXISTS patterns)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Variable):
            out.add(str(n))
        elif isinstance(n, CompValue):
            stack.extend(v for k, v in n.items() if k != "_vars")
        elif isinstance(n, dict):
            stack.extend(n.keys())
            stack.extend(n.values())
        elif isinstance(n, list | tuple | set):
            stack.extend(n)
    return out


def _triple_vars(triples: Iterable[Iterable[object]]) -> set[str]:
    return {str(t) for tr in triples for t in tr if isinstance(t, Variable)}


def _bindings(node: object) -> tuple[set[str], set[str]]:
    """(certainly bound, possibly bound) variables of a graph pattern's solutions."""
    if not isinstance(node, CompValue):
        return set(), set()
    name = node.name
    if name in ("BGP", "TriplesBlock"):
        v = _triple_vars(node.get("triples") or [])
        return v, set(v)
    if name == "Join":
        c1, p1 = _bindings(node.p1)
        c2, p2 = _bindings(node.p2)
        return c1 | c2, p1 | p2
    if name == "LeftJoin":
        c1, p1 = _bindings(node.p1)
        _, p2 = _bindings(node.p2)
        return c1, p1 | p2
    if name == "Union":
        c1, p1 = _bindings(node.p1)
        c2, p2 = _bindings(node.p2)
        return c1 & c2, p1 | p2
    if name == "Minus":
        return _bindings(node.p1)
    if name == "Filter":
        return _bindings(node.p)
    if name == "Extend":
        c, p = _bindings(node.p)
        return c, p | {str(node.var)}  # an expression that errs leaves its variable unbound
    if name == "Graph":
        c, p = _bindings(node.p)
        extra = {str(node.term)} if isinstance(node.term, Variable) else set()
        return c | extra, p | extra
    if name == "values":
        rows = node.get("res") or []
        keys = [{str(k) for k, v in r.items() if v is not None} for r in rows]
        cert = set.intersection(*keys) if keys else set()
        return cert, set().union(*keys) if keys else set()
    if name == "Project":
        c, p = _bindings(node.p)
        pv = {str(v) for v in node.get("PV") or []}
        return c & pv, p & pv
    if name == "AggregateJoin":
        return set(), _vars_in(node)
    if name in _MODIFIERS:
        return _bindings(node.p)
    return set(), _vars_in(node)  # unknown: nothing certain


def _exists_graphs(expr: object) -> Iterator[CompValue]:
    """The graph patterns of the EXISTS / NOT EXISTS in an expression (translated to algebra if need be)."""
    stack = [expr]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                graph = n.graph
                if isinstance(graph, CompValue) and graph.name in ("GroupGraphPatternSub", "GroupOrUnionGraphPattern"):
                    graph = translateGroupGraphPattern(graph)
                yield graph
                continue
            stack.extend(v for k, v in n.items() if k != "_vars")
        elif isinstance(n, list | tuple):
            stack.extend(n)


class _Walk:
    """One walk; ``problem`` is the first place where the two evaluations can differ."""

    def __init__(self) -> None:
        self.problem: str | None = None

    def flag(self, what: str, where: str, names: set[str]) -> None:
        if self.problem is None:
            listed = ", ".join(f"?{n}" for n in sorted(names))
            self.problem = (f"{what} {where} uses {listed}, bound outside it: rdflib (pyshacl) evaluates it with "
                            f"that binding, standard SPARQL without")

    def expression(self, expr: object, local: set[str], possible: set[str], outer: set[str], what: str,
                   where: str) -> None:
        """An expression evaluated on solutions that certainly bind ``local`` and may bind ``possible``."""
        leak = (_vars_in(expr) - local) & outer
        if leak:
            self.flag(what, where, leak)
        for graph in _exists_graphs(expr):
            # EXISTS substitutes the solution into its pattern (SPARQL 1.1, 18.6): its own group sees the
            # solution's variables in both evaluations; deeper groups are checked like any other.
            self.pattern(graph, outer | possible, possible | local, "inside EXISTS")

    def pattern(self, node: object, outer: set[str], here: set[str], where: str) -> None:  # noqa: C901
        """Check ``node``, evaluated where ``outer`` may already be bound (in rdflib, which passes bindings
        along). ``here``: the variables standard SPARQL also has bound at this node — on the top-level group
        of a constraint, ``?this`` (the compiled query joins the focus nodes there); empty inside a group
        that is evaluated on its own."""
        if self.problem is not None or not isinstance(node, CompValue):
            return
        name = node.name
        if name == "ServiceGraphPattern":
            self.problem = "SERVICE: the query reads another endpoint"
        elif name == "Join":
            self.pattern(node.p1, outer, here, where)
            _, p1 = _bindings(node.p1)
            self.pattern(node.p2, outer | p1, set(), "in a group joined after other patterns")
        elif name == "LeftJoin":
            self.pattern(node.p1, outer, here, where)
            c1, p1 = _bindings(node.p1)
            _, p2 = _bindings(node.p2)
            leak = (p2 - c1 - here) & outer
            if leak:
                self.flag("OPTIONAL", where, leak)
            self.pattern(node.p2, outer | p1, set(), "inside OPTIONAL")
            expr = node.get("expr")
            if expr is not None and not (isinstance(expr, CompValue) and expr.name == "TrueFilter"):
                c2, _ = _bindings(node.p2)
                self.expression(expr, c1 | c2 | here, p1 | p2 | here, outer, "the FILTER of an OPTIONAL", where)
        elif name == "Union":
            self.pattern(node.p1, outer, set(), "inside a UNION branch")
            self.pattern(node.p2, outer, set(), "inside a UNION branch")
        elif name == "Minus":
            self.pattern(node.p1, outer, here, where)
            c1, _ = _bindings(node.p1)
            _, p2 = _bindings(node.p2)
            leak = (p2 - c1 - here) & outer
            if leak:
                self.flag("MINUS", where, leak)
            self.pattern(node.p2, outer, set(), "inside MINUS")
        elif name == "Filter":
            self.pattern(node.p, outer, here, where)
            c, p = _bindings(node.p)
            self.expression(node.expr, c | here, p | here, outer, "a FILTER", where)
        elif name == "Extend":
            self.pattern(node.p, outer, here, where)
            c, p = _bindings(node.p)
            renamed = isinstance(node.expr, Variable) and str(node.expr).startswith("__agg_")
            if str(node.var) in outer - here and not renamed:  # (rdflib projects a GROUP BY key by renaming)
                self.flag("a BIND", where, {str(node.var)})
            self.expression(node.expr, c | here, p | here, outer, "a BIND", where)
        elif name == "Project":  # a sub-select: evaluated on its own, joined on what it projects
            pv = {str(v) for v in node.get("PV") or []}
            leak = (_vars_in(node.p) - pv) & outer
            if leak:
                self.flag("a sub-select", where, leak)
            self.pattern(node.p, outer, set(), "inside a sub-select")
        elif name == "Slice":
            leak = (_vars_in(node.p) & outer) - here
            if leak:  # a LIMIT applied after the outer bindings cut other solutions than one applied before
                self.flag("a LIMIT/OFFSET", where, leak)
            self.pattern(node.p, outer, here, where)
        elif name in ("Graph", "AggregateJoin", *_MODIFIERS):
            self.pattern(node.p, outer, here, where)
        # BGP, TriplesBlock, values: patterns that only join, the same with or without the outer bindings


def subselect(node: object) -> CompValue | None:
    """The ``Project`` of a sub-select: ``node`` is what a ``ToMultiSet`` holds, its solution modifiers
    (DISTINCT, REDUCED, LIMIT/OFFSET, ORDER BY) above it; None when it is inline data or no sub-select."""
    while isinstance(node, CompValue) and node.name in ("Distinct", "Reduced", "Slice", "OrderBy"):
        node = node.p
    return node if isinstance(node, CompValue) and node.name == "Project" else None


def subselect_projections(algebra: CompValue) -> list[set[str]]:
    """The projected variables of every sub-select of a query (not of the query itself)."""
    out: list[set[str]] = []
    stack: list[object] = [algebra.get("p")]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name == "ToMultiSet" and (project := subselect(n.get("p"))) is not None:
                out.append({str(v) for v in project.get("PV") or []})
            stack.extend(v for k, v in n.items() if k != "_vars")
        elif isinstance(n, list | tuple):
            stack.extend(n)
    return out


@dataclass(frozen=True)
class Analysis:
    """What the compiler needs to know of a SELECT: the variables it projects, its scope problem, if any, and
    the projections of its sub-selects (SHACL asks each to project every pre-bound variable)."""

    projected: frozenset[str]
    problem: str | None
    subselects: tuple[frozenset[str], ...] = ()


@functools.lru_cache(maxsize=512)
def analyse(text: str, *, prebound: bool = True) -> Analysis:
    """Parse a SELECT (rdflib) and check its scopes; cached by text (rdflib's parser takes ~0.1-0.2 s a query,
    and the server, the tests and the incremental validator compile the same shapes again and again).
    :class:`QueryError` when it does not parse or is no SELECT."""
    algebra = parse_select(text)
    return Analysis(frozenset(projected(algebra)), scope_problem(algebra, prebound=prebound),
                    tuple(frozenset(p) for p in subselect_projections(algebra)))


@functools.lru_cache(maxsize=512)
def substitutable(text: str) -> bool:
    """Whether the SELECT ``text``, run with ``?this`` pre-bound to a term (Oxigraph's ``substitutions``, SPARQL
    SEP-0007), answers exactly its solutions whose ``?this`` is that term: it projects ``?this``, has no
    ``LIMIT``/``OFFSET`` or aggregate of its own (they would apply after the binding instead of before), and no
    group whose answer changes when ``?this`` is bound before it is evaluated (:func:`scope_problem`, pre-bound);
    every solution binds ``?this``.
    False as well when it does not parse."""
    try:
        algebra = parse_select(text)
    except QueryError:
        return False
    if "this" not in projected(algebra):
        return False
    node = algebra.p
    while isinstance(node, CompValue) and node.name in ("Slice", "Distinct", "Reduced", "OrderBy"):
        if node.name == "Slice":
            return False
        node = node.p
    if not (isinstance(node, CompValue) and node.name == "Project"):
        return False
    inner = node.p
    while isinstance(inner, CompValue) and inner.name in ("Filter", "Extend"):
        inner = inner.p  # HAVING and the projected expressions sit above the aggregate
    if isinstance(inner, CompValue) and inner.name in ("AggregateJoin", "Group"):
        return False
    if "this" not in _bindings(node.p)[0]:
        return False  # a solution without ?this (an OPTIONAL one, a UNION branch) would get it from the binding
    return scope_problem(algebra, prebound=True) is None


def scope_problem(algebra: CompValue, *, prebound: bool = True) -> str | None:
    """Why rdflib and standard SPARQL can answer this SELECT differently (None: they cannot).

    ``prebound``: the query is a SHACL-SPARQL constraint, whose ``$this`` pyshacl pre-binds everywhere while
    the compiled query joins it at the top level only; a SPARQL target (``prebound=False``) binds nothing.
    """
    node = algebra.p
    while isinstance(node, CompValue) and node.name in ("Slice", "Distinct", "Reduced", "OrderBy"):
        node = node.p  # the solution modifiers of the query itself
    if isinstance(node, CompValue) and node.name == "Project":
        node = node.p
    walk = _Walk()
    seen = {"this"} if prebound else set()
    walk.pattern(node, seen, seen, "at the top level")
    return walk.problem
