"""A remote SPARQL 1.1 store: ``--store sparql+http://host:port/query`` (or ``sparql+https://…``).

Three URLs, as SPARQL 1.1 Protocol and Graph Store Protocol servers expose them:

* **query** — the URL after ``sparql+``;
* **update** — ``--update-url`` / ``HPKG_UPDATE_URL``; by default the query URL with its last path segment
  ``query`` replaced by ``update`` (Oxigraph's and Fuseki's layout: ``/query`` → ``/update``);
* **Graph Store Protocol** — ``--gsp-url`` / ``HPKG_GSP_URL``; by default ``…/store`` (Oxigraph's layout).

Credentials come from the environment only, never from the command line: ``HPKG_SPARQL_TOKEN`` (sent as
``Authorization: Bearer …``) or ``HPKG_SPARQL_USER`` + ``HPKG_SPARQL_PASSWORD`` (HTTP Basic).
``HPKG_SPARQL_TIMEOUT`` sets the HTTP time-out in seconds (default: none).

The default graph of a query is the union of all graphs, as in the embedded store: hpkg sends Oxigraph's
``union-default-graph`` parameter (``HPKG_SPARQL_UNION_PARAM`` renames it; set it empty for servers whose
default graph already is the union, such as GraphDB and Virtuoso, or Fuseki with ``unionDefaultGraph``).

Atomicity: every write is one HTTP request, which SPARQL servers run as one transaction — ``build`` sends one
SPARQL Update (``DROP GRAPH …; INSERT DATA {…}``), ``load`` one Graph Store Protocol request per file (``POST``,
or ``PUT`` with ``--replace``) after checking locally that the file parses. What happens if the server dies
mid-request is up to the server (Oxigraph, Fuseki/TDB2 and GraphDB roll back).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.formats import guess_rdf_format
from hpkg.rdfio import Progress, check_rdf_file, open_rdf_file, serialize
from hpkg.store.base import QueryResult, Row, Store
from hpkg.store.updates import insert_data
from hpkg.terms import Term

_RESULTS_JSON = "application/sparql-results+json"
_ACCEPT_QUERY = f"{_RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"


def _sibling(url: str, leaf: str) -> str:
    parts = urlsplit(url)
    path = parts.path
    if path.endswith("/query") or path.endswith("/sparql"):
        path = path.rsplit("/", 1)[0] + "/" + leaf
    else:
        path = path.rstrip("/") + "/" + leaf
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _auth() -> tuple[dict[str, str], httpx.Auth | None]:
    token = os.environ.get("HPKG_SPARQL_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}, None
    user = os.environ.get("HPKG_SPARQL_USER")
    if user:
        return {}, httpx.BasicAuth(user, os.environ.get("HPKG_SPARQL_PASSWORD", ""))
    return {}, None


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The request with a ``BASE`` declaration first (a prologue may hold several; the text's own still win)."""
    return sparql if base_iri is None else f"BASE <{base_iri}>\n{sparql}"


def _quad(row: Row, graph: Term | ox.DefaultGraph | None) -> ox.Quad:
    """The quad of a ``?s ?p ?o`` solution in ``graph`` (:class:`HpkgError` for what cannot be one)."""
    s, p, o = row["s"], row["p"], row["o"]
    if not isinstance(s, (ox.NamedNode, ox.BlankNode)) or not isinstance(p, ox.NamedNode) or o is None \
            or not isinstance(graph, (ox.NamedNode, ox.BlankNode, ox.DefaultGraph)):
        raise HpkgError(f"the SPARQL store answered something that is not a quad: {s} {p} {o} {graph}")
    return ox.Quad(s, p, o, graph)


class SparqlStore(Store):
    """A store behind SPARQL 1.1 Protocol (query, update) and Graph Store Protocol URLs."""

    def __init__(
        self,
        spec: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        read_only: bool = False,
    ) -> None:
        if not spec.startswith(("sparql+http://", "sparql+https://")):
            raise HpkgError(f"not a SPARQL store URL: {spec!r}; use sparql+http(s)://host:port/query")
        self.query_url = spec[len("sparql+") :]
        parts = urlsplit(self.query_url)
        if parts.username or parts.password:
            raise HpkgError("put credentials in HPKG_SPARQL_USER/HPKG_SPARQL_PASSWORD or HPKG_SPARQL_TOKEN, not in the URL")
        self.update_url = update_url or os.environ.get("HPKG_UPDATE_URL") or _sibling(self.query_url, "update")
        self.gsp_url = gsp_url or os.environ.get("HPKG_GSP_URL") or _sibling(self.query_url, "store")
        self.union_param = os.environ.get("HPKG_SPARQL_UNION_PARAM", "union-default-graph")
        self.read_only = read_only
        self.description = f"sparql:{self.query_url}"
        timeout = os.environ.get("HPKG_SPARQL_TIMEOUT")
        headers, auth = _auth()
        headers["User-Agent"] = "hpkg"
        self._client = httpx.Client(
            headers=headers, auth=auth, timeout=float(timeout) if timeout else None, follow_redirects=True
        )

    # ------------------------------------------------------------------ HTTP
    def _request(
        self,
        method: str,
        url: str,
        *,
        params: tuple[tuple[str, str], ...] | dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        content: bytes | Iterator[bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            resp = self._client.request(method, url, params=params, data=data, content=content, headers=headers)
        except httpx.TimeoutException:
            raise HpkgError(f"{url}: the server did not answer in time (HPKG_SPARQL_TIMEOUT)") from None
        except httpx.HTTPError as e:
            raise HpkgError(f"cannot reach the SPARQL store at {url}: {e}") from None
        if resp.status_code in (401, 403):
            raise HpkgError(
                f"{url}: access denied ({resp.status_code}); set HPKG_SPARQL_TOKEN or HPKG_SPARQL_USER/PASSWORD"
            )
        return resp

    @staticmethod
    def _fail(resp: httpx.Response, what: str) -> None:
        if resp.status_code >= 400:
            body = resp.text.strip()[:2000]
            if resp.status_code == 400 and what == "query":
                raise QuerySyntaxError(f"the server rejected the query: {body}")
            raise HpkgError(f"{what} failed at {resp.request.url} ({resp.status_code}): {body}")

    # ------------------------------------------------------------------ Store
    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        sparql = _with_base(sparql, base_iri)
        params: list[tuple[str, str]] = []
        if default_graphs:
            params += [("default-graph-uri", g) for g in default_graphs]
        elif union_default_graph and self.union_param:
            params.append((self.union_param, "true"))
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        resp = self._request(
            "POST", self.query_url, params=tuple(params), data={"query": sparql}, headers={"Accept": _ACCEPT_QUERY}
        )
        self._fail(resp, "query")
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype in (_RESULTS_JSON, "application/json"):
            return QueryResult(ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.JSON))
        if ctype in ("application/sparql-results+xml", "application/xml"):
            return QueryResult(ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.XML))
        fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
        if fmt is None:
            raise HpkgError(f"the server answered with an unknown media type {ctype!r}")
        return QueryResult([q.triple for q in ox.parse(resp.content, format=fmt)])

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        resp = self._request("POST", self.update_url, data={"update": _with_base(sparql, base_iri)})
        if resp.status_code == 400:
            raise QuerySyntaxError(f"the server rejected the update (nothing was changed): {resp.text.strip()[:2000]}")
        self._fail(resp, "update (nothing was changed)")

    def add_quads(self, quads: Iterable[ox.Quad], *, replace_graphs: Sequence[str] = ()) -> None:
        quads = list(quads)
        drops = " ".join(f"DROP SILENT GRAPH <{g}> ;" for g in replace_graphs)
        body = insert_data(quads)
        text = f"{drops} {body}" if body else drops.rstrip(" ;")
        if text.strip():
            self.update(text)  # one request: the server applies it as one transaction

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph is not None:
            rows = self.query(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union_default_graph=False
            ).rows()
            g = ox.NamedNode(graph)
            return iter([_quad(r, g) for r in rows])
        named = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False).rows()
        default = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", union_default_graph=False).rows()
        out = [_quad(r, r["g"]) for r in named]
        out += [_quad(r, ox.DefaultGraph()) for r in default]
        return iter(out)

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False).rows()
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        else:
            q = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        rows = self.query(q, union_default_graph=False).rows()
        return int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0

    def load_file(
        self,
        path: str | Path,
        *,
        fmt: ox.RdfFormat | None = None,
        graph: str | None = None,
        base_iri: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Check the file locally (syntax errors name the line), then send it in one GSP request."""
        path = Path(path)
        fmt = fmt or guess_rdf_format(path)
        n = check_rdf_file(path, fmt=fmt, base_iri=base_iri, progress=progress, weight=0.5)
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML,
                   ox.RdfFormat.JSON_LD) and base_iri:
            # Relative IRIs must resolve against our base, not the server's: send N-Triples/N-Quads.
            with open_rdf_file(path) as f:
                quads = ox.parse(f, format=fmt, base_iri=base_iri)
                if fmt.supports_datasets:
                    data = serialize(quads, ox.RdfFormat.N_QUADS)
                else:
                    data = serialize((q.triple for q in quads), ox.RdfFormat.N_TRIPLES)
            content: bytes | Iterator[bytes] = data
            media = "application/n-quads" if fmt.supports_datasets else "application/n-triples"
        else:
            content = _chunks(path, progress)
            media = fmt.media_type
        params = {"graph": graph} if graph and not fmt.supports_datasets else {}
        if not fmt.supports_datasets and not graph:
            params = {"default": ""}
        method = "PUT" if replace and not fmt.supports_datasets else "POST"
        resp = self._request(method, self.gsp_url, params=params, content=content,
                             headers={"Content-Type": media})
        self._fail(resp, f"loading {path} (nothing was changed)")
        return n

    def close(self) -> None:
        self._client.close()


def _chunks(path: Path, progress: Progress | None) -> Iterator[bytes]:
    with open_rdf_file(path, progress, 0.5) as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                return
            yield block
