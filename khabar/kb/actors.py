"""People, organisations, armed groups and media across scripts: the knowledge base behind linking.

The data is ``khabar/kb/data/actors.json``, built by ``python -m khabar.kb.build_actors`` (see
there for sources and format). ``load_actors()`` reads it once per process; ``ActorKB`` answers:

- ``get(id)``; ``find(name)``: candidates for a name in any script, scored by how alike their
  Latin matching keys are (``khabar.text.translit``), exact spellings first;
- ``role_on(actor, date)``: the role an actor held on a date (curated roles before the
  dictionaries' when both cover the date), ``cameo_on``: the CAMEO actor code then;
- ``holders(title, country, date)``: who held a title in a state on a date ("the Russian
  president" -> Putin);
- ``gazetteer()``: exact names (folded token tuples) for finding mentions in running text.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ModelError
from ..text.script import char_script
from ..text.translit import SPELLED, match_keys, name_score, similarity, word_key
from .names import FoldedIndex, folded

DATA_PATH = Path(__file__).resolve().parent / "data" / "actors.json"
ROLE_FIELDS = ("title", "country", "cameo", "since", "until", "source")
# Title spellings of the sources brought to one form ("minister of defense" -> "defence minister").
_TITLE_FIXES = ((re.compile(r"\bdefense\b"), "defence"), (re.compile(r"\bminister of (?:the )?(\w+)$"), r"\1 minister"),
                (re.compile(r"\bsecretary of (\w+)$"), r"\1 secretary"), (re.compile(r"^premier$"), "prime minister"),
                (re.compile(r"\bforeign affairs minister\b"), "foreign minister"),
                (re.compile(r"\bexternal affairs minister\b"), "foreign minister"))
SOURCE_RANK = {"article": 0, "curated": 1, "countryinfo": 2, "phoenix": 3}


REFINE = 6  # candidates of find() rescored with name_score
WIDE = 150  # a surname key shared by more actors than this is narrowed by the other words' keys


# Open-ended roles of the dictionaries (which end in 2012-2014) are not trusted past this date.
HORIZON = "2014-12-31"


@functools.lru_cache(maxsize=4096)
def norm_title(title: str) -> str:
    """A role title in one form for comparing: lower case, US spelling and "minister of X" folded."""
    t = " ".join(title.lower().split())
    for pattern, repl in _TITLE_FIXES:
        t = pattern.sub(repl, t)
    return t


@dataclass(frozen=True)
class Actor:
    """One identity: a person, organisation, armed group or media outlet."""

    id: str
    kind: str
    name: str
    country: str = ""
    names: dict[str, list[str]] = field(default_factory=dict, hash=False)
    codes: tuple[tuple[str, str, str], ...] = ()
    roles: tuple[dict[str, str], ...] = ()
    keys: tuple[str, ...] = ()

    def all_names(self) -> list[str]:
        """Every spelling, canonical name first, without repeats."""
        return list(dict.fromkeys([self.name, *(n for v in self.names.values() for n in v)]))


def _valid(since: str, until: str, date: str | None, source: str = "curated") -> bool:
    if not until and source not in ("curated", "article", "outlets"):
        until = HORIZON
    if not date:
        return not until
    return (not since or since[: len(date)] <= date) and (not until or date <= until or until.startswith(date[:7]) and len(until) == 7)


def _actor(e: dict[str, Any]) -> Actor:
    codes = []
    for cell in e.get("codes", []):
        code, _, rng = cell.partition(" ")
        since, _, until = rng.partition("/")
        codes.append((code, since, until))
    roles = tuple({k: v for k, v in zip(ROLE_FIELDS, r) if v} for r in e.get("roles", []))
    return Actor(e["id"], e["kind"], e["name"], e.get("country", ""), e.get("names", {}), tuple(codes), roles,
                 tuple(e.get("keys", ())))


class ActorKB:
    """The loaded knowledge base. Entries stay as read until asked for (``get``); the name indexes
    are built on first use: matching keys (``find``) and folded spellings per script (``exact``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.source: dict[str, Any] = data.get("_source", {})
        self.states: dict[str, dict[str, Any]] = data.get("_states", {})
        self._raw: dict[str, dict[str, Any]] = {e["id"]: e for e in data.get("entries", [])}
        self._made: dict[str, Actor] = {}
        self._keys: dict[str, set[str]] | None = None  # a word's key -> ids of actors with a name holding it
        self._full: dict[str, list[str]] = {}  # a name's whole key -> ids
        self._folded: dict[str, FoldedIndex] = {}  # script of a spelling -> folded spellings -> ids
        self._title_index: dict[tuple[str, str], list[str]] | None = None

    @property
    def actors(self) -> list[Actor]:
        """Every actor (made on first use)."""
        return [self.get_known(i) for i in self._raw]

    def __len__(self) -> int:
        return len(self._raw)

    def get_known(self, actor_id: str) -> Actor:
        """The actor with id ``actor_id``, which must exist (KeyError otherwise)."""
        actor = self._made.get(actor_id)
        if actor is None:
            actor = self._made[actor_id] = _actor(self._raw[actor_id])
        return actor

    def raw_entries(self) -> Iterable[dict[str, Any]]:
        """The entries as read (dicts of the file's format), for building indexes cheaply."""
        return self._raw.values()

    def all_name_lists(self) -> Iterator[tuple[str, list[str]]]:
        """(id, every spelling) per actor, without making the actors."""
        for e in self._raw.values():
            yield e["id"], [e["name"], *(n for v in e.get("names", {}).values() for n in v)]

    def _key_index(self) -> dict[str, set[str]]:
        if self._keys is None:
            self._keys = {}
            for e in self._raw.values():
                for k in e.get("keys", ()):
                    self._full.setdefault(k, []).append(e["id"])
                    for w in k.split():
                        self._keys.setdefault(w, set()).add(e["id"])
        return self._keys

    def _folded_index(self, script: str) -> FoldedIndex:
        index = self._folded.get(script)
        if index is None:
            index = self._folded[script] = FoldedIndex()
            for ident, names in self.all_name_lists():
                for n in names:
                    if _script_of(n) == script:
                        index.add(n, ident)
        return index

    def _titles(self) -> dict[tuple[str, str], list[str]]:
        if self._title_index is None:
            self._title_index = {}
            for e in self._raw.values():
                for r in e.get("roles", ()):
                    if r and r[0]:
                        country = r[1] if len(r) > 1 else ""
                        self._title_index.setdefault((norm_title(r[0]), country), []).append(e["id"])
        return self._title_index

    def get(self, actor_id: str) -> Actor | None:
        """The actor with id ``actor_id``."""
        return self.get_known(actor_id) if actor_id in self._raw else None

    def pool(self, key: str) -> set[str]:
        """Ids of actors with a name sharing a word's key with ``key``."""
        index = self._key_index()
        words = key.split()
        telling = [w for w in words if len(w) > 1] or words  # one-symbol keys ("n" of No) match too much
        return set.union(*(index.get(w, set()) for w in telling)) if telling else set()

    def exact(self, name: str) -> list[Actor]:
        """Actors with a spelling that folds like ``name`` (case, accents, letter variants), looked
        up among the spellings of ``name``'s script."""
        return [self.get_known(i) for i in self._folded_index(_script_of(name)).lookup(name)]

    def find(self, name: str, kinds: Iterable[str] = (), limit: int = 10) -> list[tuple[Actor, float]]:
        """Candidates for ``name`` in any script, best first: the KB's own spellings score 1.0;
        else actors sharing a word's key (the last word's first: a surname) are scored by their
        keys' similarity, and the best ``REFINE`` of them by ``name_score`` (keys and vowel-bearing
        spellings, so short skeletons such as Vienna/Havana "fn" stay apart), at most 0.99."""
        wanted = set(kinds)
        found = {a.id: 1.0 for a in self.exact(name) if not wanted or a.kind in wanted}
        keys = match_keys(name)
        index = self._key_index()
        pool: set[str] = set()
        for key in keys:
            if found:  # an exact spelling: other actors only as good as it when they share the key
                pool |= set(self._full.get(key, []))
            else:  # else actors sharing the last word's key (a surname), or any word's
                pool |= self._surname_pool(key, index)
        rough = self._rough(keys, [i for i in pool - found.keys() if not wanted or self._raw[i]["kind"] in wanted])
        rough.sort(key=lambda x: (-x[0], x[1]))
        for sim, actor_id in rough[:REFINE]:
            found[actor_id] = min(self._refined(name, actor_id, sim), 0.99)
        for sim, actor_id in rough[REFINE:limit]:
            found[actor_id] = min(sim * (1 - SPELLED), 0.99)  # below every refined score of its key
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(self.get_known(i), s) for i, s in ranked]

    def _surname_pool(self, key: str, index: dict[str, set[str]]) -> set[str]:
        """Actors sharing the last word's key of ``key``; a common one ("Al" of Ali: over ``WIDE``
        actors) narrowed to those sharing one more word's key, when any does."""
        words = key.split()
        last = words[-1] if words else ""
        if len(last) <= 1:
            return self.pool(key)
        pool = index.get(last, set())
        others = [w for w in words[:-1] if len(w) > 1]
        if len(pool) > WIDE and others:
            narrowed = pool & set.union(*(index.get(w, set()) for w in others))
            if narrowed:
                return narrowed
        return set(pool)

    def _rough(self, keys: tuple[str, ...], ids: list[str]) -> list[tuple[float, str]]:
        """(best key similarity, id) for each actor of ``ids``: ``similarity`` of the query's keys and
        the actor's, computed in bulk by rapidfuzz (the better of spaced and joined keys)."""
        from rapidfuzz import fuzz, process

        owners = [i for i in ids for _ in self._raw[i].get("keys", ())]
        spaced = [k for i in ids for k in self._raw[i].get("keys", ())]
        best: dict[str, float] = dict.fromkeys(ids, 0.0)
        for q in keys:
            for query, choices in ((q, spaced), (q.replace(" ", ""), [k.replace(" ", "") for k in spaced])):
                for _, score, at in process.extract(query, choices, scorer=fuzz.ratio, limit=None, score_cutoff=1):
                    ident = owners[at]
                    value = 1.0 if spaced[at] == q else score / 100.0
                    if value > best[ident]:
                        best[ident] = value
        return [(v, i) for i, v in best.items()]

    def _refined(self, name: str, actor_id: str, sim: float) -> float:
        """The best ``name_score`` of ``name`` and the actor's spellings whose key is close."""
        keys = match_keys(name)
        best = 0.0
        for n in self.get_known(actor_id).all_names():
            if max(similarity(q, k) for q in keys for k in match_keys(n)) >= sim - 0.1:
                best = max(best, name_score(name, n))
        return best

    def role_on(self, actor: Actor, date: str | None) -> dict[str, str] | None:
        """The role ``actor`` held on ``date`` (ISO, any precision; None: a current role): the
        latest-starting valid role, curated before the dictionaries'."""
        valid = [r for r in actor.roles if _valid(r.get("since", ""), r.get("until", ""), date, r.get("source", ""))]
        if not valid:
            return None
        return min(valid, key=lambda r: (SOURCE_RANK.get(r.get("source", ""), 9), -_ord(r.get("since", ""))))

    def cameo_on(self, actor: Actor, date: str | None) -> str | None:
        """The CAMEO actor code of ``actor`` on ``date``: its role's, else its dated codes'."""
        role = self.role_on(actor, date)
        if role and role.get("cameo"):
            return role["cameo"]
        valid = [c for c in actor.codes if _valid(c[1], c[2], date, "phoenix") and not c[0].endswith("ELI")]
        if valid:
            return max(valid, key=lambda c: _ord(c[1]))[0]
        undated = [c[0] for c in actor.codes if not c[1] and not c[2]]
        return undated[0] if undated else None

    def holders(self, title: str, country: str, date: str | None) -> list[Actor]:
        """Actors whose role ``title`` in ``country`` is valid on ``date``."""
        out: list[Actor] = []
        for actor_id in dict.fromkeys(self._titles().get((norm_title(title), country), [])):
            a = self.get_known(actor_id)
            if any(norm_title(r.get("title", "")) == norm_title(title) and r.get("country", "") == country
                   and _valid(r.get("since", ""), r.get("until", ""), date, r.get("source", "")) for r in a.roles):
                out.append(a)
        return out

    def surname_key(self, actor: Actor) -> str:
        """The matching key of the last word of ``actor``'s canonical name."""
        words = actor.name.split()
        return word_key(words[-1]) if words else ""

    def gazetteer(self, kinds: Iterable[str], min_tokens: int = 2) -> dict[tuple[str, ...], list[str]]:
        """Folded token tuples of the names of actors of ``kinds`` -> their ids; names of fewer
        than ``min_tokens`` tokens only when curated (not from the dictionaries) or all caps."""
        wanted = set(kinds)
        out: dict[tuple[str, ...], list[str]] = {}
        for a in self.actors:
            if a.kind not in wanted:
                continue
            curated = any(r.get("source") in ("curated", "outlets") for r in a.roles)
            for n in a.all_names():
                key = folded(n)
                if key and (len(key) >= min_tokens or curated or (n.isupper() and len(n) >= 3)):
                    ids = out.setdefault(key, [])
                    if a.id not in ids:
                        ids.append(a.id)
        return out


def _script_of(name: str) -> str:
    """The script of the first letter of ``name`` ('' when it has none)."""
    return next((s for s in map(char_script, name) if s), "")


def _ord(date: str) -> int:
    digits = re.sub(r"\D", "", date)
    return int((digits + "00000000")[:8]) if digits else 0


@functools.lru_cache(maxsize=2)
def load_actors(path: Path = DATA_PATH) -> ActorKB:
    """The actors knowledge base, read once per process."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"actors knowledge base cannot be read: {err}", source=str(path)) from err
    return ActorKB(data)
