"""Dereferenceable IRIs (Cool URIs with 303 See Other), the HTML pages, the query page and ``/health``.

An entity IRI ``{base}zone/x`` is served at ``/id/zone/x``. That IRI names a thing (a zone), not a
document, so the server answers ``303 See Other`` to a document about it, chosen by ``Accept``:

* ``/page/zone/x`` — HTML for people (``?lang=vi|en``, else ``Accept-Language``);
* ``/data/zone/x.ttl`` (``.nt``, ``.jsonld``, ``.rdf``) — RDF for machines.

The ontology IRI ``https://w3id.org/hpkg/ontology`` is served the same way at ``/ontology`` ->
``/ontology.html`` or ``/ontology.ttl`` (its terms ``…/ontology#Zone`` are anchors in those).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from hpkg import __version__
from hpkg.describe import describe_entity, entity_exists
from hpkg.namespaces import ONTOLOGY_IRI, shorten
from hpkg.params import ParameterError
from hpkg.query import NamedQuery, named_queries
from hpkg.rdfio import serialize
from hpkg.server import negotiate
from hpkg.server.fdi import fdi_table
from hpkg.server.i18n import LANGUAGES, STRINGS, page_language
from hpkg.server.ontology import ontology_view
from hpkg.server.state import state, text_error
from hpkg.server.threads import in_thread
from hpkg.server.views import HPKG, RDF_TYPE, Labels, Linker, entity_view

#: Administrative units (both code lists): their pages show the FIA's FDI table (:mod:`hpkg.server.fdi`).
UNIT_CODE = HPKG + "AdministrativeUnitCode"

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

#: RDF documents by file extension, and the extension for each media type.
RDF_EXTENSIONS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
EXTENSION_FOR = {media: ext for ext, (media, _) in RDF_EXTENSIONS.items()}
DOCUMENT_OFFERS = ["text/html", *EXTENSION_FOR]


def render(request: Request, template: str, context: Mapping[str, object], status: int = 200,
           lang: str | None = None) -> Response:
    """Render a page with the language, its words and the switch between languages."""
    lang = lang or page_language(request)
    ctx = {"lang": lang, "t": STRINGS[lang], "languages": LANGUAGES, "curie": shorten,
           "path": request.url.path, "version": __version__, **context}
    resp = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)
    resp.headers["Content-Language"] = lang
    resp.headers["Vary"] = "Accept, Accept-Language"
    return resp


def not_found(request: Request, what: str | None = None) -> Response:
    """404: an HTML page for browsers, plain text for everything else."""
    media = negotiate.choose(request.headers.get("accept"), ["text/plain", "text/html"])
    if media == "text/html" and "text/html" in (request.headers.get("accept") or ""):
        return render(request, "not_found.html", {"what": what or str(request.url.path)}, status=404)
    return text_error(404, f"not found: {what or request.url.path}")


def _parameters(q: NamedQuery) -> list[dict[str, object]]:
    """The query's parameters as ``/api`` lists them (none when they cannot be read: the page runs the text)."""
    try:
        return [p.to_json() for p in q.parameters.values()]
    except ParameterError:
        return []


async def index(request: Request) -> Response:
    """The query page: editor, example questions, results table, downloads and chart."""
    project = state(request).settings.project
    queries = [
        {"name": q.name, "vi": q.question_vi, "en": q.question_en, "sparql": q.sparql, "params": _parameters(q)}
        for q in named_queries(project).values()
    ]
    return render(request, "index.html", {"base": state(request).settings.base,
                                          "queries": queries})


async def health(request: Request) -> Response:
    """Liveness and a summary: store, triple counts, whether updates are on, the limits."""
    st = state(request)
    try:
        ok = await in_thread(lambda: st.store.query("ASK { }").boolean)
    except Exception as e:  # noqa: BLE001 - any store failure means unhealthy
        return JSONResponse({"status": "error", "error": str(e)}, status_code=503)
    s = st.settings
    return JSONResponse({
        "status": "ok" if ok else "error",
        "version": __version__,
        "store": st.store.description,
        "triples": st.counts.total,
        "graphs": st.counts.graphs,
        "base": s.base,
        "updates_enabled": s.updates_enabled,
        "limits": {"query_timeout_s": s.query_timeout, "max_results": s.max_results, "max_body_bytes": s.max_body},
        "query_workers": st.runner.describe(),
    })


#: What stays unescaped when a decoded request path is escaped again (RFC 3987's sub-delims, ":" and "@").
_PATH_SAFE = "/!$&'()*+,;=:@~-._"


def _known_entity(request: Request, path: str) -> str | None:
    """The IRI for ``path`` when it is a valid IRI that the store knows, else ``None``.

    The server gets the path percent-decoded; an IRI that holds an escape itself (a spreadsheet cell
    ``…/cell/Thang%2012%202023!C153``) is found by escaping the decoded path again.
    """
    st = state(request)
    for candidate in dict.fromkeys((path, quote(path, safe=_PATH_SAFE))):
        iri = st.settings.iri_for_path(candidate)
        try:
            ox.NamedNode(iri)
        except ValueError:
            continue
        if entity_exists(st.store, iri):
            return iri
    return None


async def dereference(request: Request) -> Response:
    """``/id/{path}``: 303 See Other to the HTML page or the RDF document, by ``Accept``."""
    path = request.path_params["path"]
    iri = await in_thread(_known_entity, request, path)
    if iri is None:
        return not_found(request, state(request).settings.iri_for_path(path))
    media = negotiate.choose(request.headers.get("accept"), DOCUMENT_OFFERS)
    if media is None:
        return text_error(406, f"<{iri}> is described in {', '.join(DOCUMENT_OFFERS)}")
    if media == "text/html":
        lang = page_language(request)
        location = f"/page/{path}?lang={lang}"
    else:
        location = f"/data/{path}.{EXTENSION_FOR[media]}"
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept, Accept-Language"})


async def entity_page(request: Request) -> Response:
    """``/page/{path}``: the entity's HTML page."""
    path = request.path_params["path"]
    st = state(request)
    iri = await in_thread(_known_entity, request, path)
    if iri is None:
        return not_found(request, st.settings.iri_for_path(path))
    lang = page_language(request)
    triples = await in_thread(describe_entity, st.store, iri)
    view = entity_view(iri, triples, st.settings, lang)
    me = ox.NamedNode(iri)
    own = [t for t in triples if t.subject == me]
    fdi = None
    if any(t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(UNIT_CODE) for t in own):
        labels = Labels(triples)
        fdi = await in_thread(fdi_table, st.store, iri, own, Linker(st.settings, lang), lambda i: labels.get(i, lang),
                              triples)
        if fdi is not None:  # the table shows these; the general table keeps the rest
            view.observations = [o for o in view.observations if o["obs"].iri not in fdi.observations]
    raw = {ext: f"/data/{path}.{ext}" for ext in RDF_EXTENSIONS}
    return render(request, "entity.html", {"e": view, "raw": raw, "id_path": f"/id/{path}", "fdi": fdi,
                                           "fdi_series": fdi.series() if fdi else []}, lang=lang)


async def entity_data(request: Request) -> Response:
    """``/data/{path}.{ext}``: the entity's description as RDF (without an extension: by ``Accept``)."""
    path = request.path_params["path"]
    stem, dot, ext = path.rpartition(".")
    if dot and ext in RDF_EXTENSIONS:
        media, fmt = RDF_EXTENSIONS[ext]
    else:
        stem = path
        chosen = negotiate.choose(request.headers.get("accept"), list(EXTENSION_FOR))
        if chosen is None:
            return text_error(406, f"available: {', '.join(EXTENSION_FOR)}")
        media, fmt = chosen, RDF_EXTENSIONS[EXTENSION_FOR[chosen]][1]
    st = state(request)
    iri = await in_thread(_known_entity, request, stem)
    if iri is None:
        return not_found(request, st.settings.iri_for_path(stem))
    triples = await in_thread(describe_entity, st.store, iri)
    return Response(serialize(triples, fmt), headers={
        "Content-Type": media + "; charset=utf-8", "Vary": "Accept",
        "Link": f'</id/{stem}>; rel="describes"',
    })


async def ontology(request: Request) -> Response:
    """``/ontology``: 303 to the documentation page or the RDF document, by ``Accept``."""
    media = negotiate.choose(request.headers.get("accept"), DOCUMENT_OFFERS)
    if media is None:
        return text_error(406, f"the ontology is available as {', '.join(DOCUMENT_OFFERS)}")
    if media == "text/html":
        return RedirectResponse(f"/ontology.html?lang={page_language(request)}", status_code=303,
                                headers={"Vary": "Accept, Accept-Language"})
    return RedirectResponse(f"/ontology.{EXTENSION_FOR[media]}", status_code=303, headers={"Vary": "Accept"})


async def ontology_document(request: Request) -> Response:
    """``/ontology.{html,ttl,nt,jsonld,rdf}``."""
    ext = request.path_params["ext"]
    st = state(request)
    if ext == "html":
        lang = page_language(request)
        view = await in_thread(ontology_view, st.store, Linker(st.settings, lang))
        return render(request, "ontology.html", {"o": view}, lang=lang)
    if ext not in RDF_EXTENSIONS:
        return not_found(request)
    media, fmt = RDF_EXTENSIONS[ext]

    def triples() -> list[ox.Triple]:
        return st.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[ONTOLOGY_IRI]).triples()

    data = await in_thread(triples)
    if not data:
        return not_found(request, ONTOLOGY_IRI)
    return Response(serialize(data, fmt), headers={"Content-Type": media + "; charset=utf-8"})


async def well_known_void(request: Request) -> Response:
    """``/.well-known/void``: the VoID description of the graph (RFC 8615 well-known URI, VoID §7.2)."""
    from hpkg.opendata.catalog import void_description

    media = negotiate.choose(request.headers.get("accept"), list(EXTENSION_FOR))
    if media is None:
        return text_error(406, f"not acceptable; available: {', '.join(EXTENSION_FOR)}")
    st = state(request)
    site = str(request.base_url)
    triples = await in_thread(void_description, st.store, base=st.settings.base, site=site)
    _, fmt = RDF_EXTENSIONS[EXTENSION_FOR[media]]
    return Response(serialize(triples, fmt), headers={"Content-Type": media + "; charset=utf-8", "Vary": "Accept"})
