"""Exports (issue 9): GDELT 2.0 Events/Mentions and GKG 2.1 read back with a reader written from
GDELT's published column lists, PLOVER records checked against PLOVER's field list, CoNLL-U
round trips, Parquet written and read back."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from khabar.errors import InputError
from khabar.export import FORMATS, export, export_text
from khabar.export import conllu
from khabar.export.parquet import iter_docs as parquet_docs, read_table

ROOT = Path(__file__).resolve().parents[1]

# ----- GDELT's column lists, written here from the codebooks (independently of khabar's data file) --
_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
EVENTS = (["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
          + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
          + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
             "NumMentions", "NumSources", "NumArticles", "AvgTone"]
          + [f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in _GEO]
          + ["DATEADDED", "SOURCEURL"])
EVENT_INTS = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
              "NumSources", "NumArticles", "DATEADDED", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type"}
EVENT_FLOATS = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
                "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long"}
MENTIONS = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
            "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
            "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"]
MENTION_INTS = {"GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "SentenceID",
                "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
                "MentionDocLen"}
GKG = ["GKGRECORDID", "V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER", "V2SOURCECOMMONNAME",
       "V2DOCUMENTIDENTIFIER", "V1COUNTS", "V2.1COUNTS", "V1THEMES", "V2ENHANCEDTHEMES", "V1LOCATIONS",
       "V2ENHANCEDLOCATIONS", "V1PERSONS", "V2ENHANCEDPERSONS", "V1ORGANIZATIONS",
       "V2ENHANCEDORGANIZATIONS", "V1.5TONE", "V2.1ENHANCEDDATES", "V2GCAM", "V2.1SHARINGIMAGE",
       "V2.1RELATEDIMAGES", "V2.1SOCIALIMAGEEMBEDS", "V2.1SOCIALVIDEOEMBEDS", "V2.1QUOTATIONS",
       "V2.1ALLNAMES", "V2.1AMOUNTS", "V2.1TRANSLATIONINFO", "V2EXTRASXML"]

# PLOVER's record fields and event types (openeventdata/PLOVER spec and 2021 type list).
PLOVER_FIELDS = {"id", "date", "source", "target", "event", "mode", "context", "eventText", "eventLoc",
                 "text", "textInfo", "language", "publication", "coder", "version", "dateCoded", "size",
                 "dead", "injured", "comment"}
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
                "REQUEST", "DEMAND", "ACCUSE", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION", "PROTEST",
                "CRIME", "MOBILIZE", "COERCE", "ASSAULT"}


def read_gdelt(text: str, names: list[str], ints: set[str], floats: set[str]) -> list[dict[str, Any]]:
    """A GDELT TSV reader: every line has exactly len(names) fields; ints/floats parse or are empty."""
    rows = []
    for line in text.splitlines():
        cells = line.split("\t")
        assert len(cells) == len(names), f"{len(cells)} fields, want {len(names)}"
        row: dict[str, Any] = {}
        for name, cell in zip(names, cells):
            if cell == "":
                row[name] = None
            elif name in ints:
                row[name] = int(cell)
            elif name in floats:
                row[name] = float(cell)
            else:
                row[name] = cell
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def store():
    """The bundled samples run through the default pipeline into a memory store."""
    from khabar.jobs import run_inputs
    from khabar.settings import Settings
    from khabar.store import MemoryStore

    st = MemoryStore()
    summary = run_inputs([str(ROOT / "samples")], st, Settings())
    assert summary.processed == 26
    return st


@pytest.fixture(scope="module")
def docs(store) -> dict[str, dict[str, Any]]:
    """Article JSON by URL or source (how GDELT rows name their document)."""
    return {d.get("url") or d["source"]: d for d in store.iter_docs()}


@pytest.mark.slow
def test_gdelt_events_every_column(store, docs) -> None:
    events = read_gdelt(export_text(store, "gdelt-events"), EVENTS, EVENT_INTS, EVENT_FLOATS)
    assert len(events) > 20
    assert len({e["GLOBALEVENTID"] for e in events}) == len(events)
    for e in events:
        assert e["GLOBALEVENTID"] > 0 and e["GLOBALEVENTID"] < 2 ** 63
        day = str(e["SQLDATE"])
        assert len(day) == 8 and e["MonthYear"] == int(day[:6]) and e["Year"] == int(day[:4])
        assert int(e["FractionDate"]) == e["Year"]
        assert re.fullmatch(r"\d{2,4}[A-Z]?", e["EventCode"])
        assert e["EventBaseCode"] == e["EventCode"][:3] and e["EventRootCode"] == e["EventCode"][:2]
        assert e["QuadClass"] in (1, 2, 3, 4) and -10 <= e["GoldsteinScale"] <= 10
        assert e["IsRootEvent"] in (0, 1)
        assert e["NumMentions"] >= e["NumArticles"] >= 1 and e["NumSources"] >= 1
        assert len(str(e["DATEADDED"])) == 14
        assert e["SOURCEURL"] in docs
        for side in ("Actor1", "Actor2"):
            code = e[f"{side}Code"] or ""
            if e[f"{side}CountryCode"]:
                assert code.startswith(e[f"{side}CountryCode"])
            assert all(t is None or t in code for t in (e[f"{side}Type1Code"], e[f"{side}Type2Code"]))
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
            if e[f"{geo}_Type"] is not None:
                assert e[f"{geo}_Type"] in (1, 2, 3, 4, 5)
                assert -90 <= e[f"{geo}_Lat"] <= 90 and -180 <= e[f"{geo}_Long"] <= 180
                assert e[f"{geo}_FullName"] and e[f"{geo}_FeatureID"]
    assert any(e["Actor1Code"] for e in events) and any(e["ActionGeo_Type"] for e in events)


@pytest.mark.slow
def test_gdelt_mentions_every_column(store, docs) -> None:
    events = read_gdelt(export_text(store, "gdelt-events"), EVENTS, EVENT_INTS, EVENT_FLOATS)
    mentions = read_gdelt(export_text(store, "gdelt-mentions"), MENTIONS, MENTION_INTS, {"MentionDocTone"})
    by_id = {e["GLOBALEVENTID"]: e for e in events}
    assert sum(e["NumMentions"] for e in events) == len(mentions)
    for m in mentions:
        ev = by_id[m["GLOBALEVENTID"]]
        assert m["EventTimeDate"] == ev["DATEADDED"] and len(str(m["MentionTimeDate"])) == 14
        assert m["MentionType"] in (1, 2)
        doc = docs[m["MentionIdentifier"]]
        assert m["MentionDocLen"] == len(doc["text"])
        assert 1 <= m["SentenceID"] <= len(doc["sentences"])
        for col in ("Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset"):
            assert -1 <= m[col] < m["MentionDocLen"]
        assert m["InRawText"] == 1 and 10 <= m["Confidence"] <= 100
        info = m["MentionDocTranslationInfo"]
        assert (info is None) == (doc["language"] == "en")
        if info:
            assert re.fullmatch(r"srclc:[a-z]{3};eng:none", info)


@pytest.mark.slow
def test_gkg_every_column(store, docs) -> None:
    rows = read_gdelt(export_text(store, "gkg"), GKG, {"V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER"}, set())
    assert len(rows) == 26 and len({r["GKGRECORDID"] for r in rows}) == 26
    quotes = 0
    for r in rows:
        assert re.fullmatch(r"\d{14}-\d+", r["GKGRECORDID"]) and len(str(r["V2.1DATE"])) == 14
        doc = docs[r["V2DOCUMENTIDENTIFIER"]]
        text = doc["text"]
        for item in filter(None, (r["V2ENHANCEDPERSONS"] or "").split(";")):
            name, offset = item.rsplit(",", 1)
            assert name and 0 <= int(offset) < len(text)
        for item in filter(None, (r["V2ENHANCEDLOCATIONS"] or "").split(";")):
            parts = item.split("#")
            assert len(parts) == 9 and int(parts[0]) in (1, 4, 5) and -90 <= float(parts[5]) <= 90
        for item in filter(None, (r["V2.1ENHANCEDDATES"] or "").split(";")):
            res, month, day, year, offset = (int(x) for x in item.split("#"))
            assert res in (1, 2, 4) and 0 <= month <= 12 and 0 <= day <= 31 and year > 1000
        for item in filter(None, (r["V2.1QUOTATIONS"] or "").split("#")):
            offset, length, _verb, quote = item.split("|")
            assert " ".join(text[int(offset):int(offset) + int(length)].split()) == quote.strip()
            quotes += 1
        for item in filter(None, (r["V2.1AMOUNTS"] or "").split(";")):
            amount, _obj, offset = item.split(",")
            float(amount), int(offset)
        assert r["V2GCAM"].startswith("wc:")
    assert quotes > 10
    assert any("KHABAR_QUOTE_SPEAKERS" in (r["V2EXTRASXML"] or "") for r in rows)


@pytest.mark.slow
def test_plover_records_validate(store) -> None:
    recs = [json.loads(line) for line in export_text(store, "plover").splitlines()]
    assert len(recs) > 20
    for rec in recs:
        assert set(rec) <= PLOVER_FIELDS, set(rec) - PLOVER_FIELDS
        assert {"id", "date", "event", "eventText", "text", "source"} <= set(rec)
        assert rec["event"] in PLOVER_TYPES
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", rec["date"])
        for side in ("source", "target"):
            for actor in rec.get(side, []):
                assert set(actor) <= {"actorText", "code", "sector", "agentText", "agent"} and actor["actorText"]
        if "eventLoc" in rec:
            assert rec["eventLoc"]["name"]
    assert len({r["id"] for r in recs}) == len(recs)


@pytest.mark.slow
def test_conllu_round_trip(store) -> None:
    text = export_text(store, "conllu")
    sents = conllu.read(text)
    assert len(sents) > 100
    out = io.StringIO()
    conllu.write(sents, out)
    assert out.getvalue() == text
    docs = {d["id"]: d for d in store.iter_docs()}
    current = None
    for s in sents:
        current = s.comments.get("newdoc id", current)
        body = docs[current]["text"]
        assert [int(r[0]) for r in s.rows] == list(range(1, len(s.rows) + 1))
        for row in s.rows:
            a, b = (int(x) for x in row[9].split("|")[0].removeprefix("TokenRange=").split(":"))
            assert " ".join(body[a:b].split()) == row[1]


def test_conllu_with_parse() -> None:
    doc = {"id": "x1", "text": "Ali met Sara.", "sentences": [[0, 13]]}
    toks = [{"sentence": 0, "idx": i, "start": a, "end": b, "lemma": l, "upos": u, "feats": None,
             "head": h, "dep": d} for i, (a, b, l, u, h, d) in enumerate(
        [(0, 3, "Ali", "PROPN", 1, "nsubj"), (4, 7, "meet", "VERB", 1, "root"),
         (8, 12, "Sara", "PROPN", 1, "obj"), (12, 13, ".", "PUNCT", 1, "punct")])]
    (sent,) = conllu.sentences(doc, toks)
    assert [r[6] for r in sent.rows] == ["2", "0", "2", "2"]
    assert [r[7] for r in sent.rows] == ["nsubj", "root", "obj", "punct"]
    assert sent.rows[2][9] == "TokenRange=8:12|SpaceAfter=No"
    assert sent.comments == {"newdoc id": "x1", "sent_id": "x1-1", "text": "Ali met Sara."}


def test_split_words_keeps_marks_inside_words() -> None:
    text = "«کہا»، ٹھیک ہے!"
    spans = conllu.split_words(text, 10)
    assert [text[a - 10:b - 10] for a, b in spans] == ["«", "کہا", "»", "،", "ٹھیک", "ہے", "!"]


def test_unknown_format_and_bad_source(tmp_path) -> None:
    from khabar.store import MemoryStore

    with pytest.raises(InputError):
        export(MemoryStore(), "gdelt-gkg3", io.StringIO())
    with pytest.raises(InputError):
        export(str(tmp_path), "plover", io.StringIO())
    assert set(FORMATS) == {"gdelt-events", "gdelt-mentions", "gkg", "plover", "parquet", "conllu"}


@pytest.mark.slow
def test_parquet_export_reads_back_and_exports_alike(store, tmp_path) -> None:
    n = export(store, "parquet", tmp_path / "pq")
    assert n == 26
    back = list(parquet_docs(tmp_path / "pq"))
    assert sorted(d["id"] for d in back) == sorted(d["id"] for d in store.iter_docs())
    assert any(p.name.startswith("pub_date=") for p in (tmp_path / "pq" / "events").iterdir())
    events = read_table(tmp_path / "pq", "events")
    assert len(events) == sum(len(d["events"]) for d in back)
    for fmt in ("gdelt-events", "gdelt-mentions", "plover"):
        a = sorted(export_text(store, fmt).splitlines())
        b = sorted(export_text(str(tmp_path / "pq"), fmt).splitlines())
        assert a == b, fmt


def test_export_as_command(tmp_path) -> None:
    from click.testing import CliRunner

    from khabar.export.cli import commands, export_as
    from khabar.jobs import run_inputs
    from khabar.scale.cli import commands as scale_commands
    from khabar.settings import Settings
    from khabar.store import open_store

    db = str(tmp_path / "k.db")
    with open_store(db) as st:
        run_inputs([str(ROOT / "samples" / "en" / "en02_defence_ministers.txt")], st, Settings())
    out = tmp_path / "ev.tsv"
    res = CliRunner().invoke(export_as, ["gdelt-events", "--db", db, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").count("\t") % 60 == 0 and "records written" in res.output
    res = CliRunner().invoke(export_as, ["parquet", "--db", db])
    assert res.exit_code != 0 and "-o DIR" in res.output
    for cmd in commands + scale_commands:
        assert "Example:" in (cmd.help or "")
