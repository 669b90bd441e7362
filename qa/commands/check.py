"""``qa check``: read articles, run the checks, print findings, gate CI with the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from qa import formatters
from qa.cli import EXIT_CODES_HELP, output_stream
from qa.commands.options import build_config, checker_options, run_options
from qa.config import Config
from qa.errors import ExitCode
from qa.model import Article, InputError, Report, Severity

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
    if fail_on is not None and any(i.severity >= fail_on and not i.suppressed for i in report.issues()):
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


def check_paths(paths: tuple[str, ...], config: Config, progress: bool | None) -> Report:
    """Read the inputs and check them."""
    from qa.engine import check as run_check
    from qa.ingest import read_inputs

    show_progress = sys.stderr.isatty() if progress is None else progress
    loading_notice(config, show_progress)
    items = with_progress(read_inputs(paths, config.max_article_chars), show_progress)
    return run_check(items, config)


def suppressed(report: Report, config: Config, suppressions: Path | None, baseline: Path | None) -> Report:
    """The report with findings editors dismissed (``--suppressions``) or a baseline accepted marked suppressed."""
    if suppressions is None and baseline is None:
        return report
    from qa.review import suppress

    dismissed = suppress.load_dismissed(suppressions) if suppressions is not None else {}
    entries = suppress.load_baseline(baseline) if baseline is not None else []
    return suppress.apply(report, dismissed, entries, config.thresholds)


def loading_notice(config: Config, terminal: bool) -> None:
    """One line on a terminal before the embedding model loads (the first run is silent for ~20 s otherwise)."""
    if terminal and config.embeddings:
        click.echo("qa: loading the embedding model… (--no-embeddings checks rules only, without it)", err=True)


def build_report(paths: tuple[str, ...], progress: bool | None, **options: Any) -> Report:
    """Load the config, apply the command-line overrides (``build_config`` options), read the inputs and check them."""
    return check_paths(paths, build_config(**options), progress)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(formatters.names()), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="major", show_default=True, help="Lowest severity that fails the run (exit 1).")
@checker_options
@run_options
@click.option("--color/--no-color", default=None, help="Colour in text output (default: when stdout is a terminal).")
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    progress: bool | None,
    reference: str | None,
    color: bool | None,
    suppressions: Path | None,
    baseline: Path | None,
    **options: Any,
) -> None:
    """Check articles in PATHS: .txt, .html, RSS/Atom feeds, ninjs JSON, JSON Lines, folders, or - for stdin."""
    config = build_config(reference=reference, **options)
    report = suppressed(check_paths(paths, config, progress), config, suppressions, baseline)
    threshold = fail_threshold(fail_on)
    if color is None and output is None:
        color = sys.stdout.isatty()  # decided here: the report is buffered, so the formatter never sees the terminal
    formatter = formatters.get(fmt, color=color) if fmt == "text" else formatters.get(fmt)
    with output_stream(output) as stream:
        formatter.write(report, stream, threshold)
    for note in report.notes:
        click.echo(f"qa: {note}", err=True)
    sys.exit(exit_code(report, threshold))
