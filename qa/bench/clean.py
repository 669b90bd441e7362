"""False alarms on edited copy: findings per 1,000 words by rule, and the share of articles that pass."""

from __future__ import annotations

from collections import Counter
from typing import Any

from qa.metrics import per_thousand
from qa.model import Report, Severity, Verdict


def score_clean(report: Report) -> dict[str, Any]:
    """Every finding above info on clean copy is a false alarm: count them by rule and article."""
    words = sum(r.words for r in report.articles)
    by_rule: Counter[str] = Counter()
    flagged: list[dict[str, Any]] = []
    for result in report.articles:
        findings = [i for i in result.issues if i.severity > Severity.INFO]
        by_rule.update(i.rule for i in findings)
        if findings:
            flagged.append(
                {
                    "id": result.article.id,
                    "verdict": result.verdict.value,
                    "penalty": result.penalty,
                    "findings": [{"rule": i.rule, "field": i.field, "start": i.start, "text": i.text} for i in findings],
                }
            )
    articles = len(report.articles)
    passed = sum(1 for r in report.articles if r.verdict is Verdict.PASS)
    findings_total = sum(by_rule.values())
    return {
        "articles": articles,
        "words": words,
        "findings": findings_total,
        "per_1000": per_thousand(findings_total, words),
        "pass_share": passed / articles if articles else None,
        "by_rule": {rule: {"findings": n, "per_1000": per_thousand(n, words)} for rule, n in by_rule.most_common()},
        "flagged": flagged,
        "input_errors": [f"{e.source}: {e.message}" for e in report.input_errors],
    }
