"""The linkset, twice: as RDF (the links, one SSSOM mapping resource per link, VoID linksets) and as an
SSSOM table (TSV with a YAML header, https://mapping-commons.github.io/sssom/).

The SSSOM TSV is written by hand, following the SSSOM 1.0 specification (metadata block of ``#``-prefixed
YAML lines, then one row per mapping): the ``sssom`` package pulls in about 100 dependencies (LinkML,
pandas, Sphinx …), far more than writing a dozen columns needs.

In RDF every link appears as the plain triple (``place:viet-nam owl:sameAs wd:Q881``) and as an SSSOM
mapping resource in SSSOM's own RDF form (an ``owl:Axiom`` with ``owl:annotatedSource`` /
``owl:annotatedProperty`` / ``owl:annotatedTarget``) carrying ``sssom:mapping_justification``,
``sssom:confidence``, the similarity score and a human justification. The mapping resources have IRIs,
not blank nodes, so each link can be cited. One ``void:Linkset`` per target dataset and predicate
describes them, all subsets of the ``hpkg`` links dataset (the SSSOM mapping set).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from hpkg import __version__
from hpkg.fileio import write_atomic
from hpkg.iri import LICENSE, base_iri, graph_iri
from hpkg.namespaces import EU_AUTHORITY, OWL, PREFIXES, SEMAPV, SSSOM, WIKIDATA, prefix_subset
from hpkg.opendata.link import LinkResult, Mapping
from hpkg.opendata.reference import (
    EU_COUNTRY,
    EU_CURRENCY,
    PREDICATES,
    PYPI_PROJECT,
    Source,
    compress,
    curie_map,
    package_versions,
)
from hpkg.rdfio import serialize

#: The columns of the SSSOM table, in order.
COLUMNS = (
    "subject_id", "subject_label", "subject_type", "subject_category", "predicate_id", "object_id", "object_label",
    "object_type", "object_category",
    "mapping_justification", "confidence", "similarity_score", "similarity_measure", "object_source",
    "object_source_version", "mapping_tool", "mapping_tool_version", "comment",
)

#: Where each scheme's identifiers live (the VoID objects target).
TARGETS: dict[str, tuple[str, str, str]] = {
    "wikidata": ("https://www.wikidata.org/", "Wikidata", "Wikidata"),
    "eucountry": (EU_AUTHORITY + "country", "Bảng quốc gia của Văn phòng Xuất bản EU (ISO 3166-1)",
                  "EU Publications Office country authority table (ISO 3166-1)"),
    "eucurrency": (EU_AUTHORITY + "currency", "Bảng tiền tệ của Văn phòng Xuất bản EU (ISO 4217)",
                   "EU Publications Office currency authority table (ISO 4217)"),
    "iso3166-2": ("https://www.iso.org/iso-3166-country-codes.html", "ISO 3166-2: mã đơn vị hành chính cấp dưới quốc gia",
                  "ISO 3166-2 subdivision codes"),
    "geonames": ("https://www.geonames.org/", "GeoNames", "GeoNames"),
}


#: SSSOM entity types (``entity_type_enum``) of each scheme's entries; the kinds go in ``*_category``.
OBJECT_TYPES = {"dvhc63": "skos concept", "dvhc34": "skos concept", "eucountry": "skos concept",
                "eucurrency": "skos concept", "wikidata": "owl named individual",
                "geonames": "owl named individual", "iso3166-2": "rdfs resource"}


def _short(iri: str) -> str:
    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:16]


def mapping_iri(m: Mapping, base: str) -> str:
    """A stable IRI for one mapping: a hash of subject, predicate and object."""
    obj = m.candidate.iri(base)
    return f"{base}linkset/hpkg/mapping/{_short(m.subject.id + ' ' + m.predicate + ' ' + obj)}"


WIKIDATA_ITEM_PAGE = "https://www.wikidata.org/wiki/"


def source_description(source: Source) -> tuple[dict[str, str], dict[str, str], str | None]:
    """How a reference source is described: its labels and comments by language, and its release version.

    A package release on PyPI has a version; a Wikidata item page (one per row of the curated file) is
    labelled as the item, with the curated file it is cited in as a comment and no version (no revision
    is recorded); any other reference file is labelled by its title.
    """
    if source.iri.startswith(WIKIDATA_ITEM_PAGE):
        qid = source.iri[len(WIKIDATA_ITEM_PAGE):].strip("/")
        return ({"vi": f"Mục Wikidata {qid}", "en": f"Wikidata item {qid}"},
                {"vi": f"Được dẫn trong tệp liên kết Wikidata do hpkg tuyển chọn ({source.name})",
                 "en": f"Cited in {source.title} ({source.name})"}, None)
    if source.iri.startswith(PYPI_PROJECT):
        return ({"vi": f"Gói Python {source.name} {source.version} (PyPI)", "en": source.title}, {}, source.version)
    return {"vi": f"Danh sách tham chiếu {source.name}", "en": source.title}, {}, None


def code_scheme_iri(scheme: str, base: str) -> str:
    """The concept scheme of an official administrative-unit list (``dvhc63``/``dvhc34``)."""
    return f"{base}code/{'dvhc-63' if scheme == 'dvhc63' else 'dvhc-34'}"


def linkset_quads(result: LinkResult, base: str | None = None) -> list[ox.Quad]:
    """The links graph: the links, their SSSOM mapping resources, the code concepts linked to, VoID."""
    base = base or base_iri()
    g = ox.NamedNode(graph_iri("links", base))
    quads: list[ox.Quad] = []

    def nn(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(PREFIXES.get(prefix, {"sssom": SSSOM, "semapv": SEMAPV}.get(prefix, "")) + local)

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, p, o, g))

    def lit(v: str, lang: str | None = None, dt: str | None = None) -> ox.Literal:
        if lang:
            return ox.Literal(v, language=lang)
        return ox.Literal(v, datatype=ox.NamedNode(PREFIXES["xsd"] + dt)) if dt else ox.Literal(v)

    a = nn("rdf", "type")
    label = nn("rdfs", "label")
    mset = ox.NamedNode(f"{base}linkset/hpkg")
    dataset = ox.NamedNode(f"{base}dataset/hpkg")
    versions = package_versions()
    activity = ox.NamedNode(f"{base}linkset/hpkg/activity")

    add(mset, a, nn("void", "Dataset"))
    add(mset, a, nn("sssom", "MappingSet"))
    add(mset, label, lit("Tập liên kết hpkg tới định danh chính thức", "vi"))
    add(mset, label, lit("hpkg links to official identifiers", "en"))
    add(mset, nn("dcterms", "title"), lit("Tập liên kết hpkg tới định danh chính thức", "vi"))
    add(mset, nn("dcterms", "title"), lit("hpkg links to official identifiers", "en"))
    add(mset, nn("dcterms", "description"), lit(
        "Liên kết từ quốc gia, đơn vị hành chính, tiền tệ của hpkg tới Wikidata, GeoNames, ISO 3166, ISO 4217 và danh mục "
        "đơn vị hành chính Việt Nam; mỗi liên kết có căn cứ và độ tin cậy.", "vi"))
    add(mset, nn("dcterms", "description"), lit(
        "Links from hpkg's countries, administrative units and currencies to Wikidata, GeoNames, ISO 3166, ISO 4217 "
        "and Vietnam's lists of administrative units; each link carries its justification and confidence.", "en"))
    add(mset, nn("dcterms", "license"), ox.NamedNode(LICENSE))
    add(mset, nn("sssom", "mapping_set_id"), ox.Literal(f"{base}linkset/hpkg"))
    add(mset, nn("void", "triples"), lit(str(len(result.mappings)), dt="integer"))
    add(mset, nn("prov", "wasGeneratedBy"), activity)
    add(activity, a, nn("prov", "Activity"))
    add(activity, label, lit("Chạy hpkg link", "vi"))
    add(activity, label, lit("hpkg link run", "en"))
    add(activity, nn("rdfs", "comment"), lit(
        f"hpkg {__version__}, threshold {result.threshold}; "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())), "en"))
    add(activity, nn("rdfs", "comment"), lit(
        f"hpkg {__version__}, ngưỡng {result.threshold}; " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())),
        "vi"))

    by_linkset: dict[tuple[str, str], int] = defaultdict(int)
    sources: dict[str, Source] = {}
    for m in result.mappings:
        s = ox.NamedNode(m.subject.id)
        p = ox.NamedNode(PREDICATES[m.predicate])
        o = ox.NamedNode(m.candidate.iri(base))
        add(s, p, o)
        node = ox.NamedNode(mapping_iri(m, base))
        add(node, a, ox.NamedNode(OWL + "Axiom"))
        add(node, label, lit(f"Liên kết {m.subject.label} – {m.candidate.labels[0]} ({m.predicate})", "vi"))
        add(node, label, lit(f"Link {m.subject.label} – {m.candidate.labels[0]} ({m.predicate})", "en"))
        add(node, ox.NamedNode(OWL + "annotatedSource"), s)
        add(node, ox.NamedNode(OWL + "annotatedProperty"), p)
        add(node, ox.NamedNode(OWL + "annotatedTarget"), o)
        add(node, nn("sssom", "mapping_justification"), nn("semapv", "LexicalMatching"))
        add(node, nn("sssom", "confidence"), lit(f"{m.confidence:.4f}", dt="double"))
        add(node, nn("sssom", "similarity_score"), lit(f"{m.confidence:.4f}", dt="double"))
        add(node, nn("sssom", "similarity_measure"), ox.Literal("rapidfuzz.fuzz.ratio on normalised labels"))
        add(node, nn("sssom", "subject_label"), ox.Literal(m.subject.label))
        add(node, nn("sssom", "object_label"), ox.Literal(m.candidate.labels[0]))
        add(node, nn("sssom", "comment"), ox.Literal(m.justification))
        add(node, nn("sssom", "mapping_tool"), ox.Literal("hpkg link"))
        add(node, nn("prov", "wasDerivedFrom"), ox.NamedNode(m.candidate.source.iri))
        add(mset, nn("sssom", "mappings"), node)
        by_linkset[(m.candidate.scheme, m.predicate)] += 1
        sources[m.candidate.source.iri] = m.candidate.source
    # The GSO code concepts and their two lists are shipped data (data/reorganisation-2025.ttl, generated by
    # hpkg.opendata.reorganisation): described once there, not again here (a triple in two named graphs is
    # two solutions in the union default graph).
    for iri, source in sorted(sources.items()):
        src = ox.NamedNode(iri)
        labels, comments, version = source_description(source)
        add(src, a, nn("prov", "Entity"))
        for lang, text in labels.items():
            add(src, label, lit(text, lang))
        for lang, text in comments.items():
            add(src, nn("rdfs", "comment"), lit(text, lang))
        if version is not None:
            add(src, nn("owl", "versionInfo"), ox.Literal(version))
    for (scheme, predicate), count in sorted(by_linkset.items()):
        ls = ox.NamedNode(f"{base}linkset/hpkg/{scheme}/{predicate.split(':')[1]}")
        add(ls, a, nn("void", "Linkset"))
        add(mset, nn("void", "subset"), ls)
        if scheme in TARGETS:
            target_iri, vi, en = TARGETS[scheme]
            target = ox.NamedNode(target_iri)
            add(target, a, nn("void", "Dataset"))
            add(target, label, lit(vi, "vi"))
            add(target, label, lit(en, "en"))
        else:
            target = ox.NamedNode(code_scheme_iri(scheme, base))
            vi, en = scheme, scheme
        add(ls, label, lit(f"Liên kết hpkg → {vi} ({predicate})", "vi"))
        add(ls, label, lit(f"hpkg links to {en} ({predicate})", "en"))
        add(ls, nn("void", "subjectsTarget"), dataset)
        add(ls, nn("void", "objectsTarget"), target)
        add(ls, nn("void", "linkPredicate"), ox.NamedNode(PREDICATES[predicate]))
        add(ls, nn("void", "triples"), lit(str(count), dt="integer"))
    return sorted(set(quads), key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def turtle(quads: list[ox.Quad], base: str | None = None) -> bytes:
    """The links graph as Turtle with IRIs relative to the base (no ``@base``: load it with HPKG_BASE)."""
    base = base or base_iri()
    prefixes = prefix_subset("rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "prov", "void", "hpkg", "unit")
    prefixes.update({"sssom": SSSOM, "semapv": SEMAPV, "wd": WIKIDATA, "eucountry": EU_COUNTRY,
                     "eucurrency": EU_CURRENCY})
    body = serialize(quads, ox.RdfFormat.TURTLE, prefixes).decode("utf-8")
    # Only IRIs under the base become relative (pyoxigraph's base_iri would also shorten other IRIs of the
    # same host, which then resolve wrongly under another HPKG_BASE).
    lines = [ln.replace("<" + base, "<") for ln in body.splitlines(keepends=True)]
    header = (
        "# Generated by `hpkg link` — do not edit by hand; run `hpkg link` to regenerate.\n"
        "# Links from hpkg entities to official identifiers, each with an SSSOM mapping resource\n"
        "# (justification, confidence). Relative IRIs resolve against HPKG_BASE. Loaded by `hpkg build`\n"
        "# into the named graph {base}graph/links.\n"
    )
    return (header + "".join(lines)).encode("utf-8")


def sssom_tsv(result: LinkResult, base: str | None = None) -> bytes:
    """The linkset as an SSSOM table: YAML metadata block (``#`` lines), then a TSV row per mapping."""
    base = base or base_iri()
    cmap = {**curie_map(base), "unit": PREFIXES["unit"]}
    versions = package_versions()
    meta = [
        "sssom_version: \"1.0\"",
        f"mapping_set_id: {base}linkset/hpkg",
        "mapping_set_title: hpkg links to official identifiers",
        f"mapping_set_version: \"{__version__}\"",
        f"license: {LICENSE}",
        "mapping_tool: hpkg link",
        f"mapping_tool_version: \"{__version__}\"",
        f"comment: \"threshold {result.threshold}; reference packages "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + "\"",
        "curie_map:",
    ] + [f"  {k}: {v}" for k, v in sorted(cmap.items())]
    out = ["# " + line for line in meta]
    out.append("\t".join(COLUMNS))
    for m in result.mappings:
        c = m.candidate
        row = {
            "subject_id": compress(m.subject.id, base, {"unit": PREFIXES["unit"]}),
            "subject_label": m.subject.label,
            "subject_type": "owl named individual",
            "subject_category": m.subject.kind,
            "predicate_id": m.predicate,
            "object_id": c.curie,
            "object_label": c.labels[0],
            "object_type": OBJECT_TYPES.get(c.scheme, "rdfs resource"),
            "object_category": c.kind,
            "mapping_justification": "semapv:LexicalMatching",
            "confidence": f"{m.confidence:.4f}",
            "similarity_score": f"{m.confidence:.4f}",
            "similarity_measure": "rapidfuzz.fuzz.ratio on normalised labels",
            "object_source": c.source.iri,
            "object_source_version": c.source.version,
            "mapping_tool": "hpkg link",
            "mapping_tool_version": __version__,
            "comment": m.justification,
        }
        out.append("\t".join(_cell(row[k]) for k in COLUMNS))
    return ("\n".join(out) + "\n").encode("utf-8")


def _cell(v: str) -> str:
    return v.replace("\t", " ").replace("\n", " ")


def read_sssom(path: str | Path) -> tuple[dict[str, object], list[dict[str, str]]]:
    """Read an SSSOM TSV written by :func:`sssom_tsv`: the metadata (``curie_map`` as a dict) and the rows."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    meta: dict[str, object] = {}
    cmap: dict[str, str] = {}
    in_map = False
    body = []
    for line in lines:
        if line.startswith("#"):
            content = line[2:] if line.startswith("# ") else line[1:]
            if content.startswith("  ") and in_map:
                k, _, v = content.strip().partition(": ")
                cmap[k] = v
                continue
            in_map = content.startswith("curie_map:")
            if not in_map:
                k, _, v = content.partition(": ")
                meta[k] = v.strip('"')
        else:
            body.append(line)
    meta["curie_map"] = cmap
    header = body[0].split("\t")
    rows = [dict(zip(header, r.split("\t"), strict=True)) for r in body[1:] if r]
    return meta, rows


def write_linkset(result: LinkResult, out_dir: str | Path, base: str | None = None) -> dict[str, Path]:
    """Write ``links.ttl`` and ``links.sssom.tsv`` into ``out_dir`` (atomically)."""
    out_dir = Path(out_dir)
    quads = linkset_quads(result, base)
    return {
        "turtle": write_atomic(out_dir / "links.ttl", turtle(quads, base)),
        "sssom": write_atomic(out_dir / "links.sssom.tsv", sssom_tsv(result, base)),
    }
