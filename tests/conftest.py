"""Shared fixtures: the ../shared data (skipped without it, required in CI), fixture folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"


def _shared() -> Path | None:
    env = os.environ.get("KHABAR_SHARED")
    path = Path(env) if env else ROOT.parent / "shared"
    return path if (path / "data").is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; skips the test when absent, fails it when CI is set."""
    path = _shared()
    if path is None:
        msg = "../shared not found (set KHABAR_SHARED to the folder holding data/ and seed/)"
        if os.environ.get("CI"):
            pytest.fail(msg + "; CI must have it")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    """The seed article, read in place."""
    return shared / "seed" / "000_62624821c93737bf.txt"


@pytest.fixture()
def memory_store():
    """An empty in-memory store."""
    from khabar.store import MemoryStore

    return MemoryStore()


# Hypothesis: few examples by default so the suite stays fast; `pytest --hypothesis-profile=long`
# runs many more (tests that pin max_examples in @settings keep their own count).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("default", max_examples=40, deadline=None)
_hypothesis_settings.register_profile("long", max_examples=2000, deadline=None)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
