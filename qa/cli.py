"""The command line: thin click commands that parse options and call the engine."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from qa import __version__
from qa.errors import ExitCode, OutputError, QaError

EXIT_CODES_HELP = """\b
Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on
  2  usage error (or an output file that cannot be written)
  3  an input or config could not be read, or an article ran over its time
     budget (the rest was still checked)
  4  internal error, a bug in qa (what could be checked was still reported)"""


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when run (``qa --help`` stays fast)."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, _, attr = self.lazy[name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, name)


COMMANDS = {
    "check": "qa.commands.check:check",
    "report": "qa.commands.report:report",
    "bench": "qa.commands.bench:bench",
    "serve": "qa.commands.serve:serve",
    "baseline": "qa.commands.baseline:baseline",
    "train": "qa.commands.train:train",
    "learn": "qa.commands.learn:learn",
    "watch": "qa.commands.watch:watch",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="qa")
def main() -> None:
    """Find machine-translation damage in English news copy, score it, and report it."""


def run() -> None:
    """Console entry point: apply the program's process settings, run, map errors to the documented exit codes."""
    from qa.process import configure

    configure()  # the program's, not the library's: before any model library is imported
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.USAGE)
    except click.ClickException as exc:
        click.echo(usage_error_line(exc), err=True)
        sys.exit(ExitCode.USAGE)
    except QaError as exc:
        click.echo(f"qa: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, reported as one
        click.echo(f"qa: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(ExitCode.INTERNAL)


def usage_error_line(exc: click.ClickException) -> str:
    """Click's error in qa's own style, one line: ``qa: error: invalid value for '--format': … (see 'qa check --help')``."""
    message = exc.format_message().strip().rstrip(".")
    if message[:1].isupper() and message[1:2].islower():  # "Invalid value" as qa says it; "URL …" left alone
        message = message[0].lower() + message[1:]
    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"qa: error: {message}{hint}"


def writable(path: Path | None) -> None:
    """Raise OutputError now, before any work, when a report could not be written at ``path`` (None: stdout)."""
    if path is None:
        return
    try:  # what output_stream will do at the end: a temporary file beside the target
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=True):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def new_file(folder: Path, prefix: str) -> tuple[Path, IO[str]]:
    """A new file in ``folder`` (its name, and open for writing), its permissions ``0o666`` less the umask.

    The kernel applies the umask as it creates the file: reading it would mean setting it, a
    process-wide change another thread could meet halfway (``tempfile`` makes its files ``0o600``).
    """
    while True:
        name = folder / f"{prefix}{secrets.token_hex(4)}"
        try:
            return name, os.fdopen(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8")
        except FileExistsError:
            continue


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """stdout or a file, written whole or not at all, so a failed run never leaves half a report.

    stdout gets the report in one write at the end; a file is a temporary file beside it renamed
    into place, with the permissions the umask gives a new file (or the ones the old file had).
    """
    if path is None:
        buffer = io.StringIO()
        yield buffer
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
        return
    try:
        temporary, handle = new_file(path.parent, f".{path.name}.")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        try:
            mode: int | None = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = None  # a new report: the permissions the umask gave the file
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def config_path(explicit: Path | None) -> Path | None:
    """The config file to use: ``--config`` or the nearest ``qa.yml`` upward."""
    from qa.config import find_config

    return explicit if explicit is not None else find_config(Path.cwd())
