"""Run stages in order over articles.

A stage is a small function ``func(article, ctx)`` with a declared contract: the article fields it
``requires`` and the ones it ``assigns``. ``Pipeline`` checks the wiring once, when it is built,
and ``process`` records a stage's failure on the article instead of raising, so a batch of a
million articles finishes (spaCy's error handler, trafilatura's return-and-log).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .errors import KhabarError, PipelineError
from .model import Article
from .settings import Settings

log = logging.getLogger(__name__)

# What extraction fills in before any stage runs.
EXTRACTED = frozenset(
    {"text", "zones", "title", "url", "outlet", "published", "credits", "comment_count", "source_url"}
)


@dataclass
class Context:
    """What a stage may use besides the article: settings and a per-process cache of resources
    (language packs, loaded models), keyed by name. Stages never touch storage or the network."""

    settings: Settings
    cache: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """Return ``cache[key]``, building it once."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


@dataclass(frozen=True)
class Stage:
    """A named step with its contract. ``version`` is recorded on every article it processes."""

    name: str
    version: str
    func: Callable[[Article, Context], None]
    requires: frozenset[str] = frozenset()
    assigns: frozenset[str] = frozenset()

    @property
    def rule(self) -> str:
        """``name@version``: how records produced by this stage name their producer."""
        return f"{self.name}@{self.version}"


def stage(name: str, version: str, requires: Iterable[str], assigns: Iterable[str]) -> Callable[
    [Callable[[Article, Context], None]], Stage
]:
    """Wrap a function as a ``Stage``; used in each stage module, collected explicitly in
    ``khabar.stages.DEFAULT_STAGES`` (no registration by import side effects)."""

    def wrap(func: Callable[[Article, Context], None]) -> Stage:
        return Stage(name, version, func, frozenset(requires), frozenset(assigns))

    return wrap


class Pipeline:
    """An ordered list of stages whose contracts fit together."""

    def __init__(self, stages: Iterable[Stage], settings: Settings | None = None) -> None:
        self.stages = list(stages)
        self.ctx = Context(settings or Settings())
        self._check()

    def _check(self) -> None:
        available = set(EXTRACTED)
        seen: set[str] = set()
        for st in self.stages:
            if st.name in seen:
                raise PipelineError(f"stage {st.name!r} appears twice")
            seen.add(st.name)
            missing = st.requires - available
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {sorted(missing)} but no earlier stage assigns it"
                )
            available |= st.assigns

    @property
    def names(self) -> list[str]:
        """Names of the stages, in order."""
        return [s.name for s in self.stages]

    def process(self, article: Article) -> Article:
        """Run every stage on ``article``; a failing stage is recorded in ``article.errors``."""
        for st in self.stages:
            t0 = time.perf_counter()
            try:
                st.func(article, self.ctx)
                article.stages[st.name] = st.version
            except KhabarError as err:
                article.add_error(st.name, err)
            except Exception as err:  # a bug in a stage must not stop a batch
                log.exception("stage %s failed on %s", st.name, article.source)
                article.add_error(st.name, err)
            finally:
                self.ctx.timings[st.name] = self.ctx.timings.get(st.name, 0.0) + time.perf_counter() - t0
        if article.errors and article.status == "ok":
            article.status = "partial"
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Process a stream of articles lazily."""
        for art in articles:
            yield self.process(art)


def default_pipeline(settings: Settings | None = None) -> Pipeline:
    """The stages khabar runs by default, in order."""
    from .stages import DEFAULT_STAGES

    return Pipeline(DEFAULT_STAGES, settings)
