"""A self-contained HTML report an editor can read: Jinja2 templates in ``reports/``, assets inlined."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import IO, Any

import jinja2

from qa.categories import label
from qa.formatters.highlight import issue_segments
from qa.formatters.json import article_dict, issue_dict
from qa.model import ArticleResult, Issue, Report, RuleIndex, Severity, Thresholds
from qa.resources import reports_dir
from qa.scoring import summarize
from qa.suggestions import shown

# Upper edges of the penalty histogram bins (points per 100 words); the last bin is open.
PENALTY_BINS: tuple[float, ...] = (0.0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment over ``reports/`` (autoescaped: every piece of article text is escaped)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(reports_dir())),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["severities"] = [s.label for s in Severity]
    env.filters["category"] = label
    return env


def asset(name: str) -> str:
    """The text of a static asset in ``reports/assets/`` (CSS, JS), to be inlined."""
    return (reports_dir() / "assets" / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_security_policy(script: str, style: str) -> str:
    """A strict policy: nothing from the network, only our own inline script and style."""
    return (
        f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def field_segments(result: ArticleResult, field: str) -> list[dict[str, Any]]:
    """Highlight segments of the title or body: text, finding numbers and strongest severity."""
    numbered = [(n, issue) for n, issue in enumerate(result.issues) if issue.field == field]
    text = result.article.text("title" if field == "title" else "body")
    pieces = issue_segments(text, [issue for _, issue in numbered])
    out: list[dict[str, Any]] = []
    for piece in pieces:
        covering = [numbered[i] for i in piece.issues]
        out.append(
            {
                "text": piece.text,
                "findings": " ".join(str(n) for n, _ in covering),
                "severity": max(issue.severity for _, issue in covering).label if covering else "",
                "overlap": len(covering) > 1,
            }
        )
    return out


def finding_context(result: ArticleResult, n: int, issue: Issue) -> dict[str, Any]:
    """One finding as the article's list shows it: the JSON shape, suggestions as an editor reads them, what corroborates it."""
    data = {"n": n, **issue_dict(issue)}
    data["shown_suggestions"] = shown(issue, result.article.text(issue.field))
    data["corroborating"] = list((issue.evidence or {}).get("corroborating", []))
    return data


def article_context(result: ArticleResult, index: int) -> dict[str, Any]:
    """What ``_article.html.j2`` needs for one article (the JSON shape plus highlight segments)."""
    data = article_dict(result)
    data["index"] = index
    data.setdefault("link", None)  # only http(s) addresses (qa.model.web_link) ever reach an href
    data.setdefault("published", None)
    data["findings"] = [finding_context(result, n, issue) for n, issue in enumerate(result.issues)]
    data["title_segments"] = field_segments(result, "title")
    data["body_segments"] = field_segments(result, "body")
    data["worst"] = max((i.severity for i in result.issues), default=None)
    data["worst"] = data["worst"].label if data["worst"] is not None else "none"
    return data


def penalty_chart(penalties: Sequence[float], thresholds: Thresholds) -> dict[str, Any]:
    """An inline-SVG histogram of article penalties, bars coloured by the verdict zone they fall in."""
    edges = list(PENALTY_BINS)
    counts = [0] * (len(edges) + 1)
    for value in penalties:
        counts[next((k for k, edge in enumerate(edges) if value <= edge), len(edges))] += 1
    labels = ["0"] + [f"≤{edge:g}" for edge in edges[1:]] + [f">{edges[-1]:g}"]
    lows = [0.0, *edges]
    review, reject = thresholds.review, thresholds.reject
    width, height, gap = 36, 140, 6
    top = max(counts) or 1
    bars = []
    for k, (count, label) in enumerate(zip(counts, labels)):
        zone = "reject" if lows[k] >= reject else "review" if lows[k] >= review else "pass"
        h = round(height * count / top)
        bars.append(
            {"x": k * (width + gap), "y": height - h, "w": width, "h": h, "count": count, "label": label, "zone": zone}
        )
    return {"bars": bars, "width": len(bars) * (width + gap), "height": height, "total": len(penalties)}


def summary_context(report: Report, fail_on: Severity | None, now: datetime) -> dict[str, Any]:
    """The summary block: counts, top rules with their descriptions, the chart, and provenance.

    ``checkers`` stays the summary's findings per checker name (the Checker filter's options: every checker
    of the run, those with no finding too); the checkers' settings are ``checker_settings``.
    """
    summary = summarize(report)
    counts: dict[str, int] = summary["checkers"]
    names = [*(c.name for c in report.settings.checkers), *counts]
    thresholds = report.settings.thresholds
    declared = RuleIndex(report.settings.rules)
    top_rules = [
        {"id": rule, "count": count, "description": info.description if (info := declared.exact.get(rule)) else ""}
        for rule, count in list(summary["rules"].items())[:10]
    ]
    return {
        **summary,
        "top_rules": top_rules,
        "chart": penalty_chart([r.penalty for r in report.articles], thresholds),
        "thresholds": thresholds,
        "tool": report.tool,
        "checkers": {name: counts.get(name, 0) for name in dict.fromkeys(names)},
        "checker_settings": report.settings.checkers,
        "fail_on": fail_on.label if fail_on is not None else "never",
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "input_errors_list": [{"source": e.source, "message": e.message} for e in report.input_errors],
        "notes": list(report.notes),
    }


def render(report: Report, fail_on: Severity | None = None, now: datetime | None = None) -> str:
    """The whole report as one self-contained HTML page."""
    env = environment()
    script, style = asset("report.js"), asset("report.css")
    now = now or datetime.now(UTC)
    return env.get_template("report.html.j2").render(
        csp=content_security_policy(script, style),
        script=script,
        style=style,
        summary=summary_context(report, fail_on, now),
        articles=[article_context(result, k) for k, result in enumerate(report.articles)],
    )


class HtmlFormatter:
    """One self-contained HTML file: summary, filters, and every article with its findings in place."""

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the HTML page."""
        stream.write(render(report, fail_on))
