"""Claims: allegations, denials (by back-reference, by matching proposition, by target),
confirmations and refusals to comment, on our own sentences."""
from __future__ import annotations

from khabar.model import Article
from tests.test_events import code


def _cameos(refs: tuple) -> list[str | None]:
    return [r.cameo for r in refs]


def test_allegation_keeps_the_alleged_event_out_of_the_facts() -> None:
    art = code("Britain accused Iran of sending drones to Russia.", "en")
    (claim,) = art.claims
    assert _cameos(claim.asserted_by) == ["GBR"] and claim.denied_by == ()
    (inner,) = claim.proposition["events"]
    assert inner["cameo"] == "072" and inner["factuality"] == "alleged"
    alleged = [e for e in art.events if e.cameo == "072"]
    assert alleged and all(e.factuality == "alleged" and e.claim_id == claim.id for e in alleged)


def test_denial_by_back_reference_urdu() -> None:
    text = "برطانیہ نے ایران پر الزام لگایا کہ اس نے روس کو ہتھیار بھیجے۔ ایران نے ان الزامات کی تردید کی۔"
    art = code(text, "ur")
    (claim,) = art.claims
    assert _cameos(claim.asserted_by) == ["GBR"] and _cameos(claim.denied_by) == ["IRN"]
    assert "denials" in claim.evidence and all(e.claim_id == claim.id for e in art.events)


def test_denial_matched_by_its_proposition() -> None:
    art = code("Britain accused Iran of sending drones to Russia. Later Iran denied that it sent drones to Russia.", "en")
    (claim,) = art.claims
    assert _cameos(claim.denied_by) == ["IRN"]
    assert {e.factuality for e in art.events if e.cameo == "072"} == {"alleged", "denied"}


def test_denial_without_an_allegation_opens_its_own_claim() -> None:
    art = code("Iran denied that it sent drones to Russia.", "en")
    (claim,) = art.claims
    assert claim.asserted_by == () and _cameos(claim.denied_by) == ["IRN"]
    assert [e["cameo"] for e in claim.proposition["events"]] == ["072"]


def test_amounts_inside_the_proposition() -> None:
    art = code("Britain accused Iran of sending more than 500 drones to Russia.", "en")
    (claim,) = art.claims
    assert [a["value"] for a in claim.proposition["amounts"]] == [500.0]


def test_confirmation_and_refusal_to_comment() -> None:
    text = ("Britain accused Iran of sending drones to Russia. Russia declined to comment. "
            "France confirmed that Iran sent drones to Russia.")
    art = code(text, "en")
    (claim,) = art.claims
    assert _cameos(claim.confirmed_by) == ["FRA"]
    assert [r["cameo"] for r in claim.data["declined_comment"]] == ["RUS"]


def test_claims_round_trip_through_json() -> None:
    art = code("Britain accused Iran of sending drones to Russia. Iran denied the allegations.", "en")
    back = Article.from_dict(art.to_dict())
    assert back.claims == art.claims and back.events == art.events
    d = art.to_dict()["claims"][0]
    assert set(d) >= {"id", "proposition", "asserted_by", "denied_by", "confirmed_by", "evidence", "rule"}
    assert d["asserted_by"][0] == {"name": "United Kingdom", "start": 0, "end": 7, "entity_id": "state:GB", "cameo": "GBR"}
