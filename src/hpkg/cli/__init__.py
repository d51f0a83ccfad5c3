"""The ``hpkg`` command line: a thin layer over the library (one module per group of commands).

Exit codes: 0 success; 1 the data does not conform / is inconsistent; 2 an error (bad input,
unknown name, failed load), with a message on stderr.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from hpkg import __version__
from hpkg.errors import HpkgError
from hpkg.store import Store, default_store_path, open_store


@dataclass
class Context:
    """Global options shared by every command."""

    store_spec: str | None
    memory: bool
    update_url: str | None = None
    gsp_url: str | None = None

    def open(self, *, read_only: bool = False, populate: bool = True) -> Store:
        """Open the store; an in-memory store is first filled from ontology/ and data/ (unvalidated)."""
        store = open_store(self.store_spec, memory=self.memory, read_only=read_only and not self.memory,
                           update_url=self.update_url, gsp_url=self.gsp_url)
        if self.memory and populate:
            from hpkg.build import build

            build(store, validate=False, exports_dir=None)
        return store


class HpkgGroup(click.Group):
    """Turns library errors into a clear message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HpkgError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)


@click.group(cls=HpkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hpkg")
@click.option(
    "--store",
    "store_spec",
    envvar="HPKG_STORE",
    default=None,
    metavar="PATH|URL",
    help=f"The store: a folder (default {default_store_path()}) or a SPARQL 1.1 endpoint "
    "sparql+http(s)://host:port/query (env HPKG_STORE; credentials from HPKG_SPARQL_* env vars only).",
)
@click.option("--memory", is_flag=True, help="Use an in-memory graph built from ontology/ and data/.")
@click.option("--update-url", envvar="HPKG_UPDATE_URL", default=None, metavar="URL",
              help="SPARQL Update URL of a remote store (default: the query URL ending in /update).")
@click.option("--gsp-url", envvar="HPKG_GSP_URL", default=None, metavar="URL",
              help="Graph Store Protocol URL of a remote store (default: the query URL ending in /store).")
@click.pass_context
def main(ctx: click.Context, store_spec: str | None, memory: bool, update_url: str | None,
         gsp_url: str | None) -> None:
    """hpkg — the Hai Phong economic-zone knowledge graph."""
    ctx.obj = Context(store_spec=store_spec, memory=memory, update_url=update_url, gsp_url=gsp_url)


# Command modules register themselves on ``main`` when imported.
from hpkg.cli import core, opendata, scale, serve  # noqa: E402,F401
