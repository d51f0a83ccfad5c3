"""hpkg: the Hai Phong economic-zone knowledge graph.

The library API lives in one small module per concern (``project``, ``store``, ``build``, ``shacl``,
``query``, ``export``, ``reason``, ``stats``); ``hpkg.cli`` is a thin command line over it and
``hpkg.server`` the HTTP server. The version comes from the package metadata (``pyproject.toml``) alone.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hpkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
