"""Checking in other processes: ``--jobs N`` worker processes on this machine, and the shared pieces
a Dask cluster runs (``qa.cluster``). Each process builds its checkers (and loads its model) once."""

from __future__ import annotations

import functools
import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Protocol

from qa.checker import Checker
from qa.checking import check_chunk, chunked
from qa.config import Config
from qa.model import Article, ArticleResult, InputError
CHUNK_CHARS = 150_000  # about 1,000 sentences of news: one task for a worker
Outcome = tuple[str, list[ArticleResult], list[str], list[InputError]]  # worker, results in input order, notes, articles not checked


class Pool(Protocol):
    """Somewhere to check chunks of articles: worker processes here, or a Dask cluster."""

    chunk_chars: int  # characters of articles sent as one task

    def run(self, chunks: Iterable[list[Article]], config: Config) -> Iterator[Outcome]:
        """Each chunk's outcome, in input order."""
        ...


def article_chunks(
    items: Iterable[Article | InputError], errors: list[InputError], chars: int = CHUNK_CHARS
) -> Iterator[list[Article]]:
    """Articles in chunks of about ``chars`` characters; unreadable inputs are added to ``errors``."""
    for chunk, met in chunked(items, lambda a: len(a.title) + len(a.body), chars):
        errors += met
        if chunk:
            yield chunk


_BUILDING = threading.Lock()  # a Dask worker with several threads builds its checkers once


def _checkers(config_bytes: bytes) -> tuple[Config, list[Checker]]:
    """This process's checkers for a config, built (and their models loaded) once."""
    with _BUILDING:
        return _build(config_bytes)


@functools.lru_cache(maxsize=2)
def _build(config_bytes: bytes) -> tuple[Config, list[Checker]]:
    from qa.registry import build_checkers

    config: Config = pickle.loads(config_bytes)
    return config, build_checkers(config)


def check_articles(articles: list[Article], config: Config) -> Outcome:
    """Check one chunk in this process (``qa.checking``): what ``--jobs`` workers and Dask workers run."""
    config, checkers = _checkers(pickle.dumps(config))
    results, errors = check_chunk(articles, config, checkers)
    notes = [note for checker in checkers for note in checker.notes()]
    return f"{os.uname().nodename}:{os.getpid()}", results, notes, errors


class Pending(Protocol):
    """Work submitted somewhere (a ``concurrent.futures`` or a Dask future)."""

    def result(self) -> Outcome:
        """Wait for the outcome."""
        ...


def ordered(submit: Iterator[Pending], ahead: int) -> Iterator[Outcome]:
    """Results of submitted work in submission order, with at most ``ahead`` tasks in flight."""
    waiting: deque[Pending] = deque()
    for future in submit:
        waiting.append(future)
        if len(waiting) >= ahead:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


class ProcessPool:
    """``--jobs N``: N worker processes on this machine, each with its own checkers and model."""

    def __init__(self, jobs: int, chunk_chars: int = CHUNK_CHARS, setup: Callable[[], None] | None = None):
        self.jobs = jobs
        self.chunk_chars = chunk_chars
        self.setup = setup  # run first in each worker: the program's process settings (``qa.process.configure``)

    def run(self, chunks: Iterable[list[Article]], config: Config) -> Iterator[Outcome]:
        """Each chunk checked in a worker process, outcomes in input order."""
        # spawned, not forked: a forked torch with its thread pools started can hang
        with ProcessPoolExecutor(self.jobs, mp_context=get_context("spawn"), initializer=self.setup) as executor:
            yield from ordered((executor.submit(check_articles, chunk, config) for chunk in chunks), 2 * self.jobs)
