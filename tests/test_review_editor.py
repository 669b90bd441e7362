"""The review app and an editor's needs: who decides (--editor, else asked once), what is left to review, the
feed item's link and date, plain category names, suggestions an editor can read."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from qa.review.app import Settings, create_app
from qa.review.store import Store
from tests.review_support import make_report

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>
<item><title>Talks resume</title><link>https://wire.example/world/talks</link><guid isPermaLink="false">w-1</guid>
<pubDate>Tue, 03 Mar 2026 10:15:00 GMT</pubDate>
<description>The leaders agreed to “backtrack” against China on Friday .</description></item>
<item><title>Evil</title><link>javascript:alert(1)</link><guid isPermaLink="false">w-2</guid>
<description>Farmers said the rain had delayed the harvest.</description></item>
</channel></rss>
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    feed = tmp_path / "wire.rss"
    feed.write_text(FEED, encoding="utf-8")
    store = Store(tmp_path / "review.sqlite")
    store.import_report(make_report([feed]), str(feed))
    return store


def _client(store: Store, editor: str = "") -> Iterator[FlaskClient]:
    with create_app(store, Settings(editor=editor, allowed_hosts={"localhost"})).test_client() as client:
        yield client


@pytest.fixture
def anonymous(store: Store) -> Iterator[FlaskClient]:
    yield from _client(store)


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match
    return match.group(1)


def _article(store: Store, key: str) -> int:
    run = store.latest_run()
    assert run is not None
    return next(q.id for q in store.queue(run["id"]) if q.key == key)


def test_without_editor_the_page_asks_and_a_decision_needs_a_name(anonymous: FlaskClient, store: Store) -> None:
    assert Settings().editor == ""  # never the Unix user
    page = anonymous.get("/").get_data(as_text=True)
    assert 'id="editor" value=""' in page and re.search(r'id="editor-ask" role="status">Who is reviewing', page)
    finding = store.findings(_article(store, "w-1"))[0]["id"]
    csrf = _csrf(page)
    refused = anonymous.post(f"/finding/{finding}", data={"csrf": csrf, "action": "confirm"})
    assert refused.status_code == 400 and "Who is deciding?" in refused.get_data(as_text=True)
    sent = anonymous.post(f"/finding/{finding}", data={"csrf": csrf, "action": "confirm", "editor": "Ana"})
    assert sent.status_code == 303 and [d["editor"] for d in store.decisions()] == ["Ana"]


def test_editor_option_names_who_decides_without_asking(store: Store) -> None:
    for client in _client(store, "desk"):
        page = client.get("/").get_data(as_text=True)
        assert 'id="editor" value="desk"' in page and re.search(r'id="editor-ask" role="status" hidden>', page)
        article = _article(store, "w-1")
        form = client.get(f"/article/{article}").get_data(as_text=True)
        assert 'name="editor" class="editor-field" value="desk"' in form
        finding = store.findings(article)[0]["id"]
        assert client.post(f"/finding/{finding}", data={"csrf": _csrf(page), "action": "confirm"}).status_code == 303
    assert [d["editor"] for d in store.decisions()] == ["desk"]


def test_queue_counts_only_articles_with_findings_or_a_verdict_short_of_pass(anonymous: FlaskClient) -> None:
    page = anonymous.get("/").get_data(as_text=True)
    assert "<strong>1</strong> of 1 articles left to review (1 passed with no findings)" in page


def test_article_page_shows_link_date_plain_category_and_readable_suggestions(anonymous: FlaskClient, store: Store) -> None:
    page = anonymous.get(f"/article/{_article(store, 'w-1')}").get_data(as_text=True)
    assert '<a class="link" href="https://wire.example/world/talks"' in page
    assert "<time>2026-03-03T10:15:00Z</time>" in page
    assert "Mistranslation (accuracy/mistranslation)" in page and "Punctuation (fluency/punctuation)" in page
    assert ">“backtrack” against</p>" in page and "““" not in page  # the flagged text as it stands, not quoted again
    assert "probably meant: “push back” against" in page and "probably meant: Friday." in page
    assert 'value="“push back” against"' in page  # the Fix box: no stray quotation mark
    assert not re.search(r"probably meant: [^\w<]*<", page)
    evil = anonymous.get(f"/article/{_article(store, 'w-2')}").get_data(as_text=True)
    assert "javascript:" not in evil


def test_a_database_made_before_links_were_kept_gains_the_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript(
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, position INTEGER NOT NULL,"
            " key TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, words INTEGER NOT NULL,"
            " penalty REAL NOT NULL, verdict TEXT NOT NULL, errors TEXT NOT NULL, UNIQUE (run_id, position));"
        )
    Store(db)
    with sqlite3.connect(db) as con:
        columns = {row[1] for row in con.execute("PRAGMA table_info(articles)")}
    assert {"link", "published"} <= columns
