"""hpkg.rdfio: parsing RDF files and bytes (format from the name, gzip), errors that name file:line:column."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest

from hpkg.errors import HpkgError, RdfSyntaxError
from hpkg.rdfio import check_rdf_file, parse_rdf

from ..conftest import TEST_DATA

DATA = TEST_DATA / "rdf"


def test_gzip_and_format_guessing(tmp_path):
    p = tmp_path / "x.nt.gz"
    p.write_bytes(gzip.compress(b"<http://e/a> <http://e/p> \"1\" .\n"))
    assert len(parse_rdf(p)) == 1
    with pytest.raises(HpkgError, match="cannot tell the RDF format"):
        parse_rdf(tmp_path / "x.unknown")


def test_parse_and_check_name_the_line_of_a_syntax_error():
    with pytest.raises(RdfSyntaxError) as e:
        parse_rdf(DATA / "broken.ttl")
    assert e.value.file.endswith("broken.ttl") and e.value.line == 4
    with pytest.raises(RdfSyntaxError) as e:
        check_rdf_file(DATA / "broken.ttl", fmt=ox.RdfFormat.TURTLE)
    assert e.value.line == 4
    assert check_rdf_file(DATA / "small.ttl", fmt=ox.RdfFormat.TURTLE) == len(parse_rdf(DATA / "small.ttl")) == 2


def test_relative_iris_resolve_against_the_base_and_graph_names_the_graph():
    (q,) = parse_rdf(b"<zone/x> <p> <o> .", fmt="turtle", base_iri="http://example.org/kg/", graph="http://e/g")
    assert q.subject.value == "http://example.org/kg/zone/x"
    assert q.graph_name.value == "http://e/g"
