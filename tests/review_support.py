"""Helpers for the review tests: articles with known findings, a JSON report, a real `qa serve` process."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from qa.config import Config
from qa.engine import check
from qa.formatters.json import JsonFormatter
from qa.ingest import read_inputs
from qa.model import Report
from qa.review.app import Settings, create_app
from qa.review.store import Store

ROOT = Path(__file__).resolve().parent.parent
RULES_ONLY = Config().switched(embeddings=False, languagetool=False)
XSS_BODY = (
    'The minister said <script>window.__xss = 1</script> in talks on Friday . '
    'A photo <img src=x onerror="window.__xss = 2"> was shown.'
)
ARTICLES = [
    {"id": "a-minor", "title": "Ministers meet", "body": "The ministers met in Tokyo on Friday . They talked for an hour."},
    {"id": "a-major", "title": "Leaders vow to push back",
     "body": "Before the virtual billet, officials spoke. The leaders resolved to back down against the efforts "
             "of their rivals, officials said on Friday ."},
    {"id": "a-xss", "title": "<script>window.__xss = 3</script> Headline", "body": XSS_BODY},
    {"id": "a-clean", "title": "A quiet day", "body": "Nothing happened in the city today, officials said."},
]


# A newsroom's week in review, written for these tests: MT-style damage the editors marked (with what was
# meant), a finding fixed and one dismissed, rejected articles, and clean ones approved.
DAMAGED = [
    ("d-flood", "Minister visits flood area",
     "The minister went down to the flood area on Tuesday to see with his own eyes the damages. He promised to give "
     "the help of the government to the families who lost the houses. Officials said repairs would start next week.",
     [("to see with his own eyes the damages", "to see the damage for himself"), ("give the help of the government", "government help")]),
    ("d-robber", "Police arrest bank robber",
     "The police caught the thief of the bank after a chase of two hours. The man was hiding himself in the house of "
     "his aunt. He will appear in court on Friday.",
     [("a chase of two hours", "a two-hour chase"), ("was hiding himself in the house of his aunt", "was hiding at his aunt's house")]),
    ("d-cup", "Team wins the cup",
     "The national team won the cup after beating the rivals with a score of three to one. The coach said the players "
     "have shown the big heart on the field. Fans celebrated in the streets.",
     [("with a score of three to one", "3-1"), ("have shown the big heart", "showed great heart")]),
    ("d-prices", "Prices rise again",
     "The prices of the vegetables have climbed up again this month. The shoppers are complaining that the wallet is "
     "becoming thin. The central bank will meet next week.",
     [("have climbed up again", "rose again"), ("the wallet is becoming thin", "money is tight")]),
    ("d-library", "School opens library",
     "The school opened the new library for making the students to love the reading. The principal said the books "
     "were given by the hand of a local businessman. Classes resume on Monday.",
     [("for making the students to love the reading", "to help students love reading"), ("given by the hand of", "donated by")]),
    ("d-storm", "Storm hits coast",
     "The strong storm hit the coast and made the trees to fall on the road. The electricity was cut for the many "
     "thousands of homes. Crews worked through the night.",
     [("made the trees to fall", "brought trees down"), ("for the many thousands of homes", "to thousands of homes")]),
    ("d-hospital", "Hospital gets machines",
     "The hospital received the new machines for doing the tests of the blood. The doctors said the waiting will "
     "become more short for the patients. The machines cost two million dollars.",
     [("for doing the tests of the blood", "for blood tests"), ("will become more short", "will be shorter")]),
]
SUMMIT = {"id": "d-summit", "title": "Leaders vow to push back",
          "body": "Before the virtual billet, officials spoke. The leaders resolved to back down against the efforts "
                  "of their rivals, officials said on Friday."}
APPROVED = [
    {"id": "c-museum", "title": "Museum reopens after renovation",
     "body": "The city museum reopened on Saturday after a two-year renovation. Visitors queued outside before the doors "
             "opened. The new wing houses a collection of maritime paintings."},
    {"id": "c-rail", "title": "Rail strike called off",
     "body": "Union leaders called off a planned rail strike on Wednesday after reaching a pay deal. Trains will run as "
             "normal this weekend, the operator said."},
    {"id": "c-harvest", "title": "Farmers expect good harvest",
     "body": "Farmers in the region expect a strong wheat harvest after a wet spring. Prices at the local market have "
             "been steady."},
]


def newsroom_articles() -> list[dict[str, Any]]:
    """The articles of the newsroom's review, as a feed's records."""
    return [{"id": key, "title": title, "body": body} for key, title, body, _ in DAMAGED] + [SUMMIT, *APPROVED]


def reviewed_newsroom(db: Path, feed: Path) -> Store:
    """A review database where editors went through ``newsroom_articles`` (checked rules-only): marks with what
    was meant on the damaged ones (rejected), "virtual billet" fixed and "back down against" dismissed, the
    clean ones approved."""
    from qa.review.marks import MissedMark

    store = Store(db)
    run_id = store.import_report(make_report([write_articles(feed, newsroom_articles())]), feed.name)
    items = {item.key: item for item in store.queue(run_id)}
    for key, _, body, marks in DAMAGED:
        for phrase, meant in marks:
            start = body.index(phrase)
            store.mark_missed(items[key].id, MissedMark("body", start, start + len(phrase), phrase, meant, "literal idiom"), "desk")
        store.decide_article(items[key].id, "reject", "machine translated", "desk")
    for finding in store.findings(items["d-summit"].id):
        if finding["text"] == "virtual billet":
            store.decide_finding(finding["id"], "fix", "virtual summit", "desk")
        elif finding["text"] == "back down against":
            store.decide_finding(finding["id"], "dismiss", "quoted as said", "desk")
    for article in APPROVED:
        store.decide_article(items[str(article["id"])].id, "approve", "", "desk")
    return store


def qa_command(*args: str) -> list[str]:
    """The argv that runs the qa CLI from this checkout."""
    return [sys.executable, "-m", "qa", *args]


def qa_env(**extra: str) -> dict[str, str]:
    """The environment for a qa subprocess (this checkout first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for name in ("QA_SERVE_TOKEN", "QA_LANGUAGETOOL"):
        env.pop(name, None)
    env.update(extra)
    return env


def run_qa(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the qa CLI to completion."""
    return subprocess.run(qa_command(*args), check=False, capture_output=True, text=True, cwd=cwd, env=qa_env(**env), timeout=60)


def write_articles(path: Path, articles: Sequence[dict[str, Any]] = ARTICLES) -> Path:
    """Write articles as JSON Lines."""
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def make_report(inputs: Sequence[Path]) -> Report:
    """Check inputs with the real rules-only engine."""
    return check(read_inputs([str(p) for p in inputs]), RULES_ONLY)


def write_report(report: Report, path: Path) -> Path:
    """Write a report as `qa check --format json` does."""
    with path.open("w", encoding="utf-8") as stream:
        JsonFormatter().write(report, stream, None)
    return path


@dataclass
class Server:
    """A running `qa serve` process and its URL."""

    process: subprocess.Popen[str]
    url: str

    @property
    def base(self) -> str:
        """The URL without the token query."""
        return self.url.split("?", 1)[0]


@contextmanager
def serve(db: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start `qa serve --db DB ARGS` and wait until it prints its URL; stop it afterwards."""
    process = subprocess.Popen(
        qa_command("serve", "--db", str(db), *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=qa_env(**(env or {})),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+", line)
        if match is None:
            process.kill()
            raise AssertionError(f"qa serve did not start: {line!r} {process.stderr.read() if process.stderr else ''}")
        yield Server(process, match.group())
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


class Client:
    """A browser-like HTTP client with its own cookie jar (one editor)."""

    def __init__(self, base: str, editor: str, token: str | None = None):
        self.base = base
        self.editor = editor
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        handlers: list[Any] = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)
        self.csrf = ""

    def request(self, method: str, path: str, data: dict[str, str] | bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        """One request; returns status, body and headers (errors are returned, not raised)."""
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(self.base.rstrip("/") + path, data=body, method=method, headers=headers or {})
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(), dict(err.headers)

    def get(self, path: str) -> tuple[int, str]:
        """GET a page and remember its CSRF token."""
        status, body, _ = self.request("GET", path)
        match = re.search(r'name="csrf" value="([0-9a-f]+)"', body)
        if match:
            self.csrf = match.group(1)
        return status, body

    def decide(self, finding: int, action: str, note: str = "") -> tuple[int, dict[str, Any]]:
        """POST a decision on a finding asking for JSON; returns status and the parsed answer."""
        form = {"csrf": self.csrf, "action": action, "note": note, "editor": self.editor}
        status, body, _ = self.request("POST", f"/finding/{finding}", form, {"Accept": "application/json"})
        return status, json.loads(body)

    def decide_article(self, article: int, action: str, note: str = "") -> tuple[int, dict[str, Any]]:
        """POST approve/reject on an article asking for JSON."""
        form = {"csrf": self.csrf, "action": action, "note": note, "editor": self.editor}
        status, body, _ = self.request("POST", f"/article/{article}/decision", form, {"Accept": "application/json"})
        return status, json.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def wait_for(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll until predicate() is true or the timeout passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


# the review database of the small JSON Lines feed, and the app's test client on it: modules that use
# them import them (pytest finds fixtures a module imports)
@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A review database holding the report of ``write_articles``' feed."""
    store = Store(tmp_path / "review.sqlite")
    store.import_report(make_report([write_articles(tmp_path / "feed.jsonl")]), "feed.jsonl")
    return store


@pytest.fixture
def client(store: Store) -> Iterator[FlaskClient]:
    """Flask's test client of the review app on ``store``, editor "tester"."""
    app = create_app(store, Settings(editor="tester", allowed_hosts={"localhost"}))
    with app.test_client() as client:
        yield client
