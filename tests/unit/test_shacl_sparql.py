"""hpkg.shacl.sparql: SHACL-SPARQL queries read by their tokens and their algebra, never by regexes on the text.

scope_problem finds exactly the places where rdflib (pyshacl) and standard SPARQL can answer differently; the
lexer keeps substitutions out of comments, strings and IRIs.
"""

from __future__ import annotations

import pytest

from hpkg.errors import HpkgError
from hpkg.shacl.compiler import compile_shapes
from hpkg.shacl.sparql import QueryError, analyse, select_clause, substitute, variables

P = "PREFIX ex: <https://example.org/q#>\n"

AGREE = {
    "a top-level FILTER NOT EXISTS": "SELECT $this WHERE { $this ex:p ?x FILTER NOT EXISTS { ?x ex:q $this } }",
    "a branch that binds what its EXISTS uses": """SELECT $this ?value WHERE { $this ex:t ?target .
        { $this ex:t ?target ; ex:a ?value FILTER NOT EXISTS { ?target ex:area ?value } }
        UNION { $this ex:i ?value . ?target ex:ti ?tv FILTER (?value != ?tv) } }""",
    "OPTIONAL on certainly bound variables": """SELECT $this ?v WHERE { $this ex:p ?t .
        OPTIONAL { ?t ex:min ?v } OPTIONAL { $this ex:basis ?b } BIND (COALESCE(?b, 0) AS ?c) FILTER (?c >= 0) }""",
    "an EXISTS whose own FILTER uses the solution": """SELECT $this WHERE { $this ex:p ?v .
        FILTER EXISTS { $this ex:q ?w FILTER (?w > ?v) } }""",
    "a grouped sub-select projecting $this": """SELECT $this ?c WHERE { $this ex:n ?v .
        { SELECT $this (COUNT(DISTINCT ?m) AS ?c) WHERE { $this ex:m ?m } GROUP BY $this } FILTER (?v != ?c) }""",
    "a union of patterns that only join": "SELECT $this WHERE { $this ex:p ?x . { ?x ex:a ?y } UNION { ?x ex:b ?y } }",
    "MINUS on what its left side binds": "SELECT $this WHERE { $this ex:p ?x MINUS { $this ex:q ?x } }",
}

DIFFER = {
    "an EXISTS in a branch on a variable bound outside": (
        "SELECT $this WHERE { $this ex:p ?n . { $this ex:r ?r FILTER NOT EXISTS { ?n ex:r ?r2 } } UNION "
        "{ $this ex:c ?c } }", ("UNION branch", "?n")),
    "$this in a branch FILTER that does not bind it": (
        "SELECT $this WHERE { $this ex:p ?x . { ?x ex:a ?y FILTER (?y != $this) } UNION { ?x ex:b ?y } }",
        ("UNION branch", "?this")),
    "an OPTIONAL that is not well designed": (
        "SELECT $this WHERE { $this ex:p ?a . { ?c ex:q ?d OPTIONAL { ?d ex:r ?a } } }", ("OPTIONAL", "?a")),
    "a MINUS on a variable bound only outside": (
        "SELECT $this WHERE { $this ex:p ?a . { ?x ex:q ?y MINUS { ?y ex:r ?a } } }", ("MINUS", "?a")),
    "a BIND in a group on a variable bound before it": (
        "SELECT $this ?z WHERE { $this ex:p ?a . { ?x ex:q ?y BIND (?a + 1 AS ?z) } }", ("BIND", "?a")),
    "a sub-select that uses $this without projecting it": (
        "SELECT $this ?n WHERE { $this ex:p ?x . { SELECT (COUNT(*) AS ?n) WHERE { $this ex:q ?y } } }",
        ("sub-select", "?this")),
}


@pytest.mark.parametrize("name", sorted(AGREE))
def test_queries_that_answer_alike_in_rdflib_and_sparql_compile(name):
    assert analyse(P + AGREE[name]).problem is None


@pytest.mark.parametrize("name", sorted(DIFFER))
def test_queries_whose_scopes_differ_are_named_with_the_variable(name):
    text, words = DIFFER[name]
    problem = analyse(P + text).problem
    assert problem is not None
    for w in words:
        assert w in problem, problem


def test_a_sparql_target_binds_nothing_in_advance():
    # at the top level of a target query ?this is an ordinary variable: nothing is pre-bound
    assert analyse(P + "SELECT ?this WHERE { ?this a ex:C FILTER NOT EXISTS { ?this ex:p ?x } }",
                   prebound=False).problem is None


def test_substitution_touches_variables_only_never_comments_strings_or_iris():
    text = ('SELECT $this WHERE { # $PATH and $this here stay\n $this $PATH ?v . '
            'FILTER (?v != "$this $PATH" && ?v != <https://example.org/$PATH>) ?v ex:p ?PATH }')
    out = substitute(text, {"this": "?this", "PATH": "<https://example.org/q#p>"})
    assert out == ('SELECT ?this WHERE { # $PATH and $this here stay\n ?this <https://example.org/q#p> ?v . '
                   'FILTER (?v != "$this $PATH" && ?v != <https://example.org/$PATH>) ?v ex:p '
                   '<https://example.org/q#p> }')
    assert variables(out) == {"this", "v"}


def test_the_select_clause_is_found_after_comments_and_before_the_where_group():
    text = '# SELECT { not here }\nPREFIX ex: <https://e/{x}>\nSELECT DISTINCT ?a (CONCAT("{", ?b) AS ?c)\nWHERE { ?a ex:p ?b }'
    clause = select_clause(text)
    assert clause is not None
    insert, brace = clause
    assert text[:insert].endswith("SELECT DISTINCT")
    assert text[brace:].startswith("{ ?a ex:p ?b }")
    assert select_clause("ASK { ?a ?b ?c }") is None


def test_a_query_that_does_not_parse_is_a_clear_error_naming_the_shape():
    with pytest.raises(QueryError):
        analyse("SELECT $this WHERE { $this ex:undeclared ?x }")
    from rdflib import Graph

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/q#Broken> a sh:NodeShape ; sh:targetNode <https://example.org/q#a> ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/q#p> }" ] .
        """, format="turtle")
    with pytest.raises(HpkgError, match="Broken.*does not parse"):
        compile_shapes(shapes)
