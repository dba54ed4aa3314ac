"""Publication time: candidates from many places, one ISO 8601 value with an offset.

A candidate (``When``) is a date or a datetime with where it came from. ``render`` turns it into
the article's ``published`` string: a stated offset is kept; a local time gets the time zone of the
country-code domain of the URL it was read from or of the article's URL, else of the outlet's
country (``timezones.json``), else the configured default; a date without a time stays a date (``2024-11-29``, granularity ``day``).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

RULE = "extract.published@1"
ZONES_FILE = Path(__file__).resolve().parent / "timezones.json"
OLDEST_YEAR = 1990

_TIMESTAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{0,3})(?!\d)")
_SLASHED = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/|$|[-_.])")
_DASHED = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_](\d{2})[-_](\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class When:
    """A candidate publication time: a date or a (naive or aware) datetime, and its evidence."""

    value: dt.date
    source: str
    start: int | None = None
    end: int | None = None
    detail: str = ""

    @property
    def granularity(self) -> str:
        """``time`` for a datetime, ``day`` for a date."""
        return "time" if isinstance(self.value, dt.datetime) else "day"


def _plausible(value: dt.date, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.timezone.utc)
    day = value.date() if isinstance(value, dt.datetime) else value
    return OLDEST_YEAR <= day.year and day <= (now + dt.timedelta(days=1)).date()


def parse_when(value: Any) -> dt.date | None:
    """An ISO 8601 string, an RFC 2822 string (HTTP, feeds), a date or a datetime; else None."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if len(text) == 10 and _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    m = _ISO_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def from_url(url: str | None) -> tuple[dt.date, str] | None:
    """A date or timestamp in a URL's path: a 14-17 digit timestamp id (YYYYMMDDhhmmss plus
    optional milliseconds), ``/2024/11/29/``, ``2024-11-29``, ``/20241129/``. Returns (value, kind)."""
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    for m in _TIMESTAMP.finditer(path):
        try:
            value = dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            continue
        if _plausible(value):
            return value, "timestamp"
    for pattern, kind in ((_SLASHED, "slashed"), (_DASHED, "dashed"), (_COMPACT, "compact")):
        for m in pattern.finditer(path):
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
            if _plausible(day):
                return day, kind
    return None


@functools.lru_cache(maxsize=1)
def _zones() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ZONES_FILE.read_text(encoding="utf-8"))
    return data


def zone_for(hosts: list[str | None], country: str | None, default: str) -> tuple[str, str]:
    """The time zone for local times: the first host with a country-code domain we know, else the
    outlet's ``country``, else ``default``. Returns (zone name, how it was chosen)."""
    zones = _zones()
    for host in hosts:
        if not host:
            continue
        tld = host.rsplit(".", 1)[-1].lower()
        code = zones["tld_countries"].get(tld, tld.upper())
        if len(tld) == 2 and code in zones["countries"]:
            return zones["countries"][code], f"tld=.{tld}"
    if country and country.upper() in zones["countries"]:
        return zones["countries"][country.upper()], f"outlet-country={country.upper()}"
    return default, "default"


def render(when: When, zone: str) -> str:
    """ISO 8601 text of a candidate: a date stays a date; a naive time is placed in ``zone``."""
    value = when.value
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:
        try:
            value = value.replace(tzinfo=ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            value = value.replace(tzinfo=dt.timezone.utc)
    return value.replace(microsecond=0).isoformat()


def first_plausible(candidates: list[When | None]) -> When | None:
    """The first candidate (in priority order) that is neither missing nor implausible."""
    for cand in candidates:
        if cand is not None and _plausible(cand.value):
            return cand
    return None
