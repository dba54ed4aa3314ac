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
    stored: str | None = None  # added, updated, unchanged, skipped (already stored, not processed again)
    error: KhabarError | None = None


@dataclass
class Summary:
    """Counts for a whole run."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Inputs that became stored articles."""
        return self.added + self.updated + self.unchanged + self.skipped

    def count(self, out: Outcome) -> None:
        """Add one outcome to the counts."""
        if out.error is not None:
            self.failed += 1
            self.failures.append(out)
        elif out.stored == "added":
            self.added += 1
        elif out.stored == "updated":
            self.updated += 1
        elif out.stored == "skipped":
            self.skipped += 1
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


def extract_document(raw: RawDocument, settings: Settings) -> Article:
    """Extract an article from one raw document, with the digest of its bytes (no stages run)."""
    article = extract(raw, settings)
    article.input_digest = hashlib.sha256(raw.data).hexdigest()
    return article


def process_document(raw: RawDocument, pipeline: Pipeline) -> Article:
    """Extract an article from one raw document and run the pipeline's stages on it."""
    return pipeline.process(extract_document(raw, pipeline.ctx.settings))


def stored_copy(store: Store, article: Article, pipeline: Pipeline) -> Article | None:
    """The stored article made from the same input bytes by the same stage versions, if any:
    processing ``article`` again would give it back, so a rerun may skip it. A stage that failed
    on it counts as run (it fails again on the same bytes); a stage added or changed since does not."""
    doc = store.get(article.id)
    if doc is None or not article.input_digest or doc.get("input_digest") != article.input_digest:
        return None
    ran = doc.get("stages") or {}
    failed = {e.get("stage") for e in doc.get("errors") or [] if isinstance(e, dict)}
    if any(ran.get(st.name) != st.version and st.name not in failed for st in pipeline.stages):
        return None
    return Article.from_dict(doc)


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


def _process_one(raw: RawDocument, store: Store | None, pipeline: Pipeline, skip_stored: bool) -> Outcome:
    """Extract, process, store and place one document; with ``skip_stored``, an input already
    stored from the same bytes by the same stages is not processed again (only its story placement
    is mended, as for an unchanged article)."""
    art = extract_document(raw, pipeline.ctx.settings)
    if skip_stored and store is not None:
        kept = stored_copy(store, art, pipeline)
        if kept is not None:
            _place_in_story(store, kept, "unchanged")
            return Outcome(raw.source, article=kept, stored="skipped")
    art = pipeline.process(art)
    stored = store.put(art) if store is not None else None
    if store is not None:
        _place_in_story(store, art, stored)
    return Outcome(raw.source, article=art, stored=stored)


def run_documents(
    docs: Iterable[RawDocument | Failure],
    store: Store | None,
    pipeline: Pipeline,
    on_outcome: Callable[[Outcome], None] | None = None,
    skip_stored: bool = False,
) -> Summary:
    """Process and store a stream of documents; failures are counted, never raised. With
    ``skip_stored``, inputs whose bytes are already stored (by the same stages) are skipped."""
    summary = Summary()
    for item in docs:
        if isinstance(item, Failure):
            out = Outcome(item.source, error=_as_error(item.error, item.source))
        else:
            try:
                out = _process_one(item, store, pipeline, skip_stored)
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
    reprocess: bool = False,
) -> Summary:
    """``khabar run``: read every input (file, folder, ``-``, URL, feed, sitemap, WARC), extract,
    analyse and store each article. An input whose bytes are already stored is skipped (a rerun
    does not redo finished work) unless ``reprocess`` is set."""
    from .ingest import iter_documents

    pipe = pipeline or default_pipeline(settings)
    return run_documents(iter_documents(list(inputs), settings), store, pipe, on_outcome,
                         skip_stored=not reprocess)
