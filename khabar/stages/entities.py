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
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from ..kb.places import Place, PlacesKB, Tok, fold_key, load_places, tokens
from ..langs import available, pack
from ..model import Article, Entity
from ..pipeline import Context, stage
from .ner_merge import MERGE_RULE, merge

RULE = "entities.gazetteer@2"
NER_RULE_PREFIX = "analyse@"  # the trained model's entities, merged here
MAX_NAME_TOKENS = 4
PLACE_TYPES = {"state": "GPE", "city": "LOC", "region": "LOC", "admin1": "LOC", "area": "LOC", "demonym": "NORP"}
PLACE_KINDS = {"state": "state", "city": "place", "region": "place", "admin1": "region", "area": "region",
               "demonym": "demonym"}
# roles.tsv row types that are matched as phrases (the others are word sets)
ROLE_TYPES = ("TITLE", "TITLE_NAMED", "HEAD", "ORG", "HONORIFIC", "PERSON_NOUN", "PORTFOLIO", "RANK", "LEVEL",
              "ORG_HEAD", "FACILITY")
WORD_SETS = {"STOP": "stop", "LINK_BEFORE": "link_before", "LINK_AFTER": "link_after",
             "PLINK_BEFORE": "plink_before", "PLINK_AFTER": "plink_after", "DEFINITE": "definite"}
_BREAK = re.compile(r"[^\s'’\-‐.]")  # anything in a gap other than these breaks a phrase
_SENTENCE_ENDS = ".!?۔؟:\n"


class Role(NamedTuple):
    """A roles.tsv row: ``canonical`` English role (a template with ``{}`` for RANK and LEVEL
    rows), CAMEO ``sectors`` (space-separated) and the row ``kind``."""

    canonical: str
    sectors: str
    kind: str


@dataclass(frozen=True)
class Hit:
    """A matched name over tokens ``[i, j)``: a place (``options`` holds every place of that
    spelling, best first) or a role row. A composed title also records its ``portfolio``, the
    military ``grade`` between it and a name, and the token where that name may start."""

    i: int
    j: int
    place: Place | None = None
    role: Role | None = None
    ambiguous: bool = False
    options: tuple[Place, ...] = ()
    portfolio: str = ""
    grade: str = ""
    name_at: int = -1
    bare: bool = False  # a HEAD without portfolio, rank or level ("minister")
    cased: bool = False  # the text's token is in a cased script (case checks apply)
    site: Place | None = None  # a facility's place ("Pyongyang" of "Pyongyang airport")


@dataclass
class Gazetteer:
    """Everything matched for one language: names by folded token tuple, and the word sets."""

    table: dict[tuple[str, ...], list[tuple[Any, tuple[str, ...]]]] = field(default_factory=dict)
    ambiguous: set[tuple[str, ...]] = field(default_factory=set)
    stop: set[str] = field(default_factory=set)
    link_before: set[str] = field(default_factory=set)
    link_after: set[str] = field(default_factory=set)
    plink_before: set[str] = field(default_factory=set)
    plink_after: set[str] = field(default_factory=set)
    definite: set[str] = field(default_factory=set)
    state_after: bool = False  # a state right after a role names its country (roles.tsv STATE_AFTER row)
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
                gz.add(surface, Role(canonical, sectors, kind))
            elif kind in WORD_SETS:
                getattr(gz, WORD_SETS[kind]).update(fold_key(surface))
            elif kind == "STATE_AFTER":
                gz.state_after = True
    return gz


# ----- matching ---------------------------------------------------------------------------------
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


def tokenize(text: str) -> list[Tok]:
    """Folded tokens of ``text`` with their original offsets, without the tokens of web
    addresses (a URL's words are no mentions: ``.../pakistan-china-defence-ministers``)."""
    urls = [m.span() for m in _URL.finditer(text)]
    toks = tokens(text)
    if not urls:
        return toks
    return [t for t in toks if not any(s <= t.start < e for s, e in urls)]


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
        if len(orig) <= 3 and orig.isupper() and not name_tok.isupper():
            return False  # MON, ARE: short all-caps tokens are abbreviations, not Mon or Are
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
        amb = key in gz.ambiguous
        if amb and text[toks[i].start].isupper() and _neighbour_capitalised(text, toks, i, i + n, gz.stop):
            entries = [e for e in entries if not isinstance(e[0], Place)]
        fitting = [payload for payload, shape in entries if _case_ok(text, toks, i, shape)]
        if not fitting:
            continue
        if isinstance(fitting[0], Place):
            options = tuple({p.id: p for p in fitting if isinstance(p, Place)}.values())
            first = text[toks[i].start]
            return Hit(i, i + n, place=options[0], ambiguous=amb, options=options,
                       cased=first.upper() != first.lower())
        return Hit(i, i + n, role=fitting[0])
    return None


def _country(p: Place) -> str:
    """The ISO alpha-2 code of the state a place is in ("" for an area of several states)."""
    return p.country or (p.iso2 if p.kind in ("state", "demonym") else "")


def _surname(text: str, toks: list[Tok], h: Hit, gz: Gazetteer) -> bool:
    """A one-word city or region right after a capitalised word that is no name of ours is a
    surname in cased scripts (Stephen Crawley, Alex Santos); "In Karachi" is not."""
    if not h.cased or h.j - h.i != 1 or h.place is None or h.place.kind not in ("city", "admin1", "area"):
        return False
    if h.i == 0 or not _joined(text, toks, h.i - 1, h.j) or not _capitalised(text, toks[h.i - 1]):
        return False
    prev, tok = toks[h.i - 1], toks[h.i]
    if "\n" in text[prev.end : tok.start] or text[tok.start : tok.end].isupper():
        return False  # a headline's last word, or a dateline (LONDON)
    return not (prev.text in gz.stop or prev.text in gz.definite or gz.lengths.get(prev.text))


def resolve_places(hits: list[Hit]) -> list[Hit]:
    """Pick each place among its same-spelled options (Hyderabad in India or Pakistan, Punjab,
    Georgia) by the states the article's other, unambiguous places are in; the first option
    (own-language name, then the larger place) wins a tie. A name that is also a common word in
    an uncased script (``ambiguous``) is kept only when its state is named elsewhere too."""
    evidence: Counter[str] = Counter()
    for h in hits:
        states = {_country(p) for p in h.options} - {""}
        if h.place is not None and len(states) == 1 and not h.ambiguous:
            evidence[states.pop()] += 1
    out = []
    for h in hits:
        if h.place is None:
            out.append(h)
            continue
        best = max(h.options, key=lambda p: evidence[_country(p)]) if len(h.options) > 1 else h.place
        if evidence[_country(best)] == evidence[_country(h.place)]:
            best = h.place
        if h.ambiguous and not h.cased and not evidence[_country(best)]:
            continue
        out.append(replace(h, place=best))
    return out


# ----- building entities ------------------------------------------------------------------------
def _place_entity(toks: list[Tok], hit: Hit, p: Place, kb: PlacesKB) -> Entity:
    if p.kind == "region":
        codes: dict[str, Any] = {"un_m49": p.iso2}
    else:
        codes = _country_codes(kb, _country(p)) if _country(p) else {}
    if p.kind == "city":
        codes.update({"lat": p.lat, "lon": p.lon, "geonames": p.id.split(":", 1)[1]})
    if p.subdivision:
        codes["iso3166_2"] = p.subdivision
    return Entity(toks[hit.i].start, toks[hit.j - 1].end, RULE, name=p.name, type=PLACE_TYPES[p.kind],
                  codes=codes, entity_id=p.id, canonical_name=p.name, kind=PLACE_KINDS[p.kind],
                  confidence=0.5 if hit.ambiguous else 1.0)


def _facility_entity(text: str, toks: list[Tok], hit: Hit, kb: PlacesKB) -> Entity:
    """A FAC entity over a place and its facility word, with the place's state codes."""
    p = hit.site
    iso2 = _country(p) if p is not None else ""
    codes = _country_codes(kb, iso2) if iso2 else {}
    what = hit.role.canonical if hit.role else "facility"
    name = f"{p.name} {what}" if p is not None else what
    return Entity(toks[hit.i].start, toks[hit.j - 1].end, RULE, name=name, type="FAC", codes=codes,
                  canonical_name=name, kind="facility")


def _country_codes(kb: PlacesKB, iso2: str) -> dict[str, Any]:
    st = kb.state(iso2)
    if st is None:
        return {"iso3166": iso2}
    return {"iso3166": st.iso2, "iso3166_3": st.iso3, "cameo": st.cameo}


def _country_of(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer) -> tuple[str, int, int] | None:
    """The state a role hit ``hits[k]`` belongs to: (iso2, first token, last token + 1) of the
    whole phrase, from a demonym or state before it (with a link word) or after it."""
    h = hits[k]
    if k > 0 and hits[k - 1].place is not None and hits[k - 1].place.kind != "region":
        prev, iso2 = hits[k - 1], _country(hits[k - 1].place)
        between = [t.text for t in toks[prev.j : h.i]]
        linked = prev.place.kind != "demonym" and all(b in gz.link_before for b in between) and len(between) <= 2
        if iso2 and _joined(text, toks, prev.j - 1, h.i + 1) and (not between or linked):
            return iso2, prev.i, h.j
    if k + 1 < len(hits) and hits[k + 1].place is not None and hits[k + 1].place.kind == "state":
        nxt = hits[k + 1]
        between = [t.text for t in toks[h.j : nxt.i]]
        if (between or gz.state_after) and all(b in gz.link_after for b in between) and _joined(text, toks, h.j - 1, nxt.i + 1):
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


# ----- composing titles ----------------------------------------------------------------------
def _is(h: Hit, *kinds: str) -> bool:
    return h.role is not None and h.role.kind in kinds


def _next_to(text: str, toks: list[Tok], a: Hit, b: Hit, links: set[str]) -> bool:
    """Whether hit ``b`` follows hit ``a`` in one phrase with at most two ``links`` words between."""
    between = [t.text for t in toks[a.j : b.i]]
    return len(between) <= 2 and all(w in links for w in between) and _joined(text, toks, a.j - 1, b.i + 1)


def _compose(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer) -> tuple[int, int, Hit]:
    """The title a HEAD (``hits[k]``: minister, وزیر, governor) makes with its neighbours: a
    portfolio before or after it ("health minister", "وزیر صحت", "Minister for Maritime Affairs",
    "امیگریشن کے وزیر"), a rank ("deputy", "نائب", "وزیر مملکت") and a level ("federal", "وفاقی").
    Returns the first and last hit index used and the composed hit."""
    parts: dict[str, Hit] = {}
    lo = hi = k
    while lo > 0 and _is(hits[lo - 1], "PORTFOLIO", "RANK", "LEVEL"):
        prev, kind = hits[lo - 1], hits[lo - 1].role.kind  # type: ignore[union-attr]
        links = gz.plink_before if kind == "PORTFOLIO" and lo == k else set()
        if kind in parts or not _next_to(text, toks, prev, hits[lo], links):
            break
        parts[kind], lo = prev, lo - 1
    if hi + 1 < len(hits) and _is(hits[hi + 1], "RANK") and "RANK" not in parts \
            and _next_to(text, toks, hits[hi], hits[hi + 1], set()):
        parts["RANK"], hi = hits[hi + 1], hi + 1
    if hi + 1 < len(hits) and _is(hits[hi + 1], "PORTFOLIO") and "PORTFOLIO" not in parts \
            and _next_to(text, toks, hits[hi], hits[hi + 1], gz.plink_after):
        parts["PORTFOLIO"], hi = hits[hi + 1], hi + 1
    head = hits[k].role or Role("", "", "HEAD")
    port = parts["PORTFOLIO"].role.canonical if "PORTFOLIO" in parts else ""  # type: ignore[union-attr]
    sectors = parts["PORTFOLIO"].role.sectors if "PORTFOLIO" in parts else ""  # type: ignore[union-attr]
    if "RANK" in parts:
        canonical = parts["RANK"].role.canonical.format(head.canonical)  # type: ignore[union-attr]
    elif port:
        canonical = f"{port} {head.canonical}"
    elif "LEVEL" in parts:
        canonical = parts["LEVEL"].role.canonical.format(head.canonical)  # type: ignore[union-attr]
    else:
        canonical = head.canonical
    role = Role(canonical, sectors or head.sectors, "TITLE")
    return lo, hi, Hit(hits[lo].i, hits[hi].j, role=role, portfolio=port, bare=not parts)


def compose_titles(text: str, toks: list[Tok], hits: list[Hit], gz: Gazetteer) -> list[Hit]:
    """Hits with each HEAD merged with its portfolio, rank and level, a military grade after a
    title folded into it ("آرمی چیف جنرل", "spokesman Maj. Gen."), and the leftover portfolio,
    rank and level words dropped."""
    out: list[Hit] = []
    k = 0
    while k < len(hits):
        h = hits[k]
        if _is(h, "HEAD"):
            _lo, k, h = _compose(text, toks, hits, k, gz)  # its words before it were never kept
        elif _is(h, "ORG_HEAD"):
            k, org = compose_org(text, toks, hits, k, gz)
            if org is not None:
                out.append(org)
            k += 1
            continue
        elif _is(h, "FACILITY"):
            site = facility(text, toks, out, hits, k, gz)
            if site is not None:
                out.append(site)
            k += 1
            continue
        if out and _is(h, "HONORIFIC") and _is(out[-1], "TITLE", "TITLE_NAMED") and out[-1].name_at < 0 \
                and _next_to(text, toks, out[-1], h, set()):
            out[-1] = replace(out[-1], grade=h.role.canonical, name_at=h.j)  # type: ignore[union-attr]
        elif _name_not_city(text, toks, out, h):
            pass
        elif not _is(h, "PORTFOLIO", "RANK", "LEVEL"):
            out.append(h)
        k += 1
    return out


def compose_org(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer) -> tuple[int, Hit | None]:
    """The organisation an ORG_HEAD (``hits[k]``: ministry, وزارت) names with a portfolio
    before or after it ("health ministry", "وزارت بحری امور", "Ministry of Health"), or in cased
    scripts with the capitalised words after it ("Ministry of Overseas Pakistanis"). Returns the
    last hit index used and the ORG hit (None when the head names nothing)."""
    h = hits[k]
    head = h.role or Role("{}", "", "ORG_HEAD")
    port, lo, hi = None, h.i, h.j
    if k + 1 < len(hits) and _is(hits[k + 1], "PORTFOLIO") and _next_to(text, toks, h, hits[k + 1], gz.plink_after):
        port, hi, k = hits[k + 1], hits[k + 1].j, k + 1
    elif k > 0 and _is(hits[k - 1], "PORTFOLIO") and _next_to(text, toks, hits[k - 1], h, gz.plink_before):
        port, lo = hits[k - 1], hits[k - 1].i
    if port is not None and port.role is not None:
        name = head.canonical.format(port.role.canonical.title().replace(" And ", " and "))
        return k, Hit(lo, hi, role=Role(name, port.role.sectors or head.sectors, "ORG"))
    start = h.j + (1 if h.j < len(toks) and toks[h.j].text in gz.plink_after else 0)
    limit = hits[k + 1].i if k + 1 < len(hits) else len(toks)
    if start >= min(limit, len(toks)) or not _joined(text, toks, h.j - 1, start + 1) \
            or not text[toks[start].start].isupper() or not text[toks[h.i].start].isupper():
        return k, None
    rng = _name_after(text, toks, start, limit, gz)
    if rng is None:
        return k, None
    name = text[toks[h.i].start : toks[rng[1] - 1].end]
    return k, Hit(h.i, rng[1], role=Role(name, head.sectors, "ORG"))


def facility(text: str, toks: list[Tok], out: list[Hit], hits: list[Hit], k: int, gz: Gazetteer) -> Hit | None:
    """A FACILITY word (``hits[k]``: airport, ہوائی اڈہ) after a known place, with at most
    two LINK_BEFORE words between ("Pyongyang airport", "کراچی کے ہوائی اڈے"); in languages that
    put the state after the role (roles.tsv STATE_AFTER), before it (head-first languages)."""
    h = hits[k]
    prev = out[-1] if out else None
    if prev is not None and prev.place is not None and prev.place.kind not in ("demonym", "region") \
            and _next_to(text, toks, prev, h, gz.link_before):
        return Hit(prev.i, h.j, role=h.role, site=prev.place)
    nxt = hits[k + 1] if k + 1 < len(hits) else None
    if gz.state_after and nxt is not None and nxt.place is not None and nxt.place.kind not in ("demonym", "region") \
            and _next_to(text, toks, h, nxt, set()):
        return Hit(h.i, nxt.j, role=h.role, site=nxt.place)
    return None


def _name_not_city(text: str, toks: list[Tok], out: list[Hit], h: Hit) -> bool:
    """A city name right after a title or honorific is the person's first name ("صدر ولادیمیر",
    "President Vladimir"); a region there stays a place ("وزیر اعلیٰ پنجاب")."""
    return (h.place is not None and h.place.kind == "city" and bool(out)
            and _is(out[-1], "TITLE", "TITLE_NAMED", "HONORIFIC", "PERSON_NOUN")
            and _next_to(text, toks, out[-1], h, set()))


# ----- role entities ---------------------------------------------------------------------------
def _role_codes(kb: PlacesKB, iso2: str | None, h: Hit) -> dict[str, Any]:
    """State codes, CAMEO sectors and actor code (state + first sector: RUSMIL), portfolio, grade."""
    role = h.role or Role("", "", "")
    codes: dict[str, Any] = _country_codes(kb, iso2) if iso2 else {}
    sector_list = role.sectors.split()
    if sector_list:
        codes["sectors"] = sector_list
        if "cameo" in codes:
            codes["cameo"] = codes["cameo"] + sector_list[0]
    if h.portfolio:
        codes["portfolio"] = h.portfolio
    if h.grade:
        codes["grade"] = h.grade
    return codes


Seen = list[tuple[Role, str | None]]


def _antecedent(toks: list[Tok], h: Hit, i: int, iso2: str | None, seen: Seen, gz: Gazetteer) -> Role | None:
    """For a bare definite head ("the minister", "the Chinese minister", "the governor") starting
    at token ``i``: the latest title of the same head already named in the article, of the same
    state or of none."""
    if not h.bare or i == 0 or toks[i - 1].text not in gz.definite or h.role is None:
        return None
    for role, state in reversed(seen):
        if role.canonical.endswith(" " + h.role.canonical) and (state is None or iso2 is None or state == iso2):
            return role
    return None


def _role_entities(text: str, toks: list[Tok], hits: list[Hit], k: int, gz: Gazetteer, kb: PlacesKB,
                   seen: Seen) -> list[Entity]:
    h = hits[k]
    role = h.role or Role("", "", "")
    country = _country_of(text, toks, hits, k, gz)
    iso2 = country[0] if country else None
    i, j = (min(country[1], h.i), max(country[2], h.j)) if country else (h.i, h.j)
    earlier = _antecedent(toks, h, i, iso2, seen, gz)
    if earlier:
        h, role = replace(h, role=earlier, bare=False), earlier
    codes = _role_codes(kb, iso2, h)
    if role.kind == "ORG":
        return [Entity(toks[i].start, toks[j - 1].end, RULE, name=role.canonical, type="ORG", codes=codes,
                       canonical_name=role.canonical, kind="organisation")]
    start = max(j, h.name_at)
    limit = next((x.i for x in hits[k + 1 :] if x.i >= start), len(toks))
    if start < len(toks) and _joined(text, toks, start - 1, start + 1):
        name = _name_after(text, toks, start, limit, gz)
    else:
        name = _appositive(text, toks, start, limit, gz)
    if name and h.bare and not text[toks[name[0]].start].isupper():
        name = None  # a bare head before an uncased word: too weak a sign of a name
    titled = role.kind == "TITLE" and not h.bare
    if titled or (role.kind in ("TITLE", "TITLE_NAMED") and (country or name)):
        seen.append((role, iso2))
        out = [Entity(toks[i].start, toks[j - 1].end, RULE, name=role.canonical, type="TITLE",
                      codes=dict(codes), role=role.canonical, kind="title")]
    else:
        out = []
    if name:
        s, e = toks[name[0]].start, toks[name[1] - 1].end
        held = role.kind != "HONORIFIC" or bool(role.sectors)  # Mr is no role; General is
        out.append(Entity(s, e, RULE, name=text[s:e], type="PERSON", codes=dict(codes) if held else {},
                          role=(role.canonical or None) if held else None, kind="person", confidence=0.8))
    return out


def find_entities(text: str, gz: Gazetteer, kb: PlacesKB) -> list[Entity]:
    """All entities the gazetteer finds in ``text``, ordered by position."""
    toks = tokenize(text)
    found = [h for h in match(text, toks, gz) if not _surname(text, toks, h, gz)]
    hits = compose_titles(text, toks, resolve_places(found), gz)
    out: list[Entity] = []
    seen: Seen = []
    for k, h in enumerate(hits):
        if h.site is not None:
            out.append(_facility_entity(text, toks, h, kb))
        elif h.place is not None:
            out.append(_place_entity(toks, h, h.place, kb))
        else:
            out.extend(_role_entities(text, toks, hits, k, gz, kb, seen))
    return sorted(out, key=lambda e: (e.start, -e.end, e.type))


@stage("entities", "3", requires={"text", "language"}, assigns={"entities"})
def ENTITIES(article: Article, ctx: Context) -> None:  # noqa: N802 - stage objects are constants
    """Find states, places, demonyms, titles, organisations, facilities and titled people in the
    article, and merge the trained model's entities (``analyse``, when it ran before) with them."""
    kb = ctx.cached("kb.places", load_places)
    lang = article.language
    gz = ctx.cached(f"entities.gazetteer.{lang or 'und'}", lambda: build_gazetteer(kb, lang))
    found = find_entities(article.text, gz, kb)
    ner = [e for e in article.entities if e.rule.startswith(NER_RULE_PREFIX) or e.rule == MERGE_RULE]
    others = [e for e in article.entities if e.rule != RULE and e not in ner]
    merged = merge(article, ner, found)
    article.entities = sorted(others + merged, key=lambda e: (e.start, -e.end, e.type))
