"""The LanguageTool checker: batches articles to a server, maps and filters the matches, survives failures."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, as_completed
from typing import Any

from qa.checker import BaseChecker, Status
from qa.languagetool.client import (
    ArticleRejected,
    Client,
    LanguageToolError,
    RequestFailed,
    ServerUnavailable,
)
from qa.languagetool.filters import looks_like_name
from qa.languagetool.mapping import (
    Match,
    Utf16Offsets,
    parse_matches,
    to_issue,
)
from qa.languagetool.settings import Settings
from qa.model import Article, Field, Issue, Join, RuleInfo, Severity
from qa.text import Document

TITLE_GAP = "\n\n"  # headline and body go in one request, as two paragraphs
# LanguageTool's rules are ``languagetool.<CATEGORY>.<RULE_ID>``; one that repeats another checker's finding folds into it
RULES = (RuleInfo("languagetool.", "fluency/grammar", Severity.MINOR, "A LanguageTool grammar, spelling or punctuation match.", join=Join.DUPLICATE),)
RANK = 20


def compose(article: Article) -> tuple[str, int]:
    """The text sent for an article, and where its body starts in it."""
    if not article.title:
        return article.body, 0
    return article.title + TITLE_GAP + article.body, len(article.title) + len(TITLE_GAP)


def text_key(article: Article) -> str:
    """Cache key of an article's text (two articles with the same text get the same findings)."""
    return hashlib.sha256(f"{article.title}\x00{article.body}".encode("utf-8", "surrogatepass")).hexdigest()


def _ids(ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class LanguageToolChecker(BaseChecker):
    """Grammar, spelling and punctuation findings from a LanguageTool server (remote or local)."""

    rank = RANK
    declared_rules = RULES  # every LanguageTool rule, by prefix

    def __init__(self, client: Client, settings: Settings, origin: str = "server", stop: Callable[[], None] | None = None):
        self.client = client
        self.settings = settings
        self.origin = origin
        self.stop = stop
        self.version = "?"
        self.checked = 0
        self.unchecked: list[str] = []
        self.failure: str | None = None
        self.last_error: str | None = None
        self._failures_in_row = 0
        self._cache: dict[str, list[Issue]] = {}
        self._lock = threading.Lock()

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Findings for each document; a document LanguageTool could not check gets none and is noted."""
        results: list[list[Issue] | None] = [None] * len(docs)
        pending: dict[str, list[int]] = {}
        for index, doc in enumerate(docs):
            key = text_key(doc.article)
            if key in self._cache:
                results[index] = list(self._cache[key])
            else:
                pending.setdefault(key, []).append(index)
        if pending and self.failure is None:
            self._run(docs, pending, results)
        for index, found in enumerate(results):
            if found is None:
                self.unchecked.append(docs[index].article.id)
            else:
                self.checked += 1
        return [found or [] for found in results]

    def _run(self, docs: Sequence[Document], pending: dict[str, list[int]], results: list[list[Issue] | None]) -> None:
        workers = min(self.settings.workers, len(pending))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=self.name) as pool:
            futures: dict[Future[list[Issue]], str] = {
                pool.submit(self._check_article, docs[indices[0]].article): key for key, indices in pending.items()
            }
            for future in as_completed(futures):
                key = futures[future]
                try:
                    issues = future.result()
                except CancelledError:
                    continue
                except LanguageToolError:  # already counted by the worker, which saw it first
                    if self.failure is not None:
                        for other in futures:
                            other.cancel()
                    continue
                self._cache[key] = issues
                for index in pending[key]:
                    results[index] = list(issues)

    def _give_up(self, reason: str) -> None:
        with self._lock:
            if self.failure is None:
                self.failure = reason

    def _failed_once(self, reason: str) -> None:
        with self._lock:
            self.last_error = reason
            self._failures_in_row += 1
            if self._failures_in_row >= self.settings.max_failures and self.failure is None:
                self.failure = f"{self._failures_in_row} articles in a row failed, last: {reason}"

    def _check_article(self, article: Article) -> list[Issue]:
        if self.failure is not None:  # the server was given up: do not wait for it again
            raise ServerUnavailable(self.failure)
        text, body_start = compose(article)
        try:
            response = self.client.check(text, self.settings.request_params())
        except ServerUnavailable as exc:
            self._give_up(str(exc))
            raise
        except ArticleRejected as exc:  # this text, not the server: does not count towards giving up
            with self._lock:
                self.last_error = str(exc)
            raise
        except RequestFailed as exc:
            self._failed_once(str(exc))
            raise
        with self._lock:
            self._failures_in_row = 0
        software = response.get("software")
        if isinstance(software, dict) and software.get("version"):
            self.version = str(software["version"])
        try:
            return self.issues(response, article, text, body_start)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # an answer of an unexpected shape
            with self._lock:
                self.last_error = f"unexpected answer ({type(exc).__name__}: {exc})"
            raise RequestFailed(self.last_error) from None

    def issues(self, response: Any, article: Article, text: str, body_start: int) -> list[Issue]:
        """Turn one ``/v2/check`` response for ``text`` (title, gap, body) into filtered qa issues."""
        offsets = Utf16Offsets(text)
        found: list[Issue] = []
        for match in parse_matches(response):
            if match.rule_id in self.settings.disabled_rules or match.category_id in self.settings.disabled_categories:
                continue  # also filtered here: a server may ignore disabledRules for some rule ids
            start, end = offsets.span(match.offset, match.length)
            if end <= start or self._is_name(match, text, start, end):
                continue
            field: Field
            if article.title and end <= len(article.title):
                field, base = "title", 0
            elif start >= body_start:
                field, base = "body", body_start
            else:
                continue  # spans the headline/body gap: not a finding about either
            # the engine drops findings of disabled rules and re-grades the rest (config.rules)
            found.append(to_issue(match, field, article.text(field), start - base, end - base, self.settings.max_suggestions))
        return found

    def _is_name(self, match: Match, text: str, start: int, end: int) -> bool:
        spelling = match.category_id == "TYPOS" or match.issue_type == "misspelling"
        return self.settings.proper_nouns and spelling and looks_like_name(text[start:end], text, start)

    def describe(self) -> str:
        """Server, LanguageTool version, language and a digest of the noise settings (plus unchecked count)."""
        s = self.settings
        noise = ",".join(sorted(s.disabled_rules)) + ";" + ",".join(sorted(s.disabled_categories))
        noise += f";names={'on' if s.proper_nouns else 'off'};suggestions={s.max_suggestions}"
        digest = hashlib.sha256(noise.encode()).hexdigest()[:8]
        parts = [self.client.endpoint.url, f"LanguageTool {self.version}", s.language, f"noise@{digest}"]
        if self.unchecked:
            parts.append(f"unchecked={len(self.unchecked)}")
        return f"{self.origin}({','.join(parts)})"

    def notes(self) -> list[str]:
        """One line when some articles were not grammar-checked, saying which and why."""
        if not self.unchecked:
            return []
        count = len(self.unchecked)
        what = f"{count} article{'s' if count != 1 else ''} not grammar-checked ({_ids(self.unchecked)})"
        if self.failure is not None:
            return [f"LanguageTool stopped answering after {self.checked} checked articles: {self.failure}; {what}"]
        return [f"LanguageTool could not check some articles (last error: {self.last_error}); {what}"]


class SkippedChecker(BaseChecker):
    """Stands in for LanguageTool when none is reachable: no findings, one note, a mark in the signature."""

    rank = RANK

    def __init__(self, reason: str, detail: str, quiet: bool = False):
        self.reason = reason
        self.detail = detail
        self.quiet = quiet  # LanguageTool was not asked for (the default auto mode): say nothing

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """No findings for any document."""
        return [[] for _ in docs]

    def describe(self) -> str:
        """``skipped(<reason>)`` so a report says it was made without LanguageTool."""
        return f"skipped({self.reason})"

    def notes(self) -> list[str]:
        """The one line that says LanguageTool was skipped and how to get it (none when it was not asked for)."""
        return [] if self.quiet else [self.detail]

    @property
    def status(self) -> Status:
        """Skipped, and why."""
        return Status(False, self.reason)
