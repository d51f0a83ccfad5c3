"""HTTP content negotiation (RFC 9110 §12.5.1): pick the best of the server's media types for an ``Accept``.

Hand-written because it is small: parse the header into (type, subtype, q) ranges, then for each
offered type take the q of the most specific matching range; the highest q wins, ties go to the
server's order of preference. ``q=0`` means "not acceptable". No header means anything goes.
Also picks a language from ``Accept-Language`` the same way.
"""

from __future__ import annotations


def _ranges(header: str) -> list[tuple[str, str, float, int]]:
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        if "/" not in mt:
            mt = "*/*" if mt == "*" else mt + "/*"
        typ, _, sub = mt.partition("/")
        q = 1.0
        for p in fields[1:]:
            k, _, v = p.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v)))
                except ValueError:
                    q = 0.0
        out.append((typ, sub, q, i))
    return out


def _quality(offer: str, ranges: list[tuple[str, str, float, int]]) -> float:
    typ, _, sub = offer.lower().partition("/")
    best: tuple[int, float] | None = None
    for rt, rs, q, _ in ranges:
        if rt == typ and rs == sub:
            spec = 2
        elif rt == typ and rs == "*":
            spec = 1
        elif rt == "*" and rs == "*":
            spec = 0
        else:
            continue
        if best is None or spec > best[0]:
            best = (spec, q)
    return best[1] if best else 0.0


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers, or ``None`` when none is acceptable (-> 406)."""
    if not offers:
        return None
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    if not ranges:
        return offers[0]
    scored = [(_quality(o, ranges), -i, o) for i, o in enumerate(offers)]
    q, _, best = max(scored)
    return best if q > 0 else None


def choose_language(accept_language: str | None, offered: list[str], default: str) -> str:
    """The offered language the client prefers (``vi-VN`` matches ``vi``), else ``default``."""
    if not accept_language:
        return default
    best: tuple[float, int, str] | None = None
    for i, part in enumerate(accept_language.split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower()
        q = 1.0
        for p in fields[1:]:
            k, _, v = p.partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in offered and q > 0 and (best is None or q > best[0]):
            best = (q, -i, primary)
    return best[2] if best else default
