"""The review web app: 4xx for bad requests, CSRF, CSP, token auth, durability and concurrency."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from qa.review.app import Settings, create_app
from qa.review.store import Store
from tests.review_support import client, store  # noqa: F401  (fixtures)
from tests.review_support import Client, make_report, run_qa, serve, write_articles, write_report

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    return write_report(make_report([write_articles(tmp_path / "feed.jsonl")]), tmp_path / "run.json")


def _csrf(client: FlaskClient) -> str:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match
    return match.group(1)


def _ids(store: Store, key: str) -> tuple[int, list[int]]:
    run = store.latest_run()
    assert run is not None
    (item,) = [q for q in store.queue(run["id"]) if q.key == key]
    return item.id, [f["id"] for f in store.findings(item.id)]


def test_pages_carry_a_strict_csp_and_escape_article_text(client: FlaskClient, store: Store) -> None:
    article_id, _ = _ids(store, "a-xss")
    response = client.get(f"/article/{article_id}")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    page = response.get_data(as_text=True)
    assert "<script>window.__xss" not in page and "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page


def test_decision_redirects_to_the_next_undecided_finding(client: FlaskClient, store: Store) -> None:
    article_id, (first, second, _) = _ids(store, "a-major")
    response = client.post(f"/finding/{first}", data={"csrf": _csrf(client), "action": "dismiss", "note": "ok"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/article/{article_id}#f-{second}")
    (decision,) = store.decisions()
    assert (decision["action"], decision["note"], decision["editor"]) == ("dismiss", "ok", "tester")


@pytest.mark.parametrize(
    ("method", "path", "form", "status"),
    [
        ("GET", "/article/99999", None, 404),
        ("GET", "/article/abc", None, 404),
        ("GET", "/nowhere", None, 404),
        ("GET", "/?verdict=awful", None, 400),
        ("GET", "/?severity=huge", None, 400),
        ("GET", "/finding/1", None, 405),
        ("POST", "/finding/99999", {"action": "confirm"}, 404),
        ("POST", "/finding/{f}", {"action": "maybe"}, 400),
        ("POST", "/finding/{f}", {}, 400),
        ("POST", "/finding/{f}", {"action": "fix", "note": ""}, 400),
        ("POST", "/finding/{f}", {"action": "dismiss", "note": "x" * 2001}, 400),
        ("POST", "/finding/{f}", {"action": "confirm", "editor": "e" * 101}, 400),
        ("POST", "/article/{a}/decision", {"action": "publish"}, 400),
        ("POST", "/article/99999/decision", {"action": "approve"}, 404),
        ("POST", "/editor", {"editor": ""}, 400),
    ],
)
def test_bad_requests_get_clear_4xx_answers(
    client: FlaskClient, store: Store, method: str, path: str, form: dict[str, str] | None, status: int
) -> None:
    article_id, findings = _ids(store, "a-major")
    data = {"csrf": _csrf(client), **form} if form is not None else None
    response = client.open(path.format(f=findings[0], a=article_id), method=method, data=data)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and str(status) in body
    assert store.decisions() == []


@pytest.mark.parametrize(
    ("back", "location"),
    [("/article/3#f-1", "/article/3#f-1"), ("//evil.example", "/"), ("/\t/evil.example", "/"),
     ("/\\evil.example", "/"), ("https://evil.example/", "/")],
)
def test_setting_the_editor_only_redirects_within_the_server(client: FlaskClient, back: str, location: str) -> None:
    response = client.post("/editor", data={"csrf": _csrf(client), "editor": "Ana", "back": back})
    assert response.status_code == 303 and response.headers["Location"] == location


def test_state_changes_need_post_and_a_matching_csrf_token(client: FlaskClient, store: Store) -> None:
    _, findings = _ids(store, "a-major")
    token = _csrf(client)
    assert client.post(f"/finding/{findings[0]}", data={"action": "confirm"}).status_code == 403
    assert client.post(f"/finding/{findings[0]}", data={"action": "confirm", "csrf": "0" * 64}).status_code == 403
    assert client.put(f"/finding/{findings[0]}", data={"action": "confirm", "csrf": token}).status_code in (403, 405)
    other = create_app(store, Settings(editor="x", allowed_hosts={"localhost"})).test_client()
    other.get("/")  # its own CSRF cookie: the first client's token does not match it
    assert other.post(f"/finding/{findings[0]}", data={"action": "confirm", "csrf": token}).status_code == 403
    assert store.decisions() == []


def test_oversized_bodies_and_foreign_host_headers_are_refused(client: FlaskClient, store: Store) -> None:
    _, findings = _ids(store, "a-major")
    big = {"csrf": _csrf(client), "action": "dismiss", "note": "x" * 100_000}
    assert client.post(f"/finding/{findings[0]}", data=big).status_code == 413
    assert client.get("/", headers={"Host": "evil.example:80"}).status_code == 400
    assert store.decisions() == []


def test_off_loopback_needs_a_token_and_refuses_requests_without_it(tmp_path: Path, report_file: Path) -> None:
    db = tmp_path / "review.sqlite"
    refused = run_qa("serve", "--db", str(db), "--host", "127.0.0.2", str(report_file))
    assert refused.returncode == 2 and "token" in refused.stderr
    with serve(db, "--host", "127.0.0.2", str(report_file), env={"QA_SERVE_TOKEN": TOKEN}) as server:
        assert server.base.startswith("http://127.0.0.2:") and f"token={TOKEN}" in server.url
        anonymous = Client(server.base, "eve")
        for path in ("/", "/stats", "/article/1", "/static/review.js"):
            assert anonymous.get(path)[0] == 401
        assert anonymous.request("POST", "/finding/1", {"action": "confirm"})[0] == 401
        assert Client(server.base, "eve", token="wrong-token-wrong-token").get("/")[0] == 401
        assert Client(server.base, "eve").get("/?token=%C3%A9t%C3%A9")[0] == 401
        editor = Client(server.base, "ana", token=TOKEN)
        assert editor.get("/article/1")[0] == 200
        assert editor.decide(1, "confirm")[0] == 200
        # the printed URL's ?token= sets a cookie and redirects to a URL without the token
        browser = Client(server.base, "ben")
        status, _, headers = browser.request("GET", "/?token=" + TOKEN)
        assert status == 303 and "token" not in headers["Location"]
        assert browser.get("/")[0] == 200


def test_require_token_on_loopback(tmp_path: Path, report_file: Path) -> None:
    with serve(tmp_path / "r.sqlite", "--require-token", "--token", TOKEN, str(report_file)) as server:
        assert Client(server.base, "eve").get("/")[0] == 401
        assert Client(server.base, "ana", token=TOKEN).get("/")[0] == 200


def test_acknowledged_decision_survives_sigkill(tmp_path: Path, report_file: Path) -> None:
    db = tmp_path / "review.sqlite"
    with serve(db, str(report_file)) as server:
        client = Client(server.base, "ana")
        assert client.get("/article/1")[0] == 200
        status, answer = client.decide(1, "dismiss", "a proper noun")
        assert status == 200 and answer["ok"]
        os.kill(server.process.pid, signal.SIGKILL)  # right after the acknowledgement
        server.process.wait(timeout=10)
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT action, note, editor FROM decisions WHERE id = ?", (answer["decision"],)).fetchone()
    assert row == ("dismiss", "a proper noun", "ana")


def test_two_concurrent_editors_lose_no_decision(tmp_path: Path, report_file: Path) -> None:
    db = tmp_path / "review.sqlite"
    rounds = 15
    with serve(db, str(report_file)) as server:
        acked: dict[str, list[int]] = {"ana": [], "ben": []}
        errors: list[str] = []

        def work(name: str, action: str) -> None:
            client = Client(server.base, name)
            client.get("/article/1")
            try:
                for n in range(rounds):
                    for finding in (1, 2, 3):
                        status, answer = client.decide(finding, action, f"{name} round {n}")
                        assert status == 200, answer
                        acked[name].append(answer["decision"])
                    status, answer = client.decide_article(1, "approve" if action == "confirm" else "reject", name)
                    assert status == 200, answer
            except AssertionError as exc:  # report from the main thread
                errors.append(str(exc))

        threads = [threading.Thread(target=work, args=a) for a in (("ana", "confirm"), ("ben", "dismiss"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors
    with sqlite3.connect(db) as con:
        stored = {editor: [r[0] for r in con.execute("SELECT id FROM decisions WHERE editor = ? ORDER BY id", (editor,))]
                  for editor in ("ana", "ben")}
        articles = con.execute("SELECT editor, COUNT(*) FROM article_decisions GROUP BY editor").fetchall()
    assert stored == {name: sorted(ids) for name, ids in acked.items()}
    assert len(stored["ana"]) == len(stored["ben"]) == 3 * rounds
    assert sorted(articles) == [("ana", rounds), ("ben", rounds)]
    # both editors' decisions are in the audit trail; the later one is the current state
    (first,) = [f for f in Store(db).findings(1) if f["id"] == 1]
    assert len(first["history"]) == 2 * rounds
    assert {h["editor"] for h in first["history"]} == {"ana", "ben"}
    assert first["decision"]["id"] == max(h["id"] for h in first["history"])


def test_serve_checks_inputs_itself(tmp_path: Path) -> None:
    feed = write_articles(tmp_path / "feed.jsonl")
    db = tmp_path / "review.sqlite"
    with serve(db, "--no-embeddings", "--languagetool", "off", str(feed)) as server:
        status, page = Client(server.base, "ana").get("/")
        assert status == 200 and "a-major" in page
        assert "<strong>3</strong> of 3 articles left to review (1 passed with no findings)" in page
    run = Store(db).latest_run()
    assert run is not None and run["source"] == str(feed)


def test_busy_port_or_unusable_database_is_a_clear_error(tmp_path: Path, report_file: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = str(busy.getsockname()[1])
        result = run_qa("serve", "--db", str(tmp_path / "r.sqlite"), "--port", port, str(report_file))
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    (tmp_path / "junk.sqlite").write_text("not a database\n" * 100, encoding="utf-8")
    result = run_qa("serve", "--db", str(tmp_path / "junk.sqlite"), str(report_file))
    assert result.returncode == 3 and "cannot open review database" in result.stderr
    assert "Traceback" not in result.stderr


def test_queue_filters_and_counts(client: FlaskClient, store: Store) -> None:
    def shown(query: str) -> list[str]:
        page = client.get("/" + query).get_data(as_text=True)
        return re.findall(r'<div class="source">([^<]+)</div>', page)

    assert shown("") == ["a-major", "a-minor", "a-xss", "a-clean"]
    assert shown("?verdict=pass") == ["a-clean"]
    assert shown("?severity=major") == ["a-major"]
    assert shown("?rule=punctuation.space-before") == ["a-major", "a-minor", "a-xss"]
    article_id, _ = _ids(store, "a-minor")
    assert client.post(f"/article/{article_id}/decision", data={"csrf": _csrf(client), "action": "reject"}).status_code == 303
    assert shown("?reviewed=yes") == ["a-minor"]
    assert "a-minor" not in shown("?reviewed=no")
    # a-clean passed with no finding: nothing for an editor to review
    assert "<strong>2</strong> of 3 articles left to review (1 passed with no findings)" in client.get("/").get_data(as_text=True)
