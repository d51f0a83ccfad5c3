"""``/ingest``: the review page of issue 12 and its JSON API, behind the update token.

* ``GET /ingest`` — the page (no token needed to load it; the token is typed into the page and sent as
  ``Authorization: Bearer``). Paste a text and its metadata, see the candidate figures and entities highlighted,
  accept or reject each, submit.
* ``POST /ingest/extract`` — ``{"text", "title", "published", "publisher", "source_url", "lang"}`` -> the ingest
  JSON contract (``document``, ``facts``, ``entities``) plus ``"rows"``: the review sheet's rows
  (:func:`hpkg.ingest.accept.sheet_rows`), each with its index ``row``.
* ``POST /ingest/accept`` — the same fields and ``"decisions": [{"row": i, "decision": "accept" | "reject"}]``
  (and optional edited ``"cells"``). The text is extracted again, the decisions applied to its rows and
  :func:`hpkg.ingest.accept.accept_rows` (the code of ``hpkg ingest accept``) makes the data file; its triples go
  into the store's data graph through the guarded, SHACL-validated write path
  (:func:`hpkg.server.guard.run_validated`), then the text and the data file are written (atomically) into the
  project's ``sources/`` and ``data/``. The answer says what was added; 422 with the SHACL report when it does not
  conform (nothing written, the store unchanged).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hpkg.errors import HpkgError
from hpkg.server.guard import check_token, report_response, run_validated
from hpkg.server.state import state, text_error

_META = ("title", "published", "publisher", "source_url", "lang")
#: The name of a pasted text's review sheet in messages.
PAGE_SHEET = Path("ingest-page")


async def page(request: Request) -> Response:
    """The review page."""
    from hpkg.server.pages import render

    return render(request, "ingest.html", {})


class _BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def _payload(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise _BadRequest(f"the body is not JSON: {e}") from None
    if not isinstance(body, dict):
        raise _BadRequest("the body must be a JSON object with at least \"text\"")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadRequest("\"text\" must be a non-empty string (the report's text)")
    for key in _META:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise _BadRequest(f"\"{key}\" must be a string")
        if body.get(key) == "":
            body[key] = None
    if body.get("lang") not in (None, "vi", "en"):
        raise _BadRequest("\"lang\" is vi or en")
    if body.get("published"):
        try:
            body["published"] = dt.date.fromisoformat(body["published"]).isoformat()
        except ValueError:
            raise _BadRequest(f"\"published\" {body['published']!r} is not a date YYYY-MM-DD") from None
    return body


def _document_path(body: dict[str, Any]) -> str:
    import hashlib

    from hpkg.iri import slugify

    digest = hashlib.sha256(body["text"].encode("utf-8")).hexdigest()[:8]
    return f"{(slugify(body.get('title') or '') or 'pasted')[:40]}-{digest}.txt"


def _extract(request: Request, body: dict[str, Any]) -> tuple[Any, list[dict[str, str]]]:
    from hpkg.ingest.accept import sheet_rows
    from hpkg.ingest.extract import extract

    doc = extract(body["text"], graph_store=state(request).store, lang=body.get("lang"), path=_document_path(body),
                  title=body.get("title"), published=body.get("published"), publisher=body.get("publisher"),
                  source_url=body.get("source_url"))
    return doc, sheet_rows([doc])


async def extract_api(request: Request) -> Response:
    """``POST /ingest/extract``: the candidates of a pasted text and the rows to decide on."""
    denied = check_token(request)
    if denied is not None:
        return denied
    try:
        body = await _payload(request)
    except _BadRequest as e:
        return text_error(400, e.message)
    doc, rows = await run_in_threadpool(_extract, request, body)
    out = doc.to_json()
    out["text"] = doc.text
    out["rows"] = [{"row": i, **r} for i, r in enumerate(rows)]
    return JSONResponse(out)


async def accept_api(request: Request) -> Response:
    """``POST /ingest/accept``: write the accepted rows into the project and the store (validated)."""
    from hpkg.fileio import write_atomic
    from hpkg.ingest.accept import NotConforming, NothingAccepted, Row, SheetMetadata, accept_rows

    denied = check_token(request)
    if denied is not None:
        return denied
    st = state(request)
    try:
        body = await _payload(request)
        decisions = body.get("decisions")
        if not isinstance(decisions, list):
            raise _BadRequest("\"decisions\" must be a list of {\"row\": index, \"decision\": \"accept\"|\"reject\"}")
    except _BadRequest as e:
        return text_error(400, e.message)
    doc, rows = await run_in_threadpool(_extract, request, body)
    for d in decisions:
        if not isinstance(d, dict) or not isinstance(d.get("row"), int) or not 0 <= d["row"] < len(rows) \
                or d.get("decision") not in ("accept", "reject", ""):
            return text_error(400, f"bad decision {d!r}: give {{\"row\": 0..{len(rows) - 1}, \"decision\": "
                                   "\"accept\" | \"reject\"}}")
        row = rows[d["row"]]
        cells = d.get("cells") or {}
        if not isinstance(cells, dict) or not all(isinstance(v, str) for v in cells.values()):
            return text_error(400, f"row {d['row']}: \"cells\" must map column names to strings")
        if "quote" in d and d["quote"] != row["quote"]:
            return text_error(409, f"row {d['row']} is {row['quote']!r} now, not {d['quote']!r}: extract again")
        row.update({k: v for k, v in cells.items() if k in row and k not in ("start", "end", "quote", "path")})
        row["decision"] = d["decision"]
    project = st.settings.project
    sheet_rows = [Row(i + 1, r) for i, r in enumerate(rows)]
    meta = SheetMetadata(title=body.get("title"), published=body.get("published"), publisher=body.get("publisher"),
                         source_url=body.get("source_url"), lang=body.get("lang"))
    try:
        done = await run_in_threadpool(accept_rows, sheet_rows, project, meta, PAGE_SHEET, {doc.path: doc.text})
    except NothingAccepted as e:
        return text_error(400, str(e))
    except NotConforming as e:
        return report_response(request, e.report)
    except HpkgError as e:
        return text_error(400, str(e))
    (acc,) = done
    from hpkg.iri import base_iri, graph_iri

    data_graph = graph_iri("data", base_iri())
    triples = "\n".join(f"{t} ." for t in acc.triples)
    # accepted before (the same text): the earlier data file's triples go, in the same validated update
    old = [t for f in acc.replaces if f.suffix == ".ttl" for t in _file_triples(f)]
    delete = "DELETE DATA {{ GRAPH <{}> {{\n{}\n}} }} ;\n".format(data_graph, "\n".join(f"{t} ." for t in old)) \
        if old else ""
    result = await run_validated(request, f"{delete}INSERT DATA {{ GRAPH <{data_graph}> {{\n{triples}\n}} }}")
    if isinstance(result, Response):
        return result
    await run_in_threadpool(write_atomic, acc.text_path, acc.text)
    await run_in_threadpool(write_atomic, acc.data_path, acc.turtle)
    for f in acc.replaces:
        if f not in (acc.text_path, acc.data_path):
            f.unlink(missing_ok=True)
    root = project.root
    assert root is not None  # accept_rows refuses a project without a root
    return JSONResponse({
        "added": {"observations": acc.observations, "targets": acc.targets, "organisations": acc.organisations,
                  "projects": acc.projects, "triples": len(acc.triples)},
        "data_file": str(acc.data_path.relative_to(root)), "source_file": str(acc.text_path.relative_to(root)),
        "rejected": acc.rejected, "undecided": acc.undecided,
        "replaced": [str(f.relative_to(root)) for f in acc.replaces], **result,
    })


def _file_triples(path: Path) -> list[Any]:
    """The triples of an earlier accept's data file (its IRIs are absolute)."""
    from hpkg.rdfio import distinct_triples, parse_rdf

    try:
        return list(distinct_triples(parse_rdf(path, fmt="turtle")))
    except (OSError, SyntaxError):
        return []
