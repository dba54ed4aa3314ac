"""Build ``khabar/kb/data/actors.json``: people, organisations, armed groups and media with dated roles.

Sources (read in place from ../shared/data/events, never shipped as text):

- ``petrarch2/dictionaries/Phoenix.{Countries,International,MilNonState}.actors.txt`` (MIT):
  actor names and spelling variants with CAMEO codes and date ranges (TABARI format: a block of
  name lines, ``+`` marking variants, then ``[CODE from-to]`` lines; dates YYMMDD or YYYYMMDD,
  ``>date`` open-ended, ``<date`` up to);
- ``CountryInfo/CountryInfo.120116.txt`` (CC BY-SA 3.0, Philip A. Schrodt): the titles of those
  people (the ``<Leaders>`` sub-tags, the ``# Minister of ...`` comments of ``<Government>``),
  with their dates and the country they served;
- ``khabar/kb/actors_curated.json`` (ours): officeholders of 2024-2025 the dictionaries lack,
  with names in other scripts; an entry whose id the build also makes is merged into it;
- ``khabar/kb/outlets.json`` (ours): media outlets and agencies.

Our output format, one entry per line: ``id``, ``kind`` (person/organisation/group/media),
``name`` (Latin), ``names`` {language or ``und``: [spellings]}, ``country`` (ISO alpha-2),
``codes`` ["CAMEO since/until"], ``roles`` [[title, country, cameo, since, until, source]],
``keys``: the Latin matching keys of its names (``khabar.text.translit.match_key``; precomputed
so loading is fast: change the translit rules, rebuild).
Dates are ISO (``2008-05-07``) or empty. The build is deterministic: ``--check`` rebuilds and
compares with the committed file.

    python -m khabar.kb.build_actors          # writes khabar/kb/data/actors.json
    python -m khabar.kb.build_actors --check  # exit 1 when the committed file is stale
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..shared import shared_dir
from ..text.translit import match_key
from .places import load_places

HERE = Path(__file__).resolve().parent
OUT = HERE / "data" / "actors.json"
CURATED = HERE / "actors_curated.json"
OUTLETS = HERE / "outlets.json"
PHOENIX = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
COUNTRYINFO = "CountryInfo.120116.txt"
# Variants holding a title are not names of the person ("PRESIDENT_PUTIN_"): left out.
TITLE_WORDS = {"PRESIDENT", "MINISTER", "PREMIER", "SECRETARY", "CHANCELLOR", "KING", "PRINCE", "GENERAL",
               "CHAIRMAN", "LEADER", "SPOKESMAN", "AMBASSADOR", "GOVERNOR", "MAYOR", "CHIEF", "DIRECTOR",
               "COMMANDER", "SECRETARY-GENERAL", "FORMER", "DEPUTY", "VICE", "SENATOR", "JUDGE", "EMIR"}
ORG_WORDS = {"ORGANIZATION", "ORGANISATION", "PARTY", "ARMY", "FRONT", "COMMITTEE", "BRIGADE", "BRIGADES",
             "UNION", "COUNCIL", "MOVEMENT", "AGENCY", "BANK", "FUND", "COMMISSION", "ASSOCIATION", "GROUP",
             "FORCES", "FORCE", "LEAGUE", "INSTITUTE", "COURT", "PROGRAMME", "PROGRAM", "OFFICE", "NATIONS",
             "CORPS", "FEDERATION", "ALLIANCE", "SOCIETY", "CENTER", "CENTRE", "FOUNDATION", "COMPANY",
             "MILITIA", "MILITIAS", "REBELS", "GUERRILLAS", "COALITION", "BUREAU", "NETWORK", "ORGANIZATIONS",
             "FACTION", "ARMIES", "CELLS", "CELL", "TIGERS", "MUJAHIDEEN", "TALIBAN", "BOARD", "WORLD", "IAEA",
             "NATO", "ASEAN", "IMF", "OPEC", "UNICEF", "UNESCO", "INTERPOL", "COMMUNITY", "AUTHORITY"}
ROLE_FIELDS = ("title", "country", "cameo", "since", "until", "source")
MAX_VARIANTS = 8  # spelling variants kept per source entry
CODE_RE = re.compile(r"\[([^\]]*)\]")


@dataclass
class Block:
    """One TABARI actor block: its names, CAMEO code ranges and comment."""

    names: list[str] = field(default_factory=list)
    codes: list[tuple[str, str, str]] = field(default_factory=list)
    comment: str = ""
    source: str = ""


# ----- dates and names ---------------------------------------------------------------------------
def iso_date(raw: str) -> str:
    """``991231`` -> ``1999-12-31``, ``20080507`` -> ``2008-05-07``; '' when unreadable. Two-digit
    years up to 29 are 20xx (the dictionaries end in the 2010s)."""
    raw = raw.strip()
    if len(raw) == 6 and raw.isdigit():
        yy = int(raw[:2])
        raw = f"{2000 + yy if yy <= 29 else 1900 + yy}{raw[2:]}"
    if len(raw) != 8 or not raw.isdigit():
        return ""
    month, day = min(max(int(raw[4:6]), 1), 12), min(max(int(raw[6:8]), 1), 31)
    if month in (4, 6, 9, 11) and day == 31 or month == 2 and day > 29:
        day = 30 if month != 2 else 28  # the source writes 20060431 for "end of April"
    return f"{raw[:4]}-{month:02d}-{day:02d}"


def parse_code(cell: str) -> tuple[str, str, str] | None:
    """``RUSGOV 991231-080507`` -> (RUSGOV, 1999-12-31, 2008-05-07); ``>d`` open, ``<d`` until."""
    parts = cell.split()
    if not parts or not re.fullmatch(r"[A-Z]{3,15}", parts[0]):
        return None
    rng = "".join(parts[1:])
    since = until = ""
    if rng.startswith(">"):
        since = iso_date(rng[1:])
    elif rng.startswith("<"):
        until = iso_date(rng[1:])
    elif "-" in rng:
        a, _, b = rng.partition("-")
        since, until = iso_date(a), iso_date(b)
    return parts[0], since, until


def display(raw: str) -> str:
    """``VLADIMIR_V._PUTIN_`` -> ``Vladimir V. Putin`` (the sources are upper case)."""
    words = [w for w in raw.replace("_", " ").split() if w]
    out = []
    for w in words:
        low = w.lower()
        out.append(low if low in ("bin", "al", "of", "the", "and", "de", "for", "ul", "el") and out
                   else "-".join(p[:1].upper() + p[1:] for p in low.split("-")))
    return " ".join(out).strip(" ,")


def slug(name: str) -> str:
    """The id part of a Latin name: lower case, ASCII letters and digits joined by hyphens."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s[4:] if s.startswith("the-") else s


# ----- Phoenix dictionaries ----------------------------------------------------------------------
def phoenix_blocks(path: Path) -> Iterator[Block]:
    """The actor blocks of one TABARI .actors file."""
    cur = Block(source=path.name)
    for line in path.read_text(encoding="utf-8", errors="replace").replace("\x00", "").replace("\x1a", "").splitlines():
        if not line.strip():
            if cur.names:
                yield cur
            cur = Block(source=path.name)
            continue
        if line.lstrip().startswith("#"):
            continue
        body, _, comment = line.partition("#")
        indented = line[:1] in " \t" or body.strip().startswith("[")
        codes = [c for c in (parse_code(x) for x in CODE_RE.findall(body)) if c]
        if indented:
            cur.codes.extend(codes)
            continue
        if cur.codes and cur.names:
            yield cur
            cur = Block(source=path.name)
        name = CODE_RE.sub("", body).strip().lstrip("+").strip()
        if name:
            cur.names.append(name)
            cur.comment = cur.comment or comment.strip()
        cur.codes.extend(codes)
    if cur.names:
        yield cur


def _kind(block: Block, words: set[str]) -> str | None:
    """person, organisation or group; None for what is no actor of ours (states, bare codes)."""
    codes = [c for c, _, _ in block.codes]
    if not codes or all(len(c) <= 3 for c in codes) and "CountryInfo" not in block.comment:
        return None  # a state or territory: the places KB has those
    if "CountryInfo" in block.comment or "rulers" in block.comment.lower():
        return "person"
    if words & ORG_WORDS or any(c.endswith(("REB", "INS", "SEP", "UAF")) for c in codes) and \
            not any(s or u for _, s, u in block.codes):
        return "group" if any(c[3:6] in ("REB", "INS", "SEP", "UAF") or c.startswith("IMG") for c in codes) \
            else "organisation"
    if any(s or u for _, s, u in block.codes) or any(c.endswith("ELI") for c in codes):
        return "person"
    if block.source.startswith("Phoenix.Countries"):
        return None  # agent-like phrases of the country file
    return "organisation" if codes[0].startswith("IGO") or codes[0].startswith("NGO") else "group"


def phoenix_entries(root: Path) -> list[dict[str, Any]]:
    """Entries from the three Phoenix actor files, in file order."""
    out = []
    for fname in PHOENIX:
        for block in phoenix_blocks(root / "petrarch2" / "dictionaries" / fname):
            first = block.names[0]
            words = set(re.split(r"[_\s]+", first.upper()))
            kind = _kind(block, words)
            if kind is None or all(c.startswith("MNC") for c, _, _ in block.codes):
                continue  # no actor of ours, or a company (left out to keep the file small)
            names = [display(n) for n in block.names
                     if not (kind == "person" and set(re.split(r"[_\s]+", n.upper())) & TITLE_WORDS)]
            names = list(dict.fromkeys(n for n in names if len(n) > 1))[:MAX_VARIANTS]
            if not names:
                continue
            out.append({"raw": first, "kind": kind, "name": names[0], "names": names,
                        "codes": [list(c) for c in block.codes if c[0] != "---"], "source": fname})
    return out


# ----- CountryInfo titles ------------------------------------------------------------------------
_SINGULAR = {"secretaries": "secretary", "chairmen": "chairman", "ministers": "minister", "presidents": "president",
             "chancellors": "chancellor", "premiers": "premier", "kings": "king", "leaders": "leader",
             "governors": "governor", "chiefs": "chief", "heads": "head", "emirs": "emir", "sultans": "sultan",
             "queens": "queen", "monarchs": "monarch", "rulers": "ruler", "chairpersons": "chairperson"}


def _title(tag: str) -> str:
    words = tag.lower().replace("_", " ").split()
    return " ".join(_SINGULAR.get(w, w) for w in words)


def _ranges(text: str) -> list[tuple[str, str]]:
    out = []
    for cell in CODE_RE.findall(text):
        cell = cell.replace(" ", "")
        if cell.startswith(("B:", "D:")):
            continue
        if cell.startswith(">"):
            out.append((iso_date(cell[1:]), ""))
        elif cell.startswith("<"):
            out.append(("", iso_date(cell[1:])))
        elif "-" in cell:
            a, _, b = cell.partition("-")
            out.append((iso_date(a), iso_date(b)))
    return out


def countryinfo_roles(root: Path) -> dict[str, list[dict[str, str]]]:
    """Titles by upper-case name key (``VLADIMIR_PUTIN``) from CountryInfo's Leaders and Government."""
    text = (root / "CountryInfo" / COUNTRYINFO).read_text(encoding="utf-8", errors="replace")
    text = text.replace("\x00", "").replace("\x1a", "")
    roles: dict[str, list[dict[str, str]]] = {}
    for block in re.findall(r"<Country>(.*?)</Country>", text, re.S):
        iso2 = (re.findall(r"<ISO3166-alpha2>\s*([A-Z]{2})\s*<", block) or [""])[0]
        leaders = re.search(r"<Leaders>(.*?)</Leaders>", block, re.S)
        if leaders:
            for tag, inner in re.findall(r"<([^/>][^>]*)>(.*?)</\1>", leaders.group(1), re.S):
                for line in inner.splitlines():
                    _add_roles(roles, line, _title(tag), iso2, "")
        gov = re.search(r"<Government>(.*?)</Government>", block, re.S)
        if gov:
            for line in gov.group(1).splitlines():
                _add_roles(roles, line, "", iso2, "")
    return roles


def _add_roles(roles: dict[str, list[dict[str, str]]], line: str, title: str, iso2: str, cameo: str) -> None:
    body, _, comment = line.partition("#")
    names = re.findall(r"\{([^}]+)\}", body) or re.findall(r"^\s*([A-Z][A-Z'.\-]*(?:_[A-Z'.\-]*)+)", body)
    if not names:
        return
    titles = [t.strip().lower() for t in comment.split("&")] if comment.strip() else []
    coded = [c for c in (parse_code(x) for x in CODE_RE.findall(body)) if c]
    found: list[dict[str, str]] = []
    if coded:
        for k, (code, since, until) in enumerate(coded):
            t = titles[k] if k < len(titles) else (titles[-1] if titles else "")
            found.append({"title": _clean_title(t), "country": iso2, "cameo": code, "since": since, "until": until})
    elif title:
        for since, until in _ranges(body):
            found.append({"title": title, "country": iso2, "cameo": "", "since": since, "until": until})
    for name in names:
        roles.setdefault(name.strip("_ ").upper(), []).extend(found)


def _clean_title(t: str) -> str:
    t = re.sub(r'"[^"]*"', "", t).strip(" ,;.")
    return " ".join(t.split())


def capitals(root: Path) -> dict[str, dict[str, Any]]:
    """ISO alpha-2 -> the capital named by CountryInfo, with the places KB city's coordinates
    (a state's point on a map)."""
    places = load_places()
    cities: dict[tuple[str, str], Any] = {}
    for p in places.places:
        if p.kind == "city" and p.country:
            cities.setdefault((p.country, p.name.lower()), p)
    text = (root / "CountryInfo" / COUNTRYINFO).read_text(encoding="utf-8", errors="replace")
    out: dict[str, dict[str, Any]] = {}
    for block in re.findall(r"<Country>(.*?)</Country>", text.replace("\x00", ""), re.S):
        iso2 = (re.findall(r"<ISO3166-alpha2>\s*([A-Z]{2})\s*<", block) or [""])[0]
        cap = re.search(r"<Capital>(.*?)</Capital>", block, re.S)
        if not iso2 or not cap:
            continue
        for raw in cap.group(1).split():
            city = cities.get((iso2, display(raw).lower()))
            if city is not None:
                out[iso2] = {"capital": city.name, "city": city.id, "lat": city.lat, "lon": city.lon}
                break
    return dict(sorted(out.items()))


# ----- assembling --------------------------------------------------------------------------------
def _cameo_country(cameo_to_iso: dict[str, str], codes: list[list[str]]) -> str:
    for code, *_ in codes:
        iso2 = cameo_to_iso.get(code[:3])
        if iso2:
            return iso2
    return ""


def _merge_curated(entries: dict[str, dict[str, Any]], curated: list[dict[str, Any]]) -> None:
    for c in curated:
        e = entries.setdefault(c["id"], {"id": c["id"], "names": {}, "codes": [], "roles": []})
        e["kind"], e["name"], e["country"] = c["kind"], c["name"], c.get("country", "")
        for lang, names in c.get("names", {}).items():
            bucket = e["names"].setdefault(lang, [])
            bucket.extend(n for n in names if n not in bucket)
        if c["name"] not in e["names"].setdefault("en", []):
            e["names"]["en"].insert(0, c["name"])
        e["roles"] = [dict(r, source="curated") for r in c.get("roles", [])] + e["roles"]
        for r in c.get("roles", []):
            if r.get("cameo"):
                e["codes"].append([r["cameo"], r.get("since", ""), r.get("until", "")])


def _outlets() -> list[dict[str, Any]]:
    data = json.loads(OUTLETS.read_text(encoding="utf-8"))
    out = []
    for o in data["outlets"]:
        names = list(dict.fromkeys([o["name"], *o["names"]]))
        out.append({"id": f"media:{o['id']}", "kind": "media", "name": o["name"], "names": {"und": names},
                    "country": o.get("country", ""), "codes": [], "roles": [
                        {"title": o["kind"], "country": o.get("country", ""), "cameo": "", "source": "outlets"}]})
    return out


def build(root: Path) -> dict[str, Any]:
    """The whole knowledge base as a dict (see the module docstring)."""
    places = load_places()
    cameo_to_iso = {p.cameo: p.iso2 for p in places.states.values() if p.cameo}
    titles = countryinfo_roles(root)
    entries: dict[str, dict[str, Any]] = {}
    for ph in phoenix_entries(root):
        prefix = "person" if ph["kind"] == "person" else "org"
        key = f"{prefix}:{slug(ph['name'])}"
        country = _cameo_country(cameo_to_iso, ph["codes"])
        if key in entries and entries[key]["country"] != country:
            key = f"{key}-{country.lower() or 'x'}"
        e = entries.setdefault(key, {"id": key, "kind": ph["kind"], "name": ph["name"], "names": {"en": []},
                                     "country": country, "codes": [], "roles": []})
        e["names"]["en"].extend(n for n in ph["names"] if n not in e["names"]["en"])
        e["codes"].extend(c for c in ph["codes"] if c not in e["codes"])
        for raw in [ph["raw"], *[n.upper().replace(" ", "_") for n in ph["names"]]]:
            for r in titles.get(raw.strip("_ ").upper(), []):
                role = dict(r, source="countryinfo")
                if role not in e["roles"]:
                    e["roles"].append(role)
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    _merge_curated(entries, curated["actors"])
    for m in _outlets():
        entries.setdefault(m["id"], m)
    return {
        "_source": {
            "phoenix": "Phoenix actor dictionaries of openeventdata/petrarch2 (MIT, (c) 2014 Open Event Data "
                       "Alliance): names, spelling variants, CAMEO codes with dates",
            "countryinfo": "CountryInfo.120116.txt of openeventdata/CountryInfo (CC BY-SA 3.0 Unported, (c) 2012 "
                           "Philip A. Schrodt): titles of leaders and ministers with dates. This file is a "
                           "derived work and is shared under CC BY-SA 3.0 too",
            "plover": "CAMEO sector codes as used by PLOVER/CAMEO (openeventdata/PLOVER, CC BY-SA 4.0)",
            "curated": "khabar/kb/actors_curated.json and khabar/kb/outlets.json (ours, MIT): 2024-2025 "
                       "officeholders, names in other scripts, media outlets",
            "as_of": "the dictionaries end in 2012-2014; curated entries are as of 2024-2025",
        },
        "_version": 1,
        "_states": capitals(root),
        "_fields": {"codes": "CAMEO code, then since/until when dated", "roles": list(ROLE_FIELDS)},
        "entries": [entries[k] for k in sorted(entries)],
    }


def compact(e: dict[str, Any]) -> dict[str, Any]:
    """An entry without empty values; codes as ``"RUSGOV 1999-12-31/2008-05-07"`` strings, roles
    as lists in ``ROLE_FIELDS`` order."""
    codes = []
    for code, since, until in e.get("codes", []):
        cell = f"{code} {since}/{until}" if since or until else code
        if cell not in codes:
            codes.append(cell)
    roles: list[list[str]] = []
    for r in e.get("roles", []):
        row = [r.get(k, "") or "" for k in ROLE_FIELDS]
        if row not in roles:
            roles.append(row)
    out = dict(e, codes=codes, roles=roles, names={k: v for k, v in e["names"].items() if v})
    names = list(dict.fromkeys([e["name"], *(n for v in out["names"].values() for n in v)]))
    out["keys"] = list(dict.fromkeys(k for k in map(match_key, names) if k))
    return {k: v for k, v in out.items() if v}


def dump(data: dict[str, Any]) -> str:
    """The file text: header keys, then one entry per line (reviewable diffs)."""
    head = {k: v for k, v in data.items() if k != "entries"}  # _states: one line per state below
    states = head.pop("_states", {})
    head_text = json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1]
    state_rows = ",\n".join(f"{json.dumps(k)}:{json.dumps(v, sort_keys=True)}" for k, v in states.items())
    lines = [head_text + ',"_states":{\n' + state_rows + '\n},"entries":[']
    rows = [json.dumps(compact(e), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for e in data["entries"]]
    return "\n".join(lines) + "\n" + ",\n".join(rows) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: write the knowledge base, or check that the committed one is current."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file; exit 1 if stale")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = dump(build(shared_dir() / "data" / "events"))
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("actors.json is current" if same else "actors.json is stale: run python -m khabar.kb.build_actors")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
