"""Golden articles: run the default pipeline on every bundled sample and compare with the
hand-written expectations in tests/golden/*.expected.json (format: tests/golden/README.md).

Article fields are checked per file. Quotes, dates, amounts, entities and roles are scored per
language over the whole set (precision and recall >= 0.8); a section is skipped while the stage
that produces it is not in the default pipeline.
"""
from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
FILES = sorted(GOLDEN.glob("*.expected.json"))
LANGUAGES = sorted({p.name.split("_", 1)[0][:2] for p in FILES})
SECTIONS = ("quotes", "dates", "amounts", "entities", "roles")
STAGE_OF = {"quotes": "quotes", "dates": "dates", "amounts": "amounts", "entities": "entities",
            "roles": "entities"}
FLOOR = 0.8
CHECKED_CREDIT_ROLES = frozenset({"photo", "author", "translation"})
PLACE_TYPES = frozenset({"GPE", "LOC"})
CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}


def _ids(paths: Iterable[Path]) -> list[str]:
    return [p.name.removesuffix(".expected.json") for p in paths]


@functools.cache
def _gold(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _pipeline() -> Any:
    from khabar.pipeline import default_pipeline

    return default_pipeline()


@functools.cache
def _article(path: Path) -> Any:
    """The pipeline's article for the sample named in an expectation file (cached per run)."""
    from khabar.jobs import process_document
    from khabar.model import RawDocument

    sample = ROOT / _gold(path)["input"]
    raw = RawDocument(source=str(sample), data=sample.read_bytes(),
                      content_type=CONTENT_TYPES.get(sample.suffix.lower()))
    return process_document(raw, _pipeline())


# ----- text helpers -------------------------------------------------------------------------

_MARKS = "\"'“”‘’«»‹›„‚`"


def _norm(s: str) -> str:
    """Casefolded NFKC text without quote marks, final punctuation or extra white space."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = "".join(ch for ch in s if ch not in _MARKS)
    return " ".join(s.split()).strip(" .,;:!?،۔؟")


def _pattern(text: str) -> re.Pattern[str]:
    """A regex for ``text`` allowing any run of white space where it has white space, anchored
    at word edges so "روس" does not match inside "روسی"."""
    body = r"\s+".join(re.escape(part) for part in text.split())
    left = r"(?<!\w)" if text[:1].isalnum() else ""
    right = r"(?!\w)" if text[-1:].isalnum() else ""
    return re.compile(left + body + right)


def _locate(items: list[dict[str, Any]], text: str) -> list[tuple[int, int] | None]:
    """Character spans of gold items in the article text: longer items first, each taking the
    first occurrence no earlier item has taken (identical items take successive occurrences)."""
    spans: list[tuple[int, int] | None] = [None] * len(items)
    taken: list[tuple[int, int]] = []
    for i in sorted(range(len(items)), key=lambda k: -len(items[k].get("context") or items[k]["text"])):
        for start, end in _occurrences(items[i], text):
            if all(end <= s or start >= e for s, e in taken):
                spans[i] = (start, end)
                taken.append((start, end))
                break
    return spans


def _occurrences(item: dict[str, Any], text: str) -> Iterable[tuple[int, int]]:
    """Where an item's text occurs; an optional ``context`` (a longer phrase holding the text)
    picks the right one among several identical words."""
    inner = _pattern(item["text"])
    if not item.get("context"):
        yield from ((m.start(), m.end()) for m in inner.finditer(text))
        return
    for outer in _pattern(item["context"]).finditer(text):
        m = inner.search(text, outer.start(), outer.end())
        if m is not None:
            yield m.start(), m.end()


def _visible_text(sample: Path) -> str:
    """The sample's characters as a reader sees them (tags dropped, entities decoded)."""
    raw = sample.read_bytes().decode("utf-8")
    if sample.suffix.lower() in (".html", ".htm"):
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return raw


# ----- matching -------------------------------------------------------------------------------

@dataclass
class Pred:
    """One predicted fact reduced to what matching needs."""

    start: int
    end: int
    text: str
    key: Any  # speaker, value or code, compared by the section's rule
    extra: str = ""


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _same_speaker(gold: str | None, pred: Any) -> bool:
    if not gold or not pred:
        return False
    g, p = _norm(gold), _norm(str(pred))
    return g == p or (min(len(g), len(p)) >= 3 and (g in p or p in g))


def _same_value(gold: Any, pred: Any) -> bool:
    if isinstance(gold, (int, float)) and isinstance(pred, (int, float)):
        return abs(float(gold) - float(pred)) <= 1e-6 * max(1.0, abs(float(gold)))
    return str(gold) == str(pred)


def _same_code(gold: str | None, pred: Any) -> bool:
    return gold is None or (isinstance(pred, dict) and str(pred.get("iso3166", "")).upper() == gold.upper())


def _same_role(gold: str | None, pred: Any) -> bool:
    return bool(gold) and bool(pred) and _norm(str(gold)) == _norm(str(pred))


KEY_MATCH: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "quotes": ("speaker", _same_speaker),
    "dates": ("value", _same_value),
    "amounts": ("value", _same_value),
    "entities": ("iso3166", _same_code),
    "roles": ("role", _same_role),
}


def _predictions(section: str, art: Any) -> list[Pred]:
    """The article's facts for a section, in a common shape."""
    t = art.text
    if section == "quotes":
        return [Pred(q.start, q.end, t[q.start:q.end], q.speaker.name if q.speaker else None) for q in art.quotes]
    if section == "dates":
        return [Pred(d.start, d.end, t[d.start:d.end], d.value) for d in art.dates]
    if section == "amounts":
        return [Pred(a.start, a.end, t[a.start:a.end], a.value) for a in art.amounts]
    if section == "entities":
        return [Pred(e.start, e.end, t[e.start:e.end], e.codes) for e in art.entities if e.type in PLACE_TYPES]
    return [Pred(e.start, e.end, t[e.start:e.end], e.role) for e in art.entities
            if e.role and e.type != "PERSON"]


def _text_fits(section: str, gold: str, span: tuple[int, int] | None, pred: Pred) -> bool:
    """Does the prediction cover the gold expression? By offsets when the gold text was found in
    the article text, else by normalised text."""
    if span is not None:
        if section == "quotes":
            return _iou(span, (pred.start, pred.end)) >= 0.5
        return pred.start < span[1] and span[0] < pred.end
    g, p = _norm(gold), _norm(pred.text)
    return bool(g) and (g == p or (section != "quotes" and (g in p or p in g)))


def score(section: str, gold: list[dict[str, Any]], art: Any) -> tuple[int, int, int, list[str]]:
    """(matched, gold count, predicted count, misses) for one article and section; each
    prediction matches at most one gold item."""
    field, same = KEY_MATCH[section]
    items = [g for g in gold if section != "entities" or g.get("type") in PLACE_TYPES]
    spans = _locate(items, art.text)
    preds = _predictions(section, art)
    used: set[int] = set()
    misses: list[str] = []
    for item, span in zip(items, spans):
        hit = next((k for k, p in enumerate(preds) if k not in used
                    and _text_fits(section, item["text"], span, p) and same(item.get(field), p.key)), None)
        if hit is None:
            misses.append(f"{item['text'][:40]!r}={item.get(field)!r}")
        else:
            used.add(hit)
    return len(used), len(items), len(preds), misses


# ----- the expectation files themselves -----------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_expectations_point_at_real_text(path: Path) -> None:
    """Every expected text really occurs in its sample (a typo in a gold file fails here)."""
    gold = _gold(path)
    sample = ROOT / gold["input"]
    assert sample.is_file(), f"{gold['input']} is missing"
    text = _visible_text(sample)
    for section in SECTIONS:
        items = gold.get(section, [])
        missing = [it["text"] for it, sp in zip(items, _locate(items, text)) if sp is None]
        assert not missing, f"{path.name}: {section} texts not found in {gold['input']}: {missing}"
    art = gold["article"]
    for phrase in art.get("body_includes", []) + art.get("body_excludes", []):
        assert _pattern(phrase).search(text), f"{path.name}: {phrase!r} is not in the sample"


def test_every_sample_has_an_expectation() -> None:
    """Each bundled sample article has a gold file, and the set has both formats per language."""
    named = {_gold(p)["input"] for p in FILES}
    samples = {str(p.relative_to(ROOT)) for p in (ROOT / "samples").rglob("*") if p.suffix in CONTENT_TYPES}
    assert samples - named == set(), f"samples without expectations: {sorted(samples - named)}"
    for lang in LANGUAGES:
        mine = [n for n in named if Path(n).name.startswith(lang)]
        assert sum(n.endswith(".txt") for n in mine) >= 5 and sum(n.endswith(".html") for n in mine) >= 5


# ----- article fields, per file ---------------------------------------------------------------

def _published_ok(want: str | None, got: str | None) -> bool:
    if want is None or got is None:
        return want == got
    return got[: len(want)] == want if len(want) == 10 else got == want


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_article_fields(path: Path) -> None:
    """Language, outlet, publication time and its source, title, credits, comment count, source
    URL, original language and the body's edges, exactly as written in the gold file."""
    want = _gold(path)["article"]
    art = _article(path)
    problems: list[str] = []

    def check(name: str, ok: bool, got: Any) -> None:
        if not ok:
            problems.append(f"{name}: expected {want.get(name)!r}, got {got!r}")

    for name in ("language", "title", "comment_count", "source_url", "original_language"):
        check(name, getattr(art, name) == want.get(name), getattr(art, name))
    check("outlet", (art.outlet or "").casefold() == (want.get("outlet") or "").casefold(), art.outlet)
    check("published", _published_ok(want.get("published"), art.published), art.published)
    sources = want.get("published_source")
    sources = sources if isinstance(sources, list) else [sources]
    check("published_source", art.published_source in sources, art.published_source)
    got_credits = {(c.role, c.name) for c in art.credits if c.role in CHECKED_CREDIT_ROLES}
    check("credits", got_credits == {(c["role"], c["name"]) for c in want.get("credits", [])}, sorted(got_credits))
    body = " ".join(art.body.split())
    for phrase in want.get("body_includes", []):
        if not _pattern(phrase).search(body):
            problems.append(f"body lacks {phrase!r}")
    for phrase in want.get("body_excludes", []):
        if _pattern(phrase).search(body):
            problems.append(f"body wrongly holds {phrase!r}")
    assert not problems, f"{path.name}: " + "; ".join(problems)


# ----- facts, aggregated per language ---------------------------------------------------------

@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_facts_per_language(lang: str, section: str) -> None:
    """Precision and recall of a section over all of a language's golden articles >= 0.8."""
    stage = STAGE_OF[section]
    if stage not in _pipeline().names:
        pytest.skip(f"stage {stage!r} is not in the default pipeline yet; {section} not scored")
    matched = n_gold = n_pred = 0
    misses: list[str] = []
    for path in FILES:
        gold = _gold(path)
        if gold["article"].get("language") != lang:
            continue
        m, g, p, miss = score(section, gold.get(section, []), _article(path))
        matched, n_gold, n_pred = matched + m, n_gold + g, n_pred + p
        misses += [f"{path.name.split('.')[0]}: {x}" for x in miss]
    recall = matched / n_gold if n_gold else 1.0
    precision = matched / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    msg = (f"{lang} {section}: recall {recall:.2f} ({matched}/{n_gold}), precision {precision:.2f} "
           f"({matched}/{n_pred}); floor {FLOOR}. First misses: {misses[:12]}")
    print(msg)
    assert recall >= FLOOR and precision >= FLOOR, msg


# ----- bad inputs -----------------------------------------------------------------------------

def test_navigation_only_page_is_not_an_article() -> None:
    """A page of menus, trending links and a footer raises NoArticle with a one-line message."""
    from khabar.errors import NoArticle
    from khabar.jobs import process_document
    from khabar.model import RawDocument

    page = GOLDEN / "bad" / "nav_only.html"
    raw = RawDocument(source=str(page), data=page.read_bytes(), content_type="text/html")
    with pytest.raises(NoArticle) as info:
        process_document(raw, _pipeline())
    assert "\n" not in str(info.value)


def test_windows_1256_urdu_is_decoded() -> None:
    """An Urdu article saved in windows-1256 (no charset given) is decoded, not rejected."""
    from khabar.jobs import process_document
    from khabar.model import RawDocument

    path = GOLDEN / "bad" / "ur_cp1256.txt"
    raw = RawDocument(source=str(path), data=path.read_bytes(), content_type="text/plain")
    art = process_document(raw, _pipeline())
    assert art.language == "ur"
    assert "ادارہ شماريات کے مطابق" in art.body
    assert "\ufffd" not in art.text
