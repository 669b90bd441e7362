"""The review database: runs, articles, findings and an append-only audit trail of editors' decisions.

SQLite in WAL mode with ``synchronous=FULL``: a decision is committed to disk before the caller
acknowledges it. Nothing is ever updated or deleted (triggers refuse it); a change of mind is a
new decision, and the current state of a finding is its latest decision, matched by fingerprint
so it carries over to later runs of the same article.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa import sqlite
from qa.errors import InputReadError
from qa.model import ArticleResult, Report, Severity, Verdict
from qa.review.fingerprint import article_key, fingerprints
from qa.review.marks import FIELDS, MissedMark

SCHEMA_VERSION = 1
FINDING_ACTIONS = ("confirm", "dismiss", "fix")
ARTICLE_ACTIONS = ("approve", "reject")
MAX_NOTE = 2000
_VERDICT_RANK = {Verdict.REJECT.value: 2, Verdict.REVIEW.value: 1, Verdict.PASS.value: 0}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, source TEXT NOT NULL, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL,
    key TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
    words INTEGER NOT NULL, penalty REAL NOT NULL, verdict TEXT NOT NULL, errors TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '', published TEXT NOT NULL DEFAULT '',
    UNIQUE (run_id, position));
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id), fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL, category TEXT NOT NULL, severity INTEGER NOT NULL, message TEXT NOT NULL,
    field TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    suggestions TEXT NOT NULL, confidence REAL NOT NULL, checker TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_article ON findings (article_id);
CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings (fingerprint);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, finding_id INTEGER REFERENCES findings(id),
    article_key TEXT NOT NULL, rule TEXT NOT NULL, text TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'dismiss', 'fix')),
    note TEXT NOT NULL, editor TEXT NOT NULL, decided_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_fingerprint ON decisions (fingerprint, id);
CREATE TABLE IF NOT EXISTS article_decisions (
    id INTEGER PRIMARY KEY, article_key TEXT NOT NULL, article_id INTEGER REFERENCES articles(id),
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject')),
    note TEXT NOT NULL, editor TEXT NOT NULL, decided_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS article_decisions_key ON article_decisions (article_key, id);
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id));
CREATE TABLE IF NOT EXISTS marks (
    id INTEGER PRIMARY KEY, article_key TEXT NOT NULL, article_id INTEGER REFERENCES articles(id),
    field TEXT NOT NULL CHECK (field IN ('title', 'body')), start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, meant TEXT NOT NULL, category TEXT NOT NULL, note TEXT NOT NULL,
    editor TEXT NOT NULL, marked_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS marks_key ON marks (article_key, id);
"""
# the current action on finding ``f`` (its fingerprint's latest decision), and the latest decision on each article
_CURRENT_ACTION = "(SELECT d.action FROM decisions d WHERE d.fingerprint = f.fingerprint ORDER BY d.id DESC LIMIT 1)"
_LATEST_ARTICLE_DECISIONS = "SELECT * FROM article_decisions WHERE id IN (SELECT MAX(id) FROM article_decisions GROUP BY article_key)"
_APPEND_ONLY = ("runs", "articles", "findings", "decisions", "article_decisions", "deliveries", "marks")
_ADDED_COLUMNS = {"articles": ("link", "published")}  # columns newer than some databases: added empty on opening


class StoreError(ValueError):
    """A request the store refuses: an unknown id or an invalid decision."""


class NotFound(StoreError):
    """No run, article or finding with that id."""


def now() -> str:
    """The current UTC time, ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class QueueItem:
    """One article of the queue with its counts and current article decision."""

    id: int
    key: str
    title: str
    source: str
    verdict: str
    penalty: float
    findings: int
    undecided: int
    worst: int
    rules: frozenset[str]
    decision: str | None

    @property
    def to_review(self) -> bool:
        """Whether an editor has anything to look at: findings, or a verdict other than pass."""
        return self.findings > 0 or self.verdict != Verdict.PASS.value


class Store:
    """Access to one review database file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            raise InputReadError(f"{self.path}: cannot open review database: {exc}") from None

    def _create(self) -> None:
        with self.connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            for table, columns in _ADDED_COLUMNS.items():
                have = {row["name"] for row in con.execute(f"PRAGMA table_info({table})")}
                for column in columns:
                    if column not in have:
                        con.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
            for table in _APPEND_ONLY:
                for verb in ("UPDATE", "DELETE"):
                    con.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                    )
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection (one per use), closed afterwards."""
        with sqlite.connect(self.path, foreign_keys=True) as con:
            yield con

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed to disk before the block's caller goes on."""
        with self.connect() as con, sqlite.transaction(con):
            yield con

    def secret(self) -> bytes:
        """This database's CSRF signing key (made once, so forms survive a server restart)."""
        with self.transaction() as con:
            con.execute("INSERT OR IGNORE INTO meta VALUES ('csrf_secret', ?)", (secrets.token_hex(32),))
            row = con.execute("SELECT value FROM meta WHERE key = 'csrf_secret'").fetchone()
        return bytes.fromhex(row["value"])

    # runs -------------------------------------------------------------------------------------

    def import_report(self, report: Report, source: str) -> int:
        """Store a report as a new run; returns the run id."""
        with self.transaction() as con:
            run_id = con.execute(
                "INSERT INTO runs (created_at, source, signature) VALUES (?, ?, ?)",
                (now(), source, report.tool.signature),
            ).lastrowid
            assert run_id is not None
            for position, result in enumerate(report.articles):
                _insert_article(con, run_id, position, result)
        return run_id

    def add_results(self, results: Sequence[tuple[str, ArticleResult]], source: str, signature: str) -> int:
        """Append results, each under its delivery key, to the latest run when it is ``source``'s (else to a new run).

        One transaction: a key stored before is skipped, so a caller that crashed after storing and
        retries stores each result once. Returns how many results were added.
        """
        with self.transaction() as con:
            done = {row["key"] for row in con.execute("SELECT key FROM deliveries WHERE key IN (SELECT value FROM json_each(?))",
                                                       (json.dumps([key for key, _ in results]),))}
            todo = [(key, result) for key, result in results if key not in done]
            if not todo:
                return 0
            latest = con.execute("SELECT id, source FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            if latest is not None and latest["source"] == source:
                run_id = int(latest["id"])
            else:
                new_id = con.execute("INSERT INTO runs (created_at, source, signature) VALUES (?, ?, ?)", (now(), source, signature)).lastrowid
                assert new_id is not None
                run_id = new_id
            position = con.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM articles WHERE run_id = ?", (run_id,)).fetchone()[0]
            for offset, (key, result) in enumerate(todo):
                article_id = _insert_article(con, run_id, position + offset, result)
                con.execute("INSERT INTO deliveries (key, article_id) VALUES (?, ?)", (key, article_id))
        return len(todo)

    def latest_run(self) -> sqlite3.Row | None:
        """The most recent run, or None for an empty database."""
        with self.connect() as con:
            row: sqlite3.Row | None = con.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            return row

    def run(self, run_id: int) -> sqlite3.Row:
        """One run by id."""
        return self._by_id("runs", run_id)

    def _by_id(self, table: str, row_id: int) -> sqlite3.Row:
        """One row of ``runs``, ``articles`` or ``findings`` by id (NotFound: ``no run 7``)."""
        with self.connect() as con:
            return _one(con, f"SELECT * FROM {table} WHERE id = ?", table.removesuffix("s"), row_id)

    # reading ----------------------------------------------------------------------------------

    def queue(self, run_id: int) -> list[QueueItem]:
        """Every article of a run with its counts, worst first (verdict, then penalty)."""
        with self.connect() as con:
            articles = con.execute("SELECT * FROM articles WHERE run_id = ? ORDER BY position", (run_id,)).fetchall()
            findings = con.execute(
                f"SELECT f.article_id, f.rule, f.severity, {_CURRENT_ACTION} AS action"
                " FROM findings f JOIN articles a ON a.id = f.article_id WHERE a.run_id = ?",
                (run_id,),
            ).fetchall()
            decided = self._article_decisions(con, [a["key"] for a in articles])
        per_article: dict[int, list[sqlite3.Row]] = {}
        for row in findings:
            per_article.setdefault(row["article_id"], []).append(row)
        items = []
        for a in articles:
            rows = per_article.get(a["id"], [])
            latest = decided.get(a["key"])
            items.append(QueueItem(
                id=a["id"], key=a["key"], title=a["title"], source=a["source"], verdict=a["verdict"],
                penalty=a["penalty"], findings=len(rows), undecided=sum(r["action"] is None for r in rows),
                worst=max((r["severity"] for r in rows), default=-1), rules=frozenset(r["rule"] for r in rows),
                decision=latest["action"] if latest else None,
            ))
        items.sort(key=lambda q: (-_VERDICT_RANK.get(q.verdict, 0), -q.penalty, q.id))
        return items

    @staticmethod
    def _article_decisions(con: sqlite3.Connection, keys: list[str]) -> dict[str, sqlite3.Row]:
        rows = con.execute(_LATEST_ARTICLE_DECISIONS).fetchall()
        wanted = set(keys)
        return {r["article_key"]: r for r in rows if r["article_key"] in wanted}

    def article(self, article_id: int) -> sqlite3.Row:
        """One stored article by id."""
        return self._by_id("articles", article_id)

    def findings(self, article_id: int) -> list[dict[str, Any]]:
        """An article's findings in text order, each with its current decision (or None) and history."""
        with self.connect() as con:
            rows = con.execute(
                "SELECT * FROM findings WHERE article_id = ? ORDER BY field != 'title', start, \"end\", id",
                (article_id,),
            ).fetchall()
            result = []
            for row in rows:
                history = con.execute(
                    "SELECT * FROM decisions WHERE fingerprint = ? ORDER BY id", (row["fingerprint"],)
                ).fetchall()
                item = dict(row)
                item["suggestions"] = json.loads(row["suggestions"])
                item["severity_label"] = Severity(row["severity"]).label
                item["history"] = [dict(h) for h in history]
                item["decision"] = dict(history[-1]) if history else None
                result.append(item)
        return result

    def finding(self, finding_id: int) -> sqlite3.Row:
        """One stored finding by id."""
        return self._by_id("findings", finding_id)

    def article_history(self, key: str) -> list[dict[str, Any]]:
        """Every approve/reject decision on an article (by key), oldest first."""
        with self.connect() as con:
            rows = con.execute("SELECT * FROM article_decisions WHERE article_key = ? ORDER BY id", (key,)).fetchall()
        return [dict(r) for r in rows]

    def decisions(self) -> list[dict[str, Any]]:
        """The whole finding audit trail, oldest first."""
        with self.connect() as con:
            return [dict(r) for r in con.execute("SELECT * FROM decisions ORDER BY id").fetchall()]

    def current_decisions(self) -> dict[str, dict[str, Any]]:
        """The latest decision on every fingerprint ever decided."""
        with self.connect() as con:
            rows = con.execute(
                "SELECT * FROM decisions WHERE id IN (SELECT MAX(id) FROM decisions GROUP BY fingerprint)"
            ).fetchall()
        return {r["fingerprint"]: dict(r) for r in rows}

    def current_article_decisions(self) -> dict[str, dict[str, Any]]:
        """The latest approve/reject decision on every article (by key) ever decided."""
        with self.connect() as con:
            rows = con.execute(_LATEST_ARTICLE_DECISIONS).fetchall()
        return {r["article_key"]: dict(r) for r in rows}

    def latest_articles(self) -> list[dict[str, Any]]:
        """The latest stored version of every article (one per key), in key order."""
        with self.connect() as con:
            rows = con.execute("SELECT * FROM articles WHERE id IN (SELECT MAX(id) FROM articles GROUP BY key) ORDER BY key").fetchall()
        return [dict(r) for r in rows]

    def findings_with_decisions(self) -> list[dict[str, Any]]:
        """Every stored finding with its article's key (``article_key``) and its current action (None: undecided), by id."""
        with self.connect() as con:
            rows = con.execute(
                f"SELECT f.*, a.key AS article_key, {_CURRENT_ACTION} AS action"
                " FROM findings f JOIN articles a ON a.id = f.article_id ORDER BY f.id"
            ).fetchall()
        return [dict(r) for r in rows]

    def digest(self) -> str:
        """A hash of the database's content (WAL included, unlike the file's bytes): what ``qa learn`` read."""
        with self.connect() as con:
            text = "\n".join(con.iterdump())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def stats(self) -> list[dict[str, Any]]:
        """Per rule: findings seen, current confirm/dismiss/fix counts and observed precision."""
        current = self.current_decisions()
        with self.connect() as con:
            seen = {r["rule"]: r["n"] for r in con.execute(
                "SELECT rule, COUNT(DISTINCT fingerprint) AS n FROM findings GROUP BY rule")}
        table: dict[str, dict[str, Any]] = {
            rule: {"rule": rule, "seen": n, "confirm": 0, "dismiss": 0, "fix": 0} for rule, n in seen.items()
        }
        for decision in current.values():
            row = table.setdefault(decision["rule"], {"rule": decision["rule"], "seen": 0, "confirm": 0, "dismiss": 0, "fix": 0})
            row[decision["action"]] += 1
        for row in table.values():
            right = row["confirm"] + row["fix"]
            decided = right + row["dismiss"]
            row["decided"] = decided
            row["precision"] = right / decided if decided else None
        return sorted(table.values(), key=lambda r: (r["precision"] if r["precision"] is not None else 2, -r["decided"], r["rule"]))

    # writing ----------------------------------------------------------------------------------

    def decide_finding(self, finding_id: int, action: str, note: str, editor: str) -> int:
        """Record confirm / dismiss (reason) / fix (wording) on a finding; committed on return."""
        _check_decision(action, FINDING_ACTIONS, note, editor)
        with self.transaction() as con:
            row = _one(con, "SELECT f.*, a.key FROM findings f JOIN articles a ON a.id = f.article_id WHERE f.id = ?", "finding", finding_id)
            about = {"fingerprint": row["fingerprint"], "finding_id": finding_id, "article_key": row["key"], "rule": row["rule"], "text": row["text"]}
            return _append_decision(con, "decisions", about, action, note, editor)

    def mark_missed(self, article_id: int, mark: MissedMark, editor: str) -> int:
        """Record a garbled span the checker missed (offsets into the field); committed on return."""
        _check_decision("mark", ("mark",), mark.note, editor)  # the note and editor rules every decision follows
        with self.transaction() as con:
            row = _one(con, "SELECT key, title, body FROM articles WHERE id = ?", "article", article_id)
            try:
                text = mark.validated(row[mark.field] if mark.field in FIELDS else "")
            except ValueError as exc:
                raise StoreError(str(exc)) from None
            values = {"article_key": row["key"], "article_id": article_id, "field": mark.field, "start": mark.start,
                      "end": mark.end, "text": text, "meant": mark.meant.strip(), "category": mark.category,
                      "note": mark.note.strip(), "editor": editor, "marked_at": now()}
            columns = ", ".join(f'"{c}"' for c in values)
            row_id = con.execute(f"INSERT INTO marks ({columns}) VALUES ({', '.join('?' * len(values))})",
                                 tuple(values.values())).lastrowid
            assert row_id is not None
            return row_id

    def marks(self, key: str | None = None) -> list[dict[str, Any]]:
        """Missed-damage marks, oldest first: on one article (by key), or all of them."""
        with self.connect() as con:
            if key is None:
                rows = con.execute("SELECT * FROM marks ORDER BY id").fetchall()
            else:
                rows = con.execute("SELECT * FROM marks WHERE article_key = ? ORDER BY id", (key,)).fetchall()
        return [dict(r) for r in rows]

    def decide_article(self, article_id: int, action: str, note: str, editor: str) -> int:
        """Record approve / reject (note) on an article; committed on return."""
        _check_decision(action, ARTICLE_ACTIONS, note, editor)
        with self.transaction() as con:
            row = _one(con, "SELECT key FROM articles WHERE id = ?", "article", article_id)
            return _append_decision(con, "article_decisions", {"article_key": row["key"], "article_id": article_id}, action, note, editor)


def _insert_article(con: sqlite3.Connection, run_id: int, position: int, result: ArticleResult) -> int:
    """Insert one checked article and its findings into a run; the article's row id."""
    art = result.article
    article_id = con.execute(
        "INSERT INTO articles (run_id, position, key, source, title, body, words, penalty, verdict, errors,"
        " link, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (run_id, position, article_key(art), art.source, art.title, art.body, result.words,
         result.penalty, result.verdict.value, json.dumps(list(art.errors)), art.link or "", art.published or ""),
    ).lastrowid
    assert article_id is not None
    prints = fingerprints(art, result.issues)
    con.executemany(
        "INSERT INTO findings (article_id, fingerprint, rule, category, severity, message, field, start,"
        ' "end", text, suggestions, confidence, checker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
            (article_id, fp, i.rule, i.category, int(i.severity), i.message, i.field, i.start, i.end,
             i.text, json.dumps(list(i.suggestions), ensure_ascii=False), i.confidence, i.checker)
            for fp, i in zip(prints, result.issues)
        ],
    )
    return article_id


def _one(con: sqlite3.Connection, query: str, noun: str, row_id: int) -> sqlite3.Row:
    """The row a query by id finds; NotFound (``no <noun> <id>``) when there is none."""
    row: sqlite3.Row | None = con.execute(query, (row_id,)).fetchone()
    if row is None:
        raise NotFound(f"no {noun} {row_id}")
    return row


def _append_decision(con: sqlite3.Connection, table: str, about: dict[str, Any], action: str, note: str, editor: str) -> int:
    """Insert a decision on what the ``about`` columns name into ``table``; the new row's id."""
    values = {**about, "action": action, "note": note.strip(), "editor": editor, "decided_at": now()}
    statement = f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
    row_id = con.execute(statement, tuple(values.values())).lastrowid
    assert row_id is not None
    return row_id


def _check_decision(action: str, actions: tuple[str, ...], note: str, editor: str) -> None:
    """Refuse an unknown action, a fix without its wording, an overlong note or a missing editor name."""
    if action not in actions:
        raise StoreError(f"unknown action {action!r} (expected {', '.join(actions)})")
    if action == "fix" and not note.strip():
        raise StoreError("a fix needs the corrected wording")
    if len(note) > MAX_NOTE:
        raise StoreError(f"the note is longer than {MAX_NOTE} characters")
    if not editor.strip() or len(editor) > 100:
        raise StoreError("an editor name (1 to 100 characters) is required")


def dismissed(store: Store) -> Mapping[str, dict[str, Any]]:
    """Fingerprints whose current decision is a dismissal, with that decision."""
    return {fp: d for fp, d in store.current_decisions().items() if d["action"] == "dismiss"}
