"""The description of one entity, as served when its IRI is dereferenced.

A description is the entity's own triples (with its blank-node values, as in a Concise Bounded
Description), the triples that point at it, the labels of everything it links to, and its
provenance: the source documents it was derived from and the evidence sentences quoted for it.
Observations that point at the entity (a zone's figures) come whole, with their own labels and
evidence, so that a page can show them as a table.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from hpkg.namespaces import RDF, prefix_subset, sparql_prologue
from hpkg.store import Store

_PREFIXES = sparql_prologue(prefix_subset("rdfs", "skos", "dcterms", "prov", "qb", "hpkg"))

_RDF_TYPE = RDF + "type"
_IS_PART_OF = "http://purl.org/dc/terms/isPartOf"

#: How many triples that point at the entity, and how many observations about it, a description holds at most.
MAX_INBOUND = 1000

#: Properties that name a resource (copied for every resource the entity links to).
LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "dcterms:title", "skos:notation")


def _construct(store: Store, body: str) -> list[ox.Triple]:
    return store.query(_PREFIXES + body).triples()


def entity_exists(store: Store, iri: str) -> bool:
    """Whether ``iri`` is the subject or the object of a triple in the store."""
    node = ox.NamedNode(iri)
    return bool(store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}").boolean)


def _named(terms: Iterable[object]) -> list[ox.NamedNode]:
    return [t for t in terms if isinstance(t, ox.NamedNode)]


def values_clause(var: str, terms: Iterable[ox.NamedNode]) -> str:
    """``VALUES ?var { <a> <b> … }``: the named nodes ``terms``, in their order, as the values of ``?var``."""
    return f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"


def describe_entity(store: Store, iri: str, *, max_inbound: int = MAX_INBOUND) -> list[ox.Triple]:
    """The triples that describe ``iri`` (see the module docstring), without duplicates, in a stable order.

    At most ``max_inbound`` triples that point at it, and at most as many observations about it, are included.
    The observations are found first and the rest is asked for them by name (``VALUES``): a pattern that
    joins "what points at it" with "what the observations point at" in one query lets the store start
    from the wrong end (seconds, or minutes, over the 277k triples of the FIA reports, for a province).
    """
    me = ox.NamedNode(iri)
    e = str(me)
    # its own triples, and the blank nodes it points at
    own = _construct(store, f"CONSTRUCT {{ {e} ?p ?o . ?o ?bp ?bo }} WHERE {{ {e} ?p ?o "
                            f"OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }} }}")
    # what points at it
    inbound = _construct(store, f"CONSTRUCT {{ ?s ?p {e} }} WHERE {{ SELECT ?s ?p WHERE {{ ?s ?p {e} }} "
                                f"LIMIT {max_inbound} }}")
    # the observations about it, whole
    rows = store.query(_PREFIXES + f"SELECT DISTINCT ?obs WHERE {{ ?obs ?d {e} "
                                   f"FILTER EXISTS {{ ?obs a qb:Observation }} }} ORDER BY ?obs LIMIT {max_inbound}").rows()
    observations = _named(r.get("obs") for r in rows)
    subjects = [me, *observations]
    parts = [own, inbound]
    if observations:
        parts.append(_construct(store, f"CONSTRUCT {{ ?obs ?p ?o }} WHERE {{ {values_clause('obs', observations)} ?obs ?p ?o }}"))
    # provenance: evidence sentences (its own and its observations') and the documents they come from
    quotes = _named(r.get("q") for r in store.query(_PREFIXES + f"SELECT DISTINCT ?q WHERE {{ {values_clause('x', subjects)} "
                                                      "?x hpkg:evidence ?q FILTER(isIRI(?q)) }").rows())
    docs: list[ox.NamedNode] = []
    if quotes:
        quoted = _construct(store, f"CONSTRUCT {{ ?q ?qp ?qo }} WHERE {{ {values_clause('q', quotes)} ?q ?qp ?qo }}")
        parts.append(quoted)
        docs += [t.object for t in quoted if t.predicate.value == _IS_PART_OF and isinstance(t.object, ox.NamedNode)]
    docs += _named(r.get("doc") for r in store.query(_PREFIXES + f"SELECT DISTINCT ?doc WHERE {{ {values_clause('x', subjects)} "
                                                       "?x prov:wasDerivedFrom ?doc FILTER(isIRI(?doc)) }").rows())
    if docs:
        parts.append(_construct(store, f"CONSTRUCT {{ ?doc ?dp ?do }} WHERE {{ {values_clause('doc', dict.fromkeys(docs))} "
                                       f"?doc ?dp ?do FILTER(?dp IN ({', '.join((*LABEL_PROPERTIES, 'dcterms:issued'))})) }}"))
    # labels of everything it (or its observations) links to, of the properties used, and of what links to it
    named: dict[ox.NamedNode, None] = {}
    about = {me, *observations}
    for t in (*own, *inbound, *(parts[2] if observations else ())):
        if t.subject in about or t.object == me:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.NamedNode):
                    named.setdefault(term, None)
    if named:
        parts.append(_construct(store, f"CONSTRUCT {{ ?x ?lp ?l }} WHERE {{ {values_clause('x', named)} "
                                       f"?x ?lp ?l FILTER(?lp IN ({', '.join(LABEL_PROPERTIES)})) }}"))
    seen: dict[ox.Triple, None] = {}
    for part in parts:
        for t in part:
            seen.setdefault(t, None)
    # the entity first, then every other subject together (so Turtle groups each subject's triples)
    return sorted(seen, key=lambda t: (t.subject != me, str(t.subject), t.predicate.value != _RDF_TYPE,
                                       str(t.predicate), str(t.object)))
