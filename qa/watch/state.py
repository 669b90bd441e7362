"""The watcher's state file: per feed its validators and back-off, per item what was last checked, and an outbox.

SQLite in WAL mode with ``synchronous=FULL``. A checked item's result enters the outbox in the same
transaction that records the item's content hash and the feed's new validators, so the result is on
disk before the feed is ever asked "anything new since?" with those validators. The outbox row then
goes to each sink (the JSON Lines log, the review database, the webhook) and is marked sent per
sink once that sink holds it; the item is *done* when the log and the review database hold it.
Every sink takes a row by its delivery key and skips a key it already holds, so a run killed
between writing and marking sends nothing twice when the next run drains the outbox again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qa import sqlite
from qa.errors import InputReadError
from qa.ingest.http import Validators

SINKS = ("log", "review", "notify")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, failures INTEGER NOT NULL DEFAULT 0,
    retry_at REAL NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL, item TEXT NOT NULL, hash TEXT NOT NULL, checks INTEGER NOT NULL, key TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (feed, item));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, feed TEXT NOT NULL, item TEXT NOT NULL,
    severity INTEGER NOT NULL, result TEXT NOT NULL, created_at REAL NOT NULL,
    log INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0, notify INTEGER NOT NULL DEFAULT 0);
"""


def content_hash(title: str, body: str) -> str:
    """What identifies an item's content: a SHA-256 of its title and body (a corrected story hashes anew)."""
    return hashlib.sha256(f"{title}\n\x00\n{body}".encode()).hexdigest()


def delivery_key(feed: str, item: str, digest: str, checks: int) -> str:
    """The key one check of one item is delivered under (the count keeps an edit that is reverted a new delivery)."""
    return hashlib.sha256(f"{feed}\n{item}\n{digest}\n{checks}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FeedState:
    """What the state file knows of a feed: its validators and how often in a row it failed."""

    validators: Validators
    failures: int = 0
    retry_at: float = 0.0


@dataclass(frozen=True)
class Held:
    """One checked item waiting in the outbox: its key, feed, item id, worst severity (-1: none) and result JSON."""

    key: str
    feed: str
    item: str
    severity: int
    result: str


class State:
    """Access to one state file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            with self.connect() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputReadError(f"{self.path}: cannot open watch state file: {exc}") from None

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the state file for one watcher (a lock file beside it, freed by the kernel even after ``kill -9``).

        Two watchers on one state would check the same items and both report them; the second is refused.
        """
        import fcntl

        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputReadError(f"{self.path} is in use by another qa watch") from None
            yield

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection (one per use), closed afterwards."""
        with sqlite.connect(self.path) as con:
            yield con

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed to disk before the block's caller goes on."""
        with self.connect() as con, sqlite.transaction(con):
            yield con

    def feed(self, url: str) -> FeedState:
        """A feed's validators and failures (none for a feed never polled)."""
        with self.connect() as con:
            row = con.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return FeedState(Validators())
        return FeedState(Validators(row["etag"], row["last_modified"]), row["failures"], row["retry_at"])

    def failed(self, url: str, reason: str, retry_at: float) -> int:
        """Count a failed poll of a feed, not to be polled again before ``retry_at``; the failures in a row."""
        with self.transaction() as con:
            con.execute(
                "INSERT INTO feeds (url, failures, retry_at, last_error) VALUES (?, 1, ?, ?) ON CONFLICT (url) DO UPDATE"
                " SET failures = failures + 1, retry_at = excluded.retry_at, last_error = excluded.last_error",
                (url, retry_at, reason),
            )
            return int(con.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()[0])

    def changed(self, feed: str, items: Sequence[tuple[str, str]]) -> set[str]:
        """The ids among ``items`` (id, content hash) never checked, or checked last with other content."""
        with self.connect() as con:
            known = {row["item"]: row["hash"] for row in con.execute("SELECT item, hash FROM items WHERE feed = ?", (feed,))}
        return {item for item, digest in items if known.get(item) != digest}

    def hold(self, feed: str, validators: Validators, checked: Sequence[tuple[str, str, int, Mapping[str, object]]], now: float,
             sinks: Sequence[str] = SINKS) -> list[str]:
        """In one transaction: put checked items (id, content hash, worst severity, log line) in the outbox, each line
        under its delivery ``key``; note their hashes and the feed's new validators, and clear its failures.
        ``sinks``: the ones to send to (others are marked sent). The items' delivery keys."""
        keys = []
        skip = {sink: int(sink not in sinks) for sink in SINKS}
        with self.transaction() as con:
            for item, digest, severity, result in checked:
                row = con.execute("SELECT checks FROM items WHERE feed = ? AND item = ?", (feed, item)).fetchone()
                checks = (row["checks"] if row else 0) + 1
                key = delivery_key(feed, item, digest, checks)
                con.execute(
                    "INSERT INTO items (feed, item, hash, checks, key, done) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (feed, item)"
                    " DO UPDATE SET hash = excluded.hash, checks = excluded.checks, key = excluded.key, done = 0",
                    (feed, item, digest, checks, key),
                )
                con.execute(
                    "INSERT INTO outbox (key, feed, item, severity, result, created_at, log, review, notify)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, feed, item, severity, json.dumps({"key": key, **result}, ensure_ascii=False), now,
                     skip["log"], skip["review"], skip["notify"]),
                )
                keys.append(key)
            con.execute(
                "INSERT INTO feeds (url, etag, last_modified) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE"
                " SET etag = excluded.etag, last_modified = excluded.last_modified, failures = 0, retry_at = 0, last_error = ''",
                (feed, validators.etag, validators.last_modified),
            )
        return keys

    def pending(self, sink: str) -> list[Held]:
        """The outbox rows not yet sent to ``sink``, oldest first."""
        column = _sink(sink)
        with self.connect() as con:
            rows = con.execute(f"SELECT * FROM outbox WHERE {column} = 0 ORDER BY id").fetchall()
        return [Held(r["key"], r["feed"], r["item"], r["severity"], r["result"]) for r in rows]

    def sent(self, sink: str, keys: Sequence[str]) -> None:
        """Mark outbox rows sent to ``sink``; an item is done once its log and review rows are, a row gone once all are."""
        column = _sink(sink)
        with self.transaction() as con:
            con.executemany(f"UPDATE outbox SET {column} = 1 WHERE key = ?", [(k,) for k in keys])
            con.execute("UPDATE items SET done = 1 WHERE done = 0 AND key IN (SELECT key FROM outbox WHERE log = 1 AND review = 1)")
            con.execute("DELETE FROM outbox WHERE log = 1 AND review = 1 AND notify = 1")

    def meta(self, key: str) -> str | None:
        """A value the sinks keep between runs (the log's offset)."""
        with self.connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        """Keep a value between runs, committed on return."""
        with self.transaction() as con:
            con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def done(self, feed: str) -> dict[str, bool]:
        """Every item of a feed the state file knows, and whether it is done (its result in the log and review database)."""
        with self.connect() as con:
            return {r["item"]: bool(r["done"]) for r in con.execute("SELECT item, done FROM items WHERE feed = ?", (feed,))}


def _sink(sink: str) -> str:
    """The outbox column of a sink (refusing any other name, as it goes into SQL)."""
    if sink not in SINKS:
        raise ValueError(f"unknown sink {sink!r}")
    return sink
