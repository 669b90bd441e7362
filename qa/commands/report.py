"""``qa report``: check articles and write a self-contained HTML report for editors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from qa.cli import EXIT_CODES_HELP
from qa.commands.check import FAIL_ON, fail_threshold, write_checked
from qa.commands.options import checker_options, run_options


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"), show_default=True, help="HTML file to write.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True, help="Lowest severity that fails the run (exit 1).")
@checker_options
@run_options
def report(output: Path, fail_on: str, **options: Any) -> None:
    """Check articles in PATHS (files, folders, http(s):// URLs, - for stdin) and write one self-contained HTML report
    (no network needed to view it)."""
    from qa.formatters.html import HtmlFormatter

    result, code = write_checked(HtmlFormatter, output, fail_threshold(fail_on), **options)
    click.echo(f"qa: wrote {output} ({len(result.articles)} articles, {len(result.issues())} findings)", err=True)
    sys.exit(code)
