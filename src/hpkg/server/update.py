"""``/sparql/update``: SPARQL 1.1 Update over the protocol, guarded by the token and the shapes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hpkg.server.guard import check_token, run_validated
from hpkg.server.protocol import ProtocolError, read_operation
from hpkg.server.state import text_error


async def sparql_update(request: Request) -> Response:
    """POST an update (form ``update=`` or ``application/sparql-update``); token and SHACL checked."""
    if request.method != "POST":
        return text_error(405, "updates must be POSTed", {"Allow": "POST"})
    denied = check_token(request)
    if denied is not None:
        return denied
    try:
        op = await read_operation(request, "update", "application/sparql-update")
        if op.all("query"):
            raise ProtocolError(400, "this is the update endpoint; send queries to /sparql")
        updates = op.all("update")
        if len(updates) != 1:
            raise ProtocolError(400, f"give exactly one 'update' (got {len(updates)})")
        if op.all("using-graph-uri") or op.all("using-named-graph-uri"):
            raise ProtocolError(
                400, "using-graph-uri / using-named-graph-uri are not supported; use USING / WITH in the update"
            )
    except ProtocolError as e:
        return text_error(e.status, e.message)
    endpoint = str(request.url.replace(query="", fragment=""))
    result = await run_validated(request, updates[0], base_iri=endpoint)
    if isinstance(result, Response):
        return result
    return JSONResponse(result)
