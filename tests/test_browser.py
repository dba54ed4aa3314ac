"""End to end in headless Chromium: ``khabar serve`` on 127.0.0.1 over a store filled from
samples/, driven by Playwright with Debian's /usr/bin/chromium (never ``playwright install``).

Skipped with a reason when Chromium or Playwright is missing; failed instead when CI is set.
Screenshots go to artefacts/ (gitignored).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from tests.serving import IMG, SCRIPT, TOKEN

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "artefacts"
CHROMIUM = os.environ.get("KHABAR_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_TEXT = (f"Hostile headline {SCRIPT}\n\n"
                f"Officials in Lahore said on Monday that the page {IMG} must show as text. "
                f"A second line {SCRIPT} follows, and the minister said \"nothing {IMG} runs here\" "
                "to reporters after the meeting in the city.")

pytestmark = [pytest.mark.slow, pytest.mark.network]


def _need(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(why + " (CI must install it: apt-get install chromium; pip install playwright)")
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_command(port: int, db: Path) -> list[str]:
    from khabar.cli import cli

    base = [sys.executable, "-m", "khabar.cli", "serve"] if "serve" in cli.commands else \
        [sys.executable, "-m", "khabar.api.cli"]
    return [*base, "--host", "127.0.0.1", "--port", str(port), "--db", str(db)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running ``khabar serve`` over the Urdu samples and one English one."""
    _need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need(False, "the playwright Python package is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "b.db"
    env = {**os.environ, "KHABAR_API_TOKEN": TOKEN, "KHABAR_API_RATE_PER_MINUTE": "0"}
    subprocess.run([sys.executable, "-m", "khabar.cli", "run", str(ROOT / "samples" / "ur"),
                    str(ROOT / "samples" / "en" / "en02_defence_ministers.txt"), "--db", str(db)],
                   check=True, capture_output=True, env=env, cwd=tmp, timeout=300)
    port = _free_port()
    log = open(tmp / "serve.log", "wb")
    proc = subprocess.Popen(_serve_command(port, db), env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/v1/stats", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"khabar serve exited: {(tmp / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _article_id(base: str, source_end: str) -> str:
    items = httpx.get(base + "/api/v1/articles", params={"limit": 200}).json()["items"]
    return next(a["id"] for a in items if str(a["source"]).endswith(source_end))


def test_urdu_article_entity_and_story_pages(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    art = _article_id(server, "ur02_defence_ministers.txt")
    page.goto(f"{server}/articles/{art}")
    text = page.locator("#article-text")
    assert text.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.getElementById('article-text')).direction") == "rtl"
    quotes = page.locator("#article-text .quote")
    assert quotes.count() >= 2
    speakers = [quotes.nth(i).get_attribute("data-speaker") for i in range(quotes.count())]
    assert all(s and s != "unknown speaker" for s in speakers[:2]), speakers
    background = page.evaluate("getComputedStyle(document.querySelector('#article-text .quote')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted
    listed = page.locator(".quote-item .speaker-name").first.inner_text().strip()
    assert listed == speakers[0]
    page.screenshot(path=str(ARTEFACTS / "article-ur.png"), full_page=True)

    page.locator("input[data-layer=quote]").uncheck()  # our JS: the layer switch
    assert "hide-quote" in (text.get_attribute("class") or "")
    page.locator("input[data-layer=quote]").check()

    page.locator(".quote-item .speaker-name a").first.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text().strip()
    assert page.locator(".quotes blockquote").count() >= 1
    page.screenshot(path=str(ARTEFACTS / "entity.png"), full_page=True)

    page.go_back()
    page.locator("a.story-link").click()
    page.wait_for_url("**/stories/**")
    assert page.locator("svg.provenance").count() == 1
    assert page.locator(f'a[href="/articles/{art}"]').count() >= 1
    page.screenshot(path=str(ARTEFACTS / "story.png"), full_page=True)

    for path, name in (("/events", "events"), ("/map", "map")):
        page.goto(server + path)
        page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    assert page.locator("svg.worldmap").count() == 1
    assert not errors, errors


def test_script_payloads_show_as_text_and_never_run(server: str, browser: Any) -> None:
    r = httpx.post(server + "/api/v1/articles", json={"text": HOSTILE_TEXT},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert r.status_code in (200, 201), r.text
    art = r.json()["article"]["id"]
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/articles/{art}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    shown = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned=1</script>" in shown and 'onerror="window.__pwned=1"' in shown
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert page.locator("h1").inner_text().endswith(SCRIPT)
    for path in ("/", "/articles", "/search?q=Hostile"):
        page.goto(server + path)
        assert page.evaluate("window.__pwned") is None
    assert not dialogs
    page.goto(f"{server}/articles/{art}")
    page.screenshot(path=str(ARTEFACTS / "hostile.png"), full_page=True)

