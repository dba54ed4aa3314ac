"""khabar: news in the languages it is written in, turned into facts you can check.

The Python API::

    import khabar
    art = khabar.process_text(open("article.txt", encoding="utf-8").read())
    art.language, art.outlet, art.published, [q.speaker for q in art.quotes]

See docs/architecture.md for the stages and docs/json.md for the JSON shape.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .jobs import process_html, process_text, run_inputs  # noqa: E402
from .model import Article  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402

__all__ = ["Article", "Settings", "load_settings", "process_text", "process_html", "run_inputs", "__version__"]
