"""The command group every command hangs on: ``main``, its global options (:class:`Context`), the error
handling (:class:`HpkgGroup`), ``hpkg init`` and the check for optional extras. The command modules import
it from here and register their commands on ``main``; :class:`HpkgGroup` imports a command's module when the
command is asked for, so nothing imports :mod:`hpkg.cli` back.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from hpkg import __version__
from hpkg.errors import HpkgError
from hpkg.project import Project, open_project
from hpkg.store import Store, open_store

#: The optional extras and the modules each brings (``pip install 'hpkg[NAME]'``).
EXTRAS: dict[str, tuple[str, ...]] = {"server": ("starlette", "uvicorn", "jinja2", "jsonschema")}


def require_extra(command: str, extra: str) -> None:
    """Stop with exit 2 and the pip command when ``extra``'s modules are not installed."""
    missing = [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        raise HpkgError(f"hpkg {command} needs the {extra} extra: pip install 'hpkg[{extra}]' "
                        f"(missing: {', '.join(missing)})")


@dataclass
class Context:
    """Global options shared by every command; the project is found on first use."""

    store_spec: str | None
    memory: bool
    update_url: str | None = None
    gsp_url: str | None = None
    project_dir: str | None = None
    _project: Project | None = field(default=None, repr=False)

    @property
    def project(self) -> Project:
        """The project (``--project``, ``HPKG_HOME`` or found upwards); says once when there is none."""
        if self._project is None:
            self._project = open_project(self.project_dir)
            if self._project.root is None:
                click.echo(f"hpkg: {self._project.describe()}", err=True)
        return self._project

    def open(self, *, read_only: bool = False, populate: bool = True) -> Store:
        """Open the store; an in-memory store is first filled from the project's graph (unvalidated)."""
        default = None if self.memory or self.store_spec else self.project.store_path
        store = open_store(self.store_spec, default=default, memory=self.memory,
                           read_only=read_only and not self.memory, update_url=self.update_url, gsp_url=self.gsp_url)
        if self.memory and populate:
            from hpkg.build import build

            build(store, project=self.project, validate=False)
        return store


#: The module of :mod:`hpkg.cli` that defines each command. A command's module is imported when the command is
#: run (or listed, for ``--help``), so that ``hpkg ingest`` does not pay for the SHACL engine's or the
#: server's imports (all the modules together cost about 0.3 s of every start-up). A test checks this table
#: against the commands the modules register.
COMMAND_MODULES: dict[str, str] = {
    "build": "core", "diagram": "core", "export": "core", "queries": "core", "query": "core", "reason": "core",
    "stats": "core", "validate": "core", "catalog": "opendata", "import": "opendata", "link": "opendata",
    "generate": "scale", "load": "scale", "ingest": "ingest", "search": "reconcile", "serve": "serve",
    "update": "update",
}


class HpkgGroup(click.Group):
    """Turns library errors into a clear message and exit code 2, never a traceback; loads the commands'
    modules when they are asked for (:data:`COMMAND_MODULES`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"hpkg.cli.{COMMAND_MODULES[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        """An unknown command name is an error that lists the known ones (exit 2, as click's usage errors)."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            raise click.UsageError(f"no command {args[0]!r}; the commands are: "
                                   f"{', '.join(self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HpkgError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)


@click.group(cls=HpkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hpkg")
# No click envvar: open_project() reads HPKG_HOME itself, so that an error names where the folder came from.
@click.option("--project", "project_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False, path_type=str),
              help="The project folder (holding hpkg.toml; env HPKG_HOME). Default: the nearest hpkg.toml at or "
                   "above the current folder; none: the graph shipped with hpkg alone.")
@click.option(
    "--store",
    "store_spec",
    envvar="HPKG_STORE",
    default=None,
    metavar="PATH|URL",
    help="The store: a folder (default .hpkg/store in the project) or a SPARQL 1.1 endpoint "
    "sparql+http(s)://host:port/query (env HPKG_STORE; credentials from HPKG_SPARQL_* env vars only).",
)
@click.option("--memory", is_flag=True, help="Use an in-memory graph built from the project's graph.")
@click.option("--update-url", envvar="HPKG_UPDATE_URL", default=None, metavar="URL",
              help="SPARQL Update URL of a remote store (default: the query URL ending in /update).")
@click.option("--gsp-url", envvar="HPKG_GSP_URL", default=None, metavar="URL",
              help="Graph Store Protocol URL of a remote store (default: the query URL ending in /store).")
@click.pass_context
def main(ctx: click.Context, project_dir: str | None, store_spec: str | None, memory: bool, update_url: str | None,
         gsp_url: str | None) -> None:
    """hpkg — the Hai Phong economic-zone knowledge graph."""
    ctx.obj = Context(store_spec=store_spec, memory=memory, update_url=update_url, gsp_url=gsp_url,
                      project_dir=project_dir)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The project's name (default: the folder's name).")
def init(folder: Path, name: str | None) -> None:
    """Create a project in FOLDER: hpkg.toml, data/, shapes/, queries/ and a README that extend the shipped graph."""
    from hpkg.project import init_project

    for path in init_project(folder, name=name):
        click.echo(f"created {path}")

