"""hpkg: the Hai Phong economic-zone knowledge graph.

The library API lives in one small module per concern (``store``, ``build``, ``validate``,
``query``, ``export``, ``reason``, ``stats``); ``hpkg.cli`` is a thin command line over it.
"""

__version__ = "0.1.0"
