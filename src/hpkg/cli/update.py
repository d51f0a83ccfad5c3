"""``hpkg update``: a guarded SPARQL Update from the command line (validated on its effect, then committed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hpkg.cli.base import Context, main
from hpkg.errors import HpkgError
from hpkg.shacl import ENGINES, ValidationReport

pass_ctx = click.make_pass_decorator(Context)


def _read_update(update: str) -> str:
    """The update text: ``-`` is stdin, a name ending in .ru/.rq/.sparql or an existing file is read, else the text."""
    if update == "-":
        return sys.stdin.read()
    if any(c.isspace() for c in update) or "{" in update:
        return update
    path = Path(update)
    try:
        if path.suffix in (".ru", ".rq", ".sparql") or path.is_file():
            return path.read_text(encoding="utf-8")
    except OSError as e:
        raise HpkgError(f"cannot read the update file {update}: {e}") from None
    return update


def _report_json(report: ValidationReport) -> list[dict[str, object]]:
    return [dict(r) for r in report.as_json()["results"]]


@main.command()
@click.argument("update", metavar="'UPDATE…' | FILE.ru | -")
@click.option("--dry-run", is_flag=True, help="Validate and print the report and the quad counts; change nothing.")
@click.option("--engine", type=click.Choice(ENGINES), default="fast", show_default=True,
              help="fast: the compiled shapes on what the update affects; pyshacl: the reference, on everything.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the report.")
@click.option("--base", "base", default=None, metavar="IRI", help="Base IRI for relative IRIs (default: HPKG_BASE).")
@pass_ctx
def update(ctx: Context, update: str, dry_run: bool, engine: str, fmt: str, base: str | None) -> None:
    """Apply a SPARQL Update to the store only if the graph it leaves conforms to the shapes.

    Exit 0: applied (or, with --dry-run, it would be); 1: it would violate the shapes (the report is printed,
    the store is unchanged); 2: it does not parse (line and column given) or another error, store unchanged.
    """
    from hpkg.iri import base_iri
    from hpkg.update import UpdateRejected, apply_update, check_update

    text = _read_update(update)
    project = ctx.project
    store = ctx.open()
    try:
        kwargs = {"base_iri": base or base_iri(), "project": project, "engine": engine}
        try:
            if dry_run:
                outcome = check_update(store, text, **kwargs)  # type: ignore[arg-type]
            else:
                outcome = apply_update(store, text, **kwargs)  # type: ignore[arg-type]
            report, rejected = outcome.report, outcome.report.blocking
            inserted: int | None = outcome.inserted
            deleted: int | None = outcome.deleted
        except UpdateRejected as e:
            report, rejected = e.report, True
            inserted = e.outcome.inserted if e.outcome is not None else None
            deleted = e.outcome.deleted if e.outcome is not None else None
    finally:
        store.close()
    applied = not dry_run and not rejected
    if fmt == "json":
        click.echo(json.dumps({"applied": applied, "dry_run": dry_run, "conforms": report.conforms,
                               "inserted": inserted, "deleted": deleted, "results": _report_json(report)},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(report.text)
        if inserted is not None:
            verb = "would insert" if dry_run or rejected else "inserted"
            click.echo(f"{verb} {inserted} quad(s), {'would delete' if dry_run or rejected else 'deleted'} "
                       f"{deleted} quad(s)")
        if rejected:
            click.echo("rejected: the update would violate the shapes; the store is unchanged", err=True)
        elif dry_run:
            click.echo("dry run: nothing was changed")
    if rejected:
        sys.exit(1)
