"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding."""

from __future__ import annotations

from typing import IO

from qa.model import Issue, Report, Severity, fails


def escape_data(value: str) -> str:
    """Escape a workflow command's message (``%``, CR and LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (also ``:`` and ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    """``::kind key=value,…::message`` with everything escaped."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def level(issue: Issue, fail_on: Severity | None) -> str:
    """``error`` for findings that fail the run, ``notice`` for info and suppressed ones, ``warning`` for the rest."""
    if fails(issue, fail_on):
        return "error"
    return "notice" if issue.suppressed or issue.severity is Severity.INFO else "warning"


class GithubFormatter:
    """Annotations GitHub shows on the changed files of a pull request."""

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write one annotation line per finding and per unreadable input."""
        for result in report.articles:
            article = result.article
            for message in article.errors:
                stream.write(command("error", message, file=article.source, title=f"qa: cannot read {article.id}") + "\n")
            for issue in result.issues:
                line, col = article.position(issue.field, issue.start)
                end_line, end_col = article.position(issue.field, issue.end)
                in_file = issue.field in article.field_positions  # feed and HTML items: no line in the file
                hint = f" → probably meant: {' or '.join(issue.suggestions)}" if issue.suggestions else ""
                where = "" if article.id == article.source else f" [{article.id}]"
                stream.write(
                    command(
                        level(issue, fail_on),
                        f"{issue.message}{hint}{where}",
                        file=article.source,
                        line=line if in_file else None,
                        endLine=end_line if in_file else None,
                        col=col if in_file and end_line == line else None,
                        endColumn=end_col if in_file and end_line == line else None,
                        title=f"{issue.rule} ({issue.severity.label}, {issue.category})",
                    )
                    + "\n"
                )
        for error in report.input_errors:
            stream.write(command("error", error.message, file=error.source, title="qa: unreadable input") + "\n")
