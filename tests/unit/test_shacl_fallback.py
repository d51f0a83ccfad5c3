"""Which shapes fall back to pyshacl, decided from the parsed query (hpkg.shacl.sparql), and what a fallback
shape hands pyshacl (hpkg.shacl.fallback): its focus nodes and what they can reach, never the whole store."""

from __future__ import annotations

import logging
from collections import Counter

import pyoxigraph as ox
from rdflib import RDFS, Graph

from hpkg.namespaces import ONTOLOGY_IRI
from hpkg.shacl import load_ontology, load_shapes
from hpkg.shacl.compiler import compile_shapes
from hpkg.shacl.fallback import fallback_input
from hpkg.shacl.reference import validate_graph
from hpkg.shacl.runner import validate_fast
from hpkg.store import OxigraphStore
from hpkg.terms import to_oxigraph_triple

from ..conftest import shipped_project

PROJECT = shipped_project()
ONTOLOGY = load_ontology(PROJECT)

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/fb#> .
ex:prefixes owl:imports sh: ; sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/fb#" ] .
"""

#: A shape that must fall back: the FILTER NOT EXISTS in the UNION branch uses ?n, bound outside the branch.
SCOPED = PREFIXES + '''
ex:RankShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:sparql [ sh:prefixes ex:prefixes ;
        sh:message "the next thing has no rank"@en ;
        sh:select """SELECT $this ?value WHERE { $this ex:next ?n .
            { $this ex:rank ?value FILTER NOT EXISTS { ?n ex:rank ?r2 } } UNION { $this ex:code ?value } }""" ] .
'''

#: The same words in a comment, a string literal, the message and the rdfs:comment: nothing to fall back for.
WORDS = PREFIXES + '''
ex:WordShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    rdfs:comment "EXISTS inside UNION, OPTIONAL or MINUS would be a problem; this query has none."@en ;
    sh:sparql [ sh:prefixes ex:prefixes ;
        sh:message "EXISTS … UNION: {?value} is not the label OPTIONAL MINUS"@en ;
        sh:select """SELECT $this ?value WHERE {
            # FILTER NOT EXISTS { ... } UNION { ... } OPTIONAL { ... } MINUS { ... }
            $this ex:code ?value .
            FILTER (?value != "EXISTS { ?x } UNION { ?y } OPTIONAL MINUS")
            FILTER NOT EXISTS { $this ex:rank ?r }
        }""" ] .
'''


def _data(noise: int) -> str:
    """Ten things in a chain, every third one without a rank, and ``noise`` unrelated triples."""
    lines = ["@prefix ex: <https://example.org/fb#> ."]
    for i in range(10):
        lines.append(f"ex:t{i} a ex:Thing ; ex:next ex:t{(i + 1) % 10} ; ex:code \"c{i}\" .")
        if i % 3:
            lines.append(f"ex:t{i} ex:rank {i} .")
    lines += [f"ex:n{i} ex:noise ex:n{i + 1} ; ex:weight {i} ." for i in range(noise // 2)]
    return "\n".join(lines)


def _shapes(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _store(noise: int) -> OxigraphStore:
    store = OxigraphStore(None)
    store.add_quads(ox.parse(_data(noise).encode(), format=ox.RdfFormat.TURTLE))
    return store


def _with_ontology(store: OxigraphStore) -> OxigraphStore:
    """The store with the ontology graph, as validate_fast arranges before a fallback."""
    g = ox.NamedNode(ONTOLOGY_IRI)
    store.add_quads(ox.Quad(t.subject, t.predicate, t.object, g) for t in (to_oxigraph_triple(*x) for x in ONTOLOGY))
    return store


def keys(violations):
    return Counter((v.focus, v.path, v.component, v.value, v.severity) for v in violations)


def test_the_shipped_shapes_compile_with_zero_fallback():
    compiled = compile_shapes(load_shapes(PROJECT))
    assert compiled.fallback == [], {str(n): compiled.reasons[n] for n in compiled.fallback}
    assert len(compiled.compiled) >= 50
    # files keep their exact datatypes: still nothing left to pyshacl
    files = compile_shapes(load_shapes(PROJECT), exact_datatypes=True)
    assert files.fallback == [], {str(n): files.reasons[n] for n in files.fallback}


def test_exists_union_in_a_comment_a_string_or_a_message_does_not_make_a_shape_fall_back():
    shapes = _shapes(WORDS)
    compiled = compile_shapes(shapes)
    assert compiled.fallback == [], compiled.reasons
    store = _store(0)
    fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    ref = validate_graph(_with_ontology(_store(0)).to_rdflib_graph(), shapes=shapes, ontology=ONTOLOGY)
    assert keys(fast.violations) == keys(ref.violations)
    # the things without a rank: t0, t3, t6, t9
    assert sorted(v.focus.rsplit("#")[1] for v in fast.violations) == ["t0", "t3", "t6", "t9"]


def test_exists_in_a_union_branch_on_an_outer_variable_falls_back_with_the_reason():
    compiled = compile_shapes(_shapes(SCOPED))
    assert [str(n) for n in compiled.fallback] == ["https://example.org/fb#RankShape"]
    reason = compiled.reasons[compiled.fallback[0]]
    assert "UNION branch" in reason and "?n" in reason


def test_a_fallback_shape_gets_its_focus_nodes_and_their_reach_not_the_store(caplog):
    shapes = _shapes(SCOPED)
    store = _store(20_000)
    whole = _with_ontology(_store(20_000))
    assert whole.count() > 20_000
    with caplog.at_level(logging.WARNING, logger="hpkg.shacl.fallback"):
        fast = validate_fast(store, shapes=shapes, ontology=ONTOLOGY)
    ref = validate_graph(whole.to_rdflib_graph(), shapes=shapes, ontology=ONTOLOGY)
    assert keys(fast.violations) == keys(ref.violations)
    assert len(fast.violations) == 13  # every code (10), and the ranks of t2, t5, t8, whose next has none
    # the graph pyshacl got: the ten things, what they point at, the class hierarchy; no noise
    run = fallback_input(compile_shapes(shapes), compile_shapes(shapes).fallback[0], whole)
    assert run.bounded and run.focus == 10
    hierarchy = sum(1 for _ in whole.engine.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None))
    assert len(run.data) == 36 + hierarchy  # 10 × (type, next, code) + 6 ranks
    assert not any("noise" in str(p) for _, p, _ in run.data)
    assert any("RankShape" in r.getMessage() and "UNION branch" in r.getMessage() and "10 focus nodes" in
               r.getMessage() for r in caplog.records)


def test_a_guarded_write_hands_the_fallback_shape_only_what_it_affects(caplog):
    from hpkg.update import check_update

    shapes = _shapes(SCOPED)
    store = _with_ontology(_store(20_000))
    # t4 has a rank and points at t5: removing t5's rank makes t4's rank a result
    update = "DELETE DATA { <https://example.org/fb#t5> <https://example.org/fb#rank> 5 }"
    with caplog.at_level(logging.INFO, logger="hpkg.shacl.incremental"):
        outcome = check_update(store, update, project=PROJECT, shapes=shapes, ontology=ONTOLOGY)
    after = _with_ontology(_store(20_000))
    after.update(update)
    full = keys(validate_graph(after.to_rdflib_graph(), shapes=shapes, ontology=ONTOLOGY).violations)
    got = keys(outcome.report.violations)
    assert got and all(full[k] >= n for k, n in got.items())  # only real results of the after-state
    for focus in ("t4", "t5"):
        mine = {k: n for k, n in full.items() if k[0].endswith(f"#{focus}")}
        assert mine and all(got[k] == n for k, n in mine.items()), focus
    assert any(("https://example.org/fb#t4", None) == k[:2] and k[3] == "4" for k in got)  # t4's rank
    (line,) = [r.getMessage() for r in caplog.records if "RankShape" in r.getMessage()]
    assert "in full" not in line and int(line.split(" focus nodes, ")[1].split()[0]) < 200, line
