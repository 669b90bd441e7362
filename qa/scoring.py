"""MQM penalties, verdicts and the run summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from qa.model import ArticleResult, Issue, Report, Severity, Thresholds, Verdict


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


class Tally:
    """Running counts of a report's articles and findings, so a streamed report can end with its summary."""

    def __init__(self) -> None:
        self.articles = 0
        self.words = 0
        self.verdicts: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.checkers: Counter[str] = Counter()
        self.issues = 0
        self.suppressed = 0

    def add(self, result: ArticleResult) -> None:
        """Count one article and its findings (suppressed findings apart)."""
        self.articles += 1
        self.words += result.words
        self.verdicts[result.verdict.value] += 1
        for issue in result.issues:
            if issue.suppressed:
                self.suppressed += 1
                continue
            self.issues += 1
            self.severities[issue.severity.label] += 1
            self.categories[issue.category] += 1
            self.rules[issue.rule] += 1
            self.checkers[issue.checker] += 1

    def summary(self, input_errors: int) -> dict[str, Any]:
        """The summary of everything counted (see ``summarize``)."""
        return {
            "articles": self.articles,
            "words": self.words,
            "input_errors": input_errors,
            "verdicts": {v.value: self.verdicts.get(v.value, 0) for v in Verdict},
            "severities": {s.label: self.severities.get(s.label, 0) for s in Severity},
            "categories": dict(self.categories.most_common()),
            "rules": dict(self.rules.most_common()),
            "checkers": dict(self.checkers.most_common()),
            "issues": self.issues,
            "suppressed": self.suppressed,
        }


def summarize(report: Report) -> dict[str, Any]:
    """Counts of articles by verdict and findings by severity, category, rule and checker.

    Suppressed findings (dismissed by an editor or in a baseline) are counted apart, not in the rest.
    """
    tally = Tally()
    for result in report.articles:
        tally.add(result)
    return tally.summary(len(report.input_errors))
