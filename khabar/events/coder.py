"""A PETRARCH-style event coder over given parses.

Input: a Penn Treebank tree (bracketed string) or a CoNLL-U block, the sentence date and the
dictionaries read by ``khabar.events.petrarch``. Output: ``CodedEvent(source, target, code)``s.

The algorithm follows the description in PETRARCH2's documentation (our own implementation):

1. A sentence holding a discard phrase is not coded.
2. Actors: every noun phrase is coded from its words with the actor dictionary (longest phrase,
   date-restricted codes) and the agent dictionary (``~GOV`` appended, ``NGO~`` prefixed; an agent
   without an actor gives ``---GOV``). A noun phrase joined by a conjunction is a compound actor:
   every member takes part in the event.
3. Verbs: each verb the parser marked (VB*) that the verb dictionary knows starts an event. Its
   patterns are matched against the words before the verb in the sentence (``lower``) and after it
   in its verb phrase (``upper``), longest pattern first; ``+``/``$``/``%`` in a pattern point at
   the target, source or coordinated actor, ``^`` skips a phrase, ``&SET`` matches any synset
   phrase; placeholder codes (``+++``) never fire. With no pattern the verb's own code applies;
   ``---`` means no event.
4. Source = the subject noun phrase of the nearest clause above the verb (passed down through
   auxiliaries, ``to``-infinitives and pronoun subjects); a passive verb with a ``by`` phrase takes
   its source from it and its target from the subject. Target = the first coded noun phrase among
   the verb phrase's objects and prepositional phrases, else the first actor after the verb in its
   verb phrase. Paired codes ``A:B`` give A from source to target and B back.
5. Negation (``not``, ``n't``, ``never`` before the verb) with no pattern naming it: no event.
6. ``CoderOptions``: ``require_dyad`` drops events missing a side; ``new_actor_length`` codes short
   uncoded noun phrases by their quoted text.

CoNLL-U parses come in through ``khabar.events.ud.conllu_tree``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .petrarch import ActorDictionary, AgentDictionary, Discards, Pattern, VerbDictionary, VerbForm

NEGATORS = {"NOT", "N'T", "NEVER", "NO"}


@dataclass(frozen=True)
class CodedEvent:
    """One coded event: source and target actor codes, CAMEO code, and the verb that gave it."""

    source: str
    target: str
    code: str
    verb: str = ""
    pattern: str = ""


@dataclass(frozen=True)
class CoderOptions:
    """PETRARCH's per-run options that change what is coded.

    ``require_dyad``: an event needs both a source and a target (else a missing side is ``---``);
    ``new_actor_length``: an uncoded source or target noun phrase of at most this many words is
    coded by its own text in double quotes (0 = never).
    """

    require_dyad: bool = True
    new_actor_length: int = 0

    @classmethod
    def from_config(cls, config: dict[str, str]) -> "CoderOptions":
        """Options from PETRARCH ``<Config option value>`` pairs (unknown options ignored)."""
        dyad = config.get("require_dyad", "true").strip().lower() not in ("false", "0", "no")
        try:
            length = int(config.get("new_actor_length", "0") or 0)
        except ValueError:
            length = 0
        return cls(require_dyad=dyad, new_actor_length=max(length, 0))


@dataclass
class Dictionaries:
    """Everything the coder needs; any part may be empty."""

    verbs: VerbDictionary
    actors: ActorDictionary
    agents: AgentDictionary = field(default_factory=AgentDictionary)
    discards: Discards = field(default_factory=Discards)


# ---------------------------------------------------------------- Penn trees

@dataclass
class Node:
    """A tree node: ``label``; leaves carry ``word`` and their token index ``i``."""

    label: str
    children: list["Node"] = field(default_factory=list)
    word: str = ""
    i: int = -1
    parent: "Node | None" = None

    @property
    def is_leaf(self) -> bool:
        """True for a word node."""
        return not self.children and bool(self.word)

    def leaves(self) -> list["Node"]:
        """The word nodes under this node, in order."""
        if self.is_leaf:
            return [self]
        out: list[Node] = []
        for c in self.children:
            out.extend(c.leaves())
        return out

    @property
    def span(self) -> tuple[int, int]:
        """Token range [start, end) covered by the node."""
        lv = self.leaves()
        return (lv[0].i, lv[-1].i + 1) if lv else (0, 0)

    @property
    def tag(self) -> str:
        """The label without function tags (``NP-TMP`` -> ``NP``)."""
        return self.label.split("-")[0] if self.label not in ("-LRB-", "-RRB-") else self.label


_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def parse_tree(text: str) -> Node:
    """A bracketed Penn Treebank tree as Nodes (raises ValueError on unbalanced input)."""
    toks = _TOKEN.findall(text)
    stack: list[Node] = [Node("TOP")]
    n = 0
    k = 0
    while k < len(toks):
        t = toks[k]
        if t == "(":
            label = toks[k + 1] if k + 1 < len(toks) and toks[k + 1] not in "()" else ""
            node = Node(label, parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
            k += 2 if label else 1
            continue
        if t == ")":
            if len(stack) == 1:
                raise ValueError("unbalanced parse")
            stack.pop()
        else:
            stack[-1].children.append(Node("", word=t, i=n, parent=stack[-1]))
            n += 1
        k += 1
    if len(stack) != 1:
        raise ValueError("unbalanced parse")
    return stack[0]


# ---------------------------------------------------------------- actors


class Sentence:
    """A parsed sentence with its tokens, date and the coded noun phrases."""

    def __init__(self, root: Node, date: int, dicts: Dictionaries, options: CoderOptions | None = None) -> None:
        self.root = root
        self.options = options or CoderOptions()
        self.date = date
        self.dicts = dicts
        self.leaves = root.leaves()
        self.toks = [lf.word.upper() for lf in self.leaves]
        self.tags = [lf.parent.label if lf.parent else "" for lf in self.leaves]
        self.actor_at: dict[int, tuple[int, str]] = {}
        self.agent_at: dict[int, tuple[int, str]] = {}
        self._scan()

    def _scan(self) -> None:
        """Find actor and agent phrases over the token list (longest match, left to right)."""
        i = 0
        while i < len(self.toks):
            hit = self.dicts.actors.match(self.toks, i)
            if hit:
                code = hit[1].code_on(self.date)
                if code:
                    self.actor_at[i] = (hit[0], code)
                    i += hit[0]
                    continue
            ag = self.dicts.agents.match(self.toks, i)
            if ag:
                self.agent_at[i] = ag
                i += ag[0]
                continue
            i += 1

    def new_actor(self, node: Node) -> list[str]:
        """The quoted text of an uncoded noun phrase short enough to stand as a new actor."""
        limit = self.options.new_actor_length
        words = [lf.word.upper() for lf in node.leaves() if lf.parent is not None and lf.parent.tag != "POS"]
        if not limit or not words or len(words) > limit or _pronoun(node):
            return []
        return ['"' + " ".join(words) + '"']

    def phrase_at(self, i: int) -> Node | None:
        """The noun phrase holding token ``i``, widened to a coordination it is a member of."""
        n = self.leaves[i].parent
        while n is not None and n.tag != "NP":
            n = n.parent
        if n is None:
            return None
        while n.parent is not None and n.parent.tag == "NP" and any(c.tag == "CC" for c in n.parent.children):
            n = n.parent
        return n

    def np_codes(self, node: Node, descend: bool = True) -> list[str]:
        """Actor codes for a noun phrase: one per conjunct for compounds, [] when uncoded.

        The head part (before any PP or clause) names the actor; an agent alone there ("the
        foreign minister of X") takes its actor from an ``of``/``from`` phrase; with ``descend`` an
        uncoded head lets the first coded inner noun phrase speak.
        """
        kids = [c for c in node.children if not c.is_leaf]
        if any(c.tag == "CC" for c in kids):
            out = self._compound(kids)
            if out:
                return out
        for c in kids:
            if c.tag == "NP" and c is not kids[-1] or c.tag != "NP":
                continue
            if any(g.tag == "CC" for g in c.children) and self._compound([g for g in c.children if not g.is_leaf]):
                return self._compound([g for g in c.children if not g.is_leaf])
        core = self._np_core(node)
        head = self._head_compound(kids, core)
        if head:
            return head
        codes = self._codes_in(core)
        if codes and all(c.startswith("---") for c in codes):
            owner = self._owner(node)
            if owner:
                return [combine_all(o, self._agents_in(core)) for o in owner]
        if codes or not descend:
            return codes
        for c in kids:
            if c.tag in ("NP", "PP") and c.span[0] >= core[0]:
                inner = self.np_codes(c if c.tag == "NP" else _first_np(c) or c)
                if inner:
                    return inner
        return []

    def _head_compound(self, kids: list[Node], core: tuple[int, int]) -> list[str]:
        """A coordination opening the noun phrase: "[X and Y] leaders", "[lawmakers and officials] in X".

        Each member keeps its own code, takes the agents of the rest of the head, and agents
        alone take every owner named in an ``of``/``in``/``from`` phrase.
        """
        if len(kids) < 2 or kids[0].tag != "NP" or not any(g.tag == "CC" for g in kids[0].children):
            return []
        members = self._compound([g for g in kids[0].children if not g.is_leaf])
        rest = (kids[0].span[1], core[1])
        if not members or any(i in self.actor_at for i in range(*rest)):
            return []
        agents = self._agents_in(rest)
        if all(m.startswith("---") for m in members):
            owner = self._owner(kids[0].parent) if kids[0].parent is not None else []
            if owner:
                return [combine_all(o, ["~" + m[3:]] + agents) for o in owner for m in members]
        return [combine_all(m, agents) for m in members]

    def _compound(self, kids: list[Node]) -> list[str]:
        """Codes of a coordinated NP: conjuncts split at ``and``/commas.

        When every conjunct names both an actor and an agent they pair up; otherwise actors and
        agents distribute ("Fornost and Gondor legislators" -> FORLEG, GONLEG).
        """
        groups: list[list[Node]] = [[]]
        for c in kids:
            if c.tag in ("CC", ",", ":"):
                if groups[-1]:
                    groups.append([])
            elif c.tag not in ("DT",):
                groups[-1].append(c)
        groups = [g for g in groups if g]
        if len(groups) < 2:
            return []
        parts: list[tuple[list[str], list[str]]] = []
        flat = [not (len(g) == 1 and g[0].tag == "NP") for g in groups]
        for g in groups:
            if len(g) == 1 and g[0].tag == "NP":
                sub = self.np_codes(g[0])
                parts.append((sub, []))
                continue
            span = (g[0].span[0], g[-1].span[1])
            actors = [self.actor_at[i][1] for i in range(*span) if i in self.actor_at]
            parts.append(([a for x in actors for a in x.split("/")], self._agents_in(span)))
        return _distribute(parts, flat)

    def _owner(self, node: Node) -> list[str]:
        """Actors in an ``of``/``from``/``for`` phrase right after an agent head."""
        for c in node.children:
            if c.tag == "PP" and c.leaves() and c.leaves()[0].word.upper() in ("OF", "FROM", "FOR", "IN"):
                np = _first_np(c)
                if np is not None:
                    return [x for x in self.np_codes(np) if not x.startswith("---")]
        return []

    def _np_core(self, node: Node) -> tuple[int, int]:
        """The part of an NP that names the actor: stop before a PP, relative clause or verb phrase."""
        start, end = node.span
        for k, c in enumerate(node.children):
            if k and c.tag in ("SBAR", "VP", "S", "PRN", "PP"):
                end = min(end, c.span[0])
                break
        return start, end

    def _agents_in(self, span: tuple[int, int]) -> list[str]:
        return [self.agent_at[i][1] for i in range(*span) if i in self.agent_at]

    def _codes_in(self, span: tuple[int, int]) -> list[str]:
        """The combined codes of the first actor and the agents in a token span."""
        start, end = span
        actor = None
        agents: list[str] = []
        i = start
        while i < end:
            if i in self.actor_at and actor is None:
                actor = self.actor_at[i][1]
                i += self.actor_at[i][0]
                continue
            if i in self.agent_at:
                agents.append(self.agent_at[i][1])
                i += self.agent_at[i][0]
                continue
            i += 1
        if actor is None and not agents:
            return []
        return [combine_all(a, agents) for a in (actor or "---").split("/")]


def _distribute(parts: list[tuple[list[str], list[str]]], flat: list[bool]) -> list[str]:
    """Codes of the members of a coordination from their (actors, agents).

    Word-level members share: an actor without agents takes the last member's agents ("Fornost
    and Gondor legislators"), agents without an actor take the first actor and its modifying
    agents ("the Danish Islamist media and government"). Phrase-level members stand alone.
    """
    donor = next((k for k, (a, _) in enumerate(parts) if a and flat[k]), None)
    tail = parts[-1][1] if flat[-1] else []
    out: list[str] = []
    for k, (actors, agents) in enumerate(parts):
        if flat[k] and actors and not agents and k != len(parts) - 1:
            agents = tail
        if flat[k] and not actors and agents and donor is not None:
            actors, agents = parts[donor][0], parts[donor][1][:-1] + agents
        for x in actors or (["---"] if agents else []):
            code = combine_all(x, agents) if flat[k] else x
            if code not in out:
                out.append(code)
    return out


def _first_np(node: Node) -> Node | None:
    for c in node.children:
        if c.tag == "NP":
            return c
    return None


def combine_all(actor: str, agents: list[str]) -> str:
    """An actor code with every agent code applied in order."""
    code = actor
    for ag in agents:
        code = combine(code, ag)
    return code


def combine(actor: str, agent: str) -> str:
    """An actor code with an agent code: ``~GOV`` appended, ``NGO~`` prefixed (no repeats)."""
    if agent.startswith("~"):
        tail = agent[1:]
        return actor if actor.endswith(tail) else actor + tail
    head = agent.rstrip("~")
    return actor if actor.startswith(head) else head + actor


# ---------------------------------------------------------------- verbs and patterns


def _verb_nodes(root: Node) -> list[Node]:
    """Every verb word node (VB*), in sentence order."""
    return [lf for lf in root.leaves() if lf.parent is not None and lf.parent.label.startswith("VB")]


def _clause_of(vp: Node) -> Node:
    """The nearest S-like node above a verb phrase."""
    n = vp
    while n.parent is not None and not n.parent.tag.startswith("S") and n.parent.tag != "TOP":
        n = n.parent
    return n.parent or n


def _subject(vp: Node, sent: Sentence) -> tuple[list[str], Node | None]:
    """Codes of the subject: the NP before the VP in the nearest clause, climbing further if uncoded."""
    n: Node | None = vp
    while n is not None and n.parent is not None:
        par = n.parent
        if par.tag.startswith("S") or par.tag in ("VP",):
            idx = par.children.index(n)
            for sib in reversed(par.children[:idx]):
                if sib.tag == "NP":
                    codes = sent.np_codes(sib)
                    if codes:
                        return codes, sib
                    if par.tag.startswith("S") and not _pronoun(sib):
                        return sent.new_actor(sib), sib
                    break
        if par.tag == "SBAR" and any(c.tag.startswith("WH") for c in par.children):
            grand = par.parent
            if grand is not None and grand.tag == "NP":
                return sent.np_codes(grand), grand
        n = par
    return [], None


def _pronoun(np: Node) -> bool:
    """A noun phrase that is only a personal pronoun: its actor is the subject of the clause above."""
    lv = np.leaves()
    return len(lv) == 1 and lv[0].word.upper() in PRONOUNS


def _objects(vp: Node, verb: Node, sent: Sentence) -> list[str]:
    """Codes of the first coded NP among the verb phrase's objects and PPs (breadth first)."""
    queue = [c for c in vp.children if c.span[0] > verb.i]
    while queue:
        node = queue.pop(0)
        if node.tag == "NP":
            codes = sent.np_codes(node) or sent.new_actor(node)
            if codes:
                return codes
            queue.extend(c for c in node.children if c.tag in ("NP", "PP"))
        elif node.tag in ("PP", "ADVP", "ADJP", "PRT"):
            queue.extend(c for c in node.children if not c.is_leaf)
        elif node.tag in ("S", "SBAR", "VP") and not _has_coded_verb(node, sent):
            queue.extend(c for c in node.children if not c.is_leaf)
    return []


def _has_coded_verb(node: Node, sent: Sentence) -> bool:
    return any(sent.dicts.verbs.lookup(lf.word) for lf in _verb_nodes(node))


@dataclass
class Match:
    """A pattern match: the code and any actors the pattern pointed at."""

    code: str
    pattern: str = ""
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)


def _synset_at(toks: list[str], i: int, phrases: list[tuple[str, ...]], step: int) -> int:
    """Length of the synset phrase matching at ``i`` (reading in direction ``step``), 0 if none."""
    for ph in sorted(phrases, key=len, reverse=True):
        seq = ph if step > 0 else tuple(reversed(ph))
        if all(0 <= i + k * step < len(toks) and toks[i + k * step] in _variants(w) for k, w in enumerate(seq)):
            return len(ph)
    return 0


def _variants(word: str) -> set[str]:
    """A pattern word and its regular plural."""
    return {word, word + "S", word + "ES", word[:-1] + "IES" if word.endswith("Y") else word}


def match_side(toks: list[str], start: int, step: int, pat: tuple[str, ...], tight: tuple[bool, ...],
               sent: Sentence, stop: int) -> tuple[bool, list[str], list[str]]:
    """Match one side of a pattern walking from ``start`` by ``step``; returns (ok, source, target)."""
    i = start
    src: list[str] = []
    tgt: list[str] = []
    for k, tok in enumerate(pat):
        if tok in ("+", "$", "%", "^"):
            j, codes = _actor_from(i, step, sent, stop)
            if tok != "^" and not codes:
                return False, [], []
            if tok == "+" or tok == "%" and step > 0:
                tgt = codes
            if tok == "$" or tok == "%" and step < 0:
                src = codes
            i = j if tok != "^" else _skip_phrase(i, step, sent, stop)
            continue
        found = False
        lim = i + step if (tight[k] if k < len(tight) else False) else stop
        j = i
        while (j != lim) and 0 <= j < len(toks) and (step > 0 and j < stop or step < 0 and j > stop):
            if tok.startswith("&"):
                n = _synset_at(toks, j, sent.dicts.verbs.synsets.get(tok, []), step)
                if n:
                    i = j + n * step
                    found = True
                    break
            elif toks[j] in _variants(tok):
                i = j + step
                found = True
                break
            j += step
        if not found:
            return False, [], []
    return True, src, tgt


def _actor_from(i: int, step: int, sent: Sentence, stop: int) -> tuple[int, list[str]]:
    """The next actor code from token ``i`` in direction ``step``: (index after it, codes)."""
    j = i
    while (step > 0 and j < stop) or (step < 0 and j > stop):
        for at in (sent.actor_at, sent.agent_at):
            if j in at:
                np = sent.phrase_at(j)
                codes = sent.np_codes(np) if np is not None else []
                codes = codes or sent._codes_in((j, j + at[j][0]))
                if np is not None and len(codes) > 1:
                    a, b = np.span
                    return (b if step > 0 else a - 1), codes
                return j + at[j][0] * (1 if step > 0 else 0) + (0 if step > 0 else -1), codes
        j += step
    return i, []


def _skip_phrase(i: int, step: int, sent: Sentence, stop: int) -> int:
    """Skip one noun-phrase-like run of words."""
    j = i
    while 0 <= j < len(sent.tags) and ((step > 0 and j < stop) or (step < 0 and j > stop)):
        if sent.tags[j] in ("IN", "TO"):
            j += step
        else:
            break
    i = j
    while (step > 0 and j < stop) or (step < 0 and j > stop):
        if sent.tags[j].startswith(("NN", "JJ", "DT", "CD", "PRP", "POS")):
            j += step
        else:
            break
    return j if j != i else i + step


def best_pattern(form: VerbForm, verb_i: int, lower_stop: int, upper_stop: int, sent: Sentence) -> Match | None:
    """The first (longest) pattern of the verb's block that matches around ``verb_i``."""
    block = sent.dicts.verbs.blocks.get(form.block)
    if block is None:
        return None
    after = verb_i + 1 + len(form.after)
    for pat in block.patterns:
        if not valid_code(pat.code):
            continue
        ok_l, s1, t1 = match_side(sent.toks, verb_i - 1 - len(form.before), -1, pat.lower, pat.lower_tight, sent, lower_stop - 1)
        if not ok_l:
            continue
        ok_u, s2, t2 = match_side(sent.toks, after, 1, pat.upper, pat.upper_tight, sent, upper_stop)
        if not ok_u:
            continue
        return Match(pat.code, pat.raw, s1 or s2, t1 or t2)
    return None


_VALID_CODE = re.compile(r"^(---|[0-9]{2,4}[0-9A-Z]?)(:(---|[0-9]{2,4}[0-9A-Z]?))?$")


def valid_code(code: str) -> bool:
    """Whether a pattern code is a usable event code (``---`` or CAMEO digits, paired with ``:``).

    Placeholder codes some dictionaries carry for testing (``+++``, ``###``) never fire.
    """
    return bool(_VALID_CODE.match(code.strip()))


def _form_for(verb: Node, sent: Sentence) -> VerbForm | None:
    """The verb form: a multiword form whose particles follow the verb wins over the plain form."""
    forms = sent.dicts.verbs.lookup(verb.word)
    best = None
    for f in forms:
        n, b = len(f.after), len(f.before)
        if n and tuple(sent.toks[verb.i + 1: verb.i + 1 + n]) == f.after:
            return f
        if b and not n and verb.i >= b and tuple(sent.toks[verb.i - b: verb.i]) == f.before:
            return f
        if not n and not f.before and best is None:
            best = f
    return best


def _negated(verb: Node, vp: Node, sent: Sentence) -> bool:
    """A negator between the clause start and the verb, inside the verb's own verb phrase chain."""
    top = vp
    while top.parent is not None and top.parent.tag == "VP":
        top = top.parent
    lo = top.span[0]
    return any(sent.toks[k] in NEGATORS and sent.tags[k] in ("RB", "DT") for k in range(lo, verb.i))


def code_tree(tree: str | Node, date: int, dicts: Dictionaries,
              options: CoderOptions | None = None) -> list[CodedEvent]:
    """Code one parsed sentence (Penn Treebank bracketed tree) into events."""
    root = parse_tree(tree) if isinstance(tree, str) else tree
    opts = options or CoderOptions()
    sent = Sentence(root, date, dicts, opts)
    if dicts.discards.hit(sent.toks):
        return []
    events: list[CodedEvent] = []
    for verb in _verb_nodes(root):
        events.extend(_code_verb(verb, sent))
    if opts.require_dyad:
        events = [e for e in events if e.source != "---" and e.target != "---"]
    return _dedupe(events)


BE_FORMS = {"AM", "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", "'S", "'RE"}
PRONOUNS = {"IT", "HE", "SHE", "THEY", "WE", "I", "YOU", "ITS", "THEIR", "HIS", "HER"}


def _passive(verb: Node, vp: Node, sent: Sentence) -> bool:
    """A past participle governed by a form of *be* (``was opposed``, ``could be drawn``)."""
    if sent.tags[verb.i] not in ("VBN", "VBD"):
        return False
    up = vp.parent
    for _ in range(2):
        if up is None or up.tag != "VP":
            return False
        head = next((c for c in up.children if c.tag.startswith(("VB", "MD"))), None)
        if head is not None and head.leaves() and head.leaves()[0].word.upper() in BE_FORMS:
            return True
        up = up.parent
    return False


def _by_agent(vp: Node, sent: Sentence) -> list[str]:
    """Codes of the ``by`` phrase of a passive verb phrase."""
    queue = list(vp.children)
    while queue:
        c = queue.pop(0)
        if c.tag == "PP" and c.leaves() and c.leaves()[0].word.upper() == "BY":
            np = _first_np(c)
            if np is not None:
                return sent.np_codes(np)
        elif c.tag in ("ADVP", "PP"):
            queue.extend(k for k in c.children if not k.is_leaf)
    return []


def _first_actor_after(start: int, end: int, sent: Sentence) -> list[str]:
    """The first coded actor phrase in tokens [start, end): the verb's target when no object names one."""
    for j in range(start, end):
        if j in sent.actor_at:
            np = sent.phrase_at(j)
            codes = sent.np_codes(np) if np is not None else []
            return [c for c in codes if not c.startswith("---")] or sent._codes_in((j, j + sent.actor_at[j][0]))
    return []


def _code_verb(verb: Node, sent: Sentence) -> list[CodedEvent]:
    """Events from one verb."""
    form = _form_for(verb, sent)
    if form is None or verb.parent is None:
        return []
    vp = verb.parent.parent if verb.parent.parent is not None else verb.parent
    upper_stop = vp.span[1]
    m = best_pattern(form, verb.i, 0, upper_stop, sent)
    code = m.code if m else form.code
    if not code or code.startswith("---"):
        return []
    if m is None and _negated(verb, vp, sent):
        return []
    pattern = m.pattern if m else ""
    if m and "%" in pattern and len(m.source) > 1 and not m.target:
        tgt = _objects(vp, verb, sent)
        return _emit(m.source, tgt or m.source, code, verb.word, pattern, reciprocal=not tgt)
    subject = _subject(vp, sent)[0]
    if _passive(verb, vp, sent) and not (m and (m.source or m.target)):
        agent = _by_agent(vp, sent)
        if agent:
            return _emit(agent, subject or ["---"], code, verb.word, pattern)
    src = (m.source if m else []) or subject
    tgt = (m.target if m else []) or _objects(vp, verb, sent) or _first_actor_after(verb.i + 1, upper_stop, sent)
    if not tgt and len(src) > 1:
        return _emit(src, src, code, verb.word, pattern, reciprocal=True)
    return _emit(src, tgt or ["---"], code, verb.word, pattern)


def _emit(src: list[str], tgt: list[str], code: str, verb: str, pattern: str,
          reciprocal: bool = False) -> list[CodedEvent]:
    """Events for every source/target pair (no self-events), paired codes both ways.

    A target ``---`` stands for an uncoded target (the event keeps its source); ``reciprocal``
    codes a compound subject acting on its own members ("X and Y agreed").
    """
    out: list[CodedEvent] = []
    first, _, second = code.partition(":")
    if reciprocal:
        second = ""
    for s in src or []:
        for t in tgt or []:
            if s == t:
                continue
            out.append(CodedEvent(s, t, first, verb, pattern))
            if second and second != "---":
                out.append(CodedEvent(t, s, second, verb, pattern))
    return out


def _dedupe(events: list[CodedEvent]) -> list[CodedEvent]:
    seen: set[tuple[str, str, str]] = set()
    out: list[CodedEvent] = []
    for e in events:
        key = (e.source, e.target, e.code)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
