"""Reading a SPARQL 1.1 Protocol request: the operation text and the dataset parameters.

Shared by the query endpoint and the update endpoint: GET with URL parameters, POST with a form
(``application/x-www-form-urlencoded``) or with the operation as the body (``application/sparql-query``
or ``application/sparql-update``, UTF-8 only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.requests import Request

FORM = "application/x-www-form-urlencoded"


class ProtocolError(Exception):
    """A request the protocol does not allow: ``status`` and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Operation:
    """What a protocol request asks for."""

    params: dict[str, list[str]] = field(default_factory=dict)

    def all(self, name: str) -> list[str]:
        """Every value of a parameter."""
        return self.params.get(name, [])

    def one(self, name: str) -> str | None:
        """The value of a parameter that may be given at most once."""
        values = self.all(name)
        if len(values) > 1:
            raise ProtocolError(400, f"the parameter {name!r} was given {len(values)} times; give it once")
        return values[0] if values else None


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's media type (lower case, no parameters) and its parameters."""
    raw = request.headers.get("content-type", "")
    main, *rest = [p.strip() for p in raw.split(";")]
    params = {}
    for p in rest:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return main.lower(), params


def _utf8(body: bytes, params: dict[str, str]) -> str:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"the body must be UTF-8 encoded, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolError(400, f"the body is not valid UTF-8: {e}") from None


def _url_params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query, keep_blank_values=True)


async def read_operation(request: Request, field_name: str, direct_type: str) -> Operation:
    """Parse a protocol request whose operation is in ``field_name`` (``query``/``update``).

    A direct POST's body becomes that field. Raises :class:`ProtocolError` for a media type the
    protocol does not allow (415) or a body that is not UTF-8.
    """
    params = _url_params(request)
    if request.method == "POST":
        mt, mparams = media_type(request)
        body = await request.body()
        if mt == FORM:
            form = parse_qs(_utf8(body, mparams), keep_blank_values=True)
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        elif mt == direct_type:
            params.setdefault(field_name, []).append(_utf8(body, mparams))
        elif not mt:
            raise ProtocolError(
                415, f"a POST needs a Content-Type: {FORM} or {direct_type}"
            )
        else:
            raise ProtocolError(415, f"unsupported Content-Type {mt!r}; use {FORM} or {direct_type}")
    return Operation(params)
