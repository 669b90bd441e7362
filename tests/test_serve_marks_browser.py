"""Marking missed damage in a real Chromium: select, m (or the button), type what was meant, Enter; Escape cancels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.review.store import Store
from tests.helpers import chromium
from tests.review_support import Client, make_report, serve, write_articles, write_report
from tests.test_xss import PAYLOADS, Watch

pytestmark = pytest.mark.slow

SELECT = """([root, phrase]) => {
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _open(page: Any, base: str, title: str) -> None:
    page.goto(base)
    page.get_by_role("link", name=title).click()
    page.wait_for_selector("body[data-ready]")


def _select(page: Any, root: str, phrase: str) -> None:
    assert page.evaluate(SELECT, [root, phrase])


def test_mark_missed_phrase_with_meaning_survives_a_restart(browser: Any, tmp_path: Path) -> None:
    report = write_report(make_report([write_articles(tmp_path / "feed.jsonl")]), tmp_path / "run.json")
    db = tmp_path / "review.sqlite"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    with serve(db, "--editor", "desk", str(report)) as server:
        _open(page, server.url, "Ministers meet")
        assert page.locator("#mark-form").is_hidden()
        _select(page, ".text .body", "talked for an hour")
        page.keyboard.press("m")
        assert page.locator("#mark-form").is_visible() and page.locator("#mark-shown").inner_text() == "talked for an hour"
        assert page.evaluate("document.activeElement.id") == "mark-meant"
        page.keyboard.press("Escape")  # cancels: nothing stored
        assert page.locator("#mark-form").is_hidden() and Store(db).marks() == []
        _select(page, ".text .body", "talked for an hour")
        page.click("#mark-button")  # the button does what m does
        page.keyboard.type("spoke for an hour")
        page.select_option("#mark-category", "wrong-sense word")
        page.fill("#mark-note", "a '\"<b>note</b>")
        page.focus("#mark-meant")
        page.keyboard.press("Enter")  # Enter saves
        page.wait_for_selector("li.missed-mark")
        _select(page, "h1.headline", "meet")
        page.keyboard.press("m")
        page.keyboard.type(PAYLOADS[0])
        page.keyboard.press("Enter")
        page.wait_for_selector("li.missed-mark >> nth=1")
    (mark, title_mark) = Store(db).marks()
    body = next(a for a in [Store(db).article(i) for i in range(1, 5)] if a["title"] == "Ministers meet")["body"]
    assert (mark["field"], mark["text"], mark["meant"], mark["category"], mark["editor"]) == (
        "body", "talked for an hour", "spoke for an hour", "wrong-sense word", "desk")
    assert body[mark["start"] : mark["end"]] == "talked for an hour" and mark["note"] == "a '\"<b>note</b>"
    assert (title_mark["field"], title_mark["start"], title_mark["end"], title_mark["meant"]) == ("title", 10, 14, PAYLOADS[0])
    with serve(db, "--editor", "desk") as server:  # a restart on the same database
        _open(page, server.url, "Ministers meet")
        shown = page.locator("mark.hl.missed")
        assert shown.all_inner_texts() == ["meet", "talked for an hour"]
        assert page.locator("li.missed-mark .meant").all_inner_texts() == ["spoke for an hour", PAYLOADS[0]]
        assert page.locator("li.missed-mark .note").inner_text() == "“a '\"<b>note</b>”"
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert errors == []
    context.close()


def test_no_payload_in_a_meaning_or_note_runs(browser: Any, tmp_path: Path) -> None:
    report = write_report(make_report([write_articles(tmp_path / "feed.jsonl")]), tmp_path / "run.json")
    with serve(tmp_path / "review.sqlite", "--editor", "desk", str(report)) as server:
        client = Client(server.base, "desk")
        status, queue = client.get("/")
        article = re.search(r'href="/article/(\d+)"[^>]*>Ministers meet<', queue)
        assert status == 200 and article
        path = f"/article/{article.group(1)}"
        client.get(path)
        for payload in PAYLOADS:
            form = {"csrf": client.csrf, "editor": "desk", "field": "body", "start": "0", "end": "3", "text": "The",
                    "meant": payload[:500], "category": "other", "note": payload}
            assert client.request("POST", path + "/mark", form, {"Accept": "application/json"})[0] == 200
        watch = Watch(browser, server.base.rstrip("/"))
        watch.page.goto(server.url)
        watch.page.goto(server.base.rstrip("/") + path)
        watch.page.wait_for_selector("body[data-ready]")
        assert watch.page.locator("li.missed-mark").count() == len(PAYLOADS)
        text = watch.page.evaluate("document.body.textContent")
        assert all(payload in text for payload in PAYLOADS)
        watch.assert_nothing_ran()


def test_offsets_count_code_points_past_astral_characters(browser: Any, tmp_path: Path) -> None:
    article = {"id": "emoji", "title": "Fans 😀 cheer", "body": "Fans 😀😀 waved a flag of the Kingdom Republic today ."}
    report = write_report(make_report([write_articles(tmp_path / "feed.jsonl", [article])]), tmp_path / "run.json")
    db = tmp_path / "review.sqlite"
    page = browser.new_page()
    with serve(db, "--editor", "desk", str(report)) as server:
        _open(page, server.url, "Fans 😀 cheer")
        _select(page, ".text .body", "Kingdom Republic")
        page.keyboard.press("m")
        page.keyboard.press("Enter")
        page.wait_for_selector("li.missed-mark")
    (mark,) = Store(db).marks()
    assert article["body"][mark["start"] : mark["end"]] == "Kingdom Republic" == mark["text"]
    page.close()
