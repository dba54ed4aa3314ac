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


def _inline(tmp_path: Path, text: str, ends: str = "") -> list[corpora.Sent]:
    path = tmp_path / "inline.txt"
    path.write_text(text, encoding="utf-8")
    from khabar.train.recipe import _tokenizer

    recipe = load_recipe("en", tmp_path)
    labels = {"PERSON": "PERSON", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
    return list(corpora.read_inline_tagged(path, _tokenizer(recipe.blank(), recipe.norm), labels, ends))


def _spans(sent: corpora.Sent) -> list[tuple[str, str]]:
    return [(" ".join(sent.words[a:b]), lab) for a, b, lab in sent.ents]


def test_inline_typo_closing_tag_glued_tags_and_joined_lines(tmp_path: Path) -> None:
    # "X/<TYPE>" closes TYPE; a tag between two letters is a word boundary; a byte order mark
    # inside a line (files joined) is white space
    (sent,) = _inline(tmp_path, "<PERSON>Ada Lovelace/<PERSON> wrote.\ufeff\ufeff<LOCATION>London</LOCATION>rains\n")
    assert _spans(sent) == [("Ada Lovelace", "PERSON"), ("London", "LOC")]
    assert "rains" in sent.words and not any("\ufeff" in w for w in sent.words)


def test_inline_lines_split_into_sentences_grouped_by_line(tmp_path: Path) -> None:
    parts = _inline(tmp_path, "x\n<PERSON>Ada</PERSON> came . She met <PERSON>Bob</PERSON> !\n", ends=".!")
    assert [p.sid for p in parts] == ["line-1", "line-2#1", "line-2#2"]
    assert _spans(parts[1]) == [("Ada", "PERSON")] and _spans(parts[2]) == [("Bob", "PERSON")]
    assert {corpora.group_id(p.sid) for p in parts[1:]} == {"line-2"}
    inside = corpora.Sent("s", ["St", ".", "Louis", "."], [True] * 4, ents=[(0, 3, "LOC")])
    assert len(corpora.split_sentences(inside, ".")) == 1  # never inside an entity


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


def test_table_normalisation_maps_back_to_original_offsets(tmp_path: Path) -> None:
    recipe = load_recipe("ur", tmp_path)
    assert recipe.norm_table == "ur"
    text = "\u0643\u200c\u064a \u06f1\u06f2"  # Arabic kaf, ZWNJ, Arabic yeh, space, Urdu digits
    normed, to_orig = recipe.norm_map(text)
    assert normed == "\u06a9\u06cc 12" and to_orig is not None
    assert to_orig[normed.index(" ")] == text.index(" ") and to_orig[-1] == len(text)


def test_khabar_train_is_a_cli_command() -> None:
    from click.testing import CliRunner

    from khabar.train.cli import commands, train

    assert commands == [train] and "Example:" in (train.help or "")
    result = CliRunner().invoke(train, ["zz"])
    assert result.exit_code != 0 and "no training recipe" in result.output


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


def test_vector_feature_columns_mark_gazetteer_words_but_not_common_ones() -> None:
    table = np.eye(3, dtype=np.float32)
    words, out = vectors.with_features(["the", "cat", "dog"], table, {"PERSON": {"ada", "the"}, "LOC": {"dog"}},
                                       0.5, common={"the"})
    assert words == ["the", "cat", "dog", "ada"] and out.shape == (4, 5)
    cols = dict(zip(words, out[:, 3:].tolist()))  # columns sorted by label: LOC, PERSON
    assert cols["ada"] == [0.0, 0.5] and cols["dog"] == [0.5, 0.0] and cols["the"] == [0.0, 0.0]
    assert out[3, :3].tolist() == [0.0, 0.0, 0.0]


def test_feature_rows_without_a_vector_can_be_limited() -> None:
    table = np.eye(2, dtype=np.float32)
    words, out = vectors.with_features(["cat", "dog"], table, {"PERSON": {"ada", "bob", "cat"}}, 0.5,
                                       common=set(), extra_keep={"bob"})
    assert words == ["cat", "dog", "bob"] and out.shape == (3, 3)
    assert out[:, 2].tolist() == [0.5, 0.0, 0.5]


def test_column_corpora_give_token_sentences_for_the_vectors(tmp_path: Path) -> None:
    path = tmp_path / "cols.txt"
    path.write_text("-DOCSTART- O\n\nxx:Ada\tB-PER\nxx:sings\tO\n\nxx:Bob O\n", encoding="utf-8")
    assert list(vectors.column_sentences(path, "xx:")) == [["Ada", "sings"], ["Bob"]]
    assert list(vectors.column_sentences(path))[1] == ["xx:Bob"]


def test_english_recipe_trains_on_no_evaluation_treebank() -> None:
    recipe = load_recipe("en", Path("/nonexistent"))
    train = " ".join(recipe.spec["ud"]["train"])
    assert "ewt" not in train.lower() and "pud" not in train.lower()
    assert not recipe.spec["ud"].get("dev")  # the selection set is carved from the training data


def test_feature_words_from_the_language_pack_and_the_knowledge_base(tmp_path: Path) -> None:
    from khabar.train.features import feature_words, kb_names

    recipe = load_recipe("ur", tmp_path)
    words = feature_words(recipe, [{"label": "TITLE", "pack": "roles", "types": ["HEAD"]}])
    heads = {row[0] for row in pack("ur").tsv("roles") if len(row) > 3 and row[3] == "HEAD"}
    assert words["TITLE"] and all(any(w in h for h in heads) for w in words["TITLE"])
    assert any(kb_names("places", "ur"))


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


def test_pretrain_config_adds_the_pretraining_block_and_keeps_the_architecture(tmp_path: Path) -> None:
    from khabar.train.build import recipe_config
    from khabar.train.pretrain import pretrain_config

    raw = tmp_path / "raw.jsonl"
    cfg = pretrain_config(recipe_config("ud.cfg"), {"nlp.lang": "ur", "training.max_steps": 5,
                                                     "components.tok2vec.model.encode.width": 64},
                          {"overrides": {"pretraining.max_epochs": 2}}, raw, tmp_path / "out")
    assert cfg["pretraining"]["max_epochs"] == 2
    assert cfg["pretraining"]["component"] == "tok2vec"
    assert cfg["paths"]["raw_text"] == str(raw)
    assert cfg["nlp"]["lang"] == "ur" and "tokenizer" in cfg["nlp"]
    assert cfg["components"]["tok2vec"]["model"]["encode"]["width"] == 64
    assert cfg["training"]["max_steps"] != 5  # the training schedule is not the pretraining's
    assert (tmp_path / "out" / "pretrain.cfg").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("config,component", [("ud.cfg", "tok2vec"), ("ner.cfg", "ner")])
def test_pretrained_weights_reach_the_training_run(tmp_path: Path, config: str, component: str) -> None:
    """The tok2vec of the training run starts from the pretrained weights: the tagger/parser's
    shared one and the one inside the NER. (spaCy's ``paths.init_tok2vec`` alone was a silent
    no-op here until 2026-11-29: it needs a [pretraining] block and cannot reach an NER's.)"""
    import spacy
    from spacy import util
    from spacy.tokens import Doc, DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.pretrain import pretrain

    from khabar.train.build import recipe_config
    from khabar.train.pretrain import pretrain_config, task_tok2vec, training_config

    words = "the minister said on Friday that talks with the delegation went well".split()
    raw = tmp_path / "raw.jsonl"
    raw.write_text("\n".join(json.dumps({"text": " ".join(words[i:] + words[:i])}) for i in range(len(words))),
                   encoding="utf-8")
    overrides = {"nlp.lang": "en"}
    out = tmp_path / "pretrain"
    cfg = pretrain_config(recipe_config(config), overrides, {"overrides": {"pretraining.max_epochs": 1}}, raw, out)
    assert "tok2vec" in cfg["nlp"]["pipeline"] and cfg["pretraining"]["component"] == "tok2vec"
    pretrain(cfg.interpolate(), out, silent=True)
    weights = out / "model-last.bin"

    doc = Doc(spacy.blank("en").vocab, words=words,
              pos=["DET", "NOUN", "VERB", "ADP", "PROPN", "SCONJ", "NOUN", "ADP", "DET", "NOUN", "VERB", "ADV"],
              heads=[1, 2, 2, 4, 2, 10, 10, 9, 9, 6, 2, 10],
              deps=["det", "nsubj", "ROOT", "case", "obl", "mark", "nsubj", "case", "det", "nmod", "ccomp", "advmod"],
              ents=["O"] * 4 + ["B-DATE"] + ["O"] * 7)
    corpus = tmp_path / "c.spacy"
    DocBin(docs=[doc]).to_disk(corpus)
    over = overrides | {"paths.train": str(corpus), "paths.dev": str(corpus)}
    with_weights = training_config(recipe_config(config), over, weights, tmp_path / "train.cfg")
    loaded = task_tok2vec(init_nlp(util.load_config(with_weights, interpolate=False)), component).to_bytes()
    plain = task_tok2vec(init_nlp(util.load_config(recipe_config(config), overrides=over, interpolate=False)),
                         component)
    without = plain.to_bytes()
    expected = plain.from_bytes(weights.read_bytes()).to_bytes()  # a fresh network with the weights put in
    assert loaded == expected
    assert without != expected
