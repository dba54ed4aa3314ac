"""Held-out scores, computed the same way for our models and for the UDPipe baseline.

Syntax is scored on gold tokenisation (the CoNLL-U words), over every word including punctuation:
UPOS and UFeats accuracy, lemma accuracy, UAS and LAS (full relation label with subtype).
NER is scored as exact-match entity spans (precision, recall, F1, micro over labels).
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .corpora import Sent


def parse_gold_tokens(nlp: Language, sents: list[Sent], norm: Callable[[str], str],
                      batch_size: int = 256) -> list[Sent]:
    """Run the pipeline on the gold words of ``sents`` and return predictions as ``Sent``s."""
    docs = (Doc(nlp.vocab, words=[norm(w) for w in s.words], spaces=s.spaces) for s in sents)
    out: list[Sent] = []
    for s, doc in zip(sents, nlp.pipe(docs, batch_size=batch_size)):
        p = Sent(s.sid, s.words, s.spaces)
        p.upos = [t.pos_ for t in doc]
        p.feats = [str(t.morph) for t in doc]
        p.lemmas = [t.lemma_ for t in doc]
        p.heads = [t.head.i for t in doc]
        p.deps = [t.dep_ for t in doc]
        p.ents = [(e.start, e.end, e.label_) for e in doc.ents]
        out.append(p)
    return out


def score_syntax(gold: list[Sent], pred: list[Sent], norm: Callable[[str], str] | None = None) -> dict[str, float]:
    """UPOS, UFeats, lemma accuracy, UAS and LAS in percent (root relations compared as ``root``)."""
    norm = norm or (lambda x: x)
    c: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        for i in range(len(g.words)):
            c["n"] += 1
            c["upos"] += g.upos[i] == p.upos[i]
            c["feats"] += _feats(g.feats[i]) == _feats(p.feats[i])
            c["lemma"] += norm(g.lemmas[i]) == norm(p.lemmas[i])
            head_ok = g.heads[i] == p.heads[i]
            c["uas"] += head_ok
            c["las"] += head_ok and _rel(g.deps[i]) == _rel(p.deps[i])
    n = max(c["n"], 1)
    return {k: round(100.0 * c[k] / n, 2) for k in ("upos", "feats", "lemma", "uas", "las")} | {"words": c["n"]}


def _feats(f: str) -> str:
    return "" if f in ("_", "") else "|".join(sorted(f.split("|")))


def _rel(d: str) -> str:
    return "root" if d in ("ROOT", "root") else d


def score_ner(gold: list[Sent], pred: list[Sent], labels: Iterable[str] | None = None) -> dict[str, object]:
    """Exact-span precision/recall/F1 (0-1), micro over ``labels`` (all labels if None), and per label."""
    keep = set(labels) if labels is not None else None
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        gs = {e for e in g.ents if keep is None or e[2] in keep}
        ps = {e for e in p.ents if keep is None or e[2] in keep}
        for e in gs & ps:
            tp[e[2]] += 1
        for e in ps - gs:
            fp[e[2]] += 1
        for e in gs - ps:
            fn[e[2]] += 1
    per = {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in sorted(set(tp) | set(fp) | set(fn))}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"p": micro["p"], "r": micro["r"], "f1": micro["f1"], "per_label": per,
            "entities": sum(tp.values()) + sum(fn.values())}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def words_per_second(nlp: Language, texts: list[str], repeats: int = 1) -> float:
    """Words per CPU-second of the whole pipeline (tokenizer included) on raw ``texts``.

    CPU time of this process, not wall time, so the figure is per core even on a machine shared
    with other jobs (spaCy runs single-threaded here; the best of ``repeats`` runs counts)."""
    n_words, best = 0, float("inf")
    for _ in range(max(repeats, 1)):
        t0 = time.process_time()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
        best = min(best, time.process_time() - t0)
    return round(n_words / best) if best > 0 else 0.0


# ----- raw text: the system's own word segmentation, aligned with the gold words ------------
def parse_raw(nlp: Language, sents: list[Sent], norm: Callable[[str], str], batch_size: int = 64) -> list[Sent]:
    """Run the whole pipeline (tokenizer/segmenter included) on each sentence's raw text.

    One doc per gold sentence (gold sentence boundaries); the predicted words are the doc's
    non-space tokens, heads are indices among them. ``norm`` must map one character for one."""
    out: list[Sent] = []
    for s, doc in zip(sents, nlp.pipe((norm(s.raw_text()) for s in sents), batch_size=batch_size)):
        keep = [t for t in doc if not t.is_space]
        index = {t.i: k for k, t in enumerate(keep)}
        p = Sent(s.sid, [t.text for t in keep], [bool(t.whitespace_) for t in keep])
        p.upos = [t.pos_ for t in keep]
        p.heads = [index.get(t.head.i, k) for k, t in enumerate(keep)]
        p.deps = [t.dep_ for t in keep]
        out.append(p)
    return out


def char_spans(words: list[str]) -> list[tuple[int, int]]:
    """Each word's span in the sentence with all white space removed (the CoNLL 2018 alignment:
    a predicted word matches a gold word when both cover the same non-space characters)."""
    spans, pos = [], 0
    for w in words:
        n = sum(1 for ch in w if not ch.isspace())
        spans.append((pos, pos + n))
        pos += n
    return spans


def score_raw(gold: list[Sent], pred: list[Sent]) -> dict[str, float]:
    """Scores from raw text (percent F1, CoNLL 2018 style): word segmentation (``seg_p``,
    ``seg_r``, ``seg_f1``), and UPOS, UAS, LAS counted on aligned words only (a head is right
    when it aligns with the gold head; roots match roots)."""
    c: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        gs, ps = char_spans(g.words), char_spans(p.words)
        where = {sp: j for j, sp in enumerate(ps)}
        c["gold"] += len(gs)
        c["pred"] += len(ps)
        for i, sp in enumerate(gs):
            j = where.get(sp)
            if j is None:
                continue
            c["seg"] += 1
            c["upos"] += g.upos[i] == p.upos[j]
            gh = None if g.heads[i] == i else gs[g.heads[i]]
            ph = None if p.heads[j] == j else ps[p.heads[j]]
            if gh == ph:
                c["uas"] += 1
                c["las"] += _rel(g.deps[i]) == _rel(p.deps[j])
    gold_n, pred_n = max(c["gold"], 1), max(c["pred"], 1)
    out = {"seg_p": round(100.0 * c["seg"] / pred_n, 2), "seg_r": round(100.0 * c["seg"] / gold_n, 2)}
    for k in ("seg", "upos", "uas", "las"):
        out[f"{k}_f1" if k == "seg" else k] = round(200.0 * c[k] / (gold_n + pred_n), 2)
    return out | {"words": c["gold"], "predicted_words": c["pred"]}
