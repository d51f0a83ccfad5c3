"""A remote SPARQL 1.1 store: ``--store sparql+http://host:port/query`` (or ``sparql+https://…``).

Three URLs, as SPARQL 1.1 Protocol and Graph Store Protocol servers expose them:

* **query** — the URL after ``sparql+``;
* **update** — ``--update-url`` / ``HPKG_UPDATE_URL``; by default the query URL with its last path segment
  ``query`` replaced by ``update`` (Oxigraph's and Fuseki's layout: ``/query`` → ``/update``);
* **Graph Store Protocol** — ``--gsp-url`` / ``HPKG_GSP_URL``; by default ``…/store`` (Oxigraph's layout).

Credentials come from the environment only, never from the command line: ``HPKG_SPARQL_TOKEN`` (sent as
``Authorization: Bearer …``) or ``HPKG_SPARQL_USER`` + ``HPKG_SPARQL_PASSWORD`` (HTTP Basic; HTTP Digest with
``HPKG_SPARQL_AUTH=digest``, as Virtuoso's ``…-auth`` endpoints ask). ``HPKG_SPARQL_TIMEOUT`` sets the HTTP
time-out in seconds (default: none; connecting always gives up after :data:`CONNECT_TIMEOUT` s).
An error names the URL it came from and shows at most the first :data:`SHOWN_LINES` lines of the request and
of the server's answer, never a multi-kilobyte update.

The default graph of a query is the union of all graphs, as in the embedded store: hpkg sends Oxigraph's
``union-default-graph`` parameter (``HPKG_SPARQL_UNION_PARAM`` renames it; set it empty for servers whose
default graph already is the union, such as GraphDB and Virtuoso, or Fuseki with ``unionDefaultGraph``).

Blank nodes: ``INSERT DATA`` may hold blank nodes in SPARQL 1.1, but Virtuoso refuses them (SP031), so the
writes made of quads (``build``) send triples with blank nodes as ``INSERT { … } WHERE {}`` in the same request:
standard SPARQL 1.1, where a template's blank node is a fresh one per solution and ``WHERE {}`` has exactly one,
so the store holds the same graph as with ``INSERT DATA`` (blank nodes stay blank, not skolem IRIs).

Virtuoso (recognised by its ``Server`` header, asked once per store with ``ASK {}``) is a SPARQL 1.1 server with
deviations that this backend works around (the page "Scaling up" lists them): its default graph is already the
union, including graphs of its own (:data:`VIRTUOSO_SYSTEM_GRAPHS`; ``HPKG_SPARQL_HIDE_GRAPHS`` replaces the
list), so every query gets its dataset spelled out (``default-graph-uri``/``named-graph-uri``: the user's graphs;
Virtuoso's ``DEFINE input:default-graph-exclude`` would be shorter, but with it ``GRAPH <g> {…}`` finds nothing);
it has no separate default graph to write to; it answers ``ASK`` as a one-row ``SELECT`` of
``__ASK_RETVAL``; its JSON results name blank nodes ``nodeID://…`` (renamed to valid labels here).
It rewrites ``geo:wktLiteral`` values on insert, so hpkg stores them there under :data:`VIRTUOSO_WKT`
and reads them back as they were (:func:`_to_virtuoso`, :func:`_fix_json_results`).

Atomicity: every write is one HTTP request, which SPARQL servers run as one transaction — ``build`` sends one
SPARQL Update (``DROP GRAPH …; INSERT DATA {…}``), ``load`` one Graph Store Protocol request per file (``POST``,
or ``PUT`` with ``--replace``) after checking locally that the file parses. What happens if the server dies
mid-request is up to the server (Oxigraph, Fuseki/TDB2 and GraphDB roll back).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.formats import guess_rdf_format
from hpkg.rdfio import Progress, check_rdf_file, open_rdf_file, serialize
from hpkg.store.base import QueryResult, Row, Store
from hpkg.store.updates import blank_node_groups, has_blank_node, insert_data, insert_where
from hpkg.terms import Term

_RESULTS_JSON = "application/sparql-results+json"
_ACCEPT_QUERY = f"{_RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
#: CONSTRUCT and DESCRIBE ask for triples first: some servers (Virtuoso) answer them as a SELECT table in JSON.
_ACCEPT_GRAPH = f"application/n-triples, text/turtle;q=0.9, {_RESULTS_JSON};q=0.1"

#: Seconds to wait for a connection (the answer itself waits ``HPKG_SPARQL_TIMEOUT``, default for ever).
CONNECT_TIMEOUT = 10.0
#: How many lines of a request (and of the server's answer) an error message shows.
SHOWN_LINES = 5

#: The graphs a fresh Virtuoso database holds for itself: its RDF views' metadata, LDP, its service description.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)

_PROLOGUE = re.compile(
    r"""(?:\s+|\#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>|DEFINE\s+\S+\s+(?:<[^>]*>|"[^"]*"|'[^']*'|\S+))*""",
    re.IGNORECASE,
)
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s*)?(?:<|[A-Za-z_]*:)", re.IGNORECASE)
_GRAPH_IRI = re.compile(r"\bGRAPH\s*<([^>\s]*)>", re.IGNORECASE)
_GRAPH_PNAME = re.compile(r"\bGRAPH\s+([A-Za-z][\w.-]*)?:([\w.-]*)", re.IGNORECASE)
_PREFIX_DECL = re.compile(r"\bPREFIX\s*([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE_DECL = re.compile(r"\bBASE\s*<([^>]*)>", re.IGNORECASE)
_PREFIX_LINE = re.compile(r"\s*(?:PREFIX|BASE)\b[^{]*$", re.IGNORECASE)
_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
#: A graph that no store holds: the dataset of a query on Virtuoso when there is no user graph.
EMPTY_GRAPH = "urn:x-hpkg:empty-graph"
#: Seconds a Virtuoso store's list of graphs is reused (it is asked again after every write of this store; a
#: graph another client adds meanwhile is seen after at most this long). Listing them takes Virtuoso seconds.
GRAPH_LIST_TTL = 30.0
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
#: GeoSPARQL's WKT literal datatype. Virtuoso 7.2 turns such literals into its own geometry type on insert
#: (datatype ``virtrdf:Geometry``, the text reprinted: spaces dropped, coordinates of points rounded to single
#: precision), so hpkg writes them there under :data:`VIRTUOSO_WKT`, which Virtuoso keeps as it is, and reads
#: that datatype back as ``geo:wktLiteral``: the same literal as in the embedded store.
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
#: The datatype a ``geo:wktLiteral`` is stored under on Virtuoso (never seen outside the remote store).
VIRTUOSO_WKT = "urn:x-hpkg:virtuoso:wkt"
#: Virtuoso's own geometry datatype: a value of it was rewritten by Virtuoso and cannot be given back as it was.
VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
_WKT_IN_TEXT = re.compile(r"wktLiteral|virtrdf#Geometry|" + re.escape(VIRTUOSO_WKT))


def query_form(sparql: str) -> str | None:
    """``select``, ``ask``, ``construct`` or ``describe``: the first keyword after the prologue (None if none)."""
    m = _PROLOGUE.match(sparql)
    rest = sparql[m.end():] if m else sparql
    word = re.match(r"[A-Za-z]+", rest)
    form = word.group(0).lower() if word else None
    return form if form in ("select", "ask", "construct", "describe") else None


def graphs_named_in(sparql: str, base_iri: str | None = None) -> list[str]:
    """The IRIs of the graphs a query names with ``GRAPH <iri>`` or ``GRAPH prefix:name`` (best effort)."""
    base = base_iri
    m = _BASE_DECL.search(sparql)
    if m:
        base = urljoin(base or "", m.group(1))
    prefixes = {p or "": ns for p, ns in _PREFIX_DECL.findall(sparql)}
    out = [urljoin(base, g) if base else g for g in _GRAPH_IRI.findall(sparql)]
    out += [prefixes[p or ""] + local for p, local in _GRAPH_PNAME.findall(sparql) if (p or "") in prefixes]
    return out


def unbound_optional_parameters(sparql: str) -> list[str]:
    """The optional grlc parameters (``?__name``) still in a query: left out, so no pattern binds them."""
    from hpkg.params import parameters

    try:
        return sorted(name for name, p in parameters(sparql).items() if not p.required)
    except HpkgError:
        return []


@lru_cache(maxsize=256)
def transitive_paths(sparql: str) -> bool:
    """Whether a query uses a ``*`` or ``+`` property path (read with rdflib's parser; False if it cannot parse)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(sparql)
    except Exception:  # noqa: BLE001 - rdflib raises many kinds; the server will judge the text itself
        return False

    def walk(x: object) -> bool:
        if isinstance(x, CompValue):
            if x.name == "PathElt" and x.get("mod") in ("*", "+"):
                return True
            return any(walk(v) for v in x.values())
        if isinstance(x, (list, tuple, ParseResults)):
            return any(walk(v) for v in x)
        return False

    return walk(tree)


def excerpt(text: str, lines: int = SHOWN_LINES) -> str:
    """The first ``lines`` lines of ``text`` but its ``PREFIX`` and comment lines (each cut at 200 characters), saying how
    much was left out; a server's copy of the request (Virtuoso's ``SPARQL query:``) is left out too."""
    all_lines = [line for line in text.strip().splitlines() if line.strip()]
    for i, line in enumerate(all_lines):
        if line.strip() == "SPARQL query:":
            all_lines = all_lines[:i]
            break
    body = [line for line in all_lines if not _PREFIX_LINE.match(line) and not line.lstrip().startswith("#")]
    prefixes = len(all_lines) - len(body)
    shown = [line if len(line) <= 200 else line[:200] + " …" for line in body[:lines]]
    left = len(body) - len(shown)
    if left or prefixes:
        shown.append(f"… ({left} more lines, {prefixes} PREFIX and comment lines left out; "
                     f"{len(text)} characters in all)")
    return "\n".join("    " + line for line in shown)


def _bnode_label(value: str) -> str:
    """A valid blank node label for a server's blank node name (Virtuoso's are ``nodeID://b10000``)."""
    if value.startswith("nodeID://") and _LABEL.fullmatch(value[9:]):
        return "vnode_" + value[9:]
    if _LABEL.fullmatch(value) and not value.startswith(("vnode_", "enc_")):
        return value
    return "enc_" + value.encode("utf-8").hex()


def _rewritten_geometry(where: str) -> HpkgError:
    return HpkgError(
        f"the SPARQL store at {where} is Virtuoso and holds a geometry it rewrote on insert (datatype "
        f"{VIRTUOSO_GEOMETRY}: the WKT text reprinted, point coordinates rounded), written there by other means "
        "than hpkg; hpkg cannot give it back as it was, so it answers nothing rather than a wrong literal. "
        "Load the data with hpkg (hpkg load / hpkg build keep geo:wktLiteral values unchanged there).")


def _fix_json_results(body: bytes, where: str = "") -> bytes:
    """SPARQL JSON results with every blank node renamed to a valid label (the same name, the same label) and
    every ``geo:wktLiteral`` stored on Virtuoso under :data:`VIRTUOSO_WKT` given back with its own datatype."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body  # the parser will say what is wrong
    changed = False
    for binding in doc.get("results", {}).get("bindings", []) if isinstance(doc, dict) else []:
        for term in binding.values():
            if not isinstance(term, dict):
                continue
            if term.get("type") == "bnode" and isinstance(term.get("value"), str):
                label = _bnode_label(term["value"])
                if label != term["value"]:
                    term["value"] = label
                    changed = True
            elif term.get("datatype") == VIRTUOSO_WKT:
                term["datatype"] = WKT
                changed = True
            elif term.get("type") == "uri" and term.get("value") == VIRTUOSO_WKT:  # datatype(?w)
                term["value"] = WKT
                changed = True
            elif term.get("datatype") == VIRTUOSO_GEOMETRY or (
                    term.get("type") == "uri" and term.get("value") == VIRTUOSO_GEOMETRY):
                raise _rewritten_geometry(where)
    return json.dumps(doc).encode("utf-8") if changed else body


def _to_virtuoso(quad: ox.Quad) -> ox.Quad:
    """The quad as hpkg stores it on Virtuoso: a ``geo:wktLiteral`` under :data:`VIRTUOSO_WKT`."""
    o = quad.object
    if isinstance(o, ox.Literal) and o.datatype.value == WKT:
        return ox.Quad(quad.subject, quad.predicate, ox.Literal(o.value, datatype=ox.NamedNode(VIRTUOSO_WKT)),
                       quad.graph_name)
    return quad


def _from_virtuoso(triple: ox.Triple, where: str) -> ox.Triple:
    """The triple of a CONSTRUCT/DESCRIBE answer with a stored ``geo:wktLiteral`` given back as it was."""
    o = triple.object
    if isinstance(o, ox.Literal):
        if o.datatype.value == VIRTUOSO_WKT:
            return ox.Triple(triple.subject, triple.predicate, ox.Literal(o.value, datatype=ox.NamedNode(WKT)))
        if o.datatype.value == VIRTUOSO_GEOMETRY:
            raise _rewritten_geometry(where)
    return triple


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
        password = os.environ.get("HPKG_SPARQL_PASSWORD", "")
        scheme = os.environ.get("HPKG_SPARQL_AUTH", "basic").strip().lower()
        if scheme == "digest":
            return {}, httpx.DigestAuth(user, password)
        if scheme != "basic":
            raise HpkgError(f"HPKG_SPARQL_AUTH={scheme!r}: use basic or digest")
        return {}, httpx.BasicAuth(user, password)
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
        self._union_param = os.environ.get("HPKG_SPARQL_UNION_PARAM")
        self.read_only = read_only
        self.description = f"sparql:{self.query_url}"
        self._server: str | None = None
        self._graphs: tuple[float, list[str]] | None = None
        timeout = os.environ.get("HPKG_SPARQL_TIMEOUT")
        try:
            seconds = float(timeout) if timeout else None
        except ValueError:
            raise HpkgError(f"HPKG_SPARQL_TIMEOUT={timeout!r} is not a number of seconds") from None
        headers, auth = _auth()
        headers["User-Agent"] = "hpkg"
        self._client = httpx.Client(
            headers=headers, auth=auth, follow_redirects=True,
            timeout=httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds or CONNECT_TIMEOUT)),
        )

    # ------------------------------------------------------------------ the server and its dialect
    @property
    def server(self) -> str:
        """``virtuoso`` or ``sparql`` (any other SPARQL 1.1 server), from the ``Server`` header of ``ASK {}``."""
        if self._server is None:
            resp = self._request("GET", self.query_url, params={"query": "ASK {}"},
                                 headers={"Accept": _RESULTS_JSON})
            name = resp.headers.get("server", "").lower()
            self._server = "virtuoso" if name.startswith("virtuoso") else "sparql"
        return self._server

    def _server_for(self, shown: str) -> str:
        """:attr:`server`, or an error naming the endpoint and showing the first lines of the request ``shown``."""
        try:
            return self.server
        except HpkgError as e:
            raise HpkgError(f"{e}\n  the request began:\n{excerpt(shown)}") from None

    @property
    def union_param(self) -> str:
        """The query parameter asking for the union default graph ("": the default graph already is the union)."""
        if self._union_param is not None:
            return self._union_param
        return "" if self.server == "virtuoso" else "union-default-graph"

    @property
    def separate_default_graph(self) -> bool:
        """Whether the server has a default graph of its own besides the named graphs (Virtuoso has not)."""
        return self.server != "virtuoso"

    @property
    def runs_shapes(self) -> bool:
        """Whether the compiled shapes may run on the server (not on Virtuoso: see :func:`transitive_paths`)."""
        return self.server != "virtuoso"

    @property
    def hidden_graphs(self) -> tuple[str, ...]:
        """Graphs the server keeps for itself, hidden from every query (Virtuoso's; ``HPKG_SPARQL_HIDE_GRAPHS``)."""
        if self.server != "virtuoso":
            return ()
        env = os.environ.get("HPKG_SPARQL_HIDE_GRAPHS")
        return tuple(env.split()) if env is not None else VIRTUOSO_SYSTEM_GRAPHS

    def user_graphs(self) -> list[str]:
        """The named graphs, without the server's own (asked at most every :data:`GRAPH_LIST_TTL` s)."""
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > GRAPH_LIST_TTL:
            resp = self._request("POST", self.query_url, data={"query": _GRAPHS_QUERY},
                                 headers={"Accept": _RESULTS_JSON}, shown=_GRAPHS_QUERY)
            self._fail(resp, "listing the graphs failed", _GRAPHS_QUERY)
            rows = QueryResult(ox.parse_query_results(_fix_json_results(resp.content),
                                                      format=ox.QueryResultsFormat.JSON)).rows()
            hidden = set(self.hidden_graphs)
            found = sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode) and r["g"].value not in hidden)
            self._graphs = (time.monotonic(), found)
        return self._graphs[1]

    def _dataset(self, sparql: str, base_iri: str | None, *, union: bool, default_graphs: Sequence[str] | None,
                 named_graphs: Sequence[str] | None) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for a query.

        On Virtuoso, whose default graph is the union of every graph *including its own*, the dataset is spelled
        out: the default graph is the merge of the user's graphs (none: an empty graph), the named graphs are the
        user's graphs plus every graph the query names with ``GRAPH <…>`` (outside the dataset Virtuoso would
        count one solution of an empty pattern). A query with its own ``FROM`` keeps its dataset.
        """
        params: list[tuple[str, str]] = []
        virtuoso = self.server == "virtuoso"
        if virtuoso and _FROM.search(sparql) and not default_graphs and not named_graphs:
            return params
        user = self.user_graphs() if virtuoso and not (default_graphs and named_graphs) else []
        if default_graphs:
            params += [("default-graph-uri", g) for g in default_graphs]
        elif virtuoso:
            graphs = user if union else []
            params += [("default-graph-uri", g) for g in graphs or [EMPTY_GRAPH]]
        elif union and self.union_param:
            params.append((self.union_param, "true"))
        if named_graphs:
            params += [("named-graph-uri", g) for g in named_graphs]
        elif virtuoso:
            named = [*user, *(g for g in graphs_named_in(sparql, base_iri) if g)]
            params += [("named-graph-uri", g) for g in dict.fromkeys(named or [EMPTY_GRAPH])]
        return params

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
        shown: str = "",
    ) -> httpx.Response:
        """One HTTP request; a time-out, a refused connection or a refusal of access is an :class:`HpkgError`
        naming ``url`` (and showing the first lines of ``shown``, the request's text)."""
        request = f"\n  the request began:\n{excerpt(shown)}" if shown.strip() else ""
        try:
            resp = self._client.request(method, url, params=params, data=data, content=content, headers=headers)
        except httpx.ConnectTimeout:
            raise HpkgError(f"cannot reach the SPARQL store at {url}: no connection within "
                            f"{self._client.timeout.connect:g} s; nothing was changed{request}") from None
        except httpx.TimeoutException:
            raise HpkgError(f"the SPARQL store at {url} did not answer within {self._client.timeout.read:g} s "
                            f"(HPKG_SPARQL_TIMEOUT){request}") from None
        except (httpx.HTTPError, httpx.StreamError) as e:
            raise HpkgError(f"cannot reach the SPARQL store at {url}: {e or type(e).__name__}{request}") from None
        if resp.status_code in (401, 403):
            raise HpkgError(
                f"{url}: access denied ({resp.status_code}); set HPKG_SPARQL_TOKEN or HPKG_SPARQL_USER/PASSWORD"
                + (" (and HPKG_SPARQL_AUTH=digest if the server asks for HTTP Digest)"
                   if "digest" in resp.headers.get("www-authenticate", "").lower() else "")
            )
        return resp

    @staticmethod
    def _fail(resp: httpx.Response, what: str, shown: str = "") -> None:
        if resp.status_code < 400:
            return
        url = str(resp.request.url).split("?")[0]
        answer = excerpt(resp.text, SHOWN_LINES) if resp.text.strip() else "    (no message)"
        hint = ""
        if "SP031" in resp.text and "Blank node" in resp.text:
            hint = ("\n  Virtuoso refuses blank nodes in INSERT DATA; write INSERT { … } WHERE {} instead "
                    "(the same triples, in standard SPARQL 1.1)")
        elif "SP031" in resp.text and "default graph" in resp.text:
            hint = "\n  Virtuoso has no default graph to write to: put the triples in GRAPH <…> { … }"
        request = f"\n  the request began:\n{excerpt(shown)}" if shown.strip() else ""
        message = f"{what} at {url} ({resp.status_code}); the server said:\n{answer}{hint}{request}"
        if resp.status_code == 400 and what.startswith(("the server rejected the query",
                                                        "the server rejected the update")):
            raise QuerySyntaxError(message)
        raise HpkgError(message)

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
        form = query_form(sparql)
        if self._server_for(sparql) == "virtuoso" and transitive_paths(sparql):
            raise HpkgError(
                f"the SPARQL store at {self.query_url} is Virtuoso, which answers property paths with * or + "
                "wrongly when the path's ends are joined with other patterns (rows go missing); hpkg does not "
                "send such a query there. Run it on the embedded store (hpkg export, then hpkg --store DIR load)"
                f" or without the path.\n  the query began:\n{excerpt(sparql)}")
        if self._server_for(sparql) == "virtuoso":
            left_out = unbound_optional_parameters(sparql)
            if left_out:
                raise HpkgError(
                    f"the SPARQL store at {self.query_url} is Virtuoso, which answers a query with a variable no "
                    f"pattern binds (here the optional parameter ?__{left_out[0]}, left out) wrongly: no rows. "
                    f"Give it (--param {left_out[0]}=…) or run the query on the embedded store."
                    f"\n  the query began:\n{excerpt(sparql)}")
            if _WKT_IN_TEXT.search(sparql):
                raise HpkgError(
                    f"the SPARQL store at {self.query_url} is Virtuoso, which rewrites geo:wktLiteral values on "
                    f"insert; hpkg stores them there under the datatype <{VIRTUOSO_WKT}> and gives them back as "
                    "geo:wktLiteral, but a query that names the datatype would be answered wrongly there, so hpkg "
                    "does not send it. Run it on the embedded store (hpkg export, then hpkg --store DIR load)."
                    f"\n  the query began:\n{excerpt(sparql)}")
        text = _with_base(sparql, base_iri)
        params = self._dataset(sparql, base_iri, union=union_default_graph, default_graphs=default_graphs,
                               named_graphs=named_graphs)
        accept = _ACCEPT_GRAPH if form in ("construct", "describe") else _ACCEPT_QUERY
        resp = self._request("POST", self.query_url, params=tuple(params), data={"query": text},
                             headers={"Accept": accept}, shown=sparql)
        self._fail(resp, "the server rejected the query", sparql)
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype in (_RESULTS_JSON, "application/json"):
                result = QueryResult(ox.parse_query_results(_fix_json_results(resp.content, self.query_url),
                                                            format=ox.QueryResultsFormat.JSON))
            elif ctype in ("application/sparql-results+xml", "application/xml"):
                result = QueryResult(ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.XML))
            else:
                fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
                if fmt is None:
                    raise HpkgError(f"the SPARQL store at {self.query_url} answered with an unknown media type "
                                    f"{ctype!r}")
                return QueryResult([_from_virtuoso(q.triple, self.query_url)
                                    for q in ox.parse(resp.content, format=fmt)])
        except SyntaxError as e:
            raise HpkgError(f"the SPARQL store at {self.query_url} sent an answer that does not parse ({ctype}): "
                            f"{e}") from None
        if form == "ask" and result.variables == ["__ASK_RETVAL"]:
            # Virtuoso answers ASK with a SELECT of one variable: one row (1) for true, none for false.
            rows = result.rows()
            value = rows[0]["__ASK_RETVAL"] if rows else None
            truth = value is not None and value.value not in ("0", "false")
            body = b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false")
            return QueryResult(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        if form in ("construct", "describe") and result.kind == "select":
            raise HpkgError(f"the SPARQL store at {self.query_url} answered a {form.upper()} with a table, "
                            "not with triples")
        return result

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        if _WKT_IN_TEXT.search(sparql) and self._server_for(sparql) == "virtuoso":
            raise HpkgError(
                f"the SPARQL store at {self.update_url} is Virtuoso, which rewrites geo:wktLiteral values on "
                "insert (its own geometry type: the text reprinted, point coordinates rounded); hpkg does not "
                "send an update that names that datatype there (nothing was changed). Write such data with "
                "hpkg load or hpkg build, which keep it unchanged there."
                f"\n  the update began:\n{excerpt(sparql)}")
        self._send_update(sparql, base_iri=base_iri)

    def _send_update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._graphs = None
        resp = self._request("POST", self.update_url, data={"update": _with_base(sparql, base_iri)}, shown=sparql)
        self._fail(resp, "the server rejected the update (nothing was changed)" if resp.status_code == 400
                   else "the update failed (nothing was changed)", sparql)

    def add_quads(self, quads: Iterable[ox.Quad], *, replace_graphs: Sequence[str] = ()) -> None:
        quads = list(quads)
        if self.server == "virtuoso":
            quads = [_to_virtuoso(q) for q in quads]
        plain = [q for q in quads if not has_blank_node(q)]
        blank = [q for q in quads if has_blank_node(q)]
        ops = [f"DROP SILENT GRAPH <{g}>" for g in replace_graphs]
        if plain:
            ops.append(insert_data(plain))
        ops += [insert_where(group) for group in blank_node_groups(blank)]
        if ops:
            self._send_update(" ;\n".join(ops))  # one request: the server applies it as one transaction

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph is not None:
            rows = self.query(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union_default_graph=False
            ).rows()
            g = ox.NamedNode(graph)
            return iter([_quad(r, g) for r in rows])
        named = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False).rows()
        out = [_quad(r, r["g"]) for r in named]
        if self.separate_default_graph:  # (Virtuoso's default graph is the union of the named ones)
            default = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", union_default_graph=False).rows()
            out += [_quad(r, ox.DefaultGraph()) for r in default]
        return iter(out)

    def graphs(self) -> list[str]:
        if self.server == "virtuoso":
            self._graphs = None
            return list(self.user_graphs())
        rows = self.query(_GRAPHS_QUERY, union_default_graph=False).rows()
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        elif self.separate_default_graph:
            q = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        else:
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
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
        virtuoso = self.server == "virtuoso"
        if virtuoso or (fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML,
                                ox.RdfFormat.JSON_LD) and base_iri):
            # Relative IRIs must resolve against our base, not the server's; on Virtuoso, geo:wktLiteral values
            # go under VIRTUOSO_WKT: send N-Triples/N-Quads.
            with open_rdf_file(path) as f:
                quads: Iterable[ox.Quad] = ox.parse(f, format=fmt, base_iri=base_iri)
                if virtuoso:
                    quads = (_to_virtuoso(q) for q in quads)
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
        if isinstance(self._client.auth, httpx.DigestAuth) and not isinstance(content, bytes):
            content = b"".join(content)  # Digest answers the first try with a challenge: the body is sent twice
        method = "PUT" if replace and not fmt.supports_datasets else "POST"
        self._graphs = None
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
