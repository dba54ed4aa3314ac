"""The pipeline checks its wiring when built and survives failing stages."""
from __future__ import annotations

import pytest

from khabar.errors import NoArticle, PipelineError
from khabar.model import Article
from khabar.pipeline import Context, Pipeline, default_pipeline, stage


@stage("upper", "1", requires={"text"}, assigns={"title"})
def upper(article: Article, ctx: Context) -> None:
    article.title = article.text.upper()


@stage("needs_quotes", "1", requires={"quotes"}, assigns=set())
def needs_quotes(article: Article, ctx: Context) -> None:
    pass


@stage("boom", "2", requires={"text"}, assigns=set())
def boom(article: Article, ctx: Context) -> None:
    raise ZeroDivisionError("bad luck")


@stage("typed_boom", "1", requires={"text"}, assigns=set())
def typed_boom(article: Article, ctx: Context) -> None:
    raise NoArticle("nothing here")


def test_runs_in_order_and_records_versions() -> None:
    art = Pipeline([upper]).process(Article(text="abc"))
    assert art.title == "ABC"
    assert art.stages == {"upper": "1"}
    assert art.status == "ok"


def test_missing_input_is_caught_when_built() -> None:
    with pytest.raises(PipelineError, match="requires \\['quotes'\\]"):
        Pipeline([upper, needs_quotes])


def test_duplicate_stage_rejected() -> None:
    with pytest.raises(PipelineError, match="twice"):
        Pipeline([upper, upper])


def test_failing_stage_is_recorded_and_later_stages_run() -> None:
    art = Pipeline([boom, typed_boom, upper]).process(Article(text="x"))
    assert art.title == "X"
    assert [e["stage"] for e in art.errors] == ["boom", "typed_boom"]
    assert art.errors[0]["code"] == "K999" and "ZeroDivisionError" in art.errors[0]["message"]
    assert art.errors[1]["code"] == NoArticle.code
    assert art.status == "partial"
    assert "boom" not in art.stages


def test_default_pipeline_is_well_formed() -> None:
    pipe = default_pipeline()
    assert pipe.names[:2] == ["langid", "normalise"]
