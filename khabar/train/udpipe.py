"""The baseline: UDPipe 1 trained offline on exactly the sentences our tagger/parser learns from.

Default UDPipe 1 options (``morphodita_parsito``, default tagger and parser); the tokenizer is not
trained because every score is on gold tokenisation. Needs the optional ``ufal.udpipe`` package
(``pip install 'khabar[train]'``). Models go to ``build/models/<lang>/udpipe.model`` (never
committed: they are trained on the same corpora).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelError
from .corpora import Sent, to_conllu

log = logging.getLogger(__name__)


def _udpipe() -> Any:
    try:
        import ufal.udpipe as udpipe
    except ImportError as err:
        raise ConfigError("the UDPipe baseline needs ufal.udpipe: pip install 'khabar[train]'") from err
    return udpipe


def _sentences(text: str) -> Any:
    u = _udpipe()
    fmt = u.InputFormat.newConlluInputFormat()
    fmt.setText(text)
    out = u.Sentences()
    err = u.ProcessingError()
    sent = u.Sentence()
    while fmt.nextSentence(sent, err):
        out.push_back(sent)
        sent = u.Sentence()
    if err.occurred():
        raise ModelError(f"UDPipe could not read CoNLL-U: {err.message}")
    return out


def train(sents: list[Sent], heldout: list[Sent], path: Path, tagger: str = "", parser: str = "",
          tokenizer: str = "none") -> Path:
    """Train UDPipe 1 (default options unless given) and write the model to ``path``.
    ``tokenizer="none"`` trains no tokenizer; ``""`` trains one with default options (for
    scores from raw text; words and ``SpaceAfter=No`` of the training sentences teach it)."""
    u = _udpipe()
    err = u.ProcessingError()
    model = u.Trainer.train("morphodita_parsito", _sentences(to_conllu(sents)),
                            _sentences(to_conllu(heldout)), tokenizer, tagger or "", parser or "", err)
    if err.occurred():
        raise ModelError(f"UDPipe training failed: {err.message}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model if isinstance(model, bytes) else model.encode("latin-1"))
    return path


def predict(path: Path, gold: list[Sent]) -> list[Sent]:
    """Tag and parse the gold words of ``gold`` with the UDPipe model at ``path``."""
    u = _udpipe()
    model = u.Model.load(str(path))
    if model is None:
        raise ModelError(f"cannot load the UDPipe model {path}: rebuild it with python -m khabar.train --baseline-only")
    out: list[Sent] = []
    for g, s in zip(gold, _sentences(to_conllu(_blank(gold)))):
        model.tag(s, u.Model.DEFAULT)
        model.parse(s, u.Model.DEFAULT)
        p = Sent(g.sid, g.words, g.spaces)
        for w in list(s.words)[1:]:
            p.upos.append(w.upostag)
            p.feats.append("" if w.feats == "_" else w.feats)
            p.lemmas.append(w.lemma)
            p.heads.append(w.head - 1 if w.head > 0 else w.id - 1)
            p.deps.append(w.deprel)
        out.append(p)
    return out


def predict_raw(path: Path, gold: list[Sent]) -> list[Sent] | None:
    """Segment, tag and parse each gold sentence's raw text with UDPipe's own tokenizer; one
    predicted ``Sent`` per gold sentence (UDPipe may split it). None: the model has no tokenizer."""
    u = _udpipe()
    model = u.Model.load(str(path))
    tok = model.newTokenizer(u.Model.DEFAULT) if model is not None else None
    if tok is None:
        return None
    out: list[Sent] = []
    err = u.ProcessingError()
    for g in gold:
        p = Sent(g.sid, [], [])
        tok.setText(g.raw_text())
        s = u.Sentence()
        while tok.nextSentence(s, err):
            model.tag(s, u.Model.DEFAULT)
            model.parse(s, u.Model.DEFAULT)
            base = len(p.words)
            for w in list(s.words)[1:]:
                p.words.append(w.form)
                p.spaces.append(True)
                p.upos.append(w.upostag)
                p.heads.append(base + (w.head - 1 if w.head > 0 else w.id - 1))
                p.deps.append(w.deprel)
            s = u.Sentence()
        if err.occurred():
            raise ModelError(f"UDPipe could not segment the text: {err.message}")
        out.append(p)
    return out


def _blank(gold: list[Sent]) -> list[Sent]:
    return [Sent(g.sid, g.words, g.spaces, ["_"] * len(g.words), [""] * len(g.words), [""] * len(g.words),
                 [""] * len(g.words), list(range(len(g.words))), ["dep"] * len(g.words)) for g in gold]
