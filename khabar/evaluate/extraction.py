"""``khabar eval extraction``: our extraction against its baselines, on third-party benchmarks.

Body text: the article-extraction benchmark (181 pages with ground-truth bodies), scored as that
benchmark does: 4-token shingles of ``\\w+`` tokens, per-page true/false positives and false
negatives normalised to sum 1, precision and recall averaged over pages, F1 of the two averages.
Baseline: ``trafilatura.extract`` with default settings. Ours: ``extract(...).body``.

Publication dates: htmldate's Media Cloud 2020 set (200 pages with a day-level gold date).
Baseline: ``htmldate.find_date`` with default settings. Ours: the date part of
``extract(...).published``. Both get the page's URL.
"""
from __future__ import annotations

import gzip
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path
from statistics import mean
from typing import Any, Callable

import click

from ..errors import KhabarError
from ..extract import extract
from ..model import RawDocument
from ..settings import Settings
from ..shared import shared_dir

log = logging.getLogger(__name__)

BODY_SET = Path("data/eval/extraction/article-extraction-benchmark")
DATE_SET = Path("data/eval/extraction/htmldate/tests")
SHINGLE = 4
_TOKEN = re.compile(r"\w+", re.U)

Score = tuple[float, float, float]


def shingle_score(true: str, pred: str, n: int = SHINGLE) -> Score:
    """(tp, fp, fn) over n-token shingles, normalised to sum 1 (all zero for two empty texts)."""
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def aggregate(scores: list[Score]) -> dict[str, float]:
    """Precision and recall averaged over pages (as the benchmark does), and their F1."""
    precision = mean([_ratio(tp, fp, fn, fp) for tp, fp, fn in scores if tp + fp > 0] or [0.0])
    recall = mean([_ratio(tp, fp, fn, fn) for tp, fp, fn in scores if tp + fn > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _ratio(tp: float, fp: float, fn: float, wrong: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + wrong) if tp + wrong else 0.0


def spread(keys: list[str], limit: int | None) -> list[str]:
    """``limit`` keys spread evenly over the sorted list (all of them without a limit)."""
    keys = sorted(keys)
    if not limit or limit >= len(keys):
        return keys
    step = len(keys) / limit
    return [keys[int(i * step)] for i in range(limit)]


def _ours(data: bytes, url: str | None, name: str, settings: Settings) -> Any:
    raw = RawDocument(source=name, data=data, url=url, content_type="text/html")
    try:
        return extract(raw, settings)
    except KhabarError as err:
        log.info("%s", err)
        return None


def body_benchmark(root: Path, limit: int | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Body F1 of trafilatura (default settings) and of ours on the article-extraction benchmark."""
    import trafilatura

    settings = settings or Settings()
    truth = json.loads((root / BODY_SET / "ground-truth.json").read_text(encoding="utf-8"))
    keys = spread(list(truth), limit)
    base: list[Score] = []
    ours: list[Score] = []
    for key in keys:
        data = gzip.decompress((root / BODY_SET / "html" / f"{key}.html.gz").read_bytes())
        gold, url = truth[key].get("articleBody", ""), truth[key].get("url")
        html = data.decode("utf-8", errors="replace")
        base.append(shingle_score(gold, trafilatura.extract(html, url=url) or ""))
        art = _ours(data, url, key, settings)
        ours.append(shingle_score(gold, art.body if art is not None else ""))
    return {"pages": len(keys), "trafilatura": aggregate(base), "khabar": aggregate(ours)}


def date_benchmark(root: Path, limit: int | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Day accuracy of htmldate (default settings) and of ours on the Media Cloud 2020 set."""
    from htmldate import find_date

    settings = settings or Settings()
    gold = json.loads((root / DATE_SET / "eval_mediacloud_2020.json").read_text(encoding="utf-8"))
    keys = spread(list(gold), limit)
    hits = {"htmldate": 0, "khabar": 0}
    for url in keys:
        data = (root / DATE_SET / "test_set" / gold[url]["file"]).read_bytes()
        html = data.decode("utf-8", errors="replace")
        hits["htmldate"] += _safe(lambda: find_date(html, url=url)) == gold[url]["date"]
        art = _ours(data, url, gold[url]["file"], settings)
        ours = art.published[:10] if art is not None and art.published else None
        hits["khabar"] += ours == gold[url]["date"]
    n = len(keys)
    return {"pages": n, **{k: {"accuracy": round(v / n, 4) if n else 0.0, "correct": v} for k, v in hits.items()}}


def _safe(func: Callable[[], Any]) -> Any:
    try:
        return func()
    except Exception as err:  # a baseline crashing on a page counts as a miss
        log.info("baseline failed: %s", err)
        return None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--limit", type=int, default=None, help="Pages per set, spread evenly (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--part", type=click.Choice(["all", "body", "dates"]), default="all", help="Which benchmark.")
def command(limit: int | None, as_json: bool, part: str) -> None:
    """Body-text F1 (vs trafilatura) and publication-date accuracy (vs htmldate).

    Example: khabar eval extraction --limit 30
    """
    for name in ("trafilatura", "htmldate", "courlan"):  # their per-page warnings drown the figures
        logging.getLogger(name).setLevel(logging.ERROR)
    root = shared_dir()
    if root is None:  # shared_dir raises when required; this keeps type checkers content
        raise click.ClickException("shared data not found")
    t0 = time.monotonic()
    result: dict[str, Any] = {}
    if part in ("all", "body"):
        result["body"] = body_benchmark(root, limit)
    if part in ("all", "dates"):
        result["dates"] = date_benchmark(root, limit)
    result["seconds"] = round(time.monotonic() - t0, 1)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    if "body" in result:
        b = result["body"]
        click.echo(f"body text, article-extraction-benchmark ({b['pages']} pages), shingle F1 / P / R")
        for name in ("trafilatura", "khabar"):
            m = b[name]
            click.echo(f"  {name:<12} F1 {m['f1']:.4f}  P {m['precision']:.4f}  R {m['recall']:.4f}")
    if "dates" in result:
        d = result["dates"]
        click.echo(f"publication date, htmldate mediacloud 2020 ({d['pages']} pages), day accuracy")
        for name in ("htmldate", "khabar"):
            click.echo(f"  {name:<12} {d[name]['accuracy']:.4f}  ({d[name]['correct']}/{d['pages']})")
    click.echo(f"({result['seconds']} s)")
