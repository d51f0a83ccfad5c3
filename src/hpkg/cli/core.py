"""Core commands: build, validate, query, queries, export, reason, stats."""

from __future__ import annotations

import sys

import click

from hpkg.cli.base import Context, main
from hpkg.formats import EXPORT_FORMATS, RDF_FORMATS
from hpkg.query import TABLE_FORMATS

pass_ctx = click.make_pass_decorator(Context)


def _write(data: bytes, out: str | None) -> None:
    if out:
        from hpkg.fileio import write_atomic

        write_atomic(out, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@main.command()
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
@click.option("--dist", default=None, help="Folder for the exports, every format (default: dist/ in the project).")
@click.option("--no-export", is_flag=True, help="Do not write exports.")
@pass_ctx
def build(ctx: Context, no_validate: bool, dist: str | None, no_export: bool) -> None:
    """Ontology + shipped data + the project's data/ -> store, SHACL-validated, exports written to dist/."""
    from hpkg.build import BuildError
    from hpkg.build import build as run_build

    store = ctx.open(populate=False)
    try:
        exports = None if no_export else (dist or ctx.project.exports_dir)
        report = run_build(store, project=ctx.project, validate=not no_validate, exports_dir=exports)
    except BuildError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    finally:
        store.close()
    for path, n in report.files:
        click.echo(f"loaded {path} ({n} triples)")
    for g, n in report.graphs.items():
        click.echo(f"graph <{g}>: {n} triples")
    if report.validation is not None:
        click.echo(f"SHACL: {report.validation.text}")
    for fmt, path in report.exports.items():
        click.echo(f"wrote {path} ({fmt})")
    click.echo(f"built {report.triples} triples into {store.description}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--with-data", is_flag=True, help="Validate the files together with the ontology and the project's data.")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True,
              help="Report format: text, the SHACL report graph as Turtle, or JSON.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: shapes compiled to SPARQL run in the store; pyshacl: the reference (same results).")
@pass_ctx
def validate(ctx: Context, files: tuple[str, ...], with_data: bool, fmt: str, engine: str) -> None:
    """Validate RDF FILES (or, with none, the store) against the shapes; exit 1 on violations."""
    from hpkg.shacl import validate as run_validate

    if files:
        report = run_validate(list(files), project=ctx.project, with_data=with_data, engine=engine)
    else:
        store = ctx.open(read_only=True)
        try:
            report = run_validate(store, project=ctx.project, engine=engine)
        finally:
            store.close()
    if fmt == "turtle":
        click.echo(report.report_graph.serialize(format="turtle"))
    elif fmt == "json":
        import json

        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.text)
    sys.exit(1 if report.blocking else 0)  # warnings (sh:Warning, sh:Info) are reported, exit 0


@main.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for a query parameter (?_NAME required, ?__NAME optional; hpkg queries lists them). "
                   "Repeat for several.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS + tuple(sorted(RDF_FORMATS))), default="table",
              show_default=True, help="Result format (RDF formats for CONSTRUCT/DESCRIBE).")
@click.option("-o", "--output", default=None, help="Write to this file (atomically) instead of stdout.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after SECONDS (it runs in a worker process that is killed); exit 2.")
@pass_ctx
def query(ctx: Context, query: str, params: tuple[str, ...], fmt: str, output: str | None,
          timeout: float | None) -> None:
    """Run QUERY: a named query (hpkg queries lists them), a .rq file, or SPARQL text."""
    from hpkg.params import parse_assignments
    from hpkg.query import format_result, resolve, run_with_timeout

    values = parse_assignments(params)
    if timeout is not None:
        store_spec = ctx.store_spec or (None if ctx.memory else str(ctx.project.store_path))
        _write(run_with_timeout(query, timeout=timeout, fmt=fmt, store_spec=store_spec, memory=ctx.memory,
                                project=ctx.project, params=values), output)
        return
    sparql = resolve(query, ctx.project, values)  # parameters checked before the store is opened
    store = ctx.open(read_only=True)
    try:
        _write(format_result(store.query(sparql), fmt), output)
    finally:
        store.close()


@main.command()
@click.option("--lang", type=click.Choice(["both", "vi", "en"]), default="both", show_default=True)
@pass_ctx
def queries(ctx: Context, lang: str) -> None:
    """List the named queries (shipped and the project's) with the question each answers (vi + en) and their
    parameters."""
    from hpkg.params import ParameterError, describe_all
    from hpkg.query import named_queries

    for name, q in named_queries(ctx.project).items():
        origin = {"shipped": "", "project": "  [project]"}[q.origin]
        click.echo(name + ("  [project, overrides the shipped query]" if q.overrides else origin))
        if lang in ("both", "vi"):
            click.echo(f"  vi: {q.question_vi}")
        if lang in ("both", "en"):
            click.echo(f"  en: {q.question_en}")
        try:
            if q.parameters:
                click.echo(f"  parameters: {describe_all(q.parameters)}")
        except ParameterError as e:
            click.echo(f"  parameters: error: {e}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)), default="turtle", show_default=True,
              help=f"One of {', '.join(EXPORT_FORMATS)} (and aliases).")
@click.option("-o", "--output", default=None, help="Write to this file (atomically) instead of stdout.")
@click.option("--graph", default=None, help="Export only this named graph.")
@pass_ctx
def export(ctx: Context, fmt: str, output: str | None, graph: str | None) -> None:
    """Export the graph as turtle (default), nt, nq, trig, jsonld or xml."""
    from hpkg.export import export as run_export

    store = ctx.open(read_only=True)
    try:
        data = run_export(store, fmt, graph=graph)
    finally:
        store.close()
    _write(data, output)


@main.command()
@pass_ctx
def reason(ctx: Context) -> None:
    """owlready2 + HermiT: consistency, unsatisfiable classes and inferred types; exit 1 if inconsistent."""
    from hpkg.reason import reason as run_reason

    store = ctx.open(read_only=True)
    try:
        report = run_reason(store)
    finally:
        store.close()
    click.echo(report.text)
    sys.exit(0 if report.consistent and not report.unsatisfiable else 1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def stats(ctx: Context, as_json: bool) -> None:
    """Triples, classes, instances per class, named graphs."""
    from hpkg.stats import stats as run_stats

    store = ctx.open(read_only=True)
    try:
        s = run_stats(store)
    finally:
        store.close()
    if as_json:
        import json

        click.echo(json.dumps(s.__dict__, indent=2))
    else:
        click.echo(s.text)


@main.command()
@click.option("--no-render", is_flag=True, help="Only write docs/model.dot (no Graphviz needed).")
@pass_ctx
def diagram(ctx: Context, no_render: bool) -> None:
    """Regenerate the data-model diagram (docs/model.dot and docs/model.svg) from the ontology."""
    from hpkg.diagram import write_diagram

    for kind, path in write_diagram(ctx.project, render=not no_render).items():
        click.echo(f"wrote {path} ({kind})")
