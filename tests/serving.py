"""Helpers for the serving tests: stored article JSON built by hand (every fact at known offsets),
with hostile payloads available for every field."""
from __future__ import annotations

from typing import Any

from khabar.model import Article, stable_fingerprint

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
SVG = "<svg onload=window.__pwned=1>"
PAYLOADS = (SCRIPT, IMG, SVG)
TOKEN = "test-token-123"


def doc(ident: str, title: str, body: str, *, language: str = "en", published: str = "2024-12-01",
        speaker: str = "Speaker One", speaker_id: str = "local:person:speaker-one",
        quote: str | None = None, place: str = "Karachi", outlet: str = "Test Outlet") -> dict[str, Any]:
    """An article whose text is ``title\\nbody``, with one entity (the speaker), one quote (``quote``
    must occur in ``body``), one place, a date and an amount when their words occur in the body,
    and one event; every offset points into the text."""
    text = f"{title}\n{body}"
    base = Article(text=text).to_dict()
    at = len(title) + 1

    def span(part: str) -> tuple[int, int]:
        i = text.index(part, at)
        return i, i + len(part)

    s0, s1 = span(speaker)
    p0, p1 = span(place)
    ents = [
        {"text": speaker, "name": speaker, "type": "PERSON", "start": s0, "end": s1, "codes": {}, "role": None,
         "entity_id": speaker_id, "canonical_name": speaker, "kind": "person", "confidence": 1.0, "rule": "t@1"},
        {"text": place, "name": place, "type": "LOC", "start": p0, "end": p1,
         "codes": {"lat": 24.86, "lon": 67.01, "iso3166": "PK"}, "role": None, "entity_id": "city:1174872",
         "canonical_name": place, "kind": "place", "confidence": 1.0, "rule": "t@1"},
    ]
    quotes = []
    if quote:
        q0, q1 = span(quote)
        quotes.append({"text": quote, "start": q0, "end": q1, "direct": True, "confidence": 0.9, "rule": "t@1",
                       "speaker": {"name": speaker, "start": s0, "end": s1, "entity_id": speaker_id, "cameo": None},
                       "verb": "said", "verb_start": None, "verb_end": None})
    ev = {"id": f"ev-{ident}", "text": body[:20], "start": at, "end": at + 20, "cameo": "042", "cameo_root": "04",
          "plover": {"type": "CONSULT", "mode": ""}, "quad_class": 1, "goldstein": 1.9, "factuality": "asserted",
          "source": {"name": speaker, "start": s0, "end": s1, "entity_id": speaker_id, "cameo": "PAKGOV"},
          "target": {"name": place, "start": p0, "end": p1, "entity_id": "city:1174872", "cameo": "PAK"},
          "place": {"name": place, "start": p0, "end": p1, "entity_id": "city:1174872", "cameo": "PAK"},
          "date": {"value": published, "granularity": "day", "source": "published"}, "claim_id": None,
          "evidence": {"predicate": [s0, s1]}, "data": {}, "rule": "t@1"}
    base.update({"id": ident, "title": title, "body": body, "language": language, "published": published,
                 "outlet": outlet, "source": f"test:{ident}", "entities": ents, "quotes": quotes, "events": [ev]})
    if "2024" in body:
        d0, d1 = span("2024")
        base["dates"] = [{"text": "2024", "value": "2024", "granularity": "year", "relative": False,
                          "start": d0, "end": d1, "rule": "t@1"}]
    if "5 million" in body:
        a0, a1 = span("5 million")
        base["amounts"] = [{"text": "5 million", "value": 5_000_000, "qualifier": None, "unit": None,
                            "object": None, "start": a0, "end": a1, "rule": "t@1"}]
    return base


def put(store: Any, d: dict[str, Any]) -> None:
    """Store a hand-built article JSON."""
    store.put_doc(d, stable_fingerprint(d))


def hostile_doc() -> dict[str, Any]:
    """An article with script payloads in its title, body, speaker name, quote, outlet and place."""
    speaker = f"Mr {IMG} Evil"
    quote = f"we will {SCRIPT} win {SVG}"
    place = f"Town{SCRIPT}"
    body = f"{speaker} said \"{quote}\" in {place} in 2024 about 5 million people. {IMG}"
    return doc("deadbeefdeadbeef", f"Title {SCRIPT}{IMG}", body, speaker=speaker, speaker_id=f"local:person:{IMG}",
               quote=quote, place=place, outlet=f"Outlet {SCRIPT}")
