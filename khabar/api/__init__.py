"""The HTTP API and web UI (``khabar serve``): ``create_app(settings, store_url)``."""
from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    """Build the FastAPI app (see ``khabar.api.app.create_app``); imported lazily."""
    from .app import create_app as build

    return build(*args, **kwargs)


__all__ = ["create_app"]
