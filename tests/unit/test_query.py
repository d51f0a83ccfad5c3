"""hpkg.query: named queries (shipped, and a project's that add to or override them), SPARQL text or a .rq
file, errors that say what is known, result formatting."""

from __future__ import annotations

import pytest

from hpkg.errors import HpkgError, QuerySyntaxError
from hpkg.project import open_project
from hpkg.query import format_result, named_queries, resolve, run

from ..conftest import SHIPPED
from .test_graph_queries import PROJECT, QUERIES

MINE = """# vi: Có bao nhiêu quan sát?
# en: How many observations are there?
SELECT (COUNT(?o) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }
"""
OVERRIDE = """# vi: Vốn FDI năm 2024 (bản của dự án)
# en: FDI in 2024 (the project's version)
ASK { ?o a <http://purl.org/linked-data/cube#Observation> }
"""


def test_queries_folder_is_the_one_the_library_reads():
    assert QUERIES["fdi-vs-plan"].path.parent == SHIPPED / "queries"
    assert {q.origin for q in QUERIES.values()} == {"shipped"}
    assert not any(q.overrides for q in QUERIES.values())


def test_a_project_query_adds_to_the_shipped_ones_or_overrides_one(new_project, built_store):
    proj = open_project(new_project({"queries/count-observations.rq": MINE, "queries/fdi-vs-plan.rq": OVERRIDE}))
    qs = named_queries(proj)
    assert set(qs) == set(QUERIES) | {"count-observations"}
    mine, override = qs["count-observations"], qs["fdi-vs-plan"]
    assert (mine.origin, mine.overrides) == ("project", False)
    assert (override.origin, override.overrides) == ("project", True)
    assert override.path == proj.root / "queries" / "fdi-vs-plan.rq"
    assert (override.question_vi, override.question_en) == ("Vốn FDI năm 2024 (bản của dự án)",
                                                            "FDI in 2024 (the project's version)")
    assert all(qs[n] == q for n, q in QUERIES.items() if n != "fdi-vs-plan")
    # running a name runs the project's text
    assert run(built_store, "fdi-vs-plan", proj).kind == "ask"
    assert run(built_store, "count-observations", proj).rows()[0]["n"].value == "10"
    assert run(built_store, "fdi-vs-plan", PROJECT).kind == "select"


def test_resolve_unknown_name_lists_the_known_ones():
    with pytest.raises(HpkgError) as e:
        resolve("fdi-vs-plann", PROJECT)
    for name in QUERIES:
        assert name in str(e.value)


def test_resolve_a_missing_rq_file_names_it(tmp_path):
    with pytest.raises(HpkgError, match="no-such-file.rq: no such query file"):
        resolve(str(tmp_path / "no-such-file.rq"), PROJECT)


def test_syntax_error_has_a_position(built_store):
    with pytest.raises(QuerySyntaxError, match=r"\d+:\d+"):
        run(built_store, "SELECT ?x WHERE { ?x ?p }", PROJECT)


def test_format_result_table_has_the_values(built_store):
    text = format_result(run(built_store, "fdi-vs-plan", PROJECT), "table").decode()
    assert "fdiUSD" in text and "4350000000" in text and "241.67" in text and "1 row(s)" in text
