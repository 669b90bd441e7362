"""Options shared by the commands that check articles, and the config they build.

Each checker family (``qa.registry``) brings its ``--NAME/--no-NAME`` switch and the options that
set keys of its ``qa.yml`` section; a value the family's settings reject is a usage error (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from qa import registry
from qa.cli import config_path
from qa.config import Config
from qa.errors import ConfigError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

_CONFIG_OPTIONS = (
    click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file (default: nearest qa.yml upward)."),
    click.option("--rules", "extra_rules", multiple=True, type=click.Path(exists=True, path_type=Path), help="Extra rule pack file or folder (repeatable)."),
)
# what qa check and qa report both take beyond the config options
_RUN_OPTIONS = (
    click.option("--suppressions", type=click.Path(dir_okay=False, path_type=Path), help="Review database (qa serve --db): findings editors dismissed are suppressed."),
    click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="Baseline YAML (qa baseline create): its findings are suppressed, stale entries listed."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes on this machine (each loads its own model)."),
    click.option("--dask", metavar="ADDRESS|local", help="Check on a Dask cluster (scheduler address, or local for a LocalCluster here); needs qa[dask]."),
    click.option(
        "--http-timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
        help="Time to fetch one http(s):// input in all (qa.yml http_timeout; default 30).",
    ),
)
_PROGRESS = click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")


def _family_options(run: bool) -> Iterator[Callable[[F], F]]:
    """Every family's switch and options (``run``: only the ones for qa check and qa report)."""
    for family in registry.families():
        if family.switch and not run:
            yield click.option(f"--{family.name}/--no-{family.name}", family.dest, default=None, help=family.summary)
        for option in family.options:
            if option.run_only == run:
                kind = click.Path(exists=True, dir_okay=False) if option.existing_file else None
                yield click.option(option.flag, option.dest, type=kind, metavar=option.metavar, envvar=option.envvar, help=option.help)


def config_options(command: F) -> F:
    """The options that pick the config and the checker set (``--config``, ``--rules``, each family's)."""
    for option in reversed((*_CONFIG_OPTIONS, *_family_options(run=False))):
        command = option(command)
    return command


def checker_options(command: F) -> F:
    """The config options plus ``--progress``, for the commands that read inputs."""
    return config_options(_PROGRESS(command))


def run_options(command: F) -> F:
    """What ``qa check`` and ``qa report`` take beyond ``checker_options``: families' run options, ``--jobs``, ``--dask``…"""
    for option in reversed((*_family_options(run=True), *_RUN_OPTIONS)):
        command = option(command)
    return command


def build_config(config_file: Path | None, extra_rules: tuple[Path, ...], http_timeout: float | None = None, **values: Any) -> Config:
    """Load the config file (``--config`` or the nearest ``qa.yml``) and apply the command-line values.

    ``values`` are the families' switches and options by their Python names (unset ones None). The
    result is typed once (``registry.configure``): a value an option set that its family rejects is a
    usage error naming the option; a bad value from the file names the file, line and key.
    """
    from qa.config import load_config

    config = load_config(config_path(config_file))
    if extra_rules:
        config = config.replace(rule_paths=(*config.rule_paths, *extra_rules))
    if http_timeout is not None:
        config = config.replace(http_timeout=http_timeout)
    flags: dict[str, str] = {}  # "family.key" -> the option that set it
    for family in registry.families():
        if family.switch and values.get(family.dest) is not None:
            config = config.switched(**{family.name: values[family.dest]})
        given = {o: values[o.dest] for o in family.options if values.get(o.dest) is not None}
        if given:
            config = config.with_section(family.name, **{o.key: value for o, value in given.items()})
            flags.update({f"{family.name}.{o.key}": o.flag for o in given})
    try:
        registry.configure(config)
    except ConfigError as exc:
        if exc.key in flags:
            raise UsageError(f"invalid value for {flags[exc.key]}: {exc.reason}") from None
        raise
    return config


def usual_training_data(given: Path | None, command: str, option: str, without: str) -> Path | None:
    """``given``, else the tagger's usual training data where it is found; None, said in one line on stderr, where not."""
    from qa.datasets.training import default_data_dir
    from qa.errors import InputReadError

    if given is not None:
        return given
    try:
        return default_data_dir()
    except InputReadError:
        click.echo(f"{command}: no usual training data (set QA_TRAIN_DIR or pass {option}): {without}", err=True)
        return None
