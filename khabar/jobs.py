"""The main job as plain functions: inputs in, stored articles out.

``run_inputs`` is what ``khabar run`` calls; ``process_document`` and ``process_text`` are the
Python API for one document. Each input that fails becomes a ``Failure`` with a typed error; the
batch goes on and nothing already stored is touched.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .errors import KhabarError
from .extract import extract
from .model import Article, Failure, RawDocument
from .pipeline import Pipeline, default_pipeline
from .settings import Settings
from .store.base import Store

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What happened to one input: an article (and how it was stored) or a failure."""

    source: str
    article: Article | None = None
    stored: str | None = None  # added, updated, unchanged
    error: KhabarError | None = None


@dataclass
class Summary:
    """Counts for a whole run."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Inputs that became stored articles."""
        return self.added + self.updated + self.unchanged

    def count(self, out: Outcome) -> None:
        """Add one outcome to the counts."""
        if out.error is not None:
            self.failed += 1
            self.failures.append(out)
        elif out.stored == "added":
            self.added += 1
        elif out.stored == "updated":
            self.updated += 1
        else:
            self.unchanged += 1


def _as_error(err: BaseException, source: str) -> KhabarError:
    if isinstance(err, KhabarError):
        if err.source is None:
            err.source = source
        return err
    log.exception("unexpected error on %s", source)
    wrapped = KhabarError(f"internal error ({type(err).__name__}: {err})", source=source)
    return wrapped


def process_document(raw: RawDocument, pipeline: Pipeline) -> Article:
    """Extract an article from one raw document and run the pipeline's stages on it."""
    article = extract(raw, pipeline.ctx.settings)
    article.input_digest = hashlib.sha256(raw.data).hexdigest()
    return pipeline.process(article)


def process_text(text: str, *, url: str | None = None, settings: Settings | None = None,
                 pipeline: Pipeline | None = None) -> Article:
    """Python API: run khabar on a plain-text article (``text``) and return the Article."""
    pipe = pipeline or default_pipeline(settings)
    raw = RawDocument(source=url or "<text>", data=text.encode("utf-8"), url=url,
                      content_type="text/plain", charset="utf-8")
    return process_document(raw, pipe)


def process_html(html: str | bytes, *, url: str | None = None, settings: Settings | None = None,
                 pipeline: Pipeline | None = None) -> Article:
    """Python API: run khabar on an HTML page and return the Article."""
    pipe = pipeline or default_pipeline(settings)
    data = html.encode("utf-8") if isinstance(html, str) else html
    raw = RawDocument(source=url or "<html>", data=data, url=url, content_type="text/html",
                      charset="utf-8" if isinstance(html, str) else None)
    return process_document(raw, pipe)


def _place_in_story(store: Store, article: Article, stored: str | None) -> None:
    """Join the stored article to a story (or open one). Also done for an unchanged article that
    has no story yet, so a run killed between the two steps is mended by running it again."""
    from .stories.cluster import assign_story

    if stored != "unchanged" or store.story_of(article.id) is None:
        try:
            assign_story(store, article.to_dict())
        except Exception as err:  # the article is stored; `khabar stories --assign` retries
            log.warning("article %s stored but not placed in a story: %s", article.id, err)


def run_documents(
    docs: Iterable[RawDocument | Failure],
    store: Store | None,
    pipeline: Pipeline,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Process and store a stream of documents; failures are counted, never raised."""
    summary = Summary()
    for item in docs:
        if isinstance(item, Failure):
            out = Outcome(item.source, error=_as_error(item.error, item.source))
        else:
            try:
                art = process_document(item, pipeline)
                stored = store.put(art) if store is not None else None
                if store is not None:
                    _place_in_story(store, art, stored)
                out = Outcome(item.source, article=art, stored=stored)
            except Exception as err:  # each input fails alone
                out = Outcome(item.source, error=_as_error(err, item.source))
        summary.count(out)
        if on_outcome is not None:
            on_outcome(out)
    return summary


def run_inputs(
    inputs: Iterable[str],
    store: Store | None,
    settings: Settings,
    on_outcome: Callable[[Outcome], None] | None = None,
    pipeline: Pipeline | None = None,
) -> Summary:
    """``khabar run``: read every input (file, folder, ``-``, URL, feed, sitemap, WARC), extract,
    analyse and store each article."""
    from .ingest import iter_documents

    pipe = pipeline or default_pipeline(settings)
    return run_documents(iter_documents(list(inputs), settings), store, pipe, on_outcome)
