"""``hpkg ingest FILE…``: the figures of a report as candidate facts (JSON), a review sheet (TSV) or draft Turtle."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hpkg.cli.base import Context, main
from hpkg.ingest.accept import SHEET_COLUMNS as TSV_COLUMNS
from hpkg.ingest.accept import read_report

__all__ = ["TSV_COLUMNS", "read_report", "to_tsv", "to_turtle"]

if TYPE_CHECKING:
    from hpkg.ingest.extract import Document
    from hpkg.store.base import Store

pass_ctx = click.make_pass_decorator(Context)

def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def to_tsv(docs: list[Document]) -> str:
    """The review sheet (:func:`hpkg.ingest.accept.sheet_rows`): one row per candidate figure, organisation,
    zone and project; ``decision`` is left for the reviewer (accept / reject)."""
    from hpkg.ingest.accept import sheet_tsv

    return sheet_tsv(docs)


def to_turtle(docs: list[Document], store: Store) -> str:
    """Draft Data Cube observations (and targets) of the candidates with an indicator; not yet validated."""
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

    from hpkg.ingest.extract import graph_lexicon
    from hpkg.iri import base_iri
    from hpkg.namespaces import PREFIXES

    lex = graph_lexicon(store)
    base = base_iri()
    ns = {p: Namespace(iri) for p, iri in PREFIXES.items()}
    g = Graph()
    for p, iri in PREFIXES.items():
        g.bind(p, iri)
    for doc in docs:
        key = doc.sha256[:12]
        src = URIRef(f"{base}source/draft-{key}")
        g.add((src, RDF.type, ns["hpkg"].SourceDocument))
        if doc.title:
            g.add((src, ns["dcterms"].title, Literal(doc.title, lang=doc.language)))
        if doc.published:
            g.add((src, ns["dcterms"].issued, Literal(doc.published, datatype=XSD.date)))
        if doc.source_url:
            g.add((src, ns["dcterms"].source, URIRef(doc.source_url)))
        if doc.publisher:
            g.add((src, ns["dcterms"].publisher, Literal(doc.publisher)))
        if doc.path:
            g.add((src, ns["dcterms"].identifier, Literal(Path(doc.path).name)))
        subjects: dict[int, URIRef] = {}
        for f in doc.facts:
            if f.relation is not None or f.indicator is None or f.indicator not in lex.iris:
                continue
            period = f.context_year if f.period == "to-date" else f.period
            if f.plan:
                s = URIRef(f"{base}target/draft-{key}-{f.start}")
                if (s, RDF.type, ns["hpkg"].Target) not in g:
                    g.add((s, RDF.type, ns["hpkg"].Target))
                    g.add((s, ns["hpkg"].targetIndicator, URIRef(lex.iris[f.indicator])))
                    if f.area_iri:
                        g.add((s, ns["hpkg"].targetArea, URIRef(f.area_iri)))
                    if period:
                        g.add((s, ns["hpkg"].targetPeriod, URIRef(f"{base}period/{period.replace('..', '-')}")))
                prop = {"lower-bound": "minValue", "upper-bound": "maxValue"}.get(f.qualifier, "targetValue")
                g.add((s, ns["hpkg"][prop], Literal(str(f.value), datatype=XSD.decimal)))
            else:
                s = URIRef(f"{base}obs/draft-{key}-{f.start}")
                subjects[f.start] = s
                g.add((s, RDF.type, ns["qb"].Observation))
                g.add((s, ns["hpkg"].indicator, URIRef(lex.iris[f.indicator])))
                if f.area_iri:
                    g.add((s, ns["sdmx-dimension"].refArea, URIRef(f.area_iri)))
                if period:
                    g.add((s, ns["sdmx-dimension"].refPeriod, URIRef(f"{base}period/{period.replace('..', '-')}")))
                g.add((s, ns["sdmx-measure"].obsValue, Literal(str(f.value), datatype=XSD.decimal)))
                g.add((s, ns["hpkg"].valueQualifier, URIRef(f"{base}concept/qualifier/{f.qualifier}")))
            if f.unit in lex.unit_iris:
                g.add((s, ns["sdmx-attribute"].unitMeasure, URIRef(lex.unit_iris[f.unit])))
            g.add((s, RDFS.comment, Literal(f"{f.quote} [{f.start}:{f.end}]", lang=doc.language)))
            g.add((s, ns["prov"].wasDerivedFrom, src))
        for f in doc.facts:
            rel = f.relation
            target = subjects.get(rel["of"]) if rel is not None and rel["of"] is not None else None
            if rel is None or target is None:
                continue
            if rel["kind"] == "percent-of-plan" and f.unit == "percent":
                g.add((target, ns["hpkg"].percentOfTarget, Literal(str(f.value), datatype=XSD.decimal)))
            elif rel["kind"] == "change-on-previous-period" and f.unit == "percent":
                g.add((target, ns["hpkg"].changeOnPreviousPeriod, Literal(str(f.value), datatype=XSD.decimal)))
    header = "# Draft observations from hpkg ingest: review them (hpkg ingest --format tsv) before they enter data/.\n"
    return header + g.serialize(format="turtle")


class IngestGroup(click.Group):
    """``hpkg ingest FILE…`` extracts; ``hpkg ingest accept SHEET`` accepts. A first argument that is not a
    subcommand is a file (``hpkg ingest ./accept`` reaches a file named ``accept``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # a subcommand must come first; anything else (files, the extraction's options) is the extraction's
        if args and (args[0] in self.commands or args[0] in ("--help", "-h")):
            return super().parse_args(ctx, args)
        return super().parse_args(ctx, ["extract", *args])


@main.group(cls=IngestGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def ingest(ctx: click.Context) -> None:
    """Turn a report into reviewed, evidenced facts.

    \b
    hpkg ingest FILE…            find every figure and write the candidates (json, a tsv review sheet, turtle)
    hpkg ingest accept SHEET     write the rows marked accept into the project's data/ (with their evidence)

    The extraction's options: hpkg ingest extract --help. A file named like a subcommand is reached with a
    path: hpkg ingest ./accept"""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@ingest.command("extract", hidden=True)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--source-url", default=None, metavar="URL", help="Where the report was published.")
@click.option("--title", default=None, help="The report's title (default: its first line when that is a headline).")
@click.option("--published", default=None, metavar="YYYY-MM-DD", callback=_published,
              help="The report's publication date.")
@click.option("--publisher", default=None, help="Who published the report.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="The report's language (default: detected from its letters).")
@click.option("--format", "fmt", type=click.Choice(["json", "tsv", "turtle"]), default=None,
              help="json: the candidates (default); tsv: a review sheet; turtle: draft observations.")
@click.option("-o", "--output", "out", default=None, metavar="OUT", type=click.Path(dir_okay=False),
              help="Write to OUT (atomically) instead of standard output.")
@pass_ctx
def extract_command(ctx: Context, files: tuple[str, ...], source_url: str | None, title: str | None, published: str | None,
           publisher: str | None, lang: str | None, fmt: str | None, out: str | None) -> None:
    """Find every figure in the reports FILE… (plain text or Markdown) and write the candidate facts: value and
    unit in base units, indicator, period, area, qualifier, relation and whether the graph already knows it.

    Exit 2 for an empty or binary file; a text without figures gives an empty list of facts (exit 0)."""
    from hpkg.ingest.extract import extract

    texts = [(path, *read_report(path)) for path in files]
    store = _graph(ctx)
    docs: list[Document] = []
    for path, text, data in texts:
        doc = extract(text, graph_store=store, lang=lang, path=path, title=title, published=published,
                      source_url=source_url, publisher=publisher, data=data)
        docs.append(doc)
        if not doc.facts:
            click.echo(f"{path}: no figures found", err=True)
        else:
            known = sum(f.status == "known" for f in doc.facts)
            conflicts = sum(f.status == "conflict" for f in doc.facts)
            click.echo(f"{path}: {len(doc.facts)} figures ({known} known to the graph, {conflicts} in conflict)",
                       err=True)
    fmt = fmt or "json"  # the issue wants json on a pipe; a terminal gets it too until a table view exists
    if fmt == "json":
        payload = docs[0].to_json() if len(docs) == 1 else [d.to_json() for d in docs]
        result = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "tsv":
        result = to_tsv(docs)
    else:
        result = to_turtle(docs, store)
    if out:
        from hpkg.fileio import write_atomic

        write_atomic(out, result.encode("utf-8"))
        click.echo(f"wrote {out}", err=True)
    else:
        sys.stdout.write(result)
        sys.stdout.flush()


def _graph(ctx: Context) -> Store:
    """The graph the candidates are compared with: the given store, else the project's built store (what
    ``hpkg query`` answers from), else — nothing built yet, or ``--memory`` — the project's graph built in memory.

    Reading the built store costs milliseconds; building the graph in memory parses every data file (seconds
    with the FIA reports), so a store is used whenever there is one, as every other read-only command does."""
    if ctx.store_spec or ctx.memory or ctx.project.store_path.exists():
        return ctx.open(read_only=True)
    return dataclasses.replace(ctx, memory=True).open()  # nothing built yet: as --memory would


@ingest.command("accept")
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option("--title", default=None, help="The report's title (default: the sheet's, else its headline).")
@click.option("--published", default=None, metavar="YYYY-MM-DD", callback=_published,
              help="The report's publication date (default: the sheet's).")
@click.option("--publisher", default=None,
              help="Who published the report: an organisation of the graph (by name), an IRI, or a name.")
@click.option("--source-url", default=None, metavar="URL", help="Where the report was published.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help="The report's language.")
@pass_ctx
def accept(ctx: Context, sheet: str, title: str | None, published: str | None, publisher: str | None,
           source_url: str | None, lang: str | None) -> None:
    """Write the rows of the review SHEET marked accept into the project's data/: the report as a source
    document (its text under sources/), per figure a Data Cube observation (or target) with its evidence quote
    and W3C Web Annotation selectors. Checked against the shapes before anything is written.

    Exit 2, naming the row, for a value that does not parse or an unknown indicator; nothing is written then."""
    from hpkg.fileio import write_atomic
    from hpkg.ingest.accept import NothingAccepted, SheetMetadata, accept_sheet

    meta = SheetMetadata(title=title, published=published, publisher=publisher, source_url=source_url, lang=lang)
    try:
        done = accept_sheet(sheet, ctx.project, meta)
    except NothingAccepted as e:
        click.echo(f"hpkg: {e}", err=True)
        return
    for a in done:
        write_atomic(a.text_path, a.text)
        write_atomic(a.data_path, a.turtle)
        root = ctx.project.root
        for old in a.replaces:  # an earlier accept of the same text under another name
            if old not in (a.text_path, a.data_path):
                old.unlink(missing_ok=True)
        rel = a.data_path.relative_to(root) if root else a.data_path
        if a.replaces:
            names = ", ".join(str(p.relative_to(root)) if root else str(p) for p in a.replaces)
            click.echo(f"{a.document}: accepted before (same sha256): this accept replaces {names}", err=True)
        extra = "".join(f", {n} {what}" for n, what in ((a.activities, "activities"), (len(a.zones), "new zones"),
                                                         (len(a.organisations), "new organisations"),
                                                         (len(a.projects), "new projects")) if n)
        click.echo(f"{a.document}: {a.observations} observations, {a.targets} targets{extra} -> {rel} "
                   f"(text: sources/{a.text_path.name}; {a.rejected} rejected, {a.undecided} undecided rows)",
                   err=True)
