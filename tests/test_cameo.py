"""CAMEO vocabulary, CAMEO->PLOVER mapping and the ``khabar events`` listing."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from khabar.errors import InputError
from khabar.events import cameo, plover
from khabar.events.listing import EventFilter, iter_events


def test_every_root_and_quad_class() -> None:
    roots = [f"{n:02d}" for n in range(1, 21)]
    for r in roots:
        rec = cameo.info(r)
        assert rec.root == r
        expected = 1 if int(r) <= 5 else 2 if int(r) <= 8 else 3 if int(r) <= 13 else 4
        assert rec.quad_class == expected
        assert cameo.children(r), f"root {r} has no three-digit codes"


@pytest.mark.parametrize("code,name,gold", [("042", "Make a visit", 1.9), ("043", "Host a visit", 2.8),
                                            ("057", "Sign formal agreement", 8.0), ("112", None, -2.0),
                                            ("016", "Deny responsibility", -2.0), ("190", None, -10.0)])
def test_known_codes(code: str, name: str | None, gold: float) -> None:
    rec = cameo.info(code)
    assert rec.code == code and rec.base == code[:3] and rec.goldstein == gold
    if name:
        assert rec.name == name


def test_leading_zeros_are_kept_and_four_digit_codes_inherit() -> None:
    assert cameo.info("0211").base == "021" and cameo.info("0211").root == "02"
    assert cameo.info("0211").goldstein == cameo.info("021").goldstein
    assert cameo.info(42).code == "042"
    assert cameo.info("10").name == "Demand" and cameo.info("010").root == "01"
    assert len(cameo.table()) > 300


def test_unknown_codes() -> None:
    with pytest.raises(InputError):
        cameo.info("999")
    assert cameo.lookup("0871A") is not None and cameo.lookup("0871A").code == "0871"
    assert cameo.lookup("xyz") is None


@pytest.mark.parametrize("code,ptype,mode", [("042", "CONSULT", "visit"), ("043", "CONSULT", "visit"),
                                             ("057", "SUPPORT", None), ("0871", "RETREAT", "ceasefire"),
                                             ("112", "ACCUSE", "disapprove"), ("1823", "ASSAULT", None),
                                             ("2999", None, None), ("016", None, None), ("0999", "ACCUSE", None)])
def test_plover_mapping(code: str, ptype: str | None, mode: str | None) -> None:
    assert plover.from_cameo(code) == (ptype, mode)


def test_plover_types_are_known() -> None:
    assert {t for t, _ in plover.table().values()} <= set(plover.TYPES)


def test_data_files_name_their_source() -> None:
    for path in (cameo.DATA, plover.DATA):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["_source"] and data["_licence"]
    assert "CC BY-SA" in json.loads(plover.DATA.read_text(encoding="utf-8"))["_licence"]


def _doc(events: list[dict], published: str = "2024-11-30") -> dict:
    return {"id": "a" * 16, "title": "t", "published": published, "events": events}


def _ev(code: str, src: str, tgt: str, **kw: object) -> dict:
    return {"cameo": code, "cameo_root": code[:2], "source": {"name": src, "cameo": src[:3].upper()},
            "target": {"name": tgt, "cameo": tgt[:3].upper()}, "factuality": kw.get("factuality", "asserted"),
            "date": {"value": kw.get("date", "2024-11-29"), "granularity": "day"},
            "place": {"name": kw["place"]} if "place" in kw else None}


DOCS = [_doc([_ev("042", "Russia", "Korea", place="Pyongyang"), _ev("112", "Usa", "Korea", factuality="reported"),
              _ev("190", "Israel", "Gaza", date="2023-10-08")])]


@pytest.mark.parametrize("flt,codes", [
    (EventFilter(), ["042", "112", "190"]), (EventFilter(code="04"), ["042"]), (EventFilter(root="11"), ["112"]),
    (EventFilter(actor="korea"), ["042", "112"]), (EventFilter(actor="ISR"), ["190"]),
    (EventFilter(place="pyong"), ["042"]), (EventFilter(factuality="reported"), ["112"]),
    (EventFilter(since="2024"), ["042", "112"]), (EventFilter(until="2023-12"), ["190"]),
    (EventFilter(since="2024-11-30"), []),
])
def test_listing_filters(flt: EventFilter, codes: list[str]) -> None:
    assert [e["cameo"] for e in iter_events(DOCS, flt.check())] == codes


@pytest.mark.parametrize("bad", [EventFilter(since="yesterday"), EventFilter(until="2024-13"), EventFilter(root="4")])
def test_listing_rejects_bad_filters(bad: EventFilter) -> None:
    with pytest.raises(InputError):
        bad.check()


def test_events_command_on_a_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from khabar.cli import cli
    from khabar.store import open_store

    db = str(tmp_path / "k.db")
    with open_store(db) as store:
        store.put_doc(DOCS[0], "fp1")
    runner = CliRunner()
    res = runner.invoke(cli, ["events", "--db", db, "--code", "19", "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert [r["cameo"] for r in rows] == ["190"] and rows[0]["article_id"] == "a" * 16
    res = runner.invoke(cli, ["events", "--db", db, "--actor", "russia"])
    assert res.exit_code == 0 and "042" in res.output and "Pyongyang" in res.output
    res = runner.invoke(cli, ["events", "--db", db, "--since", "soon"])
    assert res.exit_code != 0 and "K100" in res.output and "Traceback" not in res.output
