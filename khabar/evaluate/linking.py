"""``khabar eval linking``: cross-script name matching, precision and recall on held-out pairs.

Pairs (name in another script or language, English name) come from CLDR through Babel (state
names and time-zone exemplar cities in ur, ar, fa, hi, ru, vi) and from the curated actors
(``khabar/kb/actors_curated.json``: people and organisations in Urdu, Russian, Hindi, Arabic,
Persian, Vietnamese). For each query name every English name of its category (states, cities,
actors) is ranked by ``similarity(match_key(query), match_key(candidate))``; the top one is the
answer when its score reaches the threshold. Precision = right answers / answers, recall = right
answers / queries. Pairs are split by a hash of (category, code, language): one in five is the
held-out test split. The threshold is chosen on the development split (the lowest that keeps
precision >= 0.95) and then applied to the test split.

CLDR names include translations (Arabic ألمانيا for Germany, Vietnamese Đức), which no
transliteration can match: they count against recall, as they would in news.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import click

LANGS = ("ur", "ar", "fa", "hi", "ru", "vi")
TARGET_P = 0.95
MARGIN = 0.01  # the best candidate must beat the next by this much


@dataclass(frozen=True)
class Pair:
    """A query name, the language it is in, its category and the id of its English name."""

    category: str
    gold: str
    lang: str
    query: str

    @property
    def split(self) -> str:
        """``test`` for one pair in five (by a stable hash), else ``dev``."""
        h = hashlib.sha256(f"{self.category}|{self.gold}|{self.lang}".encode()).digest()[0]
        return "test" if h % 5 == 0 else "dev"


def cldr_pairs() -> tuple[list[Pair], dict[str, dict[str, str]]]:
    """State and city pairs from CLDR, and the English names by category and id."""
    from babel import Locale
    from babel.dates import get_timezone_location

    from ..kb.places import load_places

    states = sorted(load_places().states)
    english: dict[str, dict[str, str]] = {"state": {}, "city": {}}
    en = Locale("en")
    pairs: list[Pair] = []
    for code in states:
        if code in en.territories:
            english["state"][code] = en.territories[code]
    zones = sorted({z for z in _zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))})
    for z in zones:  # a city's English name is its id: time-zone aliases name one city
        name = get_timezone_location(z, locale="en", return_city=True)
        english["city"].setdefault(name, name)
    city_of = {z: get_timezone_location(z, locale="en", return_city=True) for z in zones}
    for lang in LANGS:
        loc = Locale(lang)
        for code in english["state"]:
            name = loc.territories.get(code)
            if name and name != english["state"][code]:
                pairs.append(Pair("state", code, lang, name))
        seen: set[str] = set()
        for z in zones:
            name = get_timezone_location(z, locale=lang, return_city=True)
            if name and name != city_of[z] and city_of[z] not in seen:
                seen.add(city_of[z])
                pairs.append(Pair("city", city_of[z], lang, name))
    return pairs, english


def _zones() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


def actor_pairs() -> tuple[list[Pair], dict[str, str]]:
    """Pairs from the curated actors' names in other scripts."""
    from ..kb.build_actors import CURATED

    data = json.loads(CURATED.read_text(encoding="utf-8"))
    english: dict[str, str] = {}
    pairs = []
    for a in data["actors"]:
        english[a["id"]] = a["name"]
        for lang, names in a.get("names", {}).items():
            if lang in LANGS:
                for n in names[:1]:  # the full name; surnames alone are no pair
                    if n != a["name"]:
                        pairs.append(Pair("actor", a["id"], lang, n))
    return pairs, english


def rank(pairs: list[Pair], english: dict[str, dict[str, str]]) -> list[tuple[Pair, str, float]]:
    """Each pair's best English candidate of its category and its score (``name_score``); a
    candidate only as good as the runner-up (within MARGIN) is no answer: score 0."""
    from ..text.translit import name_score

    out = []
    for p in pairs:
        scored = sorted(((name_score(p.query, n), ident) for ident, n in english[p.category].items()), reverse=True)
        best_score, best = scored[0]
        if len(scored) > 1 and scored[1][0] > best_score - MARGIN:
            best_score = 0.0
        out.append((p, best, best_score))
    return out


def measure(ranked: list[tuple[Pair, str, float]], threshold: float) -> dict[str, Any]:
    """Precision, recall and counts at ``threshold``."""
    answered = [(p, b) for p, b, s in ranked if s >= threshold]
    right = sum(1 for p, b in answered if b == p.gold)
    return {"pairs": len(ranked), "answered": len(answered), "right": right,
            "precision": round(right / len(answered), 4) if answered else 0.0,
            "recall": round(right / len(ranked), 4) if ranked else 0.0}


def choose_threshold(ranked: list[tuple[Pair, str, float]]) -> float:
    """The lowest threshold (step 0.01) whose precision on ``ranked`` reaches TARGET_P."""
    for step in range(50, 101):
        t = step / 100
        if measure(ranked, t)["precision"] >= TARGET_P:
            return t
    return 1.0


def evaluate() -> dict[str, Any]:
    """The whole evaluation: threshold from dev, figures on test, per category and language."""
    pairs, english = cldr_pairs()
    apairs, aenglish = actor_pairs()
    english["actor"] = aenglish
    ranked = rank(pairs + apairs, english)
    dev = [r for r in ranked if r[0].split == "dev"]
    test = [r for r in ranked if r[0].split == "test"]
    t = choose_threshold(dev)
    groups: dict[str, list[tuple[Pair, str, float]]] = defaultdict(list)
    for r in test:
        groups[f"{r[0].category}/{r[0].lang}"].append(r)
    by_cat: dict[str, list[tuple[Pair, str, float]]] = defaultdict(list)
    for r in test:
        by_cat[r[0].category].append(r)
    return {"threshold": t, "target_precision": TARGET_P, "dev": measure(dev, t), "test": measure(test, t),
            "test_by_category": {k: measure(v, t) for k, v in sorted(by_cat.items())},
            "test_by_category_language": {k: measure(v, t) for k, v in sorted(groups.items())}}


def _table(res: dict[str, Any]) -> str:
    lines = [f"threshold {res['threshold']} (chosen on dev for precision >= {res['target_precision']})",
             f"{'split':<14}{'pairs':>7}{'answered':>10}{'P':>8}{'R':>8}"]
    rows = [("dev", res["dev"]), ("test", res["test"])] + list(res["test_by_category"].items()) \
        + list(res["test_by_category_language"].items())
    for name, m in rows:
        lines.append(f"{name:<14}{m['pairs']:>7}{m['answered']:>10}{m['precision']:>8.3f}{m['recall']:>8.3f}")
    return "\n".join(lines)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def command(as_json: bool) -> None:
    """Cross-script name matching: precision and recall on held-out CLDR and actor name pairs.

    Example: khabar eval linking --json
    """
    res = evaluate()
    click.echo(json.dumps(res, indent=2) if as_json else _table(res))
