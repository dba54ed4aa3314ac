"""Readers for PETRARCH-format dictionaries and validation records.

Users who own TABARI/PETRARCH dictionaries (verbs with synsets and patterns, actors with dated
codes, agents, discards, issues) load them here into plain in-memory structures that
``khabar.events.coder`` runs over parsed sentences. The formats are the ones documented for
PETRARCH2 (openeventdata/petrarch2, ``docs/source/dictionaries.rst``, MIT); this module is our own
reading of that documentation, not a port of its code.

    verbs = read_verbs(path)            # VerbDictionary
    actors = read_actors([path, ...])   # ActorDictionary (dated codes)
    agents = read_agents(path)          # AgentDictionary
    discards = read_discards(path)      # Discards
    records = read_records(xml_path)    # list[Record] (Penn parses or CoNLL-U)
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError, MalformedInput

_COMMENT_XML = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"\[([^\]]*)\]")
Phrase = tuple[str, ...]


def _lines(path: Path) -> Iterator[str]:
    """Lines without XML/#/; comments, trailing space kept out; blank lines kept as ''."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise InputError(f"cannot read dictionary: {err.strerror}", source=str(path)) from err
    text = _COMMENT_XML.sub("", text.replace("\x1a", "").replace("\x00", ""))
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        if line.lstrip().startswith(";"):
            line = ""
        yield line.rstrip()


def words(phrase: str) -> Phrase:
    """A dictionary phrase as upper-case words (``_`` and blanks both separate words)."""
    return tuple(w for w in re.split(r"[\s_]+", phrase.strip().upper()) if w)


# ---------------------------------------------------------------- verbs

@dataclass(frozen=True)
class Pattern:
    """A verb pattern: tokens before (``lower``, nearest last) and after (``upper``) the verb.

    Tokens are upper-case words, ``&SYNSET`` names, or the markers ``+`` (target), ``$`` (source),
    ``%`` (compound source and target) and ``^`` (skip a phrase). ``tight`` holds, per token, whether
    it must follow its predecessor directly (``_`` in the dictionary).
    """

    lower: tuple[str, ...]
    upper: tuple[str, ...]
    code: str
    raw: str
    lower_tight: tuple[bool, ...] = ()
    upper_tight: tuple[bool, ...] = ()

    @property
    def size(self) -> int:
        """Number of literal tokens: longer patterns are tried first."""
        return sum(1 for t in self.lower + self.upper if t not in "+$%^")


@dataclass
class VerbBlock:
    """One ``--- NAME [code] ---`` block: its default code, verbs and patterns."""

    name: str
    code: str
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(frozen=True)
class VerbForm:
    """A surface form of a verb: the block it belongs to, its own code and any particle words."""

    block: str
    code: str
    lemma: str
    before: Phrase = ()
    after: Phrase = ()


@dataclass
class VerbDictionary:
    """Synsets, verb forms (surface word -> VerbForm list) and blocks of patterns."""

    synsets: dict[str, list[Phrase]] = field(default_factory=dict)
    forms: dict[str, list[VerbForm]] = field(default_factory=dict)
    blocks: dict[str, VerbBlock] = field(default_factory=dict)

    def lookup(self, word: str) -> list[VerbForm]:
        """The verb forms for a surface word (upper-cased)."""
        return self.forms.get(word.upper(), [])


def regular_forms(verb: str) -> list[str]:
    """Regular English forms of a verb: base, -S, -ED, -ING (PETRARCH generates these too)."""
    v = verb.upper()
    if v.endswith("EE"):
        return [v, v + "S", v + "D", v + "ING"]
    if v.endswith("E"):
        return [v, v + "S", v + "D", v[:-1] + "ING"]
    if v.endswith("Y") and len(v) > 1 and v[-2] not in "AEIOU":
        return [v, v[:-1] + "IES", v[:-1] + "IED", v + "ING"]
    if v.endswith(("S", "SH", "CH", "X", "Z")):
        return [v, v + "ES", v + "ED", v + "ING"]
    return [v, v + "S", v + "ED", v + "ING"]


def _pattern_tokens(text: str) -> tuple[list[str], list[bool]]:
    """Split one side of a pattern into tokens and 'tight' flags."""
    text = re.sub(r"[{}()]", " ", text)
    toks: list[str] = []
    tight: list[bool] = []
    for chunk in text.split():
        parts = chunk.split("_")
        for i, part in enumerate(parts):
            if part:
                toks.append(part.upper())
                tight.append(i > 0)
            elif i > 0 and i == len(parts) - 1 and toks:
                pass  # trailing '_' : no plural/stem marker, nothing to match
    return toks, tight


def parse_pattern(line: str, default: str) -> Pattern | None:
    """A ``- lower * upper [code]`` line as a Pattern (``None`` when it has no verb marker)."""
    body = line.lstrip()[1:]
    m = _CODE.search(body)
    code = m.group(1).strip() if m else default
    body = body[: m.start()] if m else body
    body = body.replace("**", "*")
    if "*" not in body:
        return None
    left, right = body.split("*", 1)
    left, right = left.strip(), right.strip()
    left_tight_end = left.endswith("_")
    right_tight_start = right.startswith("_")
    lower, ltight = _pattern_tokens(left)
    upper, utight = _pattern_tokens(right)
    if upper:
        utight[0] = right_tight_start
    # lower is stored nearest-first so matching walks away from the verb
    lt = ltight[1:] + [left_tight_end] if lower else []
    return Pattern(tuple(reversed(lower)), tuple(upper), code, line.strip(),
                   tuple(reversed(lt)), tuple(utight))


def _verb_line(line: str, block: str, block_code: str, vd: VerbDictionary) -> None:
    """A verb line: ``WORD {IRREG FORMS} [code]`` or a multiword ``A_+VERB_B``; regular forms generated."""
    m = _CODE.search(line)
    code = m.group(1).strip() if m else block_code
    line = _CODE.sub(" ", line)
    irregular = " ".join(re.findall(r"\{([^}]*)\}", line)).split()
    head = re.sub(r"\{[^}]*\}", " ", line).split()
    if not head:
        return
    main = head[0].upper()
    _add_verb(main, block, code, vd, main, generate=True)
    for form in irregular:
        _add_verb(form.upper(), block, code, vd, main, generate=False)


def _add_verb(form: str, block: str, code: str, vd: VerbDictionary, lemma: str, generate: bool) -> None:
    parts = [p for p in form.replace(" ", "_").split("_") if p]
    idx = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    verb = parts[idx].lstrip("+")
    before, after = tuple(parts[:idx]), tuple(p.lstrip("+") for p in parts[idx + 1:])
    surface = regular_forms(verb) if generate else [verb]
    for s in surface:
        vf = VerbForm(block=block, code=code, lemma=lemma.replace("+", ""), before=before, after=after)
        lst = vd.forms.setdefault(s, [])
        if vf not in lst:
            lst.append(vf)


def read_verbs(path: str | Path) -> VerbDictionary:
    """Read a PETRARCH/TABARI verb dictionary (CAMEO.2.0, CAMEO.verbpatterns, PETR.Validate.verbs)."""
    vd = VerbDictionary()
    block = ""
    synset: str | None = None
    for line in _lines(Path(path)):
        s = line.strip()
        if not s:
            synset = None
            continue
        if s.startswith("&"):
            synset = s.split()[0].rstrip("_")
            vd.synsets.setdefault(synset, [])
            continue
        if synset and s.startswith("+"):
            vd.synsets[synset].append(tuple(_pattern_tokens(s[1:])[0]))
            continue
        if s.startswith("---"):
            m = _CODE.search(s)
            name = s.strip("- ").split("[")[0].strip()
            block = f"{name}#{len(vd.blocks)}"
            vd.blocks[block] = VerbBlock(name, m.group(1).strip() if m else "---")
            continue
        if not block:
            continue
        if s.startswith("-"):
            pat = parse_pattern(s, vd.blocks[block].code)
            if pat:
                vd.blocks[block].patterns.append(pat)
            continue
        _verb_line(s, block, vd.blocks[block].code, vd)
    for blk in vd.blocks.values():
        blk.patterns.sort(key=lambda p: -p.size)
    return vd


# ---------------------------------------------------------------- actors, agents

@dataclass(frozen=True)
class DatedCode:
    """An actor code valid from ``start`` to ``end`` (``YYYYMMDD`` ints, inclusive; 0 = open)."""

    code: str
    start: int = 0
    end: int = 0

    def applies(self, date: int) -> bool:
        """Whether the code holds on ``date`` (YYYYMMDD)."""
        return (not self.start or date >= self.start) and (not self.end or date <= self.end)


@dataclass
class ActorEntry:
    """An actor: its phrases, default code and date-restricted codes."""

    phrases: list[Phrase]
    default: str | None
    dated: list[DatedCode] = field(default_factory=list)

    def code_on(self, date: int | None) -> str | None:
        """The code that applies on ``date`` (dated restrictions first, then the default)."""
        if date is not None:
            for dc in self.dated:
                if dc.start or dc.end:
                    if dc.applies(date):
                        return dc.code
        plain = [dc.code for dc in self.dated if not dc.start and not dc.end]
        return self.default or (plain[0] if plain else None)


def _date(text: str) -> int:
    """YYYYMMDD from ``YYYYMMDD`` or ``YYMMDD`` (years before 30 read as 20YY)."""
    t = text.strip()
    if len(t) == 6:
        yy = int(t[:2])
        t = ("20" if yy < 30 else "19") + t
    return int(t)


def parse_dated(spec: str) -> DatedCode:
    """``CODE``, ``CODE <date``, ``CODE >date`` or ``CODE date-date`` as a DatedCode."""
    parts = spec.split(None, 1)
    code = parts[0] if parts else ""
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if not rest:
        return DatedCode(code)
    if rest.startswith("<"):
        return DatedCode(code, 0, _date(rest[1:]) - 1)
    if rest.startswith(">"):
        return DatedCode(code, _date(rest[1:]) + 1, 0)
    if "-" in rest:
        a, b = rest.split("-", 1)
        return DatedCode(code, _date(a), _date(b))
    return DatedCode(code)


@dataclass
class ActorDictionary:
    """Actor phrases indexed by their first word; the longest phrase wins when matching."""

    entries: list[ActorEntry] = field(default_factory=list)
    index: dict[str, list[tuple[Phrase, int]]] = field(default_factory=dict)

    def add(self, entry: ActorEntry) -> None:
        """Add an entry and index its phrases."""
        self.entries.append(entry)
        for ph in entry.phrases:
            if ph:
                self.index.setdefault(ph[0], []).append((ph, len(self.entries) - 1))
        self._sorted = False

    def match(self, toks: list[str], i: int) -> tuple[int, ActorEntry] | None:
        """The longest actor phrase starting at ``toks[i]``: (length, entry)."""
        if not getattr(self, "_sorted", False):
            for lst in self.index.values():
                lst.sort(key=lambda x: -len(x[0]))
            self._sorted = True
        for ph, idx in self.index.get(toks[i], []):
            if tuple(toks[i:i + len(ph)]) == ph:
                return len(ph), self.entries[idx]
        return None


def read_actors(paths: Iterable[str | Path]) -> ActorDictionary:
    """Read one or more PETRARCH actor dictionaries (phrases, ``+`` synonyms, tab-indented dated codes)."""
    ad = ActorDictionary()
    for path in paths:
        current: ActorEntry | None = None
        for line in _lines(Path(path)):
            s = line.strip()
            if not s or s.startswith("<"):
                continue
            if s.startswith("[") and current is not None:
                for spec in _CODE.findall(s):
                    current.dated.append(parse_dated(spec))
                continue
            if s.startswith("+") and current is not None:
                current.phrases.append(words(_CODE.sub("", s[1:])))
                _dated_inline(current, s)
                continue
            if current is not None:
                ad.add(current)
            codes = _CODE.findall(s)
            current = ActorEntry([words(_CODE.sub("", s))], None)
            if codes:
                current.default = codes[0].strip().split()[0] if codes[0].strip() else None
                for spec in codes[1:]:
                    current.dated.append(parse_dated(spec))
        if current is not None:
            ad.add(current)
    return ad


def _dated_inline(entry: ActorEntry, line: str) -> None:
    for spec in _CODE.findall(line):
        if entry.default is None:
            entry.default = spec.strip().split()[0]


@dataclass
class AgentDictionary:
    """Agent phrases -> code (``~GOV`` appends to the actor code, ``NGO~`` prefixes it)."""

    index: dict[str, list[tuple[Phrase, str]]] = field(default_factory=dict)

    def add(self, phrase: Phrase, code: str) -> None:
        """Index one agent phrase."""
        if phrase:
            self.index.setdefault(phrase[0], []).append((phrase, code))
            self._sorted = False

    def match(self, toks: list[str], i: int) -> tuple[int, str] | None:
        """The longest agent phrase starting at ``toks[i]``: (length, code)."""
        if not getattr(self, "_sorted", False):
            for lst in self.index.values():
                lst.sort(key=lambda x: -len(x[0]))
            self._sorted = True
        for ph, code in self.index.get(toks[i], []):
            if tuple(toks[i:i + len(ph)]) == ph:
                return len(ph), code
        return None


def _plurals(word: str) -> str:
    if word.endswith("Y") and word[-2:-1] not in ("A", "E", "O", "U"):
        return word[:-1] + "IES"
    if word.endswith(("SS", "CH", "SH", "X")):
        return word + "ES"
    return word + "S"


def read_agents(path: str | Path) -> AgentDictionary:
    """Read a PETRARCH agents dictionary (plurals generated; ``{}`` irregular or none; ``!X!`` sets)."""
    ag = AgentDictionary()
    subs: dict[str, list[str]] = {}
    for line in _lines(Path(path)):
        s = line.strip()
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", s)
        if m:
            subs[m.group(1)] = [x.strip().upper() for x in m.group(2).split(",") if x.strip()]
            continue
        cm = _CODE.search(s)
        if not cm:
            continue
        code = cm.group(1).replace(" ", "")
        head = s[: s.index("[")]
        plural = re.search(r"\{([^}]*)\}", head)
        phrase = re.sub(r"\{[^}]*\}", "", head).strip().upper()
        variants = [phrase]
        for mark, vals in subs.items():
            if mark in phrase:
                variants = [phrase.replace(mark, v) for v in vals]
        for v in variants:
            ws = words(v)
            ag.add(ws, code)
            if plural is None and not any(mk in phrase for mk in subs):
                ag.add(ws[:-1] + (_plurals(ws[-1]),), code)
            elif plural and plural.group(1).strip():
                for p in plural.group(1).split():
                    ag.add(words(p), code)
    return ag


@dataclass
class Discards:
    """Phrases that stop coding of a sentence (``sentence``) or a whole story (``story``)."""

    sentence: list[Phrase] = field(default_factory=list)
    story: list[Phrase] = field(default_factory=list)

    def hit(self, toks: list[str]) -> bool:
        """True when any discard phrase occurs in the upper-cased tokens."""
        joined = " " + " ".join(toks) + " "
        return any(" " + " ".join(p) + " " in joined for p in self.sentence + self.story)


def read_discards(path: str | Path) -> Discards:
    """Read a discard list (``+`` = story level)."""
    d = Discards()
    for line in _lines(Path(path)):
        s = line.strip()
        if s:
            (d.story if s.startswith("+") else d.sentence).append(words(s.lstrip("+")))
    return d


def read_issues(path: str | Path) -> dict[Phrase, str]:
    """Read an issues list (``phrase [ISSUE]``; ``n:`` noun markers and ``+`` joins dropped; ``~`` lines skipped)."""
    out: dict[Phrase, str] = {}
    for line in _lines(Path(path)):
        s = line.strip()
        m = _CODE.search(s)
        if not m or s.startswith(("~", "<")):
            continue
        phrase = re.sub(r"\b[a-z]:", "", s[: m.start()]).replace("+", " ")
        out[words(phrase)] = m.group(1).strip()
    return out


# ---------------------------------------------------------------- validation records

@dataclass(frozen=True)
class Expected:
    """One expected coding in a validation record (``noevents`` for the no-event ones)."""

    source: str = ""
    target: str = ""
    code: str = ""
    noevents: bool = False
    error: bool = False


@dataclass
class Record:
    """A validation sentence: id, category, date, text, parse (Penn or CoNLL-U) and expectations."""

    id: str
    category: str
    date: int
    text: str
    parse: str
    expected: list[Expected]
    valid: bool = True
    config: dict[str, str] = field(default_factory=dict)

    @property
    def is_conllu(self) -> bool:
        """True when the parse is CoNLL-U rather than a bracketed tree."""
        return not self.parse.lstrip().startswith("(")


def read_records(path: str | Path) -> list[Record]:
    """Read a PETRARCH validation file (``PETR.UnitTest.records.xml`` or the UD-parsed copy).

    ``<Config option=... value=...>`` elements between sentences (``require_dyad``,
    ``new_actor_length``, ...) hold for the sentences after them: each record carries the options
    in force (see ``khabar.events.coder.CoderOptions.from_config``).
    """
    try:
        root = ET.parse(str(path)).getroot()
    except (OSError, ET.ParseError) as err:
        raise MalformedInput(f"cannot read validation records: {err}", source=str(path)) from err
    out: list[Record] = []
    config: dict[str, str] = {}
    for sent in root.iter():
        if sent.tag == "Config" and sent.get("option"):
            config = {**config, sent.get("option", "").strip(): (sent.get("value") or "").strip()}
            continue
        if sent.tag != "Sentence":
            continue
        exp = [_expected(ec) for ec in sent.findall("EventCoding")]
        out.append(Record(
            id=sent.get("id", ""), category=sent.get("category") or sent.get("source") or "",
            date=int(sent.get("date") or 0), text=" ".join((sent.findtext("Text") or "").split()),
            parse=(sent.findtext("Parse") or "").strip("\n "), expected=exp,
            valid=(sent.get("sentence", "true").lower() == "true"), config=config))
    return out


def _expected(ec: ET.Element) -> Expected:
    attrs = {k.strip(): v for k, v in ec.attrib.items()}
    if attrs.get("noevents", "").lower() == "true":
        return Expected(noevents=True)
    if "error" in attrs:
        return Expected(error=True)
    return Expected(attrs.get("sourcecode", ""), attrs.get("targetcode", ""), attrs.get("eventcode", ""))
