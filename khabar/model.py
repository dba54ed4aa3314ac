"""The data model: one ``Article`` owns the text; every fact points into it by offsets.

``Article.text`` is the article's original text, exactly as decoded and extracted (not normalised).
Every record below carries ``start``/``end`` character offsets into that text and ``rule``, the
name and version of the rule or model that produced it (``"extract.dateline@1"``). A record never
copies text: its text is ``article.text[start:end]``, derived when the article is serialised.

Records are small frozen dataclasses. The article itself is a mutable container that the stages
fill in, in the spirit of spaCy's ``Doc``.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

SCHEMA_VERSION = 1

# Fields of Article.to_dict() that vary from run to run and must not make a re-run look new.
VOLATILE_FIELDS = ("fetched_at", "processed_at")


@dataclass(frozen=True)
class Span:
    """Base of every stand-off record: a character range in ``Article.text`` and its producer."""

    start: int
    end: int
    rule: str

    def text_of(self, text: str) -> str:
        """The characters this record points at."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class Zone(Span):
    """A region of the text with a role: title, dateline, body, caption, credit, source, ..."""

    kind: str = "body"


@dataclass(frozen=True)
class Credit(Span):
    """A credit line: ``role`` is photo, author, agency, source or translation."""

    role: str = "author"
    name: str = ""


@dataclass(frozen=True)
class MetaEvidence:
    """Where an article-level value (outlet, published, url, ...) came from.

    ``source`` says which kind of evidence (``url``, ``html-meta``, ``dateline``, ``source-line``,
    ``http-header``); ``start``/``end`` are offsets into ``Article.text`` where the value is read from
    the text itself, else None.
    """

    source: str
    rule: str
    start: int | None = None
    end: int | None = None
    detail: str | None = None  # e.g. "granularity=day; zone=Asia/Karachi (tld=.pk)"


@dataclass(frozen=True)
class Token(Span):
    """A token; ``sentence`` is the index of its sentence. The analyse stage adds syntax:
    ``lemma``, ``upos``, ``feats`` (UD features), ``head`` (index into ``Article.tokens``; a root
    points to itself) and ``dep`` (UD relation)."""

    sentence: int = 0
    lemma: str | None = None
    upos: str | None = None
    feats: str | None = None
    head: int | None = None
    dep: str | None = None


@dataclass(frozen=True)
class Sentence(Span):
    """A sentence; zone kind copied from the zone it lies in."""

    zone: str = "body"


@dataclass(frozen=True)
class Ref:
    """A pointer to a mention of a person, group or thing (a quote's speaker, an actor)."""

    name: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    cameo: str | None = None  # CAMEO actor code (state + sector: RUSMIL) where known


@dataclass(frozen=True)
class Quote(Span):
    """Reported speech. ``start``/``end`` cover the quoted words (without the quote marks)."""

    speaker: Ref | None = None
    verb: str | None = None
    verb_start: int | None = None
    verb_end: int | None = None
    direct: bool = True
    confidence: float = 1.0


@dataclass(frozen=True)
class DateRef(Span):
    """A date expression normalised against the article's time.

    ``value`` is ISO 8601 at the stated ``granularity``: ``2024-11-29`` (day), ``2024-06`` (month),
    ``2024`` (year), ``2024-W48`` (week), or a full timestamp (``time``).
    """

    value: str = ""
    granularity: str = "day"
    relative: bool = False


@dataclass(frozen=True)
class Amount(Span):
    """A number with its qualifier, unit and counted thing: "more than 10,000 troops"."""

    value: float = 0.0
    qualifier: str | None = None  # more_than, less_than, about, at_least, at_most, exactly, up_to
    unit: str | None = None
    object: str | None = None
    object_start: int | None = None
    object_end: int | None = None


@dataclass(frozen=True)
class Entity(Span):
    """A mention of a person, organisation, state or place, with whatever is known about it."""

    name: str = ""
    type: str = "MISC"  # PERSON, ORG, GPE (state), LOC (place), NORP (demonym), MEDIA, ...
    codes: dict[str, Any] = field(default_factory=dict, hash=False)
    role: str | dict[str, Any] | None = field(default=None, hash=False)  # the link stage: {title, country, since, ..., source}
    entity_id: str | None = None
    canonical_name: str | None = None
    kind: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Event(Span):
    """A coded event: who did what to whom, where and when (the events stage).

    ``start``/``end`` cover the predicate and its actors; ``evidence`` maps each part (predicate,
    source, target, place, date, sentence) to its ``[start, end]``. ``cameo`` is the full CAMEO
    code as a string (leading zeros kept); ``factuality`` is asserted, reported, alleged, denied,
    hypothetical or intended; ``claim_id`` links an event to the claim it asserts, denies or is.
    ``data`` holds negation, modality, tense and the matched pattern."""

    cameo: str = ""
    source: Ref | None = None
    target: Ref | None = None
    factuality: str = "asserted"
    data: dict[str, Any] = field(default_factory=dict, hash=False)
    id: str = ""
    cameo_root: str = ""
    plover: dict[str, str] | None = field(default=None, hash=False)
    quad_class: int | None = None
    goldstein: float | None = None
    place: Ref | None = None
    date: dict[str, Any] | None = field(default=None, hash=False)
    claim_id: str | None = None
    evidence: dict[str, list[int]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Claim(Span):
    """An allegation and who asserts, denies or confirms it (the claims stage).

    ``proposition`` is ``{start, end, events, amounts}``: the alleged clause with the events coded
    inside it (factuality alleged or denied, never asserted) and the amounts in it."""

    proposition: dict[str, Any] = field(default_factory=dict, hash=False)
    asserted_by: tuple[Ref, ...] = ()
    denied_by: tuple[Ref, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, hash=False)
    id: str = ""
    confirmed_by: tuple[Ref, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass
class NormText:
    """Normalised text with a map back to the original: ``to_orig[i]`` is the original offset where
    normalised character ``i`` starts; ``to_orig[len(text)]`` is the original length."""

    text: str
    to_orig: list[int]
    version: str = ""

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised range [start, end).

        Normalised character ``i`` stands for original characters ``to_orig[i]:to_orig[i+1]``, so
        the map is monotonic and a range maps to ``(to_orig[start], to_orig[end])``.
        """
        return self.to_orig[start], self.to_orig[end]


@dataclass
class Failure:
    """An input that could not become an article, with the reason."""

    source: str
    error: Exception


@dataclass
class RawDocument:
    """What ingest hands to extraction: bytes plus what is known about where they came from."""

    source: str  # a path, "-", a URL, or "file.warc.gz#record-7"
    data: bytes
    url: str | None = None
    content_type: str | None = None  # lower-case media type without parameters
    charset: str | None = None  # from HTTP headers or the container, if stated
    fetched_at: str | None = None  # ISO 8601
    headers: dict[str, str] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)  # e.g. feed entry title/date


@dataclass
class Article:
    """One news article: the text it owns and everything found in it."""

    text: str
    source: str = ""
    url: str | None = None
    format: str = "text"  # "text" or "html": what extraction read
    fetched_at: str | None = None
    input_digest: str | None = None  # sha256 of the input bytes, set by the job that read them
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 with offset
    published_source: str | None = None  # url, html-meta, dateline, http-header, feed, text
    language: str | None = None
    language_confidence: float | None = None
    script: str | None = None
    original_language: str | None = None
    original_language_reason: str | None = None
    source_url: str | None = None
    comment_count: int | None = None
    zones: list[Zone] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    evidence: dict[str, MetaEvidence] = field(default_factory=dict)
    norm: NormText | None = None
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> version that ran
    status: str = "ok"

    # ----- derived views -------------------------------------------------------------------
    def zone_text(self, kind: str) -> str:
        """Texts of all zones of ``kind``, joined by newlines."""
        return "\n".join(self.text[z.start : z.end] for z in self.zones if z.kind == kind)

    @property
    def body(self) -> str:
        """The article's body: its body zones, without title, captions, credits or source lines."""
        return self.zone_text("body")

    @property
    def id(self) -> str:
        """Content-derived id, stable across khabar versions: from the article's URL when it has
        one (the same page fetched again is the same article, updated), else from the input's
        bytes, else from its title and body."""
        if self.url:
            return _digest("url", canonical_url(self.url))
        if self.input_digest:
            return _digest("bytes", self.input_digest)
        return article_id(self.title or "", self.body)

    def add_error(self, stage: str, err: BaseException) -> None:
        """Record a stage's failure on the article (a batch goes on)."""
        code = getattr(err, "code", "K999")
        message = getattr(err, "message", None) or f"{type(err).__name__}: {err}"
        self.errors.append({"stage": stage, "code": code, "message": " ".join(str(message).split())})

    # ----- serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in docs/json.md."""
        t = self.text
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "body": self.body,
            "published": self.published,
            "published_source": self.published_source,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "script": self.script,
            "original_language": self.original_language,
            "original_language_reason": self.original_language_reason,
            "source_url": self.source_url,
            "credits": [_fact_dict(c, t) for c in self.credits],
            "comment_count": self.comment_count,
            "format": self.format,
            "fetched_at": self.fetched_at,
            "input_digest": self.input_digest,
            "text": t,
            "zones": [_fact_dict(z, t) for z in self.zones],
            "evidence": {k: _plain(v) for k, v in sorted(self.evidence.items())},
            "sentences": [[s.start, s.end] for s in self.sentences],
            "quotes": [_fact_dict(q, t) for q in self.quotes],
            "dates": [_fact_dict(d, t) for d in self.dates],
            "amounts": [_fact_dict(a, t) for a in self.amounts],
            "entities": [_fact_dict(e, t) for e in self.entities],
            "events": [_fact_dict(e, t) for e in self.events],
            "claims": [_fact_dict(c, t) for c in self.claims],
            "stages": dict(self.stages),
            "status": self.status,
            "errors": list(self.errors),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        """Rebuild an article from ``to_dict`` output (as read back from a store)."""
        scalar = {
            f.name: d.get(f.name)
            for f in dataclasses.fields(cls)
            if f.name in d and not isinstance(d.get(f.name), (list, dict))
        }
        art = cls(**scalar)
        art.zones = [_load(Zone, z) for z in d.get("zones", [])]
        art.credits = [_load(Credit, c) for c in d.get("credits", [])]
        art.evidence = {k: MetaEvidence(**v) for k, v in d.get("evidence", {}).items()}
        art.sentences = [Sentence(s, e, "stored") for s, e in d.get("sentences", [])]
        art.quotes = [_load(Quote, q) for q in d.get("quotes", [])]
        art.dates = [_load(DateRef, x) for x in d.get("dates", [])]
        art.amounts = [_load(Amount, x) for x in d.get("amounts", [])]
        art.entities = [_load(Entity, x) for x in d.get("entities", [])]
        art.events = [_load(Event, x) for x in d.get("events", [])]
        art.claims = [_load(Claim, x) for x in d.get("claims", [])]
        art.errors = list(d.get("errors", []))
        art.stages = dict(d.get("stages", {}))
        return art


def _fact_dict(rec: Any, text: str) -> dict[str, Any]:
    out: dict[str, Any] = {"text": text[rec.start : rec.end]}
    out.update(_plain(rec))
    return out


_ATOMS = (str, int, float, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """What ``dataclasses.asdict`` gives for a record, without deep-copying immutable leaves
    (``to_dict`` spent most of its time there)."""
    if isinstance(value, _ATOMS):
        return value
    kind = type(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
        return {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return kind(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return kind(_plain(v) for v in value)
    if isinstance(value, dict):
        return kind((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


_REF_FIELDS = {"speaker", "source", "target", "place"}


def _load(cls: type, d: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    kw = {k: v for k, v in d.items() if k in names}
    for k in _REF_FIELDS & kw.keys():
        if isinstance(kw[k], dict):
            kw[k] = Ref(**kw[k])
    for k in ("asserted_by", "denied_by", "confirmed_by"):
        if k in kw:
            kw[k] = tuple(Ref(**r) for r in kw[k])
    if isinstance(kw.get("proposition"), str):  # schema before the claims stage: a bare string
        kw["proposition"] = {}
    return cls(**kw)


def _canonical(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def _digest(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}\x00{key}".encode("utf-8")).hexdigest()[:16]


_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def canonical_url(url: str) -> str:
    """``url`` with scheme and host lower-cased, default port, fragment and tracking parameters
    dropped, so the same page reached by different links has one key."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if not host:  # no host to normalise ("http:///x", "mailto:", a relative path): kept as given,
        return url.strip()  # since rebuilding it would change it again on every pass
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def article_id(title: str, body: str) -> str:
    """A 16-hex-digit id derived from the article's title and body (NFC, white space folded)."""
    h = hashlib.sha256()
    h.update(_canonical(title).encode("utf-8"))
    h.update(b"\x00")
    h.update(_canonical(body).encode("utf-8"))
    return h.hexdigest()[:16]


def stable_fingerprint(doc: dict[str, Any], volatile: Iterable[str] = VOLATILE_FIELDS) -> str:
    """Hash of an article's JSON without run-dependent fields: equal fingerprints = nothing new."""
    import json

    kept = {k: v for k, v in doc.items() if k not in set(volatile)}
    blob = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]
