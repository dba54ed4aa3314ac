"""One atheris harness per target; run as ``python -m fuzz.harness <target> [libFuzzer flags]``.

A target gets raw bytes and must either give a result whose facts all point inside the text, or
raise a ``KhabarError`` (a clean, one-line refusal). Anything else is a crash: an uncaught
exception, a stage failure recorded with the internal-error code K999, an offset out of range,
or an article that does not survive ``to_dict``/JSON/``from_dict``.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

from khabar.errors import KhabarError
from khabar.model import Article, RawDocument
from khabar.settings import Settings

# Small caps keep one execution fast; the harness is about shape, not size.
SETTINGS = Settings(max_bytes=200_000, min_body_chars=20)
CONTENT_TYPES = (None, "text/html", "text/plain", "application/xhtml+xml")
CHARSETS = (None, "utf-8", "windows-1256", "utf-16", "latin-1", "no-such-charset")
FACT_LISTS = ("zones", "credits", "sentences", "tokens", "quotes", "dates", "amounts", "entities",
              "events", "claims")


class FuzzFinding(Exception):
    """An invariant broke: the input is a crash even though nothing raised."""


def document(data: bytes) -> RawDocument:
    """A RawDocument whose first two bytes pick the content type and declared charset."""
    if len(data) < 2:
        return RawDocument("fuzz", data)
    ctype = CONTENT_TYPES[data[0] % len(CONTENT_TYPES)]
    charset = CHARSETS[data[1] % len(CHARSETS)]
    return RawDocument("fuzz", data[2:], url=None, content_type=ctype, charset=charset)


def check_article(art: Article) -> None:
    """Every fact inside the text, no internal stage error, and a lossless JSON round trip."""
    n = len(art.text)
    for name in FACT_LISTS:
        for rec in getattr(art, name):
            if not 0 <= rec.start <= rec.end <= n:
                raise FuzzFinding(f"{name} record {rec!r} outside text of length {n}")
    for ev in art.evidence.values():
        if ev.start is not None and not (0 <= ev.start <= (ev.end or 0) <= n):
            raise FuzzFinding(f"evidence {ev!r} outside text of length {n}")
    internal = [e for e in art.errors if e.get("code") == "K999"]
    if internal:
        raise FuzzFinding(f"stage crashed: {internal[0]}")
    doc = art.to_dict()
    blob = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    again = Article.from_dict(json.loads(blob)).to_dict()
    if again != doc:
        diff = sorted(k for k in doc if doc[k] != again.get(k))
        raise FuzzFinding(f"to_dict/from_dict round trip changed {diff}")


def target_extract(data: bytes) -> None:
    """Bytes -> extraction only."""
    from khabar.extract import extract

    try:
        art = extract(document(data), SETTINGS)
    except KhabarError:
        return
    check_article(art)


_PIPELINE: list[Any] = []


def target_pipeline(data: bytes) -> None:
    """Bytes -> extraction -> every default stage (the pipeline is built once)."""
    from khabar.jobs import process_document
    from khabar.pipeline import default_pipeline

    if not _PIPELINE:
        _PIPELINE.append(default_pipeline(SETTINGS))
    try:
        art = process_document(document(data), _PIPELINE[0])
    except KhabarError:
        return
    check_article(art)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "extract": target_extract,
    "pipeline": target_pipeline,
}


def main(argv: list[str]) -> None:
    """``python -m fuzz.harness <target> [libFuzzer flags and corpus folders]``."""
    import atheris

    if len(argv) < 2 or argv[1] not in TARGETS:
        raise SystemExit(f"usage: python -m fuzz.harness {{{','.join(TARGETS)}}} [libFuzzer args]")
    with atheris.instrument_imports(include=["khabar"]):  # coverage of our code only
        import khabar.extract  # noqa: F401
        import khabar.jobs  # noqa: F401
        import khabar.stages  # noqa: F401
    target = TARGETS[argv[1]]
    target(b"\x02\x01warm up: load language data and models before fuzzing starts")
    # dateparser (inside htmldate) loads every locale the first time a date string is odd: ~30 s
    target(b"\x01\x00<html><head><meta property='article:published_time' content='2024-19-29T8'>"
           b"</head><body><p>warm up the date parsers with a strange date</p></body></html>")
    atheris.Setup([argv[0], *argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
