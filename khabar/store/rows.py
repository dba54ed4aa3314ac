"""What the SQL stores index about an article: rows of the query tables and its search text.

Pure functions over an article's JSON (``Article.to_dict``), shared by every SQL backend, so SQLite
and PostgreSQL index the same facts the same way. Search text is *folded*: compatibility-decomposed,
combining marks and format characters (ZWNJ, ZWJ) dropped, case-folded and split into tokens of
letters and digits, so a search matches across case, diacritics and Arabic-script harakat alike.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# Scripts written without spaces between words: searched by substring, not by word.
_NO_BREAK = re.compile(
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_TOKEN = re.compile(r"[^\W_]+")
# letters that carry a stroke rather than a combining mark, so NFKD leaves them alone
_STROKES = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i"})


def fold(text: str) -> str:
    """``text`` decomposed, without combining marks or format characters, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFC", kept.casefold().translate(_STROKES))


def tokens(text: str) -> list[str]:
    """The folded words of ``text``: runs of letters and digits."""
    return _TOKEN.findall(fold(text))


def search_text(doc: dict[str, Any]) -> str:
    """The indexed text of an article: its title's and body's tokens, space-separated."""
    return " ".join(tokens(f"{doc.get('title') or ''}\n{doc.get('body') or ''}"))


@dataclass(frozen=True)
class SearchQuery:
    """A user's search split into whole-word prefixes (``words``) and substrings (``substrings``,
    for words in scripts without word breaks), all folded."""

    words: tuple[str, ...]
    substrings: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left."""
        return not self.words and not self.substrings


def parse_query(text: str) -> SearchQuery:
    """Split a search into folded word prefixes and substrings; every part must match."""
    words: list[str] = []
    subs: list[str] = []
    for raw in text.split():
        toks = tokens(raw)
        if not toks:
            continue
        if any(_NO_BREAK.search(t) for t in toks):
            subs.append(" ".join(toks))
        else:
            words.extend(toks)
    return SearchQuery(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(subs)))


def like_pattern(needle: str) -> str:
    """A ``LIKE ... ESCAPE '\\'`` pattern matching ``needle`` anywhere."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ref_key(ref: Any) -> str:
    """Searchable text of an actor/place reference (as ``khabar.events.listing`` matches it)."""
    if not isinstance(ref, dict):
        return str(ref or "").lower()
    return " ".join(str(ref.get(k) or "") for k in ("name", "entity_id", "cameo")).lower()


def _ref(ref: Any, key: str) -> Any:
    return ref.get(key) if isinstance(ref, dict) else None


def mention_rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(article_id, seq, entity_id, name, text, type, start, end) for entities with an identity."""
    return [(doc["id"], i, e["entity_id"], e.get("name"), e.get("text"), e.get("type"), e.get("start"), e.get("end"))
            for i, e in enumerate(doc.get("entities") or [])
            if isinstance(e, dict) and e.get("entity_id")]


def quote_rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(article_id, seq, speaker_id, speaker name, start, end, quote) for every quote."""
    out = []
    for i, q in enumerate(doc.get("quotes") or []):
        if isinstance(q, dict):
            sp = q.get("speaker")
            out.append((doc["id"], i, _ref(sp, "entity_id"), _ref(sp, "name"), q.get("start") or 0,
                        q.get("end") or 0, q))
    return out


def quote_about_rows(doc: dict[str, Any], pub_key: str) -> list[tuple[Any, ...]]:
    """(entity_id, article_id, quote seq, pub_key, quote start) for every identity mentioned inside
    a quote's span (``quote_rows`` and ``mention_rows`` numbering)."""
    mentions = [(m[2], m[6], m[7]) for m in mention_rows(doc) if isinstance(m[6], int) and isinstance(m[7], int)]
    out: dict[tuple[str, int], tuple[Any, ...]] = {}
    for q in quote_rows(doc):
        _, qseq, _, _, qs, qe, _ = q
        for eid, ms, me in mentions:
            if ms >= qs and me <= qe:
                out.setdefault((eid, qseq), (eid, doc["id"], qseq, pub_key, qs))
    return list(out.values())


def event_rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(article_id, seq, event_id, cameo, root, source id/code/key, target id/code/key, place id/key,
    date, factuality, event) for every event; the date falls back to the publication date."""
    out = []
    for i, ev in enumerate(doc.get("events") or []):
        if not isinstance(ev, dict):
            continue
        code = str(ev.get("cameo") or "")
        d = ev.get("date")
        when = str(d["value"]) if isinstance(d, dict) and d.get("value") else str(doc.get("published") or "")
        src, tgt, place = ev.get("source"), ev.get("target"), ev.get("place")
        out.append((doc["id"], i, ev.get("id"), code, ev.get("cameo_root") or code[:2],
                    _ref(src, "entity_id"), _ref(src, "cameo"), ref_key(src),
                    _ref(tgt, "entity_id"), _ref(tgt, "cameo"), ref_key(tgt),
                    _ref(place, "entity_id"), ref_key(place), when, ev.get("factuality") or "", ev))
    return out


def event_actor_rows(doc: dict[str, Any], art_seq: int) -> list[tuple[Any, ...]]:
    """(actor key, article seq, event seq, article_id, role) for the source and target of every
    event (``event_rows`` numbering and keys); one row with role ``both`` when they share a key."""
    out = []
    for r in event_rows(doc):
        src, tgt = r[7], r[10]
        if src:
            out.append((src, art_seq, r[1], doc["id"], "both" if src == tgt else "source"))
        if tgt and tgt != src:
            out.append((tgt, art_seq, r[1], doc["id"], "target"))
    return out


def claim_rows(doc: dict[str, Any]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Claims as (article_id, seq, claim_id, claim) and their parties as
    (article_id, seq, entity_id, role) with role ``asserted`` or ``denied``."""
    claims, refs = [], []
    for i, c in enumerate(doc.get("claims") or []):
        if not isinstance(c, dict):
            continue
        claims.append((doc["id"], i, c.get("id"), c))
        parties = {(r.get("entity_id"), role)
                   for role, key in (("asserted", "asserted_by"), ("denied", "denied_by"))
                   for r in c.get(key) or [] if isinstance(r, dict) and r.get("entity_id")}
        refs.extend((doc["id"], i, eid, role) for eid, role in sorted(parties))
    return claims, refs
