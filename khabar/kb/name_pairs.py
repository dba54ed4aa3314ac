"""Name pairs across scripts (a non-Latin or Vietnamese name, the English name of one identity) and
their fixed split of identities into train, dev and test.

Pairs come from CLDR through Babel (state names and time-zone exemplar cities in ``LANGS``) and from
our curated actors (``khabar/kb/actors_curated.json``: full names in Urdu, Russian, Hindi, Arabic,
Persian, Vietnamese). An *identity* is (category, English id): a state's ISO code, a city's English
name, an actor's id. The split is of identities, never of pairs: every spelling of a test identity,
in every language, is test. ``split_of`` hashes ``SEED|category|id`` with SHA-256; the first four
bytes mod 100 give the bucket: below ``TEST_PCT`` test, below ``TEST_PCT + DEV_PCT`` dev, else train.

Used by ``khabar eval linking`` (``khabar.evaluate.linking``) and by the build of the learned
transliteration table (``khabar.kb.build_translit``), which reads the train split only.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

LANGS = ("ur", "ar", "fa", "hi", "ru", "vi")
# More languages of the same scripts whose names only teach the learned table (train identities
# only; the evaluation reads ``LANGS``): Cyrillic, Arabic script, Devanagari.
TRAIN_LANGS = LANGS + ("uk", "bg", "mk", "sr", "be", "kk", "ps", "sd", "mr", "ne")
# The script group a language's names are reported under.
GROUP = {"ur": "Arabic script", "ar": "Arabic script", "fa": "Arabic script", "ru": "Cyrillic",
         "hi": "Devanagari", "vi": "Vietnamese"}
SEED = "khabar-linking-split-1"
TEST_PCT = 25
DEV_PCT = 15


def split_of(category: str, ident: str) -> str:
    """``train``, ``dev`` or ``test`` for one identity (stable: a hash of the seed and the id)."""
    h = hashlib.sha256(f"{SEED}|{category}|{ident}".encode()).digest()
    bucket = int.from_bytes(h[:4], "big") % 100
    if bucket < TEST_PCT:
        return "test"
    return "dev" if bucket < TEST_PCT + DEV_PCT else "train"


@dataclass(frozen=True)
class Pair:
    """A query name, the language it is in, its category and the id of its English name."""

    category: str
    gold: str
    lang: str
    query: str

    @property
    def split(self) -> str:
        """The split of the pair's identity (``split_of``)."""
        return split_of(self.category, self.gold)

    @property
    def group(self) -> str:
        """The script group the pair is reported under (Arabic script, Cyrillic, ...)."""
        return GROUP.get(self.lang, self.lang)


def _zones() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


def cldr_pairs(langs: tuple[str, ...] = LANGS) -> tuple[list[Pair], dict[str, dict[str, str]]]:
    """State and city pairs from CLDR in ``langs``, and the English names by category and id."""
    from babel import Locale
    from babel.dates import get_timezone_location

    from .places import load_places

    english: dict[str, dict[str, str]] = {"state": {}, "city": {}}
    en = Locale("en")
    for code in sorted(load_places().states):
        if code in en.territories:
            english["state"][code] = en.territories[code]
    zones = sorted({z for z in _zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))})
    city_of = {z: get_timezone_location(z, locale="en", return_city=True) for z in zones}
    for city in city_of.values():  # a city's English name is its id: time-zone aliases name one city
        english["city"].setdefault(city, city)
    pairs: list[Pair] = []
    for lang in langs:
        loc = Locale(lang)
        for code in english["state"]:
            state = loc.territories.get(code)
            if state and state != english["state"][code]:
                pairs.append(Pair("state", code, lang, state))
        seen: set[str] = set()
        for z in zones:
            name = get_timezone_location(z, locale=lang, return_city=True)
            if name and name != city_of[z] and city_of[z] not in seen:
                seen.add(city_of[z])
                pairs.append(Pair("city", city_of[z], lang, name))
    return pairs, english


def actor_pairs(langs: tuple[str, ...] = LANGS) -> tuple[list[Pair], dict[str, str]]:
    """Pairs from the curated actors' full names in ``langs``, and their English names."""
    from .build_actors import CURATED

    data = json.loads(CURATED.read_text(encoding="utf-8"))
    english: dict[str, str] = {}
    pairs = []
    for a in data["actors"]:
        english[a["id"]] = a["name"]
        for lang, names in a.get("names", {}).items():
            if lang in langs:
                for n in names[:1]:  # the full name; surnames alone are no pair
                    if n != a["name"]:
                        pairs.append(Pair("actor", a["id"], lang, n))
    return pairs, english


def all_pairs(langs: tuple[str, ...] = LANGS) -> tuple[list[Pair], dict[str, dict[str, str]]]:
    """Every pair in ``langs`` (CLDR, then actors) and the English names by category (state, city,
    actor)."""
    pairs, english = cldr_pairs(langs)
    apairs, aenglish = actor_pairs(langs)
    english["actor"] = aenglish
    return pairs + apairs, english
