"""Collects the ``khabar eval`` subcommands from the evaluation modules, listed explicitly."""
from __future__ import annotations

import importlib

import click

# One line per evaluation module; each exposes ``command``.
MODULES = ["extraction", "dates", "quotes", "models", "petrarch", "plover", "linking", "reuse"]


def register(group: click.Group) -> None:
    """Add every evaluation module's command to ``group``; a module not yet present is skipped."""
    for name in MODULES:
        try:
            mod = importlib.import_module(f"khabar.evaluate.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"khabar.evaluate.{name}":
                continue
            raise
        group.add_command(mod.command, name=name)
