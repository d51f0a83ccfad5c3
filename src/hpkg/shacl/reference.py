"""The reference engine: pyshacl (SHACL Core + SHACL-SPARQL) over an rdflib graph.

The ontology is passed as pyshacl's ``ont_graph`` so that ``sh:class`` and ``sh:targetClass`` see the class
hierarchy (an ``hpkg:CoastalEconomicZone`` is an ``hpkg:Zone``).
"""

from __future__ import annotations

import pyshacl
from rdflib import Graph

from hpkg.errors import HpkgError
from hpkg.shacl.report import ValidationReport, violations_from_report


def validate_graph(data: Graph, *, shapes: Graph, ontology: Graph) -> ValidationReport:
    """Validate an rdflib graph with pyshacl."""
    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure: the shapes are ill-formed
        raise HpkgError(f"pyshacl cannot validate with these shapes: {report_graph}")
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations_from_report(report_graph),
        report_graph=report_graph,
        triples_checked=len(data),
    )
