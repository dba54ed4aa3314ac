"""Shipped models carry no training-corpus words in their string table (khabar.train.prune)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from khabar.train.prune import STRINGS, analysis, prune, sample_texts

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted(p for p in (ROOT / "khabar" / "langs").glob("*/model") if (p / STRINGS).is_file())


@pytest.mark.parametrize("model_dir", MODELS, ids=lambda p: p.parent.name)
def test_shipped_string_table_holds_only_component_strings(model_dir: Path) -> None:
    strings = json.loads((model_dir / STRINGS).read_text(encoding="utf-8"))
    assert len(strings) < 2000, f"{model_dir}: {len(strings)} strings; run python -m khabar.train.prune {model_dir}"
    spacy = pytest.importorskip("spacy")
    from khabar.train.prune import component_strings

    assert set(strings) <= component_strings(spacy.load(model_dir))


@pytest.mark.slow
def test_pruning_leaves_the_analysis_unchanged(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    src = ROOT / "khabar" / "langs" / "en" / "model"
    model = tmp_path / "en"
    shutil.copytree(src, model)
    strings = model / STRINGS
    # put words back, as spaCy saves them after training, then prune again
    strings.write_text(json.dumps(json.loads(strings.read_text(encoding="utf-8")) + ["minister", "Pyongyang"]),
                       encoding="utf-8")
    texts = sample_texts(ROOT / "samples" / "en", limit=6)
    before = analysis(spacy.load(model), texts)
    count, kept = prune(model)
    assert kept == count - 2
    assert "minister" not in json.loads(strings.read_text(encoding="utf-8"))
    assert analysis(spacy.load(model), texts) == before
