"""The one data model every part of qa shares: articles in, issues and a report out."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

Field = Literal["title", "body"]
FIELDS: tuple[Field, ...] = ("title", "body")


class Severity(enum.IntEnum):
    """How bad a finding is; the value orders severities, `weight` is the MQM penalty."""

    INFO = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @property
    def weight(self) -> int:
        """MQM penalty points: info 0, minor 1, major 5, critical 10."""
        return (0, 1, 5, 10)[self.value]

    @property
    def label(self) -> str:
        """Lower-case name used in rule packs and reports."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read a severity name such as ``"major"``; raise ValueError otherwise."""
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of {names})") from None


class Verdict(str, enum.Enum):
    """What an editor should do with an article."""

    PASS = "pass"
    REVIEW = "review"
    REJECT = "reject"


@dataclass(frozen=True)
class Article:
    """One news article as read from an input.

    ``field_offsets`` gives, for a field that is a verbatim slice of its source file, where it
    starts there (to compare with offsets into the whole file); ``field_positions`` the 0-based
    line and column of the source at which it starts (to print ``source:line:col``).
    """

    id: str
    source: str
    title: str
    body: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    field_offsets: Mapping[str, int] = field(default_factory=dict)
    field_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def text(self, name: Field) -> str:
        """The text of ``title`` or ``body``."""
        return self.title if name == "title" else self.body

    @property
    def link(self) -> str | None:
        """Where the article is on the web (a feed item's ``link``, a ``url`` in its metadata), if an http(s) address."""
        return web_link(self.metadata.get("link") or self.metadata.get("url"))

    @property
    def published(self) -> str | None:
        """When the article was published (a feed item's date, ISO 8601 when the feed's was readable), if known."""
        value = self.metadata.get("published") or self.metadata.get("updated")
        if not isinstance(value, str):
            return None
        return " ".join(value.split()) or None

    def position(self, name: Field, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset into a field: in the source file when the field is
        a verbatim slice of it (``field_positions``), else within the field itself."""
        before = self.text(name)[:offset]
        base_line, base_col = self.field_positions.get(name, (0, 0))
        newlines = before.count("\n")
        col = offset - (before.rfind("\n") + 1) + (base_col if newlines == 0 else 0)
        return base_line + newlines + 1, col + 1


def web_link(value: Any) -> str | None:
    """``value`` when it is an absolute http or https address (safe to put in an ``href``), else None."""
    if not isinstance(value, str) or not value or len(value) > 2000 or any(ch.isspace() or not ch.isprintable() for ch in value):
        return None
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@dataclass(frozen=True)
class InputError:
    """An input (file, feed item, line) that could not be read; the run goes on without it."""

    source: str
    message: str
    internal: bool = False  # True when an unexpected exception (a bug in qa) stopped this item, not its content


@dataclass(frozen=True)
class Issue:
    """One finding: what is wrong, where (offsets into the article's title or body), and why."""

    rule: str
    category: str
    severity: Severity
    message: str
    field: Field
    start: int
    end: int
    text: str
    suggestions: tuple[str, ...] = ()
    confidence: float = 1.0
    checker: str = ""  # the checker that made it: the checking core (qa.checking) stamps its name
    evidence: Mapping[str, Any] | None = None
    suppressed: bool = False  # dismissed by an editor (--suppressions) or accepted in a --baseline

    def overlaps(self, other: Issue) -> bool:
        """True when both findings cover some of the same characters of the same field."""
        return self.field == other.field and self.start < other.end and other.start < self.end


def fails(issue: Issue, fail_on: Severity | None) -> bool:
    """Whether a finding fails the run (``--fail-on``): at or above that severity and not suppressed."""
    return fail_on is not None and issue.severity >= fail_on and not issue.suppressed


def fold(into: Issue, extra: Issue, details: tuple[str, Mapping[str, Any]] | None = None) -> Issue:
    """``into`` with ``extra`` kept as agreeing evidence instead of a second finding: ``extra``'s rule
    in ``evidence["also"]``, its suggestions when ``into`` has none, and optional details under a key."""
    evidence = dict(into.evidence or {})
    evidence["also"] = list(dict.fromkeys([*evidence.get("also", []), extra.rule]))
    if details is not None:
        evidence[details[0]] = dict(details[1])
    return dataclasses.replace(into, evidence=evidence, suggestions=into.suggestions or extra.suggestions)


@dataclass(frozen=True)
class ArticleResult:
    """An article with its findings, word count, penalty and verdict."""

    article: Article
    issues: tuple[Issue, ...]
    words: int
    penalty: float
    verdict: Verdict


class Join(str, enum.Enum):
    """How a finding combines with an overlapping finding of a checker that ranks above its own (``qa.merge``)."""

    ALONE = "alone"  # always a finding of its own
    OVERLAP = "overlap"  # folds into a higher-ranked finding it overlaps (above info)
    ANY_OVERLAP = "any-overlap"  # folds into a higher-ranked finding it overlaps, info included
    DUPLICATE = "duplicate"  # folds where it says the same: the same span, or half of it in the same MQM dimension
    SUPPORTED = "supported"  # folds into an overlap; alone, kept only with another finding in its sentence or when strong


@dataclass(frozen=True)
class Examples:
    """Text a rule must flag and text it must leave alone."""

    flag: tuple[str, ...]
    ok: tuple[str, ...]


@dataclass(frozen=True)
class RuleInfo:
    """What a checker declares about one of its rules (for SARIF, the HTML summary and the merge policy).

    ``id`` may end in ``.`` to cover every rule id that starts with it (LanguageTool's rules).
    """

    id: str
    category: str
    severity: Severity
    message: str
    description: str = ""
    pack: str = ""
    join: Join = Join.ALONE


class RuleIndex:
    """The rules of a run's checkers, looked up by id (exact ids first, then the longest ``prefix.``)."""

    def __init__(self, infos: Iterable[RuleInfo]):
        self.exact: dict[str, RuleInfo] = {}
        self.prefixes: list[RuleInfo] = []
        for info in infos:
            if info.id.endswith("."):
                self.prefixes.append(info)
            else:
                self.exact.setdefault(info.id, info)
        self.prefixes.sort(key=lambda info: -len(info.id))

    def get(self, rule_id: str) -> RuleInfo | None:
        """What the checkers declare about ``rule_id`` (None when nobody declared it)."""
        found = self.exact.get(rule_id)
        return found or next((info for info in self.prefixes if rule_id.startswith(info.id)), None)

    def join(self, rule_id: str) -> Join:
        """How a finding of this rule merges with others (``alone`` when undeclared)."""
        info = self.get(rule_id)
        return info.join if info else Join.ALONE

    def __iter__(self) -> Iterator[RuleInfo]:
        return iter([*self.exact.values(), *self.prefixes])


@dataclass(frozen=True)
class Thresholds:
    """Penalty per 100 words at which an article needs review, and at which it is rejected."""

    review: float = 1.0
    reject: float = 5.0


@dataclass(frozen=True)
class CheckerInfo:
    """One checker of a run as the report shows it: whether it ran, its signature part, its typed settings."""

    name: str
    status: str  # ran, or skipped: <reason>
    describe: str
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunSettings:
    """The settings a report was made with: thresholds, the checkers and what they declare about their rules."""

    thresholds: Thresholds = Thresholds()
    checkers: tuple[CheckerInfo, ...] = ()
    rules: tuple[RuleInfo, ...] = ()  # what the checkers declare about their rules


@dataclass(frozen=True)
class ToolInfo:
    """Who made a report and with which settings (the signature records every setting)."""

    name: str
    version: str
    signature: str


@dataclass(frozen=True)
class Report:
    """The result of one run: every article's result plus the inputs that could not be read."""

    tool: ToolInfo
    articles: tuple[ArticleResult, ...]
    input_errors: tuple[InputError, ...] = ()
    notes: tuple[str, ...] = ()
    settings: RunSettings = RunSettings()
    stale_baseline: tuple[Mapping[str, Any], ...] = ()  # --baseline entries that matched no finding

    def issues(self) -> list[Issue]:
        """Every finding of every article, in article order."""
        return [issue for result in self.articles for issue in result.issues]
