"""hpkg.shacl.report: the violations of a report are its top-level results, with their messages by language."""

from __future__ import annotations

from .test_graph_shapes import results, validate_fixture


def test_violations_are_the_top_level_results_only():
    report = validate_fixture("zone-status-outside-code-list")
    assert [(v.focus, v.path, v.component) for v in report.violations] == [
        (r.focus, r.path, r.component) for r in results(report)]


def test_sparql_messages_keep_their_language():
    (v,) = validate_fixture("cumulative-below-year").violations
    assert "nhỏ hơn số của chính thời kỳ đó" in v.messages["vi"]
    assert "is below the same period's figure" in v.messages["en"]
