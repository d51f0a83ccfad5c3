"""bench/ingest_eval.py: the scorer, the annotated set, and the targets of issue 12 on the source article."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("ingest_eval", ROOT / "bench" / "ingest_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def docs(bench):
    return bench.load_set()


def fact(start, end, value, unit="USD", **kw):
    return {"start": start, "end": end, "quote": "x" * (end - start), "value": value, "unit": unit,
            "indicator": kw.get("indicator"), "period": kw.get("period"), "qualifier": kw.get("qualifier", "exact"),
            "relation": kw.get("relation")}


def test_a_match_overlaps_and_agrees_within_half_a_percent(bench):
    gold = [fact(10, 20, 1000), fact(30, 35, 50, "percent", relation={"kind": "percent-of-plan", "of": 10})]
    found = [fact(12, 20, 1004), fact(30, 35, 50, "percent", relation={"kind": "percent-of-plan", "of": 12}),
             fact(40, 45, 7)]
    s = bench.score(gold, found)
    assert (s["matched"], s["recall"], s["precision"], s["relation_accuracy"]) == (2, 1.0, round(2 / 3, 4), 1.0)
    assert bench.score([fact(10, 20, 1000)], [fact(10, 20, 1006)])["matched"] == 0  # 0.6% off
    assert bench.score([fact(10, 20, 1000)], [fact(20, 30, 1000)])["matched"] == 0  # no overlap
    assert bench.score([fact(10, 20, 1000)], [fact(10, 20, 1000, "VND")])["matched"] == 0


def test_the_set_covers_what_the_issue_lists(docs):
    gold = [f for d in docs for f in d["facts"]]
    assert {f["qualifier"] for f in gold} == {"exact", "estimate", "approximate", "lower-bound", "upper-bound"}
    assert {f["relation"]["kind"] for f in gold if f["relation"]} == {
        "percent-of-plan", "change-on-previous-period", "ratio-to-previous-period", "share-of"}
    periods = {f["period"] for f in gold}
    assert {"to-date", "2025-H1", "2025-Q1", "2025-07", "2025-01..2025-07"} <= periods
    quotes = {f["quote"] for f in gold}
    assert {"1 tỷ 252 triệu USD", "230 nghìn người", "$1.2 billion", "12,350 billion VND", "3-3.5 billion USD",
            "1,8 lần"} <= quotes
    assert any("| --- |" in d["text"] for d in docs)  # a table written as text
    assert len(docs) >= 5 and sum("source" not in d for d in docs) >= 4


def test_the_source_article_meets_the_targets(bench, docs):
    result = bench.evaluate(docs)
    article = result["documents"][bench.ARTICLE]
    assert article["recall"] == 1.0, article["missed"]
    assert article["precision"] >= 0.95, article["spurious"]
