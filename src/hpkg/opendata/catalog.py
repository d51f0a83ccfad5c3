"""A DCAT-AP 3 catalog of the graph, for open-data portals to harvest, and its VoID description.

The catalog describes the graph as one ``dcat:Dataset`` (plus the linkset as a second one) with a
distribution per export format, the SPARQL endpoint as a ``dcat:DataService``, licence, publisher,
spatial and temporal coverage (computed from the graph), contact point and keywords in Vietnamese and
English. It validates against the official DCAT-AP 3.0.0 SHACL shapes.

Controlled vocabularies: DCAT-AP recommends the EU Publications Office authority tables; the catalog
uses them for languages (``…/authority/language/VIE``), file types (``…/file-type/RDF_TURTLE``),
the data theme (``…/data-theme/ECON``) and the country (``…/country/VNM``), and IANA media types. The
3.0.0 shapes check classes with ``sh:class``, so the terms are typed in the catalog itself
(``dcterms:LinguisticSystem``, ``dcterms:MediaTypeOrExtent``, ``dcterms:MediaType``, ``dcterms:Location``,
``skos:Concept`` with a ``skos:prefLabel``, ``dcterms:LicenseDocument``, ``dcterms:Standard``) — a harvester
would find the same typing by dereferencing them; a SHACL engine offline cannot.

:func:`void_description` returns the VoID description that the server publishes at ``/.well-known/void``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox

from hpkg import __version__
from hpkg.fileio import write_atomic
from hpkg.formats import EXPORT_FORMATS, rdf_format
from hpkg.iri import LICENSE, base_iri, graph_iri
from hpkg.namespaces import EU_AUTHORITY, ONTOLOGY_IRI, PREFIXES, SSSOM, prefix_subset, sparql_prologue
from hpkg.rdfio import serialize
from hpkg.store import Store
from hpkg.terms import Term, term_value

IANA = "https://www.iana.org/assignments/media-types/"
VCARD = "http://www.w3.org/2006/vcard/ns#"

#: export format -> EU file-type authority code
FILE_TYPES = {"turtle": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "nq": "RDF_N_QUADS", "trig": "RDF_TRIG",
              "jsonld": "JSON_LD", "xml": "RDF_XML"}

KEYWORDS = {
    "vi": ["khu kinh tế", "khu công nghiệp", "Hải Phòng", "đầu tư trực tiếp nước ngoài", "FDI", "dữ liệu liên kết",
           "thống kê"],
    "en": ["economic zone", "industrial park", "Hai Phong", "foreign direct investment", "FDI", "linked data",
           "statistics"],
}


#: A triple's subject, predicate and object, before they become an ``ox.Triple``.
_Spo: TypeAlias = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, Term | ox.Triple]


def default_site(base: str | None = None) -> str:
    """Where the graph is published: the base without its trailing ``id/`` (``https://w3id.org/hpkg/``)."""
    base = base or base_iri()
    return base[: -len("id/")] if base.endswith("/id/") else base


def _n(prefix: str, local: str) -> ox.NamedNode:
    ns = VCARD if prefix == "vcard" else PREFIXES[prefix]
    return ox.NamedNode(ns + local)


def _lit(v: str, lang: str | None = None, dt: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(v, language=lang)
    return ox.Literal(v, datatype=ox.NamedNode(PREFIXES["xsd"] + dt)) if dt else ox.Literal(v)


def coverage(store: Store) -> tuple[str | None, str | None]:
    """The first and last day of the periods the graph's observations and targets refer to."""
    rows = store.query(
        sparql_prologue(prefix_subset("time", "sdmx-dimension", "hpkg"))
        + "SELECT (MIN(?b) AS ?start) (MAX(?e) AS ?end) WHERE { "
        "{ ?x sdmx-dimension:refPeriod ?p } UNION { ?x hpkg:targetPeriod ?p } "
        "?p time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e }"
    ).rows()
    start, end = (rows[0]["start"], rows[0]["end"]) if rows else (None, None)
    if start is None or end is None:
        return None, None
    return start.value, end.value


def catalog_quads(store: Store, *, base: str | None = None, site: str | None = None) -> list[ox.Triple]:
    """The DCAT-AP 3 catalog as triples."""
    base = base or base_iri()
    site = site or default_site(base)
    t: list[_Spo] = []
    a = _n("rdf", "type")

    cat = ox.NamedNode(f"{base}catalog")
    ds = ox.NamedNode(f"{base}dataset/hpkg")
    links = ox.NamedNode(f"{base}linkset/hpkg")
    svc = ox.NamedNode(f"{base}service/sparql")
    publisher = ox.NamedNode(f"{base}agent/hpkg-contributors")
    contact = ox.NamedNode(f"{base}agent/hpkg-contributors/contact")
    lic = ox.NamedNode(LICENSE)
    endpoint = ox.NamedNode(f"{site}sparql")
    vie, eng = ox.NamedNode(EU_AUTHORITY + "language/VIE"), ox.NamedNode(EU_AUTHORITY + "language/ENG")
    vnm = ox.NamedNode(EU_AUTHORITY + "country/VNM")
    hai_phong = ox.NamedNode(f"{base}place/hai-phong")
    econ = ox.NamedNode(EU_AUTHORITY + "data-theme/ECON")

    def titled(s: ox.NamedNode, vi: str, en: str, dvi: str, den: str) -> None:
        t.extend([(s, _n("dcterms", "title"), _lit(vi, "vi")), (s, _n("dcterms", "title"), _lit(en, "en")),
                  (s, _n("dcterms", "description"), _lit(dvi, "vi")),
                  (s, _n("dcterms", "description"), _lit(den, "en"))])

    # the catalog
    t += [(cat, a, _n("dcat", "Catalog")), (cat, _n("dcterms", "publisher"), publisher),
          (cat, _n("dcterms", "license"), lic), (cat, _n("dcat", "dataset"), ds), (cat, _n("dcat", "dataset"), links),
          (cat, _n("dcat", "service"), svc), (cat, _n("dcterms", "language"), vie),
          (cat, _n("dcterms", "language"), eng), (cat, _n("dcterms", "spatial"), vnm),
          (cat, _n("foaf", "homepage"), ox.NamedNode(site)), (cat, _n("dcat", "themeTaxonomy"), ox.NamedNode(EU_AUTHORITY + "data-theme"))]
    titled(cat, "Danh mục dữ liệu hpkg", "hpkg data catalog",
           "Danh mục đồ thị tri thức khu kinh tế Hải Phòng: bộ dữ liệu, bản phân phối và điểm truy vấn SPARQL.",
           "Catalog of the Hai Phong economic-zone knowledge graph: datasets, distributions and the SPARQL endpoint.")
    t += [(ox.NamedNode(site), a, _n("foaf", "Document")),
          (ox.NamedNode(EU_AUTHORITY + "data-theme"), a, _n("skos", "ConceptScheme")),
          (ox.NamedNode(EU_AUTHORITY + "data-theme"), _n("dcterms", "title"), _lit("Data theme", "en"))]

    # agents, licence, vocabularies (typed here because the shapes check classes offline)
    t += [(publisher, a, _n("foaf", "Agent")), (publisher, a, _n("foaf", "Organization")),
          (publisher, _n("foaf", "name"), _lit("hpkg contributors", "en")),
          (publisher, _n("foaf", "name"), _lit("Nhóm đóng góp hpkg", "vi")),
          (contact, a, _n("vcard", "Organization")), (contact, a, _n("vcard", "Kind")),
          (contact, _n("vcard", "fn"), _lit("hpkg contributors")),
          (contact, _n("vcard", "hasURL"), ox.NamedNode(site)),
          (lic, a, _n("dcterms", "LicenseDocument")),
          (lic, _n("rdfs", "label"), _lit("Creative Commons Attribution 4.0 International", "en")),
          (vie, a, _n("dcterms", "LinguisticSystem")), (eng, a, _n("dcterms", "LinguisticSystem")),
          (vnm, a, _n("dcterms", "Location")), (vnm, _n("skos", "prefLabel"), _lit("Viet Nam", "en")),
          (hai_phong, a, _n("dcterms", "Location")),
          (econ, a, _n("skos", "Concept")), (econ, _n("skos", "prefLabel"), _lit("Economy and finance", "en")),
          (econ, _n("skos", "inScheme"), ox.NamedNode(EU_AUTHORITY + "data-theme"))]

    # the graph as a dataset
    start, end = coverage(store)
    t += [(ds, a, _n("dcat", "Dataset")), (ds, _n("dcterms", "publisher"), publisher),
          (ds, _n("dcat", "contactPoint"), contact), (ds, _n("dcterms", "license"), lic),
          (ds, _n("dcterms", "language"), vie), (ds, _n("dcterms", "language"), eng),
          (ds, _n("dcterms", "spatial"), vnm), (ds, _n("dcterms", "spatial"), hai_phong),
          (ds, _n("dcat", "theme"), econ), (ds, _n("dcat", "version"), _lit(__version__)),
          (ds, _n("dcterms", "conformsTo"), ox.NamedNode(ONTOLOGY_IRI)),
          (ox.NamedNode(ONTOLOGY_IRI), a, _n("dcterms", "Standard")),
          (ds, _n("foaf", "page"), ox.NamedNode(site)),
          (ds, _n("dcat", "landingPage"), ox.NamedNode(site))]
    titled(ds, "Đồ thị tri thức khu kinh tế Hải Phòng", "Hai Phong economic-zone knowledge graph",
           "Khu kinh tế, khu công nghiệp, nhà đầu tư, dự án, chính sách, chỉ tiêu và số liệu của Hải Phòng, mỗi dữ kiện "
           "dẫn về câu văn nguồn; liên kết tới định danh chính thức.",
           "Hai Phong's economic zones, industrial parks, investors, projects, policies, targets and figures, each fact "
           "traceable to its source sentence; linked to official identifiers.")
    for lang, words in KEYWORDS.items():
        t += [(ds, _n("dcat", "keyword"), _lit(w, lang)) for w in words]
    if start and end:
        period = ox.NamedNode(f"{base}dataset/hpkg/temporal")
        t += [(ds, _n("dcterms", "temporal"), period), (period, a, _n("dcterms", "PeriodOfTime")),
              (period, _n("dcat", "startDate"), _lit(start, dt="date")),
              (period, _n("dcat", "endDate"), _lit(end, dt="date"))]
    for fmt, ext in EXPORT_FORMATS.items():
        dist = ox.NamedNode(f"{base}dataset/hpkg/distribution/{ext}")
        media = rdf_format(fmt).media_type
        mt = ox.NamedNode(IANA + media)
        ft = ox.NamedNode(EU_AUTHORITY + "file-type/" + FILE_TYPES[fmt])
        url = ox.NamedNode(f"{site}dist/hpkg.{ext}")
        t += [(ds, _n("dcat", "distribution"), dist), (dist, a, _n("dcat", "Distribution")),
              (dist, _n("dcat", "accessURL"), url), (dist, _n("dcat", "downloadURL"), url),
              (dist, _n("dcat", "mediaType"), mt), (mt, a, _n("dcterms", "MediaType")),
              (dist, _n("dcterms", "format"), ft), (ft, a, _n("dcterms", "MediaTypeOrExtent")),
              (dist, _n("dcterms", "license"), lic),
              (dist, _n("dcterms", "title"), _lit(f"hpkg ({fmt})", "en")),
              (dist, _n("dcterms", "title"), _lit(f"hpkg (định dạng {fmt})", "vi"))]
    sparql_dist = ox.NamedNode(f"{base}dataset/hpkg/distribution/sparql")
    t += [(ds, _n("dcat", "distribution"), sparql_dist), (sparql_dist, a, _n("dcat", "Distribution")),
          (sparql_dist, _n("dcat", "accessURL"), endpoint), (sparql_dist, _n("dcat", "accessService"), svc),
          (sparql_dist, _n("dcterms", "license"), lic),
          (sparql_dist, _n("dcterms", "title"), _lit("Điểm truy vấn SPARQL", "vi")),
          (sparql_dist, _n("dcterms", "title"), _lit("SPARQL endpoint", "en"))]

    # the linkset as a dataset of its own, with its SSSOM table
    t += [(links, a, _n("dcat", "Dataset")), (links, _n("dcterms", "publisher"), publisher),
          (links, _n("dcterms", "license"), lic), (links, _n("dcat", "contactPoint"), contact),
          (links, _n("dcterms", "relation"), ds), (links, _n("dcat", "theme"), econ)]
    titled(links, "Tập liên kết hpkg tới định danh chính thức", "hpkg links to official identifiers",
           "Liên kết tới Wikidata, GeoNames, ISO 3166, ISO 4217 và danh mục đơn vị hành chính Việt Nam, kèm căn cứ và độ tin cậy.",
           "Links to Wikidata, GeoNames, ISO 3166, ISO 4217 and Vietnam's administrative-unit lists, with justification and confidence.")
    for name, media, ftype in (("links.sssom.tsv", "text/tab-separated-values", "TSV"),
                               ("links.ttl", "text/turtle", "RDF_TURTLE")):
        dist = ox.NamedNode(f"{base}linkset/hpkg/distribution/{name}")
        mt, ft = ox.NamedNode(IANA + media), ox.NamedNode(EU_AUTHORITY + "file-type/" + ftype)
        url = ox.NamedNode(f"{site}dist/{name}")
        t += [(links, _n("dcat", "distribution"), dist), (dist, a, _n("dcat", "Distribution")),
              (dist, _n("dcat", "accessURL"), url), (dist, _n("dcat", "downloadURL"), url),
              (dist, _n("dcat", "mediaType"), mt), (mt, a, _n("dcterms", "MediaType")),
              (dist, _n("dcterms", "format"), ft), (ft, a, _n("dcterms", "MediaTypeOrExtent")),
              (dist, _n("dcterms", "license"), lic)]
    sssom_std = ox.NamedNode(str(SSSOM))
    t += [(ox.NamedNode(f"{base}linkset/hpkg/distribution/links.sssom.tsv"), _n("dcterms", "conformsTo"), sssom_std),
          (sssom_std, a, _n("dcterms", "Standard"))]

    # the SPARQL endpoint
    sparql_std = ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/")
    t += [(svc, a, _n("dcat", "DataService")), (svc, _n("dcat", "endpointURL"), endpoint),
          (svc, _n("dcat", "endpointDescription"), ox.NamedNode(f"{site}.well-known/void")),
          (svc, _n("dcat", "servesDataset"), ds), (svc, _n("dcat", "servesDataset"), links),
          (svc, _n("dcterms", "conformsTo"), sparql_std), (sparql_std, a, _n("dcterms", "Standard")),
          (svc, _n("dcterms", "publisher"), publisher), (svc, _n("dcterms", "license"), lic),
          (svc, _n("dcat", "contactPoint"), contact)]
    titled(svc, "Điểm truy vấn SPARQL của hpkg", "hpkg SPARQL endpoint",
           "Truy vấn SPARQL 1.1 trên toàn bộ đồ thị (mọi đồ thị có tên).",
           "SPARQL 1.1 queries over the whole graph (every named graph).")
    return sorted({ox.Triple(*x) for x in t}, key=str)


def void_description(store: Store, *, base: str | None = None, site: str | None = None) -> list[ox.Triple]:
    """The VoID description of the graph (what ``/.well-known/void`` serves).

    Its core — title, licence, sizes, vocabularies, one subset per named graph — is taken from the description
    ``hpkg build`` stored in ``{base}graph/meta`` (:func:`hpkg.build.describe`; its VoID terms, titles,
    licence and graph names), so a VoID crawler and a SPARQL client read the same figures about the same
    resource. Added here is what only a running service knows (its
    SPARQL endpoint and data dumps), an example resource, and the linksets of ``{base}graph/links``.
    """
    base = base or base_iri()
    site = site or default_site(base)
    a = _n("rdf", "type")
    ds = ox.NamedNode(f"{base}dataset/hpkg")
    void_ns, sd_name = PREFIXES["void"], PREFIXES["sd"] + "name"
    keep = {PREFIXES["dcterms"] + "title", PREFIXES["dcterms"] + "license", PREFIXES["rdfs"] + "label", sd_name}
    t: list[_Spo] = [
        (q.subject, q.predicate, q.object)
        for q in store.quads(graph_iri("meta", base))
        if q.predicate.value.startswith(void_ns) or q.predicate.value in keep
        or (q.predicate == a and term_value(q.object).startswith(void_ns))
    ]
    t += [
        (ds, a, _n("void", "Dataset")),
        (ds, _n("void", "sparqlEndpoint"), ox.NamedNode(f"{site}sparql")),
        (ds, _n("void", "exampleResource"), ox.NamedNode(f"{base}zone/kcn-kkt-hai-phong")),
    ]
    for ext in EXPORT_FORMATS.values():
        t.append((ds, _n("void", "dataDump"), ox.NamedNode(f"{site}dist/hpkg.{ext}")))
    links_graph = graph_iri("links", base)
    if links_graph in store.graphs():
        for q in store.quads(links_graph):
            if q.predicate.value.startswith(PREFIXES["void"]) or (
                q.predicate == a and term_value(q.object).startswith(PREFIXES["void"])
            ):
                t.append((q.subject, q.predicate, q.object))
        t.append((ds, _n("void", "subset"), ox.NamedNode(f"{base}linkset/hpkg")))
    return sorted({ox.Triple(*x) for x in t}, key=str)


def serialize_void(store: Store, fmt: str = "turtle", *, base: str | None = None, site: str | None = None) -> bytes:
    """The VoID description serialised (for the server's ``/.well-known/void``, content-negotiated)."""
    prefixes = prefix_subset("rdf", "rdfs", "xsd", "dcterms", "void", "sd")
    return serialize(void_description(store, base=base, site=site), fmt, prefixes)


def write_catalog(store: Store, out: str | Path, *, fmt: str = "turtle", base: str | None = None,
                  site: str | None = None, with_void: bool = True) -> Path:
    """Write the DCAT-AP catalog (and, by default, the VoID description) to ``out`` atomically."""
    triples = catalog_quads(store, base=base, site=site)
    if with_void:
        triples = sorted(set(triples) | set(void_description(store, base=base, site=site)), key=str)
    prefixes = prefix_subset("rdf", "rdfs", "xsd", "dcat", "dcterms", "foaf", "skos", "void", "sd", "hpkg", "owl")
    prefixes["vcard"] = VCARD
    return write_atomic(out, serialize(triples, fmt, prefixes))


def validate_catalog(triples: list[ox.Triple], shapes: str | Path) -> tuple[bool, str]:
    """Validate catalog triples against DCAT-AP SHACL shapes with pyshacl; ``(conforms, report text)``.

    RDFS inference is on: the DCAT-AP 3.0.0 shapes require ``sh:class rdfs:Resource`` for IRIs such as
    ``dcat:accessURL`` values, which holds for every IRI under RDFS semantics but is never stated.
    """
    import pyshacl
    from rdflib import Graph

    from hpkg.terms import to_rdflib

    g = Graph()
    for x in triples:
        g.add((to_rdflib(x.subject), to_rdflib(x.predicate), to_rdflib(x.object)))
    conforms, _report, text = pyshacl.validate(g, shacl_graph=Graph().parse(str(shapes)), inference="rdfs")
    return bool(conforms), str(text)
