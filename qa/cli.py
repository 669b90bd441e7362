"""The command line: thin click commands that parse options and call the engine."""

from __future__ import annotations

import contextlib
import importlib
import os
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
  3  an input or config could not be read (the rest was still checked)
  4  internal error"""


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
}


@click.group(cls=LazyGroup, lazy=COMMANDS, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="qa")
def main() -> None:
    """Find machine-translation damage in English news copy, score it, and report it."""


def run() -> None:
    """Console entry point: map errors to the documented exit codes."""
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE)
    except QaError as exc:
        click.echo(f"qa: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, reported as one
        click.echo(f"qa: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(ExitCode.INTERNAL)


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file written whole: a temporary file beside it renamed into place at the end,
    so a failed run never leaves half a report."""
    if path is None:
        yield sys.stdout
        return
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def config_path(explicit: Path | None) -> Path | None:
    """The config file to use: ``--config`` or the nearest ``qa.yml`` upward."""
    from qa.config import find_config

    return explicit if explicit is not None else find_config(Path.cwd())
