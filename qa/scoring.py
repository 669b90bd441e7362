"""MQM penalties, verdicts and the run summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from qa.config import Thresholds
from qa.model import ArticleResult, Issue, Report, Severity, Verdict


def penalty(issues: Iterable[Issue], words: int) -> float:
    """MQM penalty points (minor 1, major 5, critical 10) per 100 words."""
    points = sum(issue.severity.weight for issue in issues)
    return round(100.0 * points / max(words, 1), 2)


def verdict(score: float, thresholds: Thresholds) -> Verdict:
    """``reject`` at or above the reject threshold, ``review`` at or above review, else ``pass``."""
    if score >= thresholds.reject:
        return Verdict.REJECT
    if score >= thresholds.review:
        return Verdict.REVIEW
    return Verdict.PASS


def summarize(report: Report) -> dict[str, Any]:
    """Counts of articles by verdict and findings by severity, category, rule and checker.

    Suppressed findings (dismissed by an editor or in a baseline) are counted apart, not in the rest.
    """
    results: Sequence[ArticleResult] = report.articles
    everything = report.issues()
    issues = [i for i in everything if not i.suppressed]
    verdicts = Counter(r.verdict.value for r in results)
    severities = Counter(i.severity.label for i in issues)
    return {
        "articles": len(results),
        "words": sum(r.words for r in results),
        "input_errors": len(report.input_errors),
        "verdicts": {v.value: verdicts.get(v.value, 0) for v in Verdict},
        "severities": {s.label: severities.get(s.label, 0) for s in Severity},
        "categories": dict(Counter(i.category for i in issues).most_common()),
        "rules": dict(Counter(i.rule for i in issues).most_common()),
        "checkers": dict(Counter(i.checker for i in issues).most_common()),
        "issues": len(issues),
        "suppressed": len(everything) - len(issues),
    }
