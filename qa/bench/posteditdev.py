"""Benchmarks on the training data's files: MLQE-PE dev (HTER, word tags) and WMT zh-en MQM spans.

Sentences are checked as articles do in the MQM benchmark: consecutive sentences (MLQE-PE) or a
(system, doc)'s segments in order (WMT) joined by blank lines into one body, each sentence its
own paragraph; every finding above ``info`` is mapped back to the sentence its offsets fall in.

- MLQE-PE, per language pair: Pearson of the per-sentence penalty (findings' MQM weights summed)
  against HTER, and word-level MCC and F1 of "a finding overlaps this word" against the BAD tags.
- WMT news (WMT22 dev by default, or another file such as WMT21 news train): character-level
  precision, recall and F1 of the findings' spans against the union of the raters' error spans,
  pooled over segments; per rule, its findings on a marked span and on segments no rater marked.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.datasets.example import Example
from qa.datasets.mlqe import mlqe_examples
from qa.datasets.mqm_spans import MQM_FILES, mqm_examples
from qa.metrics import char_f1, f1, mcc, pearson
from qa.model import Article, Issue, Report, Severity

SEPARATOR = "\n\n"


@dataclass(frozen=True)
class DevArticle:
    """Sentences joined into one article body, with where each starts."""

    article: Article
    examples: tuple[Example, ...]
    starts: tuple[int, ...]

    def per_sentence(self, issues: Sequence[Issue]) -> list[list[tuple[int, int, Issue]]]:
        """Each body finding above info as offsets relative to the sentence it starts in."""
        per: list[list[tuple[int, int, Issue]]] = [[] for _ in self.examples]
        for issue in issues:
            if issue.field != "body" or issue.severity <= Severity.INFO:
                continue
            k = bisect.bisect_right(self.starts, issue.start) - 1
            per[k].append((issue.start - self.starts[k], issue.end - self.starts[k], issue))
        return per


def _join(key: str, source: str, items: Sequence[Example]) -> DevArticle:
    starts, cursor = [], 0
    for e in items:
        starts.append(cursor)
        cursor += len(e.text) + len(SEPARATOR)
    body = SEPARATOR.join(e.text for e in items)
    return DevArticle(Article(key, source, "", body), tuple(items), tuple(starts))


def mlqe_articles(root: Path, pair: str, split: str = "dev", per_article: int = 10, limit: int | None = None) -> list[DevArticle]:
    """MT sentences of one MLQE-PE pair (detokenised), ``per_article`` to an article."""
    items = [e for e in mlqe_examples(root, pair, split, post_edits=False)][:limit]
    return [
        _join(f"mlqe/{pair}/{at // per_article}", f"mlqe-{pair}", items[at : at + per_article])
        for at in range(0, len(items), per_article)
    ]


def wmt_articles(root: Path, name: str = MQM_FILES["dev"][0], limit: int | None = None) -> list[DevArticle]:
    """WMT zh-en MQM segments of one file (default: WMT22 news dev), one article per system and
    document, its segments in file order (the MQM benchmark's articles)."""
    documents: dict[str, list[Example]] = {}
    for example in list(mqm_examples(root, name))[:limit]:  # the files run segment by segment, every system in turn
        documents.setdefault(example.document, []).append(example)
    return [_join(f"wmt/{document}", "wmt", items) for document, items in documents.items()]


def score_mlqe(articles: Sequence[DevArticle], report: Report) -> dict[str, Any]:
    """Pearson of sentence penalty against HTER, and word MCC/F1 against BAD tags."""
    by_id = {r.article.id: r for r in report.articles}
    penalties: list[float] = []
    hter: list[float] = []
    gold: list[int] = []
    marks: list[int] = []
    findings = 0
    for dev in articles:
        for example, found in zip(dev.examples, dev.per_sentence(by_id[dev.article.id].issues)):
            penalties.append(float(sum(i.severity.weight for _, _, i in found)))
            hter.append(example.score)
            gold += example.labels
            marks += [int(any(s < we and ws < e for s, e, _ in found)) for ws, we in example.words]
            findings += len(found)
    return {
        "sentences": len(hter),
        "findings": findings,
        "pearson_hter": pearson(penalties, hter),
        "word_mcc": mcc(gold, marks),
        "word_f1_bad": f1(gold, marks),
        "bad_share": sum(gold) / max(len(gold), 1),
        "flagged_share": sum(marks) / max(len(marks), 1),
    }


def score_spans(articles: Sequence[DevArticle], report: Report) -> dict[str, Any]:
    """Character-level span precision, recall and F1 against the raters' spans, and per rule how many
    of its findings sit on a marked span and how many on segments no rater marked."""
    by_id = {r.article.id: r for r in report.articles}
    pairs = []
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    for dev in articles:
        for example, found in zip(dev.examples, dev.per_sentence(by_id[dev.article.id].issues)):
            pairs.append((list(example.marked), [(s, e) for s, e, _ in found]))
            for start, end, issue in found:
                counts = rules[issue.rule]
                counts["findings"] += 1
                counts["on_marked_span"] += any(s < end and start < e for s, e in example.marked)
                counts["on_error_free_segment"] += not example.marked
    error_free = sum(not marked for marked, _ in pairs)
    return {
        "segments": len(pairs),
        "error_free_share": error_free / len(pairs) if pairs else 0.0,
        "findings": sum(len(p) for _, p in pairs),
        **char_f1(pairs),
        "rules": {
            rule: {**counts, "error_free_share": counts["on_error_free_segment"] / counts["findings"]}
            for rule, counts in sorted(rules.items(), key=lambda item: -item[1]["findings"])
        },
    }
