"""Commands for national-size graphs: generate (synthetic data) and load (bulk, one transaction per file)."""

from __future__ import annotations

import json

import click

from hpkg.cli.base import Context, main

pass_ctx = click.make_pass_decorator(Context)


@main.command()
@click.option("--provinces", default=34, show_default=True, type=int, help="Provinces (each with an authority).")
@click.option("--zones", default=400, show_default=True, type=int, help="Economic zones and industrial parks.")
@click.option("--projects", default=40000, show_default=True, type=int, help="Investment projects.")
@click.option("--years", default=20, show_default=True, type=int, help="Years of observations (from 2005).")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed: the same seed gives the same file.")
@click.option("--violations", default=0, show_default=True, type=int,
              help="Inject N SHACL violations of each kind (listed in OUTPUT.violations.json).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="N-Triples file to write (*.nt, or *.nt.gz for gzip).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def generate(provinces: int, zones: int, projects: int, years: int, seed: int, violations: int, output: str,
             as_json: bool) -> None:
    """Write a synthetic national-size graph (IRIs under https://w3id.org/hpkg/synthetic/)."""
    from hpkg.generate import generate as run
    from hpkg.generate import report_dict

    report = run(output, provinces=provinces, zones=zones, projects=projects, years=years, seed=seed,
                 violations=violations)
    if as_json:
        click.echo(json.dumps(report_dict(report), indent=2))
        return
    click.echo(f"wrote {report.triples} triples to {report.path}")
    if report.manifest:
        n = sum(len(v) for v in report.violations.values())
        click.echo(f"injected {n} violations ({', '.join(report.violations)}), listed in {report.manifest}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", default=None, metavar="IRI",
              help="Named graph for triple files (default: {base}graph/load/<file name>). Quad files keep theirs.")
@click.option("--replace", is_flag=True, help="Empty the target graph first (in the same transaction).")
@click.option("--no-optimize", is_flag=True, help="Do not compact the store after loading.")
@click.option("--validate", is_flag=True,
              help="Load only if the files and what the store holds conform to the shapes (exit 1 with the report).")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="With --validate: fast (incremental, compiled shapes) or pyshacl (the reference, everything).")
@pass_ctx
def load(ctx: Context, files: tuple[str, ...], graph: str | None, replace: bool, no_optimize: bool, validate: bool,
         engine: str) -> None:
    """Bulk-load RDF FILES (nt, nq, ttl, trig, … and .gz) into the store, one transaction per file."""
    from hpkg.store.bulk import load_files

    store = ctx.open(populate=False)
    try:
        if validate:
            from hpkg.validated_load import LoadRejected, load_validated

            try:
                outcome = load_validated(store, list(files), graph=graph, replace=replace, optimize=not no_optimize,
                                         project=ctx.project, engine=engine)
            except LoadRejected as e:
                click.echo(e.report.text)
                click.echo("rejected: the files would violate the shapes; nothing was loaded", err=True)
                raise SystemExit(1) from None
            assert outcome.load is not None
            report = outcome.load
            click.echo(outcome.report.text)
        else:
            report = load_files(store, list(files), graph=graph, replace=replace, optimize=not no_optimize)
    finally:
        store.close()
    for path, g, n in report.files:
        click.echo(f"loaded {path}: {n} quads" + (f" into <{g}>" if g else ""))
    rate = report.quads / report.seconds if report.seconds else 0
    click.echo(f"{report.quads} quads in {report.seconds:.1f} s ({rate:,.0f} quads/s) into {store.description}")
