"""The run: segment articles, apply every checker, score, and assemble the report."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence

from qa import __version__
from qa.budget import OverBudget, time_limit
from qa import registry
from qa.checker import Checker
from qa.config import Config
from qa.errors import QaError
from qa.model import Article, ArticleResult, CheckerInfo, InputError, Issue, Report, RuleIndex, RunSettings, ToolInfo
from qa.parallel import Pool, article_chunks, chunked
from qa.merge import merge
from qa.quotes import balanced
from qa.scoring import penalty, verdict
from qa.text import Document

Progress = Callable[[int], None]
CHUNK_SENTENCES = 1000  # sentences read and segmented before the checkers run on them together


def configured(issues: Iterable[Issue], config: Config) -> list[Issue]:
    """A checker's findings with the config applied: rules switched off dropped, re-graded ones re-graded."""
    kept = []
    for issue in issues:
        if not config.is_enabled(issue.rule):
            continue
        severity = config.severity_for(issue.rule, issue.severity)
        kept.append(issue if severity == issue.severity else dataclasses.replace(issue, severity=severity))
    return kept


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


def checker_settings(config: Config, checkers: Sequence[Checker]) -> tuple[CheckerInfo, ...]:
    """Each checker of the run: whether it ran (or why not), its signature part, its typed settings."""
    infos = []
    for checker in checkers:
        try:
            settings = registry.settings_table(registry.settings_of(config, checker.name))
        except KeyError:  # a checker handed in by the caller, not built from a family
            settings = {}
        infos.append(CheckerInfo(checker.name, checker.status.label, checker.describe(), settings))
    return tuple(infos)


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


def chunks(
    articles: Iterable[Article | InputError], sentences: int = CHUNK_SENTENCES, size: int | None = None
) -> Iterator[tuple[list[Document], list[InputError]]]:
    """Read and segment articles until a chunk holds ``sentences`` sentences (or ``size`` articles)."""
    return chunked(map(segmented, articles), lambda doc: len(doc.sentences), sentences, size)


def segmented(item: Article | InputError) -> Document | InputError:
    """The segmented article, or the error that stands for it (unreadable, or failed to segment)."""
    if isinstance(item, InputError):
        return item
    try:
        return Document.from_article(item)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
        return not_checked(item, exc)


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
        with time_limit(config.max_article_seconds * len(docs)) as budget:
            for checker in checkers:
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
            own = [(c.rank, c.name, configured(per_checker[i], config)) for c, per_checker in zip(checkers, found)]
            issues = [balanced(issue, doc.article.text(issue.field)) for issue in merge(own, rules)]
            article = dataclasses.replace(doc.article, errors=(*doc.article.errors, late)) if late else doc.article
            results.append(score(article, issues, doc.words, config))
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
        self.checkers = list(checkers) if checkers is not None else registry.build_checkers(self.config)
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
        rules = tuple(info for checker in self.checkers for info in checker.rules())
        settings = RunSettings(self.config.thresholds, checker_settings(self.config, self.checkers), rules)
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
