"""``khabar entity NAME-or-ID``: one identity, its names, dated roles and mentions in the store."""
from __future__ import annotations

import json
from typing import Any

import click


def mentions(store: Any, entity_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every stored mention of ``entity_id`` (article id, text, role, published) and the names
    the articles used for it."""
    found: list[dict[str, Any]] = []
    names: list[str] = []
    for doc in store.iter_docs():
        for e in doc.get("entities", []):
            if e.get("entity_id") == entity_id:
                found.append({"article": doc.get("id"), "published": doc.get("published"), "text": e.get("text"),
                              "type": e.get("type"), "role": e.get("role")})
                if e.get("text") and e["text"] not in names:
                    names.append(e["text"])
    return found, names


def describe(query: str, store: Any | None) -> dict[str, Any]:
    """The identity ``query`` names (a KB id, a local id or a name in any script) as a dict."""
    from ..errors import KhabarError
    from .actors import load_actors

    kb = load_actors()
    actor = kb.get(query)
    if actor is None and not query.startswith("local:"):
        ranked = kb.find(query, limit=2)
        actor = ranked[0][0] if ranked and ranked[0][1] >= 0.9 else None
    ident = actor.id if actor else query
    out: dict[str, Any] = {"id": ident}
    if actor is not None:
        out.update({"kind": actor.kind, "name": actor.name, "country": actor.country, "names": actor.names,
                    "roles": list(actor.roles), "cameo_now": kb.cameo_on(actor, None)})
    elif not query.startswith("local:") and ":" not in query:
        raise KhabarError(f"no identity called {query!r} in the knowledge base")
    if store is not None:
        seen, used = mentions(store, ident)
        out["mentions"] = seen
        out["names_seen"] = used
        stated = [m["role"] | {"article": m["article"]} for m in seen if isinstance(m.get("role"), dict)
                  and m["role"].get("source") == "article"]
        out["roles_stated"] = stated
    return out


def _text(info: dict[str, Any]) -> str:
    lines = [f"{info['id']}  {info.get('name', '')}  ({info.get('kind', 'local')}, {info.get('country') or '-'})"]
    for lang, names in sorted(info.get("names", {}).items()):
        lines.append(f"  names[{lang}]: {', '.join(names)}")
    if info.get("names_seen"):
        lines.append(f"  names seen in the store: {', '.join(info['names_seen'])}")
    for r in info.get("roles", []):
        lines.append(f"  role: {r.get('title', '')} {r.get('country', '')} {r.get('cameo', '')} "
                     f"{r.get('since', '…')} – {r.get('until', '')} [{r.get('source', '')}]")
    for r in info.get("roles_stated", []):
        lines.append(f"  role stated: {r.get('title')} {r.get('country')} on {r.get('since', '?')} (article {r['article']})")
    for m in info.get("mentions", []):
        lines.append(f"  mention: {m['article']} {m.get('published') or ''} {m['text']!r}")
    return "\n".join(lines)


@click.command(name="entity")
@click.argument("query")
@click.option("--db", help="Store path (default ./khabar.db); mentions are read from it.")
@click.option("--no-store", is_flag=True, help="Show the knowledge base entry only.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def entity(ctx: click.Context, query: str, db: str | None, no_store: bool, as_json: bool) -> None:
    """Show one identity: its names in every script, roles with dates, mentions in the store.

    QUERY is an id (person:andrei-belousov, local:person:...) or a name in any script.

    Example: khabar entity "Andrei Belousov" --db news.db
    """
    from ..store import open_store

    settings = ctx.obj["settings"] if ctx.obj else None
    store = None if no_store else open_store(db or (settings.db if settings else "khabar.db"))
    try:
        info = describe(query, store)
    finally:
        if store is not None:
            store.close()
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else _text(info))


commands: list[click.Command] = [entity]
