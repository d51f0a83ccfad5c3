"""The description of one entity, as served when its IRI is dereferenced.

A description is the entity's own triples (with its blank-node values, as in a Concise Bounded
Description), the triples that point at it, the labels of everything it links to, and its
provenance: the source documents it was derived from and the evidence sentences quoted for it.
Observations that point at the entity (a zone's figures) come whole, with their own labels and
evidence, so that a page can show them as a table.
"""

from __future__ import annotations

import pyoxigraph as ox

from hpkg.namespaces import RDF, prefix_subset, sparql_prologue
from hpkg.store import Store

_PREFIXES = sparql_prologue(prefix_subset("rdfs", "skos", "dcterms", "prov", "qb", "hpkg"))

_RDF_TYPE = RDF + "type"

#: Properties that name a resource (copied for every resource the entity links to).
LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "dcterms:title", "skos:notation")


def _construct(store: Store, body: str) -> list[ox.Triple]:
    return store.query(_PREFIXES + body).triples()


def entity_exists(store: Store, iri: str) -> bool:
    """Whether ``iri`` is the subject or the object of a triple in the store."""
    node = ox.NamedNode(iri)
    return bool(store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}").boolean)


def describe_entity(store: Store, iri: str, *, max_inbound: int = 1000) -> list[ox.Triple]:
    """The triples that describe ``iri`` (see the module docstring), without duplicates, in a stable order."""
    e = str(ox.NamedNode(iri))
    labels = " ".join(LABEL_PROPERTIES)
    parts = [
        # its own triples, and the blank nodes it points at
        f"CONSTRUCT {{ {e} ?p ?o . ?o ?bp ?bo }} WHERE {{ {e} ?p ?o OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }} }}",
        # what points at it
        f"CONSTRUCT {{ ?s ?p {e} }} WHERE {{ SELECT ?s ?p WHERE {{ ?s ?p {e} }} LIMIT {max_inbound} }}",
        # observations about it, whole
        f"CONSTRUCT {{ ?obs ?p ?o }} WHERE {{ ?obs ?d {e} . ?obs a qb:Observation . ?obs ?p ?o }}",
        # provenance: evidence sentences (its own and its observations') and the documents they come from
        f"""CONSTRUCT {{ ?q ?qp ?qo . ?doc ?dp ?do }} WHERE {{
              {{ {e} hpkg:evidence ?q }} UNION {{ ?obs ?d {e} . ?obs a qb:Observation ; hpkg:evidence ?q }}
              ?q ?qp ?qo .
              OPTIONAL {{ ?q dcterms:isPartOf ?doc . VALUES ?dp {{ {labels} dcterms:issued }} ?doc ?dp ?do }}
            }}""",
        f"""CONSTRUCT {{ ?doc ?dp ?do }} WHERE {{
              {{ {e} prov:wasDerivedFrom ?doc }} UNION {{ ?obs ?d {e} . ?obs a qb:Observation ; prov:wasDerivedFrom ?doc }}
              VALUES ?dp {{ {labels} dcterms:issued }} ?doc ?dp ?do
            }}""",
        # labels of everything it (or its observations) links to, of the properties used, and of what links to it
        f"""CONSTRUCT {{ ?x ?lp ?l }} WHERE {{
              {{ {e} ?x ?o }} UNION {{ {e} ?p ?x }} UNION {{ ?x ?p {e} }} UNION {{ ?s ?x {e} }}
              UNION {{ ?obs ?d {e} . ?obs a qb:Observation . {{ ?obs ?x ?o }} UNION {{ ?obs ?p ?x }} }}
              FILTER(isIRI(?x))
              VALUES ?lp {{ {labels} }} ?x ?lp ?l
            }}""",
    ]
    seen: dict[ox.Triple, None] = {}
    for body in parts:
        for t in _construct(store, body):
            seen.setdefault(t, None)
    me = ox.NamedNode(iri)
    # the entity first, then every other subject together (so Turtle groups each subject's triples)
    return sorted(seen, key=lambda t: (t.subject != me, str(t.subject), t.predicate.value != _RDF_TYPE,
                                       str(t.predicate), str(t.object)))
