"""ENTITIES stage: places, states, demonyms, titles and titled people (issue 3, first cut).

Sentences here are our own; the seed article is read in place through the ``seed_path`` fixture.
"""
from __future__ import annotations

import pytest

from khabar.model import Article
from khabar.pipeline import Context, Pipeline, stage
from khabar.settings import Settings
from khabar.stages.entities import ENTITIES, RULE


def run(text: str, lang: str | None) -> list:
    art = Article(text=text, language=lang)
    ENTITIES.func(art, Context(Settings()))
    return art.entities


def spans(ents: list, text: str, type_: str | None = None) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.name) for e in ents if type_ is None or e.type == type_]


def test_stage_contract():
    assert ENTITIES.name == "entities"
    assert ENTITIES.requires == frozenset({"text", "language"})
    assert ENTITIES.assigns == frozenset({"entities"})


# ----- Urdu ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, surface, iso2, type_",
    [
        ("کل شمالی کوریا نے بیان دیا۔", "شمالی کوریا", "KP", "GPE"),
        ("وفد جنوبی کوریا گیا۔", "جنوبی کوریا", "KR", "GPE"),
        ("امریکہ اور برطانیہ نے کہا۔", "امریکہ", "US", "GPE"),
        ("امریکا نے کہا۔", "امریکا", "US", "GPE"),
        ("سعودی عرب میں اجلاس ہوا۔", "سعودی عرب", "SA", "GPE"),
        ("یوکرین کی صورتحال", "یوکرین", "UA", "GPE"),
        ("وہ پیونگ یانگ پہنچے۔", "پیونگ یانگ", "KP", "LOC"),
        ("وہ پیانگ یانگ پہنچے۔", "پیانگ یانگ", "KP", "LOC"),
        ("ماسکو میں برف", "ماسکو", "RU", "LOC"),
        ("نئی دہلی سے خبر", "نئی دہلی", "IN", "LOC"),
        ("بیجنگ اور تہران اور کابل", "تہران", "IR", "LOC"),
        ("واشنگٹن نے ردعمل دیا", "واشنگٹن", "US", "LOC"),
        ("امریکی فوجی", "امریکی", "US", "NORP"),
    ],
)
def test_urdu_places(text, surface, iso2, type_):
    ents = run(text, "ur")
    hit = [e for e in ents if text[e.start : e.end] == surface and e.type == type_]
    assert hit, spans(ents, text)
    assert hit[0].codes["iso3166"] == iso2 and hit[0].rule == RULE


def test_compound_state_wins_over_its_part():
    text = "شمالی کوریا اور جنوبی کوریا"
    ents = run(text, "ur")
    assert [e.codes["iso3166"] for e in ents if e.type == "GPE"] == ["KP", "KR"]
    assert all(text[e.start : e.end] != "کوریا" for e in ents)


def test_no_match_inside_a_longer_word():
    text = "امریکہوں روسیوں ماسکوی"  # made-up longer words around names
    assert run(text, "ur") == []


def test_spelling_variants_fold_to_one_name():
    text = "پيانگ يانگ اور تهران"  # Arabic ye/heh instead of Urdu letters
    ents = run(text, "ur")
    assert [e.name for e in ents] == ["Pyongyang", "Tehran"]
    assert [text[e.start : e.end] for e in ents] == ["پيانگ يانگ", "تهران"]


def test_common_words_that_are_also_place_names_are_ignored():
    text = "میدان میں مالی امداد اور جوس ملا"
    assert [e for e in run(text, "ur") if e.type in ("GPE", "LOC")] == []


def test_urdu_demonym_title_and_person():
    text = "روسی وزیر دفاع آندرے بیلوسوف نے کہا کہ تعاون بڑھ رہا ہے۔"
    ents = run(text, "ur")
    title = next(e for e in ents if e.type == "TITLE")
    assert text[title.start : title.end] == "روسی وزیر دفاع"
    assert title.role == "defence minister" and title.codes["iso3166"] == "RU"
    person = next(e for e in ents if e.type == "PERSON")
    assert text[person.start : person.end] == "آندرے بیلوسوف"
    assert person.role == "defence minister" and person.codes["iso3166"] == "RU"
    assert ("روسی", "Russian") in spans(ents, text, "NORP")


def test_urdu_state_link_title_and_postposition_ends_the_name():
    text = "پاکستان کے وزیر خارجہ اسحاق ڈار کو خط ملا۔"
    ents = run(text, "ur")
    person = next(e for e in ents if e.type == "PERSON")
    assert text[person.start : person.end] == "اسحاق ڈار"
    assert person.role == "foreign minister" and person.codes["iso3166"] == "PK"


def test_urdu_title_without_a_name_gives_no_person():
    text = "روسی وزیر دفاع نے کہا"
    ents = run(text, "ur")
    assert [e.type for e in ents if e.type in ("TITLE", "PERSON")] == ["TITLE"]


def test_urdu_name_without_an_end_within_reach_is_not_taken():
    text = "صدر الف ب ج د ہ و"  # no postposition or verb ends the run
    assert [e for e in run(text, "ur") if e.type == "PERSON"] == []


def test_urdu_ministry_is_an_organisation_with_its_state():
    text = "روسی وزارت دفاع نے بیان جاری کیا"
    org = next(e for e in run(text, "ur") if e.type == "ORG")
    assert org.name == "Ministry of Defence" and org.codes["iso3166"] == "RU"
    assert text[org.start : org.end] == "روسی وزارت دفاع"


# ----- English -------------------------------------------------------------------------------
def test_english_demonym_title_and_person():
    text = "Russian Defence Minister Andrei Belousov met his North Korean counterpart in Pyongyang."
    ents = run(text, "en")
    assert ("Russian Defence Minister", "defence minister") in spans(ents, text, "TITLE")
    person = next(e for e in ents if e.type == "PERSON")
    assert (text[person.start : person.end], person.role, person.codes["iso3166"]) == (
        "Andrei Belousov", "defence minister", "RU")
    assert ("North Korean", "North Korean") in spans(ents, text, "NORP")
    assert ("Pyongyang", "Pyongyang") in spans(ents, text, "LOC")


@pytest.mark.parametrize(
    "text, role, iso2, name",
    [
        ("Russia's defense minister, Andrei Belousov, said so.", "defence minister", "RU", "Andrei Belousov"),
        ("The defence minister of Russia spoke.", "defence minister", "RU", None),
        ("Secretary of State Antony Blinken flew in.", "secretary of state", None, "Antony Blinken"),
        ("Pakistani Prime Minister Shehbaz Sharif arrived.", "prime minister", "PK", "Shehbaz Sharif"),
    ],
)
def test_english_titles(text, role, iso2, name):
    ents = run(text, "en")
    title = next(e for e in ents if e.type == "TITLE")
    assert title.role == role and title.codes.get("iso3166") == iso2
    people = [text[e.start : e.end] for e in ents if e.type == "PERSON"]
    assert people == ([name] if name else [])


def test_english_compounds_abbreviations_and_case():
    text = "The U.S. and the US back South Korea; let us see. North Korea is not korea."
    ents = run(text, "en")
    assert [e.codes["iso3166"] for e in ents if e.type == "GPE"] == ["US", "US", "KR", "KP"]


def test_english_ambiguous_names_need_no_capitalised_neighbour():
    text = "Jordan Peterson met Michael Jordan. In Jordan, officials met."
    gpe = [e for e in run(text, "en") if e.type == "GPE"]
    assert [text[e.start : e.end] for e in gpe] == ["Jordan"]
    assert gpe[0].start == text.index("In Jordan") + 3


def test_lowercase_words_are_not_places():
    text = "china plates and a turkey dinner in the pentagon shape"
    assert run(text, "en") == []


def test_stage_replaces_its_own_entities_on_rerun():
    art = Article(text="Moscow and Kyiv", language="en")
    ctx = Context(Settings())
    ENTITIES.func(art, ctx)
    ENTITIES.func(art, ctx)
    assert [e.name for e in art.entities] == ["Moscow", "Kyiv"]


def test_unknown_language_uses_every_language():
    assert {e.codes["iso3166"] for e in run("Moscow اور پیانگ یانگ", None)} == {"RU", "KP"}


def test_entities_serialise():
    art = Article(text="روسی صدر ولادیمیر پیوٹن نے کہا", language="ur")
    given = stage("given-language", "1", requires=[], assigns=["language"])(lambda a, c: None)
    Pipeline([given, ENTITIES]).process(art)
    assert art.stages["entities"] == "3" and not art.errors
    d = art.to_dict()["entities"]
    person = next(x for x in d if x["type"] == "PERSON")
    assert person["text"] == "ولادیمیر پیوٹن" and person["role"] == "president"
    assert person["codes"]["iso3166"] == "RU"


# ----- seed acceptance -------------------------------------------------------------------------
def test_seed_article(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    ents = run(text, "ur")
    found = {(e.name, e.codes.get("iso3166")) for e in ents}
    for name, iso2 in [("Russia", "RU"), ("North Korea", "KP"), ("South Korea", "KR"),
                       ("United States", "US"), ("Ukraine", "UA"), ("Moscow", "RU"), ("Pyongyang", "KP")]:
        assert (name, iso2) in found, (name, iso2)
    for e in ents:
        assert text[e.start : e.end].strip() == text[e.start : e.end] and e.end > e.start
    roles = {(e.type, e.role, e.codes.get("iso3166")) for e in ents}
    assert ("TITLE", "defence minister", "RU") in roles
    assert ("PERSON", "defence minister", "RU") in roles


# ----- regions, cities and areas (KB 2) -------------------------------------------------------
@pytest.mark.parametrize(
    "text, lang, surface, iso2, sub",
    [
        ("سیلاب سے سندھ اور بلوچستان میں نقصان ہوا۔", "ur", "سندھ", "PK", "PK-SD"),
        ("خیبر پختونخوا کی حکومت نے اعلان کیا۔", "ur", "خیبر پختونخوا", "PK", "PK-KP"),
        ("Floods hit Khyber-Pakhtunkhwa and Sindh.", "en", "Khyber-Pakhtunkhwa", "PK", "PK-KP"),
        ("Farmers in Haryana burn stubble.", "en", "Haryana", "IN", "IN-HR"),
        ("Voters in California and Texas", "en", "California", "US", "US-CA"),
    ],
)
def test_first_level_regions(text, lang, surface, iso2, sub):
    hit = [e for e in run(text, lang) if text[e.start : e.end] == surface]
    assert hit and hit[0].type == "LOC" and hit[0].kind == "region", spans(run(text, lang), text)
    assert hit[0].codes["iso3166"] == iso2 and hit[0].codes["iso3166_2"] == sub


@pytest.mark.parametrize(
    "text, lang, surface, iso2",
    [
        ("جیکب آباد میں درجہ حرارت بڑھ گیا۔", "ur", "جیکب آباد", "PK"),
        ("گوادر کی بندرگاہ", "ur", "گوادر", "PK"),
        ("Talks in Geneva ended.", "en", "Geneva", "CH"),
        ("the Arabian Sea coast", "en", "Arabian Sea", None),
        ("صحرائے چولستان میں", "ur", "چولستان", "PK"),
    ],
)
def test_cities_and_areas(text, lang, surface, iso2):
    hit = [e for e in run(text, lang) if text[e.start : e.end] == surface and e.type == "LOC"]
    assert hit, spans(run(text, lang), text)
    assert hit[0].codes.get("iso3166") == iso2


def test_same_name_places_follow_the_article_states():
    india = "Smog covers Delhi. Punjab farmers burn stubble, India says."
    pakistan = "Floods hit Pakistan. Punjab and Sindh were worst hit, Islamabad said."
    assert [e.codes["iso3166"] for e in run(india, "en") if e.name == "Punjab"] == ["IN"]
    assert [e.codes["iso3166"] for e in run(pakistan, "en") if e.name == "Punjab"] == ["PK"]
    ur_india = "بھارت کے شہر حیدرآباد اور نئی دہلی میں"
    ur_plain = "سندھ کے شہر حیدرآباد میں بارش"
    assert {e.codes["iso3166"] for e in run(ur_india, "ur") if e.name == "Hyderabad"} == {"IN"}
    assert {e.codes["iso3166"] for e in run(ur_plain, "ur") if e.name == "Hyderabad"} == {"PK"}


def test_common_urdu_words_are_not_gazetteer_alternates():
    # خبر (news), اردو, فوجی (military), مسئلہ (issue) are GeoNames alternates of towns abroad
    text = "اردو خبر کے مطابق فوجی مسئلہ حل ہوا"
    assert [e for e in run(text, "ur") if e.type in ("GPE", "LOC")] == []


def test_a_city_after_a_title_is_a_first_name_and_surnames_are_not_places():
    text = "صدر ولادیمیر پیوٹن نے کہا"
    assert [e for e in run(text, "ur") if e.type == "LOC"] == []
    en = "Coach Stephen Crawley said the team was ready."
    assert [e for e in run(en, "en") if e.type == "LOC"] == []


def test_datelines_in_capitals_and_urls():
    text = "MOSCOW (Reuters) - Talks went on. Source: https://example.org/pakistan-china-defence-ministers"
    ents = run(text, "en")
    assert [(text[e.start : e.end], e.codes["iso3166"]) for e in ents if e.type in ("GPE", "LOC")] == [("MOSCOW", "RU")]
    assert [e for e in ents if e.type == "TITLE"] == []


# ----- compositional roles -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, lang, surface, role",
    [
        ("وزیر صحت نے مہم کا آغاز کیا۔", "ur", "وزیر صحت", "health minister"),
        ("وفاقی وزیر برائے بحری امور نے کہا", "ur", "وفاقی وزیر برائے بحری امور", "maritime affairs minister"),
        ("وفاقی وزیر نے کہا", "ur", None, None),
        ("وزیر مملکت برائے خزانہ نے بجٹ پیش کیا", "ur", "وزیر مملکت برائے خزانہ", "minister of state"),
        ("چینی نائب وزیر تجارت نے کہا", "ur", "چینی نائب وزیر تجارت", "deputy minister"),
        ("امیگریشن کے وزیر نے بیان دیا", "ur", "امیگریشن کے وزیر", "immigration minister"),
        ("دفتر خارجہ کی ترجمان نے کہا", "ur", "ترجمان", "spokesperson"),
        ("وزیر اعلیٰ نے دورہ کیا", "ur", "وزیر اعلیٰ", "chief minister"),
        ("The Ports Minister spoke.", "en", "Ports Minister", "ports minister"),
        ("the Minister for Maritime Affairs said", "en", "Minister for Maritime Affairs", "maritime affairs minister"),
        ("a deputy economy minister said", "en", "deputy economy minister", "deputy minister"),
        ("Minister of State for Finance spoke", "en", "Minister of State for Finance", "minister of state"),
        ("the two countries' defence ministers met", "en", "defence ministers", "defence minister"),
        ("a spokeswoman said", "en", "spokeswoman", "spokesperson"),
        ("the central bank's governor said", "en", "central bank's governor", "central bank governor"),
    ],
)
def test_compositional_roles(text, lang, surface, role):
    titles = [(text[e.start : e.end], e.role) for e in run(text, lang) if e.type == "TITLE"]
    if surface is None:  # a bare level + head without a name is too weak to report
        assert [t for t in titles if t[1] == "federal minister"] == titles
    else:
        assert any(s.endswith(surface) and r == role for s, r in titles), titles


def test_bare_minister_refers_back_to_the_last_minister_named():
    text = "Ports Minister Jane Roe met the unions. Later the minister said talks would go on."
    titles = [(text[e.start : e.end], e.role) for e in run(text, "en") if e.type == "TITLE"]
    assert titles == [("Ports Minister", "ports minister"), ("minister", "ports minister")]


def test_bare_minister_without_state_name_or_antecedent_is_not_reported():
    assert [e for e in run("Ministers met on Monday.", "en") if e.type == "TITLE"] == []


@pytest.mark.parametrize(
    "text, lang, role, cameo",
    [
        ("Russian Defence Minister Andrei Belousov spoke.", "en", "defence minister", "RUSMIL"),
        ("Russian Foreign Minister Sergei Lavrov spoke.", "en", "foreign minister", "RUSGOV"),
        ("روسی وزیر دفاع آندرے بیلوسوف نے کہا", "ur", "defence minister", "RUSMIL"),
        ("پاکستانی وزیر داخلہ محسن نقوی نے کہا", "ur", "interior minister", "PAKGOV"),
        ("Pakistani Chief Justice Qazi Faez Isa ruled.", "en", "chief justice", "PAKJUD"),
    ],
)
def test_cameo_actor_codes_carry_the_sector(text, lang, role, cameo):
    person = next(e for e in run(text, lang) if e.type == "PERSON")
    assert (person.role, person.codes["cameo"]) == (role, cameo)


def test_title_then_military_grade_then_name():
    text = "آرمی چیف جنرل طاہر سعید نے کہا"
    ents = run(text, "ur")
    assert [(text[e.start : e.end], e.role) for e in ents if e.type == "TITLE"] == [("آرمی چیف", "army chief")]
    person = next(e for e in ents if e.type == "PERSON")
    assert text[person.start : person.end] == "طاہر سعید"
    assert (person.role, person.codes["grade"]) == ("army chief", "general")


def test_relational_person_words_are_not_titles():
    text = "his Pakistani counterpart, Kamran Tariq, said"
    ents = run(text, "en")
    assert [e for e in ents if e.type == "TITLE"] == []
    assert [(text[e.start : e.end], e.role) for e in ents if e.type == "PERSON"] == [("Kamran Tariq", "counterpart")]


def test_seed_defence_minister_is_a_russian_military_actor(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    people = [e for e in run(text, "ur") if e.type == "PERSON" and e.role == "defence minister"]
    assert people and all(p.codes.get("cameo") == "RUSMIL" for p in people if p.codes.get("iso3166") == "RU")
    assert any(p.codes.get("cameo") == "RUSMIL" for p in people)
