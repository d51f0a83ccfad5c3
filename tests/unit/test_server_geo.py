"""hpkg.server.geo: the 34 units' boundaries as GeoJSON, from a small graph written here (real in-memory store)."""

from __future__ import annotations

import pyoxigraph as ox
import shapely.geometry

from hpkg.server.geo import provinces_geojson
from hpkg.store import OxigraphStore

TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix ex: <http://example.org/> .
ex:scheme34 skos:notation "CL_DVHC_34" .
ex:scheme63 skos:notation "CL_DVHC_63" .
ex:u31 skos:inScheme ex:scheme34 ; skos:notation "31" ; skos:prefLabel "Thành phố Thử"@vi , "Test City"@en ;
    geo:hasGeometry ex:g31 .
ex:g31 geo:asWKT "POLYGON ((106 20, 107 20, 107 21, 106 21, 106 20))"^^geo:wktLiteral .
ex:u01 skos:inScheme ex:scheme34 ; skos:notation "01" ; skos:prefLabel "Tỉnh Một"@vi ; geo:hasGeometry ex:g01 .
ex:g01 geo:asWKT "MULTIPOLYGON (((105 21, 106 21, 106 22, 105 21)), ((105.5 20, 105.6 20, 105.6 20.1, 105.5 20)))"^^geo:wktLiteral .
ex:old skos:inScheme ex:scheme63 ; skos:notation "30" ; geo:hasGeometry ex:g30 .
ex:g30 geo:asWKT "POINT (1 1)"^^geo:wktLiteral .
ex:u02 skos:inScheme ex:scheme34 ; skos:notation "02" .
"""


def test_one_feature_per_unit_of_the_34_list_with_a_geometry():
    s = OxigraphStore(None)
    s.load(TTL.encode(), fmt=ox.RdfFormat.TURTLE)
    doc = provinces_geojson(s)
    assert doc["type"] == "FeatureCollection"
    features = doc["features"]
    assert [f["properties"]["code"] for f in features] == ["01", "31"]  # by code; no geometry, no feature
    one, city = features
    assert city["properties"] == {"code": "31", "name": "Thành phố Thử", "name_en": "Test City",
                                  "iri": "http://example.org/u31"}
    assert one["properties"]["name_en"] is None
    assert city["geometry"]["type"] == "Polygon" and one["geometry"]["type"] == "MultiPolygon"
    assert shapely.geometry.shape(city["geometry"]).area == 1.0
    assert city["geometry"]["coordinates"][0][0] == (106.0, 20.0)  # lon, lat as the WKT has them


def test_an_empty_store_has_no_features():
    assert provinces_geojson(OxigraphStore(None))["features"] == []
