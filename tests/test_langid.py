"""The langid stage: language, script, confidence, evidence and original language."""
from __future__ import annotations

import csv
import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from khabar.model import Article, Credit, Zone
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.stages.langid import LANGID, guess_language, original_language
from khabar.text.script import char_script, dominant_script, script_counts

ALL = ("ur", "en", "vi", "ar", "fa", "hi", "ru")

# Sentences written for these tests.
URDU = "وزیر اعظم نے کہا کہ حکومت اگلے ہفتے نئے بجٹ کا اعلان کرے گی اور عوام کو ریلیف ملے گا۔"
URDU_ARABIC_KEYS = "وزير اعظم نے كہا كہ حكومت اگلے ہفتے نئے بجٹ كا اعلان كرے گی اور عوام كو ريليف ملے گا۔"
ARABIC = "قال وزير الخارجية إن الحكومة ستعلن عن الميزانية الجديدة في الأسبوع المقبل بعد اجتماع طويل."
PERSIAN = "وزیر امور خارجه گفت که دولت هفته آینده بودجه جدید را پس از یک نشست طولانی اعلام می‌کند."
HINDI = "प्रधानमंत्री ने कहा कि सरकार अगले सप्ताह नए बजट की घोषणा करेगी और लोगों को राहत मिलेगी।"
RUSSIAN = "Министр иностранных дел заявил, что правительство объявит новый бюджет на следующей неделе."
ENGLISH = "The foreign minister said the government would announce the new budget next week after a long meeting."
VIETNAMESE = "Bộ trưởng Ngoại giao cho biết chính phủ sẽ công bố ngân sách mới vào tuần tới sau một cuộc họp dài."


def run(article: Article, languages: tuple[str, ...] = ALL) -> Article:
    Pipeline([LANGID], Settings(languages=languages)).process(article)
    assert not article.errors, article.errors
    return article


@pytest.mark.parametrize(
    "text, lang, script, source",
    [
        (URDU, "ur", "Arab", "lingua"),
        (ARABIC, "ar", "Arab", "lingua"),
        (PERSIAN, "fa", "Arab", "lingua"),
        (ENGLISH, "en", "Latn", "lingua"),
        (VIETNAMESE, "vi", "Latn", "lingua"),
        (HINDI, "hi", "Deva", "script"),
        (RUSSIAN, "ru", "Cyrl", "script"),
    ],
)
def test_language_and_script(text: str, lang: str, script: str, source: str) -> None:
    art = run(Article(text=text))
    assert (art.language, art.script) == (lang, script)
    assert art.evidence["language"].source == source
    assert art.language_confidence is not None and art.language_confidence > 0.5
    assert art.stages["langid"] == LANGID.version


def test_urdu_typed_on_an_arabic_keyboard_is_urdu() -> None:
    assert run(Article(text=URDU_ARABIC_KEYS)).language == "ur"


def test_hindi_and_urdu_are_told_apart_by_script() -> None:
    assert run(Article(text=HINDI), ("ur", "hi")).language == "hi"
    assert run(Article(text=URDU), ("ur", "hi")).language == "ur"


def test_title_and_body_zones_are_read_not_furniture() -> None:
    text = "Photo: Reuters\n" + URDU + "\n" + URDU
    art = Article(text=text, title=None)
    start = text.index(URDU)
    art.zones = [Zone(0, 14, "test", "caption"), Zone(start, len(text), "test", "body")]
    assert run(art).language == "ur"


def test_too_short_is_und_with_reason() -> None:
    art = run(Article(text="OK, 12 votes."))
    assert art.language == "und" and art.language_confidence is None
    assert art.evidence["language"].source == "too-short"
    assert art.original_language is None


def test_unsupported_script_and_no_letters() -> None:
    art = run(Article(text="政府宣布了新的预算，部长在会议后发表讲话。"))
    assert (art.language, art.script) == ("und", "Hani")
    assert art.evidence["language"].source == "unsupported-script"
    art = run(Article(text="12 345 — 67,890 (2024)"))
    assert art.language == "und" and art.evidence["language"].source == "no-letters"


def test_only_configured_languages_are_candidates() -> None:
    art = run(Article(text=RUSSIAN), ("ur", "en"))
    assert art.language == "und" and art.evidence["language"].source == "unsupported-script"


class FakeDetector:
    """Stands in for lingua: always prefers ``best``."""

    def __init__(self, best: str) -> None:
        self.best = best

    def compute_language_confidence_values(self, text: str) -> list[Any]:
        from lingua import IsoCode639_1, Language

        class CV:
            def __init__(self, code: str, value: float) -> None:
                self.language = Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                self.value = value

        return [CV(c, 0.9 if c == self.best else 0.1 / 6) for c in ALL]


def test_marker_letters_overrule_a_wrong_statistical_guess() -> None:
    guess = guess_language(URDU, ALL, lambda: FakeDetector("ar"))
    assert guess.language == "ur" and guess.source == "script-markers"
    assert "lingua said ar" in guess.detail
    # without Urdu letters the statistical guess stands
    guess = guess_language(PERSIAN, ALL, lambda: FakeDetector("fa"))
    assert guess.language == "fa" and guess.source == "lingua"


def test_detector_is_built_once_per_pipeline() -> None:
    pipe = Pipeline([LANGID], Settings(languages=("ur", "en")))
    pipe.process(Article(text=URDU))
    cached = dict(pipe.ctx.cache)
    pipe.process(Article(text=ENGLISH))
    assert pipe.ctx.cache.keys() == cached.keys()
    assert all(pipe.ctx.cache[k] is v for k, v in cached.items())


def test_script_helpers() -> None:
    assert char_script("ک") == "Arab" and char_script("a") == "Latn" and char_script("ж") == "Cyrl"
    assert char_script("क") == "Deva" and char_script("5") is None and char_script(" ") is None
    counts = script_counts("abc دو")
    assert counts["Latn"] == 3 and counts["Arab"] == 2
    assert dominant_script("")[0] is None
    assert dominant_script("ab پاکستان")[:1] == ("Arab",)


# ----- original language -----------------------------------------------------------------------

def urdu_article(extra: str = "", **kw: Any) -> Article:
    text = URDU + "\n" + URDU + ("\n" + extra if extra else "")
    return Article(text=text, **kw)


def test_no_sign_of_translation() -> None:
    art = run(urdu_article())
    assert art.original_language == "ur"
    assert art.original_language_reason == "no sign of translation"


def test_source_url_of_a_known_foreign_outlet() -> None:
    url = "https://dantri.com.vn/the-gioi/tin-20240101.htm"
    art = run(urdu_article("ماخذ: " + url, source_url=url))
    assert art.original_language == "vi"
    assert "dantri.com.vn" in (art.original_language_reason or "")
    ev = art.evidence["original_language"]
    assert ev.source == "source-outlet" and art.text[ev.start : ev.end] == url


def test_source_outlet_of_another_language_or_of_a_country_writing_ours() -> None:
    art = run(urdu_article(source_url="https://www.reuters.com/world/asia/story-2025/"))
    assert art.original_language == "en"
    # an English-language Pakistani agency: Pakistan writes Urdu too, so no sign of translation
    art = run(urdu_article(source_url="https://www.app.com.pk/national/story/"))
    assert art.original_language == "ur" and "PK" in (art.original_language_reason or "")


def test_source_url_country_code_tld() -> None:
    art = run(urdu_article(source_url="https://www.example-gazeta.ru/news/1.html"))
    assert art.original_language == "ru" and art.evidence["original_language"].source == "source-tld"
    art = run(urdu_article(source_url="https://www.example-akhbar.com.pk/news/1"))
    assert art.original_language == "ur"  # Pakistan writes Urdu (and English): no translation
    art = run(urdu_article(source_url="https://www.example-news.in/story"))
    assert art.original_language is None  # Hindi or English: uncertain
    assert "hi" in (art.original_language_reason or "")


def test_language_edition_of_a_multilingual_outlet() -> None:
    art = run(urdu_article(source_url="https://www.bbc.com/urdu/articles/abc"))
    assert art.original_language == "ur"


def test_translation_note_naming_a_language() -> None:
    note = "ویتنامی زبان سے ترجمہ: احمد علی"
    art = run(urdu_article(note))
    assert art.original_language == "vi"
    ev = art.evidence["original_language"]
    assert ev.source == "translation-note" and art.text[ev.start : ev.end] == note


def test_english_translation_note_with_inflected_name() -> None:
    text = ENGLISH + "\n" + ENGLISH + "\nTranslated from the Russian by Jane Doe."
    assert run(Article(text=text)).original_language == "ru"
    text = RUSSIAN + "\n" + RUSSIAN + "\nПеревод с английского."
    assert run(Article(text=text)).original_language == "en"


def test_translation_credit_without_language_is_uncertain() -> None:
    text = URDU + "\n" + URDU + "\nترجمہ: احمد علی"
    art = Article(text=text)
    start = text.rindex("احمد")
    art.credits = [Credit(start, len(text), "test", "translation", "احمد علی")]
    art = run(art)
    assert art.original_language is None
    assert "without naming" in (art.original_language_reason or "")


def test_agency_credit() -> None:
    text = URDU + "\n" + URDU
    art = Article(text=text)
    art.credits = [Credit(0, 3, "test", "agency", "Reuters")]
    art = run(art)
    assert art.original_language is None and "Reuters" in (art.original_language_reason or "")
    art = Article(text=text)
    art.credits = [Credit(0, 3, "test", "source", "Dan Tri")]
    assert run(art).original_language == "vi"


def test_missing_outlet_knowledge_falls_back_to_the_tld(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.errors import ModelError
    from khabar.kb import outlets

    def broken(*_: object) -> None:
        raise ModelError("outlet knowledge base is corrupt")

    monkeypatch.setattr(outlets, "by_host", broken)
    monkeypatch.setattr(outlets, "by_name", broken)
    art = run(urdu_article(source_url="https://dantri.com.vn/the-gioi/x.htm"))
    assert art.original_language == "vi" and art.evidence["original_language"].source == "source-tld"


def test_langid_data_names_its_source() -> None:
    from khabar.langs import LANGS_DIR

    paths = sorted(LANGS_DIR.glob("*/langid.json"))
    assert {p.parent.name for p in paths} >= set(ALL) | {"_common"}
    for p in paths:
        data = json.loads(p.read_text(encoding="utf-8"))
        assert data.get("_source"), p
        for script in data.get("scripts", []):
            assert len(script) == 4 and script.istitle(), (p, script)


def test_original_language_of_und() -> None:
    assert original_language(Article(text="x"), "und").language is None


# ----- accuracy on treebank sentences (../shared) ------------------------------------------------

def _conllu_texts(paths: list[Path]) -> list[str]:
    out = []
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text ="):  # the Vietnamese treebank omits the space after "="
                out.append(line[len("# text =") :].strip())
    return out


def _column_texts(path: Path) -> list[str]:
    out, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.split("\t")[0])
        elif words:
            out.append(" ".join(words))
            words = []
    return out


def _csv_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def sentences(shared: Path) -> dict[str, list[str]]:
    d = shared / "data"
    return {
        "ur": _conllu_texts(sorted((d / "ud/ur").glob("*.conllu"))),
        "en": _conllu_texts(sorted((d / "ud/en").glob("*.conllu"))),
        "vi": _conllu_texts(sorted((d / "ud/vi").glob("*-test.conllu"))),
        "fa": _conllu_texts(sorted((d / "ud/fa").glob("*/*-test.conllu"))),
        "ru": _conllu_texts(sorted((d / "ud/ru").glob("*.conllu"))),
        "hi": _column_texts(d / "ner/hi/Hindi-test.txt"),
        "ar": _csv_texts(d / "events/arabic_event_gsr/protest_gsr.csv"),
    }


@pytest.mark.slow
def test_accuracy_on_sentences(shared: Path) -> None:
    """Up to 100 sentences per language and length band: accuracy >= 0.95 on sentences longer than
    40 characters, >= 0.90 on 25-40 characters (short ones may also come out ``und``).
    Run with ``-s`` to see the figures."""
    pipe = Pipeline([LANGID], Settings(languages=ALL))
    rng = random.Random(20261129)
    for text in (URDU, ARABIC, PERSIAN, ENGLISH, VIETNAMESE):  # load the models before timing
        pipe.process(Article(text=text))
    report = []
    for lang, texts in sentences(shared).items():
        for low, high, floor in ((41, 10**9, 0.95), (25, 41, 0.90)):
            pool = [t for t in texts if low <= len(t) < high]
            sample = rng.sample(pool, min(100, len(pool)))
            t0 = time.perf_counter()
            got = [pipe.process(Article(text=t)).language for t in sample]
            ms = (time.perf_counter() - t0) * 1000 / len(sample)
            acc = sum(g == lang for g in got) / len(got)
            report.append((lang, f"{low}-{high if high < 10**9 else ''}", len(got), acc, floor, ms, sorted(set(got) - {lang})))
    print("\nlangid accuracy per language and sentence length (characters)")
    for lang, band, n, acc, floor, ms, wrong in report:
        print(f"  {lang} {band:>6}: {acc:.2f} of {n} (floor {floor})  {ms:.2f} ms/sentence  other labels: {wrong}")
    assert all(acc >= floor for _, _, _, acc, floor, _, _ in report), report


@pytest.mark.slow
def test_whole_articles_language_origin_and_speed(shared: Path, seed_path: Path) -> None:
    """Real articles through extraction, langid and normalise: the seed (Urdu, its source line
    points at a Vietnamese outlet), Vietnamese news and English political news. Prints ms/article."""
    from khabar.jobs import process_text
    from khabar.stages.normalise import NORMALISE

    pipe = Pipeline([LANGID, NORMALISE], Settings(languages=ALL))
    seed = process_text(seed_path.read_text(encoding="utf-8"), pipeline=pipe)
    assert (seed.language, seed.script, seed.original_language) == ("ur", "Arab", "vi")
    assert seed.norm is not None and seed.norm.version == "norm1/ur"
    d = shared / "data"
    groups = {
        "vi": sorted((d / "text/vi/CP_Vietnamese-UNC").glob("news_*.txt"))[:40],
        "en": sorted((d / "eval/quotes/PolNeAR-dev/text").glob("*"))[:40],
    }
    for lang, paths in groups.items():
        texts = [p.read_text(encoding="utf-8") for p in paths]
        t0 = time.perf_counter()
        arts = [pipe.process(Article(text=t)) for t in texts]
        ms = (time.perf_counter() - t0) * 1000 / len(arts)
        chars = sum(map(len, texts)) / len(texts)
        print(f"\n{lang}: {len(arts)} articles, {chars:.0f} chars on average, {ms:.2f} ms/article (langid+normalise)")
        assert sum(a.language == lang for a in arts) >= 0.95 * len(arts)
        assert all(a.original_language in (lang, None) for a in arts)
