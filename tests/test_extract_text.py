"""Plain-text extraction and the furniture rules, on articles written for these tests."""
from __future__ import annotations

import pytest

from khabar.errors import NoArticle
from khabar.extract import extract
from khabar.kb import outlets
from khabar.model import Article, RawDocument
from khabar.settings import Settings

EN = """Floods cut off mountain villages after days of rain
LONDON, Nov 29 (Reuters) - Floods cut off dozens of villages in the northern hills on Friday after three days of heavy rain, officials said.
Rescue teams carried food and medicine on foot to the worst hit areas, where roads and bridges were washed away.
Villagers wade through a flooded street in the north. Photo: AFP
"We have never seen water rise this fast," said a farmer who lost his harvest.
Reporting by Jane Example; Editing by John Sample
Source: https://www.reuters.com/world/floods-villages-2024-11-29/
Comments (12)
"""

UR = """اسلام آباد (اے پی پی) وفاقی حکومت نے ملک بھر میں شجرکاری مہم شروع کرنے کا اعلان کیا ہے جس کے تحت دس لاکھ پودے لگائے جائیں گے۔
وزیر ماحولیات نے کہا کہ مہم میں سکولوں اور کالجوں کے طلبہ بھی حصہ لیں گے۔
شجرکاری مہم کے آغاز پر وزیر ماحولیات پودا لگا رہے ہیں (تصویر: اے ایف پی)۔
ماخذ: https://www.app.com.pk/national/tree-plantation-campaign/
تبصرے (۱۲)
"""

VI = """(Dân trí) - Sáng nay, nhiều tuyến phố ở trung tâm Hà Nội bị ngập sâu sau trận mưa lớn kéo dài suốt đêm qua.
Người dân phải dắt xe máy qua đoạn đường ngập nước. Ảnh: Dân trí
Lực lượng chức năng đã có mặt để phân luồng giao thông và hỗ trợ người dân.
Bình luận (5)
"""


def run(text: str, **kw: object) -> Article:
    raw = RawDocument(source="t.txt", data=text.encode("utf-8"), content_type="text/plain", **kw)  # type: ignore[arg-type]
    return extract(raw, Settings())


def zone(art: Article, kind: str) -> list[str]:
    return [art.text[z.start:z.end] for z in art.zones if z.kind == kind]


def test_text_is_kept_as_is_and_offsets_point_into_it() -> None:
    art = run(EN)
    assert art.text == EN and art.format == "text"
    for z in art.zones:
        assert 0 <= z.start < z.end <= len(art.text)
    for c in art.credits:
        assert art.text[c.start:c.end].strip() == art.text[c.start:c.end]


def test_english_article_furniture() -> None:
    art = run(EN)
    assert art.title == EN.splitlines()[0]
    assert zone(art, "dateline") == ["LONDON, Nov 29 (Reuters) -"]
    assert art.outlet == "Reuters" and art.evidence["outlet"].source == "dateline"
    assert art.comment_count == 12
    assert art.source_url == "https://www.reuters.com/world/floods-villages-2024-11-29/"
    assert "Photo: AFP" in zone(art, "caption")[0]
    assert zone(art, "byline")[0].startswith("Reporting by")
    roles = {(c.role, c.name) for c in art.credits}
    assert ("photo", "AFP") in roles and ("agency", "Reuters") in roles
    assert ("author", "Jane Example; Editing by John Sample") in roles
    body = art.body
    assert "Villagers wade" not in body and "Comments" not in body and "reuters.com" not in body
    assert body.startswith("LONDON, Nov 29 (Reuters) - Floods")  # the dateline stays in the body


def test_english_published_prefers_url_then_dateline() -> None:
    art = run(EN)
    assert art.published == "2024-11-29" and art.published_source == "source-url"
    no_url = run(EN.replace("2024-11-29/", "floods/"), fetched_at="2024-12-01T10:00:00Z")
    assert no_url.published == "2024-11-29" and no_url.published_source == "dateline"
    assert no_url.evidence["published"].detail.startswith("granularity=day")


def test_urdu_article_furniture() -> None:
    art = run(UR)
    assert art.title is None
    assert zone(art, "dateline") == ["اسلام آباد (اے پی پی)"]
    assert art.outlet == "APP"
    assert art.comment_count == 12  # Eastern Arabic digits
    assert art.source_url == "https://www.app.com.pk/national/tree-plantation-campaign/"
    photo = [c for c in art.credits if c.role == "photo"]
    assert [c.name for c in photo] == ["AFP"] and art.text[photo[0].start:photo[0].end] == "اے ایف پی"
    assert "تصویر" not in art.body and "ماخذ" not in art.body and "تبصرے" not in art.body


def test_vietnamese_article_furniture() -> None:
    art = run(VI)
    assert art.outlet == "Dan Tri"
    assert zone(art, "dateline") == ["(Dân trí) -"]
    assert art.comment_count == 5
    assert [c.name for c in art.credits if c.role == "photo"] == ["Dan Tri"]
    assert "Ảnh:" not in art.body


def test_reporter_dateline_with_date() -> None:
    text = ("لاہور (نمائندہ خصوصی، 12 مارچ 2025) صوبائی حکومت نے شہر میں صفائی کی نئی مہم شروع کر دی ہے۔\n"
            "میئر نے کہا کہ مہم ایک ماہ تک جاری رہے گی اور ہر محلے تک پہنچے گی۔\n")
    art = run(text)
    assert zone(art, "dateline") == ["لاہور (نمائندہ خصوصی، 12 مارچ 2025)"]
    assert art.outlet is None
    assert art.published == "2025-03-12" and art.published_source == "dateline"


def test_translated_from_line() -> None:
    text = EN.replace("Comments (12)\n", "Translated from Vietnamese by the desk\n")
    art = run(text)
    assert zone(art, "translation") == ["Translated from Vietnamese by the desk"]
    assert any(c.role == "translation" for c in art.credits)
    assert "Translated" not in art.body


def test_acronym_in_parenthesis_is_not_a_caption() -> None:
    text = ("The minister spoke to the Associated Press of Pakistan (APP).\n"
            "He said the new budget would be presented to parliament next week with relief for farmers.\n")
    art = run(text)
    assert not zone(art, "caption")
    assert "Associated Press of Pakistan" in art.body


def test_sentence_first_line_is_not_a_title() -> None:
    text = "The council met on Monday.\nIt approved a new budget for schools, roads and the hospital in the town.\n"
    assert run(text).title is None


def test_feed_hint_title_and_date() -> None:
    text = "Officials said on Monday that the new bridge across the river would open to traffic next month."
    art = run(text, hints={"title": "Bridge to open", "published": "Mon, 02 Dec 2024 08:00:00 +0500"})
    assert art.title == "Bridge to open"
    assert art.published == "2024-12-02T08:00:00+05:00" and art.published_source == "feed"


def test_short_text_is_no_article() -> None:
    with pytest.raises(NoArticle) as info:
        run("Breaking news\nMore soon.\n")
    assert "t.txt" in str(info.value) and "\n" not in str(info.value)


def test_outlet_names_across_scripts() -> None:
    assert outlets.by_name("رائٹرز").name == "Reuters"  # type: ignore[union-attr]
    assert outlets.by_name("Рейтер").name == "Reuters"  # type: ignore[union-attr]
    assert outlets.by_name("dân trí").name == "Dan Tri"  # type: ignore[union-attr]
    assert outlets.by_host("urdu.geo.tv").name == "Geo News"  # type: ignore[union-attr]
    assert outlets.by_host("example.org") is None
    assert len(outlets.outlets()) >= 60
