"""The WMT MQM side-by-side set as a benchmark: per-segment MQM scores and rater spans, articles.

The rows are read by ``qa.datasets.mqm_ratings``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qa.datasets.mqm_ratings import MqmRow
from qa.model import Article, Issue

SEVERITIES = ("Major", "Minor", "No-error")  # anything else (HOTW-test, …) is an attention check
SEPARATOR = "\n\n"  # segments are the paragraphs of an article body
_TAG = re.compile(r"</?v>")


@dataclass(frozen=True)
class Span:
    """An error a rater marked in a segment's target text (offsets into the untagged text)."""

    rater: str
    start: int
    end: int
    category: str
    severity: str

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` covers some of this span (an empty span counts as a point)."""
        if self.start == self.end:
            return start <= self.start <= end and start < end
        return start < self.end and self.start < end


@dataclass
class Segment:
    """One system's translation of one source segment, with every rater's verdict on it."""

    system: str
    doc: str
    doc_seg_id: int
    global_seg_id: str
    text: str
    scores: dict[str, float] = field(default_factory=dict)  # rater → MQM points
    marks: list[Span] = field(default_factory=list)  # every error row, with or without a target span
    majors: int = 0

    @property
    def mqm(self) -> float:
        """The segment's MQM score: the raters' points averaged (higher is worse)."""
        return sum(self.scores.values()) / len(self.scores) if self.scores else 0.0

    @property
    def clean(self) -> bool:
        """True when every rater found the segment error-free."""
        return bool(self.scores) and not self.marks

    @property
    def spans(self) -> list[Span]:
        """The marks that point at target text."""
        return [s for s in self.marks if s.start >= 0]


def error_points(category: str, severity: str) -> float:
    """MQM points of one error (Freitag et al. 2021): Major 5, Minor 1, Minor punctuation 0.1, Non-translation 25."""
    if category.startswith("Non-translation"):
        return 25.0
    if severity == "Major":
        return 5.0
    if severity == "Minor":
        return 0.1 if category == "Fluency/Punctuation" else 1.0
    return 0.0


def untag(text: str) -> tuple[str, int, int]:
    """Text without ``<v>`` tags and the offsets of the tagged span in it (-1, -1 when untagged)."""
    start = text.find("<v>")
    if start < 0:
        return _TAG.sub("", text), -1, -1
    before = _TAG.sub("", text[:start])
    close = text.find("</v>", start)
    inside = _TAG.sub("", text[start + 3 : close if close >= 0 else len(text)])
    return _TAG.sub("", text), len(before), len(before) + len(inside)


def build_segments(rows: Iterable[MqmRow]) -> list[Segment]:
    """Group rows into segments (system × source segment) with per-rater scores and spans."""
    grouped: dict[tuple[str, str, int], list[MqmRow]] = defaultdict(list)
    for row in rows:
        if row.severity in SEVERITIES:
            grouped[(row.system, row.doc, row.doc_seg_id)].append(row)
    segments: list[Segment] = []
    for (system, doc, seg_id), seg_rows in grouped.items():
        # raters' copies of a segment can differ in trailing space or truncation: take the usual one
        texts = Counter(untag(r.target)[0] for r in seg_rows)
        text = max(texts, key=lambda t: (texts[t], len(t)))
        segment = Segment(system, doc, seg_id, seg_rows[0].global_seg_id, text)
        for row in seg_rows:
            segment.scores.setdefault(row.rater, 0.0)
            if row.severity == "No-error":
                continue
            segment.scores[row.rater] += error_points(row.category, row.severity)
            segment.majors += row.severity == "Major"
            _, start, end = untag(row.target)
            if start >= 0:
                start, end = min(start, len(text)), min(end, len(text))
            segment.marks.append(Span(row.rater, start, end, row.category, row.severity))
        segments.append(segment)
    segments.sort(key=lambda s: (s.system, s.doc, s.doc_seg_id))
    return segments


@dataclass(frozen=True)
class BenchArticle:
    """One article per (system, doc): its segments in ``docSegId`` order as body paragraphs."""

    article: Article
    segments: tuple[Segment, ...]
    starts: tuple[int, ...]  # where each segment starts in the body

    def segment_of(self, offset: int) -> int:
        """Index of the segment whose text holds (or, in a separator, precedes) a body offset."""
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low

    def issues_by_segment(self, issues: Sequence[Issue]) -> list[list[Issue]]:
        """Each body issue moved to its segment, offsets made relative to the segment text."""
        from dataclasses import replace

        per: list[list[Issue]] = [[] for _ in self.segments]
        for issue in issues:
            if issue.field != "body":
                continue
            index = self.segment_of(issue.start)
            start = self.starts[index]
            per[index].append(replace(issue, start=issue.start - start, end=issue.end - start))
        return per


def build_articles(segments: Sequence[Segment]) -> list[BenchArticle]:
    """Join each (system, doc)'s segments in ``docSegId`` order with blank lines into one article body."""
    grouped: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for segment in segments:
        grouped[(segment.system, segment.doc)].append(segment)
    articles: list[BenchArticle] = []
    for (system, doc), members in sorted(grouped.items()):
        members.sort(key=lambda s: s.doc_seg_id)
        starts, cursor = [], 0
        for segment in members:
            starts.append(cursor)
            cursor += len(segment.text) + len(SEPARATOR)
        body = SEPARATOR.join(s.text for s in members)
        article = Article(f"{system}/{doc}", "mqm", "", body, metadata={"system": system, "doc": doc})
        articles.append(BenchArticle(article, tuple(members), tuple(starts)))
    return articles


def select_docs(rows: Sequence[MqmRow], docs: int | None) -> list[MqmRow]:
    """Only the rows of the first ``docs`` documents (in file order); all rows for None."""
    if docs is None:
        return list(rows)
    keep: list[str] = []
    for row in rows:
        if row.doc not in keep:
            keep.append(row.doc)
    chosen = set(keep[:docs])
    return [r for r in rows if r.doc in chosen]
