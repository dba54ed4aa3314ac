"""The extraction quality gate on a sample of the shared benchmarks: ours against the baselines,
both computed in the same run on the same pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.evaluate.extraction import aggregate, body_benchmark, date_benchmark, shingle_score

SAMPLE = 30


def test_shingle_scorer() -> None:
    assert shingle_score("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_score("one two three four five six", "one two three four")
    assert fp == 0 and tp > 0 and fn > 0
    assert aggregate([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]) == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


@pytest.mark.slow
@pytest.mark.shared
def test_body_f1_not_below_trafilatura(shared: Path) -> None:
    result = body_benchmark(shared, SAMPLE)
    assert result["pages"] == SAMPLE
    assert result["khabar"]["f1"] >= result["trafilatura"]["f1"] - 0.01, result


@pytest.mark.slow
@pytest.mark.shared
def test_dates_not_below_htmldate(shared: Path) -> None:
    result = date_benchmark(shared, SAMPLE)
    assert result["pages"] == SAMPLE
    assert result["khabar"]["accuracy"] >= result["htmldate"]["accuracy"] - 0.01, result
