"""Running the real ``qa`` command in a subprocess, as a user or CI would."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RULES_ONLY = ("--no-embeddings", "--languagetool", "off")

# The project's data that is not in the repository (training splits, benchmark files): ``../shared`` beside
# the checkout, as on the development machines and in CI; QA_TRAIN_DIR and QA_BENCH_DIR point elsewhere.
SHARED = ROOT.parent / "shared"
SHARED_ENV = {"train": "QA_TRAIN_DIR", "bench": "QA_BENCH_DIR"}


def shared_data(folder: str, needed: str = "") -> Path:
    """``../shared/FOLDER`` (or its env override); the test is skipped, saying so, where ``needed`` is not in it."""
    import pytest

    env = SHARED_ENV.get(folder, "")
    root = Path(os.environ[env]) if os.environ.get(env) else SHARED / folder
    if not (root / needed).exists():
        where = f" (or set {env})" if env else ""
        pytest.skip(f"needs the shared {folder} data: {root / needed} is absent; lay shared/ beside the checkout{where}")
    return root


def run_qa(*args: str, stdin: str | None = None, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m qa ARGS`` against this checkout and capture its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("QA_LANGUAGETOOL", None)
    return subprocess.run(
        [sys.executable, "-m", "qa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
    )


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
CHROMIUM_MISSING = "Debian's chromium is not installed (/usr/bin/chromium): apt-get install -y chromium"


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright; the test is skipped, with the reason, when it is missing."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Sleeps:
    """A checker that sleeps on an article with "stall" in it, as a model might on a hostile one (no alarm can cut it short)."""

    rank = 100

    def __init__(self, name: str, seconds: float):
        self.name = name
        self.seconds = seconds

    def check(self, docs: Any) -> list[list[Any]]:
        if any("stall" in d.article.body for d in docs):
            time.sleep(self.seconds)
        return [[] for _ in docs]

    def describe(self) -> str:
        return f"sleeps {self.seconds:g} s"

    def notes(self) -> list[str]:
        return []

    def rules(self) -> list[Any]:
        return []

    @property
    def status(self) -> Any:
        from qa.checker import RAN

        return RAN

    def start(self) -> None:
        pass


def check_a_stall(budget: float) -> tuple[list[tuple[str, tuple[str, ...]]], bool]:
    """Three articles, the middle one stalling a checker past ``budget`` per article: (id, errors) of each, and
    whether this ran on the main thread (run it in a thread or on a Dask worker)."""
    import dataclasses
    import threading

    from qa.checking import check_chunk
    from qa.config import Config
    from qa.ingest import split_txt
    from qa.rules.family import RuleChecker

    config = dataclasses.replace(Config().switched(embeddings=False, languagetool=False), max_article_seconds=budget)
    bodies = ["Fine one.", "A stall here. It has a doubled stop. .", "Fine two."]
    articles = [split_txt(b, f"a{i}.txt") for i, b in enumerate(bodies)]
    checkers = [RuleChecker(config), Sleeps("sleeps", 4 * budget), Sleeps("after", 0)]
    results, _ = check_chunk(articles, config, checkers)
    return [(r.article.id, r.article.errors) for r in results], threading.current_thread() is threading.main_thread()
