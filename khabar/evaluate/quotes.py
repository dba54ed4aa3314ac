"""``khabar eval quotes``: quote spans and speakers against PolNeAR-dev and our own gold sets.

Matching: a predicted quote matches a gold content span when their overlap covers at least half
of the shorter of the two; matching is one-to-one (largest overlaps first). Precision counts the
predictions that match, recall the gold spans that are matched. Speaker accuracy is measured on
matched pairs whose gold has a source:

* PolNeAR (``SOURCE``/``CUE``/``CONTENT`` brat spans, no coreference): correct when the predicted
  raw attribution span or the resolved mention overlaps the gold SOURCE span, or the resolved name
  equals the SOURCE text. "direct" = gold contents with at least half of their characters inside
  quotation marks, scored against our direct quotes (a direct quote that matches any gold content
  is a correct prediction); "all" = every attribution against every prediction.
* Own gold (``tests/gold/quotes/<lang>.jsonl``): a match also needs the same ``direct`` flag;
  the speaker is correct when the resolved name equals the gold name (case and spaces folded).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import KhabarError
from ..model import Article, Zone
from ..pipeline import Context
from ..settings import Settings
from ..stages.entities import ENTITIES
from ..stages.quotes import build_quotes, load_rules
from ..stages.segment import SEGMENT, paragraphs, quote_pairs, quote_spans

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "gold" / "quotes"
Frags = list[tuple[int, int]]


@dataclass
class GoldAttr:
    """A gold attribution: content fragments, source span (if any), speaker name, direct or not."""

    content: Frags
    source: tuple[int, int] | None
    speaker: str | None
    direct: bool


@dataclass
class Pred:
    """A predicted quote with what the speaker metrics need."""

    start: int
    end: int
    direct: bool
    name: str | None
    ref: tuple[int, int] | None
    raw: tuple[int, int] | None


@dataclass
class Score:
    """Counts for one evaluation slice."""

    preds: int = 0
    gold: int = 0
    tp_pred: int = 0
    tp_gold: int = 0
    spk_total: int = 0
    spk_ok: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        """Precision, recall, F1, speaker accuracy and counts."""
        p = self.tp_pred / self.preds if self.preds else 0.0
        r = self.tp_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.spk_ok / self.spk_total if self.spk_total else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "speaker_accuracy": round(acc, 4),
                "predicted": self.preds, "gold": self.gold, "speaker_judged": self.spk_total}


def _overlap(a: tuple[int, int], frags: Frags) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in frags)


def _size(frags: Frags) -> int:
    return sum(e - s for s, e in frags)


def match(preds: list[Pred], golds: list[GoldAttr], same_kind: bool = False) -> list[tuple[int, int]]:
    """(pred index, gold index) pairs: each prediction and each gold fragment used at most once;
    a pair needs an overlap of at least half of the shorter of the prediction and the fragment
    (a gold quote split by its attribution, ``"A," he said, "B."``, has two fragments)."""
    cands = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if same_kind and p.direct != g.direct:
                continue
            for k, frag in enumerate(g.content):
                ov = _overlap((p.start, p.end), [frag])
                if ov and ov * 2 >= min(p.end - p.start, frag[1] - frag[0]):
                    cands.append((ov, i, j, k))
    used_p: set[int] = set()
    used_f: set[tuple[int, int]] = set()
    out = []
    for _, i, j, k in sorted(cands, reverse=True):
        if i not in used_p and (j, k) not in used_f:
            used_p.add(i)
            used_f.add((j, k))
            out.append((i, j))
    return out


def predict(text: str, lang: str, ctx: Context, entities: bool = True) -> list[Pred]:
    """Run segment (+ entities, as the default pipeline does) + quotes on one text (one body zone)."""
    art = Article(text=text, language=lang, zones=[Zone(0, len(text), "eval", "body")])
    SEGMENT.func(art, ctx)
    if entities:
        ENTITIES.func(art, ctx)
    rules = ctx.cached(f"quotes.rules.{lang}", lambda: load_rules(lang))
    out = []
    for q, _, raw in build_quotes(art, rules):
        sp = q.speaker
        ref = (sp.start, sp.end) if sp and sp.start is not None and sp.end is not None else None
        out.append(Pred(q.start, q.end, q.direct, sp.name if sp else None, ref, raw))
    return out


def _fold(s: str | None) -> str:
    return " ".join((s or "").casefold().split())


def _touches(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


# ----- PolNeAR --------------------------------------------------------------------------------------
def read_ann(path: Path) -> list[GoldAttr]:
    """Attributions of one brat .ann file (Source/Cue/Content text-bound spans + events)."""
    spans: dict[str, Frags] = {}
    attrs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offs = parts[1].partition(" ")
            spans[parts[0]] = [(int(a), int(b)) for a, b in (f.split() for f in offs.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
            if "Content" in args:
                attrs.append(args)
    out = []
    for args in attrs:
        content = spans.get(args["Content"])
        src = spans.get(args.get("Source", ""))
        if content:
            out.append(GoldAttr(content, (src[0][0], src[-1][1]) if src else None, None, False))
    return out


def _inside_quotes(text: str) -> list[bool]:
    inside = [False] * len(text)
    pairs = quote_pairs("en")
    for ps, pe in paragraphs(text, 0, len(text)):
        for q in quote_spans(text, ps, pe, pairs):
            for k in range(q.open_start, q.close_end):
                inside[k] = True
    return inside


def load_polnear(root: Path) -> list[tuple[str, str, list[GoldAttr]]]:
    """(name, text, attributions) per article; one annotator per article (the first by name)."""
    out = []
    for tpath in sorted((root / "text").glob("*.txt")):
        anns = sorted((root / "attributions").glob(tpath.stem + "_*.ann"))
        if not anns:
            continue
        text = tpath.read_text(encoding="utf-8")
        inside = _inside_quotes(text)
        golds = read_ann(anns[0])
        for g in golds:
            n = _size(g.content)
            g.direct = n > 0 and 2 * sum(inside[k] for s, e in g.content for k in range(s, min(e, len(text)))) >= n
        out.append((tpath.stem, text, golds))
    return out


def eval_polnear(root: Path, errors: bool = False) -> dict[str, Any]:
    """Scores on PolNeAR-dev: ``direct`` and ``all`` slices."""
    ctx = Context(Settings())
    direct, every = Score(), Score()
    for name, text, golds in load_polnear(root):
        preds = predict(text, "en", ctx)
        _slice(text, [p for p in preds if p.direct], golds, [g.direct for g in golds], direct, name, errors)
        _slice(text, preds, golds, [True] * len(golds), every, name, errors)
    return {"direct": direct.as_dict(), "all": every.as_dict(),
            **({"errors": direct.errors[:200] + every.errors[:200]} if errors else {})}


def _slice(text: str, preds: list[Pred], golds: list[GoldAttr], counted: list[bool], sc: Score, name: str,
           errors: bool) -> None:
    pairs = match(preds, golds)
    sc.preds += len(preds)
    sc.gold += sum(counted)
    sc.tp_pred += len(pairs)
    matched_g = {j for _, j in pairs}
    sc.tp_gold += sum(1 for j in matched_g if counted[j])
    for i, j in pairs:
        g, p = golds[j], preds[i]
        if g.source is None or not counted[j]:
            continue
        ok = _touches(p.raw, g.source) or _touches(p.ref, g.source) or _fold(p.name) == _fold(text[g.source[0]:g.source[1]])
        sc.spk_total += 1
        sc.spk_ok += ok
        if errors and not ok:
            sc.errors.append({"doc": name, "kind": "speaker", "quote": text[p.start:p.end][:80],
                              "pred": p.name, "raw": text[p.raw[0]:p.raw[1]] if p.raw else None,
                              "gold": text[g.source[0]:g.source[1]]})
    if errors:
        mp = {i for i, _ in pairs}
        sc.errors += [{"doc": name, "kind": "fp", "quote": text[p.start:p.end][:100], "pred": p.name}
                      for i, p in enumerate(preds) if i not in mp]
        sc.errors += [{"doc": name, "kind": "fn", "gold": " … ".join(text[s:e] for s, e in g.content)[:120]}
                      for j, g in enumerate(golds) if j not in matched_g and counted[j]]


# ----- own gold ---------------------------------------------------------------------------------------
def load_gold(path: Path) -> list[tuple[str, list[GoldAttr]]]:
    """(text, attributions) per line of a gold JSONL file; quotes located by their text."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text = rec["text"]
            golds = []
            for q in rec["quotes"]:
                at = text.find(q["quote"])
                if at < 0:
                    raise ValueError(f"quote not in text: {q['quote'][:40]!r}")
                golds.append(GoldAttr([(at, at + len(q["quote"]))], None, q.get("speaker"), bool(q.get("direct", True))))
        except (ValueError, KeyError, TypeError) as err:
            raise KhabarError(f"bad gold line {n}: {err}", source=str(path)) from err
        out.append((text, golds))
    return out


def eval_gold(path: Path, lang: str, errors: bool = False) -> dict[str, Any]:
    """Scores on one of our gold files (a match needs the same direct flag; speaker by name)."""
    ctx = Context(Settings())
    sc = Score()
    for text, golds in load_gold(path):
        preds = predict(text, lang, ctx)
        pairs = match(preds, golds, same_kind=True)
        sc.preds += len(preds)
        sc.gold += len(golds)
        sc.tp_pred += len(pairs)
        sc.tp_gold += len({j for _, j in pairs})
        for i, j in pairs:
            ok = _fold(preds[i].name) == _fold(golds[j].speaker)
            sc.spk_total += 1
            sc.spk_ok += ok
            if errors and not ok:
                sc.errors.append({"kind": "speaker", "text": text[:90], "pred": preds[i].name, "gold": golds[j].speaker})
        if errors:
            mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
            sc.errors += [{"kind": "fp", "text": text[:60], "quote": text[p.start:p.end], "direct": p.direct}
                          for i, p in enumerate(preds) if i not in mp]
            sc.errors += [{"kind": "fn", "text": text[:60], "quote": text[g.content[0][0]:g.content[0][1]], "direct": g.direct}
                          for j, g in enumerate(golds) if j not in mg]
    return {**sc.as_dict(), **({"errors": sc.errors} if errors else {})}


def run_all(shared: Path | None, gold_dir: Path = GOLD_DIR, errors: bool = False) -> dict[str, Any]:
    """Every quotes evaluation that has its data: PolNeAR-dev (if shared) and each own gold file."""
    out: dict[str, Any] = {}
    if shared is not None:
        root = shared / "data" / "eval" / "quotes" / "PolNeAR-dev"
        if root.is_dir():
            out["polnear"] = eval_polnear(root, errors)
    for path in sorted(gold_dir.glob("*.jsonl")):
        out[f"gold-{path.stem}"] = eval_gold(path, path.stem, errors)
    return out


def _table(results: dict[str, Any]) -> str:
    rows = [("set", "P", "R", "F1", "speaker", "pred", "gold")]
    for name, res in results.items():
        slices = {k: v for k, v in res.items() if isinstance(v, dict)} or {"": res}
        for sl, r in slices.items():
            rows.append((f"{name} {sl}".strip(), f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                         f"{r['speaker_accuracy']:.3f}", str(r["predicted"]), str(r["gold"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="Include false positives/negatives and speaker errors (JSON only).")
@click.option("--gold-dir", type=click.Path(file_okay=False, path_type=Path), default=GOLD_DIR, show_default=True,
              help="Folder of <lang>.jsonl gold quote files.")
def command(as_json: bool, errors: bool, gold_dir: Path) -> None:
    """Score quotation spans and speakers on PolNeAR-dev and our own gold sets.

    Example: khabar eval quotes --json
    """
    from ..shared import shared_dir

    try:
        results = run_all(shared_dir(required=False), gold_dir, errors)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if not results:
        raise click.ClickException("no evaluation data found (set KHABAR_SHARED or add gold files)")
    click.echo(json.dumps(results, ensure_ascii=False, indent=2) if as_json or errors else _table(results))
