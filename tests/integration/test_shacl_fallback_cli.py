"""A project's shape that must fall back to pyshacl, through the real command line: the warning on stderr names
the shape and the reason; a shape whose SHACL-SPARQL query does not parse is a clear error, never a traceback."""

from __future__ import annotations

from ..conftest import make_project, run_cli
from ..unit.test_shacl_fallback import SCOPED, _data

BROKEN = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/fb#BrokenShape> a sh:NodeShape ; sh:targetClass <https://example.org/fb#Thing> ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/fb#next> }" ] .
"""


def test_validate_says_on_stderr_which_shape_fell_back_and_why(tmp_path):
    root = make_project(tmp_path / "p", {"shapes/rank.ttl": SCOPED, "things.ttl": _data(200)})
    r = run_cli("validate", "things.ttl", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 1, err  # the things break the project's shape (and the shipped ones need labels)
    assert "Traceback" not in err
    line = next(x for x in err.splitlines() if "RankShape" in x)
    assert "validated by pyshacl" in line and "UNION branch uses ?n" in line and "10 focus nodes" in line
    assert "https://example.org/fb#t2" in r.stdout.decode()  # its result is in the report


def test_a_shape_whose_query_does_not_parse_stops_with_its_name(tmp_path):
    root = make_project(tmp_path / "p", {"shapes/broken.ttl": BROKEN, "things.ttl": _data(0)})
    r = run_cli("validate", "things.ttl", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "Traceback" not in err
    assert "BrokenShape" in err and "does not parse" in err
