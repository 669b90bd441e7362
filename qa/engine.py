"""The run: segment articles, apply every checker, score, and assemble the report."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from qa import __version__
from qa.budget import OverBudget, time_limit
from qa.checks import CodeCheck, code_checks
from qa.config import Config
from qa.model import Article, ArticleResult, InputError, Issue, Report, ToolInfo, fold
from qa.rules import Rule, RulePack, capped, load_packs
from qa.scoring import penalty, verdict
from qa.text import Document

Progress = Callable[[int], None]


class Checker(Protocol):
    """One family of checks. It sees a batch of articles at once so it can batch model calls."""

    name: str

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Findings for each document, in order."""
        ...

    def describe(self) -> str:
        """How this checker was set up, for the report signature (model, server, …)."""
        ...

    def notes(self) -> list[str]:
        """Messages for the user about this run (e.g. a service that was skipped)."""
        ...

    # Optional: ``merge(own, earlier) -> list[Issue]`` returns the earlier checkers' findings with
    # this checker's own added, folding those that repeat an earlier finding into it.


class RuleChecker:
    """The YAML rule packs and the code checks, with the config's switches and re-grading."""

    name = "rules"

    def __init__(self, config: Config, packs: Sequence[RulePack] | None = None):
        self.config = config
        self.packs = tuple(packs) if packs is not None else load_packs(config.rule_paths)
        self.rules: list[Rule | CodeCheck] = [
            rule for pack in self.packs for rule in pack.rules if config.is_enabled(rule.id)
        ]
        self.rules += [c for c in code_checks() if config.is_enabled(c.id)]

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Run every enabled rule on every document."""
        return [self.check_one(doc) for doc in docs]

    def check_one(self, doc: Document) -> list[Issue]:
        """Run every enabled rule on one document (the engine re-grades what every checker finds)."""
        return [issue for rule in self.rules for issue in capped(rule.run(doc))]

    def describe(self) -> str:
        """Rule pack names and content hashes."""
        return "+".join(f"{p.name}@{p.digest}" for p in self.packs)

    def notes(self) -> list[str]:
        """The rule engine has nothing to report about itself."""
        return []


def configured(issues: Iterable[Issue], config: Config) -> list[Issue]:
    """A checker's findings with the config applied: rules switched off dropped, re-graded ones re-graded."""
    kept = []
    for issue in issues:
        if not config.is_enabled(issue.rule):
            continue
        severity = config.severity_for(issue.rule, issue.severity)
        kept.append(issue if severity == issue.severity else dataclasses.replace(issue, severity=severity))
    return kept


def build_checkers(config: Config) -> list[Checker]:
    """The checkers the config asks for; heavy ones are imported only when switched on."""
    checkers: list[Checker] = [RuleChecker(config)]
    if config.embeddings:
        from qa.embeddings import make_checker as make_embeddings

        checkers.append(make_embeddings(config))
    if config.languagetool != "off":
        from qa.languagetool import make_checker as make_languagetool

        lt = make_languagetool(config)
        if lt is not None:
            checkers.append(lt)
    if config.lm:
        from qa.lm import make_checker as make_lm

        checkers.append(make_lm(config))
    if config.learned_on:
        from qa.learned import make_checker as make_learned

        checkers.append(make_learned(config))
    return checkers


def dedupe(issues: Iterable[Issue]) -> list[Issue]:
    """One finding per span, sorted by position.

    Several rules flagging exactly the same text are one error: the most severe (then most
    confident) finding stands, and the other rule ids are kept in its ``evidence["also"]``.
    """
    by_span: dict[tuple[str, int, int], list[Issue]] = {}
    for issue in issues:
        by_span.setdefault((issue.field, issue.start, issue.end), []).append(issue)
    kept: list[Issue] = []
    for group in by_span.values():
        best = max(group, key=lambda i: (i.severity, i.confidence, -len(i.rule)))
        for other in sorted(group, key=lambda i: i.rule):
            if other.rule != best.rule:
                best = fold(best, other)
        kept.append(best)
    return sorted(kept, key=lambda i: (i.field != "title", i.start, i.end, i.rule))



def signature(config: Config, checkers: Sequence[Checker]) -> str:
    """A short string that records every setting that changes findings or scores."""
    parts = [f"qa:{__version__}"]
    parts += [f"{c.name}:{c.describe()}" for c in checkers]
    parts.append(f"thresholds:{config.thresholds.review:g}/{config.thresholds.reject:g}")
    if config.disable:
        parts.append("disable:" + ",".join(config.disable))
    if config.severity:
        parts.append("regrade:" + ",".join(f"{k}={v.label}" for k, v in sorted(config.severity.items())))
    text = "|".join(parts)
    return f"{text}|#{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def rule_metadata(checkers: Sequence[Checker]) -> dict[str, dict[str, str]]:
    """Id, category, default severity, message and description of every enabled rule (for SARIF)."""
    meta: dict[str, dict[str, str]] = {}
    for checker in checkers:
        if isinstance(checker, RuleChecker):
            pack_of = {rule.id: pack.name for pack in checker.packs for rule in pack.rules}
            for rule in checker.rules:
                meta[rule.id] = {
                    "category": rule.category,
                    "severity": rule.severity.label,
                    "message": rule.message,
                    "description": rule.description,
                    "pack": pack_of.get(rule.id, "code"),
                }
    return meta


def score(article: Article, issues: list[Issue], words: int, config: Config) -> ArticleResult:
    """Attach penalty and verdict to an article's findings."""
    points = penalty(issues, words)
    return ArticleResult(article, tuple(issues), words, points, verdict(points, config.thresholds))


def not_checked(article: Article, exc: BaseException) -> InputError:
    """The error that stands for an article a checker failed on (a bug in qa: exit code 4, the rest still checked)."""
    reason = " ".join(str(exc).split())[:200]
    where = article.source if article.id == article.source else f"{article.source} ({article.id})"
    return InputError(where, f"not checked: unexpected {type(exc).__name__}: {reason} (a bug in qa: please report it)", internal=True)


def check(
    articles: Iterable[Article | InputError],
    config: Config | None = None,
    checkers: Sequence[Checker] | None = None,
    progress: Progress | None = None,
    batch_size: int = 32,
) -> Report:
    """Check articles and return the report; unreadable inputs are carried into it as errors."""
    config = config or Config()
    checkers = list(checkers) if checkers is not None else build_checkers(config)
    results: list[ArticleResult] = []
    errors: list[InputError] = []
    batch: list[Document] = []

    def flush() -> None:
        found: list[list[list[Issue]]] = []
        late = ""  # the checkers an article's time budget ran out before
        try:
            with time_limit(config.max_article_seconds * len(batch)):
                for checker in checkers:
                    found.append(checker.check(batch))
        except OverBudget as exc:
            if len(batch) > 1:  # give each article of the batch its own budget
                for doc in list(batch):
                    batch[:] = [doc]
                    flush()
                return
            late = ", ".join(c.name for c in checkers[len(found) :])
            late = f"not fully checked: {exc} per article ({late} skipped)"
            found += [[[]] for _ in checkers[len(found) :]]
        except Exception as exc:  # noqa: BLE001 - find the article that broke a checker; check the others alone
            if len(batch) == 1:
                errors.append(not_checked(batch[0].article, exc))
                if progress:
                    progress(1)
                batch.clear()
                return
            for doc in list(batch):
                batch[:] = [doc]
                flush()
            return
        for i, doc in enumerate(batch):
            try:
                issues: list[Issue] = []
                for checker, per_checker in zip(checkers, found):
                    own = configured(per_checker[i], config)
                    merge = getattr(checker, "merge", None)  # optional: fold repeats of earlier findings
                    issues = merge(own, issues) if merge else issues + own
                article = dataclasses.replace(doc.article, errors=(*doc.article.errors, late)) if late else doc.article
                results.append(score(article, dedupe(issues), doc.words, config))
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
                errors.append(not_checked(doc.article, exc))
        if progress:
            progress(len(batch))
        batch.clear()

    for item in articles:
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            batch.append(Document.from_article(item))
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            errors.append(not_checked(item, exc))
            continue
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    notes = tuple(note for checker in checkers for note in checker.notes())
    tool = ToolInfo("qa", __version__, signature(config, checkers))
    settings = {
        "thresholds": {"review": config.thresholds.review, "reject": config.thresholds.reject},
        "checkers": [c.name for c in checkers],
        "rules": rule_metadata(checkers),
    }
    return Report(tool, tuple(results), tuple(errors), notes, settings)
