"""Text reuse (khabar.stories.reuse), its shipped model and the COUNTER quality gate (issue 7)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.errors import InputError, ModelError
from khabar.evaluate.reuse import (CANDIDATES, WHOLLY_FEATURES, Pair, baselines, cross_validate, fit_logistic,
                                   fit_model, folds, nested_cross_validate, run, score, select, source_groups)
from khabar.kb.places import tokens
from khabar.stories.reuse import (EXTRA_FEATURES, FEATURES, MODEL_PATH, ReuseIndex, ReuseModel, aligned_share,
                                  band_keys, compare, load_model, measure, measure_more, prepare, sentences, tile)

FLOORS = json.loads((Path(__file__).resolve().parent / "floors.json").read_text(encoding="utf-8"))

AGENCY = ("The finance minister said on Monday that the budget deficit would fall to four per cent "
          "of output next year as tax receipts rose faster than expected. He told parliament that "
          "spending on roads and schools would be protected and that fuel subsidies would end in June.")
REWRITE = ("Opposition leaders walked out of the chamber in protest. The finance minister said on Monday "
           "that the budget deficit would fall to four per cent of output next year, "
           "a claim critics called optimistic because exports have slowed for three quarters in a row.")
OTHER = ("Heavy rain flooded low-lying streets in the port city overnight, and rescue teams used boats "
         "to move families from their homes while schools stayed closed for a second day.")


def test_identical_text_is_wholly_derived_with_one_long_passage() -> None:
    found = compare(AGENCY, AGENCY)
    assert found.label == "wholly" and found.score > 0.99 and found.wholly > 0.9
    assert found.features["chars"] == pytest.approx(1.0) and found.features["aligned"] == 1.0
    longest = max(found.passages, key=lambda p: p.words)
    assert AGENCY[longest.derived_start:longest.derived_end] == AGENCY[longest.source_start:longest.source_end]
    assert longest.words == len(tokens(AGENCY))


def test_partial_rewrite_is_partly_derived_and_passages_point_at_the_shared_words() -> None:
    found = compare(AGENCY, REWRITE)
    assert found.label == "partly"
    shared = [REWRITE[p.derived_start:p.derived_end] for p in found.passages]
    assert any("budget deficit would fall to four per cent" in s for s in shared)
    for p in found.passages:
        assert p.words >= 4
        assert REWRITE[p.derived_start:p.derived_end].casefold() == AGENCY[p.source_start:p.source_end].casefold()


def test_unrelated_text_is_not_derived_and_has_no_passages() -> None:
    found = compare(AGENCY, OTHER)
    assert found.label == "none" and not found.derived and found.passages == ()
    assert found.score < 0.2


def test_empty_texts_are_not_derived() -> None:
    assert compare("", "").label == "none"
    assert compare(AGENCY, "").label == "none"


def test_features_are_shares_and_json_carries_them() -> None:
    found = compare(AGENCY, REWRITE)
    assert set(found.features) == set(FEATURES)
    assert all(0.0 <= v <= 1.0 for v in found.features.values())
    data = found.to_dict()
    assert data["label"] == "partly" and data["rule"] == "stories.reuse@2"
    assert set(data["features"]) == set(FEATURES) and data["passages"]


def test_urdu_spacing_slips_still_count_as_reuse() -> None:
    source = "وزیر خزانہ نے کہا کہ آئندہ سال بجٹ خسارہ کم ہو کر چار فیصد رہ جائے گا اور ٹیکس وصولیاں بڑھیں گی۔"
    joined = "وزیر خزانہ نےکہا کہ آئندہ سال بجٹ خسارہ کم ہوکر چار فیصد رہ جائےگا اور ٹیکس وصولیاں بڑھیں گی۔"
    assert compare(source, joined).label == "wholly"


def test_sentences_split_on_urdu_full_stops_but_not_on_decimal_points() -> None:
    text = "ٹیم نے 24.3 اوورز میں ہدف حاصل کر لیا۔ کپتان نے ٹاس جیتا\nاور بیٹنگ کا فیصلہ کیا؟ ہاں"
    got = sentences(text, tokens(text))
    assert [len(s) for s in got] == [10, 4, 5]  # the one-word piece is too short to align
    assert got[0][1:4] == ["نے", "24", "3"]


def test_aligned_share_counts_derived_sentences_with_a_strong_source_match() -> None:
    src = prepare("Rain fell on the city all night. The mayor closed the schools.")
    der = prepare("The mayor closed the schools on Monday. Football fans sang in the square.")
    assert aligned_share(src.sentences, der.sentences) == 0.5
    assert aligned_share([], der.sentences) == 0.0


def test_figures_count_numbers_the_derived_text_shares() -> None:
    feats, _ = measure(prepare("Prices rose 12 per cent to 450 rupees in 2024."),
                       prepare("In 2024 prices went up to 450 rupees, and 3 shops closed."))
    assert feats["figures"] == pytest.approx(2 / 3)
    assert measure(prepare("no numbers"), prepare("none here either"))[0]["figures"] == 0.0


def test_tiles_take_each_token_once() -> None:
    a = tokens("one two three four five six seven")
    b = tokens("five six seven one two three four one two three four")
    tiles = tile(a, b, min_len=3)
    assert sorted(t.words for t in tiles) == [3, 4]


def test_lsh_finds_the_near_duplicate_only() -> None:
    index = ReuseIndex(threshold=0.3)
    index.add("agency", AGENCY)
    index.add("other", OTHER)
    copy = AGENCY.replace("Monday", "Tuesday")
    assert index.candidates(copy) == ["agency"]
    assert [k for k, _ in index.sources_of(copy)] == ["agency"]
    assert set(band_keys(copy)) & set(band_keys(AGENCY))
    assert not set(band_keys(OTHER)) & set(band_keys(AGENCY))


def test_shipped_model_names_its_source_licence_and_known_features() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "COUNTER" in data["_source"] and "CC BY-NC-SA 4.0" in data["_licence"]
    assert (MODEL_PATH.parent / data["_card"]).is_file()
    model = load_model()
    assert model.derived.features == CANDIDATES[data["trained"]["derived_set"]]
    assert model.wholly.features == WHOLLY_FEATURES
    assert set(model.derived.features) | set(WHOLLY_FEATURES) <= set(FEATURES) | set(EXTRA_FEATURES)
    assert all(set(feats) <= set(FEATURES) | set(EXTRA_FEATURES) for feats in CANDIDATES.values())
    assert model.derived.weights[0] > 0  # more of the text found in the source: more likely derived


@pytest.mark.parametrize("body", ["not json", json.dumps({"derived": {}}),
                                  json.dumps({"derived": {"features": ["chars"], "mean": [0], "scale": [0],
                                                          "weights": [1], "bias": 0}, "wholly": {}})])
def test_a_broken_model_file_is_a_model_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(path)


def test_logistic_fit_separates_a_simple_rule_and_cv_scores_it() -> None:
    rows = [{"chars": i / 40, "source_tiled": 0.5, "figures": (i % 3) / 2, "longest": i / 80,
             "stems": i / 40, "aligned": 0.5, "tiled": i / 40} for i in range(40)]
    golds = ["none" if i < 14 else "partly" if i < 30 else "wholly" for i in range(40)]
    model = fit_model(rows, golds)
    assert [model.label(r)[0] for r in rows] == golds
    cv = cross_validate(rows, golds, k=5, reps=2)
    assert cv["derived_accuracy"] >= 0.9 and cv["folds"] == 5
    with pytest.raises(InputError):
        cross_validate(rows, golds, k=1)
    one = fit_logistic(rows, [int(g != "none") for g in golds], ("chars",))
    assert one.probability({"chars": 0.95}) > 0.8 > 0.2 > one.probability({"chars": 0.05})


def test_folds_are_stratified() -> None:
    golds = ["wholly"] * 10 + ["partly"] * 20 + ["none"] * 10
    fold = folds(golds, 5, seed=1)
    for f in range(5):
        held = [g for g, x in zip(golds, fold) if x == f]
        assert (held.count("wholly"), held.count("partly"), held.count("none")) == (2, 4, 2)


def test_score_counts_derived_accuracy_and_macro_f1() -> None:
    data = score(["wholly", "partly", "none", "none"], ["partly", "partly", "none", "wholly"])
    assert data["derived_accuracy"] == 0.75
    assert data["f1"] == {"wholly": 0.0, "partly": pytest.approx(0.6667, abs=1e-4), "none": pytest.approx(0.6667, abs=1e-4)}
    assert data["confusion"]["none"]["wholly"] == 1


@pytest.mark.slow
def test_counter_dev_meets_the_floors_in_sample_and_cross_validated(shared: Path) -> None:
    folder = shared / "data" / "reuse" / "ur" / "counter-dev"
    data = run(folder, 10, 3, nested=False)
    assert data["pairs"] == 300
    assert data["derived_accuracy"] >= FLOORS["reuse_counter_derived_accuracy"]
    assert data["macro_f1"] >= FLOORS["reuse_counter_macro_f1"]
    cv = data["cross_validated"]
    assert cv["derived_accuracy"] >= FLOORS["reuse_counter_cv_derived_accuracy"]
    assert cv["macro_f1"] >= FLOORS["reuse_counter_cv_macro_f1"]
    base = data["baselines"]
    assert cv["derived_accuracy"] > base["majority"]["derived_accuracy"]
    assert cv["derived_accuracy"] >= base["chars_only"]["derived_accuracy"]


def test_more_features_are_shares_and_identical_texts_score_one() -> None:
    src, der = prepare(AGENCY), prepare(REWRITE)
    feats = measure_more(src, der, measure(src, der)[0])
    assert set(feats) == set(FEATURES) | set(EXTRA_FEATURES)
    assert all(0.0 <= v <= 1.0 for v in feats.values())
    assert feats["words5"] > 0 and feats["source_words5"] > 0 and feats["tiled8"] > 0
    same = measure_more(src, src, measure(src, src)[0])
    for name in ("chars6", "source_chars", "length_ratio", "tiled2", "source_tiled5", "words5", "content2", "aligned7"):
        assert same[name] == pytest.approx(1.0), name
    other = prepare(OTHER)
    assert measure_more(src, other, measure(src, other)[0])["words3"] == 0.0


def test_a_model_reading_extra_features_gets_them_in_compare() -> None:
    rows = [{**measure_more(prepare(a), prepare(b), measure(prepare(a), prepare(b))[0])}
            for a, b in ((AGENCY, AGENCY), (AGENCY, REWRITE), (AGENCY, OTHER), (OTHER, OTHER), (OTHER, AGENCY),
                         (REWRITE, REWRITE))]
    golds = ["wholly", "partly", "none", "wholly", "none", "wholly"]
    model = fit_model(rows, golds, derived_features=("chars6", "words2"))
    assert isinstance(model, ReuseModel)
    found = compare(AGENCY, REWRITE, model)
    assert "chars6" in found.features and found.derived
    assert compare(AGENCY, OTHER, model).label == "none"


def _pairs(texts: list[str]) -> list[Pair]:
    return [Pair(f"{i:04d}", t, t, "none") for i, t in enumerate(texts)]


def test_near_duplicate_sources_share_a_group_and_folds_keep_groups_whole() -> None:
    texts = [AGENCY, AGENCY.replace("Monday", "Tuesday"), OTHER, REWRITE]
    groups = source_groups(_pairs(texts))
    assert groups[0] == groups[1] and len({groups[0], groups[2], groups[3]}) == 3
    golds = ["wholly", "partly", "none"] * 10
    grp = [i // 3 for i in range(30)]  # ten groups of three
    for seed in range(3):
        fold = folds(golds, 5, seed, grp)
        assert all(len({fold[i] for i in range(30) if grp[i] == g}) == 1 for g in range(10))
        assert sorted(fold.count(f) for f in range(5)) == [6] * 5
    assert folds(golds, 5, 4, grp) == folds(golds, 5, 4, grp)  # seeded


def _toy() -> tuple[list[dict[str, float]], list[str]]:
    names = set(FEATURES) | set(EXTRA_FEATURES)
    rows = []
    for i in range(60):
        row = {n: ((i * 7 + len(n)) % 11) / 10 for n in names}  # noise
        row["chars"] = i / 60
        row["stems"] = row["aligned"] = row["tiled"] = i / 60
        rows.append(row)
    golds = ["none" if i < 20 else "partly" if i < 45 else "wholly" for i in range(60)]
    return rows, golds


def test_selection_and_nested_cross_validation_on_a_simple_rule() -> None:
    rows, golds = _toy()
    groups = [i // 2 for i in range(60)]
    best, figures = select(rows, golds, groups, k=5, reps=1)
    assert set(figures) == set(CANDIDATES) and figures[best] == max(figures.values())
    assert figures["chars"] >= 0.95
    nested = nested_cross_validate(rows, golds, groups, k=5, reps=1)
    assert nested["derived_accuracy"] >= 0.9 and sum(nested["chosen"].values()) == 5
    base = baselines(golds, rows, groups, 5, 1)
    assert base["majority"]["derived_accuracy"] == pytest.approx(40 / 60, abs=1e-4)
    assert base["chars_only"]["derived_accuracy"] >= 0.95
