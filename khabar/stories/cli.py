"""``khabar stories`` and ``khabar story ID``: thin commands over ``khabar.stories``.

Heavy imports happen inside the commands so that loading the CLI stays light.
"""
from __future__ import annotations

import json
from typing import Any

import click


def _store(ctx: click.Context, db: str | None) -> Any:
    from ..store import open_store

    settings = (ctx.obj or {}).get("settings")
    return open_store(db or (settings.db if settings is not None else "khabar.db"))


def _fail(err: Exception) -> click.ClickException:
    one_line = getattr(err, "one_line", None)
    return click.ClickException(one_line() if callable(one_line) else str(err))


@click.command("stories")
@click.option("--db", help="Store: a SQLite path (default from settings) or memory:.")
@click.option("--assign", is_flag=True, help="First place every stored article that has no story yet.")
@click.option("--recluster", is_flag=True,
              help="First re-run the clustering over every stored article (old story ids become aliases).")
@click.option("--limit", type=int, default=20, show_default=True, help="Show at most N stories.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per story.")
@click.pass_context
def stories_command(ctx: click.Context, db: str | None, assign: bool, recluster: bool, limit: int,
                    as_json: bool) -> None:
    """List stories, most recently updated first: members, languages, independent sources.

    Example: khabar stories --assign --limit 10
    """
    from ..errors import KhabarError
    from .cluster import assign_story
    from .recluster import recluster as run_recluster

    try:
        with _store(ctx, db) as store:
            if recluster:
                done = run_recluster(store)
                click.echo(f"reclustered {done.articles} articles: {done.before} stories before, {done.after} "
                           f"after ({done.merged} merged while placing, {done.aliased} old ids now aliases)", err=True)
            elif assign:
                placed = sum(1 for doc in store.iter_docs()
                             if store.story_of(doc["id"]) is None and assign_story(store, doc) is not None)
                click.echo(f"placed {placed} articles", err=True)
            shown = (s for s in store.iter_stories() if not s.get("merged_into"))
            for i, story in enumerate(shown):
                if i >= limit:
                    break
                click.echo(json.dumps(_summary(story), ensure_ascii=False) if as_json else _line(story))
    except KhabarError as err:
        raise _fail(err) from err


def _summary(story: dict[str, Any]) -> dict[str, Any]:
    return {"id": story["id"], "title": story.get("title"), "members": len(story.get("members", [])),
            "languages": story.get("languages", {}), "independent_sources": story.get("independent_sources", 0),
            "events": len(story.get("events", []))}


def _line(story: dict[str, Any]) -> str:
    langs = ",".join(f"{k}:{v}" for k, v in sorted(story.get("languages", {}).items()))
    title = (story.get("title") or "").replace("\n", " ")[:60]
    return (f"{story['id']}  {len(story.get('members', [])):3} reports  {langs:16}  "
            f"{story.get('independent_sources', 0)} independent  {title}")


@click.command("story")
@click.argument("story_id")
@click.option("--db", help="Store: a SQLite path (default from settings) or memory:.")
@click.option("--json", "as_json", is_flag=True, help="Print the story's JSON.")
@click.pass_context
def story_command(ctx: click.Context, story_id: str, db: str | None, as_json: bool) -> None:
    """Show one story (by id, id prefix, the id of a story merged into it, or the id of a member
    article): members by language, lineage with evidence, independent sources, merged events and
    claims.

    Example: khabar story 145f085e
    """
    from ..errors import KhabarError
    from .cluster import resolve_story

    try:
        with _store(ctx, db) as store:
            story = resolve_story(store, story_id)
            if story is None:
                sid = store.story_of(story_id)
                story = resolve_story(store, sid) if sid else None
            if story is None:
                raise click.ClickException(f"no story {story_id!r} in the store")
            claims = _claims(store, story)
    except KhabarError as err:
        raise _fail(err) from err
    if as_json:
        click.echo(json.dumps({**story, "claims": claims}, ensure_ascii=False, indent=1))
        return
    click.echo("\n".join(describe(story, claims)))


def _claims(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for m in story.get("members", []):
        doc = store.get(m["article_id"]) or {}
        out += [{"article": m["article_id"], "language": m.get("language"), "text": c.get("text"),
                 "proposition": c.get("proposition")} for c in doc.get("claims", [])]
    return out


def describe(story: dict[str, Any], claims: list[dict[str, Any]]) -> list[str]:
    """The lines ``khabar story`` prints."""
    lines = [f"story {story['id']}: {(story.get('title') or '').strip()}",
             f"independent sources: {story.get('independent_sources', 0)}"]
    if story.get("aliases"):
        lines.append("merged from: " + ", ".join(story["aliases"]))
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for m in story.get("members", []):
        by_lang.setdefault(m.get("language") or "unknown", []).append(m)
    for lang, members in sorted(by_lang.items()):
        lines.append(f"[{lang}]")
        lines += [f"  {m['article_id']}  {m.get('outlet') or '-'}  {m.get('published') or '-'}  "
                  f"{(m.get('title') or '').strip()[:60]}" for m in members]
    lineage = story.get("lineage", {})
    lines.append("lineage:")
    for e in lineage.get("edges", []):
        ev = e.get("evidence", {})
        said = f" \"{' '.join(str(ev['text']).split())[:60]}\"" if ev.get("text") else ""
        lines.append(f"  {e['from']} -> {e['to']}  {e['kind']} ({ev.get('signal')}{said})")
    if lineage.get("contributing"):
        lines.append("contributing sources: " + ", ".join(lineage["contributing"]))
    for ev in story.get("events", []):
        lines.append(f"event {ev['id']} {ev['cameo']} {ev['source']} -> {ev['target']} {ev['date']}: "
                     f"{ev['reports']} reports in {','.join(ev['languages'])}, "
                     f"{ev['independent_sources']} independent")
    lines += [f"claim [{c['language']}] {c['article']}: {c.get('proposition') or c.get('text')}" for c in claims]
    return lines


commands: list[click.Command] = [stories_command, story_command]
