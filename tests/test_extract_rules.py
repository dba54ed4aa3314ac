"""Extraction rules one at a time, on small snippets written for these tests: site names in page
titles, translation lines, lists of authors, caption and credit elements, datelines with an
abbreviated month or an outlet the knowledge base does not know, language services of outlets."""
from __future__ import annotations

import pytest

from khabar.extract import extract
from khabar.extract.title import strip_site_name
from khabar.kb import outlets
from khabar.model import Article, RawDocument
from khabar.settings import Settings

FILLER = ("The provincial assembly approved the measure after a long debate that ran late into the night, "
          "and officials said the new rules would take effect at the start of next month.")
UR_FILLER = "صوبائی اسمبلی نے طویل بحث کے بعد بل منظور کر لیا اور حکام کا کہنا ہے کہ نئے قواعد اگلے ماہ سے نافذ ہوں گے۔"


def text_article(text: str, **kw: object) -> Article:
    raw = RawDocument(source="t.txt", data=text.encode("utf-8"), content_type="text/plain", **kw)  # type: ignore[arg-type]
    return extract(raw, Settings())


def html_article(body: str, head: str = "", url: str | None = None) -> Article:
    page = (f"<html><head><meta charset='utf-8'>{head}</head><body><article>{body}"
            f"<p>{FILLER}</p><p>{FILLER.replace('night', 'evening')}</p></article></body></html>")
    raw = RawDocument(source="p.html", data=page.encode("utf-8"), content_type="text/html", url=url)
    return extract(raw, Settings())


def credits(art: Article, role: str) -> list[str]:
    return [c.name for c in art.credits if c.role == role]


def zones(art: Article, kind: str) -> list[str]:
    return [art.text[z.start:z.end] for z in art.zones if z.kind == kind]


# ----- site names in titles ---------------------------------------------------------------------

@pytest.mark.parametrize("title, sites, headings, want", [
    ("Port workers end strike | The Harbour Times", ["The Harbour Times"], [], "Port workers end strike"),
    ("Port workers end strike - Harbour Times", ["Harbour Times"], [], "Port workers end strike"),
    ("Harbour Times - Port workers end strike", ["Harbour Times"], [], "Port workers end strike"),
    ("Port workers end strike — Coastal Daily", [], ["Port workers end strike"], "Port workers end strike"),
    ("Port workers end strike - The Harbour Times", ["theharbourtimes"], [], "Port workers end strike"),
    ("Port workers end strike - BBC News", [], [], "Port workers end strike"),  # an outlet in the KB
    ("Port workers end strike | Coastal Daily", [], [], "Port workers end strike"),  # a short tail after a pipe
    ("Port workers end strike | Business | Coastal Daily", ["Coastal Daily"], [], "Port workers end strike"),
    ("بندرگاہ پر ہڑتال ختم — ساحلی اخبار", ["ساحلی اخبار"], [], "بندرگاہ پر ہڑتال ختم"),
])
def test_site_name_leaves_the_title(title: str, sites: list[str], headings: list[str], want: str) -> None:
    assert strip_site_name(title, sites, headings) == want


@pytest.mark.parametrize("title", [
    "Quake kills 35 in the north - officials",  # a dash tail that is no site name stays
    "Ceasefire holds - for now",
    "Markets | 2024 in review",  # digits: not a site name
])
def test_headline_parts_stay(title: str) -> None:
    assert strip_site_name(title, ["Coastal Daily"], []) == title


def test_html_title_without_site_suffix() -> None:
    art = html_article("<h1>Assembly passes water bill</h1>",
                       "<title>Assembly passes water bill - Valley Herald</title>"
                       "<meta property='og:site_name' content='Valley Herald'>")
    assert art.title == "Assembly passes water bill"
    assert art.outlet == "Valley Herald"


# ----- translation lines ------------------------------------------------------------------------

def test_translated_from_language_by_name() -> None:
    art = text_article(f"{FILLER}\nTranslated from Pashto by Gul Rana Example.\n")
    assert credits(art, "translation") == ["Gul Rana Example"]
    assert zones(art, "translation") == ["Translated from Pashto by Gul Rana Example."]
    ev = art.evidence["translated_from"]
    assert art.text[ev.start:ev.end] == "Pashto"  # type: ignore[misc]
    assert "Translated" not in art.body


def test_translated_by_two_names() -> None:
    art = text_article(f"{FILLER}\nTranslated by Sara Example and Omar Sample\n")
    assert credits(art, "translation") == ["Sara Example", "Omar Sample"]


def test_translated_from_without_a_translator() -> None:
    art = text_article(f"{FILLER}\nTranslated from Pashto.\n")
    assert credits(art, "translation") == []
    assert zones(art, "translation") == ["Translated from Pashto."]
    assert art.evidence["translated_from"].detail == "read=Pashto"


def test_urdu_translation_frame_is_a_zone() -> None:
    line = "یہ رپورٹ فرانسیسی زبان سے ترجمہ کی گئی ہے۔"
    art = text_article(f"{UR_FILLER}\n{line}\n")
    assert zones(art, "translation") == [line]
    assert line not in art.body
    assert credits(art, "translation") == []
    ev = art.evidence["translated_from"]
    assert art.text[ev.start:ev.end] == "فرانسیسی زبان"  # type: ignore[misc]


def test_translation_cue_in_a_body_sentence_stays_body() -> None:
    sentence = ("یہ خبر کہ معاہدہ انگریزی سے ترجمہ کی گئی ہے غلط ہے اور حکام نے اس کی تردید کی ہے "
                "کیونکہ اصل متن تین زبانوں میں لکھا گیا تھا اور سب پر دستخط ہوئے۔")
    art = text_article(f"{UR_FILLER}\n{sentence}\n")
    assert not zones(art, "translation")


# ----- lists of authors ---------------------------------------------------------------------------

@pytest.mark.parametrize("line, names", [
    ("By Rafiq Example and Nadia Sample", ["Rafiq Example", "Nadia Sample"]),
    ("By Rafiq Example, Nadia Sample and Tom Test", ["Rafiq Example", "Nadia Sample", "Tom Test"]),
    ("By Rafiq Example & Nadia Sample", ["Rafiq Example", "Nadia Sample"]),
    ("By Rafiq Example, Quetta", ["Rafiq Example, Quetta"]),  # a comma alone does not make a list
    ("تحریر: رفیق احمد اور نادیہ خان", ["رفیق احمد", "نادیہ خان"]),
])
def test_byline_names(line: str, names: list[str]) -> None:
    art = text_article(f"{FILLER}\n{line}\n")
    assert credits(art, "author") == names
    assert line not in art.body


def test_html_byline_element_with_two_names() -> None:
    art = html_article("<h1>Assembly passes water bill</h1><div class='story-byline'>Rafiq Example and Nadia Sample</div>")
    assert credits(art, "author") == ["Rafiq Example", "Nadia Sample"]


# ----- caption and credit elements ----------------------------------------------------------------

def test_caption_class_with_a_cue() -> None:
    art = html_article("<h1>Assembly passes water bill</h1><div class='pic'><img src='a.jpg'>"
                       "<span class='img-caption'>Members leave the assembly hall after the vote (Photo: AFP)</span></div>")
    assert credits(art, "photo") == ["AFP"]
    assert "Members leave" not in art.body


def test_credit_element_inside_a_caption_without_a_cue() -> None:
    art = html_article("<h1>Assembly passes water bill</h1><figure><img src='a.jpg'><figcaption>"
                       "Members leave the assembly hall. <span class='credit'>Reuters</span></figcaption></figure>")
    assert credits(art, "photo") == ["Reuters"]
    assert "Members leave" not in art.body


def test_credit_element_of_its_own() -> None:
    art = html_article("<h1>Assembly passes water bill</h1><img src='a.jpg'><div class='photo-credit'>Valley Pictures</div>")
    assert credits(art, "photo") == ["Valley Pictures"]
    assert "Valley Pictures" not in art.body


def test_credit_element_holding_a_byline() -> None:
    art = html_article("<h1>Assembly passes water bill</h1><div class='credit'>By Rafiq Example</div>")
    assert credits(art, "author") == ["Rafiq Example"]
    assert credits(art, "photo") == []


# ----- datelines ------------------------------------------------------------------------------------

def test_dateline_with_region_abbreviated_month_and_year() -> None:
    art = text_article(f"QUETTA, Pakistan, Dec. 3, 2024 (AP) — {FILLER}\n{FILLER}\n")
    assert zones(art, "dateline") == ["QUETTA, Pakistan, Dec. 3, 2024 (AP) —"]
    assert art.outlet == "AP"
    assert art.published == "2024-12-03" and art.published_source == "dateline"


def test_unknown_outlet_in_a_dashed_dateline_is_kept_as_written() -> None:
    art = text_article(f"(صدائے وادی) - {UR_FILLER}\n{UR_FILLER}\n")
    assert art.outlet == "صدائے وادی"
    assert art.evidence["outlet"].source == "dateline"
    assert credits(art, "agency") == []  # not known to be an agency


@pytest.mark.parametrize("first", [
    "KARACHI, Jan 16 (Staff Report) — ",  # a reporter cue is no outlet
    "KARACHI (12 people, officials say) - ",  # digits and commas: not a name
    "(Rafiq Example) ",  # no dash after the parenthesis
])
def test_parentheses_that_name_no_outlet(first: str) -> None:
    art = text_article(f"{first}{FILLER}\n{FILLER}\n")
    assert art.outlet is None


# ----- language services ------------------------------------------------------------------------------

def test_language_service_by_url_and_name() -> None:
    assert outlets.by_url("https://www.bbc.com/urdu/pakistan-123").name == "BBC Urdu"  # type: ignore[union-attr]
    assert outlets.by_url("https://www.bbc.com/news/world-123").name == "BBC"  # type: ignore[union-attr]
    assert outlets.by_url("https://www.bbc.com/urduish").name == "BBC"  # type: ignore[union-attr]
    assert outlets.by_host("bbc.com").name == "BBC"  # type: ignore[union-attr]
    assert outlets.by_name("بی بی سی اردو").name == "BBC Urdu"  # type: ignore[union-attr]
    assert outlets.by_name("BBC News اردو").parent == "bbc"  # type: ignore[union-attr]


def test_language_service_from_dateline_and_source_line() -> None:
    art = text_article(f"لاہور (بی بی سی اردو) - {UR_FILLER}\n{UR_FILLER}\n")
    assert art.outlet == "BBC Urdu"
    art = text_article(f"{UR_FILLER}\n{UR_FILLER}\nماخذ: https://www.bbc.com/urdu/pakistan-123\n")
    assert art.outlet == "BBC Urdu" and art.evidence["outlet"].source == "source-url"
