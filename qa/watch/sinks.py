"""Where checked items go from the outbox: a JSON Lines log, the review database, a chat webhook.

Each sink sends what the outbox holds for it, skips what it already holds (by delivery key), and
then marks it sent, so a run killed at any point sends every item once when the outbox is drained again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa import __version__
from qa.ingest.http import USER_AGENT, HttpSettings, failure
from qa.ingest.source import Unreadable
from qa.model import Severity
from qa.watch.state import Held, State

LOG_OFFSET = "log-offset:"  # + the log's path: where the last append began


class JsonlLog:
    """Results appended to a JSON Lines file, one line per checked item with its ``key``."""

    def __init__(self, path: Path):
        self.path = path

    def send(self, state: State) -> int:
        """Append what the outbox holds for the log and mark it sent; the lines written.

        Before appending, the file's size is recorded; a run killed after appending and before marking
        leaves lines after that offset, and their keys are not written again (a cut-off last line is removed).
        The offset only moves when none of the pending keys is in the log, so every line written but not
        yet marked always lies after it.
        """
        held = state.pending("log")
        if not held:
            return 0
        offset_key = LOG_OFFSET + str(self.path.resolve())
        there = self.keys_after(int(state.meta(offset_key) or 0))
        todo = [h for h in held if h.key not in there]
        if todo:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as handle:
                if not there:  # else the offset stays before those lines, which stay unmarked until this send ends
                    state.set_meta(offset_key, str(handle.tell()))
                handle.write("".join(h.result + "\n" for h in todo).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        state.sent("log", [h.key for h in held])
        return len(todo)

    def keys_after(self, offset: int) -> set[str]:
        """The keys of the complete lines from ``offset`` on; a partial last line there is cut off."""
        try:
            with self.path.open("r+b") as handle:
                size = handle.seek(0, os.SEEK_END)
                start = offset if offset <= size else 0  # a log rotated since: its keys are all new
                handle.seek(start)
                tail = handle.read()
                if tail and not tail.endswith(b"\n"):
                    handle.truncate(start + tail.rfind(b"\n") + 1)
        except FileNotFoundError:
            return set()
        keys = set()
        for line in tail.splitlines(keepends=True):
            if line.endswith(b"\n"):
                try:
                    keys.add(str(json.loads(line)["key"]))
                except (ValueError, KeyError, TypeError):
                    continue
        return keys


class ReviewSink:
    """Results stored in a review database (``qa serve --db``), appended to its watch run, worst first in the queue."""

    SOURCE = "qa watch"

    def __init__(self, path: Path, signature: str = ""):
        from qa.review.store import Store

        self.store = Store(path)
        self.signature = signature  # the run's, recorded when the watch run is created

    def send(self, state: State) -> int:
        """Store what the outbox holds for the review database (one transaction) and mark it sent; the articles added."""
        from qa.review.loader import report_from_dict

        held = state.pending("review")
        if not held:
            return 0
        lines = [json.loads(h.result) for h in held]
        tool = {"name": "qa", "version": __version__, "signature": self.signature}
        report = report_from_dict({"tool": tool, "articles": lines})
        added = self.store.add_results([(h.key, r) for h, r in zip(held, report.articles)], self.SOURCE, self.signature)
        state.sent("review", [h.key for h in held])
        return added


class Webhook:
    """A short JSON message (``{"text": …}``, as Slack and Teams incoming webhooks take) per story at ``threshold`` or worse."""

    def __init__(self, url: str, threshold: Severity, settings: HttpSettings = HttpSettings(timeout=10.0)):
        self.url = url
        self.threshold = threshold
        self.settings = settings

    def send(self, state: State) -> tuple[int, list[str]]:
        """POST a message per story the outbox holds for the webhook at the threshold (others marked sent at once).

        A story is marked sent right after its POST succeeds; one that fails stays for the next poll. The
        messages posted, and why any failed.
        """
        held = state.pending("notify")
        quiet = [h.key for h in held if h.severity < self.threshold]
        if quiet:
            state.sent("notify", quiet)
        posted, problems = 0, []
        for item in (h for h in held if h.severity >= self.threshold):
            try:
                self.post(message(json.loads(item.result)), item.key)
            except Unreadable as exc:
                problems.append(str(exc))
                break  # the hook is down: the rest waits for the next poll, in order
            state.sent("notify", [item.key])
            posted += 1
        return posted, problems

    def post(self, payload: dict[str, Any], key: str) -> None:
        """POST ``payload`` as JSON; Unreadable when it is not taken (no connection, time-out, an error status)."""
        import urllib3

        timeout = urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.timeout)
        headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json", "Idempotency-Key": key}
        try:
            with urllib3.PoolManager(retries=False) as pool:
                response = pool.request("POST", self.url, body=json.dumps(payload).encode("utf-8"), headers=headers,
                                        timeout=timeout, redirect=False)
        except (urllib3.exceptions.HTTPError, ValueError) as exc:
            raise Unreadable(f"webhook: {failure(exc, self.settings)}") from None
        if not 200 <= response.status < 300:
            raise Unreadable(f"webhook: HTTP {response.status} {response.reason or ''}".rstrip())


def message(line: dict[str, Any]) -> dict[str, str]:
    """The webhook message for one logged result: severity, verdict, headline, findings and where to read it."""
    issues: Sequence[dict[str, Any]] = line.get("issues") or []
    rules = sorted({str(i.get("rule")) for i in issues if not i.get("suppressed")})
    where = line.get("link") or line.get("id") or ""
    title = line.get("title") or "(no headline)"
    text = (f"qa: {line.get('severity') or 'no'} findings, {line.get('verdict')}: “{title}” — {len(rules)} rule(s): "
            f"{', '.join(rules[:5])}{' …' if len(rules) > 5 else ''} {where}").strip()
    return {"text": text}
