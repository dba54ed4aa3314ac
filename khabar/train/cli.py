"""``khabar train LANG``: rebuild a language's model from the corpora in ``../shared/data``.

A thin click command over ``khabar.train.build.build`` (the same as ``python -m khabar.train``).
spaCy and the training code are imported inside the command, so ``khabar --help`` stays fast.
"""
from __future__ import annotations

from pathlib import Path

import click


@click.command("train")
@click.argument("lang")
@click.option("--smoke", is_flag=True, help="Train a toy model on a few dozen sentences (what CI runs).")
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the model (default: the package).")
@click.option("--build-dir", type=click.Path(path_type=Path), help="Intermediate files (default: build/models).")
@click.option("--baseline/--no-baseline", default=True, help="Also train the UDPipe 1 baseline on the same data.")
@click.option("--reuse", is_flag=True, help="Reuse components already trained in the build folder.")
def train(lang: str, smoke: bool, out: Path | None, build_dir: Path | None, baseline: bool, reuse: bool) -> None:
    """Train LANG's tagger, parser and NER from the recipe khabar/train/configs/LANG.json,
    write the model and its card into khabar/langs/LANG/model and print the held-out scores.

    Example: nice -n 10 khabar train ur --no-baseline
    """
    from ..errors import KhabarError
    from .build import Options, build

    opts = Options(smoke=smoke, out=out, build_dir=build_dir, baseline=baseline, reuse=reuse, echo=click.echo)
    try:
        card = build(lang, opts)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    click.echo(f"{card['language']}: UPOS {card['upos']} LAS {card['las']} NER F1 {card['ner_f1']} "
               f"{card['words_per_second']} words/s {card['size_mb']} MB")


commands: list[click.Command] = [train]
