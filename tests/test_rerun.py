"""A rerun of ``khabar run`` skips inputs already stored from the same bytes (issue 10)."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.jobs import Outcome, run_inputs
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.stages.langid import LANGID
from khabar.stages.normalise import NORMALISE
from khabar.stages.segment import SEGMENT
from khabar.store import open_store

TEXTS = {
    "a.txt": "Ferry terminal opens\n\nThe harbour council opened a ferry terminal on Tuesday after two years of work, and the first ships docked there the same evening.\n",
    "b.txt": "Bridge repairs begin\n\nRoad crews started repairing the old river bridge this week, officials said, and traffic will use the new road until the spring.\n",
    "c.txt": "سڑک کی مرمت شروع\n\nشہر کی انتظامیہ نے پیر کو پرانی سڑک کی مرمت کا کام شروع کر دیا۔ حکام کے مطابق یہ کام دو ماہ میں مکمل ہو گا اور اس دوران ٹریفک متبادل راستے سے گزرے گی۔\n",
}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name, text in TEXTS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


class Counting:
    """Wraps a pipeline's stages to count how many articles they processed."""

    def __init__(self) -> None:
        self.seen = 0
        self.pipeline = Pipeline([LANGID, NORMALISE, SEGMENT], Settings())
        inner = self.pipeline.process

        def process(article):  # type: ignore[no-untyped-def]
            self.seen += 1
            return inner(article)

        self.pipeline.process = process  # type: ignore[method-assign]


def _run(folder: Path, db: Path, reprocess: bool = False) -> tuple[object, int, list[Outcome]]:
    counter, outs = Counting(), []
    store = open_store(str(db))
    try:
        summary = run_inputs([str(folder)], store, Settings(), on_outcome=outs.append,
                             pipeline=counter.pipeline, reprocess=reprocess)
    finally:
        store.close()
    return summary, counter.seen, outs


def test_rerun_skips_stored_inputs_and_processes_new_or_changed_ones(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    first, seen, _ = _run(folder, db)
    assert (first.added, first.skipped, seen) == (3, 0, 3)
    again, seen, outs = _run(folder, db)
    assert (again.added, again.unchanged, again.skipped, seen) == (0, 0, 3, 0)
    assert all(o.stored == "skipped" and o.article is not None and o.article.language for o in outs)
    (folder / "b.txt").write_text(TEXTS["b.txt"] + "The work will take a month.\n", encoding="utf-8")
    (folder / "d.txt").write_text("Market reopens\n\nThe old market reopened on Friday after a fire closed it for three weeks, traders and city officials said.\n", encoding="utf-8")
    third, seen, _ = _run(folder, db)
    assert (third.added, third.skipped, seen) == (2, 2, 2)  # changed bytes are a new article (new id)
    forced, seen, _ = _run(folder, db, reprocess=True)
    assert (forced.added, forced.unchanged, forced.skipped, seen) == (0, 4, 0, 4)
    store = open_store(str(db))
    assert store.count() == 5  # the old b.txt stays stored
    store.close()


def test_rerun_reprocesses_when_a_stage_changed(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    _run(folder, db)
    changed = Counting()
    changed.pipeline.stages[-1] = type(SEGMENT)(SEGMENT.name, SEGMENT.version + "-next", SEGMENT.func,
                                                SEGMENT.requires, SEGMENT.assigns)
    store = open_store(str(db))
    summary = run_inputs([str(folder)], store, Settings(), pipeline=changed.pipeline)
    assert (summary.updated, summary.skipped, changed.seen) == (3, 0, 3)
    assert {d["stages"]["segment"] for d in store.iter_docs()} == {SEGMENT.version + "-next"}
    store.close()


def test_skipped_article_without_a_story_is_placed(folder: Path, tmp_path: Path) -> None:
    # a run killed between storing an article and placing it in a story is mended by the rerun
    db = tmp_path / "k.db"
    _run(folder, db)
    store = open_store(str(db))
    store._execute("DELETE FROM story_members")
    assert all(store.story_of(d["id"]) is None for d in store.iter_docs())
    store.close()
    again, seen, _ = _run(folder, db)
    assert (again.skipped, seen) == (3, 0)
    store = open_store(str(db))
    assert all(store.story_of(d["id"]) is not None for d in store.iter_docs())
    store.close()
