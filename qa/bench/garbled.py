"""Real garbled news (``../shared/garbled-news``, read by ``qa.datasets.garbled_news``): triage, span recall and
precision, suggestions.

Each split holds garbled articles, every damaged phrase annotated in ``garbled/SPANS.tsv``, and
clean edited articles. A SPANS row covers every occurrence of its exact phrase in the file's text;
findings (above ``info``) are moved into the file's offsets with the article's ``field_offsets``.

- Triage: AUC of the article penalty, garbled against clean (ties count one half), garbled
  articles not passed, clean articles passed.
- Spans: an occurrence is found when a finding overlaps it; span precision is the share of the
  findings in garbled articles that overlap an occurrence. "Pinpointed" also asks the finding to
  be at most three times the phrase's length plus 20 characters (``qa.bench.gold.pinpoints``).
- Suggestions: see ``suggestion_matches``.
- Clean copy: findings per 1,000 words on the split's clean articles.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.bench.gold import pinpoints
from qa.config import Config
from qa.datasets.garbled_news import CATEGORIES, GarbledArticle, Occurrence, Phrase
from qa.errors import InputReadError
from qa.metrics import auc, per_thousand
from qa.model import ArticleResult, Issue, Report, Severity, Verdict


def file_findings(result: ArticleResult) -> list[tuple[int, int, Issue]]:
    """The findings above info with their offsets moved into the article's file."""
    offsets = result.article.field_offsets
    found = []
    for issue in result.issues:
        if issue.severity <= Severity.INFO:
            continue
        if issue.field not in offsets:
            raise InputReadError(f"{result.article.source}: cannot map {issue.field} offsets back to the file")
        base = offsets[issue.field]
        found.append((base + issue.start, base + issue.end, issue))
    return found


_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"\w+(?:'\w+)*")


def normalise(text: str) -> str:
    """Case folded, curly quotes and dashes made plain, runs of white space one space."""
    return " ".join(text.translate(_FOLD).casefold().split())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalise(text)))


def suggestion_matches(text: str, occurrence: Occurrence, start: int, end: int, suggestion: str) -> bool:
    """Whether a finding at ``[start, end)`` of ``text`` suggesting ``suggestion`` gives what was meant.

    Texts are compared after ``normalise`` (punctuation counts); a suggestion that changes nothing
    never matches. It matches when (a) the printed text over the phrase and the finding, with the
    finding replaced by the suggestion, reads as that text with the phrase replaced by ``meant``;
    or (b) it swaps words the editor took out for words the editor put in: the words it brings
    (not in the finding's text) are all words of ``meant`` not in the phrase, and the words it
    drops are all words of the phrase not in ``meant`` (neither set empty). (b) credits a finding
    on part of a phrase that names the meant word(s) for it; listing extra words fails it.
    """
    meant = occurrence.phrase.meant
    if not meant:
        return False
    low, high = min(start, occurrence.start), max(end, occurrence.end)
    corrected = normalise(text[low:start] + suggestion + text[end:high])
    if corrected != normalise(text[low:high]) and corrected == normalise(text[low : occurrence.start] + meant + text[occurrence.end : high]):
        return True
    printed, offered = _words(text[start:end]), _words(suggestion)
    phrase, wanted = _words(occurrence.phrase.phrase), _words(meant)
    brought, dropped = offered - printed, printed - offered
    return bool(brought) and bool(dropped) and brought <= wanted - phrase and dropped <= phrase - wanted


def _overlaps(start: int, end: int, occurrence: Occurrence) -> bool:
    return start < occurrence.end and occurrence.start < end


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def score_garbled(articles: Sequence[GarbledArticle], report: Report) -> dict[str, Any]:
    """Triage, span recall and precision (overall and per category), suggestion matches, clean-copy
    false alarms, and per rule its findings in garbled articles, on annotated phrases and in clean copy."""
    by_id = {r.article.id: r for r in report.articles}
    penalties: dict[bool, list[float]] = {True: [], False: []}
    passed: Counter[bool] = Counter()
    occurrences: Counter[str] = Counter()
    found: Counter[str] = Counter()
    rows_found: set[Phrase] = set()
    pinpointed = findings = on_phrase = clean_words = clean_findings = 0
    meant_found = with_suggestion = top1 = top3 = 0
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    for bench in articles:
        result = by_id[bench.article.id]
        penalties[bench.garbled].append(result.penalty)
        passed[bench.garbled] += result.verdict is Verdict.PASS
        spans = file_findings(result)
        if not bench.garbled:
            clean_words += result.words
            clean_findings += len(spans)
            for *_, issue in spans:
                rules[issue.rule]["clean"] += 1
            continue
        for start, end, issue in spans:
            hit = any(_overlaps(start, end, o) for o in bench.occurrences)
            findings += 1
            on_phrase += hit
            rules[issue.rule]["garbled"] += 1
            rules[issue.rule]["on_phrase"] += hit
        for occurrence in bench.occurrences:
            category = occurrence.phrase.category
            occurrences[category] += 1
            over = [(s, e, i) for s, e, i in spans if _overlaps(s, e, occurrence)]
            if not over:
                continue
            found[category] += 1
            rows_found.add(occurrence.phrase)
            pinpointed += any(pinpoints(s, e, {"start": occurrence.start, "end": occurrence.end}) for s, e, _ in over)
            if occurrence.phrase.meant:
                meant_found += 1
                with_suggestion += any(i.suggestions for *_, i in over)
                top1 += any(suggestion_matches(bench.text, occurrence, s, e, x) for s, e, i in over for x in i.suggestions[:1])
                top3 += any(suggestion_matches(bench.text, occurrence, s, e, x) for s, e, i in over for x in i.suggestions[:3])
    total = sum(occurrences.values())
    rows = len({o.phrase for a in articles for o in a.occurrences})
    garbled, clean = len(penalties[True]), len(penalties[False])
    categories = [*CATEGORIES, *sorted(set(occurrences) - set(CATEGORIES))]
    return {
        "garbled_articles": garbled,
        "clean_articles": clean,
        "auc": auc(penalties[True], penalties[False]),
        "garbled_not_passed": _share(garbled - passed[True], garbled),
        "clean_passed": _share(passed[False], clean),
        "clean_words": clean_words,
        "clean_findings": clean_findings,
        "clean_per_1000": per_thousand(clean_findings, clean_words),
        "rows": rows,
        "rows_found": len(rows_found),
        "occurrences": total,
        "found": sum(found.values()),
        "recall": _share(sum(found.values()), total),
        "row_recall": _share(len(rows_found), rows),
        "pinpointed": pinpointed,
        "pinpointed_recall": _share(pinpointed, total),
        "findings": findings,
        "on_phrase": on_phrase,
        "precision": _share(on_phrase, findings),
        "by_category": {
            c: {"occurrences": occurrences[c], "found": found[c], "recall": _share(found[c], occurrences[c])} for c in categories
        },
        "suggestions": {
            "found_with_meant": meant_found,
            "with_suggestion": with_suggestion,
            "top1": top1,
            "top3": top3,
            "top1_share": _share(top1, meant_found),
            "top3_share": _share(top3, meant_found),
        },
        "rules": {
            rule: {"garbled": c["garbled"], "on_phrase": c["on_phrase"], "clean": c["clean"]}
            for rule, c in sorted(rules.items(), key=lambda item: (-(item[1]["garbled"] + item[1]["clean"]), item[0]))
        },
    }


def run_garbled(config: Config, root: Path, split: str, wiki_path: Path | None) -> dict[str, Any]:
    """Check a split (and Wikinews, when given) with ``config`` and score it: the result ``qa bench garbled`` prints."""
    from qa.bench.clean import score_clean
    from qa.datasets.garbled_news import read_garbled_split
    from qa.engine import check
    from qa.ingest import read_inputs

    begin = time.perf_counter()
    articles, unfound = read_garbled_split(root, split)
    report = check([a.article for a in articles], config)
    wiki = None
    if wiki_path is not None:
        wiki_report = check(read_inputs([str(wiki_path)], config.max_article_chars), config)
        wiki = {"file": str(wiki_path), **score_clean(wiki_report)}
    return {
        "data": str(root),
        "split": split,
        "signature": report.tool.signature,
        "seconds": time.perf_counter() - begin,
        "metrics": score_garbled(articles, report),
        "wikinews": wiki,
        "unfound_rows": [{"file": p.file, "phrase": p.phrase} for p in unfound],
    }
