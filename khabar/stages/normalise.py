"""The normalise stage: ``article.norm``, the text later stages search, with a map back.

``article.norm = NormText(text, to_orig, version)`` is ``article.text`` in NFC with digits of every
script in ASCII, spaces unified, tatweel, zero-width and bidi control characters removed, and the
letter variants of the article's language spelled the standard way (Urdu ``ي ك ه`` -> ``ی ک ہ``,
Persian ``ي ك`` -> ``ی ک`` keeping ZERO WIDTH NON-JOINER, Arabic ``ی ک`` -> ``ي ك``). The tables
are data (``khabar/langs/_common/normalise.json`` and ``khabar/langs/<code>/normalise.json``); an
article of unknown language, or of a language without a table, gets the common rules only.
``version`` names the table (``norm1/ur``). Facts found in ``norm.text`` map back to
``Article.text`` through ``article.norm.orig_span(start, end)``. See ``khabar.text.normalise``.
"""
from __future__ import annotations

from ..model import Article
from ..pipeline import Context, stage
from ..text.normalise import NormTable, norm_table, normalise

VERSION = "1"


def _normalise(article: Article, ctx: Context) -> None:
    """Build ``article.norm`` from ``article.text`` with the table of ``article.language``."""
    lang = article.language if article.language and article.language != "und" else None
    table: NormTable = ctx.cached(f"normalise.table:{lang or 'und'}", lambda: norm_table(lang))
    article.norm = normalise(article.text, table)


NORMALISE = stage("normalise", VERSION, requires={"text"}, assigns={"norm"})(_normalise)
