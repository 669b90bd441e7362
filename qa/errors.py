"""Exit codes and the few exceptions qa raises on purpose."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes, fixed and documented in ``qa --help``, the README and docs/formats.md."""

    OK = 0  # nothing at or above --fail-on
    FINDINGS = 1  # findings at or above --fail-on
    USAGE = 2  # bad command line, or an output file that cannot be written
    INPUT = 3  # an input or config could not be read (the rest was still checked)
    INTERNAL = 4  # a bug in qa


class QaError(Exception):
    """Base of the errors qa reports to the user as a message, never as a traceback."""

    exit_code = ExitCode.INTERNAL


class ConfigError(QaError):
    """A config file or rule pack is broken; the message names the file, rule and field."""

    exit_code = ExitCode.INPUT

    def __init__(self, source: str, message: str, rule: str | None = None, key: str | None = None):
        where = source
        if rule:
            where += f": rule {rule!r}"
        if key:
            where += f": field {key!r}"
        super().__init__(f"{where}: {message}")
        self.source, self.rule, self.key, self.reason = source, rule, key, message


class UsageError(QaError):
    """A command-line value that cannot be used (a usage error, found before any work)."""

    exit_code = ExitCode.USAGE


class OutputError(QaError):
    """The report cannot be written where the command line says (a usage error)."""

    exit_code = ExitCode.USAGE


class InputReadError(QaError):
    """An input as a whole could not be read (missing path, unreadable file)."""

    exit_code = ExitCode.INPUT
