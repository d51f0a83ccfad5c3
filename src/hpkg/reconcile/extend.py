"""Data extension: which properties a type has, and their values for a list of entity ids.

The answers have the shapes of the W3C Entity Reconciliation API 0.2 (property proposals, and
``{"meta": […], "rows": {id: {pid: [value, …]}}}``): a string value is ``{"str": …}``, an entity
``{"id": …, "name": …}``, a day ``{"date": "YYYY-MM-DDT00:00:00+07:00"}`` (the day starts in Vietnam's time),
an amount ``{"float": …}`` (FDI in USD from the graph's observations: the latest year first, or the year of
the property's ``year`` setting).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypeAlias, TypedDict

from hpkg.reconcile.index import PROPERTIES, TYPES, NameIndex

#: One value of an extension row: ``{"str": …}``, ``{"id": …, "name": …}``, ``{"date": …}`` or ``{"float": …}``.
Value: TypeAlias = Mapping[str, str | float]


class TypeRef(TypedDict):
    """The ``{id, name}`` of a type."""

    id: str
    name: str


class PropertyMeta(TypedDict):
    """A column of an extension answer: the property's id and name, and the type of an entity-valued one."""

    id: str
    name: str
    type: NotRequired[TypeRef]


class Extension(TypedDict):
    """A data extension answer: ``{"meta": […], "rows": {id: {pid: [value, …]}}}``."""

    meta: list[PropertyMeta]
    rows: dict[str, dict[str, list[Value]]]


class UnknownProperty(ValueError):
    """A property id that the service does not know (the message lists the known ones)."""

    def __init__(self, pid: str) -> None:
        super().__init__(f"unknown property {pid!r}; known properties: {', '.join(PROPERTIES)}")


def propose_properties(type_id: str | None = None, limit: int | None = None) -> list[dict[str, str]]:
    """The properties of ``type_id`` (all properties without a type), as ``{id, name, description}``."""
    if type_id is not None and type_id not in TYPES:
        from hpkg.reconcile.match import UnknownType

        raise UnknownType(type_id)
    out = [{"id": p.id, "name": p.name, "description": p.description}
           for p in PROPERTIES.values() if type_id is None or type_id in p.types]
    return out[:limit] if limit else out


def _value(index: NameIndex, kind: str, v: str) -> Value:
    if kind == "entity":
        return index.ref(v)
    return {"str": v}


def extend(index: NameIndex, ids: Sequence[str], properties: Sequence[Mapping[str, Any]], *,
           strict: bool = False) -> Extension:
    """The values of ``properties`` (``[{"id": pid, "settings": {"limit": n}}]``, the client's JSON) for ``ids``.

    An unknown id gets empty values; so does a property this service does not have (its ``meta`` name says
    so), as a client may ask every service for the same columns; ``strict`` refuses such a property instead.
    """
    pids: list[tuple[str, int | None, str]] = []
    for p in properties:
        pid = str(p.get("id", ""))
        if pid not in PROPERTIES and strict:
            raise UnknownProperty(pid)
        settings = p.get("settings") or {}
        try:
            limit = int(settings.get("limit", 0)) or None
        except (TypeError, ValueError):
            limit = None
        pids.append((pid, limit, str(settings.get("year", "") or "").strip()))
    meta: list[PropertyMeta] = []
    for pid, _, year in pids:
        info = PROPERTIES.get(pid)
        if info is None:
            meta.append({"id": pid, "name": f"{pid} (not a property of this service)"})
            continue
        m: PropertyMeta = {"id": pid, "name": f"{info.name}, {year}" if year and info.kind == "float" else info.name}
        if info.kind == "entity":
            m["type"] = TypeRef(id="province-34" if pid == "successor_2025" else "province-63",
                                name=TYPES["province-34" if pid == "successor_2025" else "province-63"].name)
        meta.append(m)
    rows: dict[str, dict[str, list[Value]]] = {}
    for eid in ids:
        e = index.get(eid)
        row: dict[str, list[Value]] = {}
        for pid, limit, year in pids:
            info = PROPERTIES.get(pid)
            if e is None or info is None:
                row[pid] = []
                continue
            values: list[Value]
            if info.kind == "float":
                values = [{"float": v} for (p, y), v in sorted(e.observed.items(), key=lambda kv: kv[0][1],
                                                                 reverse=True) if p == pid and (not year or y == year)]
            elif info.kind == "date":
                day = e.valid_from if pid == "valid_from" else e.valid_to
                values = [{"date": f"{day.isoformat()}T00:00:00+07:00"}] if day else []
            else:
                values = [_value(index, info.kind, v) for v in e.props.get(pid, [])]
            row[pid] = values[:limit] if limit else values
        rows[eid] = row
    return {"meta": meta, "rows": rows}
