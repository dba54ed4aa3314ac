"""ENTITIES: states, places, demonyms, titles and the people they name, by gazetteer.

A longest-match gazetteer runs over the folded tokens of ``Article.text`` (Arabic-script letter
variants and diacritics folded, Latin case and accents folded; see ``khabar.kb.places.fold``).
Names are matched on whole tokens, so a name never matches inside a longer word, and a longer name
wins over its parts ("North Korea" over "Korea"). Where a name's token is capitalised (Latin,
Cyrillic), the text's token must be too; all-caps names (US, UK) must be all caps in the text.

The names come from the places KB (``khabar/kb/data/places.json``) for the article's language;
roles, organisation words, honorifics and the words that end a name come from the language pack's
``roles.tsv``. From the hits it builds:

- GPE (state), LOC (city, region) and NORP (demonym) entities with ISO 3166 and CAMEO codes;
- TITLE: a role, with the state from a demonym or state before it ("Russian defence minister",
  "روس کے وزیر دفاع") or after it ("defence minister of Russia"), when it has a state or a name;
- ORG: an organisation word ("وزارت دفاع"), with its state when one is given the same way;
- PERSON: the name after a title or honorific: a run of capitalised tokens in cased scripts, or in
  uncased scripts the tokens up to a STOP word (postposition, verb) within ``MAX_NAME_TOKENS``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..kb.places import Place, PlacesKB, Tok, fold_key, load_places, tokens
from ..langs import available, pack
from ..model import Article, Entity
from ..pipeline import Context, stage

RULE = "entities.gazetteer@1"
MAX_NAME_TOKENS = 4
PLACE_TYPES = {"state": "GPE", "city": "LOC", "region": "LOC", "demonym": "NORP"}
PLACE_KINDS = {"state": "state", "city": "place", "region": "place", "demonym": "demonym"}
ROLE_TYPES = ("TITLE", "ORG", "HONORIFIC")
_BREAK = re.compile(r"[^\s'’\-‐.]")  # anything in a gap other than these breaks a phrase
_SENTENCE_ENDS = ".!?۔؟:\n"


@dataclass(frozen=True)
class Hit:
    """A matched name over tokens ``[i, j)``: a place or a role row."""

    i: int
    j: int
    place: Place | None = None
    role: tuple[str, str, str] | None = None  # (canonical, sectors, type)
    ambiguous: bool = False


@dataclass
class Gazetteer:
    """Everything matched for one language: names by folded token tuple, and the word sets."""

    table: dict[tuple[str, ...], list[tuple[Any, tuple[str, ...]]]] = field(default_factory=dict)
    ambiguous: set[tuple[str, ...]] = field(default_factory=set)
    stop: set[str] = field(default_factory=set)
    link_before: set[str] = field(default_factory=set)
    link_after: set[str] = field(default_factory=set)
    lengths: dict[str, list[int]] = field(default_factory=dict)  # first token -> name lengths

    def add(self, surface: str, payload: Any) -> None:
        """Index ``payload`` under the folded tokens of ``surface`` (keeping its original case)."""
        toks = tokens(surface)
        key = tuple(t for t, _, _ in toks)
        if key:
            shape = tuple(surface[s:e] for _, s, e in toks)
            self.table.setdefault(key, []).append((payload, shape))
            lens = self.lengths.setdefault(key[0], [])
            if len(key) not in lens:
                lens.append(len(key))
                lens.sort(reverse=True)


def build_gazetteer(kb: PlacesKB, lang: str | None) -> Gazetteer:
    """The gazetteer for texts in ``lang`` (every language's data when it is unknown)."""
    gz = Gazetteer()
    for surface, place in kb.names_for(lang):
        gz.add(surface, place)
    gz.ambiguous = kb.ambiguous_keys(lang)
    codes = [lang] if lang and pack(lang).exists else available()
    for code in codes:
        for row in pack(code).tsv("roles"):
            cells = [c.strip() for c in row] + [""] * 4
            surface, canonical, sectors, kind = cells[:4]
            if kind in ROLE_TYPES:
                gz.add(surface, (canonical, sectors, kind))
            elif kind in ("STOP", "LINK_BEFORE", "LINK_AFTER"):
                getattr(gz, kind.lower()).update(fold_key(surface))
    return gz


# ----- matching ---------------------------------------------------------------------------------
def tokenize(text: str) -> list[Tok]:
    """Folded tokens of ``text`` with their original offsets."""
    return tokens(text)


def _joined(text: str, toks: list[Tok], i: int, j: int) -> bool:
    """Whether tokens ``i..j-1`` form one phrase (no punctuation between them but an initial's
    full stop, an apostrophe or a hyphen)."""
    for k in range(i + 1, j):
        gap = text[toks[k - 1].end : toks[k].start]
        if "." in gap and not _abbreviation(text, toks[k - 1]):
            return False
        if _BREAK.search(gap.replace(".", "")):
            return False
    return True


def _abbreviation(text: str, tok: Tok) -> bool:
    """A token a full stop may follow inside a phrase: an initial or a short capitalised
    abbreviation (U.S., Mr., Gen.)."""
    return tok.end - tok.start <= 3 and text[tok.start].isupper()


def _case_ok(text: str, toks: list[Tok], i: int, shape: tuple[str, ...]) -> bool:
    """Capitalised name tokens need capitalised text tokens; all-caps ones need all caps."""
    for k, name_tok in enumerate(shape):
        orig = text[toks[i + k].start : toks[i + k].end]
        if len(name_tok) > 1 and name_tok.isupper() and not orig.isupper():
            return False
        if name_tok[:1].isupper() and not orig[:1].isupper():
            return False
    return True


def _capitalised(text: str, tok: Tok) -> bool:
    ch = text[tok.start]
    return ch.isupper()


def _opens_sentence(text: str, start: int) -> bool:
    """Whether only white space lies between ``start`` and the text's start or a sentence end."""
    k = start - 1
    while k >= 0 and text[k].isspace() and text[k] != "\n":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_ENDS


def _neighbour_capitalised(text: str, toks: list[Tok], i: int, j: int, stop: set[str]) -> bool:
    """For ambiguous Latin names: a capitalised adjacent word (Jordan Peterson, Michael Jordan);
    a capitalised STOP word opening a sentence ("In Jordan") does not count."""
    if j < len(toks) and _joined(text, toks, j - 1, j + 1) and _capitalised(text, toks[j]):
        return True
    if i > 0 and _joined(text, toks, i - 1, i + 1) and _capitalised(text, toks[i - 1]):
        return not (toks[i - 1].text in stop and _opens_sentence(text, toks[i - 1].start))
    return False


def match(text: str, toks: list[Tok], gz: Gazetteer) -> list[Hit]:
    """Longest-match scan: at each token take the longest name that fits its checks."""
    hits: list[Hit] = []
    i = 0
    while i < len(toks):
        hit = _longest_at(text, toks, gz, i)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit.j
    return hits


def _longest_at(text: str, toks: list[Tok], gz: Gazetteer, i: int) -> Hit | None:
    for n in gz.lengths.get(toks[i].text, ()):
        if i + n > len(toks):
            continue
        key = tuple(t.text for t in toks[i : i + n])
        entries = gz.table.get(key)
        if not entries or not _joined(text, toks, i, i + n):
            continue
        for payload, shape in entries:
            if not _case_ok(text, toks, i, shape):
                continue
            if isinstance(payload, Place):
                amb = key in gz.ambiguous
                if amb and text[toks[i].start].isupper() and _neighbour_capitalised(text, toks, i, i + n, gz.stop):
                    continue
                return Hit(i, i + n, place=payload, ambiguous=amb)
            return Hit(i, i + n, role=payload)
    return None


# ----- building entities ------------------------------------------------------------------------
def _place_entity(toks: list[Tok], hit: Hit, p: Place, kb: PlacesKB) -> Entity:
    codes = _country_codes(kb, p.country or p.iso2) if p.kind != "region" else {"un_m49": p.iso2}
    if p.kind == "city":
        codes.update({"lat": p.lat, "lon": p.lon, "geonames": p.id.split(":", 1)[1]})
    return Entity(toks[hit.i].start, toks[hit.j - 1].end, RULE, name=p.name, type=PLACE_TYPES[p.kind],
                  codes=codes, entity_id=p.id, canonical_name=p.name, kind=PLACE_KINDS[p.kind],
                  confidence=0.5 if hit.ambiguous else 1.0)


def _country_codes(kb: PlacesKB, iso2: str) -> dict[str, Any]:
    st = kb.state(iso2)
    if st is None:
        return {"iso3166": iso2}
    return {"iso3166": st.iso2, "iso3166_3": st.iso3, "cameo": st.cameo}


def _country_of(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer) -> tuple[str, int, int] | None:
    """The state a role hit ``hits[k]`` belongs to: (iso2, first token, last token + 1) of the
    whole phrase, from a demonym or state before it (with a link word) or after it."""
    h = hits[k]
    if k > 0 and hits[k - 1].place is not None and hits[k - 1].place.kind in ("demonym", "state"):
        prev = hits[k - 1]
        between = [t.text for t in toks[prev.j : h.i]]
        if _joined(text, toks, prev.j - 1, h.i + 1) and (
            not between or (prev.place.kind == "state" and all(b in gz.link_before for b in between) and len(between) <= 2)
        ):
            return prev.place.iso2, prev.i, h.j
    if k + 1 < len(hits) and hits[k + 1].place is not None and hits[k + 1].place.kind == "state":
        nxt = hits[k + 1]
        between = [t.text for t in toks[h.j : nxt.i]]
        if between and all(b in gz.link_after for b in between) and _joined(text, toks, h.j - 1, nxt.i + 1):
            return nxt.place.iso2, h.i, nxt.j
    return None


def _name_after(text: str, toks: list[Tok], start: int, limit: int, gz: Gazetteer) -> tuple[int, int] | None:
    """Token range of a person's name starting at token ``start`` (before token ``limit``, the
    next hit): capitalised tokens in cased scripts; in uncased scripts the tokens before a STOP
    word, punctuation or the next hit, and only if such an end comes within MAX_NAME_TOKENS."""
    end = start
    ended = False
    while end < min(limit, len(toks)):
        tok = toks[end]
        first = text[tok.start]
        if end > start and not _joined(text, toks, end - 1, end + 1):
            ended = True
            break
        if tok.text in gz.stop or first.isdigit():
            ended = True
            break
        if first.upper() != first.lower() and not first.isupper():
            ended = True
            break
        if end - start == MAX_NAME_TOKENS:
            break
        end += 1
    else:
        ended = True
    if end == start:
        return None
    cased = text[toks[start].start].isupper()
    if not cased and not ended:
        return None
    return start, min(end, start + MAX_NAME_TOKENS)


def _appositive(text: str, toks: list[Tok], j: int, limit: int, gz: Gazetteer) -> tuple[int, int] | None:
    """A capitalised name set off by commas after a title ("the defence minister, Andrei
    Belousov, said"); cased scripts only."""
    if j >= min(limit, len(toks)) or text[toks[j - 1].end : toks[j].start].strip() != ",":
        return None
    if not text[toks[j].start].isupper():
        return None
    rng = _name_after(text, toks, j, limit, gz)
    if rng and (rng[1] >= len(toks) or text[toks[rng[1] - 1].end : toks[rng[1]].start].strip().startswith(",")):
        return rng
    return None


def _role_entities(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer, kb: PlacesKB) -> list[Entity]:
    canonical, sectors, kind = hits[k].role or ("", "", "")
    h = hits[k]
    country = _country_of(text, toks, hits, k, gz)
    i, j = (country[1], country[2]) if country else (h.i, h.j)
    codes: dict[str, Any] = _country_codes(kb, country[0]) if country else {}
    sector_list = sectors.split()
    if sector_list:
        codes["sectors"] = sector_list
        if "cameo" in codes:
            codes["cameo"] = codes["cameo"] + sector_list[0]
    out: list[Entity] = []
    if kind == "ORG":
        return [Entity(toks[i].start, toks[j - 1].end, RULE, name=canonical, type="ORG", codes=codes,
                       canonical_name=canonical, kind="organisation")]
    limit = next((x.i for x in hits[k + 1 :] if x.i >= j), len(toks))
    if j < len(toks) and _joined(text, toks, j - 1, j + 1):
        name = _name_after(text, toks, j, limit, gz)
    else:
        name = _appositive(text, toks, j, limit, gz)
    role = canonical if kind == "TITLE" else None
    if kind == "TITLE" and (country or name):
        out.append(Entity(toks[i].start, toks[j - 1].end, RULE, name=canonical, type="TITLE",
                          codes=dict(codes), role=canonical, kind="title"))
    if name:
        s, e = toks[name[0]].start, toks[name[1] - 1].end
        out.append(Entity(s, e, RULE, name=text[s:e], type="PERSON", codes=dict(codes) if role else {},
                          role=role, kind="person", confidence=0.8))
    return out


def find_entities(text: str, gz: Gazetteer, kb: PlacesKB) -> list[Entity]:
    """All entities the gazetteer finds in ``text``, ordered by position."""
    toks = tokenize(text)
    hits = match(text, toks, gz)
    out: list[Entity] = []
    for k, h in enumerate(hits):
        if h.place is not None:
            out.append(_place_entity(toks, h, h.place, kb))
        else:
            out.extend(_role_entities(text, toks, hits, k, gz, kb))
    return sorted(out, key=lambda e: (e.start, -e.end, e.type))


@stage("entities", "1", requires={"text", "language"}, assigns={"entities"})
def ENTITIES(article: Article, ctx: Context) -> None:  # noqa: N802 - stage objects are constants
    """Find states, places, demonyms, titles, organisations and titled people in the article."""
    kb = ctx.cached("kb.places", load_places)
    lang = article.language
    gz = ctx.cached(f"entities.gazetteer.{lang or 'und'}", lambda: build_gazetteer(kb, lang))
    found = find_entities(article.text, gz, kb)
    article.entities = [e for e in article.entities if e.rule != RULE] + found
