"""Who said it: clean a raw attribution span and resolve it to the fullest mention of the person.

Heuristics (all word lists come from the language pack's ``quotes.json`` and ``roles.tsv``):

1. *Clean*: of comma-cut appositives keep the part written as a name; drop bracketed words,
   leading discourse words (``lead_drop``: "But", ``تاہم``), everything up to the last clause word
   (``cut_after``: "that", ``میں``, ``کے``), a trailing place or relative clause
   (``speaker_trail_cut``) and trailing adverbs; at most six words. Two names joined by a
   conjunction (``speaker_conjunctions``) stay together: "X and Y" is one speaker.
2. *Pronoun* ("he", ``انہوں``): the most recent resolved speaker or person mention before it.
   A PERSON entity inside the span is the speaker; "the union" is the nearest earlier name ending
   in "Union"; a tagged title alone finds the PERSON with the same role and state.
3. *Strip titles*: honorifics (``Mr.``, ``مسٹر``) and everything up to the last title word
   (``titles`` plus the surfaces of ``roles.tsv``: "Foreign Minister", ``وزیر دفاع``) go; in a cased
   language the name is the last run of capitalised words, otherwise the words left.
4. *Title alone* ("the foreign minister", ``وزیر دفاع``): the person named with that title in the
   article (``Foreign Minister Jane Doe``), the nearest such mention before, else the first after.
5. *Surname* (one word left): the longest known name in the article that ends with it
   ("Belousov" → "Andrei Belousov").

Known person names come from titled mentions (a title followed by a name: capitalised words in a
cased language, else up to three words that are not postpositions or function words, ``name_stop``),
PERSON entities when the entities stage ran, capitalised runs of two or more words (cased
languages), and the speakers resolved so far. GPE/LOC entities are never taken as names.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ..langs import pack
from ..model import Entity, Ref

WORD_RE = re.compile(r"[^\s\"“”’‘«»()\[\]{},،;؛:!?؟۔]+")


@dataclass(frozen=True)
class Mention:
    """A person mention: ``name`` spans [start, end); ``title`` is the lower-cased title before it."""

    start: int
    end: int
    name: str
    title: str = ""
    strong: bool = True  # a titled or tagged person, not just a capitalised run


@dataclass
class SpeakerData:
    """The word lists that drive cleaning and resolution, from one language's pack."""

    cased: bool = False
    honorifics: set[str] = field(default_factory=set)
    titles: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # first word -> titles, longest first
    pronouns: set[str] = field(default_factory=set)
    person_pronouns: set[str] = field(default_factory=set)
    determiners: set[str] = field(default_factory=set)
    lead_drop: set[str] = field(default_factory=set)
    cut_after: set[str] = field(default_factory=set)
    time_words: set[str] = field(default_factory=set)
    name_stop: set[str] = field(default_factory=set)
    speaker_nouns: set[str] = field(default_factory=set)
    connectors: set[str] = field(default_factory=set)
    trail_cut: set[str] = field(default_factory=set)
    bad_start: set[str] = field(default_factory=set)
    conjunctions: set[str] = field(default_factory=set)
    trail_drop: re.Pattern[str] = re.compile(r"(?!x)x")  # trailing adverbs: "leaders increasingly"
    name_token: re.Pattern[str] = re.compile(r"\w+")
    particle: re.Pattern[str] = re.compile(r"(?!x)x")  # a lower-case name word: al-Harbi


def _key(word: str) -> str:
    return word.lower().rstrip(".")


def load_speaker_data(code: str | None, data: dict[str, Any]) -> SpeakerData:
    """Build the speaker word lists from ``quotes.json`` data plus the pack's ``roles.tsv``."""
    titles = {tuple(_key(w) for w in t.split()) for t in data.get("titles", []) if t.strip()}
    extra: dict[str, set[str]] = {"HONORIFIC": set(), "STOP": set()}
    for surface, kind in _role_rows(code):
        if kind == "TITLE" and len(surface.split()) <= 4:
            titles.add(tuple(_key(w) for w in surface.split()))
        elif kind in extra and len(surface.split()) == 1:
            extra[kind].add(_key(surface))

    def words(name: str) -> set[str]:
        return {_key(w) for w in data.get(name, [])}

    return SpeakerData(
        cased=bool(data.get("cased")),
        honorifics=words("honorifics") | extra["HONORIFIC"],
        titles=_title_index(titles),
        pronouns=words("pronouns"),
        person_pronouns=words("person_pronouns"),
        determiners=words("determiners"),
        lead_drop=words("lead_drop"),
        cut_after=words("cut_after"),
        time_words={w.lower() for w in data.get("time_words", [])},
        name_stop=words("name_stop") | extra["STOP"],
        speaker_nouns=words("speaker_nouns"),
        connectors=words("name_connectors"),
        trail_cut=words("speaker_trail_cut"),
        bad_start=words("non_speaker_start"),
        conjunctions=words("speaker_conjunctions"),
        trail_drop=re.compile(str(data.get("speaker_trail_drop") or r"(?!x)x")),
        name_token=re.compile(str(data.get("name_token") or r"\w+")),
        particle=re.compile(str(data.get("name_particle") or r"(?!x)x")),
    )


def _role_rows(code: str | None) -> list[tuple[str, str]]:
    """(surface, type) rows of the pack's roles.tsv (type TITLE when the column is missing)."""
    try:
        rows = pack(code).tsv("roles")
    except Exception:  # roles.tsv belongs to the entities stage: a bad file must not stop quotes
        return []
    out = []
    for row in rows:
        surface = row[0].strip() if row else ""
        kind = row[3].strip().upper() if len(row) > 3 and row[3].strip() else "TITLE"
        if surface:
            out.append((surface, kind))
    return out


def words_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word spans (punctuation-free, no apostrophes at the edges: ``''Secretary``) of ``text[start:end]``."""
    out = []
    for m in WORD_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s] == "'":
            s += 1
        while e > s and text[e - 1] == "'":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _title_index(titles: set[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Titles grouped by their first word, longest first (one dict look-up per word)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for t in sorted(titles, key=len, reverse=True):
        index.setdefault(t[0], []).append(t)
    return index


def _title_at(toks: list[str], i: int, titles: dict[str, list[tuple[str, ...]]]) -> int:
    """Length in words of the longest title starting at word ``i`` (0 if none)."""
    if i >= len(toks):
        return 0
    for t in titles.get(toks[i], ()):
        if len(t) == 1 or tuple(toks[i : i + len(t)]) == t:
            return len(t)
    return 0


def clean_raw(text: str, start: int, end: int, sd: SpeakerData) -> list[tuple[int, int]]:
    """The words of a raw speaker span after choosing the name among appositives, dropping
    discourse words and leading clauses, and cutting a trailing place or relative clause."""
    start, end = _appositive_part(text, start, end, sd)
    ws = _outside_brackets(text, words_in(text, start, end))
    keys = [_key(text[s:e]) for s, e in ws]
    ends = (i + 1 for i, (s, e) in enumerate(ws[:-1]) if _ends_sentence(text[s:e], sd))
    cut = max([i + 1 for i, k in enumerate(keys) if k in sd.cut_after and not _coordinated(text, ws, keys, i, sd)]
              + list(ends), default=0)
    ws, keys = ws[cut:], keys[cut:]
    while ws and keys[0] in sd.lead_drop and len(ws) > 1:
        ws, keys = ws[1:], keys[1:]
    trail = next((i for i, k in enumerate(keys) if i > 0 and k in sd.trail_cut), len(ws))
    while trail > 1 and sd.trail_drop.fullmatch(text[ws[trail - 1][0] : ws[trail - 1][1]]):
        trail -= 1
    ws = ws[:trail][-6:]
    if ws and text[ws[-1][1] - 1] == "." and not _abbreviation(text[ws[-1][0] : ws[-1][1]], sd):
        ws[-1] = (ws[-1][0], ws[-1][1] - 1)
    return [w for w in ws if w[1] > w[0]]


def _appositive_part(text: str, start: int, end: int, sd: SpeakerData) -> tuple[int, int]:
    """Of a span cut by commas (``Jane Doe, the minister`` / ``the minister, Jane Doe``), the part
    that names the speaker: in a cased language the first part written as a name, else the first;
    in an uncased script the last part (the one next to the verb)."""
    parts = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^,،]+", text[start:end])
             if m.group().strip()]
    if len(parts) < 2:
        return start, end
    if not sd.cased:
        return parts[-1]
    return next((p for p in parts if _name_like(text, p, sd)), parts[0])


def _coordinated(text: str, ws: list[tuple[int, int]], keys: list[str], i: int, sd: SpeakerData) -> bool:
    """Is word ``i`` a conjunction joining two names (``امریکہ اور جنوبی کوریا``, ``Japan and
    South Korea``)? Then both stay in the speaker: "X and Y" is one speaker string."""
    if keys[i] not in sd.conjunctions or i == 0 or i == len(keys) - 1:
        return False
    left = max((j + 1 for j in range(i) if keys[j] in sd.cut_after), default=0)
    while left < i and keys[left] in sd.determiners:
        left += 1
    sides = [range(left, i), range(i + 1, len(keys))]
    if any(not 1 <= len(side) <= 3 for side in sides):
        return False
    for side in sides:
        for j in side:
            if keys[j] in sd.cut_after or keys[j] in sd.name_stop or keys[j] in sd.pronouns or keys[j] in sd.speaker_nouns:
                return False
            if sd.cased and not _capital(text[ws[j][0] : ws[j][1]], sd):
                return False
    return True


def _outside_brackets(text: str, ws: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Words not inside parentheses or brackets (``Rep. Jane Doe (D-Wis.)`` -> Rep. Jane Doe)."""
    out = []
    for s, e in ws:
        before = text[max(0, s - 40) : s]
        opened = max(before.rfind("("), before.rfind("["))
        if opened >= 0 and opened > max(before.rfind(")"), before.rfind("]")):
            continue
        out.append((s, e))
    return out


def _name_like(text: str, part: tuple[int, int], sd: SpeakerData) -> bool:
    """All words capitalised (connectors and ``al-`` particles allowed), no title word."""
    ws = words_in(text, *part)
    keys = [_key(text[s:e]) for s, e in ws]
    if not ws or len(ws) > 6 or any(_title_at(keys, i, sd.titles) for i in range(len(keys))):
        return False
    caps = [_capital(text[s:e], sd) for s, e in ws]
    return caps[0] and all(c or k in sd.connectors for c, k in zip(caps, keys))


def _abbreviation(word: str, sd: SpeakerData) -> bool:
    """``U.S.``, ``Jr.``, ``Sen.``: a dot that does not end a sentence."""
    return _key(word) in sd.honorifics or bool(re.fullmatch(r"(?:\w\.)+|[A-Z][a-z]?\.", word))


def _ends_sentence(word: str, sd: SpeakerData) -> bool:
    return word.endswith(".") and not _abbreviation(word, sd)


def plausible(text: str, ws: list[tuple[int, int]], sd: SpeakerData) -> bool:
    """Whether cleaned words can name a speaker (a pronoun, a role, a name)."""
    if not ws:
        return False
    keys = [_key(text[s:e]) for s, e in ws]
    if keys[0] in sd.bad_start:
        return False
    if any(k in sd.pronouns or k in sd.speaker_nouns or k in sd.honorifics for k in keys):
        return True
    if any(_title_at(keys, i, sd.titles) for i in range(len(keys))):
        return True
    if sd.cased:
        return any(_capital(text[s:e], sd) for s, e in ws)
    return not all(k in sd.name_stop for k in keys)


def _capital(word: str, sd: SpeakerData) -> bool:
    """A word written as part of a name (capitalised, or a particle such as ``al-Harbi``)."""
    if sd.particle.fullmatch(word):
        return True
    return word[:1].isupper() and word.lower() not in sd.time_words and _key(word) not in sd.honorifics


class Resolver:
    """Resolves raw speaker spans of one article (in the coordinates of ``text``)."""

    def __init__(self, text: str, sd: SpeakerData, entities: list[tuple[int, int, Entity]]) -> None:
        self.text = text
        self.sd = sd
        self.blocked = sorted((s, e) for s, e, ent in entities if ent.type in ("GPE", "LOC", "NORP", "ORG"))
        self._blocked_starts = [s for s, _ in self.blocked]
        self._blocked_ends: list[int] = []  # running maximum of the ends, for overlap tests by bisection
        for _, e in self.blocked:
            self._blocked_ends.append(max(e, self._blocked_ends[-1]) if self._blocked_ends else e)
        self.mentions: list[Mention] = []
        self.speakers: list[tuple[int, Ref]] = []  # (position of the attribution, speaker)
        self.persons = [(s, e, ent) for s, e, ent in entities if ent.type == "PERSON"]
        self.title_ents = [(s, e, ent) for s, e, ent in entities if ent.type == "TITLE" and ent.role]
        self.orgs = [Mention(s, e, " ".join(text[s:e].split()), strong=False) for s, e, ent in entities if ent.type == "ORG"]
        self._index(entities)

    # ----- the article's person mentions ---------------------------------------------------------
    def _index(self, entities: list[tuple[int, int, Entity]]) -> None:
        text, sd = self.text, self.sd
        ws = words_in(text, 0, len(text))
        keys = [_key(text[s:e]) for s, e in ws]
        starts = [s for s, _ in ws]
        i = 0
        while i < len(ws):
            n = _title_at(keys, i, sd.titles) if keys[i] in sd.titles else 0
            while n and _title_at(keys, i + n, sd.titles):  # stacked titles: "army chief General X"
                n += _title_at(keys, i + n, sd.titles)
            if n:
                name = self._name_after(ws, i + n)
                if name:
                    self._add(name[0][0], name[-1][1], " ".join(keys[i : i + n]), True)
                i += n
                continue
            i += 1
        for s, e, ent in entities:
            if ent.type == "PERSON":
                self._add(s, e, "", True)
            elif ent.type == "TITLE":
                name = self._name_after(ws, bisect.bisect_left(starts, e), near=e)
                if name:
                    self._add(name[0][0], name[-1][1], (ent.role or text[s:e]).lower(), True)
        if sd.cased:
            self._capital_runs(ws, keys)
        self._repeat_known()
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    def _repeat_known(self) -> None:
        """A name known from a titled or tagged mention is a mention wherever else it is written
        (``مجید توکلی کل کابل پہنچے``: no title, still the same person)."""
        known = {m.name: m for m in self.mentions if m.strong and len(m.name.split()) >= 2}
        seen = {(m.start, m.end) for m in self.mentions}
        for name, m in known.items():
            for hit in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text):
                if (hit.start(), hit.end()) not in seen:
                    self._add(hit.start(), hit.end(), m.title, True)

    def _name_after(self, ws: list[tuple[int, int]], j: int, near: int | None = None) -> list[tuple[int, int]]:
        text, sd = self.text, self.sd
        if near is not None and j < len(ws) and text[near : ws[j][0]].strip():
            return []
        out: list[tuple[int, int]] = []
        while j < len(ws) and len(out) < 4:
            s, e = ws[j]
            w = text[s:e]
            if out and text[out[-1][1] : s].strip():
                break
            if not out and (_key(w) in sd.honorifics or self._overlaps_blocked(s, e)):
                j += 1  # an honorific or a place between title and name: "وزیر اعلیٰ پنجاب نادیہ ارشد"
                continue
            if not sd.name_token.fullmatch(w) or _key(w) in sd.name_stop:
                break
            if sd.cased and not _capital(w, sd):
                break
            out.append((s, e))
            j += 1
        return out if (sd.cased or len(out) <= 3) else []

    def _capital_runs(self, ws: list[tuple[int, int]], keys: list[str]) -> None:
        text, sd = self.text, self.sd
        caps = [k for k, (s, e) in enumerate(ws) if (text[s].isupper() or "-" in text[s:e])
                and _capital(text[s:e], sd) and sd.name_token.fullmatch(text[s:e])]
        run: list[int] = []
        for k in caps + [-1]:
            if run and k == run[-1] + 1:
                a, b = ws[run[-1]]
                gap = text[b : ws[k][0]]
                gap = gap[1:] if gap.startswith("'") else gap  # "Dockers' Union"
                if not gap.strip() and not _ends_sentence(text[a:b], sd):
                    run.append(k)
                    continue
            self._add_run(ws, keys, run)
            run = [k]

    def _add_run(self, ws: list[tuple[int, int]], keys: list[str], run: list[int]) -> None:
        """A run of capitalised words, titles and honorifics at its start dropped, is a weak mention."""
        if len(run) < 2:
            return
        rk = [keys[k] for k in run]
        cut = max((i + _title_at(rk, i, self.sd.titles) for i in range(len(rk)) if _title_at(rk, i, self.sd.titles)), default=0)
        while cut < len(rk) and rk[cut] in self.sd.honorifics:
            cut += 1
        if len(run) - cut >= 2:
            self._add(ws[run[cut]][0], ws[run[-1]][1], "", False)

    def _overlaps_blocked(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps a place or organisation span (logarithmic: a scan per
        candidate was quadratic on texts with thousands of names)."""
        i = bisect.bisect_left(self._blocked_starts, e)  # spans starting before e
        return i > 0 and self._blocked_ends[i - 1] > s

    def _add(self, s: int, e: int, title: str, strong: bool) -> None:
        last = WORD_RE.findall(self.text[s:e])[-1:] or [""]
        if e > s + 1 and self.text[e - 1] == "." and not _abbreviation(last[0], self.sd):
            e -= 1
        first = WORD_RE.match(self.text, s)
        check = (s, first.end()) if title and first else (s, e)  # after a title only the first word must be no place
        if self._overlaps_blocked(check[0], check[1]):
            return
        self.mentions.append(Mention(s, e, " ".join(self.text[s:e].split()), title, strong))

    # ----- resolution -----------------------------------------------------------------------------
    def resolve(self, start: int, end: int) -> tuple[Ref | None, str]:
        """The speaker named by the raw span [start, end) and how it was found."""
        ws = clean_raw(self.text, start, end, self.sd)
        if not ws:
            return None, "none"
        keys = [_key(self.text[s:e]) for s, e in ws]
        bare = re.sub(r"['’]s$", "", keys[-1])
        if len(ws) == 1 and bare in self.sd.pronouns:
            return self._pronoun(start, bare), "pronoun"
        both = self._coordination(ws, keys)
        if both is not None:
            return both, "coordinated"
        person = self._person_in(ws[0][0], ws[-1][1], start)
        if person is not None:
            return person, "entity"
        last_title, title = 0, ""
        i = 0
        while i < len(keys):
            n = _title_at(keys, i, self.sd.titles)
            if n:
                last_title, title = i + n, " ".join(keys[i : i + n])
                i += n
            else:
                i += 1
        rest = [w for w in ws[last_title:] if _key(self.text[w[0] : w[1]]) not in self.sd.honorifics]
        if self.sd.cased and rest and not _capital(self.text[rest[-1][0] : rest[-1][1]], self.sd):
            return self._by_head(keys, start) or self._ref(ws[0][0], ws[-1][1]), "description"
        name = self._name_words(rest)
        if not name:
            if title:
                found = self._by_role(ws[0][0], ws[-1][1], start) or self._by_title(title, start)
                return found or self._ref(ws[0][0], ws[-1][1]), "title"
            return self._ref(ws[0][0], ws[-1][1]), "raw"
        if len(name) == 1:
            full = self._by_surname(self.text[name[0][0] : name[0][1]], start)
            if full:
                return full, "surname"
        return self._ref(name[0][0], name[-1][1]), "name"

    def _coordination(self, ws: list[tuple[int, int]], keys: list[str]) -> Ref | None:
        """``X and Y``: both conjuncts resolved, joined by the conjunction as written."""
        i = next((k for k in range(1, len(keys) - 1) if keys[k] in self.sd.conjunctions), None)
        if i is None or not _coordinated(self.text, ws, keys, i, self.sd):
            return None
        left, _ = self.resolve(ws[0][0], ws[i - 1][1])
        right, _ = self.resolve(ws[i + 1][0], ws[-1][1])
        if left is None or right is None:
            return None
        conj = self.text[ws[i][0] : ws[i][1]]
        return Ref(f"{left.name} {conj} {right.name}", ws[0][0], ws[-1][1])

    def _name_words(self, ws: list[tuple[int, int]]) -> list[tuple[int, int]]:
        sd, text = self.sd, self.text
        keys = [_key(text[s:e]) for s, e in ws]
        while ws and (keys[0] in sd.determiners or keys[0] in sd.name_stop
                      or (len(ws) > 1 and self._overlaps_blocked(ws[0][0], ws[0][1]))):
            ws, keys = ws[1:], keys[1:]  # a place before the name: "پنجاب نادیہ ارشد"
        if not sd.cased:
            return [w for w, k in zip(ws, keys) if k not in sd.name_stop and k not in sd.speaker_nouns]
        runs: list[list[tuple[int, int]]] = [[]]
        for k, (s, e) in enumerate(ws):
            w = text[s:e]
            link = runs[-1] and w.lower() in sd.connectors and k + 1 < len(ws) and _capital(text[ws[k + 1][0] : ws[k + 1][1]], sd)
            if _capital(w, sd) and w.endswith(("'s", "’s")):  # "Fund's": a name that ends here
                runs[-1].append((s, e - 2))
                runs.append([])
            elif _capital(w, sd) or link:
                runs[-1].append((s, e))
            elif runs[-1]:
                runs.append([])
        runs = [r for r in runs if r]
        return runs[-1] if runs else []

    def _ref(self, s: int, e: int) -> Ref:
        return Ref(" ".join(self.text[s:e].split()), s, e)

    def _pronoun(self, pos: int, key: str) -> Ref | None:
        if key not in self.sd.person_pronouns:
            return None
        cands: list[tuple[int, Ref | Mention]] = [(at, r) for at, r in self.speakers if at <= pos]
        cands += [(m.end, m) for m in self.mentions if m.strong and m.end <= pos]
        if not cands:
            cands = [(m.end, m) for m in self.mentions if m.end <= pos]
        if not cands:
            return None
        best = max(cands, key=lambda c: c[0])[1]
        return best if isinstance(best, Ref) else self._expand(best, pos)

    def _expand(self, m: Mention, pos: int) -> Ref:
        toks = m.name.split()
        if len(toks) == 1:
            full = self._by_surname(toks[0], pos)
            if full:
                return full
        return Ref(m.name, m.start, m.end)

    def _by_title(self, title: str, pos: int) -> Ref | None:
        cands = [m for m in self.mentions if m.title and (m.title == title or m.title.endswith(" " + title))]
        if not cands:
            return None
        before = [m for m in cands if m.end <= pos]
        m = max(before, key=lambda m: m.end) if before else min(cands, key=lambda m: m.start)
        return self._expand(m, pos)

    def _person_in(self, s: int, e: int, pos: int) -> Ref | None:
        """The PERSON entity inside the cleaned span (the last one), in its fullest form."""
        inside = [(a, b) for a, b, _ in self.persons if a >= s and b <= e]
        if not inside:
            return None
        a, b = inside[-1]
        titled = [m for m in self.mentions if m.title and m.start <= a and m.end >= b and m.end - m.start > b - a]
        if titled:  # the titled name is fuller: "وزیر صحت گریس اچینگ" holds PERSON "گریس"
            return Ref(titled[0].name, titled[0].start, titled[0].end)
        name = " ".join(self.text[a:b].split())
        if len(name.split()) == 1:
            return self._by_surname(name, pos) or Ref(name, a, b)
        return Ref(name, a, b)

    def _by_role(self, s: int, e: int, pos: int) -> Ref | None:
        """A title alone (``the Iranian foreign minister``): the PERSON entity with the same role
        and, when the title names a state, the same state; the nearest before, else the first after."""
        titles = [ent for a, b, ent in self.title_ents if a < e and s < b]
        if not titles:
            return None
        want = titles[-1]
        code = want.codes.get("iso3166")
        cands = [(a, b) for a, b, ent in self.persons
                 if ent.role == want.role and (not code or ent.codes.get("iso3166") in (code, None))]
        exact = [(a, b) for a, b, ent in self.persons if ent.role == want.role and code and ent.codes.get("iso3166") == code]
        cands = exact or cands
        if not cands:
            return None
        before = [c for c in cands if c[1] <= pos]
        a, b = max(before, key=lambda c: c[1]) if before else min(cands)
        return self._person_in(a, b, pos)

    def _by_head(self, keys: list[str], pos: int) -> Ref | None:
        """``the union`` / ``the fund``: the nearest name before it ending in the same noun
        (``National Dockers' Union``), from capitalised runs and ORG entities."""
        if len(keys) < 2 or keys[0] not in self.sd.determiners or len(keys) > 3:
            return None
        head = keys[-1]
        cands = [m for m in self.mentions + self.orgs if m.end <= pos and len(m.name.split()) >= 2
                 and re.sub(r"['’]s$", "", _key(m.name.split()[-1])) == head]
        if not cands:
            return None
        m = max(cands, key=lambda m: m.end)
        cut = 2 if re.search(r"['’]s$", m.name) else 0
        return Ref(m.name[: len(m.name) - cut], m.start, m.end - cut)

    def _by_surname(self, word: str, pos: int) -> Ref | None:
        w = _key(word)
        known = self.mentions + [Mention(r.start or 0, r.end or 0, r.name) for _, r in self.speakers]
        cands = [m for m in known if len(m.name.split()) >= 2 and _key(m.name.split()[-1]) == w]
        if not cands:
            return None
        longest = max(len(m.name) for m in cands)
        cands = [m for m in cands if len(m.name) == longest]
        before = [m for m in cands if m.end <= pos]
        m = max(before, key=lambda m: m.end) if before else min(cands, key=lambda m: m.start)
        return Ref(m.name, m.start, m.end)

    def remember(self, ref: Ref, at: int) -> None:
        """Record a resolved speaker (at the attribution's position) for later pronouns."""
        self.speakers.append((at, ref))
