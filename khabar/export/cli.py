"""``khabar export-as``: GDELT, GKG, PLOVER, Parquet and CoNLL-U exports (library: khabar.export)."""
from __future__ import annotations

import sys

import click

FORMAT_NAMES = ("gdelt-events", "gdelt-mentions", "gkg", "plover", "parquet", "conllu")


@click.command(name="export-as")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMAT_NAMES))
@click.option("--db", help="Store to read (default ./khabar.db).")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False, exists=True),
              help="Read a Parquet output (khabar spark --out) instead of a store.")
@click.option("-o", "--output", help="File to write (a folder for parquet; default stdout).")
@click.pass_context
def export_as(ctx: click.Context, fmt: str, db: str | None, parquet_dir: str | None, output: str | None) -> None:
    """Export articles as GDELT 2.0 Events/Mentions, GKG 2.1, PLOVER JSON, Parquet or CoNLL-U.

    Example: khabar export-as gdelt-events --parquet news.parquet -o events.tsv
    """
    from . import export

    if fmt == "parquet" and not output:
        raise click.UsageError("parquet writes a folder: give -o DIR")
    if parquet_dir:
        n = export(parquet_dir, fmt, output or sys.stdout)
    else:
        from ..store import open_store

        settings = ctx.obj["settings"] if ctx.obj else None
        with open_store(db or (settings.db if settings else "khabar.db")) as store:
            n = export(store, fmt, output or sys.stdout)
    if output:
        click.echo(f"{n} records written to {output}", err=True)


commands: list[click.Command] = [export_as]
