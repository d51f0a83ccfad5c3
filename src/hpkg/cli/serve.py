"""``hpkg serve``: the graph as Linked Data over HTTP (SPARQL endpoint, IRIs, query page)."""

from __future__ import annotations

from pathlib import Path

import click

from hpkg.cli.base import Context, main

pass_ctx = click.make_pass_decorator(Context)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--store", "store_spec", default=None, metavar="PATH",
              help="The store to serve (default: the global --store, HPKG_STORE or .hpkg/store).")
@click.option("--base", envvar="HPKG_BASE", default=None, metavar="IRI",
              help="Base of the entity IRIs served under /id/ (env HPKG_BASE; default https://w3id.org/hpkg/id/).")
@click.option("--timeout", "query_timeout", envvar="HPKG_QUERY_TIMEOUT", type=float, default=30.0, show_default=True,
              help="Query time limit in seconds (env HPKG_QUERY_TIMEOUT); over it: 503.")
@click.option("--max-results", envvar="HPKG_MAX_RESULTS", type=int, default=10_000, show_default=True,
              help="Most rows or triples one answer may hold (env HPKG_MAX_RESULTS); over it: 422.")
@click.option("--max-body", envvar="HPKG_MAX_BODY", type=int, default=10 * 1024 * 1024, show_default=True,
              help="Largest request body in bytes (env HPKG_MAX_BODY); over it: 413.")
@click.option("--workers", envvar="HPKG_QUERY_WORKERS", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Queries that may run at once (env HPKG_QUERY_WORKERS): worker processes on a read-only "
                   "store, threads when updates are on.")
@click.option("--access-log", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append the JSON-lines access log to this file (default: stderr).")
@pass_ctx
def serve(ctx: Context, host: str, port: int, store_spec: str | None, base: str | None, query_timeout: float,
          max_results: int, max_body: int, workers: int, access_log: Path | None) -> None:
    """Serve the store: SPARQL 1.1 endpoint, dereferenceable IRIs, query page.

    Read-only unless the environment variable HPKG_UPDATE_TOKEN is set when the server starts;
    then /sparql/update and /rdf-graphs accept writes with 'Authorization: Bearer <token>', each
    validated with the SHACL shapes before it lands.
    """
    from hpkg.cli.base import require_extra

    require_extra("serve", "server")
    import uvicorn

    from hpkg.iri import base_iri
    from hpkg.server import ServerSettings, create_app

    if store_spec:
        ctx = Context(store_spec=store_spec, memory=False, project_dir=ctx.project_dir)
    token = ServerSettings.token_from_env()
    settings = ServerSettings(
        base=(base if base.endswith(("/", "#")) else base + "/") if base else base_iri(),
        update_token=token,
        query_timeout=query_timeout,
        max_results=max_results,
        max_body=max_body,
        workers=workers,
        access_log=access_log,
        project=ctx.project,
    )
    store = ctx.open(read_only=token is None)
    try:
        app = create_app(store, settings)
        mode = "updates ON (token required)" if token else "read-only"
        click.echo(f"hpkg serve: {store.description}, base {settings.base}, {mode}", err=True)
        click.echo(f"hpkg serve: http://{host}:{port}/  (SPARQL endpoint http://{host}:{port}/sparql)", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
    finally:
        store.close()
