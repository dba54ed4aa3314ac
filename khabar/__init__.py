"""khabar: news in the languages it is written in, turned into facts you can check.

The Python API::

    import khabar
    art = khabar.process_text(open("article.txt", encoding="utf-8").read())
    art.language, art.outlet, art.published, [q.speaker for q in art.quotes]

See docs/architecture.md for the stages and docs/json.md for the JSON shape. Heavy parts
(extraction, models) load on first use, so ``import khabar`` stays cheap.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "process_text": "khabar.jobs",
    "process_html": "khabar.jobs",
    "run_inputs": "khabar.jobs",
    "Article": "khabar.model",
    "Settings": "khabar.settings",
    "load_settings": "khabar.settings",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'khabar' has no attribute {name!r}")


__all__ = ["Article", "Settings", "load_settings", "process_text", "process_html", "run_inputs", "__version__"]
