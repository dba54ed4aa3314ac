"""Every error khabar raises, in one tree.

    KhabarError                      base; every message carries a code "K<nnn>"
    ├── InputError          K1xx     the bytes we were given cannot be read as an article
    │   ├── EmptyInput      K101
    │   ├── BinaryInput     K102
    │   ├── EncodingError   K103
    │   ├── TooLarge        K104
    │   ├── NotFound        K105     no such file or folder
    │   └── MalformedInput  K106     broken WARC record, feed or sitemap
    ├── FetchError          K2xx     the network did not give us the page
    │   ├── HTTPStatusError K201
    │   ├── FetchTimeout    K202
    │   ├── BadContentType  K203
    │   ├── RobotsDisallowed K204
    │   └── UnsafeURL       K205     scheme or address we refuse to fetch
    ├── ExtractionError     K3xx     the page is readable but holds no article
    │   └── NoArticle       K301
    ├── StoreError          K4xx     storage failed or is incompatible
    ├── ConfigError         K5xx     settings file or value is wrong
    ├── ModelError          K6xx     a shipped model or language pack is missing or corrupt
    └── PipelineError       K7xx     stages are wired wrongly (a declared input nobody assigns)

Library code raises these; only the CLI and HTTP layers turn them into one-line messages.
"""
from __future__ import annotations


class KhabarError(Exception):
    """Base of all khabar errors: ``code`` is stable and searchable, ``message`` one line."""

    code = "K000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.message = _shown(" ".join(str(message).split()), limit=2000)
        self.source = source
        super().__init__(self.message)

    def one_line(self) -> str:
        """The message a user sees: ``[K101] input.txt: the file is empty``."""
        where = f"{_shown(self.source)}: " if self.source else ""
        return f"[{self.code}] {where}{self.message}"

    def __str__(self) -> str:
        return self.one_line()


def _shown(source: str, limit: int = 300) -> str:
    """A source as it may appear in a one-line message: control characters (a URL with CR LF, a
    file name with an escape sequence) escaped, very long names shortened."""
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(source))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InputError(KhabarError):
    """The input cannot be read as an article."""

    code = "K100"


class EmptyInput(InputError):
    """The input holds no bytes or only white space."""

    code = "K101"


class BinaryInput(InputError):
    """The input is a binary file (image, archive, executable), not text or HTML."""

    code = "K102"


class EncodingError(InputError):
    """The bytes cannot be decoded as text in any encoding we recognise."""

    code = "K103"


class TooLarge(InputError):
    """The input is larger than the configured size cap."""

    code = "K104"


class NotFound(InputError):
    """A named file or folder does not exist."""

    code = "K105"


class MalformedInput(InputError):
    """A container (WARC, feed, sitemap) is broken."""

    code = "K106"


class FetchError(KhabarError):
    """A URL could not be fetched."""

    code = "K200"


class HTTPStatusError(FetchError):
    """The server answered with a non-success status."""

    code = "K201"


class FetchTimeout(FetchError):
    """The server did not answer within the configured time."""

    code = "K202"


class BadContentType(FetchError):
    """The server sent something that is not HTML, text, a feed or a sitemap."""

    code = "K203"


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids fetching this URL."""

    code = "K204"


class UnsafeURL(FetchError):
    """The URL's scheme or address is one khabar refuses to fetch."""

    code = "K205"


class ExtractionError(KhabarError):
    """The document was read but no article could be extracted."""

    code = "K300"


class NoArticle(ExtractionError):
    """The page holds no article text (navigation only, boilerplate, too short)."""

    code = "K301"


class StoreError(KhabarError):
    """The store failed or is incompatible with this version."""

    code = "K400"


class ConfigError(KhabarError):
    """A setting is missing or has a wrong value."""

    code = "K500"


class ModelError(KhabarError):
    """A shipped model or language pack is missing or corrupt."""

    code = "K600"


class PipelineError(KhabarError):
    """The stages are wired wrongly."""

    code = "K700"
