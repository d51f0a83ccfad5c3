"""Run W3C SPARQL 1.1 Protocol manifest tests (HTTP-in-RDF requests) against a running server.

The manifest and its data files are the unchanged copies in ``tests/conformance/sparql11-protocol/``;
``tests/data/sparql11-protocol-cases.toml`` says which tests apply to which server and how the manifest's paths
map onto ours.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

from ..conftest import CONFORMANCE, TEST_DATA

MANIFEST = CONFORMANCE / "sparql11-protocol" / "manifest.ttl"
CASES = TEST_DATA / "sparql11-protocol-cases.toml"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass
class Request:
    """One ``ht:Request`` of a test and the response it expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    fmt: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        """Whether this request carries a SPARQL Update."""
        ct = self.headers.get("content-type", "")
        body = (self.body or b"").decode("utf-8", "replace")
        return ct.startswith("application/sparql-update") or body.startswith("update=") or "update=" in self.path


@dataclass
class Case:
    """One manifest test."""

    name: str
    label: str
    requests: list[Request] = field(default_factory=list)


def data_graphs() -> dict[str, str]:
    """The manifest's data files (paths in ``tests/conformance``) and the graph names they are loaded under."""
    return {str(MANIFEST.parent / f): g for f, g in table()["graphs"].items()}


def table() -> dict:
    """The case table."""
    return tomllib.loads(CASES.read_text(encoding="utf-8"))


def manifest_cases() -> list[Case]:
    """Every test of the manifest, in manifest order."""
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    out = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[1]
        case = Case(name, str(g.value(test, MF.name)))
        action = g.value(test, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
            body = None
            b = g.value(req, HT.body)
            if b is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding.lower())
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            case.requests.append(Request(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses={str(s).rsplit("#", 1)[1] for s in g.objects(resp, MF.expectedStatus)},
                fmt=str(fmt) if fmt is not None else None,
                boolean=boolean.toPython() if boolean is not None else None,
            ))
        out.append(case)
    return out


def cases_for(server: str) -> list[Case]:
    """The manifest tests the case table runs on ``server`` (``readonly`` or ``update``)."""
    cases = table()["cases"]
    return [c for c in manifest_cases() if server in cases.get(c.name, {}).get("servers", [])]


def _status_class(code: int) -> str:
    return f"StatusCode{code // 100}xx"


def run_case(case: Case, base_url: str, *, server: str, token: str | None = None) -> None:
    """Send the requests of ``case`` in order; assert each response is what the manifest expects."""
    mapping = table()["mapping"]
    with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
        for i, req in enumerate(case.requests):
            assert req.path.startswith(mapping["path_prefix"]), req.path
            endpoint = mapping["query_endpoint"]
            headers = dict(req.headers)
            if server == "update" and req.is_update:
                endpoint = mapping["update_endpoint"]
                headers["authorization"] = f"Bearer {token}"
            path = endpoint + req.path[len(mapping["path_prefix"]):]
            r = client.request(req.method, path, content=req.body, headers=headers)
            where = f"{case.name} request {i + 1}: {req.method} {path} -> {r.status_code} {r.text[:300]!r}"
            assert _status_class(r.status_code) in req.statuses, where
            media = r.headers.get("content-type", "").split(";")[0].strip()
            if req.fmt in ("boolean", "tabular"):
                assert media in RESULT_TYPES, where
            if req.fmt == "boolean":
                assert media in ("application/sparql-results+json", "application/sparql-results+xml"), where
                result = ox.parse_query_results(r.content, format=RESULT_TYPES[media])
                assert isinstance(result, ox.QueryBoolean), where
                if req.boolean is not None:
                    assert bool(result) is req.boolean, where
            elif req.fmt == "tabular" and media != "text/csv":
                assert isinstance(ox.parse_query_results(r.content, format=RESULT_TYPES[media]),
                                  ox.QuerySolutions), where
            elif req.fmt == "RDF":
                assert media in RDF_TYPES, where
                list(ox.parse(r.content, format=RDF_TYPES[media]))


def check_table_covers_manifest() -> None:
    """Every manifest test is in the table, with a place to run or a reason it does not apply."""
    cases = table()["cases"]
    names = [c.name for c in manifest_cases()]
    assert sorted(names) == sorted(cases), set(names) ^ set(cases)
    for name, spec in cases.items():
        assert spec.get("servers") or spec.get("reason"), name
