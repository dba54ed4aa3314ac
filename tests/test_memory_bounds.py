"""Memory of a long-running process stays bounded as it reads new articles (issue 10).

Two causes of growth were measured in ``khabar serve``: the write pipeline ran on whichever request
thread took the request (glibc keeps a high-water mark per thread arena), and spaCy's vocabulary
kept every new token string. These tests fail if either comes back.
"""
from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from khabar.api.service import Service, Submission
from khabar.model import Article
from khabar.pipeline import Context, Pipeline, stage
from khabar.settings import Settings
from khabar.stages import analyse
from khabar.stages.langid import LANGID
from khabar.stages.normalise import NORMALISE
from khabar.stages.segment import SEGMENT
from khabar.store import MemoryStore

SYLLABLES = ["ka", "ro", "ben", "tal", "mir", "sa", "don", "ve", "lin", "tor", "pa", "gu", "shen", "dra", "fen", "qu"]


def made_up_article(rng: random.Random) -> str:
    """An English-looking article of words nobody has written before (new strings for spaCy)."""
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5)))

    sents = [f"{word().title()} {word().title()} told reporters in {word().title()} that the {word()} "
             f"of {rng.randint(10, 9999)} {word()}s would reach the {word()} on Monday." for _ in range(12)]
    return f"{word().title()} {word().title()} report\n\n" + " ".join(sents) + "\n"


def test_submissions_run_on_one_thread_whatever_thread_takes_them() -> None:
    seen: set[str] = set()

    @stage("record_thread", "1", requires=set(), assigns=set())
    def RECORD(article: Article, ctx: Context) -> None:
        seen.add(threading.current_thread().name)

    service = Service(Settings(), MemoryStore(), pipeline=Pipeline([LANGID, RECORD], Settings()))
    rng = random.Random(3)
    texts = [made_up_article(rng) for _ in range(12)]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda t: service.submit(Submission(text=t)), texts))
    assert {r["stored"] for r in results} == {"added"} and service.store.count() == 12
    assert len(seen) == 1 and next(iter(seen)).startswith("khabar-pipeline")


@pytest.mark.slow
def test_analyse_vocabulary_is_bounded_and_output_unchanged_by_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    if analyse.model_for("en", Context(Settings())) is None:
        pytest.skip("no English model")
    monkeypatch.setattr(analyse, "MAX_NEW_STRINGS", 400)
    pipe = Pipeline([LANGID, NORMALISE, SEGMENT, analyse.ANALYSE], Settings())
    rng = random.Random(11)
    first = made_up_article(rng)

    def tokens(text: str) -> list[dict]:
        art = pipe.process(Article(text=text, source="t.txt", title=text.split("\n")[0]))
        assert not art.errors and art.tokens
        return [t.__dict__ for t in art.tokens]

    before = tokens(first)
    models = set()
    for _ in range(15):
        tokens(made_up_article(rng))
        model = pipe.ctx.cache["analyse.model.en"] if "analyse.model.en" in pipe.ctx.cache else None
        if model is not None:
            models.add(id(model))
            assert model.grown <= 400 + 1000  # at most one article's new strings over the limit
        names = [v for k, v in pipe.ctx.cache.items() if k.startswith("analyse.strings.")]
        assert all(len(n) <= 400 + model.base_strings + 1000 for n in names) if model else True
    assert len(models) >= 2  # the model was reloaded at least once
    assert tokens(first) == before  # a reloaded model analyses the same text the same way
