"""Human-readable findings, one per line, with a summary at the end."""

from __future__ import annotations

from typing import IO

import click

from qa.model import Report, Severity
from qa.scoring import summarize

_COLOURS = {Severity.INFO: "blue", Severity.MINOR: "yellow", Severity.MAJOR: "red", Severity.CRITICAL: "magenta"}


class TextFormatter:
    """``source:line:col severity rule-id message [→ suggestion]``, colour on a terminal."""

    def __init__(self, color: bool | None = None):
        self.color = color

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write one line per finding, the input errors, then the summary."""

        def out(text: str = "") -> None:
            click.echo(text, file=stream, color=self.color)

        for result in report.articles:
            article = result.article
            where = article.source if article.source == article.id else f"{article.source}#{article.id}"
            for issue in result.issues:
                line, col = article.position(issue.field, issue.start)
                severity = click.style(f"{issue.severity.label:<8}", fg=_COLOURS[issue.severity])
                hint = f" → {issue.suggestions[0]}" if issue.suggestions else ""
                muted = " (suppressed)" if issue.suppressed else ""
                out(f"{where}:{line}:{col} {severity} {issue.rule} {issue.message}{hint}{muted}")
        for error in report.input_errors:
            out(f"{error.source}: {click.style('error', fg='red', bold=True)} {error.message}")
        summary = summarize(report)
        verdicts = ", ".join(f"{n} {v}" for v, n in summary["verdicts"].items())
        severities = ", ".join(f"{n} {s}" for s, n in summary["severities"].items() if n)
        out(
            f"{summary['articles']} article(s), {summary['words']} words: {verdicts}; "
            f"{summary['issues']} finding(s)" + (f" ({severities})" if severities else "")
            + (f"; {summary['input_errors']} input error(s)" if summary["input_errors"] else "")
        )
