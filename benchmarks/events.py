"""Benchmark: event and claim coding speed, side by side with the time of the stages before it.

The texts are khabar's own: the event fixtures (tests/fixtures/events) and the sample articles
(samples/{ur,en}/*.txt), repeated ``--rounds`` times. Each article first goes through the default
stages (segment, dates, amounts, entities, quotes; analyse too when a language model is shipped),
timed as "parse"; then EVENTS and CLAIMS are timed alone. Run (one core):

    python benchmarks/events.py --rounds 20

It prints sentences, parse time and sentences/s, coding time and sentences/s, per language.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from khabar.model import Article, Zone
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages import DEFAULT_STAGES
from khabar.stages.analyse import ANALYSE, model_for
from khabar.stages.claims import CLAIMS
from khabar.stages.events import EVENTS

ROOT = Path(__file__).resolve().parents[1]


def texts(lang: str) -> list[str]:
    """Fixture sentences and sample article bodies of ``lang``."""
    items = json.loads((ROOT / "tests" / "fixtures" / "events" / f"{lang}.json").read_text(encoding="utf-8"))
    out = [i["text"] for i in items]
    out += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / lang).glob("*.txt"))]
    return out


def run(lang: str, rounds: int) -> dict[str, float]:
    """Time parsing and coding of ``lang``'s texts ``rounds`` times."""
    ctx = Context(Settings())
    before = [s for s in DEFAULT_STAGES if s.name != "langid"]
    if model_for(lang, ctx) is not None:
        before.append(ANALYSE)
    parsed: list[Article] = []
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in texts(lang):
            art = Article(text=text, language=lang, published="2024-11-29T10:00:00+00:00",
                          zones=[Zone(0, len(text), "bench", "body")])
            for st in before:
                st.func(art, ctx)
            parsed.append(art)
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    events = 0
    for art in parsed:
        EVENTS.func(art, ctx)
        CLAIMS.func(art, ctx)
        events += len(art.events)
    code = time.perf_counter() - t0
    n = sum(len(a.sentences) for a in parsed)
    return {"sentences": n, "events": events, "parse_s": parse, "parse_sps": n / parse, "code_s": code,
            "code_sps": n / code}


def main() -> None:
    """Print the figures per language."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    for lang in ("ur", "en"):
        r = run(lang, args.rounds)
        print(f"{lang}: {r['sentences']:.0f} sentences, {r['events']:.0f} events | parse {r['parse_s']:.2f}s "
              f"({r['parse_sps']:.0f} sent/s) | events+claims {r['code_s']:.2f}s ({r['code_sps']:.0f} sent/s)")


if __name__ == "__main__":
    main()
