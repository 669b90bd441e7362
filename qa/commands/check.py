"""``qa check``: read articles, run the checks, print findings, gate CI with the exit code."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qa import formatters
from qa.cli import EXIT_CODES_HELP, output_stream, writable
from qa.commands.options import build_config, checker_options, run_options
from qa.config import Config
from qa.errors import ExitCode
from qa.model import Article, ArticleResult, InputError, Report, Severity, fails

if TYPE_CHECKING:
    from qa.engine import Run
    from qa.parallel import Pool

FAIL_ON = ("never", "info", "minor", "major", "critical")


def fail_threshold(name: str) -> Severity | None:
    """The severity named by ``--fail-on`` (None for never)."""
    return None if name == "never" else Severity.parse(name)


def exit_code(report: Report, fail_on: Severity | None) -> ExitCode:
    """4 when qa failed on an item (a bug; the rest was still reported), 3 when an input could not be read,
    else 1 when a finding reaches ``fail_on``, else 0."""
    if any(e.internal for e in report.input_errors):
        return ExitCode.INTERNAL
    if report.input_errors or any(r.article.errors for r in report.articles):
        return ExitCode.INPUT
    if any(fails(i, fail_on) for i in report.issues()):
        return ExitCode.FINDINGS
    return ExitCode.OK


def with_progress(items: Iterator[Article | InputError], enabled: bool) -> Iterator[Article | InputError]:
    """Count articles on stderr as they are read (only on a terminal)."""
    if not enabled:
        yield from items
        return
    for count, item in enumerate(items, 1):
        if count % 10 == 0:
            click.echo(f"\rread {count} articles…", err=True, nl=False)
        yield item
    click.echo("\r" + " " * 40 + "\r", err=True, nl=False)


def make_pool(jobs: int, dask: str | None) -> Pool | None:
    """Where chunks are checked: a Dask cluster, ``jobs`` local worker processes, or (None) this process."""
    from qa.process import configure  # each worker process starts as this program did

    if dask:
        from qa.cluster import DaskPool

        return DaskPool.connect(dask, setup=configure)
    if jobs > 1:
        from qa.parallel import ProcessPool

        return ProcessPool(jobs, setup=configure)
    return None


def start_run(paths: tuple[str, ...], config: Config, progress: bool | None, pool: Pool | None = None) -> tuple[Run, Iterator[ArticleResult]]:
    """The run and its results as they are checked, chunk by chunk, while the inputs are read."""
    from qa.engine import Run
    from qa.ingest import HttpSettings, read_inputs

    show_progress = sys.stderr.isatty() if progress is None else progress
    loading_notice(config, show_progress)
    items = with_progress(read_inputs(paths, config.max_article_chars, HttpSettings(timeout=config.http_timeout)), show_progress)
    run = Run(config, pool=pool)
    return run, run.results(items)


def check_paths(paths: tuple[str, ...], config: Config, progress: bool | None, pool: Pool | None = None) -> Report:
    """Read the inputs and check them."""
    run, results = start_run(paths, config, progress, pool)
    return run.report(list(results))


class Gate:
    """Watches streamed results for what the exit code needs (input errors, findings at ``fail_on``)."""

    def __init__(self, fail_on: Severity | None):
        self.fail_on = fail_on
        self.input_problem = False
        self.failed = False

    def watch(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        """Pass the results through, noting each one."""
        for result in results:
            self.input_problem |= bool(result.article.errors)
            self.failed |= any(fails(i, self.fail_on) for i in result.issues)
            yield result

    def code(self, report: Report) -> ExitCode:
        """The exit code, given the closing report (its input errors)."""
        if any(e.internal for e in report.input_errors):
            return ExitCode.INTERNAL
        if self.input_problem or report.input_errors:
            return ExitCode.INPUT
        return ExitCode.FINDINGS if self.failed else ExitCode.OK


def suppressed(report: Report, config: Config, suppressions: Path | None, baseline: Path | None) -> Report:
    """The report with findings editors dismissed (``--suppressions``) or a baseline accepted marked suppressed."""
    if suppressions is None and baseline is None:
        return report
    from qa.review import suppress

    dismissed = suppress.load_dismissed(suppressions) if suppressions is not None else {}
    entries = suppress.load_baseline(baseline) if baseline is not None else []
    return suppress.apply(report, dismissed, entries, config.thresholds)


def loading_notice(config: Config, terminal: bool) -> None:
    """One line on a terminal for each family that loads a model first (the first run is silent for ~20 s otherwise)."""
    from qa import registry

    for family in registry.families():
        if terminal and family.loading and registry.is_on(config, family.name):
            click.echo(f"qa: {family.loading}", err=True)


def build_report(paths: tuple[str, ...], progress: bool | None, **options: Any) -> Report:
    """Load the config, apply the command-line overrides (``build_config`` options), read the inputs and check them."""
    return check_paths(paths, build_config(**options), progress)


def write_checked(
    make_formatter: Callable[[], formatters.Formatter],
    output: Path | None,
    threshold: Severity | None,
    paths: tuple[str, ...],
    progress: bool | None,
    suppressions: Path | None,
    baseline: Path | None,
    jobs: int,
    dask: str | None,
    **options: Any,
) -> tuple[Report, ExitCode]:
    """What ``qa check`` and ``qa report`` do with their shared options: check PATHS, write the report with
    the formatter made after the config, print the run's notes; the report and the exit code."""
    writable(output)  # a usage error now, not after the whole run
    config = build_config(**options)
    formatter = make_formatter()
    run, results = start_run(paths, config, progress, make_pool(jobs, dask))
    write_stream = getattr(formatter, "write_stream", None)
    if write_stream is not None and suppressions is None and baseline is None:
        # written article by article as chunks are checked: memory stays flat however long the feed
        gate = Gate(threshold)
        # the first chunk is checked before anything is written, so a model that fails to load
        # leaves no half report behind
        results = itertools.chain(list(itertools.islice(results, 1)), results)
        with output_stream(output) as stream:
            write_stream(run.tool, gate.watch(results), run.report, stream, threshold)
        report = run.report()
        code = gate.code(report)
    else:
        report = suppressed(run.report(list(results)), config, suppressions, baseline)
        with output_stream(output) as stream:
            formatter.write(report, stream, threshold)
        code = exit_code(report, threshold)
    for note in report.notes:
        click.echo(f"qa: {note}", err=True)
    return report, code


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(formatters.names()), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="major", show_default=True, help="Lowest severity that fails the run (exit 1).")
@checker_options
@run_options
@click.option("--color/--no-color", default=None, help="Colour in text output (default: when stdout is a terminal).")
def check(fmt: str, output: Path | None, fail_on: str, color: bool | None, **options: Any) -> None:
    """Check articles in PATHS: .txt, .html, RSS/Atom feeds, ninjs JSON, JSON Lines, folders, http(s):// feed or
    page URLs (fetched, see --http-timeout), or - for stdin."""
    if color is None and output is None:
        color = sys.stdout.isatty()  # decided here: the report is buffered, so the formatter never sees the terminal

    def make_formatter() -> formatters.Formatter:
        return formatters.get(fmt, color=color) if fmt == "text" else formatters.get(fmt)

    sys.exit(write_checked(make_formatter, output, fail_threshold(fail_on), **options)[1])
