"""SPARQL Update text for writes made of quads: insert, replace, add to and drop graphs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(t)


def insert_data(quads: Iterable[ox.Quad], graph: str | None = None) -> str:
    """An ``INSERT DATA`` operation for ``quads`` (into ``graph``, or each quad's own graph; ``""`` if none)."""
    by_graph: dict[str | None, list[str]] = {}
    for q in quads:
        g = graph if graph is not None else (q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None)
        by_graph.setdefault(g, []).append(f"{_term(q.subject)} {_term(q.predicate)} {_term(q.object)} .")
    if not by_graph:
        return ""
    parts = []
    for g, triples in by_graph.items():
        body = "\n".join(triples)
        parts.append(f"GRAPH <{g}> {{\n{body}\n}}" if g else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def insert_where(quads: Iterable[ox.Quad], graph: str | None = None) -> str:
    """``INSERT { … } WHERE {}`` for ``quads``: the same triples as :func:`insert_data`, blank nodes allowed.

    SPARQL 1.1 allows blank nodes in ``INSERT DATA`` too, but Virtuoso refuses them (SP031). In a template a
    blank node label is a fresh blank node for each solution, and ``WHERE {}`` has exactly one: the store gets
    the same graph, its blank nodes stay blank. Keep the quads that share a blank node in one call
    (:func:`blank_node_groups`): two operations never share a blank node.
    """
    body = insert_data(quads, graph)
    return "INSERT {" + body[len("INSERT DATA {"):] + " WHERE {}" if body else ""


def has_blank_node(q: ox.Quad) -> bool:
    """Whether the quad's subject or object is a blank node."""
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def blank_node_groups(quads: Sequence[ox.Quad], size: int = 5000) -> list[list[ox.Quad]]:
    """``quads`` in groups of about ``size``, never splitting the quads connected through blank nodes."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(b: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for q in quads:
        nodes = [t for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]
        if len(nodes) == 2:
            a, b = root(nodes[0]), root(nodes[1])
            if a != b:
                parent[a] = b
    components: dict[object, list[ox.Quad]] = {}
    for i, q in enumerate(quads):
        nodes = [t for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]
        components.setdefault(root(nodes[0]) if nodes else i, []).append(q)
    groups: list[list[ox.Quad]] = []
    for component in components.values():
        if not groups or len(groups[-1]) + len(component) > size:
            groups.append([])
        groups[-1].extend(component)
    return [g for g in groups if g]


def replace_graph(graph: str | None, quads: Sequence[ox.Quad]) -> str:
    """An update that replaces ``graph`` (``None``: the default graph) with ``quads`` in one request."""
    drop = "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>"
    body = insert_data(quads, graph)
    return f"{drop} ;\n{body}" if body else drop


def add_to_graph(graph: str | None, quads: Sequence[ox.Quad]) -> str:
    """An update that adds ``quads`` to ``graph`` (``None``: the default graph); ``""`` when there are none."""
    return insert_data(quads, graph)


def drop_graph(graph: str | None) -> str:
    """An update that removes ``graph`` (``None``: empties the default graph)."""
    return "DROP SILENT DEFAULT" if graph is None else f"DROP GRAPH <{graph}>"
