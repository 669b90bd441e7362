"""The review workspace in a real Chromium: persistence, approval, keyboard, and no script from article text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import chromium
from tests.review_support import Server, make_report, serve, write_articles, write_report

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    report = write_report(make_report([write_articles(tmp_path / "feed.jsonl")]), tmp_path / "run.json")
    with serve(tmp_path / "review.sqlite", "--editor", "desk", str(report)) as running:
        yield running


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


def _db(server: Server) -> Path:
    args = server.process.args
    return Path(args[args.index("--db") + 1])


def _open_article(page: Any, server: Server, title: str) -> None:
    page.goto(server.url)
    page.get_by_role("link", name=title).click()
    page.wait_for_selector("li.finding")
    page.wait_for_selector("body[data-ready]")


def test_queue_dismiss_with_reason_persists_across_reload(page: Any, server: Server) -> None:
    page.goto(server.url)
    titles = page.locator("a.article-link").all_inner_texts()
    assert titles[0] == "Leaders vow to push back"  # worst first
    assert "3 of 3 articles left to review (1 passed with no findings)" in page.locator("#counts").inner_text()
    assert page.locator("#editor").input_value() == "desk" and page.locator("#editor-ask").is_hidden()  # --editor
    _open_article(page, server, "Leaders vow to push back")
    finding = page.locator("li.finding").first
    finding.locator("input.reason").fill("a quoted place name")
    finding.get_by_role("button", name="Dismiss").click()
    page.wait_for_selector("li.finding.decided")
    page.reload()
    first = page.locator("li.finding").first
    assert first.locator(".current-decision").inner_text() == "dismiss"
    assert "a quoted place name" in first.locator(".note").inner_text()
    assert "desk" in first.locator(".state").inner_text()
    with sqlite3.connect(_db(server)) as con:
        assert con.execute("SELECT action, note, editor FROM decisions").fetchall() == [
            ("dismiss", "a quoted place name", "desk")]


def test_approve_an_article(page: Any, server: Server) -> None:
    _open_article(page, server, "Ministers meet")
    page.locator(".article-form input[name=note]").fill("fine after the fix")
    page.locator("#approve").click()
    page.wait_for_selector(".current-article-decision .state-approve")
    assert "approve" in page.locator(".current-article-decision").inner_text()
    page.goto(server.url)
    row = page.locator("tr.queue-row", has=page.get_by_role("link", name="Ministers meet"))
    assert row.locator("td.decision").inner_text() == "approve"
    page.goto(server.base + "?reviewed=no")
    assert "Ministers meet" not in page.locator("table.queue").inner_text()


def test_keyboard_navigation_confirm_dismiss_next_article(page: Any, server: Server) -> None:
    _open_article(page, server, "Leaders vow to push back")
    ids = page.locator("li.finding").evaluate_all("els => els.map(e => e.dataset.id)")
    assert len(ids) == 3
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("j")  # on the second finding
    assert page.locator("li.finding.current").get_attribute("data-id") == ids[1]
    assert page.locator("mark.hl.current").count() >= 1
    page.keyboard.press("c")
    page.wait_for_url(f"**#f-{ids[2]}")  # on to the next undecided finding
    page.wait_for_selector("body[data-ready]")
    assert page.locator(f"#f-{ids[1]} .current-decision").inner_text() == "confirm"
    assert page.locator("li.finding.current").get_attribute("data-id") == ids[2]
    page.keyboard.press("d")
    page.keyboard.type("house style")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#f-{ids[2]}.decided")
    page.wait_for_selector("body[data-ready]")
    assert page.locator(f"#f-{ids[2]} .current-decision").inner_text() == "dismiss"
    current = page.url
    page.keyboard.press("n")
    page.wait_for_url(lambda url: url.split("#")[0] != current.split("#")[0])
    assert page.locator("h1.headline").inner_text() == "Ministers meet"
    with sqlite3.connect(_db(server)) as con:
        rows = con.execute("SELECT finding_id, action, note FROM decisions ORDER BY id").fetchall()
    assert rows == [(int(ids[1]), "confirm", ""), (int(ids[2]), "dismiss", "house style")]
    assert not page.errors


def test_script_in_article_text_does_not_run(page: Any, server: Server) -> None:
    page.goto(server.url)
    link = page.locator("a.article-link", has_text="<script>")
    assert link.count() == 1  # the headline shows as text
    link.click()
    page.wait_for_selector("li.finding")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script").count() == 1  # only review.js
    assert page.locator("img").count() == 0
    assert "<script>window.__xss = 1</script>" in page.locator(".body").inner_text()
    assert "window.__xss = 3" in page.locator("h1.headline").inner_text()
    assert not [e for e in page.errors if "__xss" in e]


@pytest.fixture
def anonymous_server(tmp_path: Path) -> Iterator[Server]:
    report = write_report(make_report([write_articles(tmp_path / "feed.jsonl")]), tmp_path / "run.json")
    with serve(tmp_path / "review.sqlite", str(report)) as running:
        yield running


def test_without_editor_option_the_browser_asks_once_and_remembers(browser: Any, anonymous_server: Server) -> None:
    server = anonymous_server
    context = browser.new_context()
    page = context.new_page()
    _open_article(page, server, "Leaders vow to push back")
    assert page.locator("#editor-ask").is_visible() and page.locator("#editor").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "editor"  # asked straight away
    page.locator("#editor").press("Escape")
    page.keyboard.press("c")  # a decision without a name waits for one
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.id") == "editor"
    with sqlite3.connect(_db(server)) as con:
        assert con.execute("SELECT COUNT(*) FROM decisions").fetchone() == (0,)
    page.locator("#editor").fill("Ana Editor")
    page.locator("#editor-form").get_by_role("button", name="Save").click()
    page.wait_for_selector("body[data-ready]")
    assert page.evaluate("localStorage.getItem('qa.editor')") == "Ana Editor"
    context.clear_cookies()  # the browser's storage alone still knows who this is
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#editor").input_value() == "Ana Editor" and page.locator("#editor-ask").is_hidden()
    page.locator("li.finding").first.get_by_role("button", name="Confirm").click()
    page.wait_for_selector("li.finding.decided")
    with sqlite3.connect(_db(server)) as con:
        assert con.execute("SELECT action, editor FROM decisions").fetchall() == [("confirm", "Ana Editor")]
    page.goto(server.url)
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#editor-ask").is_hidden()
    context.close()
