"""``qa baseline create``: a reviewable YAML file of accepted findings for ``qa check --baseline``."""

from __future__ import annotations

from pathlib import Path

import click

from qa.cli import output_stream


@click.group()
def baseline() -> None:
    """Manage baseline files (findings accepted as they are)."""


@baseline.command()
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Review database: every finding whose current decision is a dismissal.")
@click.option("--report", "report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSON report from `qa check --format json`: every finding in it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def create(db: Path | None, report_file: Path | None, output: Path | None) -> None:
    """Write a baseline from editors' dismissals (--db) or from all findings of a report (--report)."""
    from qa.review import suppress
    from qa.review.loader import load_report

    if (db is None) == (report_file is None):
        raise click.UsageError("give exactly one of --db or --report")
    if db is not None:
        entries = suppress.entries_from_decisions(suppress.load_dismissed(db))
    else:
        assert report_file is not None
        entries = suppress.entries_from_report(load_report(report_file))
    with output_stream(output) as stream:
        suppress.write_baseline(entries, stream)
    if output is not None:
        click.echo(f"qa baseline: wrote {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} to {output}", err=True)
