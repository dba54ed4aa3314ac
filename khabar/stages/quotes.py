"""Reported speech: direct quotations with their speakers, and indirect speech.

All language knowledge is data in ``khabar/langs/<code>/quotes.json``:

* ``patterns``: templates tried, in order, around each quotation. ``kind: after`` runs on the text
  from the closing mark to the end of the sentence (``"…," X said``, ``"…،" X نے کہا``), ``kind:
  before`` on the text from the start of the sentence to the opening mark (``X said: "…"``,
  ``X کے مطابق "…"``). Named groups ``speaker`` and ``verb`` give the attribution.
* ``indirect``: templates run on every sentence that holds a reporting word (``X said that …``,
  ``X نے کہا کہ …``); the ``content`` group is the reported clause. ``content_splits`` cut a clause
  at coordinated reporting verbs (``… and warned that …``). A quotation inside a clause with words
  of its own around it becomes part of that clause (``direct`` when the marks hold half of it).
* ``speaker_label``: a transcript label opening a quotation (``"PENCE: …``) names its speaker.
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
from dataclasses import dataclass, replace
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
    trust: bool = False  # any non-empty speaker will do ("according to currency traders")
    stop: bool = False  # a content split that ends the reported clause (no clause after it)


@dataclass
class Rules:
    """Everything the quotes stage needs for one language."""

    patterns: list[Pattern]
    indirect: list[Pattern]
    speakers: SpeakerData
    pairs: list[dict[str, Any]]
    min_words: int
    splits: list[Pattern]
    label: re.Pattern[str] | None = None  # a transcript speaker label opening a quotation
    cue: re.Pattern[str] | None = None  # any reporting word; a sentence without one has no reported clause


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
    inherit: bool = False  # a coordinated verb ("…, but said …"): the speaker is the one before


def _alt(words: list[str]) -> str:
    uniq = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in uniq) or r"(?!x)x"


def _fill(template: str, data: dict[str, Any]) -> str:
    spk = str(data.get("speaker") or r"\w+")
    for key, value in (("{VERB}", _alt(data.get("verbs", []))), ("{SAY}", _alt(data.get("say_verbs", []))),
                       ("{AUX}", _alt(data.get("aux", []))), ("{SPK}", spk), ("{NAME}", str(data.get("name") or spk)),
                       ("{APPOS}", str(data.get("appositive") or r"(?!x)x"))):
        template = template.replace(key, f"(?:{value})")
    return template


def _compile(items: list[dict[str, Any]], kind: str | None, data: dict[str, Any], conf: float) -> list[Pattern]:
    return [Pattern(p["name"], kind or p.get("kind", "after"), re.compile(_fill(p["regex"], data)),
                    float(p.get("confidence", conf)), bool(p.get("trust")), bool(p.get("stop"))) for p in items]


def _cue(data: dict[str, Any]) -> re.Pattern[str] | None:
    """One regex for every reporting word (verbs, say_verbs, cue_words); None when the pack
    lists no cue_words (then every sentence is tried)."""
    if "cue_words" not in data:
        return None
    words = list(data.get("verbs", [])) + list(data.get("say_verbs", [])) + list(data["cue_words"])
    return re.compile(r"(?<!\w)(?:" + _alt(words) + r")(?!\w)", re.IGNORECASE)


def load_rules(code: str | None) -> Rules:
    """Compile a language's quote templates (an empty rule set when the pack has none)."""
    data = pack_json(code, "quotes")
    return Rules(_compile(data.get("patterns", []), None, data, 0.8),
                 _compile(data.get("indirect", []), "indirect", data, 0.7),
                 load_speaker_data(code, data), quote_pairs(code), int(data.get("min_unattributed_words", 6)),
                 _compile(data.get("content_splits", []), "split", data, 0.7),
                 re.compile(data["speaker_label"]) if data.get("speaker_label") else None,
                 _cue(data))


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


def _attribute(text: str, ctx: tuple[int, int], pats: list[Pattern], rules: Rules,
               chunk: str | None = None) -> tuple[Pattern, re.Match[str], int] | None:
    a, b = ctx
    chunk = text[a:b] if chunk is None else chunk
    for p in pats:
        for m in p.regex.finditer(chunk) if p.kind == "indirect" else [p.regex.search(chunk)]:
            if m is None:
                continue
            if "speaker" not in p.regex.groupindex:  # a coordinated verb: the speaker comes from before
                return p, m, a
            if m.group("speaker") is None:
                continue
            ws = clean_raw(text, a + m.start("speaker"), a + m.end("speaker"), rules.speakers)
            if (p.trust and ws) or plausible(text, ws, rules.speakers):
                return p, m, a
    return None


def _span(m: re.Match[str], group: str, base: int) -> tuple[int, int] | None:
    if group not in m.re.groupindex or m.group(group) is None:
        return None
    return base + m.start(group), base + m.end(group)


def _speaker_span(text: str, m: re.Match[str], base: int, rules: Rules) -> tuple[int, int] | None:
    if "speaker" not in m.re.groupindex or m.group("speaker") is None:
        return None
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
            hits = [h for si in para for h in self._indirect(si, p, qs)]
            absorbed, hits = self._absorb(qs, hits)
            quoted: set[int] = set()
            for k, q in enumerate(qs):
                quoted.update(range(self.sentence_of(q.open_start), self.sentence_of(max(q.open_start, q.close_start - 1)) + 1))
                if k not in absorbed:
                    self._direct(qs, k, p, ps, hits)
            self._emit(hits)
            with_hit = {h.sentence for h in hits}
            for si in para:
                if si not in quoted and si not in with_hit:
                    self._intro(si, p)
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

    def _direct(self, qs: list[QuoteSpan], k: int, p: int, ps: int, hits: list[Found]) -> None:
        q, text = qs[k], self.text
        cs, ce = _trim(text, q.open_end, q.close_start)
        if ce <= cs:
            return
        si, sj = self.sentence_of(q.open_start), self.sentence_of(max(q.open_start, q.close_start - 1))
        prev = qs[k - 1].close_end if k > 0 and qs[k - 1].close_end > self.sents[si][0] else self.sents[si][0]
        nxt = qs[k + 1].open_start if k + 1 < len(qs) and qs[k + 1].open_start < self.sents[sj][1] else self.sents[sj][1]
        label = self.rules.label.match(text, cs, ce) if self.rules.label else None
        if label is not None:  # a transcript line: "PENCE: Well, look, …"
            self._add_direct(q, Found(label.end(), ce, True, label.span("speaker"), None, "label", 0.9, si, p), True)
            return
        hit = None
        for pat in self.rules.patterns:
            span = (q.close_end, max(q.close_end, nxt)) if pat.kind == "after" else (prev, q.open_start)
            hit = _attribute(text, span, [pat], self.rules)
            if hit and (pat.kind == "after" or "speaker" in pat.regex.groupindex):
                break
            hit = None
        prior = [h for h in hits if h.speaker and h.end <= q.open_start] + ([self.last] if self.last else [])
        last = max(prior, key=lambda f: f.start) if prior else None
        if hit:
            pat, m, base = hit
            spk = _speaker_span(text, m, base, self.rules)
            self._add_direct(q, Found(cs, ce, True, spk, _span(m, "verb", base), pat.name, pat.confidence, si, p), True)
        elif last and last.speaker and self._inherits(last, si, p, q.open_start == ps):
            self._add_direct(q, Found(cs, ce, True, last.speaker, last.verb, "inherit", 0.7, si, p))
        elif len(text[cs:ce].split()) >= self.rules.min_words:
            self._add_direct(q, Found(cs, ce, True, None, None, "unattributed", 0.3, si, p))

    def _add_direct(self, q: QuoteSpan, f: Found, attributed: bool = False) -> None:
        if attributed:
            self.last = f
        if not q.closed:
            self.unclosed.add(f.start)
        self.found.append(f)

    def _inherits(self, last: Found, si: int, p: int, starts_paragraph: bool) -> bool:
        if last.paragraph == p or last.sentence >= si - 1:
            return True
        return last.paragraph == p - 1 and starts_paragraph and (self.open_tail or last.start == last.end)

    def _indirect(self, si: int, p: int, qs: list[QuoteSpan]) -> list[Found]:
        """Reported clauses of one sentence (split at coordinated reporting verbs); none whose
        attribution sits inside a quotation."""
        s, e = self.sents[si]
        if self.rules.cue is not None and not self.rules.cue.search(self.text, s, e):
            return []  # no reporting word at all: most sentences stop here
        chunk = self.text[s:e]
        for one in self.rules.indirect:
            hit = _attribute(self.text, (s, e), [one], self.rules, chunk)
            if not hit:
                continue
            pat, m, base = hit
            content = _span(m, "content", base)
            spk, verb = _speaker_span(self.text, m, base, self.rules), _span(m, "verb", base)
            anchor = spk or verb
            if content is None or anchor is None or any(q.open_end <= anchor[0] < q.close_start for q in qs):
                continue
            cs, ce = _trim(self.text, *content)
            if any(q.open_start <= cs < q.open_end for q in qs):  # a clause opening with a quotation
                continue
            return self._split(content, spk, verb, pat, si, p)
        return []

    def _split(self, content: tuple[int, int], spk: tuple[int, int] | None, verb: tuple[int, int] | None,
               pat: Pattern, si: int, p: int) -> list[Found]:
        """Cut a reported clause at ``… and warned that …`` / ``…, but she said …``: each part is a
        clause of its own, with the new verb (and speaker, when the split names one)."""
        out: list[Found] = []
        cs, ce = content
        inherit = spk is None
        while cs < ce:
            cuts = [(m, sp) for sp in self.rules.splits for m in [sp.regex.search(self.text, cs, ce)] if m and m.end() < ce]
            m, sp = min(cuts, key=lambda x: x[0].start()) if cuts else (None, None)
            a, b = _trim(self.text, cs, m.start() if m else ce)
            if b > a:
                out.append(Found(a, b, False, spk, verb, pat.name, pat.confidence, si, p, inherit))
            if m is None or sp is None or sp.stop:
                break
            spk = _speaker_span(self.text, m, 0, self.rules) or spk
            verb = _span(m, "verb", 0) or verb
            cs = m.end()
        return out

    def _absorb(self, qs: list[QuoteSpan], hits: list[Found]) -> tuple[set[int], list[Found]]:
        """A quotation inside a reported clause with at least two words of its own outside the
        marks becomes part of that clause (one item, ``direct`` when the marks hold at least half
        of it); a clause that is only a quotation is left to the direct-quote rules, and a
        quotation introduced by a comma or colon (``…, saying, "…"``) ends the clause before it."""
        absorbed: set[int] = set()
        kept: list[Found] = []
        for h in hits:
            h = self._cut_at_introduced(qs, h)
            inner = [k for k, q in enumerate(qs) if q.open_start >= h.start - 1 and q.close_start <= h.end]
            if not inner:
                if _words(self.text[h.start : h.end]) >= 2:
                    kept.append(h)
                continue
            outside, pos, quoted = [], h.start, 0
            for k in inner:
                outside.append(self.text[pos : qs[k].open_start])
                quoted += qs[k].close_end - qs[k].open_start
                pos = max(pos, qs[k].close_end)
            outside.append(self.text[pos : h.end])
            if _words(" ".join(outside)) < 2:
                continue
            absorbed.update(inner)
            kept.append(replace(h, direct=2 * quoted >= h.end - h.start))
        return absorbed, kept

    def _cut_at_introduced(self, qs: list[QuoteSpan], h: Found) -> Found:
        for q in qs:
            if h.start < q.open_start < h.end:
                before = self.text[h.start : q.open_start].rstrip()
                if before.endswith((",", ":", "،")):
                    s, e = _trim(self.text, h.start, h.start + len(before))
                    return replace(h, start=s, end=e - 1 if self.text[e - 1] == ":" else e)
        return h

    def _emit(self, hits: list[Found]) -> None:
        """Add the paragraph's reported clauses; a coordinated one takes the speaker of the latest
        attribution before it in its sentence."""
        for h in sorted(hits, key=lambda f: f.start):
            if h.inherit:
                prior = [f for f in self.found if f.speaker and f.sentence == h.sentence and f.start < h.start]
                if not prior:
                    continue
                src = max(prior, key=lambda f: f.start)
                h = Found(h.start, h.end, h.direct, src.speaker, h.verb or src.verb, h.pattern, h.confidence, h.sentence, h.paragraph)
            self.found.append(h)
            if h.speaker and (self.last is None or h.start >= self.last.start or self.last.paragraph < h.paragraph):
                self.last = h

    def _intro(self, si: int, p: int) -> None:
        """A sentence ending in a colon that names a speaker ("X continued:") introduces the quote
        of the next paragraph: remember it as the last attribution, emit nothing."""
        s, e = self.sents[si]
        if not self.text[s:e].rstrip().endswith(":"):
            return
        before = [x for x in self.rules.patterns if x.kind == "before"]
        hit = _attribute(self.text, (s, e), before, self.rules)
        if hit and "speaker" in hit[0].regex.groupindex:
            pat, m, base = hit
            self.last = Found(e, e, True, _speaker_span(self.text, m, base, self.rules), _span(m, "verb", base),
                              pat.name, pat.confidence, si, p)


def _words(text: str) -> int:
    """Number of words with a letter or digit in ``text``."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


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
