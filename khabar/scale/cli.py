"""``khabar spark``: the Spark job from the command line (PySpark imported only when it runs)."""
from __future__ import annotations

import click


@click.command(name="spark")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder (Parquet tables).")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL (local[2], yarn, spark://...).")
@click.option("--records-per-slice", default=32, show_default=True, help="WARC records per slice; slices are grouped into about 4 tasks per core.")
@click.option("--no-stories", is_flag=True, help="Skip stage 2 (story clustering, event deduplication).")
@click.option("--in-process", is_flag=True, help="Run the same job in this one process, without Spark.")
@click.pass_context
def spark(ctx: click.Context, inputs: tuple[str, ...], out: str, master: str, records_per_slice: int,
          no_stories: bool, in_process: bool) -> None:
    """Run khabar over WARC, JSONL, Parquet or HTML inputs on Spark; write Parquet tables.

    Tables (articles, mentions, entities, quotes, events, claims, tokens, errors, stories,
    story_events) go under OUT, partitioned by publication date. Inputs that fail become rows of
    the errors table. Needs the spark extra: pip install 'khabar[spark]' (--in-process runs the
    same job without Spark, in one process).

    Example: khabar spark CC-NEWS-20241129.warc.gz --out news.parquet --master local[2]
    """
    import importlib.util

    from .job import JobOptions, run_in_process, run_job, summary_line

    if not in_process and importlib.util.find_spec("pyspark") is None:
        raise click.ClickException("PySpark is not installed: pip install 'khabar[spark]' (or use --in-process)")
    settings = ctx.obj["settings"] if ctx.obj else None
    opts = JobOptions(out=out, master=master, records_per_slice=records_per_slice, stories=not no_stories)
    if settings is not None:
        opts.settings = settings
    result = run_in_process(list(inputs), opts) if in_process else run_job(list(inputs), opts)
    click.echo(summary_line(result), err=True)


commands: list[click.Command] = [spark]
