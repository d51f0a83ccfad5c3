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
