"""The shipped boundaries of the 34 province-level units of 1 July 2025 as GeoJSON (RFC 7946).

``/geo/provinces-2025.geojson`` answers one ``Feature`` per unit of the 34-unit code list that has a
GeoSPARQL geometry (``geo:hasGeometry/geo:asWKT``), its WKT turned into GeoJSON by shapely, with the unit's
``code`` (GSO), ``name`` (Vietnamese), ``name_en`` and ``iri`` as properties. The document is computed once
and kept until the store changes (the triple counts the server keeps after every write). The query page's
map draws it; no tile server and nothing from the network.
"""

from __future__ import annotations

import json

import shapely
import shapely.geometry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hpkg.namespaces import prefix_subset, sparql_prologue
from hpkg.server.state import state, text_error
from hpkg.server.threads import in_thread
from hpkg.store import Store
from hpkg.terms import term_value

MEDIA_TYPE = "application/geo+json"

_QUERY = sparql_prologue(prefix_subset("skos", "geo")) + """
SELECT ?unit ?code ?wkt (SAMPLE(?vi) AS ?name) (SAMPLE(?en) AS ?name_en) WHERE {
  ?unit skos:inScheme/skos:notation "CL_DVHC_34" ; skos:notation ?code ; geo:hasGeometry/geo:asWKT ?wkt .
  OPTIONAL { ?unit skos:prefLabel ?vi FILTER (lang(?vi) = "vi") }
  OPTIONAL { ?unit skos:prefLabel ?en FILTER (lang(?en) = "en") }
} GROUP BY ?unit ?code ?wkt ORDER BY ?code
"""


def provinces_geojson(store: Store) -> dict[str, object]:
    """A GeoJSON ``FeatureCollection`` of the 34 units' boundaries (see the module docstring)."""
    features: list[dict[str, object]] = []
    for row in store.query(_QUERY).rows():
        text = {k: term_value(v) for k, v in row.items() if v is not None}
        geometry = shapely.from_wkt(text["wkt"])
        features.append({
            "type": "Feature",
            "id": text["code"],
            "properties": {"code": text["code"], "name": text.get("name"), "name_en": text.get("name_en"),
                           "iri": text["unit"]},
            "geometry": shapely.geometry.mapping(geometry),
        })
    return {"type": "FeatureCollection", "features": features}


async def provinces_2025(request: Request) -> Response:
    """``/geo/provinces-2025.geojson``."""
    st = state(request)
    cached = st.geojson
    if cached is None or cached[0] != st.counts:
        counts = st.counts
        document = await in_thread(provinces_geojson, st.store)
        if not document["features"]:
            return text_error(404, "the store holds no boundaries of the 34 units (data/boundaries-2025.ttl)")
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        st.geojson = cached = (counts, body)
    return Response(cached[1], headers={"Content-Type": MEDIA_TYPE, "Cache-Control": "public, max-age=3600"})


def routes() -> list[Route]:
    """The GeoJSON routes, for :func:`hpkg.server.app.create_app`."""
    return [Route("/geo/provinces-2025.geojson", provinces_2025, methods=["GET"])]
