"""LanguageTool ``/v2/check`` matches → qa issues: MQM category, severity, suggestions, offsets."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.model import Field, Issue, Severity

# MQM category, default severity and confidence ← the LanguageTool category ids and the issue types (its
# LQA-derived types, the fallback for a category not listed) that get them.
_CLASSES: tuple[tuple[str, Severity, float, str, str], ...] = (
    ("fluency/spelling", Severity.MINOR, 0.7, "TYPOS CASING COMPOUNDING", "misspelling"),
    ("fluency/grammar", Severity.MAJOR, 0.8, "GRAMMAR", ""),
    ("fluency/grammar", Severity.MAJOR, 0.6, "CONFUSED_WORDS", ""),
    ("fluency/grammar", Severity.MINOR, 0.7, "", "grammar duplication"),
    ("fluency/grammar", Severity.MINOR, 0.6, "MISC", ""),
    ("fluency/punctuation", Severity.MINOR, 0.8, "PUNCTUATION", ""),
    ("fluency/punctuation", Severity.MINOR, 0.7, "TYPOGRAPHY", "typographical whitespace"),
    ("fluency/inconsistency", Severity.MINOR, 0.6, "", "inconsistency"),
    ("accuracy/mistranslation", Severity.MAJOR, 0.6, "SEMANTICS", "mistranslation"),
    ("accuracy/untranslated", Severity.MAJOR, 0.6, "", "untranslated"),
    ("style/unidiomatic", Severity.MINOR, 0.6, "COLLOCATIONS NONSTANDARD_PHRASES", ""),
    ("style/awkward", Severity.INFO, 0.5, "REDUNDANCY REPETITIONS_STYLE STYLE PLAIN_ENGLISH", "style"),
    ("style/register", Severity.INFO, 0.5, "", "register"),
    ("style/inclusive", Severity.INFO, 0.5, "GENDER_NEUTRALITY", ""),
    ("locale/convention", Severity.INFO, 0.5, "AMERICAN_ENGLISH_STYLE BRITISH_ENGLISH", "locale-violation"),
)
CATEGORIES: Mapping[str, tuple[str, Severity, float]] = {
    category_id: (mqm, severity, confidence)
    for mqm, severity, confidence, category_ids, _ in _CLASSES
    for category_id in category_ids.split()
}
ISSUE_TYPES: Mapping[str, tuple[str, Severity, float]] = {
    issue_type: (mqm, severity, confidence)
    for mqm, severity, confidence, _, issue_types in _CLASSES
    for issue_type in issue_types.split()
}
FALLBACK = ("fluency/other", Severity.MINOR, 0.5)


def classify(category_id: str, issue_type: str) -> tuple[str, Severity, float]:
    """MQM category, default severity and confidence of a LanguageTool category / issue type."""
    return CATEGORIES.get(category_id) or ISSUE_TYPES.get(issue_type) or FALLBACK


class Utf16Offsets:
    """Turns LanguageTool's UTF-16 code-unit offsets into Python code-point offsets for one text."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] | None = None
        if any(ord(ch) > 0xFFFF for ch in text):  # only astral characters take two code units
            starts, position = [], 0
            for ch in text:
                starts.append(position)
                position += 2 if ord(ch) > 0xFFFF else 1
            starts.append(position)
            self._starts = starts

    def span(self, offset: int, length: int) -> tuple[int, int]:
        """Code-point ``(start, end)`` of a UTF-16 ``(offset, length)``, widened to whole characters."""
        if self._starts is None:
            start, end = offset, offset + length
        else:
            start = bisect.bisect_right(self._starts, offset) - 1
            end = bisect.bisect_left(self._starts, offset + length)
        size = len(self.text)
        return max(0, min(start, size)), max(0, min(end, size))


@dataclass(frozen=True)
class Match:
    """The parts of one LanguageTool match that qa uses, read defensively from the JSON."""

    rule_id: str
    category_id: str
    issue_type: str
    message: str
    offset: int
    length: int
    replacements: tuple[str, ...]
    description: str

    @classmethod
    def parse(cls, data: Any) -> Match | None:
        """Read one element of ``matches``; None when it lacks what qa needs."""
        if not isinstance(data, Mapping):
            return None
        rule = _mapping(data.get("rule"))
        category = _mapping(rule.get("category"))
        offset, length = data.get("offset"), data.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
            return None
        replacements = tuple(
            r["value"] for r in data.get("replacements") or [] if isinstance(r, Mapping) and isinstance(r.get("value"), str)
        )
        message = data.get("message") or data.get("shortMessage") or rule.get("description") or ""
        return cls(
            rule_id=str(rule.get("id") or "UNKNOWN"),
            category_id=str(category.get("id") or "MISC"),
            issue_type=str(rule.get("issueType") or ""),
            message=" ".join(str(message).split()),
            offset=offset,
            length=length,
            replacements=replacements,
            description=str(rule.get("description") or ""),
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_matches(response: Any) -> list[Match]:
    """Every usable match of a ``/v2/check`` response."""
    raw = response.get("matches") if isinstance(response, Mapping) else None
    if not isinstance(raw, list):
        return []
    return [m for m in (Match.parse(item) for item in raw) if m is not None]


def rule_name(match: Match) -> str:
    """The qa rule id of a match: ``languagetool.<CATEGORY>.<RULE_ID>``."""
    return f"languagetool.{match.category_id}.{match.rule_id}"


def to_issue(match: Match, field: Field, text: str, start: int, end: int, max_suggestions: int) -> Issue:
    """A qa issue for a match whose span is ``text[start:end]`` of ``field``."""
    category, severity, confidence = classify(match.category_id, match.issue_type)
    evidence = {"languagetool_rule": match.rule_id, "languagetool_category": match.category_id}
    if match.issue_type:
        evidence["issue_type"] = match.issue_type
    return Issue(
        rule=rule_name(match),
        category=category,
        severity=severity,
        message=match.message or match.description or match.rule_id,
        field=field,
        start=start,
        end=end,
        text=text[start:end],
        suggestions=tuple(s for s in match.replacements if s != text[start:end])[:max_suggestions],
        confidence=confidence,
        evidence=evidence,
    )
