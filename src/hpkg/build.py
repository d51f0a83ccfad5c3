"""Build the graph: ontology + shipped data + the project's data -> staged, SHACL-validated, then written to the store at once.

The store's graphs:

* ``https://w3id.org/hpkg/ontology`` — the ontology;
* ``{base}graph/data`` — the curated data (``data/*.ttl``, shipped and the project's);
* ``{base}graph/NAME`` — the files of a sub-folder ``data/NAME/`` (:mod:`hpkg.project`);
* ``{base}graph/links`` — the linkset written by ``hpkg link`` (``data/links/*.ttl``): links to official
  identifiers, kept apart so that they can be dropped, regenerated or published on their own;
* ``{base}graph/meta`` — the DCAT/VoID description of the graph itself (made here).

Nothing reaches the store unless every file parses and the whole graph conforms to the shapes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hpkg import __version__
from hpkg.errors import HpkgError
from hpkg.export import export_all
from hpkg.iri import LICENSE, base_iri, graph_iri
from hpkg.namespaces import ONTOLOGY_IRI, PREFIXES
from hpkg.progress import progress
from hpkg.project import Project, open_project
from hpkg.rdfio import load_into
from hpkg.shacl import ValidationReport
from hpkg.shacl import validate as validate_store
from hpkg.store import OxigraphStore, Store, bound
from hpkg.terms import Term


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


def stage(project: Project, base: str | None = None,
          exclude: Collection[Path] = ()) -> tuple[OxigraphStore, list[tuple[Path, int]]]:
    """Parse the ontology and data into a fresh in-memory store (raises on the first malformed file, naming
    file:line:column); each file with the number of quads it added. The data files in ``exclude`` are left out
    (an ingest accept that replaces an earlier one)."""
    base = base or base_iri()
    staged = OxigraphStore(None)
    files: list[tuple[Path, int]] = []
    skip = {Path(p).resolve() for p in exclude}
    jobs = [(project.ontology_file, ONTOLOGY_IRI)] + [(f.path, f.graph) for f in project.data_files(base)
                                                      if Path(f.path).resolve() not in skip]
    for path, graph in progress(jobs, desc="parsing", unit="file"):
        n = load_into(staged.engine, path, graph=graph, base_iri=base)  # Oxigraph parses: no Python quads
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
    meta_graph = graph_iri("meta", base)
    prefix = graph_iri("", base)
    subsets = [("data", data_graph, n_data), ("ontology", ONTOLOGY_IRI, n_ont)]
    for other in store.graphs():
        if other.startswith(prefix) and other not in (data_graph, meta_graph):
            subsets.append((other[len(prefix):], other, store.count(other)))
    classes = store.scalar(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <{data_graph}> {{ ?s a ?c }} }}")
    entities = store.scalar(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{data_graph}> {{ ?s a ?c FILTER(isIRI(?s)) }} }}"
    )
    sources = [
        bound(r, "s")
        for r in store.query(
            f"PREFIX hpkg: <{PREFIXES['hpkg']}> "
            f"SELECT DISTINCT ?s WHERE {{ GRAPH <{data_graph}> {{ ?s a hpkg:SourceDocument }} }} ORDER BY ?s"
        ).rows()
    ]
    triples: list[tuple[ox.NamedNode, ox.NamedNode, Term]] = [
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
        (ds, n("dcterms", "license"), ox.NamedNode(LICENSE)),
        (ds, n("dcat", "version"), lit(__version__)),
        (ds, n("owl", "versionInfo"), lit(__version__)),
        (ds, n("dcterms", "conformsTo"), ox.NamedNode(ONTOLOGY_IRI)),
        (ds, n("void", "vocabulary"), ox.NamedNode(PREFIXES["hpkg"])),
        (ds, n("void", "uriSpace"), lit(base)),
        (ds, n("void", "triples"), lit(str(sum(c for _, _, c in subsets)), dt=xsd + "integer")),
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


def previous_build_graphs(store: Store, base: str) -> list[str]:
    """The graphs an earlier build wrote, as its description in ``graph/meta`` names them."""
    meta = graph_iri("meta", base)
    rows = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH <{meta}> {{ ?s <{PREFIXES['sd']}name> ?g }} }}").rows()
    return [meta, *(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))]


def _export_source(store: Store, staged: OxigraphStore, counts: dict[str, int]) -> Store:
    """What the exports are written from: the staged in-memory graph when the embedded store now holds exactly
    its graphs and quads (no graph loaded beside the build's, nothing in the default graph), else the store.

    Exporting an on-disk store first copies it into memory (4 s of a 36 s build with the FIA reports); the
    staged graph is that copy already. The blank node labels differ from the store's, the graphs do not.
    """
    if isinstance(store, OxigraphStore) and store.path is not None and set(store.graphs()) == set(counts) \
            and len(store.reader) == sum(counts.values()):
        return staged
    return store


def build(
    store: Store,
    *,
    project: Project | None = None,
    base: str | None = None,
    validate: bool = True,
    exports_dir: str | Path | None = None,
) -> BuildReport:
    """Build the graph into ``store``: parse, validate, then replace the store's hpkg graphs in one transaction.

    On a syntax error or a SHACL violation nothing is written and :class:`BuildError` (or
    :class:`hpkg.errors.RdfSyntaxError`) is raised. Every graph of an earlier build under ``{base}graph/`` is
    replaced, so a data folder removed since is gone from the store too. Exports go to ``exports_dir`` when given.
    """
    project = project or open_project()
    base = base or base_iri()
    staged, files = stage(project, base)
    report = None
    if validate:
        report = validate_store(staged, project=project)
        # Warnings (sh:Warning, sh:Info) are reported, not blocking: the FIA's 2015 national summary states an
        # added capital 1.5% above its provinces' sum, as printed; only violations stop the build.
        if report.blocking:
            raise BuildError(f"the graph does not conform to the shapes; nothing was written\n{report.text}", report)
    built = [ONTOLOGY_IRI, *(g for g in staged.graphs() if g != ONTOLOGY_IRI)]
    stale = [g for g in previous_build_graphs(store, base) if g not in built]
    store.add_store(staged.reader, replace_graphs=[*built, *stale])
    counts = {g: staged.count(g) for g in built}
    exports = export_all(_export_source(store, staged, counts), Path(exports_dir)) if exports_dir is not None else {}
    return BuildReport(files=files, triples=sum(counts.values()), graphs=counts, validation=report, exports=exports)
