"""The run: segment articles, apply every checker, score, and assemble the report."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from qa import __version__
from qa.budget import OverBudget, time_limit
from qa.checks import CodeCheck, code_checks
from qa.config import Config
from qa.errors import QaError
from qa.model import Article, ArticleResult, InputError, Issue, Report, ToolInfo, fold
from qa.parallel import Pool, article_chunks
from qa.rules import Rule, RulePack, capped, load_packs
from qa.scoring import penalty, verdict
from qa.text import Document

Progress = Callable[[int], None]
CHUNK_SENTENCES = 1000  # sentences read and segmented before the checkers run on them together


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
    # Optional: ``start() -> None`` begins a slow set-up (a model load) in the background; the engine
    # calls it before reading the inputs.


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


def start(checkers: Sequence[Checker]) -> None:
    """Let each checker begin its slow set-up (a model load) while inputs are read and rules run.

    ``start()`` is optional in the ``Checker`` protocol; a checker without it sets up on first use.
    """
    for checker in checkers:
        begin = getattr(checker, "start", None)
        if begin is not None:
            begin()


def chunks(
    articles: Iterable[Article | InputError], sentences: int = CHUNK_SENTENCES, size: int | None = None
) -> Iterator[tuple[list[Document], list[InputError]]]:
    """Read and segment articles until a chunk holds ``sentences`` sentences (or ``size`` articles)."""
    docs: list[Document] = []
    errors: list[InputError] = []
    count = 0
    for item in articles:
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            doc = Document.from_article(item)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            errors.append(not_checked(item, exc))
            continue
        docs.append(doc)
        count += len(doc.sentences)
        if count >= sentences or (size is not None and len(docs) >= size):
            yield docs, errors
            docs, errors, count = [], [], 0
    if docs or errors:
        yield docs, errors


def check_documents(
    docs: Sequence[Document], config: Config, checkers: Sequence[Checker], errors: list[InputError] | None = None
) -> list[ArticleResult]:
    """Every checker on the whole chunk at once (so models see big batches), then merge and score per article.

    Each article has ``max_article_seconds``: when a chunk runs over, its articles are checked one by
    one, and one that runs over alone keeps what the finished checkers found and is marked not fully
    checked. An article a checker fails on goes to ``errors`` (a bug in qa); the others are still checked.
    """
    if not docs:
        return []
    errors = errors if errors is not None else []
    found: list[list[list[Issue]]] = []
    late = ""  # the checkers an article's time budget ran out before
    try:
        with time_limit(config.max_article_seconds * len(docs)):
            for checker in checkers:
                found.append(checker.check(docs))
    except OverBudget as exc:
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
    results = []
    for i, doc in enumerate(docs):
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
    return results


class Run:
    """One run: its config and checkers; results stream out chunk by chunk, the report closes it."""

    def __init__(
        self,
        config: Config | None = None,
        checkers: Sequence[Checker] | None = None,
        progress: Progress | None = None,
        chunk_sentences: int = CHUNK_SENTENCES,
        batch_size: int | None = None,
        pool: Pool | None = None,
    ):
        self.config = config or Config()
        self.pool = pool  # other processes to check in (--jobs, Dask); None: this process
        self.checkers = list(checkers) if checkers is not None else build_checkers(self.config)
        self.progress = progress
        self.chunk_sentences = chunk_sentences
        self.batch_size = batch_size
        self.errors: list[InputError] = []
        self.worker_notes: dict[str, list[str]] = {}  # notes of the checkers that ran in other processes

    @property
    def tool(self) -> ToolInfo:
        """Name, version and signature of this run."""
        return ToolInfo("qa", __version__, signature(self.config, self.checkers))

    def results(self, articles: Iterable[Article | InputError]) -> Iterator[ArticleResult]:
        """Check articles chunk by chunk, yielding each result in input order (unreadable inputs go to ``errors``)."""
        if self.pool is not None:
            chunked = article_chunks(articles, self.errors, self.pool.chunk_chars)
            for worker, results, notes, errors in self.pool.run(chunked, self.config):
                self.worker_notes[worker] = notes
                self.errors += errors
                if self.progress:
                    self.progress(len(results))
                yield from results
            return
        start(self.checkers)
        for docs, errors in chunks(articles, self.chunk_sentences, self.batch_size):
            self.errors += errors
            results = check_documents(docs, self.config, self.checkers, self.errors)
            if self.progress and docs:
                self.progress(len(docs))
            yield from results

    def report(self, results: Iterable[ArticleResult] = ()) -> Report:
        """The report of this run: the results given (none when they were streamed out), errors, notes, settings."""
        notes = [note for checker in self.checkers for note in checker.notes()]
        notes += [note for worker in self.worker_notes.values() for note in worker]
        settings = {
            "thresholds": {"review": self.config.thresholds.review, "reject": self.config.thresholds.reject},
            "checkers": [c.name for c in self.checkers],
            "rules": rule_metadata(self.checkers),
        }
        return Report(self.tool, tuple(results), tuple(self.errors), tuple(dict.fromkeys(notes)), settings)


def check(
    articles: Iterable[Article | InputError],
    config: Config | None = None,
    checkers: Sequence[Checker] | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    chunk_sentences: int = CHUNK_SENTENCES,
    pool: Pool | None = None,
) -> Report:
    """Check articles and return the report; unreadable inputs are carried into it as errors.

    Articles are read and segmented in chunks of ``chunk_sentences`` sentences (at most
    ``batch_size`` articles when given); every checker sees a whole chunk at once. With a ``pool``
    (``qa.parallel.ProcessPool``, ``qa.cluster.DaskPool``) chunks are checked in other processes.
    """
    if hasattr(articles, "__dask_graph__"):  # a Dask bag or dataframe: checked where its partitions live
        from qa.cluster import check_collection

        return check_collection(articles, config)
    run = Run(config, checkers, progress, chunk_sentences, batch_size, pool)
    return run.report(list(run.results(articles)))
