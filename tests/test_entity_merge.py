"""The entities stage's own rules for organisations and facilities, and its merge of the trained
model's entities (analyse) with the gazetteer and role entities. Every sentence here is written
for this file; the merge is tested with hand-made model entities so it does not depend on a model.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from khabar.langs import pack
from khabar.model import Article, Entity, Sentence, Token, Zone
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages.entities import ENTITIES, RULE
from khabar.stages.ner_merge import MERGE_RULE, merge

NER = "analyse@1"
CTX = Context(Settings())  # one cache of places and gazetteers for the whole file


def run(text: str, lang: str, ner: list[Entity] = (), tokens: list[Token] = ()) -> Article:  # type: ignore[assignment]
    """The entities stage over ``text`` with model entities ``ner`` already on the article."""
    art = Article(text=text, language=lang, entities=list(ner), tokens=list(tokens))
    ENTITIES.func(art, CTX)
    return art


def found(art: Article, type_: str) -> list[tuple[str, str]]:
    return [(art.text[e.start : e.end], e.name) for e in art.entities if e.type == type_]


def span(text: str, part: str, type_: str, rule: str = NER) -> Entity:
    """A model entity over the first occurrence of ``part``."""
    s = text.index(part)
    return Entity(s, s + len(part), rule, name=part, type=type_)


# ----- organisation heads with a portfolio -------------------------------------------------------
@pytest.mark.parametrize("text, lang, surface, name, iso", [
    ("Pakistan's Ministry of Maritime Affairs issued new rules.", "en", "Pakistan's Ministry of Maritime Affairs",
     "Ministry of Maritime Affairs", "PK"),
    ("The culture ministry closed two museums.", "en", "culture ministry", "Ministry of Culture", None),
    ("پاکستان کی وزارت بحری امور نے نئے قواعد جاری کیے۔", "ur", "پاکستان کی وزارت بحری امور",
     "Ministry of Maritime Affairs", "PK"),
    ("وزارت صحت کے ترجمان نے بتایا۔", "ur", "وزارت صحت", "Ministry of Health", None),
    ("Bộ Giao thông cho biết đường đã thông.", "vi", "Bộ Giao thông", "Ministry of Transport", None),
])
def test_ministry_with_a_portfolio_is_an_organisation(text: str, lang: str, surface: str, name: str,
                                                      iso: str | None) -> None:
    art = run(text, lang)
    orgs = [e for e in art.entities if e.type == "ORG"]
    assert (surface, name) in found(art, "ORG")
    assert next(e for e in orgs if e.name == name).codes.get("iso3166") == iso


def test_ministry_with_capitalised_words_in_a_cased_script() -> None:
    art = run("The Ministry of Cultural Heritage said the site would reopen.", "en")
    assert ("Ministry of Cultural Heritage", "Ministry of Cultural Heritage") in found(art, "ORG")


def test_a_bare_ministry_word_is_no_organisation() -> None:
    assert found(run("Officials at the ministry said little.", "en"), "ORG") == []
    assert found(run("وزارت نے کوئی جواب نہیں دیا۔", "ur"), "ORG") == []


# ----- facilities ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, surface, name, iso", [
    ("Flights left Karachi airport on Monday.", "en", "Karachi airport", "Karachi airport", "PK"),
    ("Crowds waited at Lahore's airport all night.", "en", "Lahore's airport", "Lahore airport", "PK"),
    ("لاہور کے ہوائی اڈے پر مسافر پھنس گئے۔", "ur", "لاہور کے ہوائی اڈے", "Lahore airport", "PK"),
    ("جہاز کراچی بندرگاہ پر لنگر انداز ہوا۔", "ur", "کراچی بندرگاہ", "Karachi port", "PK"),
    ("Máy bay hạ cánh xuống sân bay Hà Nội.", "vi", "sân bay Hà Nội", "Hanoi airport", "VN"),
])
def test_place_and_facility_word_make_a_facility(text: str, lang: str, surface: str, name: str, iso: str) -> None:
    art = run(text, lang)
    (fac,) = [e for e in art.entities if e.type == "FAC"]
    assert (text[fac.start : fac.end], fac.name, fac.kind) == (surface, name, "facility")
    assert fac.codes.get("iso3166") == iso
    assert any(e.type == "LOC" and fac.start <= e.start and e.end <= fac.end for e in art.entities)  # the city stays


def test_facility_word_without_a_place_or_after_a_demonym_is_nothing() -> None:
    assert found(run("The airport reopened on Monday.", "en"), "FAC") == []
    assert found(run("A Pakistani airport reopened.", "en"), "FAC") == []
    assert found(run("ہوائی اڈہ پیر کو کھل گیا۔", "ur"), "FAC") == []


# ----- merging the model's entities -------------------------------------------------------------
@pytest.mark.parametrize("text, lang, ner_span, name", [
    ("Prime Minister Omar Zakir Qadri Faruqi Baig spoke.", "en", "Prime Minister Omar Zakir Qadri Faruqi Baig",
     "Omar Zakir Qadri Faruqi Baig"),
    ("وزیر اعظم عمر ذاکر قادری فاروقی بیگ شہر پہنچ گئے۔", "ur", "وزیر اعظم عمر ذاکر قادری فاروقی بیگ",
     "عمر ذاکر قادری فاروقی بیگ"),
])
def test_model_person_starting_with_a_title_becomes_the_name_after_it(text: str, lang: str, ner_span: str,
                                                                       name: str) -> None:
    """A name longer than the rules take after a title: the model's span, less the title."""
    art = run(text, lang, [span(text, ner_span, "PERSON")])
    people = [e for e in art.entities if e.type == "PERSON" and e.rule == MERGE_RULE]
    assert [(text[e.start : e.end], e.role) for e in people] == [(name, "prime minister")]
    assert not [e for e in art.entities if e.rule == NER]
    again = run(text, lang, art.entities)  # a rerun keeps it, once
    assert [e for e in again.entities if e.rule == MERGE_RULE] == people


@pytest.mark.parametrize("text, lang, title_only", [
    ("Prime Minister Omar Zaki spoke.", "en", "Prime Minister"),
    ("وزیر اعظم نے خطاب کیا۔", "ur", "وزیر اعظم"),
])
def test_a_title_the_model_took_for_a_person_is_dropped(text: str, lang: str, title_only: str) -> None:
    art = run(text, lang, [span(text, title_only, "PERSON")])
    assert not [e for e in art.entities if e.type == "PERSON" and text[e.start : e.end] == title_only]


@pytest.mark.parametrize("text, lang, ner", [
    ("Mr Haddad met officials in Multan.", "en", [("Multan", "PERSON"), ("Mr Haddad", "PERSON")]),
    ("مسٹر حداد نے ملتان میں ملاقات کی۔", "ur", [("ملتان", "PERSON"), ("مسٹر حداد", "PERSON")]),
    ("North Korea and Russia signed a deal.", "en", [("North Korea and Russia", "LOC")]),
    ("شمالی کوریا روس کو فوجی بھیجتا ہے۔", "ur", [("شمالی کوریا روس", "LOC")]),
])
def test_rule_entities_win_where_the_model_overlaps_them(text: str, lang: str, ner: list[tuple[str, str]]) -> None:
    art = run(text, lang, [span(text, part, type_) for part, type_ in ner])
    assert not [e for e in art.entities if e.rule in (NER, MERGE_RULE)]
    assert all(e.rule == RULE for e in art.entities)


def _tagged(text: str, tags: list[str]) -> list[Token]:
    out, pos = [], 0
    for word, tag in zip(text.split(), tags):
        s = text.index(word, pos)
        out.append(Token(s, s + len(word), NER, upos=tag))
        pos = s + len(word)
    return out


def test_model_only_entities_need_a_sign_of_a_name() -> None:
    text = "سرخ قالین پر زینب مرزا کا استقبال ہوا۔"  # "on the red carpet Zainab Mirza was welcomed"
    tags = ["ADJ", "NOUN", "ADP", "PROPN", "PROPN", "ADP", "NOUN", "AUX"]
    art = run(text, "ur", [span(text, "سرخ قالین", "ORG"), span(text, "زینب مرزا", "PERSON")], _tagged(text, tags))
    assert [(text[e.start : e.end], e.type, e.kind) for e in art.entities if e.rule == NER] == [
        ("زینب مرزا", "PERSON", "person")]
    en = "Similar plans were shown to Zainab Mirza."
    art = run(en, "en", [span(en, "Similar", "PERSON"), span(en, "Zainab Mirza", "PERSON")],
              _tagged(en, ["ADJ", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PROPN"]))
    kept = [en[e.start : e.end] for e in art.entities if e.rule == NER]
    assert kept == ["Similar", "Zainab Mirza"]  # capitalised in a cased script: kept (the tagger is only a hint)


def test_model_entities_outside_running_text_and_nested_ones_are_dropped() -> None:
    text = "Zainab Mirza Khan spoke.\nPhoto: Reuters"
    art = Article(text=text, language="en", zones=[Zone(0, 24, "test", kind="body"), Zone(25, len(text), "test", kind="credit")],
                  sentences=[Sentence(0, 24, "test")])
    ner = [span(text, "Zainab Mirza Khan", "PERSON"), span(text, "Mirza", "PERSON"), span(text, "Reuters", "ORG")]
    kept = merge(art, ner, [])
    assert [(text[e.start : e.end], e.kind) for e in kept] == [("Zainab Mirza Khan", "person")]


def test_model_place_without_a_kb_entry_has_no_kind() -> None:
    text = "Crowds gathered in Qasimabad on Friday."
    (e,) = merge(Article(text=text, language="en"), [span(text, "Qasimabad", "LOC")], [])
    assert e.type == "LOC" and e.kind is None and e.rule == NER


def test_merge_keeps_what_the_model_alone_found_next_to_rule_entities() -> None:
    text = "Karim Haddad flew to Lahore."
    rules = [replace(span(text, "Lahore", "LOC", RULE), codes={"iso3166": "PK"})]
    kept = merge(Article(text=text, language="en"), [span(text, "Karim Haddad", "PERSON"), span(text, "Lahore", "LOC")],
                 rules)
    assert [(text[e.start : e.end], e.type, e.rule) for e in kept] == [("Lahore", "LOC", RULE),
                                                                      ("Karim Haddad", "PERSON", NER)]


def test_merge_needs_no_language_code() -> None:
    """The merge and the new rules are driven by pack data only: a pack without FACILITY or
    ORG_HEAD rows simply finds none."""
    assert any(row[3:4] == ["FACILITY"] for row in pack("ur").tsv("roles"))
    art = run("Flights left Karachi airport on Monday.", "xx")  # unknown language: every pack's data
    assert [e.name for e in art.entities if e.type == "FAC"] == ["Karachi airport"]


def _words(text: str, tags: dict[str, str]) -> list[Token]:
    """One token per space-separated word, tagged PROPN unless ``tags`` says otherwise."""
    out, pos = [], 0
    for w in text.split(" "):
        out.append(Token(pos, pos + len(w), "test", upos=tags.get(w, "PROPN")))
        pos += len(w) + 1
    return out


@pytest.mark.parametrize("whole, parts", [
    ("Nadia Vell and Ostra Valley Partners", ["Nadia Vell", "Ostra Valley Partners"]),
    ("Vell and Ostra", ["Vell and Ostra"]),  # one word a side: one name ("Procter and Gamble")
])
def test_model_entity_over_a_conjunction_is_split_into_names(whole: str, parts: list[str]) -> None:
    text = whole + " praised the plan."
    tokens = _words(text, {"and": "CCONJ", "praised": "VERB", "the": "DET", "plan.": "NOUN"})
    art = run(text, "en", [span(text, whole, "ORG")], tokens)
    assert [t for t, _ in found(art, "ORG")] == parts
