"""Language packs: per-language data (word lists, patterns, models) behind one loader.

A pack is the folder ``khabar/langs/<code>/``. Stages never branch on a language code: they ask
the pack for data by topic (``pack("ur").json("dates")`` reads ``khabar/langs/ur/dates.json``) and
work the same way for every language. Adding a language adds a folder, not code in the stages.
Every data file names its source and licence (a ``_source`` key in JSON, a ``# source:`` line in
TSV).
"""
from __future__ import annotations

import csv
import functools
import json
from pathlib import Path
from typing import Any

from ..errors import ModelError

LANGS_DIR = Path(__file__).resolve().parent


class LangPack:
    """The data of one language, read lazily and cached."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.dir = LANGS_DIR / code

    @property
    def exists(self) -> bool:
        """Whether a folder for this language ships with khabar."""
        return self.dir.is_dir()

    def path(self, name: str) -> Path:
        """Path of a data file of this pack (which may not exist)."""
        return self.dir / name

    def has(self, name: str) -> bool:
        """Whether the pack has the data file ``name`` (with extension)."""
        return (self.dir / name).is_file()

    @functools.lru_cache(maxsize=None)
    def json(self, topic: str, default: Any = None) -> Any:
        """``<topic>.json`` parsed; ``default`` when the pack has no such file."""
        p = self.dir / f"{topic}.json"
        if not p.is_file():
            if default is not None:
                return default
            raise ModelError(f"language pack {self.code!r} has no {topic}.json", source=str(p))
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelError(f"language pack file is corrupt: {err}", source=str(p)) from err

    @functools.lru_cache(maxsize=None)
    def tsv(self, topic: str) -> list[list[str]]:
        """Rows of ``<topic>.tsv`` without comment (``#``) and blank lines; [] if absent."""
        p = self.dir / f"{topic}.tsv"
        if not p.is_file():
            return []
        with p.open(encoding="utf-8", newline="") as fh:
            return [row for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")]


@functools.lru_cache(maxsize=None)
def pack(code: str | None) -> LangPack:
    """The pack of language ``code`` (``und`` for unknown: an empty pack)."""
    return LangPack(code or "und")


def available() -> list[str]:
    """Codes of the languages that ship a pack."""
    return sorted(p.name for p in LANGS_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))
