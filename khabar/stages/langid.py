"""The langid stage: which language and script an article is in, and what language it was first
written in.

Language (``article.language``, ``language_confidence``, ``script``):
1. Read a sample: title + body (the whole text when extraction found no body), the first
   ``sample_chars`` characters (``khabar/langs/_common/langid.json``).
2. Count letters per script (``khabar.text.script``); the dominant script is ``article.script``.
3. Candidates are the configured languages (``settings.languages``) written in that script
   (``scripts`` in ``khabar/langs/<code>/langid.json``). No candidate: ``und``, evidence
   ``unsupported-script``. One candidate (Cyrillic -> ru, Devanagari -> hi): decided by the script
   (evidence ``script``), confidence = the script's share of the letters.
4. Fewer than ``min_letters`` letters with several candidates: ``und``, evidence ``too-short``.
5. Otherwise lingua (built once per language set with ``LanguageDetectorBuilder.from_languages``,
   cached in ``ctx``, models loaded lazily) scores the candidates (evidence ``lingua``). Marker
   letters settle script neighbours: when exactly one candidate's ``marker_letters`` (Urdu ٹ ڈ ڑ ں ے)
   reach ``min_marker_rate`` of the letters and lingua chose another, the marker language wins
   (evidence ``script-markers``).
``article.evidence["language"]`` always says which path decided, with a detail line. ``und`` is
the language of an article we cannot tell; its confidence is None.

Original language (``original_language``, ``original_language_reason``, evidence
``original_language``), first rule that speaks wins:
a. a translation note (a ``translation`` zone or credit, or a short first/last line with a
   translation cue from the pack) naming a language: CLDR language names through Babel, in the
   article's language and in English;
b. the source URL (``article.source_url``) or a source credit naming a known outlet
   (``khabar.kb.outlets``): its language, unless the URL is the outlet's edition in the article's
   language (bbc.com/urdu) or the outlet's country also writes the article's language (CLDR
   official languages: an Urdu story sourced to a Pakistani agency is no sign of translation);
   agency credits only count when they point at the article's language (a wire exists in many
   languages, so a foreign agency leaves the origin uncertain);
c. the source URL's country-code TLD, through CLDR's official languages of the territory.
A rule naming the article's own language says "same language". A translation note without a
language, or evidence that is ambiguous, gives None with the reason; no evidence at all gives the
article's language with "no sign of translation".
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from ..langs import pack
from ..model import Article, MetaEvidence
from ..pipeline import Context, stage
from ..text.fold import fold_for_matching
from ..text.script import dominant_script

log = logging.getLogger(__name__)

VERSION = "1"
RULE = f"langid@{VERSION}"
UND = "und"


@dataclass(frozen=True)
class Profile:
    """What langid knows about one language, from its pack's ``langid.json``."""

    code: str
    scripts: frozenset[str]
    markers: frozenset[str]
    cues: tuple[str, ...]
    stem_strip: int


@dataclass(frozen=True)
class Guess:
    """The outcome of language identification."""

    language: str
    confidence: float | None
    script: str | None
    source: str
    detail: str


@functools.lru_cache(maxsize=1)
def common() -> dict[str, Any]:
    """The language-independent langid settings (``_common/langid.json``)."""
    return dict(pack("_common").json("langid"))


@functools.lru_cache(maxsize=None)
def profile(code: str) -> Profile:
    """The langid profile of ``code``; an empty one when its pack has no ``langid.json``."""
    lp = pack(code)
    data: dict[str, Any] = lp.json("langid") if lp.has("langid.json") else {}
    cues = list(data.get("translation_cues", []))
    if lp.has("furniture.json"):
        cues += lp.json("furniture").get("translation_cues", [])
    return Profile(
        code,
        frozenset(data.get("scripts", [])),
        frozenset(data.get("marker_letters", "")),
        tuple(sorted({fold_for_matching(c) for c in cues if c.strip()}, key=len, reverse=True)),
        int(data.get("name_stem_strip", 0)),
    )


# ----- language -------------------------------------------------------------------------------

def build_detector(languages: tuple[str, ...]) -> Any:
    """A lingua detector restricted to ``languages`` (codes lingua does not know are left out)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    known = []
    for code in languages:
        try:
            known.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            log.warning("lingua does not know language %r; langid leaves it out", code)
    if len(known) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*known).build()


def sample_of(article: Article, limit: int) -> str:
    """Title and body (or the whole text without body zones), cut to ``limit`` characters."""
    body = article.body or article.text
    title = article.title or ""
    return (title + "\n" + body if title else body)[:limit]


def _marker_winner(sample: str, letters: int, candidates: list[str]) -> str | None:
    rate = float(common()["min_marker_rate"])
    counts = {c: sum(sample.count(m) for m in profile(c).markers) for c in candidates}
    marked = [c for c, n in counts.items() if n >= max(1.0, rate * letters)]
    return marked[0] if len(marked) == 1 else None


def _scores(detector: Any, sample: str, candidates: list[str]) -> dict[str, float]:
    values = {cv.language.iso_code_639_1.name.lower(): float(cv.value)
              for cv in detector.compute_language_confidence_values(sample)}
    kept = {c: values.get(c, 0.0) for c in candidates}
    total = sum(kept.values())
    return {c: v / total for c, v in kept.items()} if total > 0 else {}


def guess_language(sample: str, languages: tuple[str, ...], detector: Callable[[], Any]) -> Guess:
    """Identify the language of ``sample`` among ``languages``; ``detector`` builds (or returns
    the cached) lingua detector and is only called when statistics are needed."""
    cfg = common()
    script, share, letters = dominant_script(sample)
    if script is None:
        return Guess(UND, None, None, "no-letters", "the text has no letters")
    candidates = [c for c in languages if script in profile(c).scripts or not profile(c).scripts]
    if not candidates:
        return Guess(UND, None, script, "unsupported-script", f"no configured language is written in {script}")
    if len(candidates) == 1 and letters >= int(cfg["min_script_letters"]):
        return Guess(candidates[0], round(share, 3), script, "script", f"only {candidates[0]} is written in {script}")
    if letters < int(cfg["min_letters"]):
        return Guess(UND, None, script, "too-short", f"{letters} letters, need {cfg['min_letters']}")
    det = detector()
    scores = _scores(det, sample, candidates) if det is not None else {}
    best = max(scores, key=lambda c: scores[c]) if scores else None
    marked = _marker_winner(sample, letters, candidates)
    if marked is not None and marked != best:
        why = f"{marked} marker letters; lingua said {best or 'nothing'}"
        return Guess(marked, round(max(scores.get(marked, 0.0), 0.75), 3), script, "script-markers", why)
    if best is None:
        return Guess(UND, None, script, "undetermined", "lingua gave no language")
    return Guess(best, round(scores[best], 3), script, "lingua", f"{script} text, {len(candidates)} candidates")


# ----- original language -----------------------------------------------------------------------

@dataclass(frozen=True)
class Origin:
    """The original language of an article (None: uncertain), why, and where it was read."""

    language: str | None
    reason: str
    source: str
    start: int | None = None
    end: int | None = None


@functools.lru_cache(maxsize=None)
def _name_pattern(locale: str, strip: int) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A regex over folded text finding CLDR language names of ``locale`` (2-letter codes only)."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(locale).languages
    except (UnknownLocaleError, ValueError):
        return None, {}
    index: dict[str, str] = {}
    for code, name in names.items():
        key = fold_for_matching(name)
        if re.fullmatch(r"[a-z]{2}", code) and len(key) >= 3:
            key = key[:-strip] if strip and len(key) > strip + 3 else key
            index.setdefault(key, code)
    tail = "" if strip else r"(?!\w)"
    alts = "|".join(re.escape(k) for k in sorted(index, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts}){tail}"), index


def _named_language(line: str, locales: tuple[str, ...], own: str) -> tuple[str, str] | None:
    folded = fold_for_matching(line)
    for loc in locales:
        pattern, index = _name_pattern(loc, profile(loc).stem_strip)
        if pattern is None:
            continue
        for m in pattern.finditer(folded):
            if index[m.group()] != own:
                return index[m.group()], m.group()
    return None


def _note_lines(article: Article, cues: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans that may be translation notes: translation zones and credits, and short first or
    last lines that hold a translation cue."""
    spans = [(z.start, z.end) for z in article.zones if z.kind == "translation"]
    spans += [(c.start, c.end) for c in article.credits if c.role == "translation"]
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", article.text) if m.group().strip()]
    for s, e in dict.fromkeys(lines[:3] + lines[-4:]):
        folded = fold_for_matching(article.text[s:e]) if e - s <= 200 else ""
        if any(cue in folded for cue in cues):
            spans.append((s, e))
    return spans


def _translation_note(article: Article, lang: str) -> tuple[Origin | None, tuple[int, int] | None]:
    cues = tuple(dict.fromkeys(profile(lang).cues + profile("en").cues))
    spans = _note_lines(article, cues)
    locales = tuple(dict.fromkeys((lang, "en")))
    for s, e in spans:
        found = _named_language(article.text[s:e], locales, lang)
        if found is not None:
            code, name = found
            return Origin(code, f"translation note names {name} ({code})", "translation-note", s, e), None
    return None, (spans[0] if spans else None)


def _url_host(url: str | None) -> str | None:
    try:
        return (urlsplit(url).hostname or None) if url else None
    except ValueError:
        return None


def _edition_of(url: str, lang: str) -> bool:
    """Whether ``url`` names ``lang``'s edition of a multilingual outlet (bbc.com/urdu, urdu.geo.tv)."""
    from babel import Locale

    english = Locale("en").languages.get(lang, lang).lower()
    parts = set(re.split(r"[^a-z]+", url.lower()))
    return english in parts or lang in parts


def _territory_languages(territory: str) -> tuple[str, ...]:
    """Official languages of a territory in CLDR (de facto ones when it names none)."""
    from babel.languages import get_official_languages

    try:
        langs = get_official_languages(territory) or get_official_languages(territory, de_facto=True)
    except (KeyError, ValueError):
        return ()
    return tuple(langs)


def _outlet_says(outlet: Any, lang: str, url: str | None) -> tuple[str | None, str]:
    """The original language a source outlet implies for an article in ``lang``, and why. An
    outlet writing in another language is the origin, unless ``url`` is its ``lang`` edition
    (bbc.com/urdu) or its country also writes ``lang`` (a Pakistani agency behind an Urdu story
    may have written it in Urdu: no sign of translation)."""
    if outlet.language == lang or (url and _edition_of(url, lang)):
        return lang, f"{outlet.name} writes {lang}"
    if lang in _territory_languages(outlet.country):
        return lang, f"{outlet.name} ({outlet.language}) is from {outlet.country}, which writes {lang} too"
    return outlet.language, f"{outlet.name} writes {outlet.language}"


def _outlet_origin(article: Article, lang: str) -> Origin | None:
    from ..errors import ModelError
    from ..kb import outlets as kb

    try:
        src = article.source_url
        outlet = kb.by_host(_url_host(src))
        if outlet is not None and src:
            code, why = _outlet_says(outlet, lang, src)
            at = article.text.find(src)
            span = (at, at + len(src)) if at >= 0 else (None, None)
            return Origin(code, f"source line points at {_url_host(src)} ({why})", "source-outlet", *span)
        for credit in sorted(article.credits, key=lambda c: c.role != "source"):
            outlet = kb.by_name(credit.name) if credit.role in ("source", "agency") else None
            if outlet is None:
                continue
            code, why = _outlet_says(outlet, lang, None)
            if credit.role == "source" or code == lang:
                return Origin(code, f"credited to {outlet.name} ({why})", "credit-outlet", credit.start, credit.end)
            how = f"credited to agency {outlet.name} ({outlet.language}); wires exist in several languages"
            return Origin(None, how, "credit-outlet", credit.start, credit.end)
    except ModelError as err:
        log.warning("outlet knowledge base unusable: %s", err)
    return None


def _tld_origin(article: Article, lang: str) -> Origin | None:
    host = _url_host(article.source_url)
    if host is None or "." not in host:
        return None
    cfg = common()
    tld = host.rsplit(".", 1)[1]
    if tld in cfg["generic"]:
        return None
    where = f"source line points at {host}"
    if tld in cfg["tld_language"]:
        langs: tuple[str, ...] = (cfg["tld_language"][tld],)
    else:
        territory = cfg["tld_territory"].get(tld, tld.upper())
        if not territory:
            return None
        langs = _territory_languages(territory)
    if not langs:
        return None
    if lang in langs:
        return Origin(lang, f"{where} (.{tld}: {'/'.join(langs)}), the article's language", "source-tld")
    if len(langs) == 1:
        return Origin(langs[0], f"{where} (.{tld}: {langs[0]})", "source-tld")
    return Origin(None, f"{where} (.{tld}: one of {'/'.join(langs)})", "source-tld")


def original_language(article: Article, lang: str) -> Origin:
    """The original language of ``article`` written in ``lang`` (see the module docstring)."""
    if lang == UND:
        return Origin(None, "the article's language is unknown", "none")
    note, marked = _translation_note(article, lang)
    if note is not None:
        return note
    for rule in (_outlet_origin, _tld_origin):
        found = rule(article, lang)
        if found is not None and not (marked and found.language == lang):
            return found
    if marked is not None:
        return Origin(None, "marked as a translation without naming the source language", "translation-note", *marked)
    return Origin(lang, "no sign of translation", "none")


# ----- the stage ---------------------------------------------------------------------------------

def _langid(article: Article, ctx: Context) -> None:
    """Set language, confidence, script and original language of ``article``, with evidence."""
    languages = tuple(ctx.settings.languages)
    sample = sample_of(article, int(common()["sample_chars"]))
    key = "langid.lingua:" + ",".join(sorted(languages))
    guess = guess_language(sample, languages, lambda: ctx.cached(key, lambda: build_detector(languages)))
    article.language = guess.language
    article.language_confidence = guess.confidence
    article.script = guess.script
    article.evidence["language"] = MetaEvidence(guess.source, RULE, None, None, guess.detail)
    origin = original_language(article, guess.language)
    article.original_language = origin.language
    article.original_language_reason = origin.reason
    article.evidence["original_language"] = MetaEvidence(origin.source, RULE, origin.start, origin.end, origin.reason)


LANGID = stage(
    "langid",
    VERSION,
    requires={"text"},
    assigns={"language", "language_confidence", "script", "original_language", "original_language_reason"},
)(_langid)
