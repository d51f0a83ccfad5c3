"""The effect of a SPARQL Update: the quads each of its operations inserts (Δ+) and deletes (Δ−).

A guarded update is validated on its effect (:mod:`hpkg.shacl.incremental`), so the effect must be known
exactly, operation by operation, against the state the operations before it left:

* ``INSERT DATA`` / ``DELETE DATA``: the quads are given;
* ``DELETE WHERE`` and ``DELETE/INSERT … WHERE`` (with ``WITH``, ``USING``, ``USING NAMED``): the WHERE pattern is
  evaluated by Oxigraph on the private after-state view (:mod:`hpkg.store.snapshot`) with the dataset
  Oxigraph's update uses — the store's *real* default graph (not the union of the graphs), ``WITH g`` making
  ``g`` the default, ``USING``/``USING NAMED`` replacing the dataset (only the graphs they name: ``USING NAMED``
  alone leaves an empty default graph) — and the templates are instantiated per solution with SPARQL's rules
  (a triple with an unbound variable, or a term in an illegal position, is skipped; a template blank node is
  a fresh blank node per solution);
* ``CLEAR``/``DROP``/``ADD``/``MOVE``/``COPY``: the quads of the graphs concerned; ``CREATE`` changes no quad;
* ``LOAD`` is refused: a guarded update cannot know what a URL will return.

:func:`apply_operations` computes the effect of each operation, then runs the operation's own text (with the
prologue in force) on the view, so that the view is exactly what Oxigraph makes of the update; the quads the
operation was computed to insert must then be there and those it was computed to delete gone, which is
checked (a disagreement is reported in :attr:`Delta.exact`, and the caller validates the view in full).

Why a hand-written tokenizer. Oxigraph runs the WHERE pattern; it needs the pattern's SPARQL text. Neither
rdflib nor pyoxigraph exposes the positions of a parsed update's parts (rdflib's algebra is terms, not text;
pyoxigraph parses updates only to run them), so :func:`tokenize` splits the request into lexical tokens with
SPARQL 1.1's lexical rules where they matter for structure:

* strings in all four quote forms (``"…"``, ``'…'``, ``\"\"\"…\"\"\"``, ``'''…'''``) with backslash escapes, so that
  ``{ } ; # WHERE`` inside a string are text;
* ``<IRIREF>`` (no spaces or ``<>"{}|^`\\`` inside) versus ``<`` / ``<=`` used as operators, by the
  longest-match rule of the grammar (``?a < ?b`` is an operator, ``<http://x#y>`` is one IRI);
* ``#`` comments to the end of the line (but not ``#`` inside an IRI or a string);
* braces, and ``;`` at brace depth 0, which separates operations; ``PREFIX``/``BASE`` at depth 0, which open the
  prologue that stays in force for the operations after it;
* backslash escapes in prefixed names (``ex:a\\#b``).

rdflib parses the whole request (the operations' kinds and templates come from its algebra); the tokenizer
gives, for each operation, its text and the text of its WHERE group; the two must agree on the number of
operations, else the update is refused. A syntax error is reported with the line and column Oxigraph's parser
gives (rdflib's pyparsing positions point at the start of the failing operation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.terms import to_oxigraph

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = ox.NamedNode | ox.DefaultGraph

# --------------------------------------------------------------------------------------------------- tokenizer


@dataclass(frozen=True)
class Token:
    """A lexical token: ``kind`` is string, iri, comment, ws, punct or word; ``start``/``end`` index the text."""

    kind: str
    text: str
    start: int
    end: int


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WS = re.compile(r"\s+")
_PUNCT = set("{}()[];,")
_WORD_END = set("{}()[];,\"'<#") | set(" \t\r\n\f\v")


def _string_end(text: str, i: int) -> int:
    """The index just after the string literal starting at ``i`` (the text's end if unterminated)."""
    q = text[i]
    long = text.startswith(q * 3, i)
    close = q * 3 if long else q
    j = i + (3 if long else 1)
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if text.startswith(close, j):
            return j + len(close)
        if not long and c in "\r\n":
            return j  # unterminated short string: the parser will say so
        j += 1
    return n


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens (every character belongs to exactly one token)."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            m = _WS.match(text, i)
            assert m is not None
            j, kind = m.end(), "ws"
        elif c == "#":
            j = text.find("\n", i)
            j, kind = (n if j < 0 else j), "comment"
        elif c in "\"'":
            j, kind = _string_end(text, i), "string"
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m is not None:
                j, kind = m.end(), "iri"
            else:
                j, kind = i + (2 if text.startswith("<=", i) else 1), "word"
        elif c in _PUNCT:
            j, kind = i + 1, "punct"
        else:
            j = i
            while j < n and text[j] not in _WORD_END:
                j += 2 if text[j] == "\\" else 1
            j, kind = min(j, n), "word"
        out.append(Token(kind, text[i:j], i, j))
        i = j
    return out


@dataclass
class OperationText:
    """One operation of a request, as text: the prologue in force, its own text and its WHERE group."""

    prologue: str
    text: str
    keyword: str
    where: str | None
    start: int


def split_operations(text: str) -> list[OperationText]:
    """The operations of an update request, split at the ``;`` at brace depth 0."""
    tokens = [t for t in tokenize(text) if t.kind not in ("ws", "comment")]
    segments: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if t.kind == "punct" and t.text in "{[(":
            depth += 1
        elif t.kind == "punct" and t.text in "}])":
            depth -= 1
        if depth == 0 and t.kind == "punct" and t.text == ";":
            segments.append([])
            continue
        segments[-1].append(t)
    prologue: list[str] = []
    out: list[OperationText] = []
    for seg in segments:
        i = 0
        while i < len(seg) and seg[i].kind == "word" and seg[i].text.upper() in ("PREFIX", "BASE"):
            width = 3 if seg[i].text.upper() == "PREFIX" else 2
            prologue.append(" ".join(t.text for t in seg[i : i + width]))
            i += width
        body = seg[i:]
        if not body:
            continue
        out.append(OperationText(
            prologue="\n".join(prologue),
            text=text[body[0].start : body[-1].end],
            keyword=body[0].text.upper(),
            where=_where_group(text, body),
            start=body[0].start,
        ))
    return out


def _where_group(text: str, body: list[Token]) -> str | None:
    """The text of the group after the first ``WHERE`` at depth 0 (braces included), if any."""
    depth = 0
    for k, t in enumerate(body):
        if t.kind == "punct" and t.text in "{[(":
            depth += 1
        elif t.kind == "punct" and t.text in "}])":
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "WHERE":
            rest = body[k + 1 :]
            if not rest or rest[0].text != "{":
                return None
            d = 0
            for u in rest:
                if u.kind == "punct" and u.text == "{":
                    d += 1
                elif u.kind == "punct" and u.text == "}":
                    d -= 1
                    if d == 0:
                        return text[rest[0].start : u.end]
            return None
    return None


# ------------------------------------------------------------------------------------------------------ parsing


@dataclass
class Operation:
    """One parsed operation: rdflib's algebra (``algebra.name`` is its kind) and its text."""

    algebra: CompValue
    source: OperationText
    #: The quads of an ``INSERT DATA``/``DELETE DATA`` request read by Oxigraph's parser (:func:`parse_update`'s
    #: fast path; its blank nodes are the parser's, not the view's); None when parsed by rdflib.
    data: frozenset[ox.Quad] | None = None

    @property
    def kind(self) -> str:
        return str(self.algebra.name)

    @property
    def sparql(self) -> str:
        """The operation's own text with the prologue in force (to run it alone)."""
        return f"{self.source.prologue}\n{self.source.text}" if self.source.prologue else self.source.text


_OX_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(text: str, base_iri: str | None, rdflib_error: ParseException | None = None) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` naming line and column: Oxigraph's position if it finds the error, else rdflib's."""
    has_load = any(t.kind == "word" and t.text.upper() == "LOAD" for t in tokenize(text))
    if not has_load:  # never let a syntax check fetch a URL
        try:
            ox.Store().update(text, base_iri=base_iri)
        except SyntaxError as e:
            msg = str(e)
            m = _OX_POSITION.search(msg)
            if m:
                detail = msg[m.end():].lstrip(": ")
                detail = detail if len(detail) <= 200 else detail[:200].rsplit(",", 1)[0] + ", …"
                return QuerySyntaxError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {detail}")
            return QuerySyntaxError(f"SPARQL syntax error: {msg}")
        except (ValueError, OSError, RuntimeError):
            pass  # Oxigraph parsed it and refused it at run time on the empty probe (e.g. DROP of a missing graph)
    if rdflib_error is not None:
        return QuerySyntaxError(f"SPARQL syntax error at line {rdflib_error.lineno}, column {rdflib_error.col}: "
                                f"{rdflib_error.msg}")
    return QuerySyntaxError("SPARQL syntax error")


def _data_operation(text: str, base_iri: str | None) -> list[Operation] | None:
    """A request of one ``INSERT DATA`` or ``DELETE DATA`` operation, its quads read by Oxigraph; None otherwise.

    rdflib's SPARQL parser (pyparsing) takes milliseconds per triple of a data block, most of a guarded small
    write's time. The quads of a data block are the quads ``INSERT DATA`` of the same block puts into an empty
    store, with Oxigraph's own parser: the one that runs the update on the view and on the store (so the terms are
    exactly the store's). A ``DELETE DATA`` block is read as the ``INSERT DATA`` of its body (it may not hold
    blank nodes: one that does is left to the full parser, which refuses it). Anything the probe refuses goes the
    full way too, which reports the error with its position."""
    texts = split_operations(text)
    if len(texts) != 1 or texts[0].keyword not in ("INSERT", "DELETE"):
        return None
    op = texts[0]
    words = [t for t in tokenize(op.text) if t.kind not in ("ws", "comment")]
    if len(words) < 2 or words[1].kind != "word" or words[1].text.upper() != "DATA":
        return None
    probe = ox.Store()
    try:
        probe.update(f"{op.prologue}\nINSERT DATA {op.text[words[1].end:]}", base_iri=base_iri)
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None
    quads = frozenset(probe)
    if op.keyword == "DELETE" and any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        return None
    return [Operation(CompValue("InsertData" if op.keyword == "INSERT" else "DeleteData"), op, quads)]


def parse_update(text: str, *, base_iri: str | None = None) -> list[Operation]:
    """Parse an update request into its operations; :class:`QuerySyntaxError` (with line:column) if malformed."""
    fast = _data_operation(text, base_iri)
    if fast is not None:
        return fast
    try:
        algebra = translateUpdate(parseUpdate(text), base=base_iri)
    except ParseException as e:
        raise syntax_error(text, base_iri, e) from None
    except Exception as e:  # rdflib raises plain exceptions for e.g. undeclared prefixes
        err = syntax_error(text, base_iri)
        raise (err if str(err) != "SPARQL syntax error" else QuerySyntaxError(f"SPARQL syntax error: {e}")) from None
    texts = split_operations(text)
    # An update with no operation (empty, only comments or a prologue) is valid SPARQL; rdflib gives a bare list.
    ops = list(algebra.algebra) if hasattr(algebra, "algebra") else []
    if len(ops) != len(texts):
        raise HpkgError(f"cannot split the update into its {len(ops)} operations (found {len(texts)}); "
                        "run it unguarded or simplify it")
    out = [Operation(a, t) for a, t in zip(ops, texts, strict=True)]
    for op in out:
        if op.kind == "Load":
            raise HpkgError("LOAD is not allowed in a validated update: load the data with 'hpkg load --validate' "
                            "or send it as INSERT DATA")
        if op.kind in ("Modify", "DeleteWhere") and op.source.where is None:
            raise HpkgError(f"cannot find the WHERE group of operation {op.source.text[:80]!r}")
    return out


# ------------------------------------------------------------------------------------------------------- effect


@dataclass
class Delta:
    """The net effect of an update on the view: quads inserted and deleted (each quad at most once, in one of them).

    ``fresh`` holds the blank nodes the update's templates created (the view holds other, equivalent ones: the
    after-state is what Oxigraph made of the operations). ``exact`` is False when the computed effect and the
    view disagree (then the caller must validate the view in full); ``full`` is True when the effect is too big
    to list (``CLEAR ALL`` …): the counts are kept, the quads are not.
    """

    inserted: set[ox.Quad] = field(default_factory=set)
    deleted: set[ox.Quad] = field(default_factory=set)
    fresh: set[ox.BlankNode] = field(default_factory=set)
    exact: bool = True
    full: bool = False
    inserted_count: int = 0
    deleted_count: int = 0

    def record(self, removed: Iterator[ox.Quad] | set[ox.Quad], added: Iterator[ox.Quad] | set[ox.Quad]) -> None:
        """Fold one operation's effective removals and additions into the net effect."""
        for q in removed:
            if q in self.inserted:
                self.inserted.discard(q)
            else:
                self.deleted.add(q)
        for q in added:
            if q in self.deleted:
                self.deleted.discard(q)
            else:
                self.inserted.add(q)

    def counts(self) -> tuple[int, int]:
        """(inserted, deleted) quad counts."""
        if self.full:
            return self.inserted_count, self.deleted_count
        return len(self.inserted), len(self.deleted)


#: More quads than this in one operation's effect: keep counts only and validate the view in full.
EFFECT_LIMIT = 200_000

_EMPTY_GRAPH = ox.NamedNode("urn:hpkg:update:no-graph")


def _graph(g: object) -> GraphName:
    if g is None or g == "DEFAULT":
        return ox.DefaultGraph()
    return ox.NamedNode(str(g))


def _instantiate(term: object, row: dict[str, Term | None], bnodes: dict[BNode, ox.BlankNode],
                 fresh: set[ox.BlankNode]) -> Term | None:
    if isinstance(term, Variable):
        return row.get(str(term))
    if isinstance(term, BNode):
        b = bnodes.get(term)
        if b is None:
            b = bnodes[term] = ox.BlankNode()
            fresh.add(b)
        return b
    if isinstance(term, URIRef | Literal):
        return to_oxigraph(term)
    return None


def _templates(clause: CompValue | None, default: GraphName) -> list[tuple[object, object, object, object]]:
    """A quad template (``triples`` in the default graph, ``quads`` per graph) as (s, p, o, g) rdflib terms."""
    if clause is None:
        return []
    out: list[tuple[object, object, object, object]] = [(s, p, o, default) for s, p, o in clause.triples or []]
    for g, triples in (clause.quads or {}).items():
        out.extend((s, p, o, g) for s, p, o in triples)
    return out


def _ground(templates: list[tuple[object, object, object, object]], rows: list[dict[str, Term | None]],
            fresh: set[ox.BlankNode]) -> set[ox.Quad]:
    """The quads of the templates for each solution, with SPARQL's rules for unbound and illegal terms."""
    out: set[ox.Quad] = set()
    for row in rows:
        bnodes: dict[BNode, ox.BlankNode] = {}
        for s, p, o, g in templates:
            st = _instantiate(s, row, bnodes, fresh)
            pt = _instantiate(p, row, bnodes, fresh)
            ot = _instantiate(o, row, bnodes, fresh)
            if isinstance(g, ox.DefaultGraph | ox.NamedNode):
                gt: object = g
            else:
                gt = _instantiate(g, row, bnodes, fresh)
            if not isinstance(st, ox.NamedNode | ox.BlankNode) or not isinstance(pt, ox.NamedNode) or ot is None:
                continue
            if not isinstance(gt, ox.NamedNode | ox.DefaultGraph):
                continue
            out.add(ox.Quad(st, pt, ot, gt))
    return out


def _solutions(store: ox.Store, op: Operation, base_iri: str | None,
               default: list[GraphName] | None, named: list[ox.NamedNode] | None) -> list[dict[str, Term | None]]:
    query = f"{op.source.prologue}\nSELECT * WHERE {op.source.where}"
    kwargs: dict[str, object] = {"base_iri": base_iri}
    if default is not None:
        kwargs["default_graph"] = default or [_EMPTY_GRAPH]
    if named is not None:
        kwargs["named_graphs"] = named or [_EMPTY_GRAPH]
    try:
        result = store.query(query, **kwargs)  # type: ignore[arg-type]  # the keyword types differ per key
    except SyntaxError as e:
        raise QuerySyntaxError(f"SPARQL syntax error in the WHERE of {op.source.text[:60]!r}: {e}") from None
    assert isinstance(result, ox.QuerySolutions)  # a SELECT
    names = [v.value for v in result.variables]
    return [dict(zip(names, sol, strict=True)) for sol in result]


def _dataset(op: Operation) -> tuple[GraphName, list[GraphName] | None, list[ox.NamedNode] | None]:
    """(template default graph, WHERE default graphs or None = the real default graph, WHERE named graphs or None = all)."""
    a = op.algebra
    with_g = dict.get(a, "withClause")
    template_default: GraphName = _graph(with_g) if with_g is not None else ox.DefaultGraph()
    using = dict.get(a, "using") or []
    if using:
        default = [ox.NamedNode(str(u.default)) for u in using if dict.get(u, "default") is not None]
        named = [ox.NamedNode(str(u.named)) for u in using if dict.get(u, "named") is not None]
        return template_default, list(default), named
    if with_g is not None:
        return template_default, [ox.NamedNode(str(with_g))], None
    return template_default, None, None


def _graph_quads(store: ox.Store, g: GraphName) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, g))


def _targets(store: ox.Store, spec: object) -> list[GraphName]:
    """The graphs a CLEAR/DROP target names (a graph IRI, DEFAULT, NAMED or ALL)."""
    if spec == "DEFAULT":
        return [ox.DefaultGraph()]
    if spec == "NAMED":
        return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    if spec == "ALL":
        return [ox.DefaultGraph(), *(g for g in store.named_graphs() if isinstance(g, ox.NamedNode))]
    return [_graph(spec)]


def operation_effect(store: ox.Store, op: Operation, *, base_iri: str | None,
                     fresh: set[ox.BlankNode]) -> tuple[set[ox.Quad], set[ox.Quad]] | None:
    """(quads it deletes, quads it inserts) on ``store`` as it is now, both *effective* (a deleted quad was
    there, an inserted one was not); ``None`` when the effect is larger than :data:`EFFECT_LIMIT`."""
    kind = op.kind
    a = op.algebra
    deletes: set[ox.Quad] = set()
    inserts: set[ox.Quad] = set()
    if kind in ("InsertData", "DeleteData") and op.data is not None:
        (inserts if kind == "InsertData" else deletes).update(op.data)
        if kind == "InsertData":  # the probe's blank nodes: the view holds its own (matched as template ones)
            fresh.update(t for q in op.data for t in (q.subject, q.object) if isinstance(t, ox.BlankNode))
    elif kind in ("InsertData", "DeleteData"):
        quads = _ground(_templates(a, ox.DefaultGraph()), [{}], fresh if kind == "InsertData" else set())
        (inserts if kind == "InsertData" else deletes).update(quads)
    elif kind == "DeleteWhere":
        templates = _templates(a, ox.DefaultGraph())
        deletes = _ground(templates, _solutions(store, op, base_iri, None, None), set())
    elif kind == "Modify":
        template_default, default, named = _dataset(op)
        rows = _solutions(store, op, base_iri, default, named)
        deletes = _ground(_templates(dict.get(a, "delete"), template_default), rows, set())
        inserts = _ground(_templates(dict.get(a, "insert"), template_default), rows, fresh)
    elif kind in ("Clear", "Drop"):
        for g in _targets(store, a.graphiri):
            deletes.update(_graph_quads(store, g))
            if len(deletes) > EFFECT_LIMIT:
                return None
    elif kind in ("Add", "Copy", "Move"):
        src, dst = (_graph(g) for g in a.graph)
        if src == dst:
            return set(), set()
        source = _graph_quads(store, src)
        if len(source) > EFFECT_LIMIT:
            return None
        moved = {ox.Quad(q.subject, q.predicate, q.object, dst) for q in source}
        inserts = moved
        if kind in ("Copy", "Move"):
            deletes = set(_graph_quads(store, dst)) - moved
        if kind == "Move":
            deletes.update(source)
    elif kind == "Create":
        pass
    else:
        raise HpkgError(f"operation {kind} is not supported in a validated update")
    if len(deletes) + len(inserts) > EFFECT_LIMIT:
        return None
    removed = {q for q in deletes if q not in inserts and q in store}
    added = {q for q in inserts if q.subject in fresh or q.object in fresh or q not in store}
    return removed, added


def apply_operations(store: ox.Store, ops: list[Operation], *, base_iri: str | None = None) -> Delta:
    """Compute each operation's effect on ``store``, then run the operation on it; the net effect of them all.

    ``store`` must be a private view (it is changed): :func:`hpkg.store.snapshot.after_state`.
    """
    delta = Delta()
    for op in ops:
        try:
            effect = operation_effect(store, op, base_iri=base_iri, fresh=delta.fresh)
        except ValueError as e:  # a term rdflib's parser accepts and Oxigraph refuses (e.g. an IRI with a space)
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        before = len(store) if effect is None else 0
        try:
            store.update(op.sparql, base_iri=base_iri)
        except SyntaxError as e:
            raise syntax_error(op.sparql, base_iri) if "error at" in str(e) else QuerySyntaxError(
                f"SPARQL syntax error: {e}") from None
        except (ValueError, OSError, RuntimeError) as e:  # RuntimeError: e.g. DROP GRAPH of a graph that is not there
            raise HpkgError(f"update failed (nothing was changed): {e}") from None
        if effect is None:
            delta.full = True
            after = len(store)
            delta.inserted_count += max(after - before, 0)
            delta.deleted_count += max(before - after, 0)
            continue
        removed, added = effect
        delta.inserted_count += len(added)
        delta.deleted_count += len(removed)
        # The view is Oxigraph's own result: what was computed must be there (fresh blank nodes aside).
        if any(q in store for q in removed) or any(
                q not in store for q in added if q.subject not in delta.fresh and q.object not in delta.fresh):
            delta.exact = False
        delta.record(removed, added)
    return delta
