"""Query parameters in the grlc convention (hpkg.params): reading them from variable names, checking values
against their types, binding them safely, and the shipped parameterised query on the shipped graph.

The small graph below is written for these tests; the binding is checked by running the bound query on a real
in-memory Oxigraph store, not by comparing strings alone."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from hpkg.params import Parameter, ParameterError, bind, parameters, parse_assignments
from hpkg.query import named_queries, resolve, run
from hpkg.store import OxigraphStore

from ..conftest import shipped_project
from .test_graph_queries import article

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"

DATA = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:year 2023 ; ex:name "Cảng Lạch Huyện"@vi , "Lach Huyen port"@en ; ex:code "A1" ; ex:partner ex:japan .
ex:b ex:year 2024 ; ex:name "Khu công nghiệp Tràng Duệ"@vi ; ex:code "B2" ; ex:partner ex:korea .
ex:c ex:year 2024 ; ex:name "Nhà máy \\" } ; DROP ALL ; #"@vi ; ex:code "C3\\" } #" ; ex:partner ex:japan .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> OxigraphStore:
    """The graph above in a real (in-memory) Oxigraph store, read from a real Turtle file."""
    path = tmp_path_factory.mktemp("params") / "small.ttl"
    path.write_text(DATA, encoding="utf-8")
    s = OxigraphStore(None)
    s.load_file(path)
    return s


def subjects(store: OxigraphStore, sparql: str, values: dict[str, str]) -> list[str]:
    return sorted(r["s"].value for r in store.query(bind(sparql, values)).rows())


PREFIXES = "PREFIX ex: <http://example.org/>\nPREFIX exa: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


# --------------------------------------------------------------------------- reading the parameters


@pytest.mark.parametrize(("variable", "name", "required", "type_"), [
    ("_year", "year", True, "string"),
    ("__partner", "partner", False, "string"),
    ("_year_integer", "year", True, "xsd:integer"),
    ("_year_xsd_integer", "year", True, "xsd:integer"),
    ("__day_xsd_date", "day", False, "xsd:date"),
    ("_province_iri", "province", True, "iri"),
    ("_name_vi", "name", True, "@vi"),
    ("__name_en", "name", False, "@en"),
    ("_n_number", "n", True, "number"),
    ("_s_literal", "s", True, "string"),
    ("_s_string", "s", True, "string"),
    ("_v_exa_code", "v", True, EX + "code"),
    ("_v_ex_code", "v", True, "@ex"),  # as in grlc, a two-letter hint is a language tag before it is a prefix
])
def test_variable_names_declare_parameters_as_grlc_reads_them(variable, name, required, type_):
    p = parameters(f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:p ?{variable} }}")[name]
    assert (p.name, p.required, p.type, p.variable) == (name, required, type_, variable)


def test_ordinary_variables_and_text_that_looks_like_a_parameter_are_not_parameters():
    sparql = f'''{PREFIXES}# ?_commented is a comment
SELECT ?s ?x_y WHERE {{ ?s ex:p "?_in_a_string" , <http://example.org/?_in_an_iri> , ?x_y ; ex:q """?_long""" }}'''
    assert parameters(sparql) == {}
    assert bind(sparql, {}) == sparql


def test_parameters_come_in_order_of_appearance_and_a_name_used_twice_is_one_parameter():
    ps = parameters(f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:year ?_year_xsd_integer ; ex:p ?__partner_iri . "
                    "FILTER (?_year_xsd_integer > 2000) }")
    assert list(ps) == ["year", "partner"]


@pytest.mark.parametrize(("sparql", "why"), [
    ("SELECT ?s WHERE { ?s ?p ?_a_integer . ?s ?q ?_a_iri }", "two types"),
    ("SELECT ?s WHERE { ?s ?p ?o BIND (?o AS ?_a) }", "cannot be assigned"),
    ("SELECT (1 AS ?_a) WHERE { ?s ?p ?o }", "cannot be assigned"),
    ("SELECT ?s WHERE { VALUES ?_a { 1 2 } ?s ?p ?_a }", "VALUES"),
    ("SELECT ?s WHERE { ?s ?p ?o FILTER (!BOUND(?__a)) }", "COALESCE"),
    ("SELECT ?s WHERE { ?s ?p ?_a_nope_integer }", "prefix 'nope'"),
])
def test_a_parameter_that_cannot_be_bound_is_an_error_when_the_query_is_read(sparql, why):
    with pytest.raises(ParameterError, match=why):
        parameters(sparql)


# --------------------------------------------------------------------------- binding values


def test_a_typed_parameter_selects_by_value(store):
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:year ?_year_xsd_integer }}"
    assert subjects(store, q, {"year": "2024"}) == [EX + "b", EX + "c"]
    assert subjects(store, q, {"year": "+02023"}) == [EX + "a"]  # canonical integer
    assert '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>' in bind(q, {"year": "+02023"})


def test_a_plain_a_language_tagged_and_an_iri_parameter(store):
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:code ?_code }}"
    assert subjects(store, q, {"code": "B2"}) == [EX + "b"]
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:name ?_name_vi }}"
    assert subjects(store, q, {"name": "Cảng Lạch Huyện"}) == [EX + "a"]
    assert subjects(store, q, {"name": "Lach Huyen port"}) == []  # that one is @en
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:partner ?_partner_iri }}"
    assert subjects(store, q, {"partner": EX + "japan"}) == [EX + "a", EX + "c"]


def test_a_number_parameter_keeps_the_form_it_was_written_in(store):
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:year ?y FILTER (?y >= ?_min_number) }}"
    assert subjects(store, q, {"min": "2023.5"}) == [EX + "b", EX + "c"]
    assert subjects(store, q, {"min": "2.0e3"}) == [EX + "a", EX + "b", EX + "c"]


def test_an_optional_parameter_left_out_stays_unbound(store):
    q = f"{PREFIXES}SELECT ?s ?__code WHERE {{ ?s ex:code ?c FILTER (COALESCE(?c = ?__code, true)) }}"
    rows = store.query(bind(q, {})).rows()
    assert sorted(r["s"].value for r in rows) == [EX + "a", EX + "b", EX + "c"]
    assert all(r["__code"] is None for r in rows)
    assert subjects(store, q, {"code": "A1"}) == [EX + "a"]
    assert subjects(store, q, {"code": ""}) == [EX + "a", EX + "b", EX + "c"]  # empty: as if left out


def test_a_projected_grouped_and_ordered_parameter_keeps_the_query_valid(store):
    q = (f"{PREFIXES}SELECT ?_year_xsd_integer (COUNT(?s) AS ?n) WHERE {{ ?s ex:year ?_year_xsd_integer }} "
         "GROUP BY ?_year_xsd_integer ORDER BY ?_year_xsd_integer")
    rows = store.query(bind(q, {"year": "2024"})).rows()
    assert [(r["_year_xsd_integer"].value, r["n"].value) for r in rows] == [("2024", "2")]


def test_a_parameter_inside_a_subquery_and_a_filter_exists(store):
    q = (f"{PREFIXES}SELECT ?s WHERE {{ {{ SELECT ?s WHERE {{ ?s ex:year ?_year_integer }} }} "
         "FILTER EXISTS { ?s ex:partner ?_partner_iri } }")
    assert subjects(store, q, {"year": "2024", "partner": EX + "japan"}) == [EX + "c"]


# --------------------------------------------------------------------------- injection attempts


def test_a_string_that_tries_to_close_the_literal_is_one_literal(store):
    evil = 'C3" } #'
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:code ?_code }}"
    assert subjects(store, q, {"code": evil}) == [EX + "c"]  # matches the stored string exactly, nothing else
    evil2 = '" } ; DROP ALL ; #'
    bound = bind(q, {"code": evil2})
    assert store.query(bound).rows() == []
    assert ox.Literal(evil2).__str__() in bound


def test_an_update_smuggled_into_a_string_does_not_run(store):
    before = store.count()
    q = f"{PREFIXES}SELECT ?s WHERE {{ ?s ex:name ?_name_vi }}"
    assert subjects(store, q, {"name": 'Nhà máy " } ; DROP ALL ; #'}) == [EX + "c"]
    assert store.count() == before


@pytest.mark.parametrize(("variable", "value"), [
    ("_year_xsd_integer", "2023 } UNION { ?s ?p ?o"),
    ("_year_xsd_integer", "2023.0"),
    ("_year_xsd_integer", ""),
    ("_p_iri", "http://example.org/a> } UNION { ?s ?p ?o } #"),
    ("_p_iri", "not an iri"),
    ("_p_iri", "relative/path"),
    ("_n_number", "1) || true || (1"),
    ("_d_xsd_date", "2025-02-30"),
    ("_d_xsd_date", "30/6/2025"),
    ("_b_xsd_boolean", "yes"),
    ("_y_xsd_gYear", "25"),
    ("_c_xsd_unsignedByte", "256"),
])
def test_a_value_that_does_not_fit_its_type_is_rejected(variable, value):
    q = f"SELECT ?s WHERE {{ ?s ?p ?{variable} }}"
    name = variable.lstrip("_").split("_")[0]
    with pytest.raises(ParameterError) as e:
        bind(q, {name: value})
    assert name in str(e.value)


def test_unknown_and_missing_parameters_name_the_query_s_parameters():
    q = "SELECT ?s WHERE { ?s ?p ?_year_integer ; ?q ?__partner }"
    with pytest.raises(ParameterError, match=r"needs the parameter 'year'; its parameters: year \(required, "
                                             r"xsd:integer\), partner \(optional, string\)"):
        bind(q, {"partner": "x"})
    with pytest.raises(ParameterError, match=r"has no parameter 'yaer'; its parameters: year"):
        bind(q, {"year": "2023", "yaer": "2024"})
    with pytest.raises(ParameterError, match="has no parameter 'year'; its parameters: none"):
        bind("SELECT * WHERE { ?s ?p ?o }", {"year": "2023"})


def test_param_assignments_are_name_equals_value():
    assert parse_assignments(["year=2023", "name=a=b", "e="]) == {"year": "2023", "name": "a=b", "e": ""}
    for bad in (["year"], ["=2023"]):
        with pytest.raises(ParameterError, match="NAME=VALUE"):
            parse_assignments(bad)
    with pytest.raises(ParameterError, match="twice"):
        parse_assignments(["year=1", "year=2"])


def test_parameter_json_and_openapi_schema():
    p = Parameter("year", "_year_xsd_integer", True, "string", datatype=XSD + "integer")
    assert p.to_json() == {"name": "year", "required": True, "type": "xsd:integer", "variable": "?_year_xsd_integer",
                           "datatype": XSD + "integer"}
    assert p.json_schema() == {"type": "integer"}
    assert Parameter("p", "_p_iri", True, "iri").json_schema() == {"type": "string", "format": "iri"}
    assert Parameter("d", "_d_xsd_date", False, "string", datatype=XSD + "date").json_schema() == \
        {"type": "string", "format": "date"}


# --------------------------------------------------------------------------- the shipped parameterised query


PROJECT = shipped_project()


def test_figures_in_year_answers_the_article_s_figures(built_store):
    rows = run(built_store, "figures-in-year", PROJECT, {"year": "2024", "indicator": "FDI_REG"}).rows()
    assert [r["indicator"].value for r in rows] == ["FDI_REG"]
    assert Decimal(rows[0]["value"].value) == article("4,35 tỷ USD")
    every = run(built_store, "figures-in-year", PROJECT, {"year": "2024"}).rows()
    assert {r["indicator"].value for r in every} >= {"FDI_REG", "FDI_CUM", "EXPORTS", "IMPORTS", "WORKFORCE"}
    assert run(built_store, "figures-in-year", PROJECT, {"year": "2019"}).rows() == []


def test_a_named_query_s_parameters_are_checked_before_it_runs():
    q = named_queries(PROJECT)["figures-in-year"]
    assert [p.describe() for p in q.parameters.values()] == ["year (required, xsd:integer)",
                                                              "indicator (optional, string)"]
    with pytest.raises(ParameterError, match="query 'figures-in-year' needs the parameter 'year'"):
        resolve("figures-in-year", PROJECT)
