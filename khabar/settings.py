"""One ``Settings`` object: shipped defaults, a user file on top, environment on top of that.

Order (later wins): the defaults below; the TOML file named by ``KHABAR_SETTINGS``, else
``./khabar.toml`` if present; environment variables ``KHABAR_<NAME>`` (``KHABAR_MAX_BYTES=1000``);
explicit keyword overrides (the CLI's flags). Values are checked once, in ``Settings.check``.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

LANGUAGES = ("ur", "en", "vi", "ar", "fa", "hi", "ru")


@dataclass(frozen=True)
class Settings:
    """Every tunable of khabar. See docs/settings.md for each field."""

    db: str = "khabar.db"
    max_bytes: int = 20_000_000  # largest input file or response body we read
    fetch_timeout: float = 20.0  # seconds for connect + read of one response
    user_agent: str = "khabar/0.1 (news fact extraction; +https://pypi.org/project/khabar/)"
    rate_limit_per_host: float = 1.0  # most requests per second to one host
    respect_robots: bool = True
    allow_private_addresses: bool = False  # loopback/private hosts; tests and intranets only
    max_redirects: int = 5
    max_feed_items: int = 10_000
    max_sitemap_urls: int = 50_000
    languages: tuple[str, ...] = LANGUAGES
    min_body_chars: int = 80  # shorter extracted bodies are "not an article"
    default_timezone: str = "UTC"  # for local times with no offset and no hint
    api_token: str = ""  # bearer token for HTTP API writes; empty: writes are refused
    api_public_reads: bool = True  # reads open to anyone; false: reads need the token too
    api_max_body_bytes: int = 2_000_000  # largest HTTP request body accepted
    api_rate_per_minute: int = 300  # requests per minute from one client address; 0: no limit
    extra: dict[str, Any] = field(default_factory=dict)

    def check(self) -> "Settings":
        """Validate every value; raise ConfigError naming the first bad one."""
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.fetch_timeout <= 0:
            raise ConfigError(f"fetch_timeout must be positive, got {self.fetch_timeout}")
        if self.rate_limit_per_host <= 0:
            raise ConfigError(f"rate_limit_per_host must be positive, got {self.rate_limit_per_host}")
        if self.max_redirects < 0:
            raise ConfigError(f"max_redirects must be >= 0, got {self.max_redirects}")
        if self.api_max_body_bytes <= 0:
            raise ConfigError(f"api_max_body_bytes must be positive, got {self.api_max_body_bytes}")
        if self.api_rate_per_minute < 0:
            raise ConfigError(f"api_rate_per_minute must be >= 0, got {self.api_rate_per_minute}")
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown:
            raise ConfigError(f"unsupported languages {unknown}; khabar knows {list(LANGUAGES)}")
        return self

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some values changed (None values are ignored), checked."""
        kept = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **kept).check()


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                low = value.strip().lower()
                if low not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                    raise ValueError(value)
                return low in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        if isinstance(default, dict):
            return dict(value)
        return str(value)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"setting {name!r} has a wrong value {value!r}") from err


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Build the settings from defaults, the settings file, the environment and ``overrides``."""
    base = Settings()
    defaults = {f.name: getattr(base, f.name) for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    file = path or os.environ.get("KHABAR_SETTINGS") or ("khabar.toml" if Path("khabar.toml").is_file() else None)
    if file:
        try:
            with open(file, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError as err:
            raise ConfigError(f"settings file {file} does not exist") from err
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"settings file {file} is not valid TOML: {err}") from err
        data = data.get("khabar", data)
        for key, value in data.items():
            if key not in defaults:
                raise ConfigError(f"unknown setting {key!r} in {file}")
            values[key] = _coerce(key, value, defaults[key])
    for key, default in defaults.items():
        env = os.environ.get(f"KHABAR_{key.upper()}")
        if env is not None and key != "extra":
            values[key] = _coerce(key, env, default)
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in defaults:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, value, defaults[key])
    return dataclasses.replace(base, **values).check()
