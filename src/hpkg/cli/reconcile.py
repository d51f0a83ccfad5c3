"""``hpkg search TEXT``: the accent-insensitive, prefix-aware name search of ``/search`` on the command line."""

from __future__ import annotations

import json

import click

from hpkg.cli.base import Context, main
from hpkg.reconcile.index import TYPES

pass_ctx = click.make_pass_decorator(Context)


@main.command()
@click.argument("text")
@click.option("--type", "type_id", type=click.Choice(list(TYPES)), default=None,
              help="Only entities of this type.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="The most hits to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_ctx
def search(ctx: Context, text: str, type_id: str | None, limit: int, fmt: str) -> None:
    """Find provinces (63- and 34-province lists), countries, zones, organisations, indicators and sectors by
    name, with or without diacritics ("hai d" finds Hải Dương, "Han Quoc" South Korea)."""
    from hpkg.iri import base_iri
    from hpkg.reconcile.index import build_index
    from hpkg.reconcile.match import Matcher
    from hpkg.reconcile.match import search as run_search

    store = ctx.open(read_only=True)
    try:
        matcher = Matcher(build_index(store, base_iri()))
    finally:
        store.close()
    hits = run_search(matcher, text, types=[type_id] if type_id else [], limit=limit)
    if fmt == "json":
        click.echo(json.dumps([{"id": s.entity.id, "name": s.entity.name, "score": s.score, "match": s.match,
                                "type": s.entity.types[0], "description": s.entity.description} for s in hits],
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"nothing found for {text!r}", err=True)
        return
    width = max(len(s.entity.name) for s in hits)
    for s in hits:
        click.echo(f"{s.score:6.1f}  {s.entity.name:<{width}}  {s.entity.types[0]:<12}  {s.entity.id}")
