"""Polling feeds: a conditional GET per feed, only new or changed items checked, results held and sent on.

Each round first drains the outbox (what a killed run left), then polls each feed in turn and drains
again after it. A feed that fails (time-out, error status, garbage) waits an exponentially growing,
capped delay before its next poll; it never stops the others. One line per feed per poll on stderr.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from qa.config import Config
from qa.ingest import read_data
from qa.ingest.http import HttpSettings, fetch
from qa.ingest.source import Unreadable
from qa.model import Article, ArticleResult, InputError, Verdict
from qa.watch.state import SINKS, State, content_hash

BACKOFF_CAP = 3600.0  # seconds: a feed down for a day is still tried every hour


class Sink(Protocol):
    """Something the outbox is drained into (``qa.watch.sinks``)."""

    def send(self, state: State) -> object:
        """Send what the outbox holds for this sink and mark it sent."""


@dataclass(frozen=True)
class Poll:
    """What one poll of one feed did, for its log line."""

    feed: str
    outcome: str  # checked, not-modified, failed, waiting
    items: int = 0
    new: int = 0
    changed: int = 0
    flagged: int = 0
    seconds: float = 0.0
    detail: str = ""

    def line(self) -> str:
        """The poll's one log line."""
        took = f" ({self.seconds:.1f} s)"
        if self.outcome == "checked":
            text = f"{self.items} item(s), checked {self.new} new and {self.changed} changed, {self.flagged} flagged"
            text += f"; {self.detail}" if self.detail else ""
        elif self.outcome == "not-modified":
            text = "not modified (304)"
        else:
            text = self.detail
            took = took if self.outcome == "failed" else ""
        return f"qa watch: {self.feed}: {text}{took}"


def backoff(failures: int, every: float) -> float:
    """Seconds to wait after ``failures`` failed polls in a row: ``every`` doubling each time, at most an hour."""
    return float(min(max(BACKOFF_CAP, every), every * 2 ** min(failures - 1, 30)))


def worst(result: ArticleResult) -> int:
    """The worst severity among an article's findings not suppressed, -1 when it has none."""
    return max((int(i.severity) for i in result.issues if not i.suppressed), default=-1)


def log_line(result: ArticleResult, feed: str, checked_at: float) -> dict[str, object]:
    """A result as the JSON Lines log holds it (its delivery key is added when it is held)."""
    from qa.formatters.json import article_dict
    from qa.model import Severity

    severity = worst(result)
    return {
        "feed": feed,
        "checked_at": datetime.fromtimestamp(checked_at, UTC).isoformat(timespec="seconds"),
        "severity": Severity(severity).label if severity >= 0 else None,
        **article_dict(result),
    }


class Watcher:
    """Polls feeds for one state file and drains its outbox into ``sinks`` (named as ``qa.watch.state.SINKS``)."""

    def __init__(self, config: Config, state: State, sinks: dict[str, Sink], every: float = 300.0,
                 clock: Callable[[], float] = time.time, say: Callable[[str], None] = print):
        from qa.engine import Run

        self.config = config
        self.state = state
        self.sinks = sinks
        self.every = every
        self.clock = clock
        self.say = say
        self.http = HttpSettings(timeout=config.http_timeout)
        self.run = Run(config)  # checkers built once: a model loads once for every poll
        self.problems: list[str] = []  # every sink failure reported, for --once's exit code

    def drain(self) -> list[str]:
        """Send what the outbox holds to every sink; a line for each sink that failed (its items stay held)."""
        problems = []
        for name, sink in self.sinks.items():
            try:
                sent = sink.send(self.state)
            except (OSError, Unreadable, ValueError, sqlite3.Error) as exc:
                problems.append(f"qa watch: cannot write to the {name} sink yet (kept for the next poll): {exc}")
                continue
            if isinstance(sent, tuple) and sent[1]:
                problems.append(f"qa watch: {sent[1][0]} (kept for the next poll)")
        return problems

    def round(self, feeds: Iterable[str]) -> list[Poll]:
        """Drain the outbox, then poll each feed and drain after it; log a line per feed."""
        polls = []
        self.report(self.drain())
        for feed in feeds:
            poll = self.poll_safely(feed)
            self.say(poll.line())
            polls.append(poll)
            if poll.outcome == "checked":
                self.report(self.drain())
        return polls

    def forever(self, feeds: Sequence[str]) -> None:
        """Poll the feeds every ``every`` seconds until interrupted."""
        while True:
            began = self.clock()
            self.round(feeds)
            time.sleep(max(0.0, began + self.every - self.clock()))

    def report(self, problems: list[str]) -> None:
        """Print each problem line (and keep it)."""
        for problem in problems:
            self.say(problem)
        self.problems += problems

    def poll_safely(self, feed: str) -> Poll:
        """Poll one feed; whatever goes wrong is that feed's failure, never the others'."""
        began = self.clock()
        try:
            return self.poll(feed)
        except Exception as exc:  # noqa: BLE001 - one feed's failure (a bug included) must not stop the others
            return self.failed(feed, f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:200]}", began)

    def poll(self, feed: str) -> Poll:
        """Fetch a feed (conditionally), check its new and changed items, and hold their results in the outbox."""
        began = self.clock()
        known = self.state.feed(feed)
        if known.retry_at > began:
            at = datetime.fromtimestamp(known.retry_at, UTC).strftime("%H:%M:%S UTC")
            return Poll(feed, "waiting", detail=f"backing off after {known.failures} failed poll(s), next try at {at}")
        try:
            fetched = fetch(feed, self.http, since=known.validators if known.validators.etag or known.validators.last_modified else None)
        except Unreadable as exc:
            return self.failed(feed, str(exc), began)
        if fetched.not_modified:
            self.state.hold(feed, fetched.validators, [], began)
            return Poll(feed, "not-modified", seconds=self.clock() - began)
        read = list(read_data(feed, fetched.data, fetched.fmt, self.config.max_article_chars))
        articles = list({a.id: a for a in reversed(read) if isinstance(a, Article)}.values())[::-1]  # first of a repeated id
        if not articles:
            errors = [e.message for e in read if isinstance(e, InputError)]
            return self.failed(feed, errors[0] if errors else "no items", began)
        hashes = {a.id: content_hash(a.title, a.body) for a in articles}
        changed = self.state.changed(feed, list(hashes.items()))
        seen = set(self.state.done(feed))
        todo = [a for a in articles if a.id in changed]
        errors_before = len(self.run.errors)
        results = list(self.run.results(todo))
        failed = self.run.errors[errors_before:]  # not held: checked again on the next poll
        now = self.clock()
        held = [(r.article.id, hashes[r.article.id], worst(r), log_line(r, feed, now)) for r in results]
        self.state.hold(feed, fetched.validators, held, now, [s for s in SINKS if s in self.sinks])
        return Poll(
            feed, "checked", items=len(articles), new=sum(a.id not in seen for a in todo), changed=sum(a.id in seen for a in todo),
            flagged=sum(r.verdict != Verdict.PASS for r in results), seconds=self.clock() - began,
            detail="; ".join(f"not checked: {e.source}: {e.message}" for e in failed),
        )

    def failed(self, feed: str, reason: str, began: float) -> Poll:
        """Note a failed poll and when to try the feed again."""
        failures = self.state.feed(feed).failures + 1
        wait = backoff(failures, self.every)
        self.state.failed(feed, reason, began + wait)
        return Poll(feed, "failed", seconds=self.clock() - began,
                    detail=f"failed ({failures} in a row): {reason}; next try in {wait:g} s")
