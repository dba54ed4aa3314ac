"""``khabar eval linking``: cross-script name matching, precision and recall on held-out pairs.

Pairs (name in another script or language, English name) come from CLDR through Babel (state
names and time-zone exemplar cities in ur, ar, fa, hi, ru, vi) and from the curated actors
(``khabar/kb/actors_curated.json``: people and organisations in Urdu, Russian, Hindi, Arabic,
Persian, Vietnamese). A query whose spelling the knowledge base holds for its script (places KB:
CLDR names per language and GeoNames alternates; actors' names) is answered by that entry
(score 1.0); otherwise every English name of its category (states, cities, actors) is scored by
``khabar.kb.names.KeyMatcher`` (transliteration keys and vowel-bearing spellings) and the top one
is the answer when its score reaches the threshold. Since the KB holds CLDR names, figures are
reported apart for (a) queries the KB holds and (b) those it does not, and for transliteration
alone on every pair. Precision = right answers / answers, recall = right
answers / queries. Pairs are split by a hash of (category, code, language): one in five is the
held-out test split. The threshold is chosen on the development split with transliteration alone
(the lowest that keeps precision >= 0.95) and then applied to the test split.

CLDR names include translations (Arabic ألمانيا for Germany, Vietnamese Đức), which no
transliteration can match: only the KB look-up finds them.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import click

from ..kb.names import FoldedIndex, KeyMatcher, short_key

LANGS = ("ur", "ar", "fa", "hi", "ru", "vi")
TARGET_P = 0.95
MARGIN = 0.01  # the best candidate must beat the next by this much
SHORT_MARGIN = 0.05  # ... by this much when the query's key is short (Vienna/Havana: "fn")


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


@dataclass(frozen=True)
class Ranked:
    """A pair's answer (a candidate id), its score and whether the KB holds the query's spelling."""

    pair: Pair
    answer: str
    score: float
    in_kb: bool


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


def kb_indexes() -> dict[str, FoldedIndex]:
    """The knowledge base's own spellings per category, folded: state names (-> ISO code) and city
    names (-> the city's English names, joined by tabs) from the places KB, actors' names (-> id)."""
    from ..kb.actors import load_actors
    from ..kb.places import load_places

    out = {"state": FoldedIndex(), "city": FoldedIndex(), "actor": FoldedIndex()}
    for p in load_places().places:
        if p.kind in ("state", "city"):
            target = p.iso2 if p.kind == "state" else "\t".join([p.name, *p.names.get("en", [])])
            for lang, names in p.names.items():
                if lang != "en":
                    for n in names:
                        out[p.kind].add(n, target)
    for ident, names in load_actors().all_name_lists():
        for n in names:
            out["actor"].add(n, ident)
    return out


def kb_answer(p: Pair, index: FoldedIndex, english: dict[str, str]) -> tuple[bool, str | None]:
    """Whether the KB holds the query's spelling, and the candidate it names (None when it names
    none or several)."""
    hits = index.lookup(p.query)
    if not hits:
        return False, None
    found: dict[str, None] = {}
    for h in hits:
        for n in h.split("\t") if p.category == "city" else [h]:
            if n in english:
                found[n] = None
    return True, next(iter(found)) if len(found) == 1 else None


def rank(pairs: list[Pair], english: dict[str, dict[str, str]],
         indexes: dict[str, FoldedIndex] | None = None) -> list[Ranked]:
    """Each pair's answer and score: the KB's own spelling first (score 1.0, when ``indexes`` are
    given), else the best candidate of its category by ``KeyMatcher`` (transliteration keys and
    spellings); a candidate within MARGIN (SHORT_MARGIN for a short key) of the runner-up is no
    answer: score 0."""
    matchers = {cat: KeyMatcher({i: [n] for i, n in names.items()}) for cat, names in english.items()}
    out = []
    for p in pairs:
        in_kb, hit = kb_answer(p, indexes[p.category], english[p.category]) if indexes else (False, None)
        if hit is not None:
            out.append(Ranked(p, hit, 1.0, True))
            continue
        scored = matchers[p.category].rank(p.query, limit=2)
        best, score = scored[0] if scored else ("", 0.0)
        margin = SHORT_MARGIN if short_key(p.query) else MARGIN
        if len(scored) > 1 and scored[1][1] > score - margin:
            score = 0.0
        out.append(Ranked(p, best, score, in_kb))
    return out


def measure(ranked: list[Ranked], threshold: float) -> dict[str, Any]:
    """Precision, recall and counts at ``threshold``."""
    answered = [r for r in ranked if r.score >= threshold]
    right = sum(1 for r in answered if r.answer == r.pair.gold)
    return {"pairs": len(ranked), "answered": len(answered), "right": right,
            "precision": round(right / len(answered), 4) if answered else 0.0,
            "recall": round(right / len(ranked), 4) if ranked else 0.0}


def choose_threshold(ranked: list[Ranked]) -> float:
    """The lowest threshold (step 0.01) whose precision on ``ranked`` reaches TARGET_P."""
    for step in range(50, 101):
        t = step / 100
        if measure(ranked, t)["precision"] >= TARGET_P:
            return t
    return 1.0


def _by(ranked: list[Ranked], field: str, t: float) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Ranked]] = defaultdict(list)
    for r in ranked:
        key = r.pair.category if field == "category" else f"{r.pair.category}/{r.pair.lang}"
        groups[key].append(r)
    return {k: measure(v, t) for k, v in sorted(groups.items())}


def evaluate() -> dict[str, Any]:
    """The whole evaluation. The threshold is chosen on the dev split with transliteration alone
    (no KB spellings, 2,900 pairs: steadier than the few hundred dev names the KB lacks), so it
    calibrates the fallback that unknown names meet; the test split only reports. Figures: the full matcher (KB spellings, then keys) on test, split into (a) queries
    whose spelling the KB holds and (b) those it does not (matched by transliteration only), and
    transliteration alone on every test pair."""
    pairs, english = cldr_pairs()
    apairs, aenglish = actor_pairs()
    english["actor"] = aenglish
    pairs += apairs
    keys_only = rank(pairs, english)
    t = choose_threshold([r for r in keys_only if r.pair.split == "dev"])
    full = rank(pairs, english, kb_indexes())
    test = [r for r in full if r.pair.split == "test"]
    in_kb = [r for r in test if r.in_kb]
    translit = [r for r in test if not r.in_kb]
    alone = [r for r in keys_only if r.pair.split == "test"]
    return {"threshold": t, "target_precision": TARGET_P,
            "dev": measure([r for r in full if r.pair.split == "dev"], t), "test": measure(test, t),
            "test_in_kb": measure(in_kb, t), "test_not_in_kb": measure(translit, t),
            "test_transliteration_alone": measure(alone, t),
            "test_by_category": _by(test, "category", t),
            "test_not_in_kb_by_category": _by(translit, "category", t),
            "test_transliteration_alone_by_category": _by(alone, "category", t),
            "test_by_category_language": _by(test, "language", t),
            "test_transliteration_alone_by_category_language": _by(alone, "language", t)}


def _table(res: dict[str, Any]) -> str:
    lines = [f"threshold {res['threshold']} (chosen on dev, transliteration alone, for precision >= "
             f"{res['target_precision']})",
             f"{'split':<30}{'pairs':>7}{'answered':>10}{'P':>8}{'R':>8}"]
    rows = [("dev (KB, then keys)", res["dev"]), ("test (KB, then keys)", res["test"]),
            ("test (a) name in KB", res["test_in_kb"]), ("test (b) not in KB: keys only", res["test_not_in_kb"]),
            ("test, keys alone (no KB)", res["test_transliteration_alone"])]
    rows += [(f"  {k}", m) for k, m in res["test_by_category"].items()]
    rows += [(f"  (b) {k}", m) for k, m in res["test_not_in_kb_by_category"].items()]
    rows += [(f"  keys alone {k}", m) for k, m in res["test_transliteration_alone_by_category"].items()]
    rows += [(f"  {k}", m) for k, m in res["test_by_category_language"].items()]
    rows += [(f"  keys alone {k}", m) for k, m in res["test_transliteration_alone_by_category_language"].items()]
    for name, m in rows:
        lines.append(f"{name:<30}{m['pairs']:>7}{m['answered']:>10}{m['precision']:>8.3f}{m['recall']:>8.3f}")
    return "\n".join(lines)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def command(as_json: bool) -> None:
    """Cross-script name matching: precision and recall on held-out CLDR and actor name pairs.

    Example: khabar eval linking --json
    """
    res = evaluate()
    click.echo(json.dumps(res, indent=2) if as_json else _table(res))
