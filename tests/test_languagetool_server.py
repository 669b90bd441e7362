"""The LanguageTool checker against a real HTTP server on 127.0.0.1 that speaks the documented API.

The server answers ``GET /v2/languages`` and ``POST /v2/check`` (form-encoded) from the recorded
answers in tests/data/languagetool; it can be told to die after some requests or to stall on some
texts, which is how the time limits and the mid-run failure are tested.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pytest

from qa.config import Config
from qa.engine import check
from qa.checker import Checker
from qa.languagetool.checker import LanguageToolChecker, SkippedChecker
from qa.languagetool.service import build
from qa.registry import settings_of
from qa.model import Article, Report

DATA = Path(__file__).parent / "data" / "languagetool"
ROOT = Path(__file__).parent.parent
EMPTY_ANSWER_SOFTWARE = {"name": "LanguageTool", "version": "6.4", "buildDate": "2024-03-28", "apiVersion": 1}


class FakeLanguageTool:
    """A threaded HTTP server answering like LanguageTool from recorded JSON."""

    def __init__(
        self,
        die_after: int | None = None,
        stall_on: str | None = None,
        stall: float = 0.0,
        reject_on: str | None = None,
    ):
        self.answers = {
            (DATA / f"{name}.txt").read_text(encoding="utf-8"): json.loads((DATA / f"{name}.json").read_text())
            for name in ("news", "utf16")
        }
        self.languages = json.loads((DATA / "languages.json").read_text())
        self.checks: list[dict[str, str]] = []
        self.die_after, self.stall_on, self.stall, self.reject_on = die_after, stall_on, stall, reject_on
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def answer(self, data: Any) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(ConnectionError):  # the client gave up waiting
                    self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/v2/languages":
                    self.answer(fake.languages)
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/v2/check" or "text" not in form:
                    self.send_error(400, "missing text")
                    return
                with fake.lock:
                    fake.checks.append(form)
                    dead = fake.die_after is not None and len(fake.checks) > fake.die_after
                if dead:  # the process is gone: the connection closes without an answer
                    self.close_connection = True
                    return
                if fake.reject_on and fake.reject_on in form["text"]:
                    self.send_error(413, "Your text exceeds the limit of 20000 characters")
                    return
                if fake.stall_on and fake.stall_on in form["text"]:
                    time.sleep(fake.stall)
                default = {"software": EMPTY_ANSWER_SOFTWARE, "matches": []}
                self.answer(fake.answers.get(form["text"], default))

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the server listens."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def fixture_article(name: str, article_id: str | None = None) -> Article:
    title, _, body = (DATA / f"{name}.txt").read_text(encoding="utf-8").partition("\n\n")
    return Article(id=article_id or name, source=f"{name}.txt", title=title, body=body)


def plain(article_id: str, body: str = "A plain sentence with nothing wrong.") -> Article:
    return Article(id=article_id, source="test", title=f"Headline {article_id}", body=f"{body} ({article_id})")


def lt_config(mode: str, **section: Any) -> Config:
    # rule-engine rules that repeat LanguageTool's recorded findings (" .", "in in") are off, so those
    # findings are not merged away (test_a_finding_the_rules_already_made_is_merged_into_it covers that)
    disable = ("punctuation.space-before", "structure.repeated-word")
    return Config(sections={"languagetool": section}, disable=disable).switched(embeddings=False).with_section("languagetool", mode=mode)


def make_checker(config: Config) -> Checker | None:
    """What the languagetool family builds for a run with this config."""
    return build(settings_of(config, "languagetool"))


def lt_issues(report: Report, article_id: str) -> list[Any]:
    result = next(r for r in report.articles if r.article.id == article_id)
    return [i for i in result.issues if i.checker == "languagetool"]


def lt_checker(report: Report) -> str:
    return next(part for part in report.tool.signature.split("|") if part.startswith("languagetool:"))


@pytest.fixture
def fake() -> Iterator[FakeLanguageTool]:
    with FakeLanguageTool() as server:
        yield server


def test_findings_through_the_engine(fake: FakeLanguageTool) -> None:
    report = check([fixture_article("news"), fixture_article("utf16")], lt_config(fake.url))
    news = {i.text: i for i in lt_issues(report, "news")}
    assert sorted(news) == [" .", "goverment", "leaders has", "their"]
    utf16 = lt_issues(report, "utf16")
    assert {i.text for i in utf16} == {"in in", "teh", "The the", "grate"}
    for result in report.articles:
        for issue in result.issues:
            assert result.article.text(issue.field)[issue.start : issue.end] == issue.text
    assert lt_checker(report).startswith(f"languagetool:server({fake.url},LanguageTool 6.4,en-US,noise@")
    assert report.notes == ()
    assert len(fake.checks) == 2
    # the two articles go to the server in parallel: either may arrive first
    sent = next(c for c in fake.checks if c["text"] == (DATA / "news.txt").read_text(encoding="utf-8"))
    assert sent["language"] == "en-US" and "EN_QUOTES" in sent["disabledRules"].split(",")


def test_a_finding_the_rules_already_made_is_merged_into_it(fake: FakeLanguageTool) -> None:
    config = Config().switched(embeddings=False).with_section("languagetool", mode=fake.url)
    (result,) = check([fixture_article("news")], config).articles
    (space,) = [i for i in result.issues if i.text == " ."]
    assert space.rule == "punctuation.space-before" and space.checker == "rules"
    assert space.evidence is not None and any(r.startswith("languagetool.") for r in space.evidence["also"])
    assert {i.text for i in result.issues if i.checker == "languagetool"} == {"goverment", "leaders has", "their"}


def test_same_text_is_checked_once_per_run(fake: FakeLanguageTool) -> None:
    articles = [fixture_article("news", f"copy-{n}") for n in range(5)]
    report = check(articles, lt_config(fake.url), batch_size=2)
    assert len(fake.checks) == 1
    assert all(len(lt_issues(report, f"copy-{n}")) == 4 for n in range(5))


def test_a_batch_is_checked_in_parallel_and_in_order(fake: FakeLanguageTool) -> None:
    articles = [plain(f"a{n}") for n in range(12)] + [fixture_article("news")]
    report = check(articles, lt_config(fake.url, workers=4))
    assert [r.article.id for r in report.articles] == [a.id for a in articles]
    assert len(fake.checks) == 13 and len(lt_issues(report, "news")) == 4
    assert "unchecked" not in lt_checker(report)


@pytest.mark.parametrize("batch_size", [1, 32])
def test_server_dying_mid_run_keeps_earlier_findings_and_notes_the_rest(batch_size: int) -> None:
    articles = [fixture_article("news"), fixture_article("utf16"), plain("c"), plain("d"), plain("e")]
    with FakeLanguageTool(die_after=2) as fake:
        started = time.monotonic()
        report = check(articles, lt_config(fake.url, workers=1), batch_size=batch_size)
        elapsed = time.monotonic() - started
    assert [r.article.id for r in report.articles] == ["news", "utf16", "c", "d", "e"]
    assert len(lt_issues(report, "news")) == 4 and len(lt_issues(report, "utf16")) == 4
    assert len(fake.checks) == 3  # the failed request; nothing more is sent to a dead server
    assert len(report.notes) == 1
    note = report.notes[0]
    assert note.startswith("LanguageTool stopped answering after 2 checked articles")
    assert "3 articles not grammar-checked (c, d, e)" in note
    assert lt_checker(report).endswith(",unchecked=3)")
    assert elapsed < 5


def test_an_article_over_the_time_limit_is_skipped_and_the_run_goes_on() -> None:
    articles = [fixture_article("news"), plain("slow", "STALL here."), fixture_article("utf16")]
    with FakeLanguageTool(stall_on="STALL", stall=10.0) as fake:
        started = time.monotonic()
        report = check(articles, lt_config(fake.url, workers=1, timeout=0.5))
        elapsed = time.monotonic() - started
    assert elapsed < 5  # the stalled article was given up after its 0.5 s limit, not waited out (10 s)
    assert len(lt_issues(report, "news")) == 4 and len(lt_issues(report, "utf16")) == 4
    assert report.notes == (
        (
            "LanguageTool could not check some articles (last error: no answer within 0.5s); "
            "1 article not grammar-checked (slow)"
        ),
    )


def test_a_stalled_server_is_given_up_after_max_failures() -> None:
    articles = [plain(f"s{n}", "STALL") for n in range(6)]
    with FakeLanguageTool(stall_on="STALL", stall=10.0) as fake:
        started = time.monotonic()
        report = check(articles, lt_config(fake.url, workers=1, timeout=0.3, max_failures=2))
        elapsed = time.monotonic() - started
        assert len(fake.checks) == 2
    assert elapsed < 5  # two 0.3 s time-outs, then no more waiting on a server that stalls for 10 s
    assert "2 articles in a row failed" in report.notes[0] and "6 articles not grammar-checked" in report.notes[0]


def test_texts_the_server_refuses_do_not_make_it_give_up() -> None:
    articles = [plain(f"long{n}", "TOOLONG") for n in range(3)] + [fixture_article("news")]
    with FakeLanguageTool(reject_on="TOOLONG") as fake:
        report = check(articles, lt_config(fake.url, workers=1, max_failures=1))
    assert len(lt_issues(report, "news")) == 4
    (note,) = report.notes
    assert note.startswith("LanguageTool could not check some articles (last error: HTTP 413")
    assert note.endswith("3 articles not grammar-checked (long0, long1, long2)")


def test_text_with_a_lone_surrogate_is_sent_and_mapped(fake: FakeLanguageTool) -> None:
    article = Article(id="odd", source="test.jsonl", title="Odd \ud800 headline", body="Body text.")
    report = check([article], lt_config(fake.url))
    assert report.notes == () and len(fake.checks) == 1
    assert fake.checks[0]["text"] == "Odd ? headline\n\nBody text."


def test_unreachable_url_is_skipped_with_one_line() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    lt = make_checker(lt_config(url))
    assert isinstance(lt, SkippedChecker)
    assert lt.describe() == "skipped(server not reachable)"
    (note,) = lt.notes()
    assert note.startswith(f"LanguageTool skipped: cannot connect to {url}") and "\n" not in note


def test_a_server_that_accepts_but_never_answers_does_not_hang() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are queued by the kernel and never answered
        started = time.monotonic()
        lt = make_checker(lt_config(f"http://127.0.0.1:{silent.getsockname()[1]}", connect_timeout=0.3))
        assert time.monotonic() - started < 2
    assert isinstance(lt, SkippedChecker) and "no answer within" in lt.notes()[0]


def test_auto_uses_the_configured_server(fake: FakeLanguageTool) -> None:
    lt = make_checker(lt_config("auto", url=fake.url))
    assert isinstance(lt, LanguageToolChecker) and lt.describe().startswith(f"server({fake.url},")


def test_auto_without_server_or_install_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    url = f"http://127.0.0.1:{closed_port()}"
    lt = make_checker(lt_config("auto", url=url))
    assert isinstance(lt, SkippedChecker) and lt.describe() == "skipped(no server reachable)"
    assert lt.notes() == [
        (
            f"LanguageTool skipped: no server at {url}; no cached local LanguageTool; "
            "point qa at a server with --languagetool URL or QA_LANGUAGETOOL (off silences this)"
        )
    ]
    assert list(tmp_path.iterdir()) == []  # looking for an install creates nothing


def test_off_builds_no_checker() -> None:
    assert make_checker(lt_config("off")) is None


def run_qa(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from qa.cli import run; run()", *args],
        check=False, capture_output=True, text=True, cwd=cwd, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def test_cli_skip_prints_one_line_and_marks_the_signature(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Talks end\n\nThe talks ended on Friday.\n", encoding="utf-8")
    (tmp_path / "qa.yml").write_text(f"languagetool:\n  url: http://127.0.0.1:{closed_port()}\n", encoding="utf-8")
    env = {"LTP_PATH": str(tmp_path / "no-lt"), "QA_LANGUAGETOOL": "auto"}
    done = run_qa(["check", "--no-embeddings", "--format", "json", str(story)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("qa: LanguageTool skipped: no server at http://127.0.0.1:")
    assert "|languagetool:skipped(no server reachable)|" in json.loads(done.stdout)["tool"]["signature"]


def test_cli_with_a_server_url(fake: FakeLanguageTool, tmp_path: Path) -> None:
    title, _, body = (DATA / "news.txt").read_text(encoding="utf-8").partition("\n\n")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "n1", "title": title, "body": body}) + "\n", encoding="utf-8")
    done = run_qa(["check", "--no-embeddings", "--format", "json", "--languagetool", fake.url, str(feed)], {}, tmp_path)
    assert done.returncode == 1, done.stderr  # "leaders has" is a major finding
    assert done.stderr == ""
    issues = json.loads(done.stdout)["articles"][0]["issues"]
    grammar = next(i for i in issues if i["checker"] == "languagetool" and i["text"] == "leaders has")
    assert grammar["rule"] == "languagetool.GRAMMAR.NNS_HAS" and grammar["category"] == "fluency/grammar"
    assert grammar["severity"] == "major" and body[grammar["start"] : grammar["end"]] == "leaders has"
