"""Build the graph: ontology + ``data/`` -> staged, SHACL-validated, then written to the store at once.

The store's graphs:

* ``https://w3id.org/hpkg/ontology`` — the ontology;
* ``{base}graph/data`` — the curated data (every ``data/**/*.ttl`` outside ``data/links/``);
* ``{base}graph/links`` — the linkset written by ``hpkg link`` (``data/links/*.ttl``): links to official
  identifiers, kept apart so that they can be dropped, regenerated or published on their own;
* ``{base}graph/meta`` — the DCAT/VoID description of the graph itself (made here).

Nothing reaches the store unless every file parses and the whole graph conforms to the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hpkg import __version__
from hpkg.config import ONTOLOGY_IRI, PREFIXES, base_iri, graph_iri, project_root
from hpkg.errors import HpkgError
from hpkg.export import export_all
from hpkg.progress import progress
from hpkg.store import OxigraphStore, Store
from hpkg.terms import quads_to_graph
from hpkg.validate import ValidationReport, validate_graph

SOURCE_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


class BuildError(HpkgError):
    """The build stopped before writing anything; ``report`` holds SHACL results when validation failed."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class BuildReport:
    """What a build did."""

    files: list[tuple[Path, int]]
    triples: int
    graphs: dict[str, int]
    validation: ValidationReport | None
    exports: dict[str, Path] = field(default_factory=dict)


def ontology_file(root: Path | None = None) -> Path:
    """``ontology/hpkg.ttl``."""
    return (root or project_root()) / "ontology" / "hpkg.ttl"


def data_files(root: Path | None = None) -> list[Path]:
    """Every Turtle file under ``data/``, sorted."""
    files = sorted(((root or project_root()) / "data").rglob("*.ttl"))
    if not files:
        raise HpkgError(f"no data files under {(root or project_root()) / 'data'}")
    return files


def graph_for(path: Path, root: Path | None = None, base: str | None = None) -> str:
    """The named graph a data file is loaded into: ``graph/links`` for ``data/links/``, else ``graph/data``."""
    links_dir = (root or project_root()) / "data" / "links"
    return graph_iri("links" if path.resolve().is_relative_to(links_dir.resolve()) else "data", base)


def stage(root: Path | None = None, base: str | None = None) -> tuple[OxigraphStore, list[tuple[Path, int]]]:
    """Parse the ontology and data into a fresh in-memory store (raises on the first malformed file)."""
    root = root or project_root()
    base = base or base_iri()
    staged = OxigraphStore(None)
    files: list[tuple[Path, int]] = []
    jobs = [(ontology_file(root), ONTOLOGY_IRI)] + [(f, graph_for(f, root, base)) for f in data_files(root)]
    for path, graph in progress(jobs, desc="parsing", unit="file"):
        n = staged.load(path, graph=graph, base_iri=base)
        files.append((path, n))
    staged.add_quads(describe(staged, base))
    return staged, files


def describe(store: Store, base: str) -> list[ox.Quad]:
    """A DCAT + VoID description of the graph (title, license, source, version, triple counts)."""
    g = ox.NamedNode(graph_iri("meta", base))
    ds = ox.NamedNode(f"{base}dataset/hpkg")
    data_graph = graph_iri("data", base)
    n_data = store.count(data_graph)
    n_ont = store.count(ONTOLOGY_IRI)
    ns = PREFIXES

    def n(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(ns[prefix] + local)

    def lit(v: str, lang: str | None = None, dt: str | None = None) -> ox.Literal:
        if lang:
            return ox.Literal(v, language=lang)
        if dt:
            return ox.Literal(v, datatype=ox.NamedNode(dt))
        return ox.Literal(v)

    xsd = PREFIXES["xsd"]
    classes = store.scalar(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <{data_graph}> {{ ?s a ?c }} }}")
    entities = store.scalar(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{data_graph}> {{ ?s a ?c FILTER(isIRI(?s)) }} }}"
    )
    sources = [
        r["s"]
        for r in store.query(
            f"PREFIX hpkg: <{PREFIXES['hpkg']}> "
            f"SELECT DISTINCT ?s WHERE {{ GRAPH <{data_graph}> {{ ?s a hpkg:SourceDocument }} }} ORDER BY ?s"
        ).rows()
    ]
    triples = [
        (ds, n("rdf", "type"), n("dcat", "Dataset")),
        (ds, n("rdf", "type"), n("void", "Dataset")),
        (ds, n("rdfs", "label"), lit("Đồ thị tri thức khu kinh tế Hải Phòng", "vi")),
        (ds, n("rdfs", "label"), lit("Hai Phong economic-zone knowledge graph", "en")),
        (ds, n("dcterms", "title"), lit("Đồ thị tri thức khu kinh tế Hải Phòng", "vi")),
        (ds, n("dcterms", "title"), lit("Hai Phong economic-zone knowledge graph", "en")),
        (
            ds,
            n("dcterms", "description"),
            lit(
                "Khu kinh tế, khu công nghiệp, nhà đầu tư, dự án, chính sách, chỉ tiêu và số liệu của Hải Phòng, "
                "mỗi dữ kiện dẫn về câu văn nguồn.",
                "vi",
            ),
        ),
        (
            ds,
            n("dcterms", "description"),
            lit(
                "Hai Phong's economic zones, industrial parks, investors, projects, policies, targets and figures, "
                "each fact traceable to the sentence it came from.",
                "en",
            ),
        ),
        (ds, n("dcterms", "license"), ox.NamedNode(SOURCE_LICENSE)),
        (ds, n("dcat", "version"), lit(__version__)),
        (ds, n("owl", "versionInfo"), lit(__version__)),
        (ds, n("dcterms", "conformsTo"), ox.NamedNode(ONTOLOGY_IRI)),
        (ds, n("void", "vocabulary"), ox.NamedNode(PREFIXES["hpkg"])),
        (ds, n("void", "uriSpace"), lit(base)),
        (ds, n("void", "triples"), lit(str(n_data + n_ont + store.count(graph_iri("links", base))), dt=xsd + "integer")),
        (ds, n("void", "entities"), lit(str(entities), dt=xsd + "integer")),
        (ds, n("void", "classes"), lit(str(classes), dt=xsd + "integer")),
        (ds, n("dcterms", "spatial"), ox.NamedNode(f"{base}place/hai-phong")),
        (ds, n("dcterms", "language"), ox.NamedNode("http://id.loc.gov/vocabulary/iso639-1/vi")),
        (ds, n("dcterms", "language"), ox.NamedNode("http://id.loc.gov/vocabulary/iso639-1/en")),
    ]
    for s in sources:
        triples.append((ds, n("dcterms", "source"), s))
        triples.append((ds, n("prov", "wasDerivedFrom"), s))
    for vocab in ("org", "qb", "skos", "prov", "dcterms", "time", "eli", "schema", "qudt"):
        triples.append((ds, n("void", "vocabulary"), ox.NamedNode(PREFIXES[vocab])))
    links_graph = graph_iri("links", base)
    n_links = store.count(links_graph)
    subsets = [("data", data_graph, n_data), ("ontology", ONTOLOGY_IRI, n_ont)]
    if n_links:
        subsets.append(("links", links_graph, n_links))
    for name, iri, count in subsets:
        sub = ox.NamedNode(f"{base}dataset/hpkg/{name}")
        triples += [
            (ds, n("void", "subset"), sub),
            (sub, n("rdf", "type"), n("void", "Dataset")),
            (sub, n("rdfs", "label"), lit(f"graph {name}", "en")),
            (sub, n("sd", "name"), ox.NamedNode(iri)),
            (sub, n("void", "triples"), lit(str(count), dt=xsd + "integer")),
        ]
    return [ox.Quad(s, p, o, g) for s, p, o in triples]


def build(
    store: Store,
    *,
    root: Path | None = None,
    base: str | None = None,
    validate: bool = True,
    exports_dir: str | Path | None = "dist",
) -> BuildReport:
    """Build the graph into ``store``: parse, validate, then replace the store's hpkg graphs in one transaction.

    On a syntax error or a SHACL violation nothing is written and :class:`BuildError` (or
    :class:`hpkg.errors.RdfSyntaxError`) is raised. Exports go to ``exports_dir`` when given.
    """
    root = root or project_root()
    base = base or base_iri()
    staged, files = stage(root, base)
    report = None
    if validate:
        report = validate_graph(quads_to_graph(staged.quads()), root=root)
        if not report.conforms:
            raise BuildError(f"the graph does not conform to the shapes; nothing was written\n{report.text}", report)
    graphs = [ONTOLOGY_IRI, graph_iri("data", base), graph_iri("links", base), graph_iri("meta", base)]
    store.add_quads(list(staged.quads()), replace_graphs=graphs)
    counts = {g: staged.count(g) for g in graphs}
    exports = export_all(store, Path(exports_dir)) if exports_dir is not None else {}
    return BuildReport(files=files, triples=sum(counts.values()), graphs=counts, validation=report, exports=exports)
