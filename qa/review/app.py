"""The review web app (Flask): queue, article pages with decisions, statistics.

Safety: a token guards every request when one is set (always when bound off loopback); the Host
header must name this server (no DNS rebinding); state changes are POSTs carrying a signed
double-submit CSRF token; Jinja2 escapes all article text; a strict CSP forbids inline script;
request bodies are capped; every error is a short 4xx page, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
import traceback
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Flask,
    Response,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    NotFound,
    Unauthorized,
)

from qa.categories import label
from qa.formatters.highlight import segments
from qa.model import Severity, Verdict
from qa.resources import reports_dir
from qa.review.marks import CATEGORIES, MissedMark
from qa.review.store import FINDING_ACTIONS, QueueItem, Store, StoreError
from qa.review.store import NotFound as StoreNotFound
from qa.suggestions import shown_at

MAX_BODY = 64 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
CSRF_COOKIE = "qa_csrf"
EDITOR_COOKIE = "qa_editor"
REVIEWED = ("all", "yes", "no")


@dataclass(frozen=True)
class Settings:
    """How the app guards itself: the token (None: none needed), allowed Host headers, the editor name
    ``--editor`` gave (empty: the browser asks for it once and remembers it)."""

    token: str | None = None
    allowed_hosts: Collection[str] | None = None  # None: do not check the Host header
    editor: str = ""
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    token_cookie: str = "qa_token"


def create_app(store: Store, settings: Settings | None = None) -> Flask:
    """The Flask app serving one review database (its latest run)."""
    settings = settings or Settings()
    folder = reports_dir() / "review"
    app = Flask(__name__, template_folder=str(folder), static_folder=str(folder / "static"))
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, MAX_FORM_MEMORY_SIZE=MAX_BODY, MAX_FORM_PARTS=50)
    app.jinja_env.autoescape = True
    app.jinja_env.filters["category"] = label

    def csrf_token(nonce: str) -> str:
        return hmac.new(settings.secret, nonce.encode(), hashlib.sha256).hexdigest()

    @app.before_request
    def guard() -> ResponseReturnValue | None:
        if settings.allowed_hosts is not None and request.host not in settings.allowed_hosts:
            raise BadRequest("This server does not answer to that Host header.")
        if settings.token is not None:
            given = request.cookies.get(settings.token_cookie, "")
            header = request.headers.get("Authorization", "")
            if header.startswith("Bearer "):
                given = header[7:]
            query = request.args.get("token")
            if query is not None and request.method == "GET" and hmac.compare_digest(query.encode(), settings.token.encode()):
                args = {k: v for k, v in request.args.items(multi=False) if k != "token"}
                target = request.path + ("?" + urlencode(args) if args else "")
                response = redirect(target, code=303)
                response.set_cookie(settings.token_cookie, settings.token, httponly=True, samesite="Strict")
                return response
            if not given or not hmac.compare_digest(given.encode(), settings.token.encode()):
                raise Unauthorized("This server needs its access token: open the URL qa serve printed.")
        nonce = request.cookies.get(CSRF_COOKIE, "")
        g.new_nonce = None
        if len(nonce) != 32:
            nonce = g.new_nonce = secrets.token_hex(16)
        g.csrf = csrf_token(nonce)
        if request.method == "POST":
            sent = request.form.get("csrf", "") or request.headers.get("X-CSRF-Token", "")
            if g.new_nonce is not None or not hmac.compare_digest(sent.encode(), g.csrf.encode()):
                raise Forbidden("The form's CSRF token is missing or does not match: reload the page and try again.")
        elif request.method not in ("GET", "HEAD"):
            raise Forbidden("Only GET and POST are served.")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        if getattr(g, "new_nonce", None):
            response.set_cookie(CSRF_COOKIE, g.new_nonce, httponly=True, samesite="Strict")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str | Response, int]:
        code = exc.code or 500
        if wants_json():
            return jsonify(ok=False, error=exc.description), code
        return render_template("error.html", code=code, name=exc.name, message=exc.description), code

    @app.errorhandler(StoreNotFound)
    def not_found(exc: StoreNotFound) -> tuple[str | Response, int]:
        return http_error(NotFound(str(exc)))

    @app.errorhandler(StoreError)
    def bad_decision(exc: StoreError) -> tuple[str | Response, int]:
        return http_error(BadRequest(str(exc)))

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> tuple[str, int]:
        print(f"qa serve: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)  # to the server log only, never to the browser
        return render_template("error.html", code=500, name="Internal error", message="Something went wrong; see the server log."), 500

    @app.context_processor
    def context() -> dict[str, Any]:
        return {"csrf": getattr(g, "csrf", ""), "editor": current_editor(), "Severity": Severity}

    def current_editor() -> str:
        return request.cookies.get(EDITOR_COOKIE) or settings.editor

    def run_id() -> int:
        run = store.latest_run()
        if run is None:
            raise NotFound("The review database holds no run yet.")
        return int(run["id"])

    @app.get("/")
    def queue() -> str:
        filters = queue_filters()
        items = store.queue(run_id())
        shown = [q for q in items if keep(q, filters)]
        rules = sorted({r for q in items for r in q.rules})
        counts = {
            "articles": len(items),
            "shown": len(shown),
            "to_review": sum(q.to_review for q in items),  # a passed article with no finding needs no editor
            "left": sum(q.to_review and q.decision is None for q in items),
            "undecided": sum(q.undecided for q in items),
            "findings": sum(q.findings for q in items),
        }
        return render_template("queue.html", items=shown, filters=filters, rules=rules, counts=counts,
                               verdicts=[v.value for v in Verdict], severities=[s.label for s in Severity],
                               severity_label=lambda v: Severity(v).label if v >= 0 else "")

    @app.get("/article/<int:article_id>")
    def article(article_id: int) -> str:
        row = store.article(article_id)
        findings = store.findings(article_id)
        for f in findings:
            f["shown_suggestions"] = shown_at(f["suggestions"], row[f["field"]], int(f["start"]), int(f["end"]))
        items = store.queue(int(row["run_id"]))
        order = [q.id for q in items]
        here = order.index(article_id) if article_id in order else -1
        following = order[here + 1] if 0 <= here < len(order) - 1 else None
        previous = order[here - 1] if here > 0 else None
        # marks follow the article by key; one from an earlier run shows while its text is still at its offsets
        marks = [m for m in store.marks(row["key"]) if row[m["field"]][m["start"] : m["end"]] == m["text"]]
        fields = {name: _marked_segments(row[name], [f for f in findings if f["field"] == name],
                                         [m for m in marks if m["field"] == name]) for name in ("title", "body")}
        history = store.article_history(row["key"])
        return render_template("article.html", article=row, findings=findings, fields=fields, marks=marks,
                               categories=CATEGORIES,
                               next_id=following, previous_id=previous, history=history,
                               decision=history[-1] if history else None, position=here + 1, total=len(order))

    @app.post("/finding/<int:finding_id>")
    def decide_finding(finding_id: int) -> ResponseReturnValue:
        action = required("action", FINDING_ACTIONS)
        note = request.form.get("note", "")
        finding = store.finding(finding_id)
        decision = store.decide_finding(finding_id, action, note, decision_editor())
        if wants_json():
            return jsonify(ok=True, decision=decision, finding=finding_id, action=action), 200
        findings = store.findings(int(finding["article_id"]))
        ids = [f["id"] for f in findings]
        after = ids[ids.index(finding_id) + 1:] + ids[: ids.index(finding_id)]
        target = next((f for f in after if next(x for x in findings if x["id"] == f)["decision"] is None), finding_id)
        return redirect(url_for("article", article_id=finding["article_id"]) + f"#f-{target}", code=303)

    @app.post("/article/<int:article_id>/mark")
    def mark_missed(article_id: int) -> ResponseReturnValue:
        form = request.form
        try:
            start, end = int(form.get("start", "")), int(form.get("end", ""))
        except ValueError:
            raise BadRequest("A mark needs whole-number start and end offsets.") from None
        mark = MissedMark(field=form.get("field", ""), start=start, end=end, text=form.get("text", ""),
                          meant=form.get("meant", ""), category=form.get("category") or "other", note=form.get("note", ""))
        mark_id = store.mark_missed(article_id, mark, decision_editor())
        if wants_json():
            return jsonify(ok=True, mark=mark_id, article=article_id), 200
        return redirect(url_for("article", article_id=article_id) + f"#m-{mark_id}", code=303)

    @app.post("/article/<int:article_id>/decision")
    def decide_article(article_id: int) -> ResponseReturnValue:
        action = required("action", ("approve", "reject"))
        decision = store.decide_article(article_id, action, request.form.get("note", ""), decision_editor())
        if wants_json():
            return jsonify(ok=True, decision=decision, article=article_id, action=action), 200
        return redirect(url_for("article", article_id=article_id) + "#decision", code=303)

    @app.post("/editor")
    def set_editor() -> ResponseReturnValue:
        name = request.form.get("editor", "").strip()
        if not name or len(name) > 100:
            raise BadRequest("An editor name is 1 to 100 characters.")
        response = redirect(_local_path(request.form.get("back", "/")), code=303)
        response.set_cookie(EDITOR_COOKIE, name, httponly=True, samesite="Strict", max_age=365 * 86400)
        return response

    @app.get("/favicon.ico")
    def favicon() -> ResponseReturnValue:
        return "", 204

    @app.get("/stats")
    def stats() -> str:
        return render_template("stats.html", rows=store.stats())

    def required(name: str, choices: Collection[str]) -> str:
        value = request.form.get(name)
        if value not in choices:
            raise BadRequest(f"The form field {name!r} must be one of: {', '.join(choices)}.")
        return str(value)

    def decision_editor() -> str:
        name = (request.form.get("editor") or current_editor()).strip()
        if not name:
            raise BadRequest("Who is deciding? Enter your name in the Editor box at the top of the page first.")
        if len(name) > 100:
            raise BadRequest("An editor name is 1 to 100 characters.")
        return name

    def queue_filters() -> dict[str, str]:
        values = {k: request.args.get(k, "") for k in ("verdict", "severity", "rule", "reviewed")}
        if values["verdict"] and values["verdict"] not in {v.value for v in Verdict}:
            raise BadRequest("Unknown verdict filter.")
        if values["severity"]:
            try:
                Severity.parse(values["severity"])
            except ValueError as exc:
                raise BadRequest(str(exc)) from None
        if values["reviewed"] and values["reviewed"] not in REVIEWED:
            raise BadRequest("The reviewed filter is all, yes or no.")
        return values

    return app


def keep(item: QueueItem, filters: dict[str, str]) -> bool:
    """True when a queue item passes the filters (verdict, at-least severity, rule, reviewed)."""
    if filters["verdict"] and item.verdict != filters["verdict"]:
        return False
    if filters["severity"] and item.worst < Severity.parse(filters["severity"]):
        return False
    if filters["rule"] and filters["rule"] not in item.rules:
        return False
    if filters["reviewed"] == "yes" and item.decision is None:
        return False
    return not (filters["reviewed"] == "no" and item.decision is not None)


def wants_json() -> bool:
    """True when the client asked for JSON (scripts and tests) rather than HTML."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _marked_segments(text: str, findings: Sequence[Mapping[str, Any]],
                     marks: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """The report's highlight segments of one field, with the finding ids, worst severity and editor's marks of each."""
    spans = [(int(f["start"]), int(f["end"])) for f in findings] + [(int(m["start"]), int(m["end"])) for m in marks]
    pieces = segments(text, spans)
    n = len(findings)
    return [
        {
            "text": piece.text,
            "findings": [findings[i]["id"] for i in piece.issues if i < n],
            "marks": [marks[i - n]["id"] for i in piece.issues if i >= n],
            "severity": max((int(findings[i]["severity"]) for i in piece.issues if i < n), default=-1),
        }
        for piece in pieces
    ]


def _local_path(target: str) -> str:
    """``target`` when it is a path on this server, else ``/`` (never a redirect to another host)."""
    cleaned = "".join(ch for ch in target if ch.isprintable() and not ch.isspace())
    parts = urlsplit(cleaned.replace("\\", "/"))
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned != target:
        return "/"
    return cleaned
