"""Bytes to text: empty, binary, BOMs, declared and detected charsets, newline normalisation."""
from __future__ import annotations

import random

import pytest

from khabar.errors import BinaryInput, EmptyInput, EncodingError
from khabar.extract import extract
from khabar.extract.decode import decode
from khabar.model import RawDocument
from khabar.settings import Settings

# Urdu written with the letters windows-1256 has (Arabic yeh for Farsi yeh, "." for the full stop).
URDU_1256 = "پاکستان کے وزير اعظم نے آج اسلام آباد ميں ايک اہم اجلاس کی صدارت کی. اجلاس ميں معيشت پر بات ہوئی.".replace(
    "\u06cc", "\u064a"
)


def _one_line(err: Exception, source: str) -> None:
    text = str(err)
    assert "\n" not in text
    assert source in text


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyInput) as info:
        decode(data, "empty.txt")
    _one_line(info.value, "empty.txt")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"PK\x03\x04\x14\x00\x00\x00" + b"word/document.xml" * 3,
    b"\x7fELF\x02\x01\x01" + b"\x00" * 50,
    b"\x1f\x8b\x08\x00" + bytes(range(40)),
    b"some text\x00\x01\x02\x00\x03 more\x00 bytes" * 10,
])
def test_binary_input(data: bytes) -> None:
    with pytest.raises(BinaryInput) as info:
        decode(data, "picture.bin")
    _one_line(info.value, "picture.bin")


def test_control_characters_make_binary() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + b"text"
    with pytest.raises(BinaryInput):
        decode(data, "x.dat")


def test_windows_1256_urdu_is_detected() -> None:
    got = decode(URDU_1256.encode("cp1256"), "urdu.txt")
    assert got.text == URDU_1256
    assert got.encoding == "cp1256"
    assert got.how == "detected"


def test_declared_charset_comes_first() -> None:
    got = decode("Tiếng Việt có dấu".encode("utf-8"), "vi.txt", declared="utf-8")
    assert got.how == "declared"
    latin = decode("Café au lait, naïve résumé".encode("cp1252"), "fr.txt", declared="windows-1252")
    assert latin.text == "Café au lait, naïve résumé"


def test_html_meta_charset() -> None:
    page = '<html><head><meta charset="windows-1256"></head><body><p>' + URDU_1256 + "</p></body></html>"
    got = decode(page.encode("cp1256"), "page.html")
    assert got.how == "meta" and URDU_1256 in got.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_boms_and_utf16(codec: str) -> None:
    text = "اسلام آباد میں بارش\nLahore is warm today."
    got = decode(text.encode(codec), "u.txt")
    assert got.text == text


def test_invalid_utf8_fails_cleanly() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(128, 256) for _ in range(300))
    with pytest.raises(EncodingError) as info:
        decode(data, "garbage.txt")
    _one_line(info.value, "garbage.txt")


def test_newlines_and_nul_are_normalised() -> None:
    got = decode("line one\r\nline two\rline three\n".encode("utf-16-le"), "n.txt")
    assert got.text == "line one\nline two\nline three\n"


def test_extract_reports_bad_input_naming_the_source() -> None:
    for data, error in ((b"", EmptyInput), (b"GIF89a" + b"\x00" * 30, BinaryInput)):
        with pytest.raises(error) as info:
            extract(RawDocument(source="in/file-7", data=data), Settings())
        assert str(info.value).startswith(f"[{error.code}] in/file-7: ")


def test_extract_windows_1256_article() -> None:
    text = (URDU_1256 + "\n") * 3
    art = extract(RawDocument(source="u.txt", data=text.encode("cp1256"), content_type="text/plain"), Settings())
    assert art.text == text
    assert art.evidence["encoding"].detail == "encoding=cp1256"
