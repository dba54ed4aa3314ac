"""The analyse stage: per-language models, entities and syntax with original offsets, clean failures.

The seed-article test reads the article in place and states its expectations as Latin names,
compared with the Urdu entity text through a rough letter-by-letter transliteration written here,
so no text of the article appears in this file.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from khabar.errors import ModelError
from khabar.langs import pack
from khabar.model import Article, Sentence
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages.analyse import ANALYSE, load_model_dir

# A rough Urdu -> Latin letter map (our own), enough to recognise a transliterated name.
_LATIN = {
    "ا": "a", "آ": "a", "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "ch",
    "ح": "h", "خ": "kh", "د": "d", "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "zh",
    "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f",
    "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n", "و": "o", "ہ": "h",
    "ھ": "h", "ی": "i", "ے": "e", "ئ": "i", "ء": "", " ": " ",
}


def latin(text: str) -> str:
    """A rough Latin rendering of Urdu letters (unknown characters dropped)."""
    return "".join(_LATIN.get(ch, "") for ch in text)


def _needs_model(code: str) -> None:
    if not pack(code).path("model").is_dir():
        pytest.skip(f"no shipped {code} model")


def _article(text: str, language: str | None) -> Article:
    art = Article(text=text, language=language)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    ends = [i for i, ch in enumerate(text) if ch == "\n"] + [len(text)]
    art.sentences = [Sentence(a, b, "test") for a, b in zip(starts, ends) if text[a:b].strip()]
    return art


def test_unknown_language_records_a_reason_and_does_nothing() -> None:
    art = _article("Xyzzy plugh.", "zz")
    ANALYSE.func(art, Context(Settings()))
    assert art.tokens == [] and art.entities == [] and art.errors == []
    reason = art.evidence["analyse"]
    assert reason.source == "no-model" and "no trained model for language 'zz'" in (reason.detail or "")


def test_missing_model_file_is_a_one_line_model_error(tmp_path: Path) -> None:
    _needs_model("en")
    broken = tmp_path / "en" / "model"
    shutil.copytree(pack("en").path("model"), broken)
    (broken / "meta.json").unlink()
    with pytest.raises(ModelError) as info:
        load_model_dir(broken)
    msg = info.value.one_line()
    assert "\n" not in msg and "python -m khabar.train en" in msg and msg.startswith("[K600]")


def test_corrupt_model_file_is_a_one_line_model_error(tmp_path: Path) -> None:
    _needs_model("en")
    broken = tmp_path / "en" / "model"
    shutil.copytree(pack("en").path("model"), broken)
    (broken / "ner" / "model").write_bytes(b"\x00not a model")
    with pytest.raises(ModelError, match="python -m khabar.train en"):
        load_model_dir(broken)


def test_english_syntax_and_entities_point_into_the_original_text() -> None:
    _needs_model("en")
    text = "Maria Lopez signed the agreement with the United Nations in Geneva.\nShe left on Monday."
    art = _article(text, "en")
    ANALYSE.func(art, Context(Settings()))
    words = [text[t.start : t.end] for t in art.tokens]
    assert words[:3] == ["Maria", "Lopez", "signed"]
    verb = art.tokens[2]
    assert verb.upos == "VERB" and verb.dep == "root" and verb.head == 2
    deps = {(text[t.start : t.end], t.dep, t.head) for t in art.tokens if t.sentence == 0}
    assert ("Maria", "nsubj", 2) in deps and ("agreement", "obj", 2) in deps  # UD: a name's head is its first word
    assert art.tokens[-1].sentence == 1 and text[art.tokens[-1].start : art.tokens[-1].end] == "."
    found = {(text[e.start : e.end], e.type) for e in art.entities}
    assert {("Maria Lopez", "PERSON"), ("United Nations", "ORG"), ("Geneva", "LOC")} <= found
    assert all(e.rule.startswith("analyse@") for e in art.entities)


def test_entities_from_earlier_stages_win_and_reruns_do_not_duplicate() -> None:
    _needs_model("en")
    from khabar.model import Entity

    text = "Maria Lopez visited Geneva."
    art = _article(text, "en")
    art.entities = [Entity(20, 26, "places@1", name="Geneva", type="GPE")]
    ctx = Context(Settings())
    ANALYSE.func(art, ctx)
    ANALYSE.func(art, ctx)
    assert sum(1 for e in art.entities if e.start == 20) == 1
    assert sum(1 for e in art.entities if e.type == "PERSON") == 1


def test_normalised_offsets_map_back_to_the_original_text() -> None:
    from khabar.stages.analyse import Offsets, normalise_for_model

    text = "\u0643\u062a\u0627\u0628\u200f \u0645\u06cc\u06ba"  # a word, a bidi mark, a space, a word
    normed, to_orig = normalise_for_model("ur", {}, text)
    assert len(normed) == len(text) - 1 and to_orig is not None
    where = Offsets(10, to_orig)
    first, second = normed.split(" ")
    assert where.span(0, len(first)) == (10, 14)  # the mark goes with the space, not the word
    assert where.span(len(first) + 1, len(normed)) == (16, 10 + len(text))
    assert Offsets(3, None).span(1, 2) == (4, 5)


def test_model_with_a_normalisation_table_keeps_original_offsets(tmp_path: Path) -> None:
    _needs_model("ur")
    import json

    folder = tmp_path / "ur" / "model"
    shutil.copytree(pack("ur").path("model"), folder)
    spec = json.loads((folder / "charmap.json").read_text(encoding="utf-8"))
    (folder / "charmap.json").write_text(json.dumps(spec | {"table": "ur"}), encoding="utf-8")
    model = load_model_dir(folder)
    text = "\ufeff\u067e\u0627\u06a9\u0633\u062a\u0627\u0646 \u0627\u0648\u0631\u200c \u0631\u0648\u0633"
    normed, to_orig = model.normalised(text)
    assert "\ufeff" not in normed and "\u200c" not in normed and to_orig is not None
    ctx = Context(Settings())
    ctx.cache["analyse.model.ur"] = model
    art = _article(text, "ur")
    ANALYSE.func(art, ctx)
    words = [text[t.start : t.end] for t in art.tokens]
    assert [w.strip("\ufeff\u200c") for w in words] == normed.split(" ")


def test_model_is_loaded_once_per_language() -> None:
    _needs_model("en")
    ctx = Context(Settings())
    ANALYSE.func(_article("One.", "en"), ctx)
    first = ctx.cache["analyse.model.en"]
    ANALYSE.func(_article("Two.", "en"), ctx)
    assert ctx.cache["analyse.model.en"] is first


SEED_PEOPLE = ["andrei belousov", "no kwang chol", "vladimir putin"]


def _seed_entities(seed_path: Path) -> tuple[str, list]:
    """The seed article (read in place) through extraction, langid, normalise, segment, analyse
    and entities."""
    from khabar.jobs import process_document
    from khabar.model import RawDocument
    from khabar.pipeline import Pipeline
    from khabar.stages import DEFAULT_STAGES

    upto = DEFAULT_STAGES[: [s.name for s in DEFAULT_STAGES].index("entities") + 1]
    assert "analyse" in [s.name for s in upto]
    raw = RawDocument(source=str(seed_path), data=seed_path.read_bytes(), content_type="text/plain")
    art = process_document(raw, Pipeline(upto))
    return art.text, art.entities


@pytest.mark.slow
def test_seed_article_people_organisation_and_place(seed_path: Path) -> None:
    _needs_model("ur")
    text, entities = _seed_entities(seed_path)
    people = [latin(text[e.start : e.end]) for e in entities if e.type == "PERSON"]
    for name in SEED_PEOPLE:
        best = max((fuzz.partial_ratio(name, p) for p in people), default=0)
        assert best >= 60, (name, people)
    orgs = [e for e in entities if e.type == "ORG"]
    assert any("وزارت دفاع" in text[o.start : o.end] and o.name == "Ministry of Defence"
               and o.codes.get("iso3166") == "RU" for o in orgs), orgs  # "ministry of defence", a common phrase
    sites = [e for e in entities if e.type == "FAC" and e.kind == "facility"]
    assert any(fuzz.partial_ratio("pyong yang", latin(text[e.start : e.end])) >= 60 and e.name == "Pyongyang airport"
               and e.codes.get("iso3166") == "KP" for e in sites), sites
    states = {e.codes.get("iso3166") for e in entities if e.type == "GPE"}
    assert {"RU", "KP", "KR", "US", "UA"} <= states


def test_unknown_language_goes_through_the_language_independent_stages() -> None:
    """Every default stage after langid on a language with no pack and no model: no error, the
    reason recorded, and the gazetteers of every pack still find the states."""
    from khabar.stages import DEFAULT_STAGES

    art = Article(text="Pakistan and Russia signed a deal in Moscow on 3 March 2025.", language="zz")
    ctx = Context(Settings())
    for st in DEFAULT_STAGES[1:]:
        st.func(art, ctx)
    assert art.errors == [] and art.status == "ok"
    assert art.evidence["analyse"].source == "no-model"
    assert {"PK", "RU"} <= {e.codes.get("iso3166") for e in art.entities if e.type == "GPE"}
    assert all(t.upos is None for t in art.tokens)  # the segmenter's tokens, no syntax


def test_corrupt_model_in_a_pipeline_is_one_line_on_the_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged model does not stop the batch: the article records a one-line K600 error that
    names the rebuild command, and the later stages still run."""
    _needs_model("en")
    import khabar.stages.analyse as analyse_mod
    from khabar.pipeline import Pipeline
    from khabar.stages import DEFAULT_STAGES

    broken = tmp_path / "en" / "model"
    shutil.copytree(pack("en").path("model"), broken)
    (broken / "config.cfg").write_text("[nlp\nbroken", encoding="utf-8")

    class Broken:
        exists, code = True, "en"

        def path(self, name: str) -> Path:
            return broken

    monkeypatch.setattr(analyse_mod, "pack", lambda code: Broken())
    art = Pipeline(DEFAULT_STAGES).process(Article(text="Pakistan and Russia signed a deal in Moscow on Monday."))
    (err,) = art.errors
    assert err["code"] == "K600" and err["stage"] == "analyse" and "\n" not in err["message"]
    assert "python -m khabar.train en" in err["message"] and art.status == "partial"
    assert art.stages.get("entities") and {"PK", "RU"} <= {e.codes.get("iso3166") for e in art.entities}
