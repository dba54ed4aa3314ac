"""Sentences and tokens: per zone, never split inside a quotation, offsets into the text."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.model import Article, Zone
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages.segment import SEGMENT, quote_pairs, quote_spans


def run(text: str, lang: str | None, zones: list[Zone] | None = None) -> Article:
    art = Article(text=text, language=lang, zones=zones or [])
    SEGMENT.func(art, Context(Settings()))
    return art


def sentences(art: Article) -> list[str]:
    return [art.text[s.start : s.end] for s in art.sentences]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", 'He said: "We came. We saw." Then he left.', 2),
        ("en", "“First part. Second part,” she said. Next one.", 2),
        ("en", "«Uno. Dos.» Tres.", 2),
        ("en", "‘It works. It really does,’ he said. Fine.", 2),
        ("ur", "’’ہم تیار ہیں۔ ہم آئیں گے۔‘‘ انہوں نے کہا۔ یہ ختم ہوا۔", 2),
        ("ur", "‘‘ہم تیار ہیں۔ ہم آئیں گے۔’’ انہوں نے کہا۔ یہ ختم ہوا۔", 2),
        ("ur", '"آج بارش ہوئی۔ کل بھی ہوگی،" ماہر نے کہا۔ شہر بند رہا۔', 2),
    ],
)
def test_no_split_inside_quotes(lang: str, text: str, expected: int) -> None:
    assert len(run(text, lang).sentences) == expected


def test_lower_case_and_dash_continue_a_sentence() -> None:
    assert len(run('"It is over." he said. Done.', "en").sentences) == 2
    assert len(run("“We stay.” — Leila Nasser, organiser", "en").sentences) == 1


def test_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences(run('"No," Ms. Lopez said. Then silence.', "en"))[0] == '"No," Ms. Lopez said.'


def test_zones_are_segmented_separately() -> None:
    text = "A title without a stop\nBody one. Body two."
    zones = [Zone(0, 22, "t", "title"), Zone(23, len(text), "t", "body")]
    art = run(text, "en", zones)
    assert [s.zone for s in art.sentences] == ["title", "body", "body"]
    assert sentences(art)[0] == "A title without a stop"


def test_unknown_language_falls_back() -> None:
    assert len(run("One here. Two there.", "xx").sentences) == 2
    assert len(run("One here. Two there.", None).sentences) == 2


def test_unclosed_quote_runs_to_paragraph_end() -> None:
    text = '"First para. Still quoting.\n"Second para," she said.'
    qs = quote_spans(text, 0, 27, quote_pairs("en"))
    assert len(qs) == 1 and not qs[0].closed and qs[0].close_start == 27


def test_apostrophes_are_not_quotes() -> None:
    text = "Trump’s aides and the voters’ choice don't matter."
    assert quote_spans(text, 0, len(text), quote_pairs("en")) == []


def test_tokens_urdu_and_numbers() -> None:
    text = "وزیرِ دفاع نے 10,000 فوجی بھیجے۔"
    art = run(text, "ur")
    toks = [text[t.start : t.end] for t in art.tokens]
    assert toks == ["وزیرِ", "دفاع", "نے", "10,000", "فوجی", "بھیجے", "۔"]
    assert all(t.sentence == 0 and t.rule.startswith("segment@") for t in art.tokens)


def test_tokens_english() -> None:
    art = run("Mr. O'Neil paid $3.5 million, didn't he?", "en")
    toks = [art.text[t.start : t.end] for t in art.tokens]
    assert "O'Neil" in toks and "3.5" in toks and "didn't" in toks and "?" in toks


def test_many_paragraphs() -> None:
    """Each paragraph's quote stays whole; speed is measured in benchmarks/, not asserted here."""
    para = 'The minister said: "We are ready. We will talk." Talks began on Monday in the capital.\n'
    art = run(para * 200, "en")
    assert len(art.sentences) == 400


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("ab .,:\n\"“”’‘'«»۔،کہا") + ["’’", "‘‘", "Mr.", " said"]), max_size=60).map("".join),
       st.sampled_from(["en", "ur", None]))
def test_never_raises_and_offsets_in_text(text: str, lang: str | None) -> None:
    art = run(text, lang)
    n = len(text)
    for s in art.sentences:
        assert 0 <= s.start < s.end <= n
    for t in art.tokens:
        assert 0 <= t.start < t.end <= n and 0 <= t.sentence < len(art.sentences)
    starts = [s.start for s in art.sentences]
    assert starts == sorted(starts)


def test_boundary_inside_an_opening_mark_moves_before_it() -> None:
    """sentencex may cut between the two characters of ’’; the quotation must start the next sentence."""
    text = "زینب علی نے بتایا کہ سرد خانے بھر گئے ہیں۔ ’’ہم نے ایسا کبھی نہیں دیکھا،‘‘ انہوں نے کہا۔"
    assert sentences(run(text, "ur")) == ["زینب علی نے بتایا کہ سرد خانے بھر گئے ہیں۔",
                                          "’’ہم نے ایسا کبھی نہیں دیکھا،‘‘ انہوں نے کہا۔"]


@pytest.mark.parametrize("text", ["''It works,'' she said.", "“It works,\" she said.", "\"It works,” she said."])
def test_english_double_apostrophes_and_mixed_marks_pair(text: str) -> None:
    spans = quote_spans(text, 0, len(text), quote_pairs("en"))
    assert [text[q.open_end : q.close_start] for q in spans] == ["It works,"]
