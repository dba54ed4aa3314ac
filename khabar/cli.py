"""The ``khabar`` command: thin click commands over library functions.

Library errors become one-line messages on stderr (``[K101] input.txt: the file is empty``) and a
non-zero exit; no traceback reaches a user (set ``KHABAR_DEBUG=1`` to see one in the log).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any, TextIO

import click

from . import __version__
from .errors import KhabarError
from .settings import Settings, load_settings

log = logging.getLogger("khabar")


class Progress:
    """A progress line on stderr, at most once a second, for long runs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.t0 = self.last = time.monotonic()
        self.n = self.failed = 0

    def tick(self, failed: bool) -> None:
        """Count one input and redraw the line if a second has passed."""
        self.n += 1
        self.failed += int(failed)
        now = time.monotonic()
        if self.enabled and now - self.last >= 1.0:
            self.last = now
            rate = self.n / max(now - self.t0, 1e-9)
            click.echo(f"\r… {self.n} inputs, {self.failed} failed, {rate:.1f}/s", nl=False, err=True)

    def done(self) -> None:
        """Clear the progress line."""
        if self.enabled and self.n and time.monotonic() - self.t0 >= 1.0:
            click.echo("\r" + " " * 60 + "\r", nl=False, err=True)


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _open_store(db: str | None, settings: Settings):  # type: ignore[no-untyped-def]
    from .store import open_store

    return open_store(db or settings.db)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="khabar")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False), help="Settings TOML file.")
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.pass_context
def cli(ctx: click.Context, settings_file: str | None, verbose: int) -> None:
    """khabar: news in the languages it is written in, turned into facts you can check.

    Example: khabar run samples/ && khabar stats
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not os.environ.get("KHABAR_DEBUG"):
        logging.raiseExceptions = False
    ctx.obj = {"settings": load_settings(settings_file)}


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", help="Store: a SQLite path (default ./khabar.db) or memory:.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
@click.option("--no-store", is_flag=True, help="Do not store; only print.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Allow fetching from loopback and private addresses (intranets, tests).")
@click.option("--no-robots", is_flag=True, default=None, help="Do not consult robots.txt.")
@click.option("--reprocess", "--force", "reprocess", is_flag=True,
              help="Process inputs again even when their bytes are already stored (default: skip them).")
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], db: str | None, as_json: bool, no_store: bool,
        allow_private: bool | None, no_robots: bool | None, reprocess: bool) -> None:
    """Read articles, extract their facts and store them.

    INPUTS are files, folders, - (stdin), URLs, RSS/Atom feed URLs, sitemap URLs or WARC files.

    Example: khabar run samples/ https://example.com/feed.xml --db news.db
    """
    from .jobs import Outcome, run_inputs

    settings = _settings(ctx).replace(
        allow_private_addresses=True if allow_private else None,
        respect_robots=False if no_robots else None,
    )
    store = None if no_store else _open_store(db, settings)
    progress = Progress(enabled=sys.stderr.isatty() and not as_json)

    def report(out: Outcome) -> None:
        progress.tick(out.error is not None)
        if out.error is not None:
            progress.done()
            click.echo(f"error: {out.error.one_line()}", err=True)
        elif as_json and out.article is not None:
            doc = out.article.to_dict()
            doc["stored"] = out.stored
            click.echo(json.dumps(doc, ensure_ascii=False))

    try:
        summary = run_inputs(inputs, store, settings, on_outcome=report, reprocess=reprocess)
    finally:
        progress.done()
        if store is not None:
            store.close()
    if not as_json:
        where = "" if store is None else f" into {db or settings.db}"
        click.echo(
            f"{summary.processed} articles{where}: {summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.skipped} skipped (already stored); {summary.failed} inputs failed",
            err=as_json,
        )
    if summary.failed:
        ctx.exit(1)


@cli.command()
@click.argument("article_id")
@click.option("--db", help="Store path (default ./khabar.db).")
@click.option("--json", "as_json", is_flag=True, help="Print the article's JSON.")
@click.pass_context
def show(ctx: click.Context, article_id: str, db: str | None, as_json: bool) -> None:
    """Print one stored article, by id or id prefix.

    Example: khabar show 3f2a9c
    """
    from .render import render_article

    with _open_store(db, _settings(ctx)) as store:
        doc = store.get(article_id)
    if doc is None:
        raise KhabarError(f"no article with id {article_id!r} in the store")
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(doc))


@cli.command()
@click.option("--db", help="Store path (default ./khabar.db).")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File (default stdout).")
@click.pass_context
def export(ctx: click.Context, db: str | None, fmt: str, output: str | None) -> None:
    """Write every stored article.

    Example: khabar export --format jsonl -o articles.jsonl
    """
    with _open_store(db, _settings(ctx)) as store:
        out: TextIO = open(output, "w", encoding="utf-8") if output else sys.stdout
        try:
            n = 0
            for doc in store.iter_docs():
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if output:
                out.close()
    if output:
        click.echo(f"{n} articles written to {output}", err=True)


@cli.command()
@click.option("--db", help="Store path (default ./khabar.db).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Summarise the store: articles by language, outlet and status.

    Example: khabar stats --db news.db
    """
    with _open_store(db, _settings(ctx)) as store:
        s = store.stats()
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"articles: {s['articles']}")
    click.echo(f"published: {s['published_from'] or '-'} … {s['published_to'] or '-'}")
    for key in ("languages", "outlets", "status"):
        items = ", ".join(f"{k} {v}" for k, v in list(s[key].items())[:12])
        click.echo(f"{key}: {items or '-'}")


@cli.group(name="eval")
def eval_group() -> None:
    """Measure khabar against the evaluation suites in ../shared (KHABAR_SHARED).

    Example: khabar eval extraction --limit 50
    """


# Feature packages that add top-level commands; each module exposes ``commands``, a list of click
# commands. Listed explicitly (no registration by import side effects); a module not yet present
# is skipped.
COMMAND_MODULES = [
    "khabar.train.cli", "khabar.kb.cli", "khabar.events.cli", "khabar.stories.cli", "khabar.api.cli",
    "khabar.scale.cli", "khabar.export.cli",
]


def _register_commands() -> None:
    import importlib

    from .evaluate.cli import register

    register(eval_group)
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is not None and name.startswith(err.name):
                continue
            raise
        for command in mod.commands:
            if command.name not in cli.commands:
                cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning khabar errors into one line and exit status 2."""
    try:
        rv = cli.main(args=argv, prog_name="khabar", standalone_mode=False)
        if isinstance(rv, int) and rv:  # click returns ctx.exit(N)'s status here
            sys.exit(rv)
        return rv
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KhabarError as err:
        click.echo(f"error: {err.one_line()}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:  # last line of defence: no traceback for users
        log.debug("unexpected error", exc_info=True)
        click.echo(f"error: [K999] internal error: {type(err).__name__}: {err}", err=True)
        sys.exit(3)


_register_commands()

if __name__ == "__main__":
    main()
