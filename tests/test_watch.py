"""``qa watch`` against a real feed server on a socket: conditional polls, restarts, SIGKILL, review, webhook."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.errors import InputReadError
from qa.ingest.http import Validators
from qa.review.app import Settings, create_app
from qa.review.store import Store
from qa.watch.state import State
from qa.watch.sinks import JsonlLog, ReviewSink
from qa.watch.watcher import backoff
from tests.http_support import Site, send, serving

ROOT = Path(__file__).resolve().parent.parent
FAST = ("--no-embeddings", "--languagetool", "off")
MAJOR = "Before the virtual billet, US officials emphasized the goal of the talks on Friday."
MINOR = "The the talks lasted an hour in the capital, officials said on Friday."
CLEAN = "Nothing happened in the city today, officials said on Friday."


class Feed:
    """An RSS feed whose items the test changes; served with an ETag and Last-Modified, answering 304 when unchanged."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, str]] = {}  # guid → (title, body)
        self.lock = threading.Lock()
        self.changed = time.time()

    def set(self, guid: str, title: str, body: str) -> None:
        """Add or edit an item."""
        with self.lock:
            self.items[guid] = (title, body)
            self.changed += 1  # one second later each time, so Last-Modified moves too

    def xml(self) -> bytes:
        """The feed document."""
        with self.lock:
            entries = "".join(
                f"<item><guid>{escape(g)}</guid><link>https://news.example/{escape(g)}</link>"
                f"<title>{escape(t)}</title><description>{escape(b)}</description></item>"
                for g, (t, b) in self.items.items()
            )
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>'.encode()

    def route(self, handler: BaseHTTPRequestHandler) -> None:
        """Serve the feed, or 304 when If-None-Match names its current ETag."""
        body = self.xml()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(self.changed, usegmt=True)}
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            return
        send(handler, body, "application/rss+xml", headers=headers)


class Hook:
    """A local webhook receiver recording each POSTed JSON body."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length", "0"))
                hook.posts.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def feed() -> Iterator[tuple[Feed, Site]]:
    wire = Feed()
    with serving({"/feed.xml": wire.route}) as site:
        yield wire, site


def files(tmp_path: Path) -> tuple[str, ...]:
    """The state, log and review-db options in ``tmp_path``."""
    return ("--state", str(tmp_path / "state.sqlite"), "--log", str(tmp_path / "log.jsonl"), "--review-db", str(tmp_path / "review.sqlite"))


def watch(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run ``qa watch --once`` in this process; its exit code and stderr."""
    result = CliRunner().invoke(main, ["watch", "--once", *FAST, *files(tmp_path), *args], catch_exceptions=False)
    return result.exit_code, result.stderr


def logged(tmp_path: Path) -> list[dict[str, Any]]:
    """The JSON Lines log's records."""
    path = tmp_path / "log.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_three_polls_check_the_new_then_nothing_then_the_edited_item(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    for n, body in enumerate((MAJOR, MINOR, CLEAN)):
        wire.set(f"story-{n}", f"Story {n}", body)
    code, err = watch(tmp_path, site.url("/feed.xml"))
    assert code == 0, err
    assert [r["id"] for r in logged(tmp_path)] == ["story-0", "story-1", "story-2"]
    assert "3 item(s), checked 3 new and 0 changed, 2 flagged" in err

    code, err = watch(tmp_path, site.url("/feed.xml"))
    assert code == 0 and "not modified (304)" in err
    assert site.requests[-1][1].get("If-None-Match", "").startswith('"')
    assert site.requests[-1][1].get("If-Modified-Since")
    assert len(logged(tmp_path)) == 3

    wire.set("story-2", "Story 2", CLEAN + " A later correction added this sentence.")
    code, err = watch(tmp_path, site.url("/feed.xml"))
    assert code == 0 and "checked 0 new and 1 changed" in err
    records = logged(tmp_path)
    assert [r["id"] for r in records] == ["story-0", "story-1", "story-2", "story-2"]
    assert "correction" in records[-1]["body"] and len({r["key"] for r in records}) == 4
    assert all(State(tmp_path / "state.sqlite").done(site.url("/feed.xml")).values())


def test_the_state_survives_a_restart_and_a_lost_validator(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    wire.set("a", "A", MAJOR)
    assert watch(tmp_path, site.url("/feed.xml"))[0] == 0
    # a server that forgets its ETags answers 200 again: the unchanged items are still not checked twice
    wire.set("b", "B", CLEAN)
    assert watch(tmp_path, site.url("/feed.xml"))[0] == 0
    with State(tmp_path / "state.sqlite").connect() as con:
        con.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    code, err = watch(tmp_path, site.url("/feed.xml"))
    assert code == 0 and "checked 0 new and 0 changed" in err
    assert [r["id"] for r in logged(tmp_path)] == ["a", "b"]


def test_a_failing_feed_backs_off_and_never_stops_the_others(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    wire.set("a", "A", MAJOR)

    def slow(handler: BaseHTTPRequestHandler) -> None:
        site.stop.wait(3)

    site.routes["/slow.xml"] = slow
    site.routes["/garbage.xml"] = lambda handler: send(handler, b"\x00\x01 not a feed at all", "application/rss+xml")
    urls = [site.url("/slow.xml"), site.url("/garbage.xml"), site.url("/feed.xml")]
    code, err = watch(tmp_path, "--http-timeout", "0.5", "--every", "10s", *urls)
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 3, err
    assert "slow.xml: failed (1 in a row): timed out" in lines[0] and "next try in 10 s" in lines[0]
    assert "garbage.xml: failed (1 in a row)" in lines[1]
    assert "feed.xml: 1 item(s), checked 1 new" in lines[2]
    code, err = watch(tmp_path, "--http-timeout", "0.5", "--every", "10s", *urls)
    assert "slow.xml: backing off after 1 failed poll(s)" in err and "not modified (304)" in err
    assert [backoff(n, 300) for n in (1, 2, 3, 5, 20)] == [300, 600, 1200, 3600, 3600]


def test_a_flagged_story_is_in_the_review_queue_first(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    wire.set("clean", "A quiet day", CLEAN)
    wire.set("garbled", "Leaders meet", MAJOR)
    assert watch(tmp_path, site.url("/feed.xml"))[0] == 0
    store = Store(tmp_path / "review.sqlite")
    run = store.latest_run()
    assert run is not None and run["source"] == "qa watch"
    queue = store.queue(int(run["id"]))
    assert [q.key for q in queue] == ["garbled", "clean"] and queue[0].findings and queue[0].worst == 2
    wire.set("later", "Later garbled", MAJOR.replace("Friday", "Monday"))
    assert watch(tmp_path, site.url("/feed.xml"))[0] == 0
    client = create_app(store, Settings(editor="tester", allowed_hosts={"localhost"})).test_client()
    page = client.get("/", headers={"Host": "localhost"}).get_data(as_text=True)
    assert "Leaders meet" in page and "Later garbled" in page and "A quiet day" in page
    assert page.index("Leaders meet") < page.index("A quiet day")


@pytest.mark.parametrize(("notify_on", "expected"), [("major", ["Story 0"]), ("minor", ["Story 0", "Story 1"])])
def test_the_webhook_gets_one_message_per_story_at_the_severity(feed: tuple[Feed, Site], tmp_path: Path, notify_on: str, expected: list[str]) -> None:
    wire, site = feed
    for n, body in enumerate((MAJOR, MINOR, CLEAN)):
        wire.set(f"story-{n}", f"Story {n}", body)
    hook = Hook()
    try:
        for _ in range(2):
            assert watch(tmp_path, "--webhook", hook.url, "--notify-on", notify_on, site.url("/feed.xml"))[0] == 0
    finally:
        hook.server.shutdown()
        hook.server.server_close()
    assert [p["text"].split("“")[1].split("”")[0] for p in hook.posts] == expected
    assert all(set(p) == {"text"} for p in hook.posts)


def test_a_webhook_that_is_down_gets_the_message_on_a_later_poll(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    wire.set("bad", "Bad", MAJOR)
    hook = Hook()
    url = hook.url
    hook.server.shutdown()
    hook.server.server_close()
    code, err = watch(tmp_path, "--webhook", url, site.url("/feed.xml"))
    assert code == 3 and "webhook: cannot connect" in err and len(logged(tmp_path)) == 1
    hook = Hook()
    try:
        code, err = watch(tmp_path, "--webhook", hook.url, site.url("/feed.xml"))
    finally:
        hook.server.shutdown()
        hook.server.server_close()
    assert code == 0 and len(hook.posts) == 1 and len(logged(tmp_path)) == 1


@pytest.mark.slow
def test_killed_at_random_points_every_item_is_reported_exactly_once(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    rng = random.Random(23)
    command = [sys.executable, "-m", "qa", "watch", "--once", *FAST, *files(tmp_path), site.url("/feed.xml")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    versions: set[tuple[str, str]] = set()
    took = 0.5  # seconds a whole run takes, measured on each run that is let finish
    kills = Counter[str]()
    for batch in range(20):
        for n in range(3):
            guid = f"b{batch}-{n}"
            body = (MAJOR, MINOR, CLEAN)[n] + f" Batch {batch}."
            wire.set(guid, f"Story {guid}", body)
            versions.add((guid, body))
        if batch % 4 == 3:  # and a correction to an earlier story
            guid = f"b{batch - 2}-0"
            body = MAJOR + f" Corrected in batch {batch}."
            wire.set(guid, f"Story {guid}", body)
            versions.add((guid, body))
        for _ in range(rng.randint(1, 3)):  # killed at a random moment late in the run, then restarted
            process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.6, 1.0) * took)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills[moment(tmp_path)] += 1
            process.wait()
        began = time.monotonic()
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        took = time.monotonic() - began
        assert done.returncode == 0, done.stderr
    # where the kills landed depends on the machine's load (on a busy one, mostly before anything is
    # held); the tests below hit each window on purpose, so only exactly-once is asserted here
    records = logged(tmp_path)
    counts = Counter((r["id"], r["body"]) for r in records)
    assert set(counts) == versions, kills
    assert all(n == 1 for n in counts.values()), ([v for v, n in counts.items() if n > 1], kills)
    with Store(tmp_path / "review.sqlite").connect() as con:
        stored = Counter((r["key"], r["body"]) for r in con.execute("SELECT key, body FROM articles"))
        deliveries = con.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0]
    assert set(stored) == versions and all(n == 1 for n in stored.values()) and deliveries == len(records)


def moment(tmp_path: Path) -> str:
    """Where a killed watcher stopped, as far as its files tell."""
    if not (tmp_path / "state.sqlite").exists():
        return "before the state file"
    state = State(tmp_path / "state.sqlite")
    held = {h.key for sink in ("log", "review") for h in state.pending(sink)}
    if not held:
        return "nothing held"
    in_log = {r["key"] for r in logged(tmp_path)}
    return "results held, some written but not marked" if held & in_log else "results held, not all sent"


def held_state(tmp_path: Path, n: int) -> State:
    """A state file with ``n`` results in its outbox."""
    state = State(tmp_path / "state.sqlite")
    state.hold("http://feed", Validators(), [(f"item-{i}", f"hash-{i}", -1, line(f"item-{i}")) for i in range(n)], 0.0)
    return state


def line(item: str) -> dict[str, Any]:
    """A log line for an item that passed."""
    return {"id": item, "title": "T", "body": "B", "verdict": "pass"}


class Killed(BaseException):
    """Stands for SIGKILL at the moment a sink would mark its rows sent."""


def test_a_log_written_but_not_marked_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = held_state(tmp_path, 2)
    log = JsonlLog(tmp_path / "log.jsonl")
    sent = State.sent

    def killed(self: State, sink: str, keys: Any) -> None:
        raise Killed

    monkeypatch.setattr(State, "sent", killed)
    with pytest.raises(Killed):
        log.send(state)
    state.hold("http://feed", Validators(), [("item-9", "h", -1, line("item-9"))], 0.0)
    with pytest.raises(Killed):  # killed again, after appending only the new row
        log.send(state)
    monkeypatch.setattr(State, "sent", sent)
    assert log.send(state) == 0
    assert [r["id"] for r in logged(tmp_path)] == ["item-0", "item-1", "item-9"]
    assert state.pending("log") == []


def test_a_line_cut_off_by_a_kill_is_replaced_whole(tmp_path: Path) -> None:
    state = held_state(tmp_path, 1)
    log = JsonlLog(tmp_path / "log.jsonl")
    (tmp_path / "log.jsonl").write_bytes(b'{"key": "earlier"}\n')
    state.set_meta("log-offset:" + str((tmp_path / "log.jsonl").resolve()), str((tmp_path / "log.jsonl").stat().st_size))
    with (tmp_path / "log.jsonl").open("ab") as handle:
        handle.write(state.pending("log")[0].result.encode()[:10])
    assert log.send(state) == 1
    assert [r.get("id") for r in logged(tmp_path)] == [None, "item-0"]


def test_the_review_database_takes_each_key_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = held_state(tmp_path, 2)
    monkeypatch.setattr(State, "sent", lambda self, sink, keys: (_ for _ in ()).throw(Killed()))
    sink = ReviewSink(tmp_path / "review.sqlite")
    with pytest.raises(Killed):
        sink.send(state)
    monkeypatch.undo()
    assert sink.send(state) == 0 and state.pending("review") == []
    with sink.store.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


def test_a_second_watcher_on_the_same_state_is_refused(feed: tuple[Feed, Site], tmp_path: Path) -> None:
    wire, site = feed
    wire.set("a", "A", CLEAN)
    with State(tmp_path / "state.sqlite").exclusive():
        result = CliRunner().invoke(main, ["watch", "--once", *FAST, *files(tmp_path), site.url("/feed.xml")])
    assert isinstance(result.exception, InputReadError) and result.exception.exit_code == 3  # qa's entry point exits 3
    assert "in use by another qa watch" in str(result.exception)
    assert watch(tmp_path, site.url("/feed.xml"))[0] == 0 and len(logged(tmp_path)) == 1
