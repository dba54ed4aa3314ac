"""``khabar eval models``: every held-out evaluation of the shipped models, ours vs UDPipe 1.

For each language with a training recipe and a shipped model it scores the model on the UD test
set(s) (gold tokens; with the recipe's ``ud.raw_text`` also from raw text, with the word
segmentation F1) and the NER test set(s), trains the UDPipe 1 baseline on the same sentences
if it is not in ``build/models/<lang>/full/udpipe.model`` yet (needs ``khabar[train]``), and prints
one table.

Example: khabar eval models --lang ur
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import KhabarError
from ..langs import pack


def _languages() -> list[str]:
    from ..train.recipe import CONFIG_DIR

    return sorted(p.stem for p in CONFIG_DIR.glob("*.json") if pack(p.stem).path("model").is_dir())


def evaluate(lang: str, baseline: bool, echo: Any = click.echo) -> dict[str, Any]:
    """Scores of ``lang``'s shipped model (and UDPipe's) on every held-out set."""
    from ..train.build import Options, _ud_split, udpipe_tokenizer
    from ..train.evaluation import evaluate_language
    from ..train.recipe import BUILD, load_recipe

    recipe = load_recipe(lang)
    udp: Path | None = BUILD / lang / "full" / "udpipe.model"
    if baseline and udp is not None and not udp.is_file():
        from ..train import udpipe

        echo(f"[{lang}] training the UDPipe 1 baseline (once; cached in {udp})")
        split = _ud_split(recipe, Options())
        udpipe.train(split.train, split.dev, udp, tokenizer=udpipe_tokenizer(recipe))
    if not baseline:
        udp = None
    card = evaluate_language(recipe, pack(lang).path("model"), udp, echo=lambda m: None)
    card["analyse_words_per_second"] = analyse_speed(lang, [" ".join(s.words) for g in recipe.ud_tests().values() for s in g])
    return card


def analyse_speed(lang: str, sentences: list[str], per_article: int = 25) -> float:
    """Words per CPU-second of the whole analyse stage (articles of ``per_article`` sentences, one process)."""
    import time

    from ..model import Article, Sentence
    from ..pipeline import Context
    from ..settings import Settings
    from ..stages.analyse import ANALYSE

    ctx = Context(Settings())
    ANALYSE.func(Article(text="warm up", language=lang), ctx)  # load the model outside the timing
    articles = []
    for i in range(0, len(sentences), per_article):
        chunk = sentences[i : i + per_article]
        art = Article(text="\n".join(chunk), language=lang)
        pos = 0
        for sent in chunk:
            art.sentences.append(Sentence(pos, pos + len(sent), "eval"))
            pos += len(sent) + 1
        articles.append(art)
    t0 = time.process_time()  # CPU time: a per-core figure even on a shared machine
    for art in articles:
        ANALYSE.func(art, ctx)
    elapsed = time.process_time() - t0
    return round(sum(len(a.tokens) for a in articles) / elapsed) if elapsed > 0 else 0.0


def table(cards: list[dict[str, Any]]) -> str:
    """One row per (language, held-out set, system); rows marked ``(raw)`` are scored from raw
    text (the system's own word segmentation, F1 over aligned words) with the words F1 beside."""
    head = f"{'lang':4} {'held-out set':24} {'system':9} {'UPOS':>6} {'UFeats':>6} {'UAS':>6} {'LAS':>6} {'NER F1':>7} {'words/s':>8} {'analyse':>8}"
    rows = [head, "-" * len(head)]
    for c in cards:
        for name, entry in c["ud_scores"].items():
            for who, s in entry.items():
                wps = (f"{c['words_per_second']:>8} {c.get('analyse_words_per_second', ''):>8}" if who == "ours"
                       else f"{'':>8}")
                rows.append(f"{c['language']:4} {name[:24]:24} {_who(who):9} {s['upos']:6.2f} {s['feats']:6.2f} "
                            f"{s['uas']:6.2f} {s['las']:6.2f} {'':>7} {wps}")
        for name, entry in c.get("ud_raw_scores", {}).items():
            for who, s in entry.items():
                rows.append(f"{c['language']:4} {name[:18] + ' (raw)':24} {_who(who):9} {s['upos']:6.2f} {'':>6} "
                            f"{s['uas']:6.2f} {s['las']:6.2f} {'':>7} words F1 {s['seg_f1']:.2f} "
                            f"(P {s['seg_p']:.2f} R {s['seg_r']:.2f})")
        for name, entry in c["ner_scores"].items():
            rows.append(f"{c['language']:4} {name[:24]:24} {'khabar':9} {'':>6} {'':>6} {'':>6} {'':>6} "
                        f"{entry['ours']['f1']:7.3f} {'':>8}")
    for c in cards:
        checks = [f"{k} {c.get(k)} vs {t} {'met' if (c.get(k) or 0) >= t else 'NOT met'}"
                  for k, t in c.get("targets", {}).items()]
        rows.append(f"{c['language']} targets: " + "; ".join(checks))
    return "\n".join(rows)


def _who(who: str) -> str:
    return "khabar" if who == "ours" else "UDPipe 1"


@click.command()
@click.option("--lang", "langs", multiple=True, help="Language code (repeatable); default: every shipped model.")
@click.option("--baseline/--no-baseline", default=True, help="Also score UDPipe 1 trained on the same data.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def command(langs: tuple[str, ...], baseline: bool, as_json: bool) -> None:
    """Score the shipped language models on every held-out set, ours vs UDPipe 1.

    Example: khabar eval models --lang ur --no-baseline
    """
    try:
        cards = [evaluate(lang, baseline) for lang in (langs or _languages())]
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    click.echo(json.dumps(cards, ensure_ascii=False, indent=1) if as_json else table(cards))
