"""A fast SHACL engine: the shapes compiled to SPARQL and run inside the store, with pyshacl's results.

pyshacl walks the data graph node by node in Python (rdflib); at 1M triples that takes minutes. Here every
constraint of every shape becomes one SPARQL query over *all* focus nodes at once, answered by Oxigraph's
indexes (or by a remote SPARQL endpoint — the engine only needs :meth:`hpkg.store.Store.query`):

* targets (``sh:targetClass`` with the ``rdfs:subClassOf*`` closure, ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``) become a ``SELECT DISTINCT ?this`` sub-query;
* property paths (predicate, inverse, sequence, alternative, ``*``, ``+``, ``?``) become SPARQL property paths;
* SHACL Core components (``minCount``, ``maxCount``, ``class``, ``datatype``, ``nodeKind``, ``in``,
  ``hasValue``, ``min/maxInclusive``, ``min/maxExclusive``, ``min/maxLength``, ``pattern``, ``languageIn``,
  ``uniqueLang``, ``equals``, ``disjoint``, ``lessThan``, ``lessThanOrEquals``, ``closed``, ``node``) become
  one query each, written to give one result per value node exactly where pyshacl gives one;
* SHACL-SPARQL constraints (``sh:sparql`` / ``sh:select``) run as they are, with ``$this`` bound by joining
  the shape's focus nodes, ``$PATH`` and ``$currentShape`` substituted, and ``sh:prefixes`` declared.

Shape-based constraints (``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``) evaluate the referenced
shapes on the value nodes (again in SPARQL) and combine the sets of non-conforming nodes in Python.

Qualified value shapes (``sh:qualifiedValueShape`` with ``sh:qualifiedMin/MaxCount``) count, per focus node,
the value nodes outside the non-conforming set.

SHACL-AF SPARQL targets (``sh:target [ a sh:SPARQLTarget ; sh:select … ]``) become a sub-query.

A SHACL-SPARQL constraint (or SPARQL target) is left to pyshacl only when its parsed algebra shows a place where
rdflib and standard SPARQL answer differently (:func:`hpkg.shacl.sparql.scope_problem`): rdflib evaluates a
group with the bindings of the patterns before it (and pyshacl pre-binds ``$this`` everywhere), standard SPARQL
evaluates the group on its own, so a ``FILTER``/``EXISTS``/``BIND``/``OPTIONAL``/``MINUS`` inside a branch that
uses a variable bound only outside it can answer differently in Oxigraph (or any SPARQL server) than in pyshacl.
The text of a query is never searched for keywords: a word in a comment or a string changes nothing.

Shapes that use anything else (disjoint qualified value shapes, implicit class targets, parameterised target
types, SPARQL-based constraint components, rules…) are *not* guessed at: they are handed to pyshacl, alone
(the other shapes keep no targets in that run), so the whole report is always what pyshacl would give.
:func:`compile_shapes` tells which shapes go which way; tests compare the two engines result for result.
"""


from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL
from rdflib.term import Node

from hpkg.errors import HpkgError
from hpkg.namespaces import SH, SKOS, XSD, sparql_prologue
from hpkg.shacl.paths import Unsupported, nt, path_key, path_sparql
from hpkg.shacl.report import Violation
from hpkg.shacl.sparql import QueryError, analyse, select_clause, substitute, variables
from hpkg.store.base import Row
from hpkg.terms import Term

_SUBCLASS = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

#: The constraint parameters this engine compiles itself.
SUPPORTED = {
    SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.minInclusive,
    SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags,
    SH.languageIn, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.closed,
    SH.ignoredProperties, SH.node, SH.property, SH.sparql, SH["not"], SH["and"], SH["or"], SH.xone,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
}
#: Shape-level terms that carry no constraint.
NON_CONSTRAINT = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.path, SH.severity,
    SH.message, SH.name, SH.description, SH.order, SH.group, SH.deactivated, RDFS.label, RDFS.comment,
    SH.defaultValue, RDFS.seeAlso, RDFS.isDefinedBy, SKOS.note,
}
_NODE_KIND = {
    SH.IRI: "isIRI(?v)",
    SH.BlankNode: "isBlank(?v)",
    SH.Literal: "isLiteral(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}
_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


#: Datatypes an Oxigraph store keeps as xsd:integer (it normalises derived integer types when it stores them).
STORE_NORMALISED_DATATYPES = {
    XSD[t]
    for t in ("positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger", "int", "long",
              "short", "byte", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")
}



@dataclass
class Shape:
    """A compiled shape."""

    node: Node
    targets: list[str]
    path: str | None
    path_key: str | None
    severity: str
    messages: dict[str, str]
    queries: list[tuple[str, Callable[[str], str], str]] = field(default_factory=list)  # (component, sparql, kind)
    #: Shape-based constraints: (component, mode, referenced shapes), mode one of node/not/and/or/xone.
    nested: list[tuple[str, str, list[Node]]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


@dataclass(frozen=True)
class SparqlQuery:
    """A SHACL-SPARQL constraint's query around the focus nodes, and its ``sh:message`` templates."""

    head: str
    tail: str
    messages: dict[str, str]

    def __call__(self, focus: str) -> str:
        return f"{self.head} {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} {self.tail}"


def _int(n: Node) -> int:
    """An integer-valued constraint parameter (``sh:minCount 1``) as an ``int``."""
    return int(str(n))


def _messages(g: Graph, node: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in g.objects(node, SH.message):
        lang = getattr(m, "language", None) or "en"
        out.setdefault(lang, str(m))
    return out


class CompiledShapes:
    """The shapes graph split into compiled shapes and the shapes left to pyshacl."""

    def __init__(self, shapes: Graph, *, exact_datatypes: bool = False) -> None:
        self.graph = shapes
        self.exact_datatypes = exact_datatypes
        #: PREFIX declarations of SPARQL targets, put at the top of every query.
        self.prefixes: dict[str, str] = {}
        self.compiled: list[Shape] = []
        self.fallback: list[Node] = []
        #: Why each fallback shape could not be compiled.
        self.reasons: dict[Node, str] = {}
        self._cache: dict[Node, Shape] = {}
        for s in self._top_level():
            try:
                self.compiled.append(self._compile(s, top=True))
            except Unsupported as e:
                self.fallback.append(s)
                self.reasons[s] = str(e)

    def shape(self, node: Node) -> Shape:
        """The compiled shape for a shapes-graph node (top-level or referenced)."""
        return self._cache[node]

    def _top_level(self) -> list[Node]:
        g = self.graph
        found: set[Node] = set()
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            found.update(g.subjects(pred, None))
        for cls in (RDFS.Class, OWL.Class):
            for s in g.subjects(RDF.type, cls):
                if (s, RDF.type, SH.NodeShape) in g or (s, RDF.type, SH.PropertyShape) in g:
                    found.add(s)
        return sorted(found, key=str)

    def _compile(self, s: Node, *, top: bool = False) -> Shape:
        g = self.graph
        if s in self._cache and not top:
            return self._cache[s]
        if (s, SH.deactivated, Literal(True)) in g:
            shape = Shape(s, [], None, None, str(SH.Violation), {})
            self._cache[s] = shape
            return shape
        for cls in (RDFS.Class, OWL.Class):
            if (s, RDF.type, cls) in g:
                raise Unsupported("implicit class target")
        targets = []
        for t in g.objects(s, SH.target):
            select = g.value(t, SH.select)
            if select is None or (t, RDF.type, SH.SPARQLTargetType) in g:
                raise Unsupported("SPARQL target types with parameters")
            # A SHACL-AF SPARQL target: its SELECT binds ?this; its prefixes go at the top of every query.
            declarations = self._prefixes(t)
            self._declare(declarations)
            try:
                problem = analyse(f"{declarations}\n{select}", prebound=False).problem
            except QueryError as e:
                raise HpkgError(f"shape {s}: its SPARQL target {e}") from e
            if problem is not None:
                raise Unsupported(f"SPARQL target: {problem}")
            targets.append("{ " + str(select).strip() + " }")
        for c in g.objects(s, SH.targetClass):
            targets.append(f"?this {_SUBCLASS} {nt(c)} .")
        nodes = list(g.objects(s, SH.targetNode))
        if nodes:
            targets.append("VALUES ?this { " + " ".join(nt(n) for n in nodes) + " }")
        for p in g.objects(s, SH.targetSubjectsOf):
            targets.append(f"?this {nt(p)} [] .")
        for p in g.objects(s, SH.targetObjectsOf):
            targets.append(f"[] {nt(p)} ?this .")
        raw_path = g.value(s, SH.path)
        path = path_sparql(g, raw_path) if raw_path is not None else None
        severity = g.value(s, SH.severity) or SH.Violation
        shape = Shape(s, targets, path, path_key(g, raw_path), str(severity), _messages(g, s))
        self._cache[s] = shape
        preds = set(g.predicates(s, None))
        unknown = preds - SUPPORTED - NON_CONSTRAINT
        if unknown:
            raise Unsupported(f"components {sorted(map(str, unknown))}")
        if path is not None and (s, SH.property, None) in g:
            raise Unsupported("sh:property inside a property shape")
        if path is None:
            for p in (SH.minCount, SH.maxCount, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang):
                if (s, p, None) in g:
                    raise Unsupported(f"{p} on a node shape")
        self._compile_components(shape)
        for p in g.objects(s, SH.property):
            shape.properties.append(self._compile(p))
        for n in g.objects(s, SH.node):
            self._compile(n)
            shape.nested.append((str(SH.NodeConstraintComponent), "node", [n]))
        for n in g.objects(s, SH["not"]):
            self._compile(n)
            shape.nested.append((str(SH.NotConstraintComponent), "not", [n]))
        for pred, mode, comp in ((SH["and"], "and", SH.AndConstraintComponent), (SH["or"], "or", SH.OrConstraintComponent),
                                 (SH.xone, "xone", SH.XoneConstraintComponent)):
            for lst in g.objects(s, pred):
                members = list(Collection(g, lst))
                for m in members:
                    self._compile(m)
                shape.nested.append((str(comp), mode, members))
        for q in g.objects(s, SH.qualifiedValueShape):
            if path is None:
                raise Unsupported("sh:qualifiedValueShape on a node shape")
            if (s, SH.qualifiedValueShapesDisjoint, Literal(True)) in g:
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            self._compile(q)
            for pred, mode, comp in ((SH.qualifiedMinCount, "qmin", SH.QualifiedMinCountConstraintComponent),
                                     (SH.qualifiedMaxCount, "qmax", SH.QualifiedMaxCountConstraintComponent)):
                for n in g.objects(s, pred):
                    shape.nested.append((str(comp), f"{mode}:{_int(n)}", [q]))
        return shape

    def _compile_components(self, shape: Shape) -> None:  # noqa: C901 - one branch per component
        g, s = self.graph, shape.node
        path = shape.path
        add = shape.queries.append

        def values(focus: str) -> str:
            if path is None:
                return f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} BIND(?this AS ?v)"
            return f"{{ SELECT DISTINCT ?this ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} ?this {path} ?v }} }}"

        checks: list[tuple[str, str]] = []

        def per_value(component: str, condition: str) -> None:
            # Collected, then asked in one query per shape: one pass over the value nodes for all of them.
            checks.append((component, condition))

        for n in g.objects(s, SH.minCount):
            k = _int(n)
            if k <= 0:
                continue
            if k == 1:
                add((str(SH.MinCountConstraintComponent), lambda f: (
                    f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} "
                    f"FILTER NOT EXISTS {{ ?this {path} ?v }} }}"), "focus"))
            else:
                def min_count(f: str, k: int = k) -> str:
                    return (f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} OPTIONAL {{ ?this {path} ?v }} }}"
                            f" GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {k})")

                add((str(SH.MinCountConstraintComponent), min_count, "focus"))
        for n in g.objects(s, SH.maxCount):

            def max_count(f: str, k: int = _int(n)) -> str:
                return f"SELECT ?this WHERE {{ {values(f)} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {k})"

            add((str(SH.MaxCountConstraintComponent), max_count, "focus"))
        for c in g.objects(s, SH["class"]):
            per_value(str(SH.ClassConstraintComponent), f"NOT EXISTS {{ ?v {_SUBCLASS} {nt(c)} }}")
        for d in g.objects(s, SH.datatype):
            if self.exact_datatypes and d in STORE_NORMALISED_DATATYPES:
                raise Unsupported(f"sh:datatype {d}: an Oxigraph store keeps such literals as xsd:integer")
            if d == RDFS.Literal:
                cond = "!isLiteral(?v)"
            else:
                cond = f"!(isLiteral(?v) && COALESCE(datatype(?v) = {nt(d)}, false))"
            per_value(str(SH.DatatypeConstraintComponent), cond)
        for kind in g.objects(s, SH.nodeKind):
            if not isinstance(kind, URIRef) or kind not in _NODE_KIND:
                raise Unsupported(f"node kind {kind}")
            per_value(str(SH.NodeKindConstraintComponent), f"!{_NODE_KIND[kind]}")
        for lst in g.objects(s, SH["in"]):
            items = list(Collection(g, lst))
            cond = " || ".join(f"sameTerm(?v, {nt(i)})" for i in items) or "false"
            per_value(str(SH.InConstraintComponent), f"!({cond})")
        for h in g.objects(s, SH.hasValue):
            if path is None:

                def has_value(f: str, h: Node = h) -> str:
                    return (f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} "
                            f"FILTER(!sameTerm(?this, {nt(h)})) }}")
            else:

                def has_value(f: str, h: Node = h) -> str:
                    return (f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} "
                            f"FILTER NOT EXISTS {{ ?this {path} {nt(h)} }} }}")

            add((str(SH.HasValueConstraintComponent), has_value, "focus"))
        for pred, op in _COMPARE.items():
            for lim in g.objects(s, pred):
                per_value(str(SH[pred.split("#")[1][0].upper() + pred.split("#")[1][1:] + "ConstraintComponent"]),
                          f"!COALESCE(?v {op} {nt(lim)}, false)")
        for pred, op, comp in ((SH.minLength, ">=", SH.MinLengthConstraintComponent),
                               (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            for n in g.objects(s, pred):
                if pred == SH.minLength and _int(n) == 0:
                    continue
                per_value(str(comp), f"isBlank(?v) || !COALESCE(STRLEN(STR(?v)) {op} {_int(n)}, false)")
        flags = g.value(s, SH.flags)
        for pat in g.objects(s, SH.pattern):
            args = f"{Literal(str(pat)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags is not None else "")
            per_value(str(SH.PatternConstraintComponent), f"isBlank(?v) || !COALESCE(REGEX(STR(?v), {args}), false)")
        for lst in g.objects(s, SH.languageIn):
            langs = [str(x) for x in Collection(g, lst)]
            cond = " || ".join(f'langMatches(lang(?v), {Literal(x).n3()})' for x in langs) or "false"
            per_value(str(SH.LanguageInConstraintComponent), f"!COALESCE(isLiteral(?v) && ({cond}), false)")
        if (s, SH.uniqueLang, Literal(True)) in g:
            add((str(SH.UniqueLangConstraintComponent), lambda f: (
                f"SELECT ?this WHERE {{ {values(f)} FILTER(isLiteral(?v) && lang(?v) != \"\") }} "
                f"GROUP BY ?this (LCASE(lang(?v)) AS ?lang) HAVING (COUNT(DISTINCT ?v) > 1)"), "focus"))
        for p in g.objects(s, SH.equals):

            def equals(f: str, p: Node = p) -> str:
                return (f"SELECT ?this ?v WHERE {{ {{ {values(f)} FILTER NOT EXISTS {{ ?this {nt(p)} ?v }} }} UNION "
                        f"{{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} ?this {nt(p)} ?v "
                        f"FILTER NOT EXISTS {{ ?this {path} ?v }} }} }}")

            add((str(SH.EqualsConstraintComponent), equals, "value"))
        for p in g.objects(s, SH.disjoint):
            per_value(str(SH.DisjointConstraintComponent), f"EXISTS {{ ?this {nt(p)} ?v }}")
        for pred, op, comp in ((SH.lessThan, "<", SH.LessThanConstraintComponent),
                               (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)):
            for p in g.objects(s, pred):

                def less_than(f: str, p: Node = p, op: str = op) -> str:
                    return f"SELECT ?this ?v WHERE {{ {values(f)} ?this {nt(p)} ?w FILTER(!COALESCE(?v {op} ?w, false)) }}"

                add((str(comp), less_than, "value"))
        if (s, SH.closed, Literal(True)) in g:
            allowed: set[str] = set()
            for ign in g.objects(s, SH.ignoredProperties):
                allowed.update(str(x) for x in Collection(g, ign))
            for p in g.objects(s, SH.property):
                pp = g.value(p, SH.path)
                if isinstance(pp, URIRef):
                    allowed.add(str(pp))
            cond = " && ".join(f"?p != <{a}>" for a in sorted(allowed)) or "true"

            def closed(f: str, cond: str = cond) -> str:
                return f"SELECT ?this ?p ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {f} }} }} ?this ?p ?v FILTER({cond}) }}"

            add((str(SH.ClosedConstraintComponent), closed, "closed"))
        for c in g.objects(s, SH.sparql):
            if (c, SH.deactivated, Literal(True)) in g:
                continue
            select = g.value(c, SH.select)
            if select is None:
                raise Unsupported("sh:sparql without sh:select")
            prefixes = self._prefixes(c)
            msgs = _messages(g, c)
            add((str(SH.SPARQLConstraintComponent), self._sparql_builder(str(select), prefixes, shape,
                                                                         msgs or shape.messages), "sparql"))
        if checks:
            binds = " ".join(f"BIND({c} AS ?c{i})" for i, (_, c) in enumerate(checks))
            any_flag = " || ".join(f"?c{i}" for i in range(len(checks)))
            components = "\t".join(comp for comp, _ in checks)

            def value_checks(f: str, b: str = binds, a: str = any_flag) -> str:
                return f"SELECT * WHERE {{ {values(f)} {b} FILTER({a}) }}"

            add((components, value_checks, "value-checks"))

    def _declare(self, declarations: str) -> None:
        for line in declarations.splitlines():
            m = re.match(r"PREFIX (\S*): <([^>]*)>", line)
            if m is None:
                continue
            if self.prefixes.get(m.group(1), m.group(2)) != m.group(2):
                raise Unsupported(f"prefix {m.group(1)}: declared with two namespaces")
            self.prefixes[m.group(1)] = m.group(2)

    def _prefixes(self, constraint: Node) -> str:
        g = self.graph
        lines = []
        for ont in g.objects(constraint, SH.prefixes):
            for decl in g.objects(ont, SH.declare):
                pfx, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                if pfx is not None and ns is not None:
                    lines.append(f"PREFIX {pfx}: <{ns}>")
        return "\n".join(sorted(set(lines)))

    @staticmethod
    def _sparql_builder(select: str, prefixes: str, shape: Shape, messages: dict[str, str]) -> SparqlQuery:
        # Pre-bound variables by substitution on the query's tokens (see hpkg.shacl.sparql.substitute for why
        # substitution, and why it never touches a comment or a string); everything else from the parse.
        values = {"this": "?this"}
        if shape.path is not None:
            values["PATH"] = shape.path
        if isinstance(shape.node, URIRef):
            values["currentShape"] = f"<{shape.node}>"
        text = substitute(select, values)
        left = variables(text) & {"currentShape", "shapesGraph", "PATH"}
        if left:
            raise Unsupported(f"${sorted(left)[0]} it cannot substitute (a blank-node shape, a node shape's "
                              "$PATH, or the shapes graph)")
        try:
            analysis = analyse(f"{prefixes}\n{text}")
        except QueryError as e:
            raise HpkgError(f"shape {shape.node}: its SHACL-SPARQL query {e}") from e
        if any("this" not in p for p in analysis.subselects) and "this" in variables(select):
            # SHACL 1.0, 5.3.1.1: a sub-select must return every potentially pre-bound variable. pyshacl refuses
            # such a shape; the compiled engine refuses it too, so the two engines never disagree on it.
            raise HpkgError(f"shape {shape.node}: a sub-select of its SHACL-SPARQL query does not project $this "
                            "(SHACL 1.0, 5.3.1.1: a sub-select must project every pre-bound variable)")
        if analysis.problem is not None:
            raise Unsupported(analysis.problem)
        clause = select_clause(text)
        if clause is None:
            raise Unsupported("sh:select without a SELECT … { … } the compiler can find")
        insert, brace = clause
        star = text[insert:brace].lstrip().startswith("*")
        if "this" not in analysis.projected and not star:
            text = f"{text[:insert]} ?this{text[insert:]}"
            brace += len(" ?this")
        return SparqlQuery(f"{prefixes}\n{text[: brace + 1]}", text[brace + 1 :], messages)


def compile_shapes(shapes: Graph, *, exact_datatypes: bool = False) -> CompiledShapes:
    """Compile a shapes graph; ``.fallback`` lists the top-level shapes left to pyshacl.

    With ``exact_datatypes`` (data that did not come from an Oxigraph store, e.g. files), shapes that test
    derived integer datatypes go to pyshacl, because the store would have turned them into xsd:integer.
    """
    return CompiledShapes(shapes, exact_datatypes=exact_datatypes)


def _term_str(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value


#: Runs a SELECT and returns its rows (the store's ``query(q).rows()``, perhaps with the targets' prefixes).
Query = Callable[[str], Iterable[Row]]


def _run(query: Query, sparql: str) -> list[Row]:
    return list(query(sparql))


def shape_results(compiled: CompiledShapes, shape: Shape, focus: str, query: Query) -> list[Violation]:
    """The results of ``shape`` (and its property shapes) for the focus nodes bound by the pattern ``focus``."""
    out: list[Violation] = []
    for component, build, kind in shape.queries:
        if kind == "value-checks":
            comps = component.split("\t")
            for row in _run(query, build(focus)):
                this = _term_str(row.get("this"))
                if this is None:
                    continue
                for i, comp in enumerate(comps):
                    flag = row.get(f"c{i}")
                    if flag is not None and flag.value == "true":
                        out.append(Violation(this, shape.path_key, comp, shape.severity, _shape_id(shape.node),
                                             _term_str(row.get("v")), dict(shape.messages), value_term=row.get("v"),
                                             focus_term=row.get("this")))
            continue
        for row in _run(query, build(focus)):
            this = _term_str(row.get("this"))
            if this is None:
                continue
            path = shape.path_key
            value = _term_str(row.get("v"))
            if kind == "focus":
                value = None
            elif kind == "closed":
                path = _term_str(row.get("p"))
            elif kind == "sparql":
                value = _term_str(row.get("value"))
                if value is None and shape.path is None:
                    value = this
                p = row.get("path")
                if p is not None:
                    path = _term_str(p)
            raw_value = row.get("value") if kind == "sparql" else (None if kind == "focus" else row.get("v"))
            if kind == "sparql" and raw_value is None and shape.path is None:
                raw_value = row.get("this")
            messages = dict(shape.messages)
            if kind == "sparql":
                templates = build.messages if isinstance(build, SparqlQuery) else {}
                messages = {lang: _fill(text, row) for lang, text in templates.items()}
            out.append(Violation(this, path, component, shape.severity, _shape_id(shape.node), value,
                                 messages, value_term=raw_value, focus_term=row.get("this")))
    for component, mode, refs in shape.nested:
        if shape.path is None:
            pairs_q = f"SELECT DISTINCT ?this ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} BIND(?this AS ?v) }}"
            inner_focus = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
        else:
            pairs_q = (f"SELECT DISTINCT ?this ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
                       f"?this {shape.path} ?v }}")
            inner_focus = (f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT (?this AS ?f) WHERE {{ {focus} }} }} "
                           f"?f {shape.path} ?this }} }}")
        # For each referenced shape, the value nodes that do NOT conform to it.
        # Keyed by the whole term (N-Triples form): "2024"@vi and "2024"@en are different value nodes.
        bad = [{str(v.focus_term) for v in shape_results(compiled, compiled.shape(r), inner_focus, query)}
               for r in refs]
        if mode.startswith(("qmin", "qmax")):
            out.extend(_qualified(shape, component, mode, bad[0], focus, query))
            continue
        if mode in ("node", "and") and not any(bad):
            continue
        for row in _run(query, pairs_q):
            v = _term_str(row.get("v"))
            fails = [str(row.get("v")) in b for b in bad]
            if mode in ("node", "and"):
                violated = any(fails)
            elif mode == "not":
                violated = not fails[0]
            elif mode == "or":
                violated = all(fails)
            else:  # xone: exactly one must conform
                violated = fails.count(False) != 1
            if violated:
                out.append(Violation(_term_str(row["this"]) or "", shape.path_key, component, shape.severity,
                                     _shape_id(shape.node), v, dict(shape.messages), value_term=row.get("v"),
                                     focus_term=row.get("this")))
    for prop in shape.properties:
        out.extend(shape_results(compiled, prop, focus, query))
    return out


def _qualified(shape: Shape, component: str, mode: str, bad: set[str], focus: str, query: Query) -> list[Violation]:
    """sh:qualifiedMinCount/MaxCount: count, per focus node, the value nodes that conform to the qualified shape."""
    kind, limit = mode.split(":")
    counts: dict[str, int] = {}
    terms: dict[str, Term | None] = {}
    rows = _run(query, f"SELECT ?this ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
                       f"OPTIONAL {{ ?this {shape.path} ?v }} }}")
    seen: set[tuple[str | None, str | None]] = set()
    for row in rows:
        this = _term_str(row.get("this"))
        v = str(row["v"]) if row.get("v") is not None else None
        if this is None:
            continue
        terms[this] = row.get("this")
        counts.setdefault(this, 0)
        if v is not None and (this, v) not in seen and v not in bad:
            seen.add((this, v))
            counts[this] += 1
    n = int(limit)
    failing = [f for f, c in counts.items() if (c < n if kind == "qmin" else c > n)]
    return [Violation(f, shape.path_key, component, shape.severity, _shape_id(shape.node), None,
                      dict(shape.messages), focus_term=terms[f]) for f in failing]


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _fill(template: str, row: Row) -> str:
    """A SHACL-SPARQL message with ``{?var}``/``{$var}`` replaced by the row's values (as pyshacl does)."""

    def value(m: re.Match[str]) -> str:
        term = row.get(m.group(1))
        return m.group(0) if term is None else term.value

    return _PLACEHOLDER.sub(value, template)


def _shape_id(node: Node) -> str:
    return str(node)


_SUBCLASS_RE = re.compile(r"(\?\w+) " + re.escape(_SUBCLASS) + r" <([^>]+)>")


def with_subclass_sets(query: Query, subclasses_of: Callable[[str], list[str]] | None = None) -> Query:
    """Wrap ``query`` so that ``?x rdf:type/rdfs:subClassOf* <C>`` becomes ``VALUES ?k {C and its subclasses}
    ?x rdf:type ?k``: the subclasses are read once per class from the same data, so the answer is the same, but
    the store does index look-ups instead of a path closure per focus node (several times faster on disk).

    ``subclasses_of``: the IRIs of C and its subclasses (named nodes only, as here), when the caller has them
    already (:class:`hpkg.shacl.incremental.IncrementalValidator` reads the hierarchy once per write)."""
    cache: dict[str, list[str]] = {}
    counter = [0]

    def subclasses(c: str) -> list[str]:
        if subclasses_of is not None:
            return subclasses_of(c)
        if c not in cache:
            rows = query(f"SELECT DISTINCT ?k WHERE {{ ?k <{RDFS.subClassOf}>* <{c}> }}")
            found = {k.value for r in rows if isinstance(k := r.get("k"), ox.NamedNode)}
            found.add(c)
            cache[c] = sorted(found)
        return cache[c]

    def replace(m: re.Match[str]) -> str:
        counter[0] += 1
        var = f"?hpkg_class_{counter[0]}"
        values = " ".join(f"<{k}>" for k in subclasses(m.group(2)))
        return f"VALUES {var} {{ {values} }} {m.group(1)} <{RDF.type}> {var}"

    def run(sparql: str) -> Iterable[Row]:
        return query(_SUBCLASS_RE.sub(replace, sparql))

    return run


def validate_compiled(compiled: CompiledShapes, query: Query) -> list[Violation]:
    """Run every compiled top-level shape over its targets."""
    query = with_subclass_sets(query)
    if compiled.prefixes:
        head = sparql_prologue(dict(sorted(compiled.prefixes.items())))
        inner = query

        def query(sparql: str) -> Iterable[Row]:  # noqa: F811 - the same query, with the targets' prefixes
            return inner(head + sparql)

    out: list[Violation] = []
    for shape in compiled.compiled:
        if not shape.targets:
            continue
        focus = " UNION ".join(f"{{ {t} }}" for t in shape.targets)
        out.extend(shape_results(compiled, shape, focus, query))
    return out


def fallback_shapes_graph(compiled: CompiledShapes) -> Graph:
    """The shapes graph for the pyshacl run: only the fallback shapes keep their targets."""
    g = Graph()
    keep = set(compiled.fallback)
    target_preds = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
    for s, p, o in compiled.graph:
        if p in target_preds and s not in keep:
            continue
        g.add((s, p, o))
    return g
