"""``qa serve``: a browser workspace where editors confirm, dismiss or fix findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qa.commands.check import build_report
from qa.commands.options import checker_options


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Review database (SQLite; created if missing).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; anything but 127.0.0.1/::1/localhost needs a token.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (default: a free one).")
@click.option("--token", envvar="QA_SERVE_TOKEN", help="Access token every request must carry. [env: QA_SERVE_TOKEN]")
@click.option("--require-token", is_flag=True, help="Ask for the token even on loopback.")
@click.option("--editor", help="Editor name for decisions (default: the browser asks once and remembers it).")
@checker_options
def serve(
    paths: tuple[str, ...],
    db: Path,
    host: str,
    port: int,
    token: str | None,
    require_token: bool,
    editor: str | None,
    progress: bool | None,
    **options: Any,
) -> None:
    """Review findings in a browser. PATHS: a JSON report from `qa check --format json`, or inputs to check.

    Without PATHS the database's latest run is served. Decisions (who, when, why) are kept in --db;
    `qa check --suppressions DB` then treats dismissed findings as suppressed.
    """
    from qa.review.loader import sniff_report
    from qa.review.server import ServeError, TokenRequired, check_token
    from qa.review.server import serve as run_server
    from qa.review.store import Store

    try:
        token = check_token(host, token, require_token)
    except TokenRequired as exc:
        raise click.UsageError(str(exc)) from None
    report = sniff_report(Path(paths[0])) if len(paths) == 1 else None
    source = paths[0] if report is not None else " ".join(paths)
    if report is None and paths:
        report = build_report(paths, progress, **options)
        for error in report.input_errors:
            click.echo(f"qa: {error.source}: {error.message}", err=True)
        for note in report.notes:
            click.echo(f"qa: {note}", err=True)
    store = Store(db)
    if report is not None:
        store.import_report(report, source)
        click.echo(f"qa serve: stored {len(report.articles)} article(s) from {source} in {db}", err=True)
    elif store.latest_run() is None:
        raise click.UsageError(f"{db} holds no run yet: give a JSON report or inputs to check")
    try:
        run_server(store, host, port, token, (editor or "").strip(),
                   announce=lambda url: click.echo(f"qa serve: reviewing at {url}  (Ctrl-C to stop)"))
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None

