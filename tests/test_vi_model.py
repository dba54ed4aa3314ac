"""The Vietnamese model (issue 11): scoring from raw text, word pieces for the events stage, the card.

The sentences here are our own, made up for these tests; VTB is read in place (``shared``).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.langs import pack
from khabar.model import Token
from khabar.stages.event_actors import word_pieces
from khabar.train import corpora, scoring

CONLLU = """# sent_id = v-1
# text = Bộ trưởng tới Hà Nội .
1\tBộ trưởng\tbộ trưởng\tNOUN\tN\t_\t2\tnsubj\t_\t_
2\ttới\ttới\tVERB\tV\t_\t0\troot\t_\t_
3\tHà Nội\tHà Nội\tPROPN\tNp\t_\t2\tobj\t_\t_
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

"""


def _gold(tmp_path: Path) -> corpora.Sent:
    path = tmp_path / "v.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    (sent,) = corpora.read_conllu(path)
    return sent


def _pred(words: list[str], upos: list[str], heads: list[int], deps: list[str]) -> corpora.Sent:
    return corpora.Sent("v-1", words, [True] * len(words), upos=upos, feats=[""] * len(words),
                        lemmas=[w.lower() for w in words], heads=heads, deps=deps)


def test_conllu_reader_keeps_the_raw_text(tmp_path: Path) -> None:
    sent = _gold(tmp_path)
    assert sent.raw_text() == "Bộ trưởng tới Hà Nội ."
    assert sent.words[0] == "Bộ trưởng"
    no_text = corpora.Sent("x", ["Hà Nội", "."], [False, True])
    assert no_text.raw_text() == "Hà Nội."


def test_perfect_segmentation_scores_like_gold_tokens(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    same = _pred(list(gold.words), list(gold.upos), list(gold.heads), ["nsubj", "ROOT", "obj", "punct"])
    raw = scoring.score_raw([gold], [same])
    assert raw["seg_f1"] == raw["upos"] == raw["las"] == 100.0
    assert scoring.score_syntax([gold], [same])["las"] == 100.0


def test_a_split_word_costs_precision_recall_and_its_dependents(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    # "Bộ trưởng" split in two: 3 of 4 gold words found among 5 predicted words
    pred = _pred(["Bộ", "trưởng", "tới", "Hà Nội", "."], ["NOUN", "NOUN", "VERB", "PROPN", "PUNCT"],
                 [2, 0, 2, 2, 2], ["nsubj", "compound", "ROOT", "obj", "punct"])
    raw = scoring.score_raw([gold], [pred])
    assert (raw["seg_p"], raw["seg_r"]) == (60.0, 75.0)
    assert raw["seg_f1"] == round(200 * 3 / 9, 2)
    assert raw["upos"] == raw["seg_f1"]  # every aligned word has the right tag
    assert raw["las"] == raw["seg_f1"]  # the root, the object and the full stop keep their heads
    wrong_head = _pred(pred.words, pred.upos, [2, 0, 2, 0, 2], pred.deps)  # "Hà Nội" now hangs off "Bộ"
    assert scoring.score_raw([gold], [wrong_head])["uas"] == round(200 * 2 / 9, 2)


def test_word_pieces_split_multi_syllable_tokens_and_remap_heads() -> None:
    text = "Bộ trưởng tới Hà Nội."
    toks = [Token(0, 9, "analyse@1", lemma="bộ trưởng", head=1, dep="nsubj"),
            Token(10, 13, "analyse@1", lemma="tới", head=1, dep="root"),
            Token(14, 20, "analyse@1", lemma="Hà Nội", head=1, dep="obj"),
            Token(20, 21, "analyse@1", head=1, dep="punct")]
    pieces = word_pieces(toks, text)
    assert [text[t.start : t.end] for t in pieces] == ["Bộ", "trưởng", "tới", "Hà", "Nội", "."]
    assert [t.head for t in pieces] == [2, 0, 2, 2, 3, 2]
    assert [t.dep for t in pieces] == ["nsubj", None, "root", "obj", None, "punct"]
    assert pieces[2].lemma == "tới" and pieces[0].lemma is None
    plain = [Token(0, 2, "segment@1"), Token(3, 9, "segment@1")]
    assert word_pieces(plain, text) is plain  # no token holds a space: nothing changes


def _card() -> dict:
    folder = pack("vi").path("model")
    if not folder.is_dir():
        pytest.skip("no shipped vi model")
    return json.loads((folder / "model-card.json").read_text(encoding="utf-8"))


def test_shipped_vi_model_card() -> None:
    card = _card()
    assert {"language", "upos", "las", "ner_f1", "words_per_second", "training_data", "licence", "seg_f1"} <= card.keys()
    assert card["language"] == "vi" and card["ner_f1"] is None and card["licence"] == "CC BY-SA 4.0"
    assert card["seg_f1"] >= 95.0 and card["ud_raw_scores"]
    folder = pack("vi").path("model")
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) <= 20 * 1024 * 1024
    assert "raw text" in (folder / "model-card.md").read_text(encoding="utf-8")


def test_shipped_vi_model_segments_like_the_treebank() -> None:
    _card()
    from khabar.stages.analyse import load_model_dir

    nlp = load_model_dir(pack("vi").path("model")).nlp
    doc = nlp("Bộ trưởng Quốc phòng Nga tới Bình Nhưỡng.")
    words = [t.text for t in doc]
    assert "Bộ trưởng" in words and "Quốc phòng" in words  # multi-syllable words, as in VTB
    assert doc.text == "Bộ trưởng Quốc phòng Nga tới Bình Nhưỡng."
    assert all(t.pos_ for t in doc) and sum(t.dep_ == "ROOT" for t in doc) >= 1


@pytest.mark.slow
def test_card_scores_are_reproduced_on_vtb_test(shared: Path) -> None:
    card = _card()
    from khabar.stages.analyse import load_model_dir

    gold = list(corpora.read_conllu(shared / "data" / "ud" / "vi" / "vi_vtb-ud-test.conllu"))
    loaded = load_model_dir(pack("vi").path("model"))
    syntax = scoring.score_syntax(gold, scoring.parse_gold_tokens(loaded.nlp, gold, loaded.norm), loaded.norm)
    raw = scoring.score_raw(gold, scoring.parse_raw(loaded.nlp, gold, loaded.norm))
    assert (syntax["upos"], syntax["las"]) == (card["upos"], card["las"])
    assert raw["seg_f1"] == card["seg_f1"]
