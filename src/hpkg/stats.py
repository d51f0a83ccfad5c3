"""Counts that describe a store: triples, named graphs, classes, instances per class."""

from __future__ import annotations

from dataclasses import dataclass

from hpkg.store import Store, bound


@dataclass
class Stats:
    """What ``hpkg stats`` reports."""

    triples: int
    graphs: dict[str, int]
    classes: int
    instances: dict[str, int]

    @property
    def text(self) -> str:
        """A human-readable report."""
        lines = [f"triples: {self.triples}", f"named graphs: {len(self.graphs)}"]
        lines += [f"  {g}: {n}" for g, n in self.graphs.items()]
        lines.append(f"classes with instances: {self.classes}")
        lines += [f"  {c}: {n}" for c, n in self.instances.items()]
        return "\n".join(lines)


def stats(store: Store) -> Stats:
    """Compute the statistics of a store (all with SPARQL, so any backend works)."""
    graphs = {g: store.count(g) for g in store.graphs()}
    rows = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
    ).rows()
    instances = {bound(r, "c").value: int(bound(r, "n").value) for r in rows}
    return Stats(triples=store.count(), graphs=graphs, classes=len(instances), instances=instances)
