"""Drop the training corpora's words from a saved model's string table.

spaCy saves every string its vocabulary saw while training in ``vocab/strings.json``: the words
of the training corpora (CoNLL-2003 is under Reuters terms; the Urdu NER corpora and news text
have unclear terms) and of the texts the word vectors came from. The pipeline does not need them
to run: its features are hashes, the vector table is keyed by hash, and the labels and lemma
tables carry their own strings, which spaCy adds back when it loads the components. So the saved
table keeps only the strings the loaded components hold themselves (labels, morphology), and
``check`` proves on sample texts that the pruned model gives the same analysis as before.

    python -m khabar.train.prune khabar/langs/ur/model --check samples/ur
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

STRINGS = Path("vocab") / "strings.json"


def component_strings(nlp: Any) -> set[str]:
    """The strings the components of ``nlp`` name: labels of every trainable component, and the
    morphology strings the morphologizer can assign."""
    keep: set[str] = set()
    for _, pipe in nlp.pipeline:
        for label in getattr(pipe, "labels", ()) or ():
            keep.add(str(label))
        cfg = getattr(pipe, "cfg", {}) or {}
        for key in ("labels_morph", "labels_pos"):
            for label, value in (cfg.get(key) or {}).items():
                keep.add(str(label))
                if isinstance(value, str):
                    keep.add(value)
    for label in list(keep):
        keep.update(part for part in label.split("|") if part)
    return keep


def prune(model_dir: Path) -> tuple[int, int]:
    """Rewrite ``model_dir``'s string table with only its components' strings; (before, after)."""
    import spacy

    path = model_dir / STRINGS
    before = json.loads(path.read_text(encoding="utf-8"))
    nlp = spacy.load(model_dir)
    kept = sorted(component_strings(nlp) & set(before))
    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    return len(before), len(kept)


def analysis(nlp: Any, texts: list[str]) -> list[tuple[Any, ...]]:
    """Everything the analyse stage reads from a parsed text, as plain values."""
    out: list[tuple[Any, ...]] = []
    for doc in nlp.pipe(texts):
        out.append(tuple((t.idx, t.text, t.lemma_, t.pos_, str(t.morph), t.head.i, t.dep_) for t in doc))
        out.append(tuple((e.start_char, e.end_char, e.label_) for e in doc.ents))
    return out


def sample_texts(folder: Path, limit: int = 40) -> list[str]:
    """Paragraphs of the text files in ``folder`` (our own samples), at most ``limit`` files."""
    texts: list[str] = []
    for path in sorted(folder.glob("*"))[:limit]:
        if path.suffix in (".txt", ".html"):
            texts.extend(p for p in path.read_text(encoding="utf-8", errors="replace").split("\n") if p.strip())
    return texts


def main(argv: list[str] | None = None) -> int:
    """Prune the model folders given; with ``--check FOLDER``, compare the analysis before/after."""
    import spacy

    p = argparse.ArgumentParser(prog="python -m khabar.train.prune", description=__doc__.split("\n")[0])
    p.add_argument("models", nargs="+", type=Path)
    p.add_argument("--check", type=Path, help="folder of sample texts to compare the analysis on")
    args = p.parse_args(argv)
    status = 0
    for model_dir in args.models:
        texts = sample_texts(args.check) if args.check else []
        old = analysis(spacy.load(model_dir), texts) if texts else []
        before, after = prune(model_dir)
        same = analysis(spacy.load(model_dir), texts) == old if texts else None
        print(f"{model_dir}: strings {before} -> {after}; analysis unchanged on {len(texts)} texts: {same}")
        if same is False:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
