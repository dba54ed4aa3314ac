"""Docs are tested: every setting and every CLI command is documented."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from khabar.cli import cli
from khabar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(Settings) if f"| `{f.name}` |" not in doc]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_command_is_in_the_readme_with_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"khabar {name}" in readme, f"README does not show `khabar {name}`"
        assert "Example:" in (command.help or ""), f"`khabar {name} --help` has no Example:"


def test_every_json_field_is_documented() -> None:
    from khabar.model import Article

    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    fields = Article(text="x").to_dict().keys()
    missing = [k for k in fields if f"`{k}`" not in doc]
    assert not missing, f"JSON fields missing from docs/json.md: {missing}"
