"""Open-data commands: link (official identifiers), import (CSVW tables), catalog (DCAT-AP 3 + VoID)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from hpkg.cli.base import Context, main

pass_ctx = click.make_pass_decorator(Context)


@main.command()
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=0.9, show_default=True,
              help="Minimum label similarity (rapidfuzz ratio / 100) for a link.")
@click.option("--out", "out_dir", default=None, metavar="DIR",
              help="Where to write links.ttl and links.sssom.tsv (default: data/links of the project).")
@click.option("--reference", "references", multiple=True, type=click.Path(dir_okay=False),
              help="An extra reference list (CSV: id,labels,kind,predicate,valid_from,valid_to,source,note).")
@click.option("--gold", default=None, type=click.Path(dir_okay=False),
              help="Labelled gold set to report precision and recall on (default: tests/data/linking/gold.csv).")
@click.option("--gold-reference", "gold_references", multiple=True, type=click.Path(dir_okay=False),
              help="Extra candidates for the gold set (default: tests/data/linking/zones.csv).")
@click.option("--no-store", is_flag=True, help="Only write the files; do not replace the store's links graph.")
@pass_ctx
def link(ctx: Context, threshold: float, out_dir: str | None, references: tuple[str, ...], gold: str | None,
         gold_references: tuple[str, ...], no_store: bool) -> None:
    """Link places, countries, currencies and zones to official identifiers (Wikidata, GeoNames, ISO,
    Vietnam's administrative-unit lists); write the linkset as RDF and SSSOM."""
    from hpkg.iri import base_iri, graph_iri
    from hpkg.opendata.link import evaluate
    from hpkg.opendata.link import link as run_link
    from hpkg.opendata.sssom import write_linkset

    project = ctx.project
    root = project.workdir
    result = run_link(project, threshold=threshold, extra_reference=references)
    written = write_linkset(result, Path(out_dir) if out_dir else project.links_dir)
    by = Counter((m.candidate.scheme, m.predicate) for m in result.mappings)
    click.echo(f"{len(result.mappings)} links from {len({m.subject.id for m in result.mappings})} entities "
               f"(threshold {threshold}):")
    for (scheme, pred), count in sorted(by.items()):
        click.echo(f"  {scheme:<11} {pred:<16} {count}")
    for mention, scheme, cands in result.ambiguous:
        click.echo(f"ambiguous, not linked: {mention.id} in {scheme}: {', '.join(c.curie for c in cands)}")
    for m in result.unmatched:
        click.echo(f"no official identifier found: {m.id} ({m.kind})")
    for kind, path in written.items():
        click.echo(f"wrote {path} ({kind})")
    if not no_store and not ctx.memory:
        store = ctx.open(populate=False)
        try:
            n = store.load(written["turtle"], graph=graph_iri("links"), replace=True, base_iri=base_iri())
        finally:
            store.close()
        click.echo(f"graph <{graph_iri('links')}>: {n} triples in {store.description}")
    gold_path = Path(gold) if gold else root / "tests" / "data" / "linking" / "gold.csv"
    if gold or gold_path.is_file():
        refs = gold_references or tuple(
            str(p) for p in [root / "tests" / "data" / "linking" / "zones.csv"] if p.is_file())
        click.echo(evaluate(gold_path, threshold=threshold, project=project, extra_reference=refs).text)


class ImportGroup(click.Group):
    """``hpkg import KIND …``; a first argument that is no kind is a CSVW table (``hpkg import T.csv --metadata M``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["csv", *args]
        return super().parse_args(ctx, args)


@main.group(name="import", cls=ImportGroup)
def import_() -> None:
    """Import statistics tables: a CSVW-described table (``hpkg import T.csv --metadata M``) or the Foreign
    Investment Agency's reports (``hpkg import fia FILE…``)."""


@import_.command(name="csv")
@click.argument("table", type=click.Path(dir_okay=False))
@click.option("--metadata", required=True, type=click.Path(dir_okay=False),
              help="The table's CSV on the Web metadata (TABLE.csv-metadata.json).")
@click.option("--strict", is_flag=True, help="Reject the whole table if any row is rejected; the store is unchanged.")
@pass_ctx
def import_csv(ctx: Context, table: str, metadata: str, strict: bool) -> None:
    """Import a statistics TABLE described with CSVW metadata as Data Cube observations.

    Every row is imported or rejected with its row number and reason. Exit 1 if some rows were rejected
    (the others were imported); 2 with --strict (nothing imported)."""
    from hpkg.opendata.csvw_import import import_table

    store = ctx.open()
    try:
        report = import_table(store, table, metadata, strict=strict)
    finally:
        store.close()
    click.echo(report.text)
    sys.exit(1 if report.rejected else 0)


@import_.command(name="fia")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", default=None, metavar="DIR",
              help="Where to write fia-KEY.ttl per report (default: data/fia of the project, the graph graph/fia).")
@click.option("--rejects", default=None, metavar="FILE",
              help="Where to write the reject report, TSV (default: DIR/rejects.tsv).")
@pass_ctx
def import_fia(ctx: Context, files: tuple[str, ...], out_dir: str | None, rejects: str | None) -> None:
    """Import the Foreign Investment Agency's quick reports (.xls/.xlsx) as Data Cube observations.

    One Turtle file per report; rows that cannot be read go to the reject report (file, sheet, row, cell,
    why); a summary per table on stderr. A file that is not an FIA report, or a table of an unknown layout:
    exit 2, nothing written. Run `hpkg build` to load the files into the store."""
    from hpkg.opendata.fia import import_reports

    out = Path(out_dir) if out_dir else ctx.project.fia_dir
    result = import_reports(files, out, rejects)
    for rep in result.reports:
        for t in rep.tables:
            click.echo(f"{rep.path.name}\t{t.sheet}\t{t.kind}: {t.rows} rows read, {t.observations} observations, "
                       f"{t.rejected} rows rejected", err=True)
        for t in rep.skipped:
            click.echo(f"{rep.path.name}\t{t.sheet}\t{t.kind}: not imported (not a province, partner or sector "
                       "table)", err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    n_obs = sum(len(r.observations) for r in result.reports)
    click.echo(f"{len(result.reports)} report(s): {n_obs} observations; {len(result.rejects)} rejected "
               f"row(s) or cell(s) in {result.rejects_path}")


@main.command()
@click.option("-o", "--output", default="dist/catalog.ttl", show_default=True, help="Where to write the catalog.")
@click.option("--format", "fmt", default="turtle", show_default=True, help="RDF format (turtle, jsonld, xml …).")
@click.option("--site", default=None, metavar="URL",
              help="Where the graph is published (default: the base IRI without 'id/').")
@click.option("--no-void", is_flag=True, help="Write the DCAT-AP catalog only, without the VoID description.")
@pass_ctx
def catalog(ctx: Context, output: str, fmt: str, site: str | None, no_void: bool) -> None:
    """Write a DCAT-AP 3 catalog of the graph (plus its VoID description) for open-data portals."""
    from hpkg.opendata.catalog import catalog_quads, write_catalog

    store = ctx.open(read_only=True)
    try:
        path = write_catalog(store, output, fmt=fmt, site=site, with_void=not no_void)
        n = len(catalog_quads(store, site=site))
    finally:
        store.close()
    click.echo(f"wrote {path}: DCAT-AP 3 catalog ({n} triples)" + ("" if no_void else " and VoID description"))
