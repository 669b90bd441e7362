"""The checking core: segment articles, run the checkers on a chunk, merge and score each article.

The engine's single-process run, the ``--jobs`` worker processes (``qa.parallel``) and Dask workers
(``qa.cluster``) all check through this module, so every path segments, budgets and scores alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from qa.budget import OverBudget, time_limit
from qa.checker import Checker
from qa.config import Config
from qa.errors import QaError
from qa.merge import merge
from qa.model import Article, ArticleResult, InputError, Issue, RuleIndex
from qa.quotes import balanced
from qa.scoring import penalty, verdict
from qa.text import Document

T = TypeVar("T")


def configured(issues: Iterable[Issue], config: Config, checker: str) -> list[Issue]:
    """A checker's findings with its name and the config applied: each stamped with the ``checker`` that made
    it (finding builders leave it out), rules switched off dropped, re-graded ones re-graded."""
    kept = []
    for issue in issues:
        if not config.is_enabled(issue.rule):
            continue
        severity = config.severity_for(issue.rule, issue.severity)
        same = severity == issue.severity and checker == issue.checker
        kept.append(issue if same else dataclasses.replace(issue, severity=severity, checker=checker))
    return kept


def score(article: Article, issues: list[Issue], words: int, config: Config) -> ArticleResult:
    """Attach penalty and verdict to an article's findings."""
    points = penalty(issues, words)
    return ArticleResult(article, tuple(issues), words, points, verdict(points, config.thresholds))


def not_checked(article: Article, exc: BaseException) -> InputError:
    """The error that stands for an article a checker failed on (a bug in qa: exit code 4, the rest still checked)."""
    reason = " ".join(str(exc).split())[:200]
    where = article.source if article.id == article.source else f"{article.source} ({article.id})"
    return InputError(where, f"not checked: unexpected {type(exc).__name__}: {reason} (a bug in qa: please report it)", internal=True)


def start(checkers: Sequence[Checker]) -> None:
    """Let each checker begin its slow set-up (a model load) while inputs are read and rules run."""
    for checker in checkers:
        checker.start()


def segmented(item: Article | InputError) -> Document | InputError:
    """The segmented article, or the error that stands for it (unreadable, or failed to segment)."""
    if isinstance(item, InputError):
        return item
    try:
        return Document.from_article(item)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
        return not_checked(item, exc)


def chunked(
    items: Iterable[T | InputError], weight: Callable[[T], int], limit: int, most: int | None = None
) -> Iterator[tuple[list[T], list[InputError]]]:
    """Items in chunks of about ``limit`` weight (or ``most`` items), each with the input errors met on the way."""
    chunk: list[T] = []
    errors: list[InputError] = []
    total = 0
    for item in items:
        if isinstance(item, InputError):
            errors.append(item)
            continue
        chunk.append(item)
        total += weight(item)
        if total >= limit or (most is not None and len(chunk) >= most):
            yield chunk, errors
            chunk, errors, total = [], [], 0
    if chunk or errors:
        yield chunk, errors


def document_chunks(
    articles: Iterable[Article | InputError], sentences: int, size: int | None = None
) -> Iterator[tuple[list[Document], list[InputError]]]:
    """Read and segment articles until a chunk holds ``sentences`` sentences (or ``size`` articles)."""
    return chunked(map(segmented, articles), lambda doc: len(doc.sentences), sentences, size)


def check_chunk(articles: Iterable[Article], config: Config, checkers: Sequence[Checker]) -> tuple[list[ArticleResult], list[InputError]]:
    """One chunk of articles segmented and checked together: results in input order, and the articles not checked."""
    docs, errors = [], []
    for item in map(segmented, articles):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            docs.append(item)
    return check_documents(docs, config, checkers, errors), errors


def check_documents(
    docs: Sequence[Document], config: Config, checkers: Sequence[Checker], errors: list[InputError] | None = None
) -> list[ArticleResult]:
    """Every checker on the whole chunk at once (so models see big batches), then merge and score per article.

    Each article has ``max_article_seconds``: when a chunk runs over, its articles are checked one by
    one, and one that runs over alone keeps what the finished checkers found and is marked not fully
    checked. The deadline is also checked before each checker, so the budget holds off the main
    thread (threads, Dask workers), where no alarm can interrupt a checker. An article a checker
    fails on goes to ``errors`` (a bug in qa); the others are still checked.
    """
    if not docs:
        return []
    errors = errors if errors is not None else []
    found: list[list[list[Issue]]] = []
    late = ""  # the checkers an article's time budget ran out before
    try:
        with time_limit(config.max_article_seconds * len(docs)) as budget:
            for checker in checkers:
                budget.check()
                found.append(checker.check(docs))
    except OverBudget as exc:
        if exc.limit is not budget:
            raise  # an enclosing limit (the caller's), not this chunk's
        if len(docs) > 1:  # give each article of the chunk its own budget
            return [r for doc in docs for r in check_documents([doc], config, checkers, errors)]
        skipped = ", ".join(c.name for c in checkers[len(found) :])
        late = f"not fully checked: {exc} per article ({skipped} skipped)"
        found += [[[]] for _ in checkers[len(found) :]]
    except QaError:
        raise  # a checker that cannot be set up (a model that does not load) is the run's error, not an article's
    except Exception as exc:  # noqa: BLE001 - find the article that broke a checker; check the others alone
        if len(docs) == 1:
            errors.append(not_checked(docs[0].article, exc))
            return []
        return [r for doc in docs for r in check_documents([doc], config, checkers, errors)]
    rules = RuleIndex(info for checker in checkers for info in checker.rules())
    results = []
    for i, doc in enumerate(docs):
        try:
            own = [(c.rank, c.name, configured(per_checker[i], config, c.name)) for c, per_checker in zip(checkers, found)]
            issues = [balanced(issue, doc.article.text(issue.field)) for issue in merge(own, rules)]
            article = dataclasses.replace(doc.article, errors=(*doc.article.errors, late)) if late else doc.article
            results.append(score(article, issues, doc.words, config))
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            errors.append(not_checked(doc.article, exc))
    return results
