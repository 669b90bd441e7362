"""The JSON report (its shape is documented in README.md and schema/report.schema.json)."""

from __future__ import annotations

import json
from typing import IO, Any

from qa.model import ArticleResult, Issue, Report, Severity
from qa.scoring import summarize


def issue_dict(issue: Issue) -> dict[str, Any]:
    """One finding as the JSON report prints it."""
    data: dict[str, Any] = {
        "rule": issue.rule,
        "category": issue.category,
        "severity": issue.severity.label,
        "message": issue.message,
        "field": issue.field,
        "start": issue.start,
        "end": issue.end,
        "text": issue.text,
        "suggestions": list(issue.suggestions),
        "confidence": round(issue.confidence, 3),
        "checker": issue.checker,
    }
    if issue.evidence:
        data["evidence"] = dict(issue.evidence)
    if issue.suppressed:
        data["suppressed"] = True
    return data


def article_dict(result: ArticleResult) -> dict[str, Any]:
    """One article as the JSON report prints it."""
    article = result.article
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "body": article.body,
        "words": result.words,
        "penalty": result.penalty,
        "verdict": result.verdict.value,
        "errors": list(article.errors),
        "issues": [issue_dict(i) for i in result.issues],
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    summary = summarize(report)
    summary["input_errors"] = [{"source": e.source, "message": e.message} for e in report.input_errors]
    summary["notes"] = list(report.notes)
    data = {
        "tool": {"name": report.tool.name, "version": report.tool.version, "signature": report.tool.signature},
        "articles": [article_dict(r) for r in report.articles],
        "summary": summary,
    }
    if report.stale_baseline:
        data["stale_baseline"] = [dict(entry) for entry in report.stale_baseline]
    return data


class JsonFormatter:
    """Machine-readable report."""

    def __init__(self, indent: int | None = 2):
        self.indent = indent

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the report as one JSON document."""
        json.dump(report_dict(report), stream, ensure_ascii=False, indent=self.indent)
        stream.write("\n")
