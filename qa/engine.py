"""The run: its checkers, chunks checked here (``qa.checking``) or in a pool of workers, and the report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence

from qa import __version__
from qa import registry
from qa.checker import Checker
from qa.checking import check_documents, document_chunks, start
from qa.config import Config
from qa.model import Article, ArticleResult, CheckerInfo, InputError, Report, RunSettings, ToolInfo
from qa.parallel import Pool, article_chunks

Progress = Callable[[int], None]
CHUNK_SENTENCES = 1000  # sentences read and segmented before the checkers run on them together


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


def checker_settings(setup: registry.Setup, checkers: Sequence[Checker]) -> tuple[CheckerInfo, ...]:
    """Each checker of the run: whether it ran (or why not), its signature part, its typed settings."""
    infos = []
    for checker in checkers:
        settings = registry.settings_table(setup.settings(checker.name))  # {}: a checker the caller built
        infos.append(CheckerInfo(checker.name, checker.status.label, checker.describe(), settings))
    return tuple(infos)


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
        self.setup = registry.configure(self.config)  # every family's section typed, once for the run
        self.pool = pool  # other processes to check in (--jobs, Dask); None: this process
        self.checkers = list(checkers) if checkers is not None else self.setup.checkers()
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
        for docs, errors in document_chunks(articles, self.chunk_sentences, self.batch_size):
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
        settings = RunSettings(self.config.thresholds, checker_settings(self.setup, self.checkers), rules)
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
    ``qa.check`` also takes a Dask collection (``qa.api``).
    """
    run = Run(config, checkers, progress, chunk_sentences, batch_size, pool)
    return run.report(list(run.results(articles)))
