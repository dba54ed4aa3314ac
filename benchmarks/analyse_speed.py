"""Speed of the whole analyse stage, per core, as a ratio against a blank spaCy tokenizer.

    nice -n 10 python benchmarks/analyse_speed.py                 # ur and en, bundled samples
    nice -n 10 python benchmarks/analyse_speed.py --lang ur --repeat 5 --json

The text is khabar's own samples (samples/<lang>/), run through extraction, langid, normalise and
segment first so the stage sees real articles and sentences, repeated until at least ``--words``
words. Three timings over the same sentences, in CPU seconds of this process (``process_time``:
a per-core figure even on a shared machine), best of ``--repeat``:

- ``blank``: ``spacy.blank(lang)`` tokenizing the sentences (the floor any spaCy stage pays);
- ``pipeline``: the model's ``nlp.pipe`` over the normalised sentences (no khabar records);
- ``analyse``: the whole stage (normalisation, ``nlp.pipe``, ``Token``/``Entity`` records).

Words are the analyse stage's tokens (punctuation included), the same count for all three. The
issue's target is >= 5,000 words per second per core for the whole stage; the ratio to the blank
tokenizer says how that figure moves with the machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.jobs import process_document  # noqa: E402
from khabar.model import Article, RawDocument  # noqa: E402
from khabar.pipeline import Context, Pipeline  # noqa: E402
from khabar.settings import Settings  # noqa: E402
from khabar.stages import DEFAULT_STAGES  # noqa: E402
from khabar.stages.analyse import ANALYSE, model_for  # noqa: E402

TARGET = 5000


def articles(lang: str, min_words: int) -> list[Article]:
    """The language's samples as segmented articles, repeated to at least ``min_words`` words."""
    upto = [s for s in DEFAULT_STAGES if s.name in ("langid", "normalise", "segment")]
    pipe = Pipeline(upto)
    base = []
    for path in sorted((ROOT / "samples" / lang).glob("*")):
        ctype = "text/html" if path.suffix == ".html" else "text/plain"
        art = process_document(RawDocument(str(path), path.read_bytes(), content_type=ctype), pipe)
        if art.language == lang and art.sentences:
            base.append(art)
    if not base:
        raise SystemExit(f"no {lang} samples under samples/{lang}")
    words = sum(len(a.tokens) for a in base)
    return base * max(1, -(-min_words // max(words, 1)))


def best_cpu(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """(Least CPU seconds over ``repeat`` runs, the count ``run`` returns)."""
    times, count = [], 0
    for _ in range(repeat):
        t0 = time.process_time()
        count = run()
        times.append(time.process_time() - t0)
    return min(times), count


def measure(lang: str, min_words: int, repeat: int) -> dict[str, Any]:
    """Words per CPU-second of the blank tokenizer, the spaCy pipeline and the whole stage."""
    import spacy

    ctx = Context(Settings())
    model = model_for(lang, ctx)
    if model is None:
        raise SystemExit(f"no shipped model for {lang}")
    arts = articles(lang, min_words)
    texts = [a.text[s.start : s.end] for a in arts for s in a.sentences]
    normed = [model.normalised(t)[0] for t in texts]
    blank = spacy.blank(lang)

    def run_stage() -> int:
        for a in arts:
            ANALYSE.func(a, ctx)
        return sum(len(a.tokens) for a in arts)

    run_stage()  # warm up (and count the words)
    stage_s, words = best_cpu(run_stage, repeat)
    blank_s, _ = best_cpu(lambda: sum(len(d) for d in blank.tokenizer.pipe(texts)), repeat)
    pipe_s, _ = best_cpu(lambda: sum(len(d) for d in model.nlp.pipe(normed, batch_size=64)), repeat)
    rate = {k: round(words / v) if v > 0 else 0 for k, v in
            (("blank", blank_s), ("pipeline", pipe_s), ("analyse", stage_s))}
    return {"language": lang, "words": words, "sentences": len(texts), "words_per_cpu_second": rate,
            "ratio_analyse_to_blank": round(stage_s / blank_s, 1) if blank_s else None,
            "stage_overhead_share": round(1 - pipe_s / stage_s, 3) if stage_s else None,
            "target": TARGET, "met": rate["analyse"] >= TARGET, "components": list(model.nlp.pipe_names)}


def main() -> None:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", action="append", help="language code (repeatable); default ur and en")
    ap.add_argument("--words", type=int, default=20000, help="at least this many words per language")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report = [measure(lang, args.words, args.repeat) for lang in (args.lang or ["ur", "en"])]
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for r in report:
        w = r["words_per_cpu_second"]
        print(f"{r['language']}: {r['words']} words, {r['sentences']} sentences; words per CPU-second: "
              f"blank tokenizer {w['blank']:,}, spaCy pipeline {w['pipeline']:,}, whole analyse stage "
              f"{w['analyse']:,} ({'meets' if r['met'] else 'below'} {r['target']:,}); analyse takes "
              f"{r['ratio_analyse_to_blank']}x the blank tokenizer's time; khabar's own share of the stage "
              f"{r['stage_overhead_share']:.0%}")


if __name__ == "__main__":
    main()
