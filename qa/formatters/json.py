"""The JSON report (its shape is documented in docs/formats.md and schema/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from qa.model import ArticleResult, Issue, Report, Severity, ToolInfo
from qa.scoring import Tally


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
    data: dict[str, Any] = {"id": article.id, "source": article.source}
    if article.link:
        data["link"] = article.link
    if article.published:
        data["published"] = article.published
    return {
        **data,
        "title": article.title,
        "body": article.body,
        "words": result.words,
        "penalty": result.penalty,
        "verdict": result.verdict.value,
        "errors": list(article.errors),
        "issues": [issue_dict(i) for i in result.issues],
    }


def _head(tool: ToolInfo) -> dict[str, Any]:
    return {"name": tool.name, "version": tool.version, "signature": tool.signature}


def _summary(report: Report, tally: Tally) -> dict[str, Any]:
    summary = tally.summary(len(report.input_errors))
    summary["input_errors"] = [{"source": e.source, "message": e.message} for e in report.input_errors]
    summary["notes"] = list(report.notes)
    return summary


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    tally = Tally()
    for result in report.articles:
        tally.add(result)
    data = {"tool": _head(report.tool), "articles": [article_dict(r) for r in report.articles], "summary": _summary(report, tally)}
    if report.stale_baseline:
        data["stale_baseline"] = [dict(entry) for entry in report.stale_baseline]
    return data


class JsonFormatter:
    """Machine-readable report."""

    def __init__(self, indent: int | None = 2):
        self.indent = indent

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the report as one JSON document."""
        self.write_stream(report.tool, report.articles, lambda: report, stream, fail_on)

    def write_stream(
        self,
        tool: ToolInfo,
        results: Iterable[ArticleResult],
        close: Callable[[], Report],
        stream: IO[str],
        fail_on: Severity | None,
    ) -> None:
        """Write each article as it comes, then the summary: the same document ``write`` makes, in flat memory.

        ``close`` gives the rest of the report (errors, notes) once ``results`` is exhausted; its own
        articles are ignored.
        """
        step = self.indent
        comma = ", " if step is None else ","

        def value(data: Any, depth: int) -> str:
            text = json.dumps(data, ensure_ascii=False, indent=step)
            return text if step is None else text.replace("\n", "\n" + " " * (step * depth))

        def pad(depth: int) -> str:
            return "" if step is None else "\n" + " " * (step * depth)

        stream.write("{" + pad(1) + '"tool": ' + value(_head(tool), 1) + comma + pad(1) + '"articles": [')
        tally = Tally()
        for count, result in enumerate(results):
            tally.add(result)
            stream.write((comma if count else "") + pad(2) + value(article_dict(result), 2))
        stream.write((pad(1) if tally.articles else "") + "]")
        report = close()
        stream.write(comma + pad(1) + '"summary": ' + value(_summary(report, tally), 1))
        if report.stale_baseline:
            stale = [dict(entry) for entry in report.stale_baseline]
            stream.write(comma + pad(1) + '"stale_baseline": ' + value(stale, 1))
        stream.write(pad(0) + "}\n")
