"""Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML (atomically)."""

from __future__ import annotations

from pathlib import Path

from hpkg.fileio import write_atomic
from hpkg.formats import EXPORT_FORMATS, rdf_format
from hpkg.rdfio import StoreDumper, copy_store
from hpkg.store import OxigraphStore, Store


def export(store: Store, fmt: str = "turtle", out: str | Path | None = None, *, graph: str | None = None) -> bytes:
    """Serialise the store (or one named graph) in ``fmt``; write it atomically to ``out`` if given.

    Triple formats (Turtle, N-Triples, RDF/XML) get the union of all graphs; dataset formats
    (N-Quads, TriG, JSON-LD) keep the graph names.
    """
    rdf_format(fmt)  # fail early on an unknown name
    data = store.dump(fmt, graph=graph)
    if out is not None:
        write_atomic(out, data)
    return data


def export_all(store: Store, directory: str | Path, *, stem: str = "hpkg") -> dict[str, Path]:
    """Write every export format to ``directory`` (``hpkg.ttl``, ``hpkg.nt`` …)."""
    directory = Path(directory)
    written = {}
    if isinstance(store, OxigraphStore):
        # Read the store once: an in-memory copy made by Oxigraph, then every format from it (the triple formats
        # share one union of the graphs). Reading an on-disk store costs as much as writing a format.
        # An in-memory store is read as it is.
        dumper = StoreDumper(store.reader if store.path is None else copy_store(store.reader))
        for fmt, ext in EXPORT_FORMATS.items():
            written[fmt] = write_atomic(directory / f"{stem}.{ext}", dumper.dump(fmt))
        return written
    for fmt, ext in EXPORT_FORMATS.items():
        written[fmt] = write_atomic(directory / f"{stem}.{ext}", store.dump(fmt))
    return written
