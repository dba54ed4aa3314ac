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
