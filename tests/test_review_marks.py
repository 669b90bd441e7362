"""Editors' marks of damage the checker missed: stored append-only with offsets, editor and time; shown on reload."""

from __future__ import annotations

import re
import sqlite3

import pytest
from flask.testing import FlaskClient

from qa.review.marks import CATEGORIES, MissedMark
from qa.review.store import Store, StoreError
from tests.review_support import client, store  # noqa: F401  (fixtures)


def _article(store: Store, key: str) -> int:
    run = store.latest_run()
    assert run is not None
    return next(q.id for q in store.queue(run["id"]) if q.key == key)


def _csrf(client: FlaskClient) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").get_data(as_text=True))
    assert match
    return match.group(1)


def test_categories_are_the_garbled_news_annotation_categories() -> None:
    assert CATEGORIES == ("wrong-sense word", "literal idiom", "spun synonym", "name", "grammar/pronoun",
                          "sentence boundary", "number", "other")


def test_a_mark_is_stored_with_offsets_editor_and_time_and_cannot_be_changed(store: Store) -> None:
    article_id = _article(store, "a-clean")
    body = store.article(article_id)["body"]
    start = body.index("quiet") if "quiet" in body else body.index("city")
    mark = MissedMark("body", start, start + 4, body[start : start + 4], meant="town", category="wrong-sense word", note="n")
    mark_id = store.mark_missed(article_id, mark, "desk")
    (row,) = store.marks("a-clean")
    assert row["id"] == mark_id and row["text"] == "city" and (row["start"], row["end"]) == (start, start + 4)
    assert (row["meant"], row["category"], row["editor"], row["note"]) == ("town", "wrong-sense word", "desk", "n")
    assert row["marked_at"].endswith("+00:00")
    with sqlite3.connect(store.path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE marks SET meant = 'x'")
    assert Store(store.path).marks() == [row]  # the same database, opened again


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"field": "source"}, "title or the body"),
        ({"start": 0, "end": 0}, "1 to"),
        ({"end": 10_000}, "1 to"),
        ({"text": "elsewhere"}, "does not match"),
        ({"category": "typo"}, "unknown category"),
        ({"meant": "x" * 501}, "longer than"),
    ],
)
def test_a_mark_that_does_not_fit_the_article_is_refused(store: Store, change: dict[str, object], error: str) -> None:
    article_id = _article(store, "a-clean")
    body = store.article(article_id)["body"]
    values: dict[str, object] = {"field": "body", "start": 0, "end": 7, "text": body[:7], **change}
    with pytest.raises(StoreError, match=error):
        store.mark_missed(article_id, MissedMark(**values), "desk")  # type: ignore[arg-type]
    assert store.marks() == []


def test_marking_over_http_highlights_the_span_on_reload(client: FlaskClient, store: Store) -> None:
    article_id = _article(store, "a-clean")
    title = store.article(article_id)["title"]
    form = {"csrf": _csrf(client), "field": "title", "start": "2", "end": "7", "text": title[2:7],
            "meant": "calm", "category": "wrong-sense word", "note": "<b>no</b>"}
    response = client.post(f"/article/{article_id}/mark", data=form)
    assert response.status_code == 303 and re.search(r"#m-\d+$", response.headers["Location"])
    page = client.get(f"/article/{article_id}").get_data(as_text=True)
    assert f'data-marks="{store.marks()[0]["id"]}">{title[2:7]}</mark>' in page
    assert "&lt;b&gt;no&lt;/b&gt;" in page and "<b>no</b>" not in page
    bad = client.post(f"/article/{article_id}/mark", data={**form, "start": "x"})
    assert bad.status_code == 400
    assert client.post(f"/article/{article_id}/mark", data={**form, "csrf": "0" * 64}).status_code == 403
    assert len(store.marks()) == 1
