"""``khabar events``: list stored events with filters (thin over ``khabar.events.listing``)."""
from __future__ import annotations

import json

import click


@click.command("events")
@click.option("--db", help="Store: a SQLite path (default ./khabar.db) or memory:.")
@click.option("--actor", help="Source or target name, entity id or CAMEO actor code contains this.")
@click.option("--code", help="CAMEO event code prefix (04 = every consult code, 042 = visits).")
@click.option("--root", help="Two-digit CAMEO root (e.g. 19).")
@click.option("--since", help="Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Events on or before this date.")
@click.option("--place", help="Event place name, entity id or code contains this.")
@click.option("--factuality", type=click.Choice(["asserted", "reported", "alleged", "denied", "hypothetical",
                                                 "intended"]), help="Only events with this factuality.")
@click.option("--limit", type=int, default=None, help="Stop after N events.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per event.")
@click.pass_context
def events(ctx: click.Context, db: str | None, actor: str | None, code: str | None, root: str | None,
           since: str | None, until: str | None, place: str | None, factuality: str | None,
           limit: int | None, as_json: bool) -> None:
    """List coded events from the store, newest articles last.

    Example: khabar events --code 04 --actor RUS --since 2024-11
    """
    from ..errors import KhabarError
    from ..settings import load_settings
    from ..store import open_store
    from .listing import EventFilter, one_line

    settings = (ctx.obj or {}).get("settings") or load_settings(None)
    try:
        flt = EventFilter(actor, code, root, since, until, place, factuality).check()
        with open_store(db or settings.db) as store:
            for ev in store.events(flt, limit=limit if limit is not None else 10**9):
                click.echo(json.dumps(ev, ensure_ascii=False) if as_json else one_line(ev))
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err


commands: list[click.Command] = [events]
