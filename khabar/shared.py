"""Where the third-party data in ../shared lives (evaluation and training only, never shipped)."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError


def shared_dir(required: bool = True) -> Path | None:
    """``KHABAR_SHARED`` or ``../shared`` next to the current folder or the repository."""
    env = os.environ.get("KHABAR_SHARED")
    candidates = [Path(env)] if env else [Path.cwd().parent / "shared", Path(__file__).resolve().parents[2] / "shared"]
    for c in candidates:
        if (c / "data").is_dir():
            return c
    if required:
        raise ConfigError(
            "the shared data folder was not found: set KHABAR_SHARED to the folder holding data/ and seed/"
        )
    return None
