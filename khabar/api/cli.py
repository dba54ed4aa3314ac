"""``khabar serve``: the HTTP API and web UI with uvicorn. Heavy imports stay inside the command."""
from __future__ import annotations

import json

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--db", help="Store: a SQLite path (default from settings) or memory:.")
@click.option("--openapi", "print_openapi", is_flag=True, help="Print the OpenAPI spec as JSON and exit.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db: str | None, print_openapi: bool, log_level: str) -> None:
    """Serve the HTTP API (/api/v1) and the web UI from one process.

    Writes need the bearer token in the api_token setting (set KHABAR_API_TOKEN in the
    environment); reads are open unless api_public_reads is false.

    Example: KHABAR_API_TOKEN=s3cret khabar serve --port 8000 --db news.db
    """
    from ..settings import load_settings
    from .app import create_app, openapi_spec

    settings = (ctx.obj or {}).get("settings") or load_settings()
    if print_openapi:
        click.echo(json.dumps(openapi_spec(), ensure_ascii=False, indent=2, sort_keys=True))
        return
    import uvicorn

    app = create_app(settings, db or settings.db)
    if not settings.api_token:
        click.echo("note: api_token is not set; POST /api/v1/articles is refused", err=True)
    click.echo(f"khabar serving http://{host}:{port}/ (store {db or settings.db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                proxy_headers=False, timeout_keep_alive=5, limit_concurrency=200)


commands: list[click.Command] = [serve]

if __name__ == "__main__":  # python -m khabar.api.cli (before the command is wired into khabar)
    serve()
