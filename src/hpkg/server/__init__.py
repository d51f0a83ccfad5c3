"""``hpkg serve``: the graph as Linked Data over HTTP (an ASGI application on Starlette + uvicorn).

* ``/sparql`` — SPARQL 1.1 Protocol (query), with a service description (:mod:`.sparql`);
* ``/sparql/update`` and ``/rdf-graphs`` — SPARQL Update and the Graph Store HTTP Protocol, off unless
  ``HPKG_UPDATE_TOKEN`` is set, SHACL-validated before commit (:mod:`.update`, :mod:`.graphstore`);
* ``/api``, ``/api/openapi.json``, ``/api/NAME?param=value`` — the named queries as a web API, grlc-style
  (:mod:`.api`);
* ``/id/…`` and ``/ontology`` — dereferenceable IRIs with HTML pages and RDF documents (:mod:`.pages`);
* ``/`` — the query page; ``/health``; limits and a JSON-lines access log (:mod:`.limits`).

The library (``hpkg.*`` outside this package) never imports the server.
"""

from hpkg.server.app import create_app
from hpkg.server.config import ServerSettings

__all__ = ["ServerSettings", "create_app"]
