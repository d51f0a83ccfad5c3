"""SHACL validation: one entry point (:func:`validate`), two engines with the same results.

* :mod:`hpkg.shacl.report` — results and reports, whichever engine made them;
* :mod:`hpkg.shacl.paths` — SHACL property paths as SPARQL;
* :mod:`hpkg.shacl.compiler` — the shapes compiled to SPARQL and run inside the store (the default engine);
* :mod:`hpkg.shacl.reference` — pyshacl, the reference engine;
* :mod:`hpkg.shacl.runner` — :func:`validate` over a store or files, with the project's shapes.
"""

from hpkg.shacl.report import ValidationReport, Violation
from hpkg.shacl.runner import ENGINES, load_ontology, load_shapes, validate

__all__ = ["ENGINES", "ValidationReport", "Violation", "load_ontology", "load_shapes", "validate"]
