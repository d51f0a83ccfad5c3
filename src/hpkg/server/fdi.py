"""The FDI table of a province's page: the FIA's figures for the province, one row per report.

For a pre-2025 unit (``code/dvhc-63/NN``) the rows are its own figures in each report's table by province;
for a unit of 1 July 2025 (``code/dvhc-34/NN``) they are the sums of the units it replaces
(``dcterms:replaces``), labelled as such, each summed cell linking to the cells it adds up. Every figure
links to its report and to the spreadsheet cell it was read from (``hpkg:evidence``). The page draws the
total registered capital of the rows as a line chart (``static/province.js``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product

import pyoxigraph as ox

from hpkg.describe import MAX_INBOUND, values_clause
from hpkg.namespaces import PREFIXES, prefix_subset, sparql_prologue
from hpkg.server.views import Linker, Value, format_number
from hpkg.store import Store
from hpkg.store.base import Row
from hpkg.terms import Term, term_value

#: The table's columns: indicator notation -> key (the page's words are ``fdi_<key>``).
COLUMNS: dict[str, str] = {"PROJ_NEW": "new_projects", "FDI_REG_NEW": "new_capital", "FDI_REG_ADJ": "added_capital",
                           "FDI_CONTRIB": "contributions", "FDI_REG": "total"}
REPLACES = "http://purl.org/dc/terms/replaces"
_TYPE, _OBSERVATION = PREFIXES["rdf"] + "type", ox.NamedNode(PREFIXES["qb"] + "Observation")
_NOTATION = ox.NamedNode(PREFIXES["skos"] + "notation")
_REF_AREA, _VALUE = PREFIXES["sdmx-dimension"] + "refArea", PREFIXES["sdmx-measure"] + "obsValue"
_INDICATOR, _EVIDENCE = PREFIXES["hpkg"] + "indicator", PREFIXES["hpkg"] + "evidence"
_DATASET, _DERIVED_FROM = PREFIXES["qb"] + "dataSet", PREFIXES["prov"] + "wasDerivedFrom"
#: the predicates :func:`_described_figures` reads
_READ = frozenset(ox.NamedNode(p) for p in (_TYPE, _NOTATION.value, _REF_AREA, _VALUE, _INDICATOR, _EVIDENCE, _DATASET,
                                            _DERIVED_FROM))

_PREFIXES = sparql_prologue(prefix_subset("rdfs", "skos", "dcterms", "prov", "qb", "hpkg", "time",
                                          "sdmx-dimension", "sdmx-measure"))


def _figures(area: ox.NamedNode) -> str:
    """The unit's figures of the table's indicators (one query per unit: a constant subject is the fast path)."""
    notations = ", ".join(f'"{n}"' for n in COLUMNS)
    return _PREFIXES + f"""
SELECT DISTINCT ?obs ?ds ?n ?v ?doc ?cell WHERE {{
  ?obs sdmx-dimension:refArea {area} ; hpkg:indicator ?i ; qb:dataSet ?ds ; sdmx-measure:obsValue ?v ;
       prov:wasDerivedFrom ?doc .
  ?i skos:notation ?n FILTER (?n IN ({notations}))
  OPTIONAL {{ ?obs hpkg:evidence ?cell }}
}}"""


def _nodes(iris: set[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(i) for i in sorted(iris)]


def _described_figures(area: ox.NamedNode, described: Sequence[ox.Triple]) -> list[Row] | None:
    """The rows :func:`_figures` answers for ``area``, read from its description (:func:`describe_entity`, which
    holds its observations whole and the notations of what they link to); ``None`` when the description may
    lack some (it holds as many observations as a description can)."""
    by_subject: dict[Term, dict[str, list[Term]]] = {}
    notation: dict[Term, list[Term]] = {}
    for t in described:
        predicate = t.predicate
        if predicate not in _READ:  # most of a description is labels
            continue
        subject, value = t.subject, t.object
        if isinstance(subject, ox.Triple) or isinstance(value, ox.Triple):
            continue
        if predicate == _NOTATION:
            notation.setdefault(subject, []).append(value)
        else:
            by_subject.setdefault(subject, {}).setdefault(predicate.value, []).append(value)
    observations = [s for s, props in by_subject.items() if _OBSERVATION in props.get(_TYPE, ())]
    if len(observations) >= MAX_INBOUND:
        return None
    rows: dict[tuple[Term | None, ...], Row] = {}  # SELECT DISTINCT
    for obs in observations:
        props = by_subject[obs]
        if area not in props.get(_REF_AREA, ()):
            continue
        ns = [n for i in props.get(_INDICATOR, ()) for n in notation.get(i, ())
              if isinstance(n, ox.Literal) and n.value in COLUMNS and n == ox.Literal(n.value)]  # a plain string
        cells: list[Term | None] = list(props.get(_EVIDENCE, ())) or [None]
        for ds, n, v, doc, cell in product(props.get(_DATASET, ()), ns, props.get(_VALUE, ()),
                                           props.get(_DERIVED_FROM, ()), cells):
            rows.setdefault((obs, ds, n, v, doc, cell), {"obs": obs, "ds": ds, "n": n, "v": v, "doc": doc, "cell": cell})
    return list(rows.values())


def _get(row: Row, key: str) -> str | None:
    term = row.get(key)
    return None if term is None else term_value(term)


def _req(row: Row, key: str) -> str:
    term = row.get(key)
    if term is None:
        raise KeyError(key)
    return term_value(term)


@dataclass
class FdiCell:
    """One figure of the table: the value (a sum for a 2025 unit), its text and the cells it was read from."""

    value: float | None = None
    text: str = ""
    cells: list[Value] = field(default_factory=list)
    parts: int = 0


@dataclass
class FdiRow:
    """One report: its document, its period identifier ("2023", "2024-H1") and the figures."""

    report: Value
    period: str
    begin: str
    cells: dict[str, FdiCell]


@dataclass
class FdiTable:
    """What the page shows above the other figures."""

    rows: list[FdiRow]
    #: the pre-2025 units summed (empty for a pre-2025 unit itself)
    parts: list[Value]
    #: the observations the table shows (left out of the page's general table of figures)
    observations: set[str]

    def series(self) -> list[dict[str, object]]:
        """The line chart's points: total registered capital by report, in the rows' order."""
        return [{"report": r.period, "value": r.cells["total"].value, "text": r.cells["total"].text}
                for r in self.rows if r.cells["total"].value is not None]


def fdi_table(store: Store, iri: str, own: list[ox.Triple], link: Linker,
              label: Callable[[str], str], described: Sequence[ox.Triple] | None = None) -> FdiTable | None:
    """The FDI table of the unit ``iri`` (``own``: its own triples), or ``None`` when the FIA has no figures for it.

    ``described`` is the unit's description (:func:`hpkg.describe.describe_entity`) when the caller has it: a
    pre-2025 unit's figures are then read from it rather than asked for again (a 2025 unit's are its old units').
    """
    me = ox.NamedNode(iri)
    replaced = sorted({t.object for t in own if t.predicate.value == REPLACES and isinstance(t.object, ox.NamedNode)},
                      key=str)
    areas = replaced or [me]
    known = None if replaced or described is None else _described_figures(me, described)
    figures = [(me, r) for r in known] if known is not None else \
        [(area, r) for area in areas for r in store.query(_figures(area)).rows()]
    if not figures:
        return None
    docs = {_req(r, "doc") for _, r in figures}
    cells = {_req(r, "cell") for _, r in figures if r.get("cell")}
    lang = link.lang
    titles = {_req(r, "x"): _req(r, "l") for r in store.query(_PREFIXES + f"""
        SELECT ?x ?l WHERE {{ {values_clause('x', _nodes(docs | cells))} ?x rdfs:label ?l FILTER (lang(?l) = "{lang}") }}""").rows()}
    reports = {_req(r, "doc"): (_req(r, "id"), _get(r, "begin") or "") for r in store.query(_PREFIXES + f"""
        SELECT ?doc ?id ?begin WHERE {{ {values_clause('doc', _nodes(docs))}
          ?doc dcterms:temporal ?t . ?t dcterms:identifier ?id OPTIONAL {{ ?t time:hasBeginning/time:inXSDDate ?begin }} }}""").rows()}
    by_ds: dict[str, FdiRow] = {}
    seen: set[tuple[str, str, str]] = set()
    observations: set[str] = set()
    for area_node, r in figures:
        n, area, ds = _req(r, "n"), area_node.value, _req(r, "ds")
        if (ds, area, n) in seen:  # one figure per unit, report table and indicator
            continue
        seen.add((ds, area, n))
        observations.add(_req(r, "obs"))
        doc = _req(r, "doc")
        row = by_ds.get(ds)
        if row is None:
            title = titles.get(doc, doc)
            period, begin = reports.get(doc, (title, ""))
            row = by_ds[ds] = FdiRow(report=Value(title, link.href(doc), doc), period=period, begin=begin,
                                     cells={key: FdiCell() for key in COLUMNS.values()})
        cell = row.cells[COLUMNS[n]]
        cell.value = (cell.value or 0.0) + float(_req(r, "v"))
        cell.parts += 1
        if r.get("cell"):
            cell_iri = _req(r, "cell")
            text = titles.get(cell_iri, cell_iri)
            if replaced:
                text = f"{label(area)}: {text}"
            cell.cells.append(Value(text, link.href(cell_iri), cell_iri))
    table_rows = sorted(by_ds.values(), key=lambda row: (row.begin, row.period))
    for row in table_rows:
        for key, cell in row.cells.items():
            if cell.value is not None:
                if key == "new_projects":
                    cell.value = round(cell.value)
                cell.text = format_number(repr(cell.value), link.lang)
    parts = [Value(label(a.value), link.href(a.value), a.value) for a in replaced]
    return FdiTable(rows=table_rows, parts=parts, observations=observations)
