"""Score a checker run against the MQM ratings: the metrics ``../shared/bench/README.md`` defines.

A *finding* here is an issue above ``info`` (info findings such as provenance notes weigh 0 and
are never errors). A segment's predicted penalty is the sum of its findings' MQM weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qa.bench.mqm import BenchArticle, Segment
from qa.metrics import kendall_tau, pairwise_accuracy, pearson, per_thousand, triage_auc
from qa.model import Issue, Report, Severity
from qa.text import count_words


@dataclass(frozen=True)
class Scored:
    """A segment with the checker's findings on it (offsets relative to the segment text)."""

    segment: Segment
    findings: tuple[Issue, ...]
    words: int

    @property
    def penalty(self) -> int:
        """Predicted penalty: the findings' MQM weights summed."""
        return sum(i.severity.weight for i in self.findings)

    def hits(self, issue: Issue) -> bool:
        """True when a finding overlaps a span any rater marked."""
        return any(span.overlaps(issue.start, issue.end) for span in self.segment.spans)


def attach(articles: Sequence[BenchArticle], report: Report) -> list[Scored]:
    """Map every finding of the report back to its segment."""
    by_id = {r.article.id: r for r in report.articles}
    scored: list[Scored] = []
    for bench in articles:
        issues = [i for i in by_id[bench.article.id].issues if i.severity > Severity.INFO]
        for segment, found in zip(bench.segments, bench.issues_by_segment(issues)):
            scored.append(Scored(segment, tuple(found), count_words(segment.text)))
    return scored


def _top(category: str) -> str:
    return category.split("/")[0].rstrip("!")


def evaluate(scored: Sequence[Scored]) -> dict[str, Any]:
    """Every metric of the MQM benchmark, as plain JSON-ready data."""
    by_source: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    systems: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # mqm, penalty, words
    articles: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for s in scored:
        seg = s.segment
        by_source[(seg.doc, seg.doc_seg_id)].append((seg.mqm, float(s.penalty)))
        for totals in (systems[seg.system], articles[(seg.system, seg.doc)]):
            totals[0] += seg.mqm
            totals[1] += s.penalty
            totals[2] += s.words
    accuracy, pairs = pairwise_accuracy(by_source.values())
    names = sorted(systems)
    gold_sys = [systems[n][0] for n in names]
    pred_sys = [systems[n][1] / max(systems[n][2], 1) for n in names]
    keys = sorted(articles)
    triage, quarter = triage_auc(
        [articles[k][0] / max(articles[k][2], 1) for k in keys],
        [articles[k][1] / max(articles[k][2], 1) for k in keys],
    )
    findings = [(s, i) for s in scored for i in s.findings]
    on_span = sum(1 for s, i in findings if s.hits(i))
    majors = [s for s in scored if s.segment.majors]
    clean = [s for s in scored if s.segment.clean]
    clean_findings = sum(len(s.findings) for s in clean)
    clean_words = sum(s.words for s in clean)
    return {
        "segments": len(scored),
        "articles": len(articles),
        "systems": len(systems),
        "words": sum(s.words for s in scored),
        "findings": len(findings),
        "pairwise_accuracy": accuracy,
        "pairs": pairs,
        "kendall_tau": kendall_tau(gold_sys, pred_sys),
        "pearson": pearson(gold_sys, pred_sys),
        "triage_auc": triage,
        "triage_quarter": quarter,
        "span_precision": on_span / len(findings) if findings else None,
        "major_segments": len(majors),
        "major_flagged": sum(1 for s in majors if s.findings) / len(majors) if majors else None,
        "clean_segments": len(clean),
        "clean_words": clean_words,
        "clean_findings": clean_findings,
        "clean_per_1000": per_thousand(clean_findings, clean_words),
        "by_system": {n: {"mqm": systems[n][0], "penalty_per_word": p} for n, p in zip(names, pred_sys)},
        "by_category": by_category(scored),
        "by_rule": by_rule(scored),
    }


def by_category(scored: Sequence[Scored]) -> dict[str, dict[str, Any]]:
    """Per top-level MQM category: how many marks the findings overlap, and how many segments got a finding."""
    marks: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # marks with a target span, overlapped
    segments: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # segments with the category, flagged
    for s in scored:
        seen: set[str] = set()
        for span in s.segment.marks:
            top = _top(span.category)
            seen.add(top)
            if span.start >= 0:
                marks[top][0] += 1
                marks[top][1] += any(span.overlaps(i.start, i.end) for i in s.findings)
        for top in seen:
            segments[top][0] += 1
            segments[top][1] += bool(s.findings)
    result: dict[str, dict[str, Any]] = {}
    for top in sorted(segments, key=lambda t: -segments[t][0]):
        spans, caught = marks[top]
        segs, flagged = segments[top]
        result[top] = {
            "segments": segs,
            "segment_recall": flagged / segs,
            "spans": spans,
            "span_recall": caught / spans if spans else None,
        }
    return result


def by_rule(scored: Sequence[Scored]) -> dict[str, dict[str, Any]]:
    """Per rule: findings, the share on a rater's span, findings on clean segments, and the categories they hit."""
    rules: dict[str, dict[str, Any]] = {}
    for s in scored:
        for issue in s.findings:
            row = rules.setdefault(issue.rule, {"findings": 0, "on_span": 0, "on_clean": 0, "categories": {}})
            row["findings"] += 1
            row["on_clean"] += s.segment.clean
            hit = [span for span in s.segment.spans if span.overlaps(issue.start, issue.end)]
            row["on_span"] += bool(hit)
            for top in {_top(span.category) for span in hit}:
                row["categories"][top] = row["categories"].get(top, 0) + 1
    for row in rules.values():
        row["span_precision"] = row["on_span"] / row["findings"]
    return dict(sorted(rules.items(), key=lambda kv: -kv[1]["findings"]))
