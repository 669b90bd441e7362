"""URLs as inputs (qa.ingest.http), against a real HTTP server on 127.0.0.1: no mocks."""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa import __version__
from qa.cli import main
from qa.config import load_config
from qa.errors import ConfigError
from qa.ingest import read_inputs
from qa.ingest.http import HttpSettings, Validators, fetch, format_for, parse_content_type
from qa.ingest.source import Unreadable
from qa.model import Article, InputError
from tests.helpers import RULES_ONLY, run_qa
from tests.http_support import Site, redirect, send, serve, serving

DATA = Path(__file__).parent / "data" / "ingest"
SEED = Path(__file__).parent / "data" / "biden-kishida.txt"
BIG = 40 * 1024 * 1024
CYRILLIC_FEED = (
    (DATA / "feed.atom").read_text(encoding="utf-8")
    .replace('encoding="utf-8"', 'encoding="iso-8859-1"')
    .replace("Plain text entry", "Москва объявила о новых мерах")
)


def trickle(handler: BaseHTTPRequestHandler, site: Site) -> None:
    """Headers at once, then one byte every 50 ms until the site closes."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not site.stop.wait(0.05):
        handler.wfile.write(b"a")
        handler.wfile.flush()


def huge(handler: BaseHTTPRequestHandler, site: Site, declared: bool) -> None:
    """40 MB of HTML in 64 KiB writes (its length declared or not), noting how much the client took."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    if declared:
        handler.send_header("Content-Length", str(BIG))
    else:
        handler.send_header("Connection", "close")  # the body ends when the connection does
        handler.close_connection = True
    handler.end_headers()
    chunk, sent = b"<p>" + b"x" * (64 * 1024 - 3), 0
    try:
        while sent < BIG and not site.stop.is_set():
            handler.wfile.write(chunk)
            sent += len(chunk)
    except OSError:
        pass  # qa hung up
    finally:
        site.sent[handler.path] = sent


def slow(handler: BaseHTTPRequestHandler, site: Site) -> None:
    """The answer after 10 s (or when the site closes)."""
    site.stop.wait(10)
    send(handler, (DATA / "story.txt").read_bytes(), "text/plain")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The test site: the files of tests/data/ingest, and routes that fail in each way a fetch can."""
    atom = (DATA / "feed.atom").read_bytes()
    with serving() as served:
        s = served
        served.routes.update({
            "/feed.xml": serve(atom, "application/atom+xml"),
            "/feed.rss": serve((DATA / "feed.rss").read_bytes(), "application/rss+xml"),
            "/page.html": serve((DATA / "page.html").read_bytes(), "text/html; charset=utf-8"),
            "/story.txt": serve((DATA / "story.txt").read_bytes(), "text/plain"),
            "/biden-kishida.txt": serve(SEED.read_bytes(), "text/plain; charset=utf-8"),
            "/feed-as-html": serve(atom, "text/html"),
            "/raw/news.rss": serve(atom, "text/plain"),  # a code host's raw view: only the path says feed
            "/story": serve((DATA / "story.txt").read_bytes(), "application/octet-stream"),
            "/gzip.xml": serve(gzip.compress(atom), "application/atom+xml", {"Content-Encoding": "gzip"}),
            "/utf16.txt": serve((DATA / "story.txt").read_text(encoding="utf-8").encode("utf-16-le"), "text/plain; charset=utf-16le"),
            "/cp1251.xml": serve(CYRILLIC_FEED.encode("cp1251"), "application/atom+xml; charset=windows-1251"),
            "/wrong-charset.txt": serve((DATA / "story.txt").read_bytes(), "text/plain; charset=no-such-charset"),
            "/error": lambda h: send(h, b"oops", "text/plain", status=500),
            "/gone": lambda h: send(h, b"", "text/plain", status=404),
            "/photo": serve(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png"),
            "/empty": serve(b"", "text/plain"),
            "/slow": lambda h: slow(h, s),
            "/trickle": lambda h: trickle(h, s),
            "/huge": lambda h: huge(h, s, declared=False),
            "/huge-declared": lambda h: huge(h, s, declared=True),
            "/loop-a": redirect("/loop-b"),
            "/loop-b": redirect("/loop-a"),
            "/moved": redirect("/feed.xml", 301),
            "/to-ftp": redirect("ftp://127.0.0.1/feed.xml"),
            **{f"/chain/{n}": redirect(f"/chain/{n + 1}") for n in range(10)},
        })
        yield served


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    """``qa check --format json`` in-process on rules only; the exit code and the report."""
    result = CliRunner().invoke(main, ["check", "--format", "json", "--fail-on", "never", *RULES_ONLY, "--no-progress", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def without_source(value: Any) -> Any:
    """A JSON report with every ``source`` key dropped."""
    if isinstance(value, dict):
        return {k: without_source(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [without_source(v) for v in value]
    return value


def errors(report: dict[str, Any]) -> dict[str, str]:
    """The report's input errors, message by source."""
    return {e["source"]: e["message"] for e in report["summary"]["input_errors"]}


@pytest.mark.parametrize(("path", "file"), [("/feed.xml", DATA / "feed.atom"), ("/biden-kishida.txt", SEED), ("/page.html", DATA / "page.html")])
def test_a_url_run_equals_the_file_run(site: Site, path: str, file: Path) -> None:
    url_code, url_report = check_json(site.url(path))
    file_code, file_report = check_json(str(file))
    assert url_code == file_code == 0
    assert {a["source"] for a in url_report["articles"]} == {site.url(path)}
    for article in file_report["articles"]:  # a page's or a text's id is where it came from
        if article["id"] == str(file):
            article["id"] = site.url(path)
    assert without_source(url_report) == without_source(file_report)
    assert url_report["articles"] and (path != "/biden-kishida.txt" or url_report["summary"]["issues"] == 14)


def test_failing_urls_exit_3_each_named_and_the_other_inputs_are_still_checked(site: Site) -> None:
    bad = {
        site.url("/error"): "HTTP 500 Internal Server Error",
        site.url("/slow"): "timed out: no complete answer within 0.5 s (--http-timeout)",
        site.url("/huge"): "response is over the limit of 3,000,000 bytes for one input (stopped reading there)",
        site.url("/loop-a"): f"redirect loop: {site.url('/loop-a')} → {site.url('/loop-b')} → {site.url('/loop-a')}",
    }
    start = time.monotonic()
    result = run_qa(
        "check", "--format", "json", "--fail-on", "never", *RULES_ONLY, "--http-timeout", "0.5",
        *bad, str(DATA / "story.txt"), site.url("/feed.xml"),
    )
    assert time.monotonic() - start < 30
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert errors(report) == bad
    assert [a["id"] for a in report["articles"]] == [str(DATA / "story.txt"), "urn:agency:2026:881", "urn:agency:2026:882"]


def test_a_40_mb_body_is_refused_at_the_limit_while_streaming(site: Site) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(Unreadable, match="over the limit of 3,000,000 bytes"):
            fetch(site.url("/huge"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * 1024 * 1024  # the limit and a chunk, never the 40 MB
    deadline = time.monotonic() + 10
    while "/huge" not in site.sent and time.monotonic() < deadline:
        time.sleep(0.02)
    assert site.sent["/huge"] < BIG // 2


def test_a_declared_length_over_the_limit_is_refused_before_the_body(site: Site) -> None:
    with pytest.raises(Unreadable, match=f"response is {BIG:,} bytes, over the limit of 3,000,000 bytes"):
        fetch(site.url("/huge-declared"))


def test_feeds_have_the_file_limit_and_a_caller_may_set_a_lower_one(site: Site) -> None:
    assert fetch(site.url("/feed.xml")).fmt == "feed"
    with pytest.raises(Unreadable, match="over the limit of 500 bytes"):
        fetch(site.url("/feed.xml"), max_bytes=500)


def test_a_body_that_trickles_in_stops_at_the_deadline(site: Site) -> None:
    start = time.monotonic()
    with pytest.raises(Unreadable, match=r"timed out: no complete answer within 0\.5 s"):
        fetch(site.url("/trickle"), HttpSettings(timeout=0.5))
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(("path", "message"), [
    ("/gone", "HTTP 404 Not Found"),
    ("/photo", "not a feed or page: the server sends image/png"),
    ("/empty", "empty response (HTTP 200)"),
    ("/chain/0", "more than 5 redirects (the last to http://127.0.0.1:{port}/chain/6)"),
    ("/to-ftp", "redirected to 'ftp://127.0.0.1/feed.xml', not an http(s) address"),
])
def test_what_is_no_feed_or_page_is_an_input_error_naming_the_url(site: Site, path: str, message: str) -> None:
    code, report = check_json(site.url(path), str(DATA / "story.txt"))
    assert code == 3
    assert errors(report) == {site.url(path): message.format(port=site.port)}
    assert [a["id"] for a in report["articles"]] == [str(DATA / "story.txt")]


def test_a_closed_port_and_an_unknown_host_cannot_connect(site: Site) -> None:
    with serving() as closed:
        url = closed.url("/feed.xml")
    with pytest.raises(Unreadable, match="cannot connect: Connection refused"):
        fetch(url)
    with pytest.raises(Unreadable, match="not a usable URL"):
        fetch("http://")


def test_redirects_are_followed_to_the_feed(site: Site) -> None:
    fetched = fetch(site.url("/moved"))
    assert fetched.url == site.url("/feed.xml")
    assert fetched.fmt == "feed"
    assert fetched.data == (DATA / "feed.atom").read_bytes()


def test_a_gzip_response_is_read(site: Site) -> None:
    plain = [item for item in read_inputs([site.url("/feed.xml")])]
    zipped = [item for item in read_inputs([site.url("/gzip.xml")])]
    assert [(a.id, a.title, a.body) for a in zipped if isinstance(a, Article)] == [(a.id, a.title, a.body) for a in plain if isinstance(a, Article)]
    assert len(zipped) == 2
    path, headers = site.requests[-1]
    assert path == "/gzip.xml" and "gzip" in headers["Accept-Encoding"]


def test_the_user_agent_names_qa_and_its_version(site: Site) -> None:
    fetch(site.url("/story.txt"))
    assert site.requests[-1][1]["User-Agent"].startswith(f"qa/{__version__} ")


def test_a_charset_only_in_the_content_type_is_honoured(site: Site) -> None:
    # UTF-16 without a byte-order mark: without the header it would be refused as binary
    [story] = read_inputs([site.url("/utf16.txt")])
    [from_file] = read_inputs([str(DATA / "story.txt")])
    assert isinstance(story, Article) and isinstance(from_file, Article)
    assert (story.title, story.body, story.field_positions) == (from_file.title, from_file.body, from_file.field_positions)
    # the header's windows-1251 wins over the XML declaration's iso-8859-1
    titles = [a.title for a in read_inputs([site.url("/cp1251.xml")]) if isinstance(a, Article)]
    assert titles == ["Minister resigns over budget", "Москва объявила о новых мерах"]


def test_a_charset_python_does_not_know_falls_back_to_detection(site: Site) -> None:
    [story] = read_inputs([site.url("/wrong-charset.txt")])
    assert isinstance(story, Article) and story.title == "Bridge to reopen next week"


@pytest.mark.parametrize(("path", "fmt", "ids"), [
    ("/feed-as-html", "feed", ["urn:agency:2026:881", "urn:agency:2026:882"]),  # a feed served as text/html
    ("/raw/news.rss", "feed", ["urn:agency:2026:881", "urn:agency:2026:882"]),  # text/plain: the path's extension decides
    ("/story", None, ["{url}"]),  # neither: the content is sniffed (plain text)
])
def test_the_content_type_then_the_path_choose_the_reader(site: Site, path: str, fmt: str | None, ids: list[str]) -> None:
    assert fetch(site.url(path)).fmt == fmt
    items = list(read_inputs([site.url(path)]))
    assert not [i for i in items if isinstance(i, InputError)]
    assert [a.id for a in items if isinstance(a, Article)] == [i.format(url=site.url(path)) for i in ids]


def test_content_types_are_parsed_and_mapped() -> None:
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "ISO-8859-1")
    assert parse_content_type("") == ("", None)
    assert format_for("application/vnd.example+json", "http://x/a") == "ninjs"
    assert format_for("application/x-ndjson", "http://x/a.json") == "jsonl"
    assert format_for("", "http://x/a/b.JSONL?x=1") == "jsonl"
    assert format_for("application/octet-stream", "http://x/feed") is None


def test_text_output_prints_url_sources_apart_from_line_and_column(site: Site) -> None:
    result = CliRunner().invoke(main, ["check", *RULES_ONLY, "--no-progress", "--fail-on", "never", site.url("/biden-kishida.txt"), site.url("/feed.xml")])
    lines = result.stdout.splitlines()
    assert f"{site.url('/biden-kishida.txt')} 44:1 info     provenance.machine-generated" in "\n".join(lines)
    assert any(line.startswith(f"{site.url('/feed.xml')} (urn:agency:2026:881): pass") for line in lines)


def test_qa_report_takes_urls(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", *RULES_ONLY, "--no-progress", "-o", str(out), site.url("/feed.xml"), site.url("/error")])
    assert result.exit_code == 3
    html = out.read_text(encoding="utf-8")
    assert "Minister resigns over budget" in html and site.url("/error") in html


def test_the_timeout_is_a_config_key_and_an_option(tmp_path: Path) -> None:
    config = tmp_path / "qa.yml"
    config.write_text("http_timeout: 2.5\n", encoding="utf-8")
    assert load_config(config).http_timeout == 2.5
    config.write_text("http_timeout: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="http_timeout"):
        load_config(config)
    result = CliRunner().invoke(main, ["check", "--http-timeout", "0", *RULES_ONLY, str(DATA / "story.txt")])
    assert result.exit_code == 2
    assert "--http-timeout" in CliRunner().invoke(main, ["check", "--help"]).stdout


def test_a_conditional_fetch_sends_the_validators_and_reports_304(site: Site) -> None:
    def cached(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"' or handler.headers.get("If-Modified-Since") == "Sun, 06 Dec 2026 10:00:00 GMT":
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
            return
        send(handler, (DATA / "feed.rss").read_bytes(), "application/rss+xml",
             headers={"ETag": '"v1"', "Last-Modified": "Sun, 06 Dec 2026 10:00:00 GMT"})

    site.routes["/cached.xml"] = cached
    first = fetch(site.url("/cached.xml"))
    assert first.status == 200 and not first.not_modified and first.data
    assert first.validators == Validators('"v1"', "Sun, 06 Dec 2026 10:00:00 GMT")
    again = fetch(site.url("/cached.xml"), since=first.validators)
    assert again.not_modified and again.data == b"" and again.validators == first.validators
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'
    assert fetch(site.url("/cached.xml"), since=Validators(last_modified=first.validators.last_modified)).not_modified
    assert "If-None-Match" not in site.requests[-1][1]
    with pytest.raises(Unreadable, match="HTTP 304"):  # a 304 to a plain GET is the server's error
        _unasked_304(site)


def _unasked_304(site: Site) -> None:
    """Fetch a route that answers 304 though nothing was asked conditionally."""
    site.routes["/always-304"] = lambda h: send(h, b"", "text/plain", status=304)
    fetch(site.url("/always-304"))
