"""Ingest (issue 12): a new Vietnamese or English report becomes candidate facts to review.

The pipeline, one module per step::

    text ──sentences.split_sentences──▶ sentences with offsets (underthesea, repaired by rules)
         ──numbers.find_quantities───▶ figures: exact offsets, value in base units, unit (ranges, compounds)
         ──lexicon.load_lexicon──────▶ indicator phrases = the SKOS labels of CL_INDICATOR in the graph,
                                        zones/places/organisations with the linker's normalisation keys
         ──entities.find_entities────▶ organisations, zones, places and project candidates
         ──extract.extract───────────▶ Document: facts (indicator, period, area, qualifier, relation,
                                        confidence, status against the graph) and entity mentions

``hpkg ingest FILE…`` (:mod:`hpkg.cli.ingest`) writes the JSON contract, a TSV review sheet or draft Turtle.
Indicator phrases are data (``data/concepts.ttl``, ``skos:altLabel``/``skos:hiddenLabel``): add a phrase
there, never in Python. On the shipped article every figure of the curated observations is found with
its indicator, area, period, qualifier, plan attainment and change (tests/unit/test_ingest_extract.py).

Done besides: ``hpkg ingest accept REVIEW.tsv`` (:mod:`hpkg.ingest.accept`: the reviewed rows as a data file in
the project's ``data/`` with the source document, Data Cube observations and targets, and evidence quotes with
W3C Web Annotation selector pairs into the text stored under ``sources/``, validated before it is written), the
round trip on the source article (tests/unit/test_ingest_accept.py) and ``bench/ingest_eval.py`` with its
annotated set (``bench/ingest/``); entities (:mod:`hpkg.ingest.entities`: organisations in Vietnamese and
English company-name forms, named zones, places, project candidates tied to their figures, investor, zone,
sector and country; new organisations and ``hpkg:InvestmentProject`` written by accept); the ``/ingest`` page of
the server (:mod:`hpkg.server.ingest`) sharing :func:`hpkg.ingest.accept.accept_rows`; figures that are not
observations (promotion-event counts, project totals), new zones, rows marked reject up front with the reason,
re-accepting a report (replaces the earlier accept), periods without their year, relations before their figure,
and "estimate wins" over a bound — so that every row of the source article's sheet can be accepted.

Still to do (the rest of issue 12), in the order it pays off:

1. A table view on a terminal (``--format`` defaults to json for now).

Known limits: a ``conflict`` shows the graph's value only in the TSV (``graph_value``); ``to-date``
figures are compared under their sentence's year; ranges are two facts with the same offsets
(lower-bound, upper-bound); rates per m² and spelled-out numbers ("ba trụ cột") are not figures yet.
"""
