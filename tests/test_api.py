"""The HTTP API in process (FastAPI TestClient, no server): every route, its errors, its limits."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from khabar.api.app import create_app, openapi_spec
from khabar.api.guard import RateLimiter
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.store import open_store
from tests.serving import TOKEN, doc, put

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
URDU_BODY = "وزیر دفاع احمد خان نے کہا کہ «ہم تعاون بڑھائیں گے» اور کراچی میں 2024 کے منصوبے پر بات ہوئی۔"


def _store(tmp_path: Path) -> Any:
    store = open_store(str(tmp_path / "api.db"))
    put(store, doc("aaaaaaaaaaaaaaaa", "Ministers meet in Karachi",
                   'Speaker One said "trade will grow" in Karachi in 2024 as 5 million tonnes moved.',
                   quote="trade will grow", published="2024-12-01"))
    put(store, doc("bbbbbbbbbbbbbbbb", "وزرائے دفاع کی ملاقات", URDU_BODY, language="ur", speaker="احمد خان",
                   speaker_id="local:person:ahmad-khan", quote="ہم تعاون بڑھائیں گے", place="کراچی",
                   published="2024-11-29"))
    store.put_story({"id": "5107e5107e000001", "title": "Ministers meet",
                     "members": [{"article_id": "aaaaaaaaaaaaaaaa", "language": "en", "title": "Ministers meet"},
                                 {"article_id": "bbbbbbbbbbbbbbbb", "language": "ur", "title": "وزرائے دفاع"}],
                     "languages": {"en": 1, "ur": 1}, "independent_sources": 2, "events": [],
                     "lineage": {"nodes": ["article:aaaaaaaaaaaaaaaa", "article:bbbbbbbbbbbbbbbb", "outlet:Reuters"],
                                 "edges": [{"from": "outlet:Reuters", "to": "article:bbbbbbbbbbbbbbbb",
                                            "kind": "photo", "evidence": {"signal": "photo-credit", "text": "x"}}],
                                 "contributing": ["Reuters"]}},
                    ["k1"])
    return store


def _client(tmp_path: Path, **settings: Any) -> TestClient:
    values = {"api_token": TOKEN, "api_rate_per_minute": 0, **settings}
    app = create_app(Settings(**values), store=_store(tmp_path), pipeline=Pipeline([]))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path) as c:
        yield c


def _error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "\n" not in body["error"]["message"] and "Traceback" not in resp.text
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


# ----- reads -----------------------------------------------------------------------------------
def test_list_articles_pages_and_filters(client: TestClient) -> None:
    r = client.get("/api/v1/articles")
    assert r.status_code == 200
    assert [a["id"] for a in r.json()["items"]] == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]  # newest first
    page = client.get("/api/v1/articles", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_offset"] == 1
    last = client.get("/api/v1/articles", params={"limit": 1, "offset": 1}).json()
    assert last["items"][0]["id"] == "bbbbbbbbbbbbbbbb"
    ur = client.get("/api/v1/articles", params={"language": "ur"}).json()["items"]
    assert [a["language"] for a in ur] == ["ur"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"offset": 100_001},
                                    {"limit": "many"}])
def test_paging_is_capped(client: TestClient, params: dict[str, Any]) -> None:
    _error(client.get("/api/v1/articles", params=params), 422, "invalid")


def test_one_article_by_id_and_prefix(client: TestClient) -> None:
    full = client.get("/api/v1/articles/bbbbbbbbbbbbbbbb").json()
    assert full["language"] == "ur" and full["quotes"][0]["speaker"]["name"] == "احمد خان"
    assert full["story_id"] == "5107e5107e000001"
    assert client.get("/api/v1/articles/bbbbbbbb").json()["id"] == "bbbbbbbbbbbbbbbb"
    _error(client.get("/api/v1/articles/0000000000000000"), 404, "not_found")


def test_search_in_every_script(client: TestClient) -> None:
    assert [a["id"] for a in client.get("/api/v1/search", params={"q": "karachi"}).json()["items"]] == \
        ["aaaaaaaaaaaaaaaa"]
    assert [a["id"] for a in client.get("/api/v1/search", params={"q": "تعاون"}).json()["items"]] == \
        ["bbbbbbbbbbbbbbbb"]
    _error(client.get("/api/v1/search"), 422)
    _error(client.get("/api/v1/search", params={"q": "x" * 201}), 422)


def test_entity_page_data(client: TestClient) -> None:
    e = client.get("/api/v1/entities/local:person:ahmad-khan").json()
    assert e["id"] == "local:person:ahmad-khan" and e["names_seen"] == ["احمد خان"]
    assert "Arab" in e["names_by_script"]
    assert [q["text"] for q in e["quotes_by"]] == ["ہم تعاون بڑھائیں گے"]
    assert len(e["mentions"]) == 1 and len(e["events"]) == 1
    _error(client.get("/api/v1/entities/local:person:nobody"), 404, "not_found")


def test_entity_from_the_knowledge_base(client: TestClient) -> None:
    e = client.get("/api/v1/entities/state:PK").json()
    assert e["name"] == "Pakistan" and "Arab" in e["names_by_script"] and "Latn" in e["names_by_script"]
    found = client.get("/api/v1/entities", params={"q": "Pakistan"}).json()["items"]
    assert isinstance(found, list)


def test_quotes_by_speaker_and_about(client: TestClient) -> None:
    by = client.get("/api/v1/quotes", params={"speaker": "local:person:speaker-one"}).json()["items"]
    assert [q["text"] for q in by] == ["trade will grow"] and by[0]["article_id"] == "aaaaaaaaaaaaaaaa"
    assert client.get("/api/v1/quotes", params={"about": "city:1174872"}).json()["items"] == []
    assert len(client.get("/api/v1/quotes").json()["items"]) == 2


def test_events_filters(client: TestClient) -> None:
    assert len(client.get("/api/v1/events").json()["items"]) == 2
    assert len(client.get("/api/v1/events", params={"root": "04", "since": "2024-12"}).json()["items"]) == 1
    assert client.get("/api/v1/events", params={"code": "19"}).json()["items"] == []
    assert len(client.get("/api/v1/events", params={"actor": "ahmad-khan"}).json()["items"]) == 1
    assert len(client.get("/api/v1/events", params={"factuality": "asserted"}).json()["items"]) == 2
    _error(client.get("/api/v1/events", params={"since": "last june"}), 400, "K100")
    _error(client.get("/api/v1/events", params={"root": "4"}), 400)


def test_claims_stories_stats(client: TestClient) -> None:
    assert client.get("/api/v1/claims").json()["items"] == []
    stories = client.get("/api/v1/stories").json()["items"]
    assert stories[0]["id"] == "5107e5107e000001" and stories[0]["members"] == 2
    s = client.get("/api/v1/stories/5107e5107e").json()
    assert set(s["by_language"]) == {"en", "ur"} and s["independent_sources"] == 2
    assert client.get("/api/v1/stories/bbbbbbbbbbbbbbbb").json()["id"] == "5107e5107e000001"  # by member
    _error(client.get("/api/v1/stories/ffffffffffffffff"), 404, "not_found")
    assert client.get("/api/v1/stats").json()["articles"] == 2


# ----- downloads -------------------------------------------------------------------------------
def test_download_json_csv_parquet(client: TestClient) -> None:
    r = client.get("/api/v1/download/quotes", params={"format": "json"})
    assert r.status_code == 200 and len(r.json()) == 2
    r = client.get("/api/v1/download/events", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["cameo"] == "042" and json.loads(rows[0]["source"])["name"]
    import pyarrow.parquet as pq

    r = client.get("/api/v1/download/articles", params={"format": "parquet"})
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == 2 and "title" in table.column_names
    m = client.get("/api/v1/download/mentions", params={"entity": "local:person:ahmad-khan", "format": "csv"})
    assert "احمد خان" in m.content.decode("utf-8")


def test_download_errors(client: TestClient) -> None:
    _error(client.get("/api/v1/download/secrets"), 404, "not_found")
    _error(client.get("/api/v1/download/events", params={"format": "xlsx"}), 422)
    _error(client.get("/api/v1/download/mentions"), 400, "bad_request")
    _error(client.get("/api/v1/download/events", params={"limit": 10_001}), 422)


def test_csv_cells_cannot_run_as_formulas() -> None:
    from khabar.api.export import to_csv

    out = to_csv("articles", [{"id": "1", "title": "=HYPERLINK(\"http://x\")", "outlet": "+1", "url": None}])
    row = next(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert row["title"].startswith("'=") and row["outlet"] == "'+1" and row["url"] == ""


# ----- writes ----------------------------------------------------------------------------------
def test_submit_text_stores_and_answers_facts(client: TestClient) -> None:
    body = {"text": "Talks in Karachi\n\nThe ministers of two states met in Karachi on Monday to talk about "
                    "trade, ports and the price of flour for the coming year, officials said."}
    r = client.post("/api/v1/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    art = r.json()["article"]
    assert r.json()["stored"] == "added" and art["text"].startswith("Talks in Karachi")
    assert client.get(f"/api/v1/articles/{art['id']}").status_code == 200
    again = client.post("/api/v1/articles", json=body, headers=AUTH)
    assert again.status_code == 200 and again.json()["stored"] == "unchanged"


def test_submit_html_without_storing(client: TestClient) -> None:
    html = ("<html><head><title>Flour prices rise</title></head><body><article><h1>Flour prices rise</h1>"
            "<p>" + "Flour prices rose again in Lahore this week as mills cut supply to the market. " * 3 +
            "</p></article></body></html>")
    r = client.post("/api/v1/articles", json={"html": html, "store": False}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["stored"] is None and "Flour" in r.json()["article"]["body"]
    assert client.get("/api/v1/stats").json()["articles"] == 2


@pytest.mark.parametrize("body", [{}, {"text": "a", "url": "http://example.com/"}, {"text": ""}])
def test_submit_needs_exactly_one_input(client: TestClient, body: dict[str, Any]) -> None:
    _error(client.post("/api/v1/articles", json=body, headers=AUTH), 400)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x", "http://169.254.169.254/latest",
                                 "gopher://example.com/", "http://user:pw@example.com/", "http://[::1]/"])
def test_submitted_urls_go_through_the_safety_checks(client: TestClient, url: str) -> None:
    err = _error(client.post("/api/v1/articles", json={"url": url}, headers=AUTH), 400)
    assert err["code"] == "K205"


def test_bad_json_and_bad_fields(client: TestClient) -> None:
    _error(client.post("/api/v1/articles", content=b"{not json", headers={**AUTH, "content-type": "application/json"}),
           400, "bad_json")
    _error(client.post("/api/v1/articles", json={"text": "x", "evil": 1}, headers=AUTH), 422, "invalid")
    _error(client.post("/api/v1/articles", json={"text": 5}, headers=AUTH), 422, "invalid")
    _error(client.post("/api/v1/articles", json=["text"], headers=AUTH), 422, "invalid")


def test_writes_need_the_token(client: TestClient) -> None:
    r = client.post("/api/v1/articles", json={"text": "x"})
    _error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    _error(client.post("/api/v1/articles", json={"text": "x"}, headers={"Authorization": "Bearer wrong"}),
           403, "forbidden")
    _error(client.post("/api/v1/articles", json={"text": "x"}, headers={"Authorization": f"Basic {TOKEN}"}),
           403, "forbidden")


def test_writes_are_off_without_a_configured_token(tmp_path: Path) -> None:
    with _client(tmp_path, api_token="") as c:
        err = _error(c.post("/api/v1/articles", json={"text": "x"}, headers={"Authorization": "Bearer "}), 403)
        assert "api_token" in err["message"]


def test_closed_reads_need_the_token(tmp_path: Path) -> None:
    with _client(tmp_path, api_public_reads=False) as c:
        _error(c.get("/api/v1/articles"), 401, "unauthorized")
        assert c.get("/", headers={"accept": "text/html"}).status_code == 401
        assert c.get("/api/v1/articles", headers=AUTH).status_code == 200
        assert c.get("/static/khabar.css").status_code == 200


def test_oversize_bodies_are_refused(tmp_path: Path) -> None:
    with _client(tmp_path, api_max_body_bytes=1000) as c:
        big = json.dumps({"text": "x" * 5000})
        _error(c.post("/api/v1/articles", content=big, headers={**AUTH, "content-type": "application/json"}),
               413, "too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield b'{"text": "'
            for _ in range(20):
                yield b"y" * 100
            yield b'"}'
        _error(c.post("/api/v1/articles", content=chunks(), headers={**AUTH, "content-type": "application/json"}),
               413, "too_large")


def test_rate_limit_per_client(tmp_path: Path) -> None:
    with _client(tmp_path, api_rate_per_minute=3) as c:
        assert [c.get("/api/v1/stats").status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/api/v1/stats")
        _error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1
        assert c.get("/static/khabar.js").status_code == 200  # static files are not counted


def test_rate_limiter_refills_and_forgets() -> None:
    now = [0.0]
    lim = RateLimiter(60, max_clients=2, clock=lambda: now[0])
    assert all(lim.allow("a") == 0 for _ in range(60))
    assert lim.allow("a") > 0
    now[0] += 1.0  # one more token a second
    assert lim.allow("a") == 0 and lim.allow("a") > 0
    lim.allow("b"), lim.allow("c")  # "a" is forgotten: at most two clients are kept
    assert lim.allow("a") == 0
    assert RateLimiter(0).allow("x") == 0


# ----- errors and headers ----------------------------------------------------------------------
def test_unknown_routes_and_methods(client: TestClient) -> None:
    _error(client.get("/api/v1/nothing"), 404, "not_found")
    _error(client.delete("/api/v1/articles/aaaaaaaaaaaaaaaa"), 405, "method_not_allowed")
    _error(client.put("/api/v1/articles", json={}), 405)


def test_internal_errors_are_one_line_without_traceback(client: TestClient) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail /etc/khabar")

    client.app.state.service.store.stats = boom  # type: ignore[attr-defined]
    err = _error(client.get("/api/v1/stats"), 500, "internal")
    assert "secret" not in err["message"]


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/api/v1/articles", "/", "/api/v1/nothing", "/static/khabar.css"):
        h = client.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
        assert "server" not in h


def test_no_docs_pages_that_load_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_openapi_spec_is_kept_in_the_repository() -> None:
    kept = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert kept == json.loads(json.dumps(openapi_spec())), \
        "docs/openapi.json is stale: python -m khabar.api.cli --openapi > docs/openapi.json"
    paths = set(kept["paths"])
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/entities/{entity_id}", "/api/v1/quotes",
            "/api/v1/events", "/api/v1/claims", "/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/search",
            "/api/v1/download/{kind}"} <= paths


def test_serve_command_prints_the_spec() -> None:
    from click.testing import CliRunner

    from khabar.api.cli import serve

    out = CliRunner().invoke(serve, ["--openapi"])
    assert out.exit_code == 0 and json.loads(out.output)["info"]["title"] == "khabar"
    assert "Example:" in (serve.help or "")


@pytest.mark.slow
def test_submit_urdu_sample_with_the_default_pipeline(tmp_path: Path) -> None:
    """The real pipeline behind the API: the Urdu sample's quotes come back attributed."""
    text = (ROOT / "samples" / "ur" / "ur02_defence_ministers.txt").read_text(encoding="utf-8")
    app = create_app(Settings(api_token=TOKEN, api_rate_per_minute=0), store=open_store(str(tmp_path / "u.db")))
    with TestClient(app) as c:
        r = c.post("/api/v1/articles", json={"text": text}, headers=AUTH)
        assert r.status_code == 201, r.text
        art = r.json()["article"]
        assert art["language"] == "ur" and art["quotes"]
        assert all(q["speaker"]["name"] for q in art["quotes"][:2])
        assert r.json()["story_id"]
        speaker = art["quotes"][0]["speaker"]["entity_id"]
        e = c.get(f"/api/v1/entities/{speaker}").json()
        assert e["quotes_by"] and e["quotes_by"][0]["article_id"] == art["id"]
