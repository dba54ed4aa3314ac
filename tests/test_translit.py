"""Latin matching keys across scripts (khabar.text.translit): issue 5."""
from __future__ import annotations

import pytest

from khabar.text.translit import match_key, romanise, similarity


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("Andrei Belousov", "آندرے بیلوسوف"),  # Urdu
        ("Andrei Belousov", "Андрей Белоусов"),  # Russian
        ("Vladimir Putin", "ولادیمیر پیوٹن"),
        ("Vladimir Putin", "फ्लादिमीर पुतिन".replace("फ्ला", "व्ला")),  # Hindi
        ("Vladimir Putin", "فلاديمير بوتين"),  # Arabic: no p, no v
        ("No Kwang Chol", "نو کوانگ چول"),
        ("Kim Jong Un", "کم جونگ ان"),
        ("Washington", "واشنگٹن"),
        ("America", "امریکہ"),
        ("Moscow", "ماسکو"),
    ],
)
def test_spellings_in_other_scripts_meet_on_one_key(latin: str, other: str) -> None:
    assert match_key(latin) == match_key(other)


def test_word_splits_do_not_matter() -> None:
    assert similarity(match_key("Pyongyang"), match_key("پیانگ یانگ")) == 1.0
    assert similarity(match_key("Kim Jong-un"), match_key("Kim Jong Un")) == 1.0


def test_different_names_stay_apart() -> None:
    assert similarity(match_key("Andrei Belousov"), match_key("Sergei Shoigu")) < 0.5
    assert similarity(match_key("Kim Jong Un"), match_key("Kim Jong Il")) < 0.95


def test_romanise_is_readable_latin() -> None:
    assert romanise("Андрей Белоусов") == "Andrey Belousov"
    assert romanise("Nguyễn Phú Trọng") == "Nguyen Phu Trong"
    urdu = romanise("آندرے بیلوسوف")
    assert urdu.isascii() and urdu.split()[0] == "Andre"


def test_empty_and_punctuation() -> None:
    assert match_key("") == ""
    assert match_key(" -- 123 ") == ""
    assert similarity("", "blsf") == 0.0
