"""A DCAT-AP 3 catalog of the graph, for open-data portals to harvest, and its VoID description.

The catalog describes the graph as one ``dcat:Dataset`` (plus the linkset as a second one) with a
distribution per export format, the SPARQL endpoint as a ``dcat:DataService``, licence, publisher,
spatial and temporal coverage (computed from the graph), contact point and keywords in Vietnamese and
English. It validates against the official DCAT-AP 3.0.1 SHACL shapes (``shapes.ttl`` + ``range.ttl``,
``shapes_recommended.ttl``, ``mdr-vocabularies.shape.ttl``) without inference.

Controlled vocabularies: DCAT-AP asks for the EU Publications Office authority tables and the ADMS
vocabularies; the catalog uses them for languages (``…/authority/language/VIE``), file types
(``…/file-type/RDF_TURTLE``), the data theme (``…/data-theme/ECON``), the country (``…/country/VNM``),
access rights (``…/access-right/PUBLIC``), planned availability (``…/planned-availability/EXPERIMENTAL``),
the licence type (ADMS ``licencetype/Attribution``) and the publisher type (ADMS
``publishertype/PrivateIndividual(s)``), and IANA media types. The shapes check classes (``sh:class``)
and authority tables (``skos:inScheme``) and cannot dereference the terms offline, so the catalog carries,
for each term it uses, what the tables themselves publish: its DCAT-AP class, ``skos:Concept``, a
``skos:prefLabel`` and ``skos:inScheme`` its table (each table a ``skos:ConceptScheme`` with a title).

What no true statement can satisfy is left unsatisfied: the vocabulary shapes warn that a publisher
should be in the EU corporate-bodies table, which lists EU institutions and a few international
organisations (DCAT-AP: other organisations use national or local vocabularies); hpkg's publisher, its
contributors, is in none of them.

:func:`void_description` returns the VoID description that the server publishes at ``/.well-known/void``.
"""

from __future__ import annotations

import datetime as _dt
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
DCATAP = "http://data.europa.eu/r5r/"
ADMS = "http://www.w3.org/ns/adms#"

#: The day the catalog was first issued: ``hpkg catalog`` came with the first version of the graph (the
#: ontology's ``dcterms:created``, 2026-11-27).
ISSUED = "2026-11-27"

#: Authority tables: IRI -> (English title, Vietnamese title)
SCHEMES = {
    EU_AUTHORITY + "language": ("Language", "Ngôn ngữ"),
    EU_AUTHORITY + "file-type": ("File type", "Loại tệp"),
    EU_AUTHORITY + "data-theme": ("Data theme", "Chủ đề dữ liệu"),
    EU_AUTHORITY + "country": ("Country", "Quốc gia"),
    EU_AUTHORITY + "access-right": ("Access right", "Quyền truy cập"),
    EU_AUTHORITY + "planned-availability": ("Planned availability", "Mức sẵn có dự kiến"),
    "http://purl.org/adms/licencetype/1.0": ("ADMS licence type", "Loại giấy phép ADMS"),
    "http://purl.org/adms/publishertype/1.0": ("ADMS publisher type", "Loại bên công bố ADMS"),
}

#: Terms of those tables the catalog uses: IRI -> (scheme, English label, DCAT-AP class or None)
TERMS = {
    EU_AUTHORITY + "language/VIE": (EU_AUTHORITY + "language", "Vietnamese", "dcterms:LinguisticSystem"),
    EU_AUTHORITY + "language/ENG": (EU_AUTHORITY + "language", "English", "dcterms:LinguisticSystem"),
    EU_AUTHORITY + "file-type/RDF_TURTLE": (EU_AUTHORITY + "file-type", "RDF Turtle", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/RDF_N_TRIPLES": (EU_AUTHORITY + "file-type", "RDF N-Triples", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/RDF_N_QUADS": (EU_AUTHORITY + "file-type", "RDF N-Quads", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/RDF_TRIG": (EU_AUTHORITY + "file-type", "RDF TriG", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/JSON_LD": (EU_AUTHORITY + "file-type", "JSON-LD", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/RDF_XML": (EU_AUTHORITY + "file-type", "RDF/XML", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/TSV": (EU_AUTHORITY + "file-type", "TSV", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "file-type/SPARQLQ": (EU_AUTHORITY + "file-type", "SPARQL query", "dcterms:MediaTypeOrExtent"),
    EU_AUTHORITY + "data-theme/ECON": (EU_AUTHORITY + "data-theme", "Economy and finance", None),
    EU_AUTHORITY + "country/VNM": (EU_AUTHORITY + "country", "Viet Nam", "dcterms:Location"),
    EU_AUTHORITY + "access-right/PUBLIC": (EU_AUTHORITY + "access-right", "public", "dcterms:RightsStatement"),
    EU_AUTHORITY + "planned-availability/EXPERIMENTAL": (EU_AUTHORITY + "planned-availability", "experimental", None),
    "http://purl.org/adms/licencetype/Attribution": ("http://purl.org/adms/licencetype/1.0", "Attribution", None),
    "http://purl.org/adms/publishertype/PrivateIndividual(s)": (
        "http://purl.org/adms/publishertype/1.0", "Private Individual(s)", None),
}

#: Vietnam's bounding box as GeoNames gives it (country info of feature 1562822: north, south, east, west),
#: and its centre point as the CIA World Factbook gives it (16°10'N 107°50'E; the ``latlng`` of the
#: countryinfo 1.0.1 package). WKT, longitude first (CRS84).
VNM_BBOX = ("POLYGON((102.148224 8.559611, 109.464638 8.559611, 109.464638 23.388834, "
            "102.148224 23.388834, 102.148224 8.559611))")
VNM_CENTROID = "POINT(107.833333 16.166667)"

#: export format -> EU file-type authority code
FILE_TYPES = {"turtle": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "nq": "RDF_N_QUADS", "trig": "RDF_TRIG",
              "jsonld": "JSON_LD", "xml": "RDF_XML"}

KEYWORDS = {
    "vi": ["khu kinh tế", "khu công nghiệp", "Hải Phòng", "đầu tư trực tiếp nước ngoài", "FDI", "dữ liệu liên kết",
           "thống kê"],
    "en": ["economic zone", "industrial park", "Hai Phong", "foreign direct investment", "FDI", "linked data",
           "statistics"],
}
LINKSET_KEYWORDS = {
    "vi": ["liên kết", "định danh chính thức", "Wikidata", "GeoNames", "ISO 3166", "ISO 4217", "SSSOM"],
    "en": ["links", "official identifiers", "Wikidata", "GeoNames", "ISO 3166", "ISO 4217", "SSSOM"],
}
SERVICE_KEYWORDS = {
    "vi": ["SPARQL", "dữ liệu liên kết", "khu kinh tế", "Hải Phòng"],
    "en": ["SPARQL", "linked data", "economic zone", "Hai Phong"],
}


#: A triple's subject, predicate and object, before they become an ``ox.Triple``.
_Spo: TypeAlias = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, Term | ox.Triple]


def default_site(base: str | None = None) -> str:
    """Where the graph is published: the base without its trailing ``id/`` (``https://w3id.org/hpkg/``)."""
    base = base or base_iri()
    return base[: -len("id/")] if base.endswith("/id/") else base


def _n(prefix: str, local: str) -> ox.NamedNode:
    ns = {"vcard": VCARD, "adms": ADMS, "dcatap": DCATAP}.get(prefix) or PREFIXES[prefix]
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


def catalog_quads(store: Store, *, base: str | None = None, site: str | None = None,
                  modified: _dt.date | None = None) -> list[ox.Triple]:
    """The DCAT-AP 3 catalog as triples.

    ``modified`` is the catalog's ``dcterms:modified``: the day it is generated unless given.
    """
    base = base or base_iri()
    site = site or default_site(base)
    modified = modified or _dt.date.today()
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
    econ = ox.NamedNode(EU_AUTHORITY + "data-theme/ECON")
    public = ox.NamedNode(EU_AUTHORITY + "access-right/PUBLIC")
    experimental = ox.NamedNode(EU_AUTHORITY + "planned-availability/EXPERIMENTAL")
    sparqlq = ox.NamedNode(EU_AUTHORITY + "file-type/SPARQLQ")

    def titled(s: ox.NamedNode, vi: str, en: str, dvi: str, den: str) -> None:
        t.extend([(s, _n("dcterms", "title"), _lit(vi, "vi")), (s, _n("dcterms", "title"), _lit(en, "en")),
                  (s, _n("dcterms", "description"), _lit(dvi, "vi")),
                  (s, _n("dcterms", "description"), _lit(den, "en"))])

    # the catalog
    t += [(cat, a, _n("dcat", "Catalog")), (cat, _n("dcterms", "publisher"), publisher),
          (cat, _n("dcterms", "license"), lic), (cat, _n("dcat", "dataset"), ds), (cat, _n("dcat", "dataset"), links),
          (cat, _n("dcat", "service"), svc), (cat, _n("dcterms", "language"), vie),
          (cat, _n("dcterms", "language"), eng), (cat, _n("dcterms", "spatial"), vnm),
          (cat, _n("dcterms", "issued"), _lit(ISSUED, dt="date")),
          (cat, _n("dcterms", "modified"), _lit(modified.isoformat(), dt="date")),
          (cat, _n("foaf", "homepage"), ox.NamedNode(site)), (cat, _n("dcat", "themeTaxonomy"), ox.NamedNode(EU_AUTHORITY + "data-theme"))]
    titled(cat, "Danh mục dữ liệu hpkg", "hpkg data catalog",
           "Danh mục đồ thị tri thức khu kinh tế Hải Phòng: bộ dữ liệu, bản phân phối và điểm truy vấn SPARQL.",
           "Catalog of the Hai Phong economic-zone knowledge graph: datasets, distributions and the SPARQL endpoint.")
    t.append((ox.NamedNode(site), a, _n("foaf", "Document")))

    # the authority tables and the terms used from them, as the tables publish them (the shapes check
    # classes and schemes offline)
    for scheme, (en, vi) in SCHEMES.items():
        sn = ox.NamedNode(scheme)
        t += [(sn, a, _n("skos", "ConceptScheme")), (sn, _n("dcterms", "title"), _lit(en, "en")),
              (sn, _n("dcterms", "title"), _lit(vi, "vi"))]
    for term, (scheme, label, cls) in TERMS.items():
        tn = ox.NamedNode(term)
        t += [(tn, a, _n("skos", "Concept")), (tn, _n("skos", "inScheme"), ox.NamedNode(scheme)),
              (tn, _n("skos", "prefLabel"), _lit(label, "en"))]
        if cls:
            t.append((tn, a, _n(*cls.split(":"))))
    # the country's geometry (dcat:bbox, dcat:centroid) and where it comes from
    wkt = PREFIXES["geo"] + "wktLiteral"
    t += [(vnm, _n("dcat", "bbox"), ox.Literal(VNM_BBOX, datatype=ox.NamedNode(wkt))),
          (vnm, _n("dcat", "centroid"), ox.Literal(VNM_CENTROID, datatype=ox.NamedNode(wkt))),
          (vnm, _n("rdfs", "comment"), _lit(
              "dcat:bbox: the bounding box GeoNames gives for Vietnam (country info, feature 1562822); it does not "
              "take in the Hoàng Sa and Trường Sa archipelagos. dcat:centroid: the geographic coordinates the CIA "
              "World Factbook gives for Vietnam (16°10'N 107°50'E).", "en")),
          (vnm, _n("rdfs", "comment"), _lit(
              "dcat:bbox: khung bao GeoNames ghi cho Việt Nam (thông tin quốc gia, mục 1562822); khung này không bao "
              "gồm quần đảo Hoàng Sa và Trường Sa. dcat:centroid: toạ độ địa lý CIA World Factbook ghi cho Việt Nam "
              "(16°10'B 107°50'Đ).", "vi"))]

    # agents and licence
    # the project names no organisation behind it, only its contributors (pyproject.toml's authors): a
    # foaf:Group of people, of ADMS publisher type "Private Individual(s)"
    t += [(publisher, a, _n("foaf", "Agent")), (publisher, a, _n("foaf", "Group")),
          (publisher, _n("foaf", "name"), _lit("hpkg contributors", "en")),
          (publisher, _n("foaf", "name"), _lit("Nhóm đóng góp hpkg", "vi")),
          (publisher, _n("dcterms", "type"), ox.NamedNode("http://purl.org/adms/publishertype/PrivateIndividual(s)")),
          (contact, a, _n("vcard", "Kind")),
          (contact, _n("vcard", "fn"), _lit("hpkg contributors")),
          (contact, _n("vcard", "hasURL"), ox.NamedNode(site)),
          (lic, a, _n("dcterms", "LicenseDocument")),
          (lic, _n("rdfs", "label"), _lit("Creative Commons Attribution 4.0 International", "en")),
          (lic, _n("dcterms", "type"), ox.NamedNode("http://purl.org/adms/licencetype/Attribution"))]

    # the graph as a dataset
    start, end = coverage(store)
    period = ox.NamedNode(f"{base}dataset/hpkg/temporal")
    t += [(ds, a, _n("dcat", "Dataset")), (ds, _n("dcterms", "publisher"), publisher),
          (ds, _n("dcat", "contactPoint"), contact), (ds, _n("dcterms", "license"), lic),
          (ds, _n("dcterms", "accessRights"), public),
          (ds, _n("dcterms", "language"), vie), (ds, _n("dcterms", "language"), eng),
          (ds, _n("dcterms", "spatial"), vnm),
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
        t += [(ds, _n("dcterms", "temporal"), period), (period, a, _n("dcterms", "PeriodOfTime")),
              (period, _n("dcat", "startDate"), _lit(start, dt="date")),
              (period, _n("dcat", "endDate"), _lit(end, dt="date"))]

    def distribution(dist: ox.NamedNode, vi: str, en: str) -> None:
        t.extend([(dist, a, _n("dcat", "Distribution")), (dist, _n("dcterms", "license"), lic),
                  (dist, _n("dcatap", "availability"), experimental),
                  (dist, _n("dcterms", "description"), _lit(vi, "vi")),
                  (dist, _n("dcterms", "description"), _lit(en, "en"))])

    for fmt, ext in EXPORT_FORMATS.items():
        dist = ox.NamedNode(f"{base}dataset/hpkg/distribution/{ext}")
        media = rdf_format(fmt).media_type
        mt = ox.NamedNode(IANA + media)
        ft = ox.NamedNode(EU_AUTHORITY + "file-type/" + FILE_TYPES[fmt])
        url = ox.NamedNode(f"{site}dist/hpkg.{ext}")
        t += [(ds, _n("dcat", "distribution"), dist),
              (dist, _n("dcat", "accessURL"), url), (dist, _n("dcat", "downloadURL"), url),
              (dist, _n("dcat", "mediaType"), mt), (mt, a, _n("dcterms", "MediaType")),
              (dist, _n("dcterms", "format"), ft),
              (dist, _n("dcterms", "title"), _lit(f"hpkg ({fmt})", "en")),
              (dist, _n("dcterms", "title"), _lit(f"hpkg (định dạng {fmt})", "vi"))]
        distribution(dist, f"Toàn bộ đồ thị (mọi đồ thị có tên) trong một tệp {media}.",
                     f"The whole graph (every named graph) in one {media} file.")
    sparql_dist = ox.NamedNode(f"{base}dataset/hpkg/distribution/sparql")
    t += [(ds, _n("dcat", "distribution"), sparql_dist),
          (sparql_dist, _n("dcat", "accessURL"), endpoint), (sparql_dist, _n("dcat", "accessService"), svc),
          (sparql_dist, _n("dcterms", "format"), sparqlq),
          (sparql_dist, _n("dcterms", "title"), _lit("Điểm truy vấn SPARQL", "vi")),
          (sparql_dist, _n("dcterms", "title"), _lit("SPARQL endpoint", "en"))]
    distribution(sparql_dist, "Đồ thị qua điểm truy vấn SPARQL 1.1.", "The graph through its SPARQL 1.1 endpoint.")

    # the linkset as a dataset of its own, with its SSSOM table; it links the dataset's entities, so it covers
    # the same place and period
    t += [(links, a, _n("dcat", "Dataset")), (links, _n("dcterms", "publisher"), publisher),
          (links, _n("dcterms", "license"), lic), (links, _n("dcat", "contactPoint"), contact),
          (links, _n("dcterms", "accessRights"), public),
          (links, _n("dcterms", "relation"), ds), (links, _n("dcat", "theme"), econ),
          (links, _n("dcterms", "spatial"), vnm)]
    if start and end:
        t.append((links, _n("dcterms", "temporal"), period))
    for lang, words in LINKSET_KEYWORDS.items():
        t += [(links, _n("dcat", "keyword"), _lit(w, lang)) for w in words]
    titled(links, "Tập liên kết hpkg tới định danh chính thức", "hpkg links to official identifiers",
           "Liên kết tới Wikidata, GeoNames, ISO 3166, ISO 4217 và danh mục đơn vị hành chính Việt Nam, kèm căn cứ và độ tin cậy.",
           "Links to Wikidata, GeoNames, ISO 3166, ISO 4217 and Vietnam's administrative-unit lists, with justification and confidence.")
    for name, media, ftype, vi, en in (
        ("links.sssom.tsv", "text/tab-separated-values", "TSV", "Các liên kết dạng bảng SSSOM (TSV).",
         "The links as an SSSOM table (TSV)."),
        ("links.ttl", "text/turtle", "RDF_TURTLE", "Các liên kết và tài nguyên ánh xạ SSSOM dạng Turtle.",
         "The links and their SSSOM mapping resources in Turtle."),
    ):
        dist = ox.NamedNode(f"{base}linkset/hpkg/distribution/{name}")
        mt, ft = ox.NamedNode(IANA + media), ox.NamedNode(EU_AUTHORITY + "file-type/" + ftype)
        url = ox.NamedNode(f"{site}dist/{name}")
        t += [(links, _n("dcat", "distribution"), dist),
              (dist, _n("dcat", "accessURL"), url), (dist, _n("dcat", "downloadURL"), url),
              (dist, _n("dcat", "mediaType"), mt), (mt, a, _n("dcterms", "MediaType")),
              (dist, _n("dcterms", "format"), ft)]
        distribution(dist, vi, en)
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
          (svc, _n("dcterms", "accessRights"), public),
          (svc, _n("dcat", "contactPoint"), contact), (svc, _n("dcat", "theme"), econ)]
    for lang, words in SERVICE_KEYWORDS.items():
        t += [(svc, _n("dcat", "keyword"), _lit(w, lang)) for w in words]
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


def catalog_results(triples: list[ox.Triple], shapes: str | Path | list[str | Path], *,
                    inference: str = "none") -> list[dict[str, str | None]]:
    """The top-level SHACL results of catalog triples against DCAT-AP shapes (pyshacl), at every severity.

    ``shapes`` is a shapes file or a list of them (validated together, e.g. DCAT-AP 3.0.1's ``shapes.ttl`` and
    ``range.ttl``). Each result is a dict: ``severity`` (``Violation``, ``Warning``, ``Info``), ``focus``,
    ``path``, ``value``, ``shape`` (the source shape) and ``message``. No inference by default: DCAT-AP 3.0.1
    validates the catalog as written (3.0.0 needed RDFS inference for its ``rdfs:Resource`` bug).
    """
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from hpkg.terms import to_rdflib

    g = Graph()
    for x in triples:
        g.add((to_rdflib(x.subject), to_rdflib(x.predicate), to_rdflib(x.object)))
    shape_graph = Graph()
    for f in [shapes] if isinstance(shapes, (str, Path)) else shapes:
        shape_graph.parse(str(f))
    _conforms, report, _text = pyshacl.validate(g, shacl_graph=shape_graph, inference=inference)

    def value(node: URIRef, prop: URIRef) -> str | None:
        v = report.value(node, prop)
        return None if v is None else str(v)

    out = []
    for r in report.objects(None, SH.result):
        sev = value(r, SH.resultSeverity) or ""
        out.append({"severity": sev.rsplit("#", 1)[-1], "focus": value(r, SH.focusNode),
                    "path": value(r, SH.resultPath), "value": value(r, SH.value),
                    "shape": value(r, SH.sourceShape), "message": value(r, SH.resultMessage)})
    return sorted(out, key=lambda d: tuple(str(v) for v in d.values()))


def validate_catalog(triples: list[ox.Triple], shapes: str | Path | list[str | Path], *,
                     inference: str = "none") -> tuple[bool, str]:
    """Validate catalog triples against DCAT-AP SHACL shapes with pyshacl; ``(conforms, report text)``.

    No inference by default (DCAT-AP 3.0.1); the 3.0.0 shapes need ``inference="rdfs"``: they require
    ``sh:class rdfs:Resource`` for IRIs such as ``dcat:accessURL`` values, which holds for every IRI under
    RDFS semantics but is never stated (SEMICeu/DCAT-AP issue 412, fixed in 3.0.1).
    """
    import pyshacl
    from rdflib import Graph

    from hpkg.terms import to_rdflib

    g = Graph()
    for x in triples:
        g.add((to_rdflib(x.subject), to_rdflib(x.predicate), to_rdflib(x.object)))
    shape_graph = Graph()
    for f in [shapes] if isinstance(shapes, (str, Path)) else shapes:
        shape_graph.parse(str(f))
    conforms, _report, text = pyshacl.validate(g, shacl_graph=shape_graph, inference=inference)
    return bool(conforms), str(text)
