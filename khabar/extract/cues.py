"""Cue words of the language packs' ``furniture.json``, merged and compiled into the patterns the
furniture and dateline rules use.

All packs are merged because extraction runs before language identification, and a cue in one
language does not clash with text in another; so no rule here ever names a language.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..kb import outlets as kb
from ..langs import available, pack

SENTENCE_END = ".۔!?؟。…"
NEVER = r"(?!x)x"  # a pattern that matches nothing, for an empty cue list


@dataclass(frozen=True)
class Cues:
    """Cue words of every language pack, compiled into the patterns the rules use."""

    caption_start: re.Pattern[str]
    caption_paren: re.Pattern[str]
    caption_tail: re.Pattern[str]
    source: re.Pattern[str]
    translation: re.Pattern[str]
    translation_from: re.Pattern[str]
    translation_frames: tuple[re.Pattern[str], ...]
    translation_by: re.Pattern[str]
    comments: tuple[re.Pattern[str], ...]
    byline: re.Pattern[str]
    name_and: re.Pattern[str]
    name_list: re.Pattern[str]
    reporters: frozenset[str]
    months: dict[str, int]
    day_words: dict[str, int]


def alt(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, any white space between their words."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", " ").replace(" ", r"\s+") for w in ordered) or NEVER


def _merged() -> tuple[dict[str, list[str]], dict[str, int], dict[str, int], list[list[str]]]:
    """Every list-valued key of all packs' furniture.json, joined; month and day words; frames."""
    merged: dict[str, list[str]] = {}
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    frames: list[list[str]] = []
    for code in available():
        lp = pack(code)
        if not lp.has("furniture.json"):
            continue
        data = lp.json("furniture")
        for key, value in data.items():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                merged.setdefault(key, []).extend(value)
        months.update({k.casefold(): v for k, v in data.get("months", {}).items()})
        days.update({k.casefold(): v for k, v in data.get("day_words", {}).items()})
        frames += [f for f in data.get("translation_frames", []) if isinstance(f, list) and len(f) == 2]
    return merged, months, days, frames


def _frame_patterns(frames: list[list[str]], flags: int) -> tuple[re.Pattern[str], ...]:
    """Whole lines made of a frame's lead, the source it names (group ``src``) and the frame's
    tail, which may be empty (``یہ خبر … سے ترجمہ کی گئی ہے``, ``This story was translated from …``)."""
    out = []
    for lead, tail in frames:
        end = rf"\s*(?:{alt([tail])})" if tail.strip() else ""
        out.append(re.compile(rf"\s*(?:{alt([lead])})\s+(?P<src>\S.{{0,80}}?){end}"
                              rf"\s*[{re.escape(SENTENCE_END)}]?\s*$", flags))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    """The merged cues of all language packs (built once)."""
    merged, months, days, frames = _merged()
    photo = alt(merged.get("photo_cues", []))
    marks = alt(merged.get("credit_marks", []))
    comment = alt(merged.get("comment_cues", []))
    flags = re.I | re.U
    return Cues(
        caption_start=re.compile(rf"\s*(?:(?:{photo})\s*[:：\-–—|]|{marks})\s*(?P<credit>\S.*)$", flags),
        caption_paren=re.compile(
            rf"[(（\[]\s*(?P<cue>(?:{photo})\s*[:：\-–—]?\s*)?(?P<credit>[^()（）\[\]\n]{{1,80}}?)\s*[)）\]]"
            rf"\s*[.۔।]?\s*$", flags),
        caption_tail=re.compile(
            rf"(?:[{re.escape(SENTENCE_END)}]\s+|\s[|\-–—]\s*)"
            rf"(?P<cue>(?:(?:{photo})\s*[:：]|{marks})\s*)(?P<credit>[^.۔\n]{{1,80}}?)\s*[.۔]?\s*$", flags),
        source=re.compile(rf"\s*(?:{alt(merged.get('source_cues', []))})\s*[:：]\s*(?P<rest>\S.*?)\s*$", flags),
        translation=re.compile(
            rf"\s*(?P<cue>{alt(merged.get('translation_cues', []) + merged.get('translation_from_cues', []))})\s*[:：]?\s+(?P<rest>\S.{{0,150}}?)\s*$", flags),
        translation_from=re.compile(rf"(?:{alt(merged.get('translation_from_cues', []))})$", flags),
        translation_frames=_frame_patterns(frames, flags),
        translation_by=re.compile(rf"\s+(?:{alt(merged.get('translation_by_words', []))})\s+", flags),
        comments=(
            re.compile(rf"\s*(?:{comment})\s*[(（\[]\s*(?P<n>\d+)\s*[)）\]]\s*$", flags),
            re.compile(rf"\s*(?P<n>\d+)\s+(?:{comment})\s*$", flags),
            re.compile(rf"\s*(?:{comment})\s*[:：]\s*(?P<n>\d+)\s*$", flags),
        ),
        byline=re.compile(
            rf"\s*(?:{alt(merged.get('byline_cues', []))})\s*[:：]?\s+(?P<name>[^\d\s][^\n]{{1,80}}?)\s*$", flags),
        name_and=re.compile(rf"\s+(?:{alt(merged.get('name_joiners', []))})\s+|\s*&\s*", flags),
        name_list=re.compile(r"\s*[,،、/;]\s*", flags),
        reporters=frozenset(words_key(w) for w in merged.get("reporter_words", [])),
        months=months,
        day_words=days,
    )


def words_key(text: str) -> str:
    """``text`` folded (``kb.fold``) to its words joined by single spaces, punctuation dropped."""
    return " ".join(re.sub(r"\W+", " ", kb.fold(text)).split())


def trim_end(text: str, s: int, e: int) -> int:
    """``e`` moved left past white space and closing punctuation (``.``, ``۔``, ``,``, ``;``)."""
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".۔,،;"):
        e -= 1
    return e


def strip_right(text: str, s: int, e: int) -> int:
    """``e`` moved left past white space."""
    while e > s and text[e - 1].isspace():
        e -= 1
    return e
