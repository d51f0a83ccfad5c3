"""OWL 2 reasoning with owlready2 and HermiT: consistency, unsatisfiable classes, inferred types.

HermiT runs on Java. It rejects literals outside the OWL 2 datatype map (``xsd:gYear``,
``xsd:date``) unless told to ignore them, so we pass ``ignore_unsupported_datatypes=True``;
owlready2's bundled Pellet fails on Java 17, so HermiT is the reasoner.

owlready2 recognises individuals by ``owl:NamedIndividual``; the reasoning input adds that
declaration for every IRI used as an individual (typed, or linked by an object or data property:
the OWL 2 RDF mapping's declaration), and leaves out the Data
Cube metaclass typing of properties (``qb:DimensionProperty`` …), which is punning owlready2
cannot hold and which carries no DL meaning.

HermiT says *that* an ontology is inconsistent, not *why*; :func:`diagnose` names the
individuals that cause the commonest clashes (an individual in two disjoint classes, two values
of a functional property) with SPARQL over the same graph.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass, field

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.namespaces import ONTOLOGY_IRI, OWL, QB, RDF, prefix_subset, sparql_prologue
from hpkg.rdfio import serialize
from hpkg.store import Store, bound

RDF_TYPE = RDF + "type"


@dataclass
class ReasoningReport:
    """What HermiT concluded."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    individuals: int = 0
    classes: int = 0
    message: str = ""

    @property
    def text(self) -> str:
        """A human-readable report."""
        lines = [f"individuals: {self.individuals}", f"classes: {self.classes}"]
        if not self.consistent:
            lines.append("INCONSISTENT")
            if self.message:
                lines.append(f"HermiT: {self.message}")
            lines += [f"- {p}" for p in self.problems] or ["- (no simple cause found; see HermiT's message)"]
            return "\n".join(lines)
        lines.append("consistent")
        lines.append(f"unsatisfiable classes: {len(self.unsatisfiable)}")
        lines += [f"- {c}" for c in self.unsatisfiable]
        lines.append(f"individuals with inferred types: {len(self.inferred)}")
        lines += [f"- {i}: {', '.join(cs)}" for i, cs in sorted(self.inferred.items())]
        return "\n".join(lines)


def java_executable() -> str:
    """The ``java`` to run HermiT with (``JAVA_HOME`` first, then ``PATH``)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return os.path.join(home, "bin", "java")
    found = shutil.which("java")
    if not found:
        raise HpkgError("HermiT needs Java and none was found; install a JRE (e.g. apt-get install default-jre-headless)")
    return found


def reasoning_input(store: Store) -> bytes:
    """The store's triples as N-Triples for owlready2 (see the module notes for what is adjusted)."""
    declared = store.query(
        f"""CONSTRUCT {{ ?i a <{OWL}NamedIndividual> }} WHERE {{
              {{ ?i a ?c . ?c a <{OWL}Class> }}
              UNION {{ ?p a <{OWL}ObjectProperty> . {{ ?i ?p ?x }} UNION {{ ?x ?p ?i }} }}
              UNION {{ ?p a <{OWL}DatatypeProperty> . ?i ?p ?x }}
              FILTER(isIRI(?i))
              FILTER NOT EXISTS {{ ?i a <{OWL}Class> }}
              FILTER NOT EXISTS {{ ?i a <{OWL}ObjectProperty> }}
              FILTER NOT EXISTS {{ ?i a <{OWL}DatatypeProperty> }}
              FILTER NOT EXISTS {{ ?i a <{OWL}AnnotationProperty> }}
              FILTER NOT EXISTS {{ ?i a <{OWL}Ontology> }}
            }}"""
    ).triples()
    triples = set(declared)
    for q in store.quads():
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            o = q.object.value
            if o.startswith(QB) and o.endswith("Property"):
                continue
        triples.add(q.triple)
    return serialize(triples, ox.RdfFormat.N_TRIPLES)


def diagnose(store: Store) -> list[str]:
    """Name individuals that break disjointness or functional-property axioms."""
    problems = []
    rows = store.query(
        sparql_prologue(prefix_subset("owl", "rdf", "rdfs")) + """
            SELECT DISTINCT ?i ?c1 ?c2 WHERE {
              { ?ax a owl:AllDisjointClasses ; owl:members ?l .
                 ?l rdf:rest*/rdf:first ?c1 . ?l rdf:rest*/rdf:first ?c2 . FILTER(STR(?c1) < STR(?c2)) }
              UNION { ?c1 owl:disjointWith ?c2 }
              ?i a/rdfs:subClassOf* ?c1 .
              ?i a/rdfs:subClassOf* ?c2 .
            } ORDER BY ?i ?c1 ?c2"""
    ).rows()
    for r in rows:
        problems.append(
            f"{bound(r, 'i').value} is an instance of the disjoint classes {bound(r, 'c1').value} and "
            f"{bound(r, 'c2').value}"
        )
    rows = store.query(
        sparql_prologue(prefix_subset("owl")) + """
            SELECT DISTINCT ?s ?p WHERE {
              ?p a owl:FunctionalProperty . ?s ?p ?o1 , ?o2 .
              FILTER(isIRI(?o1) && isIRI(?o2) && ?o1 != ?o2)
              FILTER NOT EXISTS { ?o1 owl:sameAs ?o2 }
            } ORDER BY ?s ?p"""
    ).rows()
    for r in rows:
        problems.append(f"{bound(r, 's').value} has two different values of the functional property {bound(r, 'p').value}")
    return problems


def reason(store: Store) -> ReasoningReport:
    """Load the store into owlready2, run HermiT and report consistency and inferences."""
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    data = reasoning_input(store)
    world = owlready2.World()
    onto = world.get_ontology(ONTOLOGY_IRI)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        onto.load(fileobj=io.BytesIO(data), format="ntriples")
    individuals = list(world.individuals())
    before = {i.iri: {_iri(c) for c in i.is_a} for i in individuals}
    report = ReasoningReport(consistent=True, individuals=len(individuals), classes=len(list(world.classes())))
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
    except owlready2.OwlReadyInconsistentOntologyError as e:
        report.consistent = False
        report.message = str(e).strip()
        report.problems = diagnose(store)
        return report
    except owlready2.OwlReadyJavaError as e:
        raise HpkgError(f"HermiT failed: {e}") from None
    report.unsatisfiable = sorted(
        _iri(c) for c in world.inconsistent_classes() if _iri(c) != OWL + "Nothing"
    )
    for i in world.individuals():
        new = sorted({_iri(c) for c in i.is_a} - before.get(i.iri, set()) - {OWL + "Thing"})
        if new:
            report.inferred[i.iri] = new
    return report


def _iri(entity: object) -> str:
    return getattr(entity, "iri", None) or str(entity)
