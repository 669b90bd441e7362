"""The review database: WAL, append-only audit trail, decisions that follow a finding across runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from qa.review.store import NotFound, Store, StoreError
from tests.review_support import store  # noqa: F401  (a fixture)
from tests.review_support import ARTICLES, make_report, write_articles


def _finding(store: Store, key: str, rule: str) -> dict[str, Any]:
    run = store.latest_run()
    assert run is not None
    (item,) = [q for q in store.queue(run["id"]) if q.key == key]
    (found,) = [f for f in store.findings(item.id) if f["rule"] == rule]
    return found


def test_database_is_a_wal_file(store: Store) -> None:
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_queue_is_worst_first_with_counts(store: Store) -> None:
    run = store.latest_run()
    assert run is not None
    queue = store.queue(run["id"])
    assert [q.key for q in queue][:2] == ["a-major", "a-minor"]
    assert queue[-1].key == "a-clean" and queue[-1].findings == 0
    assert queue[0].findings == queue[0].undecided == 3


def test_change_of_mind_is_a_new_decision_and_nothing_is_overwritten(store: Store) -> None:
    finding = _finding(store, "a-major", "lexicon.meeting-words")
    store.decide_finding(int(finding["id"]), "dismiss", "house style", "ana")
    store.decide_finding(int(finding["id"]), "confirm", "", "ben")
    again = _finding(store, "a-major", "lexicon.meeting-words")
    assert [(h["action"], h["editor"]) for h in again["history"]] == [("dismiss", "ana"), ("confirm", "ben")]
    assert again["decision"]["action"] == "confirm"
    with sqlite3.connect(store.path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE decisions SET action = 'fix'")
    with sqlite3.connect(store.path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM findings")


def test_decisions_carry_over_to_a_rerun_with_moved_offsets(store: Store, tmp_path: Path) -> None:
    finding = _finding(store, "a-major", "lexicon.inverted-resistance")
    store.decide_finding(int(finding["id"]), "dismiss", "quoted speech", "ana")
    edited = [dict(a, body="An added opening sentence moves everything. " + a["body"]) for a in ARTICLES]
    store.import_report(make_report([write_articles(tmp_path / "feed2.jsonl", edited)]), "feed2.jsonl")
    moved = _finding(store, "a-major", "lexicon.inverted-resistance")
    assert moved["id"] != finding["id"] and moved["start"] != finding["start"]
    assert moved["decision"]["action"] == "dismiss"
    assert moved["decision"]["note"] == "quoted speech"


def test_invalid_decisions_are_refused(store: Store) -> None:
    finding = _finding(store, "a-minor", "punctuation.space-before")
    with pytest.raises(StoreError):
        store.decide_finding(int(finding["id"]), "maybe", "", "ana")
    with pytest.raises(StoreError):
        store.decide_finding(int(finding["id"]), "fix", "  ", "ana")
    with pytest.raises(NotFound):
        store.decide_finding(10_000, "confirm", "", "ana")
    with pytest.raises(NotFound):
        store.decide_article(10_000, "approve", "", "ana")
    assert store.decisions() == []


def test_stats_give_observed_precision_per_rule(store: Store) -> None:
    run = store.latest_run()
    assert run is not None
    for item in store.queue(run["id"]):
        for f in store.findings(item.id):
            if f["rule"] == "punctuation.space-before":
                store.decide_finding(f["id"], "dismiss" if item.key != "a-minor" else "confirm", "", "ana")
    (row,) = [r for r in store.stats() if r["rule"] == "punctuation.space-before"]
    assert (row["confirm"], row["dismiss"], row["decided"]) == (1, 2, 3)
    assert row["precision"] == pytest.approx(1 / 3)


def test_the_digest_follows_the_content_not_the_file(store: Store) -> None:
    before = store.digest()
    assert before == Store(store.path).digest() and len(before) == 12
    finding = _finding(store, "a-major", "lexicon.meeting-words")
    store.decide_finding(finding["id"], "dismiss", "", "ana")  # committed to the WAL: the main file may not change
    assert store.digest() != before
