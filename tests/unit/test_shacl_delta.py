"""The effect of a SPARQL Update (hpkg.shacl.delta): the tokenizer, the operations, and Δ+/Δ− per operation kind.

Every computed effect is compared with what Oxigraph's own update does to a copy of the same store.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.shacl.delta import apply_operations, parse_update, split_operations, tokenize

E = "http://e/"
BASE_DATA = """
INSERT DATA {
  <a> <p> <d> . <a> <q> "1" . <b> <p> <a> .
  GRAPH <g> { <a> <p> <g1> . <a> <q> "g" }
  GRAPH <h> { <a> <p> <h1> . <h1> <q> "h" }
  GRAPH <k> { <a> <p> <k1> }
}
"""


def fresh_store() -> ox.Store:
    s = ox.Store()
    s.update(BASE_DATA, base_iri=E)
    return s


def real_effect(update: str) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(inserted, deleted) by Oxigraph's own update on a fresh store."""
    s = fresh_store()
    before = set(s)
    s.update(update, base_iri=E)
    after = set(s)
    return after - before, before - after


def computed(update: str) -> tuple[set[ox.Quad], set[ox.Quad], ox.Store]:
    s = fresh_store()
    delta = apply_operations(s, parse_update(update, base_iri=E), base_iri=E)
    assert delta.exact
    return delta.inserted, delta.deleted, s


def q(s: str, p: str, o: str | ox.Literal, g: str | None = None) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(E + o)
    return ox.Quad(ox.NamedNode(E + s), ox.NamedNode(E + p), obj, ox.NamedNode(E + g) if g else ox.DefaultGraph())


UPDATES = {
    "insert data": "INSERT DATA { <x> <p> <y> . GRAPH <g> { <x> <p> <z> } }",
    "insert data already there": "INSERT DATA { <a> <p> <d> . <x> <p> <y> }",
    "delete data": 'DELETE DATA { <a> <q> "1" . GRAPH <g> { <a> <p> <g1> } . <nothere> <p> <y> }',
    "delete where default graph only": "DELETE WHERE { ?s <p> ?o }",
    "delete where graph var": "DELETE WHERE { GRAPH ?g { ?s <p> ?o } }",
    "modify": "DELETE { ?s <p> ?o } INSERT { ?s <r> ?o } WHERE { ?s <p> ?o }",
    "modify insert only union via GRAPH": "INSERT { <r> <x> ?o } WHERE { GRAPH ?g { ?s <p> ?o } }",
    "with": "WITH <g> DELETE { ?s <q> ?o } INSERT { ?s <r> ?o } WHERE { ?s <q> ?o }",
    "with and GRAPH in template": "WITH <g> INSERT { GRAPH <h> { ?s <w> ?o } ?s <w2> ?o } WHERE { ?s <p> ?o }",
    "using": "INSERT { <r> <x> ?o } USING <h> WHERE { ?s <p> ?o }",
    "using hides named graphs": "INSERT { <r> <x> ?o } USING <h> WHERE { GRAPH ?g { ?s <p> ?o } }",
    "using named": "INSERT { <r> <x> ?o } USING <h> USING NAMED <k> WHERE { GRAPH ?g { ?s <p> ?o } }",
    "using named alone empties the default": "INSERT { <r> <x> ?o } USING NAMED <k> WHERE { ?s <p> ?o }",
    "with overridden by using": "WITH <g> INSERT { <r> <x> ?o } USING <h> WHERE { ?s <p> ?o }",
    "unbound variable skipped": "INSERT { ?s <x> ?nope . ?s <y> <z> } WHERE { ?s <p> <d> OPTIONAL { ?s <none> ?nope } }",
    "literal subject skipped": 'INSERT { ?o <x> <y> } WHERE { <a> <q> ?o }',
    "delete and reinsert the same": "DELETE { <a> <p> <d> } INSERT { <a> <p> <d> } WHERE {}",
    "later WHERE sees earlier insert": "INSERT DATA { <n1> <link> <n2> } ; INSERT { ?x <seen> ?y } WHERE { ?x <link> ?y }",
    "later op undoes earlier": "INSERT DATA { <t> <t> <t> } ; DELETE DATA { <t> <t> <t> }",
    "prefix carries over": "PREFIX e: <http://e/> INSERT DATA { e:x e:p e:y } ; DELETE WHERE { e:x e:p ?o }",
    "clear graph": "CLEAR GRAPH <h>",
    "clear default": "CLEAR DEFAULT",
    "clear named": "CLEAR SILENT NAMED",
    "drop all": "DROP ALL",
    "add": "ADD <h> TO <g>",
    "copy": "COPY <h> TO DEFAULT",
    "move": "MOVE <g> TO <k>",
    "move to itself": "MOVE <g> TO <g>",
    "create": "CREATE GRAPH <new>",
    "trailing semicolon": "INSERT DATA { <x> <p> <y> } ;",
    "comment and strings": 'INSERT DATA { <x> <p> "a } ; # {" . <x> <p> """WHERE { ; }""" } # trailing ; {',
    "filter with < operator": "INSERT { ?s <lt> ?o } WHERE { ?s <q> ?o FILTER(?o < \"2\" && ?o > \"0\") }",
}


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_computed_effect_is_oxigraphs(name):
    update = UPDATES[name]
    inserted, deleted, view = computed(update)
    real_ins, real_del = real_effect(update)
    assert inserted == real_ins
    assert deleted == real_del
    assert set(view) == (set(fresh_store()) - deleted) | inserted


def test_with_puts_default_template_triples_in_its_graph():
    inserted, deleted, _ = computed(UPDATES["with"])
    assert inserted == {q("a", "r", ox.Literal("g"), "g")}
    assert deleted == {q("a", "q", ox.Literal("g"), "g")}


def test_later_operation_sees_the_earlier_insert():
    inserted, _, _ = computed(UPDATES["later WHERE sees earlier insert"])
    assert q("n1", "seen", "n2") in inserted


def test_blank_nodes_are_fresh_per_solution():
    s = fresh_store()
    update = "INSERT { ?s <has> [ <v> ?o ] } WHERE { GRAPH ?g { ?s <p> ?o } }"
    delta = apply_operations(s, parse_update(update, base_iri=E), base_iri=E)
    links = [x for x in delta.inserted if x.predicate.value == E + "has"]
    assert len(links) == 3 and len({x.object for x in links}) == 3
    assert {x.object for x in links} <= delta.fresh
    # the view holds Oxigraph's own blank nodes: as many, with the same shape
    assert len(list(s.quads_for_pattern(None, ox.NamedNode(E + "has"), None, None))) == 3
    assert delta.counts() == (6, 0)


def test_insert_data_blank_nodes_and_counts():
    s = fresh_store()
    delta = apply_operations(s, parse_update('INSERT DATA { <x> <p> _:b . _:b <q> "1" }', base_iri=E), base_iri=E)
    assert delta.counts() == (2, 0) and len(delta.fresh) == 1


def test_delete_where_of_an_existing_blank_node():
    s = fresh_store()
    s.update('INSERT DATA { <x> <p> [ <q> "1" ] }', base_iri=E)
    inserted, deleted = set(), set()
    delta = apply_operations(s, parse_update('DELETE WHERE { <x> <p> ?b . ?b <q> ?v }', base_iri=E), base_iri=E)
    inserted, deleted = delta.inserted, delta.deleted
    assert not inserted and len(deleted) == 2
    assert any(isinstance(x.object, ox.BlankNode) for x in deleted)
    assert not list(s.quads_for_pattern(ox.NamedNode(E + "x"), None, None, None))


def test_load_is_refused():
    with pytest.raises(HpkgError, match="LOAD is not allowed"):
        parse_update("LOAD <http://example.org/data.ttl>")


@pytest.mark.parametrize("update, line, column", [
    ("INSERT DATA { <a> <b> }", 1, 23),
    ("PREFIX e: <http://e/>\nINSERT DATA {\n  e:a e:b e:c .\n  e:a e:b }", 4, 11),
    ("INSERT DATA { <a> <b> <c> } ;\nDELETE WHERE { ?s ?p }", 2, 22),
])
def test_syntax_error_names_line_and_column(update, line, column):
    with pytest.raises(QuerySyntaxError, match=rf"line {line}, column {column}\b"):
        parse_update(update, base_iri=E)


def test_undeclared_prefix_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError, match="line 1"):
        parse_update("INSERT DATA { nope:a <b> <c> }")


TOKEN_CASES = [
    # (text, expected number of operations, the WHERE group of the last one)
    ('INSERT { ?s <p> "{" } WHERE { ?s <q> "}" }', 1, '{ ?s <q> "}" }'),
    ("INSERT { ?s <p> ';' } WHERE { ?s <q> ';' }", 1, "{ ?s <q> ';' }"),
    ('INSERT { ?s <p> """WHERE { x }""" } WHERE { ?s <q> ?o }', 1, "{ ?s <q> ?o }"),
    ("INSERT { ?s <p> '''a\n#b''' } WHERE { ?s <q> ?o }", 1, "{ ?s <q> ?o }"),
    ('INSERT { ?s <p> "a\\"} ;" } WHERE { ?s <q> ?o }', 1, "{ ?s <q> ?o }"),
    ("INSERT { ?s <p> ?o } WHERE { ?s <http://x/a#b> ?o } ; CLEAR ALL", 2, None),
    ("INSERT { ?s <p> ?o } # WHERE { nope } ;\nWHERE { ?s <q> ?o }", 1, "{ ?s <q> ?o }"),
    ("INSERT { ?s <p> ?o } WHERE { ?s <q> ?o FILTER(?o < 3 && ?o > 1) }", 1,
     "{ ?s <q> ?o FILTER(?o < 3 && ?o > 1) }"),
    ("INSERT { ?s <p> ?o } WHERE { ?s <q> ?o FILTER(?o<3) } ; INSERT DATA { <a> <b> <c> }", 2, None),
    ("PREFIX e: <http://e/#> INSERT { ?s e:p ?o } where { ?s e:q ?o ; e:r [ e:s ?t ] }", 1,
     "{ ?s e:q ?o ; e:r [ e:s ?t ] }"),
    ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", 1, "{ GRAPH ?g { ?s ?p ?o } }"),
    ("WITH <g> DELETE { ?s ?p ?o } USING <h> WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }", 1,
     "{ { ?s ?p ?o } UNION { ?s ?p ?o } }"),
    ("INSERT DATA { <a> <b> 'it''s' }", 1, None),
]


@pytest.mark.parametrize("text, n, where", TOKEN_CASES)
def test_tokenizer_splits_operations_and_finds_where(text, n, where):
    ops = split_operations(text)
    assert len(ops) == n
    assert ops[-1].where == where


def test_tokens_cover_the_text():
    text = 'PREFIX e: <http://e/#> # c\nINSERT DATA { e:a\\#b e:p "x\\"y", \'\'\'z\'\'\' } ; CLEAR ALL'
    tokens = tokenize(text)
    assert "".join(t.text for t in tokens) == text
    kinds = [(t.kind, t.text) for t in tokens if t.kind != "ws"]
    assert ("iri", "<http://e/#>") in kinds and ("comment", "# c") in kinds
    assert ("word", "e:a\\#b") in kinds and ("string", '"x\\"y"') in kinds and ("string", "'''z'''") in kinds


def test_prologue_stays_in_force():
    ops = split_operations("PREFIX e: <http://e/> INSERT DATA { e:a e:b e:c } ; BASE <http://b/> DELETE WHERE { ?s ?p ?o }")
    assert ops[0].prologue == "PREFIX e: <http://e/>"
    assert ops[1].prologue == "PREFIX e: <http://e/>\nBASE <http://b/>"


@pytest.mark.parametrize("update", ["", "  # only a comment\n", "PREFIX ex: <http://e/>"])
def test_an_update_with_no_operation_parses_to_none_and_changes_nothing(update):
    """Found by the fuzz test: rdflib gives a bare list for an empty update, and parse_update raised AttributeError
    (a 500 with a traceback on the server)."""
    assert parse_update(update, base_iri=E) == []
    s = fresh_store()
    before = set(s)
    delta = apply_operations(s, [], base_iri=E)
    assert delta.counts() == (0, 0) and set(s) == before


@pytest.mark.parametrize("update", ["DROP GRAPH <http://e/missing>", "CLEAR GRAPH <http://e/missing>",
                                    "CREATE GRAPH <http://e/new> ; CREATE GRAPH <http://e/new>"])
def test_an_update_oxigraph_refuses_at_run_time_is_a_clear_error(update):
    """Found by the fuzz test: Oxigraph raises RuntimeError ('The graph … does not exist'), which was a 500."""
    s = fresh_store()
    with pytest.raises(HpkgError, match="nothing was changed"):
        apply_operations(s, parse_update(update, base_iri=E), base_iri=E)


@pytest.mark.parametrize("iri", ["<1:x>", "<:>", "<http://[::1>", "<http://e:x/>"])
def test_an_iri_rdflib_accepts_and_oxigraph_refuses_is_a_syntax_error(iri):
    """Found by the fuzz test in CI: the term conversion raised ValueError ('Invalid IRI code point'), a 500."""
    s = fresh_store()
    before = set(s)
    ops = parse_update(f"INSERT DATA {{ <http://e/s> <http://e/p> {iri} }}", base_iri=E)
    with pytest.raises(QuerySyntaxError, match="SPARQL syntax error"):
        apply_operations(s, ops, base_iri=E)
    assert set(s) == before


# -------------------------------------------- INSERT DATA / DELETE DATA read by Oxigraph's parser (the fast path)

DATA_REQUESTS = {
    "prefixes, a, typed literals, a graph": (
        'PREFIX e: <http://e/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n'
        'INSERT DATA { e:x a e:C ; e:v "1.50"^^xsd:decimal , "hai"@vi . GRAPH e:g { e:x e:p <y> } }'),
    "base and relative IRIs": "BASE <http://f/> INSERT DATA { <x> <p> <y> }",
    "already there": "INSERT DATA { <a> <p> <d> . <x> <p> <y> }",
    "delete data": 'DELETE DATA { <a> <q> "1" . GRAPH <g> { <a> <p> <g1> } . <nothere> <p> <y> }',
    "comments and a trailing semicolon": 'insert data { <x> <p> "} ;" # } {\n } ;',
}


@pytest.mark.parametrize("name", sorted(DATA_REQUESTS))
def test_data_requests_are_read_by_oxigraph_with_oxigraphs_effect(name):
    update = DATA_REQUESTS[name]
    (op,) = parse_update(update, base_iri=E)
    assert op.data is not None and op.kind in ("InsertData", "DeleteData")
    inserted, deleted, view = computed(update)
    real_ins, real_del = real_effect(update)
    assert (inserted, deleted) == (real_ins, real_del)
    assert set(view) == (set(fresh_store()) - deleted) | inserted


def test_data_request_blank_nodes_are_fresh_and_matched():
    s = fresh_store()
    delta = apply_operations(s, parse_update('INSERT DATA { <x> <p> _:b . _:b <q> [ <r> "1" ] }', base_iri=E),
                             base_iri=E)
    assert delta.counts() == (3, 0) and len(delta.fresh) == 2 and delta.exact


@pytest.mark.parametrize("update", [
    "INSERT DATA { <a> <p> ?x }",            # a variable in a data block
    "DELETE DATA { <a> <p> _:b }",           # a blank node in DELETE DATA (the probe would accept it as INSERT)
    "INSERT DATA { <a> <b> }",               # a syntax error: the full parser says where
])
def test_a_data_request_the_probe_cannot_take_is_refused_as_before(update):
    s = fresh_store()
    with pytest.raises(QuerySyntaxError):
        apply_operations(s, parse_update(update, base_iri=E), base_iri=E)
    assert set(s) == set(fresh_store())


def test_other_requests_are_not_read_as_data():
    for update in ("INSERT DATA { <x> <p> <y> } ; DELETE DATA { <x> <p> <y> }", "DELETE WHERE { ?s <p> ?o }",
                   "INSERT { <x> <p> <y> } WHERE {}"):
        assert all(op.data is None for op in parse_update(update, base_iri=E))


def test_an_update_only_oxigraph_parses_that_fails_on_the_empty_probe_is_a_syntax_error():
    """Regression (found by the fuzz test): rdflib refuses an RDF 1.2 triple term that Oxigraph parses; the
    position probe then ran the update on an empty store, whose DROP of a missing graph raised RuntimeError."""
    update = ("DROP GRAPH <http://example.org/g1> ;\n"
              "INSERT DATA { <http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> }")
    with pytest.raises(QuerySyntaxError, match=r"line 2, column \d+"):
        parse_update(update)
