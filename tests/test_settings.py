"""Settings: defaults, file, environment, overrides, validation."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import ConfigError
from khabar.settings import Settings, load_settings


def test_defaults_are_valid(monkeypatch) -> None:
    monkeypatch.delenv("KHABAR_SETTINGS", raising=False)
    s = load_settings()
    assert s == Settings().check()


def test_file_then_env_then_override(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[khabar]\nmax_bytes = 1000\nfetch_timeout = 3\nlanguages = ["ur", "en"]\n', encoding="utf-8")
    monkeypatch.setenv("KHABAR_FETCH_TIMEOUT", "4.5")
    s = load_settings(f, respect_robots=False)
    assert s.max_bytes == 1000
    assert s.fetch_timeout == 4.5
    assert s.languages == ("ur", "en")
    assert s.respect_robots is False


@pytest.mark.parametrize(
    "content, message",
    [
        ("max_bytes = -1\n", "max_bytes must be positive"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("max_bytes = 'lots'\n", "wrong value"),
        ("languages = ['xx']\n", "unsupported languages"),
        ("this is = not toml", "not valid TOML"),
    ],
)
def test_bad_settings_file(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(f)


def test_bad_env_value(monkeypatch) -> None:
    monkeypatch.setenv("KHABAR_RESPECT_ROBOTS", "perhaps")
    with pytest.raises(ConfigError, match="respect_robots"):
        load_settings()


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings("/nonexistent/khabar.toml")
