"""The update guard: writes are off unless ``HPKG_UPDATE_TOKEN`` was set at start-up, then need the token.

Every write request runs the SPARQL Update through :func:`hpkg.update.apply_update`, so
it lands only when the resulting graph conforms to the SHACL shapes (422 with the report otherwise).
Writes are serialised by one lock so that the store cannot change between the check and the commit.
"""

from __future__ import annotations

import hmac
import json
from typing import TypedDict

from starlette.requests import Request
from starlette.responses import Response

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.server import negotiate
from hpkg.server.config import TOKEN_ENV
from hpkg.server.state import Counts, ServerState, state, text_error
from hpkg.server.threads import in_thread
from hpkg.shacl import ValidationReport
from hpkg.update import UpdateRejected, apply_update


def check_token(request: Request) -> Response | None:
    """``None`` when the request may write; otherwise the 403/401 answer to send."""
    settings = state(request).settings
    if not settings.updates_enabled:
        return text_error(
            403,
            f"this server is read-only: updates are enabled only when the server is started with {TOKEN_ENV} set",
        )
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="hpkg"'}
    if scheme.lower() != "bearer" or not token.strip():
        return text_error(401, "updates need the header 'Authorization: Bearer <token>'", challenge)
    if not hmac.compare_digest(token.strip().encode(), (settings.update_token or "").encode()):
        return text_error(403, "the update token is wrong", {**challenge})
    return None


class UpdateCounts(TypedDict):
    """What an applied update reports: it conformed, and the triple counts before and after."""

    applied: bool
    conforms: bool
    triples_before: int
    triples_after: int


def report_response(request: Request, report: ValidationReport) -> Response:
    """422 Unprocessable Content with the SHACL validation report, in Turtle or JSON by ``Accept``."""
    offers = ["text/turtle", "application/json", "application/ld+json", "text/plain"]
    media = negotiate.choose(request.headers.get("accept"), offers) or "text/turtle"
    if media == "application/json":
        body = json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()
    elif media == "text/plain":
        body = report.text.encode()
    else:
        body = report.report_graph.serialize(format="json-ld" if media == "application/ld+json" else "turtle",
                                             encoding="utf-8")
    return Response(body, status_code=422, headers={"Content-Type": media + "; charset=utf-8", "Vary": "Accept"})


async def run_validated(request: Request, sparql: str, *, base_iri: str | None = None) -> Response | UpdateCounts:
    """Apply a SPARQL Update with SHACL validation; a dict of counts on success, else the error answer."""
    st: ServerState = state(request)
    async with st.write_lock:
        before = st.counts.total
        try:
            shapes, ontology = await in_thread(st.validation_graphs)
            outcome = await in_thread(
                apply_update, st.store, sparql, base_iri=base_iri, project=st.settings.project,
                shapes=shapes, ontology=ontology,
            )
            report = outcome.report
        except UpdateRejected as e:
            return report_response(request, e.report)
        except QuerySyntaxError as e:
            return text_error(400, str(e))
        except HpkgError as e:
            return text_error(400, str(e))
        # counted from the write's effect when it is known quad by quad (counting a big store is a scan)
        counts = st.counts.after(outcome.graph_changes) if outcome.graph_changes is not None else None
        st.counts = counts if counts is not None else await in_thread(Counts.of, st.store)
    return UpdateCounts(applied=True, conforms=report.conforms, triples_before=before, triples_after=st.counts.total)
