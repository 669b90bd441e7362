"""SARIF 2.1.0: one result per finding, rule metadata from the rule packs (for code-scanning UIs)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote

from qa.model import ArticleResult, Issue, Report, RuleIndex, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.INFO: "note", Severity.MINOR: "warning", Severity.MAJOR: "error", Severity.CRITICAL: "error"}


def artifact_uri(source: str) -> str:
    """A relative URI for a source path (``-`` for stdin becomes ``stdin``); an http(s) source is its own URI."""
    if source in ("", "-", "<stdin>"):
        return "stdin"
    if source[:8].lower().startswith(("http://", "https://")):
        return quote(source, safe=":/?#[]@!$&'()*+,;=%~")
    return quote(PurePath(source).as_posix(), safe="/")


def rule_descriptors(report: Report) -> list[dict[str, Any]]:
    """``reportingDescriptor``s for every rule that fired, from the report's rule metadata or its findings."""
    declared = RuleIndex(report.settings.rules)
    first: dict[str, Issue] = {}
    for issue in report.issues():
        first.setdefault(issue.rule, issue)
    descriptors = []
    for rule_id in sorted(first):
        issue, known = first[rule_id], declared.exact.get(rule_id)  # a family-wide prefix says less than the finding
        severity = known.severity if known else issue.severity
        template = (known.message if known else issue.message).replace("{match}", "…")
        short = (known.description if known else "") or template
        category = known.category if known else issue.category
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "shortDescription": {"text": short.split(". ")[0].strip()},
            "fullDescription": {"text": short},
            "messageStrings": {"default": {"text": template}},
            "defaultConfiguration": {"level": LEVELS[severity]},
            "properties": {
                "category": category,
                "severity": severity.label,
                "pack": (known.pack if known else "") or issue.checker,
                "tags": [category],
            },
        }
        descriptors.append(descriptor)
    return descriptors


def result_dict(result: ArticleResult, issue: Issue, rule_index: int) -> dict[str, Any]:
    """One SARIF result: rule, level, message, where (source line/column plus article id)."""
    article = result.article
    line, col = article.position(issue.field, issue.start)
    text = article.text(issue.field)
    end_line, end_col = article.position(issue.field, issue.end)
    region = {
        "startLine": line,
        "startColumn": col,
        "endLine": end_line,
        "endColumn": max(end_col, col + 1) if end_line == line else end_col,
        "snippet": {"text": text[issue.start : issue.end]},
    }
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(article.source)}}
    if issue.field in article.field_positions:  # feed and HTML items have no line in the file
        physical["region"] = region
    message = issue.message + (f" Probably meant: {' or '.join(issue.suggestions)}." if issue.suggestions else "")
    data: dict[str, Any] = {
        "ruleId": issue.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[issue.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [
                    {"name": issue.field, "fullyQualifiedName": f"{article.id}/{issue.field}", "kind": "member"}
                ],
            }
        ],
        "partialFingerprints": {"qaFinding/v1": f"{article.id}:{issue.field}:{issue.rule}:{issue.text}"},
        "properties": {
            "article": article.id,
            "field": issue.field,
            "start": issue.start,
            "end": issue.end,
            "severity": issue.severity.label,
            "category": issue.category,
            "confidence": round(issue.confidence, 3),
            "checker": issue.checker,
            "suggestions": list(issue.suggestions),
            "penalty": result.penalty,
            "verdict": result.verdict.value,
        },
    }
    if issue.suppressed:
        data["suppressions"] = [{"kind": "external", "justification": "dismissed in review or listed in the baseline"}]
    return data


def sarif_dict(report: Report) -> dict[str, Any]:
    """The whole report as a SARIF 2.1.0 log with one run."""
    rules = rule_descriptors(report)
    index = {rule["id"]: k for k, rule in enumerate(rules)}
    results = [result_dict(r, issue, index[issue.rule]) for r in report.articles for issue in r.issues]
    notifications = [
        {"level": "error", "message": {"text": f"{e.source}: {e.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(e.source)}}}]}
        for e in report.input_errors
    ] + [
        {"level": "error", "message": {"text": f"{r.article.source}#{r.article.id}: {message}"}}
        for r in report.articles for message in r.article.errors
    ] + [{"level": "note", "message": {"text": note}} for note in report.notes]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": report.tool.name,
                        "version": report.tool.version,
                        "semanticVersion": report.tool.version,
                        "rules": rules,
                        "properties": {"signature": report.tool.signature},
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {"executionSuccessful": not notifications or all(n["level"] != "error" for n in notifications),
                     "toolExecutionNotifications": notifications}
                ],
                "results": results,
                "properties": {"thresholds": dataclasses.asdict(report.settings.thresholds)},
            }
        ],
    }


class SarifFormatter:
    """SARIF 2.1.0 JSON, for GitHub code scanning and other SARIF viewers."""

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the SARIF log."""
        json.dump(sarif_dict(report), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
