"""The training package: corpus readers, splits, vectors, lemma tables, a smoke build, model cards.

Readers are tested on small files made up here (no corpus text). The smoke build trains a toy
model on a few dozen sentences of the real corpora (needs ../shared; ~40 s per language).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from khabar.langs import pack
from khabar.train import corpora, vectors
from khabar.train.build import Options, build, lemma_table
from khabar.train.recipe import char_normaliser, load_recipe

CONLLU = """# sent_id = a-1
1\tBirds\tbird\tNOUN\tNNS\tNumber=Plur\t2\tnsubj\t_\t_
2\tsing\tsing\tVERB\tVBP\t_\t0\troot\t_\tSpaceAfter=No
3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# sent_id = a-2
1-2\tcannot\t_\t_\t_\t_\t_\t_\t_\t_
1\tcan\tcan\tAUX\tMD\t_\t3\taux\t_\t_
2\tnot\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_
3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_
"""


def test_conllu_reader_keeps_gold_words_and_heads(tmp_path: Path) -> None:
    path = tmp_path / "t.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    first, second = list(corpora.read_conllu(path))
    assert first.words == ["Birds", "sing", "."]
    assert first.spaces == [True, False, True]
    assert first.heads == [1, 1, 1] and first.deps == ["nsubj", "ROOT", "punct"]
    assert second.words == ["can", "not", "go"]  # the multiword range line is skipped
    assert corpora.to_conllu([first]).count("\troot\t") == 1


def test_inline_tags_become_word_spans(tmp_path: Path) -> None:
    path = tmp_path / "inline.txt"
    path.write_text("<PERSON>Ada Lovelace</PERSON> met <ORGANIZATION>Royal Society</ORGANIZATION> in "
                    "<LOCATION>London</LOCATION> on <DATE>Monday</DATE>.\n", encoding="utf-8")
    labels = {"PERSON": "PERSON", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
    recipe = load_recipe("en", tmp_path)
    from khabar.train.recipe import _tokenizer

    (sent,) = corpora.read_inline_tagged(path, _tokenizer(recipe.blank(), recipe.norm), labels)
    spans = [(" ".join(sent.words[a:b]), lab) for a, b, lab in sent.ents]
    assert spans == [("Ada Lovelace", "PERSON"), ("Royal Society", "ORG"), ("London", "LOC")]
    assert sent.sid == "line-1"


@pytest.mark.parametrize(
    ("scheme", "tags", "expected"),
    [
        ("plain", ["PERSON", "PERSON", "O", "LOCATION"], [(0, 2, "PERSON"), (3, 4, "LOC")]),
        ("bio", ["B-NEP", "B-NEP", "O", "B-NEL"], [(0, 1, "PERSON"), (1, 2, "PERSON"), (3, 4, "LOC")]),
        ("iob1", ["I-PER", "B-PER", "O", "I-LOC"], [(0, 1, "PERSON"), (1, 2, "PERSON"), (3, 4, "LOC")]),
        ("iob1", ["I-PER", "I-PER", "I-ORG", "O"], [(0, 2, "PERSON"), (2, 3, "ORG")]),
    ],
)
def test_token_tag_schemes(tmp_path: Path, scheme: str, tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    path = tmp_path / "tags.txt"
    path.write_text("".join(f"w{i}\t{t}\n" for i, t in enumerate(tags)) + "\n", encoding="utf-8")
    labels = {"PERSON": "PERSON", "LOCATION": "LOC", "NEP": "PERSON", "NEL": "LOC", "PER": "PERSON",
              "LOC": "LOC", "ORG": "ORG"}
    (sent,) = corpora.read_token_tag(path, labels, scheme)
    assert sent.ents == expected


def test_held_out_is_fixed_and_sized() -> None:
    ids = [f"line-{i}" for i in range(1, 501)]
    first = corpora.held_out(ids, 0.2, 7)
    assert len(first) == 100
    assert first == corpora.held_out(list(reversed(ids)), 0.2, 7)  # order does not matter
    assert first != corpora.held_out(ids, 0.2, 8)


def test_char_normaliser_is_one_for_one() -> None:
    norm = char_normaliser({"\u064a": "\u06cc", "\u0661": "1", "ab": "x"})
    text = "\u064a\u0661 z"
    assert norm(text) == "\u06cc1 z" and len(norm(text)) == len(text)


def test_ppmi_svd_groups_words_seen_in_the_same_contexts() -> None:
    sents = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat", "ran"], ["a", "dog", "ran"]] * 20
    sents += [["red", "green", "blue"]] * 10
    words, table = vectors.ppmi_svd(sents, vocab=50, contexts=50, dims=4, window=2, min_count=1)
    assert table.shape == (len(words), 4)
    assert np.allclose(np.linalg.norm(table, axis=1), 1.0, atol=1e-4)
    vec = dict(zip(words, table))
    assert float(vec["cat"] @ vec["dog"]) > float(vec["cat"] @ vec["green"])


def test_lemma_table_keeps_only_differing_forms() -> None:
    s = corpora.Sent("x", ["cats", "sat"], [True, True], lemmas=["cat", "sat"])
    assert lemma_table([s, s], lambda t: t) == {"cats": "cat"}


def test_unknown_recipe_is_a_one_line_error(tmp_path: Path) -> None:
    from khabar.errors import ConfigError

    with pytest.raises(ConfigError, match="no training recipe"):
        load_recipe("zz", tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ur", "en"])
def test_smoke_training_builds_a_loadable_model(shared: Path, tmp_path: Path, lang: str) -> None:
    from khabar.stages.analyse import load_model_dir

    out = tmp_path / "model"
    card = build(lang, Options(smoke=True, out=out, build_dir=tmp_path / "work", data=shared / "data",
                               echo=lambda m: None))
    model = load_model_dir(out)
    assert {"morphologizer", "parser", "ner", "lemmatizer"} <= set(model.nlp.pipe_names)
    assert card["ud_scores"] and card["ner_scores"]
    saved = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
    assert saved["language"] == lang and (out / "model-card.md").is_file()


CARD_KEYS = {"language", "upos", "las", "ner_f1", "words_per_second", "training_data", "licence"}


@pytest.mark.parametrize("lang", ["ur", "en"])
def test_shipped_model_has_a_card_and_fits_the_size_budget(lang: str) -> None:
    folder = pack(lang).path("model")
    if not folder.is_dir():
        pytest.skip(f"no shipped {lang} model")
    card = json.loads((folder / "model-card.json").read_text(encoding="utf-8"))
    assert CARD_KEYS <= card.keys()
    assert card["language"] == lang
    assert (folder / "model-card.md").is_file()
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size <= 20 * 1024 * 1024
