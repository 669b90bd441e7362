"""``qa report``: check articles and write a self-contained HTML report for editors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from qa.cli import EXIT_CODES_HELP, output_stream
from qa.commands.check import (
    FAIL_ON,
    check_paths,
    exit_code,
    fail_threshold,
    make_pool,
    suppressed,
)
from qa.commands.options import build_config, checker_options, run_options


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"), show_default=True, help="HTML file to write.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True, help="Lowest severity that fails the run (exit 1).")
@checker_options
@run_options
def report(
    paths: tuple[str, ...],
    output: Path,
    fail_on: str,
    progress: bool | None,
    suppressions: Path | None,
    baseline: Path | None,
    jobs: int,
    dask: str | None,
    **options: Any,
) -> None:
    """Check articles in PATHS and write one self-contained HTML report (no network needed to view it)."""
    from qa.formatters.html import HtmlFormatter

    config = build_config(**options)
    result = suppressed(check_paths(paths, config, progress, make_pool(jobs, dask)), config, suppressions, baseline)
    threshold = fail_threshold(fail_on)
    with output_stream(output) as stream:
        HtmlFormatter().write(result, stream, threshold)
    for note in result.notes:
        click.echo(f"qa: {note}", err=True)
    click.echo(f"qa: wrote {output} ({len(result.articles)} articles, {len(result.issues())} findings)", err=True)
    sys.exit(exit_code(result, threshold))
