"""Reported speech: direct quotations with their speakers, and indirect speech.

All language knowledge is data in ``khabar/langs/<code>/quotes.json``:

* ``patterns``: templates tried, in order, around each quotation. ``kind: after`` runs on the text
  from the closing mark to the end of the sentence (``"…," X said``, ``"…،" X نے کہا``), ``kind:
  before`` on the text from the start of the sentence to the opening mark (``X said: "…"``,
  ``X کے مطابق "…"``). Named groups ``speaker`` and ``verb`` give the attribution.
* ``indirect``: templates run on sentences without quotation marks (``X said that …``,
  ``X نے کہا کہ …``); the ``content`` group is the reported clause.
* ``verbs``, ``say_verbs``, ``aux`` and ``speaker`` fill the placeholders ``{VERB}``, ``{SAY}``,
  ``{AUX}`` and ``{SPK}`` of the templates; the word lists used to clean and resolve speakers are
  described in :mod:`khabar.stages.speakers`.

A quotation with no attribution of its own inherits the speaker of the previous attribution in the
same paragraph or the sentence just before it (multi-sentence quotes, continuation paragraphs
that open a quote without closing it). A long unattributed quotation is kept without a speaker
(low confidence); a short one (a scare quote) is dropped.

The patterns run on the normalised text when the normalise stage set ``article.norm``, and every
offset is mapped back to ``article.text``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from ..model import Article, Quote, Ref
from ..pipeline import Context, stage
from .segment import QuoteSpan, pack_json, quote_pairs, quote_spans
from .speakers import Resolver, SpeakerData, clean_raw, load_speaker_data, plausible

VERSION = "1"
RULE = f"quotes@{VERSION}"
_TRIM = " \t\n\r,،"


@dataclass(frozen=True)
class Pattern:
    """One compiled attribution template."""

    name: str
    kind: str  # after, before, indirect
    regex: re.Pattern[str]
    confidence: float


@dataclass
class Rules:
    """Everything the quotes stage needs for one language."""

    patterns: list[Pattern]
    indirect: list[Pattern]
    speakers: SpeakerData
    pairs: list[dict[str, Any]]
    min_words: int


@dataclass(frozen=True)
class Found:
    """An attribution found in the working text (normalised coordinates)."""

    start: int
    end: int
    direct: bool
    speaker: tuple[int, int] | None
    verb: tuple[int, int] | None
    pattern: str
    confidence: float
    sentence: int
    paragraph: int


def _alt(words: list[str]) -> str:
    uniq = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in uniq) or r"(?!x)x"


def _fill(template: str, data: dict[str, Any]) -> str:
    spk = str(data.get("speaker") or r"\w+")
    for key, value in (("{VERB}", _alt(data.get("verbs", []))), ("{SAY}", _alt(data.get("say_verbs", []))),
                       ("{AUX}", _alt(data.get("aux", []))), ("{SPK}", spk)):
        template = template.replace(key, f"(?:{value})")
    return template


def load_rules(code: str | None) -> Rules:
    """Compile a language's quote templates (an empty rule set when the pack has none)."""
    data = pack_json(code, "quotes")
    pats = [Pattern(p["name"], p.get("kind", "after"), re.compile(_fill(p["regex"], data)), float(p.get("confidence", 0.8)))
            for p in data.get("patterns", [])]
    ind = [Pattern(p["name"], "indirect", re.compile(_fill(p["regex"], data)), float(p.get("confidence", 0.7)))
           for p in data.get("indirect", [])]
    return Rules(pats, ind, load_speaker_data(code, data), quote_pairs(code), int(data.get("min_unattributed_words", 6)))


class View:
    """The text the patterns read (normalised if available) and its map to ``article.text``."""

    def __init__(self, article: Article) -> None:
        norm = article.norm
        ok = norm is not None and len(norm.to_orig) == len(norm.text) + 1
        self.text = norm.text if ok and norm is not None else article.text
        self.to_orig_map = list(norm.to_orig) if ok and norm is not None else None
        self.orig_len = len(article.text)

    def orig(self, s: int, e: int) -> tuple[int, int]:
        """Original offsets of the working range [s, e)."""
        if self.to_orig_map is None:
            return s, e
        m = self.to_orig_map
        a, b = m[min(s, len(m) - 1)], m[min(e, len(m) - 1)]
        a, b = min(max(a, 0), self.orig_len), min(max(b, 0), self.orig_len)
        return a, max(a, b)

    def work(self, o: int) -> int:
        """Working offset of original offset ``o``."""
        if self.to_orig_map is None:
            return o
        return min(bisect.bisect_left(self.to_orig_map, o), len(self.text))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _paragraphs(text: str, sents: list[tuple[int, int]]) -> list[list[int]]:
    paras: list[list[int]] = []
    for i, (s, _) in enumerate(sents):
        if not paras or "\n" in text[sents[i - 1][1] : s]:
            paras.append([])
        paras[-1].append(i)
    return paras


def _attribute(text: str, ctx: tuple[int, int], pats: list[Pattern], rules: Rules) -> tuple[Pattern, re.Match[str], int] | None:
    a, b = ctx
    chunk = text[a:b]
    for p in pats:
        for m in p.regex.finditer(chunk) if p.kind == "indirect" else [p.regex.search(chunk)]:
            if m is None or m.group("speaker") is None:
                continue
            ws = clean_raw(text, a + m.start("speaker"), a + m.end("speaker"), rules.speakers)
            if plausible(text, ws, rules.speakers):
                return p, m, a
    return None


def _span(m: re.Match[str], group: str, base: int) -> tuple[int, int] | None:
    if group not in m.re.groupindex or m.group(group) is None:
        return None
    return base + m.start(group), base + m.end(group)


def _speaker_span(text: str, m: re.Match[str], base: int, rules: Rules) -> tuple[int, int] | None:
    ws = clean_raw(text, base + m.start("speaker"), base + m.end("speaker"), rules.speakers)
    return (ws[0][0], ws[-1][1]) if ws else None


class _Finder:
    """Walks one article's paragraphs and collects attributions in text order."""

    def __init__(self, text: str, sents: list[tuple[int, int]], rules: Rules) -> None:
        self.text, self.sents, self.rules = text, sents, rules
        self.starts = [s for s, _ in sents]
        self.found: list[Found] = []
        self.last: Found | None = None
        self.open_tail = False  # the previous paragraph ended inside an unclosed quotation
        self.unclosed: set[int] = set()  # starts of quotations left open at a paragraph's end

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def run(self) -> list[Found]:
        for p, para in enumerate(_paragraphs(self.text, self.sents)):
            ps, pe = self.sents[para[0]][0], self.sents[para[-1]][1]
            qs = quote_spans(self.text, ps, pe, self.rules.pairs)
            quoted: set[int] = set()
            for k, q in enumerate(qs):
                quoted.update(range(self.sentence_of(q.open_start), self.sentence_of(max(q.open_start, q.close_start - 1)) + 1))
                self._direct(qs, k, p, ps)
            for si in para:
                if si not in quoted:
                    self._indirect(si, p)
            self.open_tail = bool(qs) and not qs[-1].closed
        return self._backfill(sorted(self.found, key=lambda f: f.start))

    def _backfill(self, found: list[Found]) -> list[Found]:
        """A paragraph that opens a quotation without closing it and names no speaker takes the
        speaker of the quotation that continues it in the next paragraph."""
        for k in range(len(found) - 2, -1, -1):
            f, g = found[k], found[k + 1]
            if f.speaker is None and f.direct and g.direct and g.speaker and g.paragraph == f.paragraph + 1 \
                    and f.start in self.unclosed:
                found[k] = Found(f.start, f.end, True, g.speaker, g.verb, "continued", 0.6, f.sentence, f.paragraph)
        return found

    def _direct(self, qs: list[QuoteSpan], k: int, p: int, ps: int) -> None:
        q, text = qs[k], self.text
        cs, ce = _trim(text, q.open_end, q.close_start)
        if ce <= cs:
            return
        si, sj = self.sentence_of(q.open_start), self.sentence_of(max(q.open_start, q.close_start - 1))
        prev = qs[k - 1].close_end if k > 0 and qs[k - 1].close_end > self.sents[si][0] else self.sents[si][0]
        nxt = qs[k + 1].open_start if k + 1 < len(qs) and qs[k + 1].open_start < self.sents[sj][1] else self.sents[sj][1]
        after = [x for x in self.rules.patterns if x.kind == "after"]
        hit = None
        for pat in self.rules.patterns:
            span = (q.close_end, max(q.close_end, nxt)) if pat in after else (prev, q.open_start)
            hit = _attribute(text, span, [pat], self.rules)
            if hit:
                break
        if hit:
            pat, m, base = hit
            f = Found(cs, ce, True, _speaker_span(text, m, base, self.rules), _span(m, "verb", base), pat.name, pat.confidence, si, p)
            self.last = f
        elif self.last and self.last.speaker and self._inherits(si, p, q.open_start == ps):
            f = Found(cs, ce, True, self.last.speaker, self.last.verb, "inherit", 0.7, si, p)
        elif len(text[cs:ce].split()) >= self.rules.min_words:
            f = Found(cs, ce, True, None, None, "unattributed", 0.3, si, p)
        else:
            return
        if not q.closed:
            self.unclosed.add(f.start)
        self.found.append(f)

    def _inherits(self, si: int, p: int, starts_paragraph: bool) -> bool:
        last = self.last
        if last is None:
            return False
        if last.paragraph == p or last.sentence >= si - 1:
            return True
        return last.paragraph == p - 1 and starts_paragraph and (self.open_tail or last.start == last.end)

    def _indirect(self, si: int, p: int) -> None:
        s, e = self.sents[si]
        hit = _attribute(self.text, (s, e), self.rules.indirect, self.rules)
        if not hit:
            self._intro(si, p)
            return
        pat, m, base = hit
        content = _span(m, "content", base)
        if content is None:
            return
        cs, ce = _trim(self.text, *content)
        if ce <= cs:
            return
        f = Found(cs, ce, False, _speaker_span(self.text, m, base, self.rules), _span(m, "verb", base), pat.name, pat.confidence, si, p)
        self.found.append(f)
        self.last = f


    def _intro(self, si: int, p: int) -> None:
        """A sentence ending in a colon that names a speaker ("X continued:") introduces the quote
        of the next paragraph: remember it as the last attribution, emit nothing."""
        s, e = self.sents[si]
        if not self.text[s:e].rstrip().endswith(":"):
            return
        before = [x for x in self.rules.patterns if x.kind == "before"]
        hit = _attribute(self.text, (s, e), before, self.rules)
        if hit:
            pat, m, base = hit
            self.last = Found(e, e, True, _speaker_span(self.text, m, base, self.rules), _span(m, "verb", base),
                              pat.name, pat.confidence, si, p)


def find_attributions(article: Article, rules: Rules) -> tuple[View, list[Found]]:
    """Attributions of an article in working-text coordinates, in text order."""
    view = View(article)
    sents = [(view.work(s.start), view.work(s.end)) for s in article.sentences]
    sents = [(s, e) for s, e in sents if e > s]
    return view, _Finder(view.text, sents, rules).run()


def build_quotes(article: Article, rules: Rules) -> list[tuple[Quote, Found, tuple[int, int] | None]]:
    """Quotes with their attribution record and raw speaker span (original offsets)."""
    view, found = find_attributions(article, rules)
    ents = []
    for ent in article.entities:
        a, b = view.work(ent.start), view.work(ent.end)
        if b > a:
            ents.append((a, b, ent))
    resolver = Resolver(view.text, rules.speakers, ents)
    out = []
    for f in found:
        ref, raw = None, None
        if f.speaker:
            wref, how = resolver.resolve(*f.speaker)
            raw = view.orig(*f.speaker)
            if wref is not None:
                resolver.remember(wref, f.speaker[0])
                ref = _orig_ref(wref, view)
        s, e = view.orig(f.start, f.end)
        vs, ve = view.orig(*f.verb) if f.verb else (None, None)
        q = Quote(s, e, RULE, speaker=ref, verb=article.text[vs:ve] if vs is not None else None,
                  verb_start=vs, verb_end=ve, direct=f.direct, confidence=f.confidence if ref else min(f.confidence, 0.3))
        out.append((q, f, raw))
    return out


def _orig_ref(ref: Ref, view: View) -> Ref:
    if ref.start is None or ref.end is None:
        return ref
    s, e = view.orig(ref.start, ref.end)
    return Ref(ref.name, s, e, ref.entity_id)


@stage("quotes", VERSION, requires={"sentences", "language"}, assigns={"quotes"})
def QUOTES(article: Article, ctx: Context) -> None:
    """Fill ``article.quotes`` with direct and indirect speech and resolved speakers."""
    lang = article.language or "und"
    rules: Rules = ctx.cached(f"quotes.rules.{lang}", lambda: load_rules(lang))
    article.quotes = [q for q, _, _ in build_quotes(article, rules)]
