"""Seed inputs for the fuzzers, written by us: small pages and texts in the shapes khabar reads.

Each seed starts with the two selector bytes the harness reads (content type, declared charset).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

EN = ("Harbour town opens ferry terminal\n\nPORTSMOUTH, March 3 (Coastal Post) - The council opened "
      "a terminal on Tuesday, two years after work began, \"It is a good day,\" the leader Jane Doe "
      "said. More than 2,000 people and $4.5 million were involved. Photo: A. Smith/Agency\n")
UR = ("لاہور (نمائندہ خصوصی) — حکومت نے منگل کو 29 نومبر 2024 کو تین ہسپتالوں کے لیے پچاس گاڑیاں "
      "خریدنے کا اعلان کیا۔ ترجمان نے کہا کہ ’’یہ اچھا دن ہے‘‘۔ ماخذ: خبر رساں ادارہ\n")
HTML = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Ferry terminal | Coastal Post"
        "</title><meta property='article:published_time' content='2024-11-29T08:30:00+05:00'>"
        "<script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\"author\":{{\"name\":"
        "\"Jane Doe\"}}}}</script></head><body><nav><a href='/'>Home</a></nav><article><h1>Ferry"
        "</h1><p class=byline>By Jane Doe</p><p>{body}</p><figure><img src=a.jpg><figcaption>The "
        "quay. Photo: A. Smith</figcaption></figure></article><footer>© Coastal Post</footer>"
        "</body></html>")


def seeds() -> dict[str, bytes]:
    """Seed name -> bytes (with the harness's two selector bytes in front)."""
    text_en, text_ur = EN.encode(), UR.encode()
    return {
        "en-text": b"\x02\x01" + text_en,
        "ur-text": b"\x02\x01" + text_ur,
        "ur-1256": b"\x02\x02" + UR.encode("cp1256", errors="replace"),
        "ur-utf16": b"\x00\x03" + UR.encode("utf-16"),
        "en-html": b"\x01\x00" + HTML.format(body=EN).encode(),
        "ur-html": b"\x01\x01" + HTML.format(body=UR).replace("lang=en", "lang=ur dir=rtl").encode(),
        "sniffed": b"\x00\x00" + HTML.format(body=EN + UR).encode(),
        "bom": b"\x02\x00\xef\xbb\xbf" + text_ur,
    }


def write_seeds(folder: Path) -> int:
    """Write the seeds into ``folder`` (named by content hash, as libFuzzer does); return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    for data in seeds().values():
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
    return len(seeds())
